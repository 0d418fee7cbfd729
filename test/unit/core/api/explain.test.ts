import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { explainRule, type ExplainContext } from '../../../../core/api/explain';
import type { RuleExplanation } from '../../../../core/api';
import { parseLab } from '../../../../core/lab/parse';
import type { Lab } from '../../../../core/model';
import { Simulation, type TraceEvent } from '../../../../core/sim';

function loadLab(name: string): Lab {
  const text = readFileSync(new URL(`../../../../labs/${name}.lab.yaml`, import.meta.url), 'utf8');
  const parsed = parseLab(text);
  if (!parsed.ok) throw new Error(parsed.violations[0]?.message);
  return parsed.lab;
}

const E1 = loadLab('e1-nested-vm-out');
const E4 = loadLab('e4-inline-bridge');
const E5 = loadLab('e5-bridge-loop');
const E6 = loadLab('e6-virtual-mac-failover');

function explain(
  reason: string,
  rule: string,
  at: string,
  ctx: Partial<ExplainContext> & { lab: Lab },
): RuleExplanation {
  const result = explainRule({ reason, rule, at }, ctx);
  if ('ok' in result) throw new Error(result.message);
  return result;
}

function framesOf(events: readonly TraceEvent[], frame: number): TraceEvent[] {
  return events.filter((e) => e.frame === frame);
}

