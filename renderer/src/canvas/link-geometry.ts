/**
 * Keeps links readable wherever nodes stand, as a pure function of positions: each network
 * bar spans the nodes attached to it, each link meets its bar straight (vertically) where it
 * can, several links leaving one node for one side are spread apart so their labels do not
 * pile up, and links into one nested switch meet its edge spread out in the order their VMs
 * stand, so they do not converge on one point with their labels on top of each other.
 *
 * A VM whose straight way down (or up) to its bar is blocked by another node (rows of VMs
 * on one network wrap, layout.ts) takes a lane near one end of its box that passes between
 * the nodes in the way, and its link's label moves from the middle of the link to just
 * outside the VM, clear of the nodes it passes.
 */
import type { Point } from '../state/editor-ui';
import type { Box } from './free-spot';
import { COMPOUND_PADDING, LINK_LABEL_HEIGHT, NODE_SIZE } from './node-sizes';
import type { NodeKind } from './topology';

/** How far a network's bar reaches past its outermost attached link. */
const NETWORK_OVERHANG = 70;
/** The widest a bar gets, however far a node attached to it is dragged. */
const NETWORK_MAX_WIDTH = 12_000;
/** Space between two links that leave one node for one side: wide enough for their labels. */
const PARALLEL_EDGE_GAP = 150;
/** How far from its centre a link may meet a nested switch (the flat edge of its hexagon). */
const SWITCH_REACH = NODE_SIZE.switch.width / 4 - 6;
/** Room a lane keeps from the boxes it passes. */
const LANE_MARGIN = 4;
/** Between a VM and the label of a link that takes a lane. */
const LABEL_GAP = 10;

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
  /** How far (px, down positive) each lane's label moves from its link's middle, by edge id. */
  readonly labelShifts: Map<string, number>;
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
  /** Every node's box (drawnBoxes), so a blocked link finds a lane; without, links go straight. */
  readonly boxes?: ReadonlyMap<string, Box>;
  /** The hypervisors holding a node, whose boxes its links may cross. */
  holders?(id: string): readonly string[];
}

function clamp(value: number, reach: number): number {
  return Math.min(reach, Math.max(-reach, value));
}

/** Links to networks, grouped by the node they leave and the side of it they leave by. */
function linksBySide(input: GeometryInput): Link[][] {
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
  return [...groups.values()];
}

/** Boxes by vertical strips of the drawing, to find what a vertical line would cross. */
class Strips {
  private static readonly WIDTH = 256;
  private readonly strips = new Map<number, { id: string; box: Box }[]>();

  constructor(boxes: ReadonlyMap<string, Box>) {
    for (const [id, box] of boxes) {
      const last = Math.floor(box.x2 / Strips.WIDTH);
      for (let s = Math.floor(box.x1 / Strips.WIDTH); s <= last; s += 1) {
        const strip = this.strips.get(s);
        if (strip) strip.push({ id, box });
        else this.strips.set(s, [{ id, box }]);
      }
    }
  }

  /** Whether the vertical line at x between y1 and y2 crosses a box other than `skip`'s. */
  crosses(x: number, y1: number, y2: number, skip: ReadonlySet<string>): boolean {
    const [top, bottom] = y1 < y2 ? [y1, y2] : [y2, y1];
    return (this.strips.get(Math.floor(x / Strips.WIDTH)) ?? []).some(
      ({ id, box }) =>
        !skip.has(id) &&
        x > box.x1 - LANE_MARGIN &&
        x < box.x2 + LANE_MARGIN &&
        box.y1 < bottom &&
        box.y2 > top,
    );
  }
}

