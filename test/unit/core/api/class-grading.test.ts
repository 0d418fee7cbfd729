/**
 * "Grade a class" (`grade.attempt`) gives what `nestlab grade` gives: on the same trainer's lab
 * and the same attempt files, the service's rows equal the CLI's `--json` and the CSV the app
 * exports (the header and each file's line) equals `nestlab grade --csv`, byte for byte. Three
 * attempts of E1 with `student: { edit: settings }`: one good (fixed, answered right, a hint
 * used), one partial (the uplink fixed but the hypervisor stopped, answered wrong), one that
 * moved an adapter the lab locks. Plus the files `nestlab grade` cannot read, with the reason.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { NestlabService, type GradedAttempt, type LabLibrary } from '../../../../core/api';

const ROOT = new URL('../../../../', import.meta.url).pathname;
const E1 = readFileSync(join(ROOT, 'labs/e1-nested-vm-out.lab.yaml'), 'utf8');
const TRAINER = `${E1}student: { edit: settings }\n`;
const FIXED = E1.replace('ip: 10.0.0.10/24 }', 'ip: 10.0.0.10/24, promiscuous: true }');

const ATTEMPTS: readonly (readonly [string, string])[] = [
  ['ana.attempt.lab.yaml', `${FIXED}attempt: { answers: { where-arp: 2 }, hints: [reach] }\n`],
  [
    'ben.attempt.lab.yaml',
    `${FIXED.replace('    guestOs: esxi\n', '    guestOs: esxi\n    power: stopped\n')}attempt: { answers: { where-arp: 0 }, hints: [uplink, reach] }\n`,
  ],
  [
    'cleo, moved.attempt.lab.yaml',
    `${FIXED.replace('network: lan, mac: "02:00:00:00:00:02"', 'mac: "02:00:00:00:00:02"')}attempt: { answers: { where-arp: 2 } }\n`,
  ],
];

const tmp = mkdtempSync(join(tmpdir(), 'nestlab-class-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
writeFileSync(join(tmp, 'e1-locked.lab.yaml'), TRAINER);
for (const [name, text] of ATTEMPTS) writeFileSync(join(tmp, name), text);

/** `nestlab grade` run in the attempts' folder, so each file is named as the app names it. */
function nestlab(...args: string[]): string {
  const result = spawnSync(process.execPath, [join(ROOT, 'bin/nestlab.js'), 'grade', ...args], {
    cwd: tmp,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1' },
  });
  expect(result.status, result.stderr).toBe(0);
  return result.stdout;
}

function library(files: Record<string, string>): LabLibrary {
  return {
    list: () =>
      Object.keys(files).map((id) => ({
        id,
        title: id,
        description: '',
        fileName: `${id}.lab.yaml`,
      })),
    read: (id) => {
      const text = files[id];
      return text === undefined ? undefined : { text, fileName: `${id}.lab.yaml` };
    },
  };
}

function grade(
  service: NestlabService,
  lab: string,
  fileName: string,
  text: string,
  size?: number,
) {
  const args = { lab, fileName, text, ...(size !== undefined ? { size } : {}) };
  return service.call('grade.attempt', args) as GradedAttempt;
}

function graded(result: GradedAttempt): Extract<GradedAttempt, { ok: true }> {
  if (!result.ok) throw new Error(result.message);
  return result;
}

