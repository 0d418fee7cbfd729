/**
 * Opening lab files from disk (lab.openText): a bad file is refused with `nestlab check`
 * style findings, and an account without the feature shows the hidden face (P2).
 */
import { expect, test } from './web-host-fixture';

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

const BAD_LAB = `nestlab: 1
title: Two adapters, one MAC
networks:
  - { id: lan, subnet: 10.0.0.0/24 }
vms:
  - id: a
    adapters:
      - { id: a-nic0, network: lan, mac: "02:00:00:00:00:01" }
  - id: b
    adapters:
      - { id: b-nic0, network: lan, mac: "02:00:00:00:00:01" }
`;

function labFile(name: string, text: string) {
  return { name, mimeType: 'application/yaml', buffer: Buffer.from(text) };
}

test('a lab file that breaks a rule is not opened; the findings name path, code and rule', async ({
  page,
  webHost,
}) => {
  await page.goto(webHost.url);
  await page.locator('input[type=file]').setInputFiles(labFile('bad.lab.yaml', BAD_LAB));
  const problem = page.getByRole('alert').filter({ hasText: 'bad.lab.yaml' });
  await expect(problem).toContainText('not opened');
  await expect(problem).toContainText('duplicate-mac');
  await expect(problem).toContainText('A6');
  await expect(problem.locator('code.path').first()).toHaveText(/^vms\[1\]\.adapters\[0\]/);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('No lab open');
});

test('P2: with the feature off for the account, the promiscuous field is absent', async ({
  page,
  webHost,
}) => {
  await page.goto(webHost.url);
  await page
    .locator('input[type=file]')
    .setInputFiles(labFile('no-feature.lab.yaml', NO_FEATURE_LAB));
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('No promiscuous feature');
  await page.locator('li[data-canvas-id="adapter:vm1-nic0"] > button').click();
  const note = page.getByTestId('promiscuous-hidden');
  await expect(note).toContainText('Promiscuous mode is not enabled for this account');
  await expect(note).toContainText('[feature-disabled, P2]');
  await expect(page.getByRole('radiogroup', { name: 'Promiscuous mode' })).toHaveCount(0);
  await expect(page.getByRole('radio')).toHaveCount(0);
});
