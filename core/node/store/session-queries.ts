/**
 * The smaller tables: objective progress per attempt (as last recomputed by the core, with
 * when each objective started passing), recent files (the last RECENT_LIMIT kept) and
 * settings (JSON values by key).
 */
import type {
  AttemptProgress,
  ObjectiveState,
  RecentFile,
  SettingValue,
} from '../../api/persistence';
import type { ReadHandle, WriteHandle } from './handles';

export const RECENT_LIMIT = 20;

interface ProgressRow {
  attempt_id: number;
  objective_id: string;
  passed: number;
  passed_at: number | null;
}

/** Progress of every active attempt, by attempt id. */
export function activeProgress(db: ReadHandle): Map<number, ObjectiveState[]> {
  const rows = db.all<ProgressRow>(
    `SELECT p.attempt_id, p.objective_id, p.passed, p.passed_at
     FROM objective_progress p JOIN attempts a ON a.id = p.attempt_id
     WHERE a.status = 'active' ORDER BY p.attempt_id, p.ordinal`,
  );
  return groupProgress(rows);
}

export function progressOf(db: ReadHandle, attemptId: number): ObjectiveState[] {
  const rows = db.all<ProgressRow>(
    `SELECT attempt_id, objective_id, passed, passed_at FROM objective_progress
     WHERE attempt_id = ? ORDER BY ordinal`,
    attemptId,
  );
  return groupProgress(rows).get(attemptId) ?? [];
}

function groupProgress(rows: readonly ProgressRow[]): Map<number, ObjectiveState[]> {
  const byAttempt = new Map<number, ObjectiveState[]>();
  for (const row of rows) {
    const list = byAttempt.get(row.attempt_id) ?? [];
    list.push({ id: row.objective_id, passed: row.passed === 1, passedAt: row.passed_at });
    byAttempt.set(row.attempt_id, list);
  }
  return byAttempt;
}

export function writeProgress(
  db: WriteHandle,
  attemptId: number,
  version: number,
  objectives: readonly { readonly id: string; readonly passed: boolean }[],
  at: number,
): AttemptProgress {
  const attempt = db.get<{ changed_at: number }>(
    `SELECT changed_at FROM attempts WHERE id = ?`,
    attemptId,
  );
  if (!attempt) throw new Error(`There is no attempt ${attemptId}.`);
  const before = new Map(progressOf(db, attemptId).map((o) => [o.id, o]));
  db.run(`DELETE FROM objective_progress WHERE attempt_id = ?`, attemptId);
  const states = objectives.map((o) => ({
    id: o.id,
    passed: o.passed,
    passedAt: o.passed ? (before.get(o.id)?.passedAt ?? attempt.changed_at) : null,
  }));
  states.forEach((s, ordinal) =>
    db.run(
      `INSERT INTO objective_progress (attempt_id, objective_id, ordinal, passed, passed_at)
       VALUES (?, ?, ?, ?, ?)`,
      attemptId,
      s.id,
      ordinal,
      s.passed ? 1 : 0,
      s.passedAt,
    ),
  );
  db.run(
    `UPDATE attempts SET progress_version = ?, progress_checked_at = ? WHERE id = ?`,
    version,
    at,
    attemptId,
  );
  return { version, checkedAt: at, objectives: states };
}

export function recentFiles(db: ReadHandle): RecentFile[] {
  return db
    .all<{ file: string; lab_id: string; opened_at: number }>(
      `SELECT r.file, r.lab_id, r.opened_at FROM recent_files r
       ORDER BY r.opened_at DESC, r.rowid DESC LIMIT ${RECENT_LIMIT}`,
    )
    .map((row) => ({ file: row.file, labId: row.lab_id, openedAt: row.opened_at }));
}

export function addRecentFile(db: WriteHandle, file: string, labId: string, at: number): void {
  db.run(
    `INSERT INTO recent_files (file, lab_id, opened_at) VALUES (?, ?, ?)
     ON CONFLICT (file) DO UPDATE SET lab_id = excluded.lab_id, opened_at = excluded.opened_at`,
    file,
    labId,
    at,
  );
  db.run(
    `DELETE FROM recent_files WHERE file NOT IN (
       SELECT file FROM recent_files ORDER BY opened_at DESC, rowid DESC LIMIT ${RECENT_LIMIT})`,
  );
}

export function readSetting(db: ReadHandle, key: string): SettingValue | undefined {
  const row = db.get<{ value: string }>(`SELECT value FROM settings WHERE key = ?`, key);
  return row ? (JSON.parse(row.value) as SettingValue) : undefined;
}

export function readSettings(db: ReadHandle, prefix: string): Record<string, SettingValue> {
  const rows = db.all<{ key: string; value: string }>(
    `SELECT key, value FROM settings WHERE substr(key, 1, length(?)) = ? ORDER BY key`,
    prefix,
    prefix,
  );
  return Object.fromEntries(rows.map((row) => [row.key, JSON.parse(row.value) as SettingValue]));
}

export function writeSetting(db: WriteHandle, key: string, value: SettingValue): void {
  db.run(
    `INSERT INTO settings (key, value) VALUES (?, ?)
     ON CONFLICT (key) DO UPDATE SET value = excluded.value`,
    key,
    JSON.stringify(value),
  );
}
