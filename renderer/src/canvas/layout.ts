/**
 * Geometry of the drawing, as pure functions of plain data (no cytoscape):
 *
 * - `layoutTopology` places a lab that has no saved positions, deterministically: the same
 *   lab always gives the same picture. VMs (hypervisors as boxes holding their nested VMs
 *   above their switches) stand in one row, ordered by the first network they use; networks
 *   are bars below and above the row (a bridge between two networks crosses nothing, a
 *   hypervisor's uplink network is always below).
 * - `linkGeometry` keeps links readable wherever nodes stand: each network bar spans the
 *   nodes attached to it, each link meets its bar straight (vertically) where it can, and
 *   several links leaving one node for one side are spread apart so labels do not pile up.
 * - `freeSpot` finds room for a new node near a point, never on top of another node;
 *   `freeChildSpot` does so inside a hypervisor without growing its box over a neighbour.
 */
import type { Lab, Vm } from '../../../core/model/lab';
import type { Point } from '../state/editor-ui';
import { canvasId, isHypervisor, type NodeKind, type Topology } from './topology';

export type { Point };

export interface Size {
  readonly width: number;
  readonly height: number;
}

export interface Box {
  readonly x1: number;
  readonly y1: number;
  readonly x2: number;
  readonly y2: number;
}

/** Leaf node sizes; the canvas stylesheet uses the same numbers. */
export const NODE_SIZE: Readonly<Record<NodeKind, Size>> = {
  network: { width: 230, height: 48 },
  vm: { width: 184, height: 58 },
  bridge: { width: 184, height: 58 },
  switch: { width: 176, height: 48 },
  external: { width: 184, height: 58 },
  /** A hypervisor with nothing inside yet; with children its box wraps them. */
  hypervisor: { width: 240, height: 84 },
};

/** Space a hypervisor's box adds around its children (compound padding plus its label). */
export const COMPOUND_PADDING = 34;
const COMPOUND_LABEL = 18;
const GAP_X = 60;
const NESTED_ROW_GAP = 130;
const NETWORK_ROW_GAP = 190;
/** Between two rows of networks on one side, when their bars would overlap. */
const NETWORK_ROW_STEP = 110;
/** How far a network's bar reaches past its outermost attached link. */
const NETWORK_OVERHANG = 70;
const NETWORK_MAX_WIDTH = 4000;
/** Space between two links that leave one node for one side: wide enough for their labels. */
const PARALLEL_EDGE_GAP = 150;

interface Block {
  readonly width: number;
  readonly height: number;
  /** Writes the positions of this block's leaves, the block's top-left corner at (x, y). */
  place(x: number, y: number, out: Map<string, Point>): void;
}

function leaf(id: string, size: Size): Block {
  return {
    width: size.width,
    height: size.height,
    place(x, y, out) {
      out.set(id, { x: x + size.width / 2, y: y + size.height / 2 });
    },
  };
}

function rowSize(blocks: readonly Block[]): Size {
  const width =
    blocks.reduce((sum, b) => sum + b.width, 0) + GAP_X * Math.max(0, blocks.length - 1);
  return { width, height: Math.max(0, ...blocks.map((b) => b.height)) };
}

function placeRow(blocks: readonly Block[], x: number, y: number, out: Map<string, Point>): void {
  let cursor = x;
  for (const block of blocks) {
    block.place(cursor, y, out);
    cursor += block.width + GAP_X;
  }
}

function blockOf(vm: Vm): Block {
  const id = canvasId('vm', vm.id);
  if (vm.nested.length === 0 && vm.switches.length === 0) {
    const kind: NodeKind = isHypervisor(vm) ? 'hypervisor' : vm.role === 'bridge' ? 'bridge' : 'vm';
    return leaf(id, NODE_SIZE[kind]);
  }
  const nested = vm.nested.map(blockOf);
  const switches = vm.switches.map((sw) => leaf(canvasId('switch', sw.id), NODE_SIZE.switch));
  const top = rowSize(nested);
  const bottom = rowSize(switches);
  const gap = nested.length > 0 && switches.length > 0 ? NESTED_ROW_GAP : 0;
  const inner = {
    width: Math.max(top.width, bottom.width),
    height: top.height + gap + bottom.height,
  };
  return {
    width: inner.width + 2 * COMPOUND_PADDING,
    height: inner.height + 2 * COMPOUND_PADDING + COMPOUND_LABEL,
    place(x, y, out) {
      const left = x + COMPOUND_PADDING;
      const innerTop = y + COMPOUND_LABEL + COMPOUND_PADDING;
      placeRow(nested, left + (inner.width - top.width) / 2, innerTop, out);
      const switchTop = innerTop + top.height + gap;
      placeRow(switches, left + (inner.width - bottom.width) / 2, switchTop, out);
    },
  };
}

