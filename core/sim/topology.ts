/**
 * Compiles a lab into the simulator's devices: one switch per Skytap network (with its gateway
 * port), one learning switch per nested switch and per bridge VM, an adapter node per adapter,
 * a host stack per guest, the spanning tree. State that outlives a lab change (learned tables,
 * ARP caches, held virtual IPs) is passed in and kept where it still makes sense: a network's
 * learned entries whose port is gone or no longer promiscuous are dropped (F3), the others only
 * age out (F7), even while their VM is stopped (frames to them end at the port, F1); a stopped
 * hypervisor's switches forget what they learned; a VM that is not running forgets its ARP cache
 * (it reboots) but keeps the virtual IPs it holds until another host's gratuitous ARP for them
 * (D6).
 * Guarantees: any lab value compiles, valid or not (unknown networks or switches leave an adapter
 * attached to nothing); the first of duplicate ids wins; compilation is linear in the lab's size.
 */
import type { Lab, Vm } from '../model/lab';
import { allVms, indexLab } from '../model/lab-index';
import type { LabIndex } from '../model/lab-index';
import { Bridge } from './bridge';
import type { SimContext } from './context';
import { Gateway, GatewayState } from './gateway';
import type { ExternalHost } from './gateway';
import { HostInterface, HostState } from './host-interface';
import { HostStack } from './host-stack';
import { Journal } from './journal';
import { ArpHolders } from './arp-holders';
import { addressOf, gatewayMac, gatewayOf, parseIp } from './lab-addresses';
import { LearnedTable } from './learned-table';
import { NestedSwitch } from './nested-switch';
import { NetworkSwitch } from './network-switch';
import { parseMac } from './packet';
import type { PingRegistry } from './pings';
import { AdapterNode, AdapterOut } from './segment';
import { spanningTree } from './stp';

/** What survives `setLab`, keyed by device id. */
export class PersistentState {
  /** Undoes changes to everything below while an objective's check runs (journal.ts). */
  readonly journal = new Journal();
  /** Which addresses guests' ARP caches hold (arp-holders.ts). */
  readonly arpHolders = new ArpHolders();
  readonly networkTables = new Map<string, LearnedTable>();
  readonly switchTables = new Map<string, LearnedTable>();
  readonly bridgeTables = new Map<string, LearnedTable>();
  readonly hosts = new Map<string, HostState>();
  readonly gateways = new Map<string, GatewayState>();

  /** Everything learned forgotten, in place: compiled devices keep pointing at these objects. */
  clear(): void {
    for (const t of [...this.networkTables.values(), ...this.switchTables.values()]) t.clear();
    for (const t of this.bridgeTables.values()) t.clear();
    for (const h of this.hosts.values()) h.reset();
    for (const g of this.gateways.values()) g.reset();
  }

  /**
   * Forgets ARP resolutions still waiting: a run cut short (a budget, a cancel) emptied the
   * queue their retry timers were on, so they would never end.
   */
  dropPending(): void {
    for (const h of this.hosts.values()) h.arp.dropPending();
    for (const g of this.gateways.values()) g.arp.dropPending();
  }
}

/** A host stack that may send, and the adapter named when a step named one. */
export interface PingSource {
  readonly host: HostStack;
  readonly iface?: HostInterface;
}

export class Topology {
  readonly networks = new Map<string, NetworkSwitch>();
  readonly switches = new Map<string, NestedSwitch>();
  readonly bridges = new Map<string, Bridge>();
  readonly adapters = new Map<string, AdapterNode>();
  /** VM id → its host stack (bridge VMs have one only for uplink adapters). */
  readonly hosts = new Map<string, HostStack>();
  /** Adapter id → the host interface on it. */
  readonly ifaces = new Map<string, HostInterface>();
  /**
   * Where a step may send from, by adapter id (which wins) or VM id, resolved once: a ping
   * looks its source up in one table rather than two.
   */
  readonly sources = new Map<string, { readonly ok: true; readonly value: PingSource }>();
  /** `<network>:gateway` → gateway. */
  readonly gateways = new Map<string, Gateway>();
  readonly externalsByIp = new Map<number, ExternalHost>();
  readonly externals = new Map<string, ExternalHost>();
  readonly macOwners = new Map<number, string>();
  /** F1: whether each VM runs (a nested VM only while its hypervisor runs). */
  readonly running = new Map<string, boolean>();

  constructor(
    readonly lab: Lab,
    readonly index: LabIndex,
  ) {}
}

function table(
  state: PersistentState,
  store: Map<string, LearnedTable>,
  id: string,
  keep: boolean,
): LearnedTable {
  let t = store.get(id);
  if (t === undefined) {
    t = new LearnedTable(state.journal);
    store.set(id, t);
  }
  if (!keep) t.clear();
  return t;
}

