/**
 * The frames the `frame` and `garp` traffic steps send. A raw ARP frame is a request from the
 * given source MAC with sender and target IP 0.0.0.0, so no host answers or learns from it:
 * it tests switching only. A raw IPv4 frame carries protocol 253 (RFC 3692, "for
 * experimentation"), from the adapter's IP to 255.255.255.255 when broadcast, else 0.0.0.0.
 * A payload is hex when it is only hex digit pairs (separators `:`, `-`, space allowed), else
 * UTF-8 text. Guarantees: the bytes are a well-formed Ethernet II frame with correct checksums.
 */
import { ArpOperation } from '../wire/arp';
import { EtherType } from '../wire/ethernet';
import { buildArp, buildIpv4, buildRaw } from '../wire/frame';
import { Ipv4Address } from '../wire/ipv4-address';
import { Mac } from '../wire/mac';
import { encodeUtf8 } from '../wire/utf8';

const EXPERIMENTAL_PROTOCOL = 253;
/** The most a frame step may carry: Ethernet II's 1,500-byte payload (IEEE 802.3). */
export const MAX_PAYLOAD_BYTES = 1500;
const HEX = /^([0-9a-f]{2}[:\- ]?)*$/i;

export function payloadBytes(payload: string | undefined): Uint8Array {
  if (payload === undefined || payload === '') return new Uint8Array(0);
  const digits = payload.replace(/[:\- ]/g, '');
  if (HEX.test(payload) && digits.length % 2 === 0) {
    return Uint8Array.from(digits.match(/../g) ?? [], (pair) => Number.parseInt(pair, 16));
  }
  return encodeUtf8(payload);
}

export function rawFrame(args: {
  src: Mac;
  dst: Mac;
  type: 'arp' | 'ipv4' | number;
  payload?: string;
  ip: number | null;
}): Uint8Array {
  const { src, dst } = args;
  const payload = payloadBytes(args.payload);
  // Without a payload, the EtherType numbers of ARP and IPv4 mean the same frames as their
  // names, so a capture of `type: 0x0806` dissects as ARP too; with one, the payload is the
  // whole Ethernet payload, as for any number.
  const named =
    payload.length > 0
      ? undefined
      : args.type === EtherType.Arp
        ? 'arp'
        : args.type === EtherType.Ipv4
          ? 'ipv4'
          : undefined;
  const type = named ?? args.type;
  if (type === 'arp') {
    if (payload.length > 0) return buildRaw({ src, dst, etherType: EtherType.Arp, payload });
    const none = Ipv4Address.UNSPECIFIED;
    const arp = {
      operation: ArpOperation.Request,
      senderMac: src,
      senderIp: none,
      targetMac: Mac.fromNumber(0),
      targetIp: none,
    };
    return buildArp({ src, dst, arp });
  }
  if (type === 'ipv4') {
    return buildIpv4({
      srcMac: src,
      dstMac: dst,
      srcIp: Ipv4Address.fromNumber(args.ip ?? 0),
      dstIp: dst.isBroadcast() ? Ipv4Address.BROADCAST : Ipv4Address.UNSPECIFIED,
      ttl: 64,
      identification: 0,
      protocol: EXPERIMENTAL_PROTOCOL,
      payload,
    });
  }
  return buildRaw({ src, dst, etherType: type & 0xffff, payload });
}

/** D6: a gratuitous ARP request, sender and target IP both `ip`, broadcast. */
export function gratuitousArp(mac: Mac, ip: Ipv4Address): Uint8Array {
  return buildArp({
    src: mac,
    dst: Mac.BROADCAST,
    arp: {
      operation: ArpOperation.Request,
      senderMac: mac,
      senderIp: ip,
      targetMac: Mac.fromNumber(0),
      targetIp: ip,
    },
  });
}
