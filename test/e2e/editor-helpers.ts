/**
 * What the editor tests do again and again, through the UI only: start an empty lab, drop a
 * palette item on the canvas at a point, drag a connection in connect mode, fill the add
 * dialog, save the lab file (the download) and check it with the real `nestlab check`, and
 * keep screenshots under artifacts/screenshots.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Locator, Page } from '@playwright/test';
import { expect } from './web-host-fixture';

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
export const SCREENSHOTS = 'artifacts/screenshots';

export interface Spot {
  readonly x: number;
  readonly y: number;
}

export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: `${SCREENSHOTS}/${name}.png` });
}

export function topologyItem(page: Page, canvasId: string): Locator {
  return page.locator(`[aria-labelledby="topology-heading"] li[data-canvas-id="${canvasId}"]`);
}

export function canvas(page: Page): Locator {
  return page.getByTestId('topology-canvas');
}

/** A point of the canvas as a fraction of its size, in page coordinates. */
export async function at(page: Page, fx: number, fy: number): Promise<Spot> {
  const box = await canvas(page).boundingBox();
  if (!box) throw new Error('the canvas is not visible');
  return { x: Math.round(box.x + box.width * fx), y: Math.round(box.y + box.height * fy) };
}

export async function newLab(page: Page, url: string): Promise<void> {
  await page.goto(url);
  await page.getByRole('group', { name: 'Lab file' }).getByRole('button', { name: 'New' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Untitled lab');
  await expect(page.getByText('Add a network to start')).toBeVisible();
}

export async function openBuiltIn(page: Page, url: string, title: string): Promise<void> {
  await page.goto(url);
  await page
    .getByRole('group', { name: 'Lab file' })
    .getByRole('button', { name: 'Open…' })
    .click();
  await page
    .getByRole('dialog', { name: 'Open a lab' })
    .getByRole('button', { name: new RegExp(title.replace(/[()]/g, '.')) })
    .click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(title);
}

/** Drags a palette item onto the canvas and answers the add dialog with an id and name. */
export async function dropPalette(
  page: Page,
  item: string,
  spot: Spot,
  answer: { id: string; name?: string; fill?: (dialog: Locator) => Promise<void> },
): Promise<void> {
  const source = page
    .getByRole('region', { name: 'Add to the lab' })
    .getByRole('button', { name: item, exact: true });
  const box = await canvas(page).boundingBox();
  if (!box) throw new Error('the canvas is not visible');
  await source.dragTo(canvas(page), {
    targetPosition: { x: spot.x - box.x, y: spot.y - box.y },
  });
  await answerAdd(page, answer);
}

export async function answerAdd(
  page: Page,
  answer: { id: string; name?: string; fill?: (dialog: Locator) => Promise<void> },
): Promise<void> {
  const dialog = page.getByRole('dialog');
  await expect(dialog).toBeVisible();
  await expect(dialog.getByLabel('Id')).toBeFocused();
  await dialog.getByLabel('Id').fill(answer.id);
  if (answer.name) await dialog.getByLabel('Display name (optional)').fill(answer.name);
  if (answer.fill) await answer.fill(dialog);
  await dialog.getByLabel('Id').press('Enter');
  await expect(dialog).toHaveCount(0);
}

/** In connect mode, drags from one point of the canvas to another. */
export async function dragConnect(page: Page, from: Spot, to: Spot): Promise<void> {
  const tool = page.getByRole('button', { name: 'Connect', exact: true });
  if ((await tool.getAttribute('aria-pressed')) !== 'true') await tool.click();
  await page.mouse.move(from.x, from.y);
  await page.mouse.down();
  await page.mouse.move((from.x + to.x) / 2, (from.y + to.y) / 2, { steps: 5 });
  await page.mouse.move(to.x, to.y, { steps: 5 });
  await page.mouse.up();
}

/** Opens a lab file from disk through the sidebar's Open… (the page's own file picker). */
export async function openLabFile(page: Page, name: string, text: string): Promise<void> {
  await page
    .getByRole('group', { name: 'Lab file' })
    .getByRole('button', { name: 'Open…' })
    .click();
  await page.getByTestId('open-lab-file').setInputFiles({
    name,
    mimeType: 'application/yaml',
    buffer: Buffer.from(text),
  });
}

/** Types into an inspector field and commits it with Enter. */
export async function setField(page: Page, label: string, value: string): Promise<void> {
  const field = page.getByLabel(label, { exact: true });
  await field.fill(value);
  await field.press('Enter');
  await expect(field).toHaveValue(value);
  await expect(field).not.toHaveAttribute('aria-invalid', 'true');
}

/** Ctrl+S, and the saved file's text. */
export async function saveLab(page: Page): Promise<{ name: string; text: string; path: string }> {
  const download = page.waitForEvent('download');
  await page.keyboard.press('Control+s');
  const file = await download;
  const path = await file.path();
  return { name: file.suggestedFilename(), text: readFileSync(path, 'utf8'), path };
}

/** `nestlab check FILE --json`, as the CLI prints it. */
export function nestlabCheck(path: string): {
  valid: boolean;
  violations: { code: string; path: string; message: string }[];
} {
  let out: string;
  try {
    out = execFileSync(process.execPath, ['bin/nestlab.js', 'check', path, '--json'], {
      cwd: repoRoot,
      encoding: 'utf8',
    });
  } catch (error) {
    out = String((error as { stdout?: string }).stdout ?? '');
  }
  const parsed = JSON.parse(out) as unknown;
  const report = (Array.isArray(parsed) ? parsed[0] : parsed) as {
    valid: boolean;
    violations: { code: string; path: string; message: string }[];
  };
  return report;
}

/** The checkpoint card over the canvas (a non-modal dialog named by its question). */
export function checkpointCard(page: Page): Locator {
  return page.locator('[role="dialog"][data-stage]');
}

/**
 * "Run all" in Simulate, answering every checkpoint on the way with choice `answer` (or the
 * answer kept from before) and going on after each verdict; returns when the script has run.
 */
export async function runWholeScript(page: Page, answer = 0): Promise<void> {
  const runAll = page.getByRole('button', { name: 'Run all', exact: true });
  await runAll.click();
  const card = checkpointCard(page);
  for (;;) {
    await expect(async () => {
      expect((await card.count()) > 0 || (await runAll.isEnabled())).toBe(true);
    }).toPass({ timeout: 30_000 });
    if ((await card.count()) === 0) return;
    const choice = card.getByRole('radio').nth(answer);
    if (await choice.isEnabled()) await choice.check();
    await card.getByRole('button', { name: 'Run the step' }).click();
    await card.getByRole('button', { name: 'Continue' }).click({ timeout: 30_000 });
  }
}

/** E1's fix through the inspector: stop esxi, make its uplink esxi-nic0 promiscuous, start it. */
export async function fixE1(page: Page): Promise<void> {
  await topologyItem(page, 'adapter:esxi-nic0').getByRole('button').first().click();
  const power = page.getByRole('group', { name: 'Power of esxi' });
  await power.getByRole('button', { name: 'Stop' }).click();
  await expect(power).toContainText('■ stopped');
  await page
    .getByRole('radiogroup', { name: 'Promiscuous mode' })
    .getByRole('radio', { name: 'Enabled' })
    .check();
  await power.getByRole('button', { name: 'Start' }).click();
  await expect(power).toContainText('▶ running');
}

/** The Simulate view, its event list shown. */
export async function simulate(page: Page): Promise<void> {
  await page.getByRole('group', { name: 'View' }).getByRole('button', { name: 'Simulate' }).click();
  await expect(page.getByRole('table', { name: 'Events' })).toBeVisible();
}

/**
 * Jumps the animation to its end, once there is one (a run answered and not at its end yet);
 * returns the button. It turns disabled by itself when the animation ends, so "enabled? then
 * click" is checked and done in one step in the page; two steps from here raced the animation.
 */
export async function toTheEnd(page: Page): Promise<Locator> {
  const button = page
    .getByRole('toolbar', { name: 'Playback' })
    .getByRole('button', { name: 'To the end' });
  const events = page.getByRole('table', { name: 'Events' });
  await expect(events).not.toHaveAttribute('aria-rowcount', '1');
  await button.evaluate((element: HTMLButtonElement) => {
    if (!element.disabled) element.click();
  });
  return button;
}
