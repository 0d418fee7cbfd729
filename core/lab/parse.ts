/**
 * Lab file text → typed, defaulted `Lab` records (lab-format.md). Reports every problem it
 * finds, each with the path of the bad field, never just the first, and never throws on
 * any input. Structural problems (YAML, unknown keys, wrong types) stop the lab from being
 * built; rule problems (semantics.md's static validity) come from `validateLab` after.
 */
import type * as v from 'valibot';
import type {
  AttemptAnswers,
  Checkpoint,
  CheckpointFate,
  Lab,
  Objective,
  ObjectiveCheck,
  StudentPolicy,
  TrafficStep,
  User,
  Violation,
  Vm,
} from '../model';
import { DEFAULT_SIM, DEFAULT_USER, formatPath } from '../model';
import { assertNever } from '../common/assert-never';
import { charCount } from '../common/schema';
import { checkInput, type SchemaPath, type SchemaProblem } from '../common/schema-problems';
import {
  attemptSchema,
  checkSchemas,
  labShellSchema,
  stepSchemas,
  type CheckKind,
  type LabShellOutput,
  type StepKind,
  type VmParsed,
} from './schema';
import { readYaml, type YamlSource } from './yaml-source';
import { validateLab } from './validate';

export type ParseResult =
  | { readonly ok: true; readonly lab: Lab; readonly violations: readonly Violation[] }
  | { readonly ok: false; readonly violations: readonly Violation[] };

export interface ParseOptions {
  /**
   * Read the file as a student's saved attempt, as `nestlab grade` reads one: keys the format
   * does not have, at the top level or in `attempt:` (a score a student wrote, say), are never
   * read, so they are left out with a warning rather than making the attempt unreadable.
   */
  readonly asAttempt?: boolean;
}

/** Parses and validates a lab file's text. `ok` means a lab could be built; `valid` below means no errors. */
export function parseLab(text: string, options: ParseOptions = {}): ParseResult {
  const yaml = readYaml(text);
  if (!yaml.ok) return yaml;
  const ignored: Violation[] = [];
  const data = options.asAttempt ? withoutUnknownKeys(yaml.source.data, ignored) : yaml.source.data;
  const built = buildLab(data);
  const violations = [
    ...ignored,
    ...(built.ok ? [...built.violations, ...validateLab(built.lab)] : built.violations),
  ];
  // In file order, so a reader can walk the file top to bottom.
  const located = violations
    .map((v) => withLocation(v, yaml.source))
    .sort(
      (a, b) => (a.line ?? Infinity) - (b.line ?? Infinity) || (a.column ?? 0) - (b.column ?? 0),
    );
  return built.ok
    ? { ok: true, lab: built.lab, violations: located }
    : { ok: false, violations: located };
}

const LAB_KEYS: ReadonlySet<string> = new Set(Object.keys(labShellSchema.entries));
const ATTEMPT_KEYS: ReadonlySet<string> = new Set(Object.keys(attemptSchema.entries));

/** `data` without the top-level and `attempt:` keys the format does not have (each a warning). */
function withoutUnknownKeys(data: unknown, ignored: Violation[]): unknown {
  const keep = (value: unknown, known: ReadonlySet<string>, at: string[]): unknown => {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return value;
    const out: Record<string, unknown> = {};
    for (const [key, inner] of Object.entries(value)) {
      if (known.has(key)) {
        Object.defineProperty(out, key, { value: inner, enumerable: true, writable: true });
        continue;
      }
      ignored.push({
        ...formatError(
          'unknown-key',
          formatPath([...at, key]),
          `Unknown key "${key}": an attempt is graded on its topology and answers only, so it is not read.`,
        ),
        severity: 'warning',
      });
    }
    return out;
  };
  const top = keep(data, LAB_KEYS, []);
  if (typeof top !== 'object' || top === null || Array.isArray(top)) return top;
  const record = top as Record<string, unknown>;
  if (!Object.hasOwn(record, 'attempt')) return record;
  return { ...record, attempt: keep(record.attempt, ATTEMPT_KEYS, ['attempt']) };
}

export function isValid(result: ParseResult): boolean {
  return result.ok && !result.violations.some((v) => v.severity === 'error');
}

