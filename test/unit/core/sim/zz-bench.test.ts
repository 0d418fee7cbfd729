import { it } from 'vitest';
import { Simulation } from '../../../../core/sim';
import { lab, mac } from './lab-builder';

function big(nVms: number, perNet: number) {
  const networks = [];
  const vms = [];
  for (let n = 0; n * perNet < nVms; n++) {
    networks.push({ id: `net${n}`, subnet: `10.${n >> 8}.${n & 255}.0/24`, gateway: `10.${n >> 8}.${n & 255}.254` });
    for (let i = 0; i < perNet && n * perNet + i < nVms; i++) {
      vms.push({ id: `vm${n}-${i}`, adapters: [{ id: `vm${n}-${i}-nic`, network: `net${n}`, mac: `02:00:${(n >> 8).toString(16).padStart(2, '0')}:${(n & 255).toString(16).padStart(2, '0')}:00:${(i + 1).toString(16).padStart(2, '0')}`, ip: `10.${n >> 8}.${n & 255}.${i + 1}/24` }] });
    }
  }
  return lab({ networks, vms });
}

function measure(nVms: number, perNet: number, pings: number) {
  const l = big(nVms, perNet);
  const sim = new Simulation(l, { recordTrace: false });
  const nets = Math.ceil(nVms / perNet);
  // warm ARP
  for (let n = 0; n < nets; n++) sim.ping(`vm${n}-0`, `vm${n}-1`);
  const h0 = sim.stats().hops;
  const t0 = performance.now();
  for (let k = 0; k < pings; k++) {
    const n = k % nets;
    sim.ping(`vm${n}-0`, `vm${n}-1`, 1);
  }
  const dt = (performance.now() - t0) / 1000;
  const hops = sim.stats().hops - h0;
  console.log(`${nVms} VMs: ${hops} hops in ${dt.toFixed(3)} s = ${(hops / dt / 1e6).toFixed(2)} M hops/s`);
}

it('bench', () => {
  measure(10, 10, 200000);
  measure(10000, 100, 200000);
}, 120000);
