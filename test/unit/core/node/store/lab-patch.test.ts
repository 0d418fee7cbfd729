/**
 * The store's lab patches (core/node/store/lab-patch.ts): applying `diff(a, b)` to `a`
 * gives `b` and the reverse patch gives `a` back, for any JSON values; the input is never
 * changed; untouched branches are shared; a one-field edit of a lab is a one-op patch.
 */
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseLab } from '../../../../../core/lab';
import { applyEdit } from '../../../../../core/rules';
import { applyPatch, deepEqual, diff } from '../../../../../core/node/store/lab-patch';

const json = fc.jsonValue({ maxDepth: 4 });

describe('lab patches', () => {
  it('diff then apply turns a into b, and the reverse patch turns b back into a', () => {
    fc.assert(
      fc.property(json, json, (a, b) => {
        const frozenA = structuredClone(a);
        expect(deepEqual(applyPatch(a, diff(a, b)), b)).toBe(true);
        expect(deepEqual(applyPatch(b, diff(b, a)), a)).toBe(true);
        expect(a).toEqual(frozenA);
      }),
      { numRuns: 500 },
    );
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

  it('treats a key holding undefined as absent, as JSON does', () => {
    expect(diff({ a: 1, b: undefined }, { a: 1 })).toEqual([]);
    expect(applyPatch({ a: 1, b: 2 }, diff({ a: 1, b: 2 }, { a: 1 }))).toEqual({ a: 1 });
  });
});
