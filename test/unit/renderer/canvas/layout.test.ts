/**
 * The lab's own drawing (renderer/src/canvas/layout.ts), measured as the canvas draws it:
 * leaves at their stylesheet sizes, hypervisors' boxes around what they hold, bars as wide
 * as the link geometry makes them, links and their labels where the link geometry puts them.
 * The same lab gives the same drawing; no two nodes overlap on the built-in labs or on
 * generated labs of 10, 300 and 1,000 nodes; networks are bars with their VMs above and
 * below, inline bridges between the two they join, hypervisors above their uplink's network,
 * external hosts on top; large labs wrap into rows of networks, and the VMs of one large
 * network into rows whose links pass between the nearer rows' VMs.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { generateLab } from '../../../../bench/topology';
import { parseLab } from '../../../../core/lab/parse';
import type { Lab } from '../../../../core/model/lab';
import { layoutTopology, type Point } from '../../../../renderer/src/canvas/layout';
import { linkGeometry, type LinkGeometry } from '../../../../renderer/src/canvas/link-geometry';
import {
  barMinWidth,
  COMPOUND_PADDING,
  LINK_LABEL_HEIGHT,
  NODE_SIZE,
  titleWidth,
} from '../../../../renderer/src/canvas/node-sizes';
import { topologyOf, type TopologyNode } from '../../../../renderer/src/canvas/topology';

interface Box {
  x1: number;
  y1: number;
  x2: number;
  y2: number;
}

function meet(a: Box, b: Box): boolean {
  return a.x1 < b.x2 && b.x1 < a.x2 && a.y1 < b.y2 && b.y1 < a.y2;
}

function builtIn(file: string): Lab {
  const parsed = parseLab(
    readFileSync(new URL(`../../../../labs/${file}`, import.meta.url), 'utf8'),
  );
  if (!parsed.ok) throw new Error(parsed.violations[0]?.message);
  return parsed.lab;
}

const BUILT_IN = readdirSync(new URL('../../../../labs/', import.meta.url))
  .filter((f) => f.endsWith('.lab.yaml'))
  .sort();

/** The smallest generated lab (bench/topology.ts) with at least `nodes` nodes. */
function generated(nodes: number): Lab {
  for (let vms = Math.floor(nodes / 2.5); ; vms += 1) {
    const { lab } = generateLab(vms);
    if (topologyOf(lab).nodes.length >= nodes) return lab;
  }
}

/** One network with `count` VMs on it, one adapter each: a class where every student has a VM. */
function oneNetwork(count: number): Lab {
  const template = builtIn('e3-no-sniffing.lab.yaml').vms[0] as Lab['vms'][number];
  const hex = (n: number): string => n.toString(16).padStart(2, '0');
  const vms = Array.from({ length: count }, (_, i) => ({
    ...template,
    id: `pc${i}`,
    adapters: [
      {
        id: `pc${i}-nic0`,
        network: 'lan',
        mac: `02:00:00:00:${hex(i >> 8)}:${hex(i & 255)}`,
        ip: `10.0.${i >> 8}.${(i & 255) + 1}/16`,
        promiscuous: false,
      },
    ],
  }));
  return { ...generateLab(0).lab, networks: [{ id: 'lan', subnet: '10.0.0.0/16' }], vms };
}

interface Drawing {
  readonly boxes: Map<string, Box>;
  readonly nodes: TopologyNode[];
  readonly at: Map<string, Point>;
  readonly geometry: LinkGeometry;
}

