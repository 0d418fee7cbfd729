/**
 * The wiring between devices. A `Segment` (Skytap network, nested switch, bridge) has ports; a
 * port leads to an `Endpoint` (an adapter's outside, a gateway, a hypervisor's host stack). An
 * `AdapterNode` is a virtual NIC: its outside sits on a port of the segment it attaches to, its
 * inside leads to what the VM does with frames (host stack, bridge, or the nested switch it is the
 * uplink of). Guarantees: F1 is checked on both sides (a VM that does not run sends and receives
 * nothing), an adapter attached to nothing drops what it sends (`adapter-disconnected`).
 */
import type { EventHandler } from './engine';
import type { SimContext } from './context';
import type { FrameCopy, LoopNode } from './packet';

export interface Endpoint {
  readonly id: string;
  /** A copy leaves a segment's port toward this endpoint. */
  receive(copy: FrameCopy): void;
}

/** What sits inside a VM behind an adapter. */
export interface AdapterInner {
  /**
   * False for a host stack, which reports its own deliveries (after its NIC filter, D1);
   * true for a nested switch (uplink) or bridge, behind which the frame goes on.
   */
  readonly passesThrough: boolean;
  /**
   * True for a bridge, which records the frames that cross it itself (D3); otherwise the
   * adapter records every frame delivered to it in its VM's capture (lab-format.md: "a host's
   * capture holds every frame delivered to its adapters", NIC filter or not).
   */
  readonly recordsCrossing?: boolean;
  fromAdapter(copy: FrameCopy, adapter: AdapterNode): void;
}

export interface Segment extends EventHandler, LoopNode {
  readonly kind: 'network' | 'switch' | 'bridge';
  readonly ports: SegmentPort[];
  /** Latency from a sender's transmit to the segment's decision. */
  readonly wireDelay: number;
}

/** One port of a segment; as an event handler it is the copy leaving through it. */
export class SegmentPort implements EventHandler {
  endpoint: Endpoint | null = null;

  constructor(
    readonly index: number,
    /** Adapter id, `<network>:gateway`, or a hypervisor id for a nested switch's host port. */
    readonly id: string,
    /** F2/F3 on Skytap networks: the owner's own MAC, and whether it may send others'. */
    readonly mac: number,
    readonly promiscuous: boolean,
    private readonly ctx: SimContext,
  ) {}

  onEvent(_port: number, copy: FrameCopy | null): void {
    const endpoint = this.endpoint;
    if (copy === null || endpoint === null) return;
    if (copy.origin.stopped && this.ctx.loops.stoppedAt(copy, endpoint)) return;
    endpoint.receive(copy);
  }
}

export class AdapterNode implements Endpoint {
  /** The segment and port of the outside; null when attached to nothing. */
  segment: Segment | null = null;
  portIndex = -1;
  inner: AdapterInner | null = null;
  /** Index of this adapter among its bridge's ports (D3). */
  bridgePort = -1;

  constructor(
    readonly id: string,
    readonly vmId: string,
    readonly mac: number,
    readonly promiscuous: boolean,
    /** F1, computed when the lab is compiled (a nested VM runs only while its hypervisor runs). */
    readonly running: boolean,
    private readonly ctx: SimContext,
  ) {}

  /** The VM puts a copy on the wire: F1, attachment, then the segment decides after its latency. */
  transmit(copy: FrameCopy): void {
    const tracer = this.ctx.tracer;
    if (!this.running) {
      tracer.drop(
        copy,
        this.id,
        'vm-not-running',
        'F1',
        () => `${this.vmId} is not running, so ${this.id} sends nothing.`,
      );
      return;
    }
    const segment = this.segment;
    if (segment === null) {
      tracer.drop(
        copy,
        this.id,
        'adapter-disconnected',
        'F1',
        () => `${this.id} is not attached to any network or switch, so what it sends goes nowhere.`,
      );
      return;
    }
    tracer.transmit(copy, this.id);
    this.ctx.engine.schedule(segment.wireDelay, segment, this.portIndex, copy);
  }

  /** A copy from the segment: F1 at delivery, then the VM's inside. */
  receive(copy: FrameCopy): void {
    if (!this.running) {
      this.ctx.tracer.drop(
        copy,
        this.id,
        'destination-not-running',
        'F1',
        () => `${this.vmId} is not running, so ${this.id} receives nothing.`,
      );
      return;
    }
    const inner = this.inner;
    if (inner === null) return;
    if (inner.recordsCrossing !== true) {
      this.ctx.captures.record(this.vmId, copy, this.id, this.ctx.engine.now);
      copy.recordedBy = this.vmId;
    }
    // The adapter takes the frame in for the switch or bridge behind it (E1: "delivered to
    // esxi-nic0"); an end delivery is the host's to report.
    if (inner.passesThrough) this.ctx.tracer.deliver(copy, this.id, false);
    inner.fromAdapter(copy, this);
  }
}

/**
 * A port that leads out of the VM through one of its adapters: a nested switch's uplink (D2,
 * so F2/F3 apply on the network beyond) or a bridge's port (D3).
 */
export class AdapterOut implements Endpoint {
  constructor(readonly adapter: AdapterNode) {}

  get id(): string {
    return this.adapter.id;
  }

  receive(copy: FrameCopy): void {
    this.adapter.transmit(copy);
  }
}
