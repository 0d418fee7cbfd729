/**
 * Attempts and their history in SQL. An attempt's states are its steps 0..head: step 0
 * holds the starting lab, each later step the change from the step before as a forward and
 * a backward patch, and every CHECKPOINT_EVERY-th step also a whole snapshot, so loading
 * applies at most that many patches. Undo and redo move `cursor`; a new change after an
 * undo drops the redo branch; steps older than HISTORY_LIMIT are pruned back to a snapshot.
 * Every function that writes expects to run inside the caller's transaction.
 */
import type { Lab } from '../../model';
import type { SessionRole } from '../../rules/student';
import {
  HISTORY_LIMIT,
  NO_EXERCISE,
  type AttemptRecord,
  type ExerciseState,
  type HistoryMark,
} from '../../api/persistence';
import type { ReadHandle, WriteHandle } from './handles';
import { applyPatch, type PatchOp } from './lab-patch';
import { packLab, unpackLab } from './snapshot';

export const CHECKPOINT_EVERY = 50;

export interface AttemptRow {
  id: number;
  lab_id: string;
  cursor: number;
  floor: number;
  head: number;
  version: number;
  started_at: number;
  opened_at: number;
  changed_at: number;
  progress_version: number | null;
  progress_checked_at: number | null;
  exercise: string;
  /** The lab's title at the cursor; null for an attempt not changed since migration 3. */
  title: string | null;
  /** Whose attempt it is (migration 4): a student's, or a trainer's authoring. */
  role: SessionRole;
}

const COLUMNS = `id, lab_id, cursor, floor, head, version, started_at, opened_at, changed_at,
  progress_version, progress_checked_at, exercise, title, role`;

export function markOf(row: Pick<AttemptRow, 'cursor' | 'floor' | 'head'>): HistoryMark {
  return { canUndo: row.cursor > row.floor, canRedo: row.cursor < row.head };
}

export function activeAttemptRows(db: ReadHandle): AttemptRow[] {
  return db.all<AttemptRow>(`SELECT ${COLUMNS} FROM attempts WHERE status = 'active' ORDER BY id`);
}

export function activeAttemptOf(
  db: ReadHandle,
  labId: string,
  role: SessionRole,
): AttemptRow | undefined {
  return db.get<AttemptRow>(
    `SELECT ${COLUMNS} FROM attempts WHERE lab_id = ? AND role = ? AND status = 'active'`,
    labId,
    role,
  );
}

/** The attempt a change is for; an archived one (restarted elsewhere) takes no changes. */
export function writableAttempt(db: ReadHandle, id: number): AttemptRow {
  const row = db.get<AttemptRow>(
    `SELECT ${COLUMNS} FROM attempts WHERE id = ? AND status = 'active'`,
    id,
  );
  if (!row) throw new Error(`Attempt ${id} is not open any more; open the lab again.`);
  return row;
}

/** The attempt's current title: kept in its row, else read from its lab (older rows). */
export function titleOf(db: ReadHandle, row: AttemptRow): string {
  return row.title ?? labAt(db, row.id, row.cursor).title;
}

export function toAttemptRecord(
  row: AttemptRow,
  progress: AttemptRecord['progress'],
  title: string,
): AttemptRecord {
  return {
    id: row.id,
    labId: row.lab_id,
    startedAt: row.started_at,
    openedAt: row.opened_at,
    changedAt: row.changed_at,
    version: row.version,
    title,
    role: row.role,
    progress,
    exercise: exerciseOf(row.exercise),
  };
}

/** The stored answers and hints; anything unreadable counts as none (it is not a grade). */
function exerciseOf(text: string): ExerciseState {
  try {
    const parsed = JSON.parse(text) as Partial<ExerciseState> | null;
    const answers = parsed?.answers;
    const hints = parsed?.hints;
    return {
      answers:
        typeof answers === 'object' && answers !== null && !Array.isArray(answers)
          ? Object.fromEntries(
              Object.entries(answers).filter(([, v]) => Number.isInteger(v) && v >= 0),
            )
          : {},
      hints: Array.isArray(hints) ? hints.filter((h): h is string => typeof h === 'string') : [],
    };
  } catch {
    return NO_EXERCISE;
  }
}

export function writeExercise(db: WriteHandle, id: number, exercise: ExerciseState): void {
  db.run(`UPDATE attempts SET exercise = ? WHERE id = ?`, JSON.stringify(exercise), id);
}

export function insertAttempt(
  db: WriteHandle,
  labId: string,
  sourceHash: string,
  start: Lab,
  at: number,
  role: SessionRole,
): number {
  db.run(
    `UPDATE attempts SET status = 'archived', archived_at = ?
       WHERE lab_id = ? AND role = ? AND status = 'active'`,
    at,
    labId,
    role,
  );
  const { lastInsertRowid: id } = db.run(
    `INSERT INTO attempts (lab_id, status, source_hash, cursor, floor, head, version, started_at,
       opened_at, changed_at, title, role)
     VALUES (?, 'active', ?, 0, 0, 0, 0, ?, ?, ?, ?, ?)`,
    labId,
    sourceHash,
    at,
    at,
    at,
    start.title,
    role,
  );
  db.run(
    `INSERT INTO attempt_steps (attempt_id, seq, label, actor, forward, backward, snapshot, at)
     VALUES (?, 0, 'start', NULL, '[]', '[]', ?, ?)`,
    id,
    packLab(start),
    at,
  );
  return id;
}

