/**
 * Editing comfort and accessibility: the palette, the canvas and the inspector from the
 * keyboard alone; Tab and Alt+arrows through the canvas's elements; arrows nudge and the
 * position is kept in the lab's `ui` section; Delete asks when more than one thing goes;
 * copy and paste of a VM with fresh ids and MACs; the problems list selects what it names;
 * zoom, fit and tidy up; the shortcuts dialog.
 */
import { parse } from 'yaml';
import type { Page } from '@playwright/test';
import {
  canvas,
  newLab,
  openBuiltIn,
  openLabFile,
  saveLab,
  screenshot,
  topologyItem,
} from './editor-helpers';
import { expect, test } from './web-host-fixture';

test.describe.configure({ timeout: 60_000 });

const WARNING_LAB = `nestlab: 1
title: An address outside its subnet
networks:
  - { id: lan, subnet: 10.0.0.0/24 }
vms:
  - id: pc
    adapters:
      - { id: pc-nic0, network: lan, mac: "02:00:00:00:00:0a", ip: 192.168.1.5/24 }
`;

/** Focuses the palette item by tabbing from the page start, as a keyboard user would. */
async function tabTo(page: Page, name: string, within = 80): Promise<void> {
  await page.locator('body').focus();
  for (let i = 0; i < within; i += 1) {
    await page.keyboard.press('Tab');
    const label = await page.evaluate(() => {
      const el = document.activeElement as HTMLElement | null;
      return el ? (el.getAttribute('aria-label') ?? el.textContent ?? '').trim() : '';
    });
    if (label === name) return;
  }
  throw new Error(`Tab never reached ${name}`);
}

async function addFromKeyboard(page: Page, item: string, id: string): Promise<void> {
  await tabTo(page, item);
  await expect(page.getByRole('tooltip').filter({ visible: true })).toHaveCount(1);
  await page.keyboard.press('Enter');
  const dialog = page.getByRole('dialog');
  await expect(dialog.getByLabel('Id')).toBeFocused();
  await page.keyboard.press('Control+a');
  await page.keyboard.type(id);
  await page.keyboard.press('Enter');
  await expect(dialog).toHaveCount(0);
}

test('keyboard only: palette, dialog, inspector, canvas Tab and Alt+arrows, nudge kept in ui', async ({
  page,
  webHost,
}) => {
  await newLab(page, webHost.url);
  await addFromKeyboard(page, 'Network', 'lan');
  await expect(page.getByRole('heading', { name: 'Network lan' })).toBeVisible();
  await addFromKeyboard(page, 'VM', 'pc');
  await expect(page.getByRole('heading', { name: 'VM pc' })).toBeVisible();

  // An adapter from the inspector, attached with its select.
  await page.getByRole('button', { name: 'Add adapter' }).focus();
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { name: 'Adapter pc-nic0' })).toBeVisible();
  await page.getByLabel('Attached to').selectOption({ label: 'Network lan' });
  await expect(topologyItem(page, 'adapter:pc-nic0')).toContainText('to lan');
  await screenshot(page, 'keyboard-01-built');

  // The canvas: Tab in selects the first element; Tab walks on; Alt+arrows jump.
  await page.getByRole('button', { name: 'Lab', exact: true }).click();
  await tabTo(page, 'Shortcuts');
  await page.keyboard.press('Tab');
  await expect(canvas(page)).toBeFocused();
  const said = page.getByTestId('canvas-selection');
  await expect(said).toContainText(/Selected (network|vm) /);
  const first = await said.textContent();
  await page.keyboard.press('Tab');
  await expect(said).not.toHaveText(first ?? '');
  await topologyItem(page, 'vm:pc').getByRole('button').first().click();
  await canvas(page).focus();
  await page.keyboard.press('Alt+ArrowDown');
  await expect(said).toContainText('Selected network lan');
  await page.keyboard.press('Alt+ArrowUp');
  await expect(said).toContainText('Selected vm pc');

  // Arrows nudge the selected node; the move is saved in the lab's ui section.
  const saved0 = parse((await saveLab(page)).text) as {
    ui: { positions: Record<string, { x: number; y: number }> };
  };
  await canvas(page).focus();
  await page.keyboard.press('ArrowRight');
  await page.keyboard.press('ArrowRight');
  await page.keyboard.press('Shift+ArrowDown');
  await expect(page.getByRole('button', { name: 'Undo', exact: true })).toBeEnabled();
  await page.waitForTimeout(700);
  const saved1 = parse((await saveLab(page)).text) as typeof saved0;
  const p0 = saved0.ui.positions.pc;
  const p1 = saved1.ui.positions.pc;
  expect(p0 && p1 && [p1.x - p0.x, p1.y - p0.y]).toEqual([20, 50]);

  // Enter on the canvas goes to the selection's settings.
  await canvas(page).focus();
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { name: 'VM pc' })).toBeFocused();

  // Escape clears the selection; with nothing selected Shift+Tab leaves the canvas.
  await canvas(page).focus();
  await page.keyboard.press('Escape');
  await expect(said).toHaveText('Nothing selected.');
  await expect(page.getByRole('heading', { name: 'Lab', exact: true })).toBeVisible();
  await page.keyboard.press('Shift+Tab');
  await expect(canvas(page)).not.toBeFocused();
});

