/**
 * Opening lab files from disk (lab.openText): a bad file is refused with `nestlab check`'s
 * findings (path, code, rule, line), and nothing is half-loaded: the lab that was open stays
 * open, unchanged.
 */
import { openBuiltIn, screenshot, topologyItem } from './editor-helpers';
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

const BROKEN_YAML = `nestlab: 1
title: "unterminated
vms: [
`;

function labFile(name: string, text: string) {
  return { name, mimeType: 'application/yaml', buffer: Buffer.from(text) };
}

test('a lab file that breaks a rule is refused with its findings; the open lab stays as it was', async ({
  page,
  webHost,
}) => {
  const e1 = 'E1: A nested VM reaches the gateway';
  await openBuiltIn(page, webHost.url, e1);
  await expect(page.locator('[aria-labelledby="topology-heading"] li[data-canvas-id]')).toHaveCount(
    8,
  );

  await page
    .getByRole('group', { name: 'Lab file' })
    .getByRole('button', { name: 'Open…' })
    .click();
  await page.getByTestId('open-lab-file').setInputFiles(labFile('bad.lab.yaml', BAD_LAB));
  const problem = page.getByRole('alert').filter({ hasText: 'bad.lab.yaml' });
  await expect(problem).toContainText('not opened');
  await expect(problem).toContainText('nothing was opened');
  await expect(problem).toContainText('duplicate-mac');
  await expect(problem).toContainText('A6');
  await expect(problem.locator('code.path').first()).toHaveText(/^vms\[1\]\.adapters\[0\]/);
  await expect(problem).toContainText('bad.lab.yaml:11');
  // Nothing half-loaded: E1 is still the open lab, drawn as before.
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(e1);
  await expect(page.locator('[aria-labelledby="topology-heading"] li[data-canvas-id]')).toHaveCount(
    8,
  );
  await expect(topologyItem(page, 'vm:a')).toHaveCount(0);
  await screenshot(page, 'open-01-bad-file');

  await problem.getByRole('button', { name: 'Dismiss' }).click();
  await expect(problem).toHaveCount(0);
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
