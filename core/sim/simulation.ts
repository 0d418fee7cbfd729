/**
 * The simulator's facade: a lab, a clock and the traffic steps (ping, raw frame, gratuitous
 * ARP, wait). Each step schedules what it sends and runs the event queue until nothing is left
 * to do, so a step's outcome is final when it returns. Guarantees: the same lab and steps give
 * the same trace, byte for byte; no step hangs; a lab change keeps learned MACs, ARP caches,
 * captures and the trace where they still make sense. Every run is bounded (budget.ts): it
 * processes at most its event budget (then the run ends: later steps are not run), records at
 * most its trace and capture budgets, stops when its interrupt asks, and says what was cut in
 * `notices()`. `check` pings on the state as it is and then leaves that state exactly as it was,
 * so objectives cost their own ping, not a replay of the script.
 */
import { DEFAULT_SIM } from '../model/lab';
import type { Lab } from '../model/lab';
import { Ipv4Address } from '../wire/ipv4-address';
import { Mac } from '../wire/mac';
import { sourceHost, sourceIface, targetIp } from './addressing';
import { count, withDefaults, type Interrupt, type RunLimits, type RunNotice } from './budget';
import { CaptureStore, CaptureWatch, type CaptureFacts } from './captures';
import { PING_INTERVAL_US, SimContext } from './context';
import { Engine } from './engine';
import type { EventHandler } from './engine';
import type { HostInterface } from './host-interface';
import type { HostStack } from './host-stack';
import { LoopDetector } from './loop-detector';
import { macText } from './packet';
import { PingRegistry } from './pings';
import { RunMeter, type Keepers } from './run-meter';
import { gratuitousArp, rawFrame } from './raw-frame';
import { buildTopology, PersistentState } from './topology';
import type { Topology } from './topology';
import { Tracer } from './trace';
import type { FrameLineage } from './trace';
import type {
  ArpCacheEntry,
  CapturedFrame,
  LoopReport,
  MacTableEntry,
  SimStats,
  SimulationOptions,
  StepOutcome,
  TraceEvent,
} from './types';

/** A ping's echo requests, one PING_INTERVAL_US apart; the event's port is the sequence. */
class EchoTimer implements EventHandler {
  constructor(
    private readonly engine: Engine,
    private readonly host: HostStack,
    private readonly iface: HostInterface,
    private readonly target: number,
    private readonly identifier: number,
    private readonly count: number,
  ) {}

  onEvent(sequence: number): void {
    // The next request is scheduled first, so it runs before anything this one sets off then.
    if (sequence < this.count) this.engine.schedule(PING_INTERVAL_US, this, sequence + 1, null);
    this.host.sendEcho(this.iface, this.target, this.identifier, sequence);
  }
}

export class Simulation {
  private readonly engine = new Engine();
  private readonly tracer: Tracer;
  private readonly store: CaptureStore;
  private readonly loopDetector: LoopDetector;
  private readonly ctx: SimContext;
  private readonly pings = new PingRegistry();
  private readonly state = new PersistentState();
  private readonly interrupt: Interrupt | null;
  private meter: RunMeter;
  private topo: Topology;
  private lab: Lab;

  constructor(lab: Lab, options: SimulationOptions = {}) {
    const recordTrace = options.recordTrace ?? true;
    this.lab = lab;
    this.interrupt = options.interrupt ?? null;
    this.tracer = new Tracer(this.engine, recordTrace);
    this.store = new CaptureStore(options.recordCaptures ?? recordTrace);
    this.loopDetector = new LoopDetector(this.engine, this.tracer, this.state.journal);
    this.ctx = new SimContext(
      this.engine,
      this.tracer,
      this.store,
      this.loopDetector,
      settingsOf(lab),
    );
    this.ctx.arpHolders = this.state.arpHolders;
    this.meter = this.beginRun(options.limits);
    this.topo = this.compile();
  }

