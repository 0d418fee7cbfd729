/**
 * The exercise loop through the service (issue 12): a lab opens in student mode unless a
 * trainer asks; `student:` locks edits with a reason and leaves the lab as it was; the
 * objectives' status is recomputed by the core as `nestlab grade` does and kept with the
 * attempt (the home card agrees); hints and checkpoint answers are kept with the attempt (the
 * first answer counts) and written into the saved attempt file; a checkpoint is judged on the
 * run that ran its step.
 */
import { describe, expect, it } from 'vitest';
import {
  NestlabService,
  type EditOutcome,
  type ExerciseStatus,
  type LabSummary,
  type LabView,
  type OpenResult,
  type TrafficResult,
} from '../../../../core/api';
import type { ExportResult } from '../../../../core/api/contract';
import type { LibraryListing } from '../../../../core/api/library-contract';
import { parseLab } from '../../../../core/lab/parse';
import { gradeAttempt } from '../../../../core/lab/grade';
import { LocalSimRunner, type SimEntry, type SimRunner } from '../../../../core/api/sim-runner';
import { memoryPersistence } from '../../../../core/api';
import type { Lab } from '../../../../core/model';
import { builtInLabs } from './built-in-labs';

const E1 = 'e1-nested-vm-out';

const library = {
  list: (): LabSummary[] => [
    {
      id: E1,
      title: 'E1: A nested VM reaches the gateway',
      description: '',
      fileName: `${E1}.lab.yaml`,
    },
  ],
  read: builtInLabs.read,
};

function opened(service: NestlabService, result: unknown): LabView {
  const r = result as OpenResult;
  if (!r.ok) throw new Error(r.message);
  return r.view;
}

async function status(service: NestlabService): Promise<Extract<ExerciseStatus, { ok: true }>> {
  const s = (await service.call('exercise.status', {})) as ExerciseStatus;
  if (!s.ok) throw new Error(s.message);
  return s;
}

/** E1's fix, as ana: stop esxi, make its uplink promiscuous, start it again. */
function fixE1(service: NestlabService): void {
  for (const [name, args] of [
    ['vm.setPower', { vm: 'esxi', state: 'stopped' }],
    ['adapter.setPromiscuous', { adapter: 'esxi-nic0', promiscuous: true }],
    ['vm.setPower', { vm: 'esxi', state: 'running' }],
  ] as const)
    expect(service.call(name, { ...args, actor: 'ana' })).toMatchObject({ ok: true });
}

/** E1 opened as a student, with its checkpoint and the indexes of two of its choices. */
function e1Checkpoint(service: NestlabService) {
  const view = opened(service, service.call('lab.open', { id: E1 }));
  const checkpoint = view.lab.checkpoints[0];
  if (!checkpoint) throw new Error('E1 has a checkpoint');
  return {
    checkpoint,
    gateway: checkpoint.choices.findIndex((c) => 'delivered' in c.fate),
    lan: checkpoint.choices.findIndex((c) => 'dropped' in c.fate && c.fate.dropped === 'lan'),
  };
}

const LOCKED = `nestlab: 1
title: Locked
users:
  - { name: ana, role: admin, promiscuous: true }
  - { name: ben, role: user }
actingUser: ben
account: { promiscuousMode: enabled }
networks:
  - { id: lan, subnet: 10.0.0.0/24, gateway: 10.0.0.254 }
vms:
  - id: client
    power: stopped
    adapters:
      - { id: client-nic0, network: lan, mac: "02:00:00:00:00:02", ip: 10.0.0.30/24 }
student: { edit: settings, actAs: [ben] }
`;

