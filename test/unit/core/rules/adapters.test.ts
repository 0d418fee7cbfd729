import { describe, expect, it } from 'vitest';
import { indexLab } from '../../../../core/model';
import { accept, lab, refuse } from './fixtures';

const set = (adapter: string, promiscuous: boolean) =>
  ({ type: 'adapter.setPromiscuous', adapter, promiscuous }) as const;
const adapterOf = (l: ReturnType<typeof lab>, id: string) => indexLab(l).adapters.get(id)?.adapter;

describe('A — VM and adapter rules', () => {
  it('A1: every adapter starts with promiscuous mode disabled', () => {
    const start = lab();
    for (const { adapter } of indexLab(start).adapters.values())
      expect(adapter.promiscuous).toBe(false);
    const added = accept(start, 'ana', {
      type: 'adapter.add',
      vm: 'app',
      adapter: { id: 'app-nic1', network: 'dmz', mac: '02:00:00:00:00:11' },
    });
    expect(adapterOf(added, 'app-nic1')?.promiscuous).toBe(false);
    const vm = accept(start, 'ana', {
      type: 'vm.add',
      vm: { id: 'new', adapters: [{ id: 'new-nic0', network: 'lan', mac: '02:00:00:00:00:99' }] },
    });
    expect(adapterOf(vm, 'new-nic0')?.promiscuous).toBe(false);
  });

  it('A2: enabling needs the VM stopped; disabling is allowed at any time', () => {
    const start = lab();
    refuse(start, 'ana', set('app-nic0', true), 'vm-not-stopped', 'A2');
    const suspended = accept(start, 'ana', { type: 'vm.setPower', vm: 'app', state: 'suspended' });
    refuse(suspended, 'ana', set('app-nic0', true), 'vm-not-stopped', 'A2');
    const stopped = accept(start, 'ana', { type: 'vm.setPower', vm: 'app', state: 'stopped' });
    const enabled = accept(stopped, 'ana', set('app-nic0', true));
    expect(adapterOf(enabled, 'app-nic0')?.promiscuous).toBe(true);
    const running = accept(enabled, 'ana', { type: 'vm.setPower', vm: 'app', state: 'running' });
    const disabled = accept(running, 'ana', set('app-nic0', false));
    expect(adapterOf(disabled, 'app-nic0')?.promiscuous).toBe(false);
  });

  it("A2: a nested VM must itself be stopped, whatever its hypervisor's state", () => {
    // In the fixture esxi is stopped while web1's own state is running.
    refuse(lab(), 'ana', set('web1-nic0', true), 'vm-not-stopped', 'A2');
    const stopped = accept(lab(), 'ana', { type: 'vm.setPower', vm: 'web1', state: 'stopped' });
    expect(
      adapterOf(accept(stopped, 'ana', set('web1-nic0', true)), 'web1-nic0')?.promiscuous,
    ).toBe(true);
  });

  it('A3: at most one adapter per VM per network may be promiscuous', () => {
    const first = accept(lab(), 'ana', set('esxi-nic0', true));
    refuse(first, 'ana', set('esxi-nic1', true), 'one-per-network', 'A3');
    // Another network of the same VM is fine.
    expect(adapterOf(accept(first, 'ana', set('esxi-nic2', true)), 'esxi-nic2')?.promiscuous).toBe(
      true,
    );
    // Moving the second adapter onto the first's network while promiscuous breaks A3 too.
    const other = accept(lab(), 'ana', set('esxi-nic2', true));
    const both = accept(other, 'ana', set('esxi-nic0', true));
    refuse(
      both,
      'ana',
      { type: 'adapter.connect', adapter: 'esxi-nic2', network: 'lan' },
      'one-per-network',
      'A3',
    );
  });

  it('A4: Power VMs cannot enable promiscuous mode', () => {
    refuse(lab(), 'ana', set('aix-nic0', true), 'unsupported-architecture', 'A4');
    const promiscuous = accept(lab(), 'ana', set('esxi-nic2', true));
    refuse(
      promiscuous,
      'ana',
      { type: 'vm.setArch', vm: 'esxi', arch: 'power' },
      'unsupported-architecture',
      'A4',
    );
  });

  it('A4 before A2: a running Power VM reports unsupported-architecture', () => {
    const running = accept(lab(), 'ana', { type: 'vm.setPower', vm: 'aix', state: 'running' });
    refuse(running, 'ana', set('aix-nic0', true), 'unsupported-architecture', 'A4');
  });

  it('A2 before A3: a running VM with a promiscuous neighbour reports vm-not-stopped', () => {
    const first = accept(lab(), 'ana', set('esxi-nic0', true));
    const running = accept(first, 'ana', { type: 'vm.setPower', vm: 'esxi', state: 'running' });
    refuse(running, 'ana', set('esxi-nic1', true), 'vm-not-stopped', 'A2');
  });

  it('A5: nested VMs and switches need nested virtualization; the box changes only while stopped', () => {
    const start = lab();
    refuse(
      start,
      'ana',
      { type: 'vm.add', parent: 'app', vm: { id: 'inner' } },
      'nested-virtualization-required',
      'A5',
    );
    refuse(
      start,
      'ana',
      { type: 'switch.add', vm: 'app', switch: { id: 'sw9' } },
      'nested-virtualization-required',
      'A5',
    );
    refuse(
      start,
      'ana',
      { type: 'vm.setNestedVirtualization', vm: 'app', enabled: true },
      'vm-not-stopped',
      'A5',
    );
    refuse(
      start,
      'ana',
      { type: 'vm.setNestedVirtualization', vm: 'aix', enabled: true },
      'unsupported-architecture',
      'A5',
    );
    refuse(
      start,
      'ana',
      { type: 'vm.setNestedVirtualization', vm: 'esxi', enabled: false },
      'nested-vms-present',
      'A5',
    );
    const stopped = accept(start, 'ana', { type: 'vm.setPower', vm: 'app', state: 'stopped' });
    const nesting = accept(stopped, 'ana', {
      type: 'vm.setNestedVirtualization',
      vm: 'app',
      enabled: true,
    });
    // Enabling nesting never turns on promiscuous mode.
    expect(adapterOf(nesting, 'app-nic0')?.promiscuous).toBe(false);
    const withSwitch = accept(nesting, 'ana', {
      type: 'switch.add',
      vm: 'app',
      switch: { id: 'app-vsw', uplink: 'app-nic0' },
    });
    const withNested = accept(withSwitch, 'ana', {
      type: 'vm.add',
      parent: 'app',
      vm: {
        id: 'inner',
        adapters: [{ id: 'inner-nic0', switch: 'app-vsw', mac: '02:00:00:00:02:01' }],
      },
    });
    expect(indexLab(withNested).vms.get('inner')?.parent?.id).toBe('app');
  });

  it('A5: a VM whose guest OS is ESXi has nested virtualization on by default', () => {
    const start = lab();
    expect(indexLab(start).vms.get('esxi')?.vm.nestedVirtualization).toBe(true);
    expect(indexLab(start).vms.get('app')?.vm.nestedVirtualization).toBe(false);
    const added = accept(start, 'ana', { type: 'vm.add', vm: { id: 'esx2', guestOs: 'esxi' } });
    expect(indexLab(added).vms.get('esx2')?.vm.nestedVirtualization).toBe(true);
  });

  it('A6: MACs are unicast and unique, ids unique, addresses parse', () => {
    const start = lab();
    refuse(
      start,
      'ana',
      { type: 'adapter.setMac', adapter: 'app-nic0', mac: '02:00:00:00:00:01' },
      'duplicate-mac',
      'A6',
    );
    refuse(
      start,
      'ana',
      { type: 'adapter.setMac', adapter: 'app-nic0', mac: '01:00:5e:00:00:01' },
      'invalid-address',
      'A6',
    );
    refuse(
      start,
      'ana',
      { type: 'adapter.setMac', adapter: 'app-nic0', mac: 'not-a-mac' },
      'invalid-address',
      'A6',
    );
    refuse(
      start,
      'ana',
      { type: 'adapter.setIp', adapter: 'app-nic0', ip: '10.0.0.300/24' },
      'invalid-address',
      'A6',
    );
    refuse(start, 'ana', { type: 'network.add', network: { id: 'esxi' } }, 'duplicate-id', 'A6');
    refuse(start, 'ana', { type: 'vm.add', vm: { id: 'lan' } }, 'duplicate-id', 'A6');
    refuse(
      start,
      'ana',
      { type: 'network.setAddressing', network: 'dmz', subnet: '10.0.1/24', gateway: null },
      'invalid-address',
      'A6',
    );
    // An IP outside its network's subnet is a warning, not an error.
    const outside = accept(start, 'ana', {
      type: 'adapter.setIp',
      adapter: 'app-nic0',
      ip: '10.0.1.5/24',
    });
    expect(adapterOf(outside, 'app-nic0')?.ip).toBe('10.0.1.5/24');
  });

  it('A7: a nested adapter attaches to a switch of its own hypervisor; an uplink serves at most one switch', () => {
    const start = lab();
    refuse(
      start,
      'ana',
      { type: 'adapter.connect', adapter: 'web1-nic0', network: 'lan' },
      'invalid-request',
      'A7',
    );
    refuse(
      start,
      'ana',
      { type: 'adapter.connect', adapter: 'app-nic0', switch: 'vsw0' },
      'invalid-request',
      'A7',
    );
    refuse(
      start,
      'ana',
      { type: 'switch.add', vm: 'esxi', switch: { id: 'vsw1', uplink: 'esxi-nic0' } },
      'invalid-request',
      'A7',
    );
    refuse(
      start,
      'ana',
      { type: 'switch.add', vm: 'esxi', switch: { id: 'vsw1', uplink: 'app-nic0' } },
      'invalid-request',
      'A7',
    );
    refuse(
      start,
      'ana',
      { type: 'adapter.connect', adapter: 'esxi-nic1', network: 'nowhere' },
      'not-found',
      'A7',
    );
    const second = accept(start, 'ana', {
      type: 'switch.add',
      vm: 'esxi',
      switch: { id: 'vsw1', uplink: 'esxi-nic1' },
    });
    const moved = accept(second, 'ana', {
      type: 'adapter.connect',
      adapter: 'web1-nic0',
      switch: 'vsw1',
    });
    expect(adapterOf(moved, 'web1-nic0')?.switch).toBe('vsw1');
  });
});
