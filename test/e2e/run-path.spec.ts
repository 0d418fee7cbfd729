/**
 * The run path as a student meets it: a lab whose script storms for seconds (eight bridges,
 * the largest loop limits) runs in the host's worker thread; the page stays live, Stop ends the
 * run at once, and the notices say, in the core's words, what was cut and why.
 */
import { stormLab } from '../unit/core/node/hostile-labs';
import { openLabFile, screenshot } from './editor-helpers';
import { expect, test } from './web-host-fixture';

test.describe.configure({ timeout: 90_000 });

test('a stormy script can be stopped from the page, and the run says it was cancelled', async ({
  page,
  webHost,
}) => {
  await page.goto(webHost.url);
  await openLabFile(page, 'storm.lab.yaml', stormLab(255, 100_000, 50, 8));
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('storm');
  await page.getByRole('group', { name: 'View' }).getByRole('button', { name: 'Simulate' }).click();
  await page.getByRole('button', { name: 'Run all', exact: true }).click();
  const running = page.getByRole('status').filter({ hasText: 'Running…' });
  await expect(running).toBeVisible();
  await screenshot(page, 'run-path-01-running');
  await running.getByRole('button', { name: 'Stop' }).click();
  await expect(running).toHaveCount(0);
  const notices = page.getByRole('region', { name: 'The last run was cut short' });
  await expect(notices).toContainText('The run was cancelled in step');
  await expect(notices).toContainText('later steps were not run');
  await screenshot(page, 'run-path-02-cancelled');
  await page.emulateMedia({ colorScheme: 'dark' });
  await screenshot(page, 'run-path-03-cancelled-dark');
  // The next lab starts clean: nothing of the storm's run or its notices follows it.
  await page.emulateMedia({ colorScheme: 'light' });
  await openLabFile(page, 'calm.lab.yaml', stormLab(16, 200, 1, 1));
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('storm');
  await expect(notices).toHaveCount(0);
  await expect(page.getByText('Part of the run was cut')).toHaveCount(0);
  await expect(page.getByRole('table', { name: 'Events' })).toHaveAttribute('aria-rowcount', '1');
  await screenshot(page, 'run-path-04-next-lab');
});
