/**
 * Authoring in the app (trainer mode, the Exercise tab): an objective is written with pickers,
 * tried on the lab as it is, kept; a step joins the script; students' edits are limited; the
 * saved file holds all of it, and `nestlab run` on it grades the new objective.
 */
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { saveLab, screenshot } from './editor-helpers';
import { expect, test } from './web-host-fixture';

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));

test('a trainer adds an objective (tried first), a step and student settings; nestlab run grades the saved file', async ({
  page,
  webHost,
}) => {
  await page.goto(webHost.url);
  await page.getByText('Edit as trainer').first().click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(
    'E1: A nested VM reaches the gateway',
  );
  await page.getByRole('tab', { name: /Exercise/ }).click();
  const objectives = page.getByRole('list', { name: 'Objectives' });
  await expect(objectives.getByRole('listitem')).toHaveCount(2);

  await page.getByRole('button', { name: 'Add an objective' }).click();
  const dialog = page.getByRole('dialog', { name: 'Add an objective' });
  await dialog.getByLabel('Id').fill('client-out');
  await dialog.getByLabel('Text students read').fill('client cannot reach web1 yet');
  await dialog.getByLabel('Check').selectOption('unreachable');
  await dialog.getByLabel('From VM').selectOption('client');
  await dialog.getByLabel('To (VM, host or IP)').fill('web1');
  await dialog.getByRole('button', { name: 'Try it' }).click();
  await expect(dialog.getByRole('status')).toContainText('Met on the lab as it is now');
  await screenshot(page, 'authoring-01-objective-tried');
  await dialog.getByRole('button', { name: 'Add', exact: true }).click();
  await expect(dialog).toHaveCount(0);
  await expect(objectives.getByRole('listitem')).toHaveCount(3);
  await expect(objectives.getByRole('listitem').nth(2)).toContainText('unreachable: client → web1');
  await expect(objectives.getByRole('listitem').nth(2)).toContainText('met');

  await page.getByRole('button', { name: 'Add a step' }).click();
  const step = page.getByRole('dialog', { name: /Add step/ });
  await step.getByLabel('Kind of step').selectOption('wait');
  await step.getByLabel('Seconds').fill('5');
  await step.getByRole('button', { name: 'Add', exact: true }).click();
  await expect(page.getByRole('list', { name: 'Traffic script' })).toContainText('wait 5 s');

  // Run a step to see what it does: the script through it, in Simulate, its frames listed.
  await page.getByRole('button', { name: 'Run the script through step 1 in Simulate' }).click();
  const events = page.getByRole('table', { name: 'Events' });
  await expect(events).not.toHaveAttribute('aria-rowcount', '1');
  await expect(events).toContainText('forged-source');
  await page.getByRole('group', { name: 'View' }).getByRole('button', { name: 'Edit' }).click();
  await page.getByRole('tab', { name: /Exercise/ }).click();

  await page.getByLabel('Students may edit').selectOption('settings');
  await screenshot(page, 'authoring-02-exercise-pane');

  // Undo takes back the last change only.
  await page.keyboard.press('Control+z');
  await expect(page.getByLabel('Students may edit')).toHaveValue('all');
  await page.keyboard.press('Control+y');
  await expect(page.getByLabel('Students may edit')).toHaveValue('settings');

  const saved = await saveLab(page);
  expect(saved.text).toContain('client-out');
  expect(saved.text).toMatch(/student:\s*\n\s*edit: settings/);
  let out: string;
  try {
    out = execFileSync(process.execPath, ['bin/nestlab.js', 'run', saved.path, '--json'], {
      cwd: repoRoot,
      encoding: 'utf8',
    });
  } catch (error) {
    out = String((error as { stdout?: string }).stdout ?? '');
  }
  const report = JSON.parse(out) as { objectives: { id: string; passed: boolean }[] };
  expect(report.objectives.find((o) => o.id === 'client-out')).toMatchObject({ passed: true });
  expect(report.objectives.map((o) => o.id)).toEqual(['reach', 'uplink', 'client-out']);
});
