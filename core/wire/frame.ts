/**
 * Whole frames, the way the simulator uses them: build Ethernet/ARP/IPv4/ICMP frames as bytes,
 * parse any bytes into layered records, and rewrite frames as a router does. Guarantees: built
 * frames are padded to the 60-byte Ethernet minimum and carry correct IPv4 and ICMP checksums;
 * `parseFrame` never throws, whatever the bytes, and says what it could not decode in `errors`;
 * the rewriting helpers return copies and never change their input.
 */
import { ArpPacket, ArpRepr } from './arp';
import { hex } from './bytes';
import { foldCarries } from './checksum';
import { EtherType, EthernetFrame, EthernetRepr, ETHERNET_HEADER_LEN } from './ethernet';
import { IcmpPacket, IcmpRepr } from './icmp';
import type { IcmpEchoRepr } from './icmp';
import { IPV4_FLAG_MORE_FRAGMENTS, Ipv4Packet, Ipv4Repr, IpProtocol } from './ipv4';
import type { Ipv4Address } from './ipv4-address';
import type { Mac } from './mac';

export function buildEthernet(repr: EthernetRepr, payload: Uint8Array): Uint8Array {
  const bytes = new Uint8Array(EthernetRepr.bufferLen(payload.length));
  EthernetRepr.emit(repr, new EthernetFrame(bytes));
  bytes.set(payload, ETHERNET_HEADER_LEN);
  return bytes;
}

export function buildRaw(args: {
  src: Mac;
  dst: Mac;
  etherType: number;
  payload?: Uint8Array;
}): Uint8Array {
  const { src, dst, etherType } = args;
  return buildEthernet({ dst, src, etherType }, args.payload ?? new Uint8Array(0));
}

export function buildArp(args: { src: Mac; dst: Mac; arp: ArpRepr }): Uint8Array {
  const payload = new Uint8Array(ArpRepr.bufferLen());
  ArpRepr.emit(args.arp, new ArpPacket(payload));
  return buildEthernet({ dst: args.dst, src: args.src, etherType: EtherType.Arp }, payload);
}

/** Addressing shared by every IPv4 frame builder. */
export interface Ipv4FrameArgs {
  srcMac: Mac;
  dstMac: Mac;
  srcIp: Ipv4Address;
  dstIp: Ipv4Address;
  ttl: number;
  identification: number;
}

export function buildIpv4(
  args: Ipv4FrameArgs & { protocol: number; payload: Uint8Array },
): Uint8Array {
  const { srcIp, dstIp, ttl, identification, protocol, payload } = args;
  const repr: Ipv4Repr = {
    src: srcIp,
    dst: dstIp,
    protocol,
    ttl,
    identification,
    payloadLength: payload.length,
  };
  const packet = new Uint8Array(Ipv4Repr.bufferLen(repr));
  const view = new Ipv4Packet(packet);
  Ipv4Repr.emit(repr, view);
  packet.set(payload, view.headerLength);
  return buildEthernet({ dst: args.dstMac, src: args.srcMac, etherType: EtherType.Ipv4 }, packet);
}

export function buildIcmp(args: Ipv4FrameArgs & { icmp: IcmpRepr }): Uint8Array {
  const message = new Uint8Array(IcmpRepr.bufferLen(args.icmp));
  IcmpRepr.emit(args.icmp, new IcmpPacket(message));
  return buildIpv4({ ...args, protocol: IpProtocol.Icmp, payload: message });
}

export function buildIcmpEcho(args: Ipv4FrameArgs & { echo: IcmpEchoRepr }): Uint8Array {
  return buildIcmp({ ...args, icmp: { kind: 'echo', ...args.echo } });
}

export type FrameProto = 'arp' | 'icmp' | 'ipv4' | 'other';

/** The IPv4 record plus what an inspector or router needs to judge the header. */
export interface ParsedIpv4 extends Ipv4Repr {
  checksumOk: boolean;
  headerLength: number;
  flags: number;
  fragmentOffset: number;
}

export type ParsedIcmp = IcmpRepr & { checksumOk: boolean };

export interface ParsedFrame {
  /** Null only when the bytes are too short for an Ethernet header. */
  eth: EthernetRepr | null;
  /** The innermost layer decoded: 'ipv4' for IPv4 that is not (decodable, unfragmented) ICMP. */
  proto: FrameProto;
  arp?: ArpRepr;
  ipv4?: ParsedIpv4;
  icmp?: ParsedIcmp;
  /** Why a layer could not be decoded, and checksums that do not verify; empty when all is well. */
  errors: string[];
}

