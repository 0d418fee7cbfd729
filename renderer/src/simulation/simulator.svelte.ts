/**
 * The simulation view's state: which view shows (Edit or Simulate), the traffic sent since
 * the last reset as one animation time line, the playback (cursor, playing, speed), the
 * selected event, and the tables, captures and loops the core reported after the last run.
 * Every fact comes from the core through the api client (`traffic.run`, `sim.*`); this class
 * keeps what it answered and moves the cursor. It decides no rule.
 */
import type {
  ApiClient,
  CaptureRow,
  CheckpointVerdict,
  TrafficResult,
  CompareResult,
  Dissection,
  LoopReport,
  RuleExplanation,
  SimTables,
  StepReport,
  WhatIfChange,
} from '../../../core/api/contract';
import type { RuleError } from '../../../core/model/errors';
import type { RunNotice } from '../../../core/sim/budget';
import { offerDownload } from '../api/download';
import type { Workspace } from '../state/workspace.svelte';
import { Timeline, type EventRow, type OutcomeFilter } from './timeline';

export type SimPane = 'frame' | 'tables' | 'captures' | 'loops' | 'compare';
export type ViewMode = 'edit' | 'simulate';

export const SPEEDS = [0.25, 0.5, 1, 2, 4] as const;

/** What the frame inspector shows for the selected row. */
export interface Inspection {
  readonly row: EventRow;
  readonly hex: string | null;
  readonly dissection: Dissection | null;
  readonly explanation: RuleExplanation | null;
}

/** A step as `traffic.run { step }` takes it (lab-format.md). */
export type AdHocStep =
  | { readonly ping: { readonly from: string; readonly to: string; readonly count?: number } }
  | { readonly garp: { readonly from: string; readonly mac: string; readonly ip: string } }
  | {
      readonly frame: {
        readonly from: string;
        readonly src: string;
        readonly dst: string;
        readonly type: string | number;
      };
    };

function isRuleError(value: unknown): value is RuleError {
  return (
    typeof value === 'object' &&
    value !== null &&
    (value as { ok?: unknown }).ok === false &&
    typeof (value as { message?: unknown }).message === 'string'
  );
}

/** The run in one line: a step's own summary, or counts (steps not run apart from failures). */
function runSummary(steps: readonly StepReport[], cut: boolean): string {
  const more = cut ? ' Part of the run was cut: see the notice beside the tools.' : '';
  if (steps.length === 1) return `${steps[0]?.summary ?? ''}${more}`;
  const skipped = steps.filter((s) => s.skipped === true).length;
  const ok = steps.filter((s) => s.ok).length;
  const failed = steps.length - ok - skipped;
  const notRun = skipped > 0 ? `, ${skipped} not run` : '';
  return `Ran ${steps.length} steps: ${ok} ok, ${failed} failed${notRun}.${more}`;
}

/** A script step's outcome in the last script run, and where its events are on the time line. */
export interface ScriptStepResult {
  readonly report: StepReport;
  /** The time line's run and the step within it. */
  readonly run: number;
  readonly step: number;
}

export type RunOk = Extract<TrafficResult, { ok: true }>;