/** The first network (in file order) any of the VM's own adapters attaches to. */
function networkRank(vm: Vm, order: ReadonlyMap<string, number>): number {
  const ranks = vm.adapters.map((a) =>
    a.network === undefined ? Infinity : (order.get(a.network) ?? Infinity),
  );
  return Math.min(Infinity, ...ranks);
}

type Side = 'below' | 'above';

/** Centres of every leaf node, by canvas id (compound nodes follow their children). */
export function layoutTopology(lab: Lab, topology: Topology): Map<string, Point> {
  const positions = new Map<string, Point>();
  const order = new Map(lab.networks.map((n, i) => [n.id, i] as const));
  const vms = lab.vms
    .map((vm, index) => ({ vm, index, rank: networkRank(vm, order) }))
    .sort((a, b) => a.rank - b.rank || a.index - b.index)
    .map(({ vm }) => vm);
  const blocks = [
    ...vms.map(blockOf),
    ...lab.external.map((h) => leaf(canvasId('external', h.id), NODE_SIZE.external)),
  ];
  const tallest = Math.max(0, ...blocks.map((b) => b.height));
  let cursor = 0;
  for (const block of blocks) {
    block.place(cursor, tallest - block.height, positions);
    cursor += block.width + GAP_X;
  }
  placeNetworks(lab, topology, positions, tallest);
  return positions;
}

/**
 * Each network's bar sits under (or over) the middle of what attaches to it, in the first
 * row of its side where it overlaps no other bar.
 */
function placeNetworks(
  lab: Lab,
  topology: Topology,
  positions: Map<string, Point>,
  rowHeight: number,
): void {
  const uplinked = new Set(topology.edges.filter((e) => e.kind === 'uplink').map((e) => e.target));
  const xsOf = new Map<string, number[]>();
  for (const edge of topology.edges) {
    const source = positions.get(edge.source) ?? positions.get(edge.owner);
    if (!source) continue;
    const xs = xsOf.get(edge.target) ?? [];
    xs.push(source.x);
    xsOf.set(edge.target, xs);
  }
  const rows: Record<Side, number[]> = { below: [], above: [] };
  const bars = lab.networks.map((network, index) => {
    const id = canvasId('network', network.id);
    const side: Side = index % 2 === 1 && !uplinked.has(id) ? 'above' : 'below';
    const xs = xsOf.get(id) ?? [];
    const span = xs.length > 0 ? { min: Math.min(...xs), max: Math.max(...xs) } : undefined;
    const width = Math.max(
      NODE_SIZE.network.width,
      span ? span.max - span.min + 2 * NETWORK_OVERHANG : 0,
    );
    return { id, index, side, width, centre: span ? (span.min + span.max) / 2 : Infinity };
  });
  bars.sort((a, b) => a.centre - b.centre || a.index - b.index);
  const height = NODE_SIZE.network.height;
  for (const bar of bars) {
    const rights = rows[bar.side];
    const lastRight = Math.max(-Infinity, ...rights);
    const x = Number.isFinite(bar.centre)
      ? bar.centre
      : (Number.isFinite(lastRight) ? lastRight + GAP_X : 0) + bar.width / 2;
    let row = rights.findIndex((right) => x - bar.width / 2 >= right + GAP_X);
    if (row === -1) row = rights.push(-Infinity) - 1;
    rights[row] = x + bar.width / 2;
    const distance = row * NETWORK_ROW_STEP;
    const y =
      bar.side === 'below'
        ? rowHeight + NETWORK_ROW_GAP + distance + height / 2
        : -NETWORK_ROW_GAP - distance - height / 2;
    positions.set(bar.id, { x, y });
  }
}

/** A link as the geometry needs it. */
export interface Link {
  readonly id: string;
  readonly source: string;
  readonly target: string;
}