/** Every node's box as the canvas draws it, from the layout's positions, and its links. */
function drawing(lab: Lab): Drawing {
  const topology = topologyOf(lab);
  const at = layoutTopology(lab, topology);
  const nodes = [...topology.nodes];
  const byId = new Map(nodes.map((n) => [n.id, n]));
  const children = new Map<string, string[]>();
  for (const n of nodes)
    if (n.parent !== undefined) children.set(n.parent, [...(children.get(n.parent) ?? []), n.id]);
  const boxes = new Map<string, Box>();
  const boxOf = (id: string): Box => {
    const known = boxes.get(id);
    if (known) return known;
    const node = byId.get(id) as TopologyNode;
    const inside = children.get(id) ?? [];
    let box: Box;
    if (inside.length > 0) {
      // cytoscape's compound box: its children, padded, at least as wide as its title.
      const held = inside.map(boxOf);
      const x1 = Math.min(...held.map((b) => b.x1));
      const x2 = Math.max(...held.map((b) => b.x2));
      const grow = Math.max(0, titleWidth(node.label) - 2 * COMPOUND_PADDING - (x2 - x1)) / 2;
      box = {
        x1: x1 - COMPOUND_PADDING - grow,
        x2: x2 + COMPOUND_PADDING + grow,
        y1: Math.min(...held.map((b) => b.y1)) - COMPOUND_PADDING,
        y2: Math.max(...held.map((b) => b.y2)) + COMPOUND_PADDING,
      };
    } else {
      const p = at.get(id);
      if (!p) throw new Error(`${id} has no position`);
      const { width, height } = NODE_SIZE[node.kind];
      box = {
        x1: p.x - width / 2,
        x2: p.x + width / 2,
        y1: p.y - height / 2,
        y2: p.y + height / 2,
      };
    }
    boxes.set(id, box);
    return box;
  };
  nodes.filter((n) => n.kind !== 'network').forEach((n) => boxOf(n.id));
  const holders = (id: string): string[] => {
    const parent = byId.get(id)?.parent;
    return parent === undefined ? [] : [parent, ...holders(parent)];
  };
  const input = {
    links: topology.edges,
    position: (id: string): Point | undefined => {
      const b = boxes.get(id);
      return b ? { x: (b.x1 + b.x2) / 2, y: (b.y1 + b.y2) / 2 } : at.get(id);
    },
    kind: (id: string) => byId.get(id)?.kind,
    isCompound: (id: string) => (children.get(id)?.length ?? 0) > 0,
    networkOrder: (id: string) => lab.networks.findIndex((n) => `network:${n.id}` === id),
    holders,
  };
  // Bars as wide as their links ask (and their labels), then the links with every box known.
  const widths = linkGeometry(input).widths;
  for (const n of nodes.filter((node) => node.kind === 'network')) {
    const p = at.get(n.id);
    if (!p) throw new Error(`${n.id} has no position`);
    const width = Math.max(widths.get(n.id) ?? 0, barMinWidth(n.label));
    const half = NODE_SIZE.network.height / 2;
    boxes.set(n.id, { x1: p.x - width / 2, x2: p.x + width / 2, y1: p.y - half, y2: p.y + half });
  }
  return { boxes, nodes, at, geometry: linkGeometry({ ...input, boxes }) };
}

/** Pairs of nodes whose boxes overlap, neither holding the other. */
function overlapping({ boxes, nodes }: Drawing): string[] {
  const parentOf = new Map(nodes.map((n) => [n.id, n.parent]));
  const holds = (a: string, b: string): boolean => {
    for (let p = parentOf.get(b); p !== undefined; p = parentOf.get(p)) if (p === a) return true;
    return false;
  };
  const sorted = [...boxes.entries()].sort(([, a], [, b]) => a.x1 - b.x1);
  const found: string[] = [];
  sorted.forEach(([a, p], i) => {
    for (let j = i + 1; j < sorted.length && (sorted[j] as [string, Box])[1].x1 < p.x2; j += 1) {
      const [b, q] = sorted[j] as [string, Box];
      if (holds(a, b) || holds(b, a)) continue;
      if (meet(p, q)) found.push(`${a} × ${b}`);
    }
  });
  return found;
}

