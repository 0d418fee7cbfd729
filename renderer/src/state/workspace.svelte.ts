/**
 * The renderer's one state holder: the open lab as the core last described it (a LabView),
 * the built-in labs, what is selected, the selected adapter's promiscuous face, and the last
 * refusal. Every change goes through the api client; the core decides, this class only keeps
 * what it answered. Views arrive both as replies and as `lab.changed` events; the highest
 * revision wins, so order does not matter.
 */
import type { ApiClient, LabSummary, LabView } from '../../../core/api/contract';
import type { PowerState, User } from '../../../core/model/lab';
import type { RuleError, Violation } from '../../../core/model/errors';
import type { FaceResult } from '../../../core/rules/permissions';
import { assertNever } from './assert-never';
import { lookupLab, type LabLookup } from './lab-lookup';

export type SelectionKind = 'adapter' | 'vm' | 'network' | 'switch';

export interface Selection {
  readonly kind: SelectionKind;
  readonly id: string;
}

/** Which control a refused edit came from, so the reason shows next to it. */
export type EditControl = 'promiscuous' | 'power' | 'acting-user';

export interface Refusal {
  readonly control: EditControl;
  /** The adapter or VM the edit was about. */
  readonly target: string;
  readonly error: RuleError;
}

/** A lab file that could not be opened, with `nestlab check`-style findings. */
export interface OpenProblem {
  readonly fileName: string;
  readonly message: string;
  readonly violations: readonly Violation[];
}

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
  /** Edits and opens in flight; controls are disabled meanwhile. */
  busy = $state(0);

  readonly lab = $derived(this.view?.lab ?? null);
  readonly lookup: LabLookup | null = $derived(this.lab ? lookupLab(this.lab) : null);
  readonly actingUser: User | undefined = $derived(
    this.lab?.users.find((u) => u.name === this.lab?.actingUser),
  );

  private faceRequest = 0;

  constructor(private readonly api: ApiClient) {
    api.onEvent('lab.changed', (view) => this.accept(view));
  }

  /** Loads the built-in labs and whatever lab the core already has open. */
  async start(): Promise<void> {
    await this.guard(async () => {
      const [labs, current] = await Promise.all([
        this.api.call('labs.list', {}),
        this.api.call('lab.current', {}),
      ]);
      this.labs = labs;
      if (current) this.accept(current);
    });
  }

  async openLab(id: string): Promise<void> {
    await this.guard(async () => {
      const result = await this.api.call('lab.open', { id });
      if (result.ok) this.opened(result.view);
      else
        this.openProblem = { fileName: id, message: result.message, violations: result.violations };
    });
  }

  async openFile(file: File): Promise<void> {
    await this.guard(async () => {
      const text = await file.text();
      const result = await this.api.call('lab.openText', { text, fileName: file.name });
      if (result.ok) this.opened(result.view);
      else {
        const { message, violations } = result;
        this.openProblem = { fileName: file.name, message, violations };
      }
    });
  }

  dismissOpenProblem(): void {
    this.openProblem = null;
  }

  select(selection: Selection | null): void {
    if (selection?.kind === this.selection?.kind && selection?.id === this.selection?.id) return;
    this.selection = selection;
    this.refusal = null;
    this.face = null;
    void this.refreshFace();
  }

  /** P6: switching the acting user is itself an edit, made as the current acting user. */
  async setActingUser(user: string): Promise<void> {
    await this.edit('acting-user', user, () =>
      this.api.call('lab.setActingUser', { actor: this.actor(), user }),
    );
  }

  async setPower(vm: string, state: PowerState): Promise<void> {
    await this.edit('power', vm, () =>
      this.api.call('vm.setPower', { actor: this.actor(), vm, state }),
    );
  }

  /** Returns whether the core accepted the change (A2–A4, P2–P5 decide). */
  async setPromiscuous(adapter: string, promiscuous: boolean): Promise<boolean> {
    return this.edit('promiscuous', adapter, () =>
      this.api.call('adapter.setPromiscuous', { actor: this.actor(), adapter, promiscuous }),
    );
  }

  private actor(): string {
    return this.lab?.actingUser ?? '';
  }

  private async edit(
    control: EditControl,
    target: string,
    run: () => Promise<{ ok: true; view: LabView } | RuleError>,
  ): Promise<boolean> {
    let accepted = false;
    await this.guard(async () => {
      const outcome = await run();
      if (outcome.ok) {
        this.refusal = null;
        this.accept(outcome.view);
        accepted = true;
      } else {
        this.refusal = { control, target, error: outcome };
      }
    });
    return accepted;
  }

  private opened(view: LabView): void {
    this.openProblem = null;
    this.refusal = null;
    this.selection = null;
    this.view = null;
    this.accept(view);
  }

  private accept(view: LabView): void {
    if (this.view && view.revision < this.view.revision) return;
    const labChanged = this.view?.lab !== view.lab;
    this.view = view;
    if (this.selection && !this.exists(this.selection)) this.selection = null;
    if (labChanged) void this.refreshFace();
  }

  private exists(selection: Selection): boolean {
    const lookup = this.lookup;
    if (!lookup) return false;
    switch (selection.kind) {
      case 'adapter':
        return lookup.adapters.has(selection.id);
      case 'vm':
        return lookup.vms.has(selection.id);
      case 'network':
        return lookup.networks.has(selection.id);
      case 'switch':
        return lookup.switches.has(selection.id);
      default:
        return assertNever(selection.kind);
    }
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
        actor: this.actor(),
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
