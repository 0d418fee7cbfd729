/**
 * ARP resolution and cache (D6, RFC 826), shared by host stacks and gateways. Guarantees: one
 * resolution per address at a time; packets waiting on it are sent, in order, when the reply
 * comes; after ARP_ATTEMPTS unanswered requests one ARP_RETRY_US apart the resolution ends,
 * `arp-timeout`, and its packets are dropped with it. The cache outlives lab changes (the owner
 * forgets it when its VM stops); pending resolutions do not. An open journal can undo every
 * entry it learns (pending resolutions start and end within one drained run, so need none).
 */
import { ARP_ATTEMPTS, ARP_RETRY_US } from './context';
import type { ArpHolders } from './arp-holders';
import type { Engine, EventHandler, SimEvent } from './engine';
import type { Journal } from './journal';
import type { FrameCopy } from './packet';

export interface ArpEntry {
  readonly mac: number;
  /** The adapter (or gateway) the entry was learned on. */
  readonly iface: string;
}

export interface ArpClient {
  /** Sends one ARP request for `ip` out of `iface`; the copy sent, or null if none left. */
  sendArpRequest(ip: number, iface: string): FrameCopy | null;
  /** D6: the resolution ended unanswered; `last` is the last request sent, if any. */
  arpFailed(ip: number, iface: string, last: FrameCopy | null): void;
}

class Resolution implements EventHandler {
  attempts = 0;
  done = false;
  last: FrameCopy | null = null;
  readonly waiting: ((mac: number) => void)[] = [];

  constructor(
    readonly ip: number,
    readonly iface: string,
    private readonly client: ArpClient,
    private readonly cache: ArpCache,
    private readonly engine: Engine,
  ) {}

  private timer: SimEvent | null = null;
  private timerSeq = -1;

  /** Sends the next request and sets the timer for it. */
  attempt(): void {
    this.attempts++;
    this.last = this.client.sendArpRequest(this.ip, this.iface) ?? this.last;
    this.timer = this.engine.schedule(ARP_RETRY_US, this, 0, null);
    this.timerSeq = this.timer.seq;
  }

  /** Answered or abandoned: the pending timer must not move the clock. */
  finish(): void {
    this.done = true;
    if (this.timer !== null) this.engine.cancel(this.timer, this.timerSeq);
    this.timer = null;
  }

  onEvent(): void {
    if (this.done) return;
    if (this.attempts < ARP_ATTEMPTS) {
      this.attempt();
      return;
    }
    this.done = true;
    this.cache.forget(this);
    this.client.arpFailed(this.ip, this.iface, this.last);
  }
}

export class ArpCache {
  private readonly entries = new Map<number, ArpEntry>();
  private readonly pending = new Map<number, Resolution>();
  /**
   * The last address `macOf` found, and its MAC: a host sends one frame after another to the
   * same next hop, so most lookups are this one. Forgotten whenever an entry changes.
   */
  private lastIp = -1;
  private lastMac = -1;

  /** `holders` counts this cache's addresses (a guest's), or is null (a gateway's). */
  constructor(
    private readonly journal: Journal,
    private readonly holders: ArpHolders | null = null,
  ) {}

  lookup(ip: number): ArpEntry | undefined {
    return this.entries.get(ip);
  }

  /** The cached MAC of `ip`, or -1 (`lookup(ip)?.mac ?? -1`). */
  macOf(ip: number): number {
    if (ip === this.lastIp) return this.lastMac;
    const entry = this.entries.get(ip);
    if (entry === undefined) return -1;
    this.lastIp = ip;
    this.lastMac = entry.mac;
    return entry.mac;
  }

  has(ip: number): boolean {
    return this.entries.has(ip);
  }

  /**
   * RFC 826 merge: an existing entry for `ip` takes the new MAC; a new one is made when `create`
   * (the packet was meant for us) or when we were resolving `ip`, whose waiters then go out.
   */
  learn(ip: number, mac: number, iface: string, create: boolean): void {
    const resolution = this.pending.get(ip);
    const known = this.entries.has(ip);
    if (!create && resolution === undefined && !known) return;
    if (this.journal.active) this.rememberEntry(ip, known);
    if (!known) this.holders?.add(ip);
    this.entries.set(ip, { mac, iface });
    if (ip === this.lastIp) this.lastMac = mac;
    if (resolution === undefined) return;
    resolution.finish();
    this.deletePending(ip);
    for (const send of resolution.waiting) send(mac);
  }

  /** Journal: how to give `ip` back its old entry, or none (and its holder count with it). */
  private rememberEntry(ip: number, known: boolean): void {
    const entries = this.entries;
    if (known) {
      const old = entries.get(ip) as ArpEntry;
      this.journal.record(() => {
        entries.set(ip, old);
        this.forgetLast();
      });
    } else {
      this.journal.record(() => {
        entries.delete(ip);
        this.holders?.remove(ip);
        this.forgetLast();
      });
    }
  }

  private deletePending(ip: number): void {
    if (this.pending.delete(ip)) this.holders?.remove(ip);
  }

  /** Calls `then` with the MAC of `ip`: now if cached, else once an ARP reply tells it. */
  resolve(
    ip: number,
    iface: string,
    client: ArpClient,
    engine: Engine,
    then: (mac: number) => void,
  ): void {
    const entry = this.entries.get(ip);
    if (entry !== undefined) {
      then(entry.mac);
      return;
    }
    let resolution = this.pending.get(ip);
    if (resolution === undefined) {
      resolution = new Resolution(ip, iface, client, this, engine);
      this.pending.set(ip, resolution);
      this.holders?.add(ip);
      resolution.waiting.push(then);
      resolution.attempt();
      return;
    }
    resolution.waiting.push(then);
  }

  forget(resolution: Resolution): void {
    if (this.pending.get(resolution.ip) === resolution) this.deletePending(resolution.ip);
  }

  list(): [number, ArpEntry][] {
    return [...this.entries];
  }

  dropPending(): void {
    for (const r of this.pending.values()) r.finish();
    for (const ip of this.pending.keys()) this.holders?.remove(ip);
    this.pending.clear();
  }

  clear(): void {
    this.dropPending();
    for (const ip of this.entries.keys()) this.holders?.remove(ip);
    this.entries.clear();
    this.forgetLast();
  }

  private forgetLast(): void {
    this.lastIp = -1;
    this.lastMac = -1;
  }
}
