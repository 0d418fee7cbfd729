/**
 * Checkpoints are judged by recomputation (lab-format.md, "Exercise keys"): a choice is right
 * when the step's origin frame (the frame of its first event) has the choice's fate, read from
 * the step's report; `nestlab run` reports each checkpoint's right choice and warns of one with
 * no right choice or several, at its path, without running the script again.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  checkpointOutcome,
  checkpointVerdict,
  isValid,
  parseLab,
  runLab,
  type StepReport,
} from '../../../../core/lab';
import type { Checkpoint, Lab } from '../../../../core/model';
import type { TraceEvent } from '../../../../core/sim';
import { ESXI_WITH_WEB1 } from './nested-vm-yaml';

function event(
  fields: Partial<TraceEvent> & Pick<TraceEvent, 'type' | 'origin' | 'at'>,
): TraceEvent {
  return { t: 0, frame: fields.origin, proto: 'arp', ...fields };
}

/** A ping whose ARP request (origin 1) is delivered at a hypervisor and dropped at lan, F2. */
const FORGED: StepReport = {
  index: 0,
  kind: 'ping',
  ok: false,
  summary: 'no reply',
  events: [
    event({ type: 'transmit', origin: 1, at: 'web1-nic0' }),
    event({ type: 'deliver', origin: 1, at: 'esxi-nic0' }),
    event({ type: 'drop', origin: 1, at: 'lan', reason: 'forged-source', rule: 'F2' }),
    // Another frame of the step (a retry): not the origin frame, so not its fate.
    event({ type: 'transmit', origin: 4, at: 'web1-nic0' }),
    event({ type: 'deliver', origin: 4, at: 'lan:gateway' }),
    event({ type: 'drop', origin: 4, at: 'web1-nic0', reason: 'arp-timeout', rule: 'D6' }),
  ],
};

function checkpoint(...fates: Checkpoint['choices'][number]['fate'][]): Checkpoint {
  return {
    id: 'where',
    before: 0,
    question: 'Where does it end?',
    choices: fates.map((fate, i) => ({ text: `choice ${i}`, fate })),
  };
}

describe('a checkpoint judged on its step report', () => {
  it('a choice is right when the origin frame was delivered or dropped there (with that reason)', () => {
    const outcome = checkpointOutcome(
      checkpoint(
        { delivered: 'lan:gateway' },
        { dropped: 'lan', reason: 'forged-source' },
        { dropped: 'lan', reason: 'no-such-destination' },
        { dropped: 'esxi-vsw0' },
      ),
      FORGED,
    );
    expect(outcome.rightChoices).toEqual([1]);
    expect(outcome.fate).toEqual({
      delivered: ['esxi-nic0'],
      dropped: [{ at: 'lan', reason: 'forged-source', rule: 'F2' }],
    });
  });

  it('a dropped fate without a reason is right for any drop at that place', () => {
    expect(checkpointOutcome(checkpoint({ dropped: 'lan' }), FORGED).rightChoices).toEqual([0]);
  });

  it('only the origin frame counts: a later frame of the same step never makes a choice right', () => {
    const outcome = checkpointOutcome(
      checkpoint({ delivered: 'lan:gateway' }, { dropped: 'web1-nic0', reason: 'arp-timeout' }),
      FORGED,
    );
    expect(outcome.rightChoices).toEqual([]);
  });

  it('judges an answer: right, wrong, or not given', () => {
    const c = checkpoint({ delivered: 'lan:gateway' }, { dropped: 'lan', reason: 'forged-source' });
    expect(checkpointVerdict(c, FORGED, 1)).toEqual({
      id: 'where',
      rightChoices: [1],
      right: 1,
      answer: 1,
      correct: true,
    });
    expect(checkpointVerdict(c, FORGED, 0)).toMatchObject({ right: 1, answer: 0, correct: false });
    expect(checkpointVerdict(c, FORGED)).toEqual({ id: 'where', rightChoices: [1], right: 1 });
  });

  it('no right choice: checkpoint-no-answer, and every answer is wrong', () => {
    const c = checkpoint({ delivered: 'lan:gateway' }, { dropped: 'esxi-vsw0' });
    expect(checkpointVerdict(c, FORGED, 0)).toEqual({
      id: 'where',
      rightChoices: [],
      right: null,
      answer: 0,
      correct: false,
      warning: 'checkpoint-no-answer',
    });
  });

  it('more than one right choice: checkpoint-ambiguous, no single right one, each right answer counts', () => {
    const c = checkpoint({ delivered: 'esxi-nic0' }, { dropped: 'lan', reason: 'forged-source' });
    expect(checkpointVerdict(c, FORGED, 0)).toMatchObject({
      rightChoices: [0, 1],
      right: null,
      correct: true,
      warning: 'checkpoint-ambiguous',
    });
  });

  it('a step with no events (a refused edit, a step not run) or no report has no right choice', () => {
    const c = checkpoint({ dropped: 'lan' });
    const refused: StepReport = {
      index: 0,
      kind: 'set',
      ok: false,
      summary: 'refused',
      result: { ok: false, code: 'permission-denied', rule: 'P5', message: '…' },
      events: [],
    };
    const skipped: StepReport = { ...refused, kind: 'ping', skipped: true, result: undefined };
    expect(checkpointOutcome(c, refused).rightChoices).toEqual([]);
    expect(checkpointOutcome(c, skipped).rightChoices).toEqual([]);
    expect(checkpointOutcome(c, undefined).rightChoices).toEqual([]);
  });

  it('a step whose trace a budget cut is not judged: its frame may have ended where nothing was kept', () => {
    const cut: StepReport = { ...FORGED, omittedEvents: 12 };
    expect(checkpointOutcome(checkpoint({ dropped: 'lan' }), cut).rightChoices).toEqual([]);
  });
});

