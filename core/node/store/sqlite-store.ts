/**
 * The persistence port on SQLite (better-sqlite3): one database file in the data folder.
 * Every method that changes something runs in one IMMEDIATE transaction with
 * `synchronous=FULL`, so when it returns the change is on disk and survives a crash or a
 * power cut; when it throws, nothing changed. Reads go through the read handle, writes
 * through the write handle (see handles.ts). The WAL is checkpointed on open, every few
 * seconds after writes, as soon as it passes WAL_CHECKPOINT_BYTES and on close, never inside a
 * commit, so an edit rarely waits for one and acknowledged edits do not live in the WAL for
 * long. A write the disk refuses (full, read-only, failing) throws a sentence that says what
 * to do (storage-errors.ts); reads keep answering.
 */
import { statSync } from 'node:fs';
import { dirname } from 'node:path';
import type Database from 'better-sqlite3';
import type { Lab } from '../../model';
import type { SessionRole } from '../../rules/student';
import type {
  AttemptProgress,
  ExerciseState,
  AttemptRecord,
  HistoryMark,
  LabChange,
  LibraryRecord,
  OpenedAttempt,
  Persistence,
  RecentFile,
  SettingValue,
  Travelled,
} from '../../api/persistence';
import { handlesOf, type ReadHandle, type WriteHandle } from './handles';
import { applyPatch, diff } from './lab-patch';
import * as library from './library-queries';
import * as attempts from './attempt-queries';
import * as session from './session-queries';
import { storageWords } from './storage-errors';

/** How often written changes are checkpointed from the WAL into the database file. */
export const CHECKPOINT_INTERVAL_MS = 5_000;
/** A WAL past this size is checkpointed right after the commit that grew it. */
export const WAL_CHECKPOINT_BYTES = 4 * 1024 * 1024;

export class SqliteStore implements Persistence {
  readonly durable = true;
  readonly #connection: Database.Database;
  readonly #read: ReadHandle;
  readonly #write: WriteHandle;
  readonly #timer: NodeJS.Timeout;
  #written = false;

  constructor(
    connection: Database.Database,
    readonly file: string,
    readonly notices: readonly string[] = [],
  ) {
    this.#connection = connection;
    const { read, write } = handlesOf(connection);
    this.#read = read;
    this.#write = write;
    this.#timer = setInterval(() => this.checkpoint(), CHECKPOINT_INTERVAL_MS);
    this.#timer.unref();
    // What an earlier run left in the WAL (it ended without closing) goes into the file now.
    this.#written = true;
    this.checkpoint('TRUNCATE');
  }

  /**
   * One transaction on the write handle; remembered for the next checkpoint, or checkpointed
   * at once when the WAL has grown past its bound. A refusal of the disk becomes a sentence.
   */
  #transaction<T>(fn: () => T): T {
    let result: T;
    try {
      result = this.#write.transaction(fn);
    } catch (error) {
      const words = storageWords(error, dirname(this.file));
      throw words ? new Error(words, { cause: error }) : error;
    }
    this.#written = true;
    if (this.#walBytes() > WAL_CHECKPOINT_BYTES) this.checkpoint();
    return result;
  }

