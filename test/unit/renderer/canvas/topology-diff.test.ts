import { describe, expect, it } from 'vitest';
import type { Lab, Vm } from '../../../../core/model/lab';
import { DEFAULT_SIM } from '../../../../core/model';
import { topologyOf } from '../../../../renderer/src/canvas/topology';
import {
  elementsOf,
  hasChanges,
  topologyChanges,
} from '../../../../renderer/src/canvas/topology-diff';

function vm(id: string, extra: Partial<Vm> = {}): Vm {
  return {
    id,
    arch: 'x86_64',
    power: 'running',
    nestedVirtualization: false,
    role: 'host',
    stp: false,
    virtualMacs: [],
    virtualIps: [],
    adapters: [{ id: `${id}-nic0`, network: 'lan', mac: '02:00:00:00:00:01', promiscuous: false }],
    switches: [],
    nested: [],
    ...extra,
  } as Vm;
}

function lab(vms: Vm[]): Lab {
  return {
    nestlab: 1,
    title: 'Diff',
    actingUser: 'trainer',
    users: [],
    networks: [{ id: 'lan' }, { id: 'wan' }],
    external: [],
    vms,
    objectives: [],
    sim: DEFAULT_SIM,
  } as unknown as Lab;
}

const hypervisor = vm('esxi', {
  nestedVirtualization: true,
  switches: [{ id: 'vsw' }],
  nested: [vm('inner', { adapters: [] })],
} as Partial<Vm>);

describe('topologyChanges', () => {
  it('finds nothing to do when the lab drew the same', () => {
    const before = topologyOf(lab([vm('a'), hypervisor]));
    const changes = topologyChanges(elementsOf(before), topologyOf(lab([vm('a'), hypervisor])));
    expect(hasChanges(changes)).toBe(false);
  });

  it('updates only the VM whose power changed', () => {
    const before = elementsOf(topologyOf(lab([vm('a'), vm('b')])));
    const changes = topologyChanges(
      before,
      topologyOf(lab([vm('a'), vm('b', { power: 'stopped' })])),
    );
    expect(changes.updated.map((e) => e.id)).toEqual(['vm:b']);
    expect(changes.addedNodes).toEqual([]);
    expect(changes.removed).toEqual([]);
  });

  it('draws an added VM and its link, and removes a deleted one with its link', () => {
    const before = elementsOf(topologyOf(lab([vm('a')])));
    const changes = topologyChanges(before, topologyOf(lab([vm('b')])));
    expect(changes.addedNodes.map((n) => n.id)).toEqual(['vm:b']);
    expect(changes.addedEdges.map((e) => e.id)).toEqual(['adapter:b-nic0']);
    expect([...changes.removed].sort()).toEqual(['adapter:a-nic0', 'vm:a']);
  });

  it('rewires a link whose adapter moved to another network', () => {
    const before = elementsOf(topologyOf(lab([vm('a')])));
    const moved = vm('a', {
      adapters: [{ id: 'a-nic0', network: 'wan', mac: '02:00:00:00:00:01', promiscuous: false }],
    } as Partial<Vm>);
    const changes = topologyChanges(before, topologyOf(lab([moved])));
    expect(changes.rewired.map((e) => e.id)).toEqual(['adapter:a-nic0']);
    expect(changes.updated).toEqual([]);
  });

  it('reparents a VM that moves into a hypervisor', () => {
    const before = elementsOf(
      topologyOf(lab([vm('inner', { adapters: [] }), { ...hypervisor, nested: [] }])),
    );
    const changes = topologyChanges(before, topologyOf(lab([hypervisor])));
    expect(changes.reparented.map((n) => [n.id, n.parent])).toEqual([['vm:inner', 'vm:esxi']]);
  });
});

describe('topologyOf: power as the rules see it', () => {
  it('F1: a nested VM running by its own state is drawn not running while its hypervisor is stopped', () => {
    const stopped = { ...hypervisor, power: 'stopped' } as Vm;
    const inner = (host: Vm) => topologyOf(lab([host])).nodes.find((n) => n.id === 'vm:inner');
    expect(inner(stopped)).toMatchObject({ power: 'stopped' });
    expect(inner(stopped)?.label).toContain('▶ running · host stopped');
    expect(inner(stopped)?.detail).toContain('running, but not while esxi is stopped');
    expect(inner(hypervisor)).toMatchObject({ power: 'running' });
    expect(inner(hypervisor)?.label).not.toContain('host');
  });
});
