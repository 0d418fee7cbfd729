/** Declarations of fuses.mjs, for the tests that read the fuses back. */
import type { FuseV1Config } from '@electron/fuses';
export const FUSES: FuseV1Config;
export const FUSES_BY_NAME: Readonly<Record<string, boolean>>;
