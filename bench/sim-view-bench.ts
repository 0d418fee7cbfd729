/**
 * The simulation view's performance in Chromium (issue 5, item 9), on a lab of about 300
 * nodes where one network joins 220 hosts: the animation's frames per second while a
 * broadcast's 219 copies fly out of that network at once (counted only in the frames where
 * the overlay really drew at least 200 moving), and the time from a click on Ping to the
 * first picture with a frame moving. Driven by Playwright against the real web host, with
 * Debian's Chromium; best of three runs (one with --quick), as the machines are shared. Run
 * alone with `tsx bench/sim-view-bench.ts [--quick] [--json]`.
 */
import { fileURLToPath } from 'node:url';
import type { Page } from '@playwright/test';
import type { Lab, Vm } from '../core/model';
import { serializeLab } from '../core/lab/serialize';
import { generateLab } from './topology';
import { ensureBuilt, hasChromium, NO_CHROMIUM, openLabText, startWebHost } from './web-host';

/** Hosts on the flooded network: a broadcast from one reaches the other 219 in one hop. */
export const FAN_OUT = 220;
export const TARGET_NODES = 300;
/** The fewest frames in flight a picture must show to count towards the frame rate. */
export const IN_FLIGHT_FLOOR = 200;
const FLOOD_SUBNET = '10.200.0';

export interface SimViewFigures {
  readonly nodes: number;
  readonly fanOut: number;
  /** Speed of the playback while the frame rate was measured. */
  readonly speed: string;
  /** Broadcasts sent, and the pictures counted (each showing ≥ IN_FLIGHT_FLOOR moving). */
  readonly broadcasts: number;
  readonly framesCounted: number;
  /** Frames per second over those pictures, and the longest gap between two of them (ms). */
  readonly fps: number;
  readonly longestFrameMs: number;
  /** The fewest and most frames the overlay drew moving in a counted picture. */
  readonly inFlightMin: number;
  readonly inFlightMax: number;
  /** Click on Ping → the first picture with a frame moving, over several pings (ms). */
  readonly pings: number;
  readonly pingBestMs: number;
  readonly pingP50Ms: number;
  readonly pingWorstMs: number;
  /** The p50 ping split: click → request sent, the host's answer, answer → first move (ms). */
  readonly pingToSendP50Ms: number;
  readonly pingHostP50Ms: number;
  readonly pingRendererP50Ms: number;
}

function countNodes(lab: Lab): number {
  let count = lab.networks.length + lab.external.length;
  const visit = (vms: readonly Vm[]): void => {
    for (const vm of vms) {
      count += 1 + vm.switches.length;
      visit(vm.nested);
    }
  };
  visit(lab.vms);
  return count;
}

function floodHost(i: number): Vm {
  const hex = (n: number) => n.toString(16).padStart(2, '0');
  return {
    id: `h${i}`,
    arch: 'x86_64',
    power: 'running',
    nestedVirtualization: false,
    role: 'host',
    stp: false,
    virtualMacs: [],
    virtualIps: [],
    switches: [],
    nested: [],
    adapters: [
      {
        id: `h${i}-nic0`,
        network: 'flood',
        mac: `02:fd:00:00:${hex(i >> 8)}:${hex(i & 0xff)}`,
        ip: `${FLOOD_SUBNET}.${i}/24`,
        promiscuous: false,
      },
    ],
  };
}

/**
 * Saved positions, so the first draw needs no layout: the flooded network's hosts in rows
 * above it, the rest of the lab in a grid below.
 */
function positionsOf(lab: Lab): Record<string, { x: number; y: number }> {
  const positions: Record<string, { x: number; y: number }> = {};
  const columns = 22;
  for (let i = 1; i <= FAN_OUT; i += 1) {
    const k = i - 1;
    positions[`h${i}`] = { x: (k % columns) * 110, y: Math.floor(k / columns) * 110 };
  }
  const floodY = Math.ceil(FAN_OUT / columns) * 110 + 160;
  positions.flood = { x: ((columns - 1) * 110) / 2, y: floodY };
  let k = 0;
  const place = (id: string): void => {
    positions[id] = { x: (k % columns) * 110, y: floodY + 260 + Math.floor(k / columns) * 140 };
    k += 1;
  };
  for (const n of lab.networks) if (n.id !== 'flood') place(n.id);
  const visit = (vms: readonly Vm[]): void => {
    for (const vm of vms) {
      if (vm.id.startsWith('h')) continue;
      if (vm.switches.length === 0 && vm.nested.length === 0) place(vm.id);
      for (const sw of vm.switches) place(sw.id);
      visit(vm.nested);
    }
  };
  visit(lab.vms);
  return positions;
}

