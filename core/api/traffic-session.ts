/**
 * The simulator behind the api: one `Simulation` per open lab, kept across steps so tables,
 * caches and captures build up as a student sends traffic, and told about every accepted
 * edit (`setLab`). Steps run through `runStep`, the same code `nestlab run` uses.
 */
import type { Lab, RuleError, Violation } from '../model';
import { ruleError } from '../model';
import { toBase64, toHex } from '../common/encoding';
import { parseStep } from '../lab/parse';
import { runStep, type StepReport } from '../lab/run';
import { exportPcapng, Simulation } from '../sim';
import type { CaptureRow } from './contract';

export type StepsOutcome =
  | { ok: true; lab: Lab; steps: StepReport[] }
  | RuleError
  | {
      ok: false;
      code: 'invalid-request';
      rule: 'format';
      message: string;
      violations: Violation[];
    };

export class TrafficSession {
  private sim: Simulation | null = null;

  constructor(private lab: Lab) {}

  /** An accepted edit changed the lab: keep what the simulator learned. */
  setLab(lab: Lab): void {
    this.lab = lab;
    this.sim?.setLab(lab);
  }

  private simulation(): Simulation {
    this.sim ??= new Simulation(this.lab);
    return this.sim;
  }

  reset(): void {
    this.sim?.reset();
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

  private runSteps(steps: readonly (readonly [number, Lab['traffic'][number]])[]): StepsOutcome {
    const sim = this.simulation();
    const reports: StepReport[] = [];
    for (const [index, step] of steps) {
      const outcome = runStep(this.lab, sim, step);
      if (outcome.lab !== this.lab) this.setLab(outcome.lab);
      reports.push({ index, kind: step.kind, ...outcome.report });
    }
    return { ok: true, lab: this.lab, steps: reports };
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
