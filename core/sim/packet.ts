/**
 * What travels: a `Packet` is one frame's bytes with its Ethernet header read once (MACs as
 * numbers, for the hot tables); a `FrameCopy` is one copy of it on one link, with its own id, the
 * origin it descends from and its hop count (D4). Copies share their packet's bytes; a device
 * that rewrites a frame (the gateway) makes a new packet. Guarantees: a packet is parsed into
 * records at most once, however many hosts receive it.
 */
import { ETHERNET_HEADER_LEN } from '../wire/ethernet';
import { parseFrame } from '../wire/frame';
import type { FrameProto, ParsedFrame } from '../wire/frame';
import { Mac } from '../wire/mac';
import { classify, readMac } from '../wire/fast-frame';

export class Packet {
  readonly dst: number;
  readonly src: number;
  readonly etherType: number;
  /** Broadcast or multicast destination (the I/G bit): flooded by F4 and D2, accepted by D1. */
  readonly multicastDst: boolean;
  readonly multicastSrc: boolean;
  private parsedCache: ParsedFrame | null = null;
  private protoCache: FrameProto | null = null;
  private srcCache: string | null = null;
  private dstCache: string | null = null;

  constructor(readonly bytes: Uint8Array) {
    if (bytes.length < ETHERNET_HEADER_LEN)
      throw new RangeError('A frame needs an Ethernet header');
    this.dst = readMac(bytes, 0);
    this.src = readMac(bytes, 6);
    // The I/G bit, the least significant bit of the first octet (IEEE 802 §8.2).
    this.multicastDst = (bytes[0]! & 1) !== 0;
    this.multicastSrc = (bytes[6]! & 1) !== 0;
    this.etherType = (bytes[12]! << 8) | bytes[13]!;
  }

  get parsed(): ParsedFrame {
    if (this.parsedCache === null) this.parsedCache = parseFrame(this.bytes);
    return this.parsedCache;
  }

  get proto(): FrameProto {
    if (this.protoCache === null) this.protoCache = classify(this.bytes);
    return this.protoCache;
  }

  get srcText(): string {
    if (this.srcCache === null) this.srcCache = macText(this.src);
    return this.srcCache;
  }

  get dstText(): string {
    if (this.dstCache === null) this.dstCache = macText(this.dst);
    return this.dstCache;
  }
}

/** D4: the copies of one frame a host, gateway or step sent, counted together. */
export class Origin {
  copies = 0;
  stopped = false;
  /** MACs that moved between ports while these copies ran: mac → where it moved last. */
  flaps: Map<number, FlapRecord> | null = null;

  constructor(
    readonly id: number,
    /** The VM that sent the frame, if a VM did (D6: a host ignores its own gratuitous ARP). */
    readonly sender: string | null,
  ) {}
}

export interface FlapRecord {
  readonly device: string;
  from: string;
  to: string;
}

/** Something the loop detector can name in a cycle: a network, nested switch or bridge. */
export interface LoopNode {
  readonly id: string;
  /** Lab order, to start a reported cycle at a stable place. */
  readonly order: number;
}

export class FrameCopy {
  /** The VM whose capture already holds this copy (delivered to one of its adapters). */
  recordedBy: string | null = null;

  constructor(
    readonly id: number,
    readonly packet: Packet,
    readonly origin: Origin,
    /** Switches, networks and bridges this copy's line has entered so far. */
    readonly hops: number,
    /** The copy this one was made from, for tracing a loop back (D4). */
    readonly parent: FrameCopy | null,
    /** The device that made this copy, or null for the one a host or step sent. */
    readonly from: LoopNode | null,
  ) {}
}

/**
 * The text of the MACs met so far: a lab has a few dozen, and every recorded frame names two,
 * so each is formatted once and its one string shared by all the events that name it.
 */
const macTexts = new Map<number, string>();
const MAC_TEXTS_MAX = 65_536;

export function macText(value: number): string {
  let text = macTexts.get(value);
  if (text === undefined) {
    // Forged or random MACs could be endless: start over rather than grow without bound.
    if (macTexts.size >= MAC_TEXTS_MAX) macTexts.clear();
    text = Mac.fromNumber(value).toString();
    macTexts.set(value, text);
  }
  return text;
}

export function parseMac(text: string): number | null {
  const mac = Mac.parse(text);
  return mac === null ? null : mac.value;
}
