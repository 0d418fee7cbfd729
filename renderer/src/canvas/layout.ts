/**
 * Where each node goes, deterministically: the same lab always gives the same picture.
 * VMs (hypervisors as boxes holding their nested VMs above their switches) stand in one row,
 * ordered by the first network they use. Networks are bars spanning the VMs that attach to
 * them: the first below the row, the second above (so a bridge between two networks crosses
 * nothing), further ones alternating, a hypervisor's uplink network always below. Each
 * adapter's edge runs straight to its bar, so edge labels do not pile up. Positions saved
 * in the lab's `ui.positions` (by lab id) win.
 */
import type { Lab, Vm } from '../../../core/model/lab';
import { canvasId, isHypervisor, type Topology, type TopologyEdge } from './topology';

export interface Point {
  readonly x: number;
  readonly y: number;
}

export interface Layout {
  /** Centre of every leaf node, by canvas id (compound nodes follow their children). */
  readonly positions: ReadonlyMap<string, Point>;
  /** Width of each network's bar, by canvas id. */
  readonly networkWidths: ReadonlyMap<string, number>;
  /** Cytoscape endpoints (`12px -24px`, `-40px 50%`) by edge id, so edges drop straight. */
  readonly targetEndpoints: ReadonlyMap<string, string>;
  readonly sourceEndpoints: ReadonlyMap<string, string>;
}

/** Leaf node sizes; the adapter's stylesheet uses the same numbers. */
export const NODE_SIZE = {
  network: { width: 230, height: 48 },
  vm: { width: 176, height: 58 },
  bridge: { width: 176, height: 58 },
  switch: { width: 170, height: 46 },
} as const;

/** Space a hypervisor's box adds around its children (compound padding plus its label). */
export const COMPOUND_PADDING = 26;
const COMPOUND_LABEL = 26;
const GAP_X = 60;
const NESTED_ROW_GAP = 130;
const NETWORK_ROW_GAP = 190;
/** Between two rows of networks on one side, when their bars would overlap. */
const NETWORK_ROW_STEP = 110;
/** How far a network's bar reaches past its outermost attached edge. */
const NETWORK_OVERHANG = 70;
/** Space between two edges that leave one VM for networks: wide enough for their labels. */
const PARALLEL_EDGE_GAP = 150;

interface Block {
  readonly width: number;
  readonly height: number;
  /** Writes the positions of this block's leaves, the block's top-left corner at (x, y). */
  place(x: number, y: number, out: Map<string, Point>, anchors: Map<string, number>): void;
}

function leaf(id: string, size: { width: number; height: number }): Block {
  return {
    width: size.width,
    height: size.height,
    place(x, y, out, anchors) {
      out.set(id, { x: x + size.width / 2, y: y + size.height / 2 });
      anchors.set(id, x + size.width / 2);
    },
  };
}

function row(blocks: readonly Block[]): { width: number; height: number } {
  const width =
    blocks.reduce((sum, b) => sum + b.width, 0) + GAP_X * Math.max(0, blocks.length - 1);
  return { width, height: Math.max(0, ...blocks.map((b) => b.height)) };
}

function placeRow(
  blocks: readonly Block[],
  x: number,
  y: number,
  out: Map<string, Point>,
  anchors: Map<string, number>,
): void {
  let cursor = x;
  for (const block of blocks) {
    block.place(cursor, y, out, anchors);
    cursor += block.width + GAP_X;
  }
}

