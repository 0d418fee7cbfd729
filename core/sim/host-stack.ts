/**
 * A guest's network stack (D1, D5, D6): the NIC filter, ARP with a cache, ICMP echo, default
 * gateways, and virtual IPs held VRRP-style, over one `HostInterface` per adapter the guest uses
 * as a host (a bridge's bridged adapters are not). Guarantees: a frame is accepted only for the
 * interface's MAC, a configured or announced virtual MAC, broadcast or multicast (D1); replies
 * are unicast; a gratuitous ARP only updates entries a host already has (D6); a host holds a
 * virtual IP from its own gratuitous ARP until another host's gratuitous ARP for it (D6).
 */
import { ArpOperation } from '../wire/arp';
import type { ArpRepr } from '../wire/arp';
import { EtherType } from '../wire/ethernet';
import { buildArp } from '../wire/frame';
import { IcmpType } from '../wire/icmp';
import { Ipv4Address } from '../wire/ipv4-address';
import { Mac } from '../wire/mac';
import type { ArpClient } from './arp-cache';
import type { SimContext } from './context';
import { DEFAULT_TTL } from './context';
import { echoReply, echoRequest } from './echo';
import { readIcmpInto } from '../wire/fast-frame';
import type { EchoFields, IcmpFields, IcmpFieldsDraft } from '../wire/fast-frame';
import type { HostInterface, HostState } from './host-interface';
import type { FrameCopy } from './packet';
import type { PingRegistry } from './pings';
import { gratuitousArp } from './raw-frame';

/** The fields of the echo a stack is building: filled, read at once by the builders, kept by none. */
class EchoDraft implements EchoFields {
  srcMac = 0;
  dstMac = 0;
  srcIp = 0;
  dstIp = 0;
  ttl = 0;
  identification = 0;
  type = 0;
  identifier = 0;
  sequence = 0;
}

const ECHO_FIELDS = new EchoDraft();

/** The ICMP fields of the frame a stack is receiving: read at once; copied by what keeps them. */
class EchoRead implements IcmpFieldsDraft {
  srcIp = 0;
  dstIp = 0;
  ttl = 0;
  identification = 0;
  type = 0;
  code = 0;
  identifier = 0;
  sequence = 0;
  dataStart = 0;
  dataEnd = 0;
}

const ECHO_READ = new EchoRead();

export class HostStack implements ArpClient {
  readonly ifaces: HostInterface[] = [];

  constructor(
    readonly vmId: string,
    readonly running: boolean,
    /** D1: virtual MACs the guest is configured to answer to. */
    private readonly virtualMacs: ReadonlySet<number>,
    /** D6: the virtual IPs it may hold. */
    readonly virtualIps: ReadonlySet<number>,
    readonly state: HostState,
    readonly ctx: SimContext,
    private readonly pings: PingRegistry,
  ) {}

  iface(id: string): HostInterface | undefined {
    return this.ifaces.find((i) => i.id === id);
  }

  receive(copy: FrameCopy, iface: HostInterface): void {
    const ctx = this.ctx;
    const packet = copy.packet;
    if (packet.dst !== iface.mac && !packet.multicastDst && !this.acceptsMac(packet.dst)) {
      const dst = packet.dstText;
      ctx.tracer.drop(
        copy,
        iface.id,
        'nic-filter',
        'D1',
        () =>
          `The frame is for ${dst}, which is neither ${iface.id}'s MAC nor a virtual MAC of ${this.vmId}, so its NIC ignores it.`,
      );
      return;
    }
    ctx.tracer.deliver(copy, iface.id);
    // Frames reaching a hypervisor's stack through its switch's host port from inside (a
    // nested VM) never crossed an adapter; those that came in by the uplink are recorded.
    if (copy.recordedBy !== this.vmId && copy.parent?.recordedBy !== this.vmId)
      ctx.captures.record(this.vmId, copy, iface.id, ctx.engine.now);
    if (packet.etherType === EtherType.Ipv4) {
      if (readIcmpInto(packet.bytes, ECHO_READ)) this.onIcmp(packet.bytes, ECHO_READ, iface);
    } else if (packet.etherType === EtherType.Arp) {
      const arp = packet.parsed.arp;
      if (arp !== undefined) this.onArp(arp, iface, copy);
    }
  }