  /**
   * Starts a new run with its own budget (defaults: budget.ts): what earlier runs learned,
   * captured and traced stays. The constructor starts the first.
   */
  beginRun(limits?: Partial<RunLimits>): RunMeter {
    const meter = new RunMeter(withDefaults(limits));
    this.meter = meter;
    this.tracer.startRun(meter.limits);
    this.store.startRun(meter.limits);
    return meter;
  }

  /** The caller's index of the step about to run, so notices can say where a budget was hit. */
  atStep(index: number): void {
    this.meter.step = index;
  }

  /**
   * Whether this run has ended (its event budget spent, or cancelled): later steps do not run.
   * It asks the interrupt too, so a script of many short steps (each too short for the engine
   * to ask) is cancelled between them.
   */
  get ended(): boolean {
    if (this.meter.ended === null && this.interrupt?.() === true) {
      this.meter.ended = 'cancelled';
      this.meter.observe(this.keepers());
    }
    return this.meter.ended !== null;
  }

  /** What this run's budgets cut, so far (`run-truncated`). */
  notices(): RunNotice[] {
    return this.meter.notices(this.keepers());
  }

  /** Events the last step left out of the trace (its budget was reached). */
  get stepOmitted(): number {
    return this.tracer.stepOmitted;
  }

  /** Simulated microseconds. */
  get now(): number {
    return this.engine.now;
  }

  get trace(): readonly TraceEvent[] {
    return this.tracer.events;
  }

  /**
   * Parent and packet of each of `frames` (trace frame ids) and their ancestors, recorded while
   * the trace is; then all lineage is forgotten, so read it once per batch of steps.
   */
  takeLineage(frames: Iterable<number>): Map<number, FrameLineage> {
    return this.tracer.takeLineage(frames);
  }

  /** The topology or a setting changed: recompile, keeping state that still makes sense. */
  setLab(lab: Lab): void {
    this.lab = lab;
    this.ctx.settings = settingsOf(lab);
    this.engine.queue.clear();
    this.topo = this.compile();
    this.chargeLabWork(1);
  }

  /**
   * Work linear in the lab done for this run outside the queue (compiling it, checking an
   * edit's rules) spends the run's budget too, one event per device and adapter, so a script of
   * many edits on a large lab is bounded like a storm.
   */
  chargeLabWork(times: number): void {
    const size = this.topo.adapters.size + this.topo.hosts.size + this.topo.networks.size;
    this.meter.spent += times * size;
    if (this.meter.left === 0 && this.meter.ended === null) {
      this.meter.ended = 'events';
      this.meter.observe(this.keepers());
    }
  }

  /** Tables, caches, captures, trace, loops, clock and ids back to the start; topology kept. */
  reset(): void {
    this.engine.queue.clear();
    this.engine.now = 0;
    this.engine.events = 0;
    this.engine.hops = 0;
    this.tracer.clear();
    this.store.clear();
    this.loopDetector.clear();
    this.pings.clear();
    this.ctx.reset();
    // The compiled devices stay: their learned tables and caches are emptied in place.
    this.state.clear();
    this.beginRun(this.meter.limits);
  }

  /** ARP as needed, then `count` ICMP echo requests a second apart; ok when a reply arrives. */
  ping(from: string, to: string, count = 1): StepOutcome {
    const begin = this.tracer.beginStep();
    const label = `${from} → ${to}`;
    if (this.ended) return this.notRun(begin, label);
    const { ok, summary } = this.pingFor(from, to, count, this.meter.left);
    return this.outcome(begin, ok, `${label}: ${summary}`);
  }

  /**
   * An objective's ping (lab-format.md: "a fresh ping on the state the traffic script left"):
   * one echo on the state as it is, within `maxEvents`, recording nothing; afterwards every
   * table, cache, counter and the clock are as they were, so checks cannot change each other's
   * answers. `decided` is false when the budget ran out before a reply.
   */
  check(from: string, to: string, maxEvents: number): CheckOutcome {
    const saved = this.markState();
    this.tracer.pause(true);
    this.store.pause(true);
    this.state.journal.begin();
    this.ctx.quiet = true;
    try {
      this.tracer.beginStep();
      const ping = this.pingFor(from, to, 1, maxEvents);
      const cancelled = !ping.decided && this.engine.stoppedBy === 'interrupt';
      const summary = `${from} → ${to}: ${ping.summary}`;
      return { ...ping, summary, events: this.engine.taken, cancelled };
    } finally {
      this.ctx.quiet = false;
      this.state.journal.rollback();
      this.tracer.pause(false);
      this.store.pause(false);
      this.restoreState(saved);
    }
  }