function blockOf(vm: Vm): Block {
  const id = canvasId('vm', vm.id);
  if (!isHypervisor(vm)) return leaf(id, vm.role === 'bridge' ? NODE_SIZE.bridge : NODE_SIZE.vm);
  const nested = vm.nested.map(blockOf);
  const switches = vm.switches.map((sw) => leaf(canvasId('switch', sw.id), NODE_SIZE.switch));
  const top = row(nested);
  const bottom = row(switches);
  const gap = nested.length > 0 && switches.length > 0 ? NESTED_ROW_GAP : 0;
  const inner = {
    width: Math.max(top.width, bottom.width),
    height: top.height + gap + bottom.height,
  };
  return {
    width: inner.width + 2 * COMPOUND_PADDING,
    height: inner.height + 2 * COMPOUND_PADDING + COMPOUND_LABEL,
    place(x, y, out, anchors) {
      const left = x + COMPOUND_PADDING;
      const innerTop = y + COMPOUND_LABEL + COMPOUND_PADDING;
      placeRow(nested, left + (inner.width - top.width) / 2, innerTop, out, anchors);
      const switchTop = innerTop + top.height + gap;
      placeRow(switches, left + (inner.width - bottom.width) / 2, switchTop, out, anchors);
      anchors.set(id, x + this.width / 2);
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

interface Bar {
  readonly id: string;
  readonly index: number;
  readonly side: Side;
  readonly width: number;
  readonly centre: number;
  readonly edges: readonly TopologyEdge[];
}

export function layoutTopology(lab: Lab, topology: Topology): Layout {
  const positions = new Map<string, Point>();
  const anchors = new Map<string, number>();
  const order = new Map(lab.networks.map((n, i) => [n.id, i] as const));
  const vms = lab.vms
    .map((vm, index) => ({ vm, index, rank: networkRank(vm, order) }))
    .sort((a, b) => a.rank - b.rank || a.index - b.index)
    .map(({ vm }) => vm);
  const blocks = vms.map(blockOf);
  const tallest = Math.max(0, ...blocks.map((b) => b.height));
  let cursor = 0;
  for (const block of blocks) {
    block.place(cursor, tallest - block.height, positions, anchors);
    cursor += block.width + GAP_X;
  }
  const sides = networkSides(lab, topology);
  const drops = edgeDrops(lab, topology, anchors, sides);
  const bars = networkBars(lab, topology, drops, sides);
  const rowTops = { below: tallest + NETWORK_ROW_GAP, above: -NETWORK_ROW_GAP };
  const targetEndpoints = placeBars(bars, drops, rowTops, positions);
  const sourceEndpoints = leaveSources(topology, drops, sides, positions);
  const networkWidths = new Map(bars.map((bar) => [bar.id, bar.width] as const));
  if (applySaved(lab, topology, positions)) {
    // Hand-placed nodes: straight drops no longer line up, so edges aim at centres.
    return { positions, networkWidths, targetEndpoints: new Map(), sourceEndpoints: new Map() };
  }
  return { positions, networkWidths, targetEndpoints, sourceEndpoints };
}

/** Which side of the VM row each network lies on, by canvas id. */
function networkSides(lab: Lab, topology: Topology): Map<string, Side> {
  const uplinked = new Set(topology.edges.filter((e) => e.kind === 'uplink').map((e) => e.target));
  return new Map(
    lab.networks.map((network, index) => {
      const id = canvasId('network', network.id);
      const side: Side = index % 2 === 1 && !uplinked.has(id) ? 'above' : 'below';
      return [id, side] as const;
    }),
  );
}

/**
 * The x where each edge to a network leaves its source. A source with several edges to
 * one side (a VM with two adapters on networks below) spreads them, in network order.
 */
function edgeDrops(
  lab: Lab,
  topology: Topology,
  anchors: ReadonlyMap<string, number>,
  sides: ReadonlyMap<string, Side>,
): Map<string, number> {
  const order = new Map(lab.networks.map((n, i) => [canvasId('network', n.id), i] as const));
  const groups = new Map<string, TopologyEdge[]>();
  for (const edge of topology.edges) {
    const side = sides.get(edge.target);
    if (!side) continue;
    const key = `${side} ${edge.source}`;
    groups.set(key, [...(groups.get(key) ?? []), edge]);
  }
  const drops = new Map<string, number>();
  for (const edges of groups.values()) {
    const x = anchors.get(edges[0]?.source ?? '');
    if (x === undefined) continue;
    edges.sort((a, b) => (order.get(a.target) ?? 0) - (order.get(b.target) ?? 0));
    edges.forEach((edge, i) => {
      drops.set(edge.id, x + (i - (edges.length - 1) / 2) * PARALLEL_EDGE_GAP);
    });
  }
  return drops;
}

function networkBars(
  lab: Lab,
  topology: Topology,
  drops: ReadonlyMap<string, number>,
  sides: ReadonlyMap<string, Side>,
): Bar[] {
  return lab.networks.map((network, index) => {
    const id = canvasId('network', network.id);
    const edges = topology.edges.filter((e) => e.target === id && drops.has(e.id));
    const xs = edges.map((e) => drops.get(e.id) ?? 0);
    const span = xs.length > 0 ? { min: Math.min(...xs), max: Math.max(...xs) } : undefined;
    const width = Math.max(
      NODE_SIZE.network.width,
      span ? span.max - span.min + 2 * NETWORK_OVERHANG : 0,
    );
    const centre = span ? (span.min + span.max) / 2 : Infinity;
    return { id, index, side: sides.get(id) ?? 'below', width, centre, edges };
  });
}

/**
 * Puts each bar in the first row of its side where it overlaps no other bar; returns where
 * each edge meets its bar (relative to the bar's centre).
 */
function placeBars(
  bars: readonly Bar[],
  drops: ReadonlyMap<string, number>,
  rowTops: Readonly<Record<Side, number>>,
  out: Map<string, Point>,
): Map<string, string> {
  const endpoints = new Map<string, string>();
  const rows: Record<Side, number[]> = { below: [], above: [] };
  const height = NODE_SIZE.network.height;
  const sorted = [...bars].sort((a, b) => a.centre - b.centre || a.index - b.index);
  for (const bar of sorted) {
    const rightEdges = rows[bar.side];
    const lastRight = Math.max(-Infinity, ...rightEdges);
    const x = Number.isFinite(bar.centre)
      ? bar.centre
      : (Number.isFinite(lastRight) ? lastRight + GAP_X : 0) + bar.width / 2;
    let row = rightEdges.findIndex((right) => x - bar.width / 2 >= right + GAP_X);
    if (row === -1) row = rightEdges.push(-Infinity) - 1;
    rightEdges[row] = x + bar.width / 2;
    const distance = row * NETWORK_ROW_STEP;
    const y =
      bar.side === 'below'
        ? rowTops.below + distance + height / 2
        : rowTops.above - distance - height / 2;
    out.set(bar.id, { x, y });
    const reach = bar.width / 2 - 16;
    const edgeY = bar.side === 'below' ? -height / 2 : height / 2;
    for (const edge of bar.edges) {
      const dx = Math.min(reach, Math.max(-reach, (drops.get(edge.id) ?? x) - x));
      endpoints.set(edge.id, `${dx}px ${edgeY}px`);
    }
  }
  return endpoints;
}

/** Edges that leave a leaf node off its centre start on its bottom (or top) edge, straight over their drop. */
function leaveSources(
  topology: Topology,
  drops: ReadonlyMap<string, number>,
  sides: ReadonlyMap<string, Side>,
  positions: ReadonlyMap<string, Point>,
): Map<string, string> {
  const endpoints = new Map<string, string>();
  const kinds = new Map(topology.nodes.map((n) => [n.id, n.kind] as const));
  for (const edge of topology.edges) {
    const drop = drops.get(edge.id);
    const source = positions.get(edge.source);
    const kind = kinds.get(edge.source);
    if (drop === undefined || !source || Math.abs(drop - source.x) < 1) continue;
    if (kind === undefined || kind === 'hypervisor' || kind === 'network') continue;
    const reach = NODE_SIZE[kind].width / 2 - 14;
    const dx = Math.min(reach, Math.max(-reach, drop - source.x));
    endpoints.set(edge.id, `${dx}px ${sides.get(edge.target) === 'above' ? '-50%' : '50%'}`);
  }
  return endpoints;
}

/** `ui: { positions: { esxi-vsw0: { x, y } } }`, checked here because `ui` is free-form. */
function applySaved(lab: Lab, topology: Topology, out: Map<string, Point>): boolean {
  const saved = savedPositions(lab.ui);
  let applied = false;
  for (const node of topology.nodes) {
    const point = saved.get(node.ref);
    if (point && out.has(node.id)) {
      out.set(node.id, point);
      applied = true;
    }
  }
  return applied;
}

function savedPositions(ui: unknown): Map<string, Point> {
  const result = new Map<string, Point>();
  if (typeof ui !== 'object' || ui === null) return result;
  const positions = (ui as { positions?: unknown }).positions;
  if (typeof positions !== 'object' || positions === null) return result;
  for (const [ref, value] of Object.entries(positions)) {
    const { x, y } = (value ?? {}) as { x?: unknown; y?: unknown };
    if (
      typeof x === 'number' &&
      typeof y === 'number' &&
      Number.isFinite(x) &&
      Number.isFinite(y)
    ) {
      result.set(ref, { x, y });
    }
  }
  return result;
}
