/**
 * Generated topologies for the benchmarks: N VMs in networks of a fixed size (so a
 * broadcast's fan-out does not grow with N), a third of them hypervisors each hosting two
 * nested VMs behind a promiscuous uplink, and every fifth pair of networks joined by an
 * inline bridge (a tree, never a loop). Deterministic: the same N gives the same lab.
 */
import type { Adapter, Lab, Network, Vm } from '../core/model';
import { DEFAULT_SIM, DEFAULT_STUDENT } from '../core/model';

export const VMS_PER_NETWORK = 20;

function mac(n: number): string {
  const hex = n.toString(16).padStart(10, '0');
  return `02:${hex.slice(0, 2)}:${hex.slice(2, 4)}:${hex.slice(4, 6)}:${hex.slice(6, 8)}:${hex.slice(8, 10)}`;
}

/** A running x86 VM with every optional list empty; `extra` overrides. */
function makeVm(id: string, extra: Partial<Vm>): Vm {
  return {
    id,
    arch: 'x86_64',
    power: 'running',
    nestedVirtualization: false,
    role: 'host',
    stp: false,
    virtualMacs: [],
    virtualIps: [],
    adapters: [],
    switches: [],
    nested: [],
    ...extra,
  };
}

export interface GeneratedLab {
  readonly lab: Lab;
  /** Host adapters (with an IP) grouped by network, for picking ping pairs. */
  readonly hostsByNetwork: readonly { vm: string; adapter: string; ip: string }[][];
}

export function generateLab(vmCount: number): GeneratedLab {
  const networkCount = Math.max(1, Math.ceil(vmCount / VMS_PER_NETWORK));
  const networks: Network[] = [];
  for (let n = 0; n < networkCount; n++) {
    // Each network its own /16 so 10,000 VMs never run out of addresses.
    networks.push({ id: `net${n}`, subnet: `10.${Math.floor(n / 250)}.${n % 250}.0/24` });
  }
  let macCounter = 1;
  const vms: Vm[] = [];
  const hostsByNetwork: { vm: string; adapter: string; ip: string }[][] = networks.map(() => []);
  for (let i = 0; i < vmCount; i++) {
    const n = Math.floor(i / VMS_PER_NETWORK);
    const network = networks[n];
    if (!network) throw new Error('network index');
    const host = (i % VMS_PER_NETWORK) + 1;
    const ip = `${network.subnet?.split('/')[0]?.replace(/\.0$/, '')}.${host}`;
    const adapter: Adapter = {
      id: `vm${i}-nic0`,
      network: network.id,
      mac: mac(macCounter++),
      ip: `${ip}/24`,
      promiscuous: i % 3 === 0,
    };
    const base = makeVm(`vm${i}`, { nestedVirtualization: i % 3 === 0, adapters: [adapter] });
    if (i % 3 === 0) {
      const nested: Vm[] = [0, 1].map((k) => ({
        ...base,
        id: `vm${i}-n${k}`,
        nestedVirtualization: false,
        adapters: [
          {
            id: `vm${i}-n${k}-nic0`,
            switch: `vm${i}-vsw`,
            mac: mac(macCounter++),
            ip: `${ip.replace(/\.\d+$/, '')}.${100 + (i % VMS_PER_NETWORK) * 2 + k}/24`,
            promiscuous: false,
          },
        ],
      }));
      vms.push({ ...base, switches: [{ id: `vm${i}-vsw`, uplink: adapter.id }], nested });
    } else {
      vms.push(base);
      hostsByNetwork[n]?.push({ vm: base.id, adapter: adapter.id, ip });
    }
  }
  for (let n = 0; n + 1 < networkCount; n += 10) {
    vms.push(
      makeVm(`br${n}`, {
        role: 'bridge',
        adapters: [
          { id: `br${n}-a`, network: `net${n}`, mac: mac(macCounter++), promiscuous: true },
          { id: `br${n}-b`, network: `net${n + 1}`, mac: mac(macCounter++), promiscuous: true },
        ],
      }),
    );
  }
  const lab: Lab = {
    nestlab: 1,
    title: `Generated ${vmCount} VMs`,
    profile: 'skytap',
    account: { promiscuousMode: 'enabled' },
    users: [{ name: 'trainer', role: 'admin', promiscuous: true }],
    actingUser: 'trainer',
    networks,
    external: [],
    vms,
    traffic: [],
    objectives: [],
    checkpoints: [],
    student: DEFAULT_STUDENT,
    sim: DEFAULT_SIM,
  };
  return { lab, hostsByNetwork };
}

/** Three bridges in parallel between two networks: the storm of D4. */
export function stormLab(): Lab {
  const bridge = (k: number): Vm =>
    makeVm(`br${k}`, {
      role: 'bridge',
      adapters: [
        { id: `br${k}-front`, network: 'front', mac: mac(0x100 + k * 2), promiscuous: true },
        { id: `br${k}-back`, network: 'back', mac: mac(0x101 + k * 2), promiscuous: true },
      ],
    });
  const host = makeVm('client', {
    adapters: [
      { id: 'client-nic0', network: 'front', mac: mac(1), ip: '10.0.0.1/24', promiscuous: false },
    ],
  });
  return {
    ...generateLab(0).lab,
    title: 'Three-bridge storm',
    networks: [
      { id: 'front', subnet: '10.0.0.0/24' },
      { id: 'back', subnet: '10.0.0.0/24' },
    ],
    vms: [host, bridge(1), bridge(2), bridge(3)],
  };
}
