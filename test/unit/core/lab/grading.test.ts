/**
 * Grading is linear and exact: objectives are checked on the state the traffic script left
 * (lab-format.md: `reachable` "runs a fresh ping on the state the traffic script left (caches
 * and learned MACs kept)"), once, without replaying the script per objective. Proven against
 * the definition itself: for random labs, scripts and objectives, every verdict and message
 * equals what a fresh replay of the script followed by one ping gives, whatever the order of
 * the objectives, and grading leaves the script's end state exactly as it found it.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Lab, Objective, ObjectiveCheck, TrafficStep } from '../../../../core/model';
import { matchCaptures, runLab, runLabDetailed, runScript } from '../../../../core/lab';
import type { Simulation } from '../../../../core/sim';
import { buildLab, everything, pick, stepArb, topologyArb, type Step } from '../sim/random-labs';

const objectiveArb = fc.record({
  kind: fc.constantFrom('reachable', 'unreachable', 'captured', 'notCaptured', 'noLoop'),
  from: fc.nat(),
  to: fc.nat(),
  proto: fc.constantFrom(undefined, 'arp', 'icmp', 'ipv4'),
  src: fc.option(fc.nat(), { nil: undefined }),
});

type ObjectiveSpec = ReturnType<typeof objectiveArb.generate>['value'];

/** The random steps as a lab's traffic script; a toggle is a `power` or `set` step. */
function script(l: Lab, steps: readonly Step[]): TrafficStep[] {
  const names = everything(l);
  return steps.map((step): TrafficStep => {
    const vm = pick(names.vms, step.kind === 'toggle' ? step.target : 0) ?? 'x';
    switch (step.kind) {
      case 'ping':
        return {
          kind: 'ping',
          from: pick(names.vms, step.from) ?? 'x',
          to: pick([...names.vms, 'ext', '10.0.0.250', '198.51.100.1'], step.to) ?? 'x',
          count: step.count,
        };
      case 'frame':
        return {
          kind: 'frame',
          from: pick(names.adapters, step.from) ?? 'x',
          src: pick(names.macs, step.src) ?? 'x',
          dst: pick(names.macs, step.dst) ?? 'x',
          type: step.type as 'arp' | 'ipv4' | number,
        };
      case 'garp':
        return {
          kind: 'garp',
          from: pick(names.adapters, step.from) ?? 'x',
          mac: pick(names.macs, step.from + 3) ?? 'x',
          ip: `10.0.0.${step.ip}`,
        };
      case 'wait':
        return { kind: 'wait', seconds: step.seconds };
      case 'toggle':
        return step.power
          ? { kind: 'power', vm, state: step.target % 2 === 0 ? 'stopped' : 'running' }
          : {
              kind: 'set',
              actor: 'trainer',
              adapter: pick(names.adapters, step.target) ?? 'x',
              promiscuous: step.target % 2 === 0,
            };
    }
  });
}

function objectives(l: Lab, specs: readonly ObjectiveSpec[]): Objective[] {
  const names = everything(l);
  const devices = [...names.vms, ...names.adapters];
  return specs.map((o, i): Objective => {
    const from = pick(names.vms, o.from) ?? 'x';
    const to = pick([...names.vms, 'ext', '10.0.0.250'], o.to) ?? 'x';
    const at = pick(devices, o.to) ?? 'x';
    const filter = {
      at,
      ...(o.proto !== undefined ? { proto: o.proto } : {}),
      ...(o.src !== undefined ? { src: pick(names.macs, o.src) ?? 'x' } : {}),
    };
    const check: ObjectiveCheck =
      o.kind === 'reachable' || o.kind === 'unreachable'
        ? { kind: o.kind, from, to }
        : o.kind === 'noLoop'
          ? { kind: 'noLoop' }
          : { kind: o.kind as 'captured' | 'notCaptured', ...filter };
    return { id: `o${i}`, check };
  });
}

/** lab-format.md's definition, as the code did it before: a fresh replay per objective. */
function oracle(l: Lab, o: Objective): { passed: boolean; message: string } {
  const fresh = runScript(l);
  const c = o.check;
  switch (c.kind) {
    case 'reachable':
    case 'unreachable': {
      const ping = fresh.sim.ping(c.from, c.to, 1);
      return { passed: c.kind === 'reachable' ? ping.ok : !ping.ok, message: ping.summary };
    }
    case 'captured':
    case 'notCaptured': {
      const n = matchCaptures(fresh.sim.captures(c.at), c).length;
      return { passed: c.kind === 'captured' ? n > 0 : n === 0, message: String(n) };
    }
    case 'noLoop': {
      const n = fresh.steps.flatMap((s) => s.events).filter((e) => e.reason === 'loop-detected');
      return { passed: n.length === 0, message: String(n.length) };
    }
    default:
      throw new Error(`not generated: ${c.kind}`);
  }
}

