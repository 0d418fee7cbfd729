/**
 * References in the traffic script and the objectives: every id they name must exist in
 * the topology, every address must parse, and a `set` step must name one target with the
 * setting that target has (lab-format.md). Paths point at the offending key.
 */
import type { Lab, ObjectiveCheck, TrafficStep, Violation } from '../model';
import { indexLab } from '../model';
import { assertNever } from '../common/assert-never';
import { Mac } from '../wire/mac';
import { Ipv4Address } from '../wire/ipv4-address';
import { thousands } from '../common/numbers';
import { MAX_PAYLOAD_BYTES, payloadBytes } from '../sim/raw-frame';
import { configTargets } from './config-settings';

type Push = (v: Omit<Violation, 'severity'> & { severity?: Violation['severity'] }) => void;

interface Refs {
  isVm(id: string): boolean;
  isAdapter(id: string): boolean;
  isUser(name: string): boolean;
  isTarget(text: string): boolean;
  isCapturePoint(id: string): boolean;
}

function makeRefs(lab: Lab): Refs {
  const index = indexLab(lab);
  const users = new Set(lab.users.map((u) => u.name));
  // A gateway is addressed by its network's id or as `<network>:gateway` (D5).
  const gateways = new Set(
    lab.networks.filter((n) => n.gateway !== undefined).flatMap((n) => [n.id, `${n.id}:gateway`]),
  );
  return {
    isVm: (id) => index.vms.has(id),
    isAdapter: (id) => index.adapters.has(id),
    isUser: (name) => users.has(name),
    isTarget: (text) =>
      Ipv4Address.parse(text) !== null ||
      index.vms.has(text) ||
      index.adapters.has(text) ||
      index.external.has(text) ||
      gateways.has(text),
    isCapturePoint: (id) => index.vms.has(id) || index.adapters.has(id),
  };
}

function missing(path: string, what: string, id: string): Parameters<Push>[0] {
  return {
    code: 'not-found',
    rule: 'format',
    path,
    message: `There is no ${what} "${id}" in this lab.`,
  };
}

export function validateScript(lab: Lab, push: Push): void {
  const refs = makeRefs(lab);
  lab.traffic.forEach((step, i) => checkStep(step, `traffic[${i}].${step.kind}`, refs, push));
  const ids = new Set<string>();
  lab.objectives.forEach((objective, i) => {
    if (ids.has(objective.id))
      push({
        code: 'duplicate-id',
        rule: 'format',
        path: `objectives[${i}].id`,
        message: `Two objectives have the id "${objective.id}"; rename one.`,
      });
    ids.add(objective.id);
    checkObjective(
      lab,
      objective.check,
      `objectives[${i}].check.${objective.check.kind}`,
      refs,
      push,
    );
  });
}

function checkMac(text: string, path: string, push: Push): void {
  if (!Mac.parse(text))
    push({
      code: 'invalid-address',
      rule: 'A6',
      path,
      message: `"${text}" is not a MAC address; write it like 02:00:00:00:00:01.`,
    });
}

/** An Ethernet II frame carries at most MAX_PAYLOAD_BYTES (IEEE 802.3's MTU). */
function checkPayload(payload: string | undefined, path: string, push: Push): void {
  if (payload === undefined) return;
  const bytes = payloadBytes(payload).length;
  if (bytes > MAX_PAYLOAD_BYTES)
    push({
      code: 'invalid-value',
      rule: 'format',
      path,
      message: `The payload is ${thousands(bytes)} bytes; an Ethernet frame carries at most ${thousands(MAX_PAYLOAD_BYTES)}. Shorten it.`,
    });
}

