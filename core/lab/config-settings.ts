/**
 * The `config` objective check: `{ adapter: X, promiscuous: true }`, `{ vm: X, power: stopped }`,
 * `{ user: X, promiscuous: true }`, `{ network: X, gateway: … }`, or with no target the
 * account (`{ promiscuousMode: enabled }`). One table says which settings each target has,
 * so validation and grading agree.
 */
import type { ConfigCheck, Lab, Violation } from '../model';
import { indexLab } from '../model';

const SETTINGS = {
  adapter: ['promiscuous', 'mac', 'ip', 'network', 'switch', 'gateway', 'name'],
  vm: ['power', 'arch', 'nestedVirtualization', 'role', 'stp', 'guestOs', 'name'],
  user: ['promiscuous', 'role'],
  network: ['subnet', 'gateway', 'name'],
  account: ['promiscuousMode'],
} as const;

type Target = keyof typeof SETTINGS;
const TARGET_KEYS = ['adapter', 'vm', 'user', 'network'] as const;

type Problem = Omit<Violation, 'severity' | 'path'> & { path: string };

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
  const own: readonly string[] = SETTINGS[target];
  const extra = named.slice(1).filter((k) => !own.includes(k));
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

/** Problems with a config check's shape: an unknown target, an unknown setting. */
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
  if (target !== 'account' && !lookup(lab, target, id))
    problems.push({
      code: 'not-found',
      rule: 'format',
      path: target,
      message: `There is no ${target} "${id ?? ''}" in this lab.`,
    });
  const known: readonly string[] = SETTINGS[target];
  if (keys.length === 0)
    problems.push({
      code: 'invalid-request',
      rule: 'format',
      path: '',
      message: `Name at least one setting to compare (${known.join(', ')}).`,
    });
  for (const key of keys)
    if (!known.includes(key))
      problems.push({
        code: 'invalid-request',
        rule: 'format',
        path: key,
        message: `${target === 'adapter' || target === 'account' ? 'An' : 'A'} ${target} has no setting "${key}"; use one of ${known.join(', ')}.`,
      });
  return problems;
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
    const expected = (settings as Record<string, unknown>)[key];
    const actual = record[key];
    if (actual !== expected)
      wrong.push(
        `${key} is ${JSON.stringify(actual ?? null)}, expected ${JSON.stringify(expected)}`,
      );
  }
  return wrong.length === 0
    ? { passed: true, message: `${label} is set as required.` }
    : { passed: false, message: `On ${label}: ${wrong.join('; ')}.` };
}
