/**
 * A field-by-field account of a frame for the inspector UI: each decoded field with its layer,
 * a display value, and its byte range in the frame, so a hex dump can highlight it. Guarantees:
 * never throws; every range lies inside the frame; fields come in byte order within a layer; bytes
 * that cannot be decoded are listed as one 'Payload' field whose value says why.
 */
import { ArpOperation, ArpPacket, arpField } from './arp';
import { hex } from './bytes';
import type { ByteRange } from './bytes';
import {
  EtherType,
  EthernetFrame,
  ethernetField,
  etherTypeName,
  ETHERNET_HEADER_LEN,
} from './ethernet';
import { IcmpPacket, IcmpType, icmpField, isEchoType } from './icmp';
import {
  IPV4_FLAG_DONT_FRAGMENT,
  IPV4_FLAG_MORE_FRAGMENTS,
  IpProtocol,
  Ipv4Packet,
  ipv4Field,
} from './ipv4';

export type FieldLayer = 'Ethernet' | 'ARP' | 'IPv4' | 'ICMP' | 'Payload';

export interface FieldDescription {
  layer: FieldLayer;
  name: string;
  value: string;
  /** Offset from the first byte of the frame. */
  offset: number;
  length: number;
}

type AddField = (name: string, field: ByteRange, value: string) => void;

class FieldList {
  readonly fields: FieldDescription[] = [];

  /** A field adder for one layer whose header starts at `base` in the frame. */
  layer(layer: FieldLayer, base: number): AddField {
    return (name, field, value) => {
      this.fields.push({
        layer,
        name,
        value,
        offset: base + field.start,
        length: field.end - field.start,
      });
    };
  }

  /** Bytes `[start, end)` of the frame as one undecoded field, if there are any. */
  rest(layer: FieldLayer, name: string, start: number, end: number, value?: string): void {
    if (end <= start) return;
    this.fields.push({
      layer,
      name,
      value: value ?? `${end - start} bytes`,
      offset: start,
      length: end - start,
    });
  }
}

export function describeFields(bytes: Uint8Array): FieldDescription[] {
  const list = new FieldList();
  const checked = EthernetFrame.checked(bytes);
  if (!checked.ok) {
    list.rest('Payload', 'Undecoded', 0, bytes.length, checked.error);
    return list.fields;
  }
  const frame = checked.value;
  describeEthernet(frame, list.layer('Ethernet', 0));
  const end = describePayload(frame, list);
  list.rest('Ethernet', 'Padding', end, bytes.length);
  return list.fields;
}

function describeEthernet(frame: EthernetFrame, add: AddField): void {
  const name = etherTypeName(frame.etherType);
  add('Destination', ethernetField.dst, macValue(frame.dst.toString(), frame.dst.isBroadcast()));
  add('Source', ethernetField.src, frame.src.toString());
  add('Type', ethernetField.etherType, labelled(hex(frame.etherType, 4), name));
}

/** Describes what the EtherType carries; returns the frame offset where the carried packet ends. */
function describePayload(frame: EthernetFrame, list: FieldList): number {
  const start = ETHERNET_HEADER_LEN;
  switch (frame.etherType) {
    case EtherType.Arp: {
      const arp = ArpPacket.checked(frame.payload);
      if (!arp.ok) return undecoded(list, start, frame.bytes.length, arp.error);
      describeArp(arp.value, list.layer('ARP', start));
      return start + arpField.targetIp.end;
    }
    case EtherType.Ipv4: {
      const ip = Ipv4Packet.checked(frame.payload);
      if (!ip.ok) return undecoded(list, start, frame.bytes.length, ip.error);
      describeIpv4(ip.value, list);
      return start + ip.value.totalLength;
    }
    default:
      return undecoded(list, start, frame.bytes.length, `${frame.payload.length} bytes`);
  }
}

function undecoded(list: FieldList, start: number, end: number, why: string): number {
  list.rest('Payload', 'Data', start, end, why);
  return end;
}

function describeArp(packet: ArpPacket, add: AddField): void {
  const operation = packet.operation;
  add('Hardware type', arpField.hardwareType, labelled(String(packet.hardwareType), 'Ethernet'));
  add('Protocol type', arpField.protocolType, labelled(hex(packet.protocolType, 4), 'IPv4'));
  add('Hardware size', arpField.hardwareLen, String(packet.hardwareLen));
  add('Protocol size', arpField.protocolLen, String(packet.protocolLen));
  add('Opcode', arpField.operation, labelled(String(operation), arpOperationName(operation)));
  add('Sender MAC', arpField.senderMac, packet.senderMac.toString());
  add('Sender IP', arpField.senderIp, packet.senderIp.toString());
  add('Target MAC', arpField.targetMac, packet.targetMac.toString());
  add('Target IP', arpField.targetIp, packet.targetIp.toString());
}

