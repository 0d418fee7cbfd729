/**
 * The exercise keys of a lab file (lab-format.md, "Exercise keys"): `checkpoints`, `student` and
 * a saved attempt's `attempt`. They parse with their defaults, round-trip through serializeLab,
 * and `nestlab check` reports each bad one at its path with the existing codes and rule
 * `format`; an attempt's answers and hints that name nothing are warnings.
 */
import { describe, expect, it } from 'vitest';
import { isValid, parseLab, serializeLab } from '../../../../core/lab';
import { ESXI_WITH_WEB1 } from './nested-vm-yaml';

const BASE = `nestlab: 1
users:
  - { name: ana, role: admin }
  - { name: ben, role: user }
actingUser: ben
networks:
  - { id: lan, subnet: 10.0.0.0/24, gateway: 10.0.0.254 }
  - { id: dmz, subnet: 10.0.0.0/24 }
external:
  - { id: site, ip: 203.0.113.10 }
vms:
${ESXI_WITH_WEB1}
  - id: br
    role: bridge
    adapters:
      - { id: br-a, network: lan, mac: "02:00:00:00:0b:01" }
      - { id: br-b, network: dmz, mac: "02:00:00:00:0b:02" }
traffic:
  - ping: { from: web1, to: lan }
  - power: { vm: esxi, state: stopped }
objectives:
  - { id: reach, check: { reachable: { from: web1, to: lan } } }
`;

function problems(yaml: string): string[] {
  return parseLab(`${BASE}${yaml}`).violations.map(
    (v) => `${v.severity} ${v.code} ${v.rule} ${v.path}`,
  );
}

const CHECKPOINT = `checkpoints:
  - id: where-arp
    before: 0
    question: Where does web1's ARP request end?
    choices:
      - { text: The gateway, fate: { delivered: "lan:gateway" } }
      - { text: lan, fate: { dropped: lan, reason: forged-source } }
      - { text: The switch, fate: { dropped: esxi-vsw0 } }
      - { text: The bridge, fate: { dropped: br } }
      - { text: The Internet, fate: { delivered: site } }
      - { text: The other network, fate: { dropped: dmz } }
    explain: |
      Frames leaving the hypervisor carry web1's MAC (**F2**).
`;

describe('parsing the exercise keys', () => {
  it('a lab without them has no checkpoints, lets a student change anything, and is no attempt', () => {
    const parsed = parseLab(BASE);
    expect(parsed.ok && parsed.lab.checkpoints).toEqual([]);
    expect(parsed.ok && parsed.lab.student).toEqual({ edit: 'all' });
    expect(parsed.ok && 'attempt' in parsed.lab).toBe(false);
  });

  it('reads checkpoints, the student policy and an attempt into typed records', () => {
    const parsed = parseLab(
      `${BASE}${CHECKPOINT}student: { edit: settings, actAs: [ben] }\nattempt:\n  answers: { where-arp: 1 }\n  hints: [reach]\n`,
    );
    expect(parsed.violations).toEqual([]);
    if (!parsed.ok) return;
    const [checkpoint] = parsed.lab.checkpoints;
    expect(checkpoint?.before).toBe(0);
    expect(checkpoint?.choices.map((c) => c.fate)).toEqual([
      { delivered: 'lan:gateway' },
      { dropped: 'lan', reason: 'forged-source' },
      { dropped: 'esxi-vsw0' },
      { dropped: 'br' },
      { delivered: 'site' },
      { dropped: 'dmz' },
    ]);
    expect(parsed.lab.student).toEqual({ edit: 'settings', actAs: ['ben'] });
    expect(parsed.lab.attempt).toEqual({ answers: { 'where-arp': 1 }, hints: ['reach'] });
  });

  it.each([
    ['checkpoints and a locked lab', `${CHECKPOINT}student: { edit: none, actAs: [ana, ben] }\n`],
    [
      'an attempt with answers and hints',
      `${CHECKPOINT}attempt: { answers: { where-arp: 2 }, hints: [reach] }\n`,
    ],
    ['an empty attempt', 'attempt: {}\n'],
    ['a student policy that only names users', 'student: { actAs: [ben] }\n'],
  ])('round-trips %s through serializeLab', (_name, yaml) => {
    const first = parseLab(`${BASE}${yaml}`);
    if (!first.ok) throw new Error(JSON.stringify(first.violations));
    const again = parseLab(serializeLab(first.lab));
    expect(again.ok && again.lab).toEqual(first.lab);
  });

  it('leaves the defaults out of a saved file', () => {
    const parsed = parseLab(`${BASE}student: { edit: all }\n`);
    expect(parsed.ok && serializeLab(parsed.lab)).not.toContain('student');
  });
});

