import { describe, expect, it } from 'vitest';
import { Simulation } from '../../../../core/sim';
import {
  bridgeLab,
  drops,
  flatLab,
  loopLab,
  MAC,
  nestedLab,
  ofType,
  places,
  vrrpLab,
} from './fixtures';
import { withAdapter, withVm } from './lab-builder';

describe('worked examples (semantics.md §5)', () => {
  it('E1: a nested VM reaches the gateway only once the uplink is promiscuous', () => {
    let lab = nestedLab();
    const sim = new Simulation(lab);
    const broken = sim.ping('web1', '10.0.0.254');
    expect(broken.ok).toBe(false);
    expect(broken.summary).toBe('web1 → 10.0.0.254: no reply, dropped at lan: forged-source (F2)');
    // The ARP request leaves the uplink with web1's MAC and is dropped at the network (F2).
    expect(broken.events.slice(0, 3).map((e) => [e.t, e.type, e.frame, e.origin, e.at])).toEqual([
      [0, 'transmit', 1, 1, 'web1-nic0'],
      [5, 'forward', 1, 1, 'esxi-vsw0'],
      [8, 'transmit', 2, 1, 'esxi-nic0'],
    ]);
    expect(broken.events[2]).toMatchObject({ proto: 'arp', src: MAC.web1, dst: MAC.bcast });
    const firstDrop = ofType(broken.events, 'drop')[0];
    expect(firstDrop).toMatchObject({
      t: 10,
      frame: 2,
      origin: 1,
      at: 'lan',
      reason: 'forged-source',
      rule: 'F2',
    });
    expect(drops(broken.events).at(-1)).toEqual({
      reason: 'arp-timeout',
      at: 'web1-nic0',
      rule: 'D6',
    });

    // Stop esxi, enable promiscuous mode on its uplink, start it.
    lab = withVm(lab, 'esxi', { power: 'stopped' });
    sim.setLab(lab);
    lab = withAdapter(lab, 'esxi-nic0', { promiscuous: true });
    sim.setLab(lab);
    lab = withVm(lab, 'esxi', { power: 'running' });
    sim.setLab(lab);

    const fixed = sim.ping('web1', '10.0.0.254');
    expect(fixed).toMatchObject({ ok: true, summary: 'web1 → 10.0.0.254: 1/1 replies' });
    expect(drops(fixed.events)).toEqual([]);
    // The ARP reaches the gateway; web1's MAC is learned on esxi-nic0 (F3)…
    expect(ofType(fixed.events, 'learn')[0]).toMatchObject({ at: 'lan', src: MAC.web1 });
    expect(places(fixed.events, 'deliver')).toContain('lan:gateway');
    // …the reply to web1's MAC is delivered to esxi-nic0, and esxi-vsw0 hands it to web1 (D2).
    const arpReply = ofType(fixed.events, 'deliver').filter(
      (e) => e.proto === 'arp' && e.dst === MAC.web1,
    );
    expect(arpReply.map((e) => e.at)).toEqual(['esxi-nic0', 'web1-nic0']);
    const atUplink = fixed.events.findIndex((e) => e === arpReply[0]);
    expect(fixed.events[atUplink + 1]).toMatchObject({ type: 'forward', at: 'esxi-vsw0' });
    expect(sim.macTable('lan')).toContainEqual(
      expect.objectContaining({ mac: MAC.web1, port: 'esxi-nic0', kind: 'learned' }),
    );
  });

  it('E2: nested neighbours ping each other without promiscuous mode; only broadcasts reach the network', () => {
    const sim = new Simulation(nestedLab({ web2: true }));
    const out = sim.ping('web1', 'web2');
    expect(out.ok).toBe(true);
    const viaUplink = ofType(out.events, 'transmit').filter((e) => e.at === 'esxi-nic0');
    expect(viaUplink.map((e) => e.dst)).toEqual([MAC.bcast]);
    expect(drops(out.events)).toEqual([{ reason: 'forged-source', at: 'lan', rule: 'F2' }]);
  });

  it('E3: a promiscuous sniffer sees the ARP broadcast of a client→server ping and none of the unicast', () => {
    const sim = new Simulation(flatLab());
    const out = sim.ping('client', 'server');
    expect(out.ok).toBe(true);
    const seen = sim.captures('sniffer');
    expect(seen.map((f) => [f.proto, f.src, f.dst])).toEqual([['arp', MAC.client, MAC.bcast]]);
    expect(drops(out.events)).toEqual([]);
  });

  it('E4: an inline bridge with promiscuous adapters passes the ping and captures both ways', () => {
    const sim = new Simulation(bridgeLab({ promiscuous: true }));
    const out = sim.ping('client', 'server');
    expect(out).toMatchObject({ ok: true, summary: 'client → server: 1/1 replies' });
    const icmp = sim.captures('br').filter((f) => f.proto === 'icmp');
    expect(icmp.map((f) => [f.src, f.dst, f.port])).toEqual([
      [MAC.client, MAC.server, 'br-a'],
      [MAC.server, MAC.client, 'br-b'],
    ]);
  });

  it('E4: without promiscuous bridge adapters the first forwarded frame is dropped, forged-source', () => {
    const sim = new Simulation(bridgeLab({ promiscuous: false }));
    const out = sim.ping('client', 'server');
    expect(out.ok).toBe(false);
    const first = ofType(out.events, 'drop')[0];
    expect(first).toMatchObject({ at: 'back', reason: 'forged-source', rule: 'F2', origin: 1 });
    // It was the first frame the bridge forwarded.
    const forwardedBy = ofType(out.events, 'transmit').filter((e) => e.at === 'br-b');
    expect(forwardedBy[0]?.frame).toBe(first?.frame);
    expect(out.summary).toBe('client → server: no reply, dropped at back: forged-source (F2)');
  });

  it('E5: two bridges between front and back make a loop: loop-detected, cycle named, MACs flapping', () => {
    const sim = new Simulation(loopLab({ stp: false }));
    const out = sim.ping('web1', 'server');
    expect(out.ok).toBe(false);
    expect(out.summary).toMatch(
      /^web1 → server: no reply, dropped at (front|back|br1|br2): loop-detected \(D4\)$/,
    );
    const loops = sim.loops();
    expect(loops).toHaveLength(1);
    expect(loops[0]?.cycle[0]).toBe('front');
    expect([...(loops[0]?.cycle ?? [])].sort()).toEqual(['back', 'br1', 'br2', 'front']);
    expect(loops[0]?.flappedMacs).toContain(MAC.web1);
    expect(
      ofType(out.events, 'warn').some((w) => w.reason === 'mac-flap' && w.src === MAC.web1),
    ).toBe(true);
    expect(drops(out.events).some((d) => d.reason === 'loop-detected' && d.rule === 'D4')).toBe(
      true,
    );
  });

  it('E5: with stp on both bridges one port is stp-blocked, no loop, and the ping succeeds', () => {
    const sim = new Simulation(loopLab({ stp: true }));
    const out = sim.ping('web1', 'server');
    expect(out).toMatchObject({ ok: true, summary: 'web1 → server: 1/1 replies' });
    expect(drops(out.events)).toEqual([{ reason: 'stp-blocked', at: 'br2', rule: 'D3' }]);
    expect(sim.loops()).toEqual([]);
  });

  it('E6: the virtual MAC moves from lb1 to lb2 by gratuitous ARP, and traffic follows (promiscuous)', () => {
    const sim = new Simulation(vrrpLab({ promiscuous: true }));
    const announce1 = sim.garp({ from: 'lb1-nic0', mac: MAC.vmac, ip: '10.0.0.100' });
    expect(announce1.ok).toBe(true);
    expect(sim.macTable('lan')).toContainEqual(
      expect.objectContaining({ mac: MAC.vmac, port: 'lb1-nic0', kind: 'learned' }),
    );
    const toLb1 = sim.ping('client', '10.0.0.100');
    expect(toLb1.ok).toBe(true);
    expect(ofType(toLb1.events, 'deliver').find((e) => e.proto === 'icmp')?.at).toBe('lb1-nic0');
    // lb1 answered ARP with the virtual MAC as Ethernet and ARP source.
    expect(sim.arpCache('client')).toEqual([
      { ip: '10.0.0.100', mac: MAC.vmac, adapter: 'client-nic0' },
    ]);

    const announce2 = sim.garp({ from: 'lb2-nic0', mac: MAC.vmac, ip: '10.0.0.100' });
    const move = ofType(announce2.events, 'mac-move');
    expect(move).toHaveLength(1);
    expect(move[0]).toMatchObject({ at: 'lan', src: MAC.vmac });
    const toLb2 = sim.ping('client', '10.0.0.100');
    expect(toLb2.ok).toBe(true);
    expect(ofType(toLb2.events, 'deliver').find((e) => e.proto === 'icmp')?.at).toBe('lb2-nic0');
  });

  it('E6: lb1 stops; lb2 takes over with its gratuitous ARP, the MAC moves (F3) and the VIP answers again', () => {
    const base = vrrpLab({ promiscuous: true });
    const sim = new Simulation(base);
    sim.garp({ from: 'lb1-nic0', mac: MAC.vmac, ip: '10.0.0.100' });
    expect(sim.ping('client', '10.0.0.100').ok).toBe(true);
    sim.setLab(withVm(base, 'lb1', { power: 'stopped' }));
    // The virtual MAC is still learned on lb1's port: the echo ends there (F1).
    const down = sim.ping('client', '10.0.0.100');
    expect(down.ok).toBe(false);
    expect(drops(down.events)[0]).toEqual({
      reason: 'destination-not-running',
      at: 'lb1-nic0',
      rule: 'F1',
    });
    const takeover = sim.garp({ from: 'lb2-nic0', mac: MAC.vmac, ip: '10.0.0.100' });
    expect(ofType(takeover.events, 'mac-move')).toEqual([
      expect.objectContaining({ at: 'lan', src: MAC.vmac }),
    ]);
    const up = sim.ping('client', '10.0.0.100');
    expect(up.ok).toBe(true);
    expect(ofType(up.events, 'deliver').find((e) => e.proto === 'icmp')?.at).toBe('lb2-nic0');
  });

  it('D6: a host keeps the virtual IP it holds across a restart, until another host announces it', () => {
    const base = vrrpLab({ promiscuous: true });
    const sim = new Simulation(base);
    sim.garp({ from: 'lb1-nic0', mac: MAC.vmac, ip: '10.0.0.100' });
    sim.setLab(withVm(base, 'lb1', { power: 'stopped' }));
    sim.setLab(base);
    const again = sim.ping('client', '10.0.0.100');
    expect(again.ok).toBe(true);
    expect(ofType(again.events, 'deliver').find((e) => e.proto === 'icmp')?.at).toBe('lb1-nic0');
  });

  it('E6: without promiscuous mode the gratuitous ARP is dropped, forged-source, and the VIP is unreachable', () => {
    const sim = new Simulation(vrrpLab({ promiscuous: false }));
    const announce = sim.garp({ from: 'lb1-nic0', mac: MAC.vmac, ip: '10.0.0.100' });
    expect(announce.ok).toBe(false);
    expect(drops(announce.events)).toEqual([{ reason: 'forged-source', at: 'lan', rule: 'F2' }]);
    const ping = sim.ping('client', '10.0.0.100');
    expect(ping.ok).toBe(false);
    // lb1 holds the VIP and answers ARP from the virtual MAC, which the network drops too.
    expect(drops(ping.events)[0]).toEqual({ reason: 'forged-source', at: 'lan', rule: 'F2' });
    expect(drops(ping.events).at(-1)).toEqual({
      reason: 'arp-timeout',
      at: 'client-nic0',
      rule: 'D6',
    });
  });
});
