/**
 * The simulator behind the api: one `Simulation` per open lab, kept across steps so tables,
 * caches and captures build up as a student sends traffic, and told about every accepted
 * edit (`setLab`). Steps run through `runSteps`, the same code `nestlab run` uses, each call a
 * run with its own budget (what it cut comes back as notices). The session
 * remembers the steps run since the last reset (at most MAX_REPLAY_STEPS, the oldest
 * forgotten first) for the what-if comparison, and hands each run's frame lineage to the
 * caller once, so the simulator keeps none between runs.
 *
 * A script step's edits (`set`, `power`, `request`, `approve`, `deny`) belong to the run: the
 * session runs on its own copy of the lab, which they change, while the saved lab (`base`)
 * stays as the student left it. A reset, an accepted edit or a whole-script run (which starts
 * from a reset, as `nestlab run` does) brings the run back to the saved lab, so the same
 * script gives the same outcomes every time.
 */
import type { Lab, RuleError, TrafficStep, Violation } from '../model';
import { ruleError } from '../model';
import { toBase64, toHex } from '../common/encoding';
import { parseStep } from '../lab/parse';
import { runLab, runSteps, type RunReport, type StepReport } from '../lab/run';
import { checkpointOutcome } from '../lab/checkpoints';
import {
  exportPcapng,
  Simulation,
  type Interrupt,
  type RunLimits,
  type RunNotice,
  type TraceEvent,
} from '../sim';
import type {
  CaptureRow,
  CompareResult,
  DeviceTable,
  FrameCopyInfo,
  FrameMove,
  SimTables,
  WhatIfChange,
} from './contract';
import { framesNamed, trafficFrames } from './frame-moves';
import { compareTraffic } from './what-if';

/** A what-if replays at most this many steps (a long session forgets its oldest). */
export const MAX_REPLAY_STEPS = 1_000;

/** A checkpoint whose step ran, judged on that run: the choices that are right. */
export interface CheckpointJudged {
  readonly id: string;
  readonly rightChoices: readonly number[];
}

export type StepsOutcome =
  | {
      ok: true;
      steps: StepReport[];
      frames: FrameCopyInfo[];
      packets: string[];
      moves: FrameMove[];
      notices: RunNotice[];
      checkpoints: CheckpointJudged[];
      /** The script's edits changed the run's lab (never the saved one). */
      runEdited: boolean;
    }
  | RuleError
  | {
      ok: false;
      code: 'invalid-request';
      rule: 'format';
      message: string;
      violations: Violation[];
    };

export interface GradeOutcome {
  readonly ok: true;
  readonly objectives: RunReport['objectives'];
  readonly score: RunReport['score'];
  readonly notices: RunReport['notices'];
  /** The checkpoints' answer key: judged on the trainer's lab when one was given, else this one. */
  readonly checkpoints: readonly CheckpointJudged[];
  /** The checkpoints judged on the lab graded (what happens in it now). */
  readonly happened: readonly CheckpointJudged[];
}

export interface SessionOptions {
  /** Asked now and then while a run works; true stops it (`cancelled`). */
  readonly interrupt?: Interrupt;
  /** Each run's budget (budget.ts defaults for what is left out). */
  readonly limits?: Partial<RunLimits>;
}

/** Whether two labs differ at most in `ui` (what the editor keeps: positions, viewport). */
function sameBesidesUi(a: Lab, b: Lab): boolean {
  for (const key of new Set([...Object.keys(a), ...Object.keys(b)]) as Set<keyof Lab>)
    if (key !== 'ui' && a[key] !== b[key]) return false;
  return true;
}

export class TrafficSession {
  private sim: Simulation | null = null;
  /** The steps run since the last reset, in order, for `compare`. */
  private sent: TrafficStep[] = [];
  /** The lab the run works on: the saved lab, changed by the script's edits since the reset. */
  private lab: Lab;

  constructor(
    /** The saved lab, as the student left it. */
    private base: Lab,
    private readonly options: SessionOptions = {},
  ) {
    this.lab = base;
  }

  /** The lab as the run has it (the saved lab, plus the script's edits since the reset). */
  get current(): Lab {
    return this.lab;
  }

