/**
 * The api's size limits are the lab file's (core/lab/schema.ts LIMITS): every id, name and text
 * a valid file holds can be edited and asked about through the api, and what the file refuses
 * as too long the api refuses too. The probe is a lab with every id, name and text at the file's
 * maximum, a gateway named `<network>:gateway` past the id limit by its suffix.
 */
import { describe, expect, it } from 'vitest';
import { NestlabService, type LabView, type OpenResult } from '../../../../core/api';
import { COMMAND_TYPES, type CommandType } from '../../../../core/rules/commands';
import { isValid, parseLab } from '../../../../core/lab';
import { LIMITS } from '../../../../core/lab/schema';

const at = (c: string): string => c.repeat(LIMITS.idLength);
const NET = at('n');
const GATEWAY = `${NET}:gateway`;
const EXT = at('x');
const HOST = at('h');
const HOST_NIC = at('a');
const SWITCH = at('s');
const GUEST = at('v');
const GUEST_NIC = at('b');
const USER = at('u');
const OBJECTIVE = at('o');
const CHECKPOINT = at('c');
const NAME = 'N'.repeat(LIMITS.nameLength);
const TITLE = 'T'.repeat(LIMITS.titleLength);
const macs = (n: number, first: number): string[] =>
  Array.from(
    { length: n },
    (_, i) =>
      `02:00:00:00:${(first + (i >> 8)).toString(16).padStart(2, '0')}:${(i & 255).toString(16).padStart(2, '0')}`,
  );
const ips = (n: number): string[] => Array.from({ length: n }, (_, i) => `10.0.1.${i + 1}`);

function labText(virtual: number = LIMITS.virtualAddresses, guestOs = GUEST): string {
  return `nestlab: 1
title: ${TITLE}
account: { promiscuousMode: enabled }
users: [{ name: ${USER}, role: admin, promiscuous: true }]
networks:
  - { id: ${NET}, name: ${NAME}, subnet: 10.0.0.0/16, gateway: 10.0.0.254 }
external:
  - { id: ${EXT}, name: ${NAME}, ip: 203.0.113.10 }
vms:
  - id: ${HOST}
    name: ${NAME}
    guestOs: ${guestOs}
    nestedVirtualization: true
    adapters:
      - { id: ${HOST_NIC}, name: ${NAME}, network: ${NET}, mac: "02:00:00:00:00:01", ip: 10.0.0.10/16, promiscuous: true }
    switches:
      - { id: ${SWITCH}, name: ${NAME}, uplink: ${HOST_NIC} }
    nested:
      - id: ${GUEST}
        name: ${NAME}
        virtualMacs: [${macs(virtual, 0xa0)
          .map((m) => `"${m}"`)
          .join(', ')}]
        virtualIps: [${ips(virtual).join(', ')}]
        adapters:
          - { id: ${GUEST_NIC}, name: ${NAME}, switch: ${SWITCH}, mac: "02:00:00:00:01:01", ip: 10.0.0.21/16 }
traffic:
  - ping: { from: ${GUEST}, to: ${GATEWAY} }
objectives:
  - { id: ${OBJECTIVE}, hint: look, check: { reachable: { from: ${GUEST}, to: ${GATEWAY} } } }
checkpoints:
  - id: ${CHECKPOINT}
    before: 0
    question: Where does it end?
    choices:
      - { text: At the gateway, fate: { delivered: ${GATEWAY} } }
      - { text: On the network, fate: { dropped: ${NET} } }
`;
}

const NEW_ADAPTER = { id: at('r'), name: NAME, network: NET, mac: '02:00:00:00:02:01' };

/** Arguments for every edit that names something, each at the file's maximum. */
const EDITS: Partial<Record<CommandType, Record<string, unknown>>> = {
  'adapter.setPromiscuous': { adapter: HOST_NIC, promiscuous: false },
  'user.setPermission': { user: USER, promiscuous: true },
  'user.add': { user: at('w'), role: 'user' },
  'user.remove': { user: USER },
  'user.setRole': { user: USER, role: 'admin' },
  'account.request': { useCase: 'u'.repeat(LIMITS.useCaseLength) },
  'lab.setActingUser': { user: USER },
  'vm.setPower': { vm: GUEST, state: 'stopped' },
  'vm.setNestedVirtualization': { vm: HOST, enabled: true },
  'vm.add': {
    vm: { id: at('q'), name: NAME, guestOs: GUEST, adapters: [NEW_ADAPTER] },
    parent: HOST,
  },
  'vm.remove': { vm: GUEST },
  'vm.rename': { vm: GUEST, name: NAME },
  'vm.setArch': { vm: GUEST, arch: 'x86_64' },
  'vm.setGuestOs': { vm: GUEST, guestOs: GUEST },
  'vm.setRole': { vm: GUEST, role: 'host' },
  'vm.setStp': { vm: GUEST, stp: false },
  'vm.setVirtualAddresses': {
    vm: GUEST,
    virtualMacs: macs(LIMITS.virtualAddresses, 0xb0),
    virtualIps: ips(LIMITS.virtualAddresses),
  },
  'network.add': { network: { id: at('k'), name: NAME, subnet: '10.1.0.0/24' } },
  'network.remove': { network: NET },
  'network.rename': { network: NET, name: NAME },
  'network.setAddressing': { network: NET, subnet: '10.0.0.0/16', gateway: '10.0.0.1' },
  'external.add': { host: { id: at('e'), name: NAME, ip: '203.0.113.11' } },
  'external.remove': { host: EXT },
  'external.rename': { host: EXT, name: NAME },
  'external.setIp': { host: EXT, ip: '203.0.113.12' },
  'switch.add': { vm: HOST, switch: { id: at('t'), name: NAME } },
  'switch.remove': { switch: SWITCH },
  'switch.rename': { switch: SWITCH, name: NAME },
  'switch.setUplink': { switch: SWITCH, uplink: HOST_NIC },
  'adapter.add': { vm: HOST, adapter: NEW_ADAPTER },
  'adapter.remove': { adapter: GUEST_NIC },
  'adapter.rename': { adapter: GUEST_NIC, name: NAME },
  'adapter.connect': { adapter: GUEST_NIC, switch: SWITCH },
  'adapter.setMac': { adapter: GUEST_NIC, mac: '02:00:00:00:01:02' },
  'adapter.setIp': { adapter: GUEST_NIC, ip: '10.0.0.22/16' },
  'adapter.setGateway': { adapter: GUEST_NIC, gateway: '10.0.0.254' },
  'lab.setTitle': { title: TITLE, description: 'd'.repeat(LIMITS.descriptionLength) },
  'lab.setUi': { ui: { positions: { [GUEST]: { x: 1, y: 2 } } } },
};

