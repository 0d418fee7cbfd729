/**
 * The lab file's documented maximums (docs/lab-format.md, "Limits and run budgets"): a value
 * past its bound is an error at its path whose message names the allowed range, and a long value
 * is quoted by its start and length, never whole.
 */
import { describe, expect, it } from 'vitest';
import { parseLab } from '../../../../core/lab';

const BASE = `nestlab: 1
networks:
  - { id: lan, subnet: 10.0.0.0/24 }
vms:
  - id: a
    adapters: [ { id: a0, network: lan, mac: "02:00:00:00:00:01", ip: 10.0.0.1/24 } ]
`;

function problems(text: string): [string, string][] {
  return parseLab(text)
    .violations.filter((v) => v.severity === 'error')
    .map((v) => [v.path, v.message]);
}

describe('lab file limits', () => {
  it('sim.hopLimit, sim.copyLimit and sim.ageingSeconds have a range, named in the error at their path', () => {
    const huge = 2 ** 53;
    expect(
      problems(`${BASE}sim: { hopLimit: ${huge}, copyLimit: 0, ageingSeconds: 1e8 }\n`),
    ).toEqual([
      ['sim.hopLimit', `Expected a whole number from 1 to 255 (found number ${huge}).`],
      ['sim.copyLimit', 'Expected a whole number from 1 to 100,000 (found number 0).'],
      [
        'sim.ageingSeconds',
        'Expected a number of seconds above 0 and at most 10,000,000 (found number 100000000).',
      ],
    ]);
    expect(
      problems(`${BASE}sim: { hopLimit: 255, copyLimit: 100000, ageingSeconds: 1e7 }\n`),
    ).toEqual([]);
  });

  it('a script has at most 10,000 steps and a lab at most 10,000 objectives', () => {
    const steps = Array.from({ length: 10_001 }, () => '  - wait: { seconds: 1 }').join('\n');
    expect(problems(`${BASE}traffic:\n${steps}\n`)).toEqual([
      ['traffic', 'A traffic script has at most 10,000 steps (found a list of 10001).'],
    ]);
    const objectives = Array.from(
      { length: 10_001 },
      (_, i) => `  - { id: o${i}, check: { noLoop: true } }`,
    ).join('\n');
    expect(problems(`${BASE}objectives:\n${objectives}\n`)).toEqual([
      ['objectives', 'A lab has at most 10,000 objectives (found a list of 10001).'],
    ]);
  });

  it('a frame step carries at most 1,500 bytes of payload once decoded', () => {
    const frame = (payload: string): string =>
      `${BASE}traffic:\n  - frame: { from: a0, src: "02:00:00:00:00:01", dst: "ff:ff:ff:ff:ff:ff", type: 0x88b5, payload: "${payload}" }\n`;
    expect(problems(frame('ab'.repeat(1_500)))).toEqual([]);
    expect(problems(frame('ab'.repeat(1_501)))).toEqual([
      [
        'traffic[0].frame.payload',
        'The payload is 1,501 bytes; an Ethernet frame carries at most 1,500. Shorten it.',
      ],
    ]);
    // Text that is not hex is UTF-8: 600 three-byte characters are 1,800 bytes.
    expect(problems(frame('€'.repeat(600)))[0]?.[1]).toContain('1,800 bytes');
  });

  it('an id is at most 200 characters, and a long value is quoted by its start and length', () => {
    const long = 'x'.repeat(100_000);
    const found = problems(BASE.replace('id: a\n', `id: ${long}\n`));
    expect(found).toEqual([
      [
        'vms[0].id',
        `An id is at most 200 characters (found a string of 100000 characters starting "${'x'.repeat(40)}").`,
      ],
    ]);
    expect(problems(BASE.replace('id: a\n', `id: ${'y'.repeat(200)}\n`))).toEqual([]);
  });

  it('names and the title are at most 200 characters, the description 100,000', () => {
    expect(problems(`${BASE}title: ${'t'.repeat(201)}\n`)[0]?.[0]).toBe('title');
    expect(problems(`${BASE}description: ${'d'.repeat(100_001)}\n`)[0]?.[0]).toBe('description');
    expect(problems(BASE.replace('id: lan,', `id: lan, name: ${'n'.repeat(201)},`))[0]?.[0]).toBe(
      'networks[0].name',
    );
  });
});

describe("an objective's text and hint, and student.actAs, are bounded like the rest", () => {
  it('refuses 10,001 characters of text or hint, and 10,001 users in actAs, at their paths', () => {
    const long = 'x'.repeat(10_001);
    const base = `nestlab: 1\nobjectives:\n  - { id: o, text: ${long}, hint: ${long}, check: { noLoop: true } }\n`;
    const parsed = parseLab(base);
    const paths = parsed.violations.map((v) => v.path);
    expect(paths).toEqual(expect.arrayContaining(['objectives[0].text', 'objectives[0].hint']));
    const many = Array.from({ length: 10_001 }, (_, i) => `u${i}`).join(', ');
    const actAs = parseLab(`nestlab: 1\nstudent: { actAs: [${many}] }\n`);
    expect(actAs.violations.map((v) => v.path)).toContain('student.actAs');
  });
});