function describeIpv4(packet: Ipv4Packet, list: FieldList): void {
  const base = ETHERNET_HEADER_LEN;
  const add = list.layer('IPv4', base);
  add('Version', ipv4Field.versionIhl, String(packet.version));
  add('Header length', ipv4Field.versionIhl, `${packet.headerLength} bytes (${packet.ihl})`);
  add('DSCP / ECN', ipv4Field.dscpEcn, `DSCP ${packet.dscp}, ECN ${packet.ecn}`);
  add('Total length', ipv4Field.totalLength, String(packet.totalLength));
  add('Identification', ipv4Field.identification, numberValue(packet.identification, 4));
  add('Flags / fragment offset', ipv4Field.flagsFragmentOffset, fragmentValue(packet));
  add('Time to live', ipv4Field.ttl, String(packet.ttl));
  add(
    'Protocol',
    ipv4Field.protocol,
    labelled(String(packet.protocol), ipProtocolName(packet.protocol)),
  );
  add(
    'Header checksum',
    ipv4Field.checksum,
    checksumValue(packet.checksum, packet.verifyChecksum()),
  );
  add('Source', ipv4Field.src, packet.src.toString());
  add('Destination', ipv4Field.dst, packet.dst.toString());
  list.rest('IPv4', 'Options', base + ipv4Field.dst.end, base + packet.headerLength);
  describeIpv4Payload(packet, list, base + packet.headerLength);
}

function describeIpv4Payload(packet: Ipv4Packet, list: FieldList, start: number): void {
  const end = start + packet.payload.length;
  const isFragment = packet.fragmentOffset !== 0 || (packet.flags & IPV4_FLAG_MORE_FRAGMENTS) !== 0;
  if (packet.protocol !== IpProtocol.Icmp || isFragment) {
    list.rest('Payload', 'Data', start, end);
    return;
  }
  const icmp = IcmpPacket.checked(packet.payload);
  if (!icmp.ok) {
    list.rest('Payload', 'Data', start, end, icmp.error);
    return;
  }
  describeIcmp(icmp.value, list, start);
}

function describeIcmp(packet: IcmpPacket, list: FieldList, start: number): void {
  const add = list.layer('ICMP', start);
  add('Type', icmpField.type, labelled(String(packet.type), icmpTypeName(packet.type)));
  add('Code', icmpField.code, String(packet.code));
  add('Checksum', icmpField.checksum, checksumValue(packet.checksum, packet.verifyChecksum()));
  if (isEchoType(packet.type)) {
    add('Identifier', icmpField.identifier, numberValue(packet.identifier, 4));
    add('Sequence number', icmpField.sequence, String(packet.sequence));
  } else {
    add('Rest of header', icmpField.restOfHeader, hex(packet.restOfHeader, 8));
  }
  list.rest('ICMP', 'Data', start + icmpField.data, start + packet.bytes.length);
}

function labelled(value: string, name: string | null): string {
  return name === null ? value : `${value} (${name})`;
}

function macValue(text: string, broadcast: boolean): string {
  return broadcast ? `${text} (broadcast)` : text;
}

function numberValue(value: number, digits: number): string {
  return `${hex(value, digits)} (${value})`;
}

function checksumValue(checksum: number, correct: boolean): string {
  return `${hex(checksum, 4)} (${correct ? 'correct' : 'incorrect'})`;
}

function fragmentValue(packet: Ipv4Packet): string {
  const flags: string[] = [];
  if ((packet.flags & IPV4_FLAG_DONT_FRAGMENT) !== 0) flags.push('DF');
  if ((packet.flags & IPV4_FLAG_MORE_FRAGMENTS) !== 0) flags.push('MF');
  const flagText = flags.length === 0 ? 'no flags' : flags.join(' ');
  return `${flagText}, offset ${packet.fragmentOffset * 8}`;
}

function arpOperationName(operation: number): string | null {
  if (operation === ArpOperation.Request) return 'request';
  if (operation === ArpOperation.Reply) return 'reply';
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
