// Where Electron's binary is, without fetching it. Electron 45's npm package installs only its
// declarations (electron.d.ts); the binary comes from `install.js`, which `require('electron')`
// runs on first use and `npm start` runs here, quietly, once. Checks elsewhere (the native
// module switch, the Electron tests) only look, so a machine that cannot download it gets one
// line instead of a download's stack trace.
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { spawnSync } from 'node:child_process';

const require = createRequire(import.meta.url);

function packageRoot() {
  try {
    return dirname(require.resolve('electron/package.json'));
  } catch {
    return undefined;
  }
}

/** The binary's path when it is installed, else undefined. */
export function installedElectron() {
  const root = packageRoot();
  if (!root) return undefined;
  try {
    const relative = readFileSync(join(root, 'path.txt'), 'utf8');
    const override = process.env.ELECTRON_OVERRIDE_DIST_PATH;
    const path = override ? join(override, relative) : join(root, 'dist', relative);
    return existsSync(path) ? path : undefined;
  } catch {
    return undefined;
  }
}

/** The installed Electron's version (its package's), or undefined. */
export function electronVersion() {
  return installedElectron() ? require('electron/package.json').version : undefined;
}

/** Installs the binary when it is missing (a download); its path, or undefined when it failed. */
export function fetchElectron() {
  const present = installedElectron();
  if (present) return present;
  const root = packageRoot();
  if (!root) return undefined;
  spawnSync(process.execPath, [join(root, 'install.js')], { stdio: 'ignore' });
  return installedElectron();
}
