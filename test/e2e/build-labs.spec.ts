/**
 * Issue 4's "done when": E1 and E4 rebuilt from an empty lab in the editor, with the mouse
 * (palette items dropped on the canvas, connections dragged) and the keyboard (dialogs,
 * inspector fields, account and users), saved with Ctrl+S, and accepted by `nestlab check`.
 */
import { parse } from 'yaml';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { Locator, Page } from '@playwright/test';
import {
  at,
  dragConnect,
  dropPalette,
  fixE1,
  nestlabCheck,
  newLab,
  saveLab,
  screenshot,
  setField,
  topologyItem,
} from './editor-helpers';
import { expect, test } from './web-host-fixture';

test.describe.configure({ timeout: 90_000 });

interface SavedLab {
  account: { promiscuousMode: string };
  users: { name: string; role: string; promiscuous?: boolean }[];
  actingUser: string;
  networks: { id: string; name?: string; subnet?: string; gateway?: string }[];
  vms: SavedVm[];
  ui?: { positions?: Record<string, { x: number; y: number }> };
}

interface SavedVm {
  id: string;
  name?: string;
  guestOs?: string;
  role?: string;
  nestedVirtualization?: boolean;
  adapters?: {
    id: string;
    network?: string;
    switch?: string;
    mac: string;
    ip?: string;
    promiscuous?: boolean;
  }[];
  switches?: { id: string; uplink?: string }[];
  nested?: SavedVm[];
}

/** The E1/E4 cast: ana (admin, with the permission) acting, ben (user); the feature enabled (P1). */
async function castAnaAndBen(page: Page): Promise<void> {
  await page.getByRole('tab', { name: /Account & users/ }).click();
  await expect(page.getByTestId('feature-state')).toContainText('Disabled');
  for (const [name, role] of [
    ['ana', 'admin'],
    ['ben', 'user'],
  ] as const) {
    await page.getByLabel('New user').fill(name);
    await page.getByLabel('Role', { exact: true }).selectOption(role);
    await page.getByRole('button', { name: 'Add user' }).click();
    await expect(page.locator(`tr[data-user="${name}"]`)).toBeVisible();
  }
  // P2: no permission column while the feature is not enabled.
  await expect(page.getByRole('columnheader', { name: 'Promiscuous permission' })).toHaveCount(0);
  await page
    .getByLabel('Use case')
    .fill('Nested ESXi hosts whose nested VMs must reach the network gateway through the uplink.');
  await expect(page.getByLabel('Attach a picture of the current diagram')).toBeChecked();
  await page.getByRole('button', { name: 'Send request' }).click();
  await expect(page.getByTestId('feature-state')).toContainText('Requested');
  await expect(
    page.getByRole('img', { name: 'The diagram attached to the request' }),
  ).toBeVisible();
  await page
    .getByRole('group', { name: 'Answer as the provider' })
    .getByRole('button', { name: 'Approve' })
    .click();
  await expect(page.getByTestId('feature-state')).toContainText('Enabled');
  await expect(page.getByRole('columnheader', { name: 'Promiscuous permission' })).toBeVisible();
  await page.getByLabel('ana may change promiscuous mode').check();
  await expect(page.getByLabel('ana may change promiscuous mode')).toBeChecked();
  await page.getByLabel('Acting as').selectOption('ana');
  await expect(page.getByLabel('Acting as').locator('option:checked')).toHaveText('ana (admin)');
  await page.getByRole('button', { name: 'Remove trainer' }).click();
  await expect(page.locator('tr[data-user="trainer"]')).toHaveCount(0);
}

function vm(lab: SavedLab, id: string): SavedVm {
  const found = lab.vms.find((v) => v.id === id);
  if (!found) throw new Error(`no VM ${id} in the saved lab`);
  return found;
}

