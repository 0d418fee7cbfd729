/**
 * The port through which the service keeps a student's work: the lab library, attempts with
 * their edit history, objective progress, recent files and settings. It is pure types; the
 * SQLite store (core/node/store) implements it on disk and `memoryPersistence` in memory.
 *
 * Guarantees every implementation gives: each method is synchronous; a method that changes
 * something has made the change durable (one transaction) when it returns, and throws when
 * it could not, having changed nothing. The service acknowledges an edit only after its
 * `recordChange` returned.
 */
import type { Lab } from '../model';
import type { SessionRole } from '../rules/student';

export type LabOrigin = 'built-in' | 'imported';

/** How many changes back undo reaches, in memory and on disk alike. */
export const HISTORY_LIMIT = 500;

/** One lab of the library, without its source text. */
export interface LibraryRecord {
  readonly id: string;
  readonly origin: LabOrigin;
  readonly title: string;
  readonly description: string;
  readonly fileName: string;
  /** Where the file was imported from, when the host knows (Electron, the CLI). */
  readonly sourcePath: string | null;
  /** A hash of the source text (SHA-256 hex on disk): the same file twice hashes the same. */
  readonly sourceHash: string;
  readonly objectiveCount: number;
  readonly addedAt: number;
  readonly updatedAt: number;
}

export interface LabSourceRecord {
  readonly record: LibraryRecord;
  readonly text: string;
}

/** What a lab is added or replaced with; the implementation hashes `text`. */
export interface NewLabSource {
  readonly text: string;
  readonly fileName: string;
  readonly sourcePath: string | null;
  readonly title: string;
  readonly description: string;
  readonly objectiveCount: number;
}

/** One objective's state as last recomputed by `runLab` (never read from a file). */
export interface ObjectiveState {
  readonly id: string;
  readonly passed: boolean;
  /** When the change that made it pass was made; null while it fails. */
  readonly passedAt: number | null;
}

export interface AttemptProgress {
  /** The attempt `version` this was computed for; older than the attempt's means stale. */
  readonly version: number;
  readonly checkedAt: number;
  readonly objectives: readonly ObjectiveState[];
}

/**
 * What a student did beside the lab itself, kept with the attempt (never in its undo
 * history): each checkpoint's chosen answer (choice index by checkpoint id) and the
 * objectives whose hint they revealed, in the order revealed.
 */
export interface ExerciseState {
  readonly answers: Readonly<Record<string, number>>;
  readonly hints: readonly string[];
}

export const NO_EXERCISE: ExerciseState = { answers: {}, hints: [] };

export interface AttemptRecord {
  readonly id: number;
  readonly labId: string;
  readonly startedAt: number;
  readonly openedAt: number;
  readonly changedAt: number;
  /** Grows by one with every change of the attempt's state (edits, undo, redo). */
  readonly version: number;
  /**
   * The title of the attempt's lab as it is now: a rename in the open lab (`lab.setTitle`)
   * is the attempt's, so the library card shows it rather than the file's.
   */
  readonly title: string;
  /**
   * Whose attempt: a student's (the home card's), or a trainer's authoring ("Edit as
   * trainer"), kept apart so neither's work lands in the other's.
   */
  readonly role: SessionRole;
  readonly progress: AttemptProgress | null;
  readonly exercise: ExerciseState;
}

export interface HistoryMark {
  readonly canUndo: boolean;
  readonly canRedo: boolean;
}

export interface OpenedAttempt {
  readonly attempt: AttemptRecord;
  readonly lab: Lab;
  readonly history: HistoryMark;
}

/** An accepted change of an attempt's lab: an edit command or a traffic step's edits. */
export interface LabChange {
  readonly before: Lab;
  readonly after: Lab;
  /** The contract entry that made it (`adapter.setPromiscuous`, `traffic.run`). */
  readonly label: string;
  readonly actor: string | null;
}

export interface Travelled {
  readonly lab: Lab;
  readonly history: HistoryMark;
}

export interface RecentFile {
  /** The file's path when known, else its name. */
  readonly file: string;
  readonly labId: string;
  readonly openedAt: number;
}

/** A settings value: JSON, as the renderer stores it. */
export type SettingValue =
  | string
  | number
  | boolean
  | null
  | readonly SettingValue[]
  | { readonly [key: string]: SettingValue };

export interface Persistence {
  /** False for the in-memory implementation: nothing survives a restart. */
  readonly durable: boolean;
  /** Things the user must be told once, e.g. a damaged data file that was moved aside. */
  readonly notices: readonly string[];

  /** Every lab, built-in and imported, that is listed (retired built-ins with an attempt too). */
  labs(): readonly LibraryRecord[];
  source(labId: string): LabSourceRecord | undefined;
  /** Imported or built-in labs that hash the same as `text` or have the same title. */
  sameLabs(text: string, title: string): readonly LibraryRecord[];
  /** Adds or updates the built-in labs of the labs folder; ones gone from it are retired. */
  syncBuiltIns(labs: readonly (NewLabSource & { readonly id: string })[], at: number): void;
  importLab(source: NewLabSource, at: number): LibraryRecord;
  /** Replaces an imported lab's source; its active attempt is archived, not deleted. */
  replaceLab(labId: string, source: NewLabSource, at: number): LibraryRecord;

  /** The active attempts of every lab that has one: at most one per lab and role. */
  activeAttempts(): readonly AttemptRecord[];
  /** Continues the lab's active attempt of `role` (a student's by default), or starts one from `start()`. */
  openAttempt(labId: string, start: () => Lab, at: number, role?: SessionRole): OpenedAttempt;
  /** Archives the active attempt of `role` (kept, with its history) and starts a new one. */
  restartAttempt(labId: string, start: Lab, at: number, role?: SessionRole): OpenedAttempt;
  /** Appends one accepted change (dropping the redo branch); durable when it returns. */
  recordChange(attemptId: number, change: LabChange, at: number): HistoryMark;
  undo(attemptId: number, current: Lab, at: number): Travelled | undefined;
  redo(attemptId: number, current: Lab, at: number): Travelled | undefined;
  /** The current lab of an attempt that is not open (to recompute its progress). */
  attemptLab(attemptId: number): Lab | undefined;
  saveProgress(
    attemptId: number,
    version: number,
    objectives: readonly { readonly id: string; readonly passed: boolean }[],
    at: number,
  ): AttemptProgress;

  /** Replaces the attempt's answers and hints used; durable when it returns. */
  saveExercise(attemptId: number, exercise: ExerciseState, at: number): void;

  recentFiles(): readonly RecentFile[];
  addRecentFile(file: string, labId: string, at: number): void;
  setting(key: string): SettingValue | undefined;
  settings(prefix: string): Readonly<Record<string, SettingValue>>;
  setSetting(key: string, value: SettingValue): void;
}
