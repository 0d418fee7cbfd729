/**
 * The exercise editors' forms, as data: for each kind of traffic step and objective check
 * (lab-format.md's tables) the fields it has, what each may hold and where its choices come
 * from (the lab's own VMs, adapters, users, addresses). Values go to and from the lab file's
 * plain form, the form `exercise.set` reads with the file's parser, so the core decides
 * what is valid and says where. Pure: no Svelte, no api.
 */
import type { Lab, Vm } from '../../../core/model/lab';

export type Plain = Record<string, unknown>;

export type FieldType =
  | 'vm'
  | 'sender'
  | 'adapter'
  | 'device'
  | 'endpoint'
  | 'user'
  | 'power'
  | 'proto'
  | 'frameType'
  | 'mac'
  | 'ip'
  | 'text'
  | 'longText'
  | 'count'
  | 'seconds'
  | 'bool';

export interface FieldSpec {
  readonly key: string;
  readonly label: string;
  readonly type: FieldType;
  readonly optional?: boolean;
  readonly hint?: string;
}

export const STEP_KINDS = [
  'ping',
  'frame',
  'garp',
  'power',
  'set',
  'request',
  'approve',
  'deny',
  'wait',
] as const;
export type StepKind = (typeof STEP_KINDS)[number];

export const STEP_LABELS: Record<StepKind, string> = {
  ping: 'Ping',
  frame: 'Raw frame',
  garp: 'Gratuitous ARP',
  power: 'Power a VM',
  set: 'Change a setting',
  request: 'Request the feature',
  approve: 'Approve the request',
  deny: 'Deny the request',
  wait: 'Wait',
};

export const STEP_FIELDS: Record<StepKind, readonly FieldSpec[]> = {
  ping: [
    { key: 'from', label: 'From VM', type: 'sender' },
    { key: 'to', label: 'To (VM, host or IP)', type: 'endpoint' },
    { key: 'count', label: 'Count', type: 'count', optional: true, hint: '1 when empty' },
  ],
  frame: [
    { key: 'from', label: 'From adapter', type: 'adapter' },
    { key: 'src', label: 'Source MAC', type: 'mac' },
    { key: 'dst', label: 'Destination MAC', type: 'mac' },
    { key: 'type', label: 'Type', type: 'frameType', hint: 'arp, ipv4 or an EtherType number' },
    { key: 'payload', label: 'Payload (hex)', type: 'text', optional: true },
  ],
  garp: [
    { key: 'from', label: 'From adapter', type: 'adapter' },
    { key: 'mac', label: 'Source MAC', type: 'mac' },
    { key: 'ip', label: 'IP announced', type: 'ip' },
  ],
  power: [
    { key: 'vm', label: 'VM', type: 'vm' },
    { key: 'state', label: 'State', type: 'power' },
  ],
  set: [
    {
      key: 'actor',
      label: 'As user',
      type: 'user',
      optional: true,
      hint: 'empty: the acting user when the step is kept',
    },
    { key: 'adapter', label: 'Adapter', type: 'adapter', optional: true },
    { key: 'user', label: 'User', type: 'user', optional: true },
    { key: 'vm', label: 'VM', type: 'vm', optional: true },
    { key: 'promiscuous', label: 'Promiscuous', type: 'bool', optional: true },
    { key: 'nestedVirtualization', label: 'Nested virtualization', type: 'bool', optional: true },
  ],
  request: [
    {
      key: 'actor',
      label: 'As user',
      type: 'user',
      optional: true,
      hint: 'empty: the acting user when the step is kept',
    },
    { key: 'useCase', label: 'Use case', type: 'longText' },
  ],
  approve: [],
  deny: [],
  wait: [{ key: 'seconds', label: 'Seconds', type: 'seconds' }],
};

export const CHECK_KINDS = [
  'reachable',
  'unreachable',
  'captured',
  'notCaptured',
  'noLoop',
  'config',
  'valid',
] as const;
export type CheckKind = (typeof CHECK_KINDS)[number];

