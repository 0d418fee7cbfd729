/**
 * The fix a refusal offers, where there is an obvious one: the core said why (its code and
 * rule); this only turns a few codes into the edits that remove the obstacle and then make
 * the refused change, such as "Stop esxi first" for `vm-not-stopped` (A2, A5): stop esxi,
 * then enable. Every edit is sent to the core, so each can be refused too. The core records
 * each edit as one change, so a fix of two edits is two steps of undo, and `done` says so.
 */
import type { Lab, User } from '../../../core/model/lab';
import type { RuleError } from '../../../core/model/errors';
import { planned, type PlannedEdit } from './edits';
import { freshMac, usedMacs } from './fresh';
import type { LabLookup } from './lab-lookup';

export interface Fix {
  readonly label: string;
  /** The edits sent in order: what removes the obstacle, then the refused edit (if it stays). */
  readonly edits: readonly PlannedEdit[];
  /** What the fix did, for the status line once every edit went through. */
  readonly done: string;
  /** A place to go instead of an edit (the account and users panel). */
  readonly navigate?: 'account';
}

const text = (args: Readonly<Record<string, unknown>>, key: string): string | undefined =>
  typeof args[key] === 'string' ? args[key] : undefined;

/** The VM an edit is about: its `vm`, or the VM of its `adapter`. */
function vmOfEdit(edit: PlannedEdit, lookup: LabLookup): string | undefined {
  const adapter = text(edit.args, 'adapter');
  if (adapter !== undefined) return lookup.adapters.get(adapter)?.vm.id;
  return text(edit.args, 'vm') ?? text(edit.args, 'parent');
}

function hypervisorOfEdit(edit: PlannedEdit): string | undefined {
  if (edit.name === 'switch.add') return text(edit.args, 'vm');
  if (edit.name === 'vm.add') return text(edit.args, 'parent');
  return undefined;
}

/** What an edit did, in a few words of the past tense ("enabled promiscuous mode on esxi-nic0"). */
export function editDone(edit: PlannedEdit): string {
  const on = (flag: unknown): string => (flag === true ? 'on' : 'off');
  const args = edit.args;
  switch (edit.name) {
    case 'adapter.setPromiscuous':
      return `${args.promiscuous === true ? 'enabled' : 'disabled'} promiscuous mode on ${text(args, 'adapter') ?? 'the adapter'}`;
    case 'vm.setNestedVirtualization':
      return `turned ${on(args.enabled)} nested virtualization for ${text(args, 'vm') ?? 'the VM'}`;
    case 'vm.add':
    case 'switch.add': {
      const added = (edit.name === 'vm.add' ? args.vm : args.switch) as
        { id?: unknown } | undefined;
      return typeof added?.id === 'string' ? `added ${added.id}` : 'added it';
    }
    default:
      return `made the change (${edit.name})`;
  }
}

/** A fix that removes the obstacle with `first`, then makes the refused edit. */
function thenRetry(label: string, first: PlannedEdit, firstDone: string, edit: PlannedEdit): Fix {
  return {
    label,
    edits: [first, edit],
    done: `${firstDone}, then ${editDone(edit)}. Undo twice to take both back.`,
  };
}

export function fixFor(
  error: RuleError,
  edit: PlannedEdit | undefined,
  lab: Lab,
  lookup: LabLookup,
  actor: User | undefined,
): Fix | null {
  if (error.code === 'feature-disabled')
    return { label: 'Open Account & users', edits: [], done: '', navigate: 'account' };
  if (!edit) return null;
  switch (error.code) {
    case 'vm-not-stopped': {
      const vm = vmOfEdit(edit, lookup);
      if (vm === undefined) return null;
      return thenRetry(
        `Stop ${vm} first`,
        planned('vm.setPower', { vm, state: 'stopped' }),
        `Stopped ${vm}`,
        edit,
      );
    }
    case 'nested-virtualization-required': {
      const vm = hypervisorOfEdit(edit);
      if (vm === undefined) return null;
      return thenRetry(
        `Turn on nested virtualization for ${vm} first`,
        planned('vm.setNestedVirtualization', { vm, enabled: true }),
        `Turned on nested virtualization for ${vm}`,
        edit,
      );
    }
    case 'permission-denied':
      if (actor?.role !== 'admin') return null;
      return thenRetry(
        `Grant ${actor.name} the permission first`,
        planned('user.setPermission', { user: actor.name, promiscuous: true }),
        `Granted ${actor.name} the permission`,
        edit,
      );
    case 'duplicate-mac': {
      const adapter = text(edit.args, 'adapter');
      if (edit.name !== 'adapter.setMac' || adapter === undefined) return null;
      const mac = freshMac(usedMacs(lab));
      return {
        label: 'Use a free MAC instead',
        edits: [planned('adapter.setMac', { adapter, mac })],
        done: `Gave ${adapter} the free MAC ${mac}.`,
      };
    }
    default:
      return null;
  }
}
