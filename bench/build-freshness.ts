/**
 * Whether a build output is older than the sources it is built from, and the CLI bundle
 * (out/cli, what `node bin/nestlab.js` loads) rebuilt when it is, so a whole-process figure
 * times the code the in-process figures time. Build output goes to stderr, so `--json` stays
 * JSON; a failed build is reported, not thrown (the sources may be mid-edit).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = fileURLToPath(new URL('../', import.meta.url));

/** Newest modification time of the files under `dir` (ms since the epoch), 0 if none. */
export function newest(dir: string): number {
  if (!existsSync(dir)) return 0;
  const stat = statSync(dir);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return readdirSync(dir)
    .filter((name) => name !== 'node_modules')
    .reduce((latest, name) => Math.max(latest, newest(join(dir, name))), 0);
}

/**
 * Runs `node scripts/build-cli.mjs` when out/cli/nestlab.cjs is missing or older than core/;
 * returns why the bundle is still stale when that build fails.
 */
export function ensureCliBuilt(): string | undefined {
  const bundle = join(repoRoot, 'out/cli/nestlab.cjs');
  const built = existsSync(bundle) ? statSync(bundle).mtimeMs : 0;
  const sources = ['core', 'scripts/build-cli.mjs', 'package-lock.json'];
  const changed = Math.max(...sources.map((f) => newest(join(repoRoot, f))));
  if (built > 0 && built >= changed) return undefined;
  process.stderr.write('bench: building the CLI first (out/cli is missing or older than core/)…\n');
  const build = spawnSync(process.execPath, ['scripts/build-cli.mjs'], {
    cwd: repoRoot,
    stdio: ['ignore', 2, 2],
  });
  return build.status === 0
    ? undefined
    : `scripts/build-cli.mjs failed (exit ${build.status}): whole-process figures time an out/cli older than core/`;
}