function checkStep(step: TrafficStep, path: string, refs: Refs, push: Push): void {
  switch (step.kind) {
    case 'ping':
      if (!refs.isVm(step.from) && !refs.isAdapter(step.from))
        push(missing(`${path}.from`, 'VM or adapter', step.from));
      if (!refs.isTarget(step.to))
        push(missing(`${path}.to`, 'IP address, VM, adapter, gateway or external host', step.to));
      return;
    case 'frame':
      if (!refs.isAdapter(step.from)) push(missing(`${path}.from`, 'adapter', step.from));
      checkMac(step.src, `${path}.src`, push);
      checkMac(step.dst, `${path}.dst`, push);
      checkPayload(step.payload, `${path}.payload`, push);
      return;
    case 'garp':
      if (!refs.isAdapter(step.from)) push(missing(`${path}.from`, 'adapter', step.from));
      checkMac(step.mac, `${path}.mac`, push);
      if (!Ipv4Address.parse(step.ip))
        push({
          code: 'invalid-address',
          rule: 'A6',
          path: `${path}.ip`,
          message: `"${step.ip}" is not an IP address.`,
        });
      return;
    case 'power':
      if (!refs.isVm(step.vm)) push(missing(`${path}.vm`, 'VM', step.vm));
      return;
    case 'set':
      checkSet(step, path, refs, push);
      return;
    case 'request':
      if (!refs.isUser(step.actor)) push(missing(`${path}.actor`, 'user', step.actor));
      return;
    case 'approve':
    case 'deny':
    case 'wait':
      return;
    default:
      assertNever(step, 'traffic step');
  }
}

function checkSet(
  step: Extract<TrafficStep, { kind: 'set' }>,
  path: string,
  refs: Refs,
  push: Push,
): void {
  if (!refs.isUser(step.actor)) push(missing(`${path}.actor`, 'user', step.actor));
  const targets = (['adapter', 'user', 'vm'] as const).filter((k) => step[k] !== undefined);
  const target = targets[0];
  const second = targets[1];
  if (target === undefined || second !== undefined) {
    // Pointed at the second target when there is one; else the step lacks its target.
    push({
      code: target === undefined ? 'missing-key' : 'invalid-request',
      rule: 'format',
      path: second === undefined ? path : `${path}.${second}`,
      message: 'A set step names exactly one of adapter, user or vm.',
    });
    return;
  }
  const a = target === 'adapter' ? 'an' : 'a';
  const setting = target === 'vm' ? 'nestedVirtualization' : 'promiscuous';
  const other = target === 'vm' ? 'promiscuous' : 'nestedVirtualization';
  if (step[setting] === undefined)
    push({
      code: 'missing-key',
      rule: 'format',
      path: `${path}.${setting}`,
      message: `A set step on ${a} ${target} sets ${setting} (true or false).`,
    });
  if (step[other] !== undefined)
    push({
      code: 'invalid-request',
      rule: 'format',
      path: `${path}.${other}`,
      message: `A set step on ${a} ${target} sets ${setting}, not ${other}.`,
    });
  const id = step[target] ?? '';
  const exists =
    target === 'adapter' ? refs.isAdapter(id) : target === 'user' ? refs.isUser(id) : refs.isVm(id);
  if (!exists) push(missing(`${path}.${target}`, target, id));
}

function checkObjective(
  lab: Lab,
  check: ObjectiveCheck,
  path: string,
  refs: Refs,
  push: Push,
): void {
  switch (check.kind) {
    case 'reachable':
    case 'unreachable':
      if (!refs.isVm(check.from) && !refs.isAdapter(check.from))
        push(missing(`${path}.from`, 'VM or adapter', check.from));
      if (!refs.isTarget(check.to))
        push(missing(`${path}.to`, 'IP address, VM, adapter, gateway or external host', check.to));
      return;
    case 'captured':
    case 'notCaptured':
      if (!refs.isCapturePoint(check.at))
        push(missing(`${path}.at`, 'bridge, host or adapter', check.at));
      if (check.src !== undefined) checkMac(check.src, `${path}.src`, push);
      if (check.dst !== undefined) checkMac(check.dst, `${path}.dst`, push);
      return;
    case 'config':
      for (const problem of configTargets(lab, check.settings))
        push({ ...problem, path: problem.path ? `${path}.${problem.path}` : path });
      return;
    case 'noLoop':
    case 'valid':
      return;
    default:
      assertNever(check, 'objective check');
  }
}
