/**
 * A Skytap network's switch (F2–F7). Its ports are the adapters attached to the network, plus
 * the gateway's port; its table holds static entries (each port owner's own MAC) and learned
 * entries (foreign source MACs sent by promiscuous adapters). Guarantees: a forged source from a
 * non-promiscuous port never gets through (F2); unknown unicast is never flooded (F4), so a
 * promiscuous port receives only what is addressed to a MAC it owns or uses, and broadcasts (F5);
 * nothing is mirrored (F6); per hop the work is a few map lookups, whatever the network's size.
 */
import type { SimContext } from './context';
import { EGRESS_US, NETWORK_WIRE_US } from './context';
import type { LearnedTable } from './learned-table';
import { MacIndex } from './mac-index';
import { QuietPorts } from './quiet-ports';
import { macText } from './packet';
import type { FrameCopy } from './packet';
import { SegmentPort } from './segment';
import type { Segment } from './segment';
import type { MacTableEntry } from './types';

export class NetworkSwitch implements Segment {
  readonly kind = 'network';
  readonly wireDelay = NETWORK_WIRE_US;
  readonly ports: SegmentPort[] = [];
  /** Static entries: MAC → port index, in the order they were added (for `table`). */
  private readonly statics = new Map<number, number>();
  /** The same entries, for the lookup every hop makes. */
  private readonly staticPorts = new MacIndex();
  /** Which ports a broadcast ARP must reach during a check (quiet-ports.ts), once sealed. */
  private quietPorts: QuietPorts | null = null;

  constructor(
    readonly id: string,
    readonly order: number,
    /** F3 learned entries; outlives this object across lab changes. */
    readonly learned: LearnedTable,
    private readonly ctx: SimContext,
  ) {}

  addPort(id: string, mac: number, promiscuous: boolean): SegmentPort {
    const port = new SegmentPort(this.ports.length, id, mac, promiscuous, this.ctx);
    this.ports.push(port);
    if (!this.statics.has(mac)) {
      this.statics.set(mac, port.index);
      this.staticPorts.set(mac, port.index);
    }
    return port;
  }

  /**
   * Once every port is added: keep the learned entries of ports that may still use foreign MACs
   * (F3/F4: a promiscuous adapter still on this network), forget the rest. A VM that stops does
   * not take its entries with it: they age out (F7), and frames to them meanwhile end at its
   * port, `destination-not-running` (F1).
   */
  seal(): void {
    const users = this.ports.filter((p) => p.promiscuous);
    this.learned.remap(new Map(users.map((p) => [p.id, p.index])));
    this.quietPorts = QuietPorts.of(this.ports);
  }

  onEvent(port: number, copy: FrameCopy | null): void {
    if (copy !== null) this.arrive(copy, port);
  }

  arrive(copy: FrameCopy, ingress: number): void {
    const ctx = this.ctx;
    if (!ctx.loops.admit(copy, this)) return;
    const port = this.ports[ingress];
    if (port === undefined) return;
    const packet = copy.packet;
    if (packet.src !== port.mac) {
      // F2: only a promiscuous adapter may send with a source MAC that is not its own.
      if (!port.promiscuous) {
        this.dropForged(copy, port);
        return;
      }
      this.learnForeign(copy, port);
    }
    // F4: broadcast and multicast go to every other port.
    if (packet.multicastDst) {
      this.flood(copy, ingress);
      return;
    }
    // F4: unicast goes to the one port that owns (static) or uses (learned) the MAC, if any.
    let out = this.staticPorts.get(packet.dst);
    if (out < 0) out = this.learned.lookup(packet.dst, ctx.engine.now, ctx.ageingUs)?.port ?? -1;
    if (out < 0) this.dropUnknown(copy);
    else if (out === ingress) this.dropSamePort(copy, port);
    else {
      ctx.tracer.forward(copy, this.id);
      this.send(copy, out);
    }
  }

