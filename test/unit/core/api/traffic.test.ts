import { describe, expect, it } from 'vitest';
import { builtInLabs } from './built-in-labs';
import { NestlabService, type OpenResult, type TrafficResult } from '../../../../core/api';
import { parseLab } from '../../../../core/lab/parse';
import { runLab } from '../../../../core/lab/run';

const library = builtInLabs;

function open(id: string): NestlabService {
  const service = new NestlabService(library);
  const result = service.call('lab.open', { id }) as OpenResult;
  if (!result.ok) throw new Error(result.message);
  return service;
}

async function run(
  service: NestlabService,
  args: object,
): Promise<Extract<TrafficResult, { ok: true }>> {
  const result = (await service.call('traffic.run', args)) as TrafficResult;
  if (!result.ok) throw new Error(result.message);
  return result;
}

describe('traffic through the api', () => {
  it('traffic.run runs one script step, an ad-hoc step, or the whole script', async () => {
    const service = open('e1-nested-vm-out');
    const one = await run(service, { index: 0 });
    expect(one.steps.map((s) => [s.index, s.kind, s.ok])).toEqual([[0, 'ping', false]]);
    expect(one.steps[0]?.events.some((e) => e.reason === 'forged-source' && e.at === 'lan')).toBe(
      true,
    );
    const adHoc = await run(service, { step: { ping: { from: 'client', to: '10.0.0.254' } } });
    expect(adHoc.steps[0]?.ok).toBe(true);
    expect((await run(service, {})).steps).toHaveLength(1);
  });

  it("the whole script gives nestlab run's per-step outcomes on every run (E7: its edits stay in the run)", async () => {
    const service = open('e7-rule-traps');
    const source = library.read('e7-rule-traps');
    const parsed = source ? parseLab(source.text) : undefined;
    if (!parsed?.ok) throw new Error('E7 does not parse');
    const expected = runLab(parsed.lab).traffic.map((s) => [s.index, s.ok, s.summary]);
    const outcomes = (r: Extract<TrafficResult, { ok: true }>) =>
      r.steps.map((s) => [s.index, s.ok, s.summary]);
    const first = await run(service, {});
    expect(first.runEdited).toBe(true);
    expect(outcomes(first)).toEqual(expected);
    expect(outcomes(await run(service, {}))).toEqual(expected);
    // Steps one at a time after a reset give the same outcomes too.
    await service.call('traffic.reset', {});
    const stepwise = [];
    for (let i = 0; i < expected.length; i++)
      stepwise.push(...outcomes(await run(service, { index: i })));
    expect(stepwise).toEqual(expected);
    // The saved lab never changed.
    expect((service.call('lab.current', {}) as { lab: unknown }).lab).toEqual(parsed.lab);
  });

  it("moving nodes between steps keeps the script's edits in the run (a stepped run = the whole run)", async () => {
    const service = open('e7-rule-traps');
    const whole = (await run(service, {})).steps.map((s) => s.ok);
    await service.call('traffic.reset', {});
    const stepped = (await run(service, { index: 0, through: 1 })).steps.map((s) => s.ok);
    expect(
      service.call('lab.setUi', { ui: { positions: { app: [1, 2] } }, actor: 'ana' }),
    ).toMatchObject({ ok: true });
    stepped.push(...(await run(service, { index: 2, through: 9 })).steps.map((s) => s.ok));
    expect(stepped).toEqual(whole);
  });

  it('runs a range of script steps (index through)', async () => {
    const service = open('e7-rule-traps');
    const some = await run(service, { index: 1, through: 3 });
    expect(some.steps.map((s) => s.index)).toEqual([1, 2, 3]);
    expect(await service.call('traffic.run', { through: 2 })).toMatchObject({ ok: false });
  });

  it('a bad ad-hoc step is refused with its path; an unknown index with not-found', async () => {
    const service = open('e1-nested-vm-out');
    expect(await service.call('traffic.run', { step: { ping: { from: 'client' } } })).toMatchObject(
      {
        ok: false,
        code: 'invalid-request',
        violations: [{ path: 'step.ping.to' }],
      },
    );
    expect(await service.call('traffic.run', { index: 7 })).toMatchObject({
      ok: false,
      code: 'not-found',
    });
  });

  it('edits in steps go through the rules and change the run, never the saved lab; reset brings the saved lab back', async () => {
    const service = open('e1-nested-vm-out');
    const refused = await run(service, {
      step: { set: { actor: 'ben', adapter: 'esxi-nic0', promiscuous: true } },
    });
    expect(refused.steps[0]?.result).toMatchObject({
      ok: false,
      code: 'permission-denied',
      rule: 'P5',
    });
    await run(service, { step: { power: { vm: 'esxi', state: 'stopped' } } });
    const set = await run(service, {
      step: { set: { actor: 'ana', adapter: 'esxi-nic0', promiscuous: true } },
    });
    expect(set.steps[0]?.ok).toBe(true);
    expect(set.runEdited).toBe(true);
    // The saved lab is as the student left it; the run has the edit.
    expect(set.view.lab.vms[0]?.adapters[0]?.promiscuous).toBe(false);
    await run(service, { step: { power: { vm: 'esxi', state: 'running' } } });
    expect((await run(service, { index: 0 })).steps[0]?.ok).toBe(true);
    // F3: web1's MAC is now learned on the uplink's port of lan.
    expect(await service.call('sim.macTable', { network: 'lan' })).toContainEqual(
      expect.objectContaining({ mac: '02:00:00:00:01:01', port: 'esxi-nic0', kind: 'learned' }),
    );
    expect(await service.call('sim.arpCache', { vm: 'web1' })).toContainEqual(
      expect.objectContaining({ ip: '10.0.0.254' }),
    );
    await service.call('traffic.reset', {});
    const again = await run(service, { index: 0 });
    expect(again.runEdited).toBe(false);
    expect(again.steps[0]?.ok).toBe(false);
  });

  it("exposes a bridge's capture in hex and as pcapng, and reset clears it", async () => {
    const service = open('e4-inline-bridge');
    await run(service, { step: { power: { vm: 'bridge', state: 'stopped' } } });
    await run(service, { step: { set: { actor: 'ana', adapter: 'br-front', promiscuous: true } } });
    await run(service, { step: { set: { actor: 'ana', adapter: 'br-back', promiscuous: true } } });
    await run(service, { step: { power: { vm: 'bridge', state: 'running' } } });
    expect((await run(service, { index: 0 })).steps[0]?.ok).toBe(true);
    const capture = (await service.call('sim.capture', { device: 'bridge' })) as {
      proto: string;
      hex: string;
    }[];
    expect(capture.filter((f) => f.proto === 'icmp').length).toBeGreaterThanOrEqual(2);
    expect(capture[0]?.hex).toMatch(/^[0-9a-f]{120,}$/);
    const pcap = (await service.call('sim.exportPcapng', {})) as { ok: true; base64: string };
    // 0a 0d 0d 0a: the pcapng section header block type.
    expect(pcap.base64.startsWith('Cg0NC')).toBe(true);
    await service.call('traffic.reset', {});
    expect(await service.call('sim.capture', { device: 'bridge' })).toEqual([]);
  });
});
