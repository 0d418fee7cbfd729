/**
 * A network's gateway (D5): a router port on the network with its own MAC. It answers ARP for
 * its IP and ICMP echo to it, and routes IPv4 to the lab's external hosts ("the Internet") and
 * their answers back, one TTL lower each way (`ttl-exceeded` when none is left). An address that
 * is no external host gets `no-route`. External hosts answer echo requests. Guarantees: routed
 * frames are new bytes (TTL and Ethernet header rewritten); the frame that arrived is untouched.
 */
import { assertNever } from '../common/assert-never';
import { ArpOperation } from '../wire/arp';
import type { ArpRepr } from '../wire/arp';
import { buildArp, buildIcmpEcho, decrementTtl, rewriteEthernet } from '../wire/frame';
import type { ParsedFrame } from '../wire/frame';
import { IcmpType } from '../wire/icmp';
import { Ipv4Address } from '../wire/ipv4-address';
import { Mac } from '../wire/mac';
import { ArpCache } from './arp-cache';
import type { ArpClient } from './arp-cache';
import type { SimContext } from './context';
import { DEFAULT_TTL, EXTERNAL_US, NETWORK_WIRE_US } from './context';
import type { EventHandler } from './engine';
import type { Journal } from './journal';
import type { NetworkSwitch } from './network-switch';
import type { FrameCopy } from './packet';
import type { Endpoint } from './segment';

/** The MAC the Internet side uses toward every gateway; never seen on a lab network. */
const UPSTREAM_MAC = Mac.fromNumber(0x06_67_00_00_00_01);

export class GatewayState {
  readonly arp: ArpCache;
  private ipIdValue = 0;

  constructor(private readonly journal: Journal) {
    this.arp = new ArpCache(journal);
  }

  /** The IPv4 identification of the next packet the gateway originates or routes. */
  nextIpId(): number {
    const old = this.ipIdValue;
    if (this.journal.active) this.journal.record(() => (this.ipIdValue = old));
    this.ipIdValue = (old + 1) & 0xffff;
    return this.ipIdValue;
  }

  reset(): void {
    this.arp.clear();
    this.ipIdValue = 0;
  }
}

export interface ExternalHost {
  readonly id: string;
  readonly ip: number;
}

/** One direction of the gateway's link to the Internet. */
class InternetLeg implements EventHandler {
  constructor(
    private readonly gateway: Gateway,
    private readonly outbound: boolean,
  ) {}

  onEvent(_port: number, copy: FrameCopy | null): void {
    if (copy === null) return;
    if (this.outbound) this.gateway.atExternal(copy);
    else this.gateway.fromInternet(copy);
  }
}

export class Gateway implements Endpoint, ArpClient {
  readonly id: string;
  portIndex = -1;
  private readonly out = new InternetLeg(this, true);
  private readonly back = new InternetLeg(this, false);

  constructor(
    readonly network: NetworkSwitch,
    readonly mac: number,
    readonly ip: number,
    readonly state: GatewayState,
    private readonly externals: ReadonlyMap<number, ExternalHost>,
    private readonly ctx: SimContext,
  ) {
    this.id = `${network.id}:gateway`;
  }

  receive(copy: FrameCopy): void {
    const ctx = this.ctx;
    const packet = copy.packet;
    if (packet.dst !== this.mac && !packet.multicastDst) {
      const dst = packet.dstText;
      ctx.tracer.drop(
        copy,
        this.id,
        'nic-filter',
        'D1',
        () => `The frame is for ${dst}, not the gateway's MAC, so the gateway ignores it.`,
      );
      return;
    }
    ctx.tracer.deliver(copy, this.id);
    const parsed = packet.parsed;
    switch (parsed.proto) {
      case 'arp':
        if (parsed.arp !== undefined) this.onArp(parsed.arp);
        return;
      case 'icmp':
      case 'ipv4':
        if (!packet.multicastDst) this.onIpv4(parsed, copy);
        return;
      case 'other':
        return;
      default:
        assertNever(parsed.proto, 'frame proto');
    }
  }

  transmit(copy: FrameCopy): void {
    this.ctx.tracer.transmit(copy, this.id);
    this.ctx.engine.schedule(NETWORK_WIRE_US, this.network, this.portIndex, copy);
  }

  private onArp(arp: ArpRepr): void {
    const spa = arp.senderIp.value;
    const tpa = arp.targetIp.value;
    if (spa === 0) return;
    const mine = tpa === this.ip && spa !== tpa;
    // D6: RFC 826 merge; a gratuitous ARP (spa = tpa) only updates what the gateway knows.
    this.state.arp.learn(spa, arp.senderMac.value, this.id, mine);
    if (!mine || arp.operation !== ArpOperation.Request) return;
    const mac = Mac.fromNumber(this.mac);
    const bytes = buildArp({
      src: mac,
      dst: arp.senderMac,
      arp: {
        operation: ArpOperation.Reply,
        senderMac: mac,
        senderIp: arp.targetIp,
        targetMac: arp.senderMac,
        targetIp: arp.senderIp,
      },
    });
    this.transmit(this.ctx.originate(bytes, null));
  }

