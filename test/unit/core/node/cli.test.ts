/**
 * The `nestlab` command line as a user runs it: the real bin, real files, exit codes and
 * output of lab-format.md. (`npm run test:unit` builds the CLI first.)
 */
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const ROOT = new URL('../../../../', import.meta.url).pathname;

function nestlab(...args: string[]) {
  const result = spawnSync(process.execPath, ['bin/nestlab.js', ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1' },
  });
  return { code: result.status, out: result.stdout, err: result.stderr };
}

const tmp = mkdtempSync(join(tmpdir(), 'nestlab-cli-'));
const BAD = join(tmp, 'bad.lab.yaml');
writeFileSync(
  BAD,
  'nestlab: 1\nnetworks: [{ id: lan }]\nvms:\n  - id: a\n    adapters:\n      - { id: a0, network: lan, mac: "02:00:00:00:00:01" }\n      - { id: a1, network: wan, mac: "02:00:00:00:00:01" }\n',
);

describe('nestlab check', () => {
  it('exits 0 on a valid lab and says so', () => {
    const r = nestlab('check', 'labs/e1-nested-vm-out.lab.yaml');
    expect(r.code).toBe(0);
    expect(r.out).toContain('labs/e1-nested-vm-out.lab.yaml: valid');
  });

  it('exits 2 on a bad lab and prints each violation with its path, code and rule', () => {
    const r = nestlab('check', BAD);
    expect(r.code).toBe(2);
    expect(r.out).toContain('vms[0].adapters[1].network');
    expect(r.out).toContain('not-found');
    expect(r.out).toContain('vms[0].adapters[1].mac');
    expect(r.out).toContain('[duplicate-mac, A6]');
    expect(r.out).toMatch(/bad\.lab\.yaml:7:\d+/);
    expect(r.out).not.toContain('\u001b[');
  });

  it('--json prints one { file, valid, violations } per file', () => {
    const r = nestlab('check', '--json', 'labs/e1-nested-vm-out.lab.yaml', BAD);
    expect(r.code).toBe(2);
    const reports = r.out
      .trim()
      .split('\n')
      .map(
        (line) =>
          JSON.parse(line) as {
            file: string;
            valid: boolean;
            violations: {
              code: string;
              rule: string;
              path: string;
              severity: string;
              message: string;
            }[];
          },
      );
    expect(reports.map((x) => [x.file, x.valid])).toEqual([
      ['labs/e1-nested-vm-out.lab.yaml', true],
      [BAD, false],
    ]);
    // Keys in the order of lab-format.md: code, rule, path, severity, message (then where).
    for (const v of reports.flatMap((x) => x.violations))
      expect(Object.keys(v).slice(0, 5)).toEqual(['code', 'rule', 'path', 'severity', 'message']);
    expect(reports[1]?.violations).toContainEqual(
      expect.objectContaining({
        code: 'duplicate-mac',
        rule: 'A6',
        path: 'vms[0].adapters[1].mac',
        severity: 'error',
      }),
    );
  });

  it('reports a missing file and bad usage without a stack trace', () => {
    const missing = nestlab('check', join(tmp, 'nope.lab.yaml'));
    expect(missing.code).toBe(2);
    expect(missing.out).toContain('no such file');
    const usage = nestlab('check');
    expect(usage.code).toBe(2);
    expect(usage.err).toContain('Usage');
    expect(nestlab('check', '--frobnicate', BAD).err).toContain('unknown option --frobnicate');
  });

  it('refuses a file with no end (a device) past the 5 MB limit instead of reading it for ever', () => {
    const r = nestlab('check', '--json', '/dev/zero');
    expect(r.code).toBe(2);
    expect(JSON.parse(r.out)).toMatchObject({
      file: '/dev/zero',
      valid: false,
      violations: [{ code: 'file-too-large', message: expect.stringContaining('more than 5 MB') }],
    });
  });
});

