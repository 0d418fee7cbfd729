/**
 * Badges placed on the drawing: at their node's corner when it is free, never over a label
 * or another badge (crowded nodes push them a ring further out, or shrink them to a dot),
 * inside the view, over another node only when nothing else is free; the same boxes give
 * the same spots.
 */
import { describe, expect, it } from 'vitest';
import {
  overlapArea,
  placeBadges,
  type BadgeRequest,
} from '../../../../renderer/src/simulation/badge-placement';
import type { Box, DrawnObstacles } from '../../../../renderer/src/simulation/places';

const VIEW = { width: 800, height: 600 };

function box(x1: number, y1: number, w: number, h: number): Box {
  return { x1, y1, x2: x1 + w, y2: y1 + h };
}

/** A node with its label inside, as the canvas draws VMs. */
function node(id: string, at: Box) {
  return {
    id,
    box: at,
    label: { x1: at.x1 + 10, y1: at.y1 + 5, x2: at.x2 - 10, y2: at.y2 - 5 },
  };
}

function drawn(nodes: ReturnType<typeof node>[], extraLabels: Box[] = []): DrawnObstacles {
  return {
    nodes: nodes.map((n) => ({ id: n.id, box: n.box, compound: false })),
    labels: [...nodes.map((n) => n.label), ...extraLabels],
  };
}

function request(n: ReturnType<typeof node>, width = 48): BadgeRequest {
  return { node: n.id, box: n.box, width, height: 20 };
}

describe('placeBadges', () => {
  it("puts a badge at its node's top-right corner, outside the box, when that is free", () => {
    const a = node('vm:a', box(100, 100, 80, 30));
    const spot = placeBadges([request(a)], drawn([a]), VIEW).get('vm:a');
    expect(spot).toEqual({ box: { x1: 176, y1: 84, x2: 224, y2: 104 }, compact: false });
    expect(overlapArea(spot!.box, a.label)).toBe(0);
  });

  it('never puts a badge over a label or another badge, however crowded', () => {
    // A row of nodes side by side with links' labels above and below them.
    const nodes = [0, 1, 2, 3, 4].map((i) => node(`vm:${i}`, box(100 + i * 90, 200, 80, 30)));
    const linkLabels = nodes.flatMap((n) => [
      box(n.box.x1, n.box.y1 - 40, 80, 30),
      box(n.box.x1, n.box.y2 + 10, 80, 30),
    ]);
    const obstacles = drawn(nodes, linkLabels);
    const spots = placeBadges(
      nodes.map((n) => request(n, 60)),
      obstacles,
      VIEW,
    );
    const placed = [...spots.values()].map((s) => s.box);
    expect(placed).toHaveLength(5);
    for (const spot of placed) {
      for (const label of obstacles.labels) expect(overlapArea(spot, label)).toBe(0);
      for (const other of placed) if (other !== spot) expect(overlapArea(spot, other)).toBe(0);
      expect(spot.x1).toBeGreaterThanOrEqual(0);
      expect(spot.y1).toBeGreaterThanOrEqual(0);
      expect(spot.x2).toBeLessThanOrEqual(VIEW.width);
      expect(spot.y2).toBeLessThanOrEqual(VIEW.height);
    }
    // The same drawing, the same spots.
    expect(
      placeBadges(
        nodes.map((n) => request(n, 60)),
        obstacles,
        VIEW,
      ),
    ).toEqual(spots);
  });

  it('keeps a badge in view when its node is at the edge', () => {
    const corner = node('vm:corner', box(740, 0, 60, 30));
    const spot = placeBadges([request(corner)], drawn([corner]), VIEW).get('vm:corner')!.box;
    expect(spot.x2).toBeLessThanOrEqual(VIEW.width);
    expect(spot.y1).toBeGreaterThanOrEqual(0);
    expect(overlapArea(spot, corner.label)).toBe(0);
  });

  it('sits on another node only when every spot free of nodes is taken', () => {
    const a = node('vm:a', box(100, 100, 80, 30));
    // A neighbour right against a's top-right corner: the badge goes elsewhere.
    const b = node('vm:b', box(178, 60, 80, 30));
    const spot = placeBadges([request(a)], drawn([a, b]), VIEW).get('vm:a')!.box;
    expect(overlapArea(spot, b.box)).toBe(0);
    expect(overlapArea(spot, b.label)).toBe(0);
  });

  it('shrinks badges to dots beside their nodes where a crowd leaves no room for them whole', () => {
    // 210 small nodes a dozen pixels apart, as a large lab looks from afar: no label drawn.
    const nodes = Array.from({ length: 210 }, (_, i) =>
      node(`vm:${i}`, box(20 + (i % 15) * 42, 20 + Math.floor(i / 15) * 34, 30, 16)),
    );
    const obstacles = { nodes: drawn(nodes).nodes, labels: [] };
    const spots = placeBadges(
      nodes.map((n) => request(n, 40)),
      obstacles,
      VIEW,
    );
    const placed = [...spots.values()];
    expect(placed.filter((s) => s.compact).length).toBeGreaterThan(150);
    placed.forEach((a, i) =>
      placed.slice(i + 1).forEach((b) => expect(overlapArea(a.box, b.box)).toBe(0)),
    );
    // Each dot is beside its own node, not somewhere far.
    nodes.forEach((n) => {
      const { box: at } = spots.get(n.id)!;
      expect(
        Math.max(n.box.x1 - at.x2, at.x1 - n.box.x2, n.box.y1 - at.y2, at.y1 - n.box.y2),
      ).toBeLessThan(30);
    });
  });
});
