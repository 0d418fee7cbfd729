/**
 * The simulator's facade: a lab, a clock and the traffic steps (ping, raw frame, gratuitous
 * ARP, wait). Each step schedules what it sends and runs the event queue until nothing is left
 * to do (or `maxEvents` ran), so a step's outcome is final when it returns. Guarantees: the same
 * lab and steps give the same trace, byte for byte; no step hangs; a lab change keeps learned
 * MACs, ARP caches, captures and the trace where they still make sense.
 */
import { DEFAULT_SIM } from '../model/lab';
import type { Lab } from '../model/lab';
import { Ipv4Address } from '../wire/ipv4-address';
import { Mac } from '../wire/mac';
import { sourceHost, sourceIface, targetIp } from './addressing';
import { CaptureStore } from './captures';
import { PING_INTERVAL_US, SimContext } from './context';
import { Engine } from './engine';
import type { EventHandler } from './engine';
import type { HostInterface } from './host-interface';
import type { HostStack } from './host-stack';
import { LoopDetector } from './loop-detector';
import { macText } from './packet';
import { PingRegistry } from './pings';
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

const DEFAULT_MAX_EVENTS = 1_000_000;

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
  private readonly maxEvents: number;
  private readonly state = new PersistentState();
  private topo: Topology;
  private lab: Lab;

  constructor(lab: Lab, options: SimulationOptions = {}) {
    const recordTrace = options.recordTrace ?? true;
    this.maxEvents = options.maxEvents ?? DEFAULT_MAX_EVENTS;
    this.lab = lab;
    this.tracer = new Tracer(this.engine, recordTrace);
    this.store = new CaptureStore(options.recordCaptures ?? recordTrace);
    this.loopDetector = new LoopDetector(this.engine, this.tracer);
    this.ctx = new SimContext(
      this.engine,
      this.tracer,
      this.store,
      this.loopDetector,
      settingsOf(lab),
    );
    this.topo = this.compile();
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
  }

  /** ARP as needed, then `count` ICMP echo requests a second apart; ok when a reply arrives. */
  ping(from: string, to: string, count = 1): StepOutcome {
    const begin = this.tracer.beginStep();
    const label = `${from} → ${to}`;
    const source = sourceHost(this.topo, from);
    if (!source.ok) return this.outcome(begin, false, `${label}: ${source.reason}`);
    const { host } = source.value;
    const target = targetIp(this.topo, to, host);
    if (target === null) return this.outcome(begin, false, `${label}: no address for ${to}`);
    const iface = source.value.iface ?? sourceIface(host, target);
    if (iface === undefined || iface.ip === null) {
      return this.outcome(begin, false, `${label}: ${from} has no IP address to ping from`);
    }
    const n = Math.max(1, Math.floor(count));
    if (host.running && host.isLocal(target)) {
      return this.outcome(begin, true, `${label}: ${n}/${n} replies`);
    }
    const session = this.pings.open(host.vmId);
    const timer = new EchoTimer(this.engine, host, iface, target, session.identifier, n);
    this.engine.schedule(0, timer, 1, null);
    const drained = this.engine.run(this.maxEvents);
    this.pings.close(session);
    const replies = session.replies;
    const result = replies > 0 ? `${replies}/${n} replies` : `no reply${this.because()}`;
    return this.outcome(begin, replies > 0, `${label}: ${result}${cut(drained, this.maxEvents)}`);
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
    const until = this.engine.now + Math.round(seconds * 1e6);
    this.engine.run(this.maxEvents, until);
    this.engine.now = Math.max(this.engine.now, until);
    return this.outcome(begin, true, `waited ${seconds} s`);
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
    const drained = this.engine.run(this.maxEvents);
    const n = this.tracer.stepDeliveries;
    const result =
      n > 0 ? `delivered ${n} time${n === 1 ? '' : 's'}` : `not delivered${this.because()}`;
    return this.outcome(begin, n > 0, `${label}: ${result}${cut(drained, this.maxEvents)}`);
  }

  private because(): string {
    const drop = this.tracer.telling();
    return drop === null ? '' : ` (${drop.reason} at ${drop.at})`;
  }

  private outcome(begin: number, ok: boolean, summary: string): StepOutcome {
    return { ok, summary, events: this.tracer.events.slice(begin) };
  }
}

function settingsOf(lab: Lab): Lab['sim'] {
  return { ...DEFAULT_SIM, ...lab.sim };
}

function cut(drained: boolean, maxEvents: number): string {
  return drained ? '' : ` (stopped after ${maxEvents} events)`;
}
