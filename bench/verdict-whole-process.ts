/**
 * What a `nestlab run LAB --json` costs as one whole process (Node start-up, loading the CLI,
 * parsing, the verdict, the JSON): `node bin/nestlab.js run LAB --json` timed from spawn to
 * exit, stdout discarded, after one warm-up run whose JSON is checked (exit 0, every objective
 * passed); every timed run must exit 0 too.
 */
import { spawnSync, type StdioOptions } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { median } from './verdict-in-process';

const repoRoot = fileURLToPath(new URL('../', import.meta.url));

export interface WholeProcessFigure {
  readonly lab: string;
  readonly runs: number;
  readonly medianMs: number;
  readonly minMs: number;
  readonly maxMs: number;
}

function runCli(file: string, stdio: StdioOptions): { ms: number; stdout: string } {
  const started = performance.now();
  const child = spawnSync(process.execPath, ['bin/nestlab.js', 'run', file, '--json'], {
    cwd: repoRoot,
    stdio,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  const ms = performance.now() - started;
  if (child.status !== 0)
    throw new Error(`nestlab run ${file} --json exited with ${child.status}:\n${child.stderr}`);
  return { ms, stdout: child.stdout ?? '' };
}

/** Throws unless the run's JSON scores all `objectives` as passed. */
function checkScore(name: string, stdout: string, objectives: number): void {
  const { score } = JSON.parse(stdout) as { score?: { passed: number; total: number } };
  if (score?.passed !== objectives || score.total !== objectives)
    throw new Error(
      `${name}: nestlab run scored ${JSON.stringify(score)}, expected all ${objectives}`,
    );
}

/** One warm-up run (checked), then `runs` timed ones. */
export function measureWholeProcess(
  name: string,
  file: string,
  objectives: number,
  runs: number,
): WholeProcessFigure {
  checkScore(name, runCli(file, ['ignore', 'pipe', 'pipe']).stdout, objectives);
  const times = Array.from({ length: runs }, () => runCli(file, ['ignore', 'ignore', 'pipe']).ms);
  return {
    lab: name,
    runs,
    medianMs: median(times),
    minMs: Math.min(...times),
    maxMs: Math.max(...times),
  };
}
