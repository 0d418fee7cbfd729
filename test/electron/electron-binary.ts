/**
 * Where Electron's binary is, or undefined when it is not installed; looked up without fetching
 * it (scripts/electron-binary.mjs), so a machine that cannot download it skips these tests with
 * one line.
 */
export { installedElectron as electronBinary } from '../../scripts/electron-binary.mjs';

export const SKIPPED_LINE = 'skipped: no Electron binary';
