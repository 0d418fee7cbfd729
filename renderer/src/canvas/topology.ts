/**
 * What the canvas draws, as plain data: networks, VMs, bridges, external hosts, hypervisors
 * (VMs with nested virtualization, drawn as compound nodes holding their nested switches
 * and nested VMs) and adapters as edges (VM → network, nested VM → switch, and an uplink
 * from its switch to the network through the hypervisor's adapter). Every label states its
 * facts in text and a symbol (power state, address, MAC, promiscuous mode), never by colour
 * alone.
 * No cytoscape here: the adapter module turns this into elements.
 */
import type { Adapter, Lab, PowerState, Vm } from '../../../core/model/lab';
import type { SelectionKind } from '../state/selection';

export type NodeKind = 'network' | 'vm' | 'bridge' | 'hypervisor' | 'switch' | 'external';

export interface TopologyNode {
  /** The canvas id, unique across kinds: `vm:esxi`, `network:lan`. */
  readonly id: string;
  /** The id in the lab file. */
  readonly ref: string;
  readonly kind: NodeKind;
  readonly label: string;
  /** The facts after the id, for the topology list: `Client · running`. */
  readonly detail: string;
  /** The compound node (hypervisor) this node sits in. */
  readonly parent?: string;
  readonly power?: PowerState;
}

export interface TopologyEdge {
  readonly id: string;
  /** The adapter's id in the lab file. */
  readonly ref: string;
  readonly kind: 'adapter' | 'uplink';
  readonly source: string;
  readonly target: string;
  readonly label: string;
  /** The facts after the id, for the topology list: `02:00:00:00:00:01 · ○ not promiscuous`. */
  readonly detail: string;
  readonly promiscuous: boolean;
  /** The canvas id of the VM the adapter belongs to. */
  readonly owner: string;
}

export interface Topology {
  readonly nodes: readonly TopologyNode[];
  readonly edges: readonly TopologyEdge[];
}

export function canvasId(kind: SelectionKind, ref: string): string {
  return `${kind}:${ref}`;
}

/** The selection a canvas id stands for (`vm:esxi` → { kind: 'vm', id: 'esxi' }). */
export function selectionOf(canvasIdValue: string): { kind: SelectionKind; id: string } | null {
  const colon = canvasIdValue.indexOf(':');
  const kind = canvasIdValue.slice(0, colon);
  const id = canvasIdValue.slice(colon + 1);
  if (
    kind === 'adapter' ||
    kind === 'vm' ||
    kind === 'network' ||
    kind === 'switch' ||
    kind === 'external'
  ) {
    return { kind, id };
  }
  return null;
}

/** A VM drawn as a box: nested virtualization on (A5), or already hosting something. */
export function isHypervisor(vm: Vm): boolean {
  return vm.nestedVirtualization || vm.nested.length > 0 || vm.switches.length > 0;
}

export const POWER_TEXT: Readonly<Record<PowerState, string>> = {
  running: '▶ running',
  stopped: '■ stopped',
  suspended: '❚❚ suspended',
};

/** The promiscuous state in words with its symbol, as links and lists show it. */
export function promiscuousText(promiscuous: boolean): string {
  return promiscuous ? '◉ promiscuous' : '○ not promiscuous';
}

function titled(thing: { readonly id: string; readonly name?: string }): string {
  return thing.name && thing.name !== thing.id ? `${thing.id} · ${thing.name}` : thing.id;
}

