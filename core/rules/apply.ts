/**
 * `(lab, actor, command) → Result`: the one entry point of every edit (P6: the core, not
 * the UI, enforces the rules, so a request that skips the UI gets the same answer). An edit
 * is applied to a draft; it is refused if a handler refuses it or if the result breaks a
 * static rule the lab did not already break. The input lab is never changed. Checking
 * untrusted arguments (`parseCommand`) lives with the schemas in commands.ts, so running a
 * lab's script loads no schema library.
 */
import type { Lab, RuleCode, RuleError, Violation } from '../model';
import { ruleError } from '../model';
import { assertNever } from '../common/assert-never';
import { validateLab } from '../lab/validate';
import type { EditCommand } from './commands';
import { draftOf } from './draft';
import { findUser } from './permissions';
import * as account from './account-edits';
import * as vms from './vm-edits';
import * as topology from './topology-edits';
import type { EditContext } from './account-edits';
import { setExercise } from './exercise-edits';

export type EditResult = { readonly ok: true; readonly lab: Lab } | RuleError;

export function applyEdit(lab: Lab, actorName: string, command: EditCommand): EditResult {
  const actor = findUser(lab, actorName);
  if (!actor)
    return ruleError(
      'not-found',
      'P6',
      `There is no user "${actorName}" in this lab; every edit is made as one of its users.`,
    );
  const draft = draftOf(lab);
  const refused = dispatch({ lab, draft, actor }, command);
  if (refused) return refused;
  const next = draft as Lab;
  const broken = firstNewError(
    validateLab(lab),
    validateLab(next),
    command.type === 'exercise.set',
  );
  return broken ?? { ok: true, lab: next };
}

/** Errors of the topology; the exercise's own keys naming a removed id do not stop an edit. */
export const isTopology = (v: Violation): boolean =>
  v.severity === 'error' && !/^(traffic|objectives|checkpoints|student|attempt)\b/.test(v.path);
const key = (v: Violation): string => `${v.code}|${v.message}`;

/** An exercise key naming an id the topology lacks (a step a checkpoint asks before is no id). */
const namesMissingId = (v: Violation): boolean =>
  v.code === 'not-found' && !v.path.endsWith('.before');

/**
 * The first error the edit brought in: of the topology, for any edit; and for an exercise edit
 * a mistake of its own (a setting's value of the wrong type, two objectives with one id, a
 * checkpoint before no step), said with the path it would have in a file. An id the topology
 * lacks is no mistake: the trainer may write the objective before the VM, and the Problems tab
 * lists it.
 */
function firstNewError(
  before: readonly Violation[],
  after: readonly Violation[],
  exercise: boolean,
): RuleError | undefined {
  const known = new Set(before.filter((v) => v.severity === 'error').map(key));
  const isNew = (v: Violation) => v.severity === 'error' && !known.has(key(v));
  const introduced = after.find((v) => isNew(v) && isTopology(v));
  if (introduced)
    return ruleError(introduced.code as RuleCode, introduced.rule, introduced.message);
  if (!exercise) return undefined;
  const mistake = after.find((v) => isNew(v) && !namesMissingId(v));
  if (!mistake) return undefined;
  return ruleError(
    mistake.code as RuleCode,
    mistake.rule,
    `${mistake.path ? `${mistake.path}: ` : ''}${mistake.message}`,
  );
}

function dispatch(ctx: EditContext, c: EditCommand): RuleError | undefined {
  switch (c.type) {
    case 'adapter.setPromiscuous':
      return account.setPromiscuous(ctx, c);
    case 'user.setPermission':
      return account.setPermission(ctx, c);
    case 'user.add':
      return account.addUser(ctx, c);
    case 'user.remove':
      return account.removeUser(ctx, c);
    case 'user.setRole':
      return account.setUserRole(ctx, c);
    case 'account.request':
      return account.requestFeature(ctx, c);
    case 'account.approve':
      return account.answerRequest(ctx, true);
    case 'account.deny':
      return account.answerRequest(ctx, false);
    case 'lab.setActingUser':
      return account.setActingUser(ctx, c);
    case 'vm.setPower':
      return vms.setPower(ctx, c);
    case 'vm.setNestedVirtualization':
      return vms.setNestedVirtualization(ctx, c);
    case 'vm.add':
      return vms.addVm(ctx, c);
    case 'vm.remove':
      return vms.removeVm(ctx, c);
    case 'vm.rename':
      return vms.renameVm(ctx, c);
    case 'vm.setArch':
      return vms.setArch(ctx, c);
    case 'vm.setGuestOs':
      return vms.setGuestOs(ctx, c);
    case 'vm.setRole':
      return vms.setRole(ctx, c);
    case 'vm.setStp':
      return vms.setStp(ctx, c);
    case 'vm.setVirtualAddresses':
      return vms.setVirtualAddresses(ctx, c);
    case 'network.add':
      return topology.addNetwork(ctx, c);
    case 'network.remove':
      return topology.removeNetwork(ctx, c);
    case 'network.rename':
      return topology.renameNetwork(ctx, c);
    case 'network.setAddressing':
      return topology.setNetworkAddressing(ctx, c);
    case 'external.add':
      return topology.addExternal(ctx, c);
    case 'external.remove':
      return topology.removeExternal(ctx, c);
    case 'external.rename':
      return topology.renameExternal(ctx, c);
    case 'external.setIp':
      return topology.setExternalIp(ctx, c);
    case 'switch.add':
      return topology.addSwitch(ctx, c);
    case 'switch.remove':
      return topology.removeSwitch(ctx, c);
    case 'switch.rename':
      return topology.renameSwitch(ctx, c);
    case 'switch.setUplink':
      return topology.setUplink(ctx, c);
    case 'adapter.add':
      return topology.addAdapter(ctx, c);
    case 'adapter.remove':
      return topology.removeAdapter(ctx, c);
    case 'adapter.rename':
      return topology.renameAdapter(ctx, c);
    case 'adapter.connect':
      return topology.connectAdapter(ctx, c);
    case 'adapter.setMac':
      return topology.setMac(ctx, c);
    case 'adapter.setIp':
      return topology.setIp(ctx, c);
    case 'adapter.setGateway':
      return topology.setGateway(ctx, c);
    case 'lab.setTitle':
      return topology.setTitle(ctx, c);
    case 'lab.setUi':
      return topology.setUi(ctx, c);
    case 'exercise.set':
      return setExercise(ctx, c);
    default:
      return assertNever(c, 'edit command');
  }
}
