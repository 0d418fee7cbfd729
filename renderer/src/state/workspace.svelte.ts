/**
 * The renderer's one state holder: the open lab as the core last described it (a LabView),
 * the built-in labs, what is selected, the selected adapter's promiscuous face, and the last
 * refusal with the edit it refused (so a fix can retry it). Every change goes through the
 * api client; the core decides, this class only keeps what it answered. Views arrive both as
 * replies and as `lab.changed` events; the highest revision wins, so order does not matter.
 */
import type { ApiClient, ExportResult, LabSummary, LabView } from '../../../core/api/contract';
import type { EditName } from '../../../core/api/names';
import type { PowerState, User } from '../../../core/model/lab';
import type { RuleError, Violation } from '../../../core/model/errors';
import type { FaceResult } from '../../../core/rules/permissions';
import { planned, type PlannedEdit } from './edits';
import { fixFor, type Fix } from './fixes';
import { lookupLab, selectionExists, type LabLookup } from './lab-lookup';
import { sameSelection, type Selection } from './selection';

export type { Selection, SelectionKind } from './selection';

/**
 * Which control an edit came from, so a refusal shows next to it: an inspector field
 * (`promiscuous`, `power`, `mac`, …), a panel (`request`, `permission`), or a gesture
 * (`canvas`, `add`, `delete`, `paste`, `history`).
 */
export type EditControl = string;

export interface Refusal {
  readonly control: EditControl;
  /** The element the edit was about (adapter, VM, user…); empty for the lab itself. */
  readonly target: string;
  readonly error: RuleError;
  /** The refused edit, when it was one (undo and redo are not). */
  readonly edit?: PlannedEdit;
}

/** A lab file that could not be opened, with `nestlab check`-style findings. */
export interface OpenProblem {
  readonly fileName: string;
  readonly message: string;
  readonly violations: readonly Violation[];
}

const NEW_LAB_TEXT = 'nestlab: 1\ntitle: Untitled lab\n';

export class Workspace {
  view = $state.raw<LabView | null>(null);
  labs = $state.raw<readonly LabSummary[]>([]);
  selection = $state.raw<Selection | null>(null);
  /** The selected adapter's promiscuous face for the acting user (P2, P5), from the core. */
  face = $state.raw<FaceResult | null>(null);
  refusal = $state.raw<Refusal | null>(null);
  openProblem = $state.raw<OpenProblem | null>(null);
  /** Set when the connection to the core is gone or a call failed unexpectedly. */
  fatal = $state<string | null>(null);
  /** A short sentence for the status line (and screen readers) after an action. */
  notice = $state<string | null>(null);
  /** Edits and opens in flight; controls are disabled meanwhile. */
  busy = $state(0);
  /** Counts the labs opened, so the canvas starts afresh for each. */
  generation = $state(0);
  /** The trainer is previewing this opening as a student (and may go back to trainer mode). */
  previewing = $state(false);

  readonly lab = $derived(this.view?.lab ?? null);
  readonly lookup: LabLookup | null = $derived(this.lab ? lookupLab(this.lab) : null);
  readonly actingUser: User | undefined = $derived(
    this.lab?.users.find((u) => u.name === this.lab?.actingUser),
  );
  /** The fix the current refusal offers, if any. */
  readonly fix: Fix | null = $derived(
    this.refusal && this.lab && this.lookup
      ? fixFor(this.refusal.error, this.refusal.edit, this.lab, this.lookup, this.actingUser)
      : null,
  );

  private faceRequest = 0;
  /**
   * Opens in flight from here. Their reply brings the view, so the `lab.changed` that comes
   * first is not drawn into the previous lab's canvas (a large lab would be drawn twice).
   */
  private opening = 0;

  constructor(private readonly api: ApiClient) {
    api.onEvent('lab.changed', (view) => {
      if (this.opening === 0) this.accept(view);
    });
  }

  /** Loads the built-in labs and whatever lab the core already has open. */
  async start(): Promise<void> {
    await this.guard(async () => {
      const [labs, current] = await Promise.all([
        this.api.call('labs.list', {}),
        this.api.call('lab.current', {}),
      ]);
      this.labs = labs;
      if (current) this.opened(current);
    });
  }

