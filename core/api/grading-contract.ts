/**
 * The contract's grading entry (issue 13, "Grade a class in the app"), kept beside
 * `contract.ts` so that file only lists it: one student's attempt file graded against a lab of
 * the library exactly as `nestlab grade` grades it, with its line of `nestlab grade --csv`.
 * The renderer calls it once per file, so it can show progress and stay responsive; the
 * arguments are re-validated at runtime like every entry's, the text bounded by the lab file
 * limit.
 */
import * as v from 'valibot';
import { strictObject, wholeNumber } from '../common/schema';
import type { RuleError } from '../model';
import type { GradeRow, KeyWarning } from '../lab/grade-report';
import { MAX_LAB_BYTES } from '../lab/yaml-source';

const id = v.pipe(v.string(), v.minLength(1), v.maxLength(200));

export const gradingQuerySchemas = {
  /**
   * Grades one attempt file (its text as read, named `fileName` in the results and the CSV)
   * against the library's lab `lab`: the trainer's script, objectives and checkpoints over the
   * attempt's topology, as `nestlab grade LAB ATTEMPT --csv` does. The open lab in trainer mode
   * is graded as the trainer has it now (what "Preview as student" gives a student). A file over
   * the lab file limit is sent with its `size` and no text: it is graded as unreadable, as
   * `nestlab grade` grades it.
   */
  'grade.attempt': strictObject({
    lab: id,
    fileName: v.pipe(v.string(), v.minLength(1), v.maxLength(1000)),
    text: v.pipe(v.string(), v.maxLength(MAX_LAB_BYTES)),
    size: v.optional(v.pipe(wholeNumber(), v.minValue(0))),
  }),
} as const;

/** The lab a class is graded against, as the grades table heads its columns. */
export interface GradingLab {
  readonly id: string;
  readonly title: string;
  readonly fileName: string;
  readonly objectives: readonly { readonly id: string; readonly text?: string }[];
  readonly checkpoints: readonly { readonly id: string; readonly question: string }[];
  /** Checkpoints the answer key cannot judge fairly (`nestlab grade` warns of them on stderr). */
  readonly warnings: readonly KeyWarning[];
  /** The first line of `nestlab grade --csv` for this lab, line break included. */
  readonly csvHeader: string;
}

export type GradedAttempt =
  | {
      readonly ok: true;
      readonly lab: GradingLab;
      /** The file's grade; an unreadable file is graded invalid, its findings in `violations`. */
      readonly row: GradeRow;
      /** False when the file gave no lab to grade (its findings are the grade's violations). */
      readonly readable: boolean;
      /** This attempt's line of `nestlab grade --csv`, line break included. */
      readonly csvLine: string;
    }
  | RuleError;

export interface GradingQueryResults {
  'grade.attempt': GradedAttempt;
}
