/**
 * How many guests' ARP caches hold or are resolving each IPv4 address. A broadcast ARP from an
 * address nobody holds changes nothing at a guest that is neither its target nor holds virtual
 * IPs (D6: an entry is updated only where it exists), which is what lets an objective's check
 * skip those deliveries (network-switch.ts, `quiet`). Guarantees: the count of an address is
 * exactly the number of host caches with an entry or a pending resolution for it, through
 * learning, clearing, dropping and an undone journal.
 */

export class ArpHolders {
  private readonly counts = new Map<number, number>();

  add(ip: number): void {
    this.counts.set(ip, (this.counts.get(ip) ?? 0) + 1);
  }

  remove(ip: number): void {
    const n = (this.counts.get(ip) ?? 0) - 1;
    if (n > 0) this.counts.set(ip, n);
    else this.counts.delete(ip);
  }

  has(ip: number): boolean {
    return this.counts.has(ip);
  }
}
