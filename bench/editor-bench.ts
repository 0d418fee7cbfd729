/**
 * The editor's performance in Chromium (issue 4): a 1,000-node lab opened through the UI
 * and drawn (with saved positions, and without, when the editor lays it out with fcose);
 * pan and zoom frames per second on it; and an edit's round trip at that size (a click on
 * Stop → the core → the inspector and the canvas redrawn). Driven by Playwright against the
 * real web host, with Debian's Chromium. Run alone with `tsx bench/editor-bench.ts`.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Page } from '@playwright/test';
import type { Lab } from '../core/model';
import { serializeLab } from '../core/lab/serialize';
import { generateLab } from './topology';

const repoRoot = fileURLToPath(new URL('../', import.meta.url));
const CHROMIUM = '/usr/bin/chromium';
const ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
export const TARGET_NODES = 1_000;

export interface EditorFigures {
  readonly nodes: number;
  readonly edges: number;
  /** Open → drawn and painted, with positions saved in the lab (ms). */
  readonly drawSavedMs: number;
  /** cytoscape's part of that: adding, placing and styling the elements (ms). */
  readonly drawSavedCanvasMs: number;
  /** Open → drawn and painted without positions: fcose lays it out first (ms). */
  readonly drawFcoseMs: number;
  readonly panFps: number;
  readonly zoomFps: number;
  /** Click on Stop → the core → inspector and canvas redrawn, over repeated edits (ms). */
  readonly editP50Ms: number;
  readonly editP95Ms: number;
}

function nodeCount(lab: Lab): number {
  let count = lab.networks.length + lab.external.length;
  const visit = (vms: Lab['vms']): void => {
    for (const vm of vms) {
      count += 1 + vm.switches.length;
      visit(vm.nested);
    }
  };
  visit(lab.vms);
  return count;
}

function edgeCount(lab: Lab): number {
  let count = 0;
  const visit = (vms: Lab['vms']): void => {
    for (const vm of vms) {
      count += vm.adapters.filter((a) => a.network !== undefined || a.switch !== undefined).length;
      visit(vm.nested);
    }
  };
  visit(lab.vms);
  return count;
}

/** The smallest generated lab with at least TARGET_NODES nodes. */
export function benchLab(): Lab {
  for (let vms = Math.floor(TARGET_NODES / 2.2); ; vms += 1) {
    const { lab } = generateLab(vms);
    if (nodeCount(lab) >= TARGET_NODES) return lab;
  }
}

function startHost(dataDir: string): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(
    process.execPath,
    ['bin/nestlab.js', 'serve', '--port', '0', '--data', dataDir],
    { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  return new Promise((resolve, reject) => {
    let output = '';
    const timer = setTimeout(() => reject(new Error(`serve printed no URL:\n${output}`)), 15_000);
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const match = /(http:\/\/127\.0\.0\.1:\d+\/\?token=[\w-]+)/.exec(output);
      if (match?.[1]) {
        clearTimeout(timer);
        resolve({ child, url: match[1] });
      }
    });
    child.once('exit', (code) => reject(new Error(`serve exited with ${code}:\n${output}`)));
  });
}

/** Opens a lab file through the Open dialog; returns change event → painted (ms) and draw (ms). */
async function openTimed(page: Page, title: string, text: string): Promise<[number, number]> {
  await page
    .getByRole('group', { name: 'Lab file' })
    .getByRole('button', { name: 'Open…' })
    .click();
  const input = page.getByTestId('open-lab-file');
  await input.evaluate((el) => {
    performance.clearMeasures('nestlab:draw');
    performance.clearMarks('bench:open');
    el.addEventListener('change', () => performance.mark('bench:open'), { once: true });
  });
  await input.setInputFiles({
    name: 'bench.lab.yaml',
    mimeType: 'application/yaml',
    buffer: Buffer.from(text),
  });
  await page.getByRole('heading', { level: 1, name: title }).waitFor();
  return page.evaluate(async () => {
    while (performance.getEntriesByName('nestlab:draw', 'measure').length === 0)
      await new Promise((r) => setTimeout(r, 5));
    await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
    const opened = performance.getEntriesByName('bench:open', 'mark')[0]?.startTime ?? 0;
    const draw = performance.getEntriesByName('nestlab:draw', 'measure')[0]?.duration ?? 0;
    return [performance.now() - opened, draw] as [number, number];
  });
}

/** Counts animation frames while `drive` runs; frames per second. */
async function framesDuring(page: Page, drive: () => Promise<void>): Promise<number> {
  // A string, so the bundler's helpers (named functions) stay out of the page.
  await page.evaluate(`(() => {
    window.benchFrames = 0;
    window.benchRun = true;
    const tick = () => {
      window.benchFrames += 1;
      if (window.benchRun) requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
  })()`);
  const started = Date.now();
  await drive();
  const seconds = (Date.now() - started) / 1000;
  const frames = await page.evaluate(() => {
    const w = window as unknown as { benchFrames: number; benchRun: boolean };
    w.benchRun = false;
    return w.benchFrames;
  });
  return frames / seconds;
}

async function panAndZoom(page: Page, quick: boolean): Promise<[number, number]> {
  const box = await page.getByTestId('topology-canvas').boundingBox();
  if (!box) throw new Error('no canvas');
  const moves = quick ? 120 : 300;
  // Pan: drag the background from a corner left of the fitted drawing.
  const panFps = await framesDuring(page, async () => {
    await page.mouse.move(box.x + 8, box.y + 8);
    await page.mouse.down();
    for (let i = 0; i < moves; i += 1) {
      const t = i / moves;
      await page.mouse.move(box.x + 8 + 300 * Math.sin(t * Math.PI * 2), box.y + 8 + 120 * t);
    }
    await page.mouse.up();
  });
  const zoomFps = await framesDuring(page, async () => {
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    for (let i = 0; i < moves; i += 1) await page.mouse.wheel(0, i % 60 < 30 ? -40 : 40);
  });
  return [panFps, zoomFps];
}

