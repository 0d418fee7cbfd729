/**
 * `nestlab check FILE… [--json]` (lab-format.md): parse and validate each file, print every
 * error and warning with its path, code and rule; exit 0 when every file is valid, 2 when
 * any is not. `--json` prints one `{ file, valid, violations }` object per file, one per line.
 */
import type { Lab, Violation } from '../model';
import { checkLabText } from '../lab/check-text';
import type { ParseOptions } from '../lab/parse';
import { readLabFile } from './read-lab-file';
import { paintFor, type Paint } from './terminal';

export interface FileReport {
  readonly file: string;
  readonly valid: boolean;
  readonly violations: readonly Violation[];
}

/** A file read and parsed once: its report, and the lab when one could be built. */
export interface LoadedFile extends FileReport {
  readonly lab?: Lab;
}

function fileProblem(code: Violation['code'], message: string): Violation {
  return { code, rule: 'format', path: '', severity: 'error', message };
}

/**
 * Reads, parses and checks one file, once; an unreadable or oversized file is a violation, not
 * a crash (a device or a pipe is read no further than the limit). The lab comes with it when
 * the file parses (valid or not), so no command parses twice. `options.asAttempt` reads it as
 * `nestlab grade` reads an attempt.
 */
export function checkFile(file: string, options: ParseOptions = {}): LoadedFile {
  let text: string;
  try {
    const read = readLabFile(file);
    if (!read.ok) return { file, ...checkLabText('', read.bytes, read.atLeast) };
    text = read.text;
  } catch (error) {
    const reason =
      (error as NodeJS.ErrnoException).code === 'ENOENT'
        ? 'there is no such file'
        : (error as Error).message;
    return {
      file,
      valid: false,
      violations: [fileProblem('yaml-syntax', `Cannot read ${file}: ${reason}.`)],
    };
  }
  return { file, ...checkLabText(text, undefined, false, options) };
}

export function formatViolation(file: string, v: Violation, paint: Paint): string {
  const where = v.line !== undefined ? `${file}:${v.line}:${v.column ?? 1}` : file;
  const severity = v.severity === 'error' ? paint.red('error') : paint.yellow('warning');
  const path = v.path === '' ? '' : ` ${paint.bold(v.path)}`;
  return `  ${severity}${path}: ${v.message} ${paint.dim(`[${v.code}, ${v.rule}] ${where}`)}`;
}

export function formatReport(report: FileReport, paint: Paint): string {
  const errors = report.violations.filter((v) => v.severity === 'error').length;
  const warnings = report.violations.length - errors;
  const counts = `${errors} error${errors === 1 ? '' : 's'}, ${warnings} warning${warnings === 1 ? '' : 's'}`;
  const head = report.valid
    ? `${paint.green('✓')} ${report.file}: valid (${counts})`
    : `${paint.red('✗')} ${report.file}: invalid (${counts})`;
  return [head, ...report.violations.map((v) => formatViolation(report.file, v, paint))].join('\n');
}

export function runCheck(files: readonly string[], json: boolean): number {
  const reports = files.map((file) => checkFile(file));
  const paint = paintFor(process.stdout);
  for (const { file, valid, violations } of reports) {
    const report = { file, valid, violations };
    process.stdout.write(json ? `${JSON.stringify(report)}\n` : `${formatReport(report, paint)}\n`);
  }
  return reports.every((r) => r.valid) ? 0 : 2;
}
