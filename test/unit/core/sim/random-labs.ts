/**
 * Random small labs for property tests: networks, VMs, hypervisors with nested VMs, bridges
 * that may form loops, random promiscuous mode, power and loop limits, and random traffic over
 * them. fast-check shrinks a failing case to a small one and prints its seed.
 */
import fc from 'fast-check';
import type { Lab } from '../../../../core/model/lab';
import { lab, mac } from './lab-builder';
import type { AdapterSpec, VmSpec } from './lab-builder';

const NETWORKS = ['n0', 'n1', 'n2'];

const adapterArb = fc.record({
  network: fc.integer({ min: -1, max: NETWORKS.length - 1 }),
  promiscuous: fc.boolean(),
  host: fc.integer({ min: 1, max: 40 }),
});

const vmArb = fc.record({
  kind: fc.constantFrom('host', 'host', 'bridge', 'hypervisor'),
  power: fc.constantFrom('running', 'running', 'running', 'stopped'),
  stp: fc.boolean(),
  adapters: fc.array(adapterArb, { minLength: 1, maxLength: 3 }),
  nested: fc.array(
    fc.record({
      kind: fc.constantFrom('host', 'bridge'),
      power: fc.constantFrom('running', 'stopped'),
      host: fc.integer({ min: 41, max: 80 }),
    }),
    { maxLength: 3 },
  ),
});

export const topologyArb = fc.record({
  gateways: fc.array(fc.boolean(), { minLength: NETWORKS.length, maxLength: NETWORKS.length }),
  vms: fc.array(vmArb, { minLength: 1, maxLength: 6 }),
  hopLimit: fc.integer({ min: 4, max: 40 }),
  copyLimit: fc.integer({ min: 20, max: 400 }),
});

export type Topology = ReturnType<typeof topologyArb.generate>['value'];

export function buildLab(t: Topology): Lab {
  const vms: VmSpec[] = t.vms.map((v, i) => {
    const adapters: AdapterSpec[] = v.adapters.map((a, j) => ({
      id: `vm${i}-nic${j}`,
      mac: mac(i + 1, j + 1),
      promiscuous: a.promiscuous,
      ...(a.network >= 0 ? { network: NETWORKS[a.network] } : {}),
      ...(v.kind === 'bridge' ? {} : { ip: `10.0.0.${a.host}/24` }),
    }));
    const isHypervisor = v.kind === 'hypervisor';
    return {
      id: `vm${i}`,
      power: v.power as 'running' | 'stopped',
      role: v.kind === 'bridge' ? 'bridge' : 'host',
      stp: v.stp,
      adapters,
      switches: isHypervisor ? [{ id: `vm${i}-vsw`, uplink: `vm${i}-nic0` }] : [],
      nested: isHypervisor
        ? v.nested.map((n, k) => ({
            id: `vm${i}-n${k}`,
            power: n.power as 'running' | 'stopped',
            role: n.kind as 'host' | 'bridge',
            adapters: [
              {
                id: `vm${i}-n${k}-nic0`,
                switch: `vm${i}-vsw`,
                mac: mac(100 + i, k + 1),
                ip: `10.0.0.${n.host}/24`,
              },
              ...(n.kind === 'bridge'
                ? [{ id: `vm${i}-n${k}-nic1`, switch: `vm${i}-vsw`, mac: mac(150 + i, k + 1) }]
                : []),
            ],
          }))
        : [],
    };
  });
  return lab({
    networks: NETWORKS.map((id, i) => ({
      id,
      subnet: '10.0.0.0/24',
      ...(t.gateways[i] === true ? { gateway: `10.0.0.${250 + i}` } : {}),
    })),
    external: [{ id: 'ext', ip: '203.0.113.10' }],
    vms,
    sim: { hopLimit: t.hopLimit, copyLimit: t.copyLimit },
  });
}

export const stepArb = fc.oneof(
  fc.record({
    kind: fc.constant('ping' as const),
    from: fc.nat(),
    to: fc.nat(),
    count: fc.integer({ min: 1, max: 2 }),
  }),
  fc.record({
    kind: fc.constant('frame' as const),
    from: fc.nat(),
    src: fc.nat(),
    dst: fc.nat(),
    type: fc.constantFrom('arp', 'ipv4', 0x88b5),
  }),
  fc.record({
    kind: fc.constant('garp' as const),
    from: fc.nat(),
    ip: fc.integer({ min: 1, max: 80 }),
  }),
  fc.record({ kind: fc.constant('wait' as const), seconds: fc.integer({ min: 0, max: 400 }) }),
  fc.record({ kind: fc.constant('toggle' as const), target: fc.nat(), power: fc.boolean() }),
);

export type Step = ReturnType<typeof stepArb.generate>['value'];

export function pick<T>(items: readonly T[], n: number): T | undefined {
  return items.length === 0 ? undefined : items[n % items.length];
}

export function everything(l: Lab): { vms: string[]; adapters: string[]; macs: string[] } {
  const vms: string[] = [];
  const adapters: string[] = [];
  const macs = ['ff:ff:ff:ff:ff:ff', '02:00:00:00:99:99', '01:00:5e:00:00:01'];
  const visit = (v: Lab['vms'][number]): void => {
    vms.push(v.id);
    for (const a of v.adapters) {
      adapters.push(a.id);
      macs.push(a.mac);
    }
    v.nested.forEach(visit);
  };
  l.vms.forEach(visit);
  return { vms, adapters, macs };
}