  /** The ping both steps and checks make: its result and whether it ran out of events. */
  private pingFor(
    from: string,
    to: string,
    count: number,
    maxEvents: number,
  ): { ok: boolean; summary: string; decided: boolean } {
    this.engine.taken = 0;
    const source = sourceHost(this.topo, from);
    if (!source.ok) return { ok: false, summary: source.reason, decided: true };
    const { host } = source.value;
    const target = targetIp(this.topo, to, host);
    if (target === null) return { ok: false, summary: `no address for ${to}`, decided: true };
    const iface = source.value.iface ?? sourceIface(host, target);
    if (iface === undefined || iface.ip === null) {
      return { ok: false, summary: `${from} has no IP address to ping from`, decided: true };
    }
    const n = Math.max(1, Math.floor(count));
    if (host.running && host.isLocal(target)) {
      return { ok: true, summary: `${n}/${n} replies`, decided: true };
    }
    const session = this.pings.open(host.vmId);
    const timer = new EchoTimer(this.engine, host, iface, target, session.identifier, n);
    this.engine.schedule(0, timer, 1, null);
    const drained = this.drain(maxEvents);
    this.pings.close(session);
    const replies = session.replies;
    const result = replies > 0 ? `${replies}/${n} replies` : `no reply${this.because()}`;
    return {
      ok: replies > 0,
      summary: `${result}${drained ? '' : this.stopped(maxEvents)}`,
      decided: drained || replies > 0,
    };
  }

  /**
   * Runs the queue within `maxEvents` (and `until`); false when the budget or the interrupt
   * stopped it, and then the ARP resolutions left waiting on the emptied queue are dropped.
   */
  private drain(maxEvents: number, until = Infinity): boolean {
    const engine = this.engine;
    const drained = engine.run(maxEvents, until, this.interrupt);
    this.meter.spent += engine.taken;
    if (!drained) this.state.dropPending();
    return drained;
  }

  /** Why the step just run stopped early; a step's own budget ends the run. */
  private stopped(maxEvents: number): string {
    if (this.engine.stoppedBy === 'interrupt') {
      if (!this.state.journal.active) this.meter.ended = 'cancelled';
      return ' (stopped: cancelled)';
    }
    if (this.state.journal.active) return ` (stopped after ${count(maxEvents)} events)`;
    this.meter.ended = 'events';
    return ` (stopped: the run's budget of ${count(this.meter.limits.maxEvents)} events is spent)`;
  }

  /** A raw frame sent by an adapter as given (F2 judges its source); ok when delivered somewhere. */
  sendFrame(args: {
    from: string;
    src: string;
    dst: string;
    type: 'arp' | 'ipv4' | number;
    payload?: string;
  }): StepOutcome {
    const begin = this.tracer.beginStep();
    const label = `${args.from}: ${args.src} → ${args.dst}`;
    const adapter = this.topo.adapters.get(args.from) ?? this.firstAdapter(args.from);
    const src = Mac.parse(args.src);
    const dst = Mac.parse(args.dst);
    if (adapter === undefined)
      return this.outcome(begin, false, `${label}: no adapter ${args.from}`);
    if (src === null || dst === null) return this.outcome(begin, false, `${label}: not a MAC`);
    if (this.ended) return this.notRun(begin, label);
    const ip = this.topo.ifaces.get(adapter.id)?.ip ?? null;
    const bytes = rawFrame({ src, dst, type: args.type, payload: args.payload, ip });
    adapter.transmit(this.ctx.originate(bytes, adapter.vmId));
    return this.delivered(begin, label);
  }