export class Simulator {
  mode = $state<ViewMode>('edit');
  pane = $state<SimPane>('frame');
  timeline = $state.raw<Timeline>(Timeline.empty());
  /** Animation time (ms at 1×). */
  cursor = $state(0);
  playing = $state(false);
  speed = $state<number>(1);
  /** The event list row selected (its key). */
  selected = $state<number | null>(null);
  inspection = $state.raw<Inspection | null>(null);
  protoFilter = $state<string>('all');
  outcomeFilter = $state<OutcomeFilter>('all');
  /** A run or query in flight. */
  busy = $state(0);
  /** A run or what-if in flight, which Stop can cancel. */
  running = $state(false);
  /** What the last run's budgets cut (or its Stop), as the core explained it. */
  notices = $state.raw<readonly RunNotice[]>([]);
  /** The last run's step summaries, or why it was refused. */
  summaries = $state.raw<readonly StepReport[]>([]);
  error = $state<string | null>(null);
  tables = $state.raw<SimTables | null>(null);
  loops = $state.raw<readonly LoopReport[]>([]);
  comparison = $state.raw<CompareResult | null>(null);
  /** Each script step run since the last reset, by its index in the script. */
  scriptSteps = $state.raw<readonly (ScriptStepResult | undefined)[]>([]);
  /** The script's edits are in force in this run (not in the saved lab; Reset ends them). */
  runEdited = $state(false);
  /** The event list shows only this step's events (a script step selected). */
  stepFilter = $state.raw<{ readonly run: number; readonly step: number } | null>(null);
  /** Playback stops here (the end of a step being shown); null: at the end. */
  private stopAt: number | null = null;
  private playbackWaiters: (() => void)[] = [];
  /** Whether the last run's first frame has been drawn moving yet. */
  private firstMoveDrawn = true;

  private inspectRequest = 0;
  private generation = -1;

  constructor(
    private readonly api: ApiClient,
    private readonly workspace: Workspace,
  ) {}

  get atEnd(): boolean {
    return this.cursor >= this.timeline.duration;
  }

  /** A new lab was opened: forget the old one's traffic (the core starts a new simulator). */
  follow(generation: number): void {
    if (generation === this.generation) return;
    this.generation = generation;
    this.clear();
  }

  // ——— Traffic ———

  async ping(from: string, to: string): Promise<boolean> {
    return this.run({ step: { ping: { from, to } } });
  }

  async garp(from: string, mac: string, ip: string): Promise<boolean> {
    return this.run({ step: { garp: { from, mac, ip } } });
  }

  async frame(from: string, src: string, dst: string, type: string | number): Promise<boolean> {
    return this.run({ step: { frame: { from, src, dst, type } } });
  }

  /** The lab's whole traffic script (from a reset, as `nestlab run`), or its step `index`. */
  async script(index?: number): Promise<boolean> {
    if (index === undefined) this.clear();
    return this.run(index === undefined ? {} : { index });
  }

  /** Script steps `index`…`through` on the run as it is; the answer, or null when refused. */
  async scriptRange(index: number, through: number): Promise<RunOk | null> {
    let answer: RunOk | null = null;
    await this.run({ index, through }, (result) => (answer = result));
    return answer;
  }

  /** The checkpoints the last run judged. */
  checkpoints = $state.raw<readonly CheckpointVerdict[]>([]);

  async run(
    args: { index?: number; through?: number; step?: AdHocStep },
    onresult?: (result: RunOk) => void,
  ): Promise<boolean> {
    // User Timing entries for the benchmark: asked → the first frame drawn moving.
    performance.clearMarks('nestlab:run-asked');
    performance.clearMeasures('nestlab:run-to-first-move');
    performance.mark('nestlab:run-asked');
    let ok = false;
    await this.guard(async () => {
      const result = await this.cancellable(() => this.api.call('traffic.run', args));
      if (!result.ok) {
        this.error = result.message;
        return;
      }
      this.error = null;
      this.notices = result.notices;
      const timeline = this.timeline.append(result, args.step !== undefined);
      this.timeline = timeline;
      if (args.step === undefined) this.keepScriptSteps(result.steps, timeline.runs - 1);
      this.runEdited = result.runEdited;
      this.checkpoints = result.checkpoints;
      this.stepFilter = null;
      this.stopAt = null;
      // Measured from the ask to the first frame of this run drawn moving.
      this.firstMoveDrawn = false;
      this.summaries = result.steps;
      this.cursor = timeline.runStart(timeline.runs - 1);
      this.selected = null;
      this.inspection = null;
      this.playing = true;
      ok = true;
      this.workspace.notice = runSummary(result.steps, result.notices.length > 0);
      onresult?.(result);
      await this.refresh();
    });
    return ok;
  }