  async openLab(id: string): Promise<boolean> {
    let opened = false;
    await this.guard(async () => {
      const result = await this.whileOpening(() => this.api.call('lab.open', { id }));
      if (result.ok) {
        this.opened(result.view);
        opened = true;
      } else
        this.openProblem = { fileName: id, message: result.message, violations: result.violations };
    });
    return opened;
  }

  async openFile(file: File): Promise<boolean> {
    return this.openText(await file.text(), file.name);
  }

  /** Opens a lab from its text; the core opens only valid labs, nothing half-loaded. */
  async openText(
    text: string,
    fileName: string,
    as: 'student' | 'trainer' = 'student',
  ): Promise<boolean> {
    let opened = false;
    await this.guard(async () => {
      const result = await this.whileOpening(() =>
        this.api.call('lab.openText', { text, fileName, as }),
      );
      if (result.ok) {
        this.opened(result.view);
        opened = true;
      } else {
        const { message, violations } = result;
        this.openProblem = { fileName, message, violations };
      }
    });
    return opened;
  }

  /** An empty lab: one administrator `trainer` with the permission (lab-format.md). */
  async newLab(): Promise<boolean> {
    // A new lab is authored: it opens in trainer mode.
    return this.openText(NEW_LAB_TEXT, 'untitled.lab.yaml', 'trainer');
  }

  /** The lab as its file text (`lab.export`), or null when the core refused. */
  async exportLab(): Promise<Extract<ExportResult, { ok: true }> | null> {
    let exported: Extract<ExportResult, { ok: true }> | null = null;
    await this.guard(async () => {
      const result = await this.api.call('lab.export', {});
      if (result.ok) exported = result;
      else this.refusal = { control: 'file', target: '', error: result };
    });
    return exported;
  }

  dismissOpenProblem(): void {
    this.openProblem = null;
  }

  dismissRefusal(): void {
    this.refusal = null;
  }

  select(selection: Selection | null): void {
    if (sameSelection(selection, this.selection)) return;
    this.selection = selection;
    this.refusal = null;
    this.face = null;
    void this.refreshFace();
  }

  /** Sends one edit as the acting user; a refusal is kept next to `control`. */
  async edit(control: EditControl, target: string, edit: PlannedEdit): Promise<boolean> {
    return this.run(control, target, [edit]);
  }

  /** Sends edits in order, stopping at the first the core refuses. */
  async run(control: EditControl, target: string, edits: readonly PlannedEdit[]): Promise<boolean> {
    let accepted = true;
    await this.guard(async () => {
      for (const edit of edits) {
        const outcome = await this.send(edit);
        if (!outcome.ok) {
          this.refusal = { control, target, error: outcome, edit };
          accepted = false;
          return;
        }
        this.accept(outcome.view);
      }
      this.refusal = null;
    });
    return accepted;
  }

  /** Applies the current refusal's fix (which ends with the refused edit) and says what it did. */
  async applyFix(): Promise<boolean> {
    const refusal = this.refusal;
    const fix = this.fix;
    if (!refusal || !fix) return false;
    const done = await this.run(refusal.control, refusal.target, fix.edits);
    if (done) this.notice = fix.done;
    return done;
  }

  async undo(): Promise<boolean> {
    return this.travel('lab.undo');
  }

  async redo(): Promise<boolean> {
    return this.travel('lab.redo');
  }

  /** Student mode or trainer mode for the open lab (the core keeps it). */
  async setRole(role: 'student' | 'trainer'): Promise<boolean> {
    let done = false;
    await this.guard(async () => {
      const from = this.view?.role;
      const outcome = await this.api.call('session.setRole', { role });
      if (outcome.ok) {
        this.previewing = from === 'trainer' && role === 'student';
        this.accept(outcome.view);
        done = true;
      } else this.refusal = { control: 'role', target: '', error: outcome };
    });
    return done;
  }

  /** Why a student may not make this edit here, or null when they may (the core's locks). */
  lockedReason(name: EditName): string | null {
    const locks = this.view?.locks;
    return locks && locks.edits.includes(name as never) ? locks.reason : null;
  }

