/**
 * Room for a new node, as pure functions of boxes: `freeSpot` finds the free place nearest
 * to a point, never on top of another node; `freeChildSpot` does so inside a hypervisor
 * without growing its box over a neighbour. Deterministic: candidates are tried in a fixed
 * order, so the same drawing gives the same place.
 */
import type { Point } from '../state/editor-ui';
import { COMPOUND_PADDING, type Size } from './node-sizes';

export interface Box {
  readonly x1: number;
  readonly y1: number;
  readonly x2: number;
  readonly y2: number;
}

export function overlaps(a: Box, b: Box): boolean {
  return a.x1 < b.x2 && b.x1 < a.x2 && a.y1 < b.y2 && b.y1 < a.y2;
}

function expand(box: Box, by: number): Box {
  return { x1: box.x1 - by, y1: box.y1 - by, x2: box.x2 + by, y2: box.y2 + by };
}

function union(a: Box, b: Box): Box {
  return {
    x1: Math.min(a.x1, b.x1),
    y1: Math.min(a.y1, b.y1),
    x2: Math.max(a.x2, b.x2),
    y2: Math.max(a.y2, b.y2),
  };
}

/** Room kept free around a new node. */
const SPOT_MARGIN = 24;
/** How many grid steps out from the wished-for point a new node may land. */
const SPOT_REACH = 8;
const STEP_GAP_X = 60;
const STEP_GAP_Y = 60;

/**
 * Candidates on a grid of node-sized steps around `near`, closest first (above or below
 * before far to the side), and the first whose box `fits`; undefined when none does.
 */
function nearestSpot(near: Point, size: Size, fits: (box: Box) => boolean): Point | undefined {
  const stepX = size.width + STEP_GAP_X;
  const stepY = size.height + STEP_GAP_Y;
  const candidates: { x: number; y: number; distance: number }[] = [];
  for (let row = -SPOT_REACH; row <= SPOT_REACH; row += 1)
    for (let col = -SPOT_REACH; col <= SPOT_REACH; col += 1) {
      const dx = col * stepX;
      const dy = row * stepY;
      candidates.push({ x: near.x + dx, y: near.y + dy, distance: Math.hypot(dx, dy) });
    }
  candidates.sort((a, b) => a.distance - b.distance);
  const found = candidates.find(({ x, y }) =>
    fits({
      x1: x - size.width / 2,
      y1: y - size.height / 2,
      x2: x + size.width / 2,
      y2: y + size.height / 2,
    }),
  );
  return found ? { x: found.x, y: found.y } : undefined;
}

/**
 * The free place nearest to `near` where a node of `size` overlaps none of `boxes` (with a
 * margin), so a node dropped on another lands just beside it. Never on top of anything:
 * when the whole neighbourhood is taken, it goes right of everything, level with `near`.
 */
export function freeSpot(near: Point, size: Size, boxes: readonly Box[]): Point {
  const free = (box: Box): boolean => !boxes.some((b) => overlaps(b, expand(box, SPOT_MARGIN)));
  const spot = nearestSpot(near, size, free);
  if (spot) return spot;
  const right = Math.max(...boxes.map((b) => b.x2));
  return { x: right + SPOT_MARGIN + size.width / 2, y: near.y };
}

/** A hypervisor a new node goes into, and what stands beside it (outside it, not holding it). */
export interface Enclosure {
  readonly box: Box;
  readonly beside: readonly Box[];
}

/**
 * The free place nearest to `near` for a node going inside hypervisors (`enclosures`, the
 * innermost first): it overlaps none of `boxes` (everything but those hypervisors), and no
 * hypervisor's box, grown to hold it (its padding, once per level), reaches something beside
 * it that it did not reach already: a child added to the right of its row never pushes its
 * hypervisor over the neighbour there. When no place is that free, the nearest that at
 * least overlaps nothing; failing that, `near`.
 */
export function freeChildSpot(
  near: Point,
  size: Size,
  boxes: readonly Box[],
  enclosures: readonly Enclosure[],
): Point {
  const free = (box: Box): boolean => !boxes.some((b) => overlaps(b, expand(box, SPOT_MARGIN)));
  const contained = (box: Box): boolean =>
    enclosures.every((enclosure, depth) => {
      const grown = union(enclosure.box, expand(box, COMPOUND_PADDING * (depth + 1)));
      const before = expand(enclosure.box, SPOT_MARGIN);
      const after = expand(grown, SPOT_MARGIN);
      return !enclosure.beside.some((b) => overlaps(b, after) && !overlaps(b, before));
    });
  return (
    nearestSpot(near, size, (box) => free(box) && contained(box)) ??
    nearestSpot(near, size, free) ??
    near
  );
}
