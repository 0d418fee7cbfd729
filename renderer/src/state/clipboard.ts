/**
 * Copy and paste of a VM, composed from existing edits (the core validates each): the copy
 * gets fresh ids and fresh locally administered MACs, keeps its settings and attachments,
 * and leaves IP addresses empty so the copy never claims its original's address. A
 * hypervisor's switches and nested VMs are copied too, uplinks and attachments remapped.
 */
import type { Adapter, Lab, Vm } from '../../../core/model/lab';
import { planned, type PlannedEdit } from './edits';
import { freshId, freshMac, usedIds, usedMacs } from './fresh';

export interface PastePlan {
  readonly edits: readonly PlannedEdit[];
  /** The pasted VM's id. */
  readonly id: string;
  /** Every new node's id by its original's: the VM, its switches and nested VMs. */
  readonly ids: ReadonlyMap<string, string>;
}

interface Fresh {
  readonly ids: Set<string>;
  readonly macs: Set<string>;
  readonly map: Map<string, string>;
}

function take(fresh: Fresh, original: string): string {
  const stem = original.replace(/-copy\d*$/, '');
  const id = fresh.ids.has(`${stem}-copy`) ? freshId(fresh.ids, `${stem}-copy`, 2) : `${stem}-copy`;
  fresh.ids.add(id);
  fresh.map.set(original, id);
  return id;
}

/** The adapter id of the copy: `web1-nic0` of `web1` becomes `web1-copy-nic0`. */
function adapterId(fresh: Fresh, adapter: Adapter, vm: Vm, copyId: string): string {
  const wanted = adapter.id.startsWith(vm.id) ? `${copyId}${adapter.id.slice(vm.id.length)}` : '';
  const id = wanted && !fresh.ids.has(wanted) ? wanted : freshId(fresh.ids, `${copyId}-nic`, 0);
  fresh.ids.add(id);
  fresh.map.set(adapter.id, id);
  return id;
}

function copyAdapters(fresh: Fresh, vm: Vm, copyId: string) {
  return vm.adapters.map((a) => {
    const mac = freshMac(fresh.macs);
    fresh.macs.add(mac);
    const sw = a.switch === undefined ? undefined : (fresh.map.get(a.switch) ?? a.switch);
    return {
      id: adapterId(fresh, a, vm, copyId),
      ...(a.name !== undefined ? { name: a.name } : {}),
      ...(a.network !== undefined ? { network: a.network } : {}),
      ...(sw !== undefined ? { switch: sw } : {}),
      mac,
      ...(a.gateway !== undefined ? { gateway: a.gateway } : {}),
    };
  });
}

function copyVm(fresh: Fresh, vm: Vm, parent: string | undefined, out: PlannedEdit[]): string {
  const id = take(fresh, vm.id);
  const spec = {
    id,
    ...(vm.name !== undefined ? { name: `${vm.name} (copy)` } : {}),
    ...(vm.guestOs !== undefined ? { guestOs: vm.guestOs } : {}),
    arch: vm.arch,
    power: vm.power,
    nestedVirtualization: vm.nestedVirtualization,
    role: vm.role,
    stp: vm.stp,
    adapters: copyAdapters(fresh, vm, id),
  };
  out.push(planned('vm.add', parent === undefined ? { vm: spec } : { vm: spec, parent }));
  if (vm.virtualMacs.length > 0 || vm.virtualIps.length > 0)
    out.push(
      planned('vm.setVirtualAddresses', {
        vm: id,
        virtualMacs: [...vm.virtualMacs],
        virtualIps: [...vm.virtualIps],
      }),
    );
  for (const sw of vm.switches) {
    const swId = take(fresh, sw.id);
    const uplink = sw.uplink === undefined ? undefined : fresh.map.get(sw.uplink);
    out.push(
      planned('switch.add', {
        vm: id,
        switch: {
          id: swId,
          ...(sw.name !== undefined ? { name: sw.name } : {}),
          ...(uplink !== undefined ? { uplink } : {}),
        },
      }),
    );
  }
  for (const child of vm.nested) copyVm(fresh, child, id, out);
  return id;
}

/** The edits that paste a copy of `vm` into `parent` (a hypervisor) or the lab's top level. */
export function pastePlan(lab: Lab, vm: Vm, parent: string | undefined): PastePlan {
  const fresh: Fresh = { ids: usedIds(lab), macs: usedMacs(lab), map: new Map() };
  const edits: PlannedEdit[] = [];
  const id = copyVm(fresh, vm, parent, edits);
  return { edits, id, ids: fresh.map };
}
