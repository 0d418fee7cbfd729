/**
 * What the animation needs from a traffic run: every frame copy its events name (with parent
 * and bytes) and one move per hop of each copy, computed from the trace and the copies'
 * lineage alone. Pure. Guarantees: a move joins two places the copy (or, for its first move,
 * its parent) was at, in event order; moves are ordered by `t0`, then by the order their
 * arrival events happened; the same steps and lineage give the same result.
 */
import { toHex } from '../common/encoding';
import type { StepReport } from '../lab/run';
import type { FrameLineage, TraceEvent } from '../sim';
import type { FrameCopyInfo, FrameMove } from './contract';

/** Events that say something about a copy where it already is, without moving it. */
const IN_PLACE: ReadonlySet<TraceEvent['type']> = new Set(['capture', 'learn', 'mac-move', 'warn']);

/**
 * D6: a host gives up on a resolution at its own adapter, seconds after the request left; the
 * request did not travel back there.
 */
function movesFrame(event: TraceEvent): boolean {
  return !IN_PLACE.has(event.type) && event.reason !== 'arp-timeout';
}

interface Place {
  readonly at: string;
  /** When the copy was last seen there (it leaves at that time). */
  readonly t: number;
}

type StepEvents = Pick<StepReport, 'events'>;

/**
 * One move per hop: a copy's places in event order, consecutive events at one place
 * collapsed; a copy with a parent starts where its nearest recorded ancestor was last before
 * the copy's first event (the switch, bridge or router that made it).
 */
export function frameMoves(
  steps: readonly StepEvents[],
  parentOf: (frame: number) => number | null | undefined,
): FrameMove[] {
  const last = new Map<number, Place>();
  const moves: FrameMove[] = [];
  steps.forEach(({ events }, step) => {
    events.forEach((event, index) => {
      if (!movesFrame(event)) return;
      const { frame, origin, proto, at, t } = event;
      const here = last.get(frame) ?? startOf(frame, last, parentOf);
      if (here !== undefined && here.at !== at) {
        moves.push({
          step,
          frame,
          origin,
          proto,
          from: here.at,
          to: at,
          t0: here.t,
          t1: t,
          event: index,
        });
      }
      last.set(frame, { at, t });
    });
  });
  // Array.prototype.sort is stable: equal t0 keeps the order the arrivals happened in.
  return moves.sort((a, b) => a.t0 - b.t0);
}

function startOf(
  frame: number,
  last: ReadonlyMap<number, Place>,
  parentOf: (frame: number) => number | null | undefined,
): Place | undefined {
  const seen = new Set<number>([frame]);
  for (let id = parentOf(frame); id !== null && id !== undefined; id = parentOf(id)) {
    if (seen.has(id)) return undefined; // a malformed lineage must not hang the caller
    seen.add(id);
    const place = last.get(id);
    if (place !== undefined) return place;
  }
  return undefined;
}

export interface FrameTable {
  readonly frames: FrameCopyInfo[];
  readonly packets: string[];
}

/**
 * Every copy the events name, in the order first named, with its packet's index; packets are
 * the distinct byte strings by identity (copies of one frame share one). A copy missing from
 * the lineage (recorded before it was last taken) is left out rather than given bytes it may
 * not have had.
 */
export function frameTable(
  steps: readonly StepEvents[],
  lineage: ReadonlyMap<number, FrameLineage>,
): FrameTable {
  const frames: FrameCopyInfo[] = [];
  const packets: string[] = [];
  const packetIndex = new Map<FrameLineage['packet'], number>();
  const named = new Set<number>();
  for (const { events } of steps) {
    for (const { frame, origin } of events) {
      if (named.has(frame)) continue;
      named.add(frame);
      const entry = lineage.get(frame);
      if (entry === undefined) continue;
      let packet = packetIndex.get(entry.packet);
      if (packet === undefined) {
        packet = packets.length;
        packets.push(toHex(entry.packet.bytes));
        packetIndex.set(entry.packet, packet);
      }
      frames.push(
        entry.parent === null
          ? { frame, origin, packet }
          : { frame, origin, parent: entry.parent, packet },
      );
    }
  }
  return { frames, packets };
}

/** The frames, packets and moves of a run, from its steps and its simulator's lineage. */
export function trafficFrames(
  steps: readonly StepEvents[],
  lineage: ReadonlyMap<number, FrameLineage>,
): FrameTable & { readonly moves: FrameMove[] } {
  const { frames, packets } = frameTable(steps, lineage);
  const moves = frameMoves(steps, (frame) => lineage.get(frame)?.parent);
  return { frames, packets, moves };
}

/** Every frame id the steps' events name. */
export function framesNamed(steps: readonly StepEvents[]): Set<number> {
  const out = new Set<number>();
  for (const { events } of steps) for (const { frame } of events) out.add(frame);
  return out;
}
