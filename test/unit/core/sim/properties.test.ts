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
import { withAdapter, withVm } from './lab-builder';
import { buildLab, everything, pick, stepArb, topologyArb, type Step } from './random-labs';

const MAX_EVENTS = 200_000;

/** Runs the steps on a fresh simulator; returns the trace as JSON and every outcome. */
function run(
  initial: Lab,
  steps: readonly Step[],
  recordTrace = true,
): { json: string; outcomes: StepOutcome[]; sim: Simulation } {
  let current = initial;
  const sim = new Simulation(current, { limits: { maxEvents: MAX_EVENTS }, recordTrace });
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
