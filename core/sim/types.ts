/**
 * The simulator's public records: trace events (lab-format.md `--json`), step outcomes,
 * captures, table and cache rows, loop reports. Plain data: JSON round-trips them unchanged
 * (captures aside, whose bytes are a Uint8Array).
 */
import type { FrameProto } from '../wire/frame';
import type { Interrupt, RunLimits } from './budget';

export type { FrameProto };

export type TraceEventType =
  'transmit' | 'forward' | 'deliver' | 'drop' | 'capture' | 'learn' | 'mac-move' | 'warn';

/** semantics.md §3–4 drop codes, as a list for what checks a value (a checkpoint's `reason`). */
export const DROP_REASONS = [
  'vm-not-running',
  'adapter-disconnected',
  'forged-source',
  'no-such-destination',
  'destination-not-running',
  'nic-filter',
  'same-port-filter',
  'stp-blocked',
  'loop-detected',
  'ttl-exceeded',
  'no-route',
  'arp-timeout',
] as const;

export type DropReason = (typeof DROP_REASONS)[number];

export type WarnReason = 'mac-conflict' | 'mac-flap';

export type SimRule =
  'F1' | 'F2' | 'F3' | 'F4' | 'F5' | 'F6' | 'F7' | 'D1' | 'D2' | 'D3' | 'D4' | 'D5' | 'D6';

/**
 * One thing that happened to one frame copy. `frame` is the copy's id (a new one each time a
 * switch, network or bridge sends a copy out of a port), `origin` the id of the first copy of
 * the frame a host, gateway or step sent. `at` is an adapter, network, nested switch, bridge,
 * gateway (`<network>:gateway`) or external host id. Keys appear in this order; optional keys are
 * absent rather than undefined.
 */
export interface TraceEvent {
  readonly t: number;
  readonly type: TraceEventType;
  readonly frame: number;
  readonly origin: number;
  readonly at: string;
  readonly proto: FrameProto;
  readonly src?: string;
  readonly dst?: string;
  readonly reason?: DropReason | WarnReason;
  readonly rule?: SimRule;
  readonly message?: string;
}

/** `ok`: a ping got a reply, a frame or gratuitous ARP was delivered somewhere. */
export interface StepOutcome {
  readonly ok: boolean;
  readonly summary: string;
  readonly events: TraceEvent[];
}

/** A frame recorded at a capture point (a bridge it crossed, a host it was delivered to). */
export interface CapturedFrame {
  /** Simulated microseconds. */
  readonly t: number;
  readonly bytes: Uint8Array;
  /** The adapter the frame entered by (bridge) or was delivered to (host). */
  readonly port: string;
  readonly frame: number;
  readonly origin: number;
  readonly proto: FrameProto;
  readonly etherType: number;
  readonly src: string;
  readonly dst: string;
}

export interface MacTableEntry {
  readonly mac: string;
  /** The port: an adapter id, `<network>:gateway`, or a hypervisor's id for its host port (D2). */
  readonly port: string;
  readonly kind: 'static' | 'learned';
  /** Learned entries: seconds since the MAC was last seen on the port (F7). */
  readonly ageSeconds?: number;
}

export interface ArpCacheEntry {
  readonly ip: string;
  readonly mac: string;
  /** The adapter the entry was learned on. */
  readonly adapter: string;
}

/** D4: one cycle the simulator stopped a storm on. */
export interface LoopReport {
  /** Networks, nested switches and bridges in the order the frames went round. */
  readonly cycle: readonly string[];
  /** Learned MACs that moved between ports while the storm ran. */
  readonly flappedMacs: readonly string[];
  /** Origin frame ids whose copies were stopped on this cycle. */
  readonly origins: readonly number[];
  /** Where and when the first storm on this cycle was stopped, and by which limit. */
  readonly at: string;
  readonly t: number;
  readonly limit: 'hops' | 'copies';
}

export interface SimStats {
  /** Events taken from the queue. */
  readonly events: number;
  /** Events that moved a frame copy (arrivals at switches, deliveries to endpoints). */
  readonly hops: number;
  readonly drops: number;
  /** Frame copies created. */
  readonly frames: number;
}

export interface SimulationOptions {
  /** Record trace events (default true). Off, drops are still counted. */
  readonly recordTrace?: boolean;
  /** Record captures at bridges and hosts (default: as recordTrace). */
  readonly recordCaptures?: boolean;
  /** The first run's budget (budget.ts defaults for what is left out); `beginRun` sets the next. */
  readonly limits?: Partial<RunLimits>;
  /** Asked now and then during a run; true stops it (the run ends, `cancelled`). */
  readonly interrupt?: Interrupt;
}
