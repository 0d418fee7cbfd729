/**
 * "Grade a class" (issue 13) through the real web host: a trainer imports a lab, adds three
 * students' attempt files at once, watches the progress, reads the table (scores, objectives,
 * checkpoints, hints, locked-changed) and exports the CSV, which equals `nestlab grade --csv`
 * run on the same files, byte for byte; an unreadable file added later is graded invalid with
 * its reason, and the CSV still equals the CLI's. Screenshots, light and dark, go to
 * /tmp/shots-grading/.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Locator, Page } from '@playwright/test';
import { expect, test } from './web-host-fixture';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const SHOTS = '/tmp/shots-grading';
const E1 = readFileSync(join(ROOT, 'labs/e1-nested-vm-out.lab.yaml'), 'utf8');
const TITLE = 'E1, locked: a nested VM reaches the gateway';
const TRAINER = `${E1.replace(/^title: .*$/m, `title: "${TITLE}"`)}student: { edit: settings }\n`;
const FIXED = E1.replace('ip: 10.0.0.10/24 }', 'ip: 10.0.0.10/24, promiscuous: true }');

const ATTEMPTS: Record<string, string> = {
  'ana.attempt.lab.yaml': `${FIXED}attempt: { answers: { where-arp: 2 }, hints: [reach] }\n`,
  'ben.attempt.lab.yaml': `${FIXED.replace('    guestOs: esxi\n', '    guestOs: esxi\n    power: stopped\n')}attempt: { answers: { where-arp: 0 }, hints: [uplink, reach] }\n`,
  'cleo.attempt.lab.yaml': `${FIXED.replace('network: lan, mac: "02:00:00:00:00:02"', 'mac: "02:00:00:00:00:02"')}attempt: { answers: { where-arp: 2 } }\n`,
};
const UNREADABLE = 'dan.attempt.lab.yaml';

/** The class's files in a folder of their own, named as the app names them. */
function classFolder(): string {
  const folder = mkdtempSync(join(tmpdir(), 'nestlab-class-'));
  writeFileSync(join(folder, 'e1-locked.lab.yaml'), TRAINER);
  for (const [name, text] of Object.entries(ATTEMPTS)) writeFileSync(join(folder, name), text);
  writeFileSync(join(folder, UNREADABLE), 'nestlab: 1\nvms: [oops\n');
  return folder;
}

/** `nestlab grade LAB FILES… --csv`, run in the class's folder. */
function gradeCsv(folder: string, files: readonly string[], lab = 'e1-locked.lab.yaml'): string {
  const result = spawnSync(
    process.execPath,
    [join(ROOT, 'bin/nestlab.js'), 'grade', lab, ...files, '--csv'],
    { cwd: folder, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } },
  );
  expect(result.status, result.stderr).toBe(0);
  return result.stdout;
}

async function exportedCsv(page: Page): Promise<string> {
  const download = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Export CSV' }).click();
  const file = await download;
  expect(file.suggestedFilename()).toMatch(/-grades\.csv$/);
  const path = test.info().outputPath(`grades-${Date.now()}.csv`);
  await file.saveAs(path);
  return readFileSync(path, 'utf8');
}

function row(table: Locator, file: string): Locator {
  return table
    .getByRole('row')
    .filter({ has: table.page().getByRole('rowheader', { name: file }) });
}

