/**
 * Hot-path twins of frame.ts for the frames every ping repeats: reading the Ethernet, IPv4
 * and ICMP echo fields a host or gateway acts on, and building ICMP echo frames, without
 * allocating records. Guarantees: `buildEchoFrame` gives byte for byte what
 * `buildIcmpEcho` gives (test/unit/core/wire/fast-frame.test.ts holds them together), with
 * correct IPv4 (RFC 791) and ICMP (RFC 792) checksums; `readHeaders` accepts exactly the
 * frames `parseFrame` decodes as ICMP (version 4, IHL ≥ 5, lengths that fit, protocol 1,
 * not a fragment, an 8-byte ICMP header) and never reads outside the buffer. Everything else
 * goes through core/wire.
 */
import type { FrameProto } from './frame';
const ETH = 14;
const IPV4_HEADER = 20;
const ICMP_HEADER = 8;
const ARP_LEN = 28;
const ETHERTYPE_IPV4 = 0x0800;
const ETHERTYPE_ARP = 0x0806;
const PROTOCOL_ICMP = 1;
const MIN_FRAME = 60;
const TWO_32 = 0x1_0000_0000;
/** Frames are carved from slabs: V8 allocates a small typed array above 64 bytes slowly. */
const SLAB_BYTES = 64 * 1024;

/**
 * `Uint8Array.prototype.set`, called as a function: V8 compiles `frame.set(…)` on a view it has
 * just made into a generic property lookup, paid again for every frame.
 */
const copyBytes = Uint8Array.prototype.set;

let slab = new ArrayBuffer(SLAB_BYTES);
let slabUsed = 0;

/**
 * A zeroed byte array of `length` for a new frame, a view into a slab that is never handed out
 * twice (so frames stay independent); the slab lives while any of its frames does.
 */
export function allocFrame(length: number): Uint8Array {
  if (length > SLAB_BYTES / 4) return new Uint8Array(length);
  if (slabUsed + length > SLAB_BYTES) {
    slab = new ArrayBuffer(SLAB_BYTES);
    slabUsed = 0;
  }
  const bytes = new Uint8Array(slab, slabUsed, length);
  slabUsed += (length + 7) & ~7;
  return bytes;
}

/**
 * The MAC at `offset` as a number. Bitwise operators only: a byte past the end reads undefined,
 * which they take as 0 (as `?? 0` would), and without the checks the function is small enough
 * for V8 to inline into every packet it reads.
 */
export function readMac(bytes: Uint8Array, offset: number): number {
  const hi = (bytes[offset]! << 8) | bytes[offset + 1]!;
  return hi * TWO_32 + readU32(bytes, offset + 2);
}

function writeMac(bytes: Uint8Array, offset: number, mac: number): void {
  const hi = Math.floor(mac / TWO_32);
  // The low 32 bits, without `%` (a floating-point remainder, far slower than this).
  const lo = mac - hi * TWO_32;
  // A Uint8Array keeps the low 8 bits of what it stores (ToUint8): no `& 0xff` needed.
  bytes[offset] = hi >>> 8;
  bytes[offset + 1] = hi;
  bytes[offset + 2] = lo >>> 24;
  bytes[offset + 3] = lo >>> 16;
  bytes[offset + 4] = lo >>> 8;
  bytes[offset + 5] = lo;
}

/** A big-endian unsigned 32-bit word, read with bitwise operators only (see `readMac`). */
function readU32(bytes: Uint8Array, offset: number): number {
  return (
    ((bytes[offset]! << 24) |
      (bytes[offset + 1]! << 16) |
      (bytes[offset + 2]! << 8) |
      bytes[offset + 3]!) >>>
    0
  );
}

function writeU32(bytes: Uint8Array, offset: number, value: number): void {
  bytes[offset] = value >>> 24;
  bytes[offset + 1] = value >>> 16;
  bytes[offset + 2] = value >>> 8;
  bytes[offset + 3] = value;
}

/**
 * A big-endian 16-bit word. A byte past the end reads undefined, which `<<` and `|` take as 0,
 * so no `?? 0` is needed: without them the function is small enough that V8 always inlines it.
 */
