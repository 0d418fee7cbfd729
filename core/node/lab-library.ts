/**
 * The built-in curriculum: every `*.lab.yaml` in the `labs/` folder, listed by id (the
 * file name without `.lab.yaml`). Reads the disk on each call so a trainer's new file
 * shows up without a restart.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { LabLibrary, LabSummary } from '../api';
import { parseLab } from '../lab';

const SUFFIX = '.lab.yaml';

export function folderLibrary(folder: string): LabLibrary {
  const files = (): string[] =>
    existsSync(folder)
      ? readdirSync(folder)
          .filter((f) => f.endsWith(SUFFIX))
          .sort()
      : [];
  return {
    list(): LabSummary[] {
      return files().map((fileName) => {
        const id = basename(fileName, SUFFIX);
        const parsed = parseLab(readFileSync(join(folder, fileName), 'utf8'));
        const title = parsed.ok ? parsed.lab.title : id;
        const description = parsed.ok
          ? (parsed.lab.description ?? '')
          : 'This file is not a valid lab.';
        return { id, title, description, fileName };
      });
    },
    read(id) {
      const fileName = files().find((f) => basename(f, SUFFIX) === id);
      return fileName
        ? { text: readFileSync(join(folder, fileName), 'utf8'), fileName }
        : undefined;
    },
  };
}
