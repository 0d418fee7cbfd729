/**
 * core/wire: real bytes for MAC, Ethernet II, ARP, IPv4, ICMP and pcapng. The simulator carries
 * the frames built here; everything above reads the parsed records. Pure: no DOM, no Node.
 */
export { ArpOperation, ArpPacket, ArpRepr, ARP_PACKET_LEN } from './arp';
export type { ByteRange, WireResult } from './bytes';
export { internetChecksum, onesComplementSum, verifyInternetChecksum } from './checksum';
export {
  EtherType,
  EthernetFrame,
  EthernetRepr,
  etherTypeName,
  ETHERNET_HEADER_LEN,
  ETHERNET_MIN_FRAME_LEN,
} from './ethernet';
export {
  buildArp,
  buildEthernet,
  buildIcmp,
  buildIcmpEcho,
  buildIpv4,
  buildRaw,
  decrementTtl,
  parseFrame,
  rewriteEthernet,
} from './frame';
export type { FrameProto, Ipv4FrameArgs, ParsedFrame, ParsedIcmp, ParsedIpv4 } from './frame';
export { IcmpPacket, IcmpRepr, IcmpType, isEchoType } from './icmp';
export type { IcmpEchoRepr, IcmpOtherRepr } from './icmp';
export { IpProtocol, Ipv4Packet, Ipv4Repr } from './ipv4';
export {
  formatCidr,
  inSubnet,
  Ipv4Address,
  networkOf,
  parseCidr,
  prefixMask,
  sameSubnet,
} from './ipv4-address';
export type { Ipv4Cidr } from './ipv4-address';
export { Mac } from './mac';
export { LINKTYPE_ETHERNET, PcapngWriter } from './pcapng';
export { encodeUtf8 } from './utf8';
