/**
 * `nestlab grade LAB ATTEMPT… [--json|--csv]`: recompute every objective of the trainer's
 * lab on each attempt's topology, judge each checkpoint answer against the trainer's lab (its
 * answer key computed once for the whole run), list the hints used and what the attempt
 * changed that the lab locks; print a table (or JSON, or CSV). A progress bar goes to stderr
 * on a terminal only. Exit 0 when every attempt could be graded, 2 when the trainer's lab is
 * invalid.
 */
import type { Lab } from '../model';
import type { CheckpointReport } from '../lab/checkpoints';
import { answerKey, gradeAttempt, unreadableGrade, type AttemptGrade } from '../lab/grade';
import { checkFile, formatViolation } from './check-command';
import { paintFor, type Paint } from './terminal';

interface Row {
  readonly file: string;
  readonly grade: AttemptGrade;
}

const EXERCISE_PATH = /^(checkpoints|student|attempt)\b/;

/** A lab that parses; `strict` also refuses one that breaks rules (the trainer's own lab). */
function load(
  file: string,
  strict: boolean,
): { lab: Lab } | { violations: AttemptGrade['violations'] } {
  const { lab, valid, violations } = checkFile(file);
  if (lab === undefined) return { violations };
  if (valid) return { lab };
  // An attempt's own copy of the exercise keys may name a device the student removed: that
  // copy is never graded (the trainer's keys are), so it does not make the attempt unreadable.
  const structural = violations.some(
    (v) => v.rule === 'format' && v.severity === 'error' && !EXERCISE_PATH.test(v.path),
  );
  return strict || structural ? { violations } : { lab };
}

function progress(done: number, total: number): void {
  if (!process.stderr.isTTY) return;
  const width = 30;
  const filled = Math.round((done / total) * width);
  process.stderr.write(
    `\r  grading [${'#'.repeat(filled)}${' '.repeat(width - filled)}] ${done}/${total}`,
  );
  if (done === total) process.stderr.write('\n');
}

/** A CSV cell: quoted when it holds a separator or a line break; a leading =, +, - or @ is made text (no spreadsheet formula). */
function csvCell(value: string): string {
  const safe = /^[=+\-@]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

export function runGrade(
  labFile: string,
  attempts: readonly string[],
  format: 'table' | 'json' | 'csv',
): number {
  const paint = paintFor(process.stdout);
  const trainer = load(labFile, true);
  if (!('lab' in trainer)) {
    process.stderr.write(`nestlab: ${labFile} is not a valid lab; nothing was graded.\n`);
    for (const v of trainer.violations)
      process.stderr.write(`${formatViolation(labFile, v, paint)}\n`);
    return 2;
  }
  const lab = trainer.lab;
  // The trainer's script on the trainer's lab, once: every attempt's answers are judged on it.
  const key = answerKey(lab);
  warnKey(labFile, key);
  const rows: Row[] = attempts.map((file, i) => {
    // An attempt that breaks rules is still graded on its topology; its `valid` objective fails.
    const attempt = load(file, false);
    const grade: AttemptGrade =
      'lab' in attempt
        ? gradeAttempt(lab, attempt.lab, key)
        : unreadableGrade(lab, attempt.violations);
    progress(i + 1, attempts.length);
    return { file, grade };
  });
  if (format === 'json') writeJson(rows);
  else if (format === 'csv') writeCsv(lab, rows);
  else writeTable(lab, rows, paint);
  return 0;
}

/** A checkpoint the key cannot judge fairly: every answer to it is graded wrong, or several right. */
function warnKey(labFile: string, key: readonly CheckpointReport[]): void {
  for (const c of key) {
    if (c.warning === undefined) continue;
    const what =
      c.warning === 'checkpoint-no-answer'
        ? 'has no right choice, so every answer to it is graded wrong'
        : `has ${c.rightChoices.length} right choices, each graded right`;
    process.stderr.write(
      `nestlab grade: checkpoint "${c.id}" of ${labFile} ${what} [${c.warning}]; see nestlab run.\n`,
    );
  }
}

function writeJson(rows: readonly Row[]): void {
  const out = rows.map((r) => ({ file: r.file, ...r.grade }));
  process.stdout.write(`${JSON.stringify(out, null, 2)}\n`);
}

/** `right`, `wrong`, or empty when the checkpoint was not answered. */
function checkpointCell(answer: AttemptGrade['checkpoints'][number] | undefined): string {
  if (answer === undefined || answer.answer === null) return '';
  return answer.right ? 'right' : 'wrong';
}

function writeCsv(lab: Lab, rows: readonly Row[]): void {
  const ids = lab.objectives.map((o) => o.id);
  const checkpoints = lab.checkpoints.map((c) => c.id);
  const header = [
    'file',
    'valid',
    'passed',
    'total',
    ...ids,
    ...checkpoints.map((id) => `checkpoint:${id}`),
    'hints',
    'locked-changed',
  ];
  process.stdout.write(`${header.map(csvCell).join(',')}\n`);
  for (const { file, grade } of rows) {
    const cells = ids.map((id) =>
      String(grade.objectives.find((o) => o.id === id)?.passed ?? false),
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
    process.stdout.write(`${row.map(csvCell).join(',')}\n`);
  }
}

/** Locked changes listed per attempt in the table; the JSON has them all. */
const LOCKED_SHOWN = 5;

function writeTable(lab: Lab, rows: readonly Row[], paint: Paint): void {
  const total = lab.objectives.length;
  const out = (text: string): void => void process.stdout.write(`${text}\n`);
  for (const { file, grade } of rows) {
    const score = `${grade.score.passed}/${grade.score.total}`;
    const head = grade.valid
      ? grade.score.passed === total
        ? paint.green(score)
        : paint.yellow(score)
      : paint.red(`${score} (invalid)`);
    out(`${head.padEnd(8)} ${file}`);
    for (const o of grade.objectives)
      out(`    ${o.passed ? paint.green('✓') : paint.red('✗')} ${o.id}: ${o.message}`);
    for (const c of grade.checkpoints) {
      if (c.answer === null) out(`    ${paint.dim('·')} checkpoint ${c.id}: not answered`);
      else
        out(
          `    ${c.right ? paint.green('✓') : paint.red('✗')} checkpoint ${c.id}: answered choice ${c.answer + 1}, ${c.right ? 'right' : 'wrong'}`,
        );
    }
    if (grade.hints.length > 0)
      out(`    hints used: ${grade.hints.length} (${grade.hints.join(', ')})`);
    if (grade.lockedChanged) {
      out(paint.yellow(`    ! locked-changed: the attempt changed what the lab locks:`));
      for (const sentence of grade.locked.slice(0, LOCKED_SHOWN))
        out(paint.yellow(`      - ${sentence}`));
      if (grade.locked.length > LOCKED_SHOWN)
        out(paint.yellow(`      … ${grade.locked.length - LOCKED_SHOWN} more (see --json)`));
    }
    if (!grade.valid)
      for (const v of grade.violations.filter((x) => x.severity === 'error').slice(0, 5))
        out(formatViolation(file, v, paint));
  }
}
