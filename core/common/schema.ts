/**
 * The schema pieces every untrusted input is checked with (lab files, edit commands, api
 * arguments): valibot's own, except where the lab format and the api promise something valibot's
 * piece does not do. Each of those keeps valibot's schema object, so its static types and its JSON
 * Schema are valibot's, and only checks differently:
 * - `strictObject` reports every unknown key, not just the first; a list is not a mapping; a
 *   missing key is reported by the key's own schema, so the problem says what belongs there.
 * - `record` is a mapping with string keys, never a list.
 * - `list` refuses a list over its maximum without reading its items (a hostile file's million
 *   items cost nothing).
 * - `finiteNumber` and `wholeNumber`: infinity (YAML's `.inf`) is not a number, and a fraction
 *   where a whole number belongs fails like a wrong type: its range goes unchecked, and a union
 *   goes on to its other options.
 * What a check finds is worded in schema-problems.ts.
 */
import * as v from 'valibot';

type Issue = v.BaseIssue<unknown>;
type Issues = [Issue, ...Issue[]];
type Dataset = v.OutputDataset<unknown, Issue>;
type Run = (dataset: v.UnknownDataset, config: v.Config<Issue>) => Dataset;

/** An issue for keys the schema does not have (one issue, every key, in the input's order). */
export interface UnknownKeysIssue extends Issue {
  readonly type: 'strict_object';
  readonly keys: readonly string[];
}

export function isUnknownKeysIssue(issue: Issue): issue is UnknownKeysIssue {
  return 'keys' in issue;
}

/** `schema`, checked by `run` instead of valibot's own run (schemas are data plus `~run`). */
function withRun<S extends v.GenericSchema>(schema: S, run: Run): S {
  return Object.assign(schema, { '~run': run });
}

