/**
 * The trace recorder. Guarantees: events are appended in the order they happen, with keys in
 * the order of lab-format.md and optional keys absent, never undefined; every drop and warning
 * carries a reason, a rule and a one-sentence message. With recording off, no event object or
 * message string is built, yet drops, deliveries and the step's first telling drop are still
 * counted, so outcomes and stats stay the same. While recording, it also keeps each copy's
 * lineage (parent id and packet) for the animation; with recording off it keeps none, and
 * `takeLineage` or `clear` empties it, so it holds at most what the trace names since then.
 */
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
}

/** Where a frame copy came from: the copy it was made from and the bytes it carries. */
export interface FrameLineage {
  /** The parent copy's id; null for the first copy a host, gateway or step sent. */
  readonly parent: number | null;
  /** Shared by copies of one frame: compare by identity to tell distinct bytes apart. */
  readonly packet: Packet;
}

export class Tracer {
  readonly events: TraceEvent[] = [];
  private readonly lineage = new Map<number, FrameLineage>();
  drops = 0;
  /** Per step: deliveries to hosts and gateways, and the drop that best explains a failure. */
  stepDeliveries = 0;
  private stepDrop: StepDrop | null = null;
  private stepRoutineDrop: StepDrop | null = null;

  constructor(
    private readonly engine: Engine,
    readonly recording: boolean,
  ) {}

  beginStep(): number {
    this.stepDeliveries = 0;
    this.stepDrop = null;
    this.stepRoutineDrop = null;
    return this.events.length;
  }

  /** The first drop of the step that is not routine filtering, else the first routine one. */
  telling(): StepDrop | null {
    return this.stepDrop ?? this.stepRoutineDrop;
  }

  clear(): void {
    this.events.length = 0;
    this.drops = 0;
    this.lineage.clear();
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
    if (this.recording) this.push(this.framed('transmit', copy, at));
  }

  forward(copy: FrameCopy, at: string): void {
    if (this.recording) this.push(this.plain('forward', copy, at));
  }

  /** `end`: a host, gateway or external host took the frame (what a step's `ok` counts). */
  deliver(copy: FrameCopy, at: string, end = true): void {
    if (end) this.stepDeliveries++;
    if (this.recording) this.push(this.framed('deliver', copy, at));
  }

  capture(copy: FrameCopy, at: string): void {
    if (this.recording) this.push(this.framed('capture', copy, at));
  }

  learn(copy: FrameCopy, at: string, mac: string, message: () => string): void {
    if (!this.recording) return;
    const { t, frame, origin, proto } = this.head(copy);
    this.push({ t, type: 'learn', frame, origin, at, proto, src: mac, message: message() });
  }

  macMove(copy: FrameCopy, at: string, mac: string, message: () => string): void {
    if (!this.recording) return;
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
    const record = { reason, at };
    if (ROUTINE_DROPS.has(reason)) this.stepRoutineDrop ??= record;
    else this.stepDrop ??= record;
    if (!this.recording) return;
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
    if (!this.recording) return;
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

  private push(event: TraceEvent): void {
    this.events.push(event);
  }
}
