/**
 * Labs of semantics.md §5 and small helpers to read a trace in tests.
 */
import type { Lab } from '../../../../core/model/lab';
import type { TraceEvent } from '../../../../core/sim';
import { lab } from './lab-builder';
import type { VmSpec } from './lab-builder';

export const MAC = {
  esxi: '02:00:00:00:00:01',
  web1: '02:00:00:00:01:01',
  web2: '02:00:00:00:01:02',
  client: '02:00:00:00:0a:01',
  server: '02:00:00:00:0a:02',
  sniffer: '02:00:00:00:0a:03',
  brA: '02:00:00:00:0b:01',
  brB: '02:00:00:00:0b:02',
  br2A: '02:00:00:00:0c:01',
  br2B: '02:00:00:00:0c:02',
  lb1: '02:00:00:00:0d:01',
  lb2: '02:00:00:00:0d:02',
  vmac: '00:00:5e:00:01:0a',
  bcast: 'ff:ff:ff:ff:ff:ff',
} as const;

/** E1/E2: hypervisor `esxi` on `lan` (gateway 10.0.0.254) with nested `web1` (and `web2`). */
export function nestedLab(opts: { promiscuous?: boolean; web2?: boolean } = {}): Lab {
  const nested: VmSpec[] = [
    {
      id: 'web1',
      adapters: [{ id: 'web1-nic0', switch: 'esxi-vsw0', mac: MAC.web1, ip: '10.0.0.21/24' }],
    },
  ];
  if (opts.web2 === true) {
    nested.push({
      id: 'web2',
      adapters: [{ id: 'web2-nic0', switch: 'esxi-vsw0', mac: MAC.web2, ip: '10.0.0.22/24' }],
    });
  }
  return lab({
    networks: [{ id: 'lan', subnet: '10.0.0.0/24', gateway: '10.0.0.254' }],
    external: [{ id: 'web', ip: '203.0.113.10' }],
    vms: [
      {
        id: 'esxi',
        guestOs: 'esxi',
        switches: [{ id: 'esxi-vsw0', uplink: 'esxi-nic0' }],
        adapters: [
          {
            id: 'esxi-nic0',
            network: 'lan',
            mac: MAC.esxi,
            ip: '10.0.0.10/24',
            promiscuous: opts.promiscuous ?? false,
          },
        ],
        nested,
      },
    ],
  });
}

/** E3: client, server and a promiscuous sniffer on one network. */
export function flatLab(opts: { gateway?: boolean; sim?: Partial<Lab['sim']> } = {}): Lab {
  return lab({
    networks: [
      {
        id: 'lan',
        subnet: '10.0.0.0/24',
        ...(opts.gateway === false ? {} : { gateway: '10.0.0.254' }),
      },
      { id: 'other', subnet: '10.9.0.0/24' },
    ],
    external: [{ id: 'web', ip: '203.0.113.10' }],
    sim: opts.sim,
    vms: [
      {
        id: 'client',
        adapters: [{ id: 'client-nic0', network: 'lan', mac: MAC.client, ip: '10.0.0.1/24' }],
      },
      {
        id: 'server',
        adapters: [{ id: 'server-nic0', network: 'lan', mac: MAC.server, ip: '10.0.0.2/24' }],
      },
      {
        id: 'sniffer',
        adapters: [
          {
            id: 'sniffer-nic0',
            network: 'lan',
            mac: MAC.sniffer,
            ip: '10.0.0.3/24',
            promiscuous: true,
          },
        ],
      },
      {
        id: 'far',
        adapters: [
          { id: 'far-nic0', network: 'other', mac: '02:00:00:00:0f:01', ip: '10.9.0.1/24' },
        ],
      },
    ],
  });
}

