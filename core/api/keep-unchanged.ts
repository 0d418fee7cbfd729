/**
 * Structural sharing for edited labs. Edits work on a deep copy of the lab (a refused edit
 * must leave the lab untouched, core/rules/draft.ts), so an accepted edit to one VM of a
 * 1,000-node lab yields a value that shares nothing with the lab before it, and everything
 * that compares the two (the store's history patches, the next edit's diff) walks all of
 * it. `keepUnchanged(before, after)` gives a value deep-equal to `after` in which every
 * part equal to the same part of `before` is `before`'s own object, so such comparisons
 * stop at the first identical container. Labs are immutable values, so sharing is safe.
 */

type Plain = Record<string, unknown>;

function isPlain(value: unknown): value is Plain {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function keepUnchanged<T>(before: T, after: T): T {
  return share(before, after) as T;
}

function share(a: unknown, b: unknown): unknown {
  if (a === b) return a;
  if (Array.isArray(a) && Array.isArray(b)) return shareArray(a, b);
  if (isPlain(a) && isPlain(b)) return shareObject(a, b);
  return b;
}

function shareArray(a: readonly unknown[], b: readonly unknown[]): readonly unknown[] {
  let same = a.length === b.length;
  const out = new Array<unknown>(b.length);
  for (let i = 0; i < b.length; i += 1) {
    const value = i < a.length ? share(a[i], b[i]) : b[i];
    out[i] = value;
    if (value !== a[i]) same = false;
  }
  return same ? a : out;
}

function shareObject(a: Plain, b: Plain): Plain {
  const keys = Object.keys(b);
  const values = new Array<unknown>(keys.length);
  let same = keys.length === Object.keys(a).length;
  keys.forEach((key, i) => {
    const own = Object.hasOwn(a, key);
    values[i] = own ? share(a[key], b[key]) : b[key];
    if (!own || values[i] !== a[key]) same = false;
  });
  if (same) return a;
  const out: Plain = {};
  // defineProperty: a key named __proto__ (JSON allows it) stays a key, as JSON.parse made it.
  keys.forEach((key, i) => {
    Object.defineProperty(out, key, {
      value: values[i],
      enumerable: true,
      writable: true,
      configurable: true,
    });
  });
  return out;
}
