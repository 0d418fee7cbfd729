/**
 * `Lab` → the lab file's plain form (lab-format.md): keys in the format's order, defaults left
 * out so a saved file reads like a hand-written one. What `serializeLab` writes as YAML, and
 * what the app's exercise editors edit (the form `exercise.set` reads back with the parser).
 */
import type {
  Adapter,
  AttemptAnswers,
  Checkpoint,
  CheckpointFate,
  Lab,
  Objective,
  ObjectiveCheck,
  StudentPolicy,
  TrafficStep,
  Vm,
} from '../model';
import { DEFAULT_SIM, hasDefaultCast } from '../model';
import { assertNever } from '../common/assert-never';

export type Plain = Record<string, unknown>;

function compact(record: Plain): Plain {
  return Object.fromEntries(Object.entries(record).filter(([, v]) => v !== undefined));
}

function adapterToPlain(a: Adapter): Plain {
  return compact({
    id: a.id,
    name: a.name,
    network: a.network,
    switch: a.switch,
    mac: a.mac,
    ip: a.ip,
    gateway: a.gateway,
    promiscuous: a.promiscuous ? true : undefined,
  });
}

function vmToPlain(vm: Vm): Plain {
  const esxiDefault = vm.guestOs !== undefined && /esxi/i.test(vm.guestOs);
  const nonEmpty = <T>(list: readonly T[]): readonly T[] | undefined =>
    list.length > 0 ? list : undefined;
  return compact({
    id: vm.id,
    name: vm.name,
    guestOs: vm.guestOs,
    arch: vm.arch === 'x86_64' ? undefined : vm.arch,
    power: vm.power === 'running' ? undefined : vm.power,
    nestedVirtualization:
      vm.nestedVirtualization === esxiDefault ? undefined : vm.nestedVirtualization,
    role: vm.role === 'host' ? undefined : vm.role,
    stp: vm.stp ? true : undefined,
    virtualMacs: nonEmpty(vm.virtualMacs),
    virtualIps: nonEmpty(vm.virtualIps),
    adapters: nonEmpty(vm.adapters.map(adapterToPlain)),
    switches: nonEmpty(vm.switches.map((s) => compact({ ...s }))),
    nested: nonEmpty(vm.nested.map(vmToPlain)),
  });
}

export function stepToPlain(step: TrafficStep): Plain {
  switch (step.kind) {
    case 'ping': {
      const { kind, count, ...rest } = step;
      return { [kind]: compact({ ...rest, count: count === 1 ? undefined : count }) };
    }
    case 'approve':
    case 'deny':
      return { [step.kind]: {} };
    case 'frame':
    case 'garp':
    case 'power':
    case 'set':
    case 'request':
    case 'wait': {
      const { kind, ...rest } = step;
      return { [kind]: compact(rest) };
    }
    default:
      return assertNever(step, 'traffic step');
  }
}

export function checkToPlain(check: ObjectiveCheck): Plain {
  switch (check.kind) {
    case 'noLoop':
    case 'valid':
      return { [check.kind]: true };
    case 'config':
      return { config: compact({ ...check.settings }) };
    case 'reachable':
    case 'unreachable':
    case 'captured':
    case 'notCaptured': {
      const { kind, ...rest } = check;
      return { [kind]: compact(rest) };
    }
    default:
      return assertNever(check, 'objective check');
  }
}

function fateToPlain(fate: CheckpointFate): Plain {
  return 'delivered' in fate
    ? { delivered: fate.delivered }
    : compact({ dropped: fate.dropped, reason: fate.reason });
}

export function checkpointToPlain(checkpoint: Checkpoint): Plain {
  return compact({
    id: checkpoint.id,
    before: checkpoint.before,
    question: checkpoint.question,
    choices: checkpoint.choices.map((c) => ({ text: c.text, fate: fateToPlain(c.fate) })),
    explain: checkpoint.explain,
  });
}

/** Left out when it is the default (`edit: all`, every user). */
function studentToPlain(student: StudentPolicy): Plain | undefined {
  if (student.edit === 'all' && student.actAs === undefined) return undefined;
  return compact({
    edit: student.edit === 'all' ? undefined : student.edit,
    actAs: student.actAs !== undefined ? [...student.actAs] : undefined,
  });
}

/** Kept even when empty (`attempt: {}`): a saved attempt says it is one. */
function attemptToPlain(attempt: AttemptAnswers): Plain {
  return compact({
    answers: Object.keys(attempt.answers).length > 0 ? { ...attempt.answers } : undefined,
    hints: attempt.hints.length > 0 ? [...attempt.hints] : undefined,
  });
}

export function objectiveToPlain(o: Objective): Plain {
  return compact({
    id: o.id,
    name: o.name,
    text: o.text,
    hint: o.hint,
    check: checkToPlain(o.check),
  });
}

/** The exercise's keys in the file's form, each always there, as the app's editors start from. */
export interface PlainExercise {
  readonly traffic: Plain[];
  readonly objectives: Plain[];
  readonly checkpoints: Plain[];
  readonly student: { edit: StudentPolicy['edit']; actAs?: string[] };
}

export function exerciseToPlain(lab: Lab): PlainExercise {
  return {
    traffic: lab.traffic.map(stepToPlain),
    objectives: lab.objectives.map(objectiveToPlain),
    checkpoints: lab.checkpoints.map(checkpointToPlain),
    student: {
      edit: lab.student.edit,
      ...(lab.student.actAs !== undefined && { actAs: [...lab.student.actAs] }),
    },
  };
}

export function labToPlain(lab: Lab): Plain {
  const sim = Object.fromEntries(
    Object.entries(lab.sim).filter(([k, v]) => DEFAULT_SIM[k as keyof typeof DEFAULT_SIM] !== v),
  );
  return compact({
    nestlab: 1,
    title: lab.title,
    description: lab.description,
    profile: lab.profile,
    account: compact({ ...lab.account }),
    // A file without `users` means the default trainer (lab-format.md); keep it that short.
    users: hasDefaultCast(lab) ? undefined : lab.users.map((u) => ({ ...u })),
    actingUser: hasDefaultCast(lab) ? undefined : lab.actingUser,
    networks: lab.networks.map((n) => compact({ ...n })),
    external: lab.external.length > 0 ? lab.external.map((h) => compact({ ...h })) : undefined,
    vms: lab.vms.map(vmToPlain),
    traffic: lab.traffic.length > 0 ? lab.traffic.map(stepToPlain) : undefined,
    objectives: lab.objectives.length > 0 ? lab.objectives.map(objectiveToPlain) : undefined,
    checkpoints: lab.checkpoints.length > 0 ? lab.checkpoints.map(checkpointToPlain) : undefined,
    student: studentToPlain(lab.student),
    attempt: lab.attempt !== undefined ? attemptToPlain(lab.attempt) : undefined,
    sim: Object.keys(sim).length > 0 ? sim : undefined,
    ui: lab.ui,
  });
}
