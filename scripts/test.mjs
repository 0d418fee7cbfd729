// `npm test`: every check in order — typecheck, lint, unit tests, build, browser tests,
// Electron tests — stopping at the first failure, then one closing line that counts every
// test run: "tests: N passed, N failed, N skipped". Runners write JSON reports under
// test-results/ for that count; their own readable output goes to the terminal as usual.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { resolve } from 'node:path';

// Absolute: Playwright resolves a relative report path against its config's folder.
const RESULTS = resolve('test-results/summary');
rmSync(RESULTS, { recursive: true, force: true });
mkdirSync(RESULTS, { recursive: true });

const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const npx = process.platform === 'win32' ? 'npx.cmd' : 'npx';

const stages = [
  ['typecheck', npm, ['run', 'typecheck']],
  ['lint', npm, ['run', 'lint']],
  [
    'unit',
    npm,
    [
      'run',
      'test:unit',
      '--',
      '--reporter=default',
      '--reporter=json',
      `--outputFile.json=${RESULTS}/unit.json`,
    ],
  ],
  ['build', npm, ['run', 'build']],
  [
    'e2e',
    npx,
    ['playwright', 'test', '-c', 'test/e2e/playwright.config.ts', '--reporter=list,json'],
    `${RESULTS}/e2e.json`,
  ],
  [
    'electron',
    npx,
    ['playwright', 'test', '-c', 'test/electron/playwright.config.ts', '--reporter=list,json'],
    `${RESULTS}/electron.json`,
  ],
];

for (const [name, command, args, jsonFile] of stages) {
  process.stdout.write(`\n== ${name} ==\n`);
  const env = jsonFile ? { ...process.env, PLAYWRIGHT_JSON_OUTPUT_NAME: jsonFile } : process.env;
  const result = spawnSync(command, args, {
    stdio: 'inherit',
    env,
    shell: process.platform === 'win32',
  });
  if (result.status !== 0) {
    process.stdout.write(`\nnpm test: the ${name} stage failed.\n`);
    summarize();
    process.exit(result.status ?? 1);
  }
}
summarize();

function read(file) {
  return existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : null;
}

function summarize() {
  let passed = 0;
  let failed = 0;
  let skipped = 0;
  const unit = read(`${RESULTS}/unit.json`);
  if (unit) {
    passed += unit.numPassedTests;
    failed += unit.numFailedTests;
    skipped += unit.numPendingTests + unit.numTodoTests;
  }
  for (const file of [`${RESULTS}/e2e.json`, `${RESULTS}/electron.json`]) {
    const report = read(file);
    if (!report) continue;
    passed += report.stats.expected + report.stats.flaky;
    failed += report.stats.unexpected;
    skipped += report.stats.skipped;
  }
  process.stdout.write(`\ntests: ${passed} passed, ${failed} failed, ${skipped} skipped\n`);
}