  private keepScriptSteps(reports: readonly StepReport[], run: number): void {
    const kept = [...this.scriptSteps];
    reports.forEach((report, step) => (kept[report.index] = { report, run, step }));
    this.scriptSteps = kept;
  }

  /** The next script step to run in order: the one after the last run since the reset. */
  get nextScriptStep(): number {
    return this.scriptSteps.length;
  }

  /**
   * Shows one script step: the event list filtered to it, and its frames played on the
   * canvas from its first event to its last. Null shows everything again.
   */
  showScriptStep(index: number | null): void {
    const kept = index === null ? undefined : this.scriptSteps[index];
    if (!kept) {
      this.stepFilter = null;
      this.stopAt = null;
      return;
    }
    this.stepFilter = { run: kept.run, step: kept.step };
    const rows = this.timeline.rows.filter((r) => r.run === kept.run && r.step === kept.step);
    const first = rows[0];
    const last = rows.at(-1);
    if (!first || !last) return;
    this.selected = null;
    this.inspection = null;
    this.cursor = Math.max(0, first.at - 1);
    this.stopAt = last.at;
    this.playing = true;
  }

  /**
   * Resolves when the animation is not playing (at its end, paused or cleared), or once it has
   * played to animation time `at`, or after `maxMs` of real time (a storm plays for minutes).
   */
  playback(options: { at?: number; maxMs?: number } = {}): Promise<void> {
    if (!this.playing) return Promise.resolve();
    return new Promise((resolve) => {
      let done = false;
      const finish = (): void => {
        if (done) return;
        done = true;
        clearInterval(poll);
        clearTimeout(cap);
        resolve();
      };
      this.playbackWaiters.push(finish);
      const at = options.at;
      const poll = setInterval(() => {
        if (at !== undefined && this.cursor >= at) finish();
      }, 50);
      const cap = setTimeout(finish, options.maxMs ?? 2_147_483_647);
    });
  }

  private stopped(): void {
    const waiters = this.playbackWaiters;
    this.playbackWaiters = [];
    for (const resolve of waiters) resolve();
  }

  /** Stops the run or what-if in flight; it ends at once with what it has, and says so. */
  async stop(): Promise<void> {
    if (!this.running) return;
    await this.api.call('traffic.cancel', {});
  }

  private async cancellable<T>(work: () => Promise<T>): Promise<T> {
    this.running = true;
    try {
      return await work();
    } finally {
      this.running = false;
    }
  }

  /** Clears tables, caches and captures in the core; the topology stays. */
  async reset(): Promise<void> {
    await this.guard(async () => {
      const result = await this.api.call('traffic.reset', {});
      if (!result.ok) {
        this.error = result.message;
        return;
      }
      this.clear();
      this.workspace.notice = 'Simulation reset: tables, caches and captures are empty.';
      await this.refresh();
    });
  }

  private clear(): void {
    this.timeline = Timeline.empty();
    this.cursor = 0;
    this.playing = false;
    this.stopped();
    this.scriptSteps = [];
    this.runEdited = false;
    this.stepFilter = null;
    this.stopAt = null;
    this.checkpoints = [];
    this.selected = null;
    this.inspection = null;
    this.summaries = [];
    this.notices = [];
    this.error = null;
    this.tables = null;
    this.loops = [];
    this.comparison = null;
  }

  /** The overlay drew frames in flight: the first time after a run, note how long it took. */
  framesDrawn(count: number): void {
    if (this.firstMoveDrawn || count === 0) return;
    this.firstMoveDrawn = true;
    performance.measure('nestlab:run-to-first-move', 'nestlab:run-asked');
  }

  // ——— Playback ———

  play(): void {
    if (this.atEnd) this.cursor = this.timeline.runStart(Math.max(0, this.timeline.runs - 1));
    this.playing = this.timeline.duration > 0;
  }

