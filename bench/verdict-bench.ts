/**
 * Time to a verdict: how long Nestlab takes to grade a lab's objectives, on the labs of the
 * namespace comparison (bench/verdict-labs.ts: e4, n10, n50, n200). In-process (what "Check"
 * in the app costs: `runLab` on a parsed lab, cold then warm, each lab in a process of its
 * own), as a whole `nestlab run --json` process, and, where the machine allows, side by side
 * with the same labs emulated in Linux network namespaces (bench/verdict-netns.ts). The last
 * section of `npm run bench`; alone: `npm run bench -- --only verdict` or
 * `tsx bench/verdict-bench.ts [--quick] [--json]`.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureCliBuilt } from './build-freshness';
import { inProcessInChild, type InProcessFigure } from './verdict-in-process';
import { verdictLabs, type VerdictLab } from './verdict-labs';
import { findNetnsScript, runNetns, type NetnsFigure, type NetnsRun } from './verdict-netns';
import {
  bareNodeMs,
  extraCaCerts,
  measureWholeProcess,
  type RunEnvironment,
  type WholeProcessFigure,
} from './verdict-whole-process';

const repoRoot = fileURLToPath(new URL('../', import.meta.url));
export const VERDICT_SIZES = [10, 50, 200] as const;

/** How long each measurement runs; `--quick` shortens every one. */
export interface VerdictBudget {
  readonly warmMinMs: number;
  readonly warmMinRuns: number;
  readonly wholeProcessRuns: number;
  readonly netnsRuns: number;
}

export const budgetFor = (quick: boolean): VerdictBudget =>
  quick
    ? { warmMinMs: 200, warmMinRuns: 5, wholeProcessRuns: 3, netnsRuns: 3 }
    : { warmMinMs: 500, warmMinRuns: 10, wholeProcessRuns: 7, netnsRuns: 5 };

export interface Target {
  readonly value: number;
  readonly target: number;
  readonly met: boolean;
}

export interface VerdictTargets {
  /** Warm in-process cost per objective at n200 over the same at n10 (≤ 1.5×). */
  readonly perObjectiveN200OverN10: Target;
  /** The netns median over Nestlab's warm in-process median, per lab (≥ 100×); absent without netns. */
  readonly netnsOverInProcess?: Readonly<Record<string, Target>>;
  /** The netns median over Nestlab's whole-process median: ≥ 5× at n50, ≥ 10× at n200. */
  readonly netnsOverWholeProcess?: Readonly<Record<string, Target>>;
  /** The same, Nestlab timed without NODE_EXTRA_CA_CERTS; absent when it is not set. */
  readonly netnsOverWholeProcessWithoutExtraCa?: Readonly<Record<string, Target>>;
}

/** Node's own start (`node -e 0`), here and, when the environment sets it, without NODE_EXTRA_CA_CERTS. */
export interface StartupFigures {
  readonly bareNodeMs: number;
  readonly extraCaCerts?: string;
  readonly bareNodeWithoutExtraCaMs?: number;
}

export interface VerdictSection {
  readonly budget: VerdictBudget;
  readonly inProcess: readonly InProcessFigure[];
  readonly wholeProcess: readonly WholeProcessFigure[];
  /** The whole process again without NODE_EXTRA_CA_CERTS, when this environment sets it. */
  readonly wholeProcessWithoutExtraCa?: readonly WholeProcessFigure[];
  readonly startup: StartupFigures;
  readonly netns: NetnsRun;
  readonly targets: VerdictTargets;
  /** Set when the CLI bundle could not be rebuilt from newer sources. */
  readonly staleCli?: string;
}

const atMost = (value: number, target: number): Target => ({ value, target, met: value <= target });
const atLeast = (value: number, target: number): Target => ({
  value,
  target,
  met: value >= target,
});
const WHOLE_PROCESS_TARGETS: Readonly<Record<string, number>> = { n50: 5, n200: 10 };

