/**
 * `nestlab grade LAB ATTEMPT… [--json|--csv]`: recompute every objective of the trainer's
 * lab on each attempt's topology and print a table (or JSON, or CSV). A progress bar goes
 * to stderr on a terminal only. Exit 0 when every attempt could be graded, 2 when the
 * trainer's lab is invalid.
 */
import type { Lab } from '../model';
import { gradeAttempt, type AttemptGrade } from '../lab/grade';
import { checkFile, formatViolation } from './check-command';
import { paintFor } from './terminal';

interface Row {
  readonly file: string;
  readonly grade: AttemptGrade;
}

/** A lab that parses; `strict` also refuses one that breaks rules (the trainer's own lab). */
function load(
  file: string,
  strict: boolean,
): { lab: Lab } | { violations: AttemptGrade['violations'] } {
  const { lab, valid, violations } = checkFile(file);
  if (lab === undefined) return { violations };
  if (valid) return { lab };
  const structural = violations.some((v) => v.rule === 'format' && v.severity === 'error');
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

function csvCell(value: string): string {
  return /[",\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
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
  const total = trainer.lab.objectives.length;
  const rows: Row[] = attempts.map((file, i) => {
    // An attempt that breaks rules is still graded on its topology; its `valid` objective fails.
    const attempt = load(file, false);
    const grade: AttemptGrade =
      'lab' in attempt
        ? gradeAttempt(trainer.lab, attempt.lab)
        : {
            valid: false,
            violations: attempt.violations,
            objectives: [],
            score: { passed: 0, total },
          };
    progress(i + 1, attempts.length);
    return { file, grade };
  });
  const ids = trainer.lab.objectives.map((o) => o.id);
  if (format === 'json') {
    process.stdout.write(
      `${JSON.stringify(
        rows.map((r) => ({ file: r.file, ...r.grade })),
        null,
        2,
      )}\n`,
    );
  } else if (format === 'csv') {
    process.stdout.write(
      `${['file', 'valid', 'passed', 'total', ...ids].map(csvCell).join(',')}\n`,
    );
    for (const { file, grade } of rows) {
      const cells = ids.map((id) =>
        String(grade.objectives.find((o) => o.id === id)?.passed ?? false),
      );
      process.stdout.write(
        `${[file, String(grade.valid), String(grade.score.passed), String(total), ...cells].map(csvCell).join(',')}\n`,
      );
    }
  } else {
    for (const { file, grade } of rows) {
      const score = `${grade.score.passed}/${grade.score.total}`;
      const head = grade.valid
        ? grade.score.passed === total
          ? paint.green(score)
          : paint.yellow(score)
        : paint.red(`${score} (invalid)`);
      process.stdout.write(`${head.padEnd(8)} ${file}\n`);
      for (const o of grade.objectives)
        process.stdout.write(
          `    ${o.passed ? paint.green('✓') : paint.red('✗')} ${o.id}: ${o.message}\n`,
        );
      if (!grade.valid)
        for (const v of grade.violations.filter((x) => x.severity === 'error').slice(0, 5))
          process.stdout.write(`${formatViolation(file, v, paint)}\n`);
    }
  }
  return 0;
}
