/**
 * The deterministic drawing of a lab: where `layoutTopology` puts every node of a lab that
 * has no saved positions, and where "Tidy up" puts them back. A pure function of the lab
 * (no cytoscape, no randomness), so the same lab always gives the same picture:
 *
 * - Networks that VMs join together (an inline bridge, a VM with adapters on both) form a
 *   cluster, drawn as a stack of horizontal bars, each bar next to the one it shares most
 *   VMs with.
 * - Around the bars stand rows of what attaches to them, so every link meets its bar
 *   straight and crosses nothing: a VM on one network hangs above or below its bar
 *   (whichever keeps the cluster closest to the shape of the editor's canvas), a VM on two
 *   (an inline bridge) stands between their bars, a hypervisor is a box holding its nested
 *   VMs above the nested switch each plugs into, standing above the network its uplinks
 *   reach. Too many VMs on one side of a bar for one row wrap into a staircase of rows whose
 *   links pass between the nearer rows' VMs (layout-blocks.ts).
 * - External hosts (beyond the gateways, so linked to nothing) come first, then each
 *   cluster, then VMs on no network: blocks laid in rows that wrap at the width that makes
 *   the whole drawing closest to the canvas's shape, so a 1,000-node lab is a grid of
 *   networks, not one row a hundred thousand pixels wide.
 *
 * No two nodes overlap and every label has room: leaves are placed at their stylesheet
 * sizes (node-sizes.ts) with gaps that hold the links' labels, and a hypervisor's box is
 * wide enough for its title. It takes linear time (a 1,000-node lab in about ten
 * milliseconds), so it serves labs of every size; new nodes are placed by free-spot.ts, and
 * nothing already drawn moves.
 *
 * Written here rather than taken from a library: fcose (force-directed, which the editor
 * used before) places nodes by their links alone, so a network is a node among its VMs, not
 * a bar; its picture changes with its random seed, it overlaps nodes on large labs and it
 * took two seconds on 1,000 nodes. Layered layouts (dagre, ELK's layered) also draw a
 * network as one node with its VMs fanned around it and route links around boxes. None
 * knows that links must meet a bar straight, that a hypervisor's switches sit under its
 * nested VMs, or where a link's label needs room; here that is a few hundred lines of rows
 * and stacks.
 */
import type { Lab, Vm } from '../../../core/model/lab';
import type { Point } from '../state/editor-ui';
import {
  GAP_X,
  leaf,
  row,
  staircase,
  vmBlock,
  WRAP_WIDTH,
  wrapped,
  type Align,
  type Block,
  type Placement,
} from './layout-blocks';
import { barMinWidth, COMPOUND_PADDING, LINK_GAP, NODE_SIZE, type Size } from './node-sizes';
import { canvasId, isHypervisor, type Topology } from './topology';

export type { Point, Size };
export { COMPOUND_PADDING, NODE_SIZE };

/** Between two bars with nothing standing between them. */
const BAR_GAP = 56;
/** Between the blocks (clusters, host rows) of the drawing, across and down. */
const BLOCK_GAP = 160;
/** The editor's canvas at 1280×800, less the fit's padding: the shape the drawing aims for. */
const REFERENCE: Size = { width: 584, height: 606 };

/** A top-level VM (with all it holds) and the networks its links reach. */
interface Member {
  readonly index: number;
  readonly block: Block;
  /** The canvas id of a VM with one link, drawn as a plain box, which rows can wrap. */
  readonly leaf?: string;
  /** Canvas ids of the networks its links (its own and those of what it holds) reach. */
  readonly networks: readonly string[];
  /** Networks reached from inside its box (switch uplinks): their bars must be below it. */
  readonly fromInside: ReadonlySet<string>;
}