export const CHECK_LABELS: Record<CheckKind, string> = {
  reachable: 'Reachable (a ping is answered)',
  unreachable: 'Unreachable (a ping is not answered)',
  captured: 'Captured (a frame is recorded at a device)',
  notCaptured: 'Not captured (no such frame at a device)',
  noLoop: 'No loop (no storm was stopped)',
  config: 'Configuration (settings have these values)',
  valid: 'Valid (the lab breaks no rule)',
};

const capture: readonly FieldSpec[] = [
  { key: 'at', label: 'At device', type: 'device' },
  { key: 'src', label: 'Source MAC', type: 'mac', optional: true },
  { key: 'dst', label: 'Destination MAC', type: 'mac', optional: true },
  { key: 'proto', label: 'Protocol', type: 'proto', optional: true },
];

/** The fields of each check but `config`, whose settings are rows (see CONFIG_SETTINGS). */
export const CHECK_FIELDS: Record<Exclude<CheckKind, 'config'>, readonly FieldSpec[]> = {
  reachable: [
    { key: 'from', label: 'From VM', type: 'sender' },
    { key: 'to', label: 'To (VM, host or IP)', type: 'endpoint' },
  ],
  unreachable: [
    { key: 'from', label: 'From VM', type: 'sender' },
    { key: 'to', label: 'To (VM, host or IP)', type: 'endpoint' },
  ],
  captured: capture,
  notCaptured: capture,
  noLoop: [],
  valid: [],
};

/** A `config` check's target and the settings it has, each with its value's type. */
export const CONFIG_TARGETS = ['adapter', 'vm', 'user', 'network', 'account'] as const;
export type ConfigTarget = (typeof CONFIG_TARGETS)[number];

export const CONFIG_SETTINGS: Record<ConfigTarget, Readonly<Record<string, FieldType>>> = {
  adapter: {
    promiscuous: 'bool',
    mac: 'mac',
    ip: 'ip',
    network: 'text',
    switch: 'text',
    gateway: 'ip',
    name: 'text',
  },
  vm: {
    power: 'power',
    nestedVirtualization: 'bool',
    stp: 'bool',
    arch: 'text',
    role: 'text',
    guestOs: 'text',
    name: 'text',
  },
  user: { promiscuous: 'bool', role: 'text' },
  network: { subnet: 'text', gateway: 'ip', name: 'text' },
  account: { promiscuousMode: 'text' },
};

/** A form's values: text as typed, booleans as 'true'/'false', '' for an empty optional field. */
export type Values = Record<string, string>;

/** A one-key plain object (`{ ping: {...} }`) → its kind and its fields as form values. */
export function readOneKey(plain: Plain): { kind: string; values: Values } {
  const [kind = '', body] = Object.entries(plain)[0] ?? [];
  const values: Values = {};
  if (body && typeof body === 'object')
    for (const [key, value] of Object.entries(body as Plain)) values[key] = String(value);
  return { kind, values };
}

/**
 * Form values → the field's plain value: numbers for counts and seconds, booleans for yes/no,
 * an EtherType as a number, empty optional fields left out. A value the form cannot read
 * (`count: two`) is passed as typed, so the core's parser says what is wrong with it.
 */
export function plainOf(fields: readonly FieldSpec[], values: Values): Plain {
  const out: Plain = {};
  for (const field of fields) {
    const raw = (values[field.key] ?? '').trim();
    if (raw === '' && field.optional) continue;
    out[field.key] = typed(field.type, raw);
  }
  return out;
}

export function typed(type: FieldType, raw: string): unknown {
  switch (type) {
    case 'count':
    case 'seconds':
      return raw !== '' && Number.isFinite(Number(raw)) ? Number(raw) : raw;
    case 'bool':
      return raw === 'true' ? true : raw === 'false' ? false : raw;
    case 'frameType':
    case 'proto':
      return /^(0x[0-9a-f]+|\d+)$/i.test(raw) ? Number(raw) : raw;
    default:
      return raw;
  }
}

/**
 * A step from the form; `kept` holds what the form does not show of the step it edits (a
 * request's attached diagram), which stays as it was.
 */
export function stepPlain(kind: StepKind, values: Values, kept: Plain = {}): Plain {
  return { [kind]: { ...kept, ...plainOf(STEP_FIELDS[kind], values) } };
}

