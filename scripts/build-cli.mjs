// Bundles the Node side of the core (the `nestlab` CLI and the web host) into out/cli.
// Runs on `npm install` (prepare) so `npx nestlab` works from a fresh checkout.
//
// Start-up is most of a small lab's time to a verdict, so the CLI is one CommonJS file,
// out/cli/nestlab.cjs, that bin/nestlab.js compiles with a V8 code cache (see there): pure-JS
// dependencies are bundled in (nothing to resolve at start), and each command's code is only
// run when that command is (`check`, `run` and `grade` never load the web host, WebSocket or
// SQLite). The native module (better-sqlite3) and `ws` (with its optional native helpers) stay
// in node_modules. out/cli/sim-worker.cjs is the simulation's thread under `nestlab serve`, and
// out/cli/nestlab.mjs lets a script `import { main }` as before.
import { spawnSync } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import { build } from 'esbuild';

rmSync('out/cli', { recursive: true, force: true });
await build({
  entryPoints: { nestlab: 'core/node/cli.ts', 'sim-worker': 'core/node/sim-worker.ts' },
  outdir: 'out/cli',
  outExtension: { '.js': '.cjs' },
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  external: ['better-sqlite3', 'ws', 'bufferutil', 'utf-8-validate'],
  // The code finds its sibling files from import.meta.url; in CommonJS that is the file's URL.
  define: { 'import.meta.url': '__nestlabFileUrl' },
  banner: { js: "const __nestlabFileUrl = require('node:url').pathToFileURL(__filename).href;" },
  sourcemap: true,
  logLevel: 'warning',
});
writeFileSync(
  'out/cli/nestlab.mjs',
  [
    '// `import { main } from "out/cli/nestlab.mjs"` for scripts; bin/nestlab.js loads nestlab.cjs itself.',
    "import { createRequire } from 'node:module';",
    "export const { main } = createRequire(import.meta.url)('./nestlab.cjs');",
    '',
  ].join('\n'),
);

// Seed the code cache with a real run, so even the first `nestlab run` finds the functions it
// needs already compiled (a cache made by `--help` alone would hold little more than the top).
const seed = spawnSync(
  process.execPath,
  ['bin/nestlab.js', 'run', 'labs/e4-inline-bridge.lab.yaml', '--json'],
  { stdio: 'ignore' },
);
if (seed.status !== 0 && seed.status !== 1)
  process.stderr.write(
    `build-cli: seeding the code cache failed (exit ${seed.status}); the CLI works, only its first start is slower.\n`,
  );
