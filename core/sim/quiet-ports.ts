/**
 * Which ports of a Skytap network a broadcast ARP must reach while an objective's check runs
 * (SimContext.quiet: nothing traced or captured, every change undone after). A running guest
 * that is not the ARP's target, holds no virtual IP, and has no entry or resolution for the
 * sender's address does nothing with it (D1 accepts it; D6 updates existing entries only), so
 * delivering it there changes nothing anyone can see: a check's ARP costs the ports that matter,
 * not every guest on the network. Guarantees: `reach` gives, in port order, every port whose
 * delivery could change anything (other devices, stopped VMs, guests that may hold virtual IPs,
 * the target's ports), or null to flood as usual (not an ARP, a gratuitous one, or a sender some
 * guest already knows).
 */
import { EtherType } from '../wire/ethernet';
import type { ArpHolders } from './arp-holders';
import { HostInterface } from './host-interface';
import type { Packet } from './packet';
import { AdapterNode, type SegmentPort } from './segment';

export class QuietPorts {
  private constructor(
    /** Ports that are not plain running guests: always reached. */
    private readonly always: readonly number[],
    /** Plain running guests' ports by their address: reached when they are the ARP's target. */
    private readonly byIp: ReadonlyMap<number, readonly number[]>,
  ) {}

  static of(ports: readonly SegmentPort[]): QuietPorts {
    const always: number[] = [];
    const byIp = new Map<number, number[]>();
    for (const port of ports) {
      const iface = quietGuest(port);
      if (iface === null) always.push(port.index);
      else if (iface.ip !== null) {
        const list = byIp.get(iface.ip);
        if (list === undefined) byIp.set(iface.ip, [port.index]);
        else list.push(port.index);
      }
    }
    return new QuietPorts(always, byIp);
  }

  /** The ports a broadcast must reach, in order, or null when every port must. */
  reach(packet: Packet, holders: ArpHolders): readonly number[] | null {
    if (packet.etherType !== EtherType.Arp) return null;
    const arp = packet.parsed.arp;
    if (arp === undefined) return null;
    const spa = arp.senderIp.value;
    const tpa = arp.targetIp.value;
    if (spa === 0) return this.always;
    if (spa === tpa || holders.has(spa)) return null;
    const targets = this.byIp.get(tpa);
    return targets === undefined ? this.always : merge(this.always, targets);
  }
}

/** A running guest's own interface with no virtual IPs, straight on the network; else null. */
function quietGuest(port: SegmentPort): HostInterface | null {
  const node = port.endpoint;
  if (!(node instanceof AdapterNode) || !node.running) return null;
  const inner = node.inner;
  if (!(inner instanceof HostInterface) || inner.hostSwitch !== null) return null;
  return inner.host.running && inner.host.virtualIps.size === 0 ? inner : null;
}

function merge(a: readonly number[], b: readonly number[]): number[] {
  const out: number[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    const x = a[i] ?? Infinity;
    const y = b[j] ?? Infinity;
    if (x <= y) {
      out.push(x);
      i++;
    } else {
      out.push(y);
      j++;
    }
  }
  return out;
}
