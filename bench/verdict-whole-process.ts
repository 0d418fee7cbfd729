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

/**
 * The environment a run is timed in: this one, or this one without NODE_EXTRA_CA_CERTS. Node
 * reads and parses every certificate of the file that variable names when it starts, before any
 * of Nestlab's code, for TLS that `nestlab run` never uses (39 ms of a 62 ms `node -e 0` on
 * this machine, whose environment sets it to the system's whole CA bundle).
 */
export type RunEnvironment = 'as-is' | 'without-extra-ca';

export const extraCaCerts = (): string | undefined => process.env.NODE_EXTRA_CA_CERTS;

function environment(which: RunEnvironment): NodeJS.ProcessEnv {
  if (which === 'as-is') return process.env;
  const { NODE_EXTRA_CA_CERTS: _dropped, ...rest } = process.env;
  return rest;
}

/** `node -e 0` from spawn to exit, median of `runs` after one warm-up: Node's own start. */
export function bareNodeMs(runs: number, which: RunEnvironment): number {
  const once = () => {
    const started = performance.now();
    spawnSync(process.execPath, ['-e', '0'], { stdio: 'ignore', env: environment(which) });
    return performance.now() - started;
  };
  once();
  return median(Array.from({ length: runs }, once));
}

function runCli(
  file: string,
  stdio: StdioOptions,
  which: RunEnvironment,
): { ms: number; stdout: string } {
  const started = performance.now();
  const child = spawnSync(process.execPath, ['bin/nestlab.js', 'run', file, '--json'], {
    cwd: repoRoot,
    env: environment(which),
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
  which: RunEnvironment = 'as-is',
): WholeProcessFigure {
  checkScore(name, runCli(file, ['ignore', 'pipe', 'pipe'], which).stdout, objectives);
  const times = Array.from(
    { length: runs },
    () => runCli(file, ['ignore', 'ignore', 'pipe'], which).ms,
  );
  return {
    lab: name,
    runs,
    medianMs: median(times),
    minMs: Math.min(...times),
    maxMs: Math.max(...times),
  };
}
