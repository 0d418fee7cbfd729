/**
 * Says plainly when the Electron tests cannot run here; where they can, checks the app is built
 * and switches better-sqlite3 to Electron's build for them (scripts/native-runtime.mjs), and
 * back to Node's after, so the CLI and the unit tests keep working.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { electronBinary, SKIPPED_LINE } from './electron-binary';

const root = fileURLToPath(new URL('../../', import.meta.url));

function nativeFor(runtime: 'electron' | 'node'): void {
  const result = spawnSync(process.execPath, ['scripts/native-runtime.mjs', runtime], {
    cwd: root,
    stdio: 'inherit',
  });
  if (result.status !== 0)
    throw new Error(`better-sqlite3 could not be switched to ${runtime}'s build.`);
}

export default function globalSetup(): (() => void) | undefined {
  if (!electronBinary()) {
    console.log(SKIPPED_LINE);
    return undefined;
  }
  const main = fileURLToPath(new URL('../../out/main/index.js', import.meta.url));
  if (!existsSync(main)) {
    throw new Error(
      'The app is not built: run `npm run build` first, then `npm run test:electron`.',
    );
  }
  nativeFor('electron');
  return () => nativeFor('node');
}