  /** F3: learn a foreign source on its port, move it when it shows up elsewhere. */
  private learnForeign(copy: FrameCopy, port: SegmentPort): void {
    const ctx = this.ctx;
    const mac = copy.packet.src;
    const owner = this.staticPorts.get(mac);
    if (owner >= 0) {
      if (owner !== port.index) this.warnConflict(copy, port, owner);
      return;
    }
    if (copy.packet.multicastSrc) return;
    const now = ctx.engine.now;
    const entry = this.learned.lookup(mac, now, ctx.ageingUs);
    if (entry === undefined) {
      this.learned.set(mac, port.index, port.id, now);
      const text = copy.packet.srcText;
      ctx.tracer.learn(
        copy,
        this.id,
        text,
        () => `${this.id} learned ${text} on ${port.id}, a promiscuous adapter that sends with it.`,
      );
      return;
    }
    this.learned.refresh(entry, now);
    if (entry.port === port.index) return;
    const from = entry.portId;
    this.learned.move(entry, port.index, port.id);
    ctx.loops.flap(copy, mac, this.id, from, port.id);
    const text = copy.packet.srcText;
    ctx.tracer.macMove(
      copy,
      this.id,
      text,
      () =>
        `${text} moved from ${from} to ${port.id} on ${this.id}: traffic to it now goes to ${port.id}.`,
    );
  }

  private flood(copy: FrameCopy, ingress: number): void {
    const ports = this.ports;
    if (ports.length <= 1) return;
    this.ctx.tracer.forward(copy, this.id);
    const only = this.ctx.quiet ? this.quietPorts?.reach(copy.packet, this.ctx.arpHolders) : null;
    if (only !== null && only !== undefined) {
      for (const i of only) if (i !== ingress) this.send(copy, i);
      return;
    }
    for (let i = 0; i < ports.length; i++) if (i !== ingress) this.send(copy, i);
  }

  private send(copy: FrameCopy, out: number): void {
    const port = this.ports[out];
    if (port === undefined) return;
    this.ctx.engine.schedule(EGRESS_US, port, 0, this.ctx.copyOut(copy, this));
  }

  private dropForged(copy: FrameCopy, port: SegmentPort): void {
    const src = copy.packet.srcText;
    const owner = this.ctx.names.macOwner(copy.packet.src);
    const whose =
      owner === undefined ? 'a source MAC that is not its own' : `another VM's source MAC`;
    this.ctx.tracer.drop(
      copy,
      this.id,
      'forged-source',
      'F2',
      () =>
        `${port.id} is not promiscuous, so the network drops frames it sends with ${whose} (${src}).`,
    );
  }

  private warnConflict(copy: FrameCopy, port: SegmentPort, owner: number): void {
    const src = copy.packet.srcText;
    const ownerId = this.ports[owner]?.id ?? 'another port';
    this.ctx.tracer.warn(
      copy,
      this.id,
      'mac-conflict',
      'F3',
      src,
      () =>
        `${port.id} sent a frame from ${src}, the own MAC of ${ownerId}: ${this.id} forwards it but does not learn it.`,
    );
  }

  private dropUnknown(copy: FrameCopy): void {
    const dst = copy.packet.dstText;
    this.ctx.tracer.drop(
      copy,
      this.id,
      'no-such-destination',
      'F4',
      () =>
        `No adapter on ${this.id} owns or uses ${dst}, and a Skytap network never floods unknown unicast.`,
    );
  }

  private dropSamePort(copy: FrameCopy, port: SegmentPort): void {
    const dst = copy.packet.dstText;
    this.ctx.tracer.drop(
      copy,
      this.id,
      'same-port-filter',
      'F4',
      () =>
        `${dst} is used by ${port.id}, the port the frame came from, so ${this.id} sends it nowhere.`,
    );
  }

  table(now: number): MacTableEntry[] {
    const statics: MacTableEntry[] = [...this.statics].map(([mac, index]) => ({
      mac: macText(mac),
      port: this.ports[index]?.id ?? '',
      kind: 'static',
    }));
    const ageingUs = this.ctx.ageingUs;
    const learned: MacTableEntry[] = this.learned.live(now, ageingUs).map(([mac, e]) => ({
      mac: macText(mac),
      port: e.portId,
      kind: 'learned',
      ageSeconds: (now - e.seen) / 1e6,
    }));
    return [...statics, ...learned];
  }
}
