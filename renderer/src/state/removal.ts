/**
 * What deleting the selection takes with it, so the editor can ask first when more than
 * one thing goes: a VM goes with its adapters, nested switches and nested VMs; a network
 * goes alone and leaves its adapters unconnected. The edit is the core's (`vm.remove`, …).
 */
import type { Vm } from '../../../core/model/lab';
import { assertNever } from './assert-never';
import { planned, type PlannedEdit } from './edits';
import type { LabLookup } from './lab-lookup';
import type { Selection } from './selection';

export interface Removal {
  readonly selection: Selection;
  /** `VM esxi`, the thing asked for. */
  readonly title: string;
  readonly edit: PlannedEdit;
  /** Everything that goes, the selection first: `nested VM web1`, `adapter web1-nic0`. */
  readonly goes: readonly string[];
  /** What stays but loses its connection: `adapter client-nic0`. */
  readonly disconnects: readonly string[];
}

function vmContents(vm: Vm, out: string[]): void {
  for (const a of vm.adapters) out.push(`adapter ${a.id}`);
  for (const sw of vm.switches) out.push(`nested switch ${sw.id}`);
  for (const child of vm.nested) {
    out.push(`nested VM ${child.id}`);
    vmContents(child, out);
  }
}

export function removalOf(lookup: LabLookup, selection: Selection): Removal | null {
  const { id } = selection;
  switch (selection.kind) {
    case 'vm': {
      const entry = lookup.vms.get(id);
      if (!entry) return null;
      const noun = entry.hypervisor ? 'nested VM' : 'VM';
      const goes = [`${noun} ${id}`];
      vmContents(entry.vm, goes);
      return {
        selection,
        title: `${noun} ${id}`,
        edit: planned('vm.remove', { vm: id }),
        goes,
        disconnects: [],
      };
    }
    case 'network': {
      if (!lookup.networks.has(id)) return null;
      const disconnects = (lookup.onNetwork.get(id) ?? []).map((a) => `adapter ${a.id}`);
      const goes = [`network ${id}`];
      return {
        selection,
        title: `network ${id}`,
        edit: planned('network.remove', { network: id }),
        goes,
        disconnects,
      };
    }
    case 'switch': {
      const entry = lookup.switches.get(id);
      if (!entry) return null;
      const disconnects = entry.adapters.map((a) => `adapter ${a.id}`);
      const goes = [`nested switch ${id}`];
      return {
        selection,
        title: `nested switch ${id}`,
        edit: planned('switch.remove', { switch: id }),
        goes,
        disconnects,
      };
    }
    case 'adapter': {
      if (!lookup.adapters.has(id)) return null;
      const goes = [`adapter ${id}`];
      return {
        selection,
        title: `adapter ${id}`,
        edit: planned('adapter.remove', { adapter: id }),
        goes,
        disconnects: [],
      };
    }
    case 'external': {
      if (!lookup.externals.has(id)) return null;
      const goes = [`external host ${id}`];
      return {
        selection,
        title: `external host ${id}`,
        edit: planned('external.remove', { host: id }),
        goes,
        disconnects: [],
      };
    }
    default:
      return assertNever(selection.kind);
  }
}
