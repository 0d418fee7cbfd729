/**
 * A guest's network interface on one adapter (D1, D2, D5) and the state a guest keeps across lab
 * changes while it runs (D6). An interface on a nested switch's uplink sits on the switch's host
 * port (D2), so the hypervisor's own frames go through its switch like its nested VMs' do.
 * Guarantees: F1 holds for frames sent through the host port as for those sent by an adapter.
 */
import { ArpCache } from './arp-cache';
import type { ArpHolders } from './arp-holders';
import { NESTED_WIRE_US } from './context';
import type { Journal } from './journal';
import type { HostStack } from './host-stack';
import type { NestedSwitch } from './nested-switch';
import type { FrameCopy } from './packet';
import type { AdapterInner, AdapterNode, Endpoint } from './segment';

/** What a host keeps across lab changes while it runs. */
export class HostState {
  readonly arp: ArpCache;
  /** D6: virtual IPs held, with the virtual MAC announced for each. */
  readonly held = new Map<number, number>();
  private ipIdValue = 0;

  constructor(
    readonly journal: Journal,
    holders: ArpHolders,
  ) {
    this.arp = new ArpCache(journal, holders);
  }

  /** The IPv4 identification of the next packet the guest sends. */
  nextIpId(): number {
    const old = this.ipIdValue;
    if (this.journal.active) this.journal.record(() => (this.ipIdValue = old));
    this.ipIdValue = (old + 1) & 0xffff;
    return this.ipIdValue;
  }

  /** D6: the guest holds `ip`, announced at `mac`. */
  hold(ip: number, mac: number): void {
    this.journal.beforeSet(this.held, ip);
    this.held.set(ip, mac);
  }

  /** D6: another host's gratuitous ARP took `ip` over. */
  release(ip: number): void {
    if (!this.held.has(ip)) return;
    this.journal.beforeDelete(this.held);
    this.held.delete(ip);
  }

  /** As new: what `Simulation.reset` wants. */
  reset(): void {
    this.arp.clear();
    this.held.clear();
    this.ipIdValue = 0;
  }
}

export class HostInterface implements AdapterInner, Endpoint {
  readonly passesThrough = false;
  /** D2: set when the adapter is a nested switch's uplink; the stack sits on its host port. */
  hostSwitch: NestedSwitch | null = null;
  /** The adapter's MAC, kept here too: every frame the stack receives or sends reads it. */
  readonly mac: number;

  constructor(
    readonly host: HostStack,
    readonly adapter: AdapterNode,
    /** The adapter's IPv4 address and netmask, if it has one. */
    readonly ip: number | null,
    readonly mask: number,
    /** D5: the default gateway for this interface. */
    readonly gateway: number | null,
  ) {
    this.mac = adapter.mac;
  }

  get id(): string {
    return this.adapter.id;
  }

  /** Whether a frame sent here leaves the VM: attached, directly or through a host port. */
  get attached(): boolean {
    return this.hostSwitch !== null || this.adapter.segment !== null;
  }

  fromAdapter(copy: FrameCopy): void {
    this.host.receive(copy, this);
  }

  /** From the nested switch's host port (D2). */
  receive(copy: FrameCopy): void {
    this.host.receive(copy, this);
  }

  send(copy: FrameCopy): void {
    const sw = this.hostSwitch;
    if (sw === null) {
      this.adapter.transmit(copy);
      return;
    }
    const ctx = this.host.ctx;
    if (!this.adapter.running) {
      ctx.tracer.drop(
        copy,
        this.id,
        'vm-not-running',
        'F1',
        () => `${this.host.vmId} is not running, so it sends nothing.`,
      );
      return;
    }
    ctx.tracer.transmit(copy, this.id);
    ctx.engine.schedule(NESTED_WIRE_US, sw, sw.hostPort, copy);
  }

  onLink(ip: number): boolean {
    return this.ip !== null && ((this.ip ^ ip) & this.mask) === 0;
  }
}
