// The app's icons from one source picture: build/icon.svg rendered by Chromium (Playwright's
// launcher with the system's Chromium) at each size electron-builder asks for: build/icon.png
// (1024 px: macOS and Windows icons are made from it) and build/icons/NxN.png (Linux).
// Run it after changing the picture: `node scripts/make-icons.mjs`; the PNGs are committed.
import { mkdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const root = fileURLToPath(new URL('..', import.meta.url));
const svg = readFileSync(`${root}build/icon.svg`, 'utf8');
const SIZES = [16, 32, 48, 64, 128, 256, 512, 1024];

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu'],
});
try {
  mkdirSync(`${root}build/icons`, { recursive: true });
  for (const size of SIZES) {
    const page = await browser.newPage({ viewport: { width: size, height: size } });
    await page.setContent(
      `<html><body style="margin:0;background:transparent">${svg.replace('<svg ', `<svg width="${size}" height="${size}" `)}</body></html>`,
    );
    const out = size === 1024 ? `${root}build/icon.png` : `${root}build/icons/${size}x${size}.png`;
    await page.screenshot({ path: out, omitBackground: true });
    await page.close();
    process.stdout.write(`${out}\n`);
  }
} finally {
  await browser.close();
}
