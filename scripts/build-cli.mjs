// Bundles the Node side of the core (the `nestlab` CLI and the web host) into out/cli.
// Runs on `npm install` (prepare) so `npx nestlab` works from a fresh checkout.
//
// Start-up is most of a small lab's time to a verdict, so: pure-JS dependencies are bundled
// (one file to read and compile instead of hundreds of modules to resolve), and each command is
// a chunk of its own (code splitting), loaded only when it runs: `check`, `run` and `grade`
// never load the web host, WebSocket or SQLite. The native module (better-sqlite3) and `ws`
// (with its optional native helpers) stay in node_modules.
import { rmSync } from 'node:fs';
import { build } from 'esbuild';

rmSync('out/cli', { recursive: true, force: true });
await build({
  // sim-worker: the simulation's own thread under `nestlab serve` (worker-sim-runner.ts).
  entryPoints: { nestlab: 'core/node/cli.ts', 'sim-worker': 'core/node/sim-worker.ts' },
  outdir: 'out/cli',
  outExtension: { '.js': '.mjs' },
  bundle: true,
  splitting: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  external: ['better-sqlite3', 'ws', 'bufferutil', 'utf-8-validate'],
  // Bundled CommonJS dependencies may still call require(); give the ES module one.
  banner: {
    js: "import { createRequire as __nestlabRequire } from 'node:module'; const require = __nestlabRequire(import.meta.url);",
  },
  sourcemap: true,
  logLevel: 'warning',
  metafile: false,
});