  /**
   * When the lab locks this edit (student mode), shows the core's reason next to `control`
   * (as the core would refuse it) and returns true; false when it is not locked.
   */
  refuseLocked(name: EditName, control: EditControl, target: string): boolean {
    const reason = this.lockedReason(name);
    if (reason === null) return false;
    this.refusal = {
      control,
      target,
      error: { ok: false, code: 'locked', rule: 'student', message: reason },
    };
    return true;
  }

  /** P6: switching the acting user is itself an edit, made as the current acting user. */
  async setActingUser(user: string): Promise<boolean> {
    return this.edit('acting-user', '', planned('lab.setActingUser', { user }));
  }

  async setPower(vm: string, state: PowerState): Promise<boolean> {
    return this.edit('power', vm, planned('vm.setPower', { vm, state }));
  }

  /** Returns whether the core accepted the change (A2–A4, P2–P5 decide). */
  async setPromiscuous(adapter: string, promiscuous: boolean): Promise<boolean> {
    return this.edit(
      'promiscuous',
      adapter,
      planned('adapter.setPromiscuous', { adapter, promiscuous }),
    );
  }

  private send(edit: PlannedEdit): Promise<{ ok: true; view: LabView } | RuleError> {
    const args = { ...edit.args, actor: this.lab?.actingUser ?? '' };
    // The plan was typed when made (planned()); here it only travels.
    return this.api.call(edit.name as EditName, args as never);
  }

  private async travel(name: 'lab.undo' | 'lab.redo'): Promise<boolean> {
    let done = false;
    await this.guard(async () => {
      const outcome = await this.api.call(name, {});
      if (outcome.ok) {
        this.refusal = null;
        this.accept(outcome.view);
        done = true;
      } else this.refusal = { control: 'history', target: '', error: outcome };
    });
    return done;
  }

  private async whileOpening<T>(call: () => Promise<T>): Promise<T> {
    this.opening += 1;
    try {
      return await call();
    } finally {
      this.opening -= 1;
    }
  }

  private opened(view: LabView): void {
    this.openProblem = null;
    this.accept(view);
  }

  /**
   * Another lab, or another opening of one (Continue, Restart, a file): whatever came from the
   * last one (its toast, selection, refusal, and through `generation` its canvas and traffic)
   * is forgotten, whichever way it was opened.
   */
  private freshSession(): void {
    this.notice = null;
    this.refusal = null;
    this.selection = null;
    this.face = null;
    this.view = null;
    this.previewing = false;
    this.generation += 1;
  }

  /** A view the core answered to another part of the app (an answer, a hint). */
  acceptView(view: LabView): void {
    this.accept(view);
  }

  private accept(view: LabView): void {
    // Sessions and revisions only grow: a late view of an earlier opening is dropped.
    if (this.view && view.session < this.view.session) return;
    if (this.view && view.session > this.view.session) this.freshSession();
    // Each accepted edit arrives twice (reply and event) with one revision; keep the first.
    if (this.view && view.revision <= this.view.revision) return;
    const labChanged = this.view?.lab !== view.lab;
    this.view = view;
    const lookup = this.lookup;
    if (this.selection && lookup && !selectionExists(lookup, this.selection)) this.selection = null;
    if (labChanged) void this.refreshFace();
  }

  /** Asks the core for the selected adapter's face; a stale answer is dropped. */
  private async refreshFace(): Promise<void> {
    const request = ++this.faceRequest;
    const selection = this.selection;
    if (!this.lab || selection?.kind !== 'adapter') {
      this.face = null;
      return;
    }
    try {
      const face = await this.api.call('promiscuous.face', {
        actor: this.lab.actingUser,
        adapter: selection.id,
      });
      if (request === this.faceRequest) this.face = face;
    } catch (error) {
      this.fatal = error instanceof Error ? error.message : String(error);
    }
  }

  private async guard(run: () => Promise<void>): Promise<void> {
    this.busy += 1;
    try {
      await run();
    } catch (error) {
      this.fatal = error instanceof Error && error.message ? error.message : String(error);
    } finally {
      this.busy -= 1;
    }
  }
}
