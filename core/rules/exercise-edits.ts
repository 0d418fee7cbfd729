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
  // The keys were built for this command alone (commands.ts), so the draft may hold them as
  // they are; a refused edit drops the draft with them.
  const draft = ctx.draft;
  if (keys.traffic !== undefined) draft.traffic = keys.traffic as Mutable<typeof keys.traffic>;
  if (keys.objectives !== undefined)
    draft.objectives = keys.objectives as Mutable<typeof keys.objectives>;
  if (keys.checkpoints !== undefined)
    draft.checkpoints = keys.checkpoints as Mutable<typeof keys.checkpoints>;
  if (keys.student !== undefined) draft.student = keys.student as Mutable<typeof keys.student>;
  return undefined;
}
