/**
 * Running the lab's traffic script as an exercise: all of it (from a reset, so every run gives
 * what `nestlab run` gives) or one step at a time, and, before a step a checkpoint names,
 * predict-then-observe: the question is asked, the student picks a choice (kept by the core),
 * the step runs and animates, then the core's verdict (recomputed from the run) and the
 * explanation are shown until the student goes on. The core runs and judges; this class
 * only orders the calls and waits for the student.
 */
import type { CheckpointVerdict } from '../../../core/api/contract';
import type { Checkpoint } from '../../../core/model/lab';
import type { Simulator } from '../simulation/simulator.svelte';
import type { Workspace } from '../state/workspace.svelte';
import type { Exercise } from './exercise.svelte';

/** How long a run plays before the script goes on to a question or a verdict (ms). */
const WATCH_MS = 6_000;

export interface Asking {
  readonly checkpoint: Checkpoint;
  /** Question open, the step running, or the verdict shown. */
  readonly stage: 'ask' | 'running' | 'verdict';
  /** The choice picked (the kept answer when there is one). */
  readonly choice: number | null;
  /** Whether the choice was kept from an earlier run (it cannot change). */
  readonly kept: boolean;
  readonly verdict: CheckpointVerdict | null;
  /** Why the step gave no verdict (refused, not run). */
  readonly problem: string | null;
  /** Its place among the checkpoints asked before the same step (1-based), and how many. */
  readonly place: { readonly n: number; readonly of: number };
}

export class ScriptFlow {
  asking = $state.raw<Asking | null>(null);
  /** A run of the script is under way (buttons wait). */
  active = $state(false);

  private answerWaiter: ((choice: number | null) => void) | null = null;
  private continueWaiter: (() => void) | null = null;
  /** Grows when a flow is abandoned (another lab): a flow of an older epoch stops at its next step. */
  private epoch = 0;

  constructor(
    private readonly workspace: Workspace,
    private readonly simulator: Simulator,
    private readonly exercise: Exercise,
  ) {}

  /** The whole script from a reset, stopping at each checkpoint. */
  async runAll(): Promise<void> {
    await this.flow(async () => {
      if (this.checkpoints().length === 0) {
        await this.simulator.script();
        return;
      }
      await this.simulator.reset();
      await this.from(0, true);
    });
  }

  /** The next step in order (asking its checkpoint first, if it has one). */
  async runNext(): Promise<void> {
    await this.flow(() => this.from(this.simulator.nextScriptStep, false));
  }

  /** The student picked a choice (null: not now, the run stops before the step). */
  choose(choice: number | null): void {
    const waiter = this.answerWaiter;
    this.answerWaiter = null;
    waiter?.(choice);
  }

  /** The student read the verdict: the script goes on. */
  proceed(): void {
    const waiter = this.continueWaiter;
    this.continueWaiter = null;
    waiter?.();
  }

  /** Drops a question left open (another lab was opened): the flow under way stops there. */
  abandon(): void {
    this.epoch += 1;
    this.choose(null);
    this.proceed();
    this.asking = null;
    this.active = false;
  }

  private checkpoints(): readonly Checkpoint[] {
    return this.workspace.lab?.checkpoints ?? [];
  }

  private async flow(work: () => Promise<void>): Promise<void> {
    if (this.active) return;
    this.active = true;
    const epoch = this.epoch;
    try {
      await work();
    } finally {
      if (epoch === this.epoch) {
        this.active = false;
        this.asking = null;
      }
    }
  }

  /** Whether the flow that started in `epoch` may go on (no other lab since). */
  private current(epoch: number): boolean {
    return epoch === this.epoch;
  }

  /** Runs from step `start`: to the end (`all`) or that one step. */
  private async from(start: number, all: boolean): Promise<void> {
    const epoch = this.epoch;
    const total = this.workspace.lab?.traffic.length ?? 0;
    let index = start;
    while (index < total && this.current(epoch)) {
      const asked = this.checkpoints().filter((c) => c.before === index);
      if (asked.length > 0) {
        if (!(await this.ask(asked, index, epoch))) return;
        index += 1;
      } else {
        const next = this.checkpoints()
          .map((c) => c.before)
          .filter((b) => b > index)
          .reduce((a, b) => Math.min(a, b), total);
        const through = all ? next - 1 : index;
        if ((await this.simulator.scriptRange(index, through)) === null) return;
        if (!this.current(epoch)) return;
        // Before a question, let the steps play (a storm's only for a while).
        if (through + 1 < total) await this.simulator.playback({ maxMs: WATCH_MS });
        index = through + 1;
      }
      if (!all) return;
    }
  }

  /** Animation time of the last run's first deliver or drop of its first frame. */
  private fateShownAt(): number | undefined {
    const timeline = this.simulator.timeline;
    const run = timeline.runs - 1;
    const rows = timeline.rows.filter((r) => r.run === run);
    const origin = rows[0]?.event.origin;
    const fate = rows.find(
      (r) => r.event.origin === origin && (r.event.type === 'deliver' || r.event.type === 'drop'),
    );
    return fate?.at;
  }

  /**
   * Asks every checkpoint before step `index` (in the file's order), runs the step once, then
   * shows each verdict in turn; false when the student stopped there.
   */
  private async ask(
    checkpoints: readonly Checkpoint[],
    index: number,
    epoch: number,
  ): Promise<boolean> {
    const answers = this.workspace.view?.exercise.answers ?? {};
    const asked: Asking[] = [];
    for (const [n, checkpoint] of checkpoints.entries()) {
      const keptAnswer = Object.hasOwn(answers, checkpoint.id) ? answers[checkpoint.id] : undefined;
      const question: Asking = {
        checkpoint,
        stage: 'ask',
        choice: keptAnswer ?? null,
        kept: keptAnswer !== undefined,
        verdict: null,
        problem: null,
        place: { n: n + 1, of: checkpoints.length },
      };
      this.asking = question;
      const choice = await new Promise<number | null>((resolve) => (this.answerWaiter = resolve));
      if (choice === null || !this.current(epoch)) return false;
      if (keptAnswer === undefined && !(await this.exercise.answer(checkpoint.id, choice)))
        return false;
      if (!this.current(epoch)) return false;
      asked.push({ ...question, choice });
    }
    const last = asked[asked.length - 1];
    if (last === undefined) return true;
    this.asking = { ...last, stage: 'running' };
    const result = await this.simulator.scriptRange(index, index);
    if (result === null || !this.current(epoch)) return false;
    // The verdict comes once the origin frame's fate has played (the rest plays on).
    await this.simulator.playback({ at: this.fateShownAt(), maxMs: WATCH_MS });
    const report = result.steps[0];
    for (const question of asked) {
      if (!this.current(epoch)) return false;
      const verdict = result.checkpoints.find((c) => c.id === question.checkpoint.id) ?? null;
      const problem =
        report && report.events.length === 0
          ? `The step sent no frame: ${report.summary}`
          : verdict === null
            ? 'The step did not run.'
            : null;
      this.asking = { ...question, stage: 'verdict', verdict, problem };
      await new Promise<void>((resolve) => (this.continueWaiter = resolve));
    }
    if (!this.current(epoch)) return false;
    this.asking = null;
    return true;
  }
}
