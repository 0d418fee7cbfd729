/**
 * Builds defaulted `Lab` values for simulator tests without the YAML parser: the same defaults
 * lab-format.md gives (power running, role host, promiscuous off, x86_64, sim limits).
 */
import { DEFAULT_SIM, DEFAULT_STUDENT } from '../../../../core/model/lab';
import type {
  Adapter,
  Lab,
  NestedSwitch,
  Network,
  SimSettings,
  Vm,
} from '../../../../core/model/lab';

export type AdapterSpec = Partial<Adapter> & { id: string; mac: string };
export type VmSpec = Partial<Omit<Vm, 'adapters' | 'nested'>> & {
  id: string;
  adapters?: AdapterSpec[];
  nested?: VmSpec[];
};

export function adapter(spec: AdapterSpec): Adapter {
  return { promiscuous: false, ...spec };
}

export function vm(spec: VmSpec): Vm {
  const { adapters = [], nested = [], ...rest } = spec;
  return {
    arch: 'x86_64',
    power: 'running',
    nestedVirtualization: (rest.switches?.length ?? 0) > 0 || nested.length > 0,
    role: 'host',
    stp: false,
    virtualMacs: [],
    virtualIps: [],
    switches: [] as NestedSwitch[],
    ...rest,
    adapters: adapters.map(adapter),
    nested: nested.map(vm),
  };
}

export function lab(spec: {
  networks?: Network[];
  vms?: VmSpec[];
  external?: { id: string; ip: string }[];
  sim?: Partial<SimSettings>;
}): Lab {
  return {
    nestlab: 1,
    title: 'test',
    profile: 'skytap',
    account: { promiscuousMode: 'enabled' },
    users: [{ name: 'trainer', role: 'admin', promiscuous: true }],
    actingUser: 'trainer',
    networks: spec.networks ?? [],
    external: spec.external ?? [],
    vms: (spec.vms ?? []).map(vm),
    traffic: [],
    objectives: [],
    checkpoints: [],
    student: DEFAULT_STUDENT,
    sim: { ...DEFAULT_SIM, ...spec.sim },
  };
}

/** A copy of `base` with one adapter changed (anywhere in the VM tree). */
export function withAdapter(base: Lab, id: string, change: Partial<Adapter>): Lab {
  const visit = (v: Vm): Vm => ({
    ...v,
    adapters: v.adapters.map((a) => (a.id === id ? { ...a, ...change } : a)),
    nested: v.nested.map(visit),
  });
  return { ...base, vms: base.vms.map(visit) };
}

/** A copy of `base` with one VM changed (anywhere in the VM tree). */
export function withVm(base: Lab, id: string, change: Partial<Vm>): Lab {
  const visit = (v: Vm): Vm =>
    v.id === id ? { ...v, ...change } : { ...v, nested: v.nested.map(visit) };
  return { ...base, vms: base.vms.map(visit) };
}

/** MAC `02:00:00:00:xx:yy` for test hosts. */
export function mac(x: number, y: number): string {
  const h = (n: number): string => n.toString(16).padStart(2, '0');
  return `02:00:00:00:${h(x)}:${h(y)}`;
}
