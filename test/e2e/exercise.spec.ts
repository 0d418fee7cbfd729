/**
 * The student's exercise loop on the built-in labs, through the home screen as a student
 * meets it: a run belongs to its lab (nothing of E4 follows into E6); objectives are live in
 * the lab (E1 flips to met after the fix) with hints that stay revealed; the script panel
 * keeps every step's outcome and gives the same outcomes on a second run (E7); a checkpoint
 * is asked before its step, judged by the core and explained; student mode locks what the
 * lab locks and says why; the description is Markdown, not raw text.
 */
import { readFileSync } from 'node:fs';
import type { Page } from '@playwright/test';
import {
  checkpointCard,
  fixE1,
  openLabFile,
  runWholeScript,
  screenshot,
  topologyItem,
} from './editor-helpers';
import { expect, test } from './web-host-fixture';

test.describe.configure({ timeout: 90_000 });

async function startFromHome(page: Page, url: string, title: string): Promise<void> {
  await page.goto(url);
  await page
    .getByRole('button', { name: new RegExp(`^(Start|Continue) ${title.replace(/[():]/g, '.')}`) })
    .click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(title);
}

async function allLabs(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'All labs' }).click();
  await expect(page.getByRole('heading', { name: 'Your labs' })).toBeVisible();
}

function view(page: Page, mode: 'Edit' | 'Simulate') {
  return page.getByRole('group', { name: 'View' }).getByRole('button', { name: mode });
}

function objective(page: Page, id: string) {
  return page.locator(`[aria-labelledby="objectives-heading"] li[data-objective="${id}"]`);
}

function stepRow(page: Page, index: number) {
  return page.getByRole('list', { name: 'Script steps' }).locator(`li[data-step="${index}"]`);
}

test('no trace of E4 follows into E6: events, tables, badges and toasts start empty', async ({
  page,
  webHost,
}) => {
  await startFromHome(page, webHost.url, 'E4: An inline bridge');
  await view(page, 'Simulate').click();
  await page.getByLabel('From').first().selectOption('client');
  await page.getByLabel('To (IP or host)').fill('10.0.0.22');
  await page.getByRole('button', { name: 'Ping', exact: true }).click();
  const events = page.getByRole('table', { name: 'Events' });
  await expect(events).not.toHaveAttribute('aria-rowcount', '1');
  await expect(page.locator('[data-testid="canvas-mark"]').first()).toBeVisible();

  await allLabs(page);
  await startFromHome(page, webHost.url, 'E6: Virtual MAC failover');
  await view(page, 'Simulate').click();
  await expect(events).toHaveAttribute('aria-rowcount', '1');
  await expect(page.locator('[data-testid="canvas-mark"]')).toHaveCount(0);
  await expect(page.getByText('client → 10.0.0.22')).toHaveCount(0);
  await page.getByRole('tab', { name: 'Tables' }).click();
  await expect(page.getByRole('tabpanel', { name: 'Tables' })).not.toContainText('front');
  await expect(page.getByRole('list', { name: 'Script steps' }).locator('.outcome')).toHaveCount(0);
  await screenshot(page, 'exercise-01-e6-clean');
});

test("E1's objectives flip to met in the panel after the fix, without leaving the lab; a hint stays revealed", async ({
  page,
  webHost,
}) => {
  await startFromHome(page, webHost.url, 'E1: A nested VM reaches the gateway');
  const reach = objective(page, 'reach');
  await expect(reach).toHaveAttribute('data-status', 'not-met');
  await expect(reach).toContainText('dropped at lan: forged-source (F2)');
  await expect(page.getByTestId('objectives-score')).toHaveText('0 of 2 met');

  await reach.getByRole('button', { name: /Show the hint/ }).click();
  await expect(reach).toContainText('Hint:');
  await screenshot(page, 'exercise-02-e1-objectives');

  await fixE1(page);
  await expect(reach).toHaveAttribute('data-status', 'met');
  await expect(objective(page, 'uplink')).toHaveAttribute('data-status', 'met');
  await expect(page.getByTestId('objectives-score')).toHaveText('2 of 2 met');
  await screenshot(page, 'exercise-03-e1-met');

  // The home card agrees, and the hint is still shown when the lab is opened again.
  await allLabs(page);
  await expect(page.locator('[data-lab-id="e1-nested-vm-out"]')).toContainText('2/2 objectives');
  await startFromHome(page, webHost.url, 'E1: A nested VM reaches the gateway');
  await expect(objective(page, 'reach')).toContainText('Hint:');
});

