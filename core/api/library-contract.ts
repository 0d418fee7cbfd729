/**
 * The contract's persistence entries (issue 6), kept beside `contract.ts` so that file only
 * lists them: the library with each lab's progress, importing a lab file (with the
 * replace-or-keep-both question as a value), restarting and exporting an attempt, and the
 * renderer's own settings. Argument schemas are re-validated at runtime like every entry's.
 */
import * as v from 'valibot';
import { finiteNumber, record, strictObject } from '../common/schema';
import type { RuleError, Violation } from '../model';
import type { ExportResult, LabView, OpenResult } from './contract';
import type { SessionRole } from '../rules/student';
import type { LabOrigin, RecentFile, SettingValue } from './persistence';

const id = v.pipe(v.string(), v.minLength(1), v.maxLength(200));

/** Keys the renderer may keep; the `session.` keys are the service's own. */
export const UI_SETTING_KEY = /^ui\.[A-Za-z0-9_.-]{1,100}$/;
export const MAX_SETTING_BYTES = 64 * 1024;

export type DuplicateChoice = 'ask' | 'replace' | 'keep-both';

type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

/** Any JSON value (a setting as the renderer keeps it): no infinity, no list where a mapping is. */
const jsonValue: v.GenericSchema<JsonValue> = v.lazy(() =>
  v.union([
    v.string(),
    finiteNumber(),
    v.boolean(),
    v.null(),
    v.array(jsonValue),
    record(jsonValue),
  ]),
);

export const libraryQuerySchemas = {
  'library.list': strictObject({}),
  /** A lab file from disk: the file picker, drag and drop, or a path the host was given. */
  'lab.import': strictObject({
    text: v.pipe(v.string(), v.maxLength(6 * 1024 * 1024)),
    fileName: v.pipe(v.string(), v.minLength(1), v.maxLength(500)),
    path: v.optional(v.pipe(v.string(), v.maxLength(4096))),
    onDuplicate: v.optional(v.picklist(['ask', 'replace', 'keep-both'])),
    as: v.optional(v.picklist(['student', 'trainer'])),
  }),
  'attempt.restart': strictObject({ id, as: v.optional(v.picklist(['student', 'trainer'])) }),
  'attempt.export': strictObject({}),
  'settings.get': strictObject({}),
  'settings.set': strictObject({
    key: v.pipe(v.string(), v.regex(UI_SETTING_KEY, 'a key like ui.screen')),
    value: jsonValue,
  }),
} as const;

export interface LabProgress {
  readonly passed: number;
  readonly total: number;
  readonly checkedAt: number;
}

/** One card of the home screen. */
export interface LibraryCard {
  readonly id: string;
  readonly origin: LabOrigin;
  /** The current attempt's title (renamed or not); the file's before a start. */
  readonly title: string;
  readonly description: string;
  readonly fileName: string;
  readonly objectiveCount: number;
  /** Objectives passed by the current attempt, recomputed by the core; null before a start. */
  readonly progress: LabProgress | null;
  /**
   * Before a start: the objectives the lab's file passes as it is, which a new attempt starts
   * with (E2 starts at 2 of 3); null once started, or for a file too large to grade in a listing.
   */
  readonly atStart: LabProgress | null;
  readonly startedAt: number | null;
  readonly lastOpenedAt: number | null;
  readonly addedAt: number;
}

export interface LibraryListing {
  readonly labs: readonly LibraryCard[];
  readonly recentFiles: readonly RecentFile[];
  /** The lab whose attempt is open, if any. */
  readonly openLabId: string | null;
  /** Whose attempt of it is open: a student's, or a trainer's authoring ("Edit as trainer"). */
  readonly openRole: SessionRole | null;
  /** Messages to show once, e.g. a damaged data file that was moved aside. */
  readonly notices: readonly string[];
  /** False when work is kept in memory only (no data folder could be opened). */
  readonly durable: boolean;
}

export type ImportResult =
  | { readonly ok: true; readonly labId: string; readonly view: LabView }
  | {
      readonly ok: false;
      readonly problem: 'invalid';
      readonly message: string;
      readonly violations: readonly Violation[];
    }
  | {
      readonly ok: false;
      readonly problem: 'duplicate';
      readonly message: string;
      /** The lab already in the library that this file matches. */
      readonly existing: { readonly id: string; readonly title: string; readonly fileName: string };
      /** Only an imported lab can be replaced; a built-in one can only be kept beside. */
      readonly canReplace: boolean;
    };

export type SaveStatus =
  | { readonly ok: true; readonly durable: boolean; readonly at: number }
  | { readonly ok: false; readonly message: string };

export interface LibraryQueryResults {
  'library.list': LibraryListing;
  'lab.import': ImportResult;
  'attempt.restart': OpenResult;
  'attempt.export': ExportResult;
  'settings.get': Readonly<Record<string, SettingValue>>;
  'settings.set': { readonly ok: true } | RuleError;
}

export interface LibraryEvents {
  /** A lab's attempt was opened (Continue, Import, Restart, a file given to the app). */
  'attempt.opened': { readonly labId: string; readonly title: string };
  /** Sent after every change was written (or could not be). */
  'attempt.saved': SaveStatus;
}
