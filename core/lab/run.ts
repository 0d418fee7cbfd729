/**
 * Runs a lab's traffic script and grades its objectives (lab-format.md). Edits in the script
 * (`set`, `power`, `request`, `approve`, `deny`) go through the same rules as the UI, so a
 * refused edit is a step with `ok: false` and its `result`; the run goes on either way.
 * Grading recomputes everything from the topology: nothing stored is trusted. The same lab
 * gives the same report, byte for byte.
 *
 * Cost and bounds: the lab is validated once (or not at all when the caller already did); the
 * script runs once, within its run budget (core/sim/budget.ts), and a step that would pass it
 * ends the run (later steps are reported as not run); objectives are checked on the state the
 * script left: a `reachable` check pings on it and leaves it as it was (Simulation.check), a
 * `captured` check counts frames as they are recorded, `noLoop` counts loop drops, so grading
 * is linear in the objectives and exact whatever the trace and capture budgets kept. What a
 * budget cut is reported in `notices` (`run-truncated`); every objective still gets a verdict.
 * Checkpoints are judged on the step reports the script made (checkpoints.ts), never by running
 * anything again; one with no right choice, or several, is a warning among the violations.
 */
import type { Lab, Objective, ObjectiveCheck, RuleError, TrafficStep, Violation } from '../model';
import { ruleError } from '../model';
import { assertNever } from '../common/assert-never';
import { applyEdit } from '../rules/apply';
import type { EditCommand } from '../rules/commands';
import {
  count,
  withDefaults,
  Simulation,
  type CaptureWatch,
  type Interrupt,
  type RunLimits,
  type RunNotice,
  type StepOutcome,
  type TraceEvent,
} from '../sim';
import { evaluateConfig } from './config-settings';
import { validateLab } from './validate';
import { captureTest } from './captures-filter';
import { judgeCheckpoints, type CheckpointReport } from './checkpoints';

export interface StepReport {
  readonly index: number;
  readonly kind: TrafficStep['kind'];
  readonly ok: boolean;
  readonly summary: string;
  /** The edit's outcome, for `set`, `power`, `request`, `approve` and `deny` steps. */
  readonly result?: { readonly ok: true } | RuleError;
  readonly events: readonly TraceEvent[];
  /** Events of this step the trace budget left out (counted, not listed). */
  readonly omittedEvents?: number;
  /** The run had ended (its event budget spent, or cancelled) before this step. */
  readonly skipped?: true;
}

export interface ObjectiveReport {
  readonly id: string;
  readonly passed: boolean;
  readonly message: string;
  readonly text?: string;
}

export interface RunReport {
  readonly valid: boolean;
  readonly violations: readonly Violation[];
  readonly traffic: readonly StepReport[];
  readonly objectives: readonly ObjectiveReport[];
  readonly score: { readonly passed: number; readonly total: number };
  /** Each checkpoint's right choice on this run (empty when the trace is not recorded). */
  readonly checkpoints: readonly CheckpointReport[];
  /** What the run's budgets cut (`run-truncated`); empty when nothing was. */
  readonly notices: readonly RunNotice[];
}

/** The state a script leaves: the lab after its edits and the simulator after its traffic. */
export interface ScriptState {
  readonly lab: Lab;
  readonly sim: Simulation;
  readonly steps: readonly StepReport[];
}

export interface RunOptions {
  /** Record trace events and captures (default true); the benchmark turns it off. */
  readonly recordTrace?: boolean;
  /**
   * Grade a lab that breaks rules anyway (`nestlab grade`: an attempt is graded on its
   * topology as it is, and its `valid` objective fails). Off for `nestlab run`, which refuses
   * an invalid file.
   */
  readonly gradeInvalid?: boolean;
  /** The lab's violations when the caller has them already (a parsed file): not checked again. */
  readonly violations?: readonly Violation[];
  /** The run's budget; budget.ts defaults for what is left out. */
  readonly limits?: Partial<RunLimits>;
  /** Asked now and then; true cancels the run (the host's Cancel). */
  readonly interrupt?: Interrupt;
}

/** Runs the script and grades the objectives; see `runLabDetailed` for the simulator too. */
export function runLab(lab: Lab, options: RunOptions = {}): RunReport {
  return runLabDetailed(lab, options).report;
}