test("E7's per-step refusals are readable in the script panel and the same on a second run", async ({
  page,
  webHost,
}) => {
  await startFromHome(page, webHost.url, 'E7: Rule traps');
  await view(page, 'Simulate').click();
  await runWholeScript(page);
  const steps = page.getByRole('list', { name: 'Script steps' }).locator('li[data-step]');
  const count = await steps.count();
  expect(count).toBeGreaterThan(3);
  const refused = steps.filter({ hasText: 'Refused:' });
  await expect(refused.first()).toContainText(/Refused: [a-z-]+ \([PA]\d\)/);
  const first = await steps.allInnerTexts();
  await screenshot(page, 'exercise-04-e7-script');

  await runWholeScript(page);
  await expect(steps.locator('.outcome')).toHaveCount(count);
  expect(await steps.allInnerTexts()).toEqual(first);

  // A step selected: the event list shows only its events.
  await steps.nth(1).getByRole('button').first().click();
  await expect(steps.nth(1)).toHaveClass(/selected/);
  await expect(page.getByRole('button', { name: 'One script step only' })).toBeVisible();
  await page.emulateMedia({ colorScheme: 'dark' });
  await screenshot(page, 'exercise-05-e7-script-dark');
});

test('a checkpoint in E1 is asked before its step, judged by the run and explained: wrong, then right', async ({
  page,
  webHost,
}) => {
  await startFromHome(page, webHost.url, 'E1: A nested VM reaches the gateway');
  await view(page, 'Simulate').click();
  await page.getByRole('button', { name: 'Run all', exact: true }).click();
  const card = checkpointCard(page);
  await expect(card).toBeVisible();
  await expect(card).toContainText('Where does it end?');
  await screenshot(page, 'exercise-06-checkpoint-ask');
  // Nothing of step 1 has run before the answer.
  await expect(page.getByRole('table', { name: 'Events' })).toHaveAttribute('aria-rowcount', '1');
  await card.getByRole('radio', { name: /The gateway receives it/ }).check();
  await card.getByRole('button', { name: 'Run the step' }).click();
  await expect(card).toHaveAttribute('data-stage', 'verdict', { timeout: 30_000 });
  await expect(card).toContainText('Not quite');
  await expect(card).toContainText('What happened: lan drops it');
  await expect(card.locator('.explain')).toContainText('F2');
  await screenshot(page, 'exercise-07-checkpoint-wrong');
  await page.emulateMedia({ colorScheme: 'dark' });
  await screenshot(page, 'exercise-08-checkpoint-wrong-dark');
  await page.emulateMedia({ colorScheme: 'light' });
  await card.getByRole('button', { name: 'Continue' }).click();
  await expect(card).toHaveCount(0);
  await expect(stepRow(page, 0)).toContainText('no reply');

  // The first answer is kept: a second run asks again with it locked.
  await page.getByRole('button', { name: 'Run all', exact: true }).click();
  await expect(card.getByRole('radio', { name: /The gateway receives it/ })).toBeChecked();
  await expect(card.getByRole('radio', { name: /The gateway receives it/ })).toBeDisabled();
  await card.getByRole('button', { name: 'Not now' }).click();
  await expect(card).toHaveCount(0);

  // A new attempt: answered right this time.
  await allLabs(page);
  await page.getByRole('button', { name: /^Restart E1/ }).click();
  await page
    .getByRole('dialog')
    .getByRole('button', { name: /Restart/ })
    .click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(
    'E1: A nested VM reaches the gateway',
  );
  await view(page, 'Simulate').click();
  await page.getByRole('button', { name: 'Run all', exact: true }).click();
  await card.getByRole('radio', { name: /lan drops it/ }).check();
  await card.getByRole('button', { name: 'Run the step' }).click();
  await expect(card).toHaveAttribute('data-stage', 'verdict', { timeout: 30_000 });
  await expect(card).toContainText('Right');
  await screenshot(page, 'exercise-09-checkpoint-right');
  await card.getByRole('button', { name: 'Continue' }).click();
});