/** Where each link to a network runs (its two ends) and where its label stands. */
function networkLinks(lab: Lab, d: Drawing): { id: string; a: Point; b: Point; label: Box }[] {
  // As cytoscape draws them: at an explicit endpoint, else where the link leaves the box.
  const endpoint = (value: string | undefined, box: Box, towards: number): Point => {
    const centre = { x: (box.x1 + box.x2) / 2, y: (box.y1 + box.y2) / 2 };
    if (!value) return { x: centre.x, y: towards > centre.y ? box.y2 : box.y1 };
    const [dx = 0, dy = 0] = value
      .split(' ')
      .map((part) =>
        part.endsWith('%')
          ? (Number.parseFloat(part) / 100) * (box.y2 - box.y1)
          : Number.parseFloat(part),
      );
    return { x: centre.x + dx, y: centre.y + dy };
  };
  return topologyOf(lab)
    .edges.filter((edge) => edge.target.startsWith('network:'))
    .map((edge) => {
      const source = d.boxes.get(edge.source) as Box;
      const target = d.boxes.get(edge.target) as Box;
      const b = endpoint(d.geometry.targetEndpoints.get(edge.id), target, source.y1);
      const a = endpoint(d.geometry.sourceEndpoints.get(edge.id), source, b.y);

      const x = (a.x + b.x) / 2;
      const y = (a.y + b.y) / 2 + (d.geometry.labelShifts.get(edge.id) ?? 0);
      // An adapter's widest line (its MAC, or "○ not promiscuous") is under 112 px.
      const label = {
        x1: x - 56,
        x2: x + 56,
        y1: y - LINK_LABEL_HEIGHT / 2,
        y2: y + LINK_LABEL_HEIGHT / 2,
      };
      return { id: edge.id, a, b, label };
    });
}