export interface LinkGeometry {
  /** Width of each network's bar, by canvas id. */
  readonly widths: Map<string, number>;
  /** Cytoscape endpoints (`12px -24px`, `-40px 50%`) by edge id. */
  readonly sourceEndpoints: Map<string, string>;
  readonly targetEndpoints: Map<string, string>;
}

export interface GeometryInput {
  readonly links: readonly Link[];
  /** Centre of any node, compound nodes included. */
  position(id: string): Point | undefined;
  /** The kind of a node, to know networks and leaf sizes. */
  kind(id: string): NodeKind | undefined;
  /** Whether the node is a compound node (a hypervisor holding something). */
  isCompound(id: string): boolean;
  /** A network's order in the lab file, so spread links keep the file's order. */
  networkOrder(id: string): number;
}

function clamp(value: number, reach: number): number {
  return Math.min(reach, Math.max(-reach, value));
}

export function linkGeometry(input: GeometryInput): LinkGeometry {
  const groups = new Map<string, Link[]>();
  for (const link of input.links) {
    if (input.kind(link.target) !== 'network') continue;
    const s = input.position(link.source);
    const t = input.position(link.target);
    if (!s || !t) continue;
    const key = `${t.y >= s.y ? 'below' : 'above'} ${link.source}`;
    const group = groups.get(key);
    if (group) group.push(link);
    else groups.set(key, [link]);
  }
  const sourceEndpoints = new Map<string, string>();
  const targetEndpoints = new Map<string, string>();
  const reachOf = new Map<string, number>();
  const raw = new Map<string, { target: string; dx: number; dy: number }>();
  const half = NODE_SIZE.network.height / 2;
  for (const links of groups.values()) {
    links.sort((a, b) => input.networkOrder(a.target) - input.networkOrder(b.target));
    links.forEach((link, i) => {
      const s = input.position(link.source) as Point;
      const t = input.position(link.target) as Point;
      const below = t.y >= s.y;
      const sourceKind = input.kind(link.source);
      const leafSource = sourceKind !== undefined && !input.isCompound(link.source);
      const leafReach = leafSource ? NODE_SIZE[sourceKind].width / 2 - 14 : 0;
      const offset = clamp((i - (links.length - 1) / 2) * PARALLEL_EDGE_GAP, leafReach);
      if (offset !== 0) sourceEndpoints.set(link.id, `${offset}px ${below ? '50%' : '-50%'}`);
      const dx = s.x + offset - t.x;
      reachOf.set(link.target, Math.max(reachOf.get(link.target) ?? 0, Math.abs(dx)));
      raw.set(link.id, { target: link.target, dx, dy: below ? -half : half });
    });
  }
  const widths = new Map<string, number>();
  for (const [id, reach] of reachOf) {
    const width = Math.min(
      NETWORK_MAX_WIDTH,
      Math.max(NODE_SIZE.network.width, 2 * (reach + NETWORK_OVERHANG)),
    );
    widths.set(id, width);
  }
  for (const [id, { target, dx, dy }] of raw) {
    const width = widths.get(target) ?? NODE_SIZE.network.width;
    targetEndpoints.set(id, `${clamp(dx, width / 2 - 16)}px ${dy}px`);
  }
  return { widths, sourceEndpoints, targetEndpoints };
}

function overlaps(a: Box, b: Box): boolean {
  return a.x1 < b.x2 && b.x1 < a.x2 && a.y1 < b.y2 && b.y1 < a.y2;
}

function expand(box: Box, by: number, top = by): Box {
  return { x1: box.x1 - by, y1: box.y1 - top, x2: box.x2 + by, y2: box.y2 + by };
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

/**
 * Candidates on a grid of node-sized steps around `near`, closest first (above or below
 * before far to the side), and the first whose box `fits`; undefined when none does.
 */
function nearestSpot(near: Point, size: Size, fits: (box: Box) => boolean): Point | undefined {
  const stepX = size.width + GAP_X;
  const stepY = size.height + 60;
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
 * hypervisor's box, grown to hold it (its padding and label, once per level), reaches
 * something beside it that it did not reach already: a child added to the right of its
 * row never pushes its hypervisor over the neighbour there. When no place is that free, the
 * nearest that at least overlaps nothing; failing that, `near`.
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
      const levels = depth + 1;
      const grown = union(
        enclosure.box,
        expand(box, COMPOUND_PADDING * levels, (COMPOUND_PADDING + COMPOUND_LABEL) * levels),
      );
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