const LOCKED_LAB = `nestlab: 1
title: Locked lab
description: |
  Only **settings** may change here: \`esxi-nic0\` is the uplink.
users:
  - { name: ana, role: admin, promiscuous: true }
  - { name: ben, role: user }
actingUser: ben
account: { promiscuousMode: enabled }
networks:
  - { id: lan, subnet: 10.0.0.0/24, gateway: 10.0.0.254 }
vms:
  - id: client
    adapters:
      - { id: client-nic0, network: lan, mac: "02:00:00:00:00:02", ip: 10.0.0.30/24 }
student:
  edit: settings
  actAs: [ben]
`;

test('student mode: a locked control refuses with its reason; the description is Markdown', async ({
  page,
  webHost,
}) => {
  await page.goto(webHost.url);
  await openLabFile(page, 'locked.lab.yaml', LOCKED_LAB);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Locked lab');
  // Adding is locked, with the reason where the palette was.
  await expect(page.getByRole('region', { name: 'Add to the lab' })).toContainText('settings only');
  await expect(page.getByRole('button', { name: 'Delete', exact: true })).toBeDisabled();
  // The description is rendered: bold and code, no literal asterisks or backticks.
  const description = page.locator('#lab-description');
  await expect(description.locator('strong')).toHaveText('settings');
  await expect(description.locator('code')).toHaveText('esxi-nic0');
  await expect(description).not.toContainText('`');
  // Acting as ana is locked by the lab: the core refuses with the reason.
  await page.getByLabel('Acting as').selectOption('ana');
  await expect(page.getByText(/you act as ben; acting as ana is locked/)).toBeVisible();
  await expect(page.getByLabel('Acting as')).toHaveValue('ben');
  // A rename is structural: refused next to the field, with the reason.
  await topologyItem(page, 'vm:client').getByRole('button').first().click();
  const name = page.getByLabel('Name', { exact: true });
  await name.fill('renamed');
  await name.press('Enter');
  await expect(page.getByText(/settings only/).last()).toBeVisible();
  await screenshot(page, 'exercise-10-locked');
  // The Delete key says why too, and asks nothing.
  await expect(page.getByRole('button', { name: 'Delete client' })).toBeDisabled();
  await page.getByRole('heading', { name: 'VM client' }).focus();
  await page.keyboard.press('Delete');
  await expect(page.getByRole('dialog')).toHaveCount(0);
  await expect(topologyItem(page, 'vm:client')).toHaveCount(1);
});

test('student mode, edit: none: the inspector says read-only before anything is tried, and a try is refused with the reason', async ({
  page,
  webHost,
}) => {
  await page.goto(webHost.url);
  await openLabFile(page, 'none.lab.yaml', LOCKED_LAB.replace('edit: settings', 'edit: none'));
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Locked lab');
  await topologyItem(page, 'vm:client').getByRole('button').first().click();
  const note = page.getByRole('note').filter({ hasText: 'Read-only.' });
  await expect(note).toContainText('read-only for students');
  await screenshot(page, 'exercise-13-read-only');
  await page
    .getByRole('group', { name: 'Power of client' })
    .getByRole('button', { name: 'Stop' })
    .click();
  await expect(page.getByText(/\[locked, student\]|read-only for students/).last()).toBeVisible();
  await expect(page.getByRole('group', { name: 'Power of client' })).toContainText('running');
});

test("E1's description reads as Markdown: no literal backticks", async ({ page, webHost }) => {
  await startFromHome(page, webHost.url, 'E1: A nested VM reaches the gateway');
  const description = page.locator('#lab-description');
  await expect(description.locator('code').first()).toHaveText('web1');
  await expect(description).not.toContainText('`');
});