function membersOf(lab: Lab, topology: Topology): Member[] {
  const labels = new Map(topology.nodes.map((n) => [n.id, n.label]));
  const topOf = new Map<string, string>();
  const visit = (vm: Vm, top: string): void => {
    topOf.set(canvasId('vm', vm.id), top);
    for (const child of vm.nested) visit(child, top);
  };
  for (const vm of lab.vms) visit(vm, canvasId('vm', vm.id));
  const reach = new Map<string, { networks: string[]; inside: Set<string>; links: number }>();
  for (const edge of topology.edges) {
    if (!edge.target.startsWith('network:')) continue;
    const top = topOf.get(edge.owner);
    if (top === undefined) continue;
    const entry = reach.get(top) ?? { networks: [], inside: new Set<string>(), links: 0 };
    reach.set(top, entry);
    entry.links += 1;
    if (!entry.networks.includes(edge.target)) entry.networks.push(edge.target);
    if (edge.source !== top) entry.inside.add(edge.target);
  }
  return lab.vms.map((vm, index) => {
    const entry = reach.get(canvasId('vm', vm.id));
    const plain = !isHypervisor(vm) && entry?.links === 1;
    return {
      index,
      block: vmBlock(vm, labels),
      ...(plain ? { leaf: canvasId('vm', vm.id) } : {}),
      networks: entry?.networks ?? [],
      fromInside: entry?.inside ?? new Set<string>(),
    };
  });
}

interface Cluster {
  /** Its networks, in file order. */
  readonly networks: readonly string[];
  readonly members: readonly Member[];
}

/** Networks joined by a VM on several of them, with the VMs on them; file order throughout. */
function clustersOf(networkIds: readonly string[], members: readonly Member[]): Cluster[] {
  const parent = new Map(networkIds.map((id) => [id, id]));
  const root = (id: string): string => {
    let r = id;
    while (parent.get(r) !== r) r = parent.get(r) ?? r;
    parent.set(id, r);
    return r;
  };
  for (const m of members)
    for (const other of m.networks.slice(1)) {
      const [a, b] = [root(m.networks[0] as string), root(other)];
      if (a !== b) parent.set(b, a);
    }
  const clusters = new Map<string, { networks: string[]; members: Member[] }>();
  for (const id of networkIds) {
    const key = root(id);
    const cluster = clusters.get(key) ?? { networks: [], members: [] };
    clusters.set(key, cluster);
    cluster.networks.push(id);
  }
  for (const m of members) {
    const first = m.networks[0];
    if (first !== undefined) clusters.get(root(first))?.members.push(m);
  }
  return [...clusters.values()];
}

/**
 * The order of a cluster's bars, top to bottom: from its first network, each next bar is the
 * one sharing most VMs with the last (then with any placed one), ties in file order.
 */
function stackOrder(cluster: Cluster): string[] {
  const shared = new Map<string, number>();
  const key = (a: string, b: string): string => (a < b ? `${a}\n${b}` : `${b}\n${a}`);
  for (const m of cluster.members)
    m.networks.forEach((a, i) =>
      m.networks
        .slice(i + 1)
        .forEach((b) => shared.set(key(a, b), (shared.get(key(a, b)) ?? 0) + 1)),
    );
  const [first, ...rest] = cluster.networks;
  if (first === undefined) return [];
  const order = [first];
  const left = [...rest];
  while (left.length > 0) {
    const last = order[order.length - 1] as string;
    const score = (n: string): [number, number] => [
      shared.get(key(last, n)) ?? 0,
      Math.max(0, ...order.map((o) => shared.get(key(o, n)) ?? 0)),
    ];
    let best = 0;
    left.forEach((n, i) => {
      const [a, b] = score(n);
      const [bestA, bestB] = score(left[best] as string);
      if (a > bestA || (a === bestA && b > bestB)) best = i;
    });
    order.push(...left.splice(best, 1));
  }
  return order;
}

/** What stands in one zone of a cluster: between two bars, or above the first or below the last. */
interface Zone {
  readonly members: Member[];
  width: number;
  height: number;
}

function addTo(zone: Zone, m: Member): void {
  zone.width += (zone.members.length > 0 ? GAP_X : 0) + m.block.width;
  zone.height = Math.max(zone.height, m.block.height);
  zone.members.push(m);
}

/**
 * A cluster's height from its zones' heights (0 for an empty zone): each with room for its
 * links' labels, and its bars.
 */