describe('explanations of drops and warnings', () => {
  it('F2 forged-source: names the adapter that sent it, from the frame or the network', () => {
    const events = new Simulation(E1).ping('web1', '10.0.0.254').events;
    const drop = events.find((e) => e.reason === 'forged-source');
    expect(drop?.at).toBe('lan');
    const withFrame = explain('forged-source', 'F2', 'lan', {
      lab: E1,
      frameEvents: framesOf(events, drop?.frame ?? 0),
    });
    expect(withFrame).toMatchObject({
      rule: 'F2',
      title: 'Forged source MAC',
      fixAt: { kind: 'adapter', id: 'esxi-nic0' },
    });
    expect(withFrame.text).toMatch(/unless that adapter has promiscuous mode/);
    expect(withFrame.fix).toMatch(/Enable promiscuous mode on esxi-nic0.*stopped first \(A2\)/);
    // Without the frame: the one adapter of lan that carries other VMs' MACs (the uplink).
    expect(explain('forged-source', 'F2', 'lan', { lab: E1 }).fixAt).toEqual({
      kind: 'adapter',
      id: 'esxi-nic0',
    });
    expect(explain('forged-source', 'F2', 'back', { lab: E4 }).fixAt?.id).toBe('br-back');
    // Already promiscuous in the lab as it is now: say to send again.
    const fixed: Lab = {
      ...E1,
      vms: E1.vms.map((vm) => ({
        ...vm,
        adapters: vm.adapters.map((a) => ({ ...a, promiscuous: true })),
      })),
    };
    expect(explain('forged-source', 'F2', 'lan', { lab: fixed }).fix).toMatch(/promiscuous now/);
  });

  it('F4 no-such-destination: unknown unicast is never flooded; a nested MAC needs its uplink', () => {
    const frameEvents: TraceEvent[] = [
      {
        t: 0,
        type: 'transmit',
        frame: 9,
        origin: 9,
        at: 'client-nic0',
        proto: 'icmp',
        src: '02:00:00:00:00:02',
        dst: '02:00:00:00:01:01',
      },
    ];
    const e = explain('no-such-destination', 'F4', 'lan', { lab: E1, frameEvents });
    expect(e.text).toMatch(/unknown unicast is never flooded/);
    expect(e.fixAt).toEqual({ kind: 'adapter', id: 'esxi-nic0' });
    const virtual = [{ ...frameEvents[0], dst: '00:00:5e:00:01:0a' } as TraceEvent];
    expect(
      explain('no-such-destination', 'F4', 'lan', { lab: E6, frameEvents: virtual }),
    ).toMatchObject({
      fixAt: { kind: 'vm', id: 'lb1' },
    });
    const nobody = [{ ...frameEvents[0], dst: '02:99:00:00:00:01' } as TraceEvent];
    expect(
      explain('no-such-destination', 'F4', 'lan', { lab: E1, frameEvents: nobody }).fix,
    ).toMatch(/No adapter of the lab has the MAC 02:99:00:00:00:01/);
    expect(explain('no-such-destination', 'F4', 'lan', { lab: E1 }).fix).toMatch(
      /Check the destination MAC/,
    );
  });

  it('F1 vm-not-running and destination-not-running: start the VM, its hypervisor first', () => {
    const stopped = {
      ...E1,
      vms: E1.vms.map((vm) => (vm.id === 'esxi' ? { ...vm, power: 'stopped' as const } : vm)),
    };
    const sender = explain('vm-not-running', 'F1', 'web1-nic0', { lab: stopped });
    expect(sender).toMatchObject({ rule: 'F1', fixAt: { kind: 'vm', id: 'esxi' } });
    expect(sender.fix).toBe('Start esxi.');
    const both = {
      ...stopped,
      vms: stopped.vms.map((vm) => ({
        ...vm,
        nested: vm.nested.map((n) => ({ ...n, power: 'stopped' as const })),
      })),
    };
    expect(explain('vm-not-running', 'F1', 'web1-nic0', { lab: both }).fix).toBe(
      'Start esxi, then web1.',
    );
    const receiver = explain('destination-not-running', 'F1', 'client-nic0', {
      lab: {
        ...E1,
        vms: E1.vms.map((vm) => (vm.id === 'client' ? { ...vm, power: 'suspended' as const } : vm)),
      },
    });
    expect(receiver).toMatchObject({ fix: 'Start client.', fixAt: { kind: 'vm', id: 'client' } });
    expect(receiver.text).toMatch(/sends and receives nothing/);
    expect(explain('destination-not-running', 'F1', 'client-nic0', { lab: E1 }).fix).toMatch(
      /running now/,
    );
  });

  it('F1 adapter-disconnected: connect the adapter', () => {
    expect(explain('adapter-disconnected', 'F1', 'client-nic0', { lab: E1 })).toMatchObject({
      rule: 'F1',
      fixAt: { kind: 'adapter', id: 'client-nic0' },
    });
  });

  it('F3 mac-conflict: a static MAC of another port is forwarded, not learned', () => {
    const frameEvents: TraceEvent[] = [
      {
        t: 0,
        type: 'transmit',
        frame: 3,
        origin: 3,
        at: 'esxi-nic0',
        proto: 'arp',
        src: '02:00:00:00:00:02',
        dst: 'ff:ff:ff:ff:ff:ff',
      },
    ];
    const e = explain('mac-conflict', 'F3', 'lan', { lab: E1, frameEvents });
    expect(e.text).toMatch(/forwards it but does not learn it/);
    expect(e.fixAt).toEqual({ kind: 'adapter', id: 'esxi-nic0' });
  });

  it('D1 nic-filter, D2 same-port-filter, D3 stp-blocked: routine, the network working as it should', () => {
    for (const [reason, rule, at] of [
      ['nic-filter', 'D1', 'client-nic0'],
      ['same-port-filter', 'D2', 'esxi-vsw0'],
      ['stp-blocked', 'D3', 'br2'],
    ] as const) {
      const e = explain(reason, rule, at, { lab: E5 });
      expect(e.rule).toBe(rule);
      expect(e.text).toMatch(/working as it should/);
      expect(e.fix).toBeUndefined();
      expect(e.fixAt).toBeUndefined();
    }
  });

  it('D4 loop-detected and mac-flap: remove a bridge from the cycle, or enable STP', () => {
    const sim = new Simulation(E5);
    sim.ping('n1', '10.0.0.22');
    const loops = sim.loops();
    expect(loops.length).toBeGreaterThan(0);
    const loop = explain('loop-detected', 'D4', loops[0]?.at ?? '', { lab: E5, loops });
    expect(loop.fix).toMatch(/Remove a bridge from the cycle.*enable STP on the bridges/);
    expect(loop.fixAt).toMatchObject({ kind: 'vm' });
    expect(['br1', 'br2']).toContain(loop.fixAt?.id);
    const flap = explain('mac-flap', 'D4', 'front', { lab: E5 });
    expect(flap.text).toMatch(/kept moving between ports of front/);
    expect(flap.fixAt).toEqual({ kind: 'vm', id: 'br1' });
  });

  it('D5 ttl-exceeded and no-route: at a gateway, and at a host with no gateway', () => {
    expect(explain('ttl-exceeded', 'D5', 'lan:gateway', { lab: E1 }).text).toMatch(
      /decrements the TTL/,
    );
    const gateway = explain('no-route', 'D5', 'lan:gateway', { lab: E1 });
    expect(gateway.fix).toMatch(/The lab has no external hosts/);
    const host = explain('no-route', 'D5', 'client-nic0', { lab: E4 });
    expect(host).toMatchObject({ fixAt: { kind: 'network', id: 'front' } });
    expect(host.fix).toMatch(/Give front a gateway, or client-nic0 its own gateway/);
  });

  it('D6 arp-timeout: nobody answered; look at the earlier drops', () => {
    const e = explain('arp-timeout', 'D6', 'web1-nic0', { lab: E1 });
    expect(e.text).toMatch(/Nobody answered web1's requests/);
    expect(e.fix).toMatch(/earlier drops/);
  });

  it('refuses a code that is no drop or warning, and a rule that does not decide it', () => {
    expect(explainRule({ reason: 'toString', rule: 'F2', at: 'lan' }, { lab: E1 })).toMatchObject({
      ok: false,
      code: 'invalid-request',
    });
    expect(
      explainRule({ reason: 'forged-source', rule: 'F4', at: 'lan' }, { lab: E1 }),
    ).toMatchObject({
      ok: false,
      message: expect.stringMatching(/decided by rule F2/),
    });
  });
});
