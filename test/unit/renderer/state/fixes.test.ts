/**
 * The fix a refusal offers finishes the change it was offered for: it removes the obstacle,
 * then makes the refused edit, and says what it did in one sentence (renderer/src/state/
 * fixes.ts). Each fix is two changes in the history (the core records one per edit), so the
 * sentence says Undo takes them back one at a time.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseLab } from '../../../../core/lab';
import type { Lab } from '../../../../core/model/lab';
import type { RuleError } from '../../../../core/model/errors';
import { fixFor } from '../../../../renderer/src/state/fixes';
import { planned } from '../../../../renderer/src/state/edits';
import { lookupLab } from '../../../../renderer/src/state/lab-lookup';

const E1 = readFileSync(
  new URL('../../../../labs/e1-nested-vm-out.lab.yaml', import.meta.url),
  'utf8',
);

function e1(): Lab {
  const parsed = parseLab(E1);
  if (!parsed.ok) throw new Error('E1 does not parse');
  return parsed.lab;
}

function refusal(code: RuleError['code'], rule: string): RuleError {
  return { ok: false, code, rule, message: 'refused' };
}

describe('the fix a refusal offers', () => {
  it('A2: "Stop esxi first" stops esxi, then enables promiscuous mode, and says both', () => {
    const lab = e1();
    const enable = planned('adapter.setPromiscuous', { adapter: 'esxi-nic0', promiscuous: true });
    const fix = fixFor(refusal('vm-not-stopped', 'A2'), enable, lab, lookupLab(lab), undefined);
    expect(fix?.label).toBe('Stop esxi first');
    expect(fix?.edits).toEqual([planned('vm.setPower', { vm: 'esxi', state: 'stopped' }), enable]);
    expect(fix?.done).toBe(
      'Stopped esxi, then enabled promiscuous mode on esxi-nic0. Undo twice to take both back.',
    );
  });

  it('A5: "Stop client first" stops client, then turns on nested virtualization', () => {
    const lab = e1();
    const nesting = planned('vm.setNestedVirtualization', { vm: 'client', enabled: true });
    const fix = fixFor(refusal('vm-not-stopped', 'A5'), nesting, lab, lookupLab(lab), undefined);
    expect(fix?.edits).toEqual([
      planned('vm.setPower', { vm: 'client', state: 'stopped' }),
      nesting,
    ]);
    expect(fix?.done).toBe(
      'Stopped client, then turned on nested virtualization for client. Undo twice to take both back.',
    );
  });

  it('A6: a fix that replaces the refused edit makes only its own change', () => {
    const lab = e1();
    const taken = planned('adapter.setMac', { adapter: 'client-nic0', mac: '02:00:00:00:00:01' });
    const fix = fixFor(refusal('duplicate-mac', 'A6'), taken, lab, lookupLab(lab), undefined);
    expect(fix?.edits).toHaveLength(1);
    expect(fix?.edits[0]?.name).toBe('adapter.setMac');
    expect(fix?.done).toMatch(/^Gave client-nic0 the free MAC [0-9a-f:]{17}\.$/);
  });
});