/** Click Stop/Start on the selected VM and wait for the inspector and the canvas. */
async function editRoundTrips(page: Page, count: number): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < count; i += 1) {
    const want = i % 2 === 0 ? 'Stop' : 'Start';
    const ms = await page.evaluate(async (label) => {
      const group = document.querySelector('[role="group"][aria-label^="Power of"]');
      const button = [...(group?.querySelectorAll('button') ?? [])].find((b) =>
        b.textContent?.includes(label),
      );
      if (!group || !button) throw new Error(`no ${label} button`);
      const expected = label === 'Stop' ? 'stopped' : 'running';
      performance.clearMeasures('nestlab:draw');
      const t0 = performance.now();
      const changed = new Promise<void>((resolve) => {
        const observer = new MutationObserver(() => {
          if (group.textContent?.includes(expected)) {
            observer.disconnect();
            resolve();
          }
        });
        observer.observe(group, { subtree: true, childList: true, characterData: true });
      });
      button.click();
      await changed;
      while (performance.getEntriesByName('nestlab:draw', 'measure').length === 0)
        await new Promise((r) => setTimeout(r, 1));
      await new Promise((r) => requestAnimationFrame(r));
      return performance.now() - t0;
    }, want);
    times.push(ms);
  }
  return times;
}

function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}

/** Positions for every leaf, in a grid, as an editor that saved the lab would keep them. */
export function withGridPositions(lab: Lab): Lab {
  const positions: Record<string, { x: number; y: number }> = {};
  let i = 0;
  const place = (id: string): void => {
    positions[id] = { x: (i % 40) * 240, y: Math.floor(i / 40) * 160 };
    i += 1;
  };
  for (const n of lab.networks) place(n.id);
  const visit = (vms: Lab['vms']): void => {
    for (const vm of vms) {
      if (vm.switches.length === 0 && vm.nested.length === 0) place(vm.id);
      for (const sw of vm.switches) place(sw.id);
      visit(vm.nested);
    }
  };
  visit(lab.vms);
  return { ...lab, ui: { positions } };
}

export async function runEditorBench(quick: boolean): Promise<EditorFigures> {
  const lab = benchLab();
  const dataDir = mkdtempSync(join(tmpdir(), 'nestlab-bench-'));
  const host = await startHost(dataDir);
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await page.goto(host.url);
    await page.getByRole('group', { name: 'Lab file' }).waitFor();
    const fcoseLab = { ...lab, title: 'Bench without positions' };
    const [drawFcoseMs] = await openTimed(page, fcoseLab.title, serializeLab(fcoseLab));
    const savedLab = { ...withGridPositions(lab), title: 'Bench with positions' };
    const [drawSavedMs, drawSavedCanvasMs] = await openTimed(
      page,
      savedLab.title,
      serializeLab(savedLab),
    );
    await page.getByRole('button', { name: 'Fit', exact: true }).click();
    const [panFps, zoomFps] = await panAndZoom(page, quick);
    await page
      .locator('[aria-labelledby="topology-heading"] li[data-canvas-id="vm:vm1"] > button')
      .click();
    await page.getByRole('group', { name: 'Power of vm1' }).waitFor();
    const edits = await editRoundTrips(page, quick ? 10 : 30);
    return {
      nodes: nodeCount(lab),
      edges: edgeCount(lab),
      drawSavedMs,
      drawSavedCanvasMs,
      drawFcoseMs,
      panFps,
      zoomFps,
      editP50Ms: percentile(edits, 50),
      editP95Ms: percentile(edits, 95),
    };
  } finally {
    await browser.close();
    host.child.kill('SIGTERM');
    await new Promise((resolve) => host.child.once('exit', resolve));
    rmSync(dataDir, { recursive: true, force: true });
  }
}

export function formatEditorBench(f: EditorFigures): string {
  const ms = (n: number) => `${n.toFixed(0)} ms`;
  const mark = (met: boolean) => (met ? 'met' : 'NOT met');
  return [
    `Editor in Chromium (${f.nodes.toLocaleString('en-US')} nodes, ${f.edges} links, 1280×800, --disable-gpu)`,
    `  open → drawn, positions saved in the lab:  ${ms(f.drawSavedMs)} (cytoscape ${ms(f.drawSavedCanvasMs)}) — target < 1 s: ${mark(f.drawSavedMs < 1000)}`,
    `  open → drawn, no positions (fcose layout):  ${ms(f.drawFcoseMs)}`,
    `  pan:  ${f.panFps.toFixed(1)} fps — target > 50: ${mark(f.panFps > 50)}`,
    `  zoom: ${f.zoomFps.toFixed(1)} fps — target > 50: ${mark(f.zoomFps > 50)}`,
    `  edit round trip (click Stop → core → redrawn): p50 ${ms(f.editP50Ms)}, p95 ${ms(f.editP95Ms)} — target < 50 ms: ${mark(f.editP95Ms < 50)}`,
  ].join('\n');
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const figures = await runEditorBench(process.argv.includes('--quick'));
  process.stdout.write(
    process.argv.includes('--json')
      ? `${JSON.stringify(figures, null, 2)}\n`
      : `${formatEditorBench(figures)}\n`,
  );
}