/**
 * A generated lab (hypervisors, nested VMs, bridges) topped up to TARGET_NODES with a network
 * of FAN_OUT hosts, positions saved. Deterministic.
 */
export function floodLab(): Lab {
  const hosts = Array.from({ length: FAN_OUT }, (_, i) => floodHost(i + 1));
  for (let vms = 0; ; vms += 1) {
    const base = generateLab(vms).lab;
    const lab: Lab = {
      ...base,
      title: `Simulation bench: one network floods ${FAN_OUT - 1} hosts`,
      networks: [...base.networks, { id: 'flood', subnet: `${FLOOD_SUBNET}.0/24` }],
      vms: [...base.vms, ...hosts],
    };
    if (countNodes(lab) >= TARGET_NODES) return { ...lab, ui: { positions: positionsOf(lab) } };
  }
}

/**
 * Notes when the renderer sends `traffic.run` and when its answer arrives, before any page
 * script sees it (a string, so the bundler's helpers stay out of the page).
 */
const WATCH_RUNS = `(() => {
  const send = WebSocket.prototype.send;
  WebSocket.prototype.send = function (data) {
    if (typeof data === 'string' && data.includes('"method":"traffic.run"')) {
      window.benchRunId = JSON.parse(data).id;
      window.benchRunSent = performance.now();
    }
    return send.call(this, data);
  };
  const add = WebSocket.prototype.addEventListener;
  WebSocket.prototype.addEventListener = function (type, listener, options) {
    if (type !== 'message') return add.call(this, type, listener, options);
    const watched = (event) => {
      if (typeof event.data === 'string' && event.data.startsWith('{"id":' + window.benchRunId + ','))
        window.benchRunAnswered = performance.now();
      listener(event);
    };
    return add.call(this, type, watched, options);
  };
})()`;

/** Shows every frame's fate now (when a run has been played), and waits for its picture. */
async function toTheEnd(page: Page): Promise<void> {
  const end = page
    .getByRole('toolbar', { name: 'Playback' })
    .getByRole('button', { name: 'To the end' });
  if (await end.isEnabled()) await end.click();
  await page.locator('[data-testid="frame-overlay"][data-in-flight="0"]').waitFor();
}

interface PingTiming {
  readonly total: number;
  readonly toSend: number;
  readonly host: number;
  readonly renderer: number;
}

/** Pings a fresh address each time (so each one broadcasts an ARP first) and times it. */
async function pingTimes(page: Page, count: number): Promise<PingTiming[]> {
  const region = page.getByRole('region', { name: 'Ping' });
  await region.getByLabel('From').selectOption('h1');
  const button = region.getByRole('button', { name: 'Ping' });
  const times: PingTiming[] = [];
  for (let i = 0; i < count; i += 1) {
    // Nothing moving when the click lands, so the first frame drawn moving is this ping's.
    await toTheEnd(page);
    await region.getByLabel('To (IP or host)').fill(`${FLOOD_SUBNET}.${2 + i}`);
    await button.evaluate((el) => {
      performance.clearMeasures('nestlab:run-to-first-move');
      el.addEventListener('click', () => performance.mark('bench:ping-click'), { once: true });
    });
    await button.click();
    const timing = await page.evaluate(`(async () => {
      while (performance.getEntriesByName('nestlab:run-to-first-move', 'measure').length === 0)
        await new Promise((r) => setTimeout(r, 5));
      const moved = performance.getEntriesByName('nestlab:run-to-first-move', 'measure')[0];
      const clicked = performance.getEntriesByName('bench:ping-click', 'mark')[0].startTime;
      performance.clearMarks('bench:ping-click');
      const end = moved.startTime + moved.duration;
      return {
        total: end - clicked,
        toSend: window.benchRunSent - clicked,
        host: window.benchRunAnswered - window.benchRunSent,
        renderer: end - window.benchRunAnswered,
      };
    })()`);
    const t = timing as PingTiming;
    if (!(t.host > 0 && t.renderer > 0))
      throw new Error(`ping ${i}: the first move was drawn before the answer came`);
    times.push(t);
  }
  return times;
}

interface FlightSample {
  readonly t: number;
  readonly inFlight: number;
}