/** The report, and the state the script left (null when nothing ran), e.g. for its captures. */
export function runLabDetailed(
  lab: Lab,
  options: RunOptions = {},
): { report: RunReport; state: ScriptState | null } {
  const violations = options.violations ?? validateLab(lab);
  const valid = !violations.some((v) => v.severity === 'error');
  const total = lab.objectives.length;
  const empty = {
    valid,
    violations,
    traffic: [],
    checkpoints: [],
    notices: [],
    score: { passed: 0, total },
  };
  if (!valid && options.gradeInvalid !== true) {
    return { report: { ...empty, objectives: [] }, state: null };
  }
  try {
    const sim = newSimulation(lab, options);
    const grader = new Grader(lab, sim, violations, withDefaults(options.limits));
    const state = runScript(lab, options, sim);
    const objectives = lab.objectives.map((o) => grader.grade(state, o));
    const passed = objectives.filter((o) => o.passed).length;
    // Judged from the trace: with recording off there is nothing to judge them on.
    const judged =
      options.recordTrace === false
        ? { reports: [], warnings: [] }
        : judgeCheckpoints(lab.checkpoints, state.steps);
    const report: RunReport = {
      valid,
      violations: judged.warnings.length > 0 ? [...violations, ...judged.warnings] : violations,
      traffic: state.steps,
      objectives,
      score: { passed, total: objectives.length },
      checkpoints: judged.reports,
      notices: [...sim.notices(), ...grader.notices()],
    };
    return { report, state };
  } catch (error) {
    // Only a lab that breaks rules gets here (a valid one never throws: see the property
    // tests); say so for each objective rather than crash a whole grading run.
    if (valid) throw error;
    const first = violations.find((v) => v.severity === 'error')?.message ?? '';
    const message = `The lab breaks rules the simulator cannot run: ${first}`;
    const objectives = lab.objectives.map((o) => ({
      id: o.id,
      ...(o.text !== undefined ? { text: o.text } : {}),
      passed: false,
      message,
    }));
    return { report: { ...empty, objectives }, state: null };
  }
}

function newSimulation(lab: Lab, options: RunOptions): Simulation {
  return new Simulation(lab, {
    recordTrace: options.recordTrace ?? true,
    ...(options.limits !== undefined ? { limits: options.limits } : {}),
    ...(options.interrupt !== undefined ? { interrupt: options.interrupt } : {}),
  });
}

/** Runs the whole script on `sim` (a new one by default), as one run. */
export function runScript(
  lab: Lab,
  options: RunOptions = {},
  sim: Simulation = newSimulation(lab, options),
): ScriptState {
  const ran = runSteps(
    lab,
    sim,
    lab.traffic.map((step, index) => [index, step] as const),
  );
  return { lab: ran.lab, sim, steps: ran.reports };
}

/**
 * Runs `steps` (each with its index in the script) on `sim` in order, as far as the run's
 * budget allows: once the run has ended, the rest are reported as not run. Returns the lab as
 * the steps' edits left it; `onStep` sees each report as soon as it is made.
 */
export function runSteps(
  lab: Lab,
  sim: Simulation,
  steps: readonly (readonly [number, TrafficStep])[],
  onStep?: (report: StepReport, step: TrafficStep) => void,
): { lab: Lab; reports: StepReport[] } {
  let current = lab;
  const reports: StepReport[] = [];
  for (const [index, step] of steps) {
    const push = (report: StepReport): void => {
      reports.push(report);
      onStep?.(report, step);
    };
    sim.atStep(index);
    if (sim.ended) {
      push(notRun(index, step));
      continue;
    }
    // An edit checks every static rule before and after (rules/apply.ts): linear in the lab.
    if (EDIT_KINDS.has(step.kind)) sim.chargeLabWork(2);
    const outcome = runStep(current, sim, step);
    if (outcome.lab !== current) {
      current = outcome.lab;
      sim.setLab(current);
    }
    const omitted = sim.stepOmitted;
    push({
      index,
      kind: step.kind,
      ...outcome.report,
      ...(omitted > 0 ? { omittedEvents: omitted } : {}),
    });
  }
  return { lab: current, reports };
}

