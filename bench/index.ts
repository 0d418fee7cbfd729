/**
 * `npm run bench`: every benchmark of the project, printed as a table (and as JSON with
 * `-- --json`). Later issues add their sections here. `-- --quick` shrinks the time budget.
 */
import { runSimBench, type SimFigure } from './sim-bench';
import { formatStoreBench, runStoreBench } from './store-bench';
import { formatSimViewSection, runSimViewSection } from './sim-view-bench';
import { formatEditorSection, runEditorSection } from './editor-bench';

const json = process.argv.includes('--json');
const quick = process.argv.includes('--quick');
const SIZES = [10, 100, 1_000, 10_000];

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

const sim = runSimBench(SIZES, quick ? 150 : 1_000, quick ? 1 : 3);
const targets = (() => {
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
})();

const editorRuns = quick ? 1 : 3;

if (json) {
  const editor = await runEditorSection(quick, editorRuns);
  const simView = await runSimViewSection(quick);
  process.stdout.write(
    `${JSON.stringify({ node: process.version, sim: sim.figures, storm: sim.storm, targets, store: runStoreBench(quick), editor, simView }, null, 2)}\n`,
  );
} else {
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
  process.stdout.write(
    `Frame simulator (Node ${process.version}, one core, best of ${quick ? 1 : 3} runs of ${quick ? 150 : 1000} ms (unicast with the trace off: ${quick ? 1 : 5}), each in a process of its own; a round runs every size in turn)\n${table(rows)}\n\n`,
  );
  process.stdout.write(
    `Three-bridge storm: loop-detected after ${fmt(sim.storm.millisecondsToLoopDetected, 2)} ms (${sim.storm.copiesStopped} copies stopped; cycle ${sim.storm.cycle.join(' → ')})\n\n`,
  );
  const mark = (met: boolean) => (met ? 'met' : 'NOT met');
  process.stdout.write(
    `Targets: ≥ 3,000,000 hops/s at 10,000 VMs (trace off): ${fmt(targets.hopsPerSecondAt10k.value)} — ${mark(targets.hopsPerSecondAt10k.met)}\n`,
  );
  process.stdout.write(
    `         cost per hop at 10,000 VMs ≤ 1.5× the cost at 10: ${fmt(targets.costRatio10kTo10.value, 2)}× — ${mark(targets.costRatio10kTo10.met)} (best against best; within each round: ${sim.costRatiosByRound.map((r) => `${fmt(r, 2)}×`).join(', ')})\n`,
  );
  process.stdout.write(
    `         storm stopped within 20 ms: ${fmt(targets.stormMs.value, 2)} ms — ${mark(targets.stormMs.met)}\n`,
  );
  process.stdout.write(`\n${formatStoreBench(runStoreBench(quick))}\n`);
  const editor = await runEditorSection(quick, editorRuns);
  process.stdout.write(`\n${formatEditorSection(editor, editorRuns)}\n`);
  process.stdout.write(`\n${formatSimViewSection(await runSimViewSection(quick))}\n`);
}
