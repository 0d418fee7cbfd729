/**
 * The frame inspector's dissector: a frame's bytes decoded layer by layer (Ethernet II, then
 * ARP or IPv4 and ICMP by EtherType and protocol, anything else as 'Payload'), each field with
 * a value a person reads and its byte range, as Wireshark's packet details and bytes panes.
 * Guarantees: never throws, on any bytes; every range lies inside the frame; fields come in
 * byte order within a layer; a frame that ends early decodes every field that is whole and
 * then says where it stops ('Truncated'); checksums are shown with whether they verify.
 */
import { hex } from './bytes';
import { verifyInternetChecksum } from './checksum';
import { ETHERNET_HEADER_LEN, ETHERNET_MIN_FRAME_LEN } from './ethernet';
import { IcmpType } from './icmp';
import { IpProtocol, IPV4_FLAG_DONT_FRAGMENT, IPV4_FLAG_MORE_FRAGMENTS } from './ipv4';

export interface DissectedField {
  readonly name: string;
  readonly value: string;
  readonly offset: number;
  readonly length: number;
}

export interface DissectedLayer {
  readonly name: string;
  readonly summary: string;
  readonly offset: number;
  readonly length: number;
  readonly fields: readonly DissectedField[];
}

export interface Dissection {
  readonly length: number;
  readonly layers: readonly DissectedLayer[];
}

/** EtherTypes by the names Wireshark shows (IEEE EtherType registry). */
const ETHER_TYPES: ReadonlyMap<number, string> = new Map([
  [0x0800, 'IPv4'],
  [0x0806, 'ARP'],
  [0x0842, 'Wake-on-LAN'],
  [0x22f0, 'AVTP'],
  [0x8035, 'RARP'],
  [0x8100, '802.1Q VLAN'],
  [0x86dd, 'IPv6'],
  [0x8808, 'Ethernet flow control'],
  [0x8809, 'Slow protocols (LACP)'],
  [0x8847, 'MPLS'],
  [0x8848, 'MPLS multicast'],
  [0x8863, 'PPPoE discovery'],
  [0x8864, 'PPPoE session'],
  [0x888e, 'EAPOL (802.1X)'],
  [0x88a8, '802.1ad QinQ'],
  [0x88cc, 'LLDP'],
  [0x88e5, 'MACsec'],
  [0x88f7, 'PTP'],
  [0x9000, 'Loopback'],
]);

/** IEEE 802.3 §3.2.6: a Type/Length field at or below 1500 is a length, not an EtherType. */
const MAX_802_3_LENGTH = 1500;

export function etherTypeLabel(etherType: number): string {
  const name = ETHER_TYPES.get(etherType);
  return name === undefined ? hex(etherType, 4) : `${hex(etherType, 4)} (${name})`;
}

/**
 * Reads one layer's fields from `base`, stopping at the first field the frame does not hold
 * whole. `stopped` is then true and the layer ends with a 'Truncated' field.
 */
class LayerReader {
  readonly fields: DissectedField[] = [];
  stopped = false;

  constructor(
    readonly bytes: Uint8Array,
    readonly base: number,
    /** What ends where `bytes` ends: the frame, or the IPv4 packet its total length claims. */
    private readonly whole = 'frame',
  ) {}

  /** True when bytes `[base+start, base+start+length)` are all present. */
  has(start: number, length: number): boolean {
    return this.base + start + length <= this.bytes.length;
  }

  u8(start: number): number {
    return this.bytes[this.base + start] ?? 0;
  }

  u16(start: number): number {
    return (this.u8(start) << 8) | this.u8(start + 1);
  }

  u32(start: number): number {
    return this.u16(start) * 0x10000 + this.u16(start + 2);
  }

  /** Adds the field if it is whole; otherwise marks the layer stopped (once). */
  field(name: string, start: number, length: number, value: () => string): boolean {
    if (this.stopped) return false;
    if (!this.has(start, length)) {
      const offset = Math.min(this.base + start, this.bytes.length);
      const present = this.bytes.length - offset;
      this.fields.push({
        name: 'Truncated',
        value: `The ${this.whole} ends at byte ${this.bytes.length}, inside ${name} (bytes ${this.base + start}–${this.base + start + length - 1}).`,
        offset,
        length: Math.max(0, Math.min(present, length)),
      });
      this.stopped = true;
      return false;
    }
    this.fields.push({ name, value: value(), offset: this.base + start, length });
    return true;
  }

