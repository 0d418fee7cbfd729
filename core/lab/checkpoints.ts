/**
 * Checkpoints (lab-format.md, "Exercise keys"): which choices of a predict-then-observe question
 * are right, recomputed from the report of the traffic step the question comes before. The step's
 * origin frame is the frame of its first trace event; a choice is right when that frame has the
 * choice's fate: `delivered: AT`, a `deliver` event of that origin at AT; `dropped: AT` (with
 * `reason`), a `drop` event of that origin at AT (with that reason). A broadcast can end in many
 * places, so a checkpoint may have several right choices (`checkpoint-ambiguous`) or none
 * (`checkpoint-no-answer`); both are the trainer's to fix, and `nestlab run` warns of them.
 *
 * Pure and cheap: it reads step reports a run already made (one pass over the step's events),
 * never runs anything, and trusts nothing stored (an answer is judged, never a mark).
 */
import type { Checkpoint, CheckpointFate, Violation } from '../model';
import type { DropReason, SimRule } from '../sim';
import type { StepReport } from './run';

/** Where a step's origin frame ended: each place once, in the order of the trace. */
export interface OriginFate {
  readonly delivered: readonly string[];
  readonly dropped: readonly {
    readonly at: string;
    readonly reason: DropReason;
    readonly rule: SimRule;
  }[];
}

export interface CheckpointOutcome {
  /** Indexes of the choices whose fate the origin frame has; empty when undecided. */
  readonly rightChoices: readonly number[];
  readonly fate: OriginFate;
}

export type CheckpointWarning = 'checkpoint-no-answer' | 'checkpoint-ambiguous';

/** A checkpoint judged on a run (and, in `nestlab grade`, a student's answer to it). */
export interface CheckpointReport {
  readonly id: string;
  readonly rightChoices: readonly number[];
  /** The one right choice; null when there is none or more than one. */
  readonly right: number | null;
  /** The student's answer (a choice index), when judging one. */
  readonly answer?: number;
  /** Whether `answer` is one of the right choices. */
  readonly correct?: boolean;
  readonly warning?: CheckpointWarning;
}

const NO_FATE: OriginFate = { delivered: [], dropped: [] };

/**
 * The fate of the step's origin frame. Empty for a step with no events (an edit, a refused
 * edit, a step the run never reached); undecided (null) when a trace budget cut the step's
 * events, since the frame's later fates may be among those left out.
 */
export function originFate(step: StepReport | undefined): OriginFate | null {
  if (step === undefined) return NO_FATE;
  if ((step.omittedEvents ?? 0) > 0) return null;
  const origin = step.events[0]?.origin;
  if (origin === undefined) return NO_FATE;
  const delivered = new Set<string>();
  const dropped = new Map<string, OriginFate['dropped'][number]>();
  for (const e of step.events) {
    if (e.origin !== origin) continue;
    if (e.type === 'deliver') delivered.add(e.at);
    else if (e.type === 'drop' && e.rule !== undefined) {
      const reason = e.reason as DropReason;
      const key = `${e.at}\u0000${reason}`;
      if (!dropped.has(key)) dropped.set(key, { at: e.at, reason, rule: e.rule });
    }
  }
  return { delivered: [...delivered], dropped: [...dropped.values()] };
}

/** Whether the origin frame had this fate. */
export function hasFate(fate: OriginFate, choice: CheckpointFate): boolean {
  if ('delivered' in choice) return fate.delivered.includes(choice.delivered);
  return fate.dropped.some(
    (d) => d.at === choice.dropped && (choice.reason === undefined || d.reason === choice.reason),
  );
}

/** The choices that are right on this step's report (`step`: the report of step `before`). */
export function checkpointOutcome(
  checkpoint: Checkpoint,
  step: StepReport | undefined,
): CheckpointOutcome {
  const fate = originFate(step);
  if (fate === null) return { rightChoices: [], fate: NO_FATE };
  const rightChoices = checkpoint.choices.flatMap((c, i) => (hasFate(fate, c.fate) ? [i] : []));
  return { rightChoices, fate };
}

