/**
 * ARP for IPv4 over Ethernet (RFC 826): a byte view and a parsed record. Guarantees: a view holds
 * at least the 28-byte Ethernet/IPv4 packet, with hardware type 1, protocol type 0x0800, hardware
 * length 6 and protocol length 4; any other ARP flavour is refused by `checked` with the reason.
 * Any operation number parses (RFC 826 defines 1 and 2; RFC 5494 lists others).
 */
import { fail, hex, ok, range, readU16, readU8, writeU16, writeU8 } from './bytes';
import type { WireResult } from './bytes';
import { EtherType } from './ethernet';
import { Ipv4Address } from './ipv4-address';
import { Mac } from './mac';

export const ArpOperation = {
  Request: 1,
  Reply: 2,
} as const;

/** RFC 826 "ar$hrd": 1 is Ethernet (10Mb), per the IANA ARP hardware types registry. */
export const ARP_HARDWARE_ETHERNET = 1;
export const ARP_PACKET_LEN = 28;

/** Named byte ranges of an Ethernet/IPv4 ARP packet (RFC 826 "Packet format"). */
export const arpField = {
  hardwareType: range(0, 2),
  protocolType: range(2, 4),
  hardwareLen: range(4, 5),
  protocolLen: range(5, 6),
  operation: range(6, 8),
  senderMac: range(8, 14),
  senderIp: range(14, 18),
  targetMac: range(18, 24),
  targetIp: range(24, 28),
} as const;

export class ArpPacket {
  /** Throws a RangeError on a buffer shorter than 28 bytes: use `checked` for untrusted bytes. */
  constructor(readonly bytes: Uint8Array) {
    if (bytes.length < ARP_PACKET_LEN) {
      throw new RangeError(`ARP packet needs ${ARP_PACKET_LEN} bytes, got ${bytes.length}`);
    }
  }

  static checked(bytes: Uint8Array): WireResult<ArpPacket> {
    if (bytes.length < ARP_PACKET_LEN) {
      return fail(`ARP: ${bytes.length} bytes is shorter than the 28-byte Ethernet/IPv4 packet`);
    }
    const packet = new ArpPacket(bytes);
    const unsupported = packet.unsupportedReason();
    return unsupported === null ? ok(packet) : fail(`ARP: ${unsupported}`);
  }

  get hardwareType(): number {
    return readU16(this.bytes, arpField.hardwareType.start);
  }

  get protocolType(): number {
    return readU16(this.bytes, arpField.protocolType.start);
  }

  get hardwareLen(): number {
    return readU8(this.bytes, arpField.hardwareLen.start);
  }

  get protocolLen(): number {
    return readU8(this.bytes, arpField.protocolLen.start);
  }

  get operation(): number {
    return readU16(this.bytes, arpField.operation.start);
  }

  get senderMac(): Mac {
    return Mac.read(this.bytes, arpField.senderMac.start);
  }

  get senderIp(): Ipv4Address {
    return Ipv4Address.read(this.bytes, arpField.senderIp.start);
  }

  get targetMac(): Mac {
    return Mac.read(this.bytes, arpField.targetMac.start);
  }

  get targetIp(): Ipv4Address {
    return Ipv4Address.read(this.bytes, arpField.targetIp.start);
  }

  /** RFC 826 lets the lengths vary with the hardware and protocol; Nestlab only speaks one pair. */
  private unsupportedReason(): string | null {
    if (this.hardwareType !== ARP_HARDWARE_ETHERNET) {
      return `hardware type ${this.hardwareType} is not Ethernet (1)`;
    }
    if (this.protocolType !== EtherType.Ipv4) {
      return `protocol type ${hex(this.protocolType, 4)} is not IPv4 (0x0800)`;
    }
    if (this.hardwareLen !== Mac.LENGTH || this.protocolLen !== Ipv4Address.LENGTH) {
      return `address lengths ${this.hardwareLen}/${this.protocolLen} are not Ethernet/IPv4 (6/4)`;
    }
    return null;
  }
}

export interface ArpRepr {
  operation: number;
  senderMac: Mac;
  senderIp: Ipv4Address;
  targetMac: Mac;
  targetIp: Ipv4Address;
}

export const ArpRepr = {
  parse(packet: ArpPacket): ArpRepr {
    return {
      operation: packet.operation,
      senderMac: packet.senderMac,
      senderIp: packet.senderIp,
      targetMac: packet.targetMac,
      targetIp: packet.targetIp,
    };
  },

  emit(repr: ArpRepr, packet: ArpPacket): void {
    const bytes = packet.bytes;
    writeU16(bytes, arpField.hardwareType.start, ARP_HARDWARE_ETHERNET);
    writeU16(bytes, arpField.protocolType.start, EtherType.Ipv4);
    writeU8(bytes, arpField.hardwareLen.start, Mac.LENGTH);
    writeU8(bytes, arpField.protocolLen.start, Ipv4Address.LENGTH);
    writeU16(bytes, arpField.operation.start, repr.operation);
    repr.senderMac.write(bytes, arpField.senderMac.start);
    repr.senderIp.write(bytes, arpField.senderIp.start);
    repr.targetMac.write(bytes, arpField.targetMac.start);
    repr.targetIp.write(bytes, arpField.targetIp.start);
  },

  bufferLen(): number {
    return ARP_PACKET_LEN;
  },
};