describe('student and trainer mode', () => {
  it('opens a lab in student mode by default, with what it locks and why', () => {
    const service = new NestlabService(library);
    const view = opened(
      service,
      service.call('lab.openText', { text: LOCKED, fileName: 'l.lab.yaml' }),
    );
    expect(view.role).toBe('student');
    expect(view.locks.edits).toContain('vm.add');
    expect(view.locks.edits).not.toContain('vm.setPower');
    expect(view.locks.reason).toMatch(/settings only/);
    expect(view.locks.actors).toEqual(['ben']);
  });

  it('refuses a locked edit with code locked and its reason, leaving the lab as it was', () => {
    const service = new NestlabService(library);
    const view = opened(
      service,
      service.call('lab.openText', { text: LOCKED, fileName: 'l.lab.yaml' }),
    );
    const refused = service.call('vm.rename', {
      vm: 'client',
      name: 'x',
      actor: 'ben',
    }) as EditOutcome;
    expect(refused).toMatchObject({ ok: false, code: 'locked', rule: 'student' });
    if (!refused.ok) expect(refused.message).toMatch(/settings only/);
    expect((service.call('lab.current', {}) as LabView).lab).toEqual(view.lab);
    // A setting is allowed: the rules decide it.
    const power = service.call('vm.setPower', { vm: 'client', state: 'running', actor: 'ben' });
    expect(power).toMatchObject({ ok: true });
  });

  it('keeps the description read-only for a student even under edit: all; a rename goes through', () => {
    const service = new NestlabService(library);
    const view = opened(service, service.call('lab.open', { id: E1 }));
    expect(view.lab.student.edit).toBe('all');
    const description = view.lab.description ?? '';
    const changed = service.call('lab.setTitle', {
      title: view.lab.title,
      description: 'Nothing to do here.',
      actor: 'ana',
    }) as EditOutcome;
    expect(changed).toMatchObject({ ok: false, code: 'locked', rule: 'student' });
    // A rename alone keeps the description.
    expect(service.call('lab.setTitle', { title: 'Renamed', actor: 'ana' })).toMatchObject({
      ok: true,
    });
    expect((service.call('lab.current', {}) as LabView).lab.description).toBe(description);
    const renamed = service.call('lab.setTitle', { title: 'My E1', description, actor: 'ana' });
    expect(renamed).toMatchObject({ ok: true });
    const trainer = opened(service, service.call('lab.open', { id: E1, as: 'trainer' }));
    expect(
      service.call('lab.setTitle', {
        title: trainer.lab.title,
        description: 'New text.',
        actor: 'ana',
      }),
    ).toMatchObject({ ok: true });
  });

  it('refuses acting as a user the lab does not let the student act as', () => {
    const service = new NestlabService(library);
    opened(service, service.call('lab.openText', { text: LOCKED, fileName: 'l.lab.yaml' }));
    expect(service.call('lab.setActingUser', { user: 'ana', actor: 'ben' })).toMatchObject({
      ok: false,
      code: 'locked',
      message: expect.stringMatching(/you act as ben; acting as ana is locked/),
    });
    expect(
      service.call('vm.setPower', { vm: 'client', state: 'running', actor: 'ana' }),
    ).toMatchObject({
      ok: false,
      code: 'locked',
    });
  });

  it('an ad-hoc edit step is bound like an edit: only as actAs, only what the lab lets change', async () => {
    const service = new NestlabService(library);
    opened(
      service,
      service.call('lab.openText', {
        text: LOCKED.replace('edit: settings', 'edit: none'),
        fileName: 'l.lab.yaml',
      }),
    );
    expect(
      await service.call('traffic.run', { step: { power: { vm: 'client', state: 'running' } } }),
    ).toMatchObject({ ok: false, code: 'locked' });
    expect(
      await service.call('traffic.run', {
        step: { set: { actor: 'ana', adapter: 'client-nic0', promiscuous: true } },
      }),
    ).toMatchObject({ ok: false, code: 'locked' });
    // Traffic is never locked.
    expect(
      await service.call('traffic.run', { step: { ping: { from: 'client', to: '10.0.0.254' } } }),
    ).toMatchObject({ ok: true });
  });

  it('a trainer is not locked; switching to student mode locks again', () => {
    const service = new NestlabService(library);
    const view = opened(
      service,
      service.call('lab.openText', { text: LOCKED, fileName: 'l.lab.yaml', as: 'trainer' }),
    );
    expect(view.role).toBe('trainer');
    expect(view.locks.edits).toEqual([]);
    expect(service.call('vm.rename', { vm: 'client', name: 'x', actor: 'ben' })).toMatchObject({
      ok: true,
    });
    const student = service.call('session.setRole', { role: 'student' }) as {
      ok: true;
      view: LabView;
    };
    expect(student.view.role).toBe('student');
    expect(service.call('vm.rename', { vm: 'client', name: 'y', actor: 'ben' })).toMatchObject({
      ok: false,
      code: 'locked',
    });
  });
});