export function buildTopology(
  lab: Lab,
  ctx: SimContext,
  state: PersistentState,
  pings: PingRegistry,
): Topology {
  const topo = new Topology(lab, indexLab(lab));
  const vms = uniqueVms(lab);
  // Parents come before their nested VMs, so one pass settles F1 for every VM.
  for (const vm of vms) {
    const parent = topo.index.vms.get(vm.id)?.parent ?? null;
    const parentRuns = parent === null || topo.running.get(parent.id) === true;
    topo.running.set(vm.id, parentRuns && vm.power === 'running');
  }
  let order = 0;
  for (const n of lab.networks) {
    if (topo.networks.has(n.id)) continue;
    topo.networks.set(
      n.id,
      new NetworkSwitch(n.id, order++, table(state, state.networkTables, n.id, true), ctx),
    );
  }
  const switchOwner = new Map<string, string>();
  for (const vm of vms) {
    const running = topo.running.get(vm.id) === true;
    for (const sw of vm.switches) {
      if (topo.switches.has(sw.id)) continue;
      // A switch restarts with its hypervisor: a stopped one forgets what it learned.
      const learned = table(state, state.switchTables, sw.id, running);
      topo.switches.set(sw.id, new NestedSwitch(sw.id, order++, learned, ctx));
      switchOwner.set(sw.id, vm.id);
    }
  }
  // A hypervisor comes before its nested VMs: its switches get their uplink and host ports
  // (first, in that order) before the nested adapters attach.
  for (const vm of vms) {
    attachAdapters(topo, vm, switchOwner, ctx);
    attachUplinks(topo, vm);
  }
  for (const vm of vms) if (vm.role === 'bridge') addBridge(topo, vm, order++, state, ctx);
  for (const vm of vms) addHost(topo, vm, state, ctx, pings);
  addGateways(topo, state, ctx);
  for (const n of topo.networks.values()) n.seal();
  for (const s of topo.switches.values()) s.seal();
  runSpanningTree(topo, vms);
  for (const b of topo.bridges.values()) b.seal();
  for (const [id, iface] of topo.ifaces)
    topo.sources.set(id, { ok: true, value: { host: iface.host, iface } });
  for (const [id, host] of topo.hosts)
    if (!topo.sources.has(id)) topo.sources.set(id, { ok: true, value: { host } });
  return topo;
}

function uniqueVms(lab: Lab): Vm[] {
  const seen = new Set<string>();
  const out: Vm[] = [];
  for (const vm of allVms(lab)) {
    if (seen.has(vm.id)) continue;
    seen.add(vm.id);
    out.push(vm);
  }
  return out;
}

function attachAdapters(
  topo: Topology,
  vm: Vm,
  switchOwner: ReadonlyMap<string, string>,
  ctx: SimContext,
): void {
  const running = topo.running.get(vm.id) === true;
  const parent = topo.index.vms.get(vm.id)?.parent ?? null;
  for (const a of vm.adapters) {
    if (topo.adapters.has(a.id)) continue;
    const mac = parseMac(a.mac) ?? 0;
    const node = new AdapterNode(a.id, vm.id, mac, a.promiscuous, running, ctx);
    topo.adapters.set(a.id, node);
    if (!topo.macOwners.has(mac)) topo.macOwners.set(mac, a.id);
    const network = a.network === undefined ? undefined : topo.networks.get(a.network);
    // A7: a nested VM's adapter attaches to a switch of its own hypervisor only.
    const sw = a.switch === undefined ? undefined : topo.switches.get(a.switch);
    const swOk = sw !== undefined && parent !== null && switchOwner.get(sw.id) === parent.id;
    if (network !== undefined) {
      const port = network.addPort(a.id, mac, a.promiscuous);
      port.endpoint = node;
      node.segment = network;
      node.portIndex = port.index;
    } else if (sw !== undefined && swOk) {
      const port = sw.addPort(a.id);
      port.endpoint = node;
      node.segment = sw;
      node.portIndex = port.index;
    }
  }
}

/** D2: each switch's host port and uplink port, on an adapter of its hypervisor used once (A7). */
function attachUplinks(topo: Topology, vm: Vm): void {
  for (const s of vm.switches) {
    const sw = topo.switches.get(s.id);
    const node = s.uplink === undefined ? undefined : topo.adapters.get(s.uplink);
    if (sw === undefined || node === undefined || node.vmId !== vm.id || node.inner !== null)
      continue;
    if (sw.uplinkPort >= 0 || sw.ports.length > 0) continue;
    node.inner = sw;
    const up = sw.addPort(node.id);
    up.endpoint = new AdapterOut(node);
    sw.uplinkPort = up.index;
    sw.hostPort = sw.addPort(vm.id).index;
  }
}

