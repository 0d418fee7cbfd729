/**
 * Patches between two labs as plain JSON values, so the store keeps each change of an
 * attempt as a small forward and backward patch instead of a whole lab. `diff(a, b)` gives
 * operations that `applyPatch(a, ops)` turns into a value deep-equal to `b`; `applyPatch`
 * never changes its input (containers on the changed paths are copied, the rest shared).
 * Keys whose value is `undefined` count as absent, as in JSON. Any key round-trips, including
 * `__proto__` and `constructor` (lab data comes from users' YAML): objects are read through
 * their own properties only and written with `defineProperty`, never `obj[key] = …`, which
 * would read `Object.prototype` or change the copy's prototype.
 */

export type PathKey = string | number;

export type PatchOp =
  | { readonly op: 'set'; readonly path: readonly PathKey[]; readonly value: unknown }
  | { readonly op: 'delete'; readonly path: readonly PathKey[] }
  | {
      readonly op: 'splice';
      readonly path: readonly PathKey[];
      readonly start: number;
      readonly remove: number;
      readonly insert: readonly unknown[];
    };

type Plain = Record<string, unknown>;

function isPlain(value: unknown): value is Plain {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** `value`'s own property `key`; an inherited one (`constructor`, `__proto__`) is absent. */
function own(value: Plain, key: string): unknown {
  return Object.hasOwn(value, key) ? value[key] : undefined;
}

/** Stores `item` as an own data property; assigning to `__proto__` would set the prototype. */
function setOwn(target: Plain, key: string, item: unknown): void {
  Object.defineProperty(target, key, {
    value: item,
    writable: true,
    enumerable: true,
    configurable: true,
  });
}

function definedKeys(value: Plain): string[] {
  return Object.keys(value).filter((k) => value[k] !== undefined);
}

export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) && Array.isArray(b))
    return a.length === b.length && a.every((item, i) => deepEqual(item, b[i]));
  if (isPlain(a) && isPlain(b)) {
    const keys = definedKeys(a);
    return keys.length === definedKeys(b).length && keys.every((k) => deepEqual(a[k], own(b, k)));
  }
  return false;
}

/** The operations that turn `a` into `b`. */
export function diff(a: unknown, b: unknown): PatchOp[] {
  const ops: PatchOp[] = [];
  walk(a, b, [], ops);
  return ops;
}

function walk(a: unknown, b: unknown, path: PathKey[], ops: PatchOp[]): void {
  if (a === b) return;
  if (Array.isArray(a) && Array.isArray(b)) return walkArray(a, b, path, ops);
  if (isPlain(a) && isPlain(b)) {
    for (const key of definedKeys(a))
      if (own(b, key) === undefined) ops.push({ op: 'delete', path: [...path, key] });
    for (const key of definedKeys(b)) {
      const before = own(a, key);
      if (before === undefined) ops.push({ op: 'set', path: [...path, key], value: b[key] });
      else walk(before, b[key], [...path, key], ops);
    }
    return;
  }
  if (!deepEqual(a, b)) ops.push({ op: 'set', path, value: b });
}

function walkArray(
  a: readonly unknown[],
  b: readonly unknown[],
  path: PathKey[],
  ops: PatchOp[],
): void {
  if (a.length === b.length) {
    a.forEach((item, i) => walk(item, b[i], [...path, i], ops));
    return;
  }
  // An insertion or removal: keep the common ends, splice the middle.
  let start = 0;
  while (start < a.length && start < b.length && deepEqual(a[start], b[start])) start++;
  let endA = a.length;
  let endB = b.length;
  while (endA > start && endB > start && deepEqual(a[endA - 1], b[endB - 1])) {
    endA--;
    endB--;
  }
  ops.push({ op: 'splice', path, start, remove: endA - start, insert: b.slice(start, endB) });
}

/** `doc` with `ops` applied, sharing every container the patch does not touch. */
export function applyPatch<T>(doc: T, ops: readonly PatchOp[]): T {
  let result: unknown = doc;
  for (const op of ops) result = applyOne(result, op, 0);
  return result as T;
}

function applyOne(node: unknown, op: PatchOp, depth: number): unknown {
  if (depth === op.path.length) {
    if (op.op === 'set') return op.value;
    if (op.op === 'splice') {
      if (!Array.isArray(node))
        throw new Error(`Patch splices a non-array at ${op.path.join('.')}.`);
      const copy = [...node];
      copy.splice(op.start, op.remove, ...op.insert);
      return copy;
    }
    throw new Error('A delete patch needs a key.');
  }
  const key = op.path[depth] as PathKey;
  const last = depth === op.path.length - 1;
  if (Array.isArray(node) && typeof key === 'number') {
    const copy = [...node];
    copy[key] = applyOne(node[key], op, depth + 1);
    return copy;
  }
  if (isPlain(node) && typeof key === 'string') {
    const copy: Plain = { ...node };
    if (last && op.op === 'delete') delete copy[key];
    else setOwn(copy, key, applyOne(own(node, key), op, depth + 1));
    return copy;
  }
  throw new Error(`Patch path ${op.path.join('.')} does not fit the lab.`);
}