describe('objectives, hints and answers', () => {
  it("recomputes E1's objectives after the fix and keeps them for the home card", async () => {
    const service = new NestlabService(library);
    opened(service, service.call('lab.open', { id: E1 }));
    const before = await status(service);
    expect(before.score).toEqual({ passed: 0, total: 2 });
    expect(before.objectives[0]).toMatchObject({
      id: 'reach',
      passed: false,
      hasHint: true,
      hintShown: false,
      message: expect.stringContaining('dropped at lan: forged-source (F2)'),
    });
    fixE1(service);
    const after = await status(service);
    expect(after.score).toEqual({ passed: 2, total: 2 });
    expect(after.revision).toBe((service.call('lab.current', {}) as LabView).revision);
    const card = (service.call('library.list', {}) as LibraryListing).labs.find((c) => c.id === E1);
    expect(card?.progress).toMatchObject({ passed: 2, total: 2 });
  });

  it('a card before a start shows the score the lab starts with, the one the panel shows when opened', async () => {
    const E2 = 'e2-nested-neighbours';
    const both = {
      list: (): LabSummary[] => [
        ...library.list(),
        { id: E2, title: 'E2', description: '', fileName: `${E2}.lab.yaml` },
      ],
      read: builtInLabs.read,
    };
    const service = new NestlabService(both);
    const cardOf = (id: string) =>
      (service.call('library.list', {}) as LibraryListing).labs.find((c) => c.id === id);
    expect(cardOf(E2)).toMatchObject({
      progress: null,
      startedAt: null,
      atStart: { passed: 2, total: 3 },
    });
    expect(cardOf(E1)?.atStart).toMatchObject({ passed: 0, total: 2 });
    opened(service, service.call('lab.open', { id: E2 }));
    expect((await status(service)).score).toEqual({ passed: 2, total: 3 });
    expect(cardOf(E2)).toMatchObject({ atStart: null, progress: { passed: 2, total: 3 } });
  });

  it('records a revealed hint once, and refuses an objective without one', async () => {
    const service = new NestlabService(library);
    opened(service, service.call('lab.open', { id: E1 }));
    const shown = service.call('exercise.revealHint', { objective: 'reach' }) as { view: LabView };
    expect(shown.view.exercise.hints).toEqual(['reach']);
    service.call('exercise.revealHint', { objective: 'reach' });
    expect((await status(service)).objectives[0]?.hintShown).toBe(true);
    expect((service.call('lab.current', {}) as LabView).exercise.hints).toEqual(['reach']);
    expect(service.call('exercise.revealHint', { objective: 'nope' })).toMatchObject({
      ok: false,
      code: 'not-found',
    });
  });

  it('keeps the first answer to a checkpoint and judges it on the run of its step', async () => {
    const service = new NestlabService(library);
    const { checkpoint, gateway: wrong, lan: right } = e1Checkpoint(service);
    expect(
      service.call('exercise.answer', { checkpoint: checkpoint.id, choice: wrong }),
    ).toMatchObject({ ok: true });
    // A second answer does not replace the first: a prediction is made before seeing.
    service.call('exercise.answer', { checkpoint: checkpoint.id, choice: right });
    expect((service.call('lab.current', {}) as LabView).exercise.answers).toEqual({
      [checkpoint.id]: wrong,
    });
    expect(
      service.call('exercise.answer', { checkpoint: checkpoint.id, choice: 99 }),
    ).toMatchObject({ ok: false });
    expect(service.call('exercise.answer', { checkpoint: 'nope', choice: 0 })).toMatchObject({
      ok: false,
      code: 'not-found',
    });

    const run = (await service.call('traffic.run', { index: checkpoint.before })) as Extract<
      TrafficResult,
      { ok: true }
    >;
    expect(run.checkpoints).toEqual([
      {
        id: checkpoint.id,
        rightChoices: [right],
        happened: [right],
        answer: wrong,
        correct: false,
      },
    ]);
    // An ad-hoc step is no script step: no checkpoint is judged on it.
    const adHoc = (await service.call('traffic.run', {
      step: { ping: { from: 'web1', to: '10.0.0.254' } },
    })) as Extract<TrafficResult, { ok: true }>;
    expect(adHoc.checkpoints).toEqual([]);
  });

  it("judges an answer on the trainer's lab as nestlab grade does, whatever the student changed; what happened in the run comes beside it", async () => {
    const service = new NestlabService(library);
    const { checkpoint, gateway, lan } = e1Checkpoint(service);
    // The student fixes the lab first: the ARP now reaches the gateway in their run.
    fixE1(service);
    service.call('exercise.answer', { checkpoint: checkpoint.id, choice: gateway });
    const run = (await service.call('traffic.run', { index: checkpoint.before })) as Extract<
      TrafficResult,
      { ok: true }
    >;
    const [verdict] = run.checkpoints;
    expect(verdict).toMatchObject({ rightChoices: [lan], answer: gateway, correct: false });
    expect(verdict?.happened).toContain(gateway);
    // The trainer's grade of the saved attempt says the same.
    const exported = service.call('attempt.export', {}) as ExportResult;
    if (!exported.ok) throw new Error(exported.message);
    const attempt = parseLab(exported.text);
    const trainer = parseLab(builtInLabs.read(E1)?.text ?? '');
    if (!attempt.ok || !trainer.ok) throw new Error('E1 parses');
    expect(gradeAttempt(trainer.lab, attempt.lab).checkpoints).toEqual([
      { id: checkpoint.id, answer: gateway, right: false },
    ]);
    expect((await status(service)).checkpoints).toEqual([
      expect.objectContaining({ id: checkpoint.id, rightChoices: [lan], correct: false }),
    ]);
  });

  it('a saved attempt file opened again keeps its answers and hints: the first answer still counts', () => {
    const first = new NestlabService(library);
    const view = opened(first, first.call('lab.open', { id: E1 }));
    const id = view.lab.checkpoints[0]?.id ?? '';
    first.call('exercise.answer', { checkpoint: id, choice: 1 });
    first.call('exercise.revealHint', { objective: 'reach' });
    const exported = first.call('attempt.export', {}) as ExportResult;
    if (!exported.ok) throw new Error(exported.message);

    const second = new NestlabService(library);
    const reopened = opened(
      second,
      second.call('lab.openText', { text: exported.text, fileName: 'ana.lab.yaml' }),
    );
    expect(reopened.exercise).toEqual({ answers: { [id]: 1 }, hints: ['reach'] });
    second.call('exercise.answer', { checkpoint: id, choice: 2 });
    expect((second.call('lab.current', {}) as LabView).exercise.answers).toEqual({ [id]: 1 });
    const again = second.call('attempt.export', {}) as ExportResult;
    if (!again.ok) throw new Error(again.message);
    const parsed = parseLab(again.text);
    expect(parsed.ok && parsed.lab.attempt).toEqual({ answers: { [id]: 1 }, hints: ['reach'] });
    // An answer naming no choice is no answer: the student may still answer.
    const past = exported.text.replace(`${id}: 1`, `${id}: 99`);
    expect(past).not.toBe(exported.text);
    const third = new NestlabService(library);
    const view3 = opened(
      third,
      third.call('lab.openText', { text: past, fileName: 'past.lab.yaml' }),
    );
    expect(view3.exercise.answers).toEqual({});
    // Restart starts afresh.
    const imported = (second.call('library.list', {}) as LibraryListing).labs.find(
      (l) => l.id !== E1,
    );
    const restarted = second.call('attempt.restart', { id: imported?.id }) as OpenResult;
    if (!restarted.ok) throw new Error(restarted.message);
    expect(restarted.view.exercise).toEqual({ answers: {}, hints: [] });
  });

  it("a student's checks run the trainer's script for the answer key once, not with every change", async () => {
    const grader = new LocalSimRunner();
    const keyed: boolean[] = [];
    const request = grader.request.bind(grader);
    grader.request = (name, args) => {
      keyed.push('key' in args);
      return request(name, args);
    };
    const service = new NestlabService(library, { gradeRunner: grader });
    const { checkpoint, lan } = e1Checkpoint(service);
    await status(service);
    service.call('vm.setPower', { vm: 'client', state: 'stopped', actor: 'ana' });
    const after = await status(service);
    expect(keyed).toEqual([true, false]);
    expect(after.checkpoints).toEqual([
      expect.objectContaining({ id: checkpoint.id, rightChoices: [lan] }),
    ]);
  });

  it('a change of positions or a hint shown needs no new check: the same verdicts come back', async () => {
    const grader = new LocalSimRunner();
    let checks = 0;
    const request = grader.request.bind(grader);
    grader.request = (name, args) => {
      checks++;
      return request(name, args);
    };
    const service = new NestlabService(library, { gradeRunner: grader });
    opened(service, service.call('lab.open', { id: E1 }));
    const first = await status(service);
    service.call('lab.setUi', { ui: { positions: { esxi: [1, 2] } }, actor: 'ana' });
    service.call('exercise.revealHint', { objective: 'reach' });
    const again = await status(service);
    expect(again.revision).toBeGreaterThan(first.revision);
    expect(again.objectives.map((o) => [o.id, o.passed, o.message])).toEqual(
      first.objectives.map((o) => [o.id, o.passed, o.message]),
    );
    expect(again.objectives[0]?.hintShown).toBe(true);
    expect(checks).toBe(1);
  });

  it('writes the answers and hints into the saved attempt file, which still parses', () => {
    const service = new NestlabService(library);
    const view = opened(service, service.call('lab.open', { id: E1 }));
    const id = view.lab.checkpoints[0]?.id ?? '';
    service.call('exercise.answer', { checkpoint: id, choice: 2 });
    service.call('exercise.revealHint', { objective: 'uplink' });
    const exported = service.call('attempt.export', {}) as ExportResult;
    if (!exported.ok) throw new Error(exported.message);
    const parsed = parseLab(exported.text);
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.violations));
    expect(parsed.lab.attempt).toEqual({ answers: { [id]: 2 }, hints: ['uplink'] });
  });

  it('a new opening starts with a new session number; restarting forgets the answers', () => {
    const service = new NestlabService(library);
    const first = opened(service, service.call('lab.open', { id: E1 }));
    service.call('exercise.revealHint', { objective: 'reach' });
    const restarted = opened(service, service.call('attempt.restart', { id: E1 }));
    expect(restarted.session).toBeGreaterThan(first.session);
    expect(restarted.exercise).toEqual({ answers: {}, hints: [] });
  });
});

