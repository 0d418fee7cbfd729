/**
 * Fresh values for new things: ids no element of the lab uses yet (`vm1`, `esxi-nic0`),
 * locally administered unicast MACs no adapter or virtual MAC uses (02:00:00:…), and free
 * documentation addresses for external hosts. These only propose values; the core still
 * checks every one (A6 `duplicate-id`, `duplicate-mac`).
 */
import type { Lab, Vm } from '../../../core/model/lab';

function eachVm(vms: readonly Vm[], visit: (vm: Vm) => void): void {
  for (const vm of vms) {
    visit(vm);
    eachVm(vm.nested, visit);
  }
}

/** Every id of the lab: networks, external hosts, VMs, nested VMs, adapters, switches. */
export function usedIds(lab: Lab): Set<string> {
  const ids = new Set<string>();
  for (const n of lab.networks) ids.add(n.id);
  for (const h of lab.external) ids.add(h.id);
  eachVm(lab.vms, (vm) => {
    ids.add(vm.id);
    for (const a of vm.adapters) ids.add(a.id);
    for (const sw of vm.switches) ids.add(sw.id);
  });
  return ids;
}

/** `prefix` + the first number from `start` that is not taken (`vm1`, `esxi-nic0`). */
export function freshId(taken: ReadonlySet<string>, prefix: string, start = 1): string {
  for (let n = start; ; n += 1) {
    const id = `${prefix}${n}`;
    if (!taken.has(id)) return id;
  }
}

/** Every MAC in use, lower case: adapters' own and VMs' virtual MACs (D1). */
export function usedMacs(lab: Lab): Set<string> {
  const macs = new Set<string>();
  eachVm(lab.vms, (vm) => {
    for (const a of vm.adapters) macs.add(a.mac.toLowerCase());
    for (const m of vm.virtualMacs) macs.add(m.toLowerCase());
  });
  return macs;
}

const LOCAL_PREFIX = '02:00:00';

/**
 * The first locally administered unicast MAC (first octet 0x02: the U/L bit set, the I/G
 * bit clear) that is not in `taken`, counting up from 02:00:00:00:00:01.
 */
export function freshMac(taken: ReadonlySet<string>): string {
  for (let n = 1; n < 0x1000000; n += 1) {
    const hex = n.toString(16).padStart(6, '0');
    const mac = `${LOCAL_PREFIX}:${hex.slice(0, 2)}:${hex.slice(2, 4)}:${hex.slice(4, 6)}`;
    if (!taken.has(mac)) return mac;
  }
  throw new Error('Every locally administered MAC under 02:00:00 is taken.');
}

/** A free address of TEST-NET-3 (RFC 5737) for a new external host. */
export function freshExternalIp(lab: Lab): string {
  const taken = new Set(lab.external.map((h) => h.ip));
  for (let n = 10; n < 255; n += 1) {
    const ip = `203.0.113.${n}`;
    if (!taken.has(ip)) return ip;
  }
  return '203.0.113.254';
}
