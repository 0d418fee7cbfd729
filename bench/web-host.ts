/**
 * What the Chromium benchmarks share: the app built when out/ is missing or stale, the web host started
 * on a free port over a scratch data folder (stopped and removed afterwards), Debian's
 * Chromium with the project's launch arguments, and a lab file opened through the editor's
 * Open… dialog.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from '@playwright/test';
import { newest } from './build-freshness';

const repoRoot = fileURLToPath(new URL('../', import.meta.url));
export const CHROMIUM = '/usr/bin/chromium';
const ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export interface WebHost {
  /** The renderer's address with the session token. */
  readonly url: string;
  readonly browser: Browser;
  /** Closes Chromium, stops the host and removes its data folder. */
  close(): Promise<void>;
}

export const NO_CHROMIUM = `skipped: no Chromium at ${CHROMIUM}`;

export function hasChromium(): boolean {
  return existsSync(CHROMIUM);
}

/**
 * Builds the app (`npm run build`) when out/ lacks the renderer or the CLI, or when a source
 * they are built from is newer; the build's output goes to stderr, so `--json` stays JSON.
 */
export function ensureBuilt(): void {
  const outputs = ['out/renderer/index.html', 'out/cli/nestlab.cjs'].map((f) => join(repoRoot, f));
  const built = Math.min(...outputs.map((f) => (existsSync(f) ? statSync(f).mtimeMs : 0)));
  const sources = [
    'renderer',
    'core',
    'electron.vite.config.ts',
    'scripts/build-cli.mjs',
    'package-lock.json',
  ];
  const changed = Math.max(...sources.map((f) => newest(join(repoRoot, f))));
  if (built > 0 && built >= changed) return;
  process.stderr.write(
    'bench: building the app first (out/ is missing or older than its sources)…\n',
  );
  const build = spawnSync('npm', ['run', 'build'], { cwd: repoRoot, stdio: ['ignore', 2, 2] });
  if (build.status !== 0) throw new Error(`npm run build failed (exit ${build.status})`);
}

function startServe(dataDir: string): Promise<{ child: ChildProcess; url: string }> {
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

/** The web host over a scratch data folder, and Chromium launched to visit it. */
export async function startWebHost(): Promise<WebHost> {
  const dataDir = mkdtempSync(join(tmpdir(), 'nestlab-bench-'));
  const host = await startServe(dataDir);
  const exited = new Promise((resolve) => host.child.once('exit', resolve));
  const stop = async (): Promise<void> => {
    host.child.kill('SIGTERM');
    await exited;
    rmSync(dataDir, { recursive: true, force: true });
  };
  let browser: Browser;
  try {
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
  } catch (error) {
    await stop();
    throw error;
  }
  return {
    url: host.url,
    browser,
    async close() {
      await browser.close();
      await stop();
    },
  };
}

/** Opens lab text through the Open… dialog and waits until the lab's title shows. */
export async function openLabText(page: Page, title: string, text: string): Promise<void> {
  await page
    .getByRole('group', { name: 'Lab file' })
    .getByRole('button', { name: 'Open…' })
    .click();
  await page.getByTestId('open-lab-file').setInputFiles({
    name: 'bench.lab.yaml',
    mimeType: 'application/yaml',
    buffer: Buffer.from(text),
  });
  await page.getByRole('heading', { level: 1, name: title }).waitFor();
}
