/**
 * Ethernet II framing (DIX / IEEE 802.3 with an EtherType): a byte view over a frame and a parsed
 * header record. Guarantees: a view always holds at least the 14-byte header; any EtherType
 * parses (an unknown one is just its number); frames carry no FCS, because captures and the
 * simulator never see one, and frames that are built are padded with zeros to the 60-byte minimum
 * (IEEE 802.3 §3.2.8 minimum frame of 64 bytes, less the 4-byte FCS).
 */
import { fail, ok, range, readU16, writeU16 } from './bytes';
import type { WireResult } from './bytes';
import { Mac } from './mac';

export const EtherType = {
  Ipv4: 0x0800,
  Arp: 0x0806,
  Vlan: 0x8100,
  Ipv6: 0x86dd,
} as const;

/** The name Wireshark shows for a known EtherType, or null for any other number. */
export function etherTypeName(etherType: number): string | null {
  switch (etherType) {
    case EtherType.Ipv4:
      return 'IPv4';
    case EtherType.Arp:
      return 'ARP';
    case EtherType.Vlan:
      return '802.1Q';
    case EtherType.Ipv6:
      return 'IPv6';
    default:
      return null;
  }
}

export const ETHERNET_HEADER_LEN = 14;
/** Without the FCS, which Nestlab never carries. */
export const ETHERNET_MIN_FRAME_LEN = 60;

/** Named byte ranges of the Ethernet II header. */
export const ethernetField = {
  dst: range(0, 6),
  src: range(6, 12),
  etherType: range(12, 14),
  payload: ETHERNET_HEADER_LEN,
} as const;

export class EthernetFrame {
  /** Throws a RangeError on a buffer shorter than the header: use `checked` for untrusted bytes. */
  constructor(readonly bytes: Uint8Array) {
    if (bytes.length < ETHERNET_HEADER_LEN) {
      throw new RangeError(
        `Ethernet frame needs ${ETHERNET_HEADER_LEN} bytes, got ${bytes.length}`,
      );
    }
  }

  static checked(bytes: Uint8Array): WireResult<EthernetFrame> {
    if (bytes.length < ETHERNET_HEADER_LEN) {
      return fail(`Ethernet: ${bytes.length} bytes is shorter than the 14-byte header`);
    }
    return ok(new EthernetFrame(bytes));
  }

  get dst(): Mac {
    return Mac.read(this.bytes, ethernetField.dst.start);
  }

  set dst(mac: Mac) {
    mac.write(this.bytes, ethernetField.dst.start);
  }

  get src(): Mac {
    return Mac.read(this.bytes, ethernetField.src.start);
  }

  set src(mac: Mac) {
    mac.write(this.bytes, ethernetField.src.start);
  }

  get etherType(): number {
    return readU16(this.bytes, ethernetField.etherType.start);
  }

  set etherType(value: number) {
    writeU16(this.bytes, ethernetField.etherType.start, value);
  }

  /** Everything after the header, padding included; a view, not a copy. */
  get payload(): Uint8Array {
    return this.bytes.subarray(ethernetField.payload);
  }
}

export interface EthernetRepr {
  dst: Mac;
  src: Mac;
  etherType: number;
}

export const EthernetRepr = {
  parse(frame: EthernetFrame): EthernetRepr {
    return { dst: frame.dst, src: frame.src, etherType: frame.etherType };
  },

  /** Writes the header only; the caller writes the payload into `frame.payload`. */
  emit(repr: EthernetRepr, frame: EthernetFrame): void {
    frame.dst = repr.dst;
    frame.src = repr.src;
    frame.etherType = repr.etherType;
  },

  /** Header plus payload, padded to the Ethernet minimum. */
  bufferLen(payloadLen: number): number {
    return Math.max(ETHERNET_MIN_FRAME_LEN, ETHERNET_HEADER_LEN + payloadLen);
  },
};
