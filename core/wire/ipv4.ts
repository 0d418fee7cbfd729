/**
 * IPv4 (RFC 791): a byte view over a packet and a parsed header record. Guarantees: a `checked`
 * view has version 4, IHL ≥ 5, a header and total length that fit the buffer, so `payload` is
 * exactly the bytes the header claims (Ethernet padding excluded). Bad checksums do not stop
 * parsing: `verifyChecksum()` reports them, so an inspector can show what arrived.
 */
import { fail, ok, range, readU16, readU8, writeU16, writeU8 } from './bytes';
import type { WireResult } from './bytes';
import { internetChecksum, verifyInternetChecksum } from './checksum';
import { Ipv4Address } from './ipv4-address';

export const IpProtocol = {
  Icmp: 1,
  Tcp: 6,
  Udp: 17,
} as const;

export const IPV4_MIN_HEADER_LEN = 20;
export const IPV4_MAX_PACKET_LEN = 0xffff;
/** RFC 791 §3.1 "Flags": bit 1 is Don't Fragment, bit 2 More Fragments, in the top 3 bits. */
export const IPV4_FLAG_DONT_FRAGMENT = 0b010;
export const IPV4_FLAG_MORE_FRAGMENTS = 0b001;

/** Named byte ranges of the fixed IPv4 header (RFC 791 §3.1, "Internet Header Format"). */
export const ipv4Field = {
  versionIhl: range(0, 1),
  dscpEcn: range(1, 2),
  totalLength: range(2, 4),
  identification: range(4, 6),
  flagsFragmentOffset: range(6, 8),
  ttl: range(8, 9),
  protocol: range(9, 10),
  checksum: range(10, 12),
  src: range(12, 16),
  dst: range(16, 20),
} as const;

export class Ipv4Packet {
  /** Throws a RangeError below 20 bytes; use `checked` for untrusted bytes. */
  constructor(readonly bytes: Uint8Array) {
    if (bytes.length < IPV4_MIN_HEADER_LEN) {
      throw new RangeError(`IPv4 packet needs ${IPV4_MIN_HEADER_LEN} bytes, got ${bytes.length}`);
    }
  }

  static checked(bytes: Uint8Array): WireResult<Ipv4Packet> {
    if (bytes.length < IPV4_MIN_HEADER_LEN) {
      return fail(`IPv4: ${bytes.length} bytes is shorter than the 20-byte header`);
    }
    const packet = new Ipv4Packet(bytes);
    const problem = packet.malformedReason();
    return problem === null ? ok(packet) : fail(`IPv4: ${problem}`);
  }

  get version(): number {
    return readU8(this.bytes, ipv4Field.versionIhl.start) >>> 4;
  }

  /** Internet Header Length in 32-bit words (RFC 791 §3.1 "IHL"). */
  get ihl(): number {
    return readU8(this.bytes, ipv4Field.versionIhl.start) & 0x0f;
  }

  get headerLength(): number {
    return this.ihl * 4;
  }

  /** The old Type of Service octet, split per RFC 2474 (DSCP) and RFC 3168 (ECN). */
  get dscp(): number {
    return readU8(this.bytes, ipv4Field.dscpEcn.start) >>> 2;
  }

  get ecn(): number {
    return readU8(this.bytes, ipv4Field.dscpEcn.start) & 0b11;
  }

  get totalLength(): number {
    return readU16(this.bytes, ipv4Field.totalLength.start);
  }

  get identification(): number {
    return readU16(this.bytes, ipv4Field.identification.start);
  }

  /** The three flag bits: reserved, Don't Fragment, More Fragments. */
  get flags(): number {
    return readU16(this.bytes, ipv4Field.flagsFragmentOffset.start) >>> 13;
  }

  /** In units of 8 octets (RFC 791 §3.1 "Fragment Offset"). */
  get fragmentOffset(): number {
    return readU16(this.bytes, ipv4Field.flagsFragmentOffset.start) & 0x1fff;
  }

  get ttl(): number {
    return readU8(this.bytes, ipv4Field.ttl.start);
  }

  set ttl(value: number) {
    writeU8(this.bytes, ipv4Field.ttl.start, value);
  }