test('E1 rebuilt from an empty lab with mouse and keyboard, its exercise authored in the app; nestlab run fails it before the fix and passes it after', async ({
  page,
  webHost,
}) => {
  await newLab(page, webHost.url);
  await screenshot(page, 'build-e1-01-empty');

  const lan = await at(page, 0.5, 0.85);
  const esxi = await at(page, 0.3, 0.28);
  const client = await at(page, 0.78, 0.4);

  await dropPalette(page, 'Network', lan, { id: 'lan', name: 'LAN' });
  await expect(page.getByRole('heading', { name: 'Network lan' })).toBeVisible();
  await setField(page, 'Subnet (CIDR)', '10.0.0.0/24');
  await setField(page, 'Gateway IP', '10.0.0.254');

  await dropPalette(page, 'Hypervisor VM', esxi, { id: 'esxi', name: 'ESXi host' });
  await expect(topologyItem(page, 'vm:esxi')).toHaveAttribute('data-kind', 'hypervisor');
  await dropPalette(page, 'VM', client, { id: 'client', name: 'Client' });

  // Connect mode: drag from each VM to the network; each gets a new adapter with a free MAC.
  await dragConnect(page, esxi, lan);
  await expect(page.getByRole('heading', { name: 'Adapter esxi-nic0' })).toBeVisible();
  await setField(page, 'IP / prefix', '10.0.0.10/24');
  await dragConnect(page, client, lan);
  await expect(page.getByRole('heading', { name: 'Adapter client-nic0' })).toBeVisible();
  await setField(page, 'IP / prefix', '10.0.0.30/24');
  await page.getByRole('button', { name: 'Connect', exact: true }).click();
  await expect(topologyItem(page, 'adapter:client-nic0')).toContainText('to lan');

  // A nested switch dropped on the hypervisor: its uplink is chosen in the dialog.
  await dropPalette(page, 'Nested switch', esxi, {
    id: 'esxi-vsw0',
    fill: async (dialog) => {
      await expect(dialog.getByLabel('Hypervisor')).toHaveValue('esxi');
      await expect(dialog.getByLabel('Uplink (an adapter of esxi)')).toHaveValue('esxi-nic0');
    },
  });
  await expect(
    topologyItem(page, 'vm:esxi').locator('li[data-canvas-id="switch:esxi-vsw0"]'),
  ).toHaveCount(1);
  await expect(topologyItem(page, 'adapter:esxi-nic0')).toHaveAttribute('data-kind', 'uplink');

  // A nested VM dropped on the switch lands in the hypervisor, on that switch.
  await dropPalette(page, 'Nested VM', esxi, {
    id: 'web1',
    name: 'Web server',
    fill: async (dialog) => {
      await expect(dialog.getByLabel('Nested switch')).toHaveValue('esxi-vsw0');
    },
  });
  await expect(topologyItem(page, 'vm:esxi').locator('li[data-canvas-id="vm:web1"]')).toHaveCount(
    1,
  );
  await topologyItem(page, 'adapter:web1-nic0').getByRole('button').first().click();
  await expect(page.getByRole('heading', { name: 'Adapter web1-nic0' })).toBeFocused();
  await setField(page, 'IP / prefix', '10.0.0.21/24');

  await castAnaAndBen(page);

  // The lab's title, from the keyboard.
  await page.getByRole('tab', { name: 'Inspector' }).click();
  await page.getByRole('button', { name: 'Lab', exact: true }).click();
  await setField(page, 'Title', 'E1 rebuilt: a nested VM reaches the gateway');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(
    'E1 rebuilt: a nested VM reaches the gateway',
  );
  await page.getByRole('tab', { name: /Problems/ }).click();
  await expect(page.getByText('No problems: the lab breaks no rule.')).toBeVisible();
  await screenshot(page, 'build-e1-02-built');

  const saved = await saveLab(page);
  expect(saved.name).toBe('e1-rebuilt-a-nested-vm-reaches-the-gateway.lab.yaml');
  expect(nestlabCheck(saved.path)).toMatchObject({ valid: true, violations: [] });
  const lab = parse(saved.text) as SavedLab;
  expect(lab.account.promiscuousMode).toBe('enabled');
  expect(lab.actingUser).toBe('ana');
  expect(lab.users.map((u) => [u.name, u.role, u.promiscuous === true])).toEqual([
    ['ana', 'admin', true],
    ['ben', 'user', false],
  ]);
  expect(lab.networks).toEqual([
    { id: 'lan', name: 'LAN', subnet: '10.0.0.0/24', gateway: '10.0.0.254' },
  ]);
  const hv = vm(lab, 'esxi');
  expect(hv).toMatchObject({ name: 'ESXi host', guestOs: 'esxi' });
  expect(hv.adapters).toEqual([
    { id: 'esxi-nic0', network: 'lan', mac: expect.stringMatching(/^02:/), ip: '10.0.0.10/24' },
  ]);
  expect(hv.switches).toEqual([{ id: 'esxi-vsw0', uplink: 'esxi-nic0' }]);
  expect(hv.nested?.map((n) => n.id)).toEqual(['web1']);
  expect(hv.nested?.[0]?.adapters).toEqual([
    {
      id: 'web1-nic0',
      switch: 'esxi-vsw0',
      mac: expect.stringMatching(/^02:/),
      ip: '10.0.0.21/24',
    },
  ]);
  expect(vm(lab, 'client').adapters).toEqual([
    { id: 'client-nic0', network: 'lan', mac: expect.stringMatching(/^02:/), ip: '10.0.0.30/24' },
  ]);
  // Positions are kept in the file's ui section.
  expect(Object.keys(lab.ui?.positions ?? {}).sort()).toEqual(
    ['client', 'esxi-vsw0', 'lan', 'web1'].sort(),
  );

  // The exercise, authored in the app: objectives with hints, the script, a checkpoint, and
  // what students may change. Before the fix `nestlab run` fails every objective; after, passes.
  await authorE1Exercise(page);
  const before = nestlabRun((await saveLab(page)).path);
  expect(before.status).toBe(1);
  expect(before.report.objectives).toEqual([
    expect.objectContaining({ id: 'reach', passed: false }),
    expect.objectContaining({ id: 'uplink', passed: false }),
  ]);
  expect(before.report.checkpoints).toEqual([
    expect.objectContaining({ id: 'where-arp', rightChoices: [1] }),
  ]);
  await fixE1(page);
  const after = nestlabRun((await saveLab(page)).path);
  expect(after.status).toBe(0);
  expect(after.report.score).toEqual({ passed: 2, total: 2 });
});

