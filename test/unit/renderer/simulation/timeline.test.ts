/**
 * The simulation view's animation line: runs placed one after another, hops given screen
 * time, long waits squeezed to one pause, frames in flight found at any moment, marks
 * counted per place and outcome, Step and Step back landing on the moments things happen.
 */
import { describe, expect, it } from 'vitest';
import type { FrameMove, StepReport, TraceEvent } from '../../../../core/api/contract';
import {
  outcomeGroup,
  outcomeText,
  Timeline,
  type RunBatch,
} from '../../../../renderer/src/simulation/timeline';
import { stormSeries } from '../../../../renderer/src/simulation/storm';
import { learnedMoments, movedMacs } from '../../../../renderer/src/simulation/table-changes';

function ev(
  t: number,
  type: TraceEvent['type'],
  frame: number,
  at: string,
  extra: Partial<TraceEvent> = {},
): TraceEvent {
  return { t, type, frame, origin: 1, at, proto: 'arp', ...extra };
}

function move(
  t0: number,
  t1: number,
  frame: number,
  from: string,
  to: string,
  event: number,
): FrameMove {
  return { step: 0, frame, origin: 1, proto: 'arp', from, to, t0, t1, event };
}

/** E1's first ARP: sent, forwarded by the nested switch, dropped forged-source at lan. */
function e1Batch(offset = 0): RunBatch {
  const events = [
    ev(offset + 0, 'transmit', 1, 'web1-nic0'),
    ev(offset + 5, 'forward', 1, 'esxi-vsw0'),
    ev(offset + 8, 'transmit', 2, 'esxi-nic0'),
    ev(offset + 10, 'drop', 2, 'lan', { reason: 'forged-source', rule: 'F2', message: 'x' }),
    ev(offset + 1_000_000, 'drop', 3, 'web1-nic0', { reason: 'arp-timeout', rule: 'D6' }),
  ];
  const step: StepReport = { index: 0, kind: 'ping', ok: false, summary: 'no reply', events };
  return {
    steps: [step],
    frames: [
      { frame: 1, origin: 1, packet: 0 },
      { frame: 2, origin: 1, parent: 1, packet: 0 },
      { frame: 3, origin: 3, packet: 1 },
    ],
    packets: ['ffffffffffff020000000101', 'aa'],
    moves: [
      move(offset + 0, offset + 5, 1, 'web1-nic0', 'esxi-vsw0', 1),
      move(offset + 5, offset + 8, 2, 'esxi-vsw0', 'esxi-nic0', 2),
      move(offset + 8, offset + 10, 2, 'esxi-nic0', 'lan', 3),
    ],
  };
}

