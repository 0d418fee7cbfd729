import { describe, expect, it } from 'vitest';
import { Simulation } from '../../../../core/sim';
import { drops, flatLab, MAC, nestedLab, ofType, places } from './fixtures';
import { withAdapter, withVm } from './lab-builder';

describe('Skytap network forwarding (semantics.md §3)', () => {
  it('F1: a VM that is not running sends nothing (vm-not-running at the sender)', () => {
    const sim = new Simulation(withVm(flatLab(), 'client', { power: 'stopped' }));
    const out = sim.ping('client', 'server');
    expect(out.ok).toBe(false);
    expect(drops(out.events)).toEqual([
      { reason: 'vm-not-running', at: 'client-nic0', rule: 'F1' },
    ]);
    expect(ofType(out.events, 'transmit')).toEqual([]);
    expect(out.summary).toBe(
      'client → server: no reply, dropped at client-nic0: vm-not-running (F1)',
    );
  });

  it('F1: a VM that is not running receives nothing (destination-not-running at delivery)', () => {
    const sim = new Simulation(withVm(flatLab(), 'server', { power: 'suspended' }));
    const out = sim.sendFrame({
      from: 'client-nic0',
      src: MAC.client,
      dst: MAC.server,
      type: 'ipv4',
    });
    expect(out.ok).toBe(false);
    expect(drops(out.events)).toEqual([
      { reason: 'destination-not-running', at: 'server-nic0', rule: 'F1' },
    ]);
    const ping = sim.ping('client', 'server');
    expect(drops(ping.events)).toContainEqual({
      reason: 'destination-not-running',
      at: 'server-nic0',
      rule: 'F1',
    });
    expect(drops(ping.events).at(-1)).toEqual({
      reason: 'arp-timeout',
      at: 'client-nic0',
      rule: 'D6',
    });
  });

  it('F1: a nested VM runs only while its hypervisor runs', () => {
    const sim = new Simulation(
      withVm(nestedLab({ promiscuous: true }), 'esxi', { power: 'stopped' }),
    );
    const out = sim.ping('web1', '10.0.0.254');
    expect(drops(out.events)).toEqual([{ reason: 'vm-not-running', at: 'web1-nic0', rule: 'F1' }]);
  });

  it('F1: an adapter attached to nothing drops what it sends (adapter-disconnected)', () => {
    const base = flatLab();
    const sim = new Simulation(withAdapter(base, 'client-nic0', { network: undefined }));
    const out = sim.sendFrame({
      from: 'client-nic0',
      src: MAC.client,
      dst: MAC.bcast,
      type: 'arp',
    });
    expect(out.ok).toBe(false);
    expect(drops(out.events)).toEqual([
      { reason: 'adapter-disconnected', at: 'client-nic0', rule: 'F1' },
    ]);
  });

  it('F2: a forged source from a non-promiscuous adapter is dropped at the network', () => {
    const sim = new Simulation(flatLab());
    const out = sim.sendFrame({
      from: 'client-nic0',
      src: MAC.sniffer,
      dst: MAC.bcast,
      type: 'arp',
    });
    expect(out.ok).toBe(false);
    expect(drops(out.events)).toEqual([{ reason: 'forged-source', at: 'lan', rule: 'F2' }]);
    const drop = ofType(out.events, 'drop')[0];
    expect(drop?.message).toBe(
      "client-nic0 is not promiscuous, so the network drops frames it sends with another VM's source MAC (02:00:00:00:0a:03).",
    );
    expect(sim.macTable('lan').filter((e) => e.kind === 'learned')).toEqual([]);
  });

  it('F2: a promiscuous adapter may send with a source MAC that is not its own', () => {
    const sim = new Simulation(flatLab());
    const out = sim.sendFrame({
      from: 'sniffer-nic0',
      src: '02:00:00:00:99:99',
      dst: MAC.bcast,
      type: 'arp',
    });
    expect(out.ok).toBe(true);
    expect(drops(out.events)).toEqual([]);
    expect(places(out.events, 'deliver')).toEqual(['client-nic0', 'server-nic0', 'lan:gateway']);
  });

  it('F2: a non-promiscuous adapter sending with its own MAC is accepted', () => {
    const sim = new Simulation(flatLab());
    const out = sim.sendFrame({
      from: 'client-nic0',
      src: MAC.client,
      dst: MAC.server,
      type: 'ipv4',
    });
    expect(out.ok).toBe(true);
    expect(places(out.events, 'deliver')).toEqual(['server-nic0']);
  });

  it('F3: a foreign source from a promiscuous adapter is learned on its port', () => {
    const sim = new Simulation(flatLab());
    const foreign = '02:00:00:00:99:99';
    const out = sim.sendFrame({ from: 'sniffer-nic0', src: foreign, dst: MAC.bcast, type: 'arp' });
    const learn = ofType(out.events, 'learn');
    expect(learn).toHaveLength(1);
    expect(learn[0]).toMatchObject({ at: 'lan', src: foreign });
    expect(sim.macTable('lan')).toContainEqual({
      mac: foreign,
      port: 'sniffer-nic0',
      kind: 'learned',
      ageSeconds: expect.any(Number),
    });
    // Traffic to the learned MAC now goes to that port only.
    const back = sim.sendFrame({
      from: 'client-nic0',
      src: MAC.client,
      dst: foreign,
      type: 'ipv4',
    });
    expect(ofType(back.events, 'deliver')).toEqual([]);
    expect(drops(back.events)).toEqual([{ reason: 'nic-filter', at: 'sniffer-nic0', rule: 'D1' }]);
  });

  it('F3: a learned MAC seen on another port moves there (mac-move)', () => {
    const base = withAdapter(flatLab(), 'server-nic0', { promiscuous: true });
    const sim = new Simulation(base);
    const roaming = '02:00:00:00:99:99';
    sim.sendFrame({ from: 'sniffer-nic0', src: roaming, dst: MAC.bcast, type: 'arp' });
    const out = sim.sendFrame({ from: 'server-nic0', src: roaming, dst: MAC.bcast, type: 'arp' });
    const moves = ofType(out.events, 'mac-move');
    expect(moves).toHaveLength(1);
    expect(moves[0]).toMatchObject({ at: 'lan', src: roaming });
    expect(moves[0]?.message).toContain('from sniffer-nic0 to server-nic0');
    const entry = sim.macTable('lan').find((e) => e.mac === roaming);
    expect(entry?.port).toBe('server-nic0');
  });

  it("F3: another port's static MAC is forwarded but not learned, with a mac-conflict warning", () => {
    const sim = new Simulation(flatLab());
    const out = sim.sendFrame({
      from: 'sniffer-nic0',
      src: MAC.client,
      dst: MAC.bcast,
      type: 'arp',
    });
    const warns = ofType(out.events, 'warn');
    expect(warns).toHaveLength(1);
    expect(warns[0]).toMatchObject({
      at: 'lan',
      reason: 'mac-conflict',
      rule: 'F3',
      src: MAC.client,
    });
    expect(places(out.events, 'deliver')).toEqual(['client-nic0', 'server-nic0', 'lan:gateway']);
    expect(sim.macTable('lan').filter((e) => e.kind === 'learned')).toEqual([]);
    expect(sim.macTable('lan').find((e) => e.mac === MAC.client)?.port).toBe('client-nic0');
  });

  it('F3: what an adapter learned is forgotten once it is no longer promiscuous', () => {
    const base = flatLab();
    const sim = new Simulation(base);
    const foreign = '02:00:00:00:99:99';
    sim.sendFrame({ from: 'sniffer-nic0', src: foreign, dst: MAC.bcast, type: 'arp' });
    expect(sim.macTable('lan').some((e) => e.mac === foreign)).toBe(true);
    sim.setLab(withAdapter(base, 'sniffer-nic0', { promiscuous: false }));
    expect(sim.macTable('lan').some((e) => e.mac === foreign)).toBe(false);
  });

  it('F7: a MAC learned on a VM that stops stays until it ages out; frames to it end at its port (F1)', () => {
    const base = withAdapter(flatLab(), 'server-nic0', { promiscuous: true });
    const sim = new Simulation(base);
    const foreign = '02:00:00:00:99:98';
    sim.sendFrame({ from: 'server-nic0', src: foreign, dst: MAC.bcast, type: 'arp' });
    sim.setLab(withVm(base, 'server', { power: 'stopped' }));
    expect(sim.macTable('lan')).toContainEqual(
      expect.objectContaining({ mac: foreign, port: 'server-nic0', kind: 'learned' }),
    );
    const toStopped = sim.sendFrame({
      from: 'client-nic0',
      src: MAC.client,
      dst: foreign,
      type: 'ipv4',
    });
    expect(drops(toStopped.events)).toEqual([
      { reason: 'destination-not-running', at: 'server-nic0', rule: 'F1' },
    ]);
    sim.wait(300);
    const aged = sim.sendFrame({
      from: 'client-nic0',
      src: MAC.client,
      dst: foreign,
      type: 'ipv4',
    });
    expect(drops(aged.events)).toEqual([{ reason: 'no-such-destination', at: 'lan', rule: 'F4' }]);
  });

  it('F4: broadcast and multicast go to every other port of the network', () => {
    const sim = new Simulation(flatLab());
    const bcast = sim.sendFrame({
      from: 'client-nic0',
      src: MAC.client,
      dst: MAC.bcast,
      type: 'arp',
    });
    expect(places(bcast.events, 'deliver')).toEqual(['server-nic0', 'sniffer-nic0', 'lan:gateway']);
    const mcast = sim.sendFrame({
      from: 'client-nic0',
      src: MAC.client,
      dst: '01:00:5e:00:00:01',
      type: 'ipv4',
    });
    expect(places(mcast.events, 'deliver')).toEqual(['server-nic0', 'sniffer-nic0', 'lan:gateway']);
  });

  it('F4: unicast goes only to the one port that owns its destination MAC', () => {
    const sim = new Simulation(flatLab());
    const out = sim.ping('client', 'server');
    expect(out.ok).toBe(true);
    const unicast = ofType(out.events, 'deliver').filter((e) => e.dst !== MAC.bcast);
    expect(unicast.map((e) => `${e.proto}@${e.at}`)).toEqual([
      'arp@client-nic0',
      'icmp@server-nic0',
      'icmp@client-nic0',
    ]);
  });

  it('F4: unknown unicast is never flooded (no-such-destination)', () => {
    const sim = new Simulation(flatLab());
    const out = sim.sendFrame({
      from: 'client-nic0',
      src: MAC.client,
      dst: '02:00:00:00:77:77',
      type: 'ipv4',
    });
    expect(out.ok).toBe(false);
    expect(drops(out.events)).toEqual([{ reason: 'no-such-destination', at: 'lan', rule: 'F4' }]);
    expect(ofType(out.events, 'deliver')).toEqual([]);
    expect(out.summary).toContain('dropped at lan: no-such-destination (F4)');
  });

  it('F5: a promiscuous adapter never receives unicast meant for another VM', () => {
    const sim = new Simulation(flatLab());
    const out = sim.ping('client', 'server', 3);
    expect(out.ok).toBe(true);
    const atSniffer = ofType(out.events, 'deliver').filter((e) => e.at === 'sniffer-nic0');
    expect(atSniffer.map((e) => e.dst)).toEqual([MAC.bcast]);
    expect(sim.captures('sniffer').map((f) => f.proto)).toEqual(['arp']);
  });

  it('F6: there is no mirroring: frames are seen only where they transit or end', () => {
    const sim = new Simulation(flatLab());
    sim.ping('client', 'server');
    expect(sim.captures('far')).toEqual([]);
    expect(sim.captures('client').map((f) => f.proto)).toEqual(['arp', 'icmp']);
    expect(sim.captures('server').map((f) => f.proto)).toEqual(['arp', 'icmp']);
    expect(sim.captures('sniffer').map((f) => f.dst)).toEqual([MAC.bcast]);
    expect(sim.captures('lan')).toEqual([]);
  });

  it('F7: learned entries age out after the ageing time (default 300 s)', () => {
    const sim = new Simulation(flatLab());
    const foreign = '02:00:00:00:99:99';
    sim.sendFrame({ from: 'sniffer-nic0', src: foreign, dst: MAC.bcast, type: 'arp' });
    sim.wait(299);
    const before = sim.sendFrame({
      from: 'client-nic0',
      src: MAC.client,
      dst: foreign,
      type: 'ipv4',
    });
    expect(drops(before.events)).toEqual([
      { reason: 'nic-filter', at: 'sniffer-nic0', rule: 'D1' },
    ]);
    // That frame did not refresh the entry (only frames sent from the MAC do).
    sim.wait(1.5);
    expect(sim.macTable('lan').filter((e) => e.kind === 'learned')).toEqual([]);
    const after = sim.sendFrame({
      from: 'client-nic0',
      src: MAC.client,
      dst: foreign,
      type: 'ipv4',
    });
    expect(drops(after.events)).toEqual([{ reason: 'no-such-destination', at: 'lan', rule: 'F4' }]);
  });

  it('F7: the ageing time is configurable per lab (sim.ageingSeconds)', () => {
    const sim = new Simulation(flatLab({ sim: { ageingSeconds: 10 } }));
    const foreign = '02:00:00:00:99:99';
    sim.sendFrame({ from: 'sniffer-nic0', src: foreign, dst: MAC.bcast, type: 'arp' });
    expect(sim.macTable('lan').find((e) => e.mac === foreign)?.kind).toBe('learned');
    sim.wait(11);
    expect(sim.macTable('lan').find((e) => e.mac === foreign)).toBeUndefined();
  });

  it('F1–F4: the network table holds every adapter and the gateway as static entries', () => {
    const sim = new Simulation(flatLab());
    const table = sim.macTable('lan');
    expect(table.map((e) => [e.port, e.kind])).toEqual([
      ['client-nic0', 'static'],
      ['server-nic0', 'static'],
      ['sniffer-nic0', 'static'],
      ['lan:gateway', 'static'],
    ]);
    const gw = table[3]?.mac ?? '';
    // A deterministic locally administered unicast MAC derived from the network id.
    expect(Number.parseInt(gw.slice(0, 2), 16) & 0b11).toBe(0b10);
    expect(new Simulation(flatLab()).macTable('lan')[3]?.mac).toBe(gw);
  });

  it('F2: frames from a nested VM out of a non-promiscuous uplink are forged at the network', () => {
    const sim = new Simulation(nestedLab());
    const out = sim.sendFrame({ from: 'esxi-nic0', src: MAC.web1, dst: MAC.bcast, type: 'arp' });
    expect(drops(out.events)).toEqual([{ reason: 'forged-source', at: 'lan', rule: 'F2' }]);
    const promiscuous = new Simulation(
      withAdapter(nestedLab(), 'esxi-nic0', { promiscuous: true }),
    );
    const ok = promiscuous.sendFrame({
      from: 'esxi-nic0',
      src: MAC.web1,
      dst: MAC.bcast,
      type: 'arp',
    });
    expect(drops(ok.events)).toEqual([]);
    expect(places(ok.events, 'learn')).toEqual(['lan']);
  });
});