describe('edits and the exercise keys', () => {
  it('removing a device a checkpoint names is allowed (check reports the checkpoint, the edit goes on)', () => {
    const service = new NestlabService(library);
    opened(service, service.call('lab.open', { id: E1 }));
    expect(service.call('vm.remove', { vm: 'esxi', actor: 'ana' })).toMatchObject({ ok: true });
    const view = service.call('lab.current', {}) as LabView;
    expect(view.violations.some((v) => v.path.startsWith('checkpoints[0]'))).toBe(true);
  });
});

describe('grading an attempt whose copy of the exercise names a removed device', () => {
  it('is valid and graded on its topology: the trainer keys are checked against the trainer lab', () => {
    const text = builtInLabs.read(E1)?.text ?? '';
    const trainer = parseLab(text);
    if (!trainer.ok) throw new Error('E1 does not parse');
    const withoutClient = {
      ...trainer.lab,
      vms: trainer.lab.vms.filter((vm) => vm.id !== 'client'),
      objectives: [...trainer.lab.objectives, { id: 'ok', check: { kind: 'valid' as const } }],
    };
    const grade = gradeAttempt(
      { ...trainer.lab, objectives: withoutClient.objectives },
      withoutClient,
    );
    expect(grade.valid).toBe(true);
    expect(grade.objectives.find((o) => o.id === 'ok')?.passed).toBe(true);
  });
});