test('a trainer grades three attempt files and exports the CSV nestlab grade prints', async ({
  page,
  webHost,
}) => {
  const folder = classFolder();
  await page.goto(webHost.url);
  await page.locator('input[type=file]').setInputFiles(join(folder, 'e1-locked.lab.yaml'));
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(TITLE);
  await page.getByRole('button', { name: 'All labs' }).click();

  await page.getByRole('button', { name: 'Grade a class…' }).click();
  await expect(page.getByRole('heading', { name: 'Grade a class' })).toBeVisible();
  const lab = page.getByLabel('Lab to grade against');
  await expect(lab.locator('option:checked')).toHaveText(`${TITLE} (open now)`);
  await expect(page.getByText('No attempts yet.')).toBeVisible();

  const names = Object.keys(ATTEMPTS);
  await page.getByTestId('attempt-files').setInputFiles(names.map((n) => join(folder, n)));
  const progress = page.getByRole('progressbar', { name: 'Grading progress' });
  await expect(page.getByText('Graded 3 of 3')).toBeVisible();
  await expect(progress).toHaveAttribute('value', '3');
  await expect(progress).toHaveAttribute('max', '3');

  const table = page.getByRole('table', { name: /Grades for/ });
  await expect(table.locator('caption')).toHaveText(
    `Grades for ${TITLE}: 3 attempts · 2 passed every objective · 1 changed what the lab locks`,
  );
  const headers = table.getByRole('columnheader');
  await expect(headers).toHaveText([
    'Attempt file',
    'Score',
    'Objective reach',
    'Objective uplink',
    'Checkpoint where-arp',
    'Hints used',
    'Locked parts',
    'Notes',
  ]);
  const cells = (file: string) => row(table, file).getByRole('cell');
  await expect(cells('ana.attempt.lab.yaml')).toHaveText([
    '2/2',
    /^✓ passed/,
    /^✓ passed/,
    '✓ right',
    '1 (reach)',
    'unchanged',
    '',
  ]);
  await expect(cells('ben.attempt.lab.yaml')).toHaveText([
    '1/2',
    /^✗ failed/,
    /^✓ passed/,
    '✗ wrong',
    '2 (uplink, reach)',
    'unchanged',
    '',
  ]);
  await expect(cells('cleo.attempt.lab.yaml')).toHaveText([
    '2/2',
    /^✓ passed/,
    /^✓ passed/,
    '✓ right',
    '0',
    'locked-changed',
    'adapter client-nic0: network changed from lan to none',
  ]);

  expect(await exportedCsv(page)).toBe(gradeCsv(folder, names));

  // A file nestlab grade cannot read is graded invalid, with the reason; the CSV still agrees.
  await page.getByTestId('attempt-files').setInputFiles(join(folder, UNREADABLE));
  await expect(page.getByText('Graded 4 of 4')).toBeVisible();
  await expect(cells(UNREADABLE).first()).toHaveText('0/2 invalid');
  await expect(cells(UNREADABLE).last()).toContainText('YAML syntax error');
  await expect(table.locator('caption')).toContainText('· 1 invalid ·');
  expect(await exportedCsv(page)).toBe(gradeCsv(folder, [...names, UNREADABLE]));

  mkdirSync(SHOTS, { recursive: true });
  await page.emulateMedia({ colorScheme: 'light' });
  await page.screenshot({ path: join(SHOTS, 'grading-light.png') });
  await page.emulateMedia({ colorScheme: 'dark' });
  await page.screenshot({ path: join(SHOTS, 'grading-dark.png') });
});

test('choosing another lab grades every file again against it', async ({ page, webHost }) => {
  const folder = classFolder();
  await page.goto(webHost.url);
  await expect(page.getByRole('list', { name: 'Labs' }).getByRole('article')).toHaveCount(7);
  mkdirSync(SHOTS, { recursive: true });
  await page.screenshot({ path: join(SHOTS, 'home-with-grade-a-class.png') });
  await page.getByRole('button', { name: 'Grade a class…' }).click();
  await expect(page.getByText('No attempts yet.')).toBeVisible();
  const lab = page.getByLabel('Lab to grade against');
  await expect(lab.locator('option')).toHaveCount(7);
  await page.screenshot({ path: join(SHOTS, 'grading-empty.png') });
  await lab.selectOption({ label: 'E7: Rule traps (e7-rule-traps.lab.yaml)' });
  await page.getByTestId('attempt-files').setInputFiles(join(folder, 'ana.attempt.lab.yaml'));
  const table = page.getByRole('table', { name: /Grades for/ });
  await expect(table.getByRole('columnheader', { name: 'Objective app' })).toBeVisible();
  await lab.selectOption({
    label: 'E1: A nested VM reaches the gateway (e1-nested-vm-out.lab.yaml)',
  });
  await expect(table.getByRole('columnheader', { name: 'Objective reach' })).toBeVisible();
  await expect(page.getByText('Graded 1 of 1')).toBeVisible();
  await expect(row(table, 'ana.attempt.lab.yaml').getByRole('cell').first()).toHaveText('2/2');
  await page.getByRole('button', { name: 'Your labs' }).click();
  await expect(page.getByRole('heading', { name: 'Your labs' })).toBeVisible();
});

test('a student’s “Save attempt for my trainer” file is graded in the app as nestlab grade grades it', async ({
  page,
  webHost,
}) => {
  await page.goto(webHost.url);
  await page
    .getByRole('article', { name: 'E1: A nested VM reaches the gateway' })
    .getByRole('button', { name: 'Start' })
    .click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(
    'E1: A nested VM reaches the gateway',
  );
  const download = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Save attempt for my trainer' }).click();
  const saved = await download;
  const name = saved.suggestedFilename();
  expect(name).toBe('e1-nested-vm-out.attempt.lab.yaml');
  const folder = mkdtempSync(join(tmpdir(), 'nestlab-class-'));
  await saved.saveAs(join(folder, name));
  writeFileSync(join(folder, 'e1.lab.yaml'), E1);

  await page.getByRole('button', { name: 'All labs' }).click();
  await page.getByRole('button', { name: 'Grade a class…' }).click();
  await expect(page.getByLabel('Lab to grade against').locator('option:checked')).toHaveText(
    'E1: A nested VM reaches the gateway (open now)',
  );
  await page.getByTestId('attempt-files').setInputFiles(join(folder, name));
  await expect(page.getByText('Graded 1 of 1')).toBeVisible();
  const table = page.getByRole('table', { name: /Grades for/ });
  await expect(row(table, name).getByRole('cell').first()).toHaveText('0/2');
  expect(await exportedCsv(page)).toBe(gradeCsv(folder, [name], 'e1.lab.yaml'));
});
