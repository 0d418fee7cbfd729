/**
 * The animation's clock and contents, as plain data: every traffic run since the last reset
 * (a batch of steps with their trace events and frame moves, as `traffic.run` answers),
 * placed on one animation time line. Simulated time is in microseconds and hops take a few of
 * them while an ARP retry waits a whole second, so the line is not linear: each distinct
 * simulated instant gets its own moment, a short gap becomes a hop's worth of animation and
 * any long gap one pause. No DOM here; the overlay and the event list read it.
 */
import type { FrameCopyInfo, FrameMove, StepReport, TraceEvent } from '../../../core/api/contract';

/** Animation milliseconds (at 1×) per simulated microsecond, for short gaps. */
const MS_PER_US = 160;
/** A hop is never quicker nor slower than this on screen (ms at 1×). */
const MIN_HOP_MS = 220;
const MAX_HOP_MS = 800;
/** Gaps longer than this (µs) are waits: ARP retries, `wait` steps, time between runs. */
const LONG_GAP_US = 1_000;
const PAUSE_MS = 900;

/** One trace event as a row of the event list, with its place on the animation line. */
export interface EventRow {
  /** Position in the whole list (rows are in animation order). */
  readonly key: number;
  /** Which run it came from (0 for the first since the reset). */
  readonly run: number;
  /** The step within that run's answer, and the event within the step. */
  readonly step: number;
  readonly index: number;
  /** `2 · ping`: the step's number in the run and its kind. */
  readonly stepLabel: string;
  readonly event: TraceEvent;
  /** Animation time (ms at 1×). */
  readonly at: number;
}

/** A frame copy's hop with its animation times. */
export interface AnimatedMove extends FrameMove {
  readonly run: number;
  readonly a0: number;
  readonly a1: number;
}

/** What a run answered, as much of it as the animation needs. */
export interface RunBatch {
  readonly steps: readonly StepReport[];
  readonly frames: readonly FrameCopyInfo[];
  readonly packets: readonly string[];
  readonly moves: readonly FrameMove[];
}

/** Where and how a frame ended, counted: one mark per place and outcome. */
export interface Mark {
  readonly place: string;
  /** The place the frames came from on their last hop, when they travelled to it. */
  readonly from?: string;
  readonly outcome: 'delivered' | 'dropped';
  /** The drop's reason and rule (dropped marks). */
  readonly reason?: string;
  readonly rule?: string;
  readonly count: number;
  /** The row of the latest event this mark counts. */
  readonly lastRow: number;
}

export interface FrameBytes {
  readonly origin: number;
  readonly parent?: number;
  readonly hex: string;
}

function hopMs(gapUs: number): number {
  if (gapUs <= 0) return 0;
  if (gapUs > LONG_GAP_US) return PAUSE_MS;
  return Math.min(MAX_HOP_MS, Math.max(MIN_HOP_MS, gapUs * MS_PER_US));
}