describe("a student works against the trainer's file as it is now", () => {
  it('an attempt started before the file gained hints and a checkpoint gets them when opened', () => {
    const text = builtInLabs.read(E1)?.text ?? '';
    const before = text.slice(0, text.indexOf('checkpoints:')).replace(/\n {4}hint: .*/g, '');
    let current = before;
    const changing = {
      list: library.list,
      read: () => ({ text: current, fileName: `${E1}.lab.yaml` }),
    };
    const service = new NestlabService(changing);
    const first = opened(service, service.call('lab.open', { id: E1 }));
    expect(first.lab.checkpoints).toEqual([]);
    expect(first.lab.objectives.some((o) => o.hint !== undefined)).toBe(false);
    current = text;
    service.call('library.list', {});
    const again = opened(service, service.call('lab.open', { id: E1 }));
    expect(again.lab.checkpoints.map((c) => c.id)).toEqual(['where-arp']);
    expect(again.lab.objectives.every((o) => o.hint !== undefined)).toBe(true);
    // A trainer authors in an attempt of their own, started from the file as it is now.
    const trainer = opened(service, service.call('lab.open', { id: E1, as: 'trainer' }));
    expect(trainer.lab.checkpoints.map((c) => c.id)).toEqual(['where-arp']);
  });
});

/**
 * A grader whose checks wait until the test lets them go, and whose cancel ends a waiting one
 * as cancelled (as the worker's does): to order a run's answer-key check against the renderer's.
 */
class GatedGrader implements SimRunner {
  private readonly inner = new LocalSimRunner();
  readonly waiting: { cancelled: boolean; go: () => void }[] = [];

  open(lab: Lab): void {
    this.inner.open(lab);
  }
  setLab(lab: Lab): void {
    this.inner.setLab(lab);
  }
  request(name: SimEntry, args: Readonly<Record<string, unknown>>): Promise<unknown> {
    return new Promise((resolve) => {
      const entry = {
        cancelled: false,
        go: () =>
          resolve(
            entry.cancelled
              ? {
                  ok: true,
                  objectives: [],
                  score: { passed: 0, total: 0 },
                  notices: [{ code: 'run-truncated', budget: 'cancelled', message: 'cancelled' }],
                  checkpoints: [],
                  happened: [],
                }
              : this.inner.request(name, args),
          ),
      };
      this.waiting.push(entry);
    });
  }
  cancel(): void {
    for (const entry of this.waiting) entry.cancelled = true;
  }
  close(): void {
    this.inner.close();
  }
  /** Lets every waiting check go, until `done` settles. */
  async drain(done: Promise<unknown>): Promise<void> {
    let settled = false;
    void done.then(() => (settled = true));
    while (!settled) {
      await new Promise((r) => setTimeout(r, 5));
      this.waiting.splice(0).forEach((entry) => entry.go());
    }
  }
}