describe('nestlab run', () => {
  it('prints a readable trace with drops, the objectives and the score; exit 1 when some fail', () => {
    const r = nestlab('run', 'labs/e4-inline-bridge.lab.yaml');
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/drop\s+back\s+.*forged-source \(F2\)/);
    expect(r.out).toContain('Score: 0/3');
  });

  it('--json matches the document of lab-format.md', () => {
    const r = nestlab('run', '--json', 'labs/e7-rule-traps.lab.yaml');
    const doc = JSON.parse(r.out) as {
      valid: boolean;
      violations: unknown[];
      traffic: {
        index: number;
        kind: string;
        ok: boolean;
        summary: string;
        result?: { ok: boolean; code?: string; rule?: string; message?: string };
        events: unknown[];
      }[];
      objectives: { id: string; passed: boolean; message: string }[];
      score: { passed: number; total: number };
    };
    expect(doc.valid).toBe(true);
    expect(doc.traffic[0]).toMatchObject({
      index: 0,
      kind: 'set',
      ok: false,
      result: { ok: false, code: 'feature-disabled', rule: 'P2' },
      events: [],
    });
    expect(doc.traffic[8]).toMatchObject({ kind: 'power', ok: true, result: { ok: true } });
    expect(doc.objectives.map((o) => [o.id, o.passed])).toEqual([
      ['app', false],
      ['db', true],
    ]);
    expect(doc.score).toEqual({ passed: 1, total: 2 });
    expect(r.code).toBe(1);
  });

  it('exits 0 when every objective passes and writes a pcapng with --pcap', () => {
    const fixed = join(tmp, 'e4-fixed.lab.yaml');
    writeFileSync(
      fixed,
      readFileSync(join(ROOT, 'labs/e4-inline-bridge.lab.yaml'), 'utf8').replace(
        /(mac: "02:00:00:00:0b:0[12]")/g,
        '$1, promiscuous: true',
      ),
    );
    const pcap = join(tmp, 'e4.pcapng');
    const r = nestlab('run', fixed, '--pcap', pcap);
    expect(r.code).toBe(0);
    expect(r.out).toContain('Score: 3/3');
    const bytes = readFileSync(pcap);
    expect(bytes.readUInt32LE(0)).toBe(0x0a0d0d0a);
  });

  it('says why when the capture cannot be written, prints the run all the same and exits 2', () => {
    const r = nestlab(
      'run',
      'labs/e4-inline-bridge.lab.yaml',
      '--pcap',
      join(tmp, 'no-such-folder', 'x.pcapng'),
    );
    expect(r.code).toBe(2);
    expect(r.err).toContain('could not write the capture');
    expect(r.err).toContain('no such folder');
    expect(r.err).not.toMatch(/\n\s+at /);
    expect(r.out).toContain('Score: 0/3');
  });

  it("prints each checkpoint's right choice, and the JSON report has checkpoints after the score", () => {
    const text = nestlab('run', 'labs/e1-nested-vm-out.lab.yaml');
    expect(text.out).toContain(
      'Checkpoints\n  where-arp (before step 1): right: choices[2] — lan drops it',
    );
    const json = nestlab('run', '--json', 'labs/e1-nested-vm-out.lab.yaml');
    const report = JSON.parse(json.out) as Record<string, unknown>;
    expect(Object.keys(report)).toEqual([
      'valid',
      'violations',
      'traffic',
      'objectives',
      'score',
      'checkpoints',
      'notices',
    ]);
    expect(report.checkpoints).toEqual([{ id: 'where-arp', rightChoices: [2], right: 2 }]);
  });

  it('warns of a checkpoint with no right choice at its path, in the text and the JSON', () => {
    const file = join(tmp, 'no-answer.lab.yaml');
    writeFileSync(
      file,
      readFileSync(join(ROOT, 'labs/e1-nested-vm-out.lab.yaml'), 'utf8').replace(
        'fate: { dropped: lan, reason: forged-source }',
        'fate: { dropped: lan, reason: no-such-destination }',
      ),
    );
    const text = nestlab('run', file);
    expect(text.out).toContain(
      'warning checkpoints[0]: Checkpoint "where-arp" has no right choice',
    );
    expect(text.out).toContain('[checkpoint-no-answer, format]');
    expect(text.out).toContain(
      'where-arp (before step 1): ! no right choice [checkpoint-no-answer]',
    );
    // A trainer's lab like it still grades, and says on stderr how such answers are graded.
    const graded = nestlab('grade', file, file);
    expect(graded.code).toBe(0);
    expect(graded.err).toContain(
      'checkpoint "where-arp" of ' +
        file +
        ' has no right choice, so every answer to it is graded wrong',
    );
    const report = JSON.parse(nestlab('run', '--json', file).out) as {
      violations: { code: string; path: string; severity: string }[];
    };
    expect(report.violations).toMatchObject([
      { code: 'checkpoint-no-answer', path: 'checkpoints[0]', severity: 'warning' },
    ]);
  });

  it('exits 2 on an invalid file and runs nothing', () => {
    const r = nestlab('run', BAD);
    expect(r.code).toBe(2);
    expect(r.out).toContain('nothing was run');
  });
});