  /** An accepted edit changed the saved lab: the run takes it (its own edits end), and the simulator keeps what it learned. */
  setLab(lab: Lab): void {
    const runEdits = this.lab !== this.base;
    const uiOnly = runEdits && sameBesidesUi(this.base, lab);
    this.base = lab;
    if (uiOnly) {
      // Moving nodes is no edit of the network: the run keeps the script's edits.
      this.lab = { ...this.lab, ui: lab.ui };
      return;
    }
    this.lab = lab;
    this.sim?.setLab(lab);
  }

  private simulation(): Simulation {
    const { interrupt, limits } = this.options;
    this.sim ??= new Simulation(this.lab, {
      ...(interrupt !== undefined ? { interrupt } : {}),
      ...(limits !== undefined ? { limits } : {}),
    });
    return this.sim;
  }

  /** Empty tables, caches, captures and trace, and the saved lab back (the script's edits end). */
  reset(): void {
    this.sim?.reset();
    if (this.lab !== this.base) {
      this.lab = this.base;
      this.sim?.setLab(this.base);
    }
    this.sent = [];
  }

  /**
   * Runs the script's step `index` (through step `through`, when given), an ad-hoc `step`, or
   * (neither) the whole script from a reset.
   */
  run(index: number | undefined, rawStep: unknown, through?: number): StepsOutcome {
    if (index !== undefined && rawStep !== undefined)
      return ruleError('invalid-request', 'P6', 'Give a script step index or a step, not both.');
    if (through !== undefined && index === undefined)
      return ruleError(
        'invalid-request',
        'P6',
        'Give the first step (index) with the last (through).',
      );
    if (rawStep !== undefined) {
      const parsed = parseStep(rawStep, this.lab.actingUser);
      if (!parsed.ok)
        return {
          ok: false,
          code: 'invalid-request',
          rule: 'format',
          message: parsed.violations[0]?.message ?? 'Bad step.',
          violations: parsed.violations,
        };
      return this.runSteps([[0, parsed.step]], false);
    }
    if (index !== undefined) {
      const step = this.lab.traffic[index];
      if (!step)
        return ruleError(
          'not-found',
          'P6',
          `The script has ${this.lab.traffic.length} steps; there is no step ${index + 1}.`,
        );
      const last = Math.min(through ?? index, this.lab.traffic.length - 1);
      if (last < index)
        return ruleError(
          'invalid-request',
          'P6',
          `Step ${index + 1} comes after step ${last + 1}.`,
        );
      return this.runSteps(
        this.lab.traffic.slice(index, last + 1).map((s, i) => [index + i, s] as const),
      );
    }
    this.reset();
    return this.runSteps(this.lab.traffic.map((s, i) => [i, s] as const));
  }

  /** One run: its own budget; what earlier runs learned, captured and traced stays. */
  private runSteps(
    steps: readonly (readonly [number, Lab['traffic'][number]])[],
    script = true,
  ): StepsOutcome {
    const sim = this.simulation();
    sim.beginRun(this.options.limits);
    const ran = runSteps(this.lab, sim, steps, (report, step) => {
      if (report.skipped !== true) this.remember(step);
    });
    this.lab = ran.lab;
    const lineage = sim.takeLineage(framesNamed(ran.reports));
    return {
      ok: true,
      steps: ran.reports,
      ...trafficFrames(ran.reports, lineage),
      notices: sim.notices(),
      // Checkpoints are asked before script steps; an ad-hoc step is none of them.
      checkpoints: script ? this.judged(ran.reports) : [],
      runEdited: this.lab !== this.base,
    };
  }

  /** The checkpoints asked before a script step of this run, judged on its report. */
  private judged(reports: readonly StepReport[]): CheckpointJudged[] {
    const out: CheckpointJudged[] = [];
    for (const checkpoint of this.base.checkpoints) {
      const report = reports.find((r) => r.index === checkpoint.before && r.skipped !== true);
      if (report === undefined) continue;
      out.push({
        id: checkpoint.id,
        rightChoices: checkpointOutcome(checkpoint, report).rightChoices,
      });
    }
    return out;
  }