/** The first index in `sorted` whose value is greater than `value` (sorted ascending by key). */
function upperBound<T>(sorted: readonly T[], value: number, key: (item: T) => number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (key(sorted[mid] as T) <= value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

export class Timeline {
  /** Event rows in animation order. */
  readonly rows: readonly EventRow[];
  /** Moves ordered by `a0`. */
  readonly moves: readonly AnimatedMove[];
  /** The distinct animation times something happens at, ascending (for Step and Step back). */
  readonly ticks: readonly number[];
  /** Where each run starts on the line. */
  readonly runStarts: readonly number[];
  readonly duration: number;
  /** Every frame copy's bytes and lineage, by frame id. */
  private readonly frames: ReadonlyMap<number, FrameBytes>;
  /** The place each row's frame arrived from (`run:step:index` → place), when it moved. */
  private readonly arrivals: ReadonlyMap<string, string>;
  private readonly longestMove: number;
  /** The last simulated instant placed on the line and its animation time. */
  private readonly lastUs: number;
  /** The first row whose event is `loop-detected` (-1 when none is). */
  private readonly loopRow: number;
  /** The marks last counted, for the number of rows they count (drawn every frame). */
  private marksMemo: { readonly upTo: number; readonly marks: Mark[] } | null = null;

  private constructor(
    rows: EventRow[],
    moves: AnimatedMove[],
    ticks: number[],
    runStarts: number[],
    frames: Map<number, FrameBytes>,
    arrivals: Map<string, string>,
    lastUs: number,
  ) {
    this.arrivals = arrivals;
    this.rows = rows;
    this.moves = moves;
    this.ticks = ticks;
    this.runStarts = runStarts;
    this.frames = frames;
    this.lastUs = lastUs;
    this.duration = ticks.length > 0 ? (ticks[ticks.length - 1] ?? 0) : 0;
    this.longestMove = moves.reduce((m, move) => Math.max(m, move.a1 - move.a0), 0);
    this.loopRow = rows.findIndex((r) => r.event.reason === 'loop-detected');
  }

  static empty(): Timeline {
    return new Timeline([], [], [], [], new Map(), new Map(), -1);
  }

  get runs(): number {
    return this.runStarts.length;
  }

  /** This line with one more run placed after everything before it (`adHoc`: not the script's). */
  append(batch: RunBatch, adHoc = false): Timeline {
    const run = this.runStarts.length;
    const instants = new Set<number>();
    for (const step of batch.steps) for (const e of step.events) instants.add(e.t);
    for (const m of batch.moves) {
      instants.add(m.t0);
      instants.add(m.t1);
    }
    const sorted = [...instants].sort((a, b) => a - b);
    const start = this.ticks.length > 0 ? this.duration + PAUSE_MS : 0;
    const animOf = new Map<number, number>();
    let previous: number | null = null;
    let now = start;
    for (const t of sorted) {
      if (previous !== null) now += hopMs(t - previous);
      animOf.set(t, now);
      previous = t;
    }
    const anim = (t: number): number => animOf.get(t) ?? start;

    const rows = [...this.rows];
    batch.steps.forEach((step, s) => {
      // A script step keeps its number in the script, however the run was cut in pieces; a
      // step sent from the traffic tools (or Show the ping) is none of the script's.
      const stepLabel = adHoc ? step.kind : `${step.index + 1} · ${step.kind}`;
      step.events.forEach((event, index) => {
        rows.push({ key: 0, run, step: s, index, stepLabel, event, at: anim(event.t) });
      });
    });
    // Stable: events of one instant keep the simulator's order.
    const firstNew = this.rows.length;
    const fresh = rows.slice(firstNew).sort((a, b) => a.at - b.at);
    const allRows = [...rows.slice(0, firstNew), ...fresh].map((r, key) =>
      r.key === key ? r : { ...r, key },
    );

    const moves = [
      ...this.moves,
      ...batch.moves.map((m) => ({ ...m, run, a0: anim(m.t0), a1: anim(m.t1) })),
    ].sort((a, b) => a.a0 - b.a0);

    const ticks = [...this.ticks, ...new Set(sorted.map(anim))];
    const frames = new Map(this.frames);
    for (const f of batch.frames) {
      const hex = batch.packets[f.packet];
      if (hex === undefined) continue;
      frames.set(f.frame, {
        origin: f.origin,
        ...(f.parent !== undefined ? { parent: f.parent } : {}),
        hex,
      });
    }
    const arrivals = new Map(this.arrivals);
    for (const m of batch.moves) arrivals.set(`${run}:${m.step}:${m.event}`, m.from);
    return new Timeline(
      allRows,
      moves,
      ticks,
      [...this.runStarts, start],
      frames,
      arrivals,
      sorted[sorted.length - 1] ?? this.lastUs,
    );
  }

  /** How many rows have happened by animation time `cursor`. */
  rowsUpTo(cursor: number): number {
    return upperBound(this.rows, cursor, (r) => r.at);
  }

  /** Moves under way at `cursor`, with how far along each is (0…1). */
  inFlight(cursor: number): { move: AnimatedMove; progress: number }[] {
    const out: { move: AnimatedMove; progress: number }[] = [];
    const end = upperBound(this.moves, cursor, (m) => m.a0);
    const begin = upperBound(this.moves, cursor - this.longestMove - 1, (m) => m.a0);
    for (let i = begin; i < end; i += 1) {
      const move = this.moves[i];
      if (!move || move.a1 <= cursor || move.a0 > cursor) continue;
      const span = move.a1 - move.a0;
      out.push({ move, progress: span > 0 ? (cursor - move.a0) / span : 1 });
    }
    return out;
  }

  /** Whether a loop had been detected (and its storm stopped) by `cursor`. */
  loopDetectedBy(cursor: number): boolean {
    return this.loopRow >= 0 && this.loopRow < this.rowsUpTo(cursor);
  }

  /**
   * Deliveries and drops that have happened by `cursor`, one mark per place and outcome.
   * Counted again only when a row has happened or unhappened since the last call: the
   * overlay asks every animation frame, and a long session has thousands of rows.
   */
  marks(cursor: number): Mark[] {
    const upTo = this.rowsUpTo(cursor);
    if (this.marksMemo?.upTo !== upTo) this.marksMemo = { upTo, marks: this.countMarks(upTo) };
    return [...this.marksMemo.marks];
  }

  /** The place the row's frame came from on its last hop, when it travelled to its place. */
  arrivedFrom(row: EventRow): string | undefined {
    return this.arrivals.get(`${row.run}:${row.step}:${row.index}`);
  }

  private countMarks(upTo: number): Mark[] {
    const byKey = new Map<string, Mark>();
    for (let i = 0; i < upTo; i += 1) {
      const row = this.rows[i];
      if (!row) continue;
      const { event } = row;
      if (event.type !== 'deliver' && event.type !== 'drop') continue;
      const outcome = event.type === 'deliver' ? 'delivered' : 'dropped';
      // A drop is marked where its frame arrived; deliveries to one place share one mark.
      const from = outcome === 'dropped' ? this.arrivedFrom(row) : undefined;
      const key = `${event.at}\u0000${from ?? ''}\u0000${outcome}\u0000${event.reason ?? ''}`;
      const previous = byKey.get(key);
      byKey.set(key, {
        place: event.at,
        ...(from !== undefined ? { from } : {}),
        outcome,
        ...(event.reason !== undefined ? { reason: event.reason } : {}),
        ...(event.rule !== undefined ? { rule: event.rule } : {}),
        count: (previous?.count ?? 0) + 1,
        lastRow: row.key,
      });
    }
    return [...byKey.values()];
  }

  /** The next moment something happens after `cursor` (the end when nothing does). */
  nextTick(cursor: number): number {
    const i = upperBound(this.ticks, cursor, (t) => t);
    return this.ticks[i] ?? this.duration;
  }

  /** The last moment something happened before `cursor` (0 when nothing did). */
  previousTick(cursor: number): number {
    const i = upperBound(this.ticks, cursor - 1e-6, (t) => t) - 1;
    // At a tick already: go one further back.
    const at = this.ticks[i];
    if (at !== undefined && at < cursor) return at;
    return this.ticks[Math.max(0, i - 1)] ?? 0;
  }

  /** The bytes a frame copy carried, with its origin and parent copy. */
  frame(id: number): FrameBytes | undefined {
    return this.frames.get(id);
  }

  /** Animation time of the start of run `run`. */
  runStart(run: number): number {
    return this.runStarts[run] ?? 0;
  }
}

/** Simulated time as the trace prints it: `8 µs` under a millisecond, else seconds to the µs. */
export function formatSimTime(us: number): string {
  return us < 1000 ? `${us} µs` : `${(us / 1e6).toFixed(6)} s`;
}

/** The event list's outcome column: what happened, in words with a symbol. */
export function outcomeText(event: TraceEvent): string {
  switch (event.type) {
    case 'deliver':
      return '✓ delivered';
    case 'drop':
      return `✗ ${event.reason ?? 'dropped'}${event.rule ? ` (${event.rule})` : ''}`;
    case 'warn':
      return `⚠ ${event.reason ?? 'warning'}${event.rule ? ` (${event.rule})` : ''}`;
    case 'transmit':
      return '→ sent';
    case 'forward':
      return '⇉ forwarded';
    case 'capture':
      return '◎ captured';
    case 'learn':
      return '+ MAC learned';
    case 'mac-move':
      return '↔ MAC moved';
    default:
      return event.type;
  }
}

/** The outcome filter's groups. */
export type OutcomeFilter = 'all' | 'delivered' | 'dropped' | 'warnings' | 'moving' | 'tables';

export function outcomeGroup(event: TraceEvent): Exclude<OutcomeFilter, 'all'> {
  switch (event.type) {
    case 'deliver':
      return 'delivered';
    case 'drop':
      return 'dropped';
    case 'warn':
      return 'warnings';
    case 'learn':
    case 'mac-move':
      return 'tables';
    default:
      return 'moving';
  }
}