describe('nestlab grade', () => {
  it("recomputes the trainer's objectives on each attempt's topology and ignores any stored score", () => {
    const fixed = join(tmp, 'attempt-good.lab.yaml');
    const original = readFileSync(join(ROOT, 'labs/e7-rule-traps.lab.yaml'), 'utf8');
    writeFileSync(
      fixed,
      original
        .replace('  - id: app\n    adapters', '  - id: app\n    power: stopped\n    adapters')
        .replace('objectives:', 'ui: { score: 100 }\nobjectives:'),
    );
    const cheat = join(tmp, 'attempt-cheat.lab.yaml');
    writeFileSync(
      cheat,
      original.replace(/objectives:[\s\S]*$/, 'objectives: []\nui: { score: "2/2" }\n'),
    );
    const r = nestlab('grade', 'labs/e7-rule-traps.lab.yaml', fixed, cheat, '--csv');
    expect(r.code).toBe(0);
    const rows = r.out.trim().split('\n');
    expect(rows[0]).toBe('file,valid,passed,total,app,db,hints,locked-changed');
    expect(rows[1]).toBe(`${fixed},true,2,2,true,true,0,false`);
    expect(rows[2]).toBe(`${cheat},true,1,2,false,true,0,false`);
  });

  it('reads past a score or any other key an attempt has that the format has not, at the top or in attempt:', () => {
    const original = readFileSync(join(ROOT, 'labs/e7-rule-traps.lab.yaml'), 'utf8');
    const fixed = original.replace(
      '  - id: app\n    adapters',
      '  - id: app\n    power: stopped\n    adapters',
    );
    const planted = join(tmp, 'attempt-planted.lab.yaml');
    writeFileSync(
      planted,
      `${fixed}score: { passed: 0, total: 2 }\nattempt: { hints: [], grade: A }\n`,
    );
    const cheat = join(tmp, 'attempt-planted-cheat.lab.yaml');
    writeFileSync(cheat, `${original}score: { passed: 2, total: 2 }\n`);
    const r = nestlab('grade', 'labs/e7-rule-traps.lab.yaml', planted, cheat, '--csv');
    expect(r.code).toBe(0);
    expect(r.out.trim().split('\n').slice(1)).toEqual([
      `${planted},true,2,2,true,true,0,false`,
      `${cheat},true,1,2,false,true,0,false`,
    ]);
    // The JSON says what was left out; nestlab check still reports the keys as errors.
    const [report] = JSON.parse(
      nestlab('grade', 'labs/e7-rule-traps.lab.yaml', planted, '--json').out,
    ) as { valid: boolean; violations: { code: string; path: string; severity: string }[] }[];
    expect(report?.valid).toBe(true);
    expect(report?.violations.map((v) => [v.code, v.path, v.severity])).toEqual([
      ['unknown-key', 'score', 'warning'],
      ['unknown-key', 'attempt.grade', 'warning'],
    ]);
    expect(nestlab('check', planted).code).toBe(2);
  });

  it("judges checkpoint answers on the trainer's lab, counts hints and flags locked changes: CSV and JSON", () => {
    const original = readFileSync(join(ROOT, 'labs/e1-nested-vm-out.lab.yaml'), 'utf8');
    const trainer = join(tmp, 'e1-locked.lab.yaml');
    writeFileSync(trainer, `${original}student: { edit: settings }\n`);
    const fixed = original.replace('ip: 10.0.0.10/24 }', 'ip: 10.0.0.10/24, promiscuous: true }');
    const right = join(tmp, 'attempt-right.lab.yaml');
    writeFileSync(right, `${fixed}attempt: { answers: { where-arp: 2 }, hints: [reach] }\n`);
    const moved = join(tmp, 'attempt-moved.lab.yaml');
    writeFileSync(
      moved,
      `${fixed.replace('network: lan, mac: "02:00:00:00:00:02"', 'mac: "02:00:00:00:00:02"')}attempt: { answers: { where-arp: 0 } }\n`,
    );
    const silent = join(tmp, 'attempt-silent.lab.yaml');
    writeFileSync(silent, original);
    const csv = nestlab('grade', trainer, right, moved, silent, '--csv');
    expect(csv.code).toBe(0);
    expect(csv.out.trim().split('\n')).toEqual([
      'file,valid,passed,total,reach,uplink,checkpoint:where-arp,hints,locked-changed',
      `${right},true,2,2,true,true,right,1,false`,
      `${moved},true,2,2,true,true,wrong,0,true`,
      `${silent},true,0,2,false,false,,0,false`,
    ]);
    const [graded] = JSON.parse(nestlab('grade', trainer, moved, '--json').out) as {
      checkpoints: unknown;
      hints: unknown;
      lockedChanged: boolean;
      locked: string[];
    }[];
    expect(graded?.checkpoints).toEqual([{ id: 'where-arp', answer: 0, right: false }]);
    expect(graded?.hints).toEqual([]);
    expect(graded?.lockedChanged).toBe(true);
    expect(graded?.locked).toEqual(['adapter client-nic0: network changed from lan to none']);
    const table = nestlab('grade', trainer, moved).out;
    expect(table).toContain('✗ checkpoint where-arp: answered choices[0], wrong');
    expect(table).toContain('! locked-changed');
    expect(table).toContain('- adapter client-nic0: network changed from lan to none');
  });

  it('grades an attempt that breaks a rule on its topology anyway: its valid objective fails, the rest are recomputed', () => {
    const trainer = join(tmp, 'trainer.lab.yaml');
    const original = readFileSync(join(ROOT, 'labs/e7-rule-traps.lab.yaml'), 'utf8');
    writeFileSync(
      trainer,
      original.replace('objectives:', 'objectives:\n  - { id: rules, check: { valid: true } }'),
    );
    const broken = join(tmp, 'attempt-broken.lab.yaml');
    // A3 broken: two promiscuous adapters of db on lan (and the feature is only requested: P2).
    writeFileSync(
      broken,
      original
        .replace('ip: 10.0.0.52/24 }', 'ip: 10.0.0.52/24, promiscuous: true }')
        .replace('mac: "02:00:00:00:00:53" }', 'mac: "02:00:00:00:00:53", promiscuous: true }'),
    );
    const r = nestlab('grade', trainer, broken, '--json');
    expect(r.code).toBe(0);
    const [grade] = JSON.parse(r.out) as {
      valid: boolean;
      objectives: { id: string; passed: boolean }[];
      score: { total: number };
    }[];
    expect(grade?.valid).toBe(false);
    expect(grade?.objectives.map((o) => [o.id, o.passed])).toEqual([
      ['rules', false],
      ['app', false],
      ['db', true],
    ]);
    expect(grade?.score.total).toBe(3);
  });
});