function withLocation(violation: Violation, source: YamlSource): Violation {
  if (violation.line !== undefined) return violation;
  const pos = source.locate(violation.path);
  return pos ? { ...violation, line: pos.line, column: pos.column } : violation;
}

type Built =
  { ok: true; lab: Lab; violations: Violation[] } | { ok: false; violations: Violation[] };

/** Builds a lab from plain data (already parsed YAML or JSON). */
export function buildLab(data: unknown): Built {
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    return {
      ok: false,
      violations: [
        formatError(
          'wrong-type',
          '',
          'A lab file must be a YAML mapping that starts with `nestlab: 1`.',
        ),
      ],
    };
  }
  const record = data as Record<string, unknown>;
  const versionProblem = checkVersion(record);
  if (versionProblem) return { ok: false, violations: [versionProblem] };
  const shell = checkInput(labShellSchema, data);
  const violations: Violation[] = shell.ok ? [] : schemaViolations(shell.problems, [], data);
  const steps = (Array.isArray(record.traffic) ? record.traffic : []).map((raw, i) =>
    parseOneKey(raw, ['traffic', i], stepSchemas, violations),
  );
  const objectives = Array.isArray(record.objectives) ? record.objectives : [];
  const checks = objectives.map((raw, i) =>
    parseOneKey(
      typeof raw === 'object' && raw !== null ? (raw as Record<string, unknown>).check : undefined,
      ['objectives', i, 'check'],
      checkSchemas,
      violations,
    ),
  );
  checkFates(record.checkpoints, violations);
  if (!shell.ok || violations.length > 0) return { ok: false, violations };
  const input = shell.value;
  // No `users` (or an empty list) means the one default trainer (lab-format.md).
  const users: User[] =
    input.users !== undefined && input.users.length > 0 ? input.users : [DEFAULT_USER];
  const actingUser = input.actingUser ?? users[0]?.name ?? DEFAULT_USER.name;
  const lab: Lab = {
    nestlab: 1,
    title: input.title ?? 'Untitled lab',
    ...(input.description !== undefined ? { description: input.description } : {}),
    profile: 'skytap',
    account: {
      promiscuousMode: input.account?.promiscuousMode ?? 'disabled',
      ...(input.account?.request ? { request: input.account.request } : {}),
    },
    users,
    actingUser,
    networks: input.networks ?? [],
    external: input.external ?? [],
    vms: (input.vms ?? []).map(toVm),
    traffic: steps.flatMap((s) => (s ? [toStep(s.kind, s.value, actingUser)] : [])),
    objectives: (input.objectives ?? []).map((o, i): Objective => {
      const check = checks[i];
      if (!check) throw new Error('unreachable: a failed check was reported above');
      return {
        id: o.id,
        ...(o.name !== undefined ? { name: o.name } : {}),
        ...(o.text !== undefined ? { text: o.text } : {}),
        ...(o.hint !== undefined ? { hint: o.hint } : {}),
        check: toCheck(check.kind, check.value),
      };
    }),
    checkpoints: (input.checkpoints ?? []).map(toCheckpoint),
    student: toStudent(input.student),
    ...(input.attempt !== undefined ? { attempt: toAttempt(input.attempt) } : {}),
    sim: { ...DEFAULT_SIM, ...stripUndefined(input.sim ?? {}) },
    ...(input.ui !== undefined ? { ui: input.ui } : {}),
  };
  return { ok: true, lab, violations: [] };
}

/** The exercise's keys of a lab, as a trainer sets them in the app (`exercise.set`). */
export interface ExerciseKeys {
  readonly traffic?: readonly TrafficStep[];
  readonly objectives?: readonly Objective[];
  readonly checkpoints?: readonly Checkpoint[];
  readonly student?: StudentPolicy;
}

const EXERCISE_KEYS = ['traffic', 'objectives', 'checkpoints', 'student'] as const;

/**
 * The exercise's keys given in the lab file's own form (`{ ping: { from, to } }`…), read by the
 * file's own parser, so the app can set exactly what a file can hold, and every problem has the
 * path it would have in a file (`objectives[2].check.reachable.from`). Only the keys present
 * are read; `actingUser` stands in for a step's missing actor, as in a file.
 */