export function linkGeometry(input: GeometryInput): LinkGeometry {
  const sourceEndpoints = new Map<string, string>();
  const targetEndpoints = new Map<string, string>();
  const labelShifts = new Map<string, number>();
  const reachOf = new Map<string, number>();
  const raw = new Map<string, { target: string; dx: number; dy: number }>();
  const half = NODE_SIZE.network.height / 2;
  const strips = input.boxes ? new Strips(input.boxes) : undefined;
  for (const links of linksBySide(input)) {
    links.sort((a, b) => input.networkOrder(a.target) - input.networkOrder(b.target));
    links.forEach((link, i) => {
      const s = input.position(link.source) as Point;
      const t = input.position(link.target) as Point;
      const below = t.y >= s.y;
      const sourceKind = input.kind(link.source);
      const leafSource = sourceKind !== undefined && !input.isCompound(link.source);
      const leafReach = leafSource ? NODE_SIZE[sourceKind].width / 2 - 14 : 0;
      let offset = clamp((i - (links.length - 1) / 2) * PARALLEL_EDGE_GAP, leafReach);
      if (strips && leafSource && links.length === 1) {
        const sign = below ? 1 : -1;
        const from = s.y + (sign * NODE_SIZE[sourceKind].height) / 2;
        const to = t.y - sign * half;
        const skip = new Set([link.source, link.target, ...(input.holders?.(link.source) ?? [])]);
        const free = (dx: number): boolean => !strips.crosses(s.x + dx, from, to, skip);
        const lane = free(offset)
          ? undefined
          : [leafReach, -leafReach, leafReach / 2, -leafReach / 2].find(free);
        if (lane !== undefined) {
          offset = lane;
          const label = from + sign * (LINK_LABEL_HEIGHT / 2 + LABEL_GAP);
          labelShifts.set(link.id, label - (from + to) / 2);
        }
      }
      const box = outermost(input, link.source);
      if (box && !labelShifts.has(link.id)) {
        // A link out of a hypervisor's box (an uplink): its label in the middle of the part
        // outside the box, not on the box's edge.
        const from = s.y + ((below ? 1 : -1) * NODE_SIZE[sourceKind ?? 'switch'].height) / 2;
        const to = t.y + (below ? -half : half);
        const exit = below ? box.y2 : box.y1;
        if ((exit - from) * (to - exit) > 0) labelShifts.set(link.id, (exit - from) / 2);
      }
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
  spreadIntoSwitches(input, targetEndpoints);
  return { widths, sourceEndpoints, targetEndpoints, labelShifts };
}

/** The box of the outermost hypervisor holding a node, when the boxes are known. */
function outermost(input: GeometryInput, id: string): Box | undefined {
  const holders = input.holders?.(id) ?? [];
  const last = holders[holders.length - 1];
  return last === undefined ? undefined : input.boxes?.get(last);
}

/** Links into each nested switch meet its flat top (or bottom) edge evenly spread, left to right. */
function spreadIntoSwitches(input: GeometryInput, targetEndpoints: Map<string, string>): void {
  const into = new Map<string, { link: Link; x: number; below: boolean }[]>();
  for (const link of input.links) {
    if (input.kind(link.target) !== 'switch') continue;
    const s = input.position(link.source);
    const t = input.position(link.target);
    if (!s || !t) continue;
    const below = t.y >= s.y;
    const key = `${below ? 'top' : 'bottom'} ${link.target}`;
    const side = into.get(key) ?? [];
    side.push({ link, x: s.x - t.x, below });
    into.set(key, side);
  }
  const half = NODE_SIZE.switch.height / 2;
  for (const side of into.values()) {
    side.sort((a, b) => a.x - b.x || (a.link.id < b.link.id ? -1 : 1));
    side.forEach(({ link, x, below }, i) => {
      const dx =
        side.length === 1
          ? clamp(x, SWITCH_REACH)
          : -SWITCH_REACH + (2 * SWITCH_REACH * i) / (side.length - 1);
      targetEndpoints.set(link.id, `${dx}px ${below ? -half : half}px`);
    });
  }
}

/** A node as `drawnBoxes` needs it. */
export interface BoxedNode {
  readonly id: string;
  readonly kind: NodeKind;
  /** The hypervisor holding it. */
  readonly parent?: string;
}

/**
 * Every node's box as the stylesheet draws it, from the leaves' centres: a leaf at its
 * kind's size (a bar at `barWidth`), a hypervisor around what it holds, padded (at its
 * childless size when it holds nothing), so the geometry can see what stands where without
 * asking cytoscape (whose compound boxes lag behind while it batches changes).
 */
export function drawnBoxes(
  nodes: readonly BoxedNode[],
  position: (id: string) => Point | undefined,
  barWidth: (id: string) => number,
): Map<string, Box> {
  const boxes = new Map<string, Box>();
  const held = new Map<string, string[]>();
  for (const node of nodes)
    if (node.parent !== undefined)
      held.set(node.parent, [...(held.get(node.parent) ?? []), node.id]);
  const byId = new Map(nodes.map((n) => [n.id, n]));
  const boxOf = (id: string): Box | undefined => {
    const known = boxes.get(id);
    if (known) return known;
    const node = byId.get(id);
    if (!node) return undefined;
    const inside = (held.get(id) ?? []).map(boxOf).filter((b): b is Box => b !== undefined);
    let box: Box | undefined;
    if (inside.length > 0)
      box = {
        x1: Math.min(...inside.map((b) => b.x1)) - COMPOUND_PADDING,
        y1: Math.min(...inside.map((b) => b.y1)) - COMPOUND_PADDING,
        x2: Math.max(...inside.map((b) => b.x2)) + COMPOUND_PADDING,
        y2: Math.max(...inside.map((b) => b.y2)) + COMPOUND_PADDING,
      };
    else {
      const p = position(id);
      const { height } = NODE_SIZE[node.kind];
      const width = node.kind === 'network' ? barWidth(id) : NODE_SIZE[node.kind].width;
      if (p)
        box = {
          x1: p.x - width / 2,
          y1: p.y - height / 2,
          x2: p.x + width / 2,
          y2: p.y + height / 2,
        };
    }
    if (box) boxes.set(id, box);
    return box;
  };
  for (const node of nodes) boxOf(node.id);
  return boxes;
}
