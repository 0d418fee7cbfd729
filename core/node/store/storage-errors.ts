/**
 * What went wrong with the disk, in words that say what to do. SQLite reports a full disk, a
 * read-only file system, a folder another Nestlab holds and a failing disk with codes (and
 * a read-only file system often as "disk I/O error"); the user gets a sentence instead.
 * Whatever it says, the last saved state is intact: a write that fails is rolled back whole.
 */
import { closeSync, openSync, rmSync } from 'node:fs';
import { join } from 'node:path';

const codeOf = (error: unknown): string => {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : '';
};

/** Whether the folder takes a new file (false on a read-only file system or without rights). */
export function folderWritable(folder: string): boolean {
  const probe = join(folder, `.nestlab-write-test-${process.pid}`);
  try {
    closeSync(openSync(probe, 'w'));
    rmSync(probe, { force: true });
    return true;
  } catch {
    return false;
  }
}

/** A sentence for a storage error of SQLite or the file system, or undefined for any other. */
export function storageWords(error: unknown, folder: string): string | undefined {
  const code = codeOf(error);
  if (code === 'SQLITE_FULL' || code === 'ENOSPC')
    return `The disk that holds ${folder} is full. Free some space on it (or start Nestlab with another data folder), then try again; your work saved so far is intact.`;
  if (
    code.startsWith('SQLITE_READONLY') ||
    code === 'EROFS' ||
    code === 'EACCES' ||
    code === 'EPERM'
  )
    return readOnly(folder);
  if (code === 'SQLITE_BUSY' || code === 'SQLITE_LOCKED')
    return `Another Nestlab (the app or \`nestlab serve\`) is using ${folder}. Close it, or start this one with another data folder (--data).`;
  if (code.startsWith('SQLITE_IOERR') || code === 'SQLITE_CANTOPEN' || code === 'EIO') {
    if (!folderWritable(folder)) return readOnly(folder);
    return `The disk that holds ${folder} reported an error (${code}). Check the disk (or start Nestlab with another data folder), then try again; your work saved so far is intact.`;
  }
  return undefined;
}

function readOnly(folder: string): string {
  return `Nestlab cannot write to ${folder}: it is read-only. Make it writable, or start Nestlab with a writable data folder (--data, or NESTLAB_DATA).`;
}