/** D3: a bridge VM's attached adapters that are not uplinks are its ports. */
function addBridge(
  topo: Topology,
  vm: Vm,
  order: number,
  state: PersistentState,
  ctx: SimContext,
): void {
  const running = topo.running.get(vm.id) === true;
  const bridge = new Bridge(vm.id, order, table(state, state.bridgeTables, vm.id, running), ctx);
  topo.bridges.set(vm.id, bridge);
  for (const a of vm.adapters) {
    const node = topo.adapters.get(a.id);
    if (node === undefined || node.vmId !== vm.id || node.inner !== null || node.segment === null) {
      continue;
    }
    const port = bridge.addPort(node.id);
    port.endpoint = new AdapterOut(node);
    node.bridgePort = port.index;
    node.inner = bridge;
  }
}

function addHost(
  topo: Topology,
  vm: Vm,
  persistent: PersistentState,
  ctx: SimContext,
  pings: PingRegistry,
): void {
  const running = topo.running.get(vm.id) === true;
  let state = persistent.hosts.get(vm.id);
  if (state === undefined) {
    state = new HostState(persistent.journal, persistent.arpHolders);
    persistent.hosts.set(vm.id, state);
  }
  // A guest that is not running has rebooted by the time it runs again: its ARP cache is gone.
  // D6: a virtual IP it holds stays held until another host's gratuitous ARP for it.
  if (!running) state.arp.clear();
  state.arp.dropPending();
  const virtualMacs = new Set(vm.virtualMacs.map(parseMac).filter((m): m is number => m !== null));
  const virtualIps = new Set(vm.virtualIps.map(parseIp).filter((ip): ip is number => ip !== null));
  const host = new HostStack(vm.id, running, virtualMacs, virtualIps, state, ctx, pings);
  for (const a of vm.adapters) {
    const node = topo.adapters.get(a.id);
    if (node === undefined || node.vmId !== vm.id) continue;
    const uplinkOf = node.inner instanceof NestedSwitch ? node.inner : null;
    // A bridge VM is not a host stack on its bridged adapters (D3), only on uplinks.
    if (node.inner !== null && uplinkOf === null) continue;
    if (vm.role === 'bridge' && uplinkOf === null) continue;
    const { ip, mask } = addressOf(topo.index, a);
    const iface = new HostInterface(host, node, ip, mask, gatewayOf(topo.index, a));
    if (uplinkOf !== null) {
      iface.hostSwitch = uplinkOf;
      const hostPort = uplinkOf.ports[uplinkOf.hostPort];
      if (hostPort !== undefined) hostPort.endpoint = iface;
    } else node.inner = iface;
    host.ifaces.push(iface);
    topo.ifaces.set(a.id, iface);
  }
  if (host.ifaces.length > 0 || vm.role === 'host') topo.hosts.set(vm.id, host);
}

function addGateways(topo: Topology, persistent: PersistentState, ctx: SimContext): void {
  for (const e of topo.lab.external) {
    const ip = parseIp(e.ip);
    if (ip === null || topo.externals.has(e.id)) continue;
    const host = { id: e.id, ip };
    topo.externals.set(e.id, host);
    if (!topo.externalsByIp.has(ip)) topo.externalsByIp.set(ip, host);
  }
  for (const n of topo.lab.networks) {
    const network = topo.networks.get(n.id);
    const ip = n.gateway === undefined ? null : parseIp(n.gateway);
    if (network === undefined || ip === null || topo.gateways.has(`${n.id}:gateway`)) continue;
    let state = persistent.gateways.get(n.id);
    if (state === undefined) {
      state = new GatewayState(persistent.journal);
      persistent.gateways.set(n.id, state);
    }
    state.arp.dropPending();
    const mac = gatewayMac(n.id, topo.macOwners);
    const gateway = new Gateway(network, mac, ip, state, topo.externalsByIp, ctx);
    const port = network.addPort(gateway.id, mac, false);
    port.endpoint = gateway;
    gateway.portIndex = port.index;
    topo.gateways.set(gateway.id, gateway);
    topo.macOwners.set(mac, gateway.id);
  }
}

function runSpanningTree(topo: Topology, vms: readonly Vm[]): void {
  const participants = vms
    .filter((vm) => vm.role === 'bridge' && vm.stp && topo.running.get(vm.id) === true)
    .flatMap((vm) => {
      const bridge = topo.bridges.get(vm.id);
      if (bridge === undefined) return [];
      const ports = bridge.ports.flatMap((p) => {
        const segment = topo.adapters.get(p.id)?.segment;
        return segment === null || segment === undefined
          ? []
          : [{ index: p.index, id: p.id, segment }];
      });
      return [{ id: vm.id, ports }];
    });
  const blocked = spanningTree(participants);
  for (const [id, ports] of blocked) {
    const bridge = topo.bridges.get(id);
    if (bridge !== undefined) bridge.blocked = ports;
  }
}
