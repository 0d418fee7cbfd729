/**
 * The service that implements the contract: it holds the open attempt's lab, applies edits
 * through the rules, and tells listeners when the lab changed. It is pure (no disk, no
 * socket): the hosts inject the built-in labs and a `Persistence` (the SQLite store, or
 * memory by default). Every argument is re-validated here.
 *
 * Autosave guarantee: an accepted edit (and an undo, a redo, a traffic step's edits) is
 * written through `Persistence.recordChange` in its own transaction before the service
 * changes its state, emits `lab.changed` or answers; if the write fails, the edit is not
 * applied and the answer says so. Undo and redo read the stored history, so they work
 * across restarts; the open lab is reopened when the service starts.
 *
 * The simulation runs in a `SimRunner` (sim-runner.ts): off the request thread when the host
 * gives a worker runner, so a long run never stops the service answering. Its entries answer
 * with a Promise; so does anything that changes the lab (an edit, undo, opening a lab) while a
 * simulation request is under way: such calls wait their turn in one lane, so a run and the
 * edits around it apply in the order they were asked. Reads are answered at once, whatever
 * runs. Opening another lab cancels the simulation work in flight; so does `traffic.cancel`.
 */
import { checkInput } from '../common/schema-problems';
import type { Lab, RuleCode, RuleError, Violation } from '../model';
import { ruleError } from '../model';
import { validateLab } from '../lab/validate';
import { serializeLab } from '../lab/serialize';
import { applyEdit, isTopology } from '../rules/apply';
import { parseCommand } from '../rules/commands';
import { promiscuousFace } from '../rules/permissions';
import { isCommandType, type CommandType } from '../rules/commands';
import {
  querySchemas,
  type ApiEvents,
  type EditOutcome,
  type ExportResult,
  type LabSummary,
  type LabView,
  type OpenResult,
  type QueryResults,
} from './contract';
import type { DuplicateChoice, ImportResult } from './library-contract';
import { Library, parseSource, type ParsedSource } from './library-service';
import { memoryPersistence } from './memory-persistence';
import type {
  HistoryMark,
  LabChange,
  OpenedAttempt,
  Persistence,
  SettingValue,
  Travelled,
} from './persistence';
import { keepUnchanged } from './keep-unchanged';
import { isContractName, type ContractName } from './names';
import type { StepsOutcome } from './traffic-session';
import { isSimEntry, LocalSimRunner, noLab, type SimEntry, type SimRunner } from './sim-runner';
import { dissectFrame } from '../wire/dissect';
import {
  lockedEdits,
  lockReason,
  studentActors,
  studentMay,
  type SessionRole,
} from '../rules/student';
import { composeAttempt } from '../lab/grade';
import { NO_EXERCISE, type ExerciseState } from './persistence';
import type { CheckpointJudged, GradeOutcome } from './traffic-session';
import type {
  Authoring,
  CheckpointVerdict,
  ExerciseStatus,
  SessionLocks,
  TryResult,
} from './contract';
import { exerciseToPlain } from '../lab/plain';
import { DROP_REASONS } from '../sim/types';
import { buildExercise } from '../lab/parse';
import { ClassGrading, type TrainerSource } from './class-grading';

/** Where built-in labs come from; core/node implements it over the labs folder. */
export interface LabLibrary {
  list(): readonly LabSummary[];
  read(id: string): { readonly text: string; readonly fileName: string } | undefined;
}

export interface ServiceOptions {
  /** Where work is kept; memory when absent (nothing survives the process). */
  readonly persistence?: Persistence;
  /** Milliseconds since the epoch; the hosts pass `Date.now` (pure core reads no clock). */
  readonly clock?: () => number;
  /** Where the simulation runs; in this thread when absent. */
  readonly simRunner?: SimRunner;
  /**
   * Where the objectives' checks run (`exercise.status`), beside the traffic so a check never
   * makes a student's ping wait: a second worker in the hosts; in this thread when absent.
   */
  readonly gradeRunner?: SimRunner;
}

/** Calls that change the lab or which lab is open: they wait behind simulation work. */
const LAB_WRITES: ReadonlySet<string> = new Set([
  'lab.open',
  'lab.openText',
  'lab.import',
  'attempt.restart',
  'lab.undo',
  'lab.redo',
]);

/** Of those, the ones that leave the open lab: the simulation work in flight is moot. */
const LAB_SWITCHES: ReadonlySet<string> = new Set([
  'lab.open',
  'lab.openText',
  'lab.import',
  'attempt.restart',
]);

type Listener = <E extends keyof ApiEvents>(event: E, payload: ApiEvents[E]) => void;

interface OpenAttempt {
  readonly labId: string;
  readonly attemptId: number;
  /** Whose attempt: a student's, or a trainer's authoring. */
  readonly attemptRole: SessionRole;
  readonly title: string;
  readonly fileName: string;
  /** The trainer's lab from the library's file, parsed when first needed (null: none valid). */
  trainer?: Lab | null;
}

/** The service's own setting: which lab to reopen at start. */
const OPEN_LAB_KEY = 'session.openLab';
/** Whose attempt of that lab was open (a trainer's reopens in trainer mode). */
const OPEN_ROLE_KEY = 'session.openRole';

