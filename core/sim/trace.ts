/**
 * The trace recorder. Guarantees: events are appended in the order they happen, with keys in
 * the order of lab-format.md and optional keys absent, never undefined; every drop and warning
 * carries a reason, a rule and a one-sentence message. With recording off, no event object or
 * message string is built, yet drops, deliveries and the step's first telling drop are still
 * counted, so outcomes and stats stay the same.
 */
import type { Engine } from './engine';
import type { FrameCopy } from './packet';
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

export class Tracer {
  readonly events: TraceEvent[] = [];
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
    this.beginStep();
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

  private head(copy: FrameCopy): Pick<TraceEvent, 't' | 'frame' | 'origin' | 'proto'> {
    return { t: this.engine.now, frame: copy.id, origin: copy.origin.id, proto: copy.packet.proto };
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
