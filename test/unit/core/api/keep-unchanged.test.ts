import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { keepUnchanged } from '../../../../core/api/keep-unchanged';

const before = {
  title: 'Lab',
  networks: [{ id: 'lan' }, { id: 'wan' }],
  vms: [
    { id: 'a', power: 'running', adapters: [{ id: 'a0', network: 'lan' }] },
    { id: 'b', power: 'running', adapters: [] },
  ],
};

describe('keepUnchanged', () => {
  it('gives the old value itself when nothing changed', () => {
    const copy = JSON.parse(JSON.stringify(before)) as typeof before;
    expect(keepUnchanged(before, copy)).toBe(before);
  });

  it('shares every untouched part and copies only the changed path', () => {
    const after = JSON.parse(JSON.stringify(before)) as typeof before;
    (after.vms[1] as { power: string }).power = 'stopped';
    const shared = keepUnchanged(before, after);
    expect(shared).toEqual(after);
    expect(shared).not.toBe(before);
    expect(shared.networks).toBe(before.networks);
    expect(shared.vms).not.toBe(before.vms);
    expect(shared.vms[0]).toBe(before.vms[0]);
    expect(shared.vms[1]).not.toBe(before.vms[1]);
    expect(shared.vms[1]?.adapters).toBe(before.vms[1]?.adapters);
  });

  it('keeps added and removed keys and items as the new value has them', () => {
    const after = {
      title: 'Lab',
      networks: [{ id: 'lan' }],
      vms: before.vms.map((vm) => ({ ...vm, name: vm.id })),
    };
    const shared = keepUnchanged<unknown>(before, after);
    expect(shared).toEqual(after);
    const { title: _title, ...withoutTitle } = before;
    expect(keepUnchanged<unknown>(before, withoutTitle)).toEqual(withoutTitle);
  });

  it('is deep-equal to the new value for any pair of JSON values', () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.jsonValue(), (a, b) => {
        expect(keepUnchanged(a, b)).toEqual(b);
        expect(keepUnchanged(a, structuredClone(a))).toBe(a);
      }),
    );
  });
});
