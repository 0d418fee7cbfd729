/**
 * `npm run bench`: every benchmark of the project, printed as a table (and as JSON with
 * `-- --json`). Later issues add their sections here. `-- --quick` shrinks the time budget;
 * `-- --only SECTION` (sim, store, editor, simView, verdict) runs one section. The text ends
 * with the summary of the targets of the sections that ran.
 */
import { runSimBench, type SimBench, type SimFigure } from './sim-bench';
import { formatStoreBench, runStoreBench } from './store-bench';
import { formatSimViewSection, runSimViewSection } from './sim-view-bench';
import { formatEditorSection, runEditorSection } from './editor-bench';
import { formatVerdictSection, formatVerdictTargets, runVerdictSection } from './verdict-bench';

const json = process.argv.includes('--json');
const quick = process.argv.includes('--quick');
const SIZES = [10, 100, 1_000, 10_000];
const SECTIONS = ['sim', 'store', 'editor', 'simView', 'verdict'] as const;
const onlyAt = process.argv.indexOf('--only');
const only = onlyAt >= 0 ? process.argv[onlyAt + 1] : undefined;
if (only !== undefined && !SECTIONS.some((name) => name === only)) {
  process.stderr.write(`bench: --only takes one of ${SECTIONS.join(', ')}\n`);
  process.exit(2);
}
const wants = (section: (typeof SECTIONS)[number]) => only === undefined || only === section;

function fmt(n: number, digits = 0): string {
  return n.toLocaleString('en-US', {
    maximumFractionDigits: digits,
    minimumFractionDigits: digits,
  });
}

function table(rows: string[][]): string {
  const widths = rows[0]?.map((_, c) => Math.max(...rows.map((r) => (r[c] ?? '').length))) ?? [];
  return rows
    .map((r) =>
      r
        .map((cell, c) => (c < 2 ? cell.padEnd(widths[c] ?? 0) : cell.padStart(widths[c] ?? 0)))
        .join('  '),
    )
    .join('\n');
}

const sim = wants('sim') ? runSimBench(SIZES, quick ? 150 : 1_000, quick ? 1 : 3) : undefined;

function simTargetsOf(sim: SimBench) {
  const at = (vms: number) =>
    sim.figures.find((f: SimFigure) => f.vms === vms && f.traffic === 'unicast ping' && !f.trace);
  const big = at(10_000);
  const small = at(10);
  return {
    hopsPerSecondAt10k: {
      value: big?.hopsPerSecond ?? 0,
      target: 3_000_000,
      met: (big?.hopsPerSecond ?? 0) >= 3_000_000,
    },
    // Each figure is the best of its rounds, the run least slowed by anything else on the
    // machine; the ratio within each round is kept for the record.
    costRatio10kTo10: {
      value: (big?.nsPerHop ?? 0) / (small?.nsPerHop ?? 1),
      byRound: sim.costRatiosByRound,
      target: 1.5,
      met: (big?.nsPerHop ?? 0) / (small?.nsPerHop ?? 1) <= 1.5,
    },
    stormMs: {
      value: sim.storm.millisecondsToLoopDetected,
      target: 20,
      met: sim.storm.millisecondsToLoopDetected <= 20,
    },
  };
}

const simTargets = sim && simTargetsOf(sim);
const editorRuns = quick ? 1 : 3;
const mark = (met: boolean) => (met ? 'met' : 'NOT met');

function formatSim(sim: SimBench): string {
  const rows = [['VMs', 'traffic', 'trace', 'hops/s', 'events/s', 'ns/hop', 'peak heap MB']];
  for (const f of sim.figures)
    rows.push([
      fmt(f.vms),
      f.traffic,
      f.trace ? 'on' : 'off',
      fmt(f.hopsPerSecond),
      fmt(f.eventsPerSecond),
      fmt(f.nsPerHop, 1),
      fmt(f.peakHeapMb, 1),
    ]);
  return [
    `Frame simulator (Node ${process.version}, one core, best of ${quick ? 1 : 3} runs of ${quick ? 150 : 1000} ms (unicast with the trace off: ${quick ? 1 : 5}), each in a process of its own; a round runs every size in turn)\n${table(rows)}\n`,
    `Three-bridge storm: loop-detected after ${fmt(sim.storm.millisecondsToLoopDetected, 2)} ms (${sim.storm.copiesStopped} copies stopped; cycle ${sim.storm.cycle.join(' → ')})`,
  ].join('\n');
}

function simTargetLines(sim: SimBench, targets: ReturnType<typeof simTargetsOf>): string[] {
  return [
    `≥ 3,000,000 hops/s at 10,000 VMs (trace off): ${fmt(targets.hopsPerSecondAt10k.value)} — ${mark(targets.hopsPerSecondAt10k.met)}`,
    `cost per hop at 10,000 VMs ≤ 1.5× the cost at 10: ${fmt(targets.costRatio10kTo10.value, 2)}× — ${mark(targets.costRatio10kTo10.met)} (best against best; within each round: ${sim.costRatiosByRound.map((r) => `${fmt(r, 2)}×`).join(', ')})`,
    `storm stopped within 20 ms: ${fmt(targets.stormMs.value, 2)} ms — ${mark(targets.stormMs.met)}`,
  ];
}

if (json) {
  const editor = wants('editor') ? await runEditorSection(quick, editorRuns) : undefined;
  const simView = wants('simView') ? await runSimViewSection(quick) : undefined;
  const store = wants('store') ? runStoreBench(quick) : undefined;
  const verdict = wants('verdict') ? await runVerdictSection(quick) : undefined;
  const targets = simTargets || verdict ? { ...simTargets, verdict: verdict?.targets } : undefined;
  process.stdout.write(
    `${JSON.stringify({ node: process.version, sim: sim?.figures, storm: sim?.storm, targets, store, editor, simView, verdict }, null, 2)}\n`,
  );
} else {
  let first = true;
  // Sections apart by one blank line, printed as each one ends.
  const print = (text: string) => {
    process.stdout.write(`${first ? '' : '\n'}${text}\n`);
    first = false;
  };
  if (sim) print(formatSim(sim));
  if (wants('store')) print(formatStoreBench(runStoreBench(quick)));
  if (wants('editor'))
    print(formatEditorSection(await runEditorSection(quick, editorRuns), editorRuns));
  if (wants('simView')) print(formatSimViewSection(await runSimViewSection(quick)));
  const verdict = wants('verdict') ? await runVerdictSection(quick) : undefined;
  if (verdict) print(formatVerdictSection(verdict));
  // The summary: every target of the sections that ran, met or not.
  const lines = [
    ...(sim && simTargets ? simTargetLines(sim, simTargets) : []),
    ...(verdict ? formatVerdictTargets(verdict) : []),
  ];
  if (lines.length > 0) print(`Targets: ${lines.join('\n         ')}`);
}
