/**
 * Simulate at 1280×800 reads at a glance (issue #14): E5's storm leaves one badge per node,
 * no two badges overlap and none covers a label (measured against cytoscape's rendered
 * label boxes); a badge opens into its counts by reason with the rule, on hover, on focus
 * and when its node is selected; the loop's cycle is lit. And every side panel and the
 * event list fit their width after E4's ping: nothing wider than its panel, no text cut
 * off without its full text in a tooltip. Screenshots go to artifacts/screenshots.
 */
import type { Locator, Page } from '@playwright/test';
import { openBuiltIn, runWholeScript, screenshot, simulate, toTheEnd } from './editor-helpers';
import { expect, test } from './web-host-fixture';

test.describe.configure({ timeout: 90_000 });

interface Box {
  x1: number;
  y1: number;
  x2: number;
  y2: number;
}

/** The little of cytoscape these tests read (the canvas keeps its instance on `_cyreg`). */
interface CyElement {
  id(): string;
  hasClass(name: string): boolean;
  visible(): boolean;
  pstyle(name: string): { strValue: string; value: unknown; pfValue: number };
  renderedBoundingBox(options: Record<string, boolean>): Box;
  renderedPosition(): { x: number; y: number };
  renderedSourceEndpoint(): { x: number; y: number };
  renderedTargetEndpoint(): { x: number; y: number };
}
interface CyHost {
  _cyreg: {
    cy: {
      nodes(): { toArray(): CyElement[] };
      edges(): { toArray(): CyElement[] };
      getElementById(id: string): CyElement;
      zoom(options: { level: number; renderedPosition: { x: number; y: number } }): void;
      renderer(): { eleTextBiggerThanMin(e: CyElement): boolean };
    };
  };
}

/** Jumps the animation to its end once a run has answered, and waits until it is there. */
async function atTheEnd(page: Page): Promise<void> {
  await expect(await toTheEnd(page)).toBeDisabled();
}

/**
 * The box of every label drawn at this zoom (nodes' and links'; a label too small to read,
 * below its min-zoomed-font-size, is not drawn), in page pixels.
 */
function labelBoxes(page: Page): Promise<{ id: string; node: boolean; box: Box }[]> {
  return page.getByTestId('topology-canvas').evaluate((container) => {
    const { cy } = (container as unknown as CyHost)._cyreg;
    const at = container.getBoundingClientRect();
    const only = { includeNodes: false, includeEdges: false, includeLabels: true };
    const of = (e: CyElement, node: boolean) => {
      const b = e.renderedBoundingBox(only);
      return {
        id: e.id(),
        node,
        box: { x1: b.x1 + at.x, y1: b.y1 + at.y, x2: b.x2 + at.x, y2: b.y2 + at.y },
      };
    };
    // Drawn as the renderer decides (its size rule, or the one the canvas put in its place).
    const drawn = (e: CyElement) =>
      !e.hasClass('ghost') &&
      e.visible() &&
      Boolean(e.pstyle('label').strValue) &&
      Number(e.pstyle('text-opacity').value) > 0 &&
      cy.renderer().eleTextBiggerThanMin(e);
    return [
      ...cy
        .nodes()
        .toArray()
        .filter(drawn)
        .map((n) => of(n, true)),
      ...cy
        .edges()
        .toArray()
        .filter(drawn)
        .map((e) => of(e, false)),
    ];
  });
}

async function badgeBoxes(badges: Locator): Promise<{ node: string; box: Box }[]> {
  return badges.evaluateAll((elements) =>
    elements.map((e) => {
      const r = e.getBoundingClientRect();
      return {
        node: e.getAttribute('data-node') ?? '',
        box: { x1: r.left, y1: r.top, x2: r.right, y2: r.bottom },
      };
    }),
  );
}

function overlaps(a: Box, b: Box): boolean {
  return a.x1 < b.x2 && b.x1 < a.x2 && a.y1 < b.y2 && b.y1 < a.y2;
}

/** Waits for two animation frames: the overlay places its badges on the one after a change. */
async function nextFrames(page: Page): Promise<void> {
  for (let i = 0; i < 2; i += 1)
    await page.evaluate(() => new Promise((done) => requestAnimationFrame(() => done(null))));
}

/** Zooms the drawing about the canvas's centre, as a wheel would. */
async function zoomTo(page: Page, level: number): Promise<void> {
  await page.getByTestId('topology-canvas').evaluate((container, zoom) => {
    const { cy } = (container as unknown as CyHost)._cyreg;
    const at = { x: container.clientWidth / 2, y: container.clientHeight / 2 };
    cy.zoom({ level: zoom, renderedPosition: at });
  }, level);
  await nextFrames(page);
}

/**
 * What is wrong with the badges on the drawing: a node with two, two that overlap, one over
 * a label drawn (a node's or a link's). Empty when all is well.
 */
