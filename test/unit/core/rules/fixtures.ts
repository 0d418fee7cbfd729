import { expect } from 'vitest';
import type { Lab, RuleCode } from '../../../../core/model';
import { parseLab, isValid } from '../../../../core/lab';
import { applyEdit, type EditCommand } from '../../../../core/rules';

/** A classroom lab: feature enabled, ana (admin, permission), ben (user), zed (admin, no permission). */
export const BASE = `
nestlab: 1
title: Rules fixture
account: { promiscuousMode: enabled }
users:
  - { name: ana, role: admin, promiscuous: true }
  - { name: ben, role: user }
  - { name: zed, role: admin }
  - { name: uma, role: user, promiscuous: true }
actingUser: ana
networks:
  - { id: lan, subnet: 10.0.0.0/24, gateway: 10.0.0.254 }
  - { id: dmz, subnet: 10.0.1.0/24 }
vms:
  - id: esxi
    guestOs: esxi
    power: stopped
    adapters:
      - { id: esxi-nic0, network: lan, mac: "02:00:00:00:00:01", ip: 10.0.0.10/24 }
      - { id: esxi-nic1, network: lan, mac: "02:00:00:00:00:02" }
      - { id: esxi-nic2, network: dmz, mac: "02:00:00:00:00:03" }
    switches:
      - { id: vsw0, uplink: esxi-nic0 }
    nested:
      - id: web1
        adapters:
          - { id: web1-nic0, switch: vsw0, mac: "02:00:00:00:01:01", ip: 10.0.0.21/24 }
  - id: app
    power: running
    adapters:
      - { id: app-nic0, network: lan, mac: "02:00:00:00:00:10", ip: 10.0.0.11/24 }
  - id: aix
    arch: power
    power: stopped
    adapters:
      - { id: aix-nic0, network: lan, mac: "02:00:00:00:00:20" }
`;

export function lab(text = BASE): Lab {
  const parsed = parseLab(text);
  if (!parsed.ok || !isValid(parsed))
    throw new Error(`fixture invalid: ${JSON.stringify(parsed.violations)}`);
  return parsed.lab;
}

/** Parses BASE with a tweak applied to its text. */
export function labWith(from: string, to: string): Lab {
  if (!BASE.includes(from)) throw new Error(`fixture has no "${from}"`);
  return lab(BASE.replace(from, to));
}

export function accept(before: Lab, actor: string, command: EditCommand): Lab {
  const result = applyEdit(before, actor, command);
  if (!result.ok)
    throw new Error(`expected acceptance, got ${result.code} (${result.rule}): ${result.message}`);
  return result.lab;
}

/** Asserts the refusal's code and rule, and that the lab is exactly as it was. */
export function refuse(
  before: Lab,
  actor: string,
  command: EditCommand,
  code: RuleCode,
  rule: string,
): void {
  const snapshot = JSON.stringify(before);
  const result = applyEdit(before, actor, command);
  expect(result.ok).toBe(false);
  if (result.ok) return;
  expect({ code: result.code, rule: result.rule }).toEqual({ code, rule });
  expect(result.message.length).toBeGreaterThan(10);
  expect(JSON.stringify(before)).toBe(snapshot);
}