function stackHeight(heights: readonly number[]): number {
  const bars = heights.length - 1;
  let height = bars * NODE_SIZE.network.height;
  heights.forEach((zone, z) => {
    const inside = z > 0 && z < bars;
    if (zone > 0) height += zone + LINK_GAP * ((z > 0 ? 1 : 0) + (z < bars ? 1 : 0));
    else if (inside) height += BAR_GAP;
  });
  return height;
}

/**
 * Puts each member in a zone. Zone z is above bar z (zone `bars` below the last). A box whose
 * uplinks reach a bar stands above it; a VM on several networks between the first two of
 * its bars; a VM on one network above or below it, whichever keeps the cluster's shape
 * closest to the canvas's (above when even).
 */
function zonesOf(cluster: Cluster, stack: readonly string[]): Zone[] {
  const at = new Map(stack.map((id, i) => [id, i]));
  const zones: Zone[] = Array.from({ length: stack.length + 1 }, () => ({
    members: [],
    width: 0,
    height: 0,
  }));
  const fit = (): number =>
    Math.max(
      Math.max(NODE_SIZE.network.width, ...zones.map((z) => z.width)) / REFERENCE.width,
      stackHeight(zones.map((z) => z.height)) / REFERENCE.height,
    );
  const flexible: Member[] = [];
  for (const m of cluster.members) {
    const bars = m.networks.map((n) => at.get(n) ?? 0);
    const inside = [...m.fromInside].map((n) => at.get(n) ?? 0);
    if (inside.length > 0) addTo(zones[Math.min(...inside)] as Zone, m);
    else if (bars.length > 1) addTo(zones[Math.min(...bars) + 1] as Zone, m);
    else flexible.push(m);
  }
  for (const m of flexible) {
    const bar = at.get(m.networks[0] as string) ?? 0;
    const [above, below] = [zones[bar] as Zone, zones[bar + 1] as Zone];
    const score = (zone: Zone): number => {
      const saved = { width: zone.width, height: zone.height };
      addTo(zone, m);
      const result = fit();
      zone.members.pop();
      Object.assign(zone, saved);
      return result;
    };
    addTo(score(below) < score(above) ? below : above, m);
  }
  return zones;
}

/**
 * A zone's row: what links up only, then what links both ways, then what links down only,
 * mirrored in every other zone, so what meets one bar from above and from below stands on
 * the same side and the bar stays short. Each stands next to the bars it reaches.
 */
function zoneRow(zone: Zone, z: number, at: ReadonlyMap<string, number>): Block {
  const side = (m: Member): number => {
    const bars = m.networks.map((n) => at.get(n) ?? 0);
    const up = bars.some((b) => b < z);
    const down = bars.some((b) => b >= z);
    return up && down ? 1 : up ? 0 : 2;
  };
  const ordered = [...zone.members].sort(
    (a, b) => (z % 2 === 0 ? side(a) - side(b) : side(b) - side(a)) || a.index - b.index,
  );
  const align: Record<number, Align> = { 0: 'top', 1: 'middle', 2: 'bottom' };
  const sides = new Set(ordered.map(side));
  const only = sides.size === 1 ? [...sides][0] : undefined;
  const leaves = ordered.filter((m) => m.leaf !== undefined);
  // VMs on one bar only, too many for a row: they wrap into a staircase beside the boxes.
  if ((only === 0 || only === 2) && zone.width > WRAP_WIDTH && leaves.length > 2) {
    const boxes = ordered.filter((m) => m.leaf === undefined);
    const stairs = staircase(
      leaves.map((m) => m.leaf as string),
      only === 2 ? 'below' : 'above',
    );
    const toBar: Align = only === 2 ? 'bottom' : 'top';
    return row([
      ...boxes.map((m) => ({ block: m.block, align: toBar })),
      { block: stairs, align: toBar },
    ]);
  }
  return row(ordered.map((m) => ({ block: m.block, align: align[side(m)] ?? 'middle' })));
}

/**
 * A cluster as a block: its zones' rows centred on one axis, its bars between them, each
 * under the middle of what attaches to it (kept inside the block at its label's width).
 */
