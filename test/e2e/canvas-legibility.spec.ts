/**
 * Issue 14: the canvas reads like a network diagram at any size. At 1280×800, at the default
 * fit, on the built-in labs E1–E7, on generated labs of 300 and 1,000 nodes and on one
 * network of 120 VMs (which wraps into rows): no two node
 * boxes overlap (a hypervisor and what it holds aside), no label is covered by a node or by
 * another label, and no label drawn is smaller than 11 CSS px; the built-in labs show every
 * label, the large ones their structure (labels appear as the view closes in). Measured on
 * the drawing itself: cytoscape's boxes and styles, and its renderer's own decision to draw
 * each label. Screenshots of each under artifacts/screenshots/canvas-*.png.
 */
import type { Page } from '@playwright/test';
import type { Core } from 'cytoscape';
import { bigLab, oneNetworkLab } from './big-labs';
import { canvas, openBuiltIn, openLabFile, screenshot } from './editor-helpers';
import { expect, test } from './web-host-fixture';

const BUILT_IN = [
  ['e1', 'E1: A nested VM reaches the gateway'],
  ['e2', 'E2: Nested neighbours'],
  ['e3', 'E3: Promiscuous mode is not a sniffer'],
  ['e4', 'E4: An inline bridge'],
  ['e5', 'E5: Two bridges make a loop'],
  ['e6', 'E6: Virtual MAC failover'],
  ['e7', 'E7: Rule traps'],
] as const;

/** What the drawing looks like, as measured in the page. */
interface Reading {
  readonly zoom: number;
  readonly nodes: number;
  /** Pairs of node boxes that overlap, neither holding the other ("vm:a × vm:b"). */
  readonly overlapping: string[];
  /** Labels under a node, or under another label ("adapter:x under vm:y"). */
  readonly covered: string[];
  /** Node labels that stick out of their own node's box. */
  readonly outside: string[];
  /** Labels drawn smaller than 11 CSS px ("vm:a 6.2px"). */
  readonly tiny: string[];
  /** Labels not drawn at this zoom. */
  readonly hidden: string[];
  readonly shown: number;
}

/**
 * Reads the drawing: boxes in model coordinates, labels as cytoscape lays them out, and
 * whether its renderer draws each label at this zoom. A string, so the bundler's helpers
 * stay out of the page.
 */
const READ_DRAWING = `((container) => {
  const cy = container._cyreg.cy;
  const renderer = cy.renderer();
  const zoom = cy.zoom();
  const nodes = cy.nodes().filter((n) => !n.hasClass('ghost'));
  const boxOf = (b) => ({ x1: b.x1, y1: b.y1, x2: b.x2, y2: b.y2 });
  const hit = (a, b) => a.x1 < b.x2 - 0.5 && b.x1 < a.x2 - 0.5 && a.y1 < b.y2 - 0.5 && b.y1 < a.y2 - 0.5;
  const bodies = nodes.map((n) => ({
    id: n.id(),
    box: boxOf(n.boundingBox({ includeLabels: false, includeOverlays: false })),
    holders: new Set(n.ancestors().map((a) => a.id())),
  }));
  // Sweep along x: only boxes whose x-ranges meet are compared (a 1,000-node lab stays quick).
  const sweep = (items, visit) => {
    const sorted = [...items].sort((a, b) => a.box.x1 - b.box.x1);
    sorted.forEach((a, i) => {
      for (let j = i + 1; j < sorted.length && sorted[j].box.x1 < a.box.x2; j += 1) visit(a, sorted[j]);
    });
  };
  const overlapping = [];
  sweep(bodies, (a, b) => {
    if (a.holders.has(b.id) || b.holders.has(a.id)) return;
    if (hit(a.box, b.box)) overlapping.push(a.id + ' × ' + b.id);
  });
  const labels = cy
    .elements()
    .filter((e) => !e.hasClass('ghost') && Boolean(e.pstyle('label').strValue))
    .map((e) => {
      const own = e.isNode() ? [e] : [e.source(), e.target()];
      const holders = new Set(own.flatMap((n) => n.ancestors().map((a) => a.id())));
      if (e.isNode()) holders.add(e.id());
      const box = boxOf(e.boundingBox({ includeNodes: false, includeEdges: false, includeLabels: true, includeOverlays: false }));
      return { id: e.id(), e, box, holders, label: true };
    })
    .filter((l) => l.box.x2 > l.box.x1);
  const covered = [];
  sweep([...labels, ...bodies], (a, b) => {
    if (!hit(a.box, b.box)) return;
    if (a.label && b.label) covered.push(a.id + ' × ' + b.id + ' (labels)');
    else if (a.label || b.label) {
      const [label, body] = a.label ? [a, b] : [b, a];
      if (!label.holders.has(body.id)) covered.push(label.id + ' under ' + body.id);
    }
  });
  const outside = labels
    .filter((l) => l.e.isNode())
    .filter((l) => {
      const body = l.e.boundingBox({ includeLabels: false, includeOverlays: false });
      return l.box.x1 < body.x1 - 1 || l.box.x2 > body.x2 + 1 || l.box.y1 < body.y1 - 1 || l.box.y2 > body.y2 + 1;
    })
    .map((l) => l.id);
  const tiny = [];
  const hidden = [];
  let shown = 0;
  for (const { id, e } of labels) {
    if (!e.visible() || !renderer.eleTextBiggerThanMin(e)) {
      hidden.push(id);
      continue;
    }
    shown += 1;
    const px = e.pstyle('font-size').pfValue * zoom;
    if (px < 11 - 1e-6) tiny.push(id + ' ' + px.toFixed(1) + 'px');
  }
  return { zoom, nodes: nodes.length, overlapping, covered, outside, tiny, hidden, shown };
})`;