  /** D1: configured virtual MACs, and (D6) the MACs announced for held virtual IPs. */
  private acceptsMac(mac: number): boolean {
    if (this.virtualMacs.has(mac)) return true;
    for (const held of this.state.held.values()) if (held === mac) return true;
    return false;
  }

  /** The MAC to answer ARP for `ip` with on `iface`, or null when `ip` is not ours there. */
  private answerMac(ip: number, iface: HostInterface): number | null {
    if (iface.ip === ip) return iface.mac;
    return this.state.held.get(ip) ?? null;
  }

  isLocal(ip: number): boolean {
    for (const i of this.ifaces) if (i.ip === ip) return true;
    const held = this.state.held;
    return held.size > 0 && held.has(ip);
  }

  private onArp(arp: ArpRepr, iface: HostInterface, copy: FrameCopy): void {
    const spa = arp.senderIp.value;
    const tpa = arp.targetIp.value;
    if (spa === 0) return;
    const sha = arp.senderMac.value;
    if (spa === tpa) {
      // D6: another host's gratuitous ARP for a virtual IP we hold takes it over.
      if (copy.origin.sender !== this.vmId) this.state.release(spa);
      // D6: a gratuitous ARP updates existing entries only.
      this.state.arp.learn(spa, sha, iface.id, false);
      return;
    }
    const answer = this.answerMac(tpa, iface);
    this.state.arp.learn(spa, sha, iface.id, answer !== null);
    if (arp.operation !== ArpOperation.Request || answer === null) return;
    // D6: replies are unicast; for a held virtual IP, from the announced virtual MAC.
    const mac = Mac.fromNumber(answer);
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
    iface.send(this.ctx.originate(bytes, this.vmId));
  }

  private onIcmp(bytes: Uint8Array, icmp: IcmpFields, iface: HostInterface): void {
    if (!this.isLocal(icmp.dstIp)) return;
    if (icmp.type === IcmpType.EchoReply) {
      this.pings.reply(this.vmId, icmp.identifier, icmp.sequence);
      return;
    }
    if (icmp.type !== IcmpType.EchoRequest) return;
    const to = icmp.srcIp;
    const mac = this.readyMac(iface, to);
    // Every echo of a ping takes this way once ARP is resolved: no closure to build.
    if (mac >= 0) {
      this.sendBuilt(iface, this.echoReply(iface, mac, bytes, icmp));
      return;
    }
    // The reply may wait for ARP, and `icmp` is only lent: keep a copy.
    const read: IcmpFields = { ...icmp };
    this.sendIpv4(iface, to, (dstMac) => this.echoReply(iface, dstMac, bytes, read));
  }

  /** One echo request of a ping. */
  sendEcho(iface: HostInterface, dst: number, identifier: number, sequence: number): void {
    const mac = this.readyMac(iface, dst);
    if (mac >= 0) this.sendBuilt(iface, this.echoRequest(iface, mac, dst, identifier, sequence));
    else
      this.sendIpv4(iface, dst, (dstMac) =>
        this.echoRequest(iface, dstMac, dst, identifier, sequence),
      );
  }

  private echoRequest(
    iface: HostInterface,
    dstMac: number,
    dst: number,
    identifier: number,
    sequence: number,
  ): Uint8Array {
    const f = ECHO_FIELDS;
    f.srcMac = iface.mac;
    f.dstMac = dstMac;
    f.srcIp = iface.ip ?? 0;
    f.dstIp = dst;
    f.ttl = DEFAULT_TTL;
    f.identification = this.nextIpId();
    f.type = IcmpType.EchoRequest;
    f.identifier = identifier;
    f.sequence = sequence;
    return echoRequest(f);
  }

  private echoReply(
    iface: HostInterface,
    dstMac: number,
    request: Uint8Array,
    read: IcmpFields,
  ): Uint8Array {
    const f = ECHO_FIELDS;
    f.srcMac = iface.mac;
    f.dstMac = dstMac;
    f.srcIp = read.dstIp;
    f.dstIp = read.srcIp;
    f.ttl = DEFAULT_TTL;
    f.identification = this.nextIpId();
    f.type = IcmpType.EchoReply;
    f.identifier = read.identifier;
    f.sequence = read.sequence;
    return echoReply(request, read, f);
  }

