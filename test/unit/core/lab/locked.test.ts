/**
 * `locked-changed` (lab-format.md, `student:`): what an attempt changed that the trainer's lab
 * locks. `none` locks the whole lab, `settings` its structure (settings may differ), `all`
 * nothing; `actAs` locks acting as anyone else. Matched by id: order, `ui` and `attempt` never
 * count.
 */
import { describe, expect, it } from 'vitest';
import { lockedChanges, MAX_SENTENCES, parseLab } from '../../../../core/lab';
import type { Lab, StudentPolicy, Vm } from '../../../../core/model';

const TRAINER = `nestlab: 1
account: { promiscuousMode: enabled }
users:
  - { name: ana, role: admin, promiscuous: true }
  - { name: ben, role: user }
actingUser: ben
networks:
  - { id: lan, subnet: 10.0.0.0/24, gateway: 10.0.0.254 }
  - { id: dmz, subnet: 10.0.0.0/24 }
external:
  - { id: site, ip: 203.0.113.10 }
vms:
  - id: esxi
    guestOs: esxi
    power: stopped
    adapters:
      - { id: esxi-nic0, network: lan, mac: "02:00:00:00:00:01", ip: 10.0.0.10/24 }
    switches:
      - { id: esxi-vsw0, uplink: esxi-nic0 }
      - { id: esxi-vsw1 }
    nested:
      - id: web1
        adapters:
          - { id: web1-nic0, switch: esxi-vsw0, mac: "02:00:00:00:01:01", ip: 10.0.0.21/24 }
  - id: db
    adapters:
      - { id: db-nic0, network: lan, mac: "02:00:00:00:00:02", ip: 10.0.0.22/24 }
`;

function parse(text: string): Lab {
  const parsed = parseLab(text);
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.violations));
  return parsed.lab;
}

const base = parse(TRAINER);
const trainer = (student: StudentPolicy): Lab => ({ ...base, student });

function mapVms(lab: Lab, change: (vm: Vm) => Vm): Lab {
  const visit = (vm: Vm): Vm => change({ ...vm, nested: vm.nested.map(visit) });
  return { ...lab, vms: lab.vms.map(visit) };
}

/** The settings a student may change under `edit: settings`, all changed at once. */
const settingsChanged = mapVms(
  {
    ...base,
    account: { promiscuousMode: 'enabled', request: { by: 'ana', useCase: 'x'.repeat(40) } },
    users: base.users.map((u) => ({ ...u, promiscuous: true })),
    actingUser: 'ana',
  },
  (vm) => ({
    ...vm,
    power: 'running',
    stp: true,
    virtualMacs: ['00:00:5e:00:01:0a'],
    virtualIps: ['10.0.0.100'],
    adapters: vm.adapters.map((a) => ({
      ...a,
      promiscuous: true,
      ip: a.ip === undefined ? undefined : '10.0.0.99/24',
      gateway: '10.0.0.254',
      mac: a.mac.replace('02:', '06:'),
    })),
  }),
);

/** Structure: a VM removed and one added, an adapter moved, a nested VM moved, a network redefined. */
const structureChanged: Lab = mapVms(
  {
    ...base,
    networks: base.networks.map((n) => (n.id === 'dmz' ? { ...n, subnet: '10.1.0.0/24' } : n)),
    vms: [
      ...base.vms.filter((vm) => vm.id !== 'db'),
      { ...(base.vms[1] as Vm), id: 'db2', adapters: [] },
    ],
  },
  (vm) => ({
    ...vm,
    adapters: vm.adapters.map((a) => (a.id === 'web1-nic0' ? { ...a, switch: 'esxi-vsw1' } : a)),
  }),
);

