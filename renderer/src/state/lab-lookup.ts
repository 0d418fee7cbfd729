/**
 * Lookups the screens need over a lab value: each VM with its hypervisor, each adapter
 * with its VM and the switch it is the uplink of, each switch with its hypervisor, each
 * network with its adapters. Display only: no rule is decided here (the core answers those
 * through the api).
 */
import type {
  Adapter,
  ExternalHost,
  Lab,
  NestedSwitch,
  Network,
  Vm,
} from '../../../core/model/lab';
import { assertNever } from './assert-never';
import type { Selection } from './selection';

export interface VmEntry {
  readonly vm: Vm;
  /** The hypervisor hosting this VM, or null for a top-level VM. */
  readonly hypervisor: Vm | null;
}

export interface AdapterEntry {
  readonly adapter: Adapter;
  readonly vm: Vm;
  /** The hypervisor of the adapter's VM, when the VM is nested. */
  readonly hypervisor: Vm | null;
  /** The nested switch this adapter carries out of its hypervisor, if any. */
  readonly uplinkOf: NestedSwitch | undefined;
}

export interface SwitchEntry {
  readonly sw: NestedSwitch;
  readonly hypervisor: Vm;
  readonly adapters: readonly Adapter[];
}

export interface LabLookup {
  readonly vms: ReadonlyMap<string, VmEntry>;
  readonly adapters: ReadonlyMap<string, AdapterEntry>;
  readonly switches: ReadonlyMap<string, SwitchEntry>;
  readonly networks: ReadonlyMap<string, Network>;
  readonly externals: ReadonlyMap<string, ExternalHost>;
  /** The adapters attached to each network, in file order. */
  readonly onNetwork: ReadonlyMap<string, readonly Adapter[]>;
}

export function lookupLab(lab: Lab): LabLookup {
  const vms = new Map<string, VmEntry>();
  const adapters = new Map<string, AdapterEntry>();
  const switches = new Map<string, SwitchEntry>();
  const onNetwork = new Map<string, Adapter[]>();
  const visit = (vm: Vm, hypervisor: Vm | null): void => {
    vms.set(vm.id, { vm, hypervisor });
    for (const adapter of vm.adapters) {
      const uplinkOf = vm.switches.find((sw) => sw.uplink === adapter.id);
      adapters.set(adapter.id, { adapter, vm, hypervisor, uplinkOf });
      if (adapter.network !== undefined) {
        const list = onNetwork.get(adapter.network);
        if (list) list.push(adapter);
        else onNetwork.set(adapter.network, [adapter]);
      }
    }
    for (const sw of vm.switches) {
      const attached = vm.nested.flatMap((child) =>
        child.adapters.filter((a) => a.switch === sw.id),
      );
      switches.set(sw.id, { sw, hypervisor: vm, adapters: attached });
    }
    for (const child of vm.nested) visit(child, vm);
  };
  for (const vm of lab.vms) visit(vm, null);
  const networks = new Map(lab.networks.map((n) => [n.id, n] as const));
  const externals = new Map(lab.external.map((h) => [h.id, h] as const));
  return { vms, adapters, switches, networks, externals, onNetwork };
}

/** Whether the selection still names something of the lab. */
export function selectionExists(lookup: LabLookup, selection: Selection): boolean {
  switch (selection.kind) {
    case 'adapter':
      return lookup.adapters.has(selection.id);
    case 'vm':
      return lookup.vms.has(selection.id);
    case 'network':
      return lookup.networks.has(selection.id);
    case 'switch':
      return lookup.switches.has(selection.id);
    case 'external':
      return lookup.externals.has(selection.id);
    default:
      return assertNever(selection.kind);
  }
}

/** `esxi (ESXi host)` or `client` when the VM has no display name. */
export function displayName(thing: { readonly id: string; readonly name?: string }): string {
  return thing.name && thing.name !== thing.id ? `${thing.id} (${thing.name})` : thing.id;
}