function readU16(bytes: Uint8Array, offset: number): number {
  return (bytes[offset]! << 8) | bytes[offset + 1]!;
}

/** The IPv4 and ICMP echo fields of an ICMP frame, where its echo data lies, all numbers. */
export interface IcmpFields {
  readonly srcIp: number;
  readonly dstIp: number;
  readonly ttl: number;
  readonly identification: number;
  /** ICMP type: 8 request, 0 reply, others. */
  readonly type: number;
  readonly code: number;
  readonly identifier: number;
  readonly sequence: number;
  /** The echo data is `bytes[dataStart, dataEnd)` of the frame read. */
  readonly dataStart: number;
  readonly dataEnd: number;
}

/** `IcmpFields` with the frame they were read from (`readIcmp`). */
export interface EchoHeaders extends IcmpFields {
  readonly bytes: Uint8Array;
}

/** `IcmpFields` with writable fields, for `readIcmpInto`. */
export type IcmpFieldsDraft = { -readonly [K in keyof IcmpFields]: IcmpFields[K] };

/**
 * Where the ICMP message of a frame `parseFrame` would call ICMP starts (after the IPv4
 * header and its options), or -1 for any other frame.
 */
function icmpStart(bytes: Uint8Array): number {
  if (bytes.length < ETH + IPV4_HEADER || readU16(bytes, 12) !== ETHERTYPE_IPV4) return -1;
  const vihl = bytes[ETH] ?? 0;
  const ihl = (vihl & 0x0f) * 4;
  const total = readU16(bytes, ETH + 2);
  if (vihl >> 4 !== 4 || ihl < IPV4_HEADER || total < ihl || ETH + total > bytes.length) return -1;
  const fragment = readU16(bytes, ETH + 6);
  // More-fragments flag or a non-zero offset: a fragment, not decoded as ICMP.
  if ((fragment & 0x3fff) !== 0 || bytes[ETH + 9] !== PROTOCOL_ICMP) return -1;
  if (total - ihl < ICMP_HEADER) return -1;
  return ETH + ihl;
}

/**
 * What `readIcmp` reads (the frame aside), written into `out` rather than a new record: the hot
 * path reads one per delivered echo, and `out` holds numbers only, so a long-lived one costs
 * no write barrier. False, with `out` untouched, when the frame is not ICMP.
 */
export function readIcmpInto(bytes: Uint8Array, out: IcmpFieldsDraft): boolean {
  const icmp = icmpStart(bytes);
  if (icmp < 0) return false;
  out.srcIp = readU32(bytes, ETH + 12);
  out.dstIp = readU32(bytes, ETH + 16);
  out.ttl = bytes[ETH + 8] ?? 0;
  out.identification = readU16(bytes, ETH + 4);
  out.type = bytes[icmp] ?? 0;
  out.code = bytes[icmp + 1] ?? 0;
  out.identifier = readU16(bytes, icmp + 4);
  out.sequence = readU16(bytes, icmp + 6);
  out.dataStart = icmp + ICMP_HEADER;
  out.dataEnd = ETH + readU16(bytes, ETH + 2);
  return true;
}

/** What `parseFrame` would call an ICMP frame, read in place; null otherwise. */
export function readIcmp(bytes: Uint8Array): EchoHeaders | null {
  const out: IcmpFieldsDraft = {
    srcIp: 0,
    dstIp: 0,
    ttl: 0,
    identification: 0,
    type: 0,
    code: 0,
    identifier: 0,
    sequence: 0,
    dataStart: 0,
    dataEnd: 0,
  };
  return readIcmpInto(bytes, out) ? { ...out, bytes } : null;
}

