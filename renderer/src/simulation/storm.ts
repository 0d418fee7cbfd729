/**
 * A storm's shape for the loop chart: for each simulated instant while the copies of the
 * stormed frames ran, how many copies left a device then (one hop's worth of copies) and
 * how many MAC moves or flaps the tables saw.
 */
import type { Timeline } from './timeline';

export interface StormPoint {
  /** Simulated microseconds. */
  readonly t: number;
  readonly copies: number;
  readonly flaps: number;
}

export function stormSeries(timeline: Timeline, origins: ReadonlySet<number>): StormPoint[] {
  const byTime = new Map<number, { copies: number; flaps: number }>();
  const at = (t: number) => {
    let point = byTime.get(t);
    if (!point) {
      point = { copies: 0, flaps: 0 };
      byTime.set(t, point);
    }
    return point;
  };
  for (const move of timeline.moves) if (origins.has(move.origin)) at(move.t0).copies += 1;
  for (const row of timeline.rows) {
    const e = row.event;
    if (!origins.has(e.origin)) continue;
    if (e.type === 'mac-move' || (e.type === 'warn' && e.reason === 'mac-flap')) at(e.t).flaps += 1;
  }
  return [...byTime.entries()]
    .sort(([a], [b]) => a - b)
    .map(([t, p]) => ({ t, copies: p.copies, flaps: p.flaps }));
}
