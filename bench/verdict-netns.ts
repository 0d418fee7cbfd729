/**
 * The reference the verdict figures are set against: the same labs emulated in Linux network
 * namespaces with kernel bridges and ping, by netns_verdict.sh (looked for beside the checkout
 * at ../shared/perf/, or at $NESTLAB_NETNS_SCRIPT). Runs it once when the machine allows it
 * (root, a working `ip netns`), echoes its progress to stderr, and reads its per-lab
 * whole-process medians from its summary table. Otherwise says why it was skipped.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import type { VerdictLab } from './verdict-labs';

export const NETNS_SCRIPT_ENV = 'NESTLAB_NETNS_SCRIPT';
const DEFAULT_SCRIPT = '../shared/perf/netns_verdict.sh';

/** One lab's row of the script's table: build + verdict + teardown, seconds. */
export interface NetnsFigure {
  readonly lab: string;
  readonly runs: number;
  readonly medianS: number;
  readonly minS: number;
  readonly maxS: number;
  /** The script's own `nestlab run --json` median, interleaved with the emulation (seconds). */
  readonly scriptNestlabMedianS: number;
  /** The verdicts column, e.g. `pass(200/200) | pass(200/200)`. */
  readonly verdicts: string;
}

export type NetnsRun =
  | { readonly skipped: string }
  | { readonly failed: string }
  | {
      readonly script: string;
      readonly runs: number;
      /** How the script emulated: `build: batch, pinger: python -c1 -W1` (or iputils ping). */
      readonly method: string;
      readonly figures: readonly NetnsFigure[];
      /** The script's last line, `verdict speedup: e4 0.1x, …`. */
      readonly speedupLine: string;
      /** The script's own warnings, and labs it wrote that differ from bench/verdict-labs.ts. */
      readonly warnings: readonly string[];
    };

/** The script to run, or why the comparison cannot run on this machine. */
export function findNetnsScript(repoRoot: string): { script: string } | { skipped: string } {
  const root = process.getuid?.() === 0;
  if (!root || spawnSync('ip', ['netns', 'list'], { stdio: 'ignore' }).status !== 0)
    return { skipped: 'skipped: needs root and ip netns' };
  const fromEnv = process.env[NETNS_SCRIPT_ENV];
  const script = resolve(repoRoot, fromEnv || DEFAULT_SCRIPT);
  if (!existsSync(script))
    return {
      skipped: `skipped: ${fromEnv ? `${fromEnv} (${NETNS_SCRIPT_ENV})` : DEFAULT_SCRIPT} not found`,
    };
  return { script };
}

// `e4        5     0.025 [0.023-0.044]   0.281 [0.251-0.315]   0.1x   0.1x [0.1-0.2]  pass(1/1) | pass(1/1)`
const ROW =
  /^(e4|n\d+)\s+(\d+)\s+([\d.]+) \[([\d.]+)-([\d.]+)\]\s+([\d.]+) \[[\d.]+-[\d.]+\]\s+[\d.]+x\s+[\d.]+x \[[^\]]*\]\s+(.*)$/;

/** The per-lab rows, the speedup line and the warnings of the script's output. */
export function parseNetnsOutput(stdout: string): {
  method: string;
  figures: NetnsFigure[];
  speedupLine: string;
  warnings: string[];
} {
  const lines = stdout.split('\n');
  const figures = lines.flatMap((line) => {
    const m = ROW.exec(line);
    if (!m) return [];
    const [, lab = '', runs, median, min, max, nestlab, verdicts = ''] = m;
    return [
      {
        lab,
        runs: Number(runs),
        medianS: Number(median),
        minS: Number(min),
        maxS: Number(max),
        scriptNestlabMedianS: Number(nestlab),
        verdicts: verdicts.trim(),
      },
    ];
  });
  return {
    method: lines.map((l) => /^== netns plans \((.*)\)$/.exec(l)?.[1]).find(Boolean) ?? '',
    figures,
    speedupLine: lines.find((l) => l.startsWith('verdict speedup:')) ?? '',
    warnings: lines.filter((l) => l.startsWith('WARNING: ')).map((l) => l.slice(9)),
  };
}

/** Labs the script wrote beside itself that are not byte for byte ours (a drifted comparison). */
function labsThatDiffer(script: string, labs: readonly VerdictLab[]): string[] {
  return labs
    .filter((lab) => {
      const file = join(dirname(script), 'labs', `${lab.name}.lab.yaml`);
      return existsSync(file) && readFileSync(file, 'utf8') !== lab.text;
    })
    .map((lab) => `the script's ${lab.name}.lab.yaml differs from bench/verdict-labs.ts's`);
}

/** Runs the script (`--runs RUNS --nestlab REPO`): its headings and each run on stderr as it goes. */
export async function runNetns(
  script: string,
  repoRoot: string,
  runs: number,
  labs: readonly VerdictLab[],
): Promise<NetnsRun> {
  const args = [script, '--runs', String(runs), '--nestlab', resolve(repoRoot)];
  process.stderr.write(`verdict vs netns: bash ${args.join(' ')} (takes a while)\n`);
  const child = spawn('bash', args, { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  createInterface({ input: child.stdout }).on('line', (line) => {
    stdout += `${line}\n`;
    // Headings and the per-run lines (`  n200  #3 netns      2.655 s  pass(200/200)`).
    if (line.startsWith('==') || / #\d+ /.test(line)) process.stderr.write(`  netns: ${line}\n`);
  });
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
    process.stderr.write(chunk);
  });
  const code = await new Promise<number | null>((done) => child.once('close', done));
  if (code !== 0)
    return { failed: `failed: ${script} exited with ${code}: ${stderr.trim().split('\n').at(-1)}` };
  const parsed = parseNetnsOutput(stdout);
  if (parsed.figures.length === 0)
    return { failed: `failed: no per-lab table in ${script}'s output` };
  return {
    script,
    runs,
    ...parsed,
    warnings: [...parsed.warnings, ...labsThatDiffer(script, labs)],
  };
}
