/**
 * What every device shares: the engine (clock and queue), the trace, the captures, the loop
 * detector, the lab's limits and the frame id counter. Also the model's fixed latencies.
 * Guarantees: frame ids count up from 1 in the order copies are made, so the same lab and steps
 * give the same ids.
 */
import type { SimSettings } from '../model/lab';
import { ArpHolders } from './arp-holders';
import type { CaptureStore } from './captures';
import type { Engine } from './engine';
import type { LoopDetector } from './loop-detector';
import { FrameCopy, Origin, Packet } from './packet';
import type { LoopNode } from './packet';
import type { Tracer } from './trace';

/** An adapter or gateway onto a Skytap network (its fabric is fast). */
export const NETWORK_WIRE_US = 2;
/** A nested adapter or a hypervisor's host stack onto a nested switch (software, slower). */
export const NESTED_WIRE_US = 5;
/** From a switch, network or bridge deciding to the frame leaving its port. */
export const EGRESS_US = 3;
/** Between two ARP requests for one address, and before giving up after the last (D6). */
export const ARP_RETRY_US = 1_000_000;
export const ARP_ATTEMPTS = 3;
/** Between two echo requests of one ping. */
export const PING_INTERVAL_US = 1_000_000;
/** One way between a gateway and an external host ("the Internet"). */
export const EXTERNAL_US = 5_000;
/** The TTL hosts, gateways and external hosts put on the packets they originate. */
export const DEFAULT_TTL = 64;

/** Owner lookups for messages: which adapter or gateway a MAC belongs to, which VM runs it. */
export interface Names {
  macOwner(mac: number): string | undefined;
}

export class SimContext {
  private nextFrameId = 1;
  names: Names = { macOwner: () => undefined };
  /** F7: the ageing time in µs, kept with the settings so a hop needs no arithmetic. */
  ageingUs = 0;
  /**
   * True while an objective's check runs: nothing is traced or captured and every change is
   * undone after, so a delivery that changes nothing may be skipped (quiet-ports.ts).
   */
  quiet = false;
  /** Which addresses guests' ARP caches hold or resolve (arp-holders.ts). */
  arpHolders: ArpHolders = new ArpHolders();
  private current: SimSettings;

  constructor(
    readonly engine: Engine,
    readonly tracer: Tracer,
    readonly captures: CaptureStore,
    readonly loops: LoopDetector,
    settings: SimSettings,
  ) {
    this.current = settings;
    this.settings = settings;
  }

  get settings(): SimSettings {
    return this.current;
  }

  set settings(settings: SimSettings) {
    this.current = settings;
    this.ageingUs = settings.ageingSeconds * 1e6;
    this.loops.configure(settings);
  }

  get framesMade(): number {
    return this.nextFrameId - 1;
  }

  newFrameId(): number {
    return this.nextFrameId++;
  }

  /** The next frame id, to be given back after an objective's check (see Simulation.check). */
  get frameIdMark(): number {
    return this.nextFrameId;
  }

  set frameIdMark(next: number) {
    this.nextFrameId = next;
  }

  /** The first copy of a new frame: its id is also its origin's id (D4). */
  originate(bytes: Uint8Array, sender: string | null): FrameCopy {
    return this.originatePacket(new Packet(bytes), sender);
  }

  originatePacket(packet: Packet, sender: string | null): FrameCopy {
    const id = this.newFrameId();
    return new FrameCopy(id, packet, new Origin(id, sender), 0, null, null);
  }

  /** A copy sent out of a port of `from`, one hop further than `copy`. */
  copyOut(copy: FrameCopy, from: LoopNode): FrameCopy {
    return new FrameCopy(this.newFrameId(), copy.packet, copy.origin, copy.hops + 1, copy, from);
  }

  /** The same frame, rewritten (a router): same origin and hops, new bytes and id. */
  rewritten(copy: FrameCopy, bytes: Uint8Array): FrameCopy {
    return new FrameCopy(this.newFrameId(), new Packet(bytes), copy.origin, copy.hops, copy, null);
  }

  reset(): void {
    this.nextFrameId = 1;
  }
}
