/**
 * Objective checks of lab-format.md, each graded by recomputing it from the lab: reachable,
 * unreachable, captured, notCaptured, noLoop, config and valid, over a small lab written here.
 */
import { describe, expect, it } from 'vitest';
import { isValid, parseLab, runLab } from '../../../../core/lab';

const TOPOLOGY = `nestlab: 1
title: Objectives
account: { promiscuousMode: enabled }
networks:
  - { id: lan, subnet: 10.0.0.0/24, gateway: 10.0.0.254 }
vms:
  - id: client
    adapters:
      - { id: client-nic0, network: lan, mac: "02:00:00:00:00:01", ip: 10.0.0.1/24 }
  - id: server
    power: stopped
    adapters:
      - { id: server-nic0, network: lan, mac: "02:00:00:00:00:02", ip: 10.0.0.2/24 }
traffic:
  - ping: { from: client, to: 10.0.0.254 }
`;

/** The ids of the objectives that pass, for `objectives` (YAML list items) on TOPOLOGY. */
function passing(objectives: string): string[] {
  const parsed = parseLab(`${TOPOLOGY}objectives:\n${objectives}`);
  if (!parsed.ok || !isValid(parsed)) throw new Error(JSON.stringify(parsed.violations));
  return runLab(parsed.lab)
    .objectives.filter((o) => o.passed)
    .map((o) => o.id);
}

/** The violations of a lab with `objectives`, as `path code`. */
function problems(objectives: string): string[] {
  const parsed = parseLab(`${TOPOLOGY}objectives:\n${objectives}`);
  return parsed.violations.map((v) => `${v.path} ${v.code}`);
}

describe('objective checks (lab-format.md)', () => {
  it('reachable and unreachable run a fresh ping on the state the script left', () => {
    expect(
      passing(`  - { id: gw, check: { reachable: { from: client, to: 10.0.0.254 } } }
  - { id: down, check: { unreachable: { from: client, to: server } } }
  - { id: wrong, check: { reachable: { from: client, to: server } } }
`),
    ).toEqual(['gw', 'down']);
  });

  it('captured and notCaptured match frames recorded at a device during the script', () => {
    expect(
      passing(`  - { id: arp, check: { captured: { at: client, proto: arp } } }
  - { id: reply, check: { captured: { at: client-nic0, dst: "02:00:00:00:00:01", proto: icmp } } }
  - { id: ethertype, check: { captured: { at: client, proto: 2054 } } }
  - { id: from-server, check: { captured: { at: client, src: "02:00:00:00:00:02" } } }
  - { id: none, check: { notCaptured: { at: server, proto: icmp } } }
  - { id: some, check: { notCaptured: { at: client, proto: icmp } } }
`),
    ).toEqual(['arp', 'reply', 'ethertype', 'none']);
  });

  it('config compares an adapter setting, including the network it is on', () => {
    expect(
      passing(`  - { id: on-lan, check: { config: { adapter: client-nic0, network: lan } } }
  - { id: off-lan, check: { config: { adapter: client-nic0, network: wan } } }
  - { id: stopped, check: { config: { vm: server, power: stopped } } }
  - { id: account, check: { config: { promiscuousMode: enabled } } }
  - { id: subnet, check: { config: { network: lan, subnet: 10.0.0.0/24 } } }
`),
    ).toEqual(['on-lan', 'stopped', 'account', 'subnet']);
    expect(
      problems(`  - { id: on-lan, check: { config: { adapter: client-nic0, network: lan } } }\n`),
    ).toEqual([]);
  });

  it('config names one target: a second target that is not a setting of the first is an error', () => {
    expect(
      problems(
        `  - { id: two, check: { config: { vm: server, user: trainer, power: stopped } } }\n`,
      ),
    ).toEqual(['objectives[0].check.config invalid-request']);
  });

  it('noLoop holds when no loop-detected happened; valid when the lab breaks no rule', () => {
    expect(
      passing(`  - { id: quiet, check: { noLoop: true } }
  - { id: ok, check: { valid: true } }
`),
    ).toEqual(['quiet', 'ok']);
  });
});
