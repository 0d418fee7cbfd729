/**
 * A new node lands on free room, never on top of another node: added from the palette (in
 * view, or dropped on a node), into a hypervisor (whose box must not grow over its
 * neighbour), or with the id of a node deleted before (not where that one stood). Overlaps
 * are measured on the drawing itself: cytoscape's boxes of every pair of nodes where neither
 * holds the other.
 */
import type { Page } from '@playwright/test';
import {
  answerAdd,
  at,
  dropPalette,
  openBuiltIn,
  screenshot,
  topologyItem,
} from './editor-helpers';
import { expect, test } from './web-host-fixture';

const E1 = 'E1: A nested VM reaches the gateway';

/** The little of cytoscape these tests read (the canvas keeps its instance on `_cyreg`). */
interface CyNode {
  id(): string;
  hasClass(name: string): boolean;
  ancestors(): { contains(node: CyNode): boolean };
  boundingBox(options: { includeLabels: boolean }): Box;
  position(): { x: number; y: number };
}
interface Box {
  x1: number;
  y1: number;
  x2: number;
  y2: number;
}
interface CyHost {
  _cyreg: {
    cy: { nodes(): { toArray(): CyNode[] }; getElementById(id: string): CyNode };
  };
}

/** Pairs of drawn nodes whose boxes overlap, neither holding the other ("vm:a × vm:b"). */
function overlapping(page: Page): Promise<string[]> {
  return page.getByTestId('topology-canvas').evaluate((container) => {
    const { cy } = (container as unknown as CyHost)._cyreg;
    const nodes = cy
      .nodes()
      .toArray()
      .filter((n) => !n.hasClass('ghost'));
    const found: string[] = [];
    nodes.forEach((a, i) => {
      nodes.slice(i + 1).forEach((b) => {
        if (a.ancestors().contains(b) || b.ancestors().contains(a)) return;
        const p = a.boundingBox({ includeLabels: false });
        const q = b.boundingBox({ includeLabels: false });
        if (p.x1 < q.x2 && q.x1 < p.x2 && p.y1 < q.y2 && q.y1 < p.y2)
          found.push(`${a.id()} × ${b.id()}`);
      });
    });
    return found;
  });
}

/** Where a drawn node stands, in model coordinates. */
function centre(page: Page, id: string): Promise<{ x: number; y: number }> {
  return page.getByTestId('topology-canvas').evaluate((container, nodeId) => {
    const { cy } = (container as unknown as CyHost)._cyreg;
    return { ...cy.getElementById(nodeId).position() };
  }, id);
}

async function addFromPalette(page: Page, item: string, id: string): Promise<void> {
  await page
    .getByRole('region', { name: 'Add to the lab' })
    .getByRole('button', { name: item, exact: true })
    .click();
  await answerAdd(page, { id });
}

test('a new node lands on free room, never on top of another node', async ({ page, webHost }) => {
  test.setTimeout(60_000);
  await openBuiltIn(page, webHost.url, E1);
  expect(await overlapping(page)).toEqual([]);

  // Into a hypervisor: its box grows where no neighbour stands (client is right of esxi).
  await topologyItem(page, 'vm:esxi').getByRole('button').first().click();
  await page.getByRole('button', { name: 'Add nested VM' }).click();
  await answerAdd(page, { id: 'web2' });
  await expect(topologyItem(page, 'vm:web2')).toBeVisible();
  expect(await overlapping(page)).toEqual([]);

  // From the palette, in view, one after another; and dropped right on a node.
  await addFromPalette(page, 'VM', 'vm1');
  await addFromPalette(page, 'Network', 'net1');
  await addFromPalette(page, 'Inline bridge', 'bridge1');
  await addFromPalette(page, 'External host', 'host1');
  await dropPalette(page, 'VM', await at(page, 0.5, 0.5), { id: 'vm2' });
  await expect(topologyItem(page, 'vm:vm2')).toBeVisible();
  expect(await overlapping(page)).toEqual([]);

  // A new node with a deleted node's id does not land where that one stood.
  await topologyItem(page, 'vm:vm1').getByRole('button').first().click();
  await page.keyboard.press('Delete');
  await expect(topologyItem(page, 'vm:vm1')).toHaveCount(0);
  await addFromPalette(page, 'VM', 'vm3');
  await addFromPalette(page, 'VM', 'vm1');
  await expect(topologyItem(page, 'vm:vm1')).toBeVisible();
  expect(await overlapping(page)).toEqual([]);
  await screenshot(page, 'new-node-placement');

  // Undo and redo put nodes back where they were placed, on free room still.
  const undo = page.getByRole('button', { name: 'Undo', exact: true });
  const redo = page.getByRole('button', { name: 'Redo', exact: true });
  const placed = await centre(page, 'vm:vm1');
  await undo.click();
  await expect(topologyItem(page, 'vm:vm1')).toHaveCount(0);
  await redo.click();
  await expect(topologyItem(page, 'vm:vm1')).toBeVisible();
  expect(await centre(page, 'vm:vm1')).toEqual(placed);
  for (const gone of ['vm:vm1', 'vm:vm3']) {
    await undo.click();
    await expect(topologyItem(page, gone)).toHaveCount(0);
  }
  await undo.click();
  await expect(topologyItem(page, 'vm:vm1')).toBeVisible();
  expect(await overlapping(page)).toEqual([]);
});
