/**
 * Capture points (F6, D3, lab-format.md): a host's capture holds every frame delivered to its
 * adapters (what a sniffer on the guest would see, its NIC filter notwithstanding), a
 * hypervisor's holds what crosses its uplink inward and what its nested VMs send it, a
 * bridge's every frame that crosses it; nothing is mirrored anywhere else.
 */
import { describe, expect, it } from 'vitest';
import { Simulation } from '../../../../core/sim';
import { flatLab, MAC, nestedLab } from './fixtures';

describe('captures', () => {
  it('F6: a host captures every frame delivered to its adapter, including one its NIC filter then drops (D1)', () => {
    const sim = new Simulation(flatLab());
    // The promiscuous sniffer sends with a foreign MAC, so lan learns it on its port (F3).
    const foreign = '02:00:00:00:99:99';
    sim.sendFrame({ from: 'sniffer-nic0', src: foreign, dst: 'ff:ff:ff:ff:ff:ff', type: 'arp' });
    const out = sim.sendFrame({ from: 'client-nic0', src: MAC.client, dst: foreign, type: 'ipv4' });
    expect(
      out.events.some(
        (e) => e.type === 'drop' && e.reason === 'nic-filter' && e.at === 'sniffer-nic0',
      ),
    ).toBe(true);
    const seen = sim.captures('sniffer').map((f) => [f.src, f.dst, f.proto]);
    expect(seen).toContainEqual([MAC.client, foreign, 'ipv4']);
    // F5: nobody else receives the unicast.
    expect(sim.captures('server').filter((f) => f.src === MAC.client)).toEqual([]);
  });

  it("F6: a hypervisor's capture holds the frames delivered to its uplink, once each", () => {
    const sim = new Simulation(nestedLab({ promiscuous: true }));
    expect(sim.ping('web1', '10.0.0.254').ok).toBe(true);
    const esxi = sim.captures('esxi');
    const replies = esxi.filter((f) => f.proto === 'icmp' && f.dst === MAC.web1);
    expect(replies).toHaveLength(1);
    expect(replies[0]?.port).toBe('esxi-nic0');
    const origins = esxi.map((f) => `${f.origin}:${f.t}`);
    expect(new Set(origins).size).toBe(origins.length);
  });

  it('a frame typed by the EtherType number of ARP or IPv4 is the same frame as by its name', () => {
    const byName = new Simulation(flatLab());
    const byNumber = new Simulation(flatLab());
    byName.sendFrame({
      from: 'client-nic0',
      src: MAC.client,
      dst: 'ff:ff:ff:ff:ff:ff',
      type: 'arp',
    });
    byNumber.sendFrame({
      from: 'client-nic0',
      src: MAC.client,
      dst: 'ff:ff:ff:ff:ff:ff',
      type: 0x0806,
    });
    const frames = (sim: Simulation) =>
      sim.captures('server').map((f) => [f.proto, Array.from(f.bytes).join(',')]);
    expect(frames(byNumber)).toEqual(frames(byName));
    expect(frames(byNumber)[0]?.[0]).toBe('arp');
  });
});