  /** D6: a gratuitous ARP for `ip` from `mac`, sent by the adapter's guest. */
  garp(args: { from: string; mac: string; ip: string }): StepOutcome {
    const begin = this.tracer.beginStep();
    const label = `${args.from}: gratuitous ARP ${args.ip} is at ${args.mac}`;
    const mac = Mac.parse(args.mac);
    const ip = Ipv4Address.parse(args.ip);
    if (mac === null || ip === null) return this.outcome(begin, false, `${label}: not a MAC or IP`);
    if (this.ended) return this.notRun(begin, label);
    const iface = this.topo.ifaces.get(args.from) ?? this.topo.hosts.get(args.from)?.ifaces[0];
    const adapter = this.topo.adapters.get(args.from);
    if (iface !== undefined) iface.host.announce(iface, mac.value, ip.value);
    else if (adapter !== undefined) {
      adapter.transmit(this.ctx.originate(gratuitousArp(mac, ip), adapter.vmId));
    } else return this.outcome(begin, false, `${label}: no adapter ${args.from}`);
    return this.delivered(begin, label);
  }

  /** Advances simulated time (F7 ageing), running anything due meanwhile. */
  wait(seconds: number): StepOutcome {
    const begin = this.tracer.beginStep();
    if (!Number.isFinite(seconds) || seconds < 0) {
      return this.outcome(begin, false, `wait ${seconds} s: not a duration`);
    }
    if (this.ended) return this.notRun(begin, `wait ${seconds} s`);
    const until = this.engine.now + Math.round(seconds * 1e6);
    const drained = this.drain(this.meter.left, until);
    this.engine.now = Math.max(this.engine.now, until);
    const stopped = drained ? '' : this.stopped(this.meter.limits.maxEvents);
    return this.outcome(begin, drained, `waited ${seconds} s${stopped}`);
  }

  /** A bridge's (frames crossing) or a host's (frames delivered) capture; an adapter id narrows a host's. */
  captures(deviceId: string): readonly CapturedFrame[] {
    const own = this.store.get(deviceId);
    if (own.length > 0 || this.topo.bridges.has(deviceId) || this.topo.hosts.has(deviceId))
      return own;
    const iface = this.topo.ifaces.get(deviceId);
    if (iface === undefined) return [];
    return this.store.get(iface.host.vmId).filter((f) => f.port === deviceId);
  }

  /** Devices that captured something, in the order they first did. */
  capturePoints(): string[] {
    return this.store.devices();
  }

  macTable(networkId: string): MacTableEntry[] {
    return this.topo.networks.get(networkId)?.table(this.engine.now) ?? [];
  }

  learnedTable(switchOrBridgeId: string): MacTableEntry[] {
    const now = this.engine.now;
    const device =
      this.topo.switches.get(switchOrBridgeId) ?? this.topo.bridges.get(switchOrBridgeId);
    if (device !== undefined) return device.table(now);
    return this.macTable(switchOrBridgeId).filter((e) => e.kind === 'learned');
  }

  /** A VM's ARP cache (or a gateway's, by `<network>:gateway`). */
  arpCache(vmId: string): ArpCacheEntry[] {
    const cache = this.topo.hosts.get(vmId)?.state.arp ?? this.topo.gateways.get(vmId)?.state.arp;
    return (cache?.list() ?? []).map(([ip, e]) => ({
      ip: Ipv4Address.fromNumber(ip).toString(),
      mac: macText(e.mac),
      adapter: e.iface,
    }));
  }

  loops(): LoopReport[] {
    return this.loopDetector.list();
  }

  stats(): SimStats {
    const { events, hops } = this.engine;
    return { events, hops, drops: this.tracer.drops, frames: this.ctx.framesMade };
  }

  private compile(): Topology {
    const topo = buildTopology(this.lab, this.ctx, this.state, this.pings);
    this.ctx.names = { macOwner: (mac) => topo.macOwners.get(mac) };
    return topo;
  }

