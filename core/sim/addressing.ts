/**
 * How traffic steps name their ends: `from` is a VM, nested VM or adapter id; `to` is an IPv4
 * address or the id of a VM, adapter, external host, network or gateway (its gateway's IP).
 * Guarantees: deterministic choices: for a VM, the target address on a subnet the source can
 * reach directly if there is one, else its first address; the source interface on the target's
 * subnet if there is one, else the first with a gateway, else the first with an address.
 */
import { parseCidr } from '../wire/ipv4-address';
import type { HostInterface } from './host-interface';
import type { HostStack } from './host-stack';
import type { PingSource, Topology } from './topology';
import { parseIp } from './lab-addresses';

export type Resolved<T> = { ok: true; value: T } | { ok: false; reason: string };

export function sourceHost(topo: Topology, from: string): Resolved<PingSource> {
  const source = topo.sources.get(from);
  if (source !== undefined) return source;
  if (topo.bridges.has(from))
    return { ok: false, reason: `${from} is a bridge, with no host stack` };
  if (topo.adapters.has(from))
    return { ok: false, reason: `${from} is bridged, with no host stack` };
  return { ok: false, reason: `no VM or adapter ${from}` };
}

function adapterIp(topo: Topology, adapterId: string): number | null {
  const text = topo.index.adapters.get(adapterId)?.adapter.ip;
  if (text === undefined) return null;
  return parseCidr(text)?.address.value ?? parseIp(text);
}

export function targetIp(topo: Topology, to: string, source: HostStack): number | null {
  const literal = parseIp(to);
  if (literal !== null) return literal;
  const external = topo.externals.get(to);
  if (external !== undefined) return external.ip;
  if (topo.index.adapters.has(to)) return adapterIp(topo, to);
  const gateway = topo.gateways.get(to) ?? topo.gateways.get(`${to}:gateway`);
  if (gateway !== undefined) return gateway.ip;
  const vm = topo.index.vms.get(to)?.vm;
  if (vm === undefined) return null;
  const ips = vm.adapters
    .map((a) => adapterIp(topo, a.id))
    .filter((ip): ip is number => ip !== null);
  const direct = ips.find((ip) => source.ifaces.some((i) => i.onLink(ip)));
  return direct ?? ips[0] ?? null;
}

export function sourceIface(host: HostStack, target: number): HostInterface | undefined {
  // One pass, no arrays: the first with an address on the target's subnet, else the first
  // with an address and a gateway, else the first with an address, else the first.
  let withGateway: HostInterface | undefined;
  let withIp: HostInterface | undefined;
  const ifaces = host.ifaces;
  for (let k = 0; k < ifaces.length; k++) {
    const i = ifaces[k] as HostInterface;
    if (i.ip === null) continue;
    if (i.onLink(target)) return i;
    if (withGateway === undefined && i.gateway !== null) withGateway = i;
    withIp ??= i;
  }
  return withGateway ?? withIp ?? host.ifaces[0];
}