/** What `parseFrame(bytes).proto` says, without building its records. */
export function classify(bytes: Uint8Array): FrameProto {
  if (bytes.length < ETH) return 'other';
  const etherType = readU16(bytes, 12);
  if (etherType === ETHERTYPE_ARP) {
    // RFC 826 for Ethernet/IPv4 only: hardware 1, protocol 0x0800, lengths 6 and 4.
    const ok =
      bytes.length >= ETH + ARP_LEN &&
      readU16(bytes, ETH) === 1 &&
      readU16(bytes, ETH + 2) === ETHERTYPE_IPV4 &&
      bytes[ETH + 4] === 6 &&
      bytes[ETH + 5] === 4;
    return ok ? 'arp' : 'other';
  }
  if (etherType !== ETHERTYPE_IPV4 || bytes.length < ETH + IPV4_HEADER) return 'other';
  if (icmpStart(bytes) >= 0) return 'icmp';
  const vihl = bytes[ETH] ?? 0;
  const ihl = (vihl & 0x0f) * 4;
  const total = readU16(bytes, ETH + 2);
  const wellFormed =
    vihl >> 4 === 4 && ihl >= IPV4_HEADER && total >= ihl && ETH + total <= bytes.length;
  return wellFormed ? 'ipv4' : 'other';
}

/** The header fields of an echo frame; the data comes from elsewhere. */
export interface EchoFields {
  readonly srcMac: number;
  readonly dstMac: number;
  readonly srcIp: number;
  readonly dstIp: number;
  readonly ttl: number;
  readonly identification: number;
  readonly type: number;
  readonly identifier: number;
  readonly sequence: number;
}

export interface EchoFrameArgs {
  readonly srcMac: number;
  readonly dstMac: number;
  readonly srcIp: number;
  readonly dstIp: number;
  readonly ttl: number;
  readonly identification: number;
  readonly type: number;
  readonly identifier: number;
  readonly sequence: number;
  /** The echo data is `data[dataStart, dataEnd)`. */
  readonly data: Uint8Array;
  readonly dataStart: number;
  readonly dataEnd: number;
}

/** RFC 1071: the one's complement of the one's complement sum of 16-bit words (even length). */
function checksum(bytes: Uint8Array, start: number, end: number): number {
  let sum = 0;
  for (let i = start; i < end; i += 2) sum += ((bytes[i] ?? 0) << 8) | (bytes[i + 1] ?? 0);
  if (((end - start) & 1) === 1) sum -= bytes[end] ?? 0;
  while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
  return ~sum & 0xffff;
}

/** An Ethernet II + IPv4 + ICMP echo frame, as core/wire's `buildIcmpEcho` builds it. */
export function buildEchoFrame(a: EchoFrameArgs): Uint8Array {
  const { data, dataStart } = a;
  const dataLength = a.dataEnd - dataStart;
  const icmpLen = ICMP_HEADER + dataLength;
  const total = IPV4_HEADER + icmpLen;
  const bytes = allocFrame(Math.max(MIN_FRAME, ETH + total));
  writeMac(bytes, 0, a.dstMac);
  writeMac(bytes, 6, a.srcMac);
  bytes[12] = 0x08; // EtherType IPv4
  // IPv4 header at 14: version 4, IHL 5, DSCP/ECN 0, Don't Fragment (as core/wire and Linux's ping).
  bytes[14] = 0x45;
  bytes[16] = total >>> 8;
  bytes[17] = total & 0xff;
  bytes[18] = (a.identification >>> 8) & 0xff;
  bytes[19] = a.identification & 0xff;
  bytes[20] = 0x40;
  bytes[22] = a.ttl;
  bytes[23] = PROTOCOL_ICMP;
  writeU32(bytes, 26, a.srcIp);
  writeU32(bytes, 30, a.dstIp);
  const ipSum = checksum(bytes, ETH, ETH + IPV4_HEADER);
  bytes[24] = ipSum >>> 8;
  bytes[25] = ipSum & 0xff;
  // ICMP echo at 34: type, code 0, checksum, identifier, sequence, data.
  bytes[34] = a.type;
  bytes[38] = (a.identifier >>> 8) & 0xff;
  bytes[39] = a.identifier & 0xff;
  bytes[40] = (a.sequence >>> 8) & 0xff;
  bytes[41] = a.sequence & 0xff;
  for (let i = 0; i < dataLength; i++) bytes[42 + i] = data[dataStart + i] ?? 0;
  const icmpSum = checksum(bytes, 34, 34 + icmpLen);
  bytes[36] = icmpSum >>> 8;
  bytes[37] = icmpSum & 0xff;
  return bytes;
}

