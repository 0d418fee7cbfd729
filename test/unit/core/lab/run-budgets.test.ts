/**
 * Every run is bounded, by construction (core/sim/budget.ts): one test per budget, each named by
 * it, on labs that would otherwise run long. When a budget is reached the run ends normally with
 * its verdicts so far and a `run-truncated` notice saying what was cut; every objective still
 * gets a verdict. The budgets are lowered here so the tests are quick; the defaults are the same
 * code with larger numbers.
 */
import { describe, expect, it } from 'vitest';
import type { Lab } from '../../../../core/model';
import { parseLab, runLab, runLabDetailed, type RunOptions } from '../../../../core/lab';
import { crowdLab, stormLab } from '../node/hostile-labs';

function load(text: string): Lab {
  const parsed = parseLab(text);
  if (!parsed.ok) throw new Error(parsed.violations[0]?.message);
  const errors = parsed.violations.filter((v) => v.severity === 'error');
  if (errors.length > 0) throw new Error(errors[0]?.message);
  return parsed.lab;
}

const storm = load(stormLab(255, 10_000, 6, 4));

function run(lab: Lab, options: RunOptions) {
  const { report, state } = runLabDetailed(lab, options);
  return { report, sim: state?.sim };
}

describe('run budgets', () => {
  it('events: a storm ends the run at its event budget; later steps are not run, objectives still get verdicts', () => {
    const { report, sim } = run(storm, { limits: { maxEvents: 100_000 } });
    const notice = report.notices.find((n) => n.budget === 'events');
    expect(notice).toMatchObject({ code: 'run-truncated', budget: 'events' });
    expect(notice?.message).toContain('100,000 simulator events');
    const cut = notice?.step ?? -1;
    expect(report.traffic[cut]?.summary).toContain("the run's budget of 100,000 events is spent");
    expect(report.traffic.slice(cut + 1).every((s) => s.skipped === true && !s.ok)).toBe(true);
    expect(report.traffic.slice(0, cut).some((s) => s.skipped === true)).toBe(false);
    expect(report.traffic).toHaveLength(storm.traffic.length);
    expect(sim?.stats().events).toBeLessThanOrEqual(100_000);
    expect(report.objectives.map((o) => [o.id, o.passed])).toEqual([
      ['quiet', false],
      ['reach', true],
      ['seen', true],
    ]);
  });

  it('events: a script of edits on a large lab spends the budget too', () => {
    const crowd = load(crowdLab(2_000, 0, 1));
    const power = Array.from({ length: 200 }, (_, i) => ({
      kind: 'power' as const,
      vm: `h${i}`,
      state: 'stopped' as const,
    }));
    const report = runLab({ ...crowd, traffic: power }, { limits: { maxEvents: 100_000 } });
    expect(report.notices.map((n) => n.budget)).toEqual(['events']);
    const ran = report.traffic.filter((s) => s.skipped !== true);
    // Each edit checks and compiles the 2,000-VM lab: 100,000 events' worth is a few edits.
    expect(ran.length).toBeGreaterThan(0);
    expect(ran.length).toBeLessThan(20);
  });

  it('trace-events: the trace keeps at most its budget of events and counts the rest per step', () => {
    const { report, sim } = run(storm, { limits: { maxTraceEvents: 1_000 } });
    const kept = report.traffic.reduce((n, s) => n + s.events.length, 0);
    const omitted = report.traffic.reduce((n, s) => n + (s.omittedEvents ?? 0), 0);
    expect(kept).toBe(1_000);
    expect(sim?.trace).toHaveLength(1_000);
    expect(omitted).toBeGreaterThan(10_000);
    const notice = report.notices.find((n) => n.budget === 'trace-events');
    expect(notice?.message).toContain('1,000 events');
    expect(notice?.message).toContain(`${omitted.toLocaleString('en-US')} more events`);
  });

  it('trace-bytes: the events kept, written as JSON, fit the byte budget', () => {
    const { report } = run(storm, { limits: { maxTraceBytes: 200_000 } });
    const events = report.traffic.flatMap((s) => s.events);
    const bytes = events.reduce((n, e) => n + Buffer.byteLength(JSON.stringify(e)), 0);
    expect(bytes).toBeLessThanOrEqual(200_000);
    expect(bytes).toBeGreaterThan(150_000);
    expect(report.notices.find((n) => n.budget === 'trace-bytes')?.message).toContain('0.2 MiB');
  });

  it('captures: at most its budget of frames is kept, and a captured objective still counts every frame', () => {
    const { report, sim } = run(storm, { limits: { maxCapturedFrames: 100 } });
    const kept = (sim?.capturePoints() ?? []).reduce(
      (n, d) => n + (sim?.captures(d).length ?? 0),
      0,
    );
    expect(kept).toBe(100);
    const seen = report.objectives.find((o) => o.id === 'seen');
    expect(seen?.passed).toBe(true);
    expect(Number(seen?.message.split(' ')[0])).toBeGreaterThan(100);
    expect(report.notices.find((n) => n.budget === 'captures')?.message).toContain('100 frames');
  });

  it('objective-events: a reachability check that cannot finish in its budget fails, saying why', () => {
    const probe: Lab = {
      ...storm,
      traffic: [],
      // Nobody answers for 10.200.0.1, so the check's ARP goes round the loop unanswered.
      objectives: [{ id: 'reach', check: { kind: 'reachable', from: 'h0', to: '10.200.0.1' } }],
    };
    const report = runLab(probe, { limits: { maxCheckEventsEach: 2_000 } });
    expect(report.objectives[0]).toMatchObject({ id: 'reach', passed: false });
    expect(report.objectives[0]?.message).toContain('could not be decided');
    expect(report.notices).toEqual([
      expect.objectContaining({ code: 'run-truncated', budget: 'objective-events' }),
    ]);
    // Once the checks' shared budget is spent, the rest are undecided too, not run unbounded.
    const many = runLab(
      { ...probe, objectives: [0, 1, 2, 3].map((i) => ({ ...probe.objectives[0]!, id: `r${i}` })) },
      { limits: { maxCheckEvents: 5_000, maxCheckEventsEach: 2_000 } },
    );
    expect(many.objectives.map((o) => o.passed)).toEqual([false, false, false, false]);
    expect(many.notices[0]?.message).toContain('4 reachability checks could not be decided');
  });

  it('cancelled: an interrupt ends the run; it says so and grades what it has', () => {
    let asked = 0;
    const report = runLab(storm, { interrupt: () => ++asked > 3 });
    expect(report.notices.map((n) => n.budget)).toContain('cancelled');
    expect(report.traffic.some((s) => s.summary.includes('stopped: cancelled'))).toBe(true);
    expect(report.traffic.at(-1)?.skipped).toBe(true);
    expect(report.objectives).toHaveLength(3);
    // A reachability check the cancel cut short says so (not that it ran out of events).
    expect(report.objectives.find((o) => o.id === 'reach')?.message).toMatch(
      /^h2 → h3: (not decided: the run was cancelled\.|1\/1 replies \(stopped: cancelled\))$/,
    );
    expect(report.notices.map((n) => n.budget)).not.toContain('objective-events');
  });

  it('a run that stays within every budget has no notices', () => {
    const calm = load(crowdLab(50, 5, 3));
    const report = runLab(calm);
    expect(report.notices).toEqual([]);
    expect(report.traffic.every((s) => s.ok && s.omittedEvents === undefined)).toBe(true);
  });
});