/** What of a step the form has no field for (a request's `diagram`): kept when it is saved. */
export function hiddenOf(step: Plain | null): { kind: string; rest: Plain } {
  if (!step) return { kind: '', rest: {} };
  const [kind = '', body] = Object.entries(step)[0] ?? [];
  const shown = new Set((STEP_FIELDS[kind as StepKind] ?? []).map((f) => f.key));
  const rest: Plain = {};
  if (body && typeof body === 'object')
    for (const [key, value] of Object.entries(body as Plain))
      if (!shown.has(key)) rest[key] = value;
  return { kind, rest };
}

/**
 * The script with step `index` moved by `by` (or removed: `by` null), and the checkpoints
 * following their steps: a checkpoint asks before a step, named by its place in the script.
 * Removing a step removes the checkpoints asked before it.
 */
export function scriptChange(
  traffic: readonly Plain[],
  checkpoints: readonly Plain[],
  index: number,
  by: -1 | 1 | null,
): { traffic: Plain[]; checkpoints: Plain[] } {
  const to = by === null ? index : index + by;
  const stays = by !== null && (to < 0 || to >= traffic.length);
  const place = (before: number): number | null => {
    if (by === null) return before === index ? null : before > index ? before - 1 : before;
    if (stays) return before;
    return before === index ? to : before === to ? index : before;
  };
  return {
    traffic: by === null ? traffic.filter((_, i) => i !== index) : moved(traffic, index, by),
    checkpoints: checkpoints.flatMap((c) => {
      const before = place(Number(c.before));
      return before === null ? [] : [{ ...c, before }];
    }),
  };
}

export function checkPlain(kind: Exclude<CheckKind, 'config'>, values: Values): Plain {
  if (kind === 'noLoop' || kind === 'valid') return { [kind]: true };
  return { [kind]: plainOf(CHECK_FIELDS[kind], values) };
}

export function configPlain(
  target: ConfigTarget,
  id: string,
  settings: readonly { readonly key: string; readonly value: string }[],
): Plain {
  const out: Plain = target === 'account' ? {} : { [target]: id.trim() };
  for (const { key, value } of settings) {
    if (key === '') continue;
    out[key] = typed(CONFIG_SETTINGS[target][key] ?? 'text', value.trim());
  }
  return { config: out };
}

/** A config check's plain settings → its target, id and setting rows. */
export function readConfig(settings: Plain): {
  target: ConfigTarget;
  id: string;
  rows: { key: string; value: string }[];
} {
  const target = (['adapter', 'vm', 'user', 'network'] as const).find(
    (t) => settings[t] !== undefined,
  );
  const rows = Object.entries(settings)
    .filter(([key]) => key !== target)
    .map(([key, value]) => ({ key, value: String(value) }));
  return { target: target ?? 'account', id: target ? String(settings[target]) : '', rows };
}

export interface Choice {
  readonly value: string;
  readonly label: string;
}

function allVms(lab: Lab): Vm[] {
  const out: Vm[] = [];
  const walk = (vms: readonly Vm[]) => {
    for (const vm of vms) {
      out.push(vm);
      walk(vm.nested);
    }
  };
  walk(lab.vms);
  return out;
}