test('Delete asks when more than one thing goes; undo brings it back; a lone network goes at once', async ({
  page,
  webHost,
}) => {
  await openBuiltIn(page, webHost.url, 'E1: A nested VM reaches the gateway');
  await topologyItem(page, 'vm:esxi').getByRole('button').first().click();
  await page.keyboard.press('Delete');
  const dialog = page.getByRole('dialog', { name: 'Delete VM esxi?' });
  await expect(dialog).toBeVisible();
  for (const thing of [
    'VM esxi',
    'adapter esxi-nic0',
    'nested switch esxi-vsw0',
    'nested VM web1',
    'adapter web1-nic0',
  ])
    await expect(dialog.getByRole('listitem').filter({ hasText: thing })).toHaveCount(1);
  await screenshot(page, 'delete-01-confirm');
  await page.keyboard.press('Escape');
  await expect(dialog).toHaveCount(0);
  await expect(topologyItem(page, 'vm:esxi')).toHaveCount(1);

  await page.getByRole('button', { name: 'Delete esxi' }).click();
  await dialog.getByRole('button', { name: 'Delete 5 things' }).click();
  await expect(topologyItem(page, 'vm:esxi')).toHaveCount(0);
  await expect(topologyItem(page, 'vm:web1')).toHaveCount(0);
  await page.keyboard.press('Control+z');
  await expect(topologyItem(page, 'vm:esxi').locator('li[data-canvas-id="vm:web1"]')).toHaveCount(
    1,
  );

  // One thing goes (its adapters stay, unconnected): no question asked.
  await topologyItem(page, 'network:lan').getByRole('button').first().click();
  await page.keyboard.press('Delete');
  await expect(page.getByRole('dialog')).toHaveCount(0);
  await expect(topologyItem(page, 'network:lan')).toHaveCount(0);
  await page.keyboard.press('Control+z');
  await expect(topologyItem(page, 'network:lan')).toHaveCount(1);
});

test('copy and paste a VM: fresh ids and MACs, same attachments, IPs left empty', async ({
  page,
  webHost,
}) => {
  await openBuiltIn(page, webHost.url, 'E1: A nested VM reaches the gateway');
  await topologyItem(page, 'vm:client').getByRole('button').first().click();
  await page.keyboard.press('Control+c');
  await page.keyboard.press('Control+v');
  await expect(page.getByRole('heading', { name: 'VM client-copy' })).toBeVisible();
  const copy = topologyItem(page, 'adapter:client-copy-nic0');
  await expect(copy).toContainText('to lan');
  await expect(copy).not.toContainText('02:00:00:00:00:02');
  await expect(page.getByRole('status').filter({ hasText: 'Pasted client-copy' })).toBeVisible();

  // A hypervisor pastes with its switch and nested VM, uplink remapped.
  await topologyItem(page, 'vm:esxi').getByRole('button').first().click();
  await page.getByRole('button', { name: 'Copy esxi' }).click();
  await page.getByRole('button', { name: 'Paste', exact: true }).click();
  const hv = topologyItem(page, 'vm:esxi-copy');
  await expect(hv).toHaveAttribute('data-kind', 'hypervisor');
  await expect(hv.locator('li[data-canvas-id="switch:esxi-vsw0-copy"]')).toContainText(
    'uplink esxi-copy-nic0',
  );
  await expect(hv.locator('li[data-canvas-id="vm:web1-copy"]')).toHaveCount(1);
  await page.getByRole('tab', { name: /Problems/ }).click();
  await expect(page.getByText('No problems: the lab breaks no rule.')).toBeVisible();
  await screenshot(page, 'paste-01-copies');
});

test('the problems list names every finding; clicking one selects its item', async ({
  page,
  webHost,
}) => {
  await page.goto(webHost.url);
  await openLabFile(page, 'warning.lab.yaml', WARNING_LAB);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('An address outside its subnet');
  const tab = page.getByRole('tab', { name: /Problems/ });
  await expect(tab).toContainText('1');
  await tab.click();
  const finding = page.getByRole('button', { name: /warning/ });
  await expect(finding).toContainText('vms[0].adapters[0]');
  await screenshot(page, 'problems-01-warning');
  await finding.click();
  await expect(page.getByRole('heading', { name: 'Adapter pc-nic0' })).toBeFocused();
  // Fixing the address empties the list.
  const ip = page.getByLabel('IP / prefix');
  await ip.fill('10.0.0.5/24');
  await ip.press('Enter');
  await expect(tab).not.toContainText('1');
});

test('zoom, fit and tidy up; the shortcuts dialog lists what is bound', async ({
  page,
  webHost,
}) => {
  await openBuiltIn(page, webHost.url, 'E3: Promiscuous mode is not a sniffer');
  for (const name of ['Zoom in', 'Zoom out', 'Fit'])
    await page.getByRole('button', { name, exact: true }).click();
  const undo = page.getByRole('button', { name: 'Undo', exact: true });
  await expect(undo).toBeDisabled();
  await page.getByRole('button', { name: 'Tidy up', exact: true }).click();
  // The new positions are one edit in the lab (ui section), so undo puts the old ones back.
  await expect(undo).toBeEnabled();
  await expect(
    page.getByRole('status').filter({ hasText: 'Tidied up; positions saved in the lab.' }),
  ).toBeVisible();
  await screenshot(page, 'layout-01-tidy-up');
  await undo.click();
  await expect(undo).toBeDisabled();

  await canvas(page).focus();
  await page.keyboard.press('?');
  const dialog = page.getByRole('dialog', { name: 'Keyboard shortcuts' });
  await expect(dialog).toContainText('Ctrl/Cmd+Shift+Z');
  await expect(dialog).toContainText('Alt+arrow keys');
  await screenshot(page, 'shortcuts-01');
  await page.keyboard.press('Escape');
  await expect(dialog).toHaveCount(0);
});
