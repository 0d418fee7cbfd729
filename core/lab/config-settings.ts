/**
 * The `config` objective check: `{ adapter: X, promiscuous: true }`, `{ vm: X, power: stopped }`,
 * `{ user: X, promiscuous: true }`, `{ network: X, gateway: … }`, or with no target the
 * account (`{ promiscuousMode: enabled }`). One table says which settings each target has and
 * what type each value is (lab-format.md, "Exercise keys": a power state, a boolean, a MAC…), so
 * validation and grading agree: a value of the wrong type is an error at its path, and a value
 * is compared as its type (a MAC as a MAC, in any spelling).
 */
import type { Account, Adapter, ConfigCheck, Lab, Network, User, Violation, Vm } from '../model';
import { indexLab } from '../model';
import { Mac } from '../wire/mac';
import { Ipv4Address, parseCidr } from '../wire/ipv4-address';
import {
  architectureSchema,
  featureStateSchema,
  powerStateSchema,
  userRoleSchema,
  vmRoleSchema,
} from './schema';

/** What a setting's value is, and the form in which two values of it are compared. */
interface SettingType {
  /** The type in words, for messages: `true or false`, `a MAC address like 02:00:00:00:00:01`. */
  readonly expected: string;
  readonly base: 'boolean' | 'string';
  /** The code for a value of the right base type that is still not one (`off` for a power state). */
  readonly code: 'invalid-value' | 'invalid-address';
  /** The value as compared, or undefined when it is not of this type. */
  readonly read: (value: unknown) => string | boolean | undefined;
}

const BOOLEAN: SettingType = {
  expected: 'true or false',
  base: 'boolean',
  code: 'invalid-value',
  read: (value) => (typeof value === 'boolean' ? value : undefined),
};

/** A string; `parse` gives the form it is compared in (undefined: not one of these). */
function text(
  expected: string,
  parse: (value: string) => string | undefined = (value) => value,
  code: SettingType['code'] = 'invalid-value',
): SettingType {
  return {
    expected,
    base: 'string',
    code,
    read: (value) => (typeof value === 'string' ? parse(value) : undefined),
  };
}

/** One of the values of one of the lab schema's picklists. */
function oneOf(what: string, options: readonly string[]): SettingType {
  const list = `${options.slice(0, -1).join(', ')} or ${options[options.length - 1] ?? ''}`;
  return text(`${what}: ${list}`, (value) => (options.includes(value) ? value : undefined));
}

const TEXT = text('text');
const ID = text('an id');
// Compared as a MAC (lab-format.md): 02-00-00-00-00-01 is 02:00:00:00:00:01.
const MAC = text(
  'a MAC address like 02:00:00:00:00:01',
  (value) => Mac.parse(value)?.toString(),
  'invalid-address',
);
const ADDRESS = text(
  'an IPv4 address like 10.0.0.254',
  (value) => (Ipv4Address.parse(value) ? value : undefined),
  'invalid-address',
);
/** An adapter's `ip`: with its prefix, or bare (lab-format.md, "IPv4 addresses"). */
const ADAPTER_IP = text(
  'an IPv4 address like 10.0.0.10/24',
  (value) => (parseCidr(value) || Ipv4Address.parse(value) ? value : undefined),
  'invalid-address',
);
const SUBNET = text(
  'a subnet like 10.0.0.0/24',
  (value) => (parseCidr(value) ? value : undefined),
  'invalid-address',
);

/**
 * Each target's settings, typed by the model's records: a setting is a key of the record it
 * is read from, and the picklists are the lab schema's own.
 */
const SETTINGS = {
  adapter: {
    promiscuous: BOOLEAN,
    mac: MAC,
    ip: ADAPTER_IP,
    network: ID,
    switch: ID,
    gateway: ADDRESS,
    name: TEXT,
  },
  vm: {
    power: oneOf('a power state', powerStateSchema.options),
    arch: oneOf('an architecture', architectureSchema.options),
    nestedVirtualization: BOOLEAN,
    role: oneOf('a role', vmRoleSchema.options),
    stp: BOOLEAN,
    guestOs: TEXT,
    name: TEXT,
  },
  user: { promiscuous: BOOLEAN, role: oneOf('a role', userRoleSchema.options) },
  network: { subnet: SUBNET, gateway: ADDRESS, name: TEXT },
  account: { promiscuousMode: oneOf('a feature state', featureStateSchema.options) },
} as const satisfies {
  adapter: { [K in keyof Adapter]?: SettingType };
  vm: { [K in keyof Vm]?: SettingType };
  user: { [K in keyof User]?: SettingType };
  network: { [K in keyof Network]?: SettingType };
  account: { [K in keyof Account]?: SettingType };
};

type Target = keyof typeof SETTINGS;
const TARGET_KEYS = ['adapter', 'vm', 'user', 'network'] as const;

type Problem = Omit<Violation, 'severity' | 'path'> & { path: string };

/** The type of `target`'s setting `key`, or undefined when it has no such setting. */
function settingType(target: Target, key: string): SettingType | undefined {
  const table: Readonly<Record<string, SettingType>> = SETTINGS[target];
  return Object.hasOwn(table, key) ? table[key] : undefined;
}

