/**
 * Quitting and restarting the web host brings a student back to exactly where they were
 * (issue 6): the same lab on the same screen, with the edit made before the restart, and
 * undo still able to take that edit back. Both hosts use one temporary data folder.
 */
import { rmSync } from 'node:fs';
import { expect, startServe, tempDataDir, test } from './web-host-fixture';

const E1_TITLE = 'E1: A nested VM reaches the gateway';

test('after a restart of the host the edit is there, on the same screen, and undo takes it back', async ({
  page,
}) => {
  const dataDir = tempDataDir();
  try {
    const first = await startServe(dataDir);
    await page.goto(first.host.url);
    await page.getByRole('button', { name: `Start ${E1_TITLE}` }).click();
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(E1_TITLE);
    await page.getByLabel('Acting as').selectOption('ben');
    await expect(page.getByTestId('save-status')).toHaveText('Saved');
    await first.stop();

    const second = await startServe(dataDir);
    await page.goto(second.host.url);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(E1_TITLE);
    await expect(page.getByLabel('Acting as')).toHaveValue('ben');
    await page
      .getByRole('toolbar', { name: 'Canvas tools' })
      .getByRole('button', { name: 'Undo' })
      .click();
    await expect(page.getByLabel('Acting as')).toHaveValue('ana');
    await second.stop();
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
});
