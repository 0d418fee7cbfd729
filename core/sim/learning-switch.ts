/**
 * The transparent learning switch shared by nested switches (D2) and inline bridges (D3): learn
 * each source MAC on its ingress port, send known unicast to its one port, flood broadcast,
 * multicast and unknown unicast to every port but the ingress, and drop a frame whose destination
 * was learned on its ingress port (`same-port-filter`). Subclasses add what differs: the bridge's
 * spanning tree and capture. Guarantees: per hop a few map lookups; no F2 check here (a nested
 * switch and a bridge are not Skytap networks), learned entries age out like F7's.
 */
import type { SimContext } from './context';
import { EGRESS_US } from './context';
import type { LearnedTable } from './learned-table';
import { macText } from './packet';
import type { FrameCopy } from './packet';
import { SegmentPort } from './segment';
import type { Segment } from './segment';
import type { MacTableEntry, SimRule } from './types';

export abstract class LearningSwitch implements Segment {
  abstract readonly kind: 'switch' | 'bridge';
  abstract readonly wireDelay: number;
  /** The rule this device's forwarding proves: D2 or D3. */
  protected abstract readonly rule: SimRule;
  readonly ports: SegmentPort[] = [];

  constructor(
    readonly id: string,
    readonly order: number,
    readonly learned: LearnedTable,
    protected readonly ctx: SimContext,
  ) {}

  addPort(id: string): SegmentPort {
    const port = new SegmentPort(this.ports.length, id, -1, true, this.ctx);
    this.ports.push(port);
    return port;
  }

  /** Once every port is added: keep the learned entries whose port still forwards. */
  seal(): void {
    this.learned.remap(
      new Map(this.ports.filter((p) => this.forwards(p.index)).map((p) => [p.id, p.index])),
    );
  }

  onEvent(port: number, copy: FrameCopy | null): void {
    if (copy !== null) this.arrive(copy, port);
  }

  arrive(copy: FrameCopy, ingress: number): void {
    const ctx = this.ctx;
    if (!ctx.loops.admit(copy, this)) return;
    const port = this.ports[ingress];
    if (port === undefined || !this.admitPort(copy, port)) return;
    const packet = copy.packet;
    const ageingUs = ctx.ageingUs;
    if (!packet.multicastSrc) this.learn(copy, port, ageingUs);
    if (packet.multicastDst) {
      this.flood(copy, ingress);
      return;
    }
    const entry = this.learned.lookup(packet.dst, ctx.engine.now, ageingUs);
    if (entry === undefined) this.flood(copy, ingress);
    else if (entry.port === ingress) this.dropSamePort(copy, port);
    else {
      this.crossed(copy, port);
      ctx.tracer.forward(copy, this.id);
      this.send(copy, entry.port);
    }
  }

  /** Whether a port takes part in forwarding (the bridge's spanning tree blocks some). */
  forwards(_port: number): boolean {
    return true;
  }

  /** A hook before learning: the bridge refuses frames on blocked ports here. */
  protected admitPort(_copy: FrameCopy, _port: SegmentPort): boolean {
    return true;
  }

  /** A hook when a frame is about to cross: the bridge records it. */
  protected crossed(_copy: FrameCopy, _port: SegmentPort): void {}

  private learn(copy: FrameCopy, port: SegmentPort, ageingUs: number): void {
    const ctx = this.ctx;
    const now = ctx.engine.now;
    const mac = copy.packet.src;
    const entry = this.learned.lookup(mac, now, ageingUs);
    // Learning here is silent in the trace (learnedTable shows it); only a Skytap network's
    // learning is an event (F3). A move still counts toward D4's flapping MACs.
    if (entry === undefined) {
      this.learned.set(mac, port.index, port.id, now);
      return;
    }
    this.learned.refresh(entry, now);
    if (entry.port === port.index) return;
    ctx.loops.flap(copy, mac, this.id, entry.portId, port.id);
    this.learned.move(entry, port.index, port.id);
  }

  private flood(copy: FrameCopy, ingress: number): void {
    const ports = this.ports;
    let first = true;
    for (let i = 0; i < ports.length; i++) {
      if (i === ingress || !this.forwards(i)) continue;
      if (first) {
        const inPort = ports[ingress];
        if (inPort !== undefined) this.crossed(copy, inPort);
        this.ctx.tracer.forward(copy, this.id);
        first = false;
      }
      this.send(copy, i);
    }
  }

  private send(copy: FrameCopy, out: number): void {
    const port = this.ports[out];
    if (port === undefined) return;
    this.ctx.engine.schedule(EGRESS_US, port, 0, this.ctx.copyOut(copy, this));
  }

  private dropSamePort(copy: FrameCopy, port: SegmentPort): void {
    const dst = copy.packet.dstText;
    this.ctx.tracer.drop(
      copy,
      this.id,
      'same-port-filter',
      this.rule,
      () =>
        `${this.id} learned ${dst} on ${port.id}, the port the frame came from, so it does not send it back there.`,
    );
  }

  table(now: number): MacTableEntry[] {
    const ageingUs = this.ctx.ageingUs;
    return this.learned.live(now, ageingUs).map(([mac, e]) => ({
      mac: macText(mac),
      port: e.portId,
      kind: 'learned',
      ageSeconds: (now - e.seen) / 1e6,
    }));
  }
}
