/**
 * Brings a database to the latest schema: each pending migration runs in its own
 * transaction together with its `user_version` bump, so a crash leaves the schema at a
 * numbered version, never between two. A database from a newer Nestlab is refused, not
 * touched.
 */
import type { WriteHandle } from './handles';
import { LATEST_VERSION, MIGRATIONS, type Migration } from './migrations';

export type MigrateOutcome =
  | { readonly ok: true; readonly from: number; readonly to: number }
  | { readonly ok: false; readonly message: string };

export function userVersion(db: WriteHandle): number {
  const [row] = db.pragma<{ user_version: number }>('user_version');
  return row?.user_version ?? 0;
}

export function migrate(
  db: WriteHandle,
  migrations: readonly Migration[] = MIGRATIONS,
): MigrateOutcome {
  const from = userVersion(db);
  const latest = migrations.at(-1)?.version ?? LATEST_VERSION;
  if (from > latest) {
    return {
      ok: false,
      message: `This data was written by a newer Nestlab (schema ${from}; this one knows up to ${latest}). Update Nestlab, or use another data folder.`,
    };
  }
  for (const migration of migrations) {
    if (migration.version <= from) continue;
    db.transaction(() => {
      migration.up(db);
      db.setUserVersion(migration.version);
    });
  }
  return { ok: true, from, to: Math.max(from, latest) };
}
