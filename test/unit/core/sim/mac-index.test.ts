import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MacIndex } from '../../../../core/sim/mac-index';

const mac = fc.integer({ min: 0, max: 2 ** 48 - 1 });

describe('MAC index (the hot lookup of a network’s static entries)', () => {
  it('gives what a Map gives: the value last set for a MAC, else -1', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(mac, fc.nat({ max: 2 ** 31 - 1 })), { maxLength: 300 }),
        fc.array(mac, { maxLength: 50 }),
        (entries, probes) => {
          const index = new MacIndex();
          const map = new Map<number, number>();
          for (const [m, v] of entries) {
            index.set(m, v);
            map.set(m, v);
          }
          for (const m of [...map.keys(), ...probes]) expect(index.get(m)).toBe(map.get(m) ?? -1);
        },
      ),
    );
  });

  it('tells apart MACs that share their low 32 or high 16 bits', () => {
    const index = new MacIndex();
    const macs = [
      0,
      1,
      2 ** 32,
      2 ** 32 + 1,
      2 ** 47,
      2 ** 48 - 1,
      0x0200_0000_0001,
      0x0300_0000_0001,
    ];
    macs.forEach((m, i) => index.set(m, i));
    macs.forEach((m, i) => expect(index.get(m)).toBe(i));
    expect(index.get(0x0400_0000_0001)).toBe(-1);
  });
});