const E1 = `nestlab: 1
networks:
  - { id: lan, subnet: 10.0.0.0/24, gateway: 10.0.0.254 }
vms:
${ESXI_WITH_WEB1}
traffic:
  - set: { vm: esxi, nestedVirtualization: true }
  - ping: { from: web1, to: lan }
checkpoints:
`;

function lab(checkpoints: string): Lab {
  const parsed = parseLab(`${E1}${checkpoints}`);
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.violations));
  return parsed.lab;
}

describe('nestlab run judges every checkpoint on the script it ran', () => {
  it("reports each checkpoint's right choice after the score, and warns of none or several at its path", () => {
    const report = runLab(
      lab(`  - id: one
    before: 1
    question: Where does web1's ARP request end?
    choices:
      - { text: gateway, fate: { delivered: "lan:gateway" } }
      - { text: lan, fate: { dropped: lan, reason: forged-source } }
  - id: none
    before: 1
    question: Where?
    choices:
      - { text: gateway, fate: { delivered: "lan:gateway" } }
      - { text: switch, fate: { dropped: esxi-vsw0 } }
  - id: two
    before: 1
    question: Where?
    choices:
      - { text: hypervisor, fate: { delivered: esxi-nic0 } }
      - { text: lan, fate: { dropped: lan } }
  - id: edit
    before: 0
    question: Where?
    choices:
      - { text: lan, fate: { dropped: lan } }
      - { text: gateway, fate: { delivered: "lan:gateway" } }
`),
    );
    expect(Object.keys(report)).toEqual([
      'valid',
      'violations',
      'traffic',
      'objectives',
      'score',
      'checkpoints',
      'notices',
    ]);
    expect(report.checkpoints).toEqual([
      { id: 'one', rightChoices: [1], right: 1 },
      { id: 'none', rightChoices: [], right: null, warning: 'checkpoint-no-answer' },
      { id: 'two', rightChoices: [0, 1], right: null, warning: 'checkpoint-ambiguous' },
      { id: 'edit', rightChoices: [], right: null, warning: 'checkpoint-no-answer' },
    ]);
    const warnings = report.violations.filter((v) => v.code.startsWith('checkpoint-'));
    expect(warnings.map((v) => [v.severity, v.code, v.rule, v.path])).toEqual([
      ['warning', 'checkpoint-no-answer', 'format', 'checkpoints[1]'],
      ['warning', 'checkpoint-ambiguous', 'format', 'checkpoints[2]'],
      ['warning', 'checkpoint-no-answer', 'format', 'checkpoints[3]'],
    ]);
    expect(warnings[0]?.message).toContain('dropped at lan (forged-source, F2)');
    expect(warnings[1]?.message).toContain('choices[0], choices[1]');
    expect(warnings[2]?.message).toContain('sends no frame');
    expect(report.valid).toBe(true);
  });

  it('reads the reports the run made: the same lab gives the same report, and a checkpoint costs no simulator event', () => {
    const checkpoints = Array.from(
      { length: 50 },
      (_, i) => `  - id: c${i}
    before: 1
    question: Where?
    choices:
      - { text: lan, fate: { dropped: lan, reason: forged-source } }
      - { text: gateway, fate: { delivered: "lan:gateway" } }
`,
    ).join('');
    const many = lab(checkpoints);
    const first = runLab(many);
    expect(JSON.stringify(runLab(many))).toBe(JSON.stringify(first));
    expect(first.checkpoints.every((c) => c.right === 0)).toBe(true);
    const without = runLab({ ...many, checkpoints: [] });
    expect(first.traffic).toEqual(without.traffic);
    expect(first.notices).toEqual(without.notices);
  });

  it('judges nothing when the trace is not recorded (the benchmark)', () => {
    const report = runLab(
      lab(`  - { id: c, before: 1, question: Q, choices: [{ text: a, fate: { dropped: lan } }, { text: b, fate: { dropped: web1-nic0 } }] }
`),
      { recordTrace: false },
    );
    expect(report.checkpoints).toEqual([]);
    expect(report.violations).toEqual([]);
  });
});

describe('the built-in labs ask checkpoints a student can get right', () => {
  const dir = new URL('../../../../labs/', import.meta.url);
  const files = readdirSync(dir).filter((f) => f.endsWith('.lab.yaml'));

  it.each(files)(
    '%s: every checkpoint has exactly one right choice, every objective a hint',
    (file) => {
      const parsed = parseLab(readFileSync(new URL(file, dir), 'utf8'));
      if (!parsed.ok || !isValid(parsed)) throw new Error(JSON.stringify(parsed.violations));
      const report = runLab(parsed.lab);
      expect(report.checkpoints.map((c) => [c.id, c.rightChoices.length])).toEqual(
        parsed.lab.checkpoints.map((c) => [c.id, 1]),
      );
      expect(report.violations).toEqual([]);
      expect(parsed.lab.objectives.filter((o) => o.hint === undefined).map((o) => o.id)).toEqual(
        [],
      );
      for (const c of parsed.lab.checkpoints) {
        expect(c.explain, c.id).toMatch(/\*\*[PAFD]\d\*\*/);
        expect(c.choices.length, c.id).toBeGreaterThanOrEqual(3);
      }
    },
  );

  it('the labs where a misconception lives ask about it: E1, E3, E4, E5 and E6', () => {
    const asked = files.filter((file) => {
      const parsed = parseLab(readFileSync(new URL(file, dir), 'utf8'));
      return parsed.ok && parsed.lab.checkpoints.length > 0;
    });
    expect(asked.map((f) => f.slice(0, 2))).toEqual(['e1', 'e3', 'e4', 'e5', 'e6']);
  });
});
