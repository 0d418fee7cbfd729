/**
 * The service and its simulation runner (core/api/service.ts, sim-runner.ts): simulation
 * entries answer with a Promise; reads are answered at once while a run is under way; an edit
 * asked during a run waits and applies after it, in order; `traffic.cancel` and opening another
 * lab cancel the work in flight; a runner that fails gives an answer that says so, and the next
 * request starts afresh.
 */
import { describe, expect, it } from 'vitest';
import { builtInLabs } from './built-in-labs';
import {
  NestlabService,
  type EditOutcome,
  type LabView,
  type OpenResult,
} from '../../../../core/api';
import { LocalSimRunner, type SimEntry, type SimRunner } from '../../../../core/api/sim-runner';
import type { Lab } from '../../../../core/model';

const library = builtInLabs;

/** A runner that answers in this thread, but only when the test says so. */
class GatedRunner implements SimRunner {
  readonly local = new LocalSimRunner();
  readonly log: string[] = [];
  private gates: (() => void)[] = [];
  failNext = false;

  open(lab: Lab): void {
    this.log.push('open');
    this.local.open(lab);
  }

  setLab(lab: Lab): void {
    this.log.push(`setLab ${lab.vms[0]?.power ?? ''}`);
    this.local.setLab(lab);
  }

  async request(name: SimEntry, args: Readonly<Record<string, unknown>>): Promise<unknown> {
    this.log.push(name);
    await new Promise<void>((release) => this.gates.push(release));
    if (this.failNext) {
      this.failNext = false;
      throw new Error('it ran out of memory');
    }
    return this.local.request(name, args);
  }

  cancel(): void {
    this.log.push('cancel');
    this.local.cancel();
  }

  close(): void {}

  /** Resolves once a request waits at the gate. */
  async arrived(): Promise<void> {
    while (this.gates.length === 0) await new Promise((tick) => setTimeout(tick, 0));
  }

  /** Lets the request waiting at the gate go on (waiting for it to get there first). */
  async release(): Promise<void> {
    while (this.gates.length === 0) await new Promise((tick) => setTimeout(tick, 0));
    for (const g of this.gates.splice(0)) g();
  }
}

function opened(runner: SimRunner, id = 'e1-nested-vm-out'): NestlabService {
  const service = new NestlabService(library, { simRunner: runner });
  const result = service.call('lab.open', { id }) as OpenResult;
  if (!result.ok) throw new Error(result.message);
  return service;
}

describe('the service and its simulation runner', () => {
  it('answers reads at once while a run is under way; the run answers when it is done', async () => {
    const runner = new GatedRunner();
    const service = opened(runner);
    const run = service.call('traffic.run', { index: 0 });
    expect(run).toBeInstanceOf(Promise);
    expect((service.call('lab.current', {}) as LabView).lab.title).toBeTruthy();
    expect(service.call('labs.list', {})).toEqual([
      expect.objectContaining({ id: 'e1-nested-vm-out' }),
    ]);
    await runner.release();
    expect(await run).toMatchObject({ ok: true, steps: [{ index: 0, ok: false }], notices: [] });
  });

  it('an edit asked during a run waits for it and applies after it, in order', async () => {
    const runner = new GatedRunner();
    const service = opened(runner);
    const run = service.call('traffic.run', { index: 0 });
    const edit = service.call('vm.setPower', { actor: 'ana', vm: 'esxi', state: 'stopped' });
    expect(edit).toBeInstanceOf(Promise);
    // Not applied yet: the run still sees the lab as it was.
    expect((service.call('lab.current', {}) as LabView).lab.vms[0]?.power).toBe('running');
    await runner.release();
    await run;
    const done = (await edit) as EditOutcome;
    expect(done.ok && done.view.lab.vms[0]?.power).toBe('stopped');
    expect(runner.log).toEqual(['cancel', 'open', 'traffic.run', 'setLab stopped']);
    // With nothing running, an edit answers at once again.
    expect(
      service.call('vm.setPower', { actor: 'ana', vm: 'esxi', state: 'running' }),
    ).toMatchObject({ ok: true });
  });

  it('traffic.cancel answers at once and asks the runner to stop; opening another lab does too', async () => {
    const runner = new GatedRunner();
    const service = opened(runner);
    const run = service.call('traffic.run', {});
    await runner.arrived();
    expect(service.call('traffic.cancel', {})).toEqual({ ok: true });
    const open = service.call('lab.open', { id: 'e4-inline-bridge' });
    expect(open).toBeInstanceOf(Promise);
    // The first cancel is the first lab.open's (nothing was running then).
    expect(runner.log).toEqual(['cancel', 'open', 'traffic.run', 'cancel', 'cancel']);
    await runner.release();
    await run;
    expect(((await open) as OpenResult).ok).toBe(true);
    // The next request runs on the lab now open, in a new simulation.
    const next = service.call('sim.tables', {});
    await runner.release();
    await next;
    expect(runner.log.slice(-2)).toEqual(['open', 'sim.tables']);
  });

  it('a runner that fails answers with what happened and what to do; the next request starts afresh', async () => {
    const runner = new GatedRunner();
    const service = opened(runner);
    runner.failNext = true;
    const failed = service.call('traffic.run', {});
    await runner.release();
    const answer = (await failed) as { ok: false; rule: string; message: string };
    expect(answer).toMatchObject({ ok: false, code: 'invalid-request', rule: 'sim' });
    expect(answer.message).toContain('The simulation stopped unexpectedly (it ran out of memory)');
    expect(answer.message).toContain('starts afresh with your next step');
    const next = service.call('traffic.run', { index: 0 });
    await runner.release();
    expect(await next).toMatchObject({ ok: true });
    expect(runner.log.filter((l) => l === 'open')).toHaveLength(2);
  });
});