/** Records, each animation frame, its time and how many frames the overlay drew moving. */
const START_SAMPLING = `(() => {
  const overlay = document.querySelector('[data-testid="frame-overlay"]');
  window.benchSamples = [];
  window.benchSampling = true;
  const tick = (t) => {
    window.benchSamples.push({ t, inFlight: Number(overlay.dataset.inFlight ?? 0) });
    if (window.benchSampling) requestAnimationFrame(tick);
  };
  requestAnimationFrame(tick);
})()`;

/** Sends `count` broadcasts from h1, each once the previous one's fan-out has landed. */
async function broadcastSamples(page: Page, count: number): Promise<FlightSample[]> {
  const region = page.getByRole('region', { name: 'Custom frame' });
  await region.getByLabel('Adapter').selectOption('h1-nic0');
  await region.getByLabel('Destination MAC').fill('ff:ff:ff:ff:ff:ff');
  await region.getByLabel('Type').fill('arp');
  await page.evaluate(START_SAMPLING);
  for (let i = 0; i < count; i += 1) {
    const seen = await page.evaluate(
      () => (window as unknown as { benchSamples: [] }).benchSamples.length,
    );
    await region.getByRole('button', { name: 'Send frame' }).click();
    // The fan-out took off and has landed again.
    await page.waitForFunction(
      ({ from, floor }) => {
        const s = (window as unknown as { benchSamples: FlightSample[] }).benchSamples.slice(from);
        const up = s.findIndex((x) => x.inFlight >= floor);
        return up >= 0 && s.slice(up).some((x) => x.inFlight < floor);
      },
      { from: seen, floor: IN_FLIGHT_FLOOR },
      { timeout: 30_000, polling: 100 },
    );
  }
  return page.evaluate(() => {
    const w = window as unknown as { benchSamples: FlightSample[]; benchSampling: boolean };
    w.benchSampling = false;
    return w.benchSamples;
  });
}

/** Frame rate over the gaps between consecutive pictures that both showed the floor or more. */
function rateOf(samples: readonly FlightSample[]) {
  let frames = 0;
  let totalMs = 0;
  let longest = 0;
  let min = Infinity;
  let max = 0;
  for (let i = 1; i < samples.length; i += 1) {
    const a = samples[i - 1];
    const b = samples[i];
    if (!a || !b || a.inFlight < IN_FLIGHT_FLOOR || b.inFlight < IN_FLIGHT_FLOOR) continue;
    frames += 1;
    totalMs += b.t - a.t;
    longest = Math.max(longest, b.t - a.t);
    min = Math.min(min, b.inFlight);
    max = Math.max(max, b.inFlight);
  }
  return {
    frames,
    fps: totalMs > 0 ? (frames * 1000) / totalMs : 0,
    longest,
    min: frames > 0 ? min : 0,
    max,
  };
}

function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}

/** The figures, measured on `page` (a fresh page of Chromium) against the host at `url`. */
export async function measureSimView(
  page: Page,
  url: string,
  quick: boolean,
): Promise<SimViewFigures> {
  const lab = floodLab();
  await page.addInitScript(WATCH_RUNS);
  await page.goto(url);
  await page.getByRole('group', { name: 'Lab file' }).waitFor();
  await openLabText(page, lab.title, serializeLab(lab));
  await page.getByRole('group', { name: 'View' }).getByRole('button', { name: 'Simulate' }).click();
  await page.getByTestId('frame-overlay').waitFor();

  const pings = await pingTimes(page, quick ? 5 : 12);
  const speed = '1×';
  await page.getByRole('toolbar', { name: 'Playback' }).getByLabel('Speed').selectOption(speed);
  const broadcasts = quick ? 3 : 10;
  const rate = rateOf(await broadcastSamples(page, broadcasts));
  const p50 = (pick: (t: PingTiming) => number) => percentile(pings.map(pick), 50);
  return {
    nodes: countNodes(lab),
    fanOut: FAN_OUT,
    speed,
    broadcasts,
    framesCounted: rate.frames,
    fps: rate.fps,
    longestFrameMs: rate.longest,
    inFlightMin: rate.min,
    inFlightMax: rate.max,
    pings: pings.length,
    pingBestMs: Math.min(...pings.map((t) => t.total)),
    pingP50Ms: p50((t) => t.total),
    pingWorstMs: Math.max(...pings.map((t) => t.total)),
    pingToSendP50Ms: p50((t) => t.toSend),
    pingHostP50Ms: p50((t) => t.host),
    pingRendererP50Ms: p50((t) => t.renderer),
  };
}