  /** The next hop toward `dst`: itself when on-link, else the gateway (D5), else null. */
  nextHop(iface: HostInterface, dst: number): number | null {
    return iface.onLink(dst) ? dst : iface.gateway;
  }

  /**
   * The MAC to send a frame for `dst` to at once, or -1 when `sendIpv4` has more to do (F1
   * drops, no route, ARP to resolve). When it is a MAC, `sendIpv4` would send the frame built
   * for it right away, so `sendBuilt` does the same.
   */
  private readyMac(iface: HostInterface, dst: number): number {
    if (!this.running || !iface.attached) return -1;
    const hop = this.nextHop(iface, dst);
    if (hop === null) return -1;
    return this.state.arp.macOf(hop);
  }

  private sendBuilt(iface: HostInterface, bytes: Uint8Array): void {
    iface.send(this.ctx.originate(bytes, this.vmId));
  }

  /** Routes (D5), resolves (D6) and sends an IPv4 frame built for the next hop's MAC. */
  private sendIpv4(iface: HostInterface, dst: number, build: (dstMac: number) => Uint8Array): void {
    const ctx = this.ctx;
    const hop = this.nextHop(iface, dst);
    if (!this.running || !iface.attached) {
      // F1: the first frame it would send is dropped where it starts; no ARP retries follow.
      const cached = hop === null ? undefined : this.state.arp.lookup(hop);
      const copy =
        hop !== null && cached === undefined
          ? ctx.originate(this.arpRequest(iface, hop), this.vmId)
          : ctx.originate(build(cached?.mac ?? 0), this.vmId);
      iface.send(copy);
      return;
    }
    if (hop === null) {
      const copy = ctx.originate(build(0), this.vmId);
      const target = Ipv4Address.fromNumber(dst).toString();
      ctx.tracer.drop(
        copy,
        iface.id,
        'no-route',
        'D5',
        () => `${target} is not on ${iface.id}'s subnet and ${this.vmId} has no gateway for it.`,
      );
      return;
    }
    this.state.arp.resolve(hop, iface.id, this, ctx.engine, (mac) => {
      iface.send(ctx.originate(build(mac), this.vmId));
    });
  }

  private arpRequest(iface: HostInterface, ip: number): Uint8Array {
    const mac = Mac.fromNumber(iface.mac);
    return buildArp({
      src: mac,
      dst: Mac.BROADCAST,
      arp: {
        operation: ArpOperation.Request,
        senderMac: mac,
        senderIp: Ipv4Address.fromNumber(iface.ip ?? 0),
        targetMac: Mac.fromNumber(0),
        targetIp: Ipv4Address.fromNumber(ip),
      },
    });
  }

  sendArpRequest(ip: number, ifaceId: string): FrameCopy | null {
    const iface = this.iface(ifaceId);
    if (iface === undefined) return null;
    const copy = this.ctx.originate(this.arpRequest(iface, ip), this.vmId);
    iface.send(copy);
    return copy;
  }

  arpFailed(ip: number, ifaceId: string, last: FrameCopy | null): void {
    if (last === null) return;
    const target = Ipv4Address.fromNumber(ip).toString();
    this.ctx.tracer.drop(
      last,
      ifaceId,
      'arp-timeout',
      'D6',
      () =>
        `Nobody answered ${this.vmId}'s ARP requests for ${target}, so what it wanted to send there is dropped.`,
    );
  }

  /** D6: a gratuitous ARP for `ip` from `mac`; sending one for a virtual IP takes it. */
  announce(iface: HostInterface, mac: number, ip: number): FrameCopy {
    const bytes = gratuitousArp(Mac.fromNumber(mac), Ipv4Address.fromNumber(ip));
    const copy = this.ctx.originate(bytes, this.vmId);
    if (this.running && iface.attached && this.virtualIps.has(ip)) this.state.hold(ip, mac);
    iface.send(copy);
    return copy;
  }

  private nextIpId(): number {
    return this.state.nextIpId();
  }
}