describe('grade.attempt grades as nestlab grade does', () => {
  const service = new NestlabService(library({ 'e1-locked': TRAINER }));
  const results = ATTEMPTS.map(([name, text]) => graded(grade(service, 'e1-locked', name, text)));

  it('gives the CLI’s rows: scores, objectives, checkpoints, hints, locked changes', () => {
    const cli = JSON.parse(
      nestlab('e1-locked.lab.yaml', ...ATTEMPTS.map(([name]) => name), '--json'),
    ) as unknown[];
    const app = results.map(({ row }) => ({ file: row.file, ...row.grade }));
    expect(JSON.parse(JSON.stringify(app))).toEqual(cli);
    expect(results.map(({ row }) => [row.grade.score.passed, row.grade.lockedChanged])).toEqual([
      [2, false],
      [1, false],
      [2, true],
    ]);
    expect(results.map(({ row }) => row.grade.checkpoints[0]?.right)).toEqual([true, false, true]);
    expect(results.map(({ row }) => row.grade.hints)).toEqual([['reach'], ['uplink', 'reach'], []]);
  });

  it('exports the CSV of nestlab grade --csv, byte for byte (a file name with a comma quoted)', () => {
    const cli = nestlab('e1-locked.lab.yaml', ...ATTEMPTS.map(([name]) => name), '--csv');
    const header = results[0]?.lab.csvHeader ?? '';
    expect(header + results.map((r) => r.csvLine).join('')).toBe(cli);
    expect(cli.split('\n')).toEqual([
      'file,valid,passed,total,reach,uplink,checkpoint:where-arp,hints,locked-changed',
      'ana.attempt.lab.yaml,true,2,2,true,true,right,1,false',
      'ben.attempt.lab.yaml,true,1,2,false,true,wrong,2,false',
      '"cleo, moved.attempt.lab.yaml",true,2,2,true,true,right,0,true',
      '',
    ]);
  });

  it('heads the table with the trainer’s objectives and checkpoints', () => {
    expect(results[0]?.lab).toMatchObject({
      id: 'e1-locked',
      fileName: 'e1-locked.lab.yaml',
      objectives: [
        { id: 'reach', text: 'web1 can ping the gateway' },
        { id: 'uplink', text: "The hypervisor's uplink is promiscuous" },
      ],
      checkpoints: [{ id: 'where-arp' }],
      warnings: [],
    });
  });

  it('grades a file it cannot read as invalid, with the reason, as the CLI does', () => {
    const name = 'notes.lab.yaml';
    writeFileSync(join(tmp, name), 'title: [unclosed\n');
    const unreadable = graded(grade(service, 'e1-locked', name, 'title: [unclosed\n'));
    expect(unreadable.row.grade.valid).toBe(false);
    expect(unreadable.readable).toBe(false);
    expect(results.map((r) => r.readable)).toEqual([true, true, true]);
    expect(unreadable.row.grade.violations[0]?.code).toBe('yaml-syntax');
    const tooLarge = graded(grade(service, 'e1-locked', 'huge.lab.yaml', '', 6 * 1024 * 1024));
    expect(tooLarge.row.grade.violations).toMatchObject([
      {
        code: 'file-too-large',
        message: expect.stringContaining('The file is 6.0 MB; a lab file may be at most 5 MB.'),
      },
    ]);
    const cli = nestlab('e1-locked.lab.yaml', name, '--csv');
    expect(unreadable.lab.csvHeader + unreadable.csvLine).toBe(cli);
  });
});

describe('grade.attempt refuses what grades nothing', () => {
  it('a lab that is not in the library, a trainer’s lab that is not valid, bad arguments', () => {
    const service = new NestlabService(
      library({ broken: 'nestlab: 1\nvms: [{ id: a }, { id: a }]\n' }),
    );
    expect(grade(service, 'nope', 'a.lab.yaml', '')).toMatchObject({
      ok: false,
      code: 'not-found',
    });
    expect(grade(service, 'broken', 'a.lab.yaml', FIXED)).toMatchObject({
      ok: false,
      code: 'invalid-request',
      message: expect.stringContaining('broken.lab.yaml is not a valid lab'),
    });
    expect(service.call('grade.attempt', { lab: 'broken', fileName: '', text: '' })).toMatchObject({
      ok: false,
      code: 'invalid-request',
    });
  });

  it('grades against the open lab as the trainer has it now, in trainer mode', () => {
    const service = new NestlabService(library({ 'e1-locked': TRAINER }));
    const opened = service.call('lab.open', { id: 'e1-locked', as: 'trainer' }) as { ok: boolean };
    expect(opened.ok).toBe(true);
    const before = graded(grade(service, 'e1-locked', 'a.lab.yaml', FIXED));
    expect(before.lab.objectives.map((o) => o.id)).toEqual(['reach', 'uplink']);
    const set = service.call('exercise.set', {
      actor: 'ana',
      objectives: [{ id: 'only', check: { noLoop: true } }],
    }) as { ok: boolean };
    expect(set.ok).toBe(true);
    const after = graded(grade(service, 'e1-locked', 'a.lab.yaml', FIXED));
    expect(after.lab.objectives.map((o) => o.id)).toEqual(['only']);
    expect(after.lab.csvHeader).toBe(
      'file,valid,passed,total,only,checkpoint:where-arp,hints,locked-changed\n',
    );
    expect(after.csvLine).toBe('a.lab.yaml,true,1,1,true,,0,false\n');
  });
});
