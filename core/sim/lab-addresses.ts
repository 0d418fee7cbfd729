/**
 * Addresses read from the lab for the devices: an adapter's IPv4 address and netmask, its
 * default gateway (D5), a gateway's MAC. Guarantees: text that does not parse gives null, never
 * an exception; a gateway MAC is stable for a network id and never one already taken.
 */
import type { Adapter, Network } from '../model/lab';
import type { LabIndex } from '../model/lab-index';
import { Ipv4Address, parseCidr, prefixMask } from '../wire/ipv4-address';

/**
 * D5: an adapter's own `gateway`, else its network's; a nested adapter's is the gateway of the
 * network its switch's uplink is on (following uplinks up through nested hypervisors).
 */
export function gatewayOf(index: LabIndex, adapter: Adapter): number | null {
  if (adapter.gateway !== undefined) return parseIp(adapter.gateway);
  const network = outerNetwork(index, adapter);
  return network?.gateway === undefined ? null : parseIp(network.gateway);
}

function outerNetwork(index: LabIndex, adapter: Adapter): Network | undefined {
  let current: Adapter | undefined = adapter;
  for (let depth = 0; current !== undefined && depth < 16; depth++) {
    if (current.network !== undefined) return index.networks.get(current.network)?.network;
    if (current.switch === undefined) return undefined;
    const uplink: string | undefined = index.switches.get(current.switch)?.sw.uplink;
    current = uplink === undefined ? undefined : index.adapters.get(uplink)?.adapter;
  }
  return undefined;
}

/** The adapter's address and netmask: its CIDR, else the outer network's prefix, else /32. */
export function addressOf(index: LabIndex, adapter: Adapter): { ip: number | null; mask: number } {
  if (adapter.ip === undefined) return { ip: null, mask: 0xffff_ffff };
  const cidr = parseCidr(adapter.ip);
  if (cidr !== null) return { ip: cidr.address.value, mask: prefixMask(cidr.prefix) };
  const ip = parseIp(adapter.ip);
  const subnet = outerNetwork(index, adapter)?.subnet;
  const prefix = subnet === undefined ? null : parseCidr(subnet)?.prefix;
  return { ip, mask: prefixMask(prefix ?? 32) };
}

export function parseIp(text: string): number | null {
  return Ipv4Address.parse(text)?.value ?? null;
}

/**
 * A gateway's MAC: locally administered, unicast, 06:67 then the FNV-1a hash of the network id
 * (stable across runs and labs); bumped past any MAC already taken.
 */
export function gatewayMac(networkId: string, taken: ReadonlyMap<number, string>): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < networkId.length; i++) {
    hash ^= networkId.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  const base = 0x0667 * 0x1_0000_0000;
  let mac = base + hash;
  while (taken.has(mac)) mac = base + ((mac - base + 1) % 0x1_0000_0000);
  return mac;
}
