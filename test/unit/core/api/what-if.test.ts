import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  applyWhatIf,
  compareTraffic,
  describeChange,
  originFates,
} from '../../../../core/api/what-if';
import type { CompareResult } from '../../../../core/api';
import { parseLab } from '../../../../core/lab/parse';
import type { Lab, TrafficStep } from '../../../../core/model';
import type { TraceEvent } from '../../../../core/sim';

function loadLab(name: string): Lab {
  const text = readFileSync(new URL(`../../../../labs/${name}.lab.yaml`, import.meta.url), 'utf8');
  const parsed = parseLab(text);
  if (!parsed.ok) throw new Error(parsed.violations[0]?.message);
  return parsed.lab;
}

const E1 = loadLab('e1-nested-vm-out');
const E5 = loadLab('e5-bridge-loop');
const E7 = loadLab('e7-rule-traps');

const PING_GATEWAY: TrafficStep = { kind: 'ping', from: 'web1', to: '10.0.0.254', count: 1 };

function compared(result: CompareResult): Extract<CompareResult, { ok: true }> {
  if (!result.ok) throw new Error(result.message);
  return result;
}

describe('what-if changes', () => {
  it('a what-if is not an edit: no permission or power rule (P5, A2) stops it', async () => {
    // esxi is running and the acting user has no say: an edit would be refused (A2).
    const changed = applyWhatIf(E1, { adapter: 'esxi-nic0', promiscuous: true });
    expect(changed.ok).toBe(true);
    if (changed.ok) expect(changed.lab.vms[0]?.adapters[0]?.promiscuous).toBe(true);
    expect(E1.vms[0]?.adapters[0]?.promiscuous).toBe(false);
    const stopped = applyWhatIf(E1, { vm: 'web1', power: 'stopped' });
    expect(stopped.ok && stopped.lab.vms[0]?.nested[0]?.power).toBe('stopped');
    const stp = applyWhatIf(E5, { vm: 'br2', stp: true });
    expect(stp.ok && stp.lab.vms.find((vm) => vm.id === 'br2')?.stp).toBe(true);
  });

  it('refuses an unknown adapter or VM with not-found', async () => {
    expect(applyWhatIf(E1, { adapter: 'nope', promiscuous: true })).toMatchObject({
      ok: false,
      code: 'not-found',
    });
    expect(applyWhatIf(E1, { vm: 'nope', stp: true })).toMatchObject({ code: 'not-found' });
  });

  it('refuses a change that makes the lab break a static rule (P2, A3, A4), naming it', async () => {
    // E7's account feature is only requested: a promiscuous adapter would break P2.
    expect(applyWhatIf(E7, { adapter: 'app-nic0', promiscuous: true })).toMatchObject({
      ok: false,
      code: 'feature-disabled',
      rule: 'P2',
      message: expect.stringMatching(/^app-nic0 promiscuous on \(it is off\) would break a rule/),
    });
    const enabled: Lab = { ...E7, account: { promiscuousMode: 'enabled' } };
    const one = applyWhatIf(enabled, { adapter: 'db-nic0', promiscuous: true });
    expect(one.ok).toBe(true);
    if (!one.ok) return;
    expect(applyWhatIf(one.lab, { adapter: 'db-nic1', promiscuous: true })).toMatchObject({
      code: 'one-per-network',
      rule: 'A3',
    });
    expect(applyWhatIf(enabled, { adapter: 'aix-nic0', promiscuous: true })).toMatchObject({
      code: 'unsupported-architecture',
      rule: 'A4',
    });
  });

  it('says the change in one sentence, with the setting as it is', async () => {
    expect(describeChange(E1, { adapter: 'esxi-nic0', promiscuous: true })).toBe(
      'esxi-nic0 promiscuous on (it is off)',
    );
    expect(describeChange(E1, { adapter: 'esxi-nic0', promiscuous: false })).toBe(
      'esxi-nic0 promiscuous off (it already is)',
    );
    expect(describeChange(E1, { vm: 'esxi', power: 'stopped' })).toBe(
      'esxi stopped (it is running)',
    );
    expect(describeChange(E5, { vm: 'br1', stp: true })).toBe('br1 STP on (it is off)');
  });
});