/** A plain mapping: what YAML and JSON give for `{ … }`, never a list. */
function isMapping(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** An issue this module finds itself, worded like valibot's by the caller's `message`. */
function issue(
  config: v.Config<Issue>,
  fields: Pick<Issue, 'type' | 'input' | 'expected' | 'path'> & { keys?: readonly string[] },
): Issue {
  const found: Issue = {
    kind: 'schema',
    received: Array.isArray(fields.input) ? 'Array' : typeof fields.input,
    message: '',
    lang: config.lang,
    abortEarly: config.abortEarly,
    abortPipeEarly: config.abortPipeEarly,
    ...fields,
  };
  const { message } = config;
  const words = typeof message === 'function' ? message(found) : message;
  return words === undefined ? found : { ...found, message: words };
}

function typeFailure(config: v.Config<Issue>, type: string, input: unknown): Dataset {
  return {
    typed: false,
    value: input,
    issues: [issue(config, { type, input, expected: 'Object' })],
  };
}

/** What a mapping's check found so far: its value, its issues, whether its type holds. */
interface Found {
  readonly value: Record<string, unknown>;
  readonly issues: Issue[];
  typed: boolean;
}

function datasetOf(found: Found): Dataset {
  const [first, ...rest] = found.issues;
  return first
    ? { typed: found.typed, value: found.value, issues: [first, ...rest] }
    : { typed: true, value: found.value };
}

/** Checks `input[key]` against `schema` into `found`, with the key put in front of the paths. */
function checkValue(
  found: Found,
  input: Record<string, unknown>,
  key: string,
  schema: v.GenericSchema,
  config: v.Config<Issue>,
): void {
  const result = schema['~run']({ value: input[key] }, config);
  if (result.issues) found.issues.push(...under(result.issues, input, key));
  found.typed &&= result.typed;
  if (key in input || result.value !== undefined) found.value[key] = result.value;
}

/** Issues of a value at `key` of `input`, with that key put in front of their paths. */
function under(issues: readonly Issue[], input: Record<string, unknown>, key: string): Issue[] {
  const item: v.ObjectPathItem = { type: 'object', origin: 'value', input, key, value: input[key] };
  return issues.map((found) => ({ ...found, path: [item, ...(found.path ?? [])] }));
}

/** valibot's schemas that let a key be left out. */
const OPTIONAL = new Set(['optional', 'exact_optional', 'nullish']);

/** An object with exactly these keys: see the module comment. */
export function strictObject<const E extends v.ObjectEntries>(
  entries: E,
): v.StrictObjectSchema<E, undefined> {
  return withRun(v.strictObject(entries), (dataset, config) => {
    const input = dataset.value;
    if (!isMapping(input)) return typeFailure(config, 'strict_object', input);
    const found: Found = { value: {}, issues: [], typed: true };
    for (const key in entries) {
      const entry = entries[key] as v.GenericSchema;
      if (key in input || OPTIONAL.has(entry.type)) checkValue(found, input, key, entry, config);
      else checkMissing(found, input, key, entry, config);
    }
    const unknown = unknownKeys(input, entries);
    // An unknown key does not make the known ones wrong: the object stays typed, so a union
    // reports this option's problems rather than "none matched".
    if (unknown.length > 0) {
      found.issues.push(
        issue(config, { type: 'strict_object', input, expected: 'never', keys: unknown }),
      );
    }
    return datasetOf(found);
  });
}

/** A required key that is not there, reported by its own schema (`expected string`). */
function checkMissing(
  found: Found,
  input: Record<string, unknown>,
  key: string,
  entry: v.GenericSchema,
  config: v.Config<Issue>,
): void {
  const result = entry['~run']({ value: undefined }, config);
  // A schema that takes anything (`v.unknown()`) still needs its key.
  const issues = result.issues ?? [
    issue(config, { type: 'non_optional', input: undefined, expected: '!undefined' }),
  ];
  found.issues.push(...under(issues, input, key));
  found.typed = false;
}

function unknownKeys(input: Record<string, unknown>, entries: v.ObjectEntries): string[] {
  const unknown: string[] = [];
  for (const key in input) if (!Object.hasOwn(entries, key)) unknown.push(key);
  return unknown;
}

/** A mapping from string keys to `value`s (`config: { promiscuous: true }`). */
export function record<V extends v.GenericSchema>(
  value: V,
): v.RecordSchema<v.StringSchema<undefined>, V, undefined> {
  return withRun(v.record(v.string(), value), (dataset, config) => {
    const input = dataset.value;
    if (!isPlainMapping(input)) return typeFailure(config, 'record', input);
    const found: Found = { value: {}, issues: [], typed: true };
    for (const key of Object.keys(input)) {
      // Never a key of the result: assigning it would set the result's prototype.
      if (key !== '__proto__') checkValue(found, input, key, value, config);
    }
    return datasetOf(found);
  });
}

function isPlainMapping(value: unknown): value is Record<string, unknown> {
  if (!isMapping(value)) return false;
  const prototype: unknown = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}

/** A list of at most `max` items; one over it is refused before any item is read. */
export function list<T extends v.GenericSchema>(
  item: T,
  max: number,
  message?: string,
): v.GenericSchema<v.InferInput<T>[], v.InferOutput<T>[]> {
  const cap = v.maxLength<unknown[], number, string | undefined>(max, message);
  const schema = v.pipe(v.array(item), cap);
  const run = schema['~run'].bind(schema);
  return withRun(schema, (dataset, config) => {
    const input = dataset.value;
    if (!Array.isArray(input) || input.length <= max) return run(dataset, config);
    const { issues } = cap['~run']({ typed: true, value: input }, config);
    return issues ? { typed: false, value: input, issues } : run(dataset, config);
  });
}

const FAILS_LIKE_A_TYPE = new Set(['finite', 'integer']);

/** `schema`, failing like a wrong type at its first `finite` or `integer` problem. */
function typeLike(schema: v.GenericSchema<number>): v.GenericSchema<number> {
  const run = schema['~run'].bind(schema);
  return withRun(schema, (dataset, config) => {
    const result = run(dataset, config);
    const at = result.issues?.findIndex((found) => FAILS_LIKE_A_TYPE.has(found.type)) ?? -1;
    if (at < 0 || !result.issues) return result;
    return { typed: false, value: result.value, issues: result.issues.slice(0, at + 1) as Issues };
  });
}

/** A number that JSON and YAML can both write: never NaN or infinite. */
export function finiteNumber(): v.GenericSchema<number> {
  return typeLike(v.pipe(v.number(), v.finite()));
}

/** A whole, safe integer; bounds go in a `v.pipe` around it. `message` replaces the default words. */
export function wholeNumber(message?: string): v.GenericSchema<number> {
  return typeLike(v.pipe(v.number(), v.finite(), v.integer(message), v.safeInteger(message)));
}

/** How many characters (Unicode code points) a text has: an emoji counts one, as people count. */
export function charCount(text: string): number {
  let count = text.length;
  for (let i = 0; i < text.length - 1; i++) {
    const high = text.charCodeAt(i);
    if (high < 0xd800 || high > 0xdbff) continue;
    const low = text.charCodeAt(i + 1);
    if (low >= 0xdc00 && low <= 0xdfff) {
      count--;
      i++;
    }
  }
  return count;
}

/**
 * At most `max` characters (code points, not UTF-16 units: `v.maxLength` counts an emoji twice).
 * `maxChars` on the action lets the JSON Schema say `maxLength`, which counts code points too.
 */
export function maxChars(max: number, message: string) {
  const check = v.check<string, string>(
    (text) => text.length <= max || charCount(text) <= max,
    message,
  );
  return Object.assign(check, { maxChars: max });
}
