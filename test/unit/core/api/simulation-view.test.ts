import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  NestlabService,
  type CompareResult,
  type Dissection,
  type LabLibrary,
  type OpenResult,
  type RuleExplanation,
  type SimTables,
  type TrafficResult,
} from '../../../../core/api';
import { parseLab } from '../../../../core/lab/parse';
import { runLab } from '../../../../core/lab/run';
import type { Simulation } from '../../../../core/sim';

function labText(id: string): string {
  return readFileSync(new URL(`../../../../labs/${id}.lab.yaml`, import.meta.url), 'utf8');
}

const library: LabLibrary = {
  list: () => [],
  read: (id) => ({ text: labText(id), fileName: `${id}.lab.yaml` }),
};

function open(id: string): NestlabService {
  const service = new NestlabService(library);
  const result = service.call('lab.open', { id }) as OpenResult;
  if (!result.ok) throw new Error(result.message);
  return service;
}

type TrafficOk = Extract<TrafficResult, { ok: true }>;

async function run(service: NestlabService, args: object): Promise<TrafficOk> {
  const result = (await service.call('traffic.run', args)) as TrafficResult;
  if (!result.ok) throw new Error(result.message);
  return result;
}

/** The session's simulator (in the service's in-process runner), to prove it keeps no lineage between runs. */
function sessionSim(service: NestlabService): Simulation {
  return (service as unknown as { runner: { session: { sim: Simulation } } }).runner.session.sim;
}