/** E1's exercise through the Exercise tab, as a trainer writes it (labs/e1's in spirit). */
async function authorE1Exercise(page: Page): Promise<void> {
  await page.getByRole('tab', { name: /Exercise/ }).click();
  const addObjective = async (
    id: string,
    text: string,
    hint: string,
    fill: (dialog: Locator) => Promise<void>,
  ) => {
    await page.getByRole('button', { name: 'Add an objective' }).click();
    const dialog = page.getByRole('dialog', { name: 'Add an objective' });
    await dialog.getByLabel('Id').fill(id);
    await dialog.getByLabel('Text students read').fill(text);
    await fill(dialog);
    await dialog.getByLabel(/^Hint/).fill(hint);
    await dialog.getByRole('button', { name: 'Add', exact: true }).click();
    await expect(dialog).toHaveCount(0);
  };
  await addObjective(
    'reach',
    'web1 can ping the gateway',
    'Where does the ARP request die, and which rule drops it?',
    async (dialog) => {
      await dialog.getByLabel('Check').selectOption('reachable');
      await dialog.getByLabel('From VM').selectOption('web1');
      await dialog.getByLabel('To (VM, host or IP)').fill('10.0.0.254');
    },
  );
  await addObjective(
    'uplink',
    "The hypervisor's uplink is promiscuous",
    'Stop esxi first: A2.',
    async (dialog) => {
      await dialog.getByLabel('Check').selectOption('config');
      await dialog.getByLabel('Of', { exact: true }).selectOption('adapter');
      await dialog.getByLabel('Which adapter').selectOption('esxi-nic0');
      await dialog.getByLabel('Setting', { exact: true }).selectOption('promiscuous');
      await dialog.getByLabel('Value', { exact: true }).selectOption('true');
    },
  );
  await page.getByRole('button', { name: 'Add a step' }).click();
  const step = page.getByRole('dialog', { name: /Add step/ });
  await step.getByLabel('From VM').selectOption('web1');
  await step.getByLabel('To (VM, host or IP)').fill('10.0.0.254');
  await step.getByRole('button', { name: 'Add', exact: true }).click();
  await expect(page.getByRole('list', { name: 'Traffic script' })).toContainText(
    'ping web1 → 10.0.0.254',
  );

  await page.getByRole('button', { name: 'Add a checkpoint' }).click();
  const checkpoint = page.getByRole('dialog', { name: 'Add a checkpoint' });
  await checkpoint.getByLabel('Id').fill('where-arp');
  await checkpoint.getByLabel('Question').fill("Where does web1's ARP request end?");
  await checkpoint.getByLabel('Text').nth(0).fill('At the gateway');
  await checkpoint.getByLabel('The frame is').nth(0).selectOption('delivered');
  await checkpoint.getByLabel('Place').nth(0).fill('lan:gateway');
  await checkpoint.getByLabel('Text').nth(1).fill('Dropped at lan, its source forged');
  await checkpoint.getByLabel('The frame is').nth(1).selectOption('dropped');
  await checkpoint.getByLabel('Place').nth(1).fill('lan');
  await checkpoint.getByLabel('Reason (optional)').selectOption('forged-source');
  await checkpoint.getByRole('button', { name: 'Add', exact: true }).click();
  await expect(checkpoint).toHaveCount(0);
  const checkpoints = page.getByRole('list', { name: 'Checkpoints' });
  await expect(checkpoints).toContainText('The run makes choice 2 right.');

  await page.getByLabel('Students may edit').selectOption('settings');
  await expect(page.getByLabel('Students may edit')).toHaveValue('settings');
  await screenshot(page, 'build-e1-03-exercise');
}

