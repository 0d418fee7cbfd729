/**
 * P1: the promiscuous-mode request's attached diagram is a small picture (at most 640 px
 * wide, WebP or JPEG), so it does not bloat the lab file it is saved in: a few kilobytes
 * rather than the canvas's full-size PNG.
 */
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { openLabFile, saveLab, screenshot } from './editor-helpers';
import { expect, test } from './web-host-fixture';

const E1_TEXT = readFileSync(
  new URL('../../labs/e1-nested-vm-out.lab.yaml', import.meta.url),
  'utf8',
);
/** E1 before the provider enabled the feature: the request form shows. */
const E1_DISABLED = E1_TEXT.replace('promiscuousMode: enabled', 'promiscuousMode: disabled');
const DIAGRAM_MAX_CHARS = 30_000;

test('P1: the attached diagram is a small picture, kept in the lab file under 30 KB', async ({
  page,
  webHost,
}) => {
  await page.goto(webHost.url);
  await openLabFile(page, 'e1-disabled.lab.yaml', E1_DISABLED);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(
    'E1: A nested VM reaches the gateway',
  );
  await page.getByRole('tab', { name: /Account & users/ }).click();
  await page
    .getByLabel('Use case')
    .fill('Nested ESXi hosts whose nested VMs must reach the network gateway through the uplink.');
  const preview = page.getByRole('img', {
    name: "The lab's topology diagram, as it will be attached",
  });
  await expect(preview).toBeVisible();
  await screenshot(page, 'account-request-01-form');
  await page.getByRole('button', { name: 'Send request' }).click();
  await expect(page.getByTestId('feature-state')).toContainText('Requested');
  const attached = page.getByRole('img', { name: 'The diagram attached to the request' });
  await expect(attached).toBeVisible();
  await screenshot(page, 'account-request-02-review');

  const saved = parse((await saveLab(page)).text) as {
    account: { request: { diagram: string } };
  };
  const diagram = saved.account.request.diagram;
  expect(diagram).toMatch(/^data:image\/(webp|jpeg);base64,/);
  expect(diagram.length).toBeLessThan(DIAGRAM_MAX_CHARS);
  const size = await attached.evaluate((img: HTMLImageElement) => ({
    width: img.naturalWidth,
    height: img.naturalHeight,
  }));
  expect(size.width).toBeGreaterThan(200);
  expect(size.width).toBeLessThanOrEqual(640);
});