describe('the lab drawn by its own layout', () => {
  it('is the same drawing every time for the same lab', () => {
    for (const file of BUILT_IN) {
      const lab = builtIn(file);
      const first = layoutTopology(lab, topologyOf(lab));
      const again = layoutTopology(structuredClone(lab), topologyOf(structuredClone(lab)));
      expect([...again.entries()]).toEqual([...first.entries()]);
    }
    const big = generated(1_000);
    expect([...layoutTopology(big, topologyOf(big))]).toEqual([
      ...layoutTopology(big, topologyOf(big)),
    ]);
  });

  it('places every node and overlaps none, on the built-in labs', () => {
    for (const file of BUILT_IN) {
      const d = drawing(builtIn(file));
      expect(d.boxes.size, file).toBe(d.nodes.length);
      expect(overlapping(d), file).toEqual([]);
    }
  });

  it.each([10, 300, 1_000])('overlaps no nodes on a generated lab of %i nodes', (size) => {
    expect(overlapping(drawing(generated(size)))).toEqual([]);
  });

  it('wraps a large lab into rows of networks about as wide as the canvas is, not one row', () => {
    const { boxes } = drawing(generated(1_000));
    const all = [...boxes.values()];
    const width = Math.max(...all.map((b) => b.x2)) - Math.min(...all.map((b) => b.x1));
    const height = Math.max(...all.map((b) => b.y2)) - Math.min(...all.map((b) => b.y1));
    expect(width / height).toBeGreaterThan(0.5);
    expect(width / height).toBeLessThan(2);
    // Several networks side by side, several rows of them.
    const bars = [...boxes.entries()].filter(([id]) => id.startsWith('network:'));
    expect(new Set(bars.map(([, b]) => Math.round(b.y1))).size).toBeGreaterThan(5);
  });

  it('wraps the VMs of one large network into rows whose links pass between the nearer rows', () => {
    const lab = oneNetwork(80);
    const d = drawing(lab);
    expect(overlapping(d)).toEqual([]);
    const vms = [...d.at.entries()].filter(([id]) => id.startsWith('vm:'));
    expect(new Set(vms.map(([, p]) => p.y)).size).toBeGreaterThan(4);
    const all = [...d.boxes.values()];
    const width = Math.max(...all.map((b) => b.x2)) - Math.min(...all.map((b) => b.x1));
    // Less than half as wide as one row above and one below the bar would be.
    expect(width).toBeLessThan(40 * (NODE_SIZE.vm.width + 40) * 0.5);
    // Each link runs between the other nodes; its label is on no node and no other label.
    const links = networkLinks(lab, d);
    for (const link of links) {
      const [top, bottom] = link.a.y < link.b.y ? [link.a.y, link.b.y] : [link.b.y, link.a.y];
      const own = link.id.replace('adapter:', 'vm:').replace('-nic0', '');
      for (const [id, box] of d.boxes) {
        if (id === own || id === 'network:lan') continue;
        const crossed = link.a.x > box.x1 && link.a.x < box.x2 && box.y1 < bottom && box.y2 > top;
        expect(crossed, `${link.id} crosses ${id}`).toBe(false);
        expect(meet(link.label, box), `${link.id}'s label under ${id}`).toBe(false);
      }
      for (const other of links)
        if (other !== link)
          expect(meet(link.label, other.label), `${link.id}'s label on ${other.id}'s`).toBe(false);
    }
  });

  it('keeps every link label of the built-in labs off nodes and off other labels', () => {
    for (const file of BUILT_IN) {
      const lab = builtIn(file);
      const d = drawing(lab);
      const links = networkLinks(lab, d);
      for (const link of links) {
        for (const [id, box] of d.boxes)
          expect(meet(link.label, box), `${file}: ${link.id}'s label under ${id}`).toBe(false);
        for (const other of links)
          if (other !== link)
            expect(meet(link.label, other.label), `${file}: ${link.id} on ${other.id}`).toBe(false);
      }
    }
  });

  it('stands each VM beside its bar, an inline bridge between the two it joins', () => {
    const lab = builtIn('e5-bridge-loop.lab.yaml');
    const { at, boxes } = drawing(lab);
    const y = (id: string): number => (at.get(id) as Point).y;
    const [front, back] = [y('network:front'), y('network:back')];
    for (const bridge of ['vm:br1', 'vm:br2']) {
      expect(y(bridge)).toBeGreaterThan(Math.min(front, back));
      expect(y(bridge)).toBeLessThan(Math.max(front, back));
    }
    // The hypervisor's box stands above its uplink's bar, its switch under its nested VM.
    const esxi = boxes.get('vm:esxi') as Box;
    expect(esxi.y2).toBeLessThan((boxes.get('network:front') as Box).y1);
    expect(y('switch:esxi-vsw0')).toBeGreaterThan(y('vm:n1'));
    // Every link meets its bar straight: the VM stands within the bar's width.
    for (const vm of ['vm:server', 'vm:br1', 'vm:br2']) {
      const x = (at.get(vm) as Point).x;
      const bars = [boxes.get('network:front'), boxes.get('network:back')] as Box[];
      expect(bars.some((b) => x > b.x1 && x < b.x2)).toBe(true);
    }
  });

  it('puts external hosts on top, beyond the gateways, and VMs on no network below', () => {
    const base = builtIn('e1-nested-vm-out.lab.yaml');
    const lab: Lab = {
      ...base,
      external: [
        { id: 'internet', ip: '203.0.113.10' },
        { id: 'dns', ip: '203.0.113.53' },
      ],
      vms: [...base.vms, { ...(base.vms[1] as Lab['vms'][number]), id: 'spare', adapters: [] }],
    };
    const d = drawing(lab);
    const y = (id: string): number => (d.at.get(id) as Point).y;
    const others = [...d.at.keys()].filter((id) => !id.startsWith('external:'));
    expect(Math.max(y('external:internet'), y('external:dns'))).toBeLessThan(
      Math.min(...others.map(y)),
    );
    expect(y('vm:spare')).toBeGreaterThan(y('network:lan'));
    expect(overlapping(d)).toEqual([]);
  });
});