function targetsOf(
  inProcess: readonly InProcessFigure[],
  wholeProcess: readonly WholeProcessFigure[],
  wholeProcessWithoutExtraCa: readonly WholeProcessFigure[] | undefined,
  netns: NetnsRun,
): VerdictTargets {
  const perObjective = (lab: string) => inProcess.find((f) => f.lab === lab)?.perObjectiveMs ?? NaN;
  const perObjectiveN200OverN10 = atMost(perObjective('n200') / perObjective('n10'), 1.5);
  if (!('figures' in netns)) return { perObjectiveN200OverN10 };
  const netnsS = (lab: string) => netns.figures.find((f) => f.lab === lab)?.medianS ?? NaN;
  const netnsOverInProcess = Object.fromEntries(
    inProcess.map((f) => [f.lab, atLeast(netnsS(f.lab) / (f.warmMs / 1000), 100)]),
  );
  const overWhole = (figures: readonly WholeProcessFigure[]) =>
    Object.fromEntries(
      figures
        .filter((f) => WHOLE_PROCESS_TARGETS[f.lab] !== undefined)
        .map((f) => [
          f.lab,
          atLeast(netnsS(f.lab) / (f.medianMs / 1000), WHOLE_PROCESS_TARGETS[f.lab] ?? NaN),
        ]),
    );
  return {
    perObjectiveN200OverN10,
    netnsOverInProcess,
    netnsOverWholeProcess: overWhole(wholeProcess),
    ...(wholeProcessWithoutExtraCa && {
      netnsOverWholeProcessWithoutExtraCa: overWhole(wholeProcessWithoutExtraCa),
    }),
  };
}

