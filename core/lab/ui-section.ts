/**
 * The `ui` section as the api takes it (`lab.setUi`): whatever a lab file's `ui:` can hold and
 * read back, so every ui the app stores exports to a file that `nestlab check` accepts and that
 * re-imports equal (lab-format.md, "Editor layout"). The YAML reader's own limits decide:
 * plain data only (text, numbers, booleans, null, lists, mappings), no key it refuses
 * (`__proto__`, `constructor`, `prototype`), no deeper than its MAX_DEPTH counting the file's
 * top-level mapping, no more values than it reads, and no more text than a file may hold. The
 * walk is iterative and bounded by those limits, so a hostile value (a million levels, a cycle,
 * shared branches) costs no more than a file could.
 */
import * as v from 'valibot';
import { thousands } from '../common/numbers';
import { FORBIDDEN_KEYS } from './yaml-scan';
import { MAX_DEPTH, MAX_EXPANDED_NODES, MAX_LAB_BYTES } from './yaml-source';

/** `ui:` is a value of the file's top-level mapping, which is the first of MAX_DEPTH levels. */
export const UI_MAX_DEPTH = MAX_DEPTH - 1;

/** A value still to look at, with the way to it (kept as links: a path is built only to report it). */
interface Pending {
  readonly value: unknown;
  readonly key: string | number;
  readonly parent: Pending | undefined;
  /** Collections around it: 0 for `ui` itself. */
  readonly depth: number;
}

/** `ui.positions.web1`, shortened in the middle when it is long (a deep value's path is). */
function pathText(at: Pending): string {
  const parts: string[] = [];
  for (let p: Pending | undefined = at; p?.parent !== undefined; p = p.parent)
    parts.push(typeof p.key === 'number' ? `[${p.key}]` : `.${p.key}`);
  parts.reverse();
  const shown = parts.length > 12 ? [...parts.slice(0, 6), '.…', ...parts.slice(-3)] : parts;
  return `ui${shown.join('')}`;
}

function isPlainMapping(value: object): boolean {
  const prototype: unknown = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}

const SCALARS = new Set(['string', 'number', 'boolean', 'undefined']);

/** What one value holds: nothing (a scalar), a list's length, a mapping's keys; or its problem. */
type Look = { problem: string } | { items: number } | { keys: readonly string[] };

function look(at: Pending): Look {
  const { value } = at;
  if (value === null || SCALARS.has(typeof value)) return { items: 0 };
  if (typeof value !== 'object' || !(Array.isArray(value) || isPlainMapping(value))) {
    const kind = typeof value === 'object' ? 'an object of its own kind' : `a ${typeof value}`;
    return {
      problem: `${pathText(at)} is ${kind}; a lab file's ui holds only text, numbers, true or false, null, lists and mappings`,
    };
  }
  if (at.depth + 1 > UI_MAX_DEPTH)
    return {
      problem: `The ui is nested deeper than ${UI_MAX_DEPTH} levels (at ${pathText(at)}); a lab file is nested at most ${MAX_DEPTH} levels, its top level included. Keep the ui flatter`,
    };
  if (Array.isArray(value)) return { items: value.length };
  const keys = Object.keys(value);
  const forbidden = keys.find((key) => FORBIDDEN_KEYS.has(key));
  if (forbidden !== undefined)
    return {
      problem: `The key "${forbidden}" in ${pathText(at)} is not allowed in a lab file, so a file could not keep it; rename it`,
    };
  return { keys };
}

const TOO_MANY_VALUES = `The ui holds more than ${thousands(MAX_EXPANDED_NODES)} values, more than a lab file can; keep less there`;
const TOO_MUCH_TEXT = `The ui holds more than ${thousands(MAX_LAB_BYTES)} characters of text, more than a lab file may (5 MB); keep less there`;

/**
 * The first thing in `ui` that a lab file could not hold, as a message that says what to do
 * (no final stop: the api's refusal adds it); undefined when the whole of it fits.
 */
export function uiProblem(ui: unknown): string | undefined {
  const stack: Pending[] = [{ value: ui, key: '', parent: undefined, depth: 0 }];
  // Values seen or waiting, each counted once where it sits, as a file would write it out.
  let values = 1;
  // UTF-16 units: never more than the UTF-8 bytes a file would take, so only a sure excess is refused.
  let text = 0;
  for (let at = stack.pop(); at !== undefined; at = stack.pop()) {
    if (typeof at.value === 'string') text += at.value.length;
    const found = look(at);
    if ('problem' in found) return found.problem;
    const count = 'keys' in found ? found.keys.length : found.items;
    values += count;
    if (values > MAX_EXPANDED_NODES) return TOO_MANY_VALUES;
    const parent = at;
    const child = (key: string | number, value: unknown): Pending => ({
      value,
      key,
      parent,
      depth: parent.depth + 1,
    });
    // Pushed last to first, so the first child is looked at first (and reported first).
    if ('keys' in found) {
      const record = at.value as Record<string, unknown>;
      for (let i = count - 1; i >= 0; i--) {
        const key = found.keys[i] ?? '';
        text += key.length;
        stack.push(child(key, record[key]));
      }
    } else {
      const list = at.value as readonly unknown[];
      for (let i = count - 1; i >= 0; i--) stack.push(child(i, list[i]));
    }
    if (text > MAX_LAB_BYTES) return TOO_MUCH_TEXT;
  }
  return undefined;
}

/** `lab.setUi`'s argument: a mapping that a lab file's `ui:` can hold (see uiProblem). */
export const uiSchema = v.pipe(
  v.custom<Record<string, unknown>>(
    (value) =>
      typeof value === 'object' && value !== null && !Array.isArray(value) && isPlainMapping(value),
    'Expected a mapping',
  ),
  v.rawCheck(({ dataset, addIssue }) => {
    if (!dataset.typed) return;
    const problem = uiProblem(dataset.value);
    if (problem !== undefined) addIssue({ message: problem });
  }),
);
