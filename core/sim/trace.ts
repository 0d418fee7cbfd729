/**
 * The trace recorder. Guarantees: events are appended in the order they happen, with keys in
 * the order of lab-format.md and optional keys absent, never undefined; every drop and warning
 * carries a reason, a rule and a one-sentence message. With recording off, no event object or
 * message string is built, yet drops, deliveries and the step's first telling drop are still
 * counted, so outcomes and stats stay the same. While recording, it also keeps each copy's
 * lineage (parent id and packet) for the animation; with recording off it keeps none, and
 * `takeLineage` or `clear` empties it, so it holds at most what the trace names since then.
 * A run records at most its trace budget (events, and UTF-8 bytes of their text); past it,
 * events are counted as omitted, per run and per step, and nothing more is kept.
 */
import { jsonTextLength } from '../wire/utf8';
import type { BudgetName, RunLimits } from './budget';
import type { Engine } from './engine';
import type { FrameCopy, Packet } from './packet';
import type { DropReason, SimRule, TraceEvent, TraceEventType, WarnReason } from './types';

/** Drops that are a network working as it should; a step's summary names another one first. */
const ROUTINE_DROPS: ReadonlySet<DropReason> = new Set<DropReason>([
  'nic-filter',
  'same-port-filter',
  'stp-blocked',
  'destination-not-running',
]);

export interface StepDrop {
  readonly reason: DropReason;
  readonly at: string;
  readonly rule: SimRule;
}

/** Where a frame copy came from: the copy it was made from and the bytes it carries. */
export interface FrameLineage {
  /** The parent copy's id; null for the first copy a host, gateway or step sent. */
  readonly parent: number | null;
  /** Shared by copies of one frame: compare by identity to tell distinct bytes apart. */
  readonly packet: Packet;
}

/** The JSON a trace event costs beyond its strings: keys, numbers, quotes, a line. */
const EVENT_OVERHEAD_BYTES = 120;

export class Tracer {
  readonly events: TraceEvent[] = [];
  private readonly lineage = new Map<number, FrameLineage>();
  drops = 0;
  /** D4: copies dropped `loop-detected`, recorded or not (the `noLoop` check reads it). */
  loopDrops = 0;
  /** Per step: deliveries to hosts and gateways, and the drop that best explains a failure. */
  stepDeliveries = 0;
  private stepDrop: StepDrop | null = null;
  private stepRoutineDrop: StepDrop | null = null;
  /** Whether events are being kept now: wanted, not paused, and the budget not reached. */
  recording: boolean;
  private paused = false;
  /** The trace budget that stopped recording this run, if one did. */
  full: BudgetName | null = null;
  private maxEvents = Infinity;
  private maxBytes = Infinity;
  private runEvents = 0;
  private runBytes = 0;
  /** Events not kept because the budget was reached: this run, and this step. */
  omitted = 0;
  stepOmitted = 0;

  constructor(
    private readonly engine: Engine,
    private readonly wanted: boolean,
  ) {
    this.recording = wanted;
  }

  /** A new run: its own trace budget; what earlier runs recorded stays. */
  startRun(limits: Pick<RunLimits, 'maxTraceEvents' | 'maxTraceBytes'>): void {
    this.maxEvents = limits.maxTraceEvents;
    this.maxBytes = limits.maxTraceBytes;
    this.runEvents = 0;
    this.runBytes = 0;
    this.omitted = 0;
    this.full = null;
    this.update();
  }

  /** Objective checks record nothing, and count nothing as omitted. */
  pause(paused: boolean): void {
    this.paused = paused;
    this.update();
  }

  private update(): void {
    this.recording = this.wanted && !this.paused && this.full === null;
  }

  beginStep(): number {
    this.stepDeliveries = 0;
    this.stepDrop = null;
    this.stepRoutineDrop = null;
    this.stepOmitted = 0;
    return this.events.length;
  }

  /** Whether to build the event (recording), else counts it as omitted when the budget stopped it. */
  private take(): boolean {
    if (this.recording) return true;
    if (this.full !== null && !this.paused) {
      this.omitted++;
      this.stepOmitted++;
    }
    return false;
  }

  /** The first drop of the step that is not routine filtering, else the first routine one. */
  telling(): StepDrop | null {
    return this.stepDrop ?? this.stepRoutineDrop;
  }

  clear(): void {
    this.events.length = 0;
    this.drops = 0;
    this.loopDrops = 0;
    this.lineage.clear();
    this.runEvents = 0;
    this.runBytes = 0;
    this.omitted = 0;
    this.full = null;
    this.update();
    this.beginStep();
  }

