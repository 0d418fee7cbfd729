/**
 * Property tests: random small topologies (networks, VMs, hypervisors with nested VMs, bridges
 * that may form loops, random promiscuous mode and power) under random traffic never throw,
 * always stop within their bounds, and give the same trace on a second run. fast-check prints
 * the seed and the shrunk counterexample on failure.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Lab } from '../../../../core/model/lab';
import { exportPcapng, Simulation } from '../../../../core/sim';
import type { StepOutcome } from '../../../../core/sim';
import { lab, mac, withAdapter, withVm } from './lab-builder';
import type { AdapterSpec, VmSpec } from './lab-builder';

const NETWORKS = ['n0', 'n1', 'n2'];
const MAX_EVENTS = 200_000;

const adapterArb = fc.record({
  network: fc.integer({ min: -1, max: NETWORKS.length - 1 }),
  promiscuous: fc.boolean(),
  host: fc.integer({ min: 1, max: 40 }),
});

const vmArb = fc.record({
  kind: fc.constantFrom('host', 'host', 'bridge', 'hypervisor'),
  power: fc.constantFrom('running', 'running', 'running', 'stopped'),
  stp: fc.boolean(),
  adapters: fc.array(adapterArb, { minLength: 1, maxLength: 3 }),
  nested: fc.array(
    fc.record({
      kind: fc.constantFrom('host', 'bridge'),
      power: fc.constantFrom('running', 'stopped'),
      host: fc.integer({ min: 41, max: 80 }),
    }),
    { maxLength: 3 },
  ),
});

const topologyArb = fc.record({
  gateways: fc.array(fc.boolean(), { minLength: NETWORKS.length, maxLength: NETWORKS.length }),
  vms: fc.array(vmArb, { minLength: 1, maxLength: 6 }),
  hopLimit: fc.integer({ min: 4, max: 40 }),
  copyLimit: fc.integer({ min: 20, max: 400 }),
});

type Topology = ReturnType<typeof topologyArb.generate>['value'];

function buildLab(t: Topology): Lab {
  const vms: VmSpec[] = t.vms.map((v, i) => {
    const adapters: AdapterSpec[] = v.adapters.map((a, j) => ({
      id: `vm${i}-nic${j}`,
      mac: mac(i + 1, j + 1),
      promiscuous: a.promiscuous,
      ...(a.network >= 0 ? { network: NETWORKS[a.network] } : {}),
      ...(v.kind === 'bridge' ? {} : { ip: `10.0.0.${a.host}/24` }),
    }));
    const isHypervisor = v.kind === 'hypervisor';
    return {
      id: `vm${i}`,
      power: v.power as 'running' | 'stopped',
      role: v.kind === 'bridge' ? 'bridge' : 'host',
      stp: v.stp,
      adapters,
      switches: isHypervisor ? [{ id: `vm${i}-vsw`, uplink: `vm${i}-nic0` }] : [],
      nested: isHypervisor
        ? v.nested.map((n, k) => ({
            id: `vm${i}-n${k}`,
            power: n.power as 'running' | 'stopped',
            role: n.kind as 'host' | 'bridge',
            adapters: [
              {
                id: `vm${i}-n${k}-nic0`,
                switch: `vm${i}-vsw`,
                mac: mac(100 + i, k + 1),
                ip: `10.0.0.${n.host}/24`,
              },
              ...(n.kind === 'bridge'
                ? [{ id: `vm${i}-n${k}-nic1`, switch: `vm${i}-vsw`, mac: mac(150 + i, k + 1) }]
                : []),
            ],
          }))
        : [],
    };
  });
  return lab({
    networks: NETWORKS.map((id, i) => ({
      id,
      subnet: '10.0.0.0/24',
      ...(t.gateways[i] === true ? { gateway: `10.0.0.${250 + i}` } : {}),
    })),
    external: [{ id: 'ext', ip: '203.0.113.10' }],
    vms,
    sim: { hopLimit: t.hopLimit, copyLimit: t.copyLimit },
  });
}

const stepArb = fc.oneof(
  fc.record({
    kind: fc.constant('ping' as const),
    from: fc.nat(),
    to: fc.nat(),
    count: fc.integer({ min: 1, max: 2 }),
  }),
  fc.record({
    kind: fc.constant('frame' as const),
    from: fc.nat(),
    src: fc.nat(),
    dst: fc.nat(),
    type: fc.constantFrom('arp', 'ipv4', 0x88b5),
  }),
  fc.record({
    kind: fc.constant('garp' as const),
    from: fc.nat(),
    ip: fc.integer({ min: 1, max: 80 }),
  }),
  fc.record({ kind: fc.constant('wait' as const), seconds: fc.integer({ min: 0, max: 400 }) }),
  fc.record({ kind: fc.constant('toggle' as const), target: fc.nat(), power: fc.boolean() }),
);

type Step = ReturnType<typeof stepArb.generate>['value'];

function pick<T>(items: readonly T[], n: number): T | undefined {
  return items.length === 0 ? undefined : items[n % items.length];
}

function everything(l: Lab): { vms: string[]; adapters: string[]; macs: string[] } {
  const vms: string[] = [];
  const adapters: string[] = [];
  const macs = ['ff:ff:ff:ff:ff:ff', '02:00:00:00:99:99', '01:00:5e:00:00:01'];
  const visit = (v: Lab['vms'][number]): void => {
    vms.push(v.id);
    for (const a of v.adapters) {
      adapters.push(a.id);
      macs.push(a.mac);
    }
    v.nested.forEach(visit);
  };
  l.vms.forEach(visit);
  return { vms, adapters, macs };
}

/** Runs the steps on a fresh simulator; returns the trace as JSON and every outcome. */
function run(
  initial: Lab,
  steps: readonly Step[],
  recordTrace = true,
): { json: string; outcomes: StepOutcome[]; sim: Simulation } {
  let current = initial;
  const sim = new Simulation(current, { maxEvents: MAX_EVENTS, recordTrace });
  const names = everything(initial);
  const outcomes: StepOutcome[] = [];
  for (const step of steps) {
    switch (step.kind) {
      case 'ping':
        outcomes.push(
          sim.ping(
            pick(names.vms, step.from) ?? 'x',
            pick([...names.vms, 'ext', '10.0.0.250', '198.51.100.1'], step.to) ?? 'x',
            step.count,
          ),
        );
        break;
      case 'frame':
        outcomes.push(
          sim.sendFrame({
            from: pick(names.adapters, step.from) ?? 'x',
            src: pick(names.macs, step.src) ?? 'x',
            dst: pick(names.macs, step.dst) ?? 'x',
            type: step.type as 'arp' | 'ipv4' | number,
          }),
        );
        break;
      case 'garp':
        outcomes.push(
          sim.garp({
            from: pick(names.adapters, step.from) ?? 'x',
            mac: pick(names.macs, step.from + 3) ?? 'x',
            ip: `10.0.0.${step.ip}`,
          }),
        );
        break;
      case 'wait':
        outcomes.push(sim.wait(step.seconds));
        break;
      case 'toggle': {
        const adapter = pick(names.adapters, step.target) ?? 'x';
        const vm = pick(names.vms, step.target) ?? 'x';
        current = step.power
          ? withVm(current, vm, { power: step.target % 2 === 0 ? 'stopped' : 'running' })
          : withAdapter(current, adapter, { promiscuous: step.target % 2 === 0 });
        sim.setLab(current);
        break;
      }
    }
  }
  return { json: JSON.stringify(sim.trace), outcomes, sim };
}