/** The checkpoint judged on `step`, and `answer` (a choice index) judged when given. */
export function checkpointVerdict(
  checkpoint: Checkpoint,
  step: StepReport | undefined,
  answer?: number,
): CheckpointReport {
  return judgeChoices(checkpoint.id, checkpointOutcome(checkpoint, step).rightChoices, answer);
}

/** A verdict from the right choices already computed (`nestlab grade` judges many answers). */
export function judgeChoices(
  id: string,
  rightChoices: readonly number[],
  answer?: number,
): CheckpointReport {
  const [first] = rightChoices;
  const one = rightChoices.length === 1 && first !== undefined;
  const warning: CheckpointWarning | undefined =
    rightChoices.length === 0
      ? 'checkpoint-no-answer'
      : rightChoices.length > 1
        ? 'checkpoint-ambiguous'
        : undefined;
  return {
    id,
    rightChoices,
    right: one ? first : null,
    ...(answer !== undefined ? { answer, correct: rightChoices.includes(answer) } : {}),
    ...(warning !== undefined ? { warning } : {}),
  };
}

/** Every checkpoint of a lab judged on a script's step reports, with the warnings to give. */
export function judgeCheckpoints(
  checkpoints: readonly Checkpoint[],
  steps: readonly StepReport[],
): { reports: CheckpointReport[]; warnings: Violation[] } {
  const byIndex = new Map(steps.map((s) => [s.index, s]));
  const reports: CheckpointReport[] = [];
  const warnings: Violation[] = [];
  checkpoints.forEach((checkpoint, i) => {
    const step = byIndex.get(checkpoint.before);
    const outcome = checkpointOutcome(checkpoint, step);
    const report = judgeChoices(checkpoint.id, outcome.rightChoices);
    reports.push(report);
    if (report.warning !== undefined)
      warnings.push({
        code: report.warning,
        rule: 'format',
        path: `checkpoints[${i}]`,
        severity: 'warning',
        message: warningMessage(checkpoint, step, outcome),
      });
  });
  return { reports, warnings };
}

function warningMessage(
  checkpoint: Checkpoint,
  step: StepReport | undefined,
  outcome: CheckpointOutcome,
): string {
  const which = `step ${checkpoint.before + 1}`;
  const where = `${which}${step !== undefined ? ` (${step.kind})` : ''}`;
  const head = `Checkpoint "${checkpoint.id}"`;
  if (outcome.rightChoices.length > 1) {
    const list = outcome.rightChoices.map((i) => `choices[${i}]`).join(', ');
    return `${head} has ${outcome.rightChoices.length} right choices (${list}): the first frame of ${where} ${describeFate(outcome.fate)}. Make exactly one choice name a place where it ends.`;
  }
  if (step === undefined) return `${head} comes before ${which}, which the script does not have.`;
  if (step.skipped === true)
    return `${head} has no right choice: ${which} was not run (the run had ended before it; see its notices).`;
  if ((step.omittedEvents ?? 0) > 0)
    return `${head} cannot be judged: a trace budget cut the events of ${where}, so where its first frame ends is not known. Shorten the script before it.`;
  if (step.events.length === 0)
    return `${head} has no right choice: ${where} sends no frame${step.result?.ok === false ? ` (refused: ${step.result.code})` : ''}. Ask it before a step that sends traffic.`;
  return `${head} has no right choice: the first frame of ${where} ${describeFate(outcome.fate)}. Make one choice name a place where it ends.`;
}

const PLACES_SHOWN = 6;

/** "was delivered at a, b and dropped at lan (forged-source, F2)", at most a few places each. */
export function describeFate(fate: OriginFate): string {
  const few = (items: readonly string[]): string =>
    items.length <= PLACES_SHOWN
      ? items.join(', ')
      : `${items.slice(0, PLACES_SHOWN).join(', ')} and ${items.length - PLACES_SHOWN} more`;
  const parts = [
    fate.delivered.length > 0 ? `delivered at ${few(fate.delivered)}` : '',
    fate.dropped.length > 0
      ? `dropped at ${few(fate.dropped.map((d) => `${d.at} (${d.reason}, ${d.rule})`))}`
      : '',
  ].filter((p) => p !== '');
  return parts.length === 0 ? 'was neither delivered nor dropped' : `was ${parts.join(' and ')}`;
}
