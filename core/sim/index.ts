/**
 * core/sim: the deterministic discrete-event frame simulator (semantics.md F1–F7, D1–D6).
 *
 * Public API (stable; the traffic runner, CLI, web UI and benchmark use it):
 *
 * - `new Simulation(lab, { recordTrace?, recordCaptures?, limits?, interrupt? })`
 *   - `beginRun(limits?)`: a new run with its own budget (budget.ts); `atStep(i)`, `ended`,
 *     `notices()`: where a budget cut the run, as `run-truncated` notices.
 *   - `check(from, to, maxEvents)`: an objective's ping on the state as it is, which leaves it
 *     exactly as it was; `watchCaptures(id, test)`, `loopDrops`: the other checks' facts.
 *   - `now`: simulated µs. `trace`: every event so far (lab-format.md `--json` shape).
 *   - `setLab(lab)`: topology or settings changed; learned MACs, ARP caches, held virtual IPs,
 *     captures and trace are kept where they still make sense (a VM that is not running forgets
 *     its caches; MACs learned on ports that are gone, down or no longer promiscuous are
 *     forgotten).
 *   - `ping(from, to, count = 1)`, `sendFrame({ from, src, dst, type, payload? })`,
 *     `garp({ from, mac, ip })`, `wait(seconds)`: one traffic step each, run to completion,
 *     returning `{ ok, summary, events }`.
 *   - `reset()`: tables, caches, captures, trace, loops, clock and ids cleared; topology kept.
 *   - `takeLineage(frameIds)`: each copy's parent id and packet (recorded with the trace), for
 *     the ids and their ancestors; then the lineage is forgotten.
 *   - `captures(id)` (bridge, host VM, or a host's adapter), `capturePoints()`,
 *     `macTable(networkId)`, `learnedTable(switchOrBridgeId)`, `arpCache(vmId | gatewayId)`,
 *     `loops()`, `stats()`.
 * - `exportPcapng(sim, deviceIds?)`: one pcapng interface per capture point.
 *
 * Model choices where semantics.md is silent are documented in the module that makes them:
 * latencies and ARP/ping timing (context.ts), copies counted per switch entry (loop-detector.ts),
 * the spanning tree (stp.ts), raw frames (raw-frame.ts), addressing of steps (addressing.ts),
 * what survives a lab change (topology.ts), hot-path frame code (fast-frame.ts).
 *
 * Modules: engine (queue, clock) · packet (frames, copies, origins) · segment (ports, adapters)
 * · network-switch (F2–F7) · learning-switch, nested-switch (D2), bridge + stp (D3) ·
 * loop-detector (D4) · gateway (D5) · host-stack, host-interface, arp-cache, echo (D1, D6) ·
 * trace, captures, pcap-export · topology (lab → devices) · simulation (this facade).
 */
export { Simulation, type CheckOutcome } from './simulation';
export {
  DEFAULT_RUN_LIMITS,
  UNLIMITED,
  count,
  withDefaults,
  type BudgetName,
  type Interrupt,
  type RunLimits,
  type RunNotice,
} from './budget';
export type { CaptureFacts, CaptureWatch } from './captures';
export { exportPcapng } from './pcap-export';
export type { FrameLineage } from './trace';
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
