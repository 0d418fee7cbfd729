/**
 * A fixture that starts the real web host (`node bin/nestlab.js serve --port 0 --data TMP`)
 * as a child process for each test, with its own fresh data folder, reads the URL it
 * prints, and stops it with SIGTERM afterwards, checking that it shut down cleanly.
 * `startServe` lets a test restart a host on the same data folder.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { test as base, expect } from '@playwright/test';

export interface WebHostProcess {
  /** The page to open, token included. */
  readonly url: string;
  /** `http://127.0.0.1:PORT`. */
  readonly origin: string;
  readonly token: string;
}

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
const URL_LINE = /Nestlab is running at (http:\/\/127\.0\.0\.1:\d+)\/\?token=([\w-]+)/;

function waitForUrl(child: ChildProcess, output: { text: string }): Promise<WebHostProcess> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`serve printed no URL:\n${output.text}`)),
      15_000,
    );
    child.stdout?.on('data', (chunk: Buffer) => {
      output.text += chunk.toString();
      const match = URL_LINE.exec(output.text);
      if (match?.[1] && match[2]) {
        clearTimeout(timer);
        resolve({ url: `${match[1]}/?token=${match[2]}`, origin: match[1], token: match[2] });
      }
    });
    child.stderr?.on('data', (chunk: Buffer) => (output.text += chunk.toString()));
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`serve exited with ${code}:\n${output.text}`));
    });
  });
}

export interface RunningHost {
  readonly host: WebHostProcess;
  /** Stops the host with SIGTERM and checks it shut down cleanly. */
  stop(): Promise<void>;
}

/** Starts `nestlab serve --port 0 --data DIR`; a test's work never touches the user's data. */
export async function startServe(dataDir: string): Promise<RunningHost> {
  const child = spawn(
    process.execPath,
    ['bin/nestlab.js', 'serve', '--port', '0', '--data', dataDir],
    { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const output = { text: '' };
  const host = await waitForUrl(child, output);
  return {
    host,
    stop: async () => {
      const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      const killer = setTimeout(() => child.kill('SIGKILL'), 5_000);
      const code = await exited;
      clearTimeout(killer);
      expect(code, `serve should stop cleanly on SIGTERM:\n${output.text}`).toBe(0);
      expect(output.text).toContain('Nestlab stopped.');
    },
  };
}

export function tempDataDir(): string {
  return mkdtempSync(join(tmpdir(), 'nestlab-e2e-'));
}

export const test = base.extend<{ webHost: WebHostProcess }>({
  // Playwright reads a fixture's dependencies from this pattern; the host needs none.
  // eslint-disable-next-line no-empty-pattern
  webHost: async ({}, use) => {
    const dataDir = tempDataDir();
    const running = await startServe(dataDir);
    await use(running.host);
    await running.stop();
    rmSync(dataDir, { recursive: true, force: true });
  },
});

export { expect };
