/**
 * D4 loop detection. Every copy carries its origin and hop count; a copy entering a network,
 * nested switch or bridge is admitted only while its line has made at most `hopLimit` hops and
 * its origin at most `copyLimit` copies. Past either, the origin is stopped: this copy and every
 * later copy of it is dropped, `loop-detected`, the cycle it went round is traced back through
 * its ancestors, and the MACs that moved while it ran are reported (`mac-flap`). Guarantees: a
 * storm ends after at most copyLimit admissions per origin, so a run always terminates.
 */
import { DEFAULT_SIM } from '../model/lab';
import type { SimSettings } from '../model/lab';
import type { Engine } from './engine';
import type { Journal } from './journal';
import { macText } from './packet';
import type { FrameCopy, LoopNode, Origin } from './packet';
import type { Tracer } from './trace';
import type { LoopReport } from './types';

interface MutableReport {
  cycle: string[];
  flappedMacs: string[];
  origins: number[];
  at: string;
  t: number;
  limit: 'hops' | 'copies';
}

export class LoopDetector {
  private readonly reports = new Map<string, MutableReport>();
  private hopLimit = DEFAULT_SIM.hopLimit;
  private copyLimit = DEFAULT_SIM.copyLimit;

  constructor(
    private readonly engine: Engine,
    private readonly tracer: Tracer,
    private readonly journal: Journal,
  ) {}

  configure(settings: SimSettings): void {
    this.hopLimit = settings.hopLimit;
    this.copyLimit = settings.copyLimit;
  }

  /** D4: may `copy` enter `node`? When not, it has been dropped. */
  admit(copy: FrameCopy, node: LoopNode): boolean {
    const origin = copy.origin;
    if (origin.stopped) {
      this.dropStopped(copy, node.id);
      return false;
    }
    const hops = copy.hops + 1;
    const copies = ++origin.copies;
    if (hops <= this.hopLimit && copies <= this.copyLimit) return true;
    this.stop(copy, node, hops > this.hopLimit ? 'hops' : 'copies');
    return false;
  }

  /** D4: a copy of a stopped origin still on its way to an endpoint is stopped there. */
  stoppedAt(copy: FrameCopy, at: { readonly id: string }): boolean {
    if (!copy.origin.stopped) return false;
    this.dropStopped(copy, at.id);
    return true;
  }

  /** F3/D2/D3: a learned MAC moved between ports of `device` while this origin ran. */
  flap(copy: FrameCopy, mac: number, device: string, from: string, to: string): void {
    const origin = copy.origin;
    if (origin.flaps === null) origin.flaps = new Map();
    origin.flaps.set(mac, { device, from, to });
  }

  list(): LoopReport[] {
    return [...this.reports.values()].map((r) => ({
      cycle: [...r.cycle],
      flappedMacs: [...r.flappedMacs],
      origins: [...r.origins],
      at: r.at,
      t: r.t,
      limit: r.limit,
    }));
  }

  clear(): void {
    this.reports.clear();
  }

  private stop(copy: FrameCopy, node: LoopNode, limit: 'hops' | 'copies'): void {
    const origin = copy.origin;
    origin.stopped = true;
    const cycle = traceCycle(copy, node);
    const flapped = flappedMacs(origin);
    this.report(origin, cycle, flapped, node.id, limit);
    const what =
      limit === 'hops' ? `passed ${this.hopLimit} hops` : `passed ${this.copyLimit} copies`;
    const round = cycle.length > 0 ? ` going round ${[...cycle, cycle[0]].join(' → ')}` : '';
    this.tracer.drop(
      copy,
      node.id,
      'loop-detected',
      'D4',
      () => `Copies of frame ${origin.id} ${what}${round}, so the simulator stopped them: a loop.`,
    );
    for (const [mac, record] of origin.flaps ?? []) {
      const text = macText(mac);
      this.tracer.warn(
        copy,
        record.device,
        'mac-flap',
        'D4',
        text,
        () =>
          `${text} kept moving between ports ${record.from} and ${record.to} of ${record.device}, a sign of frames going round a loop.`,
      );
    }
  }

  private report(
    origin: Origin,
    cycle: string[],
    flapped: string[],
    at: string,
    limit: 'hops' | 'copies',
  ): void {
    if (this.journal.active) this.rememberReports();
    const key = cycle.join('\u0000');
    const existing = this.reports.get(key);
    if (existing === undefined) {
      const t = this.engine.now;
      this.reports.set(key, { cycle, flappedMacs: flapped, origins: [origin.id], at, t, limit });
      return;
    }
    existing.origins.push(origin.id);
    for (const mac of flapped)
      if (!existing.flappedMacs.includes(mac)) existing.flappedMacs.push(mac);
  }

  /** Journal: the reports as they are, to be put back (storms during a check are rare). */
  private rememberReports(): void {
    const saved = [...this.reports].map(([key, r]): [string, MutableReport] => [
      key,
      { ...r, cycle: [...r.cycle], flappedMacs: [...r.flappedMacs], origins: [...r.origins] },
    ]);
    this.journal.record(() => {
      this.reports.clear();
      for (const [key, r] of saved) this.reports.set(key, r);
    });
  }

  private dropStopped(copy: FrameCopy, at: string): void {
    this.tracer.drop(
      copy,
      at,
      'loop-detected',
      'D4',
      () => `The simulator already stopped the copies of frame ${copy.origin.id} on a loop.`,
    );
  }
}

/**
 * The devices this copy's line entered, newest first, up to the first device seen twice: that
 * stretch is the cycle, returned oldest first and started at the device earliest in the lab.
 * With no repeat (a copy limit hit by fan-out), the whole path.
 */
export function traceCycle(copy: FrameCopy, node: LoopNode): string[] {
  const path: LoopNode[] = [node];
  const seen = new Map<LoopNode, number>([[node, 0]]);
  let cycle: LoopNode[] | null = null;
  for (let c: FrameCopy | null = copy; c !== null && cycle === null; c = c.parent) {
    const from = c.from;
    if (from === null) continue;
    const earlier = seen.get(from);
    if (earlier !== undefined) cycle = path.slice(earlier);
    else {
      seen.set(from, path.length);
      path.push(from);
    }
  }
  const nodes = (cycle ?? path).reverse();
  let start = 0;
  nodes.forEach((n, i) => {
    const best = nodes[start];
    if (best !== undefined && n.order < best.order) start = i;
  });
  return [...nodes.slice(start), ...nodes.slice(0, start)].map((n) => n.id);
}

function flappedMacs(origin: Origin): string[] {
  return [...(origin.flaps?.keys() ?? [])].map(macText);
}
