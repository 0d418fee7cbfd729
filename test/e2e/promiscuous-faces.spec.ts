/**
 * The promiscuous field's three faces as the core decides them (P2, P5), and the admin's
 * sequence (P4, A2) with undo and redo through the core, on the E1 sample, driven through
 * the real web host in Chromium.
 */
import type { Page } from '@playwright/test';
import { openBuiltIn, openLabFile, screenshot, topologyItem } from './editor-helpers';
import { expect, test } from './web-host-fixture';

const E1 = 'E1: A nested VM reaches the gateway';

const NO_FEATURE_LAB = `nestlab: 1
title: No promiscuous feature
users:
  - { name: ana, role: admin }
actingUser: ana
networks:
  - { id: lan, subnet: 10.0.0.0/24 }
vms:
  - id: vm1
    adapters:
      - { id: vm1-nic0, network: lan, mac: "02:00:00:00:00:0a", ip: 10.0.0.5/24 }
`;

function field(page: Page) {
  const group = page.getByRole('radiogroup', { name: 'Promiscuous mode' });
  return {
    group,
    disabled: group.getByRole('radio', { name: 'Disabled' }),
    enabled: group.getByRole('radio', { name: 'Enabled' }),
  };
}

async function selectAdapter(page: Page, id: string): Promise<void> {
  await topologyItem(page, `adapter:${id}`).getByRole('button').first().click();
  await expect(page.getByRole('heading', { name: `Adapter ${id}` })).toBeFocused();
}

test('E1 is drawn: networks, VMs, the hypervisor holding its switch and nested VM, adapters as links', async ({
  page,
  webHost,
}) => {
  await openBuiltIn(page, webHost.url, E1);
  await expect(page.getByTestId('topology-canvas').locator('canvas').first()).toBeVisible();
  const drawn = page.locator('[aria-labelledby="topology-heading"] li[data-canvas-id]');
  await expect(drawn).toHaveCount(8);
  await expect(topologyItem(page, 'network:lan')).toHaveAttribute('data-kind', 'network');
  await expect(topologyItem(page, 'vm:esxi')).toHaveAttribute('data-kind', 'hypervisor');
  await expect(topologyItem(page, 'vm:client')).toHaveAttribute('data-kind', 'vm');
  await expect(
    topologyItem(page, 'vm:esxi').locator('li[data-canvas-id="switch:esxi-vsw0"]'),
  ).toHaveCount(1);
  await expect(topologyItem(page, 'vm:esxi').locator('li[data-canvas-id="vm:web1"]')).toHaveCount(
    1,
  );
  // Adapters are links labelled with MAC and promiscuous state in a symbol and words.
  await expect(topologyItem(page, 'adapter:esxi-nic0')).toHaveAttribute('data-kind', 'uplink');
  await expect(topologyItem(page, 'adapter:esxi-nic0')).toContainText(
    '02:00:00:00:00:01 · ○ not promiscuous',
  );
  await expect(topologyItem(page, 'adapter:client-nic0')).toContainText('to lan');
  await screenshot(page, 'faces-01-e1');
});

test('P5: a student without the permission sees the field read-only, with the reason', async ({
  page,
  webHost,
}) => {
  await openBuiltIn(page, webHost.url, E1);
  const actingAs = page.getByLabel('Acting as');
  await actingAs.selectOption('ben');
  await expect(actingAs.locator('option:checked')).toHaveText('ben (user)');
  await selectAdapter(page, 'esxi-nic0');
  const { group, disabled, enabled } = field(page);
  await expect(group).toBeVisible();
  await expect(enabled).toBeDisabled();
  await expect(disabled).toBeDisabled();
  await expect(disabled).toBeChecked();
  await expect(group).toHaveAccessibleDescription(
    /ben does not have the promiscuous-mode permission/,
  );
  await expect(page.getByText('[permission-denied, P5]')).toBeVisible();
  // The account panel shows the permission column (the feature is enabled): ben's is off.
  await page.getByRole('tab', { name: /Account & users/ }).click();
  await expect(page.getByLabel('ben may change promiscuous mode')).not.toBeChecked();
  await page.getByRole('tab', { name: 'Inspector' }).click();
  await screenshot(page, 'faces-02-student-read-only');
});

test('P2: with the feature off for the account, the promiscuous field is absent', async ({
  page,
  webHost,
}) => {
  await page.goto(webHost.url);
  await openLabFile(page, 'no-feature.lab.yaml', NO_FEATURE_LAB);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('No promiscuous feature');
  await selectAdapter(page, 'vm1-nic0');
  const note = page.getByTestId('promiscuous-hidden');
  await expect(note).toContainText('Promiscuous mode is not enabled for this account');
  await expect(note).toContainText('[feature-disabled, P2]');
  await expect(page.getByRole('radiogroup', { name: 'Promiscuous mode' })).toHaveCount(0);
  await expect(page.getByRole('radio')).toHaveCount(0);
  // P2: no permission column either.
  await page.getByRole('tab', { name: /Account & users/ }).click();
  await expect(page.getByRole('columnheader', { name: 'Promiscuous permission' })).toHaveCount(0);
  await page.getByRole('tab', { name: 'Inspector' }).click();
  await screenshot(page, 'faces-03-hidden');
});

test('P4, A2: an admin grants the permission, the VM is stopped, enabled, then undone and redone', async ({
  page,
  webHost,
}) => {
  await openBuiltIn(page, webHost.url, E1);
  const undo = page.getByRole('button', { name: 'Undo', exact: true });
  const redo = page.getByRole('button', { name: 'Redo', exact: true });
  await expect(undo).toBeDisabled();

  // ana (admin) grants ben the permission (P4), then ben acts.
  await page.getByRole('tab', { name: /Account & users/ }).click();
  await page.getByLabel('ben may change promiscuous mode').check();
  await expect(page.getByLabel('ben may change promiscuous mode')).toBeChecked();
  await page.getByLabel('Acting as').selectOption('ben');
  await page.getByRole('tab', { name: 'Inspector' }).click();
  await selectAdapter(page, 'esxi-nic0');
  const { disabled, enabled } = field(page);
  await expect(enabled).toBeEnabled();

  // A2: stop the VM first, then enable.
  const power = page.getByRole('group', { name: 'Power of esxi' });
  await power.getByRole('button', { name: 'Stop' }).click();
  await expect(power).toContainText('■ stopped');
  await enabled.check();
  await expect(enabled).toBeChecked();
  await expect(topologyItem(page, 'adapter:esxi-nic0')).toContainText('◉ promiscuous');
  await screenshot(page, 'faces-04-admin-enabled');

  // Undo through the core (Ctrl+Z): back to disabled, the VM still stopped.
  await page.getByRole('heading', { name: 'Adapter esxi-nic0' }).focus();
  await page.keyboard.press('Control+z');
  await expect(disabled).toBeChecked();
  await expect(topologyItem(page, 'adapter:esxi-nic0')).toContainText('○ not promiscuous');
  await expect(power).toContainText('■ stopped');
  await expect(redo).toBeEnabled();
  // Redo (Ctrl+Shift+Z), then undo and redo once more with the toolbar.
  await page.keyboard.press('Control+Shift+Z');
  await expect(enabled).toBeChecked();
  await undo.click();
  await expect(disabled).toBeChecked();
  await redo.click();
  await expect(enabled).toBeChecked();
  await expect(redo).toBeDisabled();
  await expect(topologyItem(page, 'adapter:esxi-nic0')).toContainText('◉ promiscuous');
  await screenshot(page, 'faces-05-redone');
});
