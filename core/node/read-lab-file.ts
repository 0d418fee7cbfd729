/**
 * Reads a lab file from the disk without ever holding more than the lab file limit: a regular
 * file is measured before it is read, and anything whose size the disk does not tell (a device
 * such as /dev/zero, a pipe, a FIFO) is read in chunks and given up one byte past the limit.
 * Shared by every command that reads a lab or an attempt (check, run, grade) and by the desktop
 * app's file association, so none of them can be made to read without end.
 */
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { MAX_LAB_BYTES } from '../lab/yaml-source';

export type LabFileRead =
  | { readonly ok: true; readonly text: string }
  /** Too large: `bytes` is the file's size, or, with `atLeast`, how much was read before giving up. */
  | { readonly ok: false; readonly bytes: number; readonly atLeast: boolean };

const CHUNK = 64 * 1024;

/** Reads `path` as UTF-8 when it holds at most `limit` bytes; throws what the disk throws. */
export function readLabFile(path: string, limit: number = MAX_LAB_BYTES): LabFileRead {
  const fd = openSync(path, 'r');
  try {
    const stat = fstatSync(fd);
    if (stat.isFile() && stat.size > limit) return { ok: false, bytes: stat.size, atLeast: false };
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      const chunk = Buffer.allocUnsafe(Math.min(CHUNK, limit + 1 - total));
      const n = readSync(fd, chunk, 0, chunk.length, null);
      if (n === 0) break;
      chunks.push(n === chunk.length ? chunk : chunk.subarray(0, n));
      total += n;
      if (total > limit) return { ok: false, bytes: total, atLeast: true };
    }
    return { ok: true, text: Buffer.concat(chunks, total).toString('utf8') };
  } finally {
    closeSync(fd);
  }
}