export function buildExercise(
  keys: Readonly<Partial<Record<(typeof EXERCISE_KEYS)[number], unknown>>>,
  actingUser: string,
): { ok: true; keys: ExerciseKeys } | { ok: false; violations: readonly Violation[] } {
  const document: Record<string, unknown> = { nestlab: 1, actingUser };
  for (const key of EXERCISE_KEYS) if (keys[key] !== undefined) document[key] = keys[key];
  const built = buildLab(document);
  if (!built.ok) return built;
  const lab = built.lab;
  return {
    ok: true,
    keys: {
      ...(keys.traffic !== undefined && { traffic: lab.traffic }),
      ...(keys.objectives !== undefined && { objectives: lab.objectives }),
      ...(keys.checkpoints !== undefined && { checkpoints: lab.checkpoints }),
      ...(keys.student !== undefined && { student: lab.student }),
    },
  };
}

type ShellCheckpoint = NonNullable<LabShellOutput['checkpoints']>[number];

function toCheckpoint(input: ShellCheckpoint): Checkpoint {
  return {
    id: input.id,
    before: input.before,
    question: input.question,
    choices: input.choices.map((c) => ({ text: c.text, fate: toFate(c.fate) })),
    ...(input.explain !== undefined ? { explain: input.explain } : {}),
  };
}

/** A fate the parser has checked (`checkFates`): exactly one of `delivered` and `dropped`. */
function toFate(input: ShellCheckpoint['choices'][number]['fate']): CheckpointFate {
  if (input.delivered !== undefined) return { delivered: input.delivered };
  return {
    dropped: input.dropped ?? '',
    ...(input.reason !== undefined ? { reason: input.reason } : {}),
  };
}

function toStudent(input: LabShellOutput['student']): StudentPolicy {
  return {
    edit: input?.edit ?? 'all',
    ...(input?.actAs !== undefined ? { actAs: input.actAs } : {}),
  };
}

function toAttempt(input: NonNullable<LabShellOutput['attempt']>): AttemptAnswers {
  return { answers: input.answers ?? {}, hints: input.hints ?? [] };
}

/**
 * Each choice's `fate` names exactly one of `delivered` and `dropped`, and a `reason` only with
 * `dropped` (lab-format.md, "Exercise keys"). Reads the raw data, so these problems are reported
 * beside the schema's own; a fate that is not a mapping is the schema's to report.
 */
function checkFates(raw: unknown, out: Violation[]): void {
  if (!Array.isArray(raw)) return;
  raw.forEach((checkpoint: unknown, i) => {
    const choices = isMapping(checkpoint) ? checkpoint.choices : undefined;
    if (!Array.isArray(choices)) return;
    choices.forEach((choice: unknown, j) => {
      const fate = isMapping(choice) ? choice.fate : undefined;
      if (isMapping(fate)) checkFate(fate, ['checkpoints', i, 'choices', j, 'fate'], out);
    });
  });
}

function checkFate(fate: Record<string, unknown>, path: (string | number)[], out: Violation[]) {
  const delivered = Object.hasOwn(fate, 'delivered');
  const dropped = Object.hasOwn(fate, 'dropped');
  if (delivered && dropped)
    out.push(
      formatError(
        'invalid-value',
        formatPath(path),
        'A fate is either `delivered: PLACE` or `dropped: PLACE` (with an optional reason), not both.',
      ),
    );
  else if (!delivered && !dropped)
    out.push(
      formatError(
        'missing-key',
        formatPath(path),
        'A fate says where the frame ends: `delivered: PLACE` or `dropped: PLACE`.',
      ),
    );
  else if (delivered && Object.hasOwn(fate, 'reason'))
    out.push(
      formatError(
        'invalid-value',
        formatPath([...path, 'reason']),
        'A reason goes with `dropped:` only; a delivered frame was not dropped.',
      ),
    );
}

function isMapping(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function checkVersion(record: Record<string, unknown>): Violation | undefined {
  if (!('nestlab' in record)) {
    return formatError(
      'missing-key',
      'nestlab',
      'The file needs `nestlab: 1` (the format version) at the top.',
    );
  }
  if (record.nestlab !== 1) {
    return formatError(
      'unsupported-version',
      'nestlab',
      `This is format version ${JSON.stringify(record.nestlab)}; this Nestlab reads version 1. Update Nestlab or convert the file.`,
    );
  }
  return undefined;
}

function stripUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}

