/**
 * The ICMP echo frames a guest's ping sends and answers (D6). Requests carry 32 bytes of data, as
 * Windows' ping does; a reply carries its request's data. Guarantees: the bytes are what
 * core/wire's `buildIcmpEcho` builds for the same fields (see fast-frame.ts).
 */
import { IcmpType } from '../wire/icmp';
import { buildEchoFrame, deriveEchoFrame } from '../wire/fast-frame';
import type { EchoFields, IcmpFields } from '../wire/fast-frame';

/** The 32 bytes of data every echo request carries (as Windows' ping). */
const ECHO_DATA = Uint8Array.from('abcdefghijklmnopqrstuvwabcdefghi', (c) => c.charCodeAt(0));

/** An echo request with ECHO_DATA, every header field rewritten: requests are copies of it. */
const REQUEST_TEMPLATE = buildEchoFrame({
  srcMac: 0,
  dstMac: 0,
  srcIp: 0,
  dstIp: 0,
  ttl: 0,
  identification: 0,
  type: IcmpType.EchoRequest,
  identifier: 0,
  sequence: 0,
  data: ECHO_DATA,
  dataStart: 0,
  dataEnd: ECHO_DATA.length,
});

export function echoRequest(fields: EchoFields): Uint8Array {
  return (
    deriveEchoFrame(REQUEST_TEMPLATE, fields) ??
    buildEchoFrame({ ...fields, data: ECHO_DATA, dataStart: 0, dataEnd: ECHO_DATA.length })
  );
}

/** The reply to the echo request `request` (a frame, its fields read from it): a copy of it with its headers rewritten, built afresh if need be. */
export function echoReply(request: Uint8Array, read: IcmpFields, fields: EchoFields): Uint8Array {
  return (
    deriveEchoFrame(request, fields) ??
    buildEchoFrame({ ...fields, data: request, dataStart: read.dataStart, dataEnd: read.dataEnd })
  );
}