export class NestlabService {
  private lab: Lab | null = null;
  private open: OpenAttempt | null = null;
  /** How many rules the lab value last checked breaks (see brokenRules). */
  /** The open lab value last validated and what it breaks (the view and brokenRules share it). */
  private checked: { readonly lab: Lab; readonly violations: readonly Violation[] } | null = null;
  private history: HistoryMark = { canUndo: false, canRedo: false };
  /** Student (the default for an opened lab) or trainer. */
  private role: SessionRole = 'student';
  private exercise: ExerciseState = NO_EXERCISE;
  private readonly runner: SimRunner;
  private readonly grader: SimRunner;
  /** The last check's verdicts and the parts of the lab they were for (see exerciseStatus). */
  private lastGraded: {
    readonly parts: readonly unknown[];
    readonly keyLab: Lab | undefined;
    readonly value: GradeOutcome;
  } | null = null;
  /** The checks' own lane: the last one settles when every earlier check has. */
  private statusTail: Promise<unknown> = Promise.resolve();
  /** The answer key of a trainer's lab (a student's checks run its script once). */
  private keyOf: { readonly lab: Lab; readonly key: readonly CheckpointJudged[] } | null = null;
  /** Preview as student under way: the trainer's lab and answers to come back to. */
  private preview: { readonly lab: Lab; readonly exercise: ExerciseState } | null = null;
  /** `traffic.cancel`s so far: a run's reply stops waiting for its answer key at one. */
  private cancels = 0;
  /** Whether the runner has a simulation on the open lab (else the next request opens one). */
  private simOpen = false;
  /** The lane: the last call in it settles when every call before it has. */
  private tail: Promise<unknown> = Promise.resolve();
  private inLane = 0;
  private revision = 0;
  /** Counts the attempts shown (opened, restarted, reopened): a new one starts every view afresh. */
  private session = 0;
  private readonly listeners = new Set<Listener>();
  private readonly store: Persistence;
  private readonly library: Library;
  /** "Grade a class": attempt files graded as `nestlab grade` grades them. */
  private readonly classGrading = new ClassGrading((labId) => this.gradingSource(labId));
  private readonly now: () => number;

  constructor(builtIns: LabLibrary, options: ServiceOptions = {}) {
    this.store = options.persistence ?? memoryPersistence();
    this.runner = options.simRunner ?? new LocalSimRunner();
    this.grader = options.gradeRunner ?? new LocalSimRunner();
    let tick = 0;
    this.now = options.clock ?? (() => ++tick);
    this.library = new Library(builtIns, this.store, this.now);
    this.reopen();
  }

