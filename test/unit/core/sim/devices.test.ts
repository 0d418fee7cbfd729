import { describe, expect, it } from 'vitest';
import { Simulation } from '../../../../core/sim';
import { buildIcmpEcho, parseFrame } from '../../../../core/wire/frame';
import { Ipv4Address } from '../../../../core/wire/ipv4-address';
import { Mac } from '../../../../core/wire/mac';
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
import { lab, withAdapter } from './lab-builder';

function gatewayMac(sim: Simulation, network: string): string {
  return sim.macTable(network).find((e) => e.port === `${network}:gateway`)?.mac ?? '';
}

function hex(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

describe('D1 host NIC filter', () => {
  it('D1: a frame for a MAC that is not the host’s is dropped (nic-filter)', () => {
    const sim = new Simulation(nestedLab({ web2: true }));
    const out = sim.sendFrame({
      from: 'web1-nic0',
      src: MAC.web1,
      dst: '02:00:00:00:77:77',
      type: 'ipv4',
    });
    // The nested switch floods unknown unicast: the hypervisor's host port and web2 filter it out.
    expect(drops(out.events)).toEqual([
      { reason: 'nic-filter', at: 'esxi-nic0', rule: 'D1' },
      { reason: 'nic-filter', at: 'web2-nic0', rule: 'D1' },
      { reason: 'forged-source', at: 'lan', rule: 'F2' },
    ]);
    expect(ofType(out.events, 'drop')[0]?.message).toContain('neither esxi-nic0');
  });

  it('D1: a host accepts frames to one of its configured virtual MACs', () => {
    const base = flatLab();
    const withVirtual = {
      ...base,
      vms: base.vms.map((v) => (v.id === 'server' ? { ...v, virtualMacs: [MAC.vmac] } : v)),
    };
    const sim = new Simulation(withAdapter(withVirtual, 'server-nic0', { promiscuous: true }));
    // The server announces its virtual MAC so the network learns it (F3), then gets frames to it.
    sim.sendFrame({ from: 'server-nic0', src: MAC.vmac, dst: MAC.bcast, type: 'arp' });
    const out = sim.sendFrame({
      from: 'client-nic0',
      src: MAC.client,
      dst: MAC.vmac,
      type: 'ipv4',
    });
    expect(out.ok).toBe(true);
    expect(places(out.events, 'deliver')).toEqual(['server-nic0']);
  });

  it('D1: a host accepts broadcast and multicast', () => {
    const sim = new Simulation(nestedLab({ web2: true }));
    const out = sim.sendFrame({
      from: 'web1-nic0',
      src: MAC.web1,
      dst: '01:00:5e:00:00:fb',
      type: 'ipv4',
    });
    expect(places(out.events, 'deliver')).toEqual(['esxi-nic0', 'web2-nic0']);
  });
});

describe('D2 nested switch', () => {
  it('D2: nested neighbours reach each other without a promiscuous uplink; known unicast goes to one port', () => {
    const sim = new Simulation(nestedLab({ web2: true }));
    const out = sim.ping('web1', 'web2', 2);
    expect(out.ok).toBe(true);
    expect(out.summary).toBe('web1 → web2: 2/2 replies');
    const icmp = ofType(out.events, 'deliver').filter((e) => e.proto === 'icmp');
    expect(icmp.map((e) => e.at)).toEqual(['web2-nic0', 'web1-nic0', 'web2-nic0', 'web1-nic0']);
    expect(sim.learnedTable('esxi-vsw0').map((e) => [e.mac, e.port])).toEqual([
      [MAC.web1, 'web1-nic0'],
      [MAC.web2, 'web2-nic0'],
    ]);
  });

  it('D2: unknown unicast and broadcast flood to every port but the ingress', () => {
    const sim = new Simulation(nestedLab({ web2: true, promiscuous: true }));
    const out = sim.sendFrame({
      from: 'web1-nic0',
      src: MAC.web1,
      dst: '02:00:00:00:77:77',
      type: 'ipv4',
    });
    // Uplink (then F4 at lan), the hypervisor's host port, web2.
    expect(places(out.events, 'transmit')).toEqual(['web1-nic0', 'esxi-nic0']);
    expect(drops(out.events)).toEqual([
      { reason: 'nic-filter', at: 'esxi-nic0', rule: 'D1' },
      { reason: 'nic-filter', at: 'web2-nic0', rule: 'D1' },
      { reason: 'no-such-destination', at: 'lan', rule: 'F4' },
    ]);
  });

  it('D2: a frame whose destination was learned on its ingress port is dropped (same-port-filter)', () => {
    const sim = new Simulation(nestedLab({ web2: true }));
    // web1 sends with web2's MAC: the nested switch (not a Skytap network) learns it on web1's port.
    sim.sendFrame({ from: 'web1-nic0', src: MAC.web2, dst: MAC.bcast, type: 'arp' });
    const out = sim.sendFrame({ from: 'web1-nic0', src: MAC.web1, dst: MAC.web2, type: 'ipv4' });
    expect(drops(out.events)).toEqual([
      { reason: 'same-port-filter', at: 'esxi-vsw0', rule: 'D2' },
    ]);
  });

  it("D2: the hypervisor's own host stack is a port of its switch", () => {
    const sim = new Simulation(nestedLab());
    const out = sim.ping('esxi', 'web1');
    expect(out.ok).toBe(true);
    expect(places(out.events, 'deliver').filter((at) => at === 'web1-nic0')).toHaveLength(2);
    // The hypervisor's frames leave the uplink with its own MAC: F2 lets them through.
    const gw = sim.ping('esxi', '10.0.0.254');
    expect(gw.ok).toBe(true);
  });

  it('D2: frames leaving by the uplink are sent by the hypervisor’s adapter, so F2 applies', () => {
    const sim = new Simulation(nestedLab());
    const out = sim.ping('web1', '10.0.0.254');
    expect(places(out.events, 'transmit').slice(0, 2)).toEqual(['web1-nic0', 'esxi-nic0']);
    expect(drops(out.events)[0]).toEqual({ reason: 'forged-source', at: 'lan', rule: 'F2' });
  });
});

describe('D3 inline bridge', () => {
  it('D3: a bridge forwards between its networks and records every frame that crosses it', () => {
    const sim = new Simulation(bridgeLab({ promiscuous: true }));
    const out = sim.ping('client', 'server');
    expect(out.ok).toBe(true);
    const captured = sim.captures('br');
    expect(captured.map((f) => `${f.proto}:${f.port}`)).toEqual([
      'arp:br-a',
      'arp:br-b',
      'icmp:br-a',
      'icmp:br-b',
    ]);
    expect(places(out.events, 'capture')).toEqual(['br', 'br', 'br', 'br']);
  });

  it('D3: bridge adapters carry foreign source MACs, so without promiscuous mode F2 drops them', () => {
    const sim = new Simulation(bridgeLab({ promiscuous: false }));
    const out = sim.ping('client', 'server');
    expect(out.ok).toBe(false);
    expect(drops(out.events)[0]).toEqual({ reason: 'forged-source', at: 'back', rule: 'F2' });
  });

  it('D3: a bridge VM is not a host stack on its bridged adapters', () => {
    const base = bridgeLab({ promiscuous: true });
    const withIp = withAdapter(base, 'br-a', { ip: '10.0.0.50/24' });
    const sim = new Simulation(withIp);
    const out = sim.ping('client', '10.0.0.50');
    expect(out.ok).toBe(false);
    expect(drops(out.events).at(-1)).toEqual({
      reason: 'arp-timeout',
      at: 'client-nic0',
      rule: 'D6',
    });
    expect(sim.ping('br', 'client')).toMatchObject({
      ok: false,
      summary: 'br → client: br is a bridge, with no host stack',
    });
  });

  it('D3: with stp, the lowest bridge id is root and a redundant port drops with stp-blocked', () => {
    const sim = new Simulation(loopLab({ stp: true }));
    const out = sim.sendFrame({
      from: 'server-nic0',
      src: MAC.server,
      dst: MAC.bcast,
      type: 'arp',
    });
    // br1 (root) forwards on both ports; br2's port on back is blocked, its port on front forwards.
    expect(drops(out.events)).toEqual([{ reason: 'stp-blocked', at: 'br2', rule: 'D3' }]);
    expect(ofType(out.events, 'drop')[0]?.message).toContain('br2-b');
    expect(sim.loops()).toEqual([]);
  });

  it('D3: the spanning tree follows the bridge ids, not the lab order', () => {
    const base = loopLab({ stp: true });
    const swapped = { ...base, vms: [...base.vms].reverse() };
    const sim = new Simulation(swapped);
    const out = sim.sendFrame({
      from: 'server-nic0',
      src: MAC.server,
      dst: MAC.bcast,
      type: 'arp',
    });
    expect(drops(out.events)).toEqual([{ reason: 'stp-blocked', at: 'br2', rule: 'D3' }]);
  });
});

describe('D4 loops', () => {
  it('D4: copies of one origin stop after the hop limit, with the cycle and flapping MACs reported', () => {
    const sim = new Simulation(loopLab({ stp: false }));
    const out = sim.sendFrame({ from: 'web1-nic0', src: MAC.web1, dst: MAC.bcast, type: 'arp' });
    const loopDrops = drops(out.events).filter((d) => d.reason === 'loop-detected');
    expect(loopDrops.length).toBeGreaterThan(0);
    expect(loopDrops.every((d) => d.rule === 'D4')).toBe(true);
    const [report] = sim.loops();
    expect(report?.limit).toBe('hops');
    expect(report?.cycle[0]).toBe('front');
    expect([...(report?.cycle ?? [])].sort()).toEqual(['back', 'br1', 'br2', 'front']);
    expect(report?.cycle[2]).toBe('back');
    expect(report?.flappedMacs).toContain(MAC.web1);
    const flaps = ofType(out.events, 'warn').filter((w) => w.reason === 'mac-flap');
    expect(flaps.map((w) => w.src)).toContain(MAC.web1);
    expect(flaps.every((w) => w.rule === 'D4')).toBe(true);
    expect(ofType(out.events, 'drop').find((e) => e.reason === 'loop-detected')?.message).toMatch(
      /passed 32 hops going round front → br\d → back → br\d → front/,
    );
  });

  it('D4: the hop limit is configurable', () => {
    const short = new Simulation(loopLab({ stp: false, sim: { hopLimit: 4 } }));
    const long = new Simulation(loopLab({ stp: false, sim: { hopLimit: 40 } }));
    const send = (sim: Simulation) =>
      sim.sendFrame({ from: 'web1-nic0', src: MAC.web1, dst: MAC.bcast, type: 'arp' });
    expect(send(short).events.length).toBeLessThan(send(long).events.length);
    expect(short.loops()[0]?.limit).toBe('hops');
  });

  it('D4: a storm that multiplies copies stops at the copy limit and never hangs', () => {
    // Three bridges between two networks: every round multiplies the copies.
    const bridge = (i: number) => ({
      id: `br${i}`,
      role: 'bridge' as const,
      adapters: [
        { id: `br${i}-a`, network: 'a', mac: `02:00:00:00:b${i}:01`, promiscuous: true },
        { id: `br${i}-b`, network: 'b', mac: `02:00:00:00:b${i}:02`, promiscuous: true },
      ],
    });
    const storm = lab({
      networks: [{ id: 'a' }, { id: 'b' }],
      sim: { hopLimit: 1000, copyLimit: 200 },
      vms: [
        { id: 'h', adapters: [{ id: 'h-nic0', network: 'a', mac: '02:00:00:00:00:aa' }] },
        bridge(1),
        bridge(2),
        bridge(3),
      ],
    });
    const sim = new Simulation(storm);
    const out = sim.sendFrame({
      from: 'h-nic0',
      src: '02:00:00:00:00:aa',
      dst: MAC.bcast,
      type: 'arp',
    });
    expect(sim.loops()[0]?.limit).toBe('copies');
    expect(sim.loops()[0]?.cycle.length).toBeGreaterThanOrEqual(2);
    expect(drops(out.events).some((d) => d.reason === 'loop-detected')).toBe(true);
    expect(sim.stats().events).toBeLessThan(10_000);
  });
});

describe('D5 gateway', () => {
  it('D5: the gateway answers ARP for its IP and ICMP echo', () => {
    const sim = new Simulation(flatLab());
    const out = sim.ping('client', '10.0.0.254');
    expect(out).toMatchObject({ ok: true, summary: 'client → 10.0.0.254: 1/1 replies' });
    expect(places(out.events, 'transmit')).toEqual([
      'client-nic0',
      'lan:gateway',
      'client-nic0',
      'lan:gateway',
    ]);
    expect(sim.arpCache('client')).toEqual([
      { ip: '10.0.0.254', mac: gatewayMac(sim, 'lan'), adapter: 'client-nic0' },
    ]);
  });

  it('D5: the gateway routes to external hosts and back, one TTL lower each way', () => {
    const sim = new Simulation(flatLab());
    const out = sim.ping('client', 'web');
    expect(out).toMatchObject({ ok: true, summary: 'client → web: 1/1 replies' });
    expect(places(out.events, 'forward').filter((at) => at === 'lan:gateway')).toHaveLength(2);
    expect(places(out.events, 'deliver')).toContain('web');
    const reply = sim.captures('client').find((f) => f.proto === 'icmp');
    const parsed = parseFrame(reply?.bytes ?? new Uint8Array(0));
    expect(parsed.ipv4?.ttl).toBe(63);
    expect(parsed.ipv4?.src.toString()).toBe('203.0.113.10');
    expect(parsed.ipv4?.checksumOk).toBe(true);
    expect(parsed.eth?.src.toString()).toBe(gatewayMac(sim, 'lan'));
  });

  it('D5: an address that is no external host gets no-route at the gateway', () => {
    const sim = new Simulation(flatLab());
    const out = sim.ping('client', '198.51.100.7');
    expect(out.ok).toBe(false);
    expect(drops(out.events)).toEqual([{ reason: 'no-route', at: 'lan:gateway', rule: 'D5' }]);
    expect(out.summary).toBe(
      'client → 198.51.100.7: no reply, dropped at lan:gateway: no-route (D5)',
    );
  });

  it('D5: a packet whose TTL runs out at the gateway is dropped (ttl-exceeded)', () => {
    const sim = new Simulation(flatLab());
    const gw = gatewayMac(sim, 'lan');
    const frame = buildIcmpEcho({
      srcMac: Mac.parse(MAC.client) ?? Mac.BROADCAST,
      dstMac: Mac.parse(gw) ?? Mac.BROADCAST,
      srcIp: Ipv4Address.parse('10.0.0.1') ?? Ipv4Address.UNSPECIFIED,
      dstIp: Ipv4Address.parse('203.0.113.10') ?? Ipv4Address.UNSPECIFIED,
      ttl: 1,
      identification: 7,
      echo: { type: 8, code: 0, identifier: 1, sequence: 1, data: new Uint8Array(8) },
    });
    const out = sim.sendFrame({
      from: 'client-nic0',
      src: MAC.client,
      dst: gw,
      type: 0x0800,
      payload: hex(frame.subarray(14)),
    });
    expect(drops(out.events)).toEqual([{ reason: 'ttl-exceeded', at: 'lan:gateway', rule: 'D5' }]);
  });

  it('D5: a host with no gateway for an off-link address drops with no-route', () => {
    const sim = new Simulation(flatLab({ gateway: false }));
    const out = sim.ping('client', '203.0.113.10');
    expect(drops(out.events)).toEqual([{ reason: 'no-route', at: 'client-nic0', rule: 'D5' }]);
    expect(ofType(out.events, 'transmit')).toEqual([]);
  });

  it("D5: a nested VM's default gateway is the gateway of its uplink's network", () => {
    const sim = new Simulation(nestedLab({ promiscuous: true }));
    const out = sim.ping('web1', 'web');
    expect(out.ok).toBe(true);
    expect(sim.arpCache('web1').map((e) => e.ip)).toEqual(['10.0.0.254']);
  });

  it('D5: an adapter may name its own gateway', () => {
    const sim = new Simulation(withAdapter(flatLab(), 'client-nic0', { gateway: '10.0.0.2' }));
    const out = sim.ping('client', 'web');
    // The server answers ARP for 10.0.0.2 but does not route: no reply.
    expect(out.ok).toBe(false);
    expect(sim.arpCache('client').map((e) => [e.ip, e.mac])).toEqual([['10.0.0.2', MAC.server]]);
    expect(places(out.events, 'deliver')).toContain('server-nic0');
  });
});

describe('D6 ARP and ICMP', () => {
  it('D6: hosts resolve by ARP broadcast, replies are unicast, and the answer is cached', () => {
    const sim = new Simulation(flatLab());
    const first = sim.ping('client', 'server');
    const arp = ofType(first.events, 'transmit').filter((e) => e.proto === 'arp');
    expect(arp.map((e) => [e.at, e.dst])).toEqual([
      ['client-nic0', MAC.bcast],
      ['server-nic0', MAC.client],
    ]);
    expect(sim.arpCache('client')).toEqual([
      { ip: '10.0.0.2', mac: MAC.server, adapter: 'client-nic0' },
    ]);
    const second = sim.ping('client', 'server');
    expect(ofType(second.events, 'transmit').filter((e) => e.proto === 'arp')).toEqual([]);
    expect(second.ok).toBe(true);
  });

  it('D6: an unanswered resolution ends with arp-timeout', () => {
    const sim = new Simulation(flatLab());
    const out = sim.ping('client', '10.0.0.77');
    expect(out.ok).toBe(false);
    expect(drops(out.events)).toEqual([{ reason: 'arp-timeout', at: 'client-nic0', rule: 'D6' }]);
    expect(ofType(out.events, 'transmit').filter((e) => e.proto === 'arp')).toHaveLength(3);
    expect(out.summary).toBe(
      'client → 10.0.0.77: no reply, dropped at client-nic0: arp-timeout (D6)',
    );
  });

  it('D6: a gratuitous ARP updates existing cache entries only', () => {
    const base = withAdapter(flatLab(), 'server-nic0', { promiscuous: true });
    const sim = new Simulation(base);
    sim.ping('client', 'server');
    const moved = '02:00:00:00:0a:22';
    sim.garp({ from: 'server-nic0', mac: moved, ip: '10.0.0.2' });
    expect(sim.arpCache('client')).toEqual([
      { ip: '10.0.0.2', mac: moved, adapter: 'client-nic0' },
    ]);
    // The sniffer never talked to the server: no entry is created.
    expect(sim.arpCache('sniffer')).toEqual([]);
    // Through F3 the network learned the new MAC on the server's port.
    expect(sim.macTable('lan').find((e) => e.mac === moved)?.port).toBe('server-nic0');
  });

  it('D6: ping is ICMP echo request and reply with correct checksums', () => {
    const sim = new Simulation(flatLab());
    sim.ping('client', 'server');
    const [request] = sim.captures('server').filter((f) => f.proto === 'icmp');
    const [reply] = sim.captures('client').filter((f) => f.proto === 'icmp');
    const req = parseFrame(request?.bytes ?? new Uint8Array(0));
    const rep = parseFrame(reply?.bytes ?? new Uint8Array(0));
    expect(req.icmp).toMatchObject({ kind: 'echo', type: 8, checksumOk: true });
    expect(rep.icmp).toMatchObject({ kind: 'echo', type: 0, checksumOk: true });
    expect(req.errors).toEqual([]);
    expect(rep.errors).toEqual([]);
  });

  it('D6: a host holds a virtual IP from its own gratuitous ARP until another host’s for it', () => {
    const sim = new Simulation(vrrpLab({ promiscuous: true, client2: true }));
    // Nobody holds the VIP before announcing it.
    expect(sim.ping('client', '10.0.0.100').ok).toBe(false);
    sim.garp({ from: 'lb1-nic0', mac: MAC.vmac, ip: '10.0.0.100' });
    const held = sim.ping('client', '10.0.0.100');
    const reply = ofType(held.events, 'transmit').find(
      (e) => e.proto === 'arp' && e.at.startsWith('lb'),
    );
    expect(reply).toMatchObject({ at: 'lb1-nic0', src: MAC.vmac, dst: MAC.client });
    const arp = parseFrame(
      sim.captures('client').find((f) => f.proto === 'arp')?.bytes ?? new Uint8Array(0),
    );
    expect(arp.arp?.senderMac.toString()).toBe(MAC.vmac);
    expect(arp.arp?.senderIp.toString()).toBe('10.0.0.100');
    // lb2's gratuitous ARP takes the VIP over: only lb2 answers a new resolution.
    sim.garp({ from: 'lb2-nic0', mac: MAC.vmac, ip: '10.0.0.100' });
    const after = sim.ping('client2', '10.0.0.100');
    expect(after.ok).toBe(true);
    const answers = ofType(after.events, 'transmit').filter(
      (e) => e.proto === 'arp' && e.at.startsWith('lb'),
    );
    expect(answers.map((e) => e.at)).toEqual(['lb2-nic0']);
  });
});
