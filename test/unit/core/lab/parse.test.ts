import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { isValid, parseLab, serializeLab } from '../../../../core/lab';
import type { ParseResult } from '../../../../core/lab';

const SPEC_EXAMPLE =
  // lab-format.md's example, copied into the repo (no test reads the shared spec).
  readFileSync(new URL('./fixtures/spec-example.lab.yaml', import.meta.url), 'utf8');

function violations(result: ParseResult) {
  return result.violations.map((v) => ({ code: v.code, path: v.path, severity: v.severity }));
}

describe('parsing lab files', () => {
  it("parses lab-format.md's own example into typed records with defaults", () => {
    const result = parseLab(SPEC_EXAMPLE);
    expect(result.ok && isValid(result)).toBe(true);
    if (!result.ok) return;
    const { lab } = result;
    expect(lab.actingUser).toBe('ben');
    expect(lab.users[1]).toEqual({ name: 'ben', role: 'user', promiscuous: false });
    const esxi = lab.vms[0];
    expect(esxi?.nested[0]?.adapters[0]).toMatchObject({ switch: 'esxi-vsw0', promiscuous: false });
    expect(esxi?.nested[0]).toMatchObject({
      power: 'running',
      arch: 'x86_64',
      role: 'host',
      nestedVirtualization: false,
    });
    expect(lab.vms[1]).toMatchObject({ role: 'bridge', stp: false });
    expect(lab.traffic.map((s) => s.kind)).toEqual([
      'ping',
      'frame',
      'garp',
      'power',
      'set',
      'wait',
    ]);
    expect(lab.traffic[0]).toEqual({ kind: 'ping', from: 'web1', to: '10.0.0.254', count: 1 });
    expect(lab.objectives.map((o) => o.check.kind)).toEqual([
      'reachable',
      'unreachable',
      'captured',
      'noLoop',
      'config',
    ]);
    expect(lab.sim).toEqual({ ageingSeconds: 300, hopLimit: 32, copyLimit: 1000 });
  });

  it('applies the defaults of lab-format.md, including the implied trainer', () => {
    const result = parseLab('nestlab: 1\nvms:\n  - id: esx\n    guestOs: esxi\n  - id: plain\n');
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.lab.users).toEqual([{ name: 'trainer', role: 'admin', promiscuous: true }]);
    expect(result.lab.actingUser).toBe('trainer');
    expect(result.lab.account.promiscuousMode).toBe('disabled');
    expect(result.lab.vms.map((v) => v.nestedVirtualization)).toEqual([true, false]);
    expect(result.violations).toEqual([]);
  });

  it('round-trips through serializeLab', () => {
    const first = parseLab(SPEC_EXAMPLE);
    if (!first.ok) throw new Error('example must parse');
    const again = parseLab(serializeLab(first.lab));
    expect(again.ok).toBe(true);
    if (again.ok) expect(again.lab).toEqual(first.lab);
  });

  it("accepts lab-format.md's optional forms: names on objectives, bare adapter IPs, gateway targets, adapter capture points, merge keys, an actor-less set", () => {
    const result = parseLab(
      [
        'nestlab: 1',
        'users: []',
        'networks: [{ id: lan, subnet: 10.0.0.0/24, gateway: 10.0.0.254 }]',
        'defaults: &host { power: running }',
        'vms:',
        '  - <<: *host',
        '    id: a',
        '    adapters: [{ id: a0, network: lan, mac: "02:00:00:00:00:01", ip: 10.0.0.5 }]',
        'traffic:',
        '  - ping: { from: a, to: lan }',
        '  - ping: { from: a0, to: "lan:gateway" }',
        '  - set: { vm: a, nestedVirtualization: false }',
        'objectives:',
        '  - { id: o, name: Reach, check: { reachable: { from: a, to: lan } } }',
        '  - { id: p, check: { captured: { at: a0, proto: 2054 } } }',
      ].join('\n'),
    );
    // `defaults` is not a key of the format: merge keys work, unknown keys still do not.
    expect(violations(result)).toEqual([
      { code: 'unknown-key', path: 'defaults', severity: 'error' },
    ]);
    const fixed = parseLab(
      [
        'nestlab: 1',
        'users: []',
        'networks: [{ id: lan, subnet: 10.0.0.0/24, gateway: 10.0.0.254 }]',
        'ui: { defaults: &host { power: stopped } }',
        'vms:',
        '  - <<: *host',
        '    id: a',
        '    adapters: [{ id: a0, network: lan, mac: "02:00:00:00:00:01", ip: 10.0.0.5 }]',
        'traffic:',
        '  - ping: { from: a, to: lan }',
        '  - ping: { from: a0, to: "lan:gateway" }',
        '  - set: { vm: a, nestedVirtualization: false }',
        'objectives:',
        '  - { id: o, name: Reach, check: { reachable: { from: a, to: lan } } }',
        '  - { id: p, check: { captured: { at: a0, proto: 2054 } } }',
      ].join('\n'),
    );
    expect(fixed.violations).toEqual([]);
    if (!fixed.ok) return;
    expect(fixed.lab.users).toEqual([{ name: 'trainer', role: 'admin', promiscuous: true }]);
    expect(fixed.lab.vms[0]?.power).toBe('stopped');
    expect(fixed.lab.traffic[2]).toEqual({
      kind: 'set',
      actor: 'trainer',
      vm: 'a',
      nestedVirtualization: false,
    });
    expect(fixed.lab.objectives[0]?.name).toBe('Reach');
  });

  it('rejects a YAML syntax error with its line and column', () => {
    const result = parseLab('nestlab: 1\ntitle: "open\nvms: [\n');
    expect(result.ok).toBe(false);
    const first = result.violations[0];
    expect(first?.code).toBe('yaml-syntax');
    expect(first?.line).toBeGreaterThanOrEqual(2);
    expect(first?.column).toBeGreaterThanOrEqual(1);
    expect(first?.message).toMatch(/line \d+, column \d+/);
  });

  it('rejects a file over 5 MB without parsing it', () => {
    const result = parseLab(`nestlab: 1\ndescription: "${'x'.repeat(5 * 1024 * 1024)}"\n`);
    expect(violations(result)).toEqual([{ code: 'file-too-large', path: '', severity: 'error' }]);
  });

  it('rejects an alias bomb', () => {
    const levels = ['a: &a [x, x, x, x, x, x, x, x, x, x]'];
    for (let i = 1; i < 8; i++) {
      const prev = String.fromCharCode(96 + i);
      const name = String.fromCharCode(97 + i);
      levels.push(`${name}: &${name} [${Array(10).fill(`*${prev}`).join(', ')}]`);
    }
    const result = parseLab(`nestlab: 1\nui:\n  ${levels.join('\n  ')}\n`);
    expect(result.ok).toBe(false);
    expect(result.violations[0]?.code).toBe('alias-limit');
  });

  it('rejects duplicate keys', () => {
    const result = parseLab('nestlab: 1\nnetworks:\n  - { id: lan, id: dmz }\n');
    expect(result.ok).toBe(false);
    expect(result.violations[0]).toMatchObject({ code: 'duplicate-key', line: 3 });
  });

  it('rejects __proto__ and constructor keys wherever they are', () => {
    const result = parseLab(
      'nestlab: 1\nnetworks:\n  - id: lan\n    __proto__: { polluted: true }\nui:\n  constructor: 1\n',
    );
    expect(violations(result)).toEqual([
      { code: 'forbidden-key', path: 'networks[0].__proto__', severity: 'error' },
      { code: 'forbidden-key', path: 'ui.constructor', severity: 'error' },
    ]);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('rejects unknown keys with their path, and reports every one', () => {
    const result = parseLab(
      'nestlab: 1\ncolour: red\nvms:\n  - id: a\n    adapters:\n      - { id: n, mac: "02:00:00:00:00:01", promiscous: true }\n',
    );
    expect(violations(result)).toEqual([
      { code: 'unknown-key', path: 'colour', severity: 'error' },
      { code: 'unknown-key', path: 'vms[0].adapters[0].promiscous', severity: 'error' },
    ]);
  });

  it('rejects wrong types and missing keys with their path', () => {
    const result = parseLab(
      'nestlab: 1\nnetworks: { id: lan }\nvms:\n  - id: a\n    power: on\n    adapters:\n      - { id: 3, mac: "02:00:00:00:00:01" }\n      - { id: b }\n',
    );
    expect(violations(result)).toEqual([
      { code: 'wrong-type', path: 'networks', severity: 'error' },
      { code: 'invalid-value', path: 'vms[0].power', severity: 'error' },
      { code: 'wrong-type', path: 'vms[0].adapters[0].id', severity: 'error' },
      { code: 'missing-key', path: 'vms[0].adapters[1].mac', severity: 'error' },
    ]);
  });

  it('rejects a missing or unknown format version', () => {
    expect(parseLab('title: x\n').violations[0]).toMatchObject({
      code: 'missing-key',
      path: 'nestlab',
    });
    expect(parseLab('nestlab: 2\n').violations[0]).toMatchObject({
      code: 'unsupported-version',
      path: 'nestlab',
    });
    expect(parseLab('- 1\n- 2\n').violations[0]).toMatchObject({ code: 'wrong-type', path: '' });
    expect(parseLab('').violations[0]).toMatchObject({ code: 'wrong-type' });
  });

  it('checks traffic steps and objective checks against their own kind', () => {
    const result = parseLab(
      'nestlab: 1\ntraffic:\n  - ping: { from: a }\n  - pong: {}\n  - { wait: { seconds: 1 }, ping: { from: a, to: b } }\nobjectives:\n  - { id: o, check: { reachable: { from: a, to: b, via: c } } }\n',
    );
    expect(violations(result)).toEqual([
      { code: 'missing-key', path: 'traffic[0].ping.to', severity: 'error' },
      { code: 'unknown-key', path: 'traffic[1].pong', severity: 'error' },
      { code: 'invalid-value', path: 'traffic[2]', severity: 'error' },
      { code: 'unknown-key', path: 'objectives[0].check.reachable.via', severity: 'error' },
    ]);
  });

  it('reports dangling references with their path', () => {
    const result = parseLab(
      [
        'nestlab: 1',
        'users: [{ name: ana, role: admin }]',
        'actingUser: bob',
        'networks: [{ id: lan }]',
        'vms:',
        '  - id: a',
        '    adapters: [{ id: a0, network: wan, mac: "02:00:00:00:00:01" }]',
        'traffic:',
        '  - ping: { from: ghost, to: 10.0.0.1 }',
        '  - set: { actor: zoe, adapter: a0, promiscuous: true }',
        'objectives:',
        '  - { id: o, check: { captured: { at: nobody } } }',
        '  - { id: p, check: { config: { vm: a, colour: red } } }',
      ].join('\n'),
    );
    expect(result.ok).toBe(true);
    expect(isValid(result)).toBe(false);
    expect(violations(result)).toEqual([
      { code: 'not-found', path: 'actingUser', severity: 'error' },
      { code: 'not-found', path: 'vms[0].adapters[0].network', severity: 'error' },
      { code: 'not-found', path: 'traffic[0].ping.from', severity: 'error' },
      { code: 'not-found', path: 'traffic[1].set.actor', severity: 'error' },
      { code: 'not-found', path: 'objectives[0].check.captured.at', severity: 'error' },
      { code: 'invalid-request', path: 'objectives[1].check.config.colour', severity: 'error' },
    ]);
    expect(result.violations[1]?.line).toBe(7);
  });

  it('points a bad set step at the field: the missing setting, the second target, the wrong setting', () => {
    const result = parseLab(
      [
        'nestlab: 1',
        'account: { promiscuousMode: enabled }',
        'networks: [{ id: lan }]',
        'vms:',
        '  - id: a',
        '    adapters: [{ id: a0, network: lan, mac: "02:00:00:00:00:01" }]',
        'traffic:',
        '  - set: { actor: trainer, adapter: a0 }',
        '  - set: { actor: trainer, adapter: a0, vm: a, promiscuous: true }',
        '  - set: { actor: trainer, vm: a, nestedVirtualization: true, promiscuous: true }',
        '  - set: { actor: trainer, promiscuous: true }',
      ].join('\n'),
    );
    expect(violations(result)).toEqual([
      { code: 'missing-key', path: 'traffic[0].set.promiscuous', severity: 'error' },
      { code: 'invalid-request', path: 'traffic[1].set.vm', severity: 'error' },
      { code: 'invalid-request', path: 'traffic[2].set.promiscuous', severity: 'error' },
      { code: 'missing-key', path: 'traffic[3].set', severity: 'error' },
    ]);
  });

  it('A5: guestOs esxi turns nesting on by default, except on a Power VM, which cannot have it', () => {
    const result = parseLab(
      [
        'nestlab: 1',
        'vms:',
        '  - { id: esxi, guestOs: VMware ESXi 8 }',
        '  - { id: power, guestOs: esxi, arch: power }',
        '  - { id: off, guestOs: esxi, nestedVirtualization: false }',
      ].join('\n'),
    );
    expect(result.ok && result.lab.vms.map((vm) => vm.nestedVirtualization)).toEqual([
      true,
      false,
      false,
    ]);
    expect(result.violations).toEqual([]);
  });

  it('never throws on arbitrary text', () => {
    const samples = [
      '\u0000',
      '{',
      '[[[[',
      'nestlab: 1\nvms: [{ id: [] }]',
      '!!binary AAAA',
      'nestlab: !!js/function "x"',
      'nestlab: 1\nui: *nope',
    ];
    for (const text of samples) expect(() => parseLab(text)).not.toThrow();
  });
});

describe('limits in characters', () => {
  const titled = (title: string) => parseLab(`nestlab: 1\ntitle: "${title}"\n`);
  it('count characters as people do: an emoji is one, not two UTF-16 units', () => {
    expect(violations(titled('😀'.repeat(200)))).toEqual([]);
    const over = titled('😀'.repeat(201));
    expect(over.violations).toMatchObject([
      {
        path: 'title',
        message: expect.stringContaining('found a string of 201 characters'),
      },
    ]);
  });
});
