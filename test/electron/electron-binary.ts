/**
 * Where Electron's binary is, or undefined when it is not installed (the electron package's
 * postinstall downloads it, which cannot happen on machines without that download).
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';

export function electronBinary(): string | undefined {
  try {
    // The electron package's main export is the path of its binary; it throws when absent.
    const path: unknown = createRequire(import.meta.url)('electron');
    return typeof path === 'string' && existsSync(path) ? path : undefined;
  } catch {
    return undefined;
  }
}

export const SKIPPED_LINE = 'skipped: no Electron binary';
