/**
 * The exercise beside the lab: every objective's status as the core last recomputed it
 * (`exercise.status`, the same verdicts `nestlab grade` gives and the home card shows), hints
 * revealed and checkpoint answers (kept by the core with the attempt). The status is asked
 * again whenever the lab changes; an answer for an older revision or another opening is
 * dropped. This class decides nothing: it keeps what the core answered.
 */
import type { ApiClient, ExerciseStatus } from '../../../core/api/contract';
import { offerDownload } from '../api/download';
import type { Workspace } from '../state/workspace.svelte';

export type CheckedStatus = Extract<ExerciseStatus, { ok: true }>;

/** How long the lab must stay still before its objectives are checked again (ms). */
const SETTLE_MS = 120;

export class Exercise {
  /** The last verdicts; null before the first check of this opening. */
  status = $state.raw<CheckedStatus | null>(null);
  /** A check is on its way (the shown status may be for an older revision). */
  checking = $state(false);
  error = $state<string | null>(null);

  private session = -1;
  private asked = 0;
  private timer: ReturnType<typeof setTimeout> | null = null;

  constructor(
    private readonly api: ApiClient,
    private readonly workspace: Workspace,
  ) {}

  /** Whether the status shown is for the lab as it is now. */
  get current(): boolean {
    const view = this.workspace.view;
    return view !== null && this.status !== null && this.status.revision >= view.revision;
  }

  /**
   * The lab changed (an edit, an undo, another lab): check again once it settles. Called with
   * the view's session and revision from an effect.
   */
  follow(session: number, revision: number): void {
    if (session !== this.session) {
      this.session = session;
      this.status = null;
      this.error = null;
    }
    if (this.status !== null && this.status.revision >= revision) return;
    if (this.timer !== null) clearTimeout(this.timer);
    this.checking = true;
    this.timer = setTimeout(() => {
      this.timer = null;
      void this.check();
    }, SETTLE_MS);
  }

  /** Asks the core for every objective's verdict now. */
  async check(): Promise<void> {
    const request = ++this.asked;
    const session = this.session;
    this.checking = true;
    try {
      const status = await this.api.call('exercise.status', {});
      if (request !== this.asked || session !== this.session) return;
      if (status.ok) {
        this.status = status;
        this.error = null;
      } else if (status.rule !== 'cancelled') this.error = status.message;
    } catch (error) {
      if (request === this.asked)
        this.error = error instanceof Error ? error.message : String(error);
    } finally {
      if (request === this.asked) this.checking = false;
    }
  }

  /**
   * "Try it" (trainer mode): one objective in the file's form, checked by the core on the lab as
   * it is now, without keeping it. The verdict, or why it could not be checked.
   */
  async tryObjective(objective: unknown): Promise<{ passed: boolean; message: string } | string> {
    const outcome = await this.api.call('exercise.try', { objective });
    return outcome.ok ? { passed: outcome.passed, message: outcome.message } : outcome.message;
  }

  /** Shows an objective's hint; the core records that it was shown. */
  async revealHint(objective: string): Promise<void> {
    const outcome = await this.api.call('exercise.revealHint', { objective });
    if (!outcome.ok) {
      this.error = outcome.message;
      return;
    }
    this.workspace.acceptView(outcome.view);
    const status = this.status;
    if (status)
      this.status = {
        ...status,
        objectives: status.objectives.map((o) =>
          o.id === objective ? { ...o, hintShown: true } : o,
        ),
      };
  }

  /**
   * "Save attempt for my trainer": the attempt as a lab file with the answers and the hints
   * used (`nestlab grade` reads it; it recomputes every verdict).
   */
  async saveAttempt(): Promise<boolean> {
    const exported = await this.api.call('attempt.export', {});
    if (!exported.ok) {
      this.error = exported.message;
      return false;
    }
    offerDownload(exported.fileName, exported.text, 'application/yaml');
    this.workspace.notice = `Saved ${exported.fileName}: hand it to your trainer.`;
    return true;
  }

  /** The student's pick for a checkpoint (the first one is kept). */
  async answer(checkpoint: string, choice: number): Promise<boolean> {
    const outcome = await this.api.call('exercise.answer', { checkpoint, choice });
    if (!outcome.ok) {
      this.error = outcome.message;
      return false;
    }
    this.workspace.acceptView(outcome.view);
    return true;
  }
}