async function readDrawing(page: Page): Promise<Reading> {
  return canvas(page).evaluate(
    (container, script) => (eval(script) as (c: Element) => Reading)(container),
    READ_DRAWING,
  );
}

/** Waits until the canvas has drawn `count` nodes (or any, without a count) and painted. */
async function drawn(page: Page, count?: number): Promise<void> {
  const nodes = expect.poll(
    () =>
      canvas(page).evaluate((container) => {
        const host = container as unknown as { _cyreg?: { cy: { nodes(): { length: number } } } };
        return host._cyreg?.cy.nodes().length ?? 0;
      }),
    { timeout: 20_000 },
  );
  if (count === undefined) await nodes.toBeGreaterThan(0);
  else await nodes.toBe(count);
  await page.evaluate(
    () => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done))),
  );
}

function expectReadable(reading: Reading, what: string): void {
  expect(reading.overlapping, `${what}: nodes on top of each other`).toEqual([]);
  expect(reading.covered, `${what}: labels covered`).toEqual([]);
  expect(reading.outside, `${what}: labels sticking out of their node`).toEqual([]);
  expect(reading.tiny, `${what}: labels smaller than 11 px`).toEqual([]);
}

for (const [key, title] of BUILT_IN)
  test(`${title}: at the default fit every label shows, at least 11 px, nothing overlaps`, async ({
    page,
    webHost,
  }) => {
    await openBuiltIn(page, webHost.url, title);
    await drawn(page);
    const reading = await readDrawing(page);
    await screenshot(page, `canvas-${key}`);
    expectReadable(reading, title);
    expect(reading.hidden, `${title}: labels not drawn at zoom ${reading.zoom}`).toEqual([]);
    expect(reading.shown).toBeGreaterThan(3);
  });

