/**
 * What "Check" in the app costs: `runLab` on a lab already parsed, from a loaded lab to every
 * objective's verdict. One lab per process (bench/verdict-measure.ts), so no lab's JIT state
 * shapes another's: the first call is as cold as the app's first Check, the warm figure is the
 * median of repeats lasting at least a time budget. A verdict that is not "all objectives
 * pass" is an error, never a figure.
 */
import { performance } from 'node:perf_hooks';
import { parseLab, runLab } from '../core/lab';
import type { Lab } from '../core/model';
import { measureInChild } from './measure-child';
import { verdictLab } from './verdict-labs';

export interface InProcessFigure {
  readonly lab: string;
  readonly objectives: number;
  /** `parseLab` once, cold (not part of the verdict's time; for the record). */
  readonly parseMs: number;
  /** The first `runLab` in the process. */
  readonly coldMs: number;
  /** The median of the warm repeats. */
  readonly warmMs: number;
  readonly warmRuns: number;
  /** `warmMs` over the number of objectives. */
  readonly perObjectiveMs: number;
}

/** The middle value (the mean of the two middle ones for an even count). */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  if (sorted.length === 0) return NaN;
  return sorted.length % 2 === 1
    ? (sorted[mid] ?? NaN)
    : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
}

function parsed(name: string): { lab: Lab; objectives: number; parseMs: number } {
  const { text, objectives } = verdictLab(name);
  const started = performance.now();
  const result = parseLab(text);
  const parseMs = performance.now() - started;
  const errors = result.violations.filter((v) => v.severity === 'error');
  if (!result.ok || errors.length > 0)
    throw new Error(`${name} does not parse cleanly: ${JSON.stringify(result.violations)}`);
  return { lab: result.lab, objectives, parseMs };
}

/** One `runLab`, timed; throws unless every objective has its verdict and passes. */
function timedVerdict(name: string, lab: Lab, objectives: number): number {
  const started = performance.now();
  const report = runLab(lab);
  const ms = performance.now() - started;
  const { passed, total } = report.score;
  if (report.objectives.length !== objectives || passed !== objectives || total !== objectives)
    throw new Error(`${name}: runLab graded ${passed}/${total}, expected ${objectives} passed`);
  return ms;
}

/** Runs in the measuring child: one cold call, then warm ones until both minimums are reached. */
export function measureInProcess(name: string, minMs: number, minRuns: number): InProcessFigure {
  const { lab, objectives, parseMs } = parsed(name);
  const coldMs = timedVerdict(name, lab, objectives);
  const warm: number[] = [];
  const started = performance.now();
  while (warm.length < minRuns || performance.now() - started < minMs)
    warm.push(timedVerdict(name, lab, objectives));
  const warmMs = median(warm);
  return {
    lab: name,
    objectives,
    parseMs,
    coldMs,
    warmMs,
    warmRuns: warm.length,
    perObjectiveMs: warmMs / objectives,
  };
}

/** `measureInProcess` in a process of its own (bench/verdict-measure.ts). */
export function inProcessInChild(name: string, minMs: number, minRuns: number): InProcessFigure {
  return measureInChild<InProcessFigure>('verdict-measure.ts', [
    name,
    String(minMs),
    String(minRuns),
  ]);
}
