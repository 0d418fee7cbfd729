/**
 * The worked examples E1–E7 of semantics.md §5 as shipped in labs/: each starting form fails
 * its objectives for the reason the example gives, and the fix the example describes (made
 * through the same edit rules the UI uses) makes every objective pass.
 */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import type { Lab } from '../../../../core/model';
import { isValid, parseLab, runLab, type RunReport } from '../../../../core/lab';
import { applyEdit, type EditCommand } from '../../../../core/rules';

function load(name: string): Lab {
  const parsed = parseLab(
    readFileSync(new URL(`../../../../labs/${name}.lab.yaml`, import.meta.url), 'utf8'),
  );
  if (!parsed.ok || !isValid(parsed))
    throw new Error(`${name}: ${JSON.stringify(parsed.violations)}`);
  return parsed.lab;
}

function fix(lab: Lab, actor: string, ...commands: EditCommand[]): Lab {
  return commands.reduce((current, command) => {
    const result = applyEdit(current, actor, command);
    if (!result.ok) throw new Error(`fix refused: ${result.code} ${result.message}`);
    return result.lab;
  }, lab);
}

const events = (report: RunReport) => report.traffic.flatMap((s) => s.events);
const drops = (report: RunReport) =>
  events(report)
    .filter((e) => e.type === 'drop')
    .map((e) => `${e.reason} ${e.rule} @${e.at}`);
const failed = (report: RunReport) => report.objectives.filter((o) => !o.passed).map((o) => o.id);
const allPass = (report: RunReport) => expect(failed(report)).toEqual([]);
const stop = (vm: string): EditCommand => ({ type: 'vm.setPower', vm, state: 'stopped' });
const start = (vm: string): EditCommand => ({ type: 'vm.setPower', vm, state: 'running' });
const promiscuous = (adapter: string): EditCommand => ({
  type: 'adapter.setPromiscuous',
  adapter,
  promiscuous: true,
});

describe('worked examples as shipped labs', () => {
  it("E1: web1's ARP leaves the uplink with its own MAC and is dropped at lan, forged-source; the fix makes the ping succeed", () => {
    const lab = load('e1-nested-vm-out');
    const before = runLab(lab);
    expect(drops(before)).toContain('forged-source F2 @lan');
    const forged = events(before).find((e) => e.type === 'drop' && e.reason === 'forged-source');
    expect(forged?.proto).toBe('arp');
    expect(failed(before)).toEqual(['reach', 'uplink']);
    const after = runLab(fix(lab, 'ana', stop('esxi'), promiscuous('esxi-nic0'), start('esxi')));
    allPass(after);
    expect(after.traffic[0]?.ok).toBe(true);
    expect(
      events(after).some(
        (e) => e.type === 'learn' && e.at === 'lan' && e.src === '02:00:00:00:01:01',
      ),
    ).toBe(true);
    expect(
      events(after).some((e) => e.type === 'deliver' && e.at === 'web1-nic0' && e.proto === 'icmp'),
    ).toBe(true);
  });

  it('E2: nested neighbours on one switch talk without promiscuous mode; only broadcasts try the network', () => {
    const lab = load('e2-nested-neighbours');
    const before = runLab(lab);
    expect(before.traffic[0]?.ok).toBe(false);
    expect(failed(before)).toEqual(['neighbours']);
    const after = runLab(
      fix(lab, 'ben', { type: 'adapter.connect', adapter: 'db1-nic0', switch: 'esxi-vsw0' }),
    );
    allPass(after);
    const atLan = events(after).filter((e) => e.at === 'lan');
    expect(atLan.every((e) => e.proto === 'arp')).toBe(true);
    expect(atLan.filter((e) => e.type === 'drop').map((e) => e.reason)).toEqual(['forged-source']);
  });

  it('E3: a promiscuous sniffer sees the ARP broadcast and none of the unicast ping', () => {
    const lab = load('e3-no-sniffing');
    expect(failed(runLab(lab))).toEqual(['pmode', 'running', 'sees-arp']);
    const after = runLab(fix(lab, 'ana', promiscuous('sniffer-nic0'), start('sniffer')));
    allPass(after);
    const atSniffer = events(after).filter((e) => e.at === 'sniffer-nic0');
    expect(atSniffer.length).toBeGreaterThan(0);
    expect(atSniffer.every((e) => e.proto === 'arp')).toBe(true);
  });

  it('E4: a bridge without promiscuous mode has its first forwarded frame dropped, forged-source; with it the capture holds both directions', () => {
    const lab = load('e4-inline-bridge');
    const before = runLab(lab);
    expect(drops(before)[0]).toBe('forged-source F2 @back');
    expect(failed(before)).toEqual(['reach', 'request', 'reply']);
    const after = runLab(
      fix(
        lab,
        'ana',
        stop('bridge'),
        promiscuous('br-front'),
        promiscuous('br-back'),
        start('bridge'),
      ),
    );
    allPass(after);
    expect(drops(after)).toEqual([]);
  });

  it('E5: two bridges loop until the loop detector stops the storm; STP blocks a port and the ping succeeds', () => {
    const lab = load('e5-bridge-loop');
    const before = runLab(lab);
    expect(drops(before).some((d) => d.startsWith('loop-detected D4'))).toBe(true);
    expect(events(before).some((e) => e.type === 'warn' && e.reason === 'mac-flap')).toBe(true);
    expect(failed(before)).toContain('no-loop');
    const after = runLab(
      fix(
        lab,
        'ana',
        { type: 'vm.setStp', vm: 'br1', stp: true },
        { type: 'vm.setStp', vm: 'br2', stp: true },
      ),
    );
    allPass(after);
    expect(drops(after).some((d) => d.startsWith('stp-blocked D3'))).toBe(true);
    expect(drops(after).some((d) => d.startsWith('loop-detected'))).toBe(false);
  });

  it('E6: without promiscuous mode the gratuitous ARP is dropped, forged-source; with it the MAC moves to lb2', () => {
    const lab = load('e6-virtual-mac-failover');
    const before = runLab(lab);
    expect(drops(before)).toContain('forged-source F2 @lan');
    expect(before.traffic[0]?.ok).toBe(false);
    expect(failed(before)).toEqual(['vip', 'failover']);
    const after = runLab(
      fix(
        lab,
        'ana',
        stop('lb1'),
        stop('lb2'),
        promiscuous('lb1-nic0'),
        promiscuous('lb2-nic0'),
        start('lb1'),
        start('lb2'),
      ),
    );
    allPass(after);
    expect(after.traffic.map((s) => s.ok)).toEqual([true, true, true, true, true]);
    // The frame sent to the virtual MAC after the takeover reaches lb2 only.
    expect(after.traffic[4]?.events.filter((e) => e.type === 'deliver').map((e) => e.at)).toEqual([
      'lb2-nic0',
    ]);
    expect(events(after).some((e) => e.type === 'mac-move' && e.src === '00:00:5e:00:01:0a')).toBe(
      true,
    );
  });

  it('E7: each trap is refused with its code; disabling on a running VM succeeds; stopping app first fixes it', () => {
    const lab = load('e7-rule-traps');
    const before = runLab(lab);
    expect(before.traffic.map((s) => (s.result && !s.result.ok ? s.result.code : 'ok'))).toEqual([
      'feature-disabled',
      'ok',
      'ok',
      'permission-denied',
      'vm-not-stopped',
      'ok',
      'one-per-network',
      'unsupported-architecture',
      'ok',
      'ok',
    ]);
    expect(failed(before)).toEqual(['app']);
    allPass(runLab(fix(lab, 'ana', stop('app'))));
  });
});