/**
 * The target (the first of adapter, vm, user, network named; else the account), its id, other
 * targets named besides it (a mistake), and the settings to compare: every other key. A key
 * that names a target can also be a setting of the first: `{ adapter: a0, network: lan }`
 * asks whether adapter a0 is on network lan.
 */
function targetOf(settings: ConfigCheck): {
  target: Target;
  id?: string;
  extra: string[];
  keys: string[];
} {
  const named = TARGET_KEYS.filter((k) => settings[k] !== undefined);
  const target = named[0];
  if (target === undefined) return { target: 'account', extra: [], keys: Object.keys(settings) };
  const extra = named.slice(1).filter((k) => settingType(target, k) === undefined);
  const keys = Object.keys(settings).filter(
    (k) => k !== target && !(extra as readonly string[]).includes(k),
  );
  return { target, id: String(settings[target]), extra, keys };
}

function lookup(
  lab: Lab,
  target: Target,
  id: string | undefined,
): Record<string, unknown> | undefined {
  const index = indexLab(lab);
  switch (target) {
    case 'adapter':
      return index.adapters.get(id ?? '')?.adapter as Record<string, unknown> | undefined;
    case 'vm':
      return index.vms.get(id ?? '')?.vm as unknown as Record<string, unknown> | undefined;
    case 'user':
      return lab.users.find((u) => u.name === id) as Record<string, unknown> | undefined;
    case 'network':
      return index.networks.get(id ?? '')?.network as Record<string, unknown> | undefined;
    case 'account':
      return lab.account as unknown as Record<string, unknown>;
  }
}

/** A value as a message names it: `"on"`, `the number 5`, `true`. */
function shown(value: unknown): string {
  if (typeof value === 'string') return `"${value}"`;
  return typeof value === 'number' ? `the number ${value}` : String(value);
}

/** A problem with one value: the wrong type (`promiscuous: "yes"`), or not one (`power: off`). */
function valueProblem(path: string, value: unknown, type: SettingType): Problem | undefined {
  if (type.read(value) !== undefined) return undefined;
  const unquote =
    type.base === 'boolean' && (value === 'true' || value === 'false')
      ? ` (write ${value} without quotes)`
      : '';
  return {
    code: typeof value === type.base ? type.code : 'wrong-type',
    rule: 'format',
    path,
    message: `${path} must be ${type.expected}; found ${shown(value)}${unquote}.`,
  };
}

/** Problems with a config check: an unknown target or setting, a value of the wrong type. */
export function configTargets(lab: Lab, settings: ConfigCheck): Problem[] {
  const { target, id, extra, keys } = targetOf(settings);
  const problems: Problem[] = [];
  if (extra.length > 0)
    problems.push({
      code: 'invalid-request',
      rule: 'format',
      path: '',
      message: `A config check names one target; found ${target} and ${extra.join(', ')}.`,
    });
  if (target !== 'account') {
    const wrong = valueProblem(target, settings[target], ID);
    if (wrong) problems.push(wrong);
    else if (!lookup(lab, target, id))
      problems.push({
        code: 'not-found',
        rule: 'format',
        path: target,
        message: `There is no ${target} "${id ?? ''}" in this lab.`,
      });
  }
  const known = Object.keys(SETTINGS[target]);
  if (keys.length === 0)
    problems.push({
      code: 'invalid-request',
      rule: 'format',
      path: '',
      message: `Name at least one setting to compare (${known.join(', ')}).`,
    });
  for (const key of keys) {
    const type = settingType(target, key);
    const problem = type
      ? valueProblem(key, settings[key], type)
      : {
          code: 'invalid-request' as const,
          rule: 'format',
          path: key,
          message: `${target === 'adapter' || target === 'account' ? 'An' : 'A'} ${target} has no setting "${key}"; use one of ${known.join(', ')}.`,
        };
    if (problem) problems.push(problem);
  }
  return problems;
}

/** Whether the lab's `actual` value is the check's `expected` one, both read as their type. */
function same(type: SettingType | undefined, expected: unknown, actual: unknown): boolean {
  const want = type?.read(expected);
  const have = type?.read(actual);
  return want !== undefined && have !== undefined ? want === have : expected === actual;
}

/** Grades a config check against a lab: every named setting must equal the lab's value. */
export function evaluateConfig(
  lab: Lab,
  settings: ConfigCheck,
): { passed: boolean; message: string } {
  const { target, id, keys } = targetOf(settings);
  const record = lookup(lab, target, id);
  const label = target === 'account' ? 'the account' : `${target} ${id ?? ''}`;
  if (!record) return { passed: false, message: `There is no ${label}.` };
  const wrong: string[] = [];
  for (const key of keys) {
    const expected = settings[key];
    const actual = record[key];
    if (!same(settingType(target, key), expected, actual))
      wrong.push(
        `${key} is ${JSON.stringify(actual ?? null)}, expected ${JSON.stringify(expected)}`,
      );
  }
  return wrong.length === 0
    ? { passed: true, message: `${label} is set as required.` }
    : { passed: false, message: `On ${label}: ${wrong.join('; ')}.` };
}
