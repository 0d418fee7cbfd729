/**
 * core/sim: the deterministic discrete-event frame simulator (semantics.md F1–F7, D1–D6).
 *
 * Public API (stable; the traffic runner, CLI, web UI and benchmark use it):
 *
 * - `new Simulation(lab, { recordTrace?, recordCaptures?, maxEvents? })`
 *   - `now`: simulated µs. `trace`: every event so far (lab-format.md `--json` shape).
 *   - `setLab(lab)`: topology or settings changed; learned MACs, ARP caches, held virtual IPs,
 *     captures and trace are kept where they still make sense (a VM that is not running forgets
 *     its caches; entries on ports that are gone are dropped).
 *   - `ping(from, to, count = 1)`, `sendFrame({ from, src, dst, type, payload? })`,
 *     `garp({ from, mac, ip })`, `wait(seconds)`: one traffic step each, run to completion,
 *     returning `{ ok, summary, events }`.
 *   - `reset()`: tables, caches, captures, trace, loops, clock and ids cleared; topology kept.
 *   - `captures(id)` (bridge, host VM, or a host's adapter), `capturePoints()`,
 *     `macTable(networkId)`, `learnedTable(switchOrBridgeId)`, `arpCache(vmId | gatewayId)`,
 *     `loops()`, `stats()`.
 * - `exportPcapng(sim, deviceIds?)`: one pcapng interface per capture point.
 *
 * Model choices where semantics.md is silent are documented in the module that makes them:
 * latencies (context.ts), copies counted per switch entry (loop-detector.ts), the spanning tree
 * (stp.ts), raw frames (raw-frame.ts), addressing of steps (addressing.ts).
 */
export { Simulation } from './simulation';
export { exportPcapng } from './pcap-export';
export type {
  ArpCacheEntry,
  CapturedFrame,
  DropReason,
  FrameProto,
  LoopReport,
  MacTableEntry,
  SimRule,
  SimStats,
  SimulationOptions,
  StepOutcome,
  TraceEvent,
  TraceEventType,
  WarnReason,
} from './types';
