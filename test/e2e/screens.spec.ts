/**
 * Every screen of the editor at 1280×800, in the light and the dark theme (both follow the
 * system setting), saved under artifacts/screenshots for a person to look at. Each step
 * also asserts what the screen must show, so a broken screen fails here first.
 */
import type { Page } from '@playwright/test';
import {
  at,
  dropPalette,
  newLab,
  openBuiltIn,
  openLabFile,
  screenshot,
  topologyItem,
} from './editor-helpers';
import { expect, test } from './web-host-fixture';

test.describe.configure({ timeout: 90_000 });

async function tour(page: Page, url: string, theme: 'light' | 'dark'): Promise<void> {
  const shot = (name: string) => screenshot(page, `screen-${theme}-${name}`);

  await newLab(page, url);
  await shot('01-empty-lab');
  await page.getByRole('button', { name: 'Add a network', exact: true }).click();
  await expect(page.getByRole('dialog', { name: 'Add network' })).toBeVisible();
  await shot('02-add-dialog');
  await page.keyboard.press('Escape');

  await dropPalette(page, 'Hypervisor VM', await at(page, 0.4, 0.4), { id: 'esxi' });
  await page
    .getByRole('region', { name: 'Add to the lab' })
    .getByRole('button', { name: 'Nested switch' })
    .click();
  await expect(page.getByRole('dialog', { name: 'Add nested switch' })).toBeVisible();
  await shot('03-add-nested-switch');
  await page.keyboard.press('Escape');
  await page
    .getByRole('region', { name: 'Add to the lab' })
    .getByRole('button', { name: 'Inline bridge' })
    .hover();
  await expect(page.getByRole('tooltip').filter({ visible: true })).toContainText('bridges');
  await shot('04-palette-tooltip');

  await openBuiltIn(page, url, 'E1: A nested VM reaches the gateway');
  await shot('05-e1-lab');
  await topologyItem(page, 'adapter:esxi-nic0').getByRole('button').first().click();
  await shot('06-adapter-inspector');
  await topologyItem(page, 'vm:esxi').getByRole('button').first().click();
  await shot('07-vm-inspector');
  await page.getByRole('button', { name: 'Connect', exact: true }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Connect mode' })).toBeVisible();
  await shot('08-connect-mode');
  await page.getByRole('button', { name: 'Connect', exact: true }).click();
  await page.getByRole('tab', { name: /Account & users/ }).click();
  await shot('09-account-enabled');
  await page.getByRole('tab', { name: 'Inspector' }).click();
  await page.getByRole('button', { name: 'Delete esxi' }).click();
  await expect(page.getByRole('dialog', { name: 'Delete VM esxi?' })).toBeVisible();
  await shot('10-delete-dialog');
  await page.keyboard.press('Escape');
  await page.getByRole('button', { name: 'Shortcuts', exact: true }).click();
  await shot('11-shortcuts');
  await page.keyboard.press('Escape');

  await openBuiltIn(page, url, 'E7: Rule traps');
  await page.getByRole('tab', { name: /Account & users/ }).click();
  await shot('12-account-other-lab');
  await openBuiltIn(page, url, 'E5: Two bridges make a loop');
  await shot('13-e5-lab');
  await openBuiltIn(page, url, 'E6: Virtual MAC failover');
  await shot('14-e6-lab');

  await newLab(page, url);
  await dropPalette(page, 'Network', await at(page, 0.5, 0.7), { id: 'lan' });
  await dropPalette(page, 'VM', await at(page, 0.5, 0.3), { id: 'pc' });
  await page.getByRole('tab', { name: /Account & users/ }).click();
  await expect(page.getByRole('img', { name: /as it will be attached/ })).toBeVisible();
  await shot('15-account-request-form');
  await page
    .getByLabel('Use case')
    .fill('A sniffer VM must see the traffic of a nested hypervisor in class.');
  await page.getByRole('button', { name: 'Send request' }).click();
  await expect(page.getByTestId('feature-state')).toContainText('Requested');
  await shot('16-account-requested');

  await openLabFile(
    page,
    'bad.lab.yaml',
    // Does not parse as a lab (an unknown key): refused. One that only breaks rules would open.
    'nestlab: 1\ntitle: Bad\nnetworks:\n  - { id: lan, subnet: 10.0.0.0/24, colour: red }\n',
  );
  await expect(page.getByRole('alert').filter({ hasText: 'bad.lab.yaml' })).toBeVisible();
  await shot('17-open-dialog-bad-file');
  await page.keyboard.press('Escape');

  // Authoring (trainer mode): the Exercise tab and its editors; grading a class.
  await page.getByRole('button', { name: 'All labs' }).click();
  await page.getByText('Edit as trainer').first().click();
  await page.getByRole('tab', { name: /Exercise/ }).click();
  await expect(page.getByRole('list', { name: 'Objectives' }).getByRole('listitem')).toHaveCount(2);
  await shot('18-exercise-tab');
  await page.getByRole('button', { name: 'Edit objective uplink' }).click();
  await expect(page.getByRole('dialog', { name: 'Edit objective uplink' })).toBeVisible();
  await shot('19-objective-editor');
  await page.keyboard.press('Escape');
  await page.getByRole('button', { name: 'Edit step 1' }).click();
  await expect(page.getByRole('dialog', { name: 'Edit step 1' })).toBeVisible();
  await shot('20-step-editor');
  await page.keyboard.press('Escape');
  await page.getByRole('button', { name: 'Edit checkpoint where-arp' }).click();
  await expect(page.getByRole('dialog', { name: 'Edit checkpoint where-arp' })).toBeVisible();
  await shot('21-checkpoint-editor');
  await page.keyboard.press('Escape');
  await page.getByRole('button', { name: 'All labs' }).click();
  await page.getByRole('button', { name: /Grade a class/ }).click();
  await expect(page.getByRole('heading', { name: 'Grade a class' })).toBeVisible();
  await shot('22-grade-a-class');
}

test('every screen in the light theme', async ({ page, webHost }) => {
  await page.emulateMedia({ colorScheme: 'light' });
  await tour(page, webHost.url, 'light');
});

test('every screen in the dark theme', async ({ page, webHost }) => {
  await page.emulateMedia({ colorScheme: 'dark' });
  await tour(page, webHost.url, 'dark');
});
