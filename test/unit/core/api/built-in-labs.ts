/** The service's library for tests: the built-in labs of labs/, read as the app reads them. */
import { readFileSync } from 'node:fs';
import type { LabLibrary } from '../../../../core/api';

export const builtInLabs: LabLibrary = {
  list: () => [],
  read: (id) => {
    const fileName = `${id}.lab.yaml`;
    return {
      text: readFileSync(new URL(`../../../../labs/${fileName}`, import.meta.url), 'utf8'),
      fileName,
    };
  },
};
