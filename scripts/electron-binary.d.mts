/** Declarations of electron-binary.mjs, for the Electron tests. */
export function installedElectron(): string | undefined;
export function electronVersion(): string | undefined;
export function fetchElectron(): string | undefined;
