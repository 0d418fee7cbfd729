/**
 * Errors are values, not exceptions across the boundary (semantics.md §2): an edit the
 * rules refuse returns a `RuleError`; a lab that breaks a rule or the format yields
 * `Violation`s, each with the path of the bad field in the lab file.
 */

/** The stable error codes of semantics.md §2. */
export type RuleCode =
  | 'feature-disabled'
  | 'permission-denied'
  | 'admin-only'
  | 'vm-not-stopped'
  | 'one-per-network'
  | 'unsupported-architecture'
  | 'nested-virtualization-required'
  | 'nested-vms-present'
  | 'duplicate-mac'
  | 'duplicate-id'
  | 'invalid-address'
  | 'not-found'
  | 'invalid-request'
  /** Not a platform rule: the lab's `student:` key locks this change in student mode. */
  | 'locked';

/** Problems with the file itself rather than a rule of the platform (lab-format.md). */
export type FormatCode =
  | 'yaml-syntax'
  | 'file-too-large'
  | 'alias-limit'
  | 'duplicate-key'
  | 'forbidden-key'
  | 'unknown-key'
  | 'missing-key'
  | 'wrong-type'
  | 'invalid-value'
  | 'unsupported-version'
  /** `nestlab run`: a checkpoint none of whose choices is right on the lab as written (a warning). */
  | 'checkpoint-no-answer'
  /** `nestlab run`: a checkpoint with more than one right choice (a warning). */
  | 'checkpoint-ambiguous';

export type ViolationCode = RuleCode | FormatCode;

/** A rule ID of semantics.md (`P2`, `A3`, …) or `format` for lab-format.md itself. */
export type RuleId = string;

export interface RuleError {
  readonly ok: false;
  readonly code: RuleCode;
  readonly rule: RuleId;
  readonly message: string;
}

export type Severity = 'error' | 'warning';

export interface Violation {
  readonly code: ViolationCode;
  readonly rule: RuleId;
  /** Where in the lab file: `vms[1].adapters[0].mac`; empty for the whole file. */
  readonly path: string;
  readonly severity: Severity;
  readonly message: string;
  /** 1-based line and column where the YAML source is known. */
  readonly line?: number;
  readonly column?: number;
}

export function ruleError(code: RuleCode, rule: RuleId, message: string): RuleError {
  return { ok: false, code, rule, message };
}

/** A key that reads as itself in a path; any other (empty, or with `.`, `[`, `]` or `"`) is quoted. */
const PLAIN_KEY = /^[^.[\]"]+$/;

/**
 * Formats a path of keys and indexes as lab-format.md writes it: `vms[1].adapters[0].mac`. A key
 * that could be misread (`x.y`, `a[0]`, an empty one) is written quoted, `attempt.answers["x.y"]`,
 * so every path reads back as the segments it came from (`parsePath`).
 */
export function formatPath(segments: readonly (string | number)[]): string {
  let out = '';
  for (const segment of segments) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else if (!PLAIN_KEY.test(segment)) out += `[${JSON.stringify(segment)}]`;
    else out += out === '' ? segment : `.${segment}`;
  }
  return out;
}

/** `vms[2].adapters[0].mac` → ['vms', 2, 'adapters', 0, 'mac']; `a["x.y"]` → ['a', 'x.y']. */
export function parsePath(path: string): (string | number)[] {
  const segments: (string | number)[] = [];
  for (const match of path.matchAll(/\[("(?:[^"\\]|\\.)*")\]|([^.[\]]+)|\[(\d+)\]/g)) {
    if (match[1] !== undefined) segments.push(JSON.parse(match[1]) as string);
    else if (match[3] !== undefined) segments.push(Number(match[3]));
    else if (match[2] !== undefined) segments.push(match[2]);
  }
  return segments;
}