  pause(): void {
    this.playing = false;
    this.stopped();
  }

  step(): void {
    this.playing = false;
    this.stopped();
    this.cursor = this.timeline.nextTick(this.cursor);
  }

  stepBack(): void {
    this.playing = false;
    this.stopped();
    this.cursor = this.timeline.previousTick(this.cursor);
  }

  toEnd(): void {
    this.playing = false;
    this.cursor = this.timeline.duration;
    this.stopped();
  }

  /** Moves the cursor by a frame's worth of real time (ms). */
  advance(elapsedMs: number): void {
    if (!this.playing) return;
    const next = this.cursor + elapsedMs * this.speed;
    const end = Math.min(this.stopAt ?? Infinity, this.timeline.duration);
    if (next >= end) {
      this.cursor = end;
      this.playing = false;
      this.stopAt = null;
      this.stopped();
    } else this.cursor = next;
  }

  // ——— Selection and the frame inspector ———

  async selectRow(key: number | null): Promise<void> {
    this.selected = key;
    const row = key === null ? undefined : this.timeline.rows[key];
    if (!row) {
      this.inspection = null;
      return;
    }
    this.playing = false;
    this.stopped();
    if (this.cursor < row.at) this.cursor = row.at;
    this.pane = 'frame';
    const request = ++this.inspectRequest;
    const hex = this.timeline.frame(row.event.frame)?.hex ?? null;
    this.inspection = { row, hex, dissection: null, explanation: null };
    const { event } = row;
    const [dissection, explanation] = await Promise.all([
      hex === null ? null : this.api.call('sim.dissect', { hex }),
      event.reason !== undefined && event.rule !== undefined
        ? this.api.call('sim.explain', {
            reason: event.reason,
            rule: event.rule,
            at: event.at,
            frame: event.frame,
          })
        : null,
    ]);
    if (request !== this.inspectRequest) return;
    this.inspection = {
      row,
      hex,
      dissection: dissection && !isRuleError(dissection) ? dissection : null,
      explanation: explanation && !isRuleError(explanation) ? explanation : null,
    };
  }

  // ——— Tables, captures, loops, what-if ———

  /** Asks the core for every table and cache (one call), and the loops it stopped. */
  async refresh(): Promise<void> {
    if (!this.workspace.lab) return;
    const [tables, loops] = await Promise.all([
      this.api.call('sim.tables', {}),
      this.api.call('sim.loops', {}),
    ]);
    this.tables = isRuleError(tables) ? null : tables;
    this.loops = isRuleError(loops) ? [] : loops;
  }

  async capture(device: string): Promise<readonly CaptureRow[] | string> {
    const rows = await this.api.call('sim.capture', { device });
    return isRuleError(rows) ? rows.message : rows;
  }

  /** Downloads what `devices` captured as one pcapng file (a save dialog in the app). */
  async savePcapng(devices: readonly string[], name: string): Promise<boolean> {
    let saved = false;
    await this.guard(async () => {
      const result = await this.api.call('sim.exportPcapng', { devices: [...devices] });
      if (!result.ok) {
        this.error = result.message;
        return;
      }
      const bytes = Uint8Array.from(atob(result.base64), (c) => c.charCodeAt(0));
      offerDownload(name, bytes, 'application/vnd.tcpdump.pcap');
      this.workspace.notice = `Saved ${name}.`;
      saved = true;
    });
    return saved;
  }

  async compare(change: WhatIfChange): Promise<void> {
    await this.guard(async () => {
      this.comparison = await this.cancellable(() => this.api.call('traffic.compare', { change }));
    });
  }

  private async guard(run: () => Promise<void>): Promise<void> {
    this.busy += 1;
    try {
      await run();
    } catch (error) {
      this.error = error instanceof Error && error.message ? error.message : String(error);
    } finally {
      this.busy -= 1;
    }
  }
}
