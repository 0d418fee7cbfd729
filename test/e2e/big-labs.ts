/**
 * Generated labs for the browser tests, as lab files with no saved positions, so the editor
 * lays them out itself: the benchmark's topology (bench/topology.ts: networks of twenty VMs,
 * a third of them hypervisors with two nested VMs, inline bridges between some networks)
 * grown to a number of nodes, and one network with many VMs (a class, a VM each).
 * Deterministic.
 */
import type { Lab } from '../../core/model';
import { serializeLab } from '../../core/lab/serialize';
import { generateLab } from '../../bench/topology';

/** Nodes the canvas draws: networks, external hosts, VMs (nested ones too) and nested switches. */
export function nodeCount(lab: Lab): number {
  let count = lab.networks.length + lab.external.length;
  const visit = (vms: Lab['vms']): void => {
    for (const vm of vms) {
      count += 1 + vm.switches.length;
      visit(vm.nested);
    }
  };
  visit(lab.vms);
  return count;
}

/** The smallest generated lab with at least `nodes` nodes, titled by its size. */
export function bigLab(nodes: number): { title: string; text: string; nodes: number } {
  for (let vms = Math.floor(nodes / 2.5); ; vms += 1) {
    const { lab } = generateLab(vms);
    const count = nodeCount(lab);
    if (count >= nodes) {
      const title = `Generated lab of ${count} nodes`;
      return { title, text: serializeLab({ ...lab, title }), nodes: count };
    }
  }
}

/** One network `lan` with `count` VMs on it, one adapter each. */
export function oneNetworkLab(count: number): { title: string; text: string; nodes: number } {
  const { lab } = generateLab(1);
  const base = lab.vms[0] as Lab['vms'][number];
  const hex = (n: number): string => n.toString(16).padStart(2, '0');
  const vms = Array.from({ length: count }, (_, i) => ({
    ...base,
    id: `pc${i}`,
    nestedVirtualization: false,
    switches: [],
    nested: [],
    adapters: [
      {
        id: `pc${i}-nic0`,
        network: 'lan',
        mac: `02:00:00:00:${hex(i >> 8)}:${hex(i & 255)}`,
        ip: `10.0.${i >> 8}.${(i & 255) + 1}/16`,
        promiscuous: false,
      },
    ],
  }));
  const title = `One network of ${count} VMs`;
  const one: Lab = { ...lab, title, networks: [{ id: 'lan', subnet: '10.0.0.0/16' }], vms };
  return { title, text: serializeLab(one), nodes: count + 1 };
}