describe('what-if comparison', () => {
  it('E1: with the uplink promiscuous, the ARP dropped forged-source at lan reaches the gateway', async () => {
    const result = compared(
      compareTraffic(E1, [PING_GATEWAY], { adapter: 'esxi-nic0', promiscuous: true }),
    );
    expect(result).toMatchObject({ change: 'esxi-nic0 promiscuous on (it is off)', steps: 1 });
    const [arp] = result.differences;
    expect(arp).toMatchObject({
      step: 0,
      stepSummary: 'web1 → 10.0.0.254: no reply, dropped at lan: forged-source (F2)',
      proto: 'arp',
      src: '02:00:00:00:01:01',
      dst: 'ff:ff:ff:ff:ff:ff',
    });
    expect(arp?.before?.dropped).toContainEqual({ at: 'lan', reason: 'forged-source', rule: 'F2' });
    expect(arp?.after?.delivered).toContain('lan:gateway');
    expect(arp?.after?.dropped).toEqual([]);
    // Frames sent on one side only: the gateway's reply and the pings now; the retries before.
    const afterOnly = result.differences.filter((d) => d.before === undefined);
    expect(afterOnly.map((d) => d.proto)).toEqual(['arp', 'icmp', 'icmp']);
    expect(afterOnly[0]?.after?.delivered).toEqual(['web1-nic0']);
    const beforeOnly = result.differences.filter((d) => d.after === undefined);
    expect(beforeOnly).toHaveLength(2);
    expect(beforeOnly.at(-1)?.before?.dropped).toContainEqual({
      at: 'web1-nic0',
      reason: 'arp-timeout',
      rule: 'D6',
    });
  });

  it('lists nothing when the change changes no fate, and nothing at all without traffic', async () => {
    const same = compared(compareTraffic(E1, [PING_GATEWAY], { vm: 'client', power: 'running' }));
    expect(same).toMatchObject({ steps: 1, differences: [] });
    expect(compareTraffic(E1, [], { adapter: 'esxi-nic0', promiscuous: true })).toEqual({
      ok: true,
      change: 'esxi-nic0 promiscuous on (it is off)',
      steps: 0,
      differences: [],
      notices: [],
    });
    const editsOnly: TrafficStep[] = [{ kind: 'power', vm: 'esxi', state: 'stopped' }];
    expect(compareTraffic(E1, editsOnly, { vm: 'esxi', stp: true })).toMatchObject({ steps: 0 });
  });

  it('replays script edits through the rules on both sides (P5, A2)', async () => {
    const steps: TrafficStep[] = [
      { kind: 'power', vm: 'esxi', state: 'stopped' },
      { kind: 'set', actor: 'ana', adapter: 'esxi-nic0', promiscuous: true },
      { kind: 'power', vm: 'esxi', state: 'running' },
      PING_GATEWAY,
    ];
    // The script makes the uplink promiscuous itself: stopping web1 is what now matters.
    const result = compared(compareTraffic(E1, steps, { vm: 'web1', power: 'stopped' }));
    expect(result.steps).toBe(4);
    expect(result.differences.every((d) => d.step === 3)).toBe(true);
    const [first] = result.differences;
    expect(first?.before?.delivered).toContain('lan:gateway');
    expect(first?.after?.dropped).toEqual([
      { at: 'web1-nic0', reason: 'vm-not-running', rule: 'F1' },
    ]);
  });

  it('E5: STP on a bridge ends the loop and the ping goes through (D3, D4)', async () => {
    const ping: TrafficStep = { kind: 'ping', from: 'n1', to: '10.0.0.22', count: 1 };
    // STP needs both bridges (E5): br1 has it already, the what-if gives it to br2.
    const half: Lab = {
      ...E5,
      vms: E5.vms.map((vm) => (vm.id === 'br1' ? { ...vm, stp: true } : vm)),
    };
    const both = compared(compareTraffic(half, [ping], { vm: 'br2', stp: true }));
    expect(both.differences[0]?.stepSummary).toMatch(/loop-detected/);
    const loops = both.differences.filter((d) =>
      d.before?.dropped.some((x) => x.reason === 'loop-detected'),
    );
    expect(loops.length).toBeGreaterThan(0);
    for (const d of loops)
      expect(d.after?.dropped.some((x) => x.reason === 'loop-detected') ?? false).toBe(false);
    const echo = both.differences.find((d) => d.proto === 'icmp' && d.before === undefined);
    expect(echo?.after?.delivered).toEqual(['server-nic0']);
  });
});

describe('frame fates', () => {
  it('an adapter that hands a frame to its switch or bridge is not where it was delivered', async () => {
    const e = (
      t: number,
      type: TraceEvent['type'],
      frame: number,
      at: string,
      reason?: TraceEvent['reason'],
    ): TraceEvent => ({
      t,
      type,
      frame,
      origin: 1,
      at,
      proto: 'arp',
      ...(reason ? { reason, rule: 'D2' } : {}),
    });
    const fates = originFates([
      e(0, 'transmit', 1, 'a-nic0'),
      e(2, 'forward', 1, 'lan'),
      e(5, 'deliver', 2, 'esxi-nic0'),
      e(5, 'forward', 2, 'esxi-vsw0'),
      e(8, 'deliver', 3, 'web1-nic0'),
      e(8, 'capture', 3, 'web1'),
      e(5, 'deliver', 4, 'br-a'),
      e(5, 'drop', 4, 'br', 'same-port-filter'),
      e(5, 'deliver', 5, 'b-nic0'),
    ]);
    expect(fates).toEqual([
      {
        origin: 1,
        t: 0,
        fate: {
          delivered: ['b-nic0', 'web1-nic0'],
          dropped: [{ at: 'br', reason: 'same-port-filter', rule: 'D2' }],
        },
      },
    ]);
  });
});

describe('what-if within a run budget', () => {
  it('a replay cut short (here, cancelled) says so, rather than call unseen frames the same', () => {
    const steps: TrafficStep[] = [PING_GATEWAY, PING_GATEWAY];
    const result = compared(
      compareTraffic(E1, steps, { adapter: 'esxi-nic0', promiscuous: true }, () => true),
    );
    expect(result.notices).toEqual([
      expect.objectContaining({ code: 'run-truncated', budget: 'cancelled', step: 0 }),
    ]);
    expect(compared(compareTraffic(E1, steps, { vm: 'client', power: 'running' })).notices).toEqual(
      [],
    );
  });
});