function toVm(input: VmParsed): Vm {
  const isEsxi = input.guestOs !== undefined && /esxi/i.test(input.guestOs);
  return {
    id: input.id,
    ...(input.name !== undefined ? { name: input.name } : {}),
    ...(input.guestOs !== undefined ? { guestOs: input.guestOs } : {}),
    arch: input.arch ?? 'x86_64',
    power: input.power ?? 'running',
    // A5: a VM whose guest OS is VMware ESXi has nesting on by default (never a Power VM's,
    // which cannot have it: a default must not break a rule the author did not write).
    nestedVirtualization: input.nestedVirtualization ?? (isEsxi && input.arch !== 'power'),
    role: input.role ?? 'host',
    stp: input.stp ?? false,
    virtualMacs: input.virtualMacs ?? [],
    virtualIps: input.virtualIps ?? [],
    adapters: (input.adapters ?? []).map((a) => ({
      ...stripUndefined(a),
      id: a.id,
      mac: a.mac,
      promiscuous: a.promiscuous,
    })),
    switches: (input.switches ?? []).map((s) => ({ ...stripUndefined(s), id: s.id })),
    nested: (input.nested ?? []).map(toVm),
  };
}

type OneKey<T extends Record<string, v.GenericSchema>> = {
  [K in keyof T]: { kind: K; value: v.InferOutput<T[K]> };
}[keyof T];

/** A one-key object (`{ ping: {...} }`) checked against the schema of its key. */
function parseOneKey<T extends Record<string, v.GenericSchema>>(
  raw: unknown,
  path: (string | number)[],
  table: T,
  out: Violation[],
): OneKey<T> | undefined {
  const kinds = Object.keys(table);
  const list = kinds.join(', ');
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    out.push(
      formatError(
        raw === undefined ? 'missing-key' : 'wrong-type',
        formatPath(path),
        `Expected an object with one key, one of: ${list}.`,
      ),
    );
    return undefined;
  }
  const keys = Object.keys(raw);
  const [key] = keys;
  if (keys.length !== 1 || key === undefined) {
    out.push(
      formatError(
        'invalid-value',
        formatPath(path),
        `Expected exactly one key, one of: ${list}; found ${keys.length === 0 ? 'none' : keys.join(', ')}.`,
      ),
    );
    return undefined;
  }
  const schema = table[key];
  if (!schema) {
    out.push(
      formatError(
        'unknown-key',
        formatPath([...path, key]),
        `Unknown "${key}"; expected one of: ${list}.`,
      ),
    );
    return undefined;
  }
  const value = (raw as Record<string, unknown>)[key];
  const result = checkInput(schema, value);
  if (!result.ok) {
    out.push(...schemaViolations(result.problems, [...path, key], value));
    return undefined;
  }
  return { kind: key, value: result.value } as OneKey<T>;
}

/** One traffic step given as lab-format.md writes it (`{ ping: { from, to } }`), e.g. from the UI. */
export function parseStep(
  raw: unknown,
  actingUser: string,
): { ok: true; step: TrafficStep } | { ok: false; violations: Violation[] } {
  const violations: Violation[] = [];
  const parsed = parseOneKey(raw, ['step'], stepSchemas, violations);
  return parsed
    ? { ok: true, step: toStep(parsed.kind, parsed.value, actingUser) }
    : { ok: false, violations };
}

type StepValue<K extends StepKind> = v.InferOutput<(typeof stepSchemas)[K]>;