describe('what an attempt changed that its lab locks', () => {
  it('an attempt equal to the lab changed nothing, whatever the order of lists, its ui and its attempt key', () => {
    const reordered: Lab = {
      ...base,
      vms: [...base.vms].reverse(),
      users: [...base.users].reverse(),
      ui: { positions: {} },
      attempt: { answers: { a: 1 }, hints: ['x'] },
    };
    for (const edit of ['none', 'settings', 'all'] as const)
      expect(lockedChanges(trainer({ edit }), reordered)).toEqual([]);
  });

  it('none: any change of the account, users, networks, external hosts or VMs; who acts is free (actAs binds it)', () => {
    const changed = lockedChanges(trainer({ edit: 'none' }), settingsChanged);
    expect(changed.some((s) => s.startsWith('acting user'))).toBe(false);
    expect(changed).toContain('VM esxi: power changed from stopped to running');
    expect(changed).toContain('adapter esxi-nic0: promiscuous changed from false to true');
    expect(changed).toContain('user ben: promiscuous changed from false to true');
    expect(changed.some((s) => s.startsWith('account: request changed from none to {'))).toBe(true);
    const renamed = { ...base, external: [{ id: 'site', name: 'A site', ip: '203.0.113.10' }] };
    expect(lockedChanges(trainer({ edit: 'none' }), renamed)).toEqual([
      'external host site: name changed from none to A site',
    ]);
  });

  it('settings: settings may differ (power, promiscuous, permissions, account, addresses, STP, virtual addresses)', () => {
    expect(lockedChanges(trainer({ edit: 'settings' }), settingsChanged)).toEqual([]);
  });

  it('settings: devices added or removed, adapters reconnected, nested VMs moved, networks redefined are flagged', () => {
    expect(lockedChanges(trainer({ edit: 'settings' }), structureChanged)).toEqual([
      'network dmz: subnet changed from 10.0.0.0/24 to 10.1.0.0/24',
      'adapter web1-nic0: switch changed from esxi-vsw0 to esxi-vsw1',
      'VM db removed',
      'adapter db-nic0 removed',
      'VM db2 added',
    ]);
    const esxi = base.vms[0] as Vm;
    const web1 = esxi.nested[0] as Vm;
    const moved: Lab = {
      ...base,
      vms: [
        { ...esxi, nested: [] },
        { ...(base.vms[1] as Vm), nested: [web1] },
      ],
    };
    expect(lockedChanges(trainer({ edit: 'settings' }), moved)).toContain(
      'VM web1: hypervisor changed from esxi to db',
    );
  });

  it('all: nothing is locked', () => {
    expect(lockedChanges(trainer({ edit: 'all' }), structureChanged)).toEqual([]);
    expect(lockedChanges(trainer({ edit: 'all' }), settingsChanged)).toEqual([]);
  });

  it('actAs: acting as a user not in it is flagged, whatever the edit mode', () => {
    const asAna = { ...base, actingUser: 'ana' };
    for (const edit of ['all', 'settings'] as const) {
      expect(lockedChanges(trainer({ edit, actAs: ['ben'] }), asAna)).toEqual([
        'acting user ana is not one of student.actAs (ben)',
      ]);
      expect(lockedChanges(trainer({ edit, actAs: ['ben', 'ana'] }), asAna)).toEqual([]);
    }
  });

  it('compares MACs as MACs: another spelling of the same MAC is no change', () => {
    const spelled = mapVms(base, (vm) => ({
      ...vm,
      adapters: vm.adapters.map((a) => ({ ...a, mac: a.mac.toUpperCase().replace(/:/g, '-') })),
    }));
    expect(lockedChanges(trainer({ edit: 'none' }), spelled)).toEqual([]);
  });

  it('compares addresses as what they mean and virtual addresses as sets', () => {
    const withVirtual = (macs: string[], ips: string[]): Lab =>
      mapVms(base, (vm) => (vm.id === 'db' ? { ...vm, virtualMacs: macs, virtualIps: ips } : vm));
    const locked = {
      ...withVirtual(['00:00:5e:00:01:0a', '00:00:5e:00:01:0b'], ['10.0.0.100', '10.0.0.101']),
      student: { edit: 'none' as const },
    };
    // Same sets in another order; db-nic0 bare (its network's /24) with its network's gateway.
    const same = mapVms(
      withVirtual(['00:00:5e:00:01:0b', '00:00:5e:00:01:0a'], ['10.0.0.101', '10.0.0.100']),
      (vm) => ({
        ...vm,
        adapters: vm.adapters.map((a) =>
          a.id === 'db-nic0' ? { ...a, ip: '10.0.0.22', gateway: '10.0.0.254' } : a,
        ),
      }),
    );
    expect(lockedChanges(locked, same)).toEqual([]);
    // Another prefix or another gateway is a change.
    const other = mapVms(same, (vm) => ({
      ...vm,
      adapters: vm.adapters.map((a) =>
        a.id === 'db-nic0' ? { ...a, ip: '10.0.0.22/16', gateway: '10.0.0.1' } : a,
      ),
    }));
    expect(lockedChanges(locked, other)).toEqual([
      'adapter db-nic0: ip changed from 10.0.0.22/24 to 10.0.0.22/16',
      'adapter db-nic0: gateway changed from 10.0.0.254 to 10.0.0.1',
    ]);
  });

  it('lists at most MAX_SENTENCES changes, the last saying how many more', () => {
    const crowd: Lab = {
      ...base,
      networks: Array.from({ length: 120 }, (_, i) => ({ id: `n${i}` })),
    };
    const changed = lockedChanges(trainer({ edit: 'settings' }), crowd);
    expect(changed).toHaveLength(MAX_SENTENCES);
    expect(changed.at(-1)).toBe(`… and ${122 - (MAX_SENTENCES - 1)} more changes`);
  });
});
