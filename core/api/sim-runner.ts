/**
 * Where the simulation behind the api runs. The service hands every simulation entry
 * (`traffic.*`, `sim.*` but `sim.dissect`) to a `SimRunner` and awaits its answer, so a host
 * can run it off the thread that answers requests (core/node's worker runner) and cancel it;
 * `LocalSimRunner` runs it here, for tests and pure uses. Both answer through
 * `answerSimRequest`, so the same request gives the same value wherever it runs. Guarantees: a
 * runner sees the labs in the order the service accepted them (`open`, `setLab`), and answers
 * requests in the order they were made.
 */
import type { Lab, RuleError } from '../model';
import { ruleError } from '../model';
import type { Interrupt } from '../sim';
import type { WhatIfChange } from './contract';
import { explainRule } from './explain';
import type { ContractName } from './names';
import { TrafficSession } from './traffic-session';

/** The entries a runner answers; `sim.dissect` needs no simulation, `traffic.cancel` stops one. */
export const SIM_ENTRIES = [
  'traffic.run',
  'exercise.status',
  'exercise.try',
  'traffic.reset',
  'traffic.compare',
  'sim.macTable',
  'sim.learnedTable',
  'sim.arpCache',
  'sim.capture',
  'sim.exportPcapng',
  'sim.loops',
  'sim.tables',
  'sim.explain',
] as const satisfies readonly ContractName[];

export type SimEntry = (typeof SIM_ENTRIES)[number];

const simEntries: ReadonlySet<string> = new Set(SIM_ENTRIES);

export function isSimEntry(name: string): name is SimEntry {
  return simEntries.has(name);
}

export interface SimRunner {
  /** A new simulation on `lab` (a lab opened, restarted, or its simulation reset after a failure). */
  open(lab: Lab): void;
  /** An accepted edit changed the open lab: the simulation keeps what it learned. */
  setLab(lab: Lab): void;
  /** Answers one simulation entry, its arguments already validated, on the last lab given. */
  request(name: SimEntry, args: Readonly<Record<string, unknown>>): Promise<unknown>;
  /** Stops the request running now and any waiting: each ends at once, `cancelled`. */
  cancel(): void;
  /** Frees what the runner holds (a worker); no request may follow. */
  close(): void;
}

/**
 * One simulation entry on a session: the value the contract promises (a `traffic.run` that
 * changed the lab carries it as `lab`, for the service to save).
 */
export function answerSimRequest(
  session: TrafficSession,
  name: SimEntry,
  args: Readonly<Record<string, unknown>>,
): unknown {
  const text = (key: string): string => String(args[key] ?? '');
  switch (name) {
    case 'traffic.run':
      return session.run(
        args.index as number | undefined,
        args.step,
        args.through as number | undefined,
      );
    case 'exercise.status':
      // The service opens the lab to grade (the attempt under the trainer's objectives) and
      // may name the trainer's lab, whose run is the checkpoints' answer key.
      return session.grade(args.key as Lab | undefined);
    case 'exercise.try':
      // The service opens the lab with the one objective to try.
      return session.grade();
    case 'traffic.reset':
      session.reset();
      return { ok: true };
    case 'traffic.compare':
      return session.compare(args.change as WhatIfChange);
    case 'sim.macTable':
      return session.macTable(text('network'));
    case 'sim.learnedTable':
      return session.learnedTable(text('device'));
    case 'sim.arpCache':
      return session.arpCache(text('vm'));
    case 'sim.capture':
      return session.capture(text('device'));
    case 'sim.exportPcapng':
      return session.exportPcapng(args.devices as string[] | undefined);
    case 'sim.loops':
      return session.loops();
    case 'sim.tables':
      return session.tables();
    case 'sim.explain': {
      const frame = typeof args.frame === 'number' ? session.frameEvents(args.frame) : undefined;
      return explainRule(
        { reason: text('reason'), rule: text('rule'), at: text('at') },
        { lab: session.current, loops: session.loops(), ...(frame ? { frameEvents: frame } : {}) },
      );
    }
    default:
      return unknownEntry(name);
  }
}

function unknownEntry(name: never): RuleError {
  return ruleError('invalid-request', 'P6', `Unknown api entry "${String(name)}".`);
}

/**
 * Runs the simulation in this thread: a request finishes before `request` returns, so cancel
 * can only stop what is asked after it (in-process callers wait anyway).
 */
export class LocalSimRunner implements SimRunner {
  private session: TrafficSession | null = null;
  private lab: Lab | null = null;
  private cancelled = false;
  private readonly interrupt: Interrupt = () => this.cancelled;

  open(lab: Lab): void {
    this.lab = lab;
    this.session = null;
  }

  setLab(lab: Lab): void {
    this.lab = lab;
    this.session?.setLab(lab);
  }

  request(name: SimEntry, args: Readonly<Record<string, unknown>>): Promise<unknown> {
    const lab = this.lab;
    if (lab === null) return Promise.resolve(noLab());
    this.cancelled = false;
    this.session ??= new TrafficSession(lab, { interrupt: this.interrupt });
    try {
      return Promise.resolve(answerSimRequest(this.session, name, args));
    } catch (error) {
      return Promise.reject(error instanceof Error ? error : new Error(String(error)));
    }
  }

  cancel(): void {
    this.cancelled = true;
  }

  close(): void {
    this.session = null;
  }
}

export function noLab(): RuleError {
  return ruleError('invalid-request', 'P6', 'No lab is open; open a lab first.');
}