/** `actingUser` stands in for a `set` or `request` step's missing actor ("edits are made as this user"). */
function toStep(kind: StepKind, value: unknown, actingUser: string): TrafficStep {
  switch (kind) {
    case 'ping': {
      const v = value as StepValue<'ping'>;
      return { kind, from: v.from, to: v.to, count: v.count ?? 1 };
    }
    case 'frame':
      return { kind, ...stripUndefined(value as StepValue<'frame'>) } as TrafficStep;
    case 'garp':
      return { kind, ...(value as StepValue<'garp'>) };
    case 'power':
      return { kind, ...(value as StepValue<'power'>) };
    case 'set': {
      const v = value as StepValue<'set'>;
      return { kind, ...stripUndefined(v), actor: v.actor ?? actingUser } as TrafficStep;
    }
    case 'request': {
      const v = value as StepValue<'request'>;
      return { kind, ...stripUndefined(v), actor: v.actor ?? actingUser } as TrafficStep;
    }
    case 'approve':
    case 'deny':
      return { kind };
    case 'wait':
      return { kind, ...(value as StepValue<'wait'>) };
    default:
      return assertNever(kind, 'step kind');
  }
}

type CheckValue<K extends CheckKind> = v.InferOutput<(typeof checkSchemas)[K]>;

function toCheck(kind: CheckKind, value: unknown): ObjectiveCheck {
  switch (kind) {
    case 'reachable':
    case 'unreachable':
      return { kind, ...(value as CheckValue<'reachable'>) };
    case 'captured':
    case 'notCaptured':
      return { kind, ...stripUndefined(value as CheckValue<'captured'>) } as ObjectiveCheck;
    case 'noLoop':
    case 'valid':
      return { kind };
    case 'config':
      return { kind, settings: value as CheckValue<'config'> };
    default:
      return assertNever(kind, 'check kind');
  }
}

function formatError(code: Violation['code'], path: string, message: string): Violation {
  return { code, rule: 'format', path, severity: 'error', message };
}

function valueAt(root: unknown, segments: readonly PropertyKey[]): unknown {
  let current = root;
  for (const segment of segments) {
    if (typeof current !== 'object' || current === null) return undefined;
    current = (current as Record<PropertyKey, unknown>)[segment];
  }
  return current;
}

/** The value in a few words; a long string by its start and length (an id may be megabytes). */
function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return `a list of ${value.length}`;
  if (typeof value === 'object') return 'a mapping';
  if (typeof value === 'number' && !Number.isFinite(value))
    return Number.isNaN(value) ? '.nan (not a number)' : `${value < 0 ? '-' : ''}.inf (infinite)`;
  if (typeof value === 'string' && value.length > 60)
    return `a string of ${charCount(value)} characters starting ${JSON.stringify(value.slice(0, 40))}`;
  return `${typeof value} ${JSON.stringify(value)}`;
}

/** Schema problems → violations with lab-format paths and messages that say what to write. */
export function schemaViolations(
  problems: readonly SchemaProblem[],
  prefix: (string | number)[],
  root: unknown,
): Violation[] {
  const out = problems.flatMap((problem) => violationsOf(problem, prefix, root));
  // One value can fail two checks with one message (2^53 is neither safe as an integer nor
  // under a maximum): say it once.
  const seen = new Set<string>();
  return out.filter((v) => {
    const key = `${v.path}\u0000${v.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function violationsOf(problem: SchemaProblem, prefix: SchemaPath, root: unknown): Violation[] {
  const path = [...prefix, ...problem.path];
  const at = formatPath(path);
  const actual = valueAt(root, problem.path);
  switch (problem.kind) {
    case 'unknown-keys':
      return problem.keys.map((key) =>
        formatError(
          'unknown-key',
          formatPath([...path, key]),
          `Unknown key "${key}"; check its spelling against lab-format.md or remove it.`,
        ),
      );
    case 'wrong-type':
      return [
        actual === undefined
          ? formatError(
              'missing-key',
              at,
              `Missing required key "${String(path[path.length - 1])}" (${problem.expected}).`,
            )
          : formatError(
              'wrong-type',
              at,
              `Expected ${problem.expected}, found ${describe(actual)}.`,
            ),
      ];
    case 'not-one-of':
      return [
        formatError(
          'invalid-value',
          at,
          `Expected one of ${problem.options.join(', ')}, found ${describe(actual)}.`,
        ),
      ];
    case 'invalid':
      return [
        formatError(
          actual === undefined ? 'missing-key' : 'invalid-value',
          at,
          `${problem.message} (found ${describe(actual)}).`,
        ),
      ];
    default:
      return assertNever(problem, 'schema problem');
  }
}
