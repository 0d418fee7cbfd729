/**
 * The home screen (issue 6) through the real web host: the library as cards with progress
 * and last opened, search, Continue and Restart (which asks first), importing a file by the
 * picker or by drag and drop, a bad file refused with `nestlab check`'s findings, and the
 * replace-or-keep-both question for a lab imported twice. Screenshots go to
 * test-results/screens/.
 */
import type { Page } from '@playwright/test';
import { expect, test } from './web-host-fixture';

const E1_TITLE = 'E1: A nested VM reaches the gateway';

const MY_LAB = `nestlab: 1
title: My bridge lab
description: A lab of my own, with \`one\` network.
users:
  - { name: ana, role: admin, promiscuous: true }
actingUser: ana
networks:
  - { id: lan, subnet: 10.0.0.0/24 }
vms:
  - id: vm1
    adapters:
      - { id: vm1-nic0, network: lan, mac: "02:00:00:00:00:0a", ip: 10.0.0.5/24 }
objectives:
  - id: valid
    check: { valid: true }
`;

/** Does not parse as a lab (an unknown key): refused; a file that only breaks rules opens. */
const BAD_LAB = `nestlab: 1
title: A colourful VM
vms:
  - id: a
    colour: red
`;

function labFile(name: string, text: string) {
  return { name, mimeType: 'application/yaml', buffer: Buffer.from(text) };
}

function card(page: Page, title: string) {
  return page.getByRole('article', { name: title });
}

async function goHome(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'All labs' }).click();
  await expect(page.getByRole('heading', { name: 'Your labs' })).toBeVisible();
}

test('the library shows every built-in lab as a card, and search narrows it', async ({
  page,
  webHost,
}) => {
  await page.goto(webHost.url);
  await expect(page.getByRole('heading', { name: 'Your labs' })).toBeVisible();
  const cards = page.getByRole('list', { name: 'Labs' }).getByRole('article');
  await expect(cards).toHaveCount(7);
  const e1 = card(page, E1_TITLE);
  await expect(e1).toContainText('The nested web server web1 runs inside');
  await expect(e1).toContainText('0/2 objectives');
  await expect(e1).toContainText('Not started yet');
  // A lab that starts with objectives met says so before a start, as its panel will.
  const e2 = card(page, 'E2: Nested neighbours');
  await expect(e2).toContainText('2/3 objectives');
  await expect(e2.getByRole('button', { name: 'Start E2: Nested neighbours' })).toBeVisible();
  await page.screenshot({ path: 'test-results/screens/home.png' });

  const search = page.getByRole('searchbox', { name: 'Search labs' });
  await search.fill('storm');
  await expect(cards).toHaveCount(1);
  await expect(card(page, 'E5: Two bridges make a loop')).toBeVisible();
  await search.fill('NESTED neighbours');
  await expect(cards).toHaveCount(1);
  await expect(card(page, 'E2: Nested neighbours')).toBeVisible();
  await search.fill('no such lab');
  await expect(page.getByText('No lab matches “no such lab”.')).toBeVisible();
});