test('"Show the ping" asks the checkpoint of the script first: the ping waits for the answer', async ({
  page,
  webHost,
}) => {
  await startFromHome(page, webHost.url, 'E1: A nested VM reaches the gateway');
  await objective(page, 'reach')
    .getByRole('button', { name: /Show the ping/ })
    .click();
  const card = checkpointCard(page);
  await expect(card).toContainText('Where does it end?');
  await expect(page.getByRole('table', { name: 'Events' })).toHaveAttribute('aria-rowcount', '1');
  await card.getByRole('radio', { name: /lan drops it/ }).check();
  await card.getByRole('button', { name: 'Run the step' }).click();
  await expect(card).toHaveAttribute('data-stage', 'verdict', { timeout: 30_000 });
  await card.getByRole('button', { name: 'Continue' }).click();
  // Answered: the ping is shown, its drop opened in the frame inspector.
  // The drop the objective names (forged-source at lan), not what followed (web1's ARP timing out).
  await expect(page.getByRole('tabpanel', { name: 'Frame' })).toContainText(
    'Outcome ✗ forged-source (F2)',
    { timeout: 30_000 },
  );
  await expect(card).toHaveCount(0);
});

test("a checkpoint answered after the student changed the lab is judged on the lab as handed out, as the trainer's grade is", async ({
  page,
  webHost,
}) => {
  await startFromHome(page, webHost.url, 'E1: A nested VM reaches the gateway');
  await fixE1(page);
  await view(page, 'Simulate').click();
  await page.getByRole('button', { name: 'Run all', exact: true }).click();
  const card = checkpointCard(page);
  await card.getByRole('radio', { name: /The gateway receives it/ }).check();
  await card.getByRole('button', { name: 'Run the step' }).click();
  await expect(card).toHaveAttribute('data-stage', 'verdict', { timeout: 30_000 });
  await expect(card).toContainText('Not quite');
  await expect(card).toContainText('What happened: The gateway receives it');
  await expect(card.locator('.changed')).toContainText(
    'In the lab as handed out, the answer is “lan drops it',
  );
  await screenshot(page, 'exercise-11-checkpoint-changed-lab');
});

test('two checkpoints before one step are both asked, then the step runs once and each is judged in turn', async ({
  page,
  webHost,
}) => {
  const e1 = readFileSync(
    new URL('../../labs/e1-nested-vm-out.lab.yaml', import.meta.url),
    'utf8',
  ).replace(/^title: .*$/m, 'title: Two questions');
  const lab = `${e1}  - id: client-sees
    before: 0
    question: Does client get the ARP request?
    choices:
      - { text: "Yes: it is a broadcast", fate: { delivered: client-nic0 } }
      - { text: "No: lan drops it first", fate: { dropped: lan } }
`;
  await page.goto(webHost.url);
  await openLabFile(page, 'two.lab.yaml', lab);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Two questions');
  await view(page, 'Simulate').click();
  await expect(
    page.getByRole('list', { name: 'Script steps' }).locator('li.checkpoint'),
  ).toHaveCount(2);
  await page.getByRole('button', { name: 'Run all', exact: true }).click();
  const card = checkpointCard(page);
  await expect(card).toContainText('question 1 of 2');
  await card.getByRole('radio', { name: /lan drops it/ }).check();
  await card.getByRole('button', { name: 'Run the step' }).click();
  await expect(card).toContainText('question 2 of 2');
  await expect(card).toContainText('Does client get the ARP request?');
  await screenshot(page, 'exercise-12-two-questions');
  await card.getByRole('radio', { name: /Yes: it is a broadcast/ }).check();
  await card.getByRole('button', { name: 'Run the step' }).click();
  await expect(card).toHaveAttribute('data-stage', 'verdict', { timeout: 30_000 });
  await expect(card).toContainText('question 1 of 2');
  await expect(card).toContainText('Right');
  await card.getByRole('button', { name: 'Continue' }).click();
  await expect(card).toContainText('question 2 of 2');
  await expect(card).toHaveAttribute('data-stage', 'verdict');
  await expect(card).toContainText('Not quite');
  await card.getByRole('button', { name: 'Continue' }).click();
  await expect(card).toHaveCount(0);
  await expect(stepRow(page, 0)).toContainText('no reply');
});
