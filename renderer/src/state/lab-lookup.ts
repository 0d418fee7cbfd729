/**
 * Lookups the screens need over a lab value: each VM with its hypervisor, each adapter
 * with its VM and the switch it is the uplink of, each switch with its hypervisor. Display
 * only: no rule is decided here (the core answers those through the api).
 */
import type { Adapter, Lab, NestedSwitch, Network, Vm } from '../../../core/model/lab';

export interface VmEntry {
  readonly vm: Vm;
  /** The hypervisor hosting this VM, or null for a top-level VM. */
  readonly hypervisor: Vm | null;
}

export interface AdapterEntry {
  readonly adapter: Adapter;
  readonly vm: Vm;
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
      adapters.set(adapter.id, { adapter, vm, uplinkOf });
      if (adapter.network !== undefined) {
        onNetwork.set(adapter.network, [...(onNetwork.get(adapter.network) ?? []), adapter]);
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
  return { vms, adapters, switches, networks, onNetwork };
}

/** `esxi (ESXi host)` or `client` when the VM has no display name. */
export function displayName(thing: { readonly id: string; readonly name?: string }): string {
  return thing.name && thing.name !== thing.id ? `${thing.id} (${thing.name})` : thing.id;
}
