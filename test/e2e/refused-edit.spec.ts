/**
 * An edit the core refuses changes nothing: the lab file saved before and after is the same
 * text, the control shows the lab's real value again, and the refusal sits next to the
 * control naming its code and rule, with the fix where there is one.
 */
import { openBuiltIn, saveLab, screenshot, topologyItem } from './editor-helpers';
import { expect, test } from './web-host-fixture';

const E1 = 'E1: A nested VM reaches the gateway';

test('A2, A5, A6: refused edits change nothing and say why next to their control', async ({
  page,
  webHost,
}) => {
  test.setTimeout(60_000);
  await openBuiltIn(page, webHost.url, E1);
  const before = await saveLab(page);
  const undo = page.getByRole('button', { name: 'Undo', exact: true });
  const undoBefore = await undo.isEnabled();

  // A2: enabling promiscuous mode on a running VM.
  await topologyItem(page, 'adapter:esxi-nic0').getByRole('button').first().click();
  const group = page.getByRole('radiogroup', { name: 'Promiscuous mode' });
  await group.getByRole('radio', { name: 'Enabled' }).click();
  const refusal = page.getByRole('alert').filter({ hasText: 'Refused' });
  await expect(refusal).toContainText('esxi is running; stop it before enabling promiscuous mode');
  await expect(refusal).toContainText('[vm-not-stopped, A2]');
  await expect(refusal.getByRole('button', { name: 'Stop esxi first' })).toBeVisible();
  await expect(group.getByRole('radio', { name: 'Disabled' })).toBeChecked();
  await expect(topologyItem(page, 'adapter:esxi-nic0')).toContainText('○ not promiscuous');
  await screenshot(page, 'refused-01-vm-not-stopped');

  // A6: a MAC another adapter uses. The field keeps the typed value, marked invalid.
  const mac = page.getByLabel('MAC', { exact: true });
  await mac.fill('02:00:00:00:00:02');
  await mac.press('Enter');
  await expect(refusal).toContainText('duplicate-mac');
  await expect(refusal).toContainText('A6');
  await expect(mac).toHaveAttribute('aria-invalid', 'true');
  await expect(topologyItem(page, 'adapter:esxi-nic0')).toContainText('02:00:00:00:00:01');
  await screenshot(page, 'refused-02-duplicate-mac');
  await mac.press('Escape');
  await expect(mac).toHaveValue('02:00:00:00:00:01');

  // A5: nested virtualization cannot be turned off while nested VMs exist.
  await topologyItem(page, 'vm:esxi').getByRole('button').first().click();
  const nesting = page.getByLabel('Nested virtualization');
  await expect(nesting).toBeChecked();
  await nesting.click();
  await expect(refusal).toContainText('[nested-vms-present, A5]');
  await expect(nesting).toBeChecked();

  // Nothing changed: the same file, the same history.
  const after = await saveLab(page);
  expect(after.text).toBe(before.text);
  expect(await undo.isEnabled()).toBe(undoBefore);

  // The fix finishes the change it was offered for: "Stop esxi first" stops it, then
  // enables, and says so. They are two changes in the history: Undo takes back one each.
  await topologyItem(page, 'adapter:esxi-nic0').getByRole('button').first().click();
  await group.getByRole('radio', { name: 'Enabled' }).click();
  await refusal.getByRole('button', { name: 'Stop esxi first' }).click();
  await expect(group.getByRole('radio', { name: 'Enabled' })).toBeChecked();
  const power = page.getByRole('group', { name: 'Power of esxi' });
  await expect(power).toContainText('■ stopped');
  await expect(refusal).toHaveCount(0);
  await expect(page.getByRole('status').filter({ hasText: 'Stopped esxi' })).toHaveText(
    'Stopped esxi, then enabled promiscuous mode on esxi-nic0. Undo twice to take both back.',
  );
  await screenshot(page, 'refused-04-fix-done');
  await undo.click();
  await expect(group.getByRole('radio', { name: 'Disabled' })).toBeChecked();
  await expect(power).toContainText('■ stopped');
  await undo.click();
  await expect(power).toContainText('▶ running');
  expect((await saveLab(page)).text).toBe(before.text);
});

test('P5: a user without the permission is refused even where the field would let them try', async ({
  page,
  webHost,
}) => {
  await openBuiltIn(page, webHost.url, E1);
  // P4: ben (a user) cannot grant himself the permission; the checkbox snaps back.
  await page.getByLabel('Acting as').selectOption('ben');
  await page.getByRole('tab', { name: /Account & users/ }).click();
  const own = page.getByLabel('ben may change promiscuous mode');
  await own.click();
  const refusal = page.getByRole('alert').filter({ hasText: 'Refused' });
  await expect(refusal).toContainText('[admin-only, P4]');
  await expect(own).not.toBeChecked();
  await screenshot(page, 'refused-03-admin-only');
});
