import { describe, expect, it } from 'vitest';
import { parseLab } from '../../../../core/lab';

function check(yaml: string) {
  const result = parseLab(`nestlab: 1\n${yaml}`);
  if (!result.ok) throw new Error(`structure: ${JSON.stringify(result.violations)}`);
  return result.violations.map((v) => `${v.severity} ${v.code} ${v.rule} ${v.path}`);
}

const USERS = 'users: [{ name: ana, role: admin, promiscuous: true }]\n';

describe('static validity of a saved lab', () => {
  it('P2: a promiscuous adapter while the feature is not enabled is an error; a granted permission a warning', () => {
    expect(
      check(
        `${USERS}networks: [{ id: lan }]\nvms:\n  - { id: a, adapters: [{ id: a0, network: lan, mac: "02:00:00:00:00:01", promiscuous: true }] }\n`,
      ),
    ).toEqual([
      'warning feature-disabled P2 users[0].promiscuous',
      'error feature-disabled P2 vms[0].adapters[0]',
    ]);
  });

  it('A2 is a precondition of edits only: a running VM may start with a promiscuous adapter', () => {
    expect(
      check(
        `account: { promiscuousMode: enabled }\n${USERS}networks: [{ id: lan }]\nvms:\n  - { id: a, power: running, adapters: [{ id: a0, network: lan, mac: "02:00:00:00:00:01", promiscuous: true }] }\n`,
      ),
    ).toEqual([]);
  });

  it('A3: two promiscuous adapters of one VM on one network', () => {
    expect(
      check(
        `account: { promiscuousMode: enabled }\n${USERS}networks: [{ id: lan }]\nvms:\n  - id: a\n    adapters:\n      - { id: a0, network: lan, mac: "02:00:00:00:00:01", promiscuous: true }\n      - { id: a1, network: lan, mac: "02:00:00:00:00:02", promiscuous: true }\n`,
      ),
    ).toEqual(['error one-per-network A3 vms[0].adapters[1]']);
  });

  it('A4: a Power VM with a promiscuous adapter', () => {
    expect(
      check(
        `account: { promiscuousMode: enabled }\n${USERS}networks: [{ id: lan }]\nvms:\n  - { id: a, arch: power, adapters: [{ id: a0, network: lan, mac: "02:00:00:00:00:01", promiscuous: true }] }\n`,
      ),
    ).toEqual(['error unsupported-architecture A4 vms[0].adapters[0]']);
  });

  it('A5: nested VMs or switches without nesting, and a Power VM with nesting', () => {
    expect(
      check(
        'vms:\n  - id: h\n    switches: [{ id: s }]\n    nested: [{ id: n }]\n  - { id: p, arch: power, nestedVirtualization: true }\n',
      ),
    ).toEqual([
      'error nested-virtualization-required A5 vms[0].switches',
      'error nested-virtualization-required A5 vms[0].nested',
      'error unsupported-architecture A5 vms[1].nestedVirtualization',
    ]);
  });

  it('A6: duplicate ids and MACs, multicast MACs, bad addresses; an IP outside the subnet is a warning', () => {
    expect(
      check(
        [
          'networks: [{ id: lan, subnet: 10.0.0.0/24, gateway: 10.0.0.999 }, { id: lan }]',
          'external: [{ id: web, ip: example.com }]',
          'vms:',
          '  - id: a',
          '    virtualMacs: ["01:00:5e:00:00:01"]',
          '    virtualIps: [10.0.0]',
          '    adapters:',
          '      - { id: a0, network: lan, mac: "02:00:00:00:00:01", ip: 10.0.1.5/24 }',
          '      - { id: a1, network: lan, mac: "02:00:00:00:00:01", ip: 10.0.0.6/33 }',
          '      - { id: a2, network: lan, mac: "02-00-00-00-00-0g" }',
          '',
        ].join('\n'),
      ),
    ).toEqual([
      'error invalid-address A6 networks[0].gateway',
      'error duplicate-id A6 networks[1].id',
      'error invalid-address A6 external[0].ip',
      'error invalid-address A6 vms[0].virtualMacs[0]',
      'error invalid-address A6 vms[0].virtualIps[0]',
      'warning invalid-address A6 vms[0].adapters[0].ip',
      'error duplicate-mac A6 vms[0].adapters[1].mac',
      'error invalid-address A6 vms[0].adapters[1].ip',
      'error invalid-address A6 vms[0].adapters[2].mac',
    ]);
  });

  it('A7: attachments and uplinks', () => {
    expect(
      check(
        [
          'networks: [{ id: lan }]',
          'vms:',
          '  - id: h',
          '    nestedVirtualization: true',
          '    adapters:',
          '      - { id: h0, network: lan, mac: "02:00:00:00:00:01" }',
          '      - { id: h1, switch: s1, mac: "02:00:00:00:00:02" }',
          '    switches: [{ id: s1, uplink: h0 }, { id: s2, uplink: h0 }, { id: s3, uplink: x0 }]',
          '    nested:',
          '      - id: n',
          '        adapters:',
          '          - { id: n0, network: lan, mac: "02:00:00:00:00:03" }',
          '          - { id: n1, switch: other, mac: "02:00:00:00:00:04" }',
          '          - { id: n2, switch: s1, mac: "02:00:00:00:00:05" }',
          '',
        ].join('\n'),
      ),
    ).toEqual([
      'error invalid-request A7 vms[0].adapters[1].switch',
      'error invalid-request A7 vms[0].switches[1].uplink',
      'error invalid-request A7 vms[0].switches[2].uplink',
      'error invalid-request A7 vms[0].nested[0].adapters[0].network',
      'error invalid-request A7 vms[0].nested[0].adapters[1].switch',
    ]);
  });
});
