// Bundles the Node side of the core (the `nestlab` CLI and the web host) into out/cli.
// Runs on `npm install` (prepare) so `npx nestlab` works from a fresh checkout.
import { build } from 'esbuild';

await build({
  entryPoints: { nestlab: 'core/node/cli.ts' },
  outdir: 'out/cli',
  outExtension: { '.js': '.mjs' },
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  packages: 'external',
  sourcemap: true,
  logLevel: 'warning',
});
