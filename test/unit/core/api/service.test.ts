import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import {
  NestlabService,
  type LabLibrary,
  type LabView,
  type OpenResult,
  type EditOutcome,
} from '../../../../core/api';
import { CONTRACT_NAMES } from '../../../../core/api';

const E1 = readFileSync(
  new URL('../../../../labs/e1-nested-vm-out.lab.yaml', import.meta.url),
  'utf8',
);

const library: LabLibrary = {
  list: () => [{ id: 'e1', title: 'E1', description: '', fileName: 'e1.lab.yaml' }],
  read: (id) => (id === 'e1' ? { text: E1, fileName: 'e1.lab.yaml' } : undefined),
};

function opened(): NestlabService {
  const service = new NestlabService(library);
  const result = service.call('lab.open', { id: 'e1' }) as OpenResult;
  if (!result.ok) throw new Error(result.message);
  return service;
}

describe('api service', () => {
  it('lists one contract entry per edit and query, with no duplicates', () => {
    expect(new Set(CONTRACT_NAMES).size).toBe(CONTRACT_NAMES.length);
    expect(CONTRACT_NAMES).toContain('adapter.setPromiscuous');
    expect(CONTRACT_NAMES).toContain('promiscuous.face');
  });

  it('opens a valid lab and refuses a bad one without loading anything', () => {
    const service = opened();
    const before = service.call('lab.current', {}) as LabView;
    const bad = service.call('lab.openText', {
      text: 'nestlab: 1\nvms: [{ id: a, colour: red }]\n',
      fileName: 'bad.lab.yaml',
    }) as OpenResult;
    expect(bad.ok).toBe(false);
    if (!bad.ok) {
      expect(bad.message).toMatch(/bad\.lab\.yaml cannot be read as a lab file/);
      expect(bad.violations[0]).toMatchObject({ code: 'unknown-key', path: 'vms[0].colour' });
    }
    expect(service.call('lab.current', {})).toEqual(before);
  });

  it('re-validates arguments at runtime: unknown entries, wrong shapes, missing actor', () => {
    const service = opened();
    expect(service.call('shell.exec', {})).toMatchObject({ ok: false, code: 'invalid-request' });
    expect(
      service.call('adapter.setPromiscuous', {
        actor: 'ana',
        adapter: 'esxi-nic0',
        promiscuous: 'yes',
      }),
    ).toMatchObject({ ok: false, code: 'invalid-request' });
    expect(
      service.call('adapter.setPromiscuous', { adapter: 'esxi-nic0', promiscuous: true }),
    ).toMatchObject({ ok: false, code: 'invalid-request' });
    expect(
      service.call('adapter.setPromiscuous', {
        actor: 'ana',
        adapter: 'esxi-nic0',
        promiscuous: true,
        extra: 1,
      }),
    ).toMatchObject({ ok: false, code: 'invalid-request' });
    expect(service.call('lab.open', null)).toMatchObject({ ok: false, code: 'invalid-request' });
  });

  it('P6: a refused edit returns { ok: false, code, rule, message } and changes nothing, not even the revision', () => {
    const service = opened();
    const before = service.call('lab.current', {}) as LabView;
    const events: unknown[] = [];
    service.onEvent((event, payload) => events.push([event, payload]));
    const refused = service.call('adapter.setPromiscuous', {
      actor: 'ana',
      adapter: 'esxi-nic0',
      promiscuous: true,
    }) as EditOutcome;
    expect(refused).toMatchObject({ ok: false, code: 'vm-not-stopped', rule: 'A2' });
    expect(service.call('lab.current', {})).toEqual(before);
    expect(events).toEqual([]);
  });

  it('applies accepted edits, emits lab.changed, and undoes and redoes them', () => {
    const service = opened();
    const events: string[] = [];
    service.onEvent((event) => event === 'lab.changed' && events.push(event));
    const stop = service.call('vm.setPower', {
      actor: 'ben',
      vm: 'esxi',
      state: 'stopped',
    }) as EditOutcome;
    expect(stop.ok).toBe(true);
    const enable = service.call('adapter.setPromiscuous', {
      actor: 'ana',
      adapter: 'esxi-nic0',
      promiscuous: true,
    }) as EditOutcome;
    expect(enable.ok && enable.view.lab.vms[0]?.adapters[0]?.promiscuous).toBe(true);
    expect(events).toEqual(['lab.changed', 'lab.changed']);
    const undo = service.call('lab.undo', {}) as EditOutcome;
    expect(undo.ok && undo.view.lab.vms[0]?.adapters[0]?.promiscuous).toBe(false);
    const redo = service.call('lab.redo', {}) as EditOutcome;
    expect(redo.ok && redo.view.canRedo).toBe(false);
    expect(redo.ok && redo.view.lab.vms[0]?.adapters[0]?.promiscuous).toBe(true);
  });

  it("answers the promiscuous field's face for each user (P2, P5)", () => {
    const service = opened();
    expect(service.call('promiscuous.face', { actor: 'ben', adapter: 'esxi-nic0' })).toMatchObject({
      face: 'read-only',
      reason: { code: 'permission-denied', rule: 'P5' },
    });
    expect(service.call('promiscuous.face', { actor: 'ana', adapter: 'esxi-nic0' })).toEqual({
      face: 'editable',
    });
  });

  it('exports the open lab as lab-file YAML that parses back to the same lab', () => {
    const service = opened();
    const exported = service.call('lab.export', {}) as { ok: true; text: string };
    const again = new NestlabService(library);
    const result = again.call('lab.openText', {
      text: exported.text,
      fileName: 'copy.lab.yaml',
    }) as OpenResult;
    expect(result.ok && result.view.lab).toEqual((service.call('lab.current', {}) as LabView).lab);
  });
});