async function badgeProblems(page: Page): Promise<string[]> {
  const placed = await badgeBoxes(page.getByTestId('canvas-mark'));
  const labels = await labelBoxes(page);
  const problems: string[] = [];
  placed.forEach((a, i) => {
    for (const b of placed.slice(i + 1)) {
      if (a.node === b.node) problems.push(`${a.node} has two badges`);
      if (overlaps(a.box, b.box)) problems.push(`${a.node}'s badge over ${b.node}'s`);
    }
    for (const label of labels)
      if (overlaps(a.box, label.box)) problems.push(`${a.node}'s badge over ${label.id}'s label`);
  });
  return problems;
}

/** A node's centre in page pixels. */
function nodeCentre(page: Page, id: string): Promise<{ x: number; y: number }> {
  return page.getByTestId('topology-canvas').evaluate((container, nodeId) => {
    const { cy } = (container as unknown as CyHost)._cyreg;
    const at = container.getBoundingClientRect();
    const p = cy.getElementById(nodeId).renderedPosition();
    return { x: p.x + at.x, y: p.y + at.y };
  }, id);
}

/** The overlay's pixel half way along a link: lit when its alpha is not zero. */
function litAlong(page: Page, link: string): Promise<number> {
  return page.getByTestId('topology-canvas').evaluate((container, linkId) => {
    const { cy } = (container as unknown as CyHost)._cyreg;
    const edge = cy.getElementById(linkId);
    const a = edge.renderedSourceEndpoint();
    const b = edge.renderedTargetEndpoint();
    // A quarter of the way: the middle holds the link's label, which the light leaves clear.
    const x = a.x + (b.x - a.x) * 0.25;
    const y = a.y + (b.y - a.y) * 0.25;
    const overlay = container.parentElement?.querySelector<HTMLCanvasElement>(
      '[data-testid="frame-overlay"]',
    );
    if (!overlay) return 0;
    const ratio = overlay.width / overlay.clientWidth;
    const pixel = overlay
      .getContext('2d')
      ?.getImageData(Math.round(x * ratio), Math.round(y * ratio), 1, 1).data;
    return pixel?.[3] ?? 0;
  }, link);
}

/** The simulation side pane's panel (the tab shown). */
const PANEL = '.sim-side [role="tabpanel"]';

/** Elements of `panel` that reach past its right edge, and cells whose text is cut off. */
function cutOff(page: Page, selector: string): Promise<string[]> {
  return page.locator(selector).evaluate((panel) => {
    const found: string[] = [];
    const edge = panel.getBoundingClientRect().right;
    if (panel.scrollWidth > panel.clientWidth)
      found.push(`the panel scrolls: ${panel.scrollWidth} > ${panel.clientWidth}`);
    for (const e of panel.querySelectorAll<HTMLElement>('*')) {
      const box = e.getBoundingClientRect();
      // A box that scrolls by itself (the event list, a hex dump) is measured on its own.
      if (box.width > 0 && box.right > edge + 0.5)
        found.push(`${e.tagName} "${(e.textContent ?? '').slice(0, 30)}" ends past the edge`);
      const cut = e.scrollWidth > e.clientWidth + 1 && getComputedStyle(e).overflowX !== 'visible';
      const titled = e.closest('[title]')?.getAttribute('title') ?? '';
      const text = (e.textContent ?? '').trim();
      if (cut && e.children.length === 0 && !titled.includes(text))
        found.push(`${e.tagName} "${text.slice(0, 30)}" is cut off with no tooltip`);
    }
    return found;
  });
}

