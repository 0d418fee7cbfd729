/**
 * One simulator measurement, run by bench/sim-bench.ts in a process of its own:
 * `sim-measure.ts VMS 'unicast ping'|'arp broadcast' on|off BUDGET_MS` prints the figure as
 * one line of JSON.
 */
import { measure } from './sim-bench';
import type { SimFigure } from './sim-bench';

const [vmsArg, trafficArg, traceArg, budgetArg] = process.argv.slice(2);
const vms = Number(vmsArg);
const budgetMs = Number(budgetArg);
const traffic = trafficArg as SimFigure['traffic'];
if (
  !Number.isInteger(vms) ||
  vms < 0 ||
  !(budgetMs > 0) ||
  (traffic !== 'unicast ping' && traffic !== 'arp broadcast') ||
  (traceArg !== 'on' && traceArg !== 'off')
) {
  process.stderr.write(
    "usage: sim-measure.ts VMS 'unicast ping'|'arp broadcast' on|off BUDGET_MS\n",
  );
  process.exit(2);
}
process.stdout.write(`${JSON.stringify(measure(vms, traffic, traceArg === 'on', budgetMs))}\n`);
