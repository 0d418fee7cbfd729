/**
 * Where the trace's places are on the drawing: adapters at their link's VM end, networks,
 * switches, VMs and external hosts at their nodes, gateways on their network's bar; a
 * frame between an adapter and the network or switch its link reaches goes along that link;
 * each place's deliveries and drops count on one node's badge; a loop's cycle is drawn as
 * its devices' nodes and the links between them.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseLab } from '../../../../core/lab/parse';
import { Places } from '../../../../renderer/src/simulation/places';

function lab(file: string) {
  const parsed = parseLab(
    readFileSync(new URL(`../../../../labs/${file}`, import.meta.url), 'utf8'),
  );
  if (!parsed.ok) throw new Error(parsed.violations[0]?.message);
  return parsed.lab;
}

describe('Places', () => {
  const places = new Places(lab('e1-nested-vm-out.lab.yaml'));

  it('anchors every kind of place to a drawn element', () => {
    expect(places.anchor('lan')).toEqual({ kind: 'node', id: 'network:lan' });
    expect(places.anchor('lan:gateway')).toEqual({ kind: 'gateway', id: 'network:lan' });
    expect(places.anchor('esxi-vsw0')).toEqual({ kind: 'node', id: 'switch:esxi-vsw0' });
    expect(places.anchor('esxi')).toEqual({ kind: 'node', id: 'vm:esxi' });
    expect(places.anchor('web1-nic0')).toEqual({ kind: 'link', id: 'adapter:web1-nic0', along: 0 });
    expect(places.anchor('nowhere')).toBeUndefined();
  });

  it('sends a frame along the adapter link it crosses, either way', () => {
    expect(places.leg('web1-nic0', 'esxi-vsw0')).toEqual({
      kind: 'link',
      id: 'adapter:web1-nic0',
      from: 0,
      to: 1,
    });
    expect(places.leg('lan', 'esxi-nic0')).toEqual({
      kind: 'link',
      id: 'adapter:esxi-nic0',
      from: 1,
      to: 0,
    });
    // Into the nested switch from the uplink's own end: a straight line between the two.
    expect(places.leg('esxi-vsw0', 'esxi-nic0')?.kind).toBe('line');
    expect(places.leg('lan', 'lan:gateway')).toEqual({
      kind: 'line',
      from: { kind: 'node', id: 'network:lan' },
      to: { kind: 'gateway', id: 'network:lan' },
    });
    expect(places.leg('lan', 'nowhere')).toBeUndefined();
  });

  it('names places in words for labels', () => {
    expect(places.get('lan:gateway')?.label).toBe('the gateway of lan');
    expect(places.get('esxi-nic0')?.label).toBe('adapter esxi-nic0');
  });
});

describe('Places on a bridge', () => {
  it("marks a bridge's adapters as transit: what they receive goes on", () => {
    const places = new Places(lab('e4-inline-bridge.lab.yaml'));
    expect(places.get('br-front')?.transit).toBe(true);
    expect(places.get('client-nic0')?.transit).toBeUndefined();
    expect(places.anchor('bridge')).toEqual({ kind: 'node', id: 'vm:bridge' });
  });
});

describe('Places and badges', () => {
  it("counts a place on its node's badge: a VM's adapters on the VM, a gateway on its network", () => {
    const places = new Places(lab('e1-nested-vm-out.lab.yaml'));
    expect(places.get('web1-nic0')?.node).toBe('vm:web1');
    expect(places.get('esxi-nic0')?.node).toBe('vm:esxi');
    expect(places.get('lan:gateway')?.node).toBe('network:lan');
    expect(places.get('esxi-vsw0')?.node).toBe('switch:esxi-vsw0');
    expect(places.nodeLabel('vm:web1')).toBe('VM web1');
    expect(places.nodeLabel('network:lan')).toBe('network lan');
  });
});

describe('Places of a loop', () => {
  it("draws E5's cycle as its networks and bridges and the four links between them", () => {
    const places = new Places(lab('e5-bridge-loop.lab.yaml'));
    const { nodes, links } = places.cycleElements(['front', 'br1', 'back', 'br2']);
    expect(nodes).toEqual(['network:front', 'vm:br1', 'network:back', 'vm:br2']);
    expect(links.sort()).toEqual([
      'adapter:br1-back',
      'adapter:br1-front',
      'adapter:br2-back',
      'adapter:br2-front',
    ]);
  });
});