const EDIT_KINDS: ReadonlySet<TrafficStep['kind']> = new Set<TrafficStep['kind']>([
  'power',
  'set',
  'request',
  'approve',
  'deny',
]);

function notRun(index: number, step: TrafficStep): StepReport {
  return {
    index,
    kind: step.kind,
    ok: false,
    summary: 'not run: the run had ended before this step (see its notices)',
    events: [],
    skipped: true,
  };
}

type StepResult = { lab: Lab; report: Omit<StepReport, 'index' | 'kind'> };

/** Runs one step on a lab and a simulator; returns the lab after it (changed by edits only). */
export function runStep(lab: Lab, sim: Simulation, step: TrafficStep): StepResult {
  switch (step.kind) {
    case 'ping':
      return traffic(lab, sim.ping(step.from, step.to, step.count));
    case 'frame':
      return traffic(lab, sim.sendFrame(step));
    case 'garp':
      return traffic(lab, sim.garp(step));
    case 'wait':
      return traffic(lab, sim.wait(step.seconds));
    case 'power':
      return edit(
        lab,
        lab.actingUser,
        { type: 'vm.setPower', vm: step.vm, state: step.state },
        `${step.vm} → ${step.state}`,
      );
    case 'set':
      return edit(lab, step.actor, setCommand(step), describeSet(step));
    case 'request':
      return edit(
        lab,
        step.actor,
        {
          type: 'account.request',
          useCase: step.useCase,
          ...(step.diagram !== undefined ? { diagram: step.diagram } : {}),
        },
        `${step.actor} requests promiscuous mode`,
      );
    case 'approve':
      return edit(
        lab,
        lab.actingUser,
        { type: 'account.approve' },
        'the provider approves the request',
      );
    case 'deny':
      return edit(lab, lab.actingUser, { type: 'account.deny' }, 'the provider denies the request');
    default:
      return assertNever(step, 'traffic step');
  }
}

function traffic(lab: Lab, outcome: StepOutcome): StepResult {
  return { lab, report: { ok: outcome.ok, summary: outcome.summary, events: outcome.events } };
}

function edit(lab: Lab, actor: string, command: EditCommand, what: string): StepResult {
  const result = applyEdit(lab, actor, command);
  if (!result.ok) {
    const refusal = ruleError(result.code, result.rule, result.message);
    return {
      lab,
      report: {
        ok: false,
        summary: `${what}: refused, ${result.code} (${result.rule})`,
        result: refusal,
        events: [],
      },
    };
  }
  return { lab: result.lab, report: { ok: true, summary: what, result: { ok: true }, events: [] } };
}

type SetStep = Extract<TrafficStep, { kind: 'set' }>;

function setCommand(step: SetStep): EditCommand {
  if (step.adapter !== undefined)
    return {
      type: 'adapter.setPromiscuous',
      adapter: step.adapter,
      promiscuous: step.promiscuous ?? false,
    };
  if (step.user !== undefined)
    return { type: 'user.setPermission', user: step.user, promiscuous: step.promiscuous ?? false };
  return {
    type: 'vm.setNestedVirtualization',
    vm: step.vm ?? '',
    enabled: step.nestedVirtualization ?? false,
  };
}

function describeSet(step: SetStep): string {
  if (step.adapter !== undefined)
    return `${step.actor} sets promiscuous ${String(step.promiscuous)} on ${step.adapter}`;
  if (step.user !== undefined)
    return `${step.actor} sets ${step.user}'s promiscuous permission to ${String(step.promiscuous)}`;
  return `${step.actor} sets nested virtualization ${String(step.nestedVirtualization)} on ${step.vm ?? '?'}`;
}

/**
 * Grades objectives on the state a script left. `captured` checks watch the script's frames
 * (registered before it runs); `reachable` checks share one event budget, each within its own.
 */
class Grader {
  private readonly watches = new Map<Objective, CaptureWatch>();
  private checkEventsLeft: number;
  private undecided = 0;

