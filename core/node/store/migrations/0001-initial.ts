/**
 * Migration 1: the library, attempts with their history, objective progress, recent files
 * and settings. Times are milliseconds since the epoch; labs are JSON; every table STRICT.
 */
import type { WriteHandle } from '../handles';

export const version = 1;
export const name = 'initial';

export function up(db: WriteHandle): void {
  db.exec(`
    CREATE TABLE labs (
      id TEXT PRIMARY KEY,
      origin TEXT NOT NULL CHECK (origin IN ('built-in', 'imported')),
      title TEXT NOT NULL,
      description TEXT NOT NULL,
      file_name TEXT NOT NULL,
      source_path TEXT,
      source_text TEXT NOT NULL,
      source_hash TEXT NOT NULL,
      objective_count INTEGER NOT NULL,
      added_at INTEGER NOT NULL,
      updated_at INTEGER NOT NULL,
      retired_at INTEGER
    ) STRICT;
    CREATE INDEX labs_by_hash ON labs (source_hash);

    -- One active attempt per lab; a restarted or replaced one is archived, never deleted.
    -- Its states are steps 0..head; cursor is the current one, floor the oldest undo reaches.
    CREATE TABLE attempts (
      id INTEGER PRIMARY KEY,
      lab_id TEXT NOT NULL REFERENCES labs (id),
      status TEXT NOT NULL CHECK (status IN ('active', 'archived')),
      source_hash TEXT NOT NULL,
      cursor INTEGER NOT NULL,
      floor INTEGER NOT NULL,
      head INTEGER NOT NULL,
      version INTEGER NOT NULL,
      started_at INTEGER NOT NULL,
      opened_at INTEGER NOT NULL,
      changed_at INTEGER NOT NULL,
      archived_at INTEGER,
      progress_version INTEGER,
      progress_checked_at INTEGER,
      CHECK (floor <= cursor AND cursor <= head)
    ) STRICT;
    CREATE UNIQUE INDEX attempts_one_active ON attempts (lab_id) WHERE status = 'active';

    -- Step 0 holds the starting lab; each later step the change from the one before, as
    -- forward and backward patches (JSON), with a whole-lab snapshot (deflated JSON) every
    -- few steps.
    CREATE TABLE attempt_steps (
      attempt_id INTEGER NOT NULL REFERENCES attempts (id),
      seq INTEGER NOT NULL,
      label TEXT NOT NULL,
      actor TEXT,
      forward TEXT NOT NULL,
      backward TEXT NOT NULL,
      snapshot BLOB,
      at INTEGER NOT NULL,
      PRIMARY KEY (attempt_id, seq)
    ) STRICT, WITHOUT ROWID;

    CREATE TABLE objective_progress (
      attempt_id INTEGER NOT NULL REFERENCES attempts (id),
      objective_id TEXT NOT NULL,
      ordinal INTEGER NOT NULL,
      passed INTEGER NOT NULL CHECK (passed IN (0, 1)),
      passed_at INTEGER,
      PRIMARY KEY (attempt_id, objective_id)
    ) STRICT, WITHOUT ROWID;

    CREATE TABLE recent_files (
      file TEXT PRIMARY KEY,
      lab_id TEXT NOT NULL REFERENCES labs (id),
      opened_at INTEGER NOT NULL
    ) STRICT;

    CREATE TABLE settings (
      key TEXT PRIMARY KEY,
      value TEXT NOT NULL
    ) STRICT;
  `);
}
