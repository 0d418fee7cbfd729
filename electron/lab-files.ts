/**
 * Lab files handed to the app by the operating system: paths on the command line (a file
 * association, `nestlab-app file.lab.yaml`, a second launch) and macOS's open-file event.
 * Each is imported through the service like the renderer's Import; a duplicate becomes a
 * native question (replace or keep both) and a bad file a native message with `nestlab
 * check`'s findings. A file past the lab file's size limit is refused with a message before it
 * is read. Nothing is imported half-way: the service decides.
 */
import { basename, resolve } from 'node:path';
import { app, dialog, type BrowserWindow, type MessageBoxOptions } from 'electron';
import { MAX_LAB_BYTES } from '../core/lab/yaml-source';
import { readLabFile } from '../core/node/read-lab-file';
import type { ImportResult } from '../core/api/library-contract';
import type { NestlabService } from '../core/api/service';

const LAB_FILE = /\.lab\.ya?ml$/i;

/** The lab files among command-line arguments (flags and the app's own path skipped). */
export function labPathsIn(argv: readonly string[], cwd: string = process.cwd()): string[] {
  return argv.filter((a) => !a.startsWith('-') && LAB_FILE.test(a)).map((a) => resolve(cwd, a));
}

/** A native message, over the app's window when there is one. */
function tell(window: BrowserWindow | undefined, options: MessageBoxOptions) {
  return window ? dialog.showMessageBox(window, options) : dialog.showMessageBox(options);
}

export async function openLabFile(
  service: NestlabService,
  path: string,
  window: BrowserWindow | undefined,
): Promise<void> {
  let text: string;
  try {
    const read = readLabFile(path);
    if (!read.ok) {
      const limit = MAX_LAB_BYTES / 1024 / 1024;
      const size = read.atLeast
        ? `more than ${limit} MB long`
        : `${(read.bytes / 1024 / 1024).toFixed(1)} MB`;
      await tell(window, {
        type: 'error',
        message: `${basename(path)} is not opened: it is ${size}, and a lab file may be at most ${limit} MB.`,
        detail: 'Check that this is the lab file you meant; a lab file is a short YAML text.',
      });
      return;
    }
    text = read.text;
  } catch (error) {
    await tell(window, {
      type: 'error',
      message: `Nestlab could not read ${basename(path)}.`,
      detail: (error as Error).message,
    });
    return;
  }
  const args = { text, fileName: basename(path), path };
  // An import waits its turn behind a simulation run, so the call may answer with a Promise.
  let result = (await service.call('lab.import', { ...args, onDuplicate: 'ask' })) as ImportResult;
  if (!result.ok && result.problem === 'duplicate') {
    const choices = result.canReplace
      ? (['replace', 'keep-both', null] as const)
      : (['keep-both', null] as const);
    const labels = { replace: 'Replace', 'keep-both': 'Keep both' } as const;
    const { response } = await tell(window, {
      type: 'question',
      buttons: choices.map((c) => (c === null ? 'Cancel' : labels[c])),
      defaultId: choices.length - 1,
      cancelId: choices.length - 1,
      message: result.message,
    });
    const choice = choices[response] ?? null;
    if (choice === null) return;
    result = (await service.call('lab.import', { ...args, onDuplicate: choice })) as ImportResult;
  }
  if (result.ok) {
    app.addRecentDocument(path);
    return;
  }
  if (result.problem === 'invalid') {
    await tell(window, {
      type: 'error',
      message: result.message,
      detail: result.violations
        .map(
          (v) =>
            `${v.severity} ${v.path || '(file)'}: ${v.message} [${v.code}, ${v.rule}]` +
            (v.line === undefined ? '' : ` (line ${v.line})`),
        )
        .join('\n'),
    });
  }
}
