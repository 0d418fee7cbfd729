import { it } from 'vitest';
import { Simulation } from '../../../../core/sim';
import { lab, withAdapter, withVm } from './lab-builder';

it('smoke', () => {
  const l = lab({
    networks: [{ id: 'lan', subnet: '10.0.0.0/24', gateway: '10.0.0.254' }],
    vms: [{
      id: 'esxi', switches: [{ id: 'esxi-vsw0', uplink: 'esxi-nic0' }],
      adapters: [{ id: 'esxi-nic0', network: 'lan', mac: '02:00:00:00:00:01', ip: '10.0.0.10/24' }],
      nested: [{ id: 'web1', adapters: [{ id: 'web1-nic0', switch: 'esxi-vsw0', mac: '02:00:00:00:01:01', ip: '10.0.0.21/24' }] }],
    }],
  });
  const sim = new Simulation(l);
  const r = sim.ping('web1', '10.0.0.254');
  console.log(r.summary);
  for (const e of r.events) console.log(JSON.stringify(e));
  let l2 = withVm(l, 'esxi', { power: 'stopped' }); sim.setLab(l2);
  l2 = withAdapter(l2, 'esxi-nic0', { promiscuous: true }); sim.setLab(l2);
  l2 = withVm(l2, 'esxi', { power: 'running' }); sim.setLab(l2);
  const r2 = sim.ping('web1', '10.0.0.254');
  console.log(r2.summary);
  for (const e of r2.events) console.log(JSON.stringify(e));
  console.log(sim.macTable('lan'), sim.learnedTable('esxi-vsw0'), sim.arpCache('web1'), sim.stats());
});
