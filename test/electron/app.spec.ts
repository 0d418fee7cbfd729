/**
 * The desktop shell: the window loads the renderer from the app's own scheme, the preload
 * exposes exactly one frozen method per contract entry and nothing of Node, and the E1 flow
 * reaches the core over IPC.
 */
import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { _electron as electron, expect, test, type ElectronApplication } from '@playwright/test';
import { CONTRACT_NAMES } from '../../core/api/names';
import { electronBinary } from './electron-binary';

const binary = electronBinary();
const repoRoot = fileURLToPath(new URL('../../', import.meta.url));

test.skip(!binary, 'no Electron binary');

let app: ElectronApplication;

test.beforeEach(async () => {
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  const env = { ...process.env };
  delete env.ELECTRON_RUN_AS_NODE;
  // Each launch keeps its work in a fresh folder, never the user's own data.
  env.NESTLAB_DATA = mkdtempSync(join(tmpdir(), 'nestlab-electron-'));
  app = await electron.launch({
    ...(binary ? { executablePath: binary } : {}),
    args: [...(isRoot ? ['--no-sandbox'] : []), repoRoot],
    env: env as Record<string, string>,
  });
});

test.afterEach(async () => {
  await app.close();
});

test('the preload exposes one frozen method per contract entry and no Node', async () => {
  const window = await app.firstWindow();
  await expect(window).toHaveTitle('Nestlab');
  expect(window.url()).toBe('app://nestlab/index.html');
  const bridge = await window.evaluate(() => {
    const api = (window as unknown as { nestlab: Record<string, unknown> }).nestlab;
    return {
      keys: Object.keys(api).sort(),
      allFunctions: Object.values(api).every((v) => typeof v === 'function'),
      frozen: Object.isFrozen(api),
      hasRequire: 'require' in window,
      hasProcess: 'process' in window,
    };
  });
  expect(bridge.keys).toEqual([...CONTRACT_NAMES, 'onEvent'].sort());
  expect(bridge.allFunctions).toBe(true);
  expect(bridge.frozen).toBe(true);
  expect(bridge.hasRequire).toBe(false);
  expect(bridge.hasProcess).toBe(false);
});

test('E1 opens and the promiscuous field is read-only for ben (P5)', async () => {
  const window = await app.firstWindow();
  await window.getByRole('button', { name: /E1: A nested VM reaches the gateway/ }).click();
  await expect(window.getByRole('heading', { level: 1 })).toHaveText(
    'E1: A nested VM reaches the gateway',
  );
  await window.getByLabel('Acting as').selectOption('ben');
  await window.locator('li[data-canvas-id="adapter:esxi-nic0"] > button').click();
  const field = window.getByRole('radiogroup', { name: 'Promiscuous mode' });
  await expect(field.getByRole('radio', { name: 'Enabled' })).toBeDisabled();
  await expect(window.getByText('[permission-denied, P5]')).toBeVisible();
  mkdirSync('artifacts/screenshots', { recursive: true });
  await window.screenshot({ path: 'artifacts/screenshots/electron-e1.png' });
});
