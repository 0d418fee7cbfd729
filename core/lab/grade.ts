/**
 * Grading a student's attempt against the trainer's lab (lab-format.md, `nestlab grade`):
 * the attempt contributes only its topology and cast; the script, objectives and limits are
 * the trainer's. Every objective is recomputed; a score written inside an attempt (in `ui`
 * or anywhere else) is never read.
 */
import type { Lab, Violation } from '../model';
import { runLab, type ObjectiveReport } from './run';

export interface AttemptGrade {
  readonly valid: boolean;
  readonly violations: readonly Violation[];
  readonly objectives: readonly ObjectiveReport[];
  readonly score: { readonly passed: number; readonly total: number };
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
    sim: trainer.sim,
  };
}

export function gradeAttempt(trainer: Lab, attempt: Lab): AttemptGrade {
  const report = runLab(composeAttempt(trainer, attempt), { gradeInvalid: true });
  return {
    valid: report.valid,
    violations: report.violations,
    objectives: report.objectives,
    score: report.score,
  };
}
