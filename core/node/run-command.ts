/**
 * `nestlab run FILE [--json] [--pcap OUT.pcapng]` (lab-format.md): validate, run the traffic
 * script, grade the objectives and judge the checkpoints; print a readable trace (one line per
 * event, drops marked with their reason, colour on a terminal only, each checkpoint's right
 * choice at the end) or the JSON document; write the capture.
 * Exit 0 when every objective passes, 1 when some fail, 2 when the file is invalid (or the
 * capture cannot be written: the run is printed all the same).
 */
import { writeFileSync } from 'node:fs';
import type { Checkpoint, Violation } from '../model';
import { runLabDetailed, type RunReport, type StepReport } from '../lab/run';
import { exportPcapng, type Simulation, type TraceEvent } from '../sim';
import { checkFile, formatViolation } from './check-command';
import { ChunkedOutput, writeRunJson } from './report-writer';
import { paintFor, type Paint } from './terminal';

export function runRun(file: string, json: boolean, pcap: string | undefined): number {
  // The file is read, parsed and validated once; the run reuses its violations.
  const checked = checkFile(file);
  const paint = paintFor(process.stdout);
  if (!checked.valid || checked.lab === undefined) {
    const total = checked.lab?.objectives.length ?? 0;
    return invalid(file, checked.violations, json, paint, total);
  }
  const { report, state } = runLabDetailed(checked.lab, { violations: checked.violations });
  const unwritten = pcap === undefined || state === null ? null : writeCapture(state.sim, pcap);
  const write = (chunk: string): void => void process.stdout.write(chunk);
  if (json) writeRunJson(report, write);
  else writeRun(file, report, paint, write, checked.lab.checkpoints);
  for (const notice of report.notices)
    process.stderr.write(`nestlab run: ${notice.budget}: ${notice.message}\n`);
  if (unwritten !== null) {
    // The run is printed all the same; only the capture is missing, and the exit code says so.
    process.stderr.write(
      `nestlab run: could not write the capture to ${pcap}: ${unwritten}. Check that its folder exists and can be written, or choose another path.\n`,
    );
    return 2;
  }
  if (pcap !== undefined && !json) process.stdout.write(paint.dim(`capture written to ${pcap}\n`));
  return report.objectives.every((o) => o.passed) ? 0 : 1;
}

/** Writes the traffic script's captures as pcapng; the reason when the file cannot be written. */
function writeCapture(sim: Simulation, path: string): string | null {
  try {
    writeFileSync(path, exportPcapng(sim));
    return null;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return 'no such folder';
    if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
    if (code === 'EISDIR') return 'it is a folder';
    return error instanceof Error ? error.message : String(error);
  }
}

function invalid(
  file: string,
  violations: readonly Violation[],
  json: boolean,
  paint: Paint,
  total: number,
): number {
  if (json) {
    const report: RunReport = {
      valid: false,
      violations,
      traffic: [],
      objectives: [],
      score: { passed: 0, total },
      checkpoints: [],
      notices: [],
    };
    writeRunJson(report, (chunk) => void process.stdout.write(chunk));
  } else {
    process.stdout.write(`${paint.red('✗')} ${file} is not a valid lab; nothing was run.\n`);
    for (const v of violations) process.stdout.write(`${formatViolation(file, v, paint)}\n`);
  }
  return 2;
}

const TYPE_WIDTH = 9;

export function formatEvent(e: TraceEvent, paint: Paint): string {
  const time = `${String(e.t).padStart(8)}µs`;
  const type = e.type.padEnd(TYPE_WIDTH);
  // A learn, mac-move or warning names one MAC (the source); a frame both.
  const addresses =
    e.src === undefined ? '' : e.dst === undefined ? ` ${e.src}` : ` ${e.src} → ${e.dst}`;
  const head = `    ${paint.dim(time)} ${type} ${e.at.padEnd(16)} ${e.proto}${addresses}`;
  if (e.type === 'drop')
    return paint.red(`${head}  ✗ ${e.reason ?? ''} (${e.rule ?? ''}): ${e.message ?? ''}`);
  if (e.type === 'warn')
    return paint.yellow(`${head}  ! ${e.reason ?? ''} (${e.rule ?? ''}): ${e.message ?? ''}`);
  if (e.type === 'deliver') return `${head}  ${paint.green('✓')}`;
  return head;
}