/** Everything a later check or the app could read of a simulator's state. */
function stateOf(l: Lab, sim: Simulation): unknown {
  const names = everything(l);
  return {
    now: sim.now,
    stats: sim.stats(),
    loops: sim.loops(),
    networks: l.networks.map((n) => sim.macTable(n.id)),
    learned: names.vms.map((v) => sim.learnedTable(v)),
    switches: names.vms.map((v) => sim.learnedTable(`${v}-vsw`)),
    arp: names.vms.map((v) => sim.arpCache(v)),
    gateways: l.networks.map((n) => sim.arpCache(`${n.id}:gateway`)),
    captures: sim.capturePoints().map((d) => sim.captures(d).length),
    trace: sim.trace.length,
  };
}

function host(n: number): Parameters<typeof buildLab>[0]['vms'][number] {
  const adapter = { network: 0, promiscuous: false, host: n };
  return { kind: 'host', power: 'running', stp: false, adapters: [adapter], nested: [] };
}

const labArb = fc
  .tuple(
    topologyArb,
    fc.array(stepArb, { minLength: 0, maxLength: 6 }),
    fc.array(objectiveArb, { minLength: 1, maxLength: 6 }),
  )
  .map(([t, steps, specs]) => {
    const base = buildLab(t);
    return { ...base, traffic: script(base, steps), objectives: objectives(base, specs) };
  });

describe('grading on the state the script left', () => {
  it('every verdict equals a fresh replay of the script and one ping, in any order', () => {
    fc.assert(
      fc.property(labArb, (l) => {
        const report = runLab(l, { gradeInvalid: true });
        l.objectives.forEach((o, i) => {
          const got = report.objectives[i];
          const want = oracle(l, o);
          expect(got?.passed, `${o.id} ${JSON.stringify(o.check)}`).toBe(want.passed);
          if (o.check.kind === 'reachable' || o.check.kind === 'unreachable')
            expect(got?.message).toBe(want.message);
        });
        const reversed = runLab(
          { ...l, objectives: [...l.objectives].reverse() },
          {
            gradeInvalid: true,
          },
        );
        expect([...reversed.objectives].reverse()).toEqual(report.objectives);
      }),
      { numRuns: 150 },
    );
  });

  it('grading leaves the script’s end state exactly as it found it', () => {
    fc.assert(
      fc.property(labArb, (l) => {
        const graded = runLabDetailed(l, { gradeInvalid: true }).state;
        const ungraded = runScript(l);
        if (graded === null) return;
        expect(stateOf(l, graded.sim)).toEqual(stateOf(l, ungraded.sim));
      }),
      { numRuns: 100 },
    );
  });

  it('a check’s ARP reaches only the ports it can change, so its cost does not grow with the network', () => {
    const crowd = (n: number): Lab =>
      buildLab({
        gateways: [false, false, false],
        vms: Array.from({ length: n }, (_, i) => host(i + 1)),
        hopLimit: 32,
        copyLimit: 1000,
      });
    const cost = (n: number): number => runScript(crowd(n)).sim.check('vm0', 'vm1', 1e6).events;
    const ping = (n: number): number => {
      const sim = runScript(crowd(n)).sim;
      sim.ping('vm0', 'vm1', 1);
      return sim.stats().events;
    };
    // A plain ping's ARP is delivered to every guest (F4); a check's reaches the target only.
    expect(ping(200) - ping(10)).toBeGreaterThanOrEqual(190);
    expect(cost(200)).toBe(cost(10));
    // Where a guest knows the sender (a warm cache), every guest is reached again, as D6 asks.
    const warm = runScript({
      ...crowd(50),
      traffic: [{ kind: 'ping', from: 'vm2', to: 'vm0', count: 1 }],
    }).sim;
    expect(warm.check('vm0', 'vm1', 1e6).events).toBeGreaterThan(50);
  });

  it('a check costs its own ping, not a replay of the script', () => {
    const l = buildLab({
      gateways: [false, false, false],
      vms: [host(1), host(2)],
      hopLimit: 32,
      copyLimit: 1000,
    });
    const state = runScript({
      ...l,
      traffic: [{ kind: 'ping', from: 'vm0', to: 'vm1', count: 1000 }],
    });
    const scriptEvents = state.sim.stats().events;
    const checks = Array.from({ length: 100 }, () => state.sim.check('vm1', 'vm0', 1_000_000));
    expect(checks.every((c) => c.ok && c.decided)).toBe(true);
    // 1,000 echoes cost thousands of events; each check is one echo on warm ARP caches.
    expect(scriptEvents).toBeGreaterThan(5_000);
    for (const c of checks) expect(c.events).toBeLessThan(20);
    expect(state.sim.stats().events).toBe(scriptEvents);
  });
});
