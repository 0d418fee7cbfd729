/**
 * The walking skeleton, end to end: the E1 sample drawn from its lab file, and the
 * promiscuous field's faces and refusals as the core decides them (P5, P6, A2), driven
 * through the real web host in Chromium.
 */
import { mkdirSync } from 'node:fs';
import type { Page } from '@playwright/test';
import { expect, test } from './web-host-fixture';

const E1_TITLE = 'E1: A nested VM reaches the gateway';

async function openE1(page: Page, url: string): Promise<void> {
  await page.goto(url);
  await page.getByRole('button', { name: new RegExp(E1_TITLE) }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(E1_TITLE);
}

function topologyItem(page: Page, canvasId: string) {
  return page.locator(`[aria-labelledby="topology-heading"] li[data-canvas-id="${canvasId}"]`);
}

test('E1 is drawn: networks, VMs, the hypervisor holding its switch and nested VM, adapters as edges', async ({
  page,
  webHost,
}) => {
  await openE1(page, webHost.url);
  const canvas = page.getByTestId('topology-canvas');
  await expect(canvas.locator('canvas').first()).toBeVisible();

  const drawn = page.locator('[aria-labelledby="topology-heading"] li[data-canvas-id]');
  await expect(drawn).toHaveCount(8);
  await expect(topologyItem(page, 'network:lan')).toHaveAttribute('data-kind', 'network');
  await expect(topologyItem(page, 'vm:esxi')).toHaveAttribute('data-kind', 'hypervisor');
  await expect(topologyItem(page, 'vm:client')).toHaveAttribute('data-kind', 'vm');
  // Compound nesting: the switch and the nested VM sit inside the hypervisor.
  await expect(
    topologyItem(page, 'vm:esxi').locator('li[data-canvas-id="switch:esxi-vsw0"]'),
  ).toHaveCount(1);
  await expect(topologyItem(page, 'vm:esxi').locator('li[data-canvas-id="vm:web1"]')).toHaveCount(
    1,
  );
  // Adapters are edges labelled with MAC and promiscuous state in words.
  await expect(topologyItem(page, 'adapter:esxi-nic0')).toHaveAttribute('data-kind', 'uplink');
  await expect(topologyItem(page, 'adapter:esxi-nic0')).toContainText(
    '02:00:00:00:00:01 · not promiscuous',
  );
  await expect(
    topologyItem(page, 'vm:web1').locator('li[data-canvas-id="adapter:web1-nic0"]'),
  ).toContainText('to esxi-vsw0 · 02:00:00:00:01:01 · not promiscuous');
  await expect(topologyItem(page, 'adapter:client-nic0')).toContainText('to lan');
});

test('P5, P6, A2: read-only for ben, editable for ana, refused while running, accepted once stopped', async ({
  page,
  webHost,
}) => {
  await openE1(page, webHost.url);
  const actingAs = page.getByLabel('Acting as');
  await actingAs.selectOption('ben');
  await expect(actingAs).toHaveValue('ben');
  await expect(actingAs.locator('option:checked')).toHaveText('ben (user)');

  await topologyItem(page, 'adapter:esxi-nic0').getByRole('button').first().click();
  await expect(page.getByRole('heading', { name: 'Adapter esxi-nic0' })).toBeFocused();
  const field = page.getByRole('radiogroup', { name: 'Promiscuous mode' });
  const disabled = field.getByRole('radio', { name: 'Disabled' });
  const enabled = field.getByRole('radio', { name: 'Enabled' });

  // P5: a user without the permission sees the field read-only, with the reason.
  await expect(field).toBeVisible();
  await expect(enabled).toBeDisabled();
  await expect(disabled).toBeDisabled();
  await expect(disabled).toBeChecked();
  await expect(page.getByText(/ben does not have the promiscuous-mode permission/)).toBeVisible();
  await expect(page.getByText('[permission-denied, P5]')).toBeVisible();

  // The administrator with the permission gets an editable field.
  await actingAs.selectOption('ana');
  await expect(enabled).toBeEnabled();
  await expect(page.getByText('[permission-denied, P5]')).toHaveCount(0);

  // A2: enabling on a running VM is refused, the refusal shown, the value unchanged.
  await enabled.click();
  const refusal = page.getByRole('alert').filter({ hasText: 'Refused' });
  await expect(refusal).toContainText('vm-not-stopped');
  await expect(refusal).toContainText('A2');
  await expect(disabled).toBeChecked();
  await expect(enabled).not.toBeChecked();
  await expect(topologyItem(page, 'adapter:esxi-nic0')).toContainText('not promiscuous');

  // Stop esxi, enable: accepted, and the canvas's edge label says so.
  const power = page.getByRole('group', { name: 'Power of esxi' });
  await power.getByRole('button', { name: 'Stop' }).click();
  await expect(power).toContainText('■ stopped');
  await enabled.check();
  await expect(enabled).toBeChecked();
  await expect(refusal).toHaveCount(0);
  await expect(topologyItem(page, 'adapter:esxi-nic0')).toContainText(
    '02:00:00:00:00:01 · promiscuous ✓',
  );
  await power.getByRole('button', { name: 'Start' }).click();
  await expect(power).toContainText('▶ running');

  mkdirSync('artifacts/screenshots', { recursive: true });
  await page.screenshot({ path: 'artifacts/screenshots/e1-promiscuous-enabled.png' });
});

test('the adapter list of a VM reaches every adapter from the keyboard', async ({
  page,
  webHost,
}) => {
  await openE1(page, webHost.url);
  await topologyItem(page, 'vm:esxi').getByRole('button').first().click();
  await expect(page.getByRole('heading', { name: 'VM esxi' })).toBeFocused();
  const adapters = page.getByRole('list', { name: 'Adapters of esxi' });
  await adapters.getByRole('button', { name: /esxi-nic0/ }).focus();
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { name: 'Adapter esxi-nic0' })).toBeFocused();
  await expect(page.getByRole('radiogroup', { name: 'Promiscuous mode' })).toBeVisible();
});