for (const size of [300, 1_000])
  test(`a generated lab of ${size} nodes: laid out without overlaps, no tiny text at the fit, labels as the view closes in`, async ({
    page,
    webHost,
  }) => {
    test.setTimeout(120_000);
    const lab = bigLab(size);
    await page.goto(webHost.url);
    await openLabFile(page, 'big.lab.yaml', lab.text);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(lab.title);
    await drawn(page, lab.nodes);
    const fitted = await readDrawing(page);
    await screenshot(page, `canvas-${size}-fit`);
    expectReadable(fitted, `${size} nodes at the fit`);
    expect(fitted.nodes).toBe(lab.nodes);

    // Closer in, the labels appear, every one of them readable.
    const box = await canvas(page).boundingBox();
    if (!box) throw new Error('the canvas is not visible');
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    for (let notch = 0; notch < 60; notch += 1) {
      await page.mouse.wheel(0, -100);
      const zoom = await canvas(page).evaluate((container) =>
        (container as unknown as { _cyreg: { cy: { zoom(): number } } })._cyreg.cy.zoom(),
      );
      if (zoom >= 1) break;
    }
    await page.waitForTimeout(300);
    await page.evaluate(
      () => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done))),
    );
    const close = await readDrawing(page);
    await screenshot(page, `canvas-${size}-close`);
    expect(close.zoom).toBeGreaterThanOrEqual(1);
    expect(close.tiny).toEqual([]);
    expect(close.shown).toBeGreaterThan(0);
  });

test('one network of 120 VMs wraps into rows; closer in, every label readable and uncovered', async ({
  page,
  webHost,
}) => {
  test.setTimeout(60_000);
  const lab = oneNetworkLab(120);
  await page.goto(webHost.url);
  await openLabFile(page, 'class.lab.yaml', lab.text);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(lab.title);
  await drawn(page, lab.nodes);
  const fitted = await readDrawing(page);
  await screenshot(page, 'canvas-one-network-fit');
  expectReadable(fitted, 'one network at the fit');
  const rows = await canvas(page).evaluate((container) => {
    const { cy } = (container as unknown as { _cyreg: { cy: CyRows } })._cyreg;
    return new Set(cy.nodes('[kind = "vm"]').map((n) => Math.round(n.position().y))).size;
  });
  expect(rows).toBeGreaterThan(4);
  // At 100 % every label shows, none on a node or on another label.
  await canvas(page).evaluate((container) => {
    const { cy } = (container as unknown as { _cyreg: { cy: CyRows } })._cyreg;
    cy.zoom({
      level: 1,
      renderedPosition: { x: container.clientWidth / 2, y: container.clientHeight / 2 },
    });
  });
  await page.evaluate(
    () => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done))),
  );
  const close = await readDrawing(page);
  await screenshot(page, 'canvas-one-network-close');
  expectReadable(close, 'one network at 100 %');
  expect(close.hidden).toEqual([]);
});

/** The little of cytoscape the row count reads. */
interface CyRows {
  nodes(selector: string): { map<T>(f: (n: { position(): { x: number; y: number } }) => T): T[] };
  zoom(options: { level: number; renderedPosition: { x: number; y: number } }): void;
}

test("in Simulate's smaller canvas E5 is fitted below its labels' zoom, and every node still shows its id, readable", async ({
  page,
  webHost,
}) => {
  await openBuiltIn(page, webHost.url, 'E5: Two bridges make a loop');
  await page.getByRole('group', { name: 'View' }).getByRole('button', { name: 'Simulate' }).click();
  await drawn(page);
  await expect
    .poll(async () => (await readDrawing(page)).zoom, { timeout: 10_000 })
    .toBeLessThan(0.92);
  await page.evaluate(
    () => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done))),
  );
  const reading = await readDrawing(page);
  await screenshot(page, 'canvas-e5-simulate-names');
  expectReadable(reading, 'E5 in Simulate');
  // The names tier: each node, hypervisor boxes too, shows its id alone.
  const names = await canvas(page).evaluate((container) => {
    const cy = (container as unknown as { _cyreg: { cy: Core } })._cyreg.cy;
    return cy
      .nodes()
      .map((n) => [n.data('ref') as string, n.hasClass('names'), String(n.style('label'))]);
  });
  expect(names.length).toBeGreaterThan(5);
  for (const [ref, named, label] of names)
    expect({ ref, named, label }).toEqual({ ref, named: true, label: ref });
  const hiddenNodes = reading.hidden.filter((id) => !id.startsWith('adapter:'));
  expect(hiddenNodes, 'node labels not drawn').toEqual([]);
});
