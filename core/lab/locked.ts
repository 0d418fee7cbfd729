/**
 * What a student's attempt changed that the trainer's lab locks (lab-format.md, `student:`;
 * `nestlab grade`'s `locked-changed`). The trainer's `student.edit` decides what counts:
 * `none` locks the whole lab (account, users, networks, external hosts, VMs); who acts is
 * bound only by `actAs` (the app lets a student switch among those users);
 * `settings` locks its structure and lets settings differ; `all` locks nothing. `actAs`, when
 * given, also locks acting as anyone else. Things are matched by id (user names for users), so
 * the order of lists and of keys never counts, nor do `ui` and `attempt`; MACs are compared as
 * MACs. Pure; returns one sentence per change, at most MAX_SENTENCES of them.
 */
import type { Adapter, Lab, StudentPolicy, Vm } from '../model';
import { indexLab, type LabIndex } from '../model/lab-index';
import { addressOf, gatewayOf } from '../sim/lab-addresses';
import { Ipv4Address } from '../wire/ipv4-address';
import { Mac } from '../wire/mac';

/** One thing of the lab that has an identity, as compared: its fields as text. */
interface Thing {
  readonly what: string;
  readonly fields: ReadonlyMap<string, string>;
}

/**
 * The fields `edit: settings` lets a student change, by kind of thing (the edits of
 * rules/student.ts); every other field, and a thing added or removed, is structure.
 */
const SETTINGS: Readonly<Record<string, ReadonlySet<string>>> = {
  account: new Set(['promiscuousMode', 'request']),
  user: new Set(['promiscuous']),
  network: new Set(),
  'external host': new Set(),
  VM: new Set(['power', 'nestedVirtualization', 'stp', 'virtualMacs', 'virtualIps']),
  adapter: new Set(['mac', 'ip', 'gateway', 'promiscuous']),
  switch: new Set(),
};

/** At most this many sentences; the last one then says how many more changes there are. */
export const MAX_SENTENCES = 50;

/**
 * The changes of `attempt` that `trainer.student` locks, one sentence each (`VM web1 removed`,
 * `adapter db1-nic0: switch changed from esxi-vsw1 to esxi-vsw0`); empty when there are none.
 */
export function lockedChanges(trainer: Lab, attempt: Lab): string[] {
  const policy = trainer.student;
  const out = [...actingAs(policy, trainer, attempt), ...changes(policy, trainer, attempt)];
  if (out.length <= MAX_SENTENCES) return out;
  const more = out.length - (MAX_SENTENCES - 1);
  return [...out.slice(0, MAX_SENTENCES - 1), `… and ${more} more changes`];
}

function actingAs(policy: StudentPolicy, trainer: Lab, attempt: Lab): string[] {
  const out: string[] = [];
  if (policy.actAs !== undefined && !policy.actAs.includes(attempt.actingUser))
    out.push(
      `acting user ${attempt.actingUser} is not one of student.actAs (${policy.actAs.join(', ')})`,
    );
  return out;
}

function changes(policy: StudentPolicy, trainer: Lab, attempt: Lab): string[] {
  if (policy.edit === 'all') return [];
  const locks = (kind: string, field: string): boolean =>
    policy.edit === 'none' || !(SETTINGS[kind]?.has(field) ?? false);
  const before = things(trainer);
  const after = things(attempt);
  const out: string[] = [];
  for (const [key, was] of before) {
    const now = after.get(key);
    const kind = key.slice(0, key.indexOf(':'));
    if (now === undefined) out.push(`${was.what} removed`);
    else out.push(...fieldChanges(was, now, (field) => locks(kind, field)));
  }
  for (const [key, now] of after) if (!before.has(key)) out.push(`${now.what} added`);
  return out;
}

function fieldChanges(was: Thing, now: Thing, locked: (field: string) => boolean): string[] {
  const out: string[] = [];
  const fields = new Set([...was.fields.keys(), ...now.fields.keys()]);
  for (const field of fields) {
    const a = was.fields.get(field);
    const b = now.fields.get(field);
    if (a === b || !locked(field)) continue;
    out.push(`${was.what}: ${field} changed from ${shown(a)} to ${shown(b)}`);
  }
  return out;
}

/** A value in a sentence: short, `none` when absent (a diagram may be megabytes). */
function shown(value: string | undefined): string {
  if (value === undefined || value === '') return 'none';
  return value.length > 60 ? `${value.slice(0, 40)}… (${value.length} characters)` : value;
}

/** Every thing of the lab by kind and id; a second thing with a taken id is keyed apart. */
function things(lab: Lab): Map<string, Thing> {
  const out = new Map<string, Thing>();
  const index = indexLab(lab);
  const add = (kind: string, id: string, fields: Record<string, unknown>): void => {
    let key = `${kind}:${id}`;
    for (let n = 2; out.has(key); n++) key = `${kind}:${id}#${n}`;
    const what = kind === 'account' ? 'account' : `${kind} ${id}`;
    out.set(key, { what, fields: textFields(fields) });
  };
  add('account', '', { ...lab.account });
  for (const u of lab.users) add('user', u.name, { role: u.role, promiscuous: u.promiscuous });
  for (const n of lab.networks) add('network', n.id, { ...n, id: undefined });
  for (const h of lab.external) add('external host', h.id, { ...h, id: undefined });
  const visit = (vm: Vm, parent: string | undefined): void => {
    const { adapters, switches, nested, id, ...settings } = vm;
    add('VM', id, {
      ...settings,
      hypervisor: parent,
      virtualMacs: vm.virtualMacs.map(macText),
    });
    for (const a of adapters)
      add('adapter', a.id, {
        ...a,
        id: undefined,
        vm: id,
        mac: macText(a.mac),
        // Compared as the addresses they mean: `10.0.0.21` on a /24 network is `10.0.0.21/24`,
        // and a gateway equal to the network's is the one the adapter has anyway.
        ip: a.ip === undefined ? undefined : ipText(index, a),
        gateway: gatewayText(index, a),
      });
    for (const s of switches) add('switch', s.id, { ...s, id: undefined, vm: id });
    for (const child of nested) visit(child, id);
  };
  for (const vm of lab.vms) visit(vm, undefined);
  return out;
}

function ipText(index: LabIndex, adapter: Adapter): string | undefined {
  const { ip, mask } = addressOf(index, adapter);
  if (ip === null) return adapter.ip;
  let prefix = 0;
  for (let bits = mask >>> 0; bits !== 0; bits = (bits << 1) >>> 0) prefix++;
  return `${Ipv4Address.fromNumber(ip).toString()}/${prefix}`;
}

function gatewayText(index: LabIndex, adapter: Adapter): string | undefined {
  const gateway = gatewayOf(index, adapter);
  return gateway === null ? adapter.gateway : Ipv4Address.fromNumber(gateway).toString();
}

function macText(text: string): string {
  return Mac.parse(text)?.toString() ?? text;
}

/** Fields as text: absent ones left out, lists joined, records as sorted JSON. */
function textFields(fields: Record<string, unknown>): Map<string, string> {
  const out = new Map<string, string>();
  for (const [key, value] of Object.entries(fields)) {
    if (value === undefined) continue;
    out.set(key, text(value));
  }
  return out;
}

function text(value: unknown): string {
  // The order of a list never counts (virtual MACs and IPs are sets).
  if (Array.isArray(value)) return value.map(text).sort().join(', ');
  if (typeof value === 'object' && value !== null) {
    const entries = Object.entries(value).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return JSON.stringify(Object.fromEntries(entries));
  }
  return String(value);
}
