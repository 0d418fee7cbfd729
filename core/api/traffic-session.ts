/**
 * The simulator behind the api: one `Simulation` per open lab, kept across steps so tables,
 * caches and captures build up as a student sends traffic, and told about every accepted
 * edit (`setLab`). Steps run through `runSteps`, the same code `nestlab run` uses, each call a
 * run with its own budget (what it cut comes back as notices). The session
 * remembers the steps run since the last reset (at most MAX_REPLAY_STEPS, the oldest
 * forgotten first) for the what-if comparison, and hands each run's frame lineage to the
 * caller once, so the simulator keeps none between runs.
 */
import type { Lab, RuleError, TrafficStep, Violation } from '../model';
import { ruleError } from '../model';
import { toBase64, toHex } from '../common/encoding';
import { parseStep } from '../lab/parse';
import { runSteps, type StepReport } from '../lab/run';
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

export type StepsOutcome =
  | {
      ok: true;
      lab: Lab;
      steps: StepReport[];
      frames: FrameCopyInfo[];
      packets: string[];
      moves: FrameMove[];
      notices: RunNotice[];
      /** Whether the steps' edits changed the lab (then `lab` is the lab they left). */
      changed: boolean;
    }
  | RuleError
  | {
      ok: false;
      code: 'invalid-request';
      rule: 'format';
      message: string;
      violations: Violation[];
    };

export interface SessionOptions {
  /** Asked now and then while a run works; true stops it (`cancelled`). */
  readonly interrupt?: Interrupt;
  /** Each run's budget (budget.ts defaults for what is left out). */
  readonly limits?: Partial<RunLimits>;
}

export class TrafficSession {
  private sim: Simulation | null = null;
  /** The steps run since the last reset, in order, for `compare`. */
  private sent: TrafficStep[] = [];

  constructor(
    private lab: Lab,
    private readonly options: SessionOptions = {},
  ) {}

  /** The lab as the session has it (an accepted edit, or a script's edits, changed it). */
  get current(): Lab {
    return this.lab;
  }

  /** An accepted edit changed the lab: keep what the simulator learned. */
  setLab(lab: Lab): void {
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

  reset(): void {
    this.sim?.reset();
    this.sent = [];
  }

  /** Runs the script's step `index`, an ad-hoc `step`, or (neither) the whole script. */
  run(index: number | undefined, rawStep: unknown): StepsOutcome {
    if (index !== undefined && rawStep !== undefined)
      return ruleError('invalid-request', 'P6', 'Give a script step index or a step, not both.');
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
      return this.runSteps([[0, parsed.step]]);
    }
    if (index !== undefined) {
      const step = this.lab.traffic[index];
      if (!step)
        return ruleError(
          'not-found',
          'P6',
          `The script has ${this.lab.traffic.length} steps; there is no step ${index + 1}.`,
        );
      return this.runSteps([[index, step]]);
    }
    return this.runSteps(this.lab.traffic.map((s, i) => [i, s] as const));
  }

  /** One run: its own budget; what earlier runs learned, captured and traced stays. */
  private runSteps(steps: readonly (readonly [number, Lab['traffic'][number]])[]): StepsOutcome {
    const sim = this.simulation();
    sim.beginRun(this.options.limits);
    const before = this.lab;
    const ran = runSteps(this.lab, sim, steps, (report, step) => {
      if (report.skipped !== true) this.remember(step);
    });
    this.lab = ran.lab;
    const lineage = sim.takeLineage(framesNamed(ran.reports));
    return {
      ok: true,
      lab: this.lab,
      steps: ran.reports,
      ...trafficFrames(ran.reports, lineage),
      notices: sim.notices(),
      changed: this.lab !== before,
    };
  }

  private remember(step: TrafficStep): void {
    this.sent.push(step);
    if (this.sent.length > MAX_REPLAY_STEPS)
      this.sent.splice(0, this.sent.length - MAX_REPLAY_STEPS);
  }

  /** What-if: the steps sent since the reset, replayed with and without `change`. */
  compare(change: WhatIfChange): CompareResult {
    return compareTraffic(this.lab, this.sent, change, this.options.interrupt);
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
