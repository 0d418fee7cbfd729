/**
 * A table of learned MACs keyed by the MAC's number, for Skytap networks (F3), nested switches
 * (D2) and bridges (D3). Guarantees: an entry not refreshed for the ageing time is gone (F7),
 * checked lazily on lookup, so ageing costs nothing per hop; entries keep their port's id, so a
 * changed lab keeps those whose port still exists (re-indexed) and forgets the rest; every
 * change goes through the table, so an open journal can undo it (see journal.ts).
 */
import type { Journal } from './journal';

export class LearnedEntry {
  constructor(
    public port: number,
    public portId: string,
    /** Simulated µs when the MAC was last seen on the port. */
    public seen: number,
  ) {}
}

export class LearnedTable {
  private readonly map = new Map<number, LearnedEntry>();

  constructor(private readonly journal: Journal) {}

  /** The live entry for `mac`, or undefined; an aged-out entry is removed (F7). */
  lookup(mac: number, now: number, ageingUs: number): LearnedEntry | undefined {
    const entry = this.map.get(mac);
    if (entry === undefined) return undefined;
    if (now - entry.seen >= ageingUs) {
      this.journal.beforeDelete(this.map);
      this.map.delete(mac);
      return undefined;
    }
    return entry;
  }

  set(mac: number, port: number, portId: string, now: number): LearnedEntry {
    const entry = new LearnedEntry(port, portId, now);
    this.journal.beforeSet(this.map, mac);
    this.map.set(mac, entry);
    return entry;
  }

  /** The MAC was seen again on its port at `now` (F7 restarts its ageing). */
  refresh(entry: LearnedEntry, now: number): void {
    if (this.journal.active) {
      const seen = entry.seen;
      this.journal.record(() => (entry.seen = seen));
    }
    entry.seen = now;
  }

  /** F3/D2: the MAC showed up on another port. */
  move(entry: LearnedEntry, port: number, portId: string): void {
    if (this.journal.active) {
      const { port: oldPort, portId: oldId } = entry;
      this.journal.record(() => {
        entry.port = oldPort;
        entry.portId = oldId;
      });
    }
    entry.port = port;
    entry.portId = portId;
  }

  /** Live entries in the order they were learned. */
  live(now: number, ageingUs: number): [number, LearnedEntry][] {
    return [...this.map.entries()].filter(([, e]) => now - e.seen < ageingUs);
  }

  /** Keeps entries whose port id is still a port (with its new index), forgets the others. */
  remap(ports: ReadonlyMap<string, number>): void {
    for (const [mac, entry] of [...this.map]) {
      const index = ports.get(entry.portId);
      if (index === undefined) this.map.delete(mac);
      else entry.port = index;
    }
  }

  clear(): void {
    this.map.clear();
  }
}
