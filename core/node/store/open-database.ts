/**
 * Opens the store's one database file in a data folder, ready for use: WAL journal,
 * `synchronous=FULL` (a committed transaction survives a power cut), foreign keys on, a
 * busy timeout, an exclusive lock (two Nestlabs never share one folder), a `quick_check`,
 * then the migrations. WAL checkpoints are left to the store, so no edit's commit pays one. A file that is damaged or not a database is moved aside with a
 * timestamp (its WAL with it) and a fresh one is made, with a notice saying where the old
 * one is; nothing is ever deleted. Other failures are values with a sentence saying what to do.
 */
import { existsSync, mkdirSync, renameSync } from 'node:fs';
import { dirname, join } from 'node:path';
import Database from 'better-sqlite3';
import { handlesOf } from './handles';
import { migrate } from './migrate';
import { LATEST_VERSION } from './migrations';
import { storageWords } from './storage-errors';

export const DATABASE_FILE = 'nestlab.db';
export const BUSY_TIMEOUT_MS = 3000;

export type OpenedDatabase =
  | {
      readonly ok: true;
      readonly connection: Database.Database;
      readonly file: string;
      readonly notices: readonly string[];
    }
  | { readonly ok: false; readonly message: string };

type Attempt =
  | { readonly ok: true; readonly connection: Database.Database }
  | { readonly ok: false; readonly damaged: boolean; readonly detail: string };

const DAMAGED_CODES = /^SQLITE_(NOTADB|CORRUPT|CANTOPEN)/;

export function openDatabase(folder: string, now: () => number = Date.now): OpenedDatabase {
  try {
    mkdirSync(folder, { recursive: true });
  } catch (error) {
    return {
      ok: false,
      message: `Cannot create the data folder ${folder}: ${reason(error)}. Choose a folder you can write to (--data DIR or NESTLAB_DATA).`,
    };
  }
  const file = join(folder, DATABASE_FILE);
  const first = tryOpen(file);
  if (first.ok) return { ok: true, connection: first.connection, file, notices: [] };
  if (!first.damaged) return { ok: false, message: `Cannot open ${file}: ${first.detail}` };

  let keptAs: string;
  try {
    keptAs = moveAside(file, now());
  } catch (error) {
    return {
      ok: false,
      message: `${file} is damaged (${first.detail}) and could not be moved aside: ${reason(error)}. Move it away by hand, or use another data folder.`,
    };
  }
  const notice = `Your saved work could not be read from ${file} (${first.detail}). The file was kept as ${keptAs} and Nestlab started a new one; nothing was deleted.`;
  const fresh = tryOpen(file);
  if (!fresh.ok)
    return { ok: false, message: `${notice} The new file failed too: ${fresh.detail}` };
  return { ok: true, connection: fresh.connection, file, notices: [notice] };
}

function tryOpen(file: string): Attempt {
  let connection: Database.Database | undefined;
  try {
    connection = new Database(file, { timeout: BUSY_TIMEOUT_MS });
    connection.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
    connection.pragma('locking_mode = EXCLUSIVE');
    const check = connection.pragma('quick_check') as { quick_check: string }[];
    const verdict = check.map((row) => row.quick_check).join('; ');
    if (verdict !== 'ok') {
      connection.close();
      return { ok: false, damaged: true, detail: `quick_check: ${verdict.slice(0, 300)}` };
    }
    const newer = newerSchema(connection);
    if (newer) {
      connection.close();
      return { ok: false, damaged: false, detail: newer };
    }
    connection.pragma('journal_mode = WAL');
    connection.pragma('synchronous = FULL');
    // Checkpoints run off the edit path (SqliteStore.checkpoint), never inside a commit.
    connection.pragma('wal_autocheckpoint = 0');
    connection.pragma('journal_size_limit = 8388608');
    connection.pragma('foreign_keys = ON');
    const migrated = migrate(handlesOf(connection).write);
    if (!migrated.ok) {
      connection.close();
      return { ok: false, damaged: false, detail: migrated.message };
    }
    return { ok: true, connection };
  } catch (error) {
    connection?.close();
    const code = (error as { code?: unknown }).code;
    if (code === 'SQLITE_BUSY' || code === 'SQLITE_LOCKED') {
      return {
        ok: false,
        damaged: false,
        detail:
          'another Nestlab (the app or `nestlab serve`) is using this data folder. Close it, or pass --data with another folder.',
      };
    }
    // A full disk, a read-only folder, a failing disk: said in words, and the file is not
    // taken for damaged (it is not moved aside).
    const words = storageWords(error, dirname(file));
    if (words) return { ok: false, damaged: false, detail: words };
    if (code === 'ERR_DLOPEN_FAILED' || /NODE_MODULE_VERSION/.test(reason(error))) {
      return {
        ok: false,
        damaged: false,
        detail: `better-sqlite3 is built for another runtime (${reason(error).split('\n')[0]}). Run \`node scripts/native-runtime.mjs node\` in the Nestlab folder to rebuild it for this Node.`,
      };
    }
    const damaged = typeof code === 'string' && DAMAGED_CODES.test(code) && existsSync(file);
    return { ok: false, damaged, detail: reason(error) };
  }
}

/** Refuses, before anything is written, a file from a newer Nestlab. */
function newerSchema(connection: Database.Database): string | undefined {
  const found = connection.pragma('user_version', { simple: true }) as number;
  if (found <= LATEST_VERSION) return undefined;
  return `this data was written by a newer Nestlab (schema ${found}; this one knows up to ${LATEST_VERSION}). Update Nestlab, or use another data folder.`;
}

/** Renames the database and its WAL/SHM files with a timestamp; returns the new name. */
function moveAside(file: string, at: number): string {
  const stamp = new Date(at).toISOString().replace(/[:.]/g, '-');
  const kept = `${file}.damaged-${stamp}`;
  renameSync(file, kept);
  for (const suffix of ['-wal', '-shm']) {
    if (existsSync(file + suffix)) renameSync(file + suffix, kept + suffix);
  }
  return kept;
}

function reason(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
