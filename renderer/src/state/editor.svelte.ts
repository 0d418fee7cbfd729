/**
 * The editor's gestures on top of the Workspace: adding every kind of element (with the
 * id the user picks), connecting, deleting with a confirmation when more than one thing
 * goes, copy and paste of a VM, moving nodes (positions kept in the lab's `ui` section),
 * tidy up, zoom, saving the lab file and exporting its diagram. Each gesture becomes
 * contract edits the core validates; nothing here decides a rule.
 */
import { offerDownload } from '../api/download';
import { DIAGRAM_TYPES, diagramFileName, type DiagramFormat } from '../canvas/diagram-files';
import type { Vm } from '../../../core/model/lab';
import { assertNever } from './assert-never';
import { planned, type PlannedEdit } from './edits';
import { uiWith, type Point, type Viewport } from './editor-ui';
import { freshExternalIp, freshId, freshMac, usedIds, usedMacs } from './fresh';
import { pastePlan } from './clipboard';
import { removalOf, type Removal } from './removal';
import type { Selection } from './selection';
import type { Workspace } from './workspace.svelte';

export type PaletteKind =
  'network' | 'vm' | 'hypervisor' | 'switch' | 'nested-vm' | 'bridge' | 'external';

export type Pane = 'inspector' | 'account' | 'problems' | 'exercise';

type CanvasKind = 'network' | 'vm' | 'hypervisor' | 'switch' | 'bridge' | 'external';

/** What the editor needs of the drawing (the cytoscape adapter provides it). */
export interface CanvasControl {
  positions(): Map<string, Point>;
  viewport(): Viewport;
  png(): string | null;
  exportDiagram(format: DiagramFormat, title: string): Promise<Blob> | null;
  zoomBy(factor: number): void;
  fit(): void;
  tidyUp(): void;
  settle(): void;
  spotFor(kind: CanvasKind, near?: Point, inside?: string): Point;
  childSpot(hypervisor: string, kind: 'switch' | 'vm'): Point;
  copyOffset(selection: Selection): Point;
  nudge(selection: Selection, dx: number, dy: number): boolean;
  cancelGesture(): void;
  reveal(selection: Selection): void;
}

export interface AddRequest {
  readonly kind: PaletteKind;
  /** Where it was dropped, in model coordinates. */
  readonly at?: Point;
  readonly hypervisor?: string;
  readonly switch?: string;
}

export interface AddForm {
  readonly id: string;
  readonly name: string;
  readonly hypervisor?: string;
  readonly switch?: string;
  readonly uplink?: string;
  readonly ip?: string;
}

const NUDGE_SAVE_MS = 500;

function canvasKind(kind: PaletteKind): CanvasKind {
  if (kind === 'nested-vm') return 'vm';
  return kind;
}

