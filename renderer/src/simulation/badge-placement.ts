/**
 * Where each node's badge goes on the drawing: at a corner of its node, just outside its
 * box, never over a label (a node's or a link's) nor over another badge, and inside the
 * view when its node is. Spots are tried nearest first (the corners, the sides, along a long
 * edge, then the same a ring further out). Where the whole badge finds no free spot near its
 * node (a crowded lab seen from afar), it shrinks to a dot that does, as labels give way to
 * structure when zoomed out; a spot over another node is taken only when none is free.
 * Deterministic: the same boxes and badges give the same spots, and badges are placed in
 * the order asked (worst first), so drops get the spots nearest their nodes.
 */
import type { Box, DrawnObstacles } from './places';

export interface BadgeRequest {
  readonly node: string;
  /** The node's box, without its label. */
  readonly box: Box;
  readonly width: number;
  readonly height: number;
}

/** Where a badge goes, and whether it is shrunk to a dot there. */
export interface BadgeSpot {
  readonly box: Box;
  readonly compact: boolean;
}

/** The size of a badge shrunk to a dot. */
export const DOT_SIZE = 12;
/** Spots this many rings out or nearer count as "near its node". */
const NEAR_RINGS = 1;

export interface ViewSize {
  readonly width: number;
  readonly height: number;
}

/** How far a badge reaches over its node's corner, and the room kept between badges. */
const CORNER_OVERLAP = 4;
const GAP = 3;
/** How many rings of spots are tried around a node before taking the least bad one. */
const RINGS = 6;

/** Boxes bucketed in a grid, so a spot is checked against its neighbours only. */
class BoxGrid {
  private static readonly CELL = 64;
  private readonly cells = new Map<number, number[]>();
  private readonly boxes: Box[] = [];
  /** Which query last saw each box: a box in several cells counts once. */
  private readonly seen: number[] = [];
  private query = 0;

  add(box: Box): void {
    const index = this.boxes.length;
    this.boxes.push(box);
    this.seen.push(0);
    BoxGrid.each(box, (key) => {
      const cell = this.cells.get(key);
      if (cell) cell.push(index);
      else this.cells.set(key, [index]);
    });
  }

  /** The area of `box` covered by the boxes here (but `skip`); `firstOnly` stops at one. */
  overlap(box: Box, skip?: Box, firstOnly = false): number {
    this.query += 1;
    let area = 0;
    BoxGrid.each(box, (key) => {
      if (firstOnly && area > 0) return;
      for (const index of this.cells.get(key) ?? []) {
        if (this.seen[index] === this.query) continue;
        this.seen[index] = this.query;
        const other = this.boxes[index];
        if (other && other !== skip) area += overlapArea(box, other);
      }
    });
    return area;
  }

  private static each(box: Box, visit: (key: number) => void): void {
    const c = BoxGrid.CELL;
    // Keys for cells within ±2^20 cells of the origin: far beyond any drawing.
    for (let x = Math.floor(box.x1 / c); x <= Math.floor(box.x2 / c); x += 1)
      for (let y = Math.floor(box.y1 / c); y <= Math.floor(box.y2 / c); y += 1)
        visit((x + 0x100000) * 0x200000 + (y + 0x100000));
  }
}

export function overlapArea(a: Box, b: Box): number {
  const w = Math.min(a.x2, b.x2) - Math.max(a.x1, b.x1);
  const h = Math.min(a.y2, b.y2) - Math.max(a.y1, b.y1);
  return w > 0 && h > 0 ? w * h : 0;
}

function finite(box: Box): boolean {
  return [box.x1, box.y1, box.x2, box.y2].every(Number.isFinite) && box.x2 > box.x1;
}

/** Top-left corners to try for a badge of `w`×`h` at node box `b`, nearest first. */
function* spots(
  b: Box,
  w: number,
  h: number,
  rings: { from: number; to: number },
): Generator<{ x: number; y: number }> {
  const c = Math.min(CORNER_OVERLAP, h / 3);
  const midY = (b.y1 + b.y2) / 2 - h / 2;
  const midX = (b.x1 + b.x2) / 2 - w / 2;
  for (let ring = rings.from; ring <= rings.to; ring += 1) {
    const d = ring * (h + GAP);
    yield { x: b.x2 - c + d, y: b.y1 - h + c - d }; // top right
    yield { x: b.x1 + c - w - d, y: b.y1 - h + c - d }; // top left
    yield { x: b.x2 - c + d, y: b.y2 - c + d }; // bottom right
    yield { x: b.x1 + c - w - d, y: b.y2 - c + d }; // bottom left
    yield { x: b.x2 + GAP + d, y: midY }; // right
    yield { x: b.x1 - GAP - w - d, y: midY }; // left
    yield { x: midX, y: b.y1 - GAP - h - d }; // above
    yield { x: midX, y: b.y2 + GAP + d }; // below
    // Along a long edge (a network's bar, a hypervisor's box): above and below it.
    const room = b.x2 - b.x1 - w;
    for (let k = 1; room > 0 && k < 4; k += 1) {
      yield { x: b.x2 - w - (room * k) / 4, y: b.y1 - GAP - h - d };
      yield { x: b.x2 - w - (room * k) / 4, y: b.y2 + GAP + d };
    }
  }
}

