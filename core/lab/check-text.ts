/**
 * A lab file's text read and checked once, as `nestlab check` reads a file: its findings, and
 * the lab when one could be built. Shared by the CLI (which reads the disk) and the app's
 * grading (which gets the text from the renderer), so both refuse and accept the same files.
 * Kept apart from grading so `nestlab check` loads no simulator.
 */
import type { Lab, Violation } from '../model';
import { isValid, parseLab, type ParseOptions } from './parse';
import { MAX_LAB_BYTES } from './yaml-source';

/** A lab file read and checked once: its findings, and the lab when one could be built. */
export interface CheckedText {
  readonly valid: boolean;
  readonly violations: readonly Violation[];
  readonly lab?: Lab;
}

/**
 * A file over the lab file limit, refused before it is read (`nestlab check`'s finding);
 * `atLeast` when its size is unknown (a device or a pipe) and reading stopped past the limit.
 */
export function fileTooLarge(bytes: number, atLeast = false): Violation {
  const size = atLeast ? 'more than 5 MB long' : `${(bytes / 1024 / 1024).toFixed(1)} MB`;
  return {
    code: 'file-too-large',
    rule: 'format',
    path: '',
    severity: 'error',
    message: `The file is ${size}; a lab file may be at most 5 MB. Check that this is the lab file you meant.`,
  };
}

/**
 * Parses and checks a lab file's text; `bytes` (the file's size) over the limit refuses it
 * unread (`atLeast`: its size is unknown). `asAttempt` reads it as `nestlab grade` reads an
 * attempt (keys the format does not have are left out, see `ParseOptions`).
 */
export function checkLabText(
  text: string,
  bytes?: number,
  atLeast = false,
  options: ParseOptions = {},
): CheckedText {
  if (bytes !== undefined && bytes > MAX_LAB_BYTES)
    return { valid: false, violations: [fileTooLarge(bytes, atLeast)] };
  const parsed = parseLab(text, options);
  const report = { valid: isValid(parsed), violations: parsed.violations };
  return parsed.ok ? { ...report, lab: parsed.lab } : report;
}