  /** Bytes `[base+start, base+end)` as one field, clipped to the frame; none if empty. */
  rest(name: string, start: number, end: number, value?: string): void {
    const from = this.base + start;
    const to = Math.min(this.base + end, this.bytes.length);
    if (to <= from || this.stopped) return;
    this.fields.push({
      name,
      value: value ?? bytesText(to - from),
      offset: from,
      length: to - from,
    });
  }

  mac(start: number): string {
    return macAt(this.bytes, this.base + start);
  }

  ipv4(start: number): string {
    return [0, 1, 2, 3].map((i) => this.u8(start + i)).join('.');
  }

  /** The layer over its fields' bytes, from `base` to the end of the last one. */
  layer(name: string, summary: string): DissectedLayer {
    const end = this.fields.reduce((max, f) => Math.max(max, f.offset + f.length), this.base);
    const cut = this.stopped ? ' [truncated]' : '';
    return {
      name,
      summary: summary + cut,
      offset: this.base,
      length: end - this.base,
      fields: this.fields,
    };
  }
}

export function dissectFrame(bytes: Uint8Array): Dissection {
  const layers: DissectedLayer[] = [];
  const eth = new LayerReader(bytes, 0);
  eth.field('Destination', 0, 6, () => macLabel(eth.mac(0), eth.u8(0)));
  eth.field('Source', 6, 6, () => eth.mac(6));
  const typeOrLength = eth.has(12, 2) ? eth.u16(12) : null;
  const isLength = typeOrLength !== null && typeOrLength <= MAX_802_3_LENGTH;
  eth.field(isLength ? 'Length' : 'Type', 12, 2, () =>
    isLength
      ? `${typeOrLength} (IEEE 802.3 length, not an EtherType)`
      : etherTypeLabel(typeOrLength ?? 0),
  );
  if (eth.stopped || typeOrLength === null) {
    layers.push(eth.layer('Ethernet II', `${bytes.length} bytes, shorter than the 14-byte header`));
    return { length: bytes.length, layers };
  }
  const kind = isLength
    ? 'IEEE 802.3 (LLC)'
    : etherTypeLabel(typeOrLength).replace(/^0x\S+ \((.*)\)$/, '$1');
  const ethSummary = `${eth.mac(6)} → ${macLabel(eth.mac(0), eth.u8(0))}, ${kind}`;
  const end = dissectPayload(bytes, isLength ? -1 : typeOrLength, layers);
  if (end < bytes.length) {
    // Wireshark puts the bytes after the carried packet under Ethernet II: padding to the
    // 60-byte minimum (IEEE 802.3 §4.2.3.3) in a minimum-size frame, else a trailer.
    eth.rest(
      bytes.length <= ETHERNET_MIN_FRAME_LEN ? 'Padding' : 'Trailer',
      end - eth.base,
      bytes.length - eth.base,
    );
  }
  const ethLayer = eth.layer('Ethernet II', ethSummary);
  layers.unshift({ ...ethLayer, length: ETHERNET_HEADER_LEN });
  return { length: bytes.length, layers };
}

/** Decodes what the Ethernet header carries into `layers`; returns where it ends. */
function dissectPayload(bytes: Uint8Array, etherType: number, layers: DissectedLayer[]): number {
  const start = ETHERNET_HEADER_LEN;
  if (etherType === 0x0806) return dissectArp(bytes, layers);
  if (etherType === 0x0800) return dissectIpv4(bytes, layers);
  const name = etherType === -1 ? 'LLC data' : `${etherTypeLabel(etherType)} data`;
  return payload(bytes, start, bytes.length, layers, name, 'not decoded by Nestlab');
}

function payload(
  bytes: Uint8Array,
  start: number,
  end: number,
  layers: DissectedLayer[],
  what: string,
  note: string,
): number {
  const length = Math.max(0, Math.min(end, bytes.length) - start);
  if (length === 0) return start;
  const summary = `${bytesText(length)} of ${what}${note === '' ? '' : `, ${note}`}`;
  layers.push({
    name: 'Payload',
    summary,
    offset: start,
    length,
    fields: [{ name: 'Data', value: bytesText(length), offset: start, length }],
  });
  return start + length;
}

