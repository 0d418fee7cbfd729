/**
 * One run's bookkeeping against its budget (budget.ts): the events it has used, whether its
 * event budget or a cancel ended it, and in which step each budget was first reached, turned
 * into `run-truncated` notices a student or trainer can act on. Pure counting: the simulator
 * reports what happened; this says what it means.
 */
import { assertNever } from '../common/assert-never';
import { count, mebibytes, type BudgetName, type RunLimits, type RunNotice } from './budget';

/** What the trace and the captures report about their own budgets (trace.ts, captures.ts). */
export interface Keepers {
  readonly trace: { readonly full: BudgetName | null; readonly omitted: number };
  readonly captures: { readonly full: BudgetName | null; readonly omitted: number };
}

export class RunMeter {
  /** Events taken from the queue this run. */
  spent = 0;
  /** The budget that ended the run (`events` or `cancelled`); no step runs after it. */
  ended: 'events' | 'cancelled' | null = null;
  /** The caller's index of the step running now, to say where a budget was reached. */
  step: number | undefined = undefined;
  private readonly firstStep = new Map<BudgetName, number | undefined>();

  constructor(readonly limits: RunLimits) {}

  get left(): number {
    return Math.max(0, this.limits.maxEvents - this.spent);
  }

  /** Notes the budgets reached so far, at the step running now (the first time each is seen). */
  observe(keepers: Keepers): void {
    const reached = [this.ended, keepers.trace.full, keepers.captures.full];
    for (const budget of reached)
      if (budget !== null && !this.firstStep.has(budget)) this.firstStep.set(budget, this.step);
  }

  /** The run's notices, in the order their budgets were reached. */
  notices(keepers: Keepers): RunNotice[] {
    this.observe(keepers);
    return [...this.firstStep].map(([budget, step]) => ({
      code: 'run-truncated',
      budget,
      ...(step === undefined ? {} : { step }),
      message: this.explain(budget, step, keepers),
    }));
  }

  private explain(budget: BudgetName, step: number | undefined, keepers: Keepers): string {
    const at = step === undefined ? '' : ` in step ${step + 1}`;
    const from = step === undefined ? '' : ` from step ${step + 1} on`;
    const { limits } = this;
    switch (budget) {
      case 'events':
        return `The run stopped${at}: it used its budget of ${count(limits.maxEvents)} simulator events (a storm, or a long script on a large lab), so the rest of that step and any later steps were not run. Lower sim.copyLimit or sim.hopLimit, break the loop, or shorten the script.`;
      case 'cancelled':
        return `The run was cancelled${at}; the rest of that step and any later steps were not run.`;
      case 'trace-events':
      case 'trace-bytes': {
        const limit =
          budget === 'trace-events'
            ? `${count(limits.maxTraceEvents)} events`
            : mebibytes(limits.maxTraceBytes);
        return `The trace keeps the first ${limit} of this run; ${count(keepers.trace.omitted)} more events${from} happened and were counted but not listed. Outcomes and objectives still count every frame.`;
      }
      case 'captures':
        return `Captures keep the first ${count(limits.maxCapturedFrames)} frames (${mebibytes(limits.maxCaptureBytes)}) of this run; ${count(keepers.captures.omitted)} more frames${from} were not kept, so an exported capture misses them. Objective checks on captures still count every frame.`;
      case 'objective-events':
        return 'The objective checks used their event budget; see each objective for the ones that could not be decided.';
      default:
        return assertNever(budget, 'budget');
    }
  }
}
