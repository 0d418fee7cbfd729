/**
 * An edit as the renderer plans it before sending: a contract entry and its arguments
 * without the acting user, who is added when it is sent (P6). Plans are plain data, so a
 * refused edit can be retried after its fix, and a paste can be a list of them.
 */
import type { ArgsOf } from '../../../core/api/contract';
import type { EditName } from '../../../core/api/names';

export type EditArgs<K extends EditName> = Omit<ArgsOf<K>, 'actor'>;

export interface PlannedEdit {
  readonly name: EditName;
  readonly args: Readonly<Record<string, unknown>>;
}

export function planned<K extends EditName>(name: K, args: EditArgs<K>): PlannedEdit {
  return { name, args: args as Readonly<Record<string, unknown>> };
}
