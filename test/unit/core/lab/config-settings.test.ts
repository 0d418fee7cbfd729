/**
 * The `config` objective check's values have the type of the setting they name (lab-format.md,
 * "Exercise keys"): `nestlab check` reports a value of the wrong type at its path, and grading
 * compares each value as its type, a MAC as a MAC.
 */
import { describe, expect, it } from 'vitest';
import { isValid, parseLab, runLab } from '../../../../core/lab';

const TOPOLOGY = `nestlab: 1
title: Config values
account: { promiscuousMode: enabled }
users: [{ name: ana, role: admin, promiscuous: true }]
networks:
  - { id: lan, subnet: 10.0.0.0/24, gateway: 10.0.0.254 }
vms:
  - id: esxi
    guestOs: esxi
    stp: false
    adapters:
      - { id: esxi-nic0, network: lan, mac: "02:00:00:00:00:01", ip: 10.0.0.10/24 }
  - id: server
    power: stopped
    adapters:
      - { id: server-nic0, network: lan, mac: "02:00:00:00:0A:02", ip: 10.0.0.2/24 }
`;

function lab(objectives: string) {
  return parseLab(`${TOPOLOGY}objectives:\n${objectives}`);
}

/** Each violation as `path code`. */
function problems(objectives: string): string[] {
  return lab(objectives).violations.map((v) => `${v.path} ${v.code}`);
}

function passing(objectives: string): string[] {
  const parsed = lab(objectives);
  if (!parsed.ok || !isValid(parsed)) throw new Error(JSON.stringify(parsed.violations));
  return runLab(parsed.lab)
    .objectives.filter((o) => o.passed)
    .map((o) => o.id);
}

describe('config objective values are typed per setting', () => {
  it('power is a power state: running, stopped or suspended, else an error at its path', () => {
    expect(problems(`  - { id: o, check: { config: { vm: server, power: off } } }\n`)).toEqual([
      'objectives[0].check.config.power invalid-value',
    ]);
    expect(problems(`  - { id: o, check: { config: { vm: server, power: true } } }\n`)).toEqual([
      'objectives[0].check.config.power wrong-type',
    ]);
    const [violation] = lab(
      `  - { id: o, check: { config: { vm: server, power: off } } }\n`,
    ).violations;
    expect(violation?.message).toBe(
      'power must be a power state: running, stopped or suspended; found "off".',
    );
    expect(violation?.line).toBe(18);
  });

  it('promiscuous, nestedVirtualization and stp are booleans, not the text "true"', () => {
    expect(
      problems(`  - { id: a, check: { config: { adapter: esxi-nic0, promiscuous: "true" } } }
  - { id: b, check: { config: { vm: esxi, nestedVirtualization: "yes" } } }
  - { id: c, check: { config: { vm: esxi, stp: 1 } } }
  - { id: d, check: { config: { user: ana, promiscuous: "false" } } }
`),
    ).toEqual([
      'objectives[0].check.config.promiscuous wrong-type',
      'objectives[1].check.config.nestedVirtualization wrong-type',
      'objectives[2].check.config.stp wrong-type',
      'objectives[3].check.config.promiscuous wrong-type',
    ]);
    expect(
      lab(`  - { id: a, check: { config: { adapter: esxi-nic0, promiscuous: "true" } } }\n`)
        .violations[0]?.message,
    ).toBe('promiscuous must be true or false; found "true" (write true without quotes).');
  });

  it('mac is a MAC compared as a MAC: 02-00-00-00-00-01 equals 02:00:00:00:00:01', () => {
    expect(
      passing(`  - { id: dashes, check: { config: { adapter: esxi-nic0, mac: "02-00-00-00-00-01" } } }
  - { id: colons, check: { config: { adapter: esxi-nic0, mac: "02:00:00:00:00:01" } } }
  - { id: case, check: { config: { adapter: server-nic0, mac: "02:00:00:00:0a:02" } } }
  - { id: other, check: { config: { adapter: esxi-nic0, mac: "02:00:00:00:00:02" } } }
`),
    ).toEqual(['dashes', 'colons', 'case']);
    expect(
      problems(`  - { id: o, check: { config: { adapter: esxi-nic0, mac: "02:00:00:00:00" } } }\n`),
    ).toEqual(['objectives[0].check.config.mac invalid-address']);
  });

  it('picklists, texts and addresses: arch, role, promiscuousMode, a user role, ip, subnet, gateway, names', () => {
    expect(
      problems(`  - { id: a, check: { config: { vm: esxi, arch: arm } } }
  - { id: b, check: { config: { vm: esxi, role: router } } }
  - { id: c, check: { config: { promiscuousMode: on } } }
  - { id: d, check: { config: { user: ana, role: root } } }
  - { id: e, check: { config: { adapter: esxi-nic0, ip: 10.0.0.300 } } }
  - { id: f, check: { config: { network: lan, subnet: 10.0.0.0 } } }
  - { id: g, check: { config: { network: lan, gateway: gw } } }
  - { id: h, check: { config: { vm: esxi, name: 42, guestOs: true } } }
  - { id: i, check: { config: { adapter: esxi-nic0, network: 7 } } }
  - { id: j, check: { config: { vm: 12, power: running } } }
`),
    ).toEqual([
      'objectives[0].check.config.arch invalid-value',
      'objectives[1].check.config.role invalid-value',
      'objectives[2].check.config.promiscuousMode invalid-value',
      'objectives[3].check.config.role invalid-value',
      'objectives[4].check.config.ip invalid-address',
      'objectives[5].check.config.subnet invalid-address',
      'objectives[6].check.config.gateway invalid-address',
      'objectives[7].check.config.name wrong-type',
      'objectives[7].check.config.guestOs wrong-type',
      'objectives[8].check.config.network wrong-type',
      'objectives[9].check.config.vm wrong-type',
    ]);
    expect(
      passing(`  - { id: a, check: { config: { vm: esxi, arch: x86_64, role: host, guestOs: esxi } } }
  - { id: b, check: { config: { promiscuousMode: enabled } } }
  - { id: c, check: { config: { user: ana, role: admin, promiscuous: true } } }
  - { id: d, check: { config: { adapter: esxi-nic0, ip: 10.0.0.10/24, network: lan, promiscuous: false } } }
  - { id: e, check: { config: { network: lan, subnet: 10.0.0.0/24, gateway: 10.0.0.254 } } }
  - { id: f, check: { config: { vm: server, power: stopped, stp: false, nestedVirtualization: false } } }
`),
    ).toEqual(['a', 'b', 'c', 'd', 'e', 'f']);
  });
});
