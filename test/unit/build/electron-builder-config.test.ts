/**
 * The installers' configuration (build/electron-builder.yml), loaded as electron-builder reads
 * it: the targets of each OS, the lab file association and its MIME type, the built-in labs as
 * a resource, the icons made from one picture, and the fuses hook with the fuses it flips.
 */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { FUSES_BY_NAME } from '../../../build/fuses.mjs';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const config = parse(readFileSync(`${root}build/electron-builder.yml`, 'utf8')) as Record<
  string,
  any // eslint-disable-line @typescript-eslint/no-explicit-any -- electron-builder's own schema
>;
const pkg = JSON.parse(readFileSync(`${root}package.json`, 'utf8')) as Record<string, unknown>;

/** A PNG's width and height, from its IHDR chunk. */
function pngSize(path: string): { width: number; height: number } {
  const bytes = readFileSync(path);
  expect(bytes.subarray(1, 4).toString('latin1')).toBe('PNG');
  return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
}

describe('build/electron-builder.yml', () => {
  it('builds AppImage and deb on Linux, NSIS on Windows, dmg on macOS, named and described', () => {
    expect(config.linux.target).toEqual(['AppImage', 'deb']);
    expect(config.win.target).toBe('nsis');
    expect(config.mac.target).toBe('dmg');
    expect(config.productName).toBe('Nestlab');
    expect(pkg.version).toMatch(/^\d+\.\d+\.\d+/);
    expect(String(pkg.description).length).toBeGreaterThan(20);
    expect(pkg.scripts).toMatchObject({ dist: 'node scripts/dist.mjs' });
  });

  it('associates .lab.yaml files with the app, with a MIME type the Linux desktop learns', () => {
    expect(config.fileAssociations).toEqual([
      expect.objectContaining({ ext: 'lab.yaml', mimeType: 'application/x-nestlab-lab+yaml' }),
    ]);
    expect(config.linux.mimeTypes).toContain('application/x-nestlab-lab+yaml');
    const [file, installed] = String(config.deb.fpm[0]).split('=');
    expect(installed).toBe('/usr/share/mime/packages/nestlab.xml');
    expect(readFileSync(`${root}${file}`, 'utf8')).toContain('<glob pattern="*.lab.yaml"');
  });

  it('ships the built-in labs as a resource (electron/main.ts reads them there)', () => {
    expect(config.extraResources).toEqual([{ from: 'labs', to: 'labs', filter: ['*.lab.yaml'] }]);
    expect(readFileSync(`${root}electron/main.ts`, 'utf8')).toContain(
      "join(process.resourcesPath, 'labs')",
    );
  });

  it('has the icons made from build/icon.svg at the sizes electron-builder asks for', () => {
    expect(existsSync(`${root}build/icon.svg`)).toBe(true);
    expect(pngSize(`${root}build/icon.png`)).toEqual({ width: 1024, height: 1024 });
    for (const size of [16, 32, 48, 64, 128, 256, 512])
      expect(pngSize(`${root}build/icons/${size}x${size}.png`)).toEqual({
        width: size,
        height: size,
      });
  });

  it('flips the fuses after packing: RunAsNode, NODE_OPTIONS, --inspect and file:// privileges off; cookie encryption, asar integrity and asar-only on', () => {
    const hook = createRequire(import.meta.url)(`${root}${config.afterPack}`) as unknown;
    expect(typeof hook).toBe('function');
    expect(FUSES_BY_NAME).toEqual({
      RunAsNode: false,
      EnableCookieEncryption: true,
      EnableNodeOptionsEnvironmentVariable: false,
      EnableNodeCliInspectArguments: false,
      EnableEmbeddedAsarIntegrityValidation: true,
      OnlyLoadAppFromAsar: true,
      GrantFileProtocolExtraPrivileges: false,
    });
  });
});