function clusterBlock(
  cluster: Cluster,
  sourcesOf: ReadonlyMap<string, string[]>,
  labels: ReadonlyMap<string, string>,
): Block {
  const stack = stackOrder(cluster);
  const at = new Map(stack.map((id, i) => [id, i]));
  const zones = zonesOf(cluster, stack);
  const rows = zones.map((zone, z) => (zone.members.length > 0 ? zoneRow(zone, z, at) : null));
  const barWidths = stack.map((id) => barMinWidth(labels.get(id) ?? id));
  const width = Math.max(...barWidths, ...rows.map((r) => r?.width ?? 0));
  return {
    width,
    height: stackHeight(rows.map((r) => r?.height ?? 0)),
    place(x, y, out) {
      let cursor = y;
      const barYs: number[] = [];
      rows.forEach((r, z) => {
        if (r) {
          if (z > 0) cursor += LINK_GAP;
          r.place(x + (width - r.width) / 2, cursor, out);
          cursor += r.height;
          if (z < stack.length) cursor += LINK_GAP;
        } else if (z > 0 && z < stack.length) cursor += BAR_GAP;
        if (z < stack.length) {
          barYs.push(cursor + NODE_SIZE.network.height / 2);
          cursor += NODE_SIZE.network.height;
        }
      });
      stack.forEach((id, i) => {
        const xs = (sourcesOf.get(id) ?? [])
          .map((source) => (out.leaves.get(source) ?? out.compounds.get(source))?.x)
          .filter((sx): sx is number => sx !== undefined);
        const centre = xs.length > 0 ? (Math.min(...xs) + Math.max(...xs)) / 2 : x + width / 2;
        const half = (barWidths[i] ?? 0) / 2;
        out.leaves.set(id, {
          x: Math.min(x + width - half, Math.max(x + half, centre)),
          y: barYs[i] ?? y,
        });
      });
    },
  };
}

/** How far the drawing must shrink to fit the reference canvas: the smaller the better. */
function fitScale(block: Block): number {
  return Math.max(block.width / REFERENCE.width, block.height / REFERENCE.height);
}

/**
 * The drawing's blocks in rows that wrap: of the widths at which a row ends, the one that
 * fits the reference canvas best (rows of whole blocks, so only as many widths as blocks).
 */
function sheet(blocks: readonly Block[]): Block {
  const widest = Math.max(0, ...blocks.map((b) => b.width));
  let best = wrapped(blocks, widest, BLOCK_GAP, BLOCK_GAP);
  let width = widest;
  for (const block of blocks) {
    width += BLOCK_GAP + block.width;
    const candidate = wrapped(blocks, width, BLOCK_GAP, BLOCK_GAP);
    if (fitScale(candidate) < fitScale(best)) best = candidate;
  }
  return best;
}

/** Centres of every leaf node, by canvas id (compound nodes follow their children). */
export function layoutTopology(lab: Lab, topology: Topology): Map<string, Point> {
  const members = membersOf(lab, topology);
  const sourcesOf = new Map<string, string[]>();
  for (const edge of topology.edges) {
    const sources = sourcesOf.get(edge.target) ?? [];
    sources.push(edge.source);
    sourcesOf.set(edge.target, sources);
  }
  const networkIds = lab.networks.map((n) => canvasId('network', n.id));
  const labels = new Map(topology.nodes.map((n) => [n.id, n.label]));
  const clusters = clustersOf(networkIds, members).map((c) => clusterBlock(c, sourcesOf, labels));
  const widest = Math.max(REFERENCE.width, ...clusters.map((c) => c.width));
  const hosts = lab.external.map((h) => leaf(canvasId('external', h.id), NODE_SIZE.external));
  const loose = members.filter((m) => m.networks.length === 0).map((m) => m.block);
  const blocks = [
    ...(hosts.length > 0 ? [wrapped(hosts, widest, GAP_X, LINK_GAP)] : []),
    ...clusters,
    ...(loose.length > 0 ? [wrapped(loose, widest, GAP_X, LINK_GAP)] : []),
  ];
  const out: Placement = { leaves: new Map(), compounds: new Map() };
  sheet(blocks).place(0, 0, out);
  return out.leaves;
}
