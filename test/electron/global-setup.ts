/** Says plainly when the Electron tests cannot run here, and checks the app is built when they can. */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { electronBinary, SKIPPED_LINE } from './electron-binary';

export default function globalSetup(): void {
  if (!electronBinary()) {
    console.log(SKIPPED_LINE);
    return;
  }
  const main = fileURLToPath(new URL('../../out/main/index.js', import.meta.url));
  if (!existsSync(main)) {
    throw new Error(
      'The app is not built: run `npm run build` first, then `npm run test:electron`.',
    );
  }
}