export function touchOpened(db: WriteHandle, id: number, at: number): void {
  db.run(`UPDATE attempts SET opened_at = ? WHERE id = ?`, at, id);
}

/** The lab at step `seq`: the nearest snapshot at or before it, then the patches after it. */
export function labAt(db: ReadHandle, attemptId: number, seq: number): Lab {
  const base = db.get<{ seq: number; snapshot: Buffer }>(
    `SELECT seq, snapshot FROM attempt_steps
     WHERE attempt_id = ? AND seq <= ? AND snapshot IS NOT NULL ORDER BY seq DESC LIMIT 1`,
    attemptId,
    seq,
  );
  if (!base) throw new Error(`Attempt ${attemptId} has no snapshot at or before step ${seq}.`);
  const patches = db.all<{ forward: string }>(
    `SELECT forward FROM attempt_steps WHERE attempt_id = ? AND seq > ? AND seq <= ? ORDER BY seq`,
    attemptId,
    base.seq,
    seq,
  );
  let lab = unpackLab(base.snapshot);
  for (const { forward } of patches) lab = applyPatch(lab, JSON.parse(forward) as PatchOp[]);
  return lab;
}

export interface StepInput {
  readonly label: string;
  readonly actor: string | null;
  readonly forward: readonly PatchOp[];
  readonly backward: readonly PatchOp[];
  readonly after: Lab;
}

/** Appends a step after the cursor; returns the attempt's new history mark. */
export function appendStep(
  db: WriteHandle,
  row: AttemptRow,
  step: StepInput,
  at: number,
): HistoryMark {
  if (row.head > row.cursor)
    db.run(`DELETE FROM attempt_steps WHERE attempt_id = ? AND seq > ?`, row.id, row.cursor);
  const seq = row.cursor + 1;
  db.run(
    `INSERT INTO attempt_steps (attempt_id, seq, label, actor, forward, backward, snapshot, at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
    row.id,
    seq,
    step.label,
    step.actor,
    JSON.stringify(step.forward),
    JSON.stringify(step.backward),
    seq % CHECKPOINT_EVERY === 0 ? packLab(step.after) : null,
    at,
  );
  const floor = prunedFloor(db, row, seq);
  db.run(
    `UPDATE attempts SET cursor = ?, head = ?, floor = ?, version = version + 1, changed_at = ?,
       title = ?
     WHERE id = ?`,
    seq,
    seq,
    floor,
    at,
    step.after.title,
    row.id,
  );
  return markOf({ cursor: seq, floor, head: seq });
}

/** Moves the oldest reachable step up to a snapshot once history outgrows HISTORY_LIMIT. */
function prunedFloor(db: WriteHandle, row: AttemptRow, seq: number): number {
  if (seq - row.floor <= HISTORY_LIMIT + CHECKPOINT_EVERY) return row.floor;
  const snapshot = db.get<{ seq: number }>(
    `SELECT max(seq) AS seq FROM attempt_steps
     WHERE attempt_id = ? AND snapshot IS NOT NULL AND seq <= ?`,
    row.id,
    seq - HISTORY_LIMIT,
  );
  const floor = snapshot?.seq ?? row.floor;
  if (floor > row.floor)
    db.run(`DELETE FROM attempt_steps WHERE attempt_id = ? AND seq < ?`, row.id, floor);
  return Math.max(floor, row.floor);
}

/** The patch that moves the cursor one step back (undo) or forward (redo). */
export function travelPatch(db: ReadHandle, row: AttemptRow, step: -1 | 1): PatchOp[] | undefined {
  if (step === -1 ? row.cursor <= row.floor : row.cursor >= row.head) return undefined;
  const seq = step === -1 ? row.cursor : row.cursor + 1;
  const found = db.get<{ patch: string }>(
    `SELECT ${step === -1 ? 'backward' : 'forward'} AS patch FROM attempt_steps
     WHERE attempt_id = ? AND seq = ?`,
    row.id,
    seq,
  );
  if (!found) throw new Error(`Attempt ${row.id} is missing step ${seq}.`);
  return JSON.parse(found.patch) as PatchOp[];
}

/** Moves the cursor one step; `title` is the title of the lab it moved to. */
export function moveCursor(
  db: WriteHandle,
  row: AttemptRow,
  step: -1 | 1,
  title: string,
  at: number,
): HistoryMark {
  const cursor = row.cursor + step;
  db.run(
    `UPDATE attempts SET cursor = ?, version = version + 1, changed_at = ?, title = ? WHERE id = ?`,
    cursor,
    at,
    title,
    row.id,
  );
  return markOf({ ...row, cursor });
}