/** RFC 826 "Packet format", any hardware and protocol sizes. */
function dissectArp(bytes: Uint8Array, layers: DissectedLayer[]): number {
  const r = new LayerReader(bytes, ETHERNET_HEADER_LEN);
  r.field('Hardware type', 0, 2, () =>
    labelled(String(r.u16(0)), r.u16(0) === 1 ? 'Ethernet' : null),
  );
  r.field('Protocol type', 2, 2, () => etherTypeLabel(r.u16(2)));
  r.field('Hardware size', 4, 1, () => String(r.u8(4)));
  r.field('Protocol size', 5, 1, () => String(r.u8(5)));
  r.field('Opcode', 6, 2, () => labelled(String(r.u16(6)), arpOpName(r.u16(6))));
  const hlen = r.has(4, 1) ? r.u8(4) : 6;
  const plen = r.has(5, 1) ? r.u8(5) : 4;
  const hw = (at: number): string => (hlen === 6 ? r.mac(at) : hexBytes(r, at, hlen));
  const proto = (at: number): string => (plen === 4 ? r.ipv4(at) : hexBytes(r, at, plen));
  const senderIp = 8 + hlen;
  const targetMac = senderIp + plen;
  const targetIp = targetMac + hlen;
  r.field('Sender MAC', 8, hlen, () => hw(8));
  r.field('Sender IP', senderIp, plen, () => proto(senderIp));
  r.field('Target MAC', targetMac, hlen, () => hw(targetMac));
  r.field('Target IP', targetIp, plen, () => proto(targetIp));
  const summary = r.stopped ? 'ARP' : arpSummary(r.u16(6), hw(8), proto(senderIp), proto(targetIp));
  layers.push(r.layer('ARP', summary));
  return r.stopped ? bytes.length : r.base + targetIp + plen;
}

function arpSummary(op: number, senderMac: string, senderIp: string, targetIp: string): string {
  if (op === 1 && senderIp === targetIp) return `Gratuitous ARP for ${senderIp} (request)`;
  if (op === 1) return `Who has ${targetIp}? Tell ${senderIp}`;
  if (op === 2 && senderIp === targetIp) return `Gratuitous ARP for ${senderIp} (reply)`;
  if (op === 2) return `${senderIp} is at ${senderMac}`;
  return `ARP opcode ${op}`;
}

/** RFC 791 §3.1 "Internet Header Format"; ICMP (RFC 792) when it is protocol 1, unfragmented. */
function dissectIpv4(bytes: Uint8Array, layers: DissectedLayer[]): number {
  const r = new LayerReader(bytes, ETHERNET_HEADER_LEN);
  const version = r.u8(0) >>> 4;
  const ihl = r.u8(0) & 0x0f;
  r.field('Version', 0, 1, () => (version === 4 ? '4' : `${version} (not 4)`));
  r.field(
    'Header length',
    0,
    1,
    () => `${ihl * 4} bytes (${ihl})${ihl < 5 ? ', less than the 20-byte minimum' : ''}`,
  );
  r.field('DSCP / ECN', 1, 1, () => `DSCP ${r.u8(1) >>> 2}, ECN ${r.u8(1) & 3}`);
  r.field('Total length', 2, 2, () => String(r.u16(2)));
  r.field('Identification', 4, 2, () => numberLabel(r.u16(4), 4));
  const flags = r.u16(6) >>> 13;
  const fragment = r.u16(6) & 0x1fff;
  r.field('Flags', 6, 2, () => flagsLabel(flags));
  r.field('Fragment offset', 6, 2, () => `${fragment * 8} bytes (${fragment})`);
  r.field('Time to live', 8, 1, () => String(r.u8(8)));
  r.field('Protocol', 9, 1, () => labelled(String(r.u8(9)), ipProtocolName(r.u8(9))));
  const headerLength = Math.max(20, ihl * 4);
  r.field('Header checksum', 10, 2, () =>
    checksumLabel(
      r.u16(10),
      r.has(0, headerLength) ? verifyInternetChecksum(bytes, r.base, r.base + headerLength) : null,
    ),
  );
  r.field('Source', 12, 4, () => r.ipv4(12));
  r.field('Destination', 16, 4, () => r.ipv4(16));
  if (headerLength > 20)
    r.field('Options', 20, headerLength - 20, () => bytesText(headerLength - 20));
  if (r.stopped) {
    layers.push(r.layer('IPv4', 'IPv4'));
    return bytes.length;
  }
  const protocol = r.u8(9);
  const totalLength = r.u16(2);
  const claimed = r.base + Math.max(headerLength, totalLength);
  const summary = `${r.ipv4(12)} → ${r.ipv4(16)}, ${ipProtocolName(protocol) ?? `protocol ${protocol}`}, TTL ${r.u8(8)}`;
  const short =
    claimed > bytes.length
      ? ` (${claimed - bytes.length} of its ${totalLength} bytes missing)`
      : '';
  layers.push(r.layer('IPv4', summary + short));
  const start = r.base + headerLength;
  const end = Math.min(claimed, bytes.length);
  const fragmented = fragment !== 0 || (flags & IPV4_FLAG_MORE_FRAGMENTS) !== 0;
  if (protocol === IpProtocol.Icmp && !fragmented && end > start) {
    dissectIcmp(bytes, start, end, claimed > bytes.length, layers);
    return end;
  }
  const what = ipProtocolName(protocol) ?? `IP protocol ${protocol}`;
  return payload(
    bytes,
    start,
    end,
    layers,
    what,
    fragmented ? 'a fragment' : 'not decoded by Nestlab',
  );
}