describe("a run's checkpoints wait for the answer key", () => {
  it("a newer check cancelling the run's own does not leave the answer judged on the student's lab", async () => {
    const grader = new GatedGrader();
    const service = new NestlabService(library, { gradeRunner: grader });
    const { checkpoint, gateway, lan } = e1Checkpoint(service);
    fixE1(service);
    service.call('exercise.answer', { checkpoint: checkpoint.id, choice: gateway });
    const run = service.call('traffic.run', { index: checkpoint.before }) as Promise<TrafficResult>;
    // The run's reply waits for a check; the renderer asks for its own meanwhile.
    await new Promise((r) => setTimeout(r, 5));
    expect(grader.waiting).toHaveLength(1);
    const status = service.call('exercise.status', {}) as Promise<ExerciseStatus>;
    await grader.drain(Promise.all([run, status]));
    const result = await run;
    if (!result.ok) throw new Error(result.message);
    expect(result.checkpoints[0]).toMatchObject({
      rightChoices: [lan],
      answer: gateway,
      correct: false,
    });
    expect(result.checkpoints[0]?.happened).toContain(gateway);
  });
});

describe("a trainer's authoring and a student's attempt are kept apart", () => {
  it("the attempt open when the app closed reopens in its own mode: a trainer's in trainer mode", () => {
    const persistence = memoryPersistence();
    const first = new NestlabService(library, { persistence });
    opened(first, first.call('lab.open', { id: E1, as: 'trainer' }));
    first.call('lab.setTitle', { title: 'Draft E1', actor: 'ana' });
    const again = new NestlabService(library, { persistence });
    const view = again.call('lab.current', {}) as LabView;
    expect(view.role).toBe('trainer');
    expect(view.lab.title).toBe('Draft E1');
    const card = (again.call('library.list', {}) as LibraryListing).labs.find((c) => c.id === E1);
    expect(card?.startedAt).toBeNull();
  });

  it("a file that breaks rules, opened as a student, is fixed in the trainer's attempt", () => {
    const broken = (builtInLabs.read(E1)?.text ?? '').replace(
      '"02:00:00:00:00:02"',
      '"02:00:00:00:00:01"',
    );
    const service = new NestlabService(library);
    const view = opened(
      service,
      service.call('lab.openText', { text: broken, fileName: 'b.lab.yaml' }),
    );
    expect(view.role).toBe('trainer');
    const id = (service.call('library.list', {}) as LibraryListing).labs.find(
      (l) => l.id !== E1,
    )?.id;
    expect(
      (service.call('library.list', {}) as LibraryListing).labs.find((l) => l.id === id)?.startedAt,
    ).toBeNull();
  });

  it("a trainer's edits, hints and progress never reach the student's attempt or the home card", async () => {
    const service = new NestlabService(library);
    opened(service, service.call('lab.open', { id: E1 }));
    service.call('exercise.revealHint', { objective: 'uplink' });
    await status(service);
    const cardOf = (): LibraryListing['labs'][number] | undefined =>
      (service.call('library.list', {}) as LibraryListing).labs.find((c) => c.id === E1);
    expect(cardOf()?.progress).toMatchObject({ passed: 0, total: 2 });

    const trainer = opened(service, service.call('lab.open', { id: E1, as: 'trainer' }));
    expect(trainer.role).toBe('trainer');
    expect(trainer.exercise).toEqual({ answers: {}, hints: [] });
    fixE1(service);
    expect((await status(service)).score).toEqual({ passed: 2, total: 2 });
    expect(cardOf()?.progress).toMatchObject({ passed: 0, total: 2 });
    expect(service.call('library.list', {})).toMatchObject({ openLabId: E1, openRole: 'trainer' });

    const student = opened(service, service.call('lab.open', { id: E1 }));
    expect(service.call('library.list', {})).toMatchObject({ openLabId: E1, openRole: 'student' });
    expect(student.role).toBe('student');
    expect(student.lab.vms.find((v) => v.id === 'esxi')?.adapters[0]?.promiscuous).toBe(false);
    expect(student.exercise.hints).toEqual(['uplink']);
    // And the trainer's work is where they left it.
    const back = opened(service, service.call('lab.open', { id: E1, as: 'trainer' }));
    expect(back.lab.vms.find((v) => v.id === 'esxi')?.adapters[0]?.promiscuous).toBe(true);
  });

  it('a student starts acting as a user the lab lets them act as, a trainer as the file says', () => {
    const outside = LOCKED.replace('actingUser: ben', 'actingUser: ana');
    const service = new NestlabService(library);
    const student = opened(
      service,
      service.call('lab.openText', { text: outside, fileName: 'l.lab.yaml' }),
    );
    expect(student.lab.actingUser).toBe('ben');
    expect(
      service.call('vm.setPower', { vm: 'client', state: 'running', actor: 'ben' }),
    ).toMatchObject({ ok: true });
    const id = (service.call('library.list', {}) as LibraryListing).labs.find(
      (l) => l.title === 'Locked',
    )?.id;
    const trainer = opened(service, service.call('lab.open', { id, as: 'trainer' }));
    expect(trainer.lab.actingUser).toBe('ana');
  });
});