/** E4: `br` joins `front` and `back` (one subnet); client on front, server on back. */
export function bridgeLab(opts: { promiscuous: boolean }): Lab {
  return lab({
    networks: [
      { id: 'front', subnet: '10.0.0.0/24' },
      { id: 'back', subnet: '10.0.0.0/24' },
    ],
    vms: [
      {
        id: 'client',
        adapters: [{ id: 'client-nic0', network: 'front', mac: MAC.client, ip: '10.0.0.1/24' }],
      },
      {
        id: 'server',
        adapters: [{ id: 'server-nic0', network: 'back', mac: MAC.server, ip: '10.0.0.2/24' }],
      },
      {
        id: 'br',
        role: 'bridge',
        adapters: [
          { id: 'br-a', network: 'front', mac: MAC.brA, promiscuous: opts.promiscuous },
          { id: 'br-b', network: 'back', mac: MAC.brB, promiscuous: opts.promiscuous },
        ],
      },
    ],
  });
}

/** E5: bridges `br1` and `br2` both join `front` and `back`; nested `web1` on front pings `server`. */
export function loopLab(opts: { stp: boolean; sim?: Partial<Lab['sim']> }): Lab {
  const bridge = (id: string, a: string, b: string) => ({
    id,
    role: 'bridge' as const,
    stp: opts.stp,
    adapters: [
      { id: `${id}-a`, network: 'front', mac: a, promiscuous: true },
      { id: `${id}-b`, network: 'back', mac: b, promiscuous: true },
    ],
  });
  return lab({
    networks: [
      { id: 'front', subnet: '10.0.0.0/24' },
      { id: 'back', subnet: '10.0.0.0/24' },
    ],
    sim: opts.sim,
    vms: [
      {
        id: 'esxi',
        switches: [{ id: 'esxi-vsw0', uplink: 'esxi-nic0' }],
        adapters: [
          {
            id: 'esxi-nic0',
            network: 'front',
            mac: MAC.esxi,
            ip: '10.0.0.10/24',
            promiscuous: true,
          },
        ],
        nested: [
          {
            id: 'web1',
            adapters: [{ id: 'web1-nic0', switch: 'esxi-vsw0', mac: MAC.web1, ip: '10.0.0.21/24' }],
          },
        ],
      },
      {
        id: 'server',
        adapters: [{ id: 'server-nic0', network: 'back', mac: MAC.server, ip: '10.0.0.2/24' }],
      },
      bridge('br1', MAC.brA, MAC.brB),
      bridge('br2', MAC.br2A, MAC.br2B),
    ],
  });
}

/** E6: load balancers lb1, lb2 sharing VIP 10.0.0.100 / virtual MAC; a client. */
export function vrrpLab(opts: { promiscuous: boolean; client2?: boolean }): Lab {
  const lb = (id: string, mac: string, ip: string) => ({
    id,
    virtualMacs: [MAC.vmac],
    virtualIps: ['10.0.0.100'],
    adapters: [{ id: `${id}-nic0`, network: 'lan', mac, ip, promiscuous: opts.promiscuous }],
  });
  return lab({
    networks: [{ id: 'lan', subnet: '10.0.0.0/24' }],
    vms: [
      {
        id: 'client',
        adapters: [{ id: 'client-nic0', network: 'lan', mac: MAC.client, ip: '10.0.0.1/24' }],
      },
      lb('lb1', MAC.lb1, '10.0.0.31/24'),
      lb('lb2', MAC.lb2, '10.0.0.32/24'),
      ...(opts.client2 === true
        ? [
            {
              id: 'client2',
              adapters: [
                { id: 'client2-nic0', network: 'lan', mac: '02:00:00:00:0a:09', ip: '10.0.0.9/24' },
              ],
            },
          ]
        : []),
    ],
  });
}

export interface DropSummary {
  reason: string | undefined;
  at: string;
  rule: string | undefined;
}

export function drops(events: readonly TraceEvent[]): DropSummary[] {
  return events
    .filter((e) => e.type === 'drop')
    .map((e) => ({ reason: e.reason, at: e.at, rule: e.rule }));
}

export function ofType(events: readonly TraceEvent[], type: TraceEvent['type']): TraceEvent[] {
  return events.filter((e) => e.type === type);
}

/** `type@at` for each event, compact for asserting paths. */
export function places(events: readonly TraceEvent[], type: TraceEvent['type']): string[] {
  return ofType(events, type).map((e) => e.at);
}
