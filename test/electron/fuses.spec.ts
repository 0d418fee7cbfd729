/**
 * The packaged app's fuses (build/fuses.mjs), read back from the binary `npm run dist` built
 * into dist/. Runs wherever packaging ran (the release workflow); elsewhere it is skipped with
 * the reason.
 */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, test } from '@playwright/test';
import { FuseV1Options, getCurrentFuseWire } from '@electron/fuses';
import { FUSES_BY_NAME } from '../../build/fuses.mjs';

const dist = fileURLToPath(new URL('../../dist/', import.meta.url));

/** The packaged binary electron-builder left unpacked in dist/, for this OS. */
function packagedBinary(): string | undefined {
  if (!existsSync(dist)) return undefined;
  const candidates: string[] = [];
  for (const folder of readdirSync(dist)) {
    if (folder === 'linux-unpacked') candidates.push(join(dist, folder, 'nestlab'));
    if (folder === 'win-unpacked') candidates.push(join(dist, folder, 'Nestlab.exe'));
    if (folder.startsWith('mac')) candidates.push(join(dist, folder, 'Nestlab.app'));
  }
  return candidates.find((path) => existsSync(path));
}

const binary = packagedBinary();

test('the packaged binary has every fuse of build/fuses.mjs set as written', async () => {
  test.skip(!binary, 'skipped: no packaged app in dist/ (run `npm run dist` first)');
  const wire = await getCurrentFuseWire(binary ?? '');
  for (const [name, on] of Object.entries(FUSES_BY_NAME)) {
    const option = FuseV1Options[name as keyof typeof FuseV1Options];
    // FuseState: 0x31 ('1') enabled, 0x30 ('0') disabled.
    expect({ name, state: wire[option] }).toEqual({ name, state: on ? 0x31 : 0x30 });
  }
});
