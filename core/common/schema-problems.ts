/**
 * What a schema check (schema.ts) found, as `SchemaProblem`s: the path of the bad value, what
 * kind of problem it is, and one message. The lab parser words lab-file violations from the kind;
 * the api's refusals quote the message. A check's own message (`'An id is at most 200
 * characters'`) is kept; every other problem gets the words the api has always used
 * (`Invalid input: expected string, received number`, `Too big: expected string to have <=200
 * characters`), whatever valibot itself would say.
 */
import * as v from 'valibot';
import { assertNever } from './assert-never';
import { isUnknownKeysIssue } from './schema';

type Issue = v.BaseIssue<unknown>;
export type SchemaPath = readonly (string | number)[];

export type SchemaProblem = { readonly path: SchemaPath; readonly message: string } & Kind;

type Kind =
  /** Keys the schema does not have, in the input's order. */
  | { readonly kind: 'unknown-keys'; readonly keys: readonly string[] }
  /** What belongs there, in one word: `string`, `number`, `int`, `object`, `record`, `nonoptional`. */
  | { readonly kind: 'wrong-type'; readonly expected: string }
  /** The values allowed, as they are written: `"running"`, `true`, `1`. */
  | { readonly kind: 'not-one-of'; readonly options: readonly string[] }
  /** Out of bounds, not in the format, or no option of a union fits. */
  | { readonly kind: 'invalid' };

export type Checked<T> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly problems: readonly SchemaProblem[] };

const CONFIG: v.Config<Issue> = { message: (found) => wording(found, kindOf(found)) };

/** Checks untrusted `input` against `schema`: the value it gives, or every problem found. */
export function checkInput<S extends v.GenericSchema>(
  schema: S,
  input: unknown,
): Checked<v.InferOutput<S>> {
  const result = v.safeParse(schema, input, CONFIG);
  if (result.success) return { ok: true, value: result.output };
  return { ok: false, problems: result.issues.map(problemOf) };
}

function problemOf(found: Issue): SchemaProblem {
  return { path: pathOf(found), message: found.message, ...kindOf(found) };
}

function pathOf(found: Issue): SchemaPath {
  return (found.path ?? []).flatMap((item) =>
    typeof item.key === 'string' || typeof item.key === 'number' ? [item.key] : [],
  );
}

/** The one-word names of the types valibot's schemas and checks expect. */
const TYPE_NAMES: ReadonlyMap<string, string> = new Map([
  ['string', 'string'],
  ['number', 'number'],
  ['finite', 'number'],
  ['integer', 'int'],
  ['boolean', 'boolean'],
  ['null', 'null'],
  ['array', 'array'],
  ['strict_object', 'object'],
  ['record', 'record'],
  ['non_optional', 'nonoptional'],
]);

function kindOf(found: Issue): Kind {
  if (isUnknownKeysIssue(found)) return { kind: 'unknown-keys', keys: found.keys };
  if (found.type === 'picklist' || found.type === 'literal')
    return { kind: 'not-one-of', options: optionsOf(found.expected ?? '') };
  const expected = TYPE_NAMES.get(found.type);
  return expected === undefined ? { kind: 'invalid' } : { kind: 'wrong-type', expected };
}

/** valibot writes a literal's value as `"a"` or `true`, and a picklist's as `("a" | "b")`. */
function optionsOf(expected: string): string[] {
  return /^\(.*\)$/.test(expected) ? expected.slice(1, -1).split(' | ') : [expected];
}

/** The words of a problem that has no message of its own. */
function wording(found: Issue, kind: Kind): string {
  switch (kind.kind) {
    case 'unknown-keys':
      return `Unrecognized key${kind.keys.length > 1 ? 's' : ''}: ${kind.keys.map((k) => `"${k}"`).join(', ')}`;
    case 'wrong-type':
      return `Invalid input: expected ${kind.expected}, received ${typeName(found.input)}`;
    case 'not-one-of':
      return kind.options.length === 1
        ? `Invalid input: expected ${kind.options.join('')}`
        : `Invalid option: expected one of ${kind.options.join('|')}`;
    case 'invalid':
      return boundWording(found) ?? 'Invalid input';
    default:
      return assertNever(kind, 'problem kind');
  }
}

function boundWording(found: Issue): string | undefined {
  const bound = String(found.requirement);
  const sized = Array.isArray(found.input) ? 'array to have' : 'string to have';
  const unit = Array.isArray(found.input) ? 'items' : 'characters';
  switch (found.type) {
    case 'min_length':
      return `Too small: expected ${sized} >=${bound} ${unit}`;
    case 'max_length':
      return `Too big: expected ${sized} <=${bound} ${unit}`;
    case 'min_value':
      return `Too small: expected number to be >=${bound}`;
    case 'gt_value':
      return `Too small: expected number to be >${bound}`;
    case 'max_value':
      return `Too big: expected number to be <=${bound}`;
    case 'safe_integer':
      return (found.input as number) > 0
        ? `Too big: expected int to be <=${Number.MAX_SAFE_INTEGER}`
        : `Too small: expected int to be >=${Number.MIN_SAFE_INTEGER}`;
    case 'regex':
      return `Invalid string: must match pattern ${bound}`;
    default:
      return undefined;
  }
}

/** A value's type in one word, as the messages name it (`array`, `null`, `NaN`, `Date`). */
function typeName(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number' && !Number.isFinite(value)) return String(value);
  // What a structured clone (Electron's IPC) can carry besides JSON: `Date`, `Map`…
  if (typeof value === 'object' && Object.getPrototypeOf(value) !== Object.prototype) {
    const made: unknown = (value as { constructor?: { name?: unknown } }).constructor?.name;
    if (typeof made === 'string') return made;
  }
  return typeof value;
}
