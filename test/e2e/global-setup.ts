/** Fails early, in one sentence, when the app or the browser the tests need is missing. */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export default function globalSetup(): void {
  const built = (relative: string) =>
    existsSync(fileURLToPath(new URL(`../../${relative}`, import.meta.url)));
  if (!built('out/renderer/index.html') || !built('out/cli/nestlab.cjs')) {
    throw new Error('The app is not built: run `npm run build` first, then `npm run test:e2e`.');
  }
  if (!existsSync('/usr/bin/chromium')) {
    throw new Error('Debian Chromium is missing: install it with `apt-get install -y chromium`.');
  }
}
