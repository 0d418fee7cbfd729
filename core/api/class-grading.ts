/**
 * "Grade a class" behind `grade.attempt`: each attempt file graded against a trainer's lab with
 * the CLI's own functions (core/lab/grade-report.ts), so the app's rows and CSV are
 * `nestlab grade --csv`'s, byte for byte. The trainer's lab is parsed once per library file
 * (again only when its text changes) and its answer key computed once per lab; every run is
 * bounded by the default run budgets (core/sim/budget.ts), like the CLI's.
 */
import type { Lab } from '../model';
import { ruleError } from '../model';
import { checkLabText } from '../lab/check-text';
import { answerKey } from '../lab/grade';
import {
  attemptLab,
  gradeCsvHeader,
  gradeCsvLine,
  gradeFile,
  keyWarnings,
  trainerLabOf,
  type GradeRow,
} from '../lab/grade-report';
import type { CheckpointReport } from '../lab/checkpoints';
import { validateLab } from '../lab/validate';
import type { GradedAttempt, GradingLab } from './grading-contract';

/** Where a trainer's lab comes from: the library's file, or the open lab as it is now. */
export interface TrainerSource {
  readonly labId: string;
  readonly title: string;
  readonly fileName: string;
  /** The lab in memory (the open lab in trainer mode); else `text` is parsed. */
  readonly lab?: Lab;
  readonly text?: string;
}

/** What one lab needs for every attempt of a class: its answer key and the table's columns. */
interface Prepared {
  readonly key: readonly CheckpointReport[];
  readonly columns: Omit<GradingLab, 'id' | 'title' | 'fileName'>;
}

type Trainer = { readonly lab: Lab } | { readonly problem: string };

/** Library files kept parsed; a class is graded against one lab, a few cover switching back. */
const PARSED_KEPT = 4;

export class ClassGrading {
  private readonly parsed = new Map<string, { readonly text: string; readonly trainer: Trainer }>();
  private readonly prepared = new WeakMap<Lab, Prepared>();
  private readonly checked = new WeakMap<Lab, Trainer>();

  constructor(private readonly trainerOf: (labId: string) => TrainerSource | undefined) {}

  grade(args: {
    readonly lab: string;
    readonly fileName: string;
    readonly text: string;
    readonly size?: number;
  }): GradedAttempt {
    const source = this.trainerOf(args.lab);
    if (!source)
      return ruleError('not-found', 'P6', `There is no lab "${args.lab}" in the library.`);
    const trainer = this.trainer(source);
    if ('problem' in trainer) return ruleError('invalid-request', 'format', trainer.problem);
    const { lab } = trainer;
    const { key, columns } = this.prepare(lab);
    const checked = checkLabText(args.text, args.size, false, { asAttempt: true });
    const row: GradeRow = gradeFile(lab, args.fileName, checked, key);
    return {
      ok: true,
      lab: { id: source.labId, title: source.title, fileName: source.fileName, ...columns },
      row,
      readable: 'lab' in attemptLab(checked),
      csvLine: gradeCsvLine(lab, row),
    };
  }

  /** The trainer's lab, held to `nestlab grade`'s rule: one with errors grades nothing. */
  private trainer(source: TrainerSource): Trainer {
    if (source.lab) {
      const { lab } = source;
      let known = this.checked.get(lab);
      if (!known) {
        const errors = validateLab(lab).filter((v) => v.severity === 'error').length;
        known = errors === 0 ? { lab } : { problem: notValid(source.fileName, errors) };
        this.checked.set(lab, known);
      }
      return known;
    }
    const text = source.text ?? '';
    const kept = this.parsed.get(source.labId);
    if (kept && kept.text === text) return kept.trainer;
    const read = trainerLabOf(checkLabText(text));
    const trainer: Trainer =
      'lab' in read
        ? { lab: read.lab }
        : {
            problem: notValid(
              source.fileName,
              read.violations.filter((v) => v.severity === 'error').length,
            ),
          };
    this.parsed.delete(source.labId);
    this.parsed.set(source.labId, { text, trainer });
    for (const old of this.parsed.keys()) {
      if (this.parsed.size <= PARSED_KEPT) break;
      this.parsed.delete(old);
    }
    return trainer;
  }

  private prepare(lab: Lab): Prepared {
    let prepared = this.prepared.get(lab);
    if (!prepared) {
      // The trainer's script on the trainer's lab, once: every attempt's answers are judged on it.
      const key = answerKey(lab);
      prepared = {
        key,
        columns: {
          objectives: lab.objectives.map((o) => ({
            id: o.id,
            ...(o.text !== undefined ? { text: o.text } : {}),
          })),
          checkpoints: lab.checkpoints.map((c) => ({ id: c.id, question: c.question })),
          warnings: keyWarnings(key),
          csvHeader: gradeCsvHeader(lab),
        },
      };
      this.prepared.set(lab, prepared);
    }
    return prepared;
  }
}

function notValid(fileName: string, errors: number): string {
  return `${fileName} is not a valid lab (${errors} error${errors === 1 ? '' : 's'}); nothing was graded. Fix it first (nestlab check lists the errors).`;
}