describe('simulation view through the api', () => {
  it('traffic.run keeps the step reports of nestlab run --json, and adds frames, packets and moves', async () => {
    const service = open('e4-inline-bridge');
    const result = await run(service, {});
    const parsed = parseLab(labText('e4-inline-bridge'));
    if (!parsed.ok) throw new Error('E4 does not parse');
    expect(JSON.parse(JSON.stringify(result.steps))).toEqual(
      JSON.parse(JSON.stringify(runLab(parsed.lab).traffic)),
    );
    const named = new Set(result.steps.flatMap((s) => s.events.map((e) => e.frame)));
    expect(result.frames.map((f) => f.frame)).toEqual([...named]);
    for (const f of result.frames) {
      expect(result.packets[f.packet]).toMatch(/^(?:[0-9a-f]{2}){60,}$/);
      if (f.parent !== undefined) expect(named.has(f.parent) || f.parent < f.frame).toBe(true);
    }
    // E4's first request: client-nic0 → front → br-front → bridge → br-back → back (F2 drop).
    const first = result.moves.filter((m) => m.origin === 1).map((m) => `${m.from}→${m.to}`);
    expect(first).toEqual([
      'client-nic0→front',
      'front→br-front',
      'br-front→bridge',
      'bridge→br-back',
      'br-back→back',
    ]);
    const last = result.moves.filter((m) => m.origin === 1).at(-1);
    expect(result.steps[last?.step ?? -1]?.events[last?.event ?? -1]).toMatchObject({
      type: 'drop',
      reason: 'forged-source',
      at: 'back',
    });
    // Copies of one frame share one packet: three requests, three distinct byte strings.
    expect(result.packets).toHaveLength(3);
    // The session took the lineage: nothing is left to grow over a long session.
    expect(sessionSim(service).takeLineage(named).size).toBe(0);
  });

  it('sim.dissect decodes a packet of the run, with no lab needed; bad hex is refused', async () => {
    const service = open('e1-nested-vm-out');
    const [packet] = (await run(service, {})).packets;
    const d = service.call('sim.dissect', { hex: packet }) as Dissection;
    expect(d.layers.map((l) => l.name)).toEqual(['Ethernet II', 'ARP']);
    expect(d.layers[1]?.summary).toBe('Who has 10.0.0.254? Tell 10.0.0.21');
    const bare = new NestlabService(library);
    expect((bare.call('sim.dissect', { hex: packet?.toUpperCase() }) as Dissection).length).toBe(
      60,
    );
    expect(bare.call('sim.dissect', { hex: 'abc' })).toMatchObject({
      ok: false,
      code: 'invalid-request',
    });
    expect(
      await bare.call('sim.explain', { reason: 'nic-filter', rule: 'D1', at: 'x' }),
    ).toMatchObject({
      ok: false,
      code: 'invalid-request',
    });
  });

  it('sim.explain names the adapter that sent a forged frame, from its trace frame id (F2)', async () => {
    const service = open('e1-nested-vm-out');
    const drop = (await run(service, {})).steps
      .flatMap((s) => s.events)
      .find((e) => e.reason === 'forged-source');
    const explained = (await service.call('sim.explain', {
      reason: drop?.reason,
      rule: drop?.rule,
      at: drop?.at,
      frame: drop?.frame,
    })) as RuleExplanation;
    expect(explained).toMatchObject({
      rule: 'F2',
      title: 'Forged source MAC',
      fixAt: { kind: 'adapter', id: 'esxi-nic0' },
    });
    expect(
      await service.call('sim.explain', {
        reason: 'forged-source',
        rule: 'F2',
        at: 'lan',
        frame: 0,
      }),
    ).toMatchObject({ ok: false, code: 'invalid-request' });
    expect(
      await service.call('sim.explain', { reason: 'hub', rule: 'F9', at: 'lan' }),
    ).toMatchObject({
      ok: false,
      code: 'invalid-request',
    });
  });

  it('traffic.compare replays what was sent since the reset, ad-hoc steps included', async () => {
    const service = open('e1-nested-vm-out');
    const change = { adapter: 'esxi-nic0', promiscuous: true };
    expect(await service.call('traffic.compare', { change })).toEqual({
      ok: true,
      change: 'esxi-nic0 promiscuous on (it is off)',
      steps: 0,
      differences: [],
      notices: [],
    });
    await run(service, { step: { ping: { from: 'web1', to: '10.0.0.254' } } });
    const result = (await service.call('traffic.compare', { change })) as CompareResult;
    expect(result).toMatchObject({ ok: true, steps: 1 });
    if (!result.ok) return;
    expect(result.differences[0]?.before?.dropped).toContainEqual({
      at: 'lan',
      reason: 'forged-source',
      rule: 'F2',
    });
    expect(result.differences[0]?.after?.delivered).toContain('lan:gateway');
    // A what-if changes nothing: the lab is as it was.
    expect(service.call('lab.current', {})).toMatchObject({
      lab: { vms: [{ adapters: [{ promiscuous: false }] }, {}] },
    });
    await service.call('traffic.reset', {});
    expect(await service.call('traffic.compare', { change })).toMatchObject({ steps: 0 });
  });

  it('traffic.compare refuses an unknown item, a broken rule and a malformed change', async () => {
    const service = open('e7-rule-traps');
    expect(
      await service.call('traffic.compare', { change: { adapter: 'nope', promiscuous: true } }),
    ).toMatchObject({ ok: false, code: 'not-found' });
    expect(
      await service.call('traffic.compare', { change: { adapter: 'app-nic0', promiscuous: true } }),
    ).toMatchObject({ ok: false, code: 'feature-disabled', rule: 'P2' });
    expect(
      await service.call('traffic.compare', { change: { vm: 'app', promiscuous: true } }),
    ).toMatchObject({ ok: false, code: 'invalid-request' });
  });
});

describe('sim.tables', () => {
  it('answers every table at once, the same rows as the per-device queries', async () => {
    const service = open('e1-nested-vm-out');
    await run(service, {});
    const tables = (await service.call('sim.tables', {})) as SimTables;
    expect(tables.macTables.map((t) => [t.device, t.kind])).toEqual([['lan', 'network']]);
    expect(tables.learned.map((t) => [t.device, t.kind])).toEqual([['esxi-vsw0', 'switch']]);
    expect(tables.arp.map((c) => c.vm)).toEqual(['esxi', 'web1', 'client']);
    expect(tables.macTables[0]?.rows).toEqual(
      await service.call('sim.macTable', { network: 'lan' }),
    );
    expect(tables.learned[0]?.rows).toEqual(
      await service.call('sim.learnedTable', { device: 'esxi-vsw0' }),
    );
    expect(tables.arp[1]?.rows).toEqual(await service.call('sim.arpCache', { vm: 'web1' }));
    // web1's ARP went unanswered (F2 at lan): its switch learned it, its cache stays empty.
    expect(tables.learned[0]?.rows.map((r) => r.mac)).toContain('02:00:00:00:01:01');
    expect(tables.arp[1]?.rows).toEqual([]);
  });
});