function stepLines(step: StepReport, paint: Paint): string[] {
  const mark = step.ok ? paint.green('✓') : paint.red('✗');
  const lines = [`${mark} step ${step.index + 1} ${paint.bold(step.kind)}: ${step.summary}`];
  if (step.result && !step.result.ok)
    lines.push(
      paint.red(`    refused: ${step.result.message} [${step.result.code}, ${step.result.rule}]`),
    );
  return lines;
}

/**
 * The readable trace, written a line at a time (a long run is many thousands of lines);
 * `checkpoints` (the lab's) give each right choice its text.
 */
export function writeRun(
  file: string,
  report: RunReport,
  paint: Paint,
  write: (chunk: string) => void,
  checkpoints: readonly Checkpoint[] = [],
): void {
  const out = new ChunkedOutput(write);
  const line = (text: string): void => out.push(`${text}\n`);
  line(paint.bold(`${file}`));
  for (const v of report.violations) line(formatViolation(file, v, paint));
  if (report.traffic.length === 0) line(paint.dim('  (no traffic script)'));
  for (const step of report.traffic) {
    for (const text of stepLines(step, paint)) line(text);
    for (const e of step.events) line(formatEvent(e, paint));
    if (step.omittedEvents !== undefined)
      line(paint.dim(`    … ${step.omittedEvents} more events, counted but not listed`));
  }
  line('');
  line(paint.bold('Objectives'));
  if (report.objectives.length === 0) line(paint.dim('  (none)'));
  for (const o of report.objectives) {
    const mark = o.passed ? paint.green('✓ passed') : paint.red('✗ failed');
    line(`  ${mark} ${o.id}${o.text !== undefined ? `: ${o.text}` : ''} — ${o.message}`);
  }
  const { passed, total } = report.score;
  const score = `Score: ${passed}/${total}`;
  line('');
  line(passed === total ? paint.green(score) : paint.yellow(score));
  if (report.checkpoints.length > 0) {
    line('');
    line(paint.bold('Checkpoints'));
    for (const text of checkpointLines(checkpoints, report, paint)) line(text);
  }
  if (report.notices.length > 0) {
    line('');
    line(paint.bold('Notices'));
    for (const n of report.notices) line(paint.yellow(`  ! ${n.code} (${n.budget}): ${n.message}`));
  }
  out.flush();
}

/** Each checkpoint's right choice (`choices[i]`, as in the file and the JSON, and its text), or its warning. */
function checkpointLines(
  checkpoints: readonly Checkpoint[],
  report: RunReport,
  paint: Paint,
): string[] {
  return report.checkpoints.map((c, i) => {
    const checkpoint = checkpoints[i];
    const head = `  ${c.id}${checkpoint !== undefined ? ` (before step ${checkpoint.before + 1})` : ''}`;
    if (c.right !== null) {
      const text = checkpoint?.choices[c.right]?.text;
      return `${head}: ${paint.green(`right: choices[${c.right}]`)}${text !== undefined ? ` — ${text}` : ''}`;
    }
    // Choices are named as in the file (`choices[0]` is the first), as the JSON counts them.
    const count =
      c.rightChoices.length === 0
        ? 'no right choice'
        : `${c.rightChoices.length} right choices (${c.rightChoices.map((i) => `choices[${i}]`).join(', ')})`;
    return paint.yellow(`${head}: ! ${count} [${c.warning ?? ''}]`);
  });
}

/** The readable trace as one string (tests, small runs). */
export function formatRun(
  file: string,
  report: RunReport,
  paint: Paint,
  checkpoints: readonly Checkpoint[] = [],
): string {
  const parts: string[] = [];
  writeRun(file, report, paint, (chunk) => parts.push(chunk), checkpoints);
  return parts.join('');
}