export class Editor {
  canvas = $state.raw<CanvasControl | null>(null);
  connectMode = $state(false);
  adding = $state.raw<AddRequest | null>(null);
  deleting = $state.raw<Removal | null>(null);
  clipboard = $state.raw<{ readonly vm: Vm; readonly parent?: string } | null>(null);
  pane = $state<Pane>('inspector');
  helpOpen = $state(false);
  /**
   * Where newly added things go, by lab id: the canvas takes each one as it draws its node,
   * so a placement applies once (an undo or redo later puts the node back where it stood).
   * Nothing renders it, so it is a plain map on purpose.
   */
  // eslint-disable-next-line svelte/prefer-svelte-reactivity
  readonly placements = new Map<string, Point>();
  private nudgeTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly workspace: Workspace) {}

  // ——— Adding ———

  /** Opens the add dialog, guessing the hypervisor and switch from a drop target or selection. */
  requestAdd(kind: PaletteKind, at?: Point, target?: Selection | null): void {
    const lookup = this.workspace.lookup;
    const near = target ?? this.workspace.selection;
    let hypervisor: string | undefined;
    let sw: string | undefined;
    if (lookup && near) {
      if (near.kind === 'switch') {
        sw = near.id;
        hypervisor = lookup.switches.get(near.id)?.hypervisor.id;
      } else if (near.kind === 'vm') {
        const entry = lookup.vms.get(near.id);
        const vm = entry?.vm;
        hypervisor =
          vm && (vm.nestedVirtualization || vm.switches.length > 0) ? vm.id : entry?.hypervisor?.id;
      } else if (near.kind === 'adapter') {
        hypervisor = lookup.adapters.get(near.id)?.hypervisor?.id;
      }
    }
    this.adding = {
      kind,
      ...(at ? { at } : {}),
      ...(hypervisor !== undefined ? { hypervisor } : {}),
      ...(sw !== undefined ? { switch: sw } : {}),
    };
  }

  cancelAdd(): void {
    this.adding = null;
    if (this.workspace.refusal?.control === 'add') this.workspace.dismissRefusal();
  }

  /** A fresh id for the dialog to propose. */
  suggestId(kind: PaletteKind, hypervisor: string | undefined): string {
    const lab = this.workspace.lab;
    if (!lab) return '';
    const taken = usedIds(lab);
    switch (kind) {
      case 'network':
        return freshId(taken, 'net');
      case 'vm':
        return freshId(taken, 'vm');
      case 'hypervisor':
        return freshId(taken, 'esxi');
      case 'bridge':
        return freshId(taken, 'bridge');
      case 'external':
        return freshId(taken, 'host');
      case 'switch':
        return freshId(taken, `${hypervisor ?? 'hv'}-vsw`, 0);
      case 'nested-vm':
        return freshId(taken, `${hypervisor ?? 'hv'}-vm`);
      default:
        return assertNever(kind);
    }
  }

  suggestIp(): string {
    const lab = this.workspace.lab;
    return lab ? freshExternalIp(lab) : '';
  }

  async confirmAdd(form: AddForm): Promise<boolean> {
    const request = this.adding;
    const lab = this.workspace.lab;
    if (!request || !lab) return false;
    const edit = this.addEdit(request.kind, form, usedMacs(lab));
    this.placeNew(request, form);
    const ok = await this.workspace.edit('add', request.kind, edit);
    if (!ok) {
      // Nothing was drawn: the place must not go to a node of that id brought back later.
      this.placements.delete(form.id);
      return false;
    }
    this.adding = null;
    this.pane = 'inspector';
    const selection: Selection =
      request.kind === 'network'
        ? { kind: 'network', id: form.id }
        : request.kind === 'switch'
          ? { kind: 'switch', id: form.id }
          : request.kind === 'external'
            ? { kind: 'external', id: form.id }
            : { kind: 'vm', id: form.id };
    this.workspace.select(selection);
    this.workspace.notice = `Added ${form.id}.`;
    return true;
  }

  private addEdit(kind: PaletteKind, form: AddForm, macs: Set<string>): PlannedEdit {
    const named = form.name.trim() ? { name: form.name.trim() } : {};
    switch (kind) {
      case 'network':
        return planned('network.add', { network: { id: form.id, ...named } });
      case 'vm':
        return planned('vm.add', { vm: { id: form.id, ...named } });
      case 'hypervisor':
        return planned('vm.add', {
          vm: { id: form.id, ...named, guestOs: 'esxi', nestedVirtualization: true },
        });
      case 'bridge':
        return planned('vm.add', { vm: { id: form.id, ...named, role: 'bridge' } });
      case 'external':
        return planned('external.add', { host: { id: form.id, ...named, ip: form.ip ?? '' } });
      case 'switch':
        return planned('switch.add', {
          vm: form.hypervisor ?? '',
          switch: { id: form.id, ...named, ...(form.uplink ? { uplink: form.uplink } : {}) },
        });
      case 'nested-vm': {
        const adapters = form.switch
          ? [{ id: `${form.id}-nic0`, switch: form.switch, mac: freshMac(macs) }]
          : [];
        return planned('vm.add', {
          vm: { id: form.id, ...named, adapters },
          parent: form.hypervisor ?? '',
        });
      }
      default:
        return assertNever(kind);
    }
  }

  private placeNew(request: AddRequest, form: AddForm): void {
    const canvas = this.canvas;
    if (!canvas) return;
    const kind = canvasKind(request.kind);
    const nested = request.kind === 'switch' || request.kind === 'nested-vm';
    const inside = nested ? form.hypervisor : undefined;
    // Dropped: there, or the nearest free room; added from the keyboard: beside its kin.
    const at = request.at
      ? canvas.spotFor(kind, request.at, inside)
      : inside
        ? canvas.childSpot(inside, request.kind === 'switch' ? 'switch' : 'vm')
        : canvas.spotFor(kind);
    this.placements.set(form.id, at);
  }

  /** A new unconnected adapter with a fresh id and MAC; the inspector then attaches it. */
  async addAdapter(vmId: string): Promise<boolean> {
    const lab = this.workspace.lab;
    if (!lab) return false;
    const id = freshId(usedIds(lab), `${vmId}-nic`, 0);
    const edit = planned('adapter.add', {
      vm: vmId,
      adapter: { id, mac: freshMac(usedMacs(lab)) },
    });
    const ok = await this.workspace.edit('add-adapter', vmId, edit);
    if (ok) {
      this.workspace.select({ kind: 'adapter', id });
      this.workspace.notice = `Added ${id}; choose what it attaches to.`;
    }
    return ok;
  }

  // ——— Connecting ———

  /** The canvas follows `connectMode` (Canvas.svelte passes it to the adapter). */
  toggleConnect(on = !this.connectMode): void {
    if (on && this.workspace.refuseLocked('adapter.connect', 'canvas', '')) return;
    this.connectMode = on;
  }

  /**
   * Connects a VM (its first unconnected adapter, or a new one) or an adapter to a network
   * or nested switch. The core checks the attachment (A7).
   */
  async connect(from: Selection, to: Selection): Promise<void> {
    const lookup = this.workspace.lookup;
    const lab = this.workspace.lab;
    if (!lookup || !lab || (to.kind !== 'network' && to.kind !== 'switch')) return;
    const where = to.kind === 'network' ? { network: to.id } : { switch: to.id };
    let adapter: string;
    let edit: PlannedEdit;
    if (from.kind === 'adapter') {
      adapter = from.id;
      edit = planned('adapter.connect', { adapter, ...where });
    } else {
      const vm = lookup.vms.get(from.id)?.vm;
      if (!vm) return;
      const loose = vm.adapters.find((a) => a.network === undefined && a.switch === undefined);
      adapter = loose?.id ?? freshId(usedIds(lab), `${vm.id}-nic`, 0);
      edit = loose
        ? planned('adapter.connect', { adapter, ...where })
        : planned('adapter.add', {
            vm: vm.id,
            adapter: { id: adapter, mac: freshMac(usedMacs(lab)), ...where },
          });
    }
    if (await this.workspace.edit('canvas', adapter, edit)) {
      this.workspace.select({ kind: 'adapter', id: adapter });
      this.workspace.notice = `Connected ${adapter} to ${to.id}.`;
    }
  }

  // ——— Deleting ———

  requestDelete(): void {
    const lookup = this.workspace.lookup;
    const selection = this.workspace.selection;
    if (!lookup || !selection) return;
    const removal = removalOf(lookup, selection);
    if (!removal) return;
    // Locked (student mode): say why where Delete would have answered, ask nothing.
    if (this.workspace.refuseLocked('vm.remove', 'delete', selection.id)) return;
    if (removal.goes.length > 1) this.deleting = removal;
    else void this.remove(removal);
  }

  async confirmDelete(): Promise<boolean> {
    const removal = this.deleting;
    if (!removal) return false;
    const ok = await this.remove(removal);
    this.deleting = null;
    return ok;
  }

  cancelDelete(): void {
    this.deleting = null;
  }

  private async remove(removal: Removal): Promise<boolean> {
    const ok = await this.workspace.edit('delete', removal.selection.id, removal.edit);
    if (ok) this.workspace.notice = `Deleted ${removal.goes.join(', ')}.`;
    return ok;
  }

  // ——— Copy and paste ———

  copy(): void {
    const selection = this.workspace.selection;
    const entry =
      selection?.kind === 'vm' ? this.workspace.lookup?.vms.get(selection.id) : undefined;
    if (!entry) {
      this.workspace.notice = 'Select a VM to copy it.';
      return;
    }
    this.clipboard = {
      vm: entry.vm,
      ...(entry.hypervisor ? { parent: entry.hypervisor.id } : {}),
    };
    this.workspace.notice = `Copied ${entry.vm.id}.`;
  }

  async paste(): Promise<boolean> {
    const clip = this.clipboard;
    const lab = this.workspace.lab;
    const lookup = this.workspace.lookup;
    if (!clip || !lab || !lookup) return false;
    const parent =
      clip.parent !== undefined && lookup.vms.has(clip.parent) ? clip.parent : undefined;
    const plan = pastePlan(lab, clip.vm, parent);
    const positions = this.canvas?.positions();
    const offset = this.canvas?.copyOffset({ kind: 'vm', id: clip.vm.id }) ?? { x: 60, y: 60 };
    for (const [original, copy] of plan.ids) {
      const p = positions?.get(original);
      if (p) this.placements.set(copy, { x: p.x + offset.x, y: p.y + offset.y });
    }
    const ok = await this.workspace.run('paste', plan.id, plan.edits);
    // What a refusal left undrawn keeps no place (what was drawn took its own).
    if (!ok) for (const copy of plan.ids.values()) this.placements.delete(copy);
    if (ok) {
      this.workspace.select({ kind: 'vm', id: plan.id });
      this.workspace.notice = `Pasted ${plan.id}: fresh ids and MACs; its IP addresses are left empty.`;
    }
    return ok;
  }

  // ——— Moving, layout, viewport ———

  /** Saves the canvas's positions in the lab's `ui` section (one undoable edit). */
  async savePositions(viewport = false): Promise<boolean> {
    clearTimeout(this.nudgeTimer);
    const canvas = this.canvas;
    const lab = this.workspace.lab;
    if (!canvas || !lab) return false;
    const ui = uiWith(lab.ui, canvas.positions(), viewport ? canvas.viewport() : undefined);
    if (JSON.stringify(ui) === JSON.stringify(lab.ui)) return true;
    const ok = await this.workspace.edit('canvas', '', planned('lab.setUi', { ui }));
    if (!ok) canvas.settle();
    return ok;
  }

  nudge(dx: number, dy: number): void {
    const selection = this.workspace.selection;
    if (!selection || !this.canvas?.nudge(selection, dx, dy)) return;
    clearTimeout(this.nudgeTimer);
    this.nudgeTimer = setTimeout(() => void this.savePositions(), NUDGE_SAVE_MS);
  }

  /** Puts every node back where the lab's own layout puts it, as one edit (undo restores). */
  async tidyUp(): Promise<void> {
    this.canvas?.tidyUp();
    if (await this.savePositions())
      this.workspace.notice = 'Tidied up; positions saved in the lab.';
  }

  zoomIn(): void {
    this.canvas?.zoomBy(1.25);
  }

  zoomOut(): void {
    this.canvas?.zoomBy(0.8);
  }

  fit(): void {
    this.canvas?.fit();
  }

  /** Escape: cancel a gesture, then leave connect mode, then clear the selection. */
  escape(): void {
    if (this.connectMode) {
      this.toggleConnect(false);
      return;
    }
    this.canvas?.cancelGesture();
    this.workspace.select(null);
  }

  // ——— Saving ———

  /** The file name to save under: the lab's own, or one made from its title. */
  fileName(): string {
    const view = this.workspace.view;
    if (!view) return 'untitled.lab.yaml';
    if (view.fileName !== 'untitled.lab.yaml') return view.fileName;
    const slug = view.lab.title
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-|-$/g, '');
    return slug && slug !== 'untitled-lab' ? `${slug}.lab.yaml` : view.fileName;
  }

  /** Ctrl/Cmd+S: positions and viewport into `ui`, then the file text as a download. */
  async save(): Promise<boolean> {
    if (!this.workspace.lab) return false;
    await this.savePositions(true);
    const exported = await this.workspace.exportLab();
    if (!exported) return false;
    const name = this.fileName();
    offerDownload(name, exported.text, 'application/yaml');
    this.workspace.notice = `Saved ${name}.`;
    return true;
  }

  /** "Export diagram": the whole lab as a PNG or SVG picture, named after the lab file. */
  async exportDiagram(format: DiagramFormat): Promise<boolean> {
    const view = this.workspace.view;
    const making = view ? this.canvas?.exportDiagram(format, view.lab.title) : null;
    if (!making) {
      this.workspace.notice = 'Nothing to export yet: the lab is empty.';
      return false;
    }
    const name = diagramFileName(this.fileName(), format);
    offerDownload(name, await making, DIAGRAM_TYPES[format]);
    this.workspace.notice = `Exported ${name}.`;
    return true;
  }
}
