// `npm start`: build the app and launch it in Electron, with better-sqlite3 rebuilt for it.
// Where Electron's binary could not be installed, say so in one sentence and point to the
// browser version instead.
import { spawn, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { fetchElectron } from './electron-binary.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));

// The binary first (a download the first time), so where it cannot be had the only thing
// printed is why, and what to do instead.
const binary = fetchElectron();
if (!binary) {
  process.stderr.write(
    "Electron's binary is not installed and could not be downloaded here: run `npm run web` to use Nestlab in your browser instead.\n",
  );
  process.exit(1);
}

// better-sqlite3 must be built for Electron's ABI, not Node's (scripts/native-runtime.mjs).
const native = spawnSync(process.execPath, ['scripts/native-runtime.mjs', 'electron'], {
  cwd: root,
  stdio: 'inherit',
});
if (native.status !== 0) process.exit(native.status ?? 1);

const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const build = spawnSync(npm, ['run', 'build'], { cwd: root, stdio: 'inherit' });
if (build.status !== 0) process.exit(build.status ?? 1);

const env = { ...process.env };
delete env.ELECTRON_RUN_AS_NODE;
const app = spawn(binary, [root], { cwd: root, stdio: 'inherit', env });
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => app.kill(signal));
app.on('exit', (code, signal) => process.exit(signal ? 1 : (code ?? 0)));
