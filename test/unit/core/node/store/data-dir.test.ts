/**
 * Where hosts keep their data (core/node/store/data-dir.ts): `--data`, then `NESTLAB_DATA`,
 * then the operating system's per-user data folder.
 */
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultDataDir, resolveDataDir } from '../../../../../core/node/store';

describe('the data folder', () => {
  it('follows each platform: XDG on Linux, APPDATA on Windows, Application Support on macOS', () => {
    expect(defaultDataDir('linux', {}, '/home/ana')).toBe('/home/ana/.local/share/nestlab');
    expect(defaultDataDir('linux', { XDG_DATA_HOME: '/data/ana' }, '/home/ana')).toBe(
      '/data/ana/nestlab',
    );
    expect(defaultDataDir('linux', { XDG_DATA_HOME: 'relative' }, '/home/ana')).toBe(
      '/home/ana/.local/share/nestlab',
    );
    expect(
      defaultDataDir('win32', { APPDATA: 'C:\\Users\\ana\\AppData\\Roaming' }, 'C:\\Users\\ana'),
    ).toBe(join('C:\\Users\\ana\\AppData\\Roaming', 'Nestlab'));
    expect(defaultDataDir('darwin', {}, '/Users/ana')).toBe(
      '/Users/ana/Library/Application Support/Nestlab',
    );
  });

  it('prefers --data, then NESTLAB_DATA, and makes the folder absolute', () => {
    expect(resolveDataDir('rel/dir', { NESTLAB_DATA: '/env' })).toBe(resolve('rel/dir'));
    expect(resolveDataDir(undefined, { NESTLAB_DATA: '/env' })).toBe('/env');
    expect(resolveDataDir(undefined, { NESTLAB_DATA: '', XDG_DATA_HOME: '/x' })).toBe('/x/nestlab');
  });
});
