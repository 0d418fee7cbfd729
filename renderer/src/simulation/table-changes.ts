/**
 * What the animation has taught the tables by a moment: when each device first learned
 * each MAC in the latest run (an entry shows from then), and which MACs moved or flapped
 * (highlighted). Keys are `device|mac`; a MAC that flapped in a loop is `*|mac`.
 */
import type { Timeline } from './timeline';

export function learnedMoments(timeline: Timeline): ReadonlyMap<string, number> {
  const out = new Map<string, number>();
  const lastRun = timeline.runs - 1;
  for (const row of timeline.rows) {
    if (row.run !== lastRun || row.event.type !== 'learn' || !row.event.src) continue;
    const key = `${row.event.at}|${row.event.src}`;
    if (!out.has(key)) out.set(key, row.at);
  }
  return out;
}

export function movedMacs(
  timeline: Timeline,
  cursor: number,
  flapped: readonly string[],
): ReadonlySet<string> {
  const out = new Set<string>();
  const upTo = timeline.rowsUpTo(cursor);
  for (let i = 0; i < upTo; i += 1) {
    const e = timeline.rows[i]?.event;
    if (!e?.src) continue;
    if (e.type === 'mac-move' || (e.type === 'warn' && e.reason === 'mac-flap'))
      out.add(`${e.at}|${e.src}`);
  }
  for (const mac of flapped) out.add(`*|${mac}`);
  return out;
}
