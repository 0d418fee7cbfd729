/**
 * Edits of promiscuous mode, permissions, users and the account feature (P1–P6, A2–A4).
 * Each handler changes the draft or returns the first refusal in semantics.md's order.
 */
import type { Lab, RuleError, User } from '../model';
import { ruleError } from '../model';
import type { CommandArgs } from './commands';
import { findAdapter, type LabDraft } from './draft';
import { checkAdmin, checkFeature, checkPermission } from './permissions';

export interface EditContext {
  /** The lab before the edit (read-only). */
  readonly lab: Lab;
  readonly draft: LabDraft;
  readonly actor: User;
}

const MIN_USE_CASE = 30;

function notFound(what: string, id: string): RuleError {
  return ruleError('not-found', 'P6', `There is no ${what} "${id}" in this lab.`);
}

/** P2, P5, A4, A2, A3 — in that order (semantics.md §2's precedence). */
export function setPromiscuous(
  ctx: EditContext,
  args: CommandArgs<'adapter.setPromiscuous'>,
): RuleError | undefined {
  const found = findAdapter(ctx.draft, args.adapter);
  if (!found) return notFound('adapter', args.adapter);
  const refused = checkFeature(ctx.lab) ?? checkPermission(ctx.lab, ctx.actor);
  if (refused) return refused;
  const { adapter, vm } = found;
  // A2: disabling is allowed at any time; only turning it on has preconditions.
  if (args.promiscuous && !adapter.promiscuous) {
    if (vm.arch === 'power')
      return ruleError(
        'unsupported-architecture',
        'A4',
        `${vm.id} is a Power VM; Power VMs (IBM i, AIX, Linux on Power) cannot use promiscuous mode.`,
      );
    if (vm.power !== 'stopped')
      return ruleError(
        'vm-not-stopped',
        'A2',
        `${vm.id} is ${vm.power}; stop it before enabling promiscuous mode on ${adapter.id}.`,
      );
    const segment = adapter.network ?? adapter.switch;
    const other = vm.adapters.find(
      (a) =>
        a !== adapter &&
        a.promiscuous &&
        segment !== undefined &&
        (a.network ?? a.switch) === segment,
    );
    if (other)
      return ruleError(
        'one-per-network',
        'A3',
        `${other.id} of ${vm.id} is already promiscuous on ${segment}; at most one adapter per VM per network may be.`,
      );
  }
  adapter.promiscuous = args.promiscuous;
  return undefined;
}

/** P2, P4: grant or revoke a user's permission. */
export function setPermission(
  ctx: EditContext,
  args: CommandArgs<'user.setPermission'>,
): RuleError | undefined {
  const refused =
    checkFeature(ctx.lab) ?? checkAdmin(ctx.actor, 'P4', "change a user's promiscuous permission");
  if (refused) return refused;
  const user = ctx.draft.users.find((u) => u.name === args.user);
  if (!user) return notFound('user', args.user);
  user.promiscuous = args.promiscuous;
  return undefined;
}

export function addUser(ctx: EditContext, args: CommandArgs<'user.add'>): RuleError | undefined {
  const refused = checkAdmin(ctx.actor, 'P4', 'add users');
  if (refused) return refused;
  if (ctx.draft.users.some((u) => u.name === args.user))
    return ruleError('duplicate-id', 'A6', `There is already a user named "${args.user}".`);
  // P3: the permission starts off for everyone.
  ctx.draft.users.push({ name: args.user, role: args.role, promiscuous: false });
  return undefined;
}

export function removeUser(
  ctx: EditContext,
  args: CommandArgs<'user.remove'>,
): RuleError | undefined {
  const refused = checkAdmin(ctx.actor, 'P4', 'remove users');
  if (refused) return refused;
  const index = ctx.draft.users.findIndex((u) => u.name === args.user);
  if (index < 0) return notFound('user', args.user);
  if (args.user === ctx.actor.name || args.user === ctx.draft.actingUser)
    return ruleError(
      'invalid-request',
      'P6',
      `${args.user} is the acting user; switch to another user before removing it.`,
    );
  ctx.draft.users.splice(index, 1);
  return undefined;
}

export function setUserRole(
  ctx: EditContext,
  args: CommandArgs<'user.setRole'>,
): RuleError | undefined {
  const refused = checkAdmin(ctx.actor, 'P4', "change a user's role");
  if (refused) return refused;
  const user = ctx.draft.users.find((u) => u.name === args.user);
  if (!user) return notFound('user', args.user);
  if (
    args.role === 'user' &&
    user.role === 'admin' &&
    ctx.draft.users.filter((u) => u.role === 'admin').length === 1
  )
    return ruleError(
      'invalid-request',
      'P4',
      `${user.name} is the last administrator; make another user an administrator first.`,
    );
  user.role = args.role;
  return undefined;
}

/** P1: an administrator asks, with a use case of at least 30 characters. */
export function requestFeature(
  ctx: EditContext,
  args: CommandArgs<'account.request'>,
): RuleError | undefined {
  const refused = checkAdmin(ctx.actor, 'P1', 'request promiscuous mode for the account');
  if (refused) return refused;
  const state = ctx.draft.account.promiscuousMode;
  if (state === 'enabled' || state === 'requested')
    return ruleError(
      'invalid-request',
      'P1',
      `Promiscuous mode is already ${state} for this account.`,
    );
  const useCase = args.useCase.trim();
  if (useCase.length < MIN_USE_CASE)
    return ruleError(
      'invalid-request',
      'P1',
      `Describe the use case in at least ${MIN_USE_CASE} characters (${useCase.length} so far): what needs promiscuous mode, and why.`,
    );
  ctx.draft.account.promiscuousMode = 'requested';
  ctx.draft.account.request = {
    by: ctx.actor.name,
    useCase,
    ...(args.diagram !== undefined ? { diagram: args.diagram } : {}),
  };
  return undefined;
}

/** P1: the provider (in a lab, the trainer) answers a pending request. */
export function answerRequest(ctx: EditContext, approve: boolean): RuleError | undefined {
  if (ctx.draft.account.promiscuousMode !== 'requested')
    return ruleError(
      'invalid-request',
      'P1',
      `There is no pending request to ${approve ? 'approve' : 'deny'} (the feature is ${ctx.draft.account.promiscuousMode}).`,
    );
  ctx.draft.account.promiscuousMode = approve ? 'enabled' : 'denied';
  return undefined;
}

export function setActingUser(
  ctx: EditContext,
  args: CommandArgs<'lab.setActingUser'>,
): RuleError | undefined {
  if (!ctx.draft.users.some((u) => u.name === args.user)) return notFound('user', args.user);
  ctx.draft.actingUser = args.user;
  return undefined;
}
