/**
 * The "time to a verdict" benchmark's labs (bench/verdict-labs.ts) are labs the project
 * accepts: each parses with no error and has the objectives its shape promises (one for e4,
 * one per host for nN), each a `reachable` check towards the server.
 */
import { describe, expect, it } from 'vitest';
import { parseLab } from '../../../core/lab';
import { MAX_HOSTS, scaledLab, verdictLab, verdictLabs } from '../../../bench/verdict-labs';

describe('verdict benchmark labs', () => {
  it.each(verdictLabs([1, 10, 50, 200, MAX_HOSTS]).map((lab) => [lab.name, lab] as const))(
    '%s parses with no error and has its objectives',
    (_name, lab) => {
      const parsed = parseLab(lab.text);
      expect(parsed.violations.filter((v) => v.severity === 'error')).toEqual([]);
      if (!parsed.ok) throw new Error('not parsed');
      expect(parsed.lab.objectives).toHaveLength(lab.objectives);
      const server = lab.name === 'e4' ? '10.0.0.22' : '10.0.0.254';
      for (const objective of parsed.lab.objectives)
        expect(objective.check).toMatchObject({ kind: 'reachable', to: server });
    },
  );

  it('names e4 and nN labs by their objective counts', () => {
    expect(verdictLab('e4').objectives).toBe(1);
    expect(verdictLab('n50').objectives).toBe(50);
    expect(verdictLabs([10, 50, 200]).map((l) => l.name)).toEqual(['e4', 'n10', 'n50', 'n200']);
  });

  it('refuses sizes that do not fit the /24 the labs share', () => {
    expect(() => scaledLab(0)).toThrow(RangeError);
    expect(() => scaledLab(MAX_HOSTS + 1)).toThrow(RangeError);
    expect(() => verdictLab('x5')).toThrow(RangeError);
  });
});
