/**
 * Opening lab files from disk (lab.openText): a file that parses but breaks rules opens in
 * trainer mode to be fixed through the Problems tab; a file that does not parse is refused with
 * `nestlab check`'s findings (line and column), and the lab that was open stays open, unchanged.
 */
import {
  nestlabCheck,
  openBuiltIn,
  saveLab,
  screenshot,
  setField,
  topologyItem,
} from './editor-helpers';
import { expect, test } from './web-host-fixture';

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

/** Two users named ana, a VM with a network's id and one adapter id twice: parses, breaks A6. */
const SAME_IDS = `nestlab: 1
title: Same names twice
users:
  - { name: ana, role: admin }
  - { name: ana, role: user }
networks:
  - { id: lan, subnet: 10.0.0.0/24 }
vms:
  - id: lan
    adapters:
      - { id: pc-nic0, network: lan, mac: "02:00:00:00:00:01" }
  - id: pc
    adapters:
      - { id: pc-nic0, network: lan, mac: "02:00:00:00:00:02" }
`;

const BROKEN_YAML = `nestlab: 1
title: "unterminated
vms: [
`;

function labFile(name: string, text: string) {
  return { name, mimeType: 'application/yaml', buffer: Buffer.from(text) };
}

test('a lab file that breaks a rule opens in trainer mode, is fixed through the Problems tab and saves valid', async ({
  page,
  webHost,
}) => {
  await openBuiltIn(page, webHost.url, 'E1: A nested VM reaches the gateway');
  await page
    .getByRole('group', { name: 'Lab file' })
    .getByRole('button', { name: 'Open…' })
    .click();
  await page.getByTestId('open-lab-file').setInputFiles(labFile('bad.lab.yaml', BAD_LAB));
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Two adapters, one MAC');
  // Trainer mode, nothing of the file lost: both VMs are there.
  await expect(page.getByRole('tab', { name: /Exercise/ })).toBeVisible();
  await expect(topologyItem(page, 'vm:a')).toHaveCount(1);
  await expect(topologyItem(page, 'vm:b')).toHaveCount(1);

  await page.getByRole('tab', { name: /Problems/ }).click();
  const finding = page.getByRole('button', { name: /duplicate-mac/ }).first();
  await expect(finding).toContainText('A6');
  await expect(finding.locator('.subject')).toHaveText(/^(a|b)-nic0$/);
  await screenshot(page, 'open-01-rule-breaking-file');

  // The fix, from the finding to the field.
  await page.getByRole('tab', { name: /Problems/ }).click();
  const subject = (await finding.locator('.subject').textContent()) ?? '';
  await finding.click();
  await setField(page, 'MAC', subject === 'a-nic0' ? '02:00:00:00:00:0a' : '02:00:00:00:00:0b');
  await page.getByRole('tab', { name: /Problems/ }).click();
  await expect(page.getByText('No problems: the lab breaks no rule.')).toBeVisible();
  const saved = await saveLab(page);
  expect(nestlabCheck(saved.path)).toMatchObject({ valid: true });
});

test('a file that gives one id to two things is refused with what to rename; the page keeps working', async ({
  page,
  webHost,
}) => {
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(String(error)));
  await openBuiltIn(page, webHost.url, 'E1: A nested VM reaches the gateway');
  await page
    .getByRole('group', { name: 'Lab file' })
    .getByRole('button', { name: 'Open…' })
    .click();
  await page.getByTestId('open-lab-file').setInputFiles(labFile('twice.lab.yaml', SAME_IDS));
  const problem = page.getByRole('alert').filter({ hasText: 'twice.lab.yaml' });
  await expect(problem).toContainText('rename one of each pair');
  await expect(problem).toContainText('duplicate-id');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(
    'E1: A nested VM reaches the gateway',
  );
  expect(errors).toEqual([]);
});

test('a file that is not YAML is refused with the parser’s line and column', async ({
  page,
  webHost,
}) => {
  await page.goto(webHost.url);
  await page
    .getByRole('group', { name: 'Lab file' })
    .getByRole('button', { name: 'Open…' })
    .click();
  await page.getByTestId('open-lab-file').setInputFiles(labFile('broken.lab.yaml', BROKEN_YAML));
  const problem = page.getByRole('alert').filter({ hasText: 'broken.lab.yaml' });
  await expect(problem).toContainText('not opened');
  await expect(problem).toContainText('yaml-syntax');
  await expect(problem).toContainText(/broken\.lab\.yaml:\d+:\d+/);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('No lab open');
  await screenshot(page, 'open-02-not-yaml');
});
