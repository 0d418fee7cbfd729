/**
 * What a student may do in the app (lab-format.md, `student:`): `edit: all` lets them change
 * anything; `settings` only settings (power, promiscuous mode, nested virtualization,
 * permissions, the account request, addresses, STP, virtual addresses), never add, remove or
 * reconnect devices; `none` nothing but traffic. `actAs` names the users they may act as.
 * A trainer is not bound by any of it. Pure: `(lab, mode, actor, command) → allowed or why not`;
 * the service refuses with the reason, and the view lists the locked edits so the renderer can
 * say why a control is locked before it is used.
 */
import type { Lab, StudentPolicy } from '../model';
import { ruleError, type RuleError } from '../model';
import { COMMAND_TYPES, type CommandType } from './commands';

/** Who is at the keyboard: a student doing the exercise, or a trainer authoring it. */
export type SessionRole = 'student' | 'trainer';

/** Edits that change a setting, which `edit: settings` allows. */
const SETTINGS: ReadonlySet<CommandType> = new Set<CommandType>([
  'adapter.setPromiscuous',
  'user.setPermission',
  'account.request',
  'account.approve',
  'account.deny',
  'vm.setPower',
  'vm.setNestedVirtualization',
  'vm.setStp',
  'vm.setVirtualAddresses',
  'adapter.setIp',
  'adapter.setMac',
  'adapter.setGateway',
]);

/** Edits that are not the lab's content: allowed to everyone (positions, who acts). */
const ALWAYS: ReadonlySet<CommandType> = new Set<CommandType>(['lab.setUi', 'lab.setActingUser']);

/** The exercise itself (script, objectives, checkpoints, student settings): the trainer's, always. */
const TRAINER_ONLY: ReadonlySet<CommandType> = new Set<CommandType>(['exercise.set']);

/** The edits a student may not make under `policy`, in contract order. */
export function lockedEdits(policy: StudentPolicy): CommandType[] {
  return COMMAND_TYPES.filter((type) => !allowedBy(policy, type));
}

function allowedBy(policy: StudentPolicy, type: CommandType): boolean {
  if (TRAINER_ONLY.has(type)) return false;
  if (ALWAYS.has(type)) return true;
  if (policy.edit === 'all') return true;
  if (policy.edit === 'settings') return SETTINGS.has(type);
  return false;
}

/** The users a student may act as (every user when the lab does not say). */
export function studentActors(lab: Pick<Lab, 'users' | 'student'>): string[] {
  const names = lab.users.map((u) => u.name);
  const allowed = lab.student.actAs;
  return allowed === undefined ? names : names.filter((n) => allowed.includes(n));
}

/** Why `policy` locks this kind of edit, in one sentence that says what to do. */
export function lockReason(policy: StudentPolicy): string {
  switch (policy.edit) {
    case 'settings':
      return 'This lab lets students change settings only (power, promiscuous mode, permissions, addresses…): adding, removing, renaming or reconnecting devices is locked by your trainer.';
    case 'none':
      return 'This lab is read-only for students: send traffic and watch what happens; your trainer has locked every change.';
    default:
      return '';
  }
}

/**
 * Whether a student may make this edit as `actor`; a trainer always may. The rules of
 * semantics.md still decide afterwards (rules/apply.ts).
 */
export function studentMay(
  lab: Pick<Lab, 'users' | 'student' | 'description'>,
  role: SessionRole,
  actor: string,
  command: { readonly type: CommandType; readonly user?: string; readonly description?: unknown },
): { readonly ok: true } | RuleError {
  if (role === 'trainer') return { ok: true };
  const policy = lab.student;
  if (TRAINER_ONLY.has(command.type))
    return ruleError(
      'locked',
      'student',
      "The objectives, the traffic script, the checkpoints and the student settings are your trainer's; open the lab with Edit as trainer to change them.",
    );
  // The description is the exercise's text: read-only for a student whatever `edit` says (a
  // rename under `edit: all` leaves it out, or carries it unchanged).
  if (
    command.type === 'lab.setTitle' &&
    command.description !== undefined &&
    command.description !== (lab.description ?? '')
  )
    return ruleError(
      'locked',
      'student',
      "The lab's description is your trainer's text, read-only for students; open the lab with Edit as trainer to change it.",
    );
  if (!allowedBy(policy, command.type)) return ruleError('locked', 'student', lockReason(policy));
  const actors = studentActors(lab);
  const acting = command.type === 'lab.setActingUser' ? (command.user ?? '') : actor;
  if (lab.users.some((u) => u.name === acting) && !actors.includes(acting))
    return ruleError(
      'locked',
      'student',
      `In this lab you act as ${actors.join(' or ') || 'no user'}; acting as ${acting} is locked by your trainer.`,
    );
  return { ok: true };
}
