/**
 * A hypervisor's nested switch (D2): a learning switch whose ports are the nested adapters on
 * it, the hypervisor's own host stack (the host side of the uplink adapter) and the uplink.
 * Frames it sends out of the uplink are transmitted by the hypervisor's adapter onto that
 * adapter's network, so F2/F3 judge them there: nested VMs reach the outside only through a
 * promiscuous uplink, and reach each other without one.
 */
import { NESTED_WIRE_US } from './context';
import { LearningSwitch } from './learning-switch';
import type { FrameCopy } from './packet';
import type { AdapterInner, AdapterNode } from './segment';

export class NestedSwitch extends LearningSwitch implements AdapterInner {
  readonly kind = 'switch';
  readonly wireDelay = NESTED_WIRE_US;
  readonly passesThrough = true;
  protected readonly rule = 'D2';
  /** The uplink's port index, or -1 for a switch without an uplink. */
  uplinkPort = -1;
  /** The hypervisor host stack's port index, or -1. */
  hostPort = -1;

  /** A frame from the network enters by the uplink adapter (D2). */
  fromAdapter(copy: FrameCopy, _adapter: AdapterNode): void {
    if (this.uplinkPort >= 0) this.arrive(copy, this.uplinkPort);
  }
}
