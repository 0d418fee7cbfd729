/**
 * P1–P6: who may see and change promiscuous mode. The precedence of semantics.md §2 lives
 * here and only here: the face of the field first (feature-disabled, admin-only,
 * permission-denied), then what the VM is (unsupported-architecture), then its state
 * (vm-not-stopped), then its neighbours (one-per-network).
 */
import type { Lab, RuleError, User } from '../model';
import { indexLab, ruleError } from '../model';

export type PromiscuousFace = 'hidden' | 'read-only' | 'editable';

export interface FaceResult {
  readonly face: PromiscuousFace;
  /** Why the field is hidden or read-only; absent when editable. */
  readonly reason?: RuleError;
}

export function findUser(lab: Lab, name: string): User | undefined {
  return lab.users.find((u) => u.name === name);
}

/** P2: nothing of promiscuous mode exists while the account feature is not enabled. */
export function checkFeature(lab: Lab): RuleError | undefined {
  const state = lab.account.promiscuousMode;
  if (state === 'enabled') return undefined;
  const next =
    state === 'requested'
      ? 'The request is waiting for the provider to approve it.'
      : state === 'denied'
        ? 'The provider denied the request; an administrator may request it again.'
        : 'An administrator must request it and the provider approve it.';
  return ruleError(
    'feature-disabled',
    'P2',
    `Promiscuous mode is not enabled for this account (${state}). ${next}`,
  );
}

/** P5: changing an adapter's promiscuous mode needs the acting user's permission (P3: off by default). */
export function checkPermission(lab: Lab, actor: User): RuleError | undefined {
  if (actor.promiscuous) return undefined;
  const who =
    actor.role === 'admin' ? 'administrators too (P3)' : 'ask an administrator to grant it';
  return ruleError(
    'permission-denied',
    'P5',
    `${actor.name} does not have the promiscuous-mode permission; it is off by default for everyone, ${who}.`,
  );
}

/** P4: only an administrator changes a user's permission, its own included. */
export function checkAdmin(actor: User, rule: string, what: string): RuleError | undefined {
  if (actor.role === 'admin') return undefined;
  return ruleError(
    'admin-only',
    rule,
    `Only an administrator can ${what}; ${actor.name} is a user.`,
  );
}

/** The promiscuous field's face for an acting user and adapter (P2, P5). */
export function promiscuousFace(lab: Lab, actorName: string, adapterId: string): FaceResult {
  const feature = checkFeature(lab);
  if (feature) return { face: 'hidden', reason: feature };
  if (!indexLab(lab).adapters.has(adapterId))
    return {
      face: 'hidden',
      reason: ruleError('not-found', 'P6', `There is no adapter "${adapterId}".`),
    };
  const actor = findUser(lab, actorName);
  if (!actor)
    return {
      face: 'read-only',
      reason: ruleError('not-found', 'P6', `There is no user "${actorName}" in this lab.`),
    };
  const permission = checkPermission(lab, actor);
  return permission ? { face: 'read-only', reason: permission } : { face: 'editable' };
}
