/**
 * The discrete-event core: simulated time in integer microseconds and a binary heap of events
 * ordered by (time, sequence), so events scheduled for the same instant run in the order they
 * were scheduled. Guarantees: time never goes backwards; a run processes at most `maxEvents`
 * events (or stops when its interrupt asks) and then empties the queue; popped events are recycled, so steady traffic allocates no
 * event objects.
 */
import type { FrameCopy } from './packet';

/** Whatever an event wakes: a switch (arrival), a port (egress), a timer. */
export interface EventHandler {
  onEvent(port: number, copy: FrameCopy | null): void;
}

/** Stands in for the handler of a cancelled event: skipped without moving the clock. */
const CANCELLED: EventHandler = { onEvent: () => undefined };

export class SimEvent {
  time = 0;
  seq = 0;
  port = 0;
  handler: EventHandler | null = null;
  copy: FrameCopy | null = null;
}

function before(a: SimEvent, b: SimEvent): boolean {
  return a.time < b.time || (a.time === b.time && a.seq < b.seq);
}

export class EventQueue {
  private heap: SimEvent[] = [];
  private free: SimEvent[] = [];
  private nextSeq = 0;

  get size(): number {
    return this.heap.length;
  }

  push(time: number, handler: EventHandler, port: number, copy: FrameCopy | null): SimEvent {
    const ev = this.free.pop() ?? new SimEvent();
    ev.time = time;
    ev.seq = this.nextSeq++;
    ev.handler = handler;
    ev.port = port;
    ev.copy = copy;
    const heap = this.heap;
    let i = heap.length;
    heap.push(ev);
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const p = heap[parent] as SimEvent;
      if (!before(ev, p)) break;
      heap[i] = p;
      i = parent;
    }
    heap[i] = ev;
    return ev;
  }

  /** The earliest event's time, or Infinity when empty. */
  peekTime(): number {
    const top = this.heap[0];
    return top === undefined ? Infinity : top.time;
  }

  /** Removes the earliest event; the caller hands it back with `recycle` once done. */
  pop(): SimEvent | undefined {
    return this.popDue(Infinity) ?? undefined;
  }

  /** Removes the earliest event if it is due by `until` (else null); hand it back with `recycle`. */
  popDue(until: number): SimEvent | null {
    const heap = this.heap;
    const top = heap[0];
    if (top === undefined || top.time > until) return null;
    const last = heap.pop() as SimEvent;
    const n = heap.length;
    if (n > 0) {
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        if (l >= n) break;
        const r = l + 1;
        let c = l;
        let child = heap[l] as SimEvent;
        if (r < n) {
          const right = heap[r] as SimEvent;
          if (before(right, child)) {
            c = r;
            child = right;
          }
        }
        if (!before(child, last)) break;
        heap[i] = child;
        i = c;
      }
      heap[i] = last;
    }
    return top;
  }

  recycle(ev: SimEvent): void {
    ev.handler = null;
    ev.copy = null;
    if (this.free.length < 4096) this.free.push(ev);
  }

  clear(): void {
    this.heap = [];
  }
}

/** Simulated time plus the queue; devices schedule through it. */
export class Engine {
  readonly queue = new EventQueue();
  now = 0;
  events = 0;
  hops = 0;
  /** Events taken from the queue by the last `run` (cancelled ones included). */
  taken = 0;
  /** Why the last `run` stopped before the queue drained: its budget, or the interrupt. */
  stoppedBy: 'budget' | 'interrupt' | null = null;

  /** Schedules an event; keep the returned event and its `seq` to cancel it later. */
  schedule(delay: number, handler: EventHandler, port: number, copy: FrameCopy | null): SimEvent {
    return this.queue.push(this.now + delay, handler, port, copy);
  }

  /** Cancels a scheduled event if it is still the one scheduled as `seq` (events are recycled). */
  cancel(ev: SimEvent, seq: number): void {
    if (ev.seq === seq && ev.handler !== null) ev.handler = CANCELLED;
  }

  /**
   * Runs events until the queue is empty, the next event is later than `until`, `maxEvents`
   * have been taken, or `interrupt` (asked every INTERRUPT_EVERY events) says stop; in the last
   * two cases the rest is discarded. Returns whether it ended on its own (drained or `until`).
   */
  run(maxEvents: number, until = Infinity, interrupt: (() => boolean) | null = null): boolean {
    const queue = this.queue;
    let taken = 0;
    let poll = INTERRUPT_EVERY;
    this.stoppedBy = null;
    for (let ev = queue.popDue(until); ev !== null; ev = queue.popDue(until)) {
      if (taken >= maxEvents) return this.stop(taken, 'budget');
      if (--poll === 0) {
        poll = INTERRUPT_EVERY;
        if (interrupt !== null && interrupt()) return this.stop(taken, 'interrupt');
      }
      taken++;
      const handler = ev.handler as EventHandler;
      if (handler === CANCELLED) {
        queue.recycle(ev);
        continue;
      }
      this.now = ev.time;
      this.events++;
      const copy = ev.copy;
      if (copy !== null) this.hops++;
      const port = ev.port;
      queue.recycle(ev);
      handler.onEvent(port, copy);
    }
    this.taken = taken;
    return true;
  }

  private stop(taken: number, why: 'budget' | 'interrupt'): false {
    this.queue.clear();
    this.taken = taken;
    this.stoppedBy = why;
    return false;
  }
}

/** How often a run asks its interrupt: rarely enough to cost nothing per event. */
const INTERRUPT_EVERY = 4096;
