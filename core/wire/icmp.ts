/**
 * ICMP for IPv4 (RFC 792): a byte view and a parsed record. Echo request and reply (types 8 and 0)
 * parse into `IcmpEchoRepr` with identifier and sequence; every other type (destination
 * unreachable 3, time exceeded 11, unknown numbers) parses into a generic record with its 4-byte
 * rest-of-header and data, so nothing is refused for being unfamiliar. Guarantees: a view holds at
 * least the 8-byte header; `emit` fills the checksum over the whole ICMP message (RFC 792 "Checksum").
 */
import { fail, ok, range, readU16, readU32, readU8, writeU16, writeU32, writeU8 } from './bytes';
import type { WireResult } from './bytes';
import { internetChecksum, verifyInternetChecksum } from './checksum';
import { assertNever } from '../common/assert-never';

export const IcmpType = {
  EchoReply: 0,
  DestinationUnreachable: 3,
  EchoRequest: 8,
  TimeExceeded: 11,
} as const;

export const ICMP_HEADER_LEN = 8;

/** Named byte ranges of an ICMP message (RFC 792); identifier/sequence apply to echo only. */
export const icmpField = {
  type: range(0, 1),
  code: range(1, 2),
  checksum: range(2, 4),
  restOfHeader: range(4, 8),
  identifier: range(4, 6),
  sequence: range(6, 8),
  data: ICMP_HEADER_LEN,
} as const;

export function isEchoType(type: number): boolean {
  return type === IcmpType.EchoRequest || type === IcmpType.EchoReply;
}

export class IcmpPacket {
  /** Throws a RangeError below 8 bytes; use `checked` for untrusted bytes. */
  constructor(readonly bytes: Uint8Array) {
    if (bytes.length < ICMP_HEADER_LEN) {
      throw new RangeError(`ICMP message needs ${ICMP_HEADER_LEN} bytes, got ${bytes.length}`);
    }
  }

  static checked(bytes: Uint8Array): WireResult<IcmpPacket> {
    if (bytes.length < ICMP_HEADER_LEN) {
      return fail(`ICMP: ${bytes.length} bytes is shorter than the 8-byte header`);
    }
    return ok(new IcmpPacket(bytes));
  }

  get type(): number {
    return readU8(this.bytes, icmpField.type.start);
  }

  get code(): number {
    return readU8(this.bytes, icmpField.code.start);
  }

  get checksum(): number {
    return readU16(this.bytes, icmpField.checksum.start);
  }

  set checksum(value: number) {
    writeU16(this.bytes, icmpField.checksum.start, value);
  }

  get identifier(): number {
    return readU16(this.bytes, icmpField.identifier.start);
  }

  get sequence(): number {
    return readU16(this.bytes, icmpField.sequence.start);
  }

  /** The second 32-bit word: unused, a gateway address, or identifier and sequence by type. */
  get restOfHeader(): number {
    return readU32(this.bytes, icmpField.restOfHeader.start);
  }

  /** A view, not a copy. */
  get data(): Uint8Array {
    return this.bytes.subarray(icmpField.data);
  }

  /** RFC 792: the checksum covers the ICMP message starting with the ICMP type. */
  verifyChecksum(): boolean {
    return verifyInternetChecksum(this.bytes);
  }

  fillChecksum(): void {
    this.checksum = 0;
    this.checksum = internetChecksum(this.bytes);
  }
}

/** Echo request (8) or echo reply (0), RFC 792 "Echo or Echo Reply Message". */
export interface IcmpEchoRepr {
  type: number;
  code: number;
  identifier: number;
  sequence: number;
  data: Uint8Array;
}

/** Any other ICMP message, e.g. time exceeded (11) or destination unreachable (3). */
export interface IcmpOtherRepr {
  type: number;
  code: number;
  restOfHeader: number;
  data: Uint8Array;
}

export type IcmpRepr = ({ kind: 'echo' } & IcmpEchoRepr) | ({ kind: 'other' } & IcmpOtherRepr);

export const IcmpRepr = {
  /** Classifies by type alone; `data` is a copy, so the record outlives the frame's buffer. */
  parse(packet: IcmpPacket): IcmpRepr {
    const { type, code } = packet;
    const data = packet.data.slice();
    if (isEchoType(type)) {
      return {
        kind: 'echo',
        type,
        code,
        identifier: packet.identifier,
        sequence: packet.sequence,
        data,
      };
    }
    return { kind: 'other', type, code, restOfHeader: packet.restOfHeader, data };
  },

  /** The view must be exactly `bufferLen(repr)` bytes: the checksum covers all of it. */
  emit(repr: IcmpRepr, packet: IcmpPacket): void {
    const bytes = packet.bytes;
    if (bytes.length !== IcmpRepr.bufferLen(repr)) {
      throw new RangeError(
        `ICMP view is ${bytes.length} bytes, the message ${IcmpRepr.bufferLen(repr)}`,
      );
    }
    writeU8(bytes, icmpField.type.start, repr.type);
    writeU8(bytes, icmpField.code.start, repr.code);
    switch (repr.kind) {
      case 'echo':
        writeU16(bytes, icmpField.identifier.start, repr.identifier);
        writeU16(bytes, icmpField.sequence.start, repr.sequence);
        break;
      case 'other':
        writeU32(bytes, icmpField.restOfHeader.start, repr.restOfHeader);
        break;
      default:
        assertNever(repr, 'ICMP record kind');
    }
    bytes.set(repr.data, icmpField.data);
    packet.fillChecksum();
  },

  bufferLen(repr: IcmpRepr): number {
    return ICMP_HEADER_LEN + repr.data.length;
  },
};
