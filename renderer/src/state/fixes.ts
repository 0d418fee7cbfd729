/**
 * The fix a refusal offers, where there is an obvious one: the core said why (its code and
 * rule); this only turns a few codes into the edit that removes the obstacle, such as
 * "Stop esxi first" for `vm-not-stopped` (A2, A5). The fix is itself sent to the core, so
 * it can be refused too; after it the refused edit is tried again.
 */
import type { Lab, User } from '../../../core/model/lab';
import type { RuleError } from '../../../core/model/errors';
import { planned, type PlannedEdit } from './edits';
import { freshMac, usedMacs } from './fresh';
import type { LabLookup } from './lab-lookup';

export interface Fix {
  readonly label: string;
  /** Edits that remove the obstacle, sent in order. */
  readonly edits: readonly PlannedEdit[];
  /** Whether the refused edit is tried again once the fix is in. */
  readonly retry: boolean;
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

export function fixFor(
  error: RuleError,
  edit: PlannedEdit | undefined,
  lab: Lab,
  lookup: LabLookup,
  actor: User | undefined,
): Fix | null {
  if (error.code === 'feature-disabled')
    return { label: 'Open Account & users', edits: [], retry: false, navigate: 'account' };
  if (!edit) return null;
  switch (error.code) {
    case 'vm-not-stopped': {
      const vm = vmOfEdit(edit, lookup);
      if (vm === undefined) return null;
      return {
        label: `Stop ${vm} first`,
        edits: [planned('vm.setPower', { vm, state: 'stopped' })],
        retry: true,
      };
    }
    case 'nested-virtualization-required': {
      const vm = hypervisorOfEdit(edit);
      if (vm === undefined) return null;
      return {
        label: `Turn on nested virtualization for ${vm} first`,
        edits: [planned('vm.setNestedVirtualization', { vm, enabled: true })],
        retry: true,
      };
    }
    case 'permission-denied':
      if (actor?.role !== 'admin') return null;
      return {
        label: `Grant ${actor.name} the permission first`,
        edits: [planned('user.setPermission', { user: actor.name, promiscuous: true })],
        retry: true,
      };
    case 'duplicate-mac': {
      const adapter = text(edit.args, 'adapter');
      if (edit.name !== 'adapter.setMac' || adapter === undefined) return null;
      return {
        label: 'Use a free MAC instead',
        edits: [planned('adapter.setMac', { adapter, mac: freshMac(usedMacs(lab)) })],
        retry: false,
      };
    }
    default:
      return null;
  }
}