test('Continue keeps progress and last opened; Restart asks first and then starts over', async ({
  page,
  webHost,
}) => {
  await page.goto(webHost.url);
  await page.getByRole('button', { name: `Start ${E1_TITLE}` }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(E1_TITLE);
  await page.getByLabel('Acting as').selectOption('ben');
  await expect(page.getByTestId('save-status')).toHaveText('Saved');

  await goHome(page);
  const e1 = card(page, E1_TITLE);
  await expect(e1).toContainText('Last opened just now');
  await expect(e1).toContainText('Open now');
  await page.screenshot({ path: 'test-results/screens/home-started.png' });

  await e1.getByRole('button', { name: `Restart ${E1_TITLE}` }).click();
  const dialog = page.getByRole('dialog', { name: `Restart “${E1_TITLE}”?` });
  await expect(dialog).toBeVisible();
  await dialog.getByRole('button', { name: 'Cancel' }).click();
  await expect(dialog).toHaveCount(0);
  await e1.getByRole('button', { name: `Continue ${E1_TITLE}` }).click();
  await expect(page.getByLabel('Acting as')).toHaveValue('ben');

  await goHome(page);
  await e1.getByRole('button', { name: `Restart ${E1_TITLE}` }).click();
  await page.getByRole('dialog').getByRole('button', { name: 'Restart lab' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(E1_TITLE);
  await expect(page.getByLabel('Acting as')).toHaveValue('ana');
});

test("a trainer's authoring is its own: the student's card is not started, and says the lab is open as trainer", async ({
  page,
  webHost,
}) => {
  await page.goto(webHost.url);
  await page.getByRole('button', { name: `Edit ${E1_TITLE} as trainer` }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(E1_TITLE);
  await page.getByLabel('Acting as').selectOption('ben');
  await expect(page.getByTestId('save-status')).toHaveText('Saved');
  await goHome(page);
  const e1 = card(page, E1_TITLE);
  await expect(e1).toContainText('Open now, as trainer');
  await expect(e1).toContainText('Not started yet');
  await e1.getByRole('button', { name: `Start ${E1_TITLE}` }).click();
  await expect(page.getByLabel('Acting as')).toHaveValue('ana');
});

test('importing the same lab twice asks: keep both adds a card, replace keeps one', async ({
  page,
  webHost,
}) => {
  await page.goto(webHost.url);
  const input = page.locator('input[type=file]');
  await input.setInputFiles(labFile('mine.lab.yaml', MY_LAB));
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('My bridge lab');

  await goHome(page);
  await expect(card(page, 'My bridge lab')).toContainText('Imported');
  await expect(card(page, 'My bridge lab')).toContainText('1/1 objectives');
  await input.setInputFiles(labFile('mine.lab.yaml', MY_LAB));
  const question = page.getByRole('dialog', { name: '“My bridge lab” is already in your library' });
  await expect(question).toBeVisible();
  await page.screenshot({ path: 'test-results/screens/home-duplicate.png' });
  await question.getByRole('button', { name: 'Keep both' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('My bridge lab');
  await goHome(page);
  await expect(page.getByRole('article', { name: 'My bridge lab' })).toHaveCount(2);

  await input.setInputFiles(labFile('mine.lab.yaml', MY_LAB));
  await page.getByRole('dialog').getByRole('button', { name: 'Replace' }).click();
  await goHome(page);
  await expect(page.getByRole('article', { name: 'My bridge lab' })).toHaveCount(2);
});

test('a bad file dropped on the home screen is refused with the findings; nothing is imported', async ({
  page,
  webHost,
}) => {
  await page.goto(webHost.url);
  await expect(page.getByRole('list', { name: 'Labs' }).getByRole('article')).toHaveCount(7);
  // Runs in the page; the test's own types have no DOM, so the page's globals are named here.
  const drop = await page.evaluateHandle((text) => {
    const page = globalThis as unknown as {
      DataTransfer: new () => { items: { add(file: unknown): void } };
      File: new (parts: string[], name: string, options: { type: string }) => unknown;
    };
    const data = new page.DataTransfer();
    data.items.add(new page.File([text], 'bad.lab.yaml', { type: 'application/yaml' }));
    return data;
  }, BAD_LAB);
  const home = page.getByRole('main', { name: 'Your labs' });
  await home.dispatchEvent('dragover', { dataTransfer: drop });
  await home.dispatchEvent('drop', { dataTransfer: drop });
  const problem = page.getByRole('alert').filter({ hasText: 'bad.lab.yaml' });
  await expect(problem).toContainText('not opened');
  await expect(problem).toContainText('unknown-key');
  await expect(problem).toContainText('vms[0].colour');
  await page.screenshot({ path: 'test-results/screens/home-bad-file.png' });
  await expect(page.getByRole('list', { name: 'Labs' }).getByRole('article')).toHaveCount(7);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('No lab open');
});
