/**
 * "Export diagram" in the canvas toolbar, as a trainer uses it for slides and handouts: E1
 * zoomed in (the view shows only part of the lab) exported as PNG and as SVG through the
 * browser's download. The PNG is a real PNG of the whole lab at twice its size, with the
 * drawing on it; the SVG parses in Chromium, draws as an image, and holds the labels as text.
 * A generated 1,000-node lab exports whole too (every node in the SVG; the PNG made smaller
 * to stay within its pixel budget), and the time each export took is printed. The toolbar
 * with its menu open and the files are saved under artifacts/screenshots.
 */
import { copyFileSync, mkdirSync, readFileSync } from 'node:fs';
import type { Page } from '@playwright/test';
import { MAX_PNG_PIXELS } from '../../renderer/src/canvas/diagram-files';
import { bigLab } from './big-labs';
import { openBuiltIn, openLabFile, SCREENSHOTS, screenshot } from './editor-helpers';
import { expect, test } from './web-host-fixture';

test.describe.configure({ timeout: 60_000 });

const E1 = 'E1: A nested VM reaches the gateway';
const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

/** Opens the menu and chooses a format; the download's file name and bytes. */
async function exportAs(
  page: Page,
  item: 'PNG picture' | 'SVG drawing',
): Promise<{ name: string; bytes: Buffer }> {
  await page
    .getByRole('toolbar', { name: 'Canvas tools' })
    .getByRole('button', { name: 'Export diagram' })
    .click();
  const download = page.waitForEvent('download');
  await page
    .getByRole('menu', { name: 'Export diagram' })
    .getByRole('menuitem', { name: item })
    .click();
  const file = await download;
  const bytes = readFileSync(await file.path());
  mkdirSync(SCREENSHOTS, { recursive: true });
  copyFileSync(await file.path(), `${SCREENSHOTS}/export-${file.suggestedFilename()}`);
  return { name: file.suggestedFilename(), bytes };
}

/** Width and height from the IHDR chunk, the first after the signature. */
function pngSize(bytes: Buffer): { width: number; height: number } {
  expect([...bytes.subarray(0, 8)]).toEqual(PNG_SIGNATURE);
  expect(bytes.subarray(12, 16).toString('ascii')).toBe('IHDR');
  return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
}

