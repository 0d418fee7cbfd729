/**
 * Where a finding points: the path of a violation in the lab file (`vms[2].nested[0]
 * .adapters[1].mac`) resolved to the element the editor can select, or to the account and
 * users panel for `account` and `users[…]` paths. Traffic and objectives have no element.
 */
import type { Lab, Vm } from '../../../core/model/lab';
import type { Selection } from './selection';

export type ViolationTarget =
  { readonly kind: 'selection'; readonly selection: Selection } | { readonly kind: 'account' };

type Segment = string | number;

/**
 * `vms[2].adapters[0].mac` → ['vms', 2, 'adapters', 0, 'mac']; a quoted key, `a["x.y"]`, is
 * read as itself (the renderer's copy of core/model/errors.ts `parsePath`: it reaches the core
 * only through the api).
 */
export function parsePath(path: string): Segment[] {
  const out: Segment[] = [];
  for (const match of path.matchAll(/\[("(?:[^"\\]|\\.)*")\]|([^.[\]]+)|\[(\d+)\]/g)) {
    if (match[1] !== undefined) out.push(JSON.parse(match[1]) as string);
    else if (match[3] !== undefined) out.push(Number(match[3]));
    else if (match[2] !== undefined) out.push(match[2]);
  }
  return out;
}

function inVm(vm: Vm, rest: Segment[]): Selection {
  const [key, index, ...tail] = rest;
  if (typeof index === 'number') {
    if (key === 'adapters') {
      const adapter = vm.adapters[index];
      if (adapter) return { kind: 'adapter', id: adapter.id };
    }
    if (key === 'switches') {
      const sw = vm.switches[index];
      if (sw) return { kind: 'switch', id: sw.id };
    }
    if (key === 'nested') {
      const child = vm.nested[index];
      if (child) return inVm(child, tail);
    }
  }
  return { kind: 'vm', id: vm.id };
}

export function violationTarget(lab: Lab, path: string): ViolationTarget | null {
  const [head, index, ...rest] = parsePath(path);
  if (head === 'account' || head === 'users' || head === 'actingUser') return { kind: 'account' };
  if (typeof index !== 'number') return null;
  if (head === 'vms') {
    const vm = lab.vms[index];
    return vm ? { kind: 'selection', selection: inVm(vm, rest) } : null;
  }
  if (head === 'networks') {
    const network = lab.networks[index];
    return network ? { kind: 'selection', selection: { kind: 'network', id: network.id } } : null;
  }
  if (head === 'external') {
    const host = lab.external[index];
    return host ? { kind: 'selection', selection: { kind: 'external', id: host.id } } : null;
  }
  return null;
}
