/**
 * A mutable working copy of a lab for one edit. Edits change the copy and the copy becomes
 * the new lab only if every rule holds; the original value is never touched, which is what
 * makes "a refused edit leaves the lab exactly as it was" true by construction.
 */
import type { Adapter, Lab, NestedSwitch, Vm } from '../model';

export type Mutable<T> = T extends readonly (infer U)[]
  ? Mutable<U>[]
  : T extends object
    ? { -readonly [K in keyof T]: Mutable<T[K]> }
    : T;

export type LabDraft = Mutable<Lab>;
export type VmDraft = Mutable<Vm>;
export type AdapterDraft = Mutable<Adapter>;
export type SwitchDraft = Mutable<NestedSwitch>;

/** Labs are plain data (YAML in, YAML out), so a JSON copy is a faithful deep copy. */
export function draftOf(lab: Lab): LabDraft {
  return JSON.parse(JSON.stringify(lab)) as LabDraft;
}

export interface VmSlot {
  readonly vm: VmDraft;
  readonly parent: VmDraft | null;
  /** The list that holds the VM (lab.vms or parent.nested), for removal. */
  readonly list: VmDraft[];
}

export function findVm(draft: LabDraft, id: string): VmSlot | undefined {
  const search = (list: VmDraft[], parent: VmDraft | null): VmSlot | undefined => {
    for (const vm of list) {
      if (vm.id === id) return { vm, parent, list };
      const found = search(vm.nested, vm);
      if (found) return found;
    }
    return undefined;
  };
  return search(draft.vms, null);
}

export function eachVm(
  draft: LabDraft,
  visit: (vm: VmDraft, parent: VmDraft | null) => void,
): void {
  const walk = (list: VmDraft[], parent: VmDraft | null): void => {
    for (const vm of list) {
      visit(vm, parent);
      walk(vm.nested, vm);
    }
  };
  walk(draft.vms, null);
}

export function findAdapter(
  draft: LabDraft,
  id: string,
): { adapter: AdapterDraft; vm: VmDraft; parent: VmDraft | null } | undefined {
  let found: { adapter: AdapterDraft; vm: VmDraft; parent: VmDraft | null } | undefined;
  eachVm(draft, (vm, parent) => {
    const adapter = found ? undefined : vm.adapters.find((a) => a.id === id);
    if (adapter) found = { adapter, vm, parent };
  });
  return found;
}

export function findSwitch(
  draft: LabDraft,
  id: string,
): { sw: SwitchDraft; vm: VmDraft } | undefined {
  let found: { sw: SwitchDraft; vm: VmDraft } | undefined;
  eachVm(draft, (vm) => {
    const sw = found ? undefined : vm.switches.find((s) => s.id === id);
    if (sw) found = { sw, vm };
  });
  return found;
}

/** Sets an optional key, or removes it when the value is null/undefined (no `key: undefined` left behind). */
export function setOptional<T extends object, K extends keyof T>(
  target: T,
  key: K,
  value: T[K] | null | undefined,
): void {
  if (value === null || value === undefined) delete target[key];
  else target[key] = value;
}
