/**
 * Where a new node lands (renderer/src/canvas/free-spot.ts): on free room near where it was
 * wanted, never on top of another node, and inside a hypervisor without growing the
 * hypervisor's box over a neighbour.
 */
import { describe, expect, it } from 'vitest';
import { freeChildSpot, freeSpot, type Box } from '../../../../renderer/src/canvas/free-spot';
import { COMPOUND_PADDING, NODE_SIZE, type Size } from '../../../../renderer/src/canvas/node-sizes';
import type { Point } from '../../../../renderer/src/state/editor-ui';

function boxAt(centre: Point, size: Size): Box {
  return {
    x1: centre.x - size.width / 2,
    y1: centre.y - size.height / 2,
    x2: centre.x + size.width / 2,
    y2: centre.y + size.height / 2,
  };
}

function overlaps(a: Box, b: Box): boolean {
  return a.x1 < b.x2 && b.x1 < a.x2 && a.y1 < b.y2 && b.y1 < a.y2;
}

const VM = NODE_SIZE.vm;

describe('a new node lands on free room', () => {
  it('dropped on another node, it lands just beside it, overlapping nothing', () => {
    const taken = [boxAt({ x: 0, y: 0 }, VM)];
    const spot = freeSpot({ x: 10, y: 5 }, VM, taken);
    expect(taken.some((b) => overlaps(b, boxAt(spot, VM)))).toBe(false);
    expect(Math.hypot(spot.x, spot.y)).toBeLessThan(VM.height + 100);
  });

  it('stays where it was wanted when that place is free', () => {
    const taken = [boxAt({ x: 0, y: 0 }, VM)];
    expect(freeSpot({ x: 600, y: 0 }, VM, taken)).toEqual({ x: 600, y: 0 });
  });

  it('is never put on top of another node, even when the whole neighbourhood is taken', () => {
    // One wall-to-wall block of nodes far wider and taller than the search reaches.
    const taken: Box[] = [];
    for (let row = -20; row <= 20; row++)
      for (let col = -12; col <= 12; col++)
        taken.push(boxAt({ x: col * (VM.width + 10), y: row * (VM.height + 10) }, VM));
    const spot = freeSpot({ x: 0, y: 0 }, VM, taken);
    expect(taken.some((b) => overlaps(b, boxAt(spot, VM)))).toBe(false);
  });
});

describe('a new node inside a hypervisor', () => {
  // E1's shape: a hypervisor holding one nested VM, a VM 60 px to its right.
  const nested = boxAt({ x: 0, y: 0 }, VM);
  const hypervisor: Box = {
    x1: nested.x1 - COMPOUND_PADDING,
    y1: nested.y1 - COMPOUND_PADDING,
    x2: nested.x2 + COMPOUND_PADDING,
    y2: nested.y2 + COMPOUND_PADDING,
  };
  const neighbour = boxAt({ x: hypervisor.x2 + 60 + VM.width / 2, y: 0 }, VM);
  const rowEnd = { x: nested.x2 + 60 + VM.width / 2, y: 0 };

  it("goes where the hypervisor's grown box reaches no neighbour, not at the end of its row", () => {
    const spot = freeChildSpot(
      rowEnd,
      VM,
      [nested, neighbour],
      [{ box: hypervisor, beside: [neighbour] }],
    );
    const child = boxAt(spot, VM);
    const grown = {
      x1: Math.min(hypervisor.x1, child.x1 - COMPOUND_PADDING),
      y1: Math.min(hypervisor.y1, child.y1 - COMPOUND_PADDING),
      x2: Math.max(hypervisor.x2, child.x2 + COMPOUND_PADDING),
      y2: Math.max(hypervisor.y2, child.y2 + COMPOUND_PADDING),
    };
    expect(spot).not.toEqual(rowEnd);
    expect(overlaps(child, nested)).toBe(false);
    expect(overlaps(grown, neighbour)).toBe(false);
  });

  it('goes at the end of its row when nothing stands beside the hypervisor there', () => {
    expect(freeChildSpot(rowEnd, VM, [nested], [{ box: hypervisor, beside: [] }])).toEqual(rowEnd);
  });

  it('does not count a neighbour the hypervisor overlaps already', () => {
    const onTop = boxAt({ x: hypervisor.x2, y: 300 }, VM);
    const below = { x: 0, y: nested.y2 + 60 + VM.height / 2 };
    expect(
      freeChildSpot(
        below,
        VM,
        [nested, onTop],
        [{ box: { ...hypervisor, y2: 400 }, beside: [onTop] }],
      ),
    ).toEqual(below);
  });
});