test('E1 exported as PNG and SVG: the whole lab, named after the lab file, labels as text', async ({
  page,
  webHost,
}) => {
  await openBuiltIn(page, webHost.url, E1);
  const canvas = page.getByTestId('topology-canvas');
  await expect(canvas).toBeVisible();
  // Zoomed in: what the view shows is only part of the lab; the export is still all of it.
  const tools = page.getByRole('toolbar', { name: 'Canvas tools' });
  for (let i = 0; i < 4; i++) await tools.getByRole('button', { name: 'Zoom in' }).click();
  await screenshot(page, 'export-diagram-before');

  await page
    .getByRole('toolbar', { name: 'Canvas tools' })
    .getByRole('button', { name: 'Export diagram' })
    .click();
  await expect(page.getByRole('menuitem', { name: /PNG picture/ })).toBeFocused();
  await screenshot(page, 'export-diagram-menu');
  await page.keyboard.press('Escape');
  await expect(page.getByRole('menu', { name: 'Export diagram' })).toBeHidden();

  const svg = await exportAs(page, 'SVG drawing');
  expect(svg.name).toBe('e1-nested-vm-out.svg');
  await expect(page.getByText('Exported e1-nested-vm-out.svg.')).toBeVisible();
  const read = await page.evaluate(async (text) => {
    const doc = new DOMParser().parseFromString(text, 'image/svg+xml');
    const root = doc.documentElement;
    const url = URL.createObjectURL(new Blob([text], { type: 'image/svg+xml' }));
    const image = new Image();
    image.src = url;
    await image.decode();
    URL.revokeObjectURL(url);
    return {
      error: doc.querySelector('parsererror')?.textContent ?? null,
      root: root.localName,
      width: Number(root.getAttribute('width')),
      height: Number(root.getAttribute('height')),
      texts: [...doc.querySelectorAll('text tspan')].map((t) => t.textContent ?? ''),
      ids: [...doc.querySelectorAll('g[id]')].map((g) => g.id),
      drawn: { width: image.naturalWidth, height: image.naturalHeight },
    };
  }, svg.bytes.toString('utf8'));
  expect(read.error).toBeNull();
  expect(read.root).toBe('svg');
  expect(read.drawn.width).toBe(Math.round(read.width));
  const words = read.texts.join('\n');
  for (const label of ['esxi', 'web1', 'lan', 'client', 'esxi-vsw0'])
    expect(words).toMatch(new RegExp(`\\b${label}\\b`));
  expect(read.ids).toEqual(expect.arrayContaining(['vm:esxi', 'vm:web1', 'network:lan']));

  const png = await exportAs(page, 'PNG picture');
  expect(png.name).toBe('e1-nested-vm-out.png');
  const size = pngSize(png.bytes);
  // The full graph at scale 2, with its margin: the SVG's drawing at twice its size.
  expect(Math.abs(size.width - 2 * read.width)).toBeLessThanOrEqual(4);
  expect(Math.abs(size.height - 2 * read.height)).toBeLessThanOrEqual(4);
  expect(size.width).toBeGreaterThan(800);
  const inked = await page.evaluate(async (base64) => {
    const bitmap = await createImageBitmap(
      new Blob([Uint8Array.from(atob(base64), (c) => c.charCodeAt(0))], { type: 'image/png' }),
    );
    const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
    const context = canvas.getContext('2d');
    if (!context) return 0;
    context.drawImage(bitmap, 0, 0);
    const { data } = context.getImageData(0, 0, bitmap.width, bitmap.height);
    const [r, g, b] = [data[0], data[1], data[2]];
    let differing = 0;
    for (let i = 0; i < data.length; i += 4)
      if (data[i] !== r || data[i + 1] !== g || data[i + 2] !== b) differing++;
    return differing / (data.length / 4);
  }, png.bytes.toString('base64'));
  // Boxes, bars, links and labels cover a good share of the picture; a blank one fails.
  expect(inked).toBeGreaterThan(0.05);
  // The view is as it was: still zoomed in, nothing moved.
  await screenshot(page, 'export-diagram-after');
});

test('a generated 1,000-node lab exports whole: every node in the SVG, the PNG within its pixel budget', async ({
  page,
  webHost,
}) => {
  test.setTimeout(120_000);
  const big = bigLab(1000);
  await page.goto(webHost.url);
  await openLabFile(page, 'big.lab.yaml', big.text);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(big.title);

  let started = Date.now();
  const svg = await exportAs(page, 'SVG drawing');
  const svgMs = Date.now() - started;
  expect(svg.name).toBe('big.svg');
  const counted = await page.evaluate((text) => {
    const doc = new DOMParser().parseFromString(text, 'image/svg+xml');
    return {
      error: doc.querySelector('parsererror')?.textContent ?? null,
      nodes: doc.querySelectorAll('g.node').length,
      labels: doc.querySelectorAll('g.node text').length,
    };
  }, svg.bytes.toString('utf8'));
  expect(counted.error).toBeNull();
  expect(counted.nodes).toBe(big.nodes);
  expect(counted.labels).toBe(big.nodes);

  started = Date.now();
  const png = await exportAs(page, 'PNG picture');
  const pngMs = Date.now() - started;
  const size = pngSize(png.bytes);
  expect(size.width * size.height).toBeLessThanOrEqual(MAX_PNG_PIXELS * 1.01);
  expect(Math.min(size.width, size.height)).toBeGreaterThan(1000);
  console.log(
    `1,000-node export: SVG ${svgMs} ms (${svg.bytes.length} bytes), PNG ${pngMs} ms ` +
      `(${size.width}×${size.height}, ${png.bytes.length} bytes)`,
  );
});