/** Arguments for every query that names something of the lab. */
const QUERIES: Record<string, Record<string, unknown>> = {
  'promiscuous.face': { actor: USER, adapter: HOST_NIC },
  'traffic.run': { step: { ping: { from: GUEST, to: GATEWAY } } },
  'sim.macTable': { network: NET },
  'sim.learnedTable': { device: SWITCH },
  'sim.arpCache': { vm: GATEWAY },
  'sim.capture': { device: GUEST },
  'sim.exportPcapng': { devices: [GUEST, HOST_NIC] },
  'sim.explain': { reason: 'no-such-destination', rule: 'F4', at: GATEWAY },
  'traffic.compare': { change: { vm: GUEST, power: 'stopped' } },
  'exercise.revealHint': { objective: OBJECTIVE },
  'exercise.answer': { checkpoint: CHECKPOINT, choice: 0 },
};

function opened(): { service: NestlabService; view: LabView } {
  const service = new NestlabService({ list: () => [], read: () => undefined });
  const result = service.call('lab.openText', {
    text: labText(),
    fileName: 'limits.lab.yaml',
    as: 'trainer',
  }) as OpenResult;
  if (!result.ok) throw new Error(`${result.message} ${JSON.stringify(result.violations)}`);
  return { service, view: result.view };
}

/** The refusal's message when the arguments were refused, else undefined. */
async function argumentRefusal(result: unknown): Promise<string | undefined> {
  const settled = (await result) as { ok?: boolean; message?: string };
  const message = settled.ok === false ? settled.message : undefined;
  return message?.startsWith('Bad arguments') ? message : undefined;
}

describe('the api takes what the lab file takes', () => {
  it('a lab with every id, name and text at the file maximum is valid', () => {
    const parsed = parseLab(labText());
    expect(parsed.violations).toEqual([]);
    expect(isValid(parsed)).toBe(true);
  });

  it('every edit and query naming a thing of that lab accepts its id, a gateway by <network>:gateway too', async () => {
    const refused: [string, string][] = [];
    for (const [name, args] of [...Object.entries(EDITS), ...Object.entries(QUERIES)]) {
      const { service } = opened();
      const actor = name in EDITS ? { actor: USER } : {};
      const message = await argumentRefusal(service.call(name, { ...args, ...actor }));
      if (message !== undefined) refused.push([name, message]);
    }
    expect(refused).toEqual([]);
    // Every edit that takes arguments is probed.
    const unprobed = COMMAND_TYPES.filter(
      (name) =>
        !(name in EDITS) && !['account.approve', 'account.deny', 'exercise.set'].includes(name),
    );
    expect(unprobed).toEqual([]);
  });

  it('a lab whose title is at the file maximum can have its description edited', () => {
    const { service } = opened();
    const edit = service.call('lab.setTitle', {
      title: TITLE,
      description: 'Now with a story.',
      actor: USER,
    });
    expect(edit).toMatchObject({ ok: true, view: { lab: { description: 'Now with a story.' } } });
  });

  it('one character past a file limit is refused by the file and by the api alike', () => {
    const { service, view } = opened();
    const over: [string, Record<string, unknown>][] = [
      ['vm.rename', { vm: at('g') + 'g', name: 'x' }],
      ['vm.rename', { vm: GUEST, name: `${NAME}N` }],
      ['vm.setGuestOs', { vm: GUEST, guestOs: `${GUEST}v` }],
      ['lab.setTitle', { title: `${TITLE}T` }],
      ['lab.setTitle', { title: 't', description: 'd'.repeat(LIMITS.descriptionLength + 1) }],
      [
        'vm.setVirtualAddresses',
        { vm: GUEST, virtualMacs: macs(LIMITS.virtualAddresses + 1, 0xb0), virtualIps: [] },
      ],
    ];
    for (const [name, args] of over)
      expect(service.call(name, { ...args, actor: USER }), name).toMatchObject({
        ok: false,
        message: expect.stringMatching(/^Bad arguments/),
      });
    expect((service.call('lab.current', {}) as LabView).lab).toEqual(view.lab);
    // The file refuses the same: a guest OS, virtual addresses one past the limit.
    const file = (text: string) => parseLab(text).violations.map((v) => `${v.path} ${v.code}`);
    expect(file(labText(LIMITS.virtualAddresses + 1))).toEqual([
      'vms[0].nested[0].virtualMacs invalid-value',
      'vms[0].nested[0].virtualIps invalid-value',
    ]);
    expect(file(labText(LIMITS.virtualAddresses, `${GUEST}v`))).toEqual([
      'vms[0].guestOs invalid-value',
    ]);
  });
});