  private firstAdapter(vmId: string): ReturnType<Topology['adapters']['get']> {
    const first = this.topo.index.vms.get(vmId)?.vm.adapters[0];
    return first === undefined ? undefined : this.topo.adapters.get(first.id);
  }

  private delivered(begin: number, label: string): StepOutcome {
    const drained = this.drain(this.meter.left);
    const n = this.tracer.stepDeliveries;
    const result =
      n > 0 ? `delivered ${n} time${n === 1 ? '' : 's'}` : `not delivered${this.because()}`;
    const stopped = drained ? '' : this.stopped(this.meter.limits.maxEvents);
    return this.outcome(begin, n > 0, `${label}: ${result}${stopped}`);
  }

  private notRun(begin: number, label: string): StepOutcome {
    const why =
      this.meter.ended === 'cancelled'
        ? 'the run was cancelled'
        : "the run's event budget is spent";
    return this.outcome(begin, false, `${label}: not run (${why})`);
  }

  private because(): string {
    const drop = this.tracer.telling();
    return drop === null ? '' : `, dropped at ${drop.at}: ${drop.reason} (${drop.rule})`;
  }

  private outcome(begin: number, ok: boolean, summary: string): StepOutcome {
    this.meter.observe(this.keepers());
    return { ok, summary, events: this.tracer.events.slice(begin) };
  }

  private keepers(): Keepers {
    return { trace: this.tracer, captures: this.store };
  }

  /**
   * Counts, from now on, the frames recorded at `deviceId` (a bridge, a host VM, or a host's
   * adapter, as `captures` reads them) that pass `test`, whether or not the capture budget lets
   * them be kept: the `captured` objective checks.
   */
  watchCaptures(deviceId: string, test: (frame: CaptureFacts) => boolean): CaptureWatch {
    const topo = this.topo;
    if (topo.bridges.has(deviceId) || topo.hosts.has(deviceId)) {
      const watch = new CaptureWatch(test);
      this.store.watch(deviceId, watch);
      return watch;
    }
    const iface = topo.ifaces.get(deviceId);
    const watch = new CaptureWatch((f) => f.port === deviceId && test(f));
    if (iface !== undefined) this.store.watch(iface.host.vmId, watch);
    return watch;
  }

  /** D4: copies dropped `loop-detected` so far (the `noLoop` check), recorded or not. */
  get loopDrops(): number {
    return this.tracer.loopDrops;
  }

  /** What a check changes besides the journalled tables: the clock, counters and ids. */
  private markState(): SavedCounters {
    const { engine } = this;
    if (engine.queue.size > 0) throw new Error('check() needs an idle simulator');
    return {
      now: engine.now,
      events: engine.events,
      hops: engine.hops,
      drops: this.tracer.drops,
      loopDrops: this.tracer.loopDrops,
      frameId: this.ctx.frameIdMark,
      pingId: this.pings.mark,
      spent: this.meter.spent,
    };
  }

  private restoreState(saved: SavedCounters): void {
    const { engine } = this;
    engine.queue.clear();
    engine.now = saved.now;
    engine.events = saved.events;
    engine.hops = saved.hops;
    this.tracer.drops = saved.drops;
    this.tracer.loopDrops = saved.loopDrops;
    this.ctx.frameIdMark = saved.frameId;
    this.pings.mark = saved.pingId;
    this.meter.spent = saved.spent;
  }
}

interface SavedCounters {
  readonly now: number;
  readonly events: number;
  readonly hops: number;
  readonly drops: number;
  readonly loopDrops: number;
  readonly frameId: number;
  readonly pingId: number;
  readonly spent: number;
}

/** An objective's ping: its answer, whether it was decided within its budget, events used. */
export interface CheckOutcome {
  readonly ok: boolean;
  readonly summary: string;
  readonly decided: boolean;
  readonly events: number;
  /** Undecided because the run was cancelled, not for want of events. */
  readonly cancelled: boolean;
}

function settingsOf(lab: Lab): Lab['sim'] {
  return { ...DEFAULT_SIM, ...lab.sim };
}
