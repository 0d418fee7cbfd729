import { describe, expect, it } from 'vitest';
import { exportPcapng, Simulation } from '../../../../core/sim';
import type { TraceEvent } from '../../../../core/sim';
import { bridgeLab, flatLab, loopLab, MAC, nestedLab } from './fixtures';
import { withAdapter, withVm } from './lab-builder';

const KEY_ORDER = [
  't',
  'type',
  'frame',
  'origin',
  'at',
  'proto',
  'src',
  'dst',
  'reason',
  'rule',
  'message',
];

function script(sim: Simulation): void {
  sim.ping('web1', '10.0.0.254');
  sim.sendFrame({ from: 'esxi-nic0', src: MAC.web1, dst: MAC.bcast, type: 'arp' });
  sim.ping('esxi', 'web1', 2);
  sim.wait(400);
  sim.ping('web1', 'web', 1);
}

describe('Simulation facade', () => {
  it('trace events have the --json shape: keys in order, optional keys absent, never undefined', () => {
    const sim = new Simulation(nestedLab({ web2: true }));
    script(sim);
    expect(sim.trace.length).toBeGreaterThan(10);
    for (const event of sim.trace) {
      const keys = Object.keys(event);
      expect(keys).toEqual(KEY_ORDER.filter((k) => keys.includes(k)));
      expect(Object.values(event).every((v) => v !== undefined)).toBe(true);
      expect(Number.isInteger(event.t)).toBe(true);
      if (event.type === 'drop' || event.type === 'warn') {
        expect(event.reason && event.rule && event.message).toBeTruthy();
        // One sentence a student reads.
        expect(event.message).toMatch(/^[^\n]+[.]$/);
      }
    }
    expect(JSON.parse(JSON.stringify(sim.trace)) as TraceEvent[]).toEqual(sim.trace);
  });

  it('the same lab and steps give the same trace, byte for byte', () => {
    const a = new Simulation(nestedLab({ web2: true }));
    const b = new Simulation(nestedLab({ web2: true }));
    script(a);
    script(b);
    expect(JSON.stringify(b.trace)).toBe(JSON.stringify(a.trace));
    expect(Array.from(exportPcapng(b))).toEqual(Array.from(exportPcapng(a)));
  });

  it('with the trace off, drops are still counted and outcomes are the same', () => {
    const on = new Simulation(loopLab({ stp: false }));
    const off = new Simulation(loopLab({ stp: false }), { recordTrace: false });
    const a = on.ping('web1', 'server');
    const b = off.ping('web1', 'server');
    expect(b).toEqual({ ok: a.ok, summary: a.summary, events: [] });
    expect(off.trace).toEqual([]);
    expect(off.stats()).toEqual(on.stats());
    expect(off.stats().drops).toBe(a.events.filter((e) => e.type === 'drop').length);
    expect(off.captures('br1')).toEqual([]);
    expect(off.loops()).toEqual(on.loops());
  });

  it('stats count events, hops, drops and frames', () => {
    const sim = new Simulation(flatLab());
    sim.ping('client', 'server');
    const stats = sim.stats();
    // The ARP request enters lan and leaves by 3 ports (4 hops, 4 copies); the ARP reply, echo
    // request and echo reply take 2 hops each; plus the ping's one timer event.
    expect(stats).toEqual({ events: 11, hops: 10, drops: 0, frames: 10 });
  });

  it('reset clears tables, caches, captures, trace, loops and the clock, and keeps the topology', () => {
    const sim = new Simulation(loopLab({ stp: false }));
    const first = sim.ping('web1', 'server');
    sim.reset();
    expect(sim.trace).toEqual([]);
    expect(sim.now).toBe(0);
    expect(sim.loops()).toEqual([]);
    expect(sim.captures('br1')).toEqual([]);
    expect(sim.arpCache('web1')).toEqual([]);
    expect(sim.macTable('front').filter((e) => e.kind === 'learned')).toEqual([]);
    expect(sim.stats()).toEqual({ events: 0, hops: 0, drops: 0, frames: 0 });
    expect(sim.ping('web1', 'server')).toEqual(first);
  });

  it('after reset the same steps give the trace a fresh simulator gives', () => {
    const used = new Simulation(nestedLab({ web2: true, promiscuous: true }));
    script(used);
    used.garp({ from: 'web2-nic0', mac: MAC.web2, ip: '10.0.0.22' });
    used.reset();
    script(used);
    const fresh = new Simulation(nestedLab({ web2: true, promiscuous: true }));
    script(fresh);
    expect(JSON.stringify(used.trace)).toBe(JSON.stringify(fresh.trace));
    expect(used.stats()).toEqual(fresh.stats());
  });

  it('setLab keeps learned MACs and ARP caches that still make sense, and forgets the rest', () => {
    let lab = withAdapter(flatLab(), 'server-nic0', { promiscuous: true });
    const sim = new Simulation(lab);
    sim.ping('client', 'server');
    sim.sendFrame({ from: 'sniffer-nic0', src: '02:00:00:00:99:01', dst: MAC.bcast, type: 'arp' });
    sim.sendFrame({ from: 'server-nic0', src: '02:00:00:00:99:02', dst: MAC.bcast, type: 'arp' });
    const captured = sim.captures('client').length;
    const traced = sim.trace.length;
    // The sniffer moves to another network: what it used is forgotten, the rest is kept.
    lab = withAdapter(lab, 'sniffer-nic0', { network: 'other' });
    sim.setLab(lab);
    const learned = () => sim.macTable('lan').filter((e) => e.kind === 'learned');
    expect(learned().map((e) => [e.mac, e.port])).toEqual([['02:00:00:00:99:02', 'server-nic0']]);
    expect(sim.arpCache('client')).toEqual([
      { ip: '10.0.0.2', mac: MAC.server, adapter: 'client-nic0' },
    ]);
    expect(sim.arpCache('server')).toEqual([
      { ip: '10.0.0.1', mac: MAC.client, adapter: 'server-nic0' },
    ]);
    // The server stops: what it learned stays until it ages out (F7); its guest reboots and
    // forgets its ARP cache.
    lab = withVm(lab, 'server', { power: 'stopped' });
    sim.setLab(lab);
    expect(learned().map((e) => [e.mac, e.port])).toEqual([['02:00:00:00:99:02', 'server-nic0']]);
    expect(sim.arpCache('server')).toEqual([]);
    expect(sim.arpCache('client')).toHaveLength(1);
    expect(sim.captures('client')).toHaveLength(captured);
    expect(sim.trace).toHaveLength(traced);
  });

  it('captures: a host’s by VM or adapter id, a bridge’s, and the capture points in order', () => {
    const sim = new Simulation(bridgeLab({ promiscuous: true }));
    sim.ping('client', 'server');
    expect(sim.captures('client-nic0')).toEqual(sim.captures('client'));
    expect(sim.captures('client').every((f) => f.port === 'client-nic0')).toBe(true);
    expect(sim.capturePoints()).toEqual(['br', 'server', 'client']);
    const frame = sim.captures('br')[0];
    expect(frame).toMatchObject({
      t: expect.any(Number),
      port: 'br-a',
      frame: expect.any(Number),
      origin: 1,
    });
    expect(frame?.bytes).toBeInstanceOf(Uint8Array);
  });

  it('exportPcapng writes one interface per capture point, named after it, and every frame', () => {
    const sim = new Simulation(bridgeLab({ promiscuous: true }));
    sim.ping('client', 'server');
    const bytes = exportPcapng(sim);
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    expect(view.getUint32(0, true)).toBe(0x0a0d0d0a);
    const blocks: { type: number; body: Uint8Array }[] = [];
    for (let at = 0; at < bytes.length;) {
      const length = view.getUint32(at + 4, true);
      blocks.push({
        type: view.getUint32(at, true),
        body: bytes.subarray(at + 8, at + length - 4),
      });
      at += length;
    }
    const names = blocks
      .filter((b) => b.type === 1)
      .map((b) => {
        const len = new DataView(b.body.buffer, b.body.byteOffset + 8).getUint16(2, true);
        return String.fromCharCode(...b.body.subarray(12, 12 + len));
      });
    expect(names).toEqual(['br', 'server', 'client']);
    const packets = blocks.filter((b) => b.type === 6).length;
    const total = ['br', 'server', 'client'].reduce((n, id) => n + sim.captures(id).length, 0);
    expect(packets).toBe(total);
    expect(exportPcapng(sim, ['br']).length).toBeLessThan(bytes.length);
  });

  it('steps with unknown ends fail as values, not exceptions', () => {
    const sim = new Simulation(flatLab());
    expect(sim.ping('nobody', 'server')).toMatchObject({
      ok: false,
      summary: 'nobody → server: no VM or adapter nobody',
    });
    expect(sim.ping('client', 'nowhere')).toMatchObject({
      ok: false,
      summary: 'client → nowhere: no address for nowhere',
    });
    expect(sim.sendFrame({ from: 'x', src: MAC.client, dst: MAC.bcast, type: 'arp' }).ok).toBe(
      false,
    );
    expect(
      sim.sendFrame({ from: 'client-nic0', src: 'not-a-mac', dst: MAC.bcast, type: 'arp' }).ok,
    ).toBe(false);
    expect(sim.garp({ from: 'client-nic0', mac: MAC.client, ip: '999.0.0.1' }).ok).toBe(false);
    expect(sim.wait(-1).ok).toBe(false);
    expect(sim.trace).toEqual([]);
  });

  it('wait advances simulated time', () => {
    const sim = new Simulation(flatLab());
    expect(sim.wait(2.5)).toEqual({ ok: true, summary: 'waited 2.5 s', events: [] });
    expect(sim.now).toBe(2_500_000);
  });

  it('a run is bounded by maxEvents even when the loop limits are huge', () => {
    const sim = new Simulation(loopLab({ stp: false, sim: { hopLimit: 1e9, copyLimit: 1e9 } }), {
      limits: { maxEvents: 5_000 },
    });
    const out = sim.sendFrame({ from: 'web1-nic0', src: MAC.web1, dst: MAC.bcast, type: 'arp' });
    expect(out.summary).toContain("(stopped: the run's budget of 5,000 events is spent)");
    expect(sim.stats().events).toBe(5_000);
  });

  it('a ping with count sends that many echoes a second apart', () => {
    const sim = new Simulation(flatLab());
    const out = sim.ping('client', 'server', 3);
    expect(out.summary).toBe('client → server: 3/3 replies');
    const requests = out.events.filter(
      (e) => e.type === 'transmit' && e.at === 'client-nic0' && e.proto === 'icmp',
    );
    expect(requests.map((e) => Math.floor(e.t / 1_000_000))).toEqual([0, 1, 2]);
  });
});