  onEvent(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * The one door: untrusted name and arguments in, a result value out, or a Promise of it for
   * the simulation's entries and for lab changes that wait behind them (see the top).
   */
  call(name: unknown, args: unknown): unknown {
    if (!isContractName(name))
      return ruleError('invalid-request', 'P6', `Unknown api entry ${JSON.stringify(name)}.`);
    if (name === 'traffic.cancel') {
      this.runner.cancel();
      // A run's reply waiting for the answer key stops waiting for a newer check.
      this.cancels += 1;
      return { ok: true };
    }
    if (isSimEntry(name)) {
      const valid = validArgs(name, args);
      if ('error' in valid) return valid.error;
      if (name === 'exercise.status') return this.checkLane();
      if (name === 'exercise.try') return this.tryLane(valid.args.objective);
      if (name === 'traffic.run' && this.lab) {
        // An ad-hoc edit step is an edit: in student mode it is bound like one.
        const edit = stepEdit(valid.args.step, this.lab.actingUser);
        const allowed = edit && studentMay(this.lab, this.role, edit.actor, edit.command);
        if (allowed && !allowed.ok) return allowed;
      }
      return this.queued(() => this.simRequest(name, valid.args));
    }
    if (!isCommandType(name) && !LAB_WRITES.has(name)) return this.query(name, args);
    if (LAB_SWITCHES.has(name)) {
      this.runner.cancel();
      this.grader.cancel();
    }
    const now = (): unknown =>
      isCommandType(name) ? this.edit(name, args) : this.query(name, args);
    return this.inLane > 0 ? this.queued(now) : now();
  }

  /** Runs `work` once every call queued before it has settled. */
  private queued<T>(work: () => T | Promise<T>): Promise<T> {
    this.inLane++;
    const result = this.tail.then(work);
    this.tail = result.then(
      () => this.inLane--,
      () => this.inLane--,
    );
    return result;
  }

  private query(name: ContractName, args: unknown): unknown {
    if (!(name in querySchemas))
      return ruleError('invalid-request', 'P6', `Unknown api entry "${name}".`);
    const valid = validArgs(name, args);
    if ('error' in valid) return valid.error;
    const a = valid.args;
    const text = (key: string): string => String(a[key] ?? '');
    if (name === 'sim.dissect') return dissectFrame(hexBytes(text('hex')));
    switch (name as keyof QueryResults) {
      case 'labs.list':
        return this.library.records().map(({ id, title, description, fileName }) => ({
          id,
          title,
          description,
          fileName,
        }));
      case 'library.list':
        return this.library.listing(this.open && this.lab && { ...this.open, lab: this.lab });
      case 'lab.open':
        return this.openLab(text('id'), roleOf(a.as));
      case 'lab.openText':
        return this.openText(text('text'), String(a.fileName ?? 'untitled.lab.yaml'), roleOf(a.as));
      case 'lab.import':
        return this.importLab(
          text('text'),
          text('fileName'),
          typeof a.path === 'string' ? a.path : null,
          (a.onDuplicate as DuplicateChoice | undefined) ?? 'ask',
          roleOf(a.as),
        );
      case 'attempt.restart':
        return this.restart(text('id'), roleOf(a.as));
      case 'session.setRole':
        return this.setRole(roleOf(a.role));
      case 'exercise.revealHint':
        return this.revealHint(text('objective'));
      case 'exercise.answer':
        return this.answer(text('checkpoint'), Number(a.choice));
      case 'grade.attempt':
        return this.classGrading.grade({
          lab: text('lab'),
          fileName: text('fileName'),
          text: text('text'),
          ...(typeof a.size === 'number' ? { size: a.size } : {}),
        });
      case 'attempt.export':
        return this.exportAttempt();
      case 'settings.get':
        return this.store.settings('ui.');
      case 'settings.set':
        return this.setSetting(text('key'), a.value as SettingValue);
      case 'lab.current':
        return this.view();
      case 'lab.export':
        return this.exportLab();
      case 'lab.validate':
        return this.lab ? this.violationsOf(this.lab) : [];
      case 'lab.undo':
        return this.travel('undo');
      case 'lab.redo':
        return this.travel('redo');
      case 'promiscuous.face':
        return this.lab ? promiscuousFace(this.lab, text('actor'), text('adapter')) : noLab();
    }
    return ruleError('invalid-request', 'P6', `Unknown api entry "${name}".`);
  }

  /** One simulation entry through the runner. A run's script edits stay in the run. */
  private async simRequest(name: SimEntry, a: Record<string, unknown>): Promise<unknown> {
    const lab = this.lab;
    if (!lab) return noLab();
    const broken = this.brokenRules();
    if (broken) return broken;
    if (!this.simOpen) {
      this.runner.open(lab);
      this.simOpen = true;
    }
    let value: unknown;
    try {
      value = await this.runner.request(name, a);
    } catch (error) {
      this.simOpen = false;
      return simFailed(error);
    }
    return name === 'traffic.run' ? this.afterRun(value as StepsOutcome) : value;
  }

  /**
   * A run's reply, its checkpoints' answers judged by the answer key `nestlab grade` uses (the
   * trainer's lab as handed out), with what happened in this run beside it.
   */
  private async afterRun(outcome: StepsOutcome): Promise<unknown> {
    if (!outcome.ok) return outcome;
    const { steps, frames, packets, moves, notices, runEdited } = outcome;
    const key = outcome.checkpoints.length > 0 ? await this.answerKey() : undefined;
    const checkpoints = outcome.checkpoints.map((c) => this.verdict(c, key));
    return {
      ok: true,
      steps,
      view: this.view(),
      frames,
      packets,
      moves,
      notices,
      checkpoints,
      runEdited,
    };
  }

  /**
   * A checkpoint judged on a run (`judged`: the choices that describe what happened) and the
   * student's answer judged by the answer key (`key`, the trainer's lab as handed out; without
   * one, the run itself is the key).
   */
  private verdict(judged: CheckpointJudged, key?: readonly CheckpointJudged[]): CheckpointVerdict {
    const answers = this.exercise.answers;
    // An id such as `constructor` must not find Object.prototype's.
    const answer = Object.hasOwn(answers, judged.id) ? answers[judged.id] : undefined;
    const right = key?.find((k) => k.id === judged.id)?.rightChoices ?? judged.rightChoices;
    return {
      id: judged.id,
      rightChoices: right,
      happened: judged.rightChoices,
      answer: answer ?? null,
      correct: answer === undefined ? null : right.includes(answer),
    };
  }

  /**
   * A check in the checks' lane. A newer check makes the one under way moot (the lab has
   * changed since it started): that one is cancelled and answers with what it has.
   */
  private checkLane(): Promise<ExerciseStatus> {
    this.grader.cancel();
    const result = this.statusTail.then(() => this.exerciseStatus());
    this.statusTail = result.catch(() => undefined);
    return result;
  }

  /**
   * "Try it": one objective, in the file's form, checked on the open lab (its script run first,
   * as for every objective) in the checks' lane, without becoming part of the lab.
   */
  private tryLane(objective: unknown): Promise<TryResult> {
    const result = this.statusTail.then(() => this.tryObjective(objective));
    this.statusTail = result.catch(() => undefined);
    return result;
  }

  private async tryObjective(objective: unknown): Promise<TryResult> {
    const lab = this.lab;
    if (!lab) return noLab();
    if (this.role !== 'trainer')
      return ruleError(
        'locked',
        'student',
        'Trying an objective is for the trainer writing it: open the lab with Edit as trainer.',
      );
    const broken = this.brokenRules();
    if (broken) return broken;
    const read = buildExercise({ objectives: [objective] }, lab.actingUser);
    if (!read.ok) {
      const first = read.violations[0];
      const where = first?.path.replace(/^objectives\[0\]\.?/, '');
      return ruleError(
        'invalid-request',
        'format',
        `${where ? `${where}: ` : ''}${first?.message ?? 'This objective is not valid.'}`,
      );
    }
    const trial = read.keys.objectives ?? [];
    const trialLab: Lab = { ...lab, objectives: trial, checkpoints: [] };
    // Try it answers for the objective as written: any problem of it (an unknown VM, a value of
    // the wrong type) is the answer, not a verdict of "not met".
    const problem = validateLab(trialLab).find(
      (v) => v.severity === 'error' && v.path.startsWith('objectives[0]'),
    );
    if (problem) {
      const where = problem.path.replace(/^objectives\[0\]\.?/, '');
      return ruleError(
        problem.code as RuleCode,
        problem.rule,
        `${where ? `${where}: ` : ''}${problem.message}`,
      );
    }
    this.grader.open(trialLab);
    let value: GradeOutcome | RuleError;
    try {
      value = (await this.grader.request('exercise.status', {})) as GradeOutcome | RuleError;
    } catch (error) {
      return simFailed(error);
    }
    if (!value.ok) return value;
    if (value.notices.some((n) => n.budget === 'cancelled'))
      return ruleError('invalid-request', 'cancelled', 'The check was cancelled; try again.');
    const report = value.objectives[0];
    if (!report) return ruleError('invalid-request', 'P6', 'The objective gave no verdict.');
    return { ok: true, passed: report.passed, message: report.message };
  }

  /**
   * What a check grades: a student's attempt composed with the trainer's exercise, and the
   * trainer's lab whose run is the checkpoints' answer key (none in trainer mode, where the
   * lab graded is the trainer's own). Unchanged parts are the same objects (keepUnchanged), so
   * a change of positions, a hint shown or an answer given needs no new check.
   */
  private toGrade(
    lab: Lab,
    open: OpenAttempt,
  ): { graded: Lab; keyLab: Lab | undefined; parts: readonly unknown[] } {
    const trainer = this.role === 'trainer' ? lab : (this.trainerLab(open) ?? lab);
    const graded = composeAttempt(trainer, lab);
    return { graded, keyLab: trainer === lab ? undefined : trainer, parts: Object.values(graded) };
  }

  /** Whether the last check's verdicts are for these parts and this answer key. */
  private gradedFor(parts: readonly unknown[], keyLab: Lab | undefined): boolean {
    const last = this.lastGraded;
    return (
      last !== null &&
      last.keyLab === keyLab &&
      last.parts.length === parts.length &&
      last.parts.every((p, i) => p === parts[i])
    );
  }

  /**
   * The checkpoints' answer key as `nestlab grade` computes it (the trainer's lab as handed
   * out), from the last check when it is for the lab as it is now, else from a new one (after
   * any check under way); undefined when no check can give it (the lab breaks a rule).
   */
  private async answerKey(): Promise<readonly CheckpointJudged[] | undefined> {
    const fresh = (): boolean => {
      const { lab, open } = this;
      if (lab === null || open === null) return false;
      const { parts, keyLab } = this.toGrade(lab, open);
      return this.gradedFor(parts, keyLab);
    };
    const cancels = this.cancels;
    // A newer check (the renderer asks for one after each answer) cancels the one started
    // here; it gives the same key when it ends, so wait for it and look again.
    for (let tries = 0; tries < KEY_TRIES && this.cancels === cancels; tries++) {
      await this.statusTail;
      if (fresh()) return this.lastGraded?.value.checkpoints;
      const status = await this.checkLane();
      if (fresh()) return this.lastGraded?.value.checkpoints;
      // A lab that breaks rules has no key to give.
      if (!status.ok && status.rule !== 'cancelled') return undefined;
    }
    return undefined;
  }

  /**
   * The objectives' verdicts as `nestlab grade` gives them: a student's attempt under the
   * trainer's script and objectives (from the library's file); a trainer's lab as it is.
   * Kept with the attempt, so the home card shows the same.
   */
  private async exerciseStatus(): Promise<ExerciseStatus> {
    const lab = this.lab;
    const open = this.open;
    if (!lab || !open) return noLab();
    const broken = this.brokenRules();
    if (broken) return broken;
    const revision = this.revision;
    const { graded, keyLab, parts } = this.toGrade(lab, open);
    const last = this.lastGraded;
    let value: GradeOutcome | RuleError;
    if (this.gradedFor(parts, keyLab)) value = (last as NonNullable<typeof last>).value;
    else {
      // The trainer's lab, and so its key, stays the same while a student works: its script
      // runs once, not with every check.
      const known = keyLab !== undefined && this.keyOf?.lab === keyLab ? this.keyOf.key : undefined;
      this.grader.open(graded);
      try {
        value = (await this.grader.request(
          'exercise.status',
          keyLab && !known ? { key: keyLab } : {},
        )) as GradeOutcome | RuleError;
      } catch (error) {
        return simFailed(error);
      }
      if (!value.ok) return value;
      // Cancelled (a newer check, another lab): verdicts that were not reached are no verdicts.
      if (value.notices.some((n) => n.budget === 'cancelled'))
        return ruleError(
          'invalid-request',
          'cancelled',
          'The check was cancelled; a newer one follows.',
        );
      if (known) value = { ...value, checkpoints: known };
      else if (keyLab) this.keyOf = { lab: keyLab, key: value.checkpoints };
      this.lastGraded = { parts, keyLab, value };
    }
    const hints = new Set(this.exercise.hints);
    const objectives = value.objectives.map((report) => {
      const objective = graded.objectives.find((o) => o.id === report.id);
      return {
        id: report.id,
        ...(report.text !== undefined ? { text: report.text } : {}),
        passed: report.passed,
        message: report.message,
        hasHint: objective?.hint !== undefined,
        hintShown: hints.has(report.id),
      };
    });
    if (this.open === open && this.revision === revision) this.keepProgress(open, objectives);
    return {
      ok: true,
      revision,
      objectives,
      score: value.score,
      checkpoints: value.happened.map((c) => this.verdict(c, value.checkpoints)),
      notices: value.notices,
    };
  }

  /**
   * The lab a class is graded against: the library's file, or the open lab as the trainer has
   * it now (trainer mode, or what "Preview as student" set), as `exercise.status` grades.
   */
  private gradingSource(labId: string): TrainerSource | undefined {
    const source = this.library.source(labId);
    if (!source) return undefined;
    const { title, fileName } = source.record;
    const open = this.open;
    const lab =
      open?.labId === labId && this.lab
        ? this.role === 'trainer'
          ? this.lab
          : open.trainer
        : undefined;
    return lab ? { labId, title, fileName, lab } : { labId, title, fileName, text: source.text };
  }

  private trainerLab(open: OpenAttempt): Lab | null {
    if (open.trainer === undefined) {
      const source = this.store.source(open.labId);
      const parsed = source ? parseSource(source.text, source.record.fileName) : undefined;
      open.trainer = parsed?.ok && parsed.errors === 0 ? parsed.lab : null;
    }
    return open.trainer;
  }

  /** The verdicts, kept with the attempt's current version (what the home card reads). */
  private keepProgress(
    open: OpenAttempt,
    objectives: readonly { readonly id: string; readonly passed: boolean }[],
  ): void {
    const attempt = this.store.activeAttempts().find((a) => a.id === open.attemptId);
    if (!attempt) return;
    try {
      this.store.saveProgress(open.attemptId, attempt.version, objectives, this.now());
    } catch {
      // Progress is recomputed whenever it is read; a failed write loses nothing.
    }
  }

  private setRole(role: SessionRole): { ok: true; view: LabView } | RuleError {
    if (!this.lab) return noLab();
    // Preview as student: the exercise as the trainer has authored it here, not the library's
    // older file, is what the student gets (the trainer saves this one for the class).
    if (this.role === 'trainer' && role === 'student' && this.open) {
      this.open.trainer = this.lab;
      this.preview = { lab: this.lab, exercise: this.exercise };
    } else if (this.role === 'student' && role === 'trainer' && this.preview) {
      const ended = this.endPreview(this.preview);
      if (!ended.ok) return ended;
    }
    this.role = role;
    this.followTrainer();
    if (this.simOpen && this.lab) this.runner.setLab(this.lab);
    this.revision += 1;
    return { ok: true, view: this.changed() };
  }

  /**
   * Back to trainer mode: what the preview did as a student (the fix tried, a hint shown, an
   * answer given) is undone, so the trainer's lab is as they left it. The lab comes back as one
   * change (Undo brings the preview's state back); the answers and hints as they were.
   */
  private endPreview(preview: {
    readonly lab: Lab;
    readonly exercise: ExerciseState;
  }): { ok: true } | RuleError {
    this.preview = null;
    if (this.lab !== null && this.lab !== preview.lab) {
      const saved = this.save({
        before: this.lab,
        after: preview.lab,
        label: 'preview.end',
        actor: null,
      });
      if (!saved.ok) return saved;
    }
    if (this.exercise !== preview.exercise) {
      const kept = this.keepExercise(preview.exercise);
      if (!kept.ok) return kept;
    }
    return { ok: true };
  }

  private revealHint(objective: string): { ok: true; view: LabView } | RuleError {
    const lab = this.lab;
    if (!lab) return noLab();
    if (!lab.objectives.some((o) => o.id === objective && o.hint !== undefined))
      return ruleError('not-found', 'P6', `The lab has no objective "${objective}" with a hint.`);
    if (this.exercise.hints.includes(objective)) return { ok: true, view: this.changed() };
    return this.keepExercise({ ...this.exercise, hints: [...this.exercise.hints, objective] });
  }

  private answer(checkpoint: string, choice: number): { ok: true; view: LabView } | RuleError {
    const lab = this.lab;
    if (!lab) return noLab();
    const found = lab.checkpoints.find((c) => c.id === checkpoint);
    if (!found) return ruleError('not-found', 'P6', `The lab has no checkpoint "${checkpoint}".`);
    if (choice >= found.choices.length)
      return ruleError(
        'invalid-request',
        'P6',
        `Checkpoint "${checkpoint}" has ${found.choices.length} choices; there is no choice ${choice + 1}.`,
      );
    // The first answer counts: a prediction changed after seeing the step is no prediction.
    if (Object.hasOwn(this.exercise.answers, checkpoint)) return { ok: true, view: this.changed() };
    const answers = { ...this.exercise.answers, [checkpoint]: choice };
    return this.keepExercise({ ...this.exercise, answers });
  }

  private keepExercise(exercise: ExerciseState): { ok: true; view: LabView } | RuleError {
    const open = this.open;
    if (!open) return noLab();
    try {
      this.store.saveExercise(open.attemptId, exercise, this.now());
    } catch (error) {
      return this.notSaved(error);
    }
    this.exercise = exercise;
    this.revision += 1;
    this.emit('attempt.saved', { ok: true, durable: this.store.durable, at: this.now() });
    return { ok: true, view: this.changed() };
  }

  /**
   * Reopens the attempt that was open when the service last ran, quietly: a student's in
   * student mode, a trainer's (authoring, a new lab) in trainer mode.
   */
  private reopen(): void {
    const labId = this.store.setting(OPEN_LAB_KEY);
    if (typeof labId !== 'string') return;
    const source = this.store.source(labId);
    if (!source) return;
    const role = roleOf(this.store.setting(OPEN_ROLE_KEY));
    const started = this.store.activeAttempts().some((a) => a.labId === labId && a.role === role);
    const parsed = parseSource(source.text, source.record.fileName);
    if (!started && !parsed.ok) return;
    const opened = this.store.openAttempt(
      labId,
      () => startAs(startOf(parsed), role),
      this.now(),
      role,
    );
    this.show(labId, source.record.title, source.record.fileName, opened);
    this.role = this.brokenRules() ? 'trainer' : role;
    this.followTrainer();
  }

  /** The rules and format `lab` breaks, validated once per lab value. */
  private violationsOf(lab: Lab): readonly Violation[] {
    if (this.checked?.lab !== lab) this.checked = { lab, violations: validateLab(lab) };
    return this.checked.violations;
  }

  /**
   * Why the open lab cannot be simulated or checked: the platform's rules its topology breaks
   * (only a file can bring those: an edit that would is refused). With `all`, why it cannot be
   * exported for students: any error, the exercise's too. The Problems tab lists each; counted
   * once per lab value.
   */
  private brokenRules(scope: 'topology' | 'all' = 'topology'): RuleError | undefined {
    const lab = this.lab;
    if (!lab) return undefined;
    const all = this.violationsOf(lab).filter((v) => v.severity === 'error');
    const errors = scope === 'all' ? all.length : all.filter(isTopology).length;
    if (errors === 0) return undefined;
    const rules = `${errors} rule${errors === 1 ? '' : 's'}`;
    const fixed = errors === 1 ? 'it is' : 'they are';
    return ruleError(
      'invalid-request',
      'P6',
      scope === 'all'
        ? `This lab breaks ${rules}: saving it for students is off until ${fixed} fixed. Open the Problems tab and fix each one.`
        : `This lab breaks ${rules}: simulation and checks are off until ${fixed} fixed. Open the Problems tab and fix each one.`,
    );
  }

  /**
   * In student mode the exercise is the trainer's file as it is now: its script, objectives
   * (with hints), checkpoints, student policy and limits replace the attempt's copy, which may
   * be older (an attempt started before the file changed). The topology stays the student's.
   * Nothing is saved: it is what the student works against, as `nestlab grade` grades.
   */
  private followTrainer(): void {
    const lab = this.lab;
    const open = this.open;
    if (this.role !== 'student' || !lab || !open) return;
    const trainer = this.trainerLab(open);
    if (!trainer) return;
    const keys = ['traffic', 'objectives', 'checkpoints', 'student', 'sim'] as const;
    const stale = keys.filter(
      (k) => lab[k] !== trainer[k] && JSON.stringify(lab[k]) !== JSON.stringify(trainer[k]),
    );
    if (stale.length === 0) return;
    const next: Lab = { ...lab };
    for (const k of stale) Object.assign(next, { [k]: trainer[k] });
    this.lab = next;
  }

  /**
   * Continues the lab's attempt, or starts one from the lab's file. The file is parsed only
   * to start an attempt, and not at all when the caller has just parsed it (an import):
   * parsing a 1,000-node lab takes a few hundred milliseconds.
   */
  private openLab(labId: string, asked: SessionRole, parsedSource?: ParsedSource): OpenResult {
    const source = this.library.source(labId);
    if (!source)
      return { ok: false, message: `There is no lab "${labId}" in the library.`, violations: [] };
    const { record } = source;
    const startedAs = (role: SessionRole): boolean =>
      this.store.activeAttempts().some((a) => a.labId === labId && a.role === role);
    let role = asked;
    let started = startedAs(role);
    let parsed: ParsedSource | undefined = parsedSource;
    const parse = (): ParsedSource => (parsed ??= parseSource(source.text, record.fileName));
    if (!started) {
      const checked = parse();
      if (!checked.ok) return checked;
      // A file that breaks rules opens to be fixed, in trainer mode: in the trainer's attempt,
      // so the fixes never land in a student's.
      if (checked.errors > 0 && role === 'student') {
        role = 'trainer';
        started = startedAs(role);
      }
    }
    let opened = this.store.openAttempt(
      labId,
      () => startAs(startOf(parse()), role),
      this.now(),
      role,
    );
    if (!started) opened = this.adoptAnswers(opened);
    // Parsed here only when the attempt started now (or an import just parsed it).
    const fileBroken = parsed?.ok === true && parsed.errors > 0;
    return {
      ok: true,
      view: this.enter(labId, record.title, record.fileName, opened, role, fileBroken),
    };
  }

  /**
   * An attempt started from a saved attempt file (a student moving their work, a trainer
   * opening it) carries on with the file's answers and hints, so the first answer still counts
   * and the next export keeps them. Only those that name a checkpoint (and one of its choices)
   * or an objective of the lab are taken; a Restart starts with none.
   */
  private adoptAnswers(opened: OpenedAttempt): OpenedAttempt {
    const saved = opened.lab.attempt;
    if (saved === undefined) return opened;
    const { checkpoints, objectives } = opened.lab;
    // An answer naming no choice (past the last: a warning of the file) is no answer here.
    const answers = Object.fromEntries(
      Object.entries(saved.answers).filter(([id, choice]) =>
        checkpoints.some((c) => c.id === id && choice < c.choices.length),
      ),
    );
    const hints = saved.hints.filter((id) => objectives.some((o) => o.id === id));
    if (Object.keys(answers).length === 0 && hints.length === 0) return opened;
    const exercise = { answers, hints };
    try {
      this.store.saveExercise(opened.attempt.id, exercise, this.now());
    } catch {
      // Not kept (a full disk): the attempt opens without them, as before this change.
      return opened;
    }
    return { ...opened, attempt: { ...opened.attempt, exercise } };
  }

  private restart(labId: string, role: SessionRole): OpenResult {
    const source = this.library.source(labId);
    if (!source)
      return { ok: false, message: `There is no lab "${labId}" in the library.`, violations: [] };
    const parsed = parseSource(source.text, source.record.fileName);
    if (!parsed.ok) return parsed;
    const opened = this.store.restartAttempt(labId, startAs(parsed.lab, role), this.now(), role);
    return {
      ok: true,
      view: this.enter(
        labId,
        source.record.title,
        source.record.fileName,
        opened,
        role,
        parsed.errors > 0,
      ),
    };
  }

  private importLab(
    text: string,
    fileName: string,
    path: string | null,
    choice: DuplicateChoice,
    role: SessionRole,
  ): ImportResult {
    const imported = this.library.importFile(text, fileName, path, choice);
    if (!imported.ok) return imported;
    const opened = this.openLab(imported.labId, role, imported.parsed);
    if (!opened.ok) throw new Error(`An imported lab did not open: ${opened.message}`);
    return { ok: true, labId: imported.labId, view: opened.view };
  }

  /**
   * The older door for a lab file (the sidebar's "Open file…"): imports it without asking,
   * as `keep-both` would. The home screen's Import uses `lab.import`, which asks.
   */
  openText(text: string, fileName: string, role: SessionRole = 'student'): OpenResult {
    const result = this.importLab(text, fileName, null, 'keep-both', role);
    if (result.ok) return { ok: true, view: result.view };
    return {
      ok: false,
      message: result.message,
      violations: 'violations' in result ? result.violations : [],
    };
  }

  private enter(
    labId: string,
    title: string,
    fileName: string,
    opened: OpenedAttempt,
    role: SessionRole,
    fileBroken = false,
  ): LabView {
    this.show(labId, title, fileName, opened);
    // A file that breaks rules opens to be fixed: in trainer mode, whoever asked. (A student's
    // own attempt cannot break the topology, and what it does to the exercise is graded.)
    this.role = fileBroken || this.brokenRules() ? 'trainer' : role;
    this.followTrainer();
    this.store.setSetting(OPEN_LAB_KEY, labId);
    this.store.setSetting(OPEN_ROLE_KEY, opened.attempt.role);
    const view = this.changed();
    this.emit('attempt.opened', { labId, title });
    return view;
  }

  private show(labId: string, title: string, fileName: string, opened: OpenedAttempt): void {
    this.open = {
      labId,
      attemptId: opened.attempt.id,
      attemptRole: opened.attempt.role,
      title,
      fileName,
    };
    this.lab = opened.lab;
    this.history = opened.history;
    this.exercise = opened.attempt.exercise;
    this.role = 'student';
    this.preview = null;
    this.session += 1;
    this.simOpen = false;
    this.revision += 1;
  }

  private edit(name: string, args: unknown): EditOutcome {
    const lab = this.lab;
    if (!lab) return noLab();
    const { actor, ...rest } = (typeof args === 'object' && args !== null ? args : {}) as Record<
      string,
      unknown
    >;
    if (typeof actor !== 'string')
      return ruleError('invalid-request', 'P6', `${name} needs the acting user (actor).`);
    const command = parseCommand(name, rest, lab.actingUser);
    if (!command.ok) return command;
    const allowed = studentMay(lab, this.role, actor, command.command);
    if (!allowed.ok) return allowed;
    const result = applyEdit(lab, actor, command.command);
    if (!result.ok) return result;
    // What the edit left alone stays the same objects, so saving its patch is cheap.
    const after = keepUnchanged(lab, result.lab);
    return this.save({ before: lab, after, label: name, actor });
  }

  /**
   * Writes the change, and only then makes it current and says so. `toRunner` is false when
   * the change came from the runner's own run, whose simulation has it already.
   */
  private save(change: LabChange, toRunner = true): EditOutcome {
    const open = this.open;
    if (!open) return noLab();
    let mark: HistoryMark;
    try {
      mark = this.store.recordChange(open.attemptId, change, this.now());
    } catch (error) {
      return this.notSaved(error);
    }
    this.setCurrent(change.after, mark, toRunner);
    return { ok: true, view: this.changed() };
  }

  private travel(what: 'undo' | 'redo'): EditOutcome {
    const open = this.open;
    const lab = this.lab;
    if (!open || !lab) return noLab();
    let moved: Travelled | undefined;
    try {
      moved = this.store[what](open.attemptId, lab, this.now());
    } catch (error) {
      return this.notSaved(error);
    }
    if (!moved) return ruleError('invalid-request', 'P6', `There is nothing to ${what}.`);
    this.setCurrent(moved.lab, moved.history);
    return { ok: true, view: this.changed() };
  }

  private setCurrent(next: Lab, history: HistoryMark, toRunner = true): void {
    this.lab = next;
    this.history = history;
    if (this.simOpen && toRunner) this.runner.setLab(next);
    this.revision += 1;
    this.emit('attempt.saved', { ok: true, durable: this.store.durable, at: this.now() });
  }

  private notSaved(error: unknown): RuleError {
    const why = error instanceof Error ? error.message : String(error);
    const message = `Your change could not be saved, so it was not made: ${why}`;
    this.emit('attempt.saved', { ok: false, message });
    // RuleCode has no storage code yet; `rule: 'store'` tells this apart from a rule refusal.
    return ruleError('invalid-request', 'store', message);
  }

  private setSetting(key: string, value: SettingValue): { ok: true } | RuleError {
    if (JSON.stringify(value).length > 64 * 1024)
      return ruleError('invalid-request', 'P6', `The value of ${key} is larger than 64 KB.`);
    try {
      this.store.setSetting(key, value);
    } catch (error) {
      return this.notSaved(error);
    }
    return { ok: true };
  }

  private exportLab(): ExportResult {
    if (!this.lab || !this.open) return noLab();
    const broken = this.brokenRules('all');
    if (broken) return broken;
    return { ok: true, text: serializeLab(this.lab), fileName: this.open.fileName };
  }

  /** The attempt as a lab file for `nestlab grade`, with where it came from in comments. */
  private exportAttempt(): ExportResult {
    if (!this.lab || !this.open) return noLab();
    const { labId, title } = this.open;
    const hash = this.store.source(labId)?.record.sourceHash.slice(0, 16) ?? 'unknown';
    const header = [
      `# Nestlab attempt at "${title.replace(/[\r\n]/g, ' ')}" (lab ${labId}, source ${hash}).`,
      `# Exported ${new Date(this.now()).toISOString()}. Grade it with:`,
      `#   nestlab grade TRAINER.lab.yaml ${labId}.attempt.lab.yaml`,
    ].join('\n');
    const attempt = { answers: this.exercise.answers, hints: this.exercise.hints };
    return {
      ok: true,
      text: `${header}\n${serializeLab({ ...this.lab, attempt })}`,
      fileName: `${labId}.attempt.lab.yaml`,
    };
  }

  view(): LabView | null {
    if (!this.lab || !this.open) return null;
    return {
      lab: this.lab,
      revision: this.revision,
      fileName: this.open.fileName,
      violations: this.violationsOf(this.lab),
      canUndo: this.history.canUndo,
      canRedo: this.history.canRedo,
      session: this.session,
      role: this.role,
      locks: this.locks(this.lab),
      exercise: this.exercise,
      ...(this.role === 'trainer' && { authoring: authoringOf(this.lab) }),
    };
  }

  private locks(lab: Lab): SessionLocks {
    if (this.role === 'trainer')
      return { edits: [], reason: '', actors: lab.users.map((u) => u.name) };
    return {
      edits: lockedEdits(lab.student),
      reason: lockReason(lab.student),
      actors: studentActors(lab),
    };
  }

  private changed(): LabView {
    const view = this.view();
    if (!view) throw new Error('changed() without a lab');
    this.emit('lab.changed', view);
    return view;
  }

  private emit<E extends keyof ApiEvents>(event: E, payload: ApiEvents[E]): void {
    for (const listener of this.listeners) listener(event, payload);
  }
}

/** The edit an ad-hoc traffic step makes (lab-format.md's edit steps), with who makes it. */
function stepEdit(
  step: unknown,
  actingUser: string,
): { actor: string; command: { type: CommandType; user?: string } } | null {
  if (typeof step !== 'object' || step === null) return null;
  const entries = Object.entries(step as Record<string, unknown>);
  if (entries.length !== 1) return null;
  const [kind, body] = entries[0] as [string, unknown];
  const fields = (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>;
  const actor = typeof fields.actor === 'string' ? fields.actor : actingUser;
  const type: CommandType | null =
    kind === 'power'
      ? 'vm.setPower'
      : kind === 'request'
        ? 'account.request'
        : kind === 'approve'
          ? 'account.approve'
          : kind === 'deny'
            ? 'account.deny'
            : kind === 'set'
              ? fields.adapter !== undefined
                ? 'adapter.setPromiscuous'
                : fields.user !== undefined
                  ? 'user.setPermission'
                  : 'vm.setNestedVirtualization'
              : null;
  return type === null ? null : { actor, command: { type } };
}

/** What the trainer's exercise editors start from: the lab file's own form of the exercise. */
function authoringOf(lab: Lab): Authoring {
  return { exercise: exerciseToPlain(lab), dropReasons: DROP_REASONS };
}

/** How many checks a run's reply waits through for its answer key before judging without. */
const KEY_TRIES = 4;

function roleOf(value: unknown): SessionRole {
  return value === 'trainer' ? 'trainer' : 'student';
}

function startOf(parsed: ReturnType<typeof parseSource>): Lab {
  if (!parsed.ok) throw new Error(`A lab that is not valid cannot start: ${parsed.message}`);
  return parsed.lab;
}

/**
 * A student's attempt starts acting as a user the lab lets students act as: a file whose
 * `actingUser` is outside `student.actAs` (a warning of `nestlab check`) would otherwise have
 * every edit refused until the student found the selector. A trainer's starts as the file is.
 */
function startAs(lab: Lab, role: SessionRole): Lab {
  const allowed = lab.student.actAs;
  if (role !== 'student' || allowed === undefined || allowed.includes(lab.actingUser)) return lab;
  const first = allowed.find((name) => lab.users.some((u) => u.name === name));
  return first === undefined ? lab : { ...lab, actingUser: first };
}

/** The schema let only pairs of hex digits through. */
function hexBytes(text: string): Uint8Array {
  const out = new Uint8Array(text.length >> 1);
  for (let i = 0; i < out.length; i++) out[i] = Number.parseInt(text.slice(2 * i, 2 * i + 2), 16);
  return out;
}

/** A query's arguments checked against its schema (a renderer is not trusted). */
function validArgs(
  name: ContractName,
  args: unknown,
): { readonly args: Record<string, unknown> } | { readonly error: RuleError } {
  const schema = querySchemas[name as keyof typeof querySchemas];
  const parsed = checkInput(schema, args ?? {});
  if (parsed.ok) return { args: parsed.value as Record<string, unknown> };
  const why = parsed.problems[0]?.message ?? 'invalid';
  return { error: ruleError('invalid-request', 'P6', `Bad arguments for ${name}: ${why}.`) };
}

/** The runner failed (a worker that ran out of memory, or a bug): say so, and what now. */
function simFailed(error: unknown): RuleError {
  const why = error instanceof Error ? error.message : String(error);
  return ruleError(
    'invalid-request',
    'sim',
    `The simulation stopped unexpectedly (${why}). It starts afresh with your next step, with empty tables and captures; if this happens again, try a smaller run.`,
  );
}