/** `nestlab run FILE --json`: its exit status and report. */
function nestlabRun(path: string): {
  status: number;
  report: {
    objectives: { id: string; passed: boolean }[];
    checkpoints: { id: string; rightChoices: number[] }[];
    score: { passed: number; total: number };
  };
} {
  const run = spawnSync(process.execPath, ['bin/nestlab.js', 'run', path, '--json'], {
    cwd: fileURLToPath(new URL('../../', import.meta.url)),
    encoding: 'utf8',
  });
  return { status: run.status ?? -1, report: JSON.parse(run.stdout) };
}

test('E4 rebuilt: an inline bridge joins two networks; its adapters made promiscuous with the fix button', async ({
  page,
  webHost,
}) => {
  await newLab(page, webHost.url);
  const front = await at(page, 0.3, 0.82);
  const back = await at(page, 0.72, 0.82);
  const client = await at(page, 0.2, 0.3);
  const bridge = await at(page, 0.5, 0.5);
  const server = await at(page, 0.8, 0.3);

  await dropPalette(page, 'Network', front, { id: 'front', name: 'Front' });
  await setField(page, 'Subnet (CIDR)', '10.0.0.0/24');
  await dropPalette(page, 'Network', back, { id: 'back', name: 'Back' });
  await setField(page, 'Subnet (CIDR)', '10.0.0.0/24');
  await dropPalette(page, 'VM', client, { id: 'client' });
  await dropPalette(page, 'Inline bridge', bridge, { id: 'bridge', name: 'Inline bridge' });
  await expect(topologyItem(page, 'vm:bridge')).toHaveAttribute('data-kind', 'bridge');
  await dropPalette(page, 'VM', server, { id: 'server' });

  await dragConnect(page, client, front);
  await setField(page, 'IP / prefix', '10.0.0.21/24');
  await dragConnect(page, server, back);
  await setField(page, 'IP / prefix', '10.0.0.22/24');
  await dragConnect(page, bridge, front);
  await expect(page.getByRole('heading', { name: 'Adapter bridge-nic0' })).toBeVisible();
  await dragConnect(page, bridge, back);
  await expect(page.getByRole('heading', { name: 'Adapter bridge-nic1' })).toBeVisible();
  await page.getByRole('button', { name: 'Connect', exact: true }).click();
  await castAnaAndBen(page);
  await topologyItem(page, 'adapter:bridge-nic1').getByRole('button').first().click();

  // A2: enabling on the running bridge is refused; the fix stops it and enables.
  const enabled = page
    .getByRole('radiogroup', { name: 'Promiscuous mode' })
    .getByRole('radio', { name: 'Enabled' });
  await enabled.click();
  const refusal = page.getByRole('alert').filter({ hasText: 'Refused' });
  await expect(refusal).toContainText('[vm-not-stopped, A2]');
  await expect(enabled).not.toBeChecked();
  await refusal.getByRole('button', { name: 'Stop bridge first' }).click();
  await expect(enabled).toBeChecked();
  await expect(refusal).toHaveCount(0);
  await expect(topologyItem(page, 'adapter:bridge-nic1')).toContainText('◉ promiscuous');
  // A3 does not apply across networks: the other adapter may be promiscuous too.
  await topologyItem(page, 'adapter:bridge-nic0').getByRole('button').first().click();
  await enabled.click();
  await expect(enabled).toBeChecked();
  await page
    .getByRole('group', { name: 'Power of bridge' })
    .getByRole('button', { name: 'Start' })
    .click();
  await expect(page.getByRole('group', { name: 'Power of bridge' })).toContainText('▶ running');
  await screenshot(page, 'build-e4-bridge');

  const saved = await saveLab(page);
  expect(nestlabCheck(saved.path)).toMatchObject({ valid: true, violations: [] });
  const lab = parse(saved.text) as SavedLab;
  expect(lab.networks.map((n) => n.id)).toEqual(['front', 'back']);
  const br = vm(lab, 'bridge');
  expect(br.role).toBe('bridge');
  expect(br.adapters?.map((a) => [a.network, a.promiscuous])).toEqual([
    ['front', true],
    ['back', true],
  ]);
  expect(vm(lab, 'client').adapters?.[0]).toMatchObject({ network: 'front', ip: '10.0.0.21/24' });
  expect(vm(lab, 'server').adapters?.[0]).toMatchObject({ network: 'back', ip: '10.0.0.22/24' });
});