describe('nestlab check on the exercise keys', () => {
  it('a before that names no step, a place that is nothing of the lab, an unknown reason', () => {
    expect(
      problems(`checkpoints:
  - id: a
    before: 5
    question: Q
    choices:
      - { text: x, fate: { delivered: "dmz:gateway" } }
      - { text: y, fate: { dropped: nowhere } }
      - { text: z, fate: { dropped: web1 } }
`),
    ).toEqual([
      'error not-found format checkpoints[0].before',
      'error not-found format checkpoints[0].choices[0].fate.delivered',
      'error not-found format checkpoints[0].choices[1].fate.dropped',
      'error not-found format checkpoints[0].choices[2].fate.dropped',
    ]);
    expect(
      problems(`checkpoints:
  - { id: a, before: 0, question: Q, choices: [{ text: x, fate: { dropped: lan } }, { text: y, fate: { dropped: lan, reason: forged } }] }
`),
    ).toEqual(['error invalid-value format checkpoints[0].choices[1].fate.reason']);
  });

  it('says what to name instead of a VM, and that a network without a gateway has none', () => {
    const messages = parseLab(
      `${BASE}checkpoints:\n  - { id: a, before: 0, question: Q, choices: [{ text: x, fate: { dropped: web1 } }, { text: y, fate: { delivered: "dmz:gateway" } }] }\n`,
    ).violations.map((v) => v.message);
    expect(messages[0]).toContain('name one of web1-nic0');
    expect(messages[1]).toContain('dmz has no gateway');
  });

  it('a fate names exactly one of delivered and dropped, and a reason only with dropped', () => {
    expect(
      problems(`checkpoints:
  - id: a
    before: 0
    question: Q
    choices:
      - { text: x, fate: { delivered: lan, dropped: lan } }
      - { text: y, fate: {} }
      - { text: z, fate: { delivered: esxi-nic0, reason: nic-filter } }
`),
    ).toEqual([
      'error invalid-value format checkpoints[0].choices[0].fate',
      'error missing-key format checkpoints[0].choices[1].fate',
      'error invalid-value format checkpoints[0].choices[2].fate.reason',
    ]);
  });

  it('duplicate checkpoint ids, too few choices, a step index out of range, unknown keys', () => {
    expect(
      problems(`checkpoints:
  - { id: a, before: 0, question: Q, choices: [{ text: x, fate: { dropped: lan } }, { text: y, fate: { dropped: br } }] }
  - { id: a, before: 0, question: Q, choices: [{ text: x, fate: { dropped: lan } }, { text: y, fate: { dropped: br } }] }
`),
    ).toEqual(['error duplicate-id format checkpoints[1].id']);
    expect(
      problems(`checkpoints:
  - { id: b, before: -1, question: Q, choices: [{ text: x, fate: { dropped: lan } }], hint: no }
`),
    ).toEqual([
      'error invalid-value format checkpoints[0].before',
      'error invalid-value format checkpoints[0].choices',
      'error unknown-key format checkpoints[0].hint',
    ]);
  });

  it("a checkpoint's id is a key of a saved attempt's answers: one the file refuses as a key is an error, `<<` re-imports", () => {
    const checkpoints = (ids: string[]) =>
      `checkpoints:\n${ids
        .map(
          (id) =>
            `  - { id: "${id}", before: 0, question: Q, choices: [{ text: x, fate: { dropped: lan } }, { text: y, fate: { dropped: br } }] }`,
        )
        .join('\n')}\n`;
    expect(problems(checkpoints(['constructor', 'prototype', '__proto__', 'fine']))).toEqual([
      'error invalid-value format checkpoints[0].id',
      'error invalid-value format checkpoints[1].id',
      'error invalid-value format checkpoints[2].id',
    ]);
    // A `<<` id is a key like any other once written: the saved attempt re-imports equal.
    const parsed = parseLab(`${BASE}${checkpoints(['<<'])}`);
    if (!parsed.ok || !isValid(parsed)) throw new Error(JSON.stringify(parsed.violations));
    const attempt = { ...parsed.lab, attempt: { answers: { '<<': 1 }, hints: [] } };
    const back = parseLab(serializeLab(attempt));
    expect(back.violations).toEqual([]);
    expect(back.ok && back.lab).toEqual(attempt);
  });

  it('warns of a checkpoint before a step that sends no frame', () => {
    expect(
      problems(`checkpoints:
  - { id: a, before: 1, question: Q, choices: [{ text: x, fate: { dropped: lan } }, { text: y, fate: { dropped: br } }] }
`),
    ).toEqual(['warning invalid-value format checkpoints[0].before']);
  });

  it('warns of a checkpoint before a wait step: it only lets frames already sent arrive', () => {
    const withWait = BASE.replace(
      '  - power: { vm: esxi, state: stopped }\n',
      '  - wait: { seconds: 1 }\n',
    );
    expect(withWait).not.toBe(BASE);
    const parsed = parseLab(`${withWait}checkpoints:
  - { id: a, before: 1, question: Q, choices: [{ text: x, fate: { dropped: lan } }, { text: y, fate: { dropped: br } }] }
`);
    expect(parsed.violations.map((v) => `${v.severity} ${v.path}: ${v.message}`)).toEqual([
      'warning checkpoints[0].before: traffic[1] is a `wait` step, which sends no frame, so no choice can be right; ask it before a step that sends traffic.',
    ]);
  });

  it('student: an unknown edit mode, a name in actAs that is no user, an empty actAs', () => {
    expect(problems('student: { edit: some, actAs: [ben, carl] }\n')).toEqual([
      'error invalid-value format student.edit',
    ]);
    expect(problems('student: { edit: settings, actAs: [ben, carl] }\n')).toEqual([
      'error not-found format student.actAs[1]',
    ]);
    expect(problems('student: { actAs: [] }\n')).toEqual([
      'error invalid-value format student.actAs',
    ]);
  });

  it('warns when the lab starts acting as a user students may not act as', () => {
    expect(problems('student: { actAs: [ana] }\n')).toEqual([
      'warning invalid-value format actingUser',
    ]);
  });

  it("an attempt's answers and hints that name nothing of the lab are warnings; a negative answer an error", () => {
    const found = problems(
      `${CHECKPOINT}attempt:\n  answers: { where-arp: 6, gone: 0 }\n  hints: [reach, nope]\n`,
    );
    expect(found).toEqual([
      'warning invalid-value format attempt.answers.where-arp',
      'warning not-found format attempt.answers.gone',
      'warning not-found format attempt.hints[1]',
    ]);
    const parsed = parseLab(`${BASE}${CHECKPOINT}attempt:\n  answers: { where-arp: 6 }\n`);
    expect(isValid(parsed)).toBe(true);
    expect(problems('attempt: { answers: { where-arp: -1 } }\n')).toEqual([
      'error invalid-value format attempt.answers.where-arp',
    ]);
  });

  it('an answer key that could be misread as a path is quoted in its path, and located on its own line', () => {
    const text = `${BASE}${CHECKPOINT}attempt:\n  answers:\n    "x.y": 0\n    "x[0]": 0\n    "": 0\n`;
    const found = parseLab(text).violations.filter((v) => v.path.startsWith('attempt'));
    const lineOf = (needle: string): number =>
      text.split('\n').findIndex((l) => l.startsWith(needle)) + 1;
    expect(found.map((v) => [v.path, v.line])).toEqual([
      ['attempt.answers["x.y"]', lineOf('    "x.y"')],
      ['attempt.answers["x[0]"]', lineOf('    "x[0]"')],
      ['attempt.answers[""]', lineOf('    ""')],
    ]);
  });

  it('an answer past every choice is a warning however large; one that is no finite number an error that says so', () => {
    for (const huge of ['100000000000000000000', '9007199254740993', '1e300'])
      expect(problems(`${CHECKPOINT}attempt:\n  answers: { where-arp: ${huge} }\n`)).toEqual([
        'warning invalid-value format attempt.answers.where-arp',
      ]);
    for (const [written, said] of [
      ['.inf', '.inf (infinite)'],
      ['-.inf', '-.inf (infinite)'],
      ['.nan', '.nan (not a number)'],
    ] as const) {
      const [violation] = parseLab(
        `${BASE}${CHECKPOINT}attempt:\n  answers: { where-arp: ${written} }\n`,
      ).violations;
      expect(violation).toMatchObject({
        severity: 'error',
        path: 'attempt.answers.where-arp',
        message: `Expected number, found ${said}.`,
      });
    }
  });
});
