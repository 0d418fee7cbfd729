/**
 * The exercise as a trainer authors it in the app: the traffic script, objectives, checkpoints
 * and student settings, each set whole (add, edit, reorder and remove are one change each,
 * undone as one). The keys arrive read by the lab file's parser (commands.ts), so they hold
 * exactly what a file may; ids they name that the topology lacks are problems the Problems tab
 * lists, as in a file, not refusals: a trainer may write the objective before the VM.
 */
import type { ExerciseKeys } from '../lab/parse';
import type { RuleError } from '../model';
import type { EditContext } from './account-edits';
import type { Mutable } from './draft';

export function setExercise(ctx: EditContext, keys: ExerciseKeys): RuleError | undefined {
  const draft = ctx.draft;
  const copy = <T>(value: T): Mutable<T> => JSON.parse(JSON.stringify(value)) as Mutable<T>;
  if (keys.traffic !== undefined) draft.traffic = copy(keys.traffic);
  if (keys.objectives !== undefined) draft.objectives = copy(keys.objectives);
  if (keys.checkpoints !== undefined) draft.checkpoints = copy(keys.checkpoints);
  if (keys.student !== undefined) draft.student = copy(keys.student);
  return undefined;
}
