/**
 * The theme switch in the header: on a light system, choosing Dark makes the page and the
 * canvas dark at once (the canvas restyles without a reload) and the choice survives a
 * reload (the `ui.theme` setting); choosing System follows the system's colour scheme as it
 * changes. Screenshots of E1 in each theme at 1280×800 go to artifacts/screenshots.
 */
import type { Page } from '@playwright/test';
import { openBuiltIn, screenshot } from './editor-helpers';
import { expect, test } from './web-host-fixture';

test.describe.configure({ timeout: 60_000 });

const E1 = 'E1: A nested VM reaches the gateway';
/** --bg in app.css, light and dark, as computed. */
const LIGHT_BG = 'rgb(245, 246, 248)';
const DARK_BG = 'rgb(20, 23, 29)';

async function chooseTheme(page: Page, name: 'System' | 'Light' | 'Dark'): Promise<void> {
  await page.getByRole('button', { name: 'Theme', exact: true }).click();
  await page.getByRole('menu', { name: 'Theme' }).getByRole('menuitemradio', { name }).click();
  await expect(page.getByRole('menu', { name: 'Theme' })).toBeHidden();
}

async function pageBackground(page: Page): Promise<string> {
  return page.evaluate(() => getComputedStyle(document.body).backgroundColor);
}

/** The share of the canvas's pixels that are near white (node boxes in the light theme). */
async function nearWhiteShare(page: Page): Promise<number> {
  const png = await page.getByTestId('topology-canvas').screenshot();
  return page.evaluate(async (base64) => {
    const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
    const bitmap = await createImageBitmap(new Blob([bytes], { type: 'image/png' }));
    const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
    const context = canvas.getContext('2d');
    if (!context) return -1;
    context.drawImage(bitmap, 0, 0);
    const { data } = context.getImageData(0, 0, bitmap.width, bitmap.height);
    let white = 0;
    for (let i = 0; i < data.length; i += 4)
      if ((data[i] ?? 0) > 240 && (data[i + 1] ?? 0) > 240 && (data[i + 2] ?? 0) > 240) white++;
    return white / (data.length / 4);
  }, png.toString('base64'));
}

test('Dark chosen on a light system darkens the page and the canvas and survives a reload', async ({
  page,
  webHost,
}) => {
  await page.emulateMedia({ colorScheme: 'light' });
  await openBuiltIn(page, webHost.url, E1);
  await expect.poll(() => pageBackground(page)).toBe(LIGHT_BG);
  await expect.poll(() => nearWhiteShare(page)).toBeGreaterThan(0.3);
  await screenshot(page, 'theme-01-light-system');

  await chooseTheme(page, 'Dark');
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
  await expect.poll(() => pageBackground(page)).toBe(DARK_BG);
  // The drawing restyled too: no white node boxes are left on the dark canvas.
  await expect.poll(() => nearWhiteShare(page)).toBeLessThan(0.01);
  await screenshot(page, 'theme-02-dark-chosen');

  await page.reload();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(E1);
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
  await expect.poll(() => pageBackground(page)).toBe(DARK_BG);
  await expect.poll(() => nearWhiteShare(page)).toBeLessThan(0.01);
  await page.getByRole('button', { name: 'Theme', exact: true }).click();
  await expect(page.getByRole('menuitemradio', { name: 'Dark' })).toHaveAttribute(
    'aria-checked',
    'true',
  );
  await expect(page.getByRole('menuitemradio', { name: 'Dark' })).toBeFocused();
  await screenshot(page, 'theme-03-menu-dark');
  await page.keyboard.press('Escape');

  await chooseTheme(page, 'Light');
  await page.emulateMedia({ colorScheme: 'dark' });
  // Light stays light on a dark system.
  await expect.poll(() => pageBackground(page)).toBe(LIGHT_BG);
  await screenshot(page, 'theme-04-light-chosen-dark-system');
});

test('System follows the emulated colour scheme as it changes', async ({ page, webHost }) => {
  await page.emulateMedia({ colorScheme: 'light' });
  await openBuiltIn(page, webHost.url, E1);
  await chooseTheme(page, 'Dark');
  await chooseTheme(page, 'System');
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'system');
  await expect.poll(() => pageBackground(page)).toBe(LIGHT_BG);

  await page.emulateMedia({ colorScheme: 'dark' });
  await expect.poll(() => pageBackground(page)).toBe(DARK_BG);
  await expect.poll(() => nearWhiteShare(page)).toBeLessThan(0.01);
  await screenshot(page, 'theme-05-system-dark');

  await page.emulateMedia({ colorScheme: 'light' });
  await expect.poll(() => pageBackground(page)).toBe(LIGHT_BG);
  await expect.poll(() => nearWhiteShare(page)).toBeGreaterThan(0.3);

  // Kept as "system" across a reload, still following the system.
  await page.reload();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(E1);
  await page.emulateMedia({ colorScheme: 'dark' });
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'system');
  await expect.poll(() => pageBackground(page)).toBe(DARK_BG);
});