  /**
   * The verdicts `nestlab grade` gives the saved lab (for `exercise.status`, the attempt
   * composed with the trainer's script and objectives), on a simulation of its own: the
   * session's traffic is left alone. The checkpoints are judged on `keyLab` when given (the
   * trainer's lab as handed out: `nestlab grade`'s answer key), else on the saved lab.
   */
  grade(keyLab?: Lab): GradeOutcome {
    const { interrupt, limits } = this.options;
    const options = {
      gradeInvalid: true,
      ...(interrupt !== undefined ? { interrupt } : {}),
      ...(limits !== undefined ? { limits } : {}),
    };
    const report = runLab(this.base, options);
    // The key's run needs no objectives: only the script, judged at each checkpoint.
    const key =
      keyLab !== undefined && keyLab.checkpoints.length > 0
        ? runLab({ ...keyLab, objectives: [] }, options)
        : undefined;
    return {
      ok: true,
      objectives: report.objectives,
      score: report.score,
      notices: key ? [...report.notices, ...key.notices] : report.notices,
      checkpoints: (key ?? report).checkpoints.map(judgedOf),
      happened: report.checkpoints.map(judgedOf),
    };
  }

  private remember(step: TrafficStep): void {
    this.sent.push(step);
    if (this.sent.length > MAX_REPLAY_STEPS)
      this.sent.splice(0, this.sent.length - MAX_REPLAY_STEPS);
  }

  /** What-if: the steps sent since the reset, replayed with and without `change`. */
  compare(change: WhatIfChange): CompareResult {
    // The steps sent include the script's edits: they replay on the saved lab, as they ran.
    return compareTraffic(this.base, this.sent, change, this.options.interrupt);
  }

  /** The trace events of one frame copy since the last reset, in order (none if unknown). */
  frameEvents(frame: number): TraceEvent[] {
    return this.sim === null ? [] : this.sim.trace.filter((e) => e.frame === frame);
  }

  macTable(network: string) {
    return this.simulation().macTable(network);
  }

  learnedTable(device: string) {
    return this.simulation().learnedTable(device);
  }

  arpCache(vm: string) {
    return this.simulation().arpCache(vm);
  }

  /** Every table in one answer, so a view of a large lab asks once, not once per device. */
  tables(): SimTables {
    const sim = this.simulation();
    const learned: DeviceTable[] = [];
    const arp: SimTables['arp'][number][] = [];
    const visit = (vms: Lab['vms']): void => {
      for (const vm of vms) {
        for (const sw of vm.switches)
          learned.push({ device: sw.id, kind: 'switch', rows: sim.learnedTable(sw.id) });
        if (vm.role === 'bridge')
          learned.push({ device: vm.id, kind: 'bridge', rows: sim.learnedTable(vm.id) });
        else if (vm.adapters.some((a) => a.ip !== undefined))
          arp.push({ vm: vm.id, rows: sim.arpCache(vm.id) });
        visit(vm.nested);
      }
    };
    visit(this.lab.vms);
    return {
      macTables: this.lab.networks.map((n) => ({
        device: n.id,
        kind: 'network',
        rows: sim.macTable(n.id),
      })),
      learned,
      arp,
    };
  }

  capture(device: string): CaptureRow[] {
    return this.simulation()
      .captures(device)
      .map((f) => ({
        t: f.t,
        port: f.port,
        frame: f.frame,
        origin: f.origin,
        proto: f.proto,
        src: f.src,
        dst: f.dst,
        hex: toHex(f.bytes),
      }));
  }

  exportPcapng(devices: readonly string[] | undefined): {
    ok: true;
    fileName: string;
    base64: string;
  } {
    const bytes = exportPcapng(this.simulation(), devices ? [...devices] : undefined);
    return { ok: true, fileName: 'nestlab-capture.pcapng', base64: toBase64(bytes) };
  }

  loops() {
    return this.simulation().loops();
  }
}

function judgedOf(c: {
  readonly id: string;
  readonly rightChoices: readonly number[];
}): CheckpointJudged {
  return { id: c.id, rightChoices: c.rightChoices };
}