  #walBytes(): number {
    try {
      return statSync(`${this.file}-wal`).size;
    } catch {
      return 0;
    }
  }

  /**
   * Moves committed pages from the WAL into the database file, if anything was written (with
   * TRUNCATE, the WAL file is emptied too). A checkpoint the disk refuses is tried again later:
   * the pages stay safe in the WAL meanwhile.
   */
  checkpoint(mode: 'PASSIVE' | 'TRUNCATE' = 'PASSIVE'): void {
    if (!this.#written || !this.#connection.open) return;
    try {
      this.#connection.pragma(`wal_checkpoint(${mode})`);
      this.#written = false;
    } catch {
      // A full disk: the next checkpoint tries again.
    }
  }

  labs(): readonly LibraryRecord[] {
    return library.listLabs(this.#read);
  }

  source(labId: string): { record: LibraryRecord; text: string } | undefined {
    return library.readSource(this.#read, labId);
  }

  sameLabs(text: string, title: string): readonly LibraryRecord[] {
    return library.sameLabs(this.#read, text, title);
  }

  syncBuiltIns(sources: Parameters<Persistence['syncBuiltIns']>[0], at: number): void {
    const changes = library.builtInChanges(this.#read, sources);
    if (changes.upsert.length === 0 && changes.retire.length === 0) return;
    this.#transaction(() => library.writeBuiltIns(this.#write, changes, at));
  }

  importLab(source: Parameters<Persistence['importLab']>[0], at: number): LibraryRecord {
    const id = this.#transaction(() => library.insertImported(this.#write, source, at));
    return this.#record(id);
  }

  replaceLab(
    labId: string,
    source: Parameters<Persistence['replaceLab']>[1],
    at: number,
  ): LibraryRecord {
    this.#transaction(() => library.replaceImported(this.#write, labId, source, at));
    return this.#record(labId);
  }

  #record(labId: string): LibraryRecord {
    const found = library.readSource(this.#read, labId);
    if (!found) throw new Error(`Lab ${labId} vanished after it was written.`);
    return found.record;
  }

  activeAttempts(): readonly AttemptRecord[] {
    const progress = session.activeProgress(this.#read);
    return attempts
      .activeAttemptRows(this.#read)
      .map((row) =>
        attempts.toAttemptRecord(
          row,
          this.#progress(row, progress.get(row.id)),
          attempts.titleOf(this.#read, row),
        ),
      );
  }

  #progress(
    row: attempts.AttemptRow,
    objectives: AttemptProgress['objectives'] | undefined,
  ): AttemptProgress | null {
    if (row.progress_version === null || row.progress_checked_at === null) return null;
    return {
      version: row.progress_version,
      checkedAt: row.progress_checked_at,
      objectives: objectives ?? [],
    };
  }

  openAttempt(
    labId: string,
    start: () => Lab,
    at: number,
    role: SessionRole = 'student',
  ): OpenedAttempt {
    const existing = attempts.activeAttemptOf(this.#read, labId, role);
    if (!existing) return this.restartAttempt(labId, start(), at, role);
    try {
      this.#transaction(() => attempts.touchOpened(this.#write, existing.id, at));
    } catch {
      // Only "last opened" is not kept (a full disk); the attempt opens as it was saved.
    }
    return this.#opened(existing.id);
  }

  restartAttempt(
    labId: string,
    start: Lab,
    at: number,
    role: SessionRole = 'student',
  ): OpenedAttempt {
    const hash = library.readSource(this.#read, labId)?.record.sourceHash;
    if (hash === undefined) throw new Error(`There is no lab ${labId} to start.`);
    const id = this.#transaction(() =>
      attempts.insertAttempt(this.#write, labId, hash, start, at, role),
    );
    return this.#opened(id);
  }

  #opened(attemptId: number): OpenedAttempt {
    const row = attempts.writableAttempt(this.#read, attemptId);
    const progress = this.#progress(row, session.progressOf(this.#read, row.id));
    const lab = attempts.labAt(this.#read, row.id, row.cursor);
    return {
      attempt: attempts.toAttemptRecord(row, progress, row.title ?? lab.title),
      lab,
      history: attempts.markOf(row),
    };
  }

  recordChange(attemptId: number, change: LabChange, at: number): HistoryMark {
    // Patches are computed before the transaction so the write lock is held only to write.
    const step = {
      label: change.label,
      actor: change.actor,
      forward: diff(change.before, change.after),
      backward: diff(change.after, change.before),
      after: change.after,
    };
    return this.#transaction(() => {
      const row = attempts.writableAttempt(this.#write, attemptId);
      return attempts.appendStep(this.#write, row, step, at);
    });
  }

  undo(attemptId: number, current: Lab, at: number): Travelled | undefined {
    return this.#travel(attemptId, current, -1, at);
  }

  redo(attemptId: number, current: Lab, at: number): Travelled | undefined {
    return this.#travel(attemptId, current, 1, at);
  }

  #travel(attemptId: number, current: Lab, step: -1 | 1, at: number): Travelled | undefined {
    return this.#transaction(() => {
      const row = attempts.writableAttempt(this.#write, attemptId);
      const patch = attempts.travelPatch(this.#write, row, step);
      if (!patch) return undefined;
      const lab = applyPatch(current, patch);
      const history = attempts.moveCursor(this.#write, row, step, lab.title, at);
      return { lab, history };
    });
  }

  attemptLab(attemptId: number): Lab | undefined {
    const row = this.#read.get<{ cursor: number }>(
      `SELECT cursor FROM attempts WHERE id = ?`,
      attemptId,
    );
    return row ? attempts.labAt(this.#read, attemptId, row.cursor) : undefined;
  }

  saveProgress(
    attemptId: number,
    version: number,
    objectives: Parameters<Persistence['saveProgress']>[2],
    at: number,
  ): AttemptProgress {
    return this.#transaction(() =>
      session.writeProgress(this.#write, attemptId, version, objectives, at),
    );
  }

  saveExercise(attemptId: number, exercise: ExerciseState): void {
    this.#transaction(() => {
      attempts.writableAttempt(this.#write, attemptId);
      attempts.writeExercise(this.#write, attemptId, exercise);
    });
  }

  recentFiles(): readonly RecentFile[] {
    return session.recentFiles(this.#read);
  }

  addRecentFile(file: string, labId: string, at: number): void {
    this.#transaction(() => session.addRecentFile(this.#write, file, labId, at));
  }

  setting(key: string): SettingValue | undefined {
    return session.readSetting(this.#read, key);
  }

  settings(prefix: string): Readonly<Record<string, SettingValue>> {
    return session.readSettings(this.#read, prefix);
  }

  setSetting(key: string, value: SettingValue): void {
    this.#transaction(() => session.writeSetting(this.#write, key, value));
  }

  /** SQLite's full check; "ok" when the file is sound. */
  integrityCheck(): string {
    return this.#read
      .pragma<{ integrity_check: string }>('integrity_check')
      .map((row) => row.integrity_check)
      .join('; ');
  }

  /** Checkpoints the WAL into the file and closes the database. */
  close(): void {
    clearInterval(this.#timer);
    this.checkpoint('TRUNCATE');
    if (this.#connection.open) this.#connection.close();
  }
}