test("E5's storm at 1280×800: one badge per node, none over another or over a label, opened into counts by reason and rule, the cycle lit", async ({
  page,
  webHost,
}) => {
  await openBuiltIn(page, webHost.url, 'E5: Two bridges make a loop');
  await simulate(page);
  await runWholeScript(page);
  await atTheEnd(page);
  await expect(page.getByRole('tab', { name: /Loops/ })).toContainText('1');
  const badges = page.getByTestId('canvas-mark');
  await expect(badges.first()).toBeVisible();
  await nextFrames(page);
  await screenshot(page, 'sim-badges-e5-storm');

  // At the fit: one badge per node, none over another, none over a label drawn.
  expect(await badgeProblems(page)).toEqual([]);
  expect(await badges.count()).toBeGreaterThan(2);

  // Closer in, every node's label is drawn: the badges move clear of them all.
  await zoomTo(page, 1.2);
  expect((await labelBoxes(page)).filter((l) => l.node).length).toBeGreaterThan(4);
  expect(await badgeProblems(page)).toEqual([]);
  await screenshot(page, 'sim-badges-e5-zoomed');
  await page
    .getByRole('toolbar', { name: 'Playback' })
    .getByRole('button', { name: 'Fit', exact: true })
    .click();
  await nextFrames(page);

  // The bridge that stopped the storm: red, compact, and its name says what happened.
  const br2 = page.locator('[data-testid="canvas-mark"][data-node="vm:br2"]');
  await expect(br2).toHaveClass(/dropped/);
  await expect(br2).toHaveText(/✗ \d+/);
  await expect(br2).toHaveAttribute(
    'aria-label',
    /^bridge br2: \d+ dropped, (.*, )?loop-detected \(D4\) ×\d+/,
  );
  await expect(br2).toHaveAttribute('aria-expanded', 'false');

  // Hovered, it opens into the counts by reason, each with its rule.
  await br2.hover();
  await expect(br2).toHaveAttribute('aria-expanded', 'true');
  const details = page.getByRole('group', { name: 'What happened at bridge br2' });
  await expect(details.getByRole('listitem').filter({ hasText: 'loop-detected (D4)' })).toHaveText(
    /✗\s*loop-detected \(D4\)( ×\d+)?$/,
  );
  for (const item of await details.getByRole('listitem').allTextContents())
    expect(item).toMatch(/^✗\s*[a-z-]+ \([A-Z]\d+\)( ×\d+)?$|^✓\s*delivered/);
  await screenshot(page, 'sim-badges-e5-open');
  await page.mouse.move(1, 1);
  await expect(br2).toHaveAttribute('aria-expanded', 'false');

  // By keyboard: focused, it opens; Escape closes it.
  await br2.focus();
  await expect(br2).toHaveAttribute('aria-expanded', 'true');
  await expect(details).toContainText('loop-detected (D4)');
  await page.keyboard.press('Escape');
  await expect(br2).toHaveAttribute('aria-expanded', 'false');
  await br2.blur();

  // Its node selected on the canvas, it opens too.
  const centre = await nodeCentre(page, 'vm:br1');
  await page.mouse.click(centre.x, centre.y);
  await page.mouse.move(1, 1);
  const br1 = page.locator('[data-testid="canvas-mark"][data-node="vm:br1"]');
  await expect(br1).toHaveAttribute('aria-expanded', 'true');
  await expect(page.getByRole('group', { name: 'What happened at bridge br1' })).toContainText(
    /loop-detected \(D4\)/,
  );
  await screenshot(page, 'sim-badges-e5-selected');

  // The cycle front → br1 → back → br2 is lit along its links.
  for (const link of ['adapter:br1-front', 'adapter:br1-back', 'adapter:br2-front'])
    expect(await litAlong(page, link), `${link} lit`).toBeGreaterThan(0);
  expect(await litAlong(page, 'adapter:server-nic0'), 'server-nic0 not lit').toBe(0);

  // After the storm, the panels that fill up most fit their width too.
  for (const tab of ['Tables', 'Captures', /Loops/]) {
    await page.getByRole('tab', { name: tab }).click();
    expect(await cutOff(page, PANEL), String(tab)).toEqual([]);
  }
  await screenshot(page, 'sim-badges-e5-loops');
});

test('at 1280×800 every side panel and the event list fit their width after E4’s ping', async ({
  page,
  webHost,
}) => {
  await openBuiltIn(page, webHost.url, 'E4: An inline bridge');
  await simulate(page);
  const form = page.getByRole('region', { name: 'Ping' });
  await form.getByLabel('From').selectOption('client');
  await form.getByLabel('To (IP or host)').fill('10.0.0.22');
  await form.getByRole('button', { name: 'Ping' }).click();
  await atTheEnd(page);
  const panel = PANEL;

  await page.getByRole('tab', { name: 'Captures' }).click();
  await page.getByLabel('Device').selectOption('bridge');
  await expect(
    page.getByRole('table', { name: 'Frames captured at bridge' }).getByRole('row'),
  ).not.toHaveCount(1);
  expect(await cutOff(page, panel)).toEqual([]);
  await screenshot(page, 'sim-badges-e4-captures');

  await page.getByRole('tab', { name: 'Tables' }).click();
  await expect(page.getByRole('table', { name: 'Network front: MAC table' })).toBeVisible();
  expect(await cutOff(page, panel)).toEqual([]);
  await screenshot(page, 'sim-badges-e4-tables');

  await page
    .getByRole('table', { name: 'Events' })
    .getByRole('row')
    .filter({ hasText: 'forged-source (F2)' })
    .first()
    .click();
  await expect(page.getByRole('tabpanel', { name: 'Frame' })).toContainText('F2');
  expect(await cutOff(page, panel)).toEqual([]);
  await screenshot(page, 'sim-badges-e4-frame');

  await page.getByRole('tab', { name: 'Loops' }).click();
  expect(await cutOff(page, panel)).toEqual([]);

  // What-if: the bridge's back adapter promiscuous; the frames it changes are listed.
  await page.getByRole('tab', { name: 'Compare' }).click();
  await page
    .getByLabel('Change', { exact: true })
    .selectOption({ label: 'br-back: promiscuous on' });
  await page.getByRole('button', { name: 'Compare', exact: true }).click();
  await expect(page.getByRole('table', { name: 'Frames whose fate differs' })).toBeVisible();
  expect(await cutOff(page, panel)).toEqual([]);
  await screenshot(page, 'sim-badges-e4-compare');

  expect(await cutOff(page, '.events-row .scroller')).toEqual([]);
  const page_ = await page.evaluate(() => ({
    scroll: document.documentElement.scrollWidth,
    client: document.documentElement.clientWidth,
  }));
  expect(page_.scroll).toBeLessThanOrEqual(page_.client);
});
