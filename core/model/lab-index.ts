/**
 * Lookups over a lab: every VM (nested ones included), adapter, switch, network and
 * external host by id, with the path of each in the lab file and its owner. Built once per
 * lab value; labs are immutable, so an index never goes stale.
 */
import type { Adapter, ExternalHost, Lab, Network, NestedSwitch, Vm } from './lab';

export interface VmEntry {
  readonly vm: Vm;
  /** The hypervisor that hosts this VM, or null for a top-level VM. */
  readonly parent: Vm | null;
  /** `vms[0]` or `vms[0].nested[1]`. */
  readonly path: string;
}

export interface AdapterEntry {
  readonly adapter: Adapter;
  readonly vm: Vm;
  readonly path: string;
}

export interface SwitchEntry {
  readonly sw: NestedSwitch;
  readonly vm: Vm;
  readonly path: string;
}

export interface LabIndex {
  readonly vms: ReadonlyMap<string, VmEntry>;
  readonly adapters: ReadonlyMap<string, AdapterEntry>;
  readonly switches: ReadonlyMap<string, SwitchEntry>;
  readonly networks: ReadonlyMap<string, { network: Network; path: string }>;
  readonly external: ReadonlyMap<string, { host: ExternalHost; path: string }>;
}

const cache = new WeakMap<Lab, LabIndex>();

export function indexLab(lab: Lab): LabIndex {
  const cached = cache.get(lab);
  if (cached) return cached;
  const vms = new Map<string, VmEntry>();
  const adapters = new Map<string, AdapterEntry>();
  const switches = new Map<string, SwitchEntry>();
  const visit = (vm: Vm, parent: Vm | null, path: string): void => {
    if (!vms.has(vm.id)) vms.set(vm.id, { vm, parent, path });
    vm.adapters.forEach((adapter, i) => {
      if (!adapters.has(adapter.id))
        adapters.set(adapter.id, { adapter, vm, path: `${path}.adapters[${i}]` });
    });
    vm.switches.forEach((sw, i) => {
      if (!switches.has(sw.id)) switches.set(sw.id, { sw, vm, path: `${path}.switches[${i}]` });
    });
    vm.nested.forEach((child, i) => visit(child, vm, `${path}.nested[${i}]`));
  };
  lab.vms.forEach((vm, i) => visit(vm, null, `vms[${i}]`));
  const networks = new Map<string, { network: Network; path: string }>();
  lab.networks.forEach((network, i) => {
    if (!networks.has(network.id)) networks.set(network.id, { network, path: `networks[${i}]` });
  });
  const external = new Map<string, { host: ExternalHost; path: string }>();
  lab.external.forEach((host, i) => {
    if (!external.has(host.id)) external.set(host.id, { host, path: `external[${i}]` });
  });
  const index: LabIndex = { vms, adapters, switches, networks, external };
  cache.set(lab, index);
  return index;
}

/** Every VM of the lab, nested ones after their hypervisor, in file order. */
export function allVms(lab: Lab): Vm[] {
  const out: Vm[] = [];
  const visit = (vm: Vm): void => {
    out.push(vm);
    vm.nested.forEach(visit);
  };
  lab.vms.forEach(visit);
  return out;
}

/** F1: a nested VM runs only while its own state is running and its hypervisor runs. */
export function isVmRunning(index: LabIndex, vmId: string): boolean {
  let entry = index.vms.get(vmId);
  while (entry) {
    if (entry.vm.power !== 'running') return false;
    entry = entry.parent ? index.vms.get(entry.parent.id) : undefined;
  }
  return true;
}

/** A VM's display name: its `name`, else its id. */
export function displayName(thing: { id: string; name?: string }): string {
  return thing.name ?? thing.id;
}