  constructor(
    lab: Lab,
    private readonly sim: Simulation,
    private readonly violations: readonly Violation[],
    private readonly limits: RunLimits,
  ) {
    this.checkEventsLeft = limits.maxCheckEvents;
    for (const o of lab.objectives) {
      const c = o.check;
      if (c.kind === 'captured' || c.kind === 'notCaptured')
        this.watches.set(o, sim.watchCaptures(c.at, captureTest(c)));
    }
  }

  grade(state: ScriptState, objective: Objective): ObjectiveReport {
    const { passed, message } = this.evaluate(state, objective);
    // The documented keys first, in lab-format.md's order; the objective's text after them.
    return {
      id: objective.id,
      passed,
      message,
      ...(objective.text !== undefined ? { text: objective.text } : {}),
    };
  }

  notices(): RunNotice[] {
    if (this.undecided === 0) return [];
    const n = this.undecided;
    return [
      {
        code: 'run-truncated',
        budget: 'objective-events',
        message: `The objective checks used their budget of ${count(this.limits.maxCheckEvents)} simulator events (at most ${count(this.limits.maxCheckEventsEach)} each): ${n} reachability check${n === 1 ? '' : 's'} could not be decided and ${n === 1 ? 'is' : 'are'} marked failed.`,
      },
    ];
  }

  private evaluate(state: ScriptState, objective: Objective): { passed: boolean; message: string } {
    const check: ObjectiveCheck = objective.check;
    switch (check.kind) {
      case 'reachable':
      case 'unreachable':
        return this.ping(check.kind, check.from, check.to);
      case 'captured':
      case 'notCaptured': {
        const n = this.watches.get(objective)?.count ?? 0;
        const passed = check.kind === 'captured' ? n > 0 : n === 0;
        const what = describeFilter(check);
        return {
          passed,
          message: `${n} frame${n === 1 ? '' : 's'} ${what} captured at ${check.at}.`,
        };
      }
      case 'noLoop': {
        const copies = this.sim.loopDrops;
        if (copies === 0) return { passed: true, message: 'No loop was detected.' };
        const at = this.sim.loops()[0]?.at ?? '?';
        return {
          passed: false,
          message: `A loop was detected at ${at} (${copies} copies stopped).`,
        };
      }
      case 'config':
        return evaluateConfig(state.lab, check.settings);
      case 'valid': {
        // The lab as written (a submitted attempt), not as the script left it: script edits
        // never break a rule, so only the written lab can.
        // Rules of the platform and of the file's form; the exercise's own keys (a checkpoint
        // naming a device the student removed) are the trainer's matter, not a broken rule.
        const errors = this.violations.filter(
          (v) => v.severity === 'error' && !/^(checkpoints|student|attempt)\b/.test(v.path),
        );
        return errors.length === 0
          ? { passed: true, message: 'The lab breaks no rule.' }
          : {
              passed: false,
              message: `${errors.length} rule${errors.length === 1 ? ' is' : 's are'} broken, first: ${errors[0]?.message ?? ''}`,
            };
      }
      default:
        return assertNever(check, 'objective check');
    }
  }

  /** A fresh ping on the state the script left, which leaves that state as it was. */
  private ping(
    kind: 'reachable' | 'unreachable',
    from: string,
    to: string,
  ): { passed: boolean; message: string } {
    const allowance = Math.min(this.limits.maxCheckEventsEach, this.checkEventsLeft);
    const ping = this.sim.check(from, to, allowance);
    this.checkEventsLeft -= ping.events;
    if (ping.cancelled)
      return { passed: false, message: `${from} → ${to}: not decided: the run was cancelled.` };
    if (!ping.decided) {
      this.undecided++;
      return {
        passed: false,
        message: `${from} → ${to}: could not be decided: the check ran out of its event budget (${count(allowance)} events) before a reply; the lab may hold a storm.`,
      };
    }
    const passed = kind === 'reachable' ? ping.ok : !ping.ok;
    return { passed, message: ping.summary };
  }
}

function describeFilter(check: { src?: string; dst?: string; proto?: string | number }): string {
  const parts = [
    check.proto !== undefined ? `${String(check.proto)}` : '',
    check.src !== undefined ? `from ${check.src}` : '',
    check.dst !== undefined ? `to ${check.dst}` : '',
  ].filter((p) => p !== '');
  return parts.length > 0 ? `(${parts.join(' ')})` : '';
}
