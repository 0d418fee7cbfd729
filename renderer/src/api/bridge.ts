/**
 * What the Electron preload exposes on `window.nestlab`: one function per contract entry,
 * each bound to its own IPC channel, plus `onEvent`. The preload builds this object from
 * CONTRACT_NAMES, so the two sides cannot disagree on names; the shape is stated here
 * because the renderer may not import Electron code.
 */
import type { ContractName } from '../../../core/api/names';

export type BridgeMethod = (args: unknown) => Promise<unknown>;

export type NestlabBridge = Readonly<Record<ContractName, BridgeMethod>> & {
  /** Calls `listener` for every core event; returns the unsubscribe. */
  readonly onEvent: (listener: (event: string, payload: unknown) => void) => () => void;
};

declare global {
  interface Window {
    /** Present only inside the Electron app (the preload). */
    readonly nestlab?: NestlabBridge;
  }
}
