/**
 * The messages between WorkerSimRunner (the host's thread) and sim-worker.ts (the simulation's
 * thread): labs and requests one way, one reply per request the other. Plain data, so the
 * structured clone carries them unchanged.
 */
import type { Lab } from '../model';
import type { SimEntry } from '../api/sim-runner';

/** What the runner posts. */
export type WorkerMessage =
  | { readonly kind: 'open'; readonly lab: Lab }
  | { readonly kind: 'setLab'; readonly lab: Lab }
  | {
      readonly kind: 'request';
      readonly id: number;
      readonly ticket: number;
      readonly name: SimEntry;
      readonly args: Readonly<Record<string, unknown>>;
    };

/** What the worker answers, one per request. */
export type WorkerReply =
  | { readonly id: number; readonly ok: true; readonly value: unknown }
  | { readonly id: number; readonly ok: false; readonly error: string };

export interface WorkerData {
  /** Int32Array over a SharedArrayBuffer: [0] is the highest ticket cancelled. */
  readonly cancelled: SharedArrayBuffer;
}