/**
 * A spot for each badge (its box, in the view's pixels, and whether it is a dot there).
 * `requests` come in the order they are to be placed.
 */
export function placeBadges(
  requests: readonly BadgeRequest[],
  obstacles: DrawnObstacles,
  view: ViewSize,
): Map<string, BadgeSpot> {
  const labels = new BoxGrid();
  for (const label of obstacles.labels) if (finite(label)) labels.add(label);
  const nodes = new BoxGrid();
  const nodeBoxes = new Map<string, Box>();
  for (const node of obstacles.nodes) {
    if (node.compound || !finite(node.box)) continue;
    nodes.add(node.box);
    nodeBoxes.set(node.id, node.box);
  }
  const badges = new BoxGrid();
  const out = new Map<string, BadgeSpot>();
  for (const request of requests) {
    const spot = bestSpot(
      request,
      { labels, nodes, badges, own: nodeBoxes.get(request.node) },
      view,
    );
    const { box } = spot;
    badges.add({ x1: box.x1 - GAP, y1: box.y1 - GAP, x2: box.x2 + GAP, y2: box.y2 + GAP });
    out.set(request.node, spot);
  }
  return out;
}

interface Taken {
  readonly labels: BoxGrid;
  readonly nodes: BoxGrid;
  readonly badges: BoxGrid;
  readonly own: Box | undefined;
}

/** The sizes and rings tried, in order of preference: whole and near, a dot, whole and far. */
function* tries(
  request: BadgeRequest,
): Generator<{ x: number; y: number; w: number; h: number; compact: boolean }> {
  const { box: b, width, height } = request;
  const near = { from: 0, to: NEAR_RINGS };
  const far = { from: NEAR_RINGS + 1, to: RINGS };
  // A dot beside its node reads better than the whole badge far from it (and a line).
  const sizes = [
    { w: width, h: height, compact: false, rings: near },
    { w: DOT_SIZE, h: DOT_SIZE, compact: true, rings: { from: 0, to: RINGS } },
    { w: width, h: height, compact: false, rings: far },
  ];
  for (const { w, h, compact, rings } of sizes)
    for (const { x, y } of spots(b, w, h, rings)) yield { x, y, w, h, compact };
}

/**
 * The first spot free of labels, badges and other nodes; else the free-of-labels-and-badges
 * spot covering the least of other nodes; else the one covering the least of anything.
 */
function bestSpot(request: BadgeRequest, taken: Taken, view: ViewSize): BadgeSpot {
  const { box: b } = request;
  const cx = (b.x1 + b.x2) / 2;
  const cy = (b.y1 + b.y2) / 2;
  // A node panned out of view keeps its badge beside it (out of view too).
  const keepInView = cx >= 0 && cy >= 0 && cx <= view.width && cy <= view.height;
  let onNode: { spot: BadgeSpot; cost: number } | null = null;
  let covering: { spot: BadgeSpot; cost: number } | null = null;
  let first: BadgeSpot | null = null;
  for (const { x, y, w, h, compact } of tries(request)) {
    const box = {
      x1: Math.round(x),
      y1: Math.round(y),
      x2: Math.round(x) + w,
      y2: Math.round(y) + h,
    };
    const spot = { box, compact };
    first ??= spot;
    if (keepInView && (box.x1 < 0 || box.y1 < 0 || box.x2 > view.width || box.y2 > view.height))
      continue;
    const hits =
      taken.labels.overlap(box, undefined, true) > 0 ||
      taken.badges.overlap(box, undefined, true) > 0;
    if (!hits) {
      const cost = taken.nodes.overlap(box, taken.own);
      if (cost === 0) return spot;
      if (!onNode || cost < onNode.cost) onNode = { spot, cost };
    } else if (!onNode) {
      // Covering a label or a badge: only when nothing better turns up.
      const cost = taken.labels.overlap(box) + taken.badges.overlap(box);
      if (!covering || cost < covering.cost) covering = { spot, cost };
    }
  }
  return onNode?.spot ?? covering?.spot ?? first ?? { box: b, compact: true };
}
