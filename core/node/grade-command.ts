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
import { answerKey } from '../lab/grade';
import { gradeCsv, gradeFile, keyWarnings, trainerLabOf, type GradeRow } from '../lab/grade-report';
import { checkFile, formatViolation } from './check-command';
import { paintFor, type Paint } from './terminal';

function progress(done: number, total: number): void {
  if (!process.stderr.isTTY) return;
  const width = 30;
  const filled = Math.round((done / total) * width);
  process.stderr.write(
    `\r  grading [${'#'.repeat(filled)}${' '.repeat(width - filled)}] ${done}/${total}`,
  );
  if (done === total) process.stderr.write('\n');
}

export function runGrade(
  labFile: string,
  attempts: readonly string[],
  format: 'table' | 'json' | 'csv',
): number {
  const paint = paintFor(process.stdout);
  const trainer = trainerLabOf(checkFile(labFile));
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
  const rows: GradeRow[] = attempts.map((file, i) => {
    const row = gradeFile(lab, file, checkFile(file, { asAttempt: true }), key);
    progress(i + 1, attempts.length);
    return row;
  });
  if (format === 'json') writeJson(rows);
  else if (format === 'csv') writeCsv(lab, rows);
  else writeTable(lab, rows, paint);
  return 0;
}

/** A checkpoint the key cannot judge fairly: every answer to it is graded wrong, or several right. */
function warnKey(labFile: string, key: readonly CheckpointReport[]): void {
  for (const { id, warning, effect } of keyWarnings(key))
    process.stderr.write(
      `nestlab grade: checkpoint "${id}" of ${labFile} ${effect} [${warning}]; see nestlab run.\n`,
    );
}

function writeJson(rows: readonly GradeRow[]): void {
  const out = rows.map((r) => ({ file: r.file, ...r.grade }));
  process.stdout.write(`${JSON.stringify(out, null, 2)}\n`);
}

function writeCsv(lab: Lab, rows: readonly GradeRow[]): void {
  process.stdout.write(gradeCsv(lab, rows));
}

/** Locked changes listed per attempt in the table; the JSON has them all. */
const LOCKED_SHOWN = 5;

function writeTable(lab: Lab, rows: readonly GradeRow[], paint: Paint): void {
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
          `    ${c.right ? paint.green('✓') : paint.red('✗')} checkpoint ${c.id}: answered choices[${c.answer}], ${c.right ? 'right' : 'wrong'}`,
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