/** What a field offers from the lab: its ids, addresses and the values a setting can take. */
export function choicesFor(type: FieldType, lab: Lab): readonly Choice[] {
  const vms = allVms(lab);
  const adapters = vms.flatMap((vm) => vm.adapters.map((a) => ({ vm, adapter: a })));
  switch (type) {
    case 'vm':
      return vms.map((vm) => ({ value: vm.id, label: vm.id }));
    case 'sender':
    case 'device':
      // A ping leaves from a VM or one of its adapters; a capture is a host's, a bridge's or an
      // adapter's.
      return [
        ...vms.map((vm) => ({
          value: vm.id,
          label: vm.role === 'bridge' ? `${vm.id} (bridge)` : vm.id,
        })),
        ...adapters.map(({ vm, adapter }) => ({
          value: adapter.id,
          label: `${adapter.id} (adapter of ${vm.id})`,
        })),
      ];
    case 'adapter':
      return adapters.map(({ vm, adapter }) => ({
        value: adapter.id,
        label: `${adapter.id} (${vm.id})`,
      }));
    case 'user':
      return lab.users.map((u) => ({ value: u.name, label: `${u.name} (${u.role})` }));
    case 'power':
      return ['running', 'stopped', 'suspended'].map((value) => ({ value, label: value }));
    case 'bool':
      return [
        { value: 'true', label: 'yes' },
        { value: 'false', label: 'no' },
      ];
    case 'proto':
    case 'frameType':
      return (type === 'proto' ? ['arp', 'icmp', 'ipv4'] : ['arp', 'ipv4']).map((value) => ({
        value,
        label: value,
      }));
    case 'mac':
      return adapters.map(({ adapter }) => ({ value: adapter.mac, label: adapter.id }));
    case 'ip':
    case 'endpoint': {
      const ips = [
        ...adapters.flatMap(({ adapter }) =>
          adapter.ip ? [{ value: adapter.ip.split('/')[0] ?? adapter.ip, label: adapter.id }] : [],
        ),
        ...lab.networks.flatMap((n) =>
          n.gateway ? [{ value: n.gateway, label: `${n.id} gateway` }] : [],
        ),
        ...lab.external.map((h) => ({ value: h.ip, label: h.id })),
      ];
      if (type === 'ip') return ips;
      return [
        ...vms.map((vm) => ({ value: vm.id, label: 'VM' })),
        ...lab.external.map((h) => ({ value: h.id, label: 'external host' })),
        ...ips,
      ];
    }
    default:
      return [];
  }
}

/** Choices that must be picked from (the rest offer suggestions and take any text). */
export function isClosed(type: FieldType): boolean {
  return ['vm', 'sender', 'device', 'adapter', 'user', 'power', 'bool'].includes(type);
}

/** A step or check in one line, as the lists show it: `ping web1 → 10.0.0.254`. */
export function summary(plain: Plain): string {
  const { kind, values } = readOneKey(plain);
  const v = (key: string) => values[key] ?? '';
  switch (kind) {
    case 'ping':
      return `ping ${v('from')} → ${v('to')}${v('count') ? ` ×${v('count')}` : ''}`;
    case 'reachable':
    case 'unreachable':
      return `${kind}: ${v('from')} → ${v('to')}`;
    case 'captured':
    case 'notCaptured': {
      const filters = ['src', 'dst', 'proto'].filter((k) => v(k)).map((k) => `${k} ${v(k)}`);
      return `${kind} at ${v('at')}${filters.length ? ` (${filters.join(', ')})` : ''}`;
    }
    case 'frame':
      return `frame from ${v('from')}: ${v('src')} → ${v('dst')} (${v('type')})`;
    case 'garp':
      return `gratuitous ARP from ${v('from')}: ${v('ip')} is ${v('mac')}`;
    case 'power':
      return `power ${v('vm')} ${v('state')}`;
    case 'set': {
      const what = v('adapter') || v('user') || v('vm');
      const setting = v('promiscuous')
        ? `promiscuous ${v('promiscuous')}`
        : `nestedVirtualization ${v('nestedVirtualization')}`;
      return `set ${what} ${setting}${v('actor') ? ` as ${v('actor')}` : ''}`;
    }
    case 'request':
      return `request the feature${v('actor') ? ` as ${v('actor')}` : ''}`;
    case 'wait':
      return `wait ${v('seconds')} s`;
    case 'config':
      return `config: ${Object.entries((plain.config ?? {}) as Plain)
        .map(([k, value]) => `${k} ${String(value)}`)
        .join(', ')}`;
    default:
      return kind;
  }
}

/** The list moved: `index` up (-1) or down (+1); the same list when it cannot move. */
export function moved<T>(list: readonly T[], index: number, by: -1 | 1): T[] {
  const to = index + by;
  if (to < 0 || to >= list.length) return [...list];
  const out = [...list];
  const [item] = out.splice(index, 1);
  if (item !== undefined) out.splice(to, 0, item);
  return out;
}