export function parseFrame(bytes: Uint8Array): ParsedFrame {
  const checked = EthernetFrame.checked(bytes);
  if (!checked.ok) return { eth: null, proto: 'other', errors: [checked.error] };
  const eth = EthernetRepr.parse(checked.value);
  const payload = checked.value.payload;
  switch (eth.etherType) {
    case EtherType.Arp:
      return parseArpLayer(eth, payload);
    case EtherType.Ipv4:
      return parseIpv4Layer(eth, payload);
    default:
      return { eth, proto: 'other', errors: [] };
  }
}

function parseArpLayer(eth: EthernetRepr, payload: Uint8Array): ParsedFrame {
  const checked = ArpPacket.checked(payload);
  if (!checked.ok) return { eth, proto: 'other', errors: [checked.error] };
  return { eth, proto: 'arp', arp: ArpRepr.parse(checked.value), errors: [] };
}

function parseIpv4Layer(eth: EthernetRepr, payload: Uint8Array): ParsedFrame {
  const checked = Ipv4Packet.checked(payload);
  if (!checked.ok) return { eth, proto: 'other', errors: [checked.error] };
  const packet = checked.value;
  const ipv4 = parsedIpv4(packet);
  const errors = ipv4.checksumOk
    ? []
    : [`IPv4: header checksum ${hex(packet.checksum, 4)} is wrong`];
  // A fragment holds only part of an ICMP message; the simulator never fragments, so no reassembly.
  const isFragment = ipv4.fragmentOffset !== 0 || (ipv4.flags & IPV4_FLAG_MORE_FRAGMENTS) !== 0;
  if (ipv4.protocol !== IpProtocol.Icmp || isFragment) return { eth, proto: 'ipv4', ipv4, errors };
  const icmp = IcmpPacket.checked(packet.payload);
  if (!icmp.ok) return { eth, proto: 'ipv4', ipv4, errors: [...errors, icmp.error] };
  const checksumOk = icmp.value.verifyChecksum();
  if (!checksumOk) errors.push(`ICMP: checksum ${hex(icmp.value.checksum, 4)} is wrong`);
  return { eth, proto: 'icmp', ipv4, icmp: { ...IcmpRepr.parse(icmp.value), checksumOk }, errors };
}

function parsedIpv4(packet: Ipv4Packet): ParsedIpv4 {
  return {
    ...Ipv4Repr.parse(packet),
    checksumOk: packet.verifyChecksum(),
    headerLength: packet.headerLength,
    flags: packet.flags,
    fragmentOffset: packet.fragmentOffset,
  };
}

/** A copy with new MAC addresses; throws a RangeError if `bytes` is shorter than a header. */
export function rewriteEthernet(bytes: Uint8Array, macs: { src?: Mac; dst?: Mac }): Uint8Array {
  const frame = new EthernetFrame(bytes.slice());
  if (macs.src !== undefined) frame.src = macs.src;
  if (macs.dst !== undefined) frame.dst = macs.dst;
  return frame.bytes;
}

/**
 * A copy with the IPv4 TTL one lower, as a router forwards (RFC 791 §3.1 "Time to Live",
 * RFC 1812 §5.3.1); null if the TTL would reach 0, so the router must drop the packet (and may
 * answer with ICMP time exceeded), or if the frame is not a well-formed IPv4 frame.
 * The checksum is updated incrementally (RFC 1624 eqn. 3), as routers do, so a header that
 * arrived with a bad checksum still has one; a good checksum stays good.
 */
export function decrementTtl(bytes: Uint8Array): Uint8Array | null {
  const eth = EthernetFrame.checked(bytes);
  if (!eth.ok || eth.value.etherType !== EtherType.Ipv4) return null;
  const ip = Ipv4Packet.checked(eth.value.payload);
  if (!ip.ok || ip.value.ttl <= 1) return null;
  const copy = bytes.slice();
  const packet = new Ipv4Packet(copy.subarray(ETHERNET_HEADER_LEN));
  const oldWord = (packet.ttl << 8) | packet.protocol;
  packet.ttl = packet.ttl - 1;
  const newWord = (packet.ttl << 8) | packet.protocol;
  // HC' = ~(~HC + ~m + m'), where m is the 16-bit word holding TTL and protocol.
  const sum = (~packet.checksum & 0xffff) + (~oldWord & 0xffff) + newWord;
  packet.checksum = ~foldCarries(sum) & 0xffff;
  return copy;
}
