/**
 * Grading a student's attempt against the trainer's lab (lab-format.md, `nestlab grade`):
 * the attempt contributes only its topology and cast; the script, objectives, checkpoints,
 * student policy and limits are the trainer's. Every objective is recomputed; a score written
 * inside an attempt (in `ui` or anywhere else) is never read. Checkpoint answers (the attempt's
 * `attempt:` key) are judged against the answer key: each checkpoint recomputed on the
 * trainer's own lab, once per grading run (`answerKey`), never against a mark the file holds.
 */
import type { Lab, Violation } from '../model';
import { runLab, type ObjectiveReport } from './run';
import type { CheckpointReport } from './checkpoints';
import { lockedChanges } from './locked';

/** One checkpoint of an attempt: its answer (a choice index, null when unanswered), judged. */
export interface CheckpointAnswer {
  readonly id: string;
  readonly answer: number | null;
  readonly right: boolean;
}

export interface AttemptGrade {
  readonly valid: boolean;
  readonly violations: readonly Violation[];
  readonly objectives: readonly ObjectiveReport[];
  readonly score: { readonly passed: number; readonly total: number };
  /** Each of the trainer's checkpoints, in the trainer's order. */
  readonly checkpoints: readonly CheckpointAnswer[];
  /** The objectives whose hint the student revealed (the trainer's ids, in the order used). */
  readonly hints: readonly string[];
  /** Whether the attempt changed what the trainer's `student:` key locks. */
  readonly lockedChanged: boolean;
  /** What it changed, one sentence each (lockedChanges). */
  readonly locked: readonly string[];
}

/** The lab that is graded: the attempt's topology under the trainer's script and objectives. */
export function composeAttempt(trainer: Lab, attempt: Lab): Lab {
  return {
    nestlab: 1,
    title: trainer.title,
    ...(trainer.description !== undefined ? { description: trainer.description } : {}),
    profile: trainer.profile,
    account: attempt.account,
    users: attempt.users,
    actingUser: attempt.actingUser,
    networks: attempt.networks,
    external: attempt.external,
    vms: attempt.vms,
    traffic: trainer.traffic,
    objectives: trainer.objectives,
    checkpoints: trainer.checkpoints,
    student: trainer.student,
    sim: trainer.sim,
  };
}

/**
 * Each checkpoint's right choices on the trainer's lab: its script run on its own topology.
 * Compute it once for a grading run and pass it to every `gradeAttempt`.
 */
export function answerKey(trainer: Lab): readonly CheckpointReport[] {
  if (trainer.checkpoints.length === 0) return [];
  return runLab(trainer, { gradeInvalid: true }).checkpoints;
}

const EXERCISE_PATH = /^(traffic|objectives|checkpoints|student|attempt)\b/;

const CHECKPOINT_WARNINGS: ReadonlySet<Violation['code']> = new Set<Violation['code']>([
  'checkpoint-no-answer',
  'checkpoint-ambiguous',
]);

/**
 * Grades `attempt` under `trainer`'s script, objectives and checkpoints. `key` is the answer key
 * (`answerKey(trainer)`); without it, it is computed here, and only when the attempt answered a
 * checkpoint (the app's progress cards grade attempts that hold no answers).
 */
export function gradeAttempt(
  trainer: Lab,
  attempt: Lab,
  key?: readonly CheckpointReport[],
): AttemptGrade {
  const report = runLab(composeAttempt(trainer, attempt), { gradeInvalid: true });
  const locked = lockedChanges(trainer, attempt);
  const answers = attempt.attempt?.answers ?? {};
  const answered = trainer.checkpoints.some((c) => Object.hasOwn(answers, c.id));
  // The trainer's exercise keys checked against the attempt's topology (a step, objective or
  // checkpoint naming a device the student removed) say nothing of the attempt: its objectives
  // fail, and the key is the trainer's lab's.
  const violations = report.violations.filter(
    (v) => !CHECKPOINT_WARNINGS.has(v.code) && !EXERCISE_PATH.test(v.path),
  );
  return {
    valid: !violations.some((v) => v.severity === 'error'),
    violations,
    objectives: report.objectives,
    score: report.score,
    checkpoints: answersOf(trainer, attempt, key ?? (answered ? answerKey(trainer) : [])),
    hints: hintsOf(trainer, attempt),
    lockedChanged: locked.length > 0,
    locked,
  };
}

/** The attempt's answer to each of the trainer's checkpoints, judged against the key. */
export function answersOf(
  trainer: Lab,
  attempt: Lab,
  key: readonly CheckpointReport[],
): CheckpointAnswer[] {
  const answers = attempt.attempt?.answers ?? {};
  return trainer.checkpoints.map((checkpoint, i) => {
    const given = Object.hasOwn(answers, checkpoint.id) ? answers[checkpoint.id] : undefined;
    const answer = given ?? null;
    const right = answer !== null && (key[i]?.rightChoices.includes(answer) ?? false);
    return { id: checkpoint.id, answer, right };
  });
}

/** The hints the attempt used, of objectives the trainer's lab has, each once. */
function hintsOf(trainer: Lab, attempt: Lab): string[] {
  const ids = new Set(trainer.objectives.map((o) => o.id));
  return [...new Set(attempt.attempt?.hints ?? [])].filter((id) => ids.has(id));
}

/** What an attempt that could not be read at all is graded: nothing answered, nothing known. */
export function unreadableGrade(trainer: Lab, violations: readonly Violation[]): AttemptGrade {
  return {
    valid: false,
    violations,
    objectives: [],
    score: { passed: 0, total: trainer.objectives.length },
    checkpoints: trainer.checkpoints.map((c) => ({ id: c.id, answer: null, right: false })),
    hints: [],
    lockedChanged: false,
    locked: [],
  };
}