function dissectIcmp(
  bytes: Uint8Array,
  start: number,
  end: number,
  cut: boolean,
  layers: DissectedLayer[],
): void {
  const r = new LayerReader(bytes.subarray(0, end), start, cut ? 'frame' : 'IPv4 packet');
  const type = r.u8(0);
  const echo = type === IcmpType.EchoRequest || type === IcmpType.EchoReply;
  r.field('Type', 0, 1, () => labelled(String(type), icmpTypeName(type)));
  r.field('Code', 1, 1, () => String(r.u8(1)));
  // RFC 792 "Checksum": over the whole ICMP message, which a cut frame does not hold.
  r.field('Checksum', 2, 2, () =>
    checksumLabel(r.u16(2), cut ? null : verifyInternetChecksum(bytes, start, end)),
  );
  if (echo) {
    r.field('Identifier', 4, 2, () => numberLabel(r.u16(4), 4));
    r.field('Sequence number', 6, 2, () => String(r.u16(6)));
  } else {
    r.field('Rest of header', 4, 4, () => hex(r.u32(4), 8));
  }
  r.rest('Data', 8, end - start);
  const name = icmpTypeName(type) ?? `type ${type}`;
  const summary =
    echo && !r.stopped
      ? `${capitalise(name)} id=${hex(r.u16(4), 4)}, seq=${r.u16(6)}`
      : capitalise(name);
  layers.push(r.layer('ICMP', summary));
}

function macAt(bytes: Uint8Array, at: number): string {
  return Array.from(bytes.subarray(at, at + 6), (b) => b.toString(16).padStart(2, '0')).join(':');
}

function hexBytes(r: LayerReader, start: number, length: number): string {
  const from = r.base + start;
  return Array.from(r.bytes.subarray(from, from + length), (b) =>
    b.toString(16).padStart(2, '0'),
  ).join('');
}

/** The I/G bit, the least significant bit of the first octet (IEEE 802 §8.2). */
function macLabel(mac: string, firstOctet: number): string {
  if (mac === 'ff:ff:ff:ff:ff:ff') return `${mac} (broadcast)`;
  return (firstOctet & 1) !== 0 ? `${mac} (multicast)` : mac;
}

function labelled(value: string, name: string | null): string {
  return name === null ? value : `${value} (${name})`;
}

function numberLabel(value: number, digits: number): string {
  return `${hex(value, digits)} (${value})`;
}

function bytesText(n: number): string {
  return `${n} byte${n === 1 ? '' : 's'}`;
}

function checksumLabel(value: number, correct: boolean | null): string {
  const verdict =
    correct === null ? 'not verified: the frame is cut short' : correct ? 'correct' : 'incorrect';
  return `${hex(value, 4)} (${verdict})`;
}

/** RFC 791 §3.1: bit 0 reserved, bit 1 Don't Fragment, bit 2 More Fragments. */
function flagsLabel(flags: number): string {
  const names: string[] = [];
  if ((flags & 0b100) !== 0) names.push('reserved bit set');
  if ((flags & IPV4_FLAG_DONT_FRAGMENT) !== 0) names.push("Don't fragment");
  if ((flags & IPV4_FLAG_MORE_FRAGMENTS) !== 0) names.push('More fragments');
  return `${hex(flags, 1)}${names.length === 0 ? '' : ` (${names.join(', ')})`}`;
}

function arpOpName(op: number): string | null {
  if (op === 1) return 'request';
  if (op === 2) return 'reply';
  return null;
}

function ipProtocolName(protocol: number): string | null {
  if (protocol === IpProtocol.Icmp) return 'ICMP';
  if (protocol === IpProtocol.Tcp) return 'TCP';
  if (protocol === IpProtocol.Udp) return 'UDP';
  return null;
}

function icmpTypeName(type: number): string | null {
  if (type === IcmpType.EchoReply) return 'echo reply';
  if (type === IcmpType.EchoRequest) return 'echo request';
  if (type === IcmpType.DestinationUnreachable) return 'destination unreachable';
  if (type === IcmpType.TimeExceeded) return 'time exceeded';
  return null;
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
