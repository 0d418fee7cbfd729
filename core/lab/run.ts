/**
 * Runs a lab's traffic script and grades its objectives (lab-format.md). Edits in the script
 * (`set`, `power`, `request`, `approve`, `deny`) go through the same rules as the UI, so a
 * refused edit is a step with `ok: false` and its `result`; the run goes on either way.
 * Grading recomputes everything from the topology: nothing stored is trusted. The same lab
 * gives the same report, byte for byte.
 */
import type { Lab, Objective, ObjectiveCheck, RuleError, TrafficStep, Violation } from '../model';
import { ruleError } from '../model';
import { assertNever } from '../common/assert-never';
import { applyEdit, type EditCommand } from '../rules';
import { Simulation, type StepOutcome, type TraceEvent } from '../sim';
import { evaluateConfig } from './config-settings';
import { validateLab } from './validate';
import { matchCaptures } from './captures-filter';

export interface StepReport {
  readonly index: number;
  readonly kind: TrafficStep['kind'];
  readonly ok: boolean;
  readonly summary: string;
  /** The edit's outcome, for `set`, `power`, `request`, `approve` and `deny` steps. */
  readonly result?: { readonly ok: true } | RuleError;
  readonly events: readonly TraceEvent[];
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
}

/** The state a script leaves: the lab after its edits and the simulator after its traffic. */
export interface ScriptState {
  readonly lab: Lab;
  readonly sim: Simulation;
  readonly steps: readonly StepReport[];
}

export interface RunOptions {
  /** Record trace events (default true); the benchmark turns it off. */
  readonly recordTrace?: boolean;
  /**
   * Grade a lab that breaks rules anyway (`nestlab grade`: an attempt is graded on its
   * topology as it is, and its `valid` objective fails). Off for `nestlab run`, which refuses
   * an invalid file.
   */
  readonly gradeInvalid?: boolean;
}

export function runLab(lab: Lab, options: RunOptions = {}): RunReport {
  const violations = validateLab(lab);
  const valid = !violations.some((v) => v.severity === 'error');
  const total = lab.objectives.length;
  if (!valid && options.gradeInvalid !== true) {
    return { valid, violations, traffic: [], objectives: [], score: { passed: 0, total } };
  }
  let state: ScriptState;
  let objectives: ObjectiveReport[];
  try {
    const ran = runScript(lab, options);
    state = ran;
    objectives = lab.objectives.map((o) => gradeObjective(lab, ran, o));
  } catch (error) {
    // Only a lab that breaks rules gets here (a valid one never throws: see the property
    // tests); say so for each objective rather than crash a whole grading run.
    if (valid) throw error;
    const first = violations.find((v) => v.severity === 'error')?.message ?? '';
    const message = `The lab breaks rules the simulator cannot run: ${first}`;
    objectives = lab.objectives.map((o) => ({
      id: o.id,
      ...(o.text !== undefined ? { text: o.text } : {}),
      passed: false,
      message,
    }));
    return { valid, violations, traffic: [], objectives, score: { passed: 0, total } };
  }
  const passed = objectives.filter((o) => o.passed).length;
  return {
    valid,
    violations,
    traffic: state.steps,
    objectives,
    score: { passed, total: objectives.length },
  };
}

export function runScript(lab: Lab, options: RunOptions = {}): ScriptState {
  let current = lab;
  const sim = new Simulation(lab, { recordTrace: options.recordTrace ?? true });
  const steps: StepReport[] = [];
  lab.traffic.forEach((step, index) => {
    const outcome = runStep(current, sim, step);
    if (outcome.lab !== current) {
      current = outcome.lab;
      sim.setLab(current);
    }
    steps.push({ index, kind: step.kind, ...outcome.report });
  });
  return { lab: current, sim, steps };
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

function gradeObjective(lab: Lab, state: ScriptState, objective: Objective): ObjectiveReport {
  const { passed, message } = evaluateCheck(lab, state, objective.check);
  // The documented keys first, in lab-format.md's order; the objective's text after them.
  return {
    id: objective.id,
    passed,
    message,
    ...(objective.text !== undefined ? { text: objective.text } : {}),
  };
}

function evaluateCheck(
  lab: Lab,
  state: ScriptState,
  check: ObjectiveCheck,
): { passed: boolean; message: string } {
  switch (check.kind) {
    case 'reachable':
    case 'unreachable': {
      // A fresh ping on the state the script left; replaying the (deterministic) script gives
      // each check that same state, so one check's ping cannot change another's answer.
      const fresh = runScript(lab, { recordTrace: true });
      const ping = fresh.sim.ping(check.from, check.to, 1);
      const passed = check.kind === 'reachable' ? ping.ok : !ping.ok;
      return { passed, message: ping.summary };
    }
    case 'captured':
    case 'notCaptured': {
      const matches = matchCaptures(state.sim.captures(check.at), check);
      const passed = check.kind === 'captured' ? matches.length > 0 : matches.length === 0;
      const what = describeFilter(check);
      return {
        passed,
        message: `${matches.length} frame${matches.length === 1 ? '' : 's'} ${what} captured at ${check.at}.`,
      };
    }
    case 'noLoop': {
      const loops = state.steps
        .flatMap((s) => s.events)
        .filter((e) => e.reason === 'loop-detected');
      return loops.length === 0
        ? { passed: true, message: 'No loop was detected.' }
        : {
            passed: false,
            message: `A loop was detected at ${loops[0]?.at ?? '?'} (${loops.length} copies stopped).`,
          };
    }
    case 'config':
      return evaluateConfig(state.lab, check.settings);
    case 'valid': {
      // The lab as written (a submitted attempt), not as the script left it: script edits
      // never break a rule, so only the written lab can.
      const errors = validateLab(lab).filter((v) => v.severity === 'error');
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

function describeFilter(check: { src?: string; dst?: string; proto?: string | number }): string {
  const parts = [
    check.proto !== undefined ? `${String(check.proto)}` : '',
    check.src !== undefined ? `from ${check.src}` : '',
    check.dst !== undefined ? `to ${check.dst}` : '',
  ].filter((p) => p !== '');
  return parts.length > 0 ? `(${parts.join(' ')})` : '';
}