describe('simulator properties', () => {
  it('random topologies and traffic never throw, stay bounded, and replay identically', () => {
    const seen = { loops: 0, replies: 0, forged: 0 };
    fc.assert(
      fc.property(topologyArb, fc.array(stepArb, { minLength: 1, maxLength: 8 }), (t, steps) => {
        const l = buildLab(t);
        const first = run(l, steps);
        for (const outcome of first.outcomes) {
          expect(outcome.summary).not.toContain('stopped after');
          let last = -1;
          for (const e of outcome.events) {
            expect(e.t).toBeGreaterThanOrEqual(last);
            last = e.t;
            if (e.type === 'drop' || e.type === 'warn') {
              expect(e.reason).toBeTruthy();
              expect(e.rule).toMatch(/^[FD][1-7]$/);
              expect(e.message).toBeTruthy();
            }
          }
        }
        expect(first.sim.stats().events).toBeLessThanOrEqual(MAX_EVENTS * steps.length);
        const second = run(l, steps);
        expect(second.json).toBe(first.json);
        expect(second.outcomes.map((o) => o.summary)).toEqual(first.outcomes.map((o) => o.summary));
        expect(exportPcapng(second.sim)).toEqual(exportPcapng(first.sim));
        const events = first.sim.trace;
        if (first.sim.loops().length > 0) seen.loops++;
        if (first.outcomes.some((o) => o.ok && o.summary.includes('replies'))) seen.replies++;
        if (events.some((e) => e.reason === 'forged-source')) seen.forged++;
      }),
      { numRuns: 150 },
    );
    // The generator does reach the interesting cases.
    expect(seen.loops).toBeGreaterThan(0);
    expect(seen.replies).toBeGreaterThan(0);
    expect(seen.forged).toBeGreaterThan(0);
  });

  it('with recording off the outcomes and counters are the same as with it on', () => {
    fc.assert(
      fc.property(topologyArb, fc.array(stepArb, { minLength: 1, maxLength: 6 }), (t, steps) => {
        const l = buildLab(t);
        const on = run(l, steps);
        const off = run(l, steps, false);
        const quiet = off.outcomes;
        expect(quiet.map((o) => [o.ok, o.summary])).toEqual(
          on.outcomes.map((o) => [o.ok, o.summary]),
        );
        expect(off.sim.stats()).toEqual(on.sim.stats());
        expect(off.sim.trace).toEqual([]);
        expect(off.sim.loops()).toEqual(on.sim.loops());
      }),
      { numRuns: 60 },
    );
  });
});
