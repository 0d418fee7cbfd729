// `npm run dist`: the installers for the current OS (build/electron-builder.yml): AppImage and
// deb on Linux, NSIS on Windows, dmg on macOS, into dist/. It needs Electron's binary (the
// installer is made from it); where the binary is missing and cannot be downloaded, it says so
// and exits non-zero before anything is built, so there is never a broken installer.
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { fetchElectron } from './electron-binary.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const require = createRequire(import.meta.url);

const binary = fetchElectron();
if (!binary) {
  process.stderr.write(
    "npm run dist: Electron's binary is not installed and could not be downloaded here, so no installer can be made; run it where Electron can be downloaded (the release workflow does).\n",
  );
  process.exit(1);
}

function run(command, args) {
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) process.exit(result.status ?? 1);
}

const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
run(npm, ['run', 'build']);
const builder = join(dirname(require.resolve('electron-builder/package.json')), 'cli.js');
const electronDist = join(dirname(require.resolve('electron/package.json')), 'dist');
run(process.execPath, [
  builder,
  '--config',
  'build/electron-builder.yml',
  // The Electron already installed, not a second download; the native module is rebuilt for it.
  `--config.electronDist=${electronDist}`,
  '--publish',
  'never',
]);
// Back to the Node build of better-sqlite3 for the CLI and the tests.
run(process.execPath, ['scripts/native-runtime.mjs', 'node']);