describe('authoring the exercise in trainer mode', () => {
  const asTrainer = (service: NestlabService): LabView =>
    opened(service, service.call('lab.open', { id: E1, as: 'trainer' }));

  it('"Try it" checks one objective on the lab as it is, without keeping it', async () => {
    const service = new NestlabService(library);
    const view = asTrainer(service);
    const reach = { reachable: { from: 'web1', to: '10.0.0.254' } };
    expect(
      await service.call('exercise.try', { objective: { id: 'try', check: reach } }),
    ).toMatchObject({ ok: true, passed: false, message: expect.stringContaining('forged-source') });
    expect(
      await service.call('exercise.try', {
        objective: { id: 'try', check: { unreachable: reach.reachable } },
      }),
    ).toMatchObject({ ok: true, passed: true });
    expect(
      await service.call('exercise.try', { objective: { id: 'try', check: { reachable: {} } } }),
    ).toMatchObject({
      ok: false,
      code: 'invalid-request',
      message: expect.stringMatching(/^check\.reachable\.from: /),
    });
    expect((service.call('lab.current', {}) as LabView).lab.objectives).toEqual(
      view.lab.objectives,
    );
    expect((await status(service)).score.total).toBe(view.lab.objectives.length);
  });

  it('sets objectives as one undoable change; a student is refused with the reason', async () => {
    const service = new NestlabService(library);
    const view = asTrainer(service);
    const objectives = [{ id: 'loop', text: 'No loop', check: { noLoop: true } }];
    const set = service.call('exercise.set', { objectives, actor: 'ana' }) as EditOutcome;
    expect(set.ok).toBe(true);
    if (!set.ok) return;
    expect(set.view.lab.objectives).toEqual([
      { id: 'loop', text: 'No loop', check: { kind: 'noLoop' } },
    ]);
    expect((await status(service)).score).toEqual({ passed: 1, total: 1 });
    const undone = service.call('lab.undo', {}) as EditOutcome;
    expect(undone.ok && undone.view.lab.objectives).toEqual(view.lab.objectives);
    service.call('session.setRole', { role: 'student' });
    expect(service.call('exercise.set', { objectives, actor: 'ana' })).toMatchObject({
      ok: false,
      code: 'locked',
      message: expect.stringContaining('Edit as trainer'),
    });
  });
});

describe('preview as student', () => {
  it('shows the exercise as the trainer authored it in this session, locked as a student gets it', async () => {
    const service = new NestlabService(library);
    opened(service, service.call('lab.open', { id: E1, as: 'trainer' }));
    const objectives = [{ id: 'loop', text: 'No loop', check: { noLoop: true } }];
    service.call('exercise.set', { objectives, student: { edit: 'none' }, actor: 'ana' });
    const preview = service.call('session.setRole', { role: 'student' }) as { view: LabView };
    expect(preview.view.role).toBe('student');
    expect(preview.view.lab.objectives.map((o) => o.id)).toEqual(['loop']);
    expect(preview.view.locks.edits).toContain('vm.setPower');
    expect((await status(service)).objectives.map((o) => o.id)).toEqual(['loop']);
  });

  it("what the preview did as a student is undone by Back to trainer mode: the trainer's lab is as they left it", () => {
    const service = new NestlabService(library);
    const trainer = opened(service, service.call('lab.open', { id: E1, as: 'trainer' }));
    service.call('session.setRole', { role: 'student' });
    fixE1(service);
    service.call('exercise.revealHint', { objective: 'reach' });
    const checkpoint = trainer.lab.checkpoints[0]?.id ?? '';
    service.call('exercise.answer', { checkpoint, choice: 1 });
    const back = service.call('session.setRole', { role: 'trainer' }) as { view: LabView };
    expect(back.view.role).toBe('trainer');
    expect(back.view.lab).toEqual(trainer.lab);
    expect(back.view.exercise).toEqual(trainer.exercise);
    // One Undo brings the preview's lab back, for a trainer who wanted it.
    const undone = service.call('lab.undo', {}) as EditOutcome;
    if (!undone.ok) throw new Error(undone.message);
    expect(undone.view.lab.vms.find((v) => v.id === 'esxi')?.adapters[0]?.promiscuous).toBe(true);
  });
});