export function topologyOf(lab: Lab): Topology {
  const nodes: TopologyNode[] = lab.networks.map((network) => {
    const addressing = [network.subnet, network.gateway && `gw ${network.gateway}`]
      .filter(Boolean)
      .join(' · ');
    return {
      id: canvasId('network', network.id),
      ref: network.id,
      kind: 'network',
      label: addressing ? `${titled(network)}\n${addressing}` : titled(network),
      detail: [network.name, addressing].filter(Boolean).join(' · '),
    };
  });
  for (const host of lab.external) {
    nodes.push({
      id: canvasId('external', host.id),
      ref: host.id,
      kind: 'external',
      label: `${titled(host)}\n${host.ip}`,
      detail: [host.name, host.ip, 'beyond the gateways'].filter(Boolean).join(' · '),
    });
  }
  const edges: TopologyEdge[] = [];
  const known = new Set(nodes.map((n) => n.id));
  // F1: a nested VM runs only while its hypervisor runs: `host` is the nearest one that does not.
  const visit = (vm: Vm, hypervisor: Vm | undefined, host: Vm | undefined): void => {
    const node = vmNode(vm, hypervisor, host);
    nodes.push(node);
    known.add(node.id);
    for (const sw of vm.switches) {
      const id = canvasId('switch', sw.id);
      nodes.push({
        id,
        ref: sw.id,
        kind: 'switch',
        parent: node.id,
        label: `${titled(sw)}\nnested switch`,
        detail: [sw.name, `nested switch`, sw.uplink ? `uplink ${sw.uplink}` : 'no uplink']
          .filter(Boolean)
          .join(' · '),
      });
      known.add(id);
    }
    const down = host ?? (vm.power === 'running' ? undefined : vm);
    for (const child of vm.nested) visit(child, vm, down);
  };
  for (const vm of lab.vms) visit(vm, undefined, undefined);
  const addEdges = (vm: Vm): void => {
    for (const adapter of vm.adapters) {
      const edge = adapterEdge(vm, adapter);
      if (edge && known.has(edge.source) && known.has(edge.target)) edges.push(edge);
    }
    for (const child of vm.nested) addEdges(child);
  };
  for (const vm of lab.vms) addEdges(vm);
  return { nodes, edges };
}

function vmNode(vm: Vm, hypervisor: Vm | undefined, host: Vm | undefined): TopologyNode {
  const kind: NodeKind = isHypervisor(vm) ? 'hypervisor' : vm.role === 'bridge' ? 'bridge' : 'vm';
  const role =
    kind === 'hypervisor'
      ? 'hypervisor'
      : kind === 'bridge'
        ? `bridge${vm.stp ? ' · STP' : ''}`
        : hypervisor
          ? 'nested VM'
          : '';
  // Running by its own state, but not while its hypervisor is stopped or suspended (F1).
  const hostDown = vm.power === 'running' && host !== undefined;
  const power =
    POWER_TEXT[vm.power] +
    (hostDown ? ` · host ${host.power}` : '') +
    (vm.arch === 'power' ? ' · Power arch' : '');
  // A nested VM's box says "nested" already (it stands in its hypervisor's box).
  const shownRole = kind === 'vm' ? '' : role;
  const label =
    kind === 'hypervisor'
      ? `${titled(vm)} · ${power}`
      : `${titled(vm)}\n${shownRole ? `${shownRole} · ` : ''}${power}`;
  return {
    id: canvasId('vm', vm.id),
    ref: vm.id,
    kind,
    label,
    // Drawn as not running (dashed) while its host is down.
    power: hostDown ? host.power : vm.power,
    detail: [
      vm.name !== vm.id ? vm.name : undefined,
      role || undefined,
      hostDown ? `${vm.power}, but not while ${host.id} is ${host.power}` : vm.power,
      vm.arch === 'power' ? 'Power arch' : undefined,
    ]
      .filter(Boolean)
      .join(' · '),
    ...(hypervisor ? { parent: canvasId('vm', hypervisor.id) } : {}),
  };
}

/** An adapter's label: its name, its address (when it has one), its MAC and promiscuous state. */
function adapterLabel(name: string, adapter: Adapter, state: string): string {
  return [name, adapter.ip, adapter.mac, state].filter(Boolean).join('\n');
}

function adapterEdge(vm: Vm, adapter: Adapter): TopologyEdge | undefined {
  const uplinkOf = vm.switches.find((sw) => sw.uplink === adapter.id);
  const owner = canvasId('vm', vm.id);
  const state = promiscuousText(adapter.promiscuous);
  const base = {
    id: canvasId('adapter', adapter.id),
    ref: adapter.id,
    promiscuous: adapter.promiscuous,
    owner,
  };
  if (adapter.network !== undefined) {
    const source = uplinkOf ? canvasId('switch', uplinkOf.id) : owner;
    return {
      ...base,
      kind: uplinkOf ? 'uplink' : 'adapter',
      source,
      target: canvasId('network', adapter.network),
      label: adapterLabel(`${adapter.id}${uplinkOf ? ' · uplink' : ''}`, adapter, state),
      detail: `${uplinkOf ? `uplink of ${uplinkOf.id} to ${adapter.network}` : `to ${adapter.network}`} · ${adapter.mac} · ${state}`,
    };
  }
  if (adapter.switch !== undefined) {
    return {
      ...base,
      kind: 'adapter',
      source: owner,
      target: canvasId('switch', adapter.switch),
      label: adapterLabel(adapter.id, adapter, state),
      detail: `to ${adapter.switch} · ${adapter.mac} · ${state}`,
    };
  }
  return undefined;
}
