/**
 * The store's lab patches (core/node/store/lab-patch.ts): applying `diff(a, b)` to `a`
 * gives `b` and the reverse patch gives `a` back, for any JSON values; the input is never
 * changed; untouched branches are shared; a one-field edit of a lab is a one-op patch; keys
 * that name `Object.prototype` members (`__proto__`, `constructor`) round-trip like any other.
 */
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseLab } from '../../../../../core/lab';
import { applyEdit } from '../../../../../core/rules';
import { applyPatch, deepEqual, diff } from '../../../../../core/node/store/lab-patch';

const json = fc.jsonValue({ maxDepth: 4 });

/** Keys a user's YAML may hold that plain `obj[key]` reads or writes get wrong. */
const prototypeKeys = ['__proto__', 'constructor', 'toString', 'hasOwnProperty'];

/** JSON values whose object keys are mostly prototype member names. */
const { value: hostileJson } = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    fc.oneof(fc.constant(null), fc.integer(), fc.string({ maxLength: 3 })),
    fc.array(tie('value'), { maxLength: 3 }),
    fc.dictionary(
      fc.oneof(fc.constantFrom(...prototypeKeys), fc.constantFrom('a', 'b')),
      tie('value'),
      { maxKeys: 4, noNullPrototype: true },
    ),
  ),
}));

/** The value as a user's file parses: `JSON.parse` makes `__proto__` an own key. */
function parsed(text: string): unknown {
  return JSON.parse(text) as unknown;
}

/** `value` as JSON text with sorted keys: an independent check on `deepEqual`. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (typeof value === 'object' && value !== null) {
    const entries = Object.entries(value).filter(([, item]) => item !== undefined);
    entries.sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0));
    return `{${entries.map(([k, item]) => `${JSON.stringify(k)}:${canonical(item)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/** `diff` then `applyPatch` turns `a` into `b` and back, leaving `a` unchanged. */
function roundTrips(a: unknown, b: unknown): void {
  const frozenA = structuredClone(a);
  const forward = applyPatch(a, diff(a, b));
  expect(deepEqual(forward, b)).toBe(true);
  expect(canonical(forward)).toBe(canonical(b));
  expect(deepEqual(applyPatch(b, diff(b, a)), a)).toBe(true);
  expect(a).toEqual(frozenA);
}

describe('lab patches', () => {
  it('diff then apply turns a into b, and the reverse patch turns b back into a', () => {
    fc.assert(fc.property(json, json, roundTrips), { numRuns: 500 });
  });

  it('round-trips arrays with insertions and removals in the middle', () => {
    const list = fc.array(fc.integer({ min: 0, max: 5 }), { maxLength: 12 });
    fc.assert(
      fc.property(list, list, (a, b) => {
        expect(applyPatch({ xs: a }, diff({ xs: a }, { xs: b }))).toEqual({ xs: b });
      }),
      { numRuns: 500 },
    );
  });

  it('a one-adapter edit of E1 is a one-op patch, and unchanged branches stay shared', () => {
    const parsed = parseLab(
      readFileSync(
        new URL('../../../../../labs/e1-nested-vm-out.lab.yaml', import.meta.url),
        'utf8',
      ),
    );
    if (!parsed.ok) throw new Error('E1 does not parse');
    const stopped = applyEdit(parsed.lab, 'ben', {
      type: 'vm.setPower',
      vm: 'esxi',
      state: 'stopped',
    });
    if (!stopped.ok) throw new Error(stopped.message);
    const ops = diff(parsed.lab, stopped.lab);
    expect(ops).toEqual([{ op: 'set', path: ['vms', 0, 'power'], value: 'stopped' }]);
    const patched = applyPatch(parsed.lab, ops);
    expect(patched.users).toBe(parsed.lab.users);
    expect(patched.vms[0]?.adapters).toBe(parsed.lab.vms[0]?.adapters);
    expect(patched.vms[0]?.power).toBe('stopped');
    expect(parsed.lab.vms[0]?.power).toBe('running');
  });

  it('stores a `__proto__` key as an own key, never as the prototype (fast-check seed 367746837)', () => {
    const withProto = parsed('{"__proto__": null}');
    const ops = diff({}, withProto);
    expect(ops).toEqual([{ op: 'set', path: ['__proto__'], value: null }]);
    const patched = applyPatch({}, ops);
    expect(Object.keys(patched)).toEqual(['__proto__']);
    expect(Object.getPrototypeOf(patched)).toBe(Object.prototype);
    expect(JSON.stringify(patched)).toBe('{"__proto__":null}');
    roundTrips({}, withProto);
    roundTrips(parsed('{"__proto__": {"x": 1}}'), parsed('{"__proto__": {"x": 2}}'));
  });

  it('does not read a missing `__proto__` or `constructor` key from Object.prototype', () => {
    // Read through `obj[key]`, these would compare against Object.prototype and Object.
    expect(diff(parsed('{"constructor": 1}'), {})).toEqual([
      { op: 'delete', path: ['constructor'] },
    ]);
    expect(diff({}, parsed('{"__proto__": {"x": 1}}'))).toEqual([
      { op: 'set', path: ['__proto__'], value: { x: 1 } },
    ]);
    expect(deepEqual(parsed('{"__proto__": {}}'), { toString: {} })).toBe(false);
    expect(deepEqual(parsed('{"constructor": {}}'), { toString: {} })).toBe(false);
    roundTrips(parsed('{"constructor": {"name": "x"}}'), parsed('{"constructor": {"name": "y"}}'));
    roundTrips(parsed('{"a": {"constructor": 1}}'), parsed('{"a": {}}'));
  });

  it('round-trips any JSON whose keys name Object.prototype members', () => {
    fc.assert(fc.property(hostileJson, hostileJson, roundTrips), { numRuns: 500 });
  });

  it('treats a key holding undefined as absent, as JSON does', () => {
    expect(diff({ a: 1, b: undefined }, { a: 1 })).toEqual([]);
    expect(applyPatch({ a: 1, b: 2 }, diff({ a: 1, b: 2 }, { a: 1 }))).toEqual({ a: 1 });
  });
});