describe('a lab file that breaks rules', () => {
  // Parses, but two adapters share a MAC.
  const BROKEN = LOCKED.replace(
    '      - { id: client-nic0, network: lan, mac: "02:00:00:00:00:02", ip: 10.0.0.30/24 }',
    '      - { id: client-nic0, network: lan, mac: "02:00:00:00:00:02", ip: 10.0.0.30/24 }\n      - { id: client-nic1, network: lan, mac: "02:00:00:00:00:02" }',
  );

  it('opens in trainer mode with every problem, nothing of the file changed', () => {
    const service = new NestlabService(library);
    const view = opened(
      service,
      service.call('lab.openText', { text: BROKEN, fileName: 'b.lab.yaml' }),
    );
    expect(view.role).toBe('trainer');
    expect(view.lab.vms[0]?.adapters.map((a) => a.id)).toEqual(['client-nic0', 'client-nic1']);
    const errors = view.violations.filter((v) => v.severity === 'error');
    expect(errors.map((v) => v.code)).toContain('duplicate-mac');
  });

  it('refuses simulation, checks and export with the reason until it is fixed', async () => {
    const service = new NestlabService(library);
    opened(service, service.call('lab.openText', { text: BROKEN, fileName: 'b.lab.yaml' }));
    const off = {
      ok: false,
      code: 'invalid-request',
      message: expect.stringContaining('Problems tab'),
    };
    expect(await service.call('traffic.run', {})).toMatchObject(off);
    expect(await service.call('exercise.status', {})).toMatchObject(off);
    expect(service.call('lab.export', {})).toMatchObject(off);
    // The fix, through the api as the Problems tab's controls make it.
    expect(service.call('adapter.remove', { adapter: 'client-nic1', actor: 'ana' })).toMatchObject({
      ok: true,
    });
    expect(service.call('lab.export', {})).toMatchObject({ ok: true });
    expect(await service.call('exercise.status', {})).toMatchObject({ ok: true });
  });
});

describe('what a student does to the exercise stays graded, not broken', () => {
  it('removing a VM the script names keeps simulation and checks on, and the lab in student mode after reopening', async () => {
    const service = new NestlabService(library);
    opened(service, service.call('lab.open', { id: E1 }));
    expect(service.call('vm.remove', { vm: 'web1', actor: 'ana' })).toMatchObject({ ok: true });
    expect(await service.call('traffic.run', {})).toMatchObject({ ok: true });
    expect(await service.call('exercise.status', {})).toMatchObject({ ok: true });
    const again = opened(service, service.call('lab.open', { id: E1 }));
    expect(again.role).toBe('student');
  });
});

describe('Try it answers for the objective as written', () => {
  it('refuses a student, and says what is wrong with a mistyped value or an unknown VM', async () => {
    const service = new NestlabService(library);
    opened(service, service.call('lab.open', { id: E1 }));
    const objective = { id: 't', check: { config: { vm: 'esxi', power: 'off' } } };
    expect(await service.call('exercise.try', { objective })).toMatchObject({
      ok: false,
      code: 'locked',
    });
    service.call('session.setRole', { role: 'trainer' });
    expect(await service.call('exercise.try', { objective })).toMatchObject({
      ok: false,
      message: expect.stringMatching(/^check\.config\.power: /),
    });
    expect(
      await service.call('exercise.try', {
        objective: { id: 't', check: { reachable: { from: 'ghost', to: 'web1' } } },
      }),
    ).toMatchObject({ ok: false, code: 'not-found' });
  });
});

describe('a file that gives one id to two things', () => {
  it('is refused with the findings and what to do; the open lab stays', () => {
    const service = new NestlabService(library);
    const before = opened(service, service.call('lab.open', { id: E1 }));
    const twice = LOCKED.replace('  - { name: ben, role: user }', '  - { name: ana, role: user }');
    const result = service.call('lab.openText', {
      text: twice,
      fileName: 't.lab.yaml',
    }) as OpenResult;
    expect(result).toMatchObject({
      ok: false,
      message: expect.stringContaining('rename one of each pair'),
    });
    expect(!result.ok && result.violations.map((v) => v.code)).toContain('duplicate-id');
    expect((service.call('lab.current', {}) as LabView).session).toBe(before.session);
  });
});
