/**
 * One lab's in-process verdict timing, run by bench/verdict-in-process.ts in a process of its
 * own: `verdict-measure.ts LAB MIN_MS MIN_RUNS` (LAB: e4 or n<size>) prints the figure as one
 * line of JSON.
 */
import { measureInProcess } from './verdict-in-process';

const [name, minMsArg, minRunsArg] = process.argv.slice(2);
const minMs = Number(minMsArg);
const minRuns = Number(minRunsArg);
if (
  !name ||
  !/^(e4|n\d+)$/.test(name) ||
  !(minMs >= 0) ||
  !Number.isInteger(minRuns) ||
  minRuns < 1
) {
  process.stderr.write('usage: verdict-measure.ts e4|n<size> MIN_MS MIN_RUNS\n');
  process.exit(2);
}
process.stdout.write(`${JSON.stringify(measureInProcess(name, minMs, minRuns))}\n`);
