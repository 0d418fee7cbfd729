/**
 * `nestlab run --json` on valid labs built to be huge (storms at the largest loop limits, 3,000
 * and 10,000 VMs, 500 VMs pinging 1,000 times each, 2,000 objectives) ends cleanly, as a whole
 * process under a 4 GiB address-space cap: exit 0 or 1, JSON that parses, under 64 MiB, a notice
 * for what its budgets cut, never a signal or a stack trace. A lab past the schema's limits is
 * refused with the path of the bad field (exit 2). Needs the built CLI (`npm run build:cli`,
 * which `npm run test:unit` runs first) and a POSIX shell for `ulimit`.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { crowdLab, objectiveLab, stormLab } from './hostile-labs';

const bin = fileURLToPath(new URL('../../../../bin/nestlab.js', import.meta.url));
const folder = mkdtempSync(join(tmpdir(), 'nestlab-hostile-'));
const MAX_OUTPUT = 64 * 1024 * 1024;
const ADDRESS_SPACE_KB = 4 * 1024 * 1024;

afterAll(() => rmSync(folder, { recursive: true, force: true }));

interface Ran {
  readonly status: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

function runCli(name: string, text: string): Ran {
  const file = join(folder, `${name}.lab.yaml`);
  writeFileSync(file, text);
  const result = spawnSync(
    'bash',
    [
      '-c',
      `ulimit -v ${ADDRESS_SPACE_KB} && exec "$0" "$@"`,
      process.execPath,
      bin,
      'run',
      file,
      '--json',
    ],
    { encoding: 'utf8', maxBuffer: 2 * MAX_OUTPUT },
  );
  return {
    status: result.status,
    signal: result.signal,
    stdout: result.stdout,
    stderr: result.stderr,
  };
}

/** A clean end: an exit code, no signal, no stack trace, JSON under the output bound. */
function endedCleanly(ran: Ran): { notices: { budget: string }[]; objectives: unknown[] } {
  expect(ran.signal).toBeNull();
  expect([0, 1]).toContain(ran.status);
  expect(ran.stderr).not.toMatch(/\n\s+at /);
  expect(Buffer.byteLength(ran.stdout)).toBeLessThan(MAX_OUTPUT);
  return JSON.parse(ran.stdout) as { notices: { budget: string }[]; objectives: unknown[] };
}

const budgets = (report: { notices: { budget: string }[] }): string[] =>
  report.notices.map((n) => n.budget);

describe.runIf(process.platform !== 'win32')(
  'hostile labs through nestlab run --json',
  () => {
    it('a storm at the largest loop limits (255 hops, 100,000 copies) through 8 bridges ends at its event budget', () => {
      const report = endedCleanly(runCli('storm', stormLab(255, 100_000, 50, 8)));
      expect(budgets(report)).toEqual(['trace-events', 'captures', 'events']);
      expect(report.objectives).toHaveLength(3);
    });

    it('loop limits past their maximum are refused at their paths with the allowed range', () => {
      const huge = 9_007_199_254_740_991;
      const ran = runCli('storm-extreme', stormLab(huge, huge, 5));
      expect(ran.signal).toBeNull();
      expect(ran.status).toBe(2);
      const report = JSON.parse(ran.stdout) as { violations: { path: string; message: string }[] };
      expect(report.violations.map((v) => [v.path, v.message])).toEqual([
        ['sim.hopLimit', `Expected a whole number from 1 to 255 (found number ${huge}).`],
        ['sim.copyLimit', `Expected a whole number from 1 to 100,000 (found number ${huge}).`],
      ]);
    });

    it('3,000 VMs on one network with a few pings', () => {
      const report = endedCleanly(runCli('crowd-3000', crowdLab(3_000, 5, 1)));
      expect(report.objectives).toHaveLength(1);
    });

    it('10,000 VMs on one network with a few pings', () => {
      const report = endedCleanly(runCli('crowd-10000', crowdLab(10_000, 5, 1)));
      expect(report.objectives).toHaveLength(1);
    });

    it('500 VMs that each ping 1,000 times: the trace and captures are cut, the run is not', () => {
      const report = endedCleanly(runCli('pings', crowdLab(500, 500, 1_000)));
      expect(budgets(report)).toEqual(['trace-events', 'captures']);
    });

    it('2,000 VMs with an objective each', () => {
      const report = endedCleanly(runCli('objectives', objectiveLab(2_000)));
      expect(report.objectives).toHaveLength(2_000);
      expect(budgets(report)).toEqual([]);
    });
  },
  120_000,
);
