/**
 * Writes a run's report as it goes, never as one giant string: `run --json` as a JSON document
 * laid out like lab-format.md's example (one trace event per line), and the readable trace one
 * line at a time. Output is gathered into chunks of about CHUNK_BYTES and handed to `write`, so
 * memory stays flat whatever the size of the run (which the run's budgets bound anyway).
 */
import type { RunReport, StepReport } from '../lab/run';
import type { TraceEvent } from '../sim';

const CHUNK_BYTES = 64 * 1024;

/** Collects text and hands it on in chunks. */
export class ChunkedOutput {
  private parts: string[] = [];
  private size = 0;

  constructor(private readonly write: (chunk: string) => void) {}

  push(text: string): void {
    this.parts.push(text);
    this.size += text.length;
    if (this.size >= CHUNK_BYTES) this.flush();
  }

  flush(): void {
    if (this.parts.length === 0) return;
    this.write(this.parts.join(''));
    this.parts = [];
    this.size = 0;
  }
}

/** `run --json`: the stable keys of lab-format.md in its order, then `checkpoints` and `notices`. */
export function writeRunJson(report: RunReport, write: (chunk: string) => void): void {
  const out = new ChunkedOutput(write);
  out.push(`{\n  "valid": ${JSON.stringify(report.valid)},\n  "violations": `);
  list(out, report.violations, (v) => out.push(JSON.stringify(v)));
  out.push(',\n  "traffic": ');
  list(out, report.traffic, (step) => writeStep(out, step));
  out.push(',\n  "objectives": ');
  list(out, report.objectives, (o) => out.push(JSON.stringify(o)));
  out.push(`,\n  "score": ${JSON.stringify(report.score)},\n  "checkpoints": `);
  list(out, report.checkpoints, (c) => out.push(JSON.stringify(c)));
  out.push(',\n  "notices": ');
  list(out, report.notices, (n) => out.push(JSON.stringify(n)));
  out.push('\n}\n');
  out.flush();
}

/** A step's keys, then its events one per line (a step may hold many thousands). */
function writeStep(out: ChunkedOutput, step: StepReport): void {
  const { events, ...rest } = step;
  out.push(`${JSON.stringify(rest).slice(0, -1)}, "events": [`);
  if (events.length === 0) {
    out.push('] }');
    return;
  }
  events.forEach((e: TraceEvent, i) => {
    out.push(`${i === 0 ? '' : ','}\n        ${JSON.stringify(e)}`);
  });
  out.push('\n      ] }');
}

/** `[ item, item ]`, each item on its own line, indented under a top-level key. */
function list<T>(out: ChunkedOutput, items: readonly T[], one: (item: T) => void): void {
  if (items.length === 0) {
    out.push('[]');
    return;
  }
  out.push('[');
  items.forEach((item, i) => {
    out.push(i === 0 ? '\n    ' : ',\n    ');
    one(item);
  });
  out.push('\n  ]');
}
