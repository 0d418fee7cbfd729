/**
 * References of the exercise keys (lab-format.md, "Exercise keys"): a checkpoint comes before a
 * step the script has and names places a frame can end at (the `at` of trace events: adapters,
 * networks, nested switches, bridges, `<network>:gateway` for a network with a gateway, external
 * hosts); checkpoint ids are unique, and each can be a key of a saved attempt's answers;
 * `student.actAs` names users. A saved attempt's `attempt:`
 * answers and hints that name nothing of this lab are warnings: grading ignores them anyway.
 * Paths point at the offending key.
 */
import type { Checkpoint, Lab, TrafficStep, Violation } from '../model';
import { formatPath, indexLab } from '../model';
import { FORBIDDEN_KEYS } from './yaml-scan';

type Push = (v: Omit<Violation, 'severity'> & { severity?: Violation['severity'] }) => void;

/**
 * Steps that send no frame of their own (edits, and `wait`, which only lets frames already on
 * their way arrive): a checkpoint before one has no right choice.
 */
const SILENT_STEPS: ReadonlySet<TrafficStep['kind']> = new Set<TrafficStep['kind']>([
  'power',
  'set',
  'request',
  'approve',
  'deny',
  'wait',
]);

export function validateExercise(lab: Lab, push: Push): void {
  const where = placeFinder(lab);
  const ids = new Set<string>();
  lab.checkpoints.forEach((checkpoint, i) => {
    const path = `checkpoints[${i}]`;
    if (ids.has(checkpoint.id))
      push({
        code: 'duplicate-id',
        rule: 'format',
        path: `${path}.id`,
        message: `Two checkpoints have the id "${checkpoint.id}"; rename one.`,
      });
    ids.add(checkpoint.id);
    // A saved attempt keeps each answer under its checkpoint's id (`attempt.answers`), where
    // the file refuses these keys: the attempt would not re-import.
    if (FORBIDDEN_KEYS.has(checkpoint.id))
      push({
        code: 'invalid-value',
        rule: 'format',
        path: `${path}.id`,
        message: `A checkpoint's id is the key of its answer in a saved attempt, and "${checkpoint.id}" is a key no lab file may have; choose another id.`,
      });
    checkBefore(lab, checkpoint, path, push);
    checkpoint.choices.forEach((choice, j) => {
      const fate = choice.fate;
      const key = 'delivered' in fate ? 'delivered' : 'dropped';
      const place = 'delivered' in fate ? fate.delivered : fate.dropped;
      const problem = where(place);
      if (problem !== null)
        push({
          code: 'not-found',
          rule: 'format',
          path: `${path}.choices[${j}].fate.${key}`,
          message: problem,
        });
    });
  });
  checkStudent(lab, push);
  checkAttempt(lab, push);
}

function checkBefore(lab: Lab, checkpoint: Checkpoint, path: string, push: Push): void {
  const steps = lab.traffic.length;
  const step = lab.traffic[checkpoint.before];
  if (step === undefined)
    push({
      code: 'not-found',
      rule: 'format',
      path: `${path}.before`,
      message:
        steps === 0
          ? 'There is no traffic script, so there is no step to ask this before; add `traffic:`.'
          : `There is no step ${checkpoint.before}: steps count from 0 and the script has ${steps} (0 to ${steps - 1}).`,
    });
  else if (SILENT_STEPS.has(step.kind))
    push({
      code: 'invalid-value',
      rule: 'format',
      path: `${path}.before`,
      severity: 'warning',
      message: `traffic[${checkpoint.before}] is a \`${step.kind}\` step, which sends no frame, so no choice can be right; ask it before a step that sends traffic.`,
    });
}

/**
 * Null when `place` is somewhere a frame can be delivered or dropped; else a message that says
 * what to write instead.
 */
function placeFinder(lab: Lab): (place: string) => string | null {
  const index = indexLab(lab);
  const gateways = new Set(
    lab.networks.filter((n) => n.gateway !== undefined).map((n) => `${n.id}:gateway`),
  );
  return (place) => {
    if (
      index.adapters.has(place) ||
      index.networks.has(place) ||
      index.switches.has(place) ||
      index.external.has(place) ||
      gateways.has(place)
    )
      return null;
    const vm = index.vms.get(place)?.vm;
    if (vm?.role === 'bridge') return null;
    if (vm !== undefined) {
      const adapters = vm.adapters.map((a) => a.id);
      return adapters.length > 0
        ? `${place} is a VM; frames end at its adapters: name one of ${adapters.join(', ')}.`
        : `${place} is a VM with no adapter, so no frame ends there.`;
    }
    const network = place.endsWith(':gateway') ? place.slice(0, -':gateway'.length) : undefined;
    if (network !== undefined && index.networks.has(network))
      return `The network ${network} has no gateway; give it one (\`gateway:\`) or name another place.`;
    return `There is no adapter, network, nested switch, bridge, gateway (\`<network>:gateway\`) or external host "${place}" in this lab.`;
  };
}

function checkStudent(lab: Lab, push: Push): void {
  const actAs = lab.student.actAs;
  if (actAs === undefined) return;
  const users = new Set(lab.users.map((u) => u.name));
  actAs.forEach((name, i) => {
    if (!users.has(name))
      push({
        code: 'not-found',
        rule: 'format',
        path: `student.actAs[${i}]`,
        message: `There is no user "${name}"; name one of: ${[...users].join(', ')}.`,
      });
  });
  if (users.has(lab.actingUser) && !actAs.includes(lab.actingUser))
    push({
      code: 'invalid-value',
      rule: 'format',
      path: 'actingUser',
      severity: 'warning',
      message: `Students may act only as ${actAs.join(', ')}, but the lab starts acting as ${lab.actingUser}; an attempt that keeps it is reported as locked-changed. Start as one of them.`,
    });
}

function checkAttempt(lab: Lab, push: Push): void {
  const attempt = lab.attempt;
  if (attempt === undefined) return;
  // The first checkpoint of an id, as grading reads it (a second one is an error above).
  const checkpoints = new Map<string, Checkpoint>();
  for (const c of lab.checkpoints) if (!checkpoints.has(c.id)) checkpoints.set(c.id, c);
  for (const [id, answer] of Object.entries(attempt.answers)) {
    const path = formatPath(['attempt', 'answers', id]);
    const checkpoint = checkpoints.get(id);
    if (checkpoint === undefined)
      push({
        code: 'not-found',
        rule: 'format',
        path,
        severity: 'warning',
        message: `There is no checkpoint "${id}" in this lab; grading ignores this answer.`,
      });
    else if (answer >= checkpoint.choices.length)
      push({
        code: 'invalid-value',
        rule: 'format',
        path,
        severity: 'warning',
        message: `Checkpoint "${id}" has ${checkpoint.choices.length} choices (0 to ${checkpoint.choices.length - 1}); answer ${answer} is none of them and is graded wrong.`,
      });
  }
  const objectives = new Set(lab.objectives.map((o) => o.id));
  attempt.hints.forEach((id, i) => {
    if (!objectives.has(id))
      push({
        code: 'not-found',
        rule: 'format',
        path: `attempt.hints[${i}]`,
        severity: 'warning',
        message: `There is no objective "${id}" in this lab; grading ignores this hint.`,
      });
  });
}