/**
 * The frame `buildEchoFrame` would build with `fields` and the echo data of `source`, made by
 * copying `source` and rewriting every header field (cheaper than writing it byte by byte).
 * `source` must be an echo frame laid out as built here (IHL 5, padded to exactly the minimum);
 * otherwise null, and the caller builds.
 */
export function deriveEchoFrame(source: Uint8Array, fields: EchoFields): Uint8Array | null {
  // A typed array's length is checked on every read of it: read once.
  const length = source.length;
  if (length < ETH + IPV4_HEADER + ICMP_HEADER || source[ETH] !== 0x45) return null;
  const total = readU16(source, ETH + 2);
  const end = ETH + total;
  if (total < IPV4_HEADER + ICMP_HEADER || length !== (end > MIN_FRAME ? end : MIN_FRAME))
    return null;
  const bytes = allocFrame(length);
  copyBytes.call(bytes, source);
  for (let i = end; i < length; i++) bytes[i] = 0;
  writeMac(bytes, 0, fields.dstMac);
  writeMac(bytes, 6, fields.srcMac);
  bytes[12] = 0x08;
  bytes[13] = 0x00;
  bytes[15] = 0;
  bytes[18] = (fields.identification >>> 8) & 0xff;
  bytes[19] = fields.identification & 0xff;
  bytes[20] = 0x40;
  bytes[21] = 0;
  bytes[22] = fields.ttl;
  bytes[23] = PROTOCOL_ICMP;
  writeU32(bytes, 26, fields.srcIp);
  writeU32(bytes, 30, fields.dstIp);
  const ipSum = ipv4HeaderChecksum(total, fields);
  bytes[24] = ipSum >>> 8;
  bytes[25] = ipSum & 0xff;
  bytes[34] = fields.type;
  bytes[35] = 0;
  bytes[38] = (fields.identifier >>> 8) & 0xff;
  bytes[39] = fields.identifier & 0xff;
  bytes[40] = (fields.sequence >>> 8) & 0xff;
  bytes[41] = fields.sequence & 0xff;
  const icmpSum = updatedIcmpChecksum(source, fields);
  bytes[36] = icmpSum >>> 8;
  bytes[37] = icmpSum & 0xff;
  return bytes;
}

/**
 * RFC 1071 over the IPv4 header `deriveEchoFrame` writes, summed from the fields rather than
 * read back from the bytes: the words are version/IHL with DSCP 0, the total length, the
 * identification, flags Don't Fragment with offset 0, TTL with protocol ICMP, a zero checksum,
 * and the two addresses, each word as the bytes hold it.
 */
function ipv4HeaderChecksum(total: number, fields: EchoFields): number {
  let sum = 0x4500 + total + (fields.identification & 0xffff) + 0x4000;
  sum += ((fields.ttl & 0xff) << 8) | PROTOCOL_ICMP;
  sum += (fields.srcIp >>> 16) + (fields.srcIp & 0xffff);
  sum += (fields.dstIp >>> 16) + (fields.dstIp & 0xffff);
  while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
  return ~sum & 0xffff;
}

/**
 * RFC 1624 eqn. 3, HC' = ~(~HC + ~m + m'): only the type/code, identifier and sequence words
 * differ between the source message and the derived one, so the source's checksum is updated
 * for those three words instead of summing the whole message (and its data) again. Exact for
 * a source whose checksum is right, as every frame the simulator builds is.
 */
function updatedIcmpChecksum(source: Uint8Array, fields: EchoFields): number {
  let sum = ~readU16(source, 36) & 0xffff;
  sum += (~readU16(source, 34) & 0xffff) + ((fields.type & 0xff) << 8);
  sum += (~readU16(source, 38) & 0xffff) + (fields.identifier & 0xffff);
  sum += (~readU16(source, 40) & 0xffff) + (fields.sequence & 0xffff);
  while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
  return ~sum & 0xffff;
}