describe('Timeline', () => {
  it('gives every distinct instant its own moment, hops screen time and a long wait one pause', () => {
    const line = Timeline.empty().append(e1Batch());
    const at = line.rows.map((r) => r.at);
    expect(at[0]).toBe(0);
    // Strictly increasing for distinct instants; hops between 220 and 800 ms at 1×.
    for (let i = 1; i < 4; i += 1) {
      const gap = (at[i] ?? 0) - (at[i - 1] ?? 0);
      expect(gap).toBeGreaterThanOrEqual(220);
      expect(gap).toBeLessThanOrEqual(800);
    }
    // A second of simulated waiting is one pause, not a thousand seconds of animation.
    expect((at[4] ?? 0) - (at[3] ?? 0)).toBe(900);
    expect(line.duration).toBe(at[4]);
  });

  it('finds the frames in flight at a moment and how far along they are', () => {
    const line = Timeline.empty().append(e1Batch());
    const start = line.rows[0]?.at ?? 0;
    const forwarded = line.rows[1]?.at ?? 0;
    const half = (start + forwarded) / 2;
    const flying = line.inFlight(half);
    expect(flying).toHaveLength(1);
    expect(flying[0]?.move.from).toBe('web1-nic0');
    expect(flying[0]?.progress).toBeCloseTo(0.5);
    // At the moment of arrival the move is over and the next one starts.
    expect(line.inFlight(forwarded).map((f) => f.move.to)).toEqual(['esxi-nic0']);
    expect(line.inFlight(line.duration)).toEqual([]);
  });

  it('reveals rows as the cursor passes them and counts marks per place and outcome', () => {
    const line = Timeline.empty().append(e1Batch());
    expect(line.rowsUpTo(-1)).toBe(0);
    expect(line.rowsUpTo(0)).toBe(1);
    expect(line.marks(line.rows[2]?.at ?? 0)).toEqual([]);
    const marks = line.marks(line.duration);
    expect(marks.map((m) => [m.place, m.outcome, m.reason, m.rule, m.count])).toEqual([
      ['lan', 'dropped', 'forged-source', 'F2', 1],
      ['web1-nic0', 'dropped', 'arp-timeout', 'D6', 1],
    ]);
  });

  it('counts the same marks when asked again at any moment, forwards or backwards', () => {
    const line = Timeline.empty().append(e1Batch()).append(e1Batch(2_000_000));
    const fresh = () => Timeline.empty().append(e1Batch()).append(e1Batch(2_000_000));
    const moments = [line.duration, 0, line.rows[3]?.at ?? 0, line.duration, line.rows[8]?.at ?? 0];
    for (const at of moments) expect(line.marks(at)).toEqual(fresh().marks(at));
    // A caller's copy is its own: changing it changes no later answer.
    line.marks(line.duration).pop();
    expect(line.marks(line.duration)).toEqual(fresh().marks(line.duration));
  });

  it('knows from which moment a loop had been detected', () => {
    const batch = e1Batch();
    const events = [
      ...(batch.steps[0]?.events ?? []),
      ev(9, 'drop', 2, 'lan', { reason: 'loop-detected', rule: 'D4' }),
    ].sort((a, b) => a.t - b.t);
    const line = Timeline.empty().append({ ...batch, steps: [{ ...batch.steps[0]!, events }] });
    const detected = line.rows.find((r) => r.event.reason === 'loop-detected')?.at ?? -1;
    expect(line.loopDetectedBy(detected - 1)).toBe(false);
    expect(line.loopDetectedBy(detected)).toBe(true);
    expect(line.loopDetectedBy(line.duration)).toBe(true);
    expect(Timeline.empty().append(e1Batch()).loopDetectedBy(Infinity)).toBe(false);
  });

  it("places a second run after the first and keeps both runs' rows in order", () => {
    const line = Timeline.empty().append(e1Batch()).append(e1Batch(2_000_000));
    expect(line.runs).toBe(2);
    expect(line.runStart(1)).toBe(line.rows[5]?.at);
    expect(line.runStart(1)).toBeGreaterThan(line.rows[4]?.at ?? Infinity);
    expect(line.rows.map((r) => r.key)).toEqual([...Array(10).keys()]);
    expect(line.rows.slice(5).every((r) => r.run === 1)).toBe(true);
    const marks = line.marks(line.duration);
    expect(marks.find((m) => m.place === 'lan')?.count).toBe(2);
  });

  it("labels a script step's rows with its number in the script, an ad-hoc step's with its kind only", () => {
    const line = Timeline.empty().append(e1Batch()).append(e1Batch(2_000_000), true);
    expect(line.rows.filter((r) => r.run === 0).map((r) => r.stepLabel)).toContain('1 · ping');
    expect(new Set(line.rows.filter((r) => r.run === 1).map((r) => r.stepLabel))).toEqual(
      new Set(['ping']),
    );
  });

  it('steps forward and back over the moments something happens', () => {
    const line = Timeline.empty().append(e1Batch());
    const moments = [...new Set(line.rows.map((r) => r.at))];
    expect(line.nextTick(0)).toBe(moments[1]);
    expect(line.nextTick(moments[1] ?? 0)).toBe(moments[2]);
    expect(line.previousTick(moments[2] ?? 0)).toBe(moments[1]);
    expect(line.previousTick((moments[2] ?? 0) + 1)).toBe(moments[2]);
    expect(line.previousTick(0)).toBe(0);
    expect(line.nextTick(line.duration)).toBe(line.duration);
  });

  it("keeps each copy's bytes and lineage", () => {
    const line = Timeline.empty().append(e1Batch());
    expect(line.frame(2)).toEqual({ origin: 1, parent: 1, hex: 'ffffffffffff020000000101' });
    expect(line.frame(1)?.parent).toBeUndefined();
    expect(line.frame(99)).toBeUndefined();
  });
});

describe('event list outcome column', () => {
  it('says what happened with a symbol, and groups rows for the filter', () => {
    const drop = ev(0, 'drop', 1, 'lan', { reason: 'forged-source', rule: 'F2' });
    expect(outcomeText(drop)).toBe('✗ forged-source (F2)');
    expect(outcomeGroup(drop)).toBe('dropped');
    expect(outcomeText(ev(0, 'deliver', 1, 'x'))).toBe('✓ delivered');
    expect(outcomeGroup(ev(0, 'learn', 1, 'lan'))).toBe('tables');
    expect(outcomeGroup(ev(0, 'warn', 1, 'lan', { reason: 'mac-flap' }))).toBe('warnings');
  });
});

describe('stormSeries', () => {
  it('counts copies leaving per instant and flaps, for the stormed origins only', () => {
    const batch = e1Batch();
    const events = [
      ...(batch.steps[0]?.events ?? []),
      ev(9, 'mac-move', 2, 'lan', { src: '02:00:00:00:01:01' }),
    ].sort((a, b) => a.t - b.t);
    const line = Timeline.empty().append({ ...batch, steps: [{ ...batch.steps[0]!, events }] });
    expect(stormSeries(line, new Set([1]))).toEqual([
      { t: 0, copies: 1, flaps: 0 },
      { t: 5, copies: 1, flaps: 0 },
      { t: 8, copies: 1, flaps: 0 },
      { t: 9, copies: 0, flaps: 1 },
    ]);
    expect(stormSeries(line, new Set([7]))).toEqual([]);
  });
});

describe('table changes', () => {
  it('knows when each MAC was learned in the latest run and which moved by a moment', () => {
    const batch = e1Batch();
    const events = [
      ev(0, 'learn', 1, 'lan', { src: '02:00:00:00:00:01' }),
      ev(5, 'mac-move', 1, 'lan', { src: '02:00:00:00:00:01' }),
    ];
    const line = Timeline.empty().append({ ...batch, steps: [{ ...batch.steps[0]!, events }] });
    expect([...learnedMoments(line)]).toEqual([['lan|02:00:00:00:00:01', 0]]);
    expect([...movedMacs(line, 0, [])]).toEqual([]);
    expect([...movedMacs(line, line.duration, ['aa'])]).toEqual(['lan|02:00:00:00:00:01', '*|aa']);
  });
});