  private onIpv4(parsed: ParsedFrame, copy: FrameCopy): void {
    const ipv4 = parsed.ipv4;
    if (ipv4 === undefined) return;
    const dst = ipv4.dst.value;
    if (dst === this.ip) {
      const icmp = parsed.icmp;
      if (icmp?.kind !== 'echo' || icmp.type !== IcmpType.EchoRequest) return;
      const { identifier, sequence, data } = icmp;
      this.sendToNetwork(ipv4.src.value, null, (dstMac) =>
        buildIcmpEcho({
          srcMac: Mac.fromNumber(this.mac),
          dstMac,
          srcIp: ipv4.dst,
          dstIp: ipv4.src,
          ttl: DEFAULT_TTL,
          identification: this.nextIpId(),
          echo: { type: IcmpType.EchoReply, code: 0, identifier, sequence, data },
        }),
      );
      return;
    }
    if (!this.externals.has(dst)) {
      const target = ipv4.dst.toString();
      this.ctx.tracer.drop(
        copy,
        this.id,
        'no-route',
        'D5',
        () => `${this.id} routes only to the lab's external hosts, and ${target} is none of them.`,
      );
      return;
    }
    const bytes = this.route(copy);
    if (bytes !== null)
      this.ctx.engine.schedule(EXTERNAL_US, this.out, 0, this.ctx.rewritten(copy, bytes));
  }

  /** D5: the bytes one TTL lower, or null after dropping the frame, `ttl-exceeded`. */
  private route(copy: FrameCopy): Uint8Array | null {
    const bytes = decrementTtl(copy.packet.bytes);
    if (bytes === null) {
      this.ctx.tracer.drop(
        copy,
        this.id,
        'ttl-exceeded',
        'D5',
        () =>
          `The packet's TTL ran out at ${this.id}, so the router drops it instead of forwarding it.`,
      );
      return null;
    }
    this.ctx.tracer.forward(copy, this.id);
    return bytes;
  }

  /** The routed packet reaches its external host, which answers echo requests. */
  atExternal(copy: FrameCopy): void {
    const ctx = this.ctx;
    const parsed = copy.packet.parsed;
    const { ipv4, icmp } = parsed;
    if (ipv4 === undefined) return;
    const host = this.externals.get(ipv4.dst.value);
    if (host === undefined) return;
    ctx.tracer.deliver(copy, host.id);
    if (icmp?.kind !== 'echo' || icmp.type !== IcmpType.EchoRequest) return;
    const bytes = buildIcmpEcho({
      srcMac: UPSTREAM_MAC,
      dstMac: Mac.fromNumber(this.mac),
      srcIp: ipv4.dst,
      dstIp: ipv4.src,
      ttl: DEFAULT_TTL,
      identification: ipv4.identification,
      echo: {
        type: IcmpType.EchoReply,
        code: 0,
        identifier: icmp.identifier,
        sequence: icmp.sequence,
        data: icmp.data,
      },
    });
    const reply = ctx.originate(bytes, null);
    ctx.tracer.transmit(reply, host.id);
    ctx.engine.schedule(EXTERNAL_US, this.back, 0, reply);
  }

  /** An answer from the Internet: route it onto the network (D5). */
  fromInternet(copy: FrameCopy): void {
    const ipv4 = copy.packet.parsed.ipv4;
    const bytes = this.route(copy);
    if (bytes === null || ipv4 === undefined) return;
    this.sendToNetwork(ipv4.dst.value, copy, (dstMac) =>
      rewriteEthernet(bytes, { src: Mac.fromNumber(this.mac), dst: dstMac }),
    );
  }

  /**
   * Resolves `ip` on the network (D6) and sends what `build` makes for its MAC: a routed frame
   * (`routed`, same origin) or one the gateway originates.
   */
  private sendToNetwork(
    ip: number,
    routed: FrameCopy | null,
    build: (dstMac: Mac) => Uint8Array,
  ): void {
    const ctx = this.ctx;
    this.state.arp.resolve(ip, this.id, this, ctx.engine, (mac) => {
      const bytes = build(Mac.fromNumber(mac));
      this.transmit(routed === null ? ctx.originate(bytes, null) : ctx.rewritten(routed, bytes));
    });
  }

  sendArpRequest(ip: number): FrameCopy | null {
    const mac = Mac.fromNumber(this.mac);
    const bytes = buildArp({
      src: mac,
      dst: Mac.BROADCAST,
      arp: {
        operation: ArpOperation.Request,
        senderMac: mac,
        senderIp: Ipv4Address.fromNumber(this.ip),
        targetMac: Mac.fromNumber(0),
        targetIp: Ipv4Address.fromNumber(ip),
      },
    });
    const copy = this.ctx.originate(bytes, null);
    this.transmit(copy);
    return copy;
  }

  arpFailed(ip: number, _iface: string, last: FrameCopy | null): void {
    if (last === null) return;
    const target = Ipv4Address.fromNumber(ip).toString();
    this.ctx.tracer.drop(
      last,
      this.id,
      'arp-timeout',
      'D6',
      () => `Nobody on ${this.network.id} answered the gateway's ARP requests for ${target}.`,
    );
  }

  private nextIpId(): number {
    return this.state.nextIpId();
  }
}