  /**
   * The lineage of `frames` and of every ancestor recorded with them, then forgets all lineage
   * (the caller has what it needs; a long session must not keep it).
   */
  takeLineage(frames: Iterable<number>): Map<number, FrameLineage> {
    const out = new Map<number, FrameLineage>();
    for (const frame of frames) {
      for (let id: number | null = frame; id !== null && !out.has(id);) {
        const entry = this.lineage.get(id);
        if (entry === undefined) break;
        out.set(id, entry);
        id = entry.parent;
      }
    }
    this.lineage.clear();
    return out;
  }

  transmit(copy: FrameCopy, at: string): void {
    if (this.take()) this.push(this.framed('transmit', copy, at));
  }

  forward(copy: FrameCopy, at: string): void {
    if (this.take()) this.push(this.plain('forward', copy, at));
  }

  /** `end`: a host, gateway or external host took the frame (what a step's `ok` counts). */
  deliver(copy: FrameCopy, at: string, end = true): void {
    if (end) this.stepDeliveries++;
    if (this.take()) this.push(this.framed('deliver', copy, at));
  }

  capture(copy: FrameCopy, at: string): void {
    if (this.take()) this.push(this.framed('capture', copy, at));
  }

  learn(copy: FrameCopy, at: string, mac: string, message: () => string): void {
    if (!this.take()) return;
    const { t, frame, origin, proto } = this.head(copy);
    this.push({ t, type: 'learn', frame, origin, at, proto, src: mac, message: message() });
  }

  macMove(copy: FrameCopy, at: string, mac: string, message: () => string): void {
    if (!this.take()) return;
    const { t, frame, origin, proto } = this.head(copy);
    this.push({ t, type: 'mac-move', frame, origin, at, proto, src: mac, message: message() });
  }

  drop(
    copy: FrameCopy,
    at: string,
    reason: DropReason,
    rule: SimRule,
    message: () => string,
  ): void {
    this.drops++;
    if (reason === 'loop-detected') this.loopDrops++;
    const record = { reason, at, rule };
    if (ROUTINE_DROPS.has(reason)) this.stepRoutineDrop ??= record;
    else this.stepDrop ??= record;
    if (!this.take()) return;
    const { t, frame, origin, proto } = this.head(copy);
    this.push({ t, type: 'drop', frame, origin, at, proto, reason, rule, message: message() });
  }

  warn(
    copy: FrameCopy,
    at: string,
    reason: WarnReason,
    rule: SimRule,
    mac: string,
    message: () => string,
  ): void {
    if (!this.take()) return;
    const { t, frame, origin, proto } = this.head(copy);
    this.push({
      t,
      type: 'warn',
      frame,
      origin,
      at,
      proto,
      src: mac,
      reason,
      rule,
      message: message(),
    });
  }

  /** Called only while recording (every recorded event goes through `head`). */
  private head(copy: FrameCopy): Pick<TraceEvent, 't' | 'frame' | 'origin' | 'proto'> {
    this.remember(copy);
    return { t: this.engine.now, frame: copy.id, origin: copy.origin.id, proto: copy.packet.proto };
  }

  /** The copy and its ancestors not yet remembered (a walk that stops at the first known one). */
  private remember(copy: FrameCopy): void {
    for (let c: FrameCopy | null = copy; c !== null && !this.lineage.has(c.id); c = c.parent) {
      this.lineage.set(c.id, { parent: c.parent === null ? null : c.parent.id, packet: c.packet });
    }
  }

  private plain(type: TraceEventType, copy: FrameCopy, at: string): TraceEvent {
    const { t, frame, origin, proto } = this.head(copy);
    return { t, type, frame, origin, at, proto };
  }

  private framed(type: TraceEventType, copy: FrameCopy, at: string): TraceEvent {
    const { t, frame, origin, proto } = this.head(copy);
    const { srcText: src, dstText: dst } = copy.packet;
    return { t, type, frame, origin, at, proto, src, dst };
  }

  /** Keeps the event, or (it would pass the budget) stops recording for the rest of the run. */
  private push(event: TraceEvent): void {
    const bytes =
      EVENT_OVERHEAD_BYTES +
      jsonTextLength(event.at) +
      (event.src === undefined ? 0 : 20) +
      (event.dst === undefined ? 0 : 20) +
      (event.message === undefined ? 0 : jsonTextLength(event.message));
    if (this.runEvents >= this.maxEvents || this.runBytes + bytes > this.maxBytes) {
      this.full = this.runEvents >= this.maxEvents ? 'trace-events' : 'trace-bytes';
      this.update();
      this.omitted++;
      this.stepOmitted++;
      return;
    }
    this.runEvents++;
    this.runBytes += bytes;
    this.events.push(event);
  }
}