/** Each lab written to a scratch folder and run as a whole `nestlab run` process. */
function wholeProcessFigures(
  labs: readonly VerdictLab[],
  runs: number,
  which: RunEnvironment,
): WholeProcessFigure[] {
  const folder = mkdtempSync(join(tmpdir(), 'nestlab-verdict-'));
  try {
    return labs.map((lab) => {
      const how = which === 'as-is' ? '' : ' without NODE_EXTRA_CA_CERTS';
      process.stderr.write(`verdict: ${lab.name} as a whole process${how}…\n`);
      const file = join(folder, `${lab.name}.lab.yaml`);
      writeFileSync(file, lab.text);
      return measureWholeProcess(lab.name, file, lab.objectives, runs, which);
    });
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}

/** Every figure of the section; progress on stderr. */
export async function runVerdictSection(quick: boolean): Promise<VerdictSection> {
  const budget = budgetFor(quick);
  const labs = verdictLabs(VERDICT_SIZES);
  const inProcess = labs.map((lab) => {
    process.stderr.write(`verdict: ${lab.name} in process…\n`);
    return inProcessInChild(lab.name, budget.warmMinMs, budget.warmMinRuns);
  });
  const staleCli = ensureCliBuilt();
  const wholeProcess = wholeProcessFigures(labs, budget.wholeProcessRuns, 'as-is');
  const extraCa = extraCaCerts();
  const wholeProcessWithoutExtraCa =
    extraCa === undefined
      ? undefined
      : wholeProcessFigures(labs, budget.wholeProcessRuns, 'without-extra-ca');
  const startup: StartupFigures = {
    bareNodeMs: bareNodeMs(budget.wholeProcessRuns, 'as-is'),
    ...(extraCa !== undefined && {
      extraCaCerts: extraCa,
      bareNodeWithoutExtraCaMs: bareNodeMs(budget.wholeProcessRuns, 'without-extra-ca'),
    }),
  };
  const found = findNetnsScript(repoRoot);
  const netns =
    'script' in found ? await runNetns(found.script, repoRoot, budget.netnsRuns, labs) : found;
  const targets = targetsOf(inProcess, wholeProcess, wholeProcessWithoutExtraCa, netns);
  return {
    budget,
    inProcess,
    wholeProcess,
    ...(wholeProcessWithoutExtraCa && { wholeProcessWithoutExtraCa }),
    startup,
    netns,
    targets,
    ...(staleCli && { staleCli }),
  };
}

// ——— Text ———

const fixed = (n: number, digits: number) =>
  n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
const times = (n: number) => `${fixed(n, n < 10 ? 1 : 0)}×`;
const mark = (t: Target) => (t.met ? 'met' : 'NOT met');

/** Columns: the first left-aligned, the others right-aligned. */
function columns(rows: readonly (readonly string[])[]): string[] {
  const widths = rows[0]?.map((_, c) => Math.max(...rows.map((r) => (r[c] ?? '').length))) ?? [];
  return rows.map((r) =>
    r
      .map((cell, c) => (c === 0 ? cell.padEnd(widths[c] ?? 0) : cell.padStart(widths[c] ?? 0)))
      .join('  ')
      .trimEnd(),
  );
}

function nestlabTable(s: VerdictSection): string[] {
  const rows = [
    [
      'lab',
      'objectives',
      'parse ms',
      'cold ms',
      'warm ms',
      'runs',
      'ms/objective',
      'whole process ms',
      ...(s.wholeProcessWithoutExtraCa ? ['without NODE_EXTRA_CA_CERTS ms'] : []),
    ],
  ];
  const range = (w: WholeProcessFigure | undefined) =>
    w ? `${fixed(w.medianMs, 0)} [${fixed(w.minMs, 0)}–${fixed(w.maxMs, 0)}]` : '';
  for (const f of s.inProcess) {
    const whole = s.wholeProcess.find((w) => w.lab === f.lab);
    const clean = s.wholeProcessWithoutExtraCa?.find((w) => w.lab === f.lab);
    rows.push([
      f.lab,
      String(f.objectives),
      fixed(f.parseMs, 1),
      fixed(f.coldMs, 1),
      fixed(f.warmMs, 2),
      String(f.warmRuns),
      fixed(f.perObjectiveMs, 3),
      range(whole),
      ...(s.wholeProcessWithoutExtraCa ? [range(clean)] : []),
    ]);
  }
  return columns(rows).map((line) => `  ${line}`);
}

function netnsTable(s: VerdictSection, figures: readonly NetnsFigure[]): string[] {
  const withoutCa = s.targets.netnsOverWholeProcessWithoutExtraCa;
  const rows = [
    [
      'lab',
      'netns s',
      'in-process s',
      'whole process s',
      'netns / in-process',
      'netns / whole',
      ...(withoutCa ? ['netns / whole, no NODE_EXTRA_CA_CERTS'] : []),
    ],
  ];
  for (const n of figures) {
    const inProcess = s.inProcess.find((f) => f.lab === n.lab);
    const whole = s.wholeProcess.find((f) => f.lab === n.lab);
    const overIn = s.targets.netnsOverInProcess?.[n.lab];
    const overWhole = s.targets.netnsOverWholeProcess?.[n.lab];
    const wholeRatio = whole ? n.medianS / (whole.medianMs / 1000) : NaN;
    rows.push([
      n.lab,
      `${fixed(n.medianS, 3)} [${fixed(n.minS, 3)}–${fixed(n.maxS, 3)}]`,
      inProcess ? fixed(inProcess.warmMs / 1000, 5) : '',
      whole ? fixed(whole.medianMs / 1000, 3) : '',
      overIn ? `${times(overIn.value)} (≥ 100×: ${mark(overIn)})` : '',
      overWhole
        ? `${times(overWhole.value)} (≥ ${overWhole.target}×: ${mark(overWhole)})`
        : times(wholeRatio),
      ...(withoutCa ? [ratioWithoutCa(s, n)] : []),
    ]);
  }
  return columns(rows).map((line) => `  ${line}`);
}

function ratioWithoutCa(s: VerdictSection, n: NetnsFigure): string {
  const target = s.targets.netnsOverWholeProcessWithoutExtraCa?.[n.lab];
  if (target) return `${times(target.value)} (≥ ${target.target}×: ${mark(target)})`;
  const clean = s.wholeProcessWithoutExtraCa?.find((f) => f.lab === n.lab);
  return clean ? times(n.medianS / (clean.medianMs / 1000)) : '';
}

function startupLine(s: VerdictSection): string {
  const u = s.startup;
  const bare = `Node's own start (node -e 0): ${fixed(u.bareNodeMs, 0)} ms`;
  if (u.bareNodeWithoutExtraCaMs === undefined) return `  ${bare}`;
  return `  ${bare} here, ${fixed(u.bareNodeWithoutExtraCaMs, 0)} ms without NODE_EXTRA_CA_CERTS (this environment sets it to ${u.extraCaCerts}; Node parses every certificate in it at start, before Nestlab's first line, for TLS a run never uses; a desktop does not set it)`;
}

function formatNetns(s: VerdictSection): string[] {
  const n = s.netns;
  if (!('figures' in n)) return [`verdict vs netns: ${'skipped' in n ? n.skipped : n.failed}`];
  return [
    `verdict vs netns (${n.script} --runs ${n.runs}, ${n.method}: build + one ping per objective + teardown as one process, median [min–max]; beside Nestlab's warm in-process and whole-process medians above):`,
    ...netnsTable(s, n.figures),
    `  the script's own nestlab run medians: ${n.figures.map((f) => `${f.lab} ${fixed(f.scriptNestlabMedianS, 3)} s`).join(', ')}; its verdicts: ${n.figures.map((f) => `${f.lab} ${f.verdicts}`).join(', ')}`,
    `  ${n.speedupLine} (the script's netns / nestlab run)`,
    ...n.warnings.map((w) => `  WARNING: ${w}`),
  ];
}

export function formatVerdictSection(s: VerdictSection): string {
  const b = s.budget;
  const t = s.targets.perObjectiveN200OverN10;
  return [
    `Time to a verdict (Node ${process.version}; labs e4, ${VERDICT_SIZES.map((n) => `n${n}`).join(', ')} as netns_lab.py writes them; every objective passed)`,
    `  in-process: runLab on a parsed lab, each lab in a process of its own: the first call, then the median of ≥ ${b.warmMinRuns} warm runs lasting ≥ ${b.warmMinMs} ms`,
    `  process: node bin/nestlab.js run LAB --json, spawn to exit, median [min–max] of ${b.wholeProcessRuns} runs after one warm-up`,
    ...nestlabTable(s),
    startupLine(s),
    ...(s.staleCli ? [`  WARNING: ${s.staleCli}`] : []),
    `  per objective, n200 / n10 (warm, in-process): ${fixed(t.value, 2)}× — target ≤ 1.5×: ${mark(t)}`,
    ...formatNetns(s),
  ].join('\n');
}

/** The section's lines for the summary of targets `npm run bench` ends with. */
export function formatVerdictTargets(s: VerdictSection): string[] {
  const t = s.targets;
  const list = (targets: Readonly<Record<string, Target>>) =>
    Object.entries(targets)
      .map(([lab, x]) => `${lab} ${times(x.value)}${x.met ? '' : ' (NOT met)'}`)
      .join(', ');
  const all = (targets: Readonly<Record<string, Target>>) =>
    Object.values(targets).every((x) => x.met) ? 'met' : 'NOT met';
  const lines = [
    `verdict cost per objective at n200 ≤ 1.5× the cost at n10: ${fixed(t.perObjectiveN200OverN10.value, 2)}× — ${mark(t.perObjectiveN200OverN10)}`,
  ];
  if (t.netnsOverInProcess && t.netnsOverWholeProcess)
    lines.push(
      `verdict netns / in-process ≥ 100× at every size: ${list(t.netnsOverInProcess)} — ${all(t.netnsOverInProcess)}`,
      `verdict netns / whole process ≥ 5× at n50, ≥ 10× at n200: ${list(t.netnsOverWholeProcess)} — ${all(t.netnsOverWholeProcess)}`,
    );
  if (t.netnsOverWholeProcessWithoutExtraCa)
    lines.push(
      `  the same without NODE_EXTRA_CA_CERTS (Node's start as on a desktop): ${list(t.netnsOverWholeProcessWithoutExtraCa)} — ${all(t.netnsOverWholeProcessWithoutExtraCa)}`,
    );
  else lines.push(...formatNetns(s));
  return lines;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const section = await runVerdictSection(process.argv.includes('--quick'));
  process.stdout.write(
    process.argv.includes('--json')
      ? `${JSON.stringify(section, null, 2)}\n`
      : `${formatVerdictSection(section)}\n\nTargets:\n${formatVerdictTargets(section)
          .map((l) => `  ${l}`)
          .join('\n')}\n`,
  );
}
