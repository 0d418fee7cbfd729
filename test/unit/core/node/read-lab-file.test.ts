/**
 * A lab file is read no further than the lab file limit, whatever it is: a regular file is
 * measured first, a device or a pipe is read in chunks and given up one byte past the limit.
 */
import { describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readLabFile } from '../../../../core/node/read-lab-file';

const tmp = mkdtempSync(join(tmpdir(), 'nestlab-read-'));

describe('readLabFile', () => {
  it('reads a file up to the limit as UTF-8, multi-byte characters across chunks included', () => {
    const file = join(tmp, 'ok.lab.yaml');
    const text = `title: ${'é'.repeat(70_000)}\n`;
    writeFileSync(file, text);
    expect(readLabFile(file, Buffer.byteLength(text))).toEqual({ ok: true, text });
  });

  it('refuses a regular file over the limit by its size, before reading it', () => {
    const file = join(tmp, 'big.lab.yaml');
    writeFileSync(file, 'x'.repeat(101));
    expect(readLabFile(file, 100)).toEqual({ ok: false, bytes: 101, atLeast: false });
  });

  it('gives up on a device with no end one byte past the limit', () => {
    expect(readLabFile('/dev/zero', 200_000)).toEqual({ ok: false, bytes: 200_001, atLeast: true });
  });

  it('reads an empty device as an empty text', () => {
    expect(readLabFile('/dev/null')).toEqual({ ok: true, text: '' });
  });

  it('throws what the disk says for a missing file or a folder', () => {
    expect(() => readLabFile(join(tmp, 'nope.lab.yaml'))).toThrow(/ENOENT/);
    expect(() => readLabFile(tmp)).toThrow(/EISDIR/);
  });
});