  get protocol(): number {
    return readU8(this.bytes, ipv4Field.protocol.start);
  }

  get checksum(): number {
    return readU16(this.bytes, ipv4Field.checksum.start);
  }

  set checksum(value: number) {
    writeU16(this.bytes, ipv4Field.checksum.start, value);
  }

  get src(): Ipv4Address {
    return Ipv4Address.read(this.bytes, ipv4Field.src.start);
  }

  get dst(): Ipv4Address {
    return Ipv4Address.read(this.bytes, ipv4Field.dst.start);
  }

  /** The bytes between the header and `totalLength`; a view, not a copy. */
  get payload(): Uint8Array {
    return this.bytes.subarray(this.headerLength, this.totalLength);
  }

  /** RFC 791 §3.1 "Header Checksum": over the header only, options included. */
  verifyChecksum(): boolean {
    return verifyInternetChecksum(this.bytes, 0, this.headerLength);
  }

  /** "For purposes of computing the checksum, the value of the checksum field is zero." */
  fillChecksum(): void {
    this.checksum = 0;
    this.checksum = internetChecksum(this.bytes, 0, this.headerLength);
  }

  private malformedReason(): string | null {
    if (this.version !== 4) return `version ${this.version} is not 4`;
    if (this.ihl < 5) return `header length ${this.ihl} words is below the minimum of 5`;
    if (this.headerLength > this.bytes.length) {
      return `header of ${this.headerLength} bytes is longer than the ${this.bytes.length} bytes present`;
    }
    if (this.totalLength < this.headerLength) {
      return `total length ${this.totalLength} is shorter than the ${this.headerLength}-byte header`;
    }
    if (this.totalLength > this.bytes.length) {
      return `total length ${this.totalLength} is longer than the ${this.bytes.length} bytes present`;
    }
    return null;
  }
}

/** An IPv4 header without options, as Nestlab hosts send it. */
export interface Ipv4Repr {
  src: Ipv4Address;
  dst: Ipv4Address;
  protocol: number;
  ttl: number;
  identification: number;
  payloadLength: number;
}

export const Ipv4Repr = {
  /** Options, flags and DSCP/ECN are not part of the record; read them from the view. */
  parse(packet: Ipv4Packet): Ipv4Repr {
    return {
      src: packet.src,
      dst: packet.dst,
      protocol: packet.protocol,
      ttl: packet.ttl,
      identification: packet.identification,
      payloadLength: packet.totalLength - packet.headerLength,
    };
  },

  /**
   * Writes a 20-byte header and its checksum; the caller writes the payload after it. Don't
   * Fragment is set, as Linux does for its pings: the simulator never fragments, so DF is the
   * honest flag. DSCP/ECN are 0 (default forwarding, RFC 2474 §4.1; not ECN-capable).
   */
  emit(repr: Ipv4Repr, packet: Ipv4Packet): void {
    const totalLength = Ipv4Repr.bufferLen(repr);
    if (totalLength > IPV4_MAX_PACKET_LEN) {
      throw new RangeError(`IPv4 total length ${totalLength} exceeds ${IPV4_MAX_PACKET_LEN}`);
    }
    const bytes = packet.bytes;
    writeU8(bytes, ipv4Field.versionIhl.start, (4 << 4) | (IPV4_MIN_HEADER_LEN / 4));
    writeU8(bytes, ipv4Field.dscpEcn.start, 0);
    writeU16(bytes, ipv4Field.totalLength.start, totalLength);
    writeU16(bytes, ipv4Field.identification.start, repr.identification);
    writeU16(bytes, ipv4Field.flagsFragmentOffset.start, IPV4_FLAG_DONT_FRAGMENT << 13);
    writeU8(bytes, ipv4Field.ttl.start, repr.ttl);
    writeU8(bytes, ipv4Field.protocol.start, repr.protocol);
    repr.src.write(bytes, ipv4Field.src.start);
    repr.dst.write(bytes, ipv4Field.dst.start);
    packet.fillChecksum();
  },

  /** Header plus payload: the whole packet, which is also its total length. */
  bufferLen(repr: Ipv4Repr): number {
    return IPV4_MIN_HEADER_LEN + repr.payloadLength;
  },
};
