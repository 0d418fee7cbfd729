/**
 * The store's front door: `openStore(folder)` opens (or creates, or recovers) the database
 * in a data folder and returns the `SqliteStore`, or a sentence saying why it could not.
 */
import { openDatabase } from './open-database';
import { SqliteStore } from './sqlite-store';

export { SqliteStore } from './sqlite-store';
export { DATABASE_FILE } from './open-database';
export { resolveDataDir, defaultDataDir } from './data-dir';

export type OpenedStore =
  | { readonly ok: true; readonly store: SqliteStore }
  | { readonly ok: false; readonly message: string };

export function openStore(folder: string, now: () => number = Date.now): OpenedStore {
  const opened = openDatabase(folder, now);
  if (!opened.ok) return opened;
  return { ok: true, store: new SqliteStore(opened.connection, opened.file, opened.notices) };
}