export async function runSimViewBench(quick: boolean): Promise<SimViewFigures> {
  const host = await startWebHost();
  try {
    const page = await host.browser.newPage({ viewport: { width: 1280, height: 800 } });
    return await measureSimView(page, host.url, quick);
  } finally {
    await host.close();
  }
}

export function formatSimViewBench(f: SimViewFigures): string {
  const ms = (n: number) => `${n.toFixed(0)} ms`;
  const mark = (met: boolean) => (met ? 'met' : 'NOT met');
  return [
    `Simulation view in Chromium (${f.nodes} nodes, one network of ${f.fanOut} hosts, 1280×800, --disable-gpu)`,
    `  animation with ≥ ${IN_FLIGHT_FLOOR} frames in flight: ${f.fps.toFixed(1)} fps — target ≥ 55: ${mark(f.fps >= 55)}`,
    `    ${f.framesCounted} pictures over ${f.broadcasts} broadcasts at ${f.speed}, each drawing ${f.inFlightMin}–${f.inFlightMax} frames moving; longest gap ${ms(f.longestFrameMs)}`,
    `  click Ping → first frame moving: best ${ms(f.pingBestMs)}, p50 ${ms(f.pingP50Ms)}, worst ${ms(f.pingWorstMs)} over ${f.pings} pings — target < 100 ms (p50): ${mark(f.pingP50Ms < 100)}`,
    `    p50 parts: click → traffic.run sent ${ms(f.pingToSendP50Ms)}; the host's answer ${ms(f.pingHostP50Ms)}; answer → first move drawn ${ms(f.pingRendererP50Ms)}`,
  ].join('\n');
}

// ——— As a section of `npm run bench` ———

/** The section's figures (the best of its runs), or why there are none. */
export type SimViewSection =
  | (SimViewFigures & {
      readonly runs: number;
      /** Each run's frame rate and median ping, to show the spread the best was taken from. */
      readonly fpsByRun: readonly number[];
      readonly pingP50MsByRun: readonly number[];
    })
  | { readonly skipped: string };

/**
 * The best of several runs, as the machines it runs on are shared and noisy: the frame rate
 * and its details from the run with the most frames per second, the pings from the run with
 * the lowest median.
 */
export function bestOf(all: readonly SimViewFigures[]): SimViewFigures {
  const [first] = all;
  if (!first) throw new Error('no runs');
  const fastest = all.reduce((a, b) => (b.fps > a.fps ? b : a));
  const quickest = all.reduce((a, b) => (b.pingP50Ms < a.pingP50Ms ? b : a));
  return {
    ...fastest,
    pings: quickest.pings,
    pingBestMs: quickest.pingBestMs,
    pingP50Ms: quickest.pingP50Ms,
    pingWorstMs: quickest.pingWorstMs,
    pingToSendP50Ms: quickest.pingToSendP50Ms,
    pingHostP50Ms: quickest.pingHostP50Ms,
    pingRendererP50Ms: quickest.pingRendererP50Ms,
  };
}

/**
 * The simulation view's section: skipped without Chromium; the app built first when out/
 * lacks it; the benchmark run `runs` times, the best kept.
 */
export async function runSimViewSection(
  quick: boolean,
  runs = quick ? 1 : 3,
): Promise<SimViewSection> {
  if (!hasChromium()) return { skipped: NO_CHROMIUM };
  ensureBuilt();
  const all: SimViewFigures[] = [];
  for (let i = 0; i < runs; i += 1) all.push(await runSimViewBench(quick));
  return {
    ...bestOf(all),
    runs,
    fpsByRun: all.map((f) => f.fps),
    pingP50MsByRun: all.map((f) => f.pingP50Ms),
  };
}

export function formatSimViewSection(section: SimViewSection): string {
  if ('skipped' in section) return `Simulation view in Chromium: ${section.skipped}`;
  const [title, ...lines] = formatSimViewBench(section).split('\n');
  if (section.runs === 1) return [`${title} — one run`, ...lines].join('\n');
  const each = (values: readonly number[], digits: number) =>
    values.map((v) => v.toFixed(digits)).join(', ');
  return [
    `${title} — best of ${section.runs} runs`,
    ...lines,
    `  each run: ${each(section.fpsByRun, 1)} fps; ping p50 ${each(section.pingP50MsByRun, 0)} ms`,
  ].join('\n');
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const section = await runSimViewSection(process.argv.includes('--quick'));
  process.stdout.write(
    process.argv.includes('--json')
      ? `${JSON.stringify(section, null, 2)}\n`
      : `${formatSimViewSection(section)}\n`,
  );
}
