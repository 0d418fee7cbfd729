import { describe, expect, it } from 'vitest';
import { promiscuousFace } from '../../../../core/rules';
import { accept, lab, labWith, refuse } from './fixtures';

const enable = (adapter: string) =>
  ({ type: 'adapter.setPromiscuous', adapter, promiscuous: true }) as const;

describe('P — account, users, permissions', () => {
  it('P1: an administrator requests the feature with a use case of at least 30 characters; the provider approves', () => {
    const start = labWith('promiscuousMode: enabled', 'promiscuousMode: disabled');
    refuse(start, 'ben', { type: 'account.request', useCase: 'x'.repeat(40) }, 'admin-only', 'P1');
    refuse(
      start,
      'ana',
      { type: 'account.request', useCase: 'too short' },
      'invalid-request',
      'P1',
    );
    const requested = accept(start, 'ana', {
      type: 'account.request',
      useCase: 'Nested ESXi hosts must reach the gateway from their VMs.',
      diagram: 'data:image/png;base64,AAAA',
    });
    expect(requested.account.promiscuousMode).toBe('requested');
    expect(requested.account.request?.by).toBe('ana');
    expect(requested.account.request?.diagram).toBe('data:image/png;base64,AAAA');
    refuse(
      requested,
      'ana',
      { type: 'account.request', useCase: 'x'.repeat(40) },
      'invalid-request',
      'P1',
    );
    expect(accept(requested, 'ben', { type: 'account.approve' }).account.promiscuousMode).toBe(
      'enabled',
    );
    const denied = accept(requested, 'ana', { type: 'account.deny' });
    expect(denied.account.promiscuousMode).toBe('denied');
    refuse(denied, 'ana', { type: 'account.approve' }, 'invalid-request', 'P1');
    // After a denial an administrator may ask again.
    expect(
      accept(denied, 'ana', { type: 'account.request', useCase: 'y'.repeat(30) }).account
        .promiscuousMode,
    ).toBe('requested');
  });

  it('P2: while the feature is not enabled the field is hidden and every change fails with feature-disabled', () => {
    for (const state of ['disabled', 'requested', 'denied']) {
      const start = labWith('promiscuousMode: enabled', `promiscuousMode: ${state}`);
      expect(promiscuousFace(start, 'ana', 'esxi-nic0').face).toBe('hidden');
      expect(promiscuousFace(start, 'ana', 'esxi-nic0').reason?.code).toBe('feature-disabled');
      refuse(start, 'ana', enable('esxi-nic0'), 'feature-disabled', 'P2');
      refuse(
        start,
        'ana',
        { type: 'adapter.setPromiscuous', adapter: 'esxi-nic0', promiscuous: false },
        'feature-disabled',
        'P2',
      );
      refuse(
        start,
        'ana',
        { type: 'user.setPermission', user: 'ben', promiscuous: true },
        'feature-disabled',
        'P2',
      );
      // feature-disabled comes before admin-only and permission-denied.
      refuse(
        start,
        'ben',
        { type: 'user.setPermission', user: 'ben', promiscuous: true },
        'feature-disabled',
        'P2',
      );
      refuse(start, 'ben', enable('esxi-nic0'), 'feature-disabled', 'P2');
    }
  });

  it('P3: once enabled, the permission is off by default for everyone, administrators included', () => {
    const start = lab();
    const zed = start.users.find((u) => u.name === 'zed');
    expect(zed).toEqual({ name: 'zed', role: 'admin', promiscuous: false });
    expect(start.users.find((u) => u.name === 'ben')?.promiscuous).toBe(false);
    expect(promiscuousFace(start, 'zed', 'esxi-nic0').face).toBe('read-only');
    refuse(start, 'zed', enable('esxi-nic0'), 'permission-denied', 'P5');
    const added = accept(start, 'ana', { type: 'user.add', user: 'new', role: 'admin' });
    expect(added.users.at(-1)).toEqual({ name: 'new', role: 'admin', promiscuous: false });
  });

  it("P4: only an administrator changes a user's permission, its own included", () => {
    const start = lab();
    refuse(
      start,
      'ben',
      { type: 'user.setPermission', user: 'ben', promiscuous: true },
      'admin-only',
      'P4',
    );
    refuse(
      start,
      'uma',
      { type: 'user.setPermission', user: 'ben', promiscuous: true },
      'admin-only',
      'P4',
    );
    const granted = accept(start, 'zed', {
      type: 'user.setPermission',
      user: 'zed',
      promiscuous: true,
    });
    expect(granted.users.find((u) => u.name === 'zed')?.promiscuous).toBe(true);
    const revoked = accept(start, 'ana', {
      type: 'user.setPermission',
      user: 'uma',
      promiscuous: false,
    });
    expect(revoked.users.find((u) => u.name === 'uma')?.promiscuous).toBe(false);
    refuse(
      start,
      'ana',
      { type: 'user.setPermission', user: 'ghost', promiscuous: true },
      'not-found',
      'P6',
    );
  });

  it('P5: a user without the permission sees the field read-only; a change fails with permission-denied', () => {
    const start = lab();
    const face = promiscuousFace(start, 'ben', 'esxi-nic0');
    expect(face.face).toBe('read-only');
    expect(face.reason).toMatchObject({ code: 'permission-denied', rule: 'P5' });
    refuse(start, 'ben', enable('esxi-nic0'), 'permission-denied', 'P5');
    refuse(
      start,
      'ben',
      { type: 'adapter.setPromiscuous', adapter: 'esxi-nic0', promiscuous: false },
      'permission-denied',
      'P5',
    );
    expect(promiscuousFace(start, 'uma', 'esxi-nic0')).toEqual({ face: 'editable' });
    expect(accept(start, 'uma', enable('esxi-nic0')).vms[0]?.adapters[0]?.promiscuous).toBe(true);
  });

  it('P5: permission-denied comes before what the VM is and its state', () => {
    const start = lab();
    refuse(start, 'ben', enable('aix-nic0'), 'permission-denied', 'P5');
    refuse(start, 'ben', enable('app-nic0'), 'permission-denied', 'P5');
  });

  it('P6: every edit is made as a named user; an unknown actor is refused and the core enforces rules whatever the caller', () => {
    const start = lab();
    refuse(start, 'mallory', enable('esxi-nic0'), 'not-found', 'P6');
    refuse(start, '', { type: 'vm.setPower', vm: 'app', state: 'stopped' }, 'not-found', 'P6');
    // The same rule answers a caller that never showed the field (no UI involved).
    refuse(start, 'ben', enable('esxi-nic0'), 'permission-denied', 'P5');
  });
});
