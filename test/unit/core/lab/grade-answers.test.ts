/**
 * `nestlab grade` beyond the objectives (lab-format.md, "Exercise keys"): each checkpoint answer
 * of an attempt is judged against the answer key, the checkpoints recomputed on the trainer's
 * own lab (never on the attempt's topology, never from a mark stored in the file); the hints
 * used are listed; an attempt that changed what the trainer's `student:` key locks is flagged.
 */
import { describe, expect, it } from 'vitest';
import { answerKey, gradeAttempt, parseLab, unreadableGrade } from '../../../../core/lab';
import type { Lab, StudentPolicy } from '../../../../core/model';
import { ESXI_WITH_WEB1 } from './nested-vm-yaml';

const TRAINER = `nestlab: 1
title: Nested VM out
account: { promiscuousMode: enabled }
users:
  - { name: ana, role: admin, promiscuous: true }
  - { name: ben, role: user }
actingUser: ana
networks:
  - { id: lan, subnet: 10.0.0.0/24, gateway: 10.0.0.254 }
vms:
${ESXI_WITH_WEB1}
traffic:
  - ping: { from: web1, to: lan }
objectives:
  - { id: reach, hint: Look at the uplink., check: { reachable: { from: web1, to: lan } } }
  - { id: calm, check: { noLoop: true } }
checkpoints:
  - id: where-arp
    before: 0
    question: Where does web1's ARP request end?
    choices:
      - { text: The gateway answers, fate: { delivered: "lan:gateway" } }
      - { text: lan drops it, fate: { dropped: lan, reason: forged-source } }
  - id: again
    before: 0
    question: And the switch?
    choices:
      - { text: It drops it, fate: { dropped: esxi-vsw0 } }
      - { text: It forwards it to the uplink, fate: { dropped: lan } }
`;

function parse(text: string): Lab {
  const parsed = parseLab(text);
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.violations));
  return parsed.lab;
}

const trainer = parse(TRAINER);

/** The student's fix: esxi-nic0 promiscuous, so on the attempt's topology the gateway answers. */
const FIXED = TRAINER.replace('ip: 10.0.0.10/24 }', 'ip: 10.0.0.10/24, promiscuous: true }');

function attempt(extra: string, text = FIXED): Lab {
  return parse(`${text}${extra}`);
}

describe('grading checkpoint answers', () => {
  it('judges each answer on the trainer’s lab: right, wrong, or unanswered', () => {
    const graded = gradeAttempt(trainer, attempt('attempt: { answers: { where-arp: 1 } }\n'));
    expect(graded.checkpoints).toEqual([
      { id: 'where-arp', answer: 1, right: true },
      { id: 'again', answer: null, right: false },
    ]);
    const wrong = gradeAttempt(
      trainer,
      attempt('attempt: { answers: { where-arp: 0, again: 0 } }\n'),
    );
    expect(wrong.checkpoints).toEqual([
      { id: 'where-arp', answer: 0, right: false },
      { id: 'again', answer: 0, right: false },
    ]);
  });

  it('never judges on the attempt’s own topology: its fix makes the gateway answer, the key still says lan drops it', () => {
    const fixed = attempt('attempt: { answers: { where-arp: 0 } }\n');
    expect(gradeAttempt(trainer, fixed).score).toEqual({ passed: 2, total: 2 });
    expect(gradeAttempt(trainer, fixed).checkpoints[0]).toEqual({
      id: 'where-arp',
      answer: 0,
      right: false,
    });
    // The attempt's own checkpoints, questions or marks count for nothing.
    const forged = attempt(
      'attempt: { answers: { where-arp: 0 } }\nui: { checkpoints: { where-arp: right } }\n',
      FIXED.replace('fate: { delivered: "lan:gateway" }', 'fate: { dropped: lan }'),
    );
    expect(gradeAttempt(trainer, forged).checkpoints[0]?.right).toBe(false);
  });

  it('an answer out of range is wrong; an answer to a checkpoint the trainer’s lab lacks is ignored', () => {
    const graded = gradeAttempt(
      trainer,
      attempt('attempt: { answers: { where-arp: 7, other: 1 } }\n'),
    );
    expect(graded.checkpoints).toEqual([
      { id: 'where-arp', answer: 7, right: false },
      { id: 'again', answer: null, right: false },
    ]);
  });

  it('uses the key it is given, computed once for a grading run', () => {
    const key = answerKey(trainer);
    expect(key.map((c) => [c.id, c.right])).toEqual([
      ['where-arp', 1],
      ['again', 1],
    ]);
    const made = [
      { id: 'where-arp', rightChoices: [0], right: 0 },
      { id: 'again', rightChoices: [0], right: 0 },
    ];
    const graded = gradeAttempt(trainer, attempt('attempt: { answers: { where-arp: 0 } }\n'), made);
    expect(graded.checkpoints[0]?.right).toBe(true);
  });

  it('lists the hints used: objectives of the trainer’s lab, each once, in the order used', () => {
    const graded = gradeAttempt(
      trainer,
      attempt('attempt: { hints: [calm, reach, calm, gone] }\n'),
    );
    expect(graded.hints).toEqual(['calm', 'reach']);
    expect(gradeAttempt(trainer, parse(FIXED)).hints).toEqual([]);
  });

  it('an attempt that cannot be read answered nothing', () => {
    expect(unreadableGrade(trainer, [])).toMatchObject({
      valid: false,
      checkpoints: [
        { id: 'where-arp', answer: null, right: false },
        { id: 'again', answer: null, right: false },
      ],
      hints: [],
      lockedChanged: false,
    });
  });
});

describe('grading flags an attempt that changed what the lab locks', () => {
  const locked = (student: StudentPolicy): Lab => ({ ...trainer, student });

  it('none: the student’s fix itself is a locked change, reported whatever the score', () => {
    const graded = gradeAttempt(locked({ edit: 'none' }), parse(FIXED));
    expect(graded.score.passed).toBe(2);
    expect(graded.lockedChanged).toBe(true);
    expect(graded.locked).toEqual(['adapter esxi-nic0: promiscuous changed from false to true']);
  });

  it('settings: the fix is a setting, so nothing is flagged; a new VM is', () => {
    expect(gradeAttempt(locked({ edit: 'settings' }), parse(FIXED)).lockedChanged).toBe(false);
    const added = attempt('', FIXED.replace('traffic:', '  - { id: extra }\ntraffic:'));
    expect(gradeAttempt(locked({ edit: 'settings' }), added)).toMatchObject({
      lockedChanged: true,
      locked: ['VM extra added'],
    });
  });

  it('all: never flagged, unless the attempt acts as a user actAs leaves out', () => {
    const added = attempt('', FIXED.replace('traffic:', '  - { id: extra }\ntraffic:'));
    expect(gradeAttempt(locked({ edit: 'all' }), added).lockedChanged).toBe(false);
    expect(gradeAttempt(locked({ edit: 'all', actAs: ['ben'] }), added)).toMatchObject({
      lockedChanged: true,
      locked: ['acting user ana is not one of student.actAs (ben)'],
    });
  });

  it('the attempt’s own student key counts for nothing: the trainer’s policy applies', () => {
    const loosened = attempt('student: { edit: all }\n');
    expect(gradeAttempt(locked({ edit: 'none' }), loosened).lockedChanged).toBe(true);
  });
});
