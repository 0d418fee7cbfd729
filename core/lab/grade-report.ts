/**
 * One class's grades as `nestlab grade` reports them (lab-format.md), shared by the CLI
 * (core/node/grade-command.ts) and the app's "Grade a class" (core/api/class-grading.ts), so
 * both read an attempt file the same way, grade it with the same `gradeAttempt` and write the
 * same CSV, byte for byte. Pure: the callers read the files; this module gets their text.
 */
import type { Lab, Violation } from '../model';
import type { CheckpointReport } from './checkpoints';
import { gradeAttempt, unreadableGrade, type AttemptGrade } from './grade';
import type { CheckedText } from './check-text';

/** One attempt file, graded: the file as the trainer named it, and its grade. */
export interface GradeRow {
  readonly file: string;
  readonly grade: AttemptGrade;
}

const EXERCISE_PATH = /^(traffic|objectives|checkpoints|student|attempt)\b/;

/**
 * The lab an attempt file gives to grade, or why it gives none. An attempt that breaks rules
 * is still graded on its topology (its `valid` objective fails); only a file with no lab, or a
 * structural format error outside the exercise keys, cannot be graded.
 */
export function attemptLab(
  checked: CheckedText,
): { lab: Lab } | { violations: readonly Violation[] } {
  const { lab, valid, violations } = checked;
  if (lab === undefined) return { violations };
  if (valid) return { lab };
  // An attempt's own copy of the exercise (script, objectives, checkpoints…) may name a device
  // the student removed: that copy is never graded (the trainer's keys are), so it does not make
  // the attempt unreadable.
  const structural = violations.some(
    (v) => v.rule === 'format' && v.severity === 'error' && !EXERCISE_PATH.test(v.path),
  );
  return structural ? { violations } : { lab };
}

/** The trainer's lab to grade against: a file with errors grades nothing (`nestlab grade` exits 2). */
export function trainerLabOf(
  checked: CheckedText,
): { lab: Lab } | { violations: readonly Violation[] } {
  return checked.lab !== undefined && checked.valid
    ? { lab: checked.lab }
    : { violations: checked.violations };
}

/** Grades one attempt file; `key` is `answerKey(trainer)`, computed once for the class. */
export function gradeFile(
  trainer: Lab,
  file: string,
  checked: CheckedText,
  key: readonly CheckpointReport[],
): GradeRow {
  const attempt = attemptLab(checked);
  if (!('lab' in attempt)) return { file, grade: unreadableGrade(trainer, attempt.violations) };
  const grade = gradeAttempt(trainer, attempt.lab, key);
  // What reading the file left out (a planted `score:`, read as an attempt) is said with it.
  const ignored = checked.violations.filter(
    (v) => v.code === 'unknown-key' && v.severity === 'warning',
  );
  return {
    file,
    grade: ignored.length > 0 ? { ...grade, violations: [...ignored, ...grade.violations] } : grade,
  };
}

/** A checkpoint of the key that cannot be judged fairly: every answer wrong, or several right. */
export interface KeyWarning {
  readonly id: string;
  readonly warning: NonNullable<CheckpointReport['warning']>;
  /** What it means for the grades: "has no right choice, so every answer to it is graded wrong". */
  readonly effect: string;
}

export function keyWarnings(key: readonly CheckpointReport[]): KeyWarning[] {
  return key.flatMap((c) =>
    c.warning === undefined
      ? []
      : [
          {
            id: c.id,
            warning: c.warning,
            effect:
              c.warning === 'checkpoint-no-answer'
                ? 'has no right choice, so every answer to it is graded wrong'
                : `has ${c.rightChoices.length} right choices, each graded right`,
          },
        ],
  );
}

/**
 * A CSV cell: quoted when it holds a separator or a line break; a leading =, +, -, @, tab or
 * carriage return (what spreadsheets read as the start of a formula) is made text.
 */
export function csvCell(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** `right`, `wrong`, or empty when the checkpoint was not answered. */
function checkpointCell(answer: AttemptGrade['checkpoints'][number] | undefined): string {
  if (answer === undefined || answer.answer === null) return '';
  return answer.right ? 'right' : 'wrong';
}

/** The CSV's first line, with its line break: one column per objective and per checkpoint. */
export function gradeCsvHeader(lab: Lab): string {
  const header = [
    'file',
    'valid',
    'passed',
    'total',
    ...lab.objectives.map((o) => o.id),
    ...lab.checkpoints.map((c) => `checkpoint:${c.id}`),
    'hints',
    'locked-changed',
  ];
  return `${header.map(csvCell).join(',')}\n`;
}

/** One attempt's CSV line, with its line break. */
export function gradeCsvLine(lab: Lab, { file, grade }: GradeRow): string {
  const cells = lab.objectives.map((o) =>
    String(grade.objectives.find((r) => r.id === o.id)?.passed ?? false),
  );
  const answers = lab.checkpoints.map((_, i) => checkpointCell(grade.checkpoints[i]));
  const row = [
    file,
    String(grade.valid),
    String(grade.score.passed),
    String(lab.objectives.length),
    ...cells,
    ...answers,
    String(grade.hints.length),
    String(grade.lockedChanged),
  ];
  return `${row.map(csvCell).join(',')}\n`;
}

/** `nestlab grade --csv`: the header, then one line per attempt in the order given. */
export function gradeCsv(lab: Lab, rows: readonly GradeRow[]): string {
  return gradeCsvHeader(lab) + rows.map((row) => gradeCsvLine(lab, row)).join('');
}
