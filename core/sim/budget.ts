/**
 * What one run may cost (TigerBeetle's "a limit on everything"): a run is a traffic script, one
 * step the app sends, a what-if, or the objective checks after a script. Every budget has a
 * documented default; when one is reached the run still ends normally and says what was cut
 * with a `run-truncated` notice, so a valid lab, however large or stormy, ends in bounded time
 * and memory and its verdicts are still given.
 */

export interface RunLimits {
  /** Simulator events (frame hops, timers) a run may process. */
  readonly maxEvents: number;
  /** Trace events a run may record; past it, events are counted, not kept. */
  readonly maxTraceEvents: number;
  /** UTF-8 bytes of those events' text (ids, addresses, messages), roughly their JSON size. */
  readonly maxTraceBytes: number;
  /** Frames a run may keep in its captures, and their bytes. */
  readonly maxCapturedFrames: number;
  readonly maxCaptureBytes: number;
  /** Objective checks after a script: all of them together, and one `reachable` check alone. */
  readonly maxCheckEvents: number;
  readonly maxCheckEventsEach: number;
}

export const DEFAULT_RUN_LIMITS: RunLimits = {
  maxEvents: 5_000_000,
  maxTraceEvents: 100_000,
  maxTraceBytes: 20 * 1024 * 1024,
  maxCapturedFrames: 100_000,
  maxCaptureBytes: 64 * 1024 * 1024,
  maxCheckEvents: 5_000_000,
  maxCheckEventsEach: 1_000_000,
};

/** No budget at all: for benchmarks that measure the simulator's own speed, never for users. */
export const UNLIMITED: RunLimits = {
  maxEvents: Infinity,
  maxTraceEvents: Infinity,
  maxTraceBytes: Infinity,
  maxCapturedFrames: Infinity,
  maxCaptureBytes: Infinity,
  maxCheckEvents: Infinity,
  maxCheckEventsEach: Infinity,
};

/** Which budget cut a run short; `cancelled` when the user stopped it. */
export type BudgetName =
  'events' | 'trace-events' | 'trace-bytes' | 'captures' | 'objective-events' | 'cancelled';

/** What was cut and why; `step` is the index of the traffic step it happened in, if any. */
export interface RunNotice {
  readonly code: 'run-truncated';
  readonly budget: BudgetName;
  readonly step?: number;
  readonly message: string;
}

/** Polled between events by a long run; true asks it to stop (the host's Cancel). */
export type Interrupt = () => boolean;

export function withDefaults(limits: Partial<RunLimits> | undefined): RunLimits {
  return { ...DEFAULT_RUN_LIMITS, ...limits };
}

export { thousands as count } from '../common/numbers';

export function mebibytes(bytes: number): string {
  return `${Math.round((bytes / 1024 / 1024) * 10) / 10} MiB`;
}
