/**
 * The simulation in its own thread (core/node/worker-sim-runner.ts, sim-worker.ts): the same
 * answers as in this thread, this thread free while it works, a cancel that stops a run at once
 * and says so, and a worker that dies replaced without taking anything else down. Uses the
 * built worker (out/cli/sim-worker.cjs; `npm run test:unit` builds it first).
 */
import { existsSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { LocalSimRunner, type SimRunner } from '../../../../core/api/sim-runner';
import { parseLab } from '../../../../core/lab/parse';
import type { Lab } from '../../../../core/model';
import { WorkerSimRunner } from '../../../../core/node/worker-sim-runner';
import { stormLab } from './hostile-labs';

const script = new URL('../../../../out/cli/sim-worker.cjs', import.meta.url);
const runners: SimRunner[] = [];

afterEach(() => {
  for (const r of runners.splice(0)) r.close();
});

function worker(): WorkerSimRunner {
  if (!existsSync(script))
    throw new Error('out/cli/sim-worker.cjs is missing: run `npm run build:cli`');
  const runner = new WorkerSimRunner(script);
  runners.push(runner);
  return runner;
}

function load(text: string): Lab {
  const parsed = parseLab(text);
  if (!parsed.ok) throw new Error(parsed.violations[0]?.message);
  return parsed.lab;
}

/** A storm that takes seconds: 8 bridges, the largest loop limits, 50 broadcasts. */
const STORM = load(stormLab(255, 100_000, 50, 8));
const SMALL = load(stormLab(16, 200, 2, 2));

interface RunValue {
  readonly ok: boolean;
  readonly steps: readonly { readonly summary: string; readonly skipped?: true }[];
  readonly notices: readonly { readonly budget: string }[];
}

describe('the simulation in a worker thread', () => {
  it('answers a run as this thread would', async () => {
    const here = new LocalSimRunner();
    const there = worker();
    here.open(SMALL);
    there.open(SMALL);
    const local = await here.request('traffic.run', {});
    const remote = await there.request('traffic.run', {});
    expect(remote).toEqual(JSON.parse(JSON.stringify(local)));
    expect(await there.request('sim.tables', {})).toEqual(
      JSON.parse(JSON.stringify(await here.request('sim.tables', {}))),
    );
  });

  it('leaves this thread free while it runs, and a cancel stops the run at once, saying so', async () => {
    const runner = worker();
    runner.open(STORM);
    const run = runner.request('traffic.run', {}) as Promise<RunValue>;
    // This thread keeps turning while the storm runs over there.
    let ticks = 0;
    await new Promise<void>((done) => {
      const tick = (): void => {
        ticks++;
        if (ticks < 5) setTimeout(tick, 10);
        else done();
      };
      tick();
    });
    runner.cancel();
    const value = await run;
    expect(ticks).toBe(5);
    expect(value.notices.map((n) => n.budget)).toContain('cancelled');
    // Heard mid-step (that step says it stopped) or between steps: either way the rest is not run.
    expect(value.steps.at(-1)?.skipped).toBe(true);
    // The next request is a new run, not cancelled by the cancel before it.
    const again = (await runner.request('traffic.run', { index: 1 })) as RunValue;
    expect(again.notices.map((n) => n.budget)).not.toContain('cancelled');
  });

  it('a worker that dies fails its request with the reason, and the next request gets a new one', async () => {
    const runner = worker();
    runner.open(STORM);
    const run = runner.request('traffic.run', {});
    await new Promise((done) => setTimeout(done, 50));
    await (runner as unknown as { worker: { terminate(): Promise<number> } }).worker.terminate();
    // The exit code is 1 when the run was under way, 0 when the thread had not started yet.
    await expect(run).rejects.toThrow(/its thread exited with code [01]/);
    runner.open(SMALL);
    const value = (await runner.request('traffic.run', {})) as RunValue;
    expect(value.ok).toBe(true);
  });
});
