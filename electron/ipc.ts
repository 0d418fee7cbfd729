/**
 * The api contract over IPC, registered from the list of contract names: one handler per
 * entry on its own channel, no generic channel. Like VS Code's validated ipcMain, each
 * handler first checks who is calling: only the app window's top frame, showing one of the
 * app's own pages, is answered; anything else is refused and logged. The service then
 * re-validates every argument (a renderer is not trusted).
 */
import { ipcMain, type BrowserWindow, type IpcMainInvokeEvent } from 'electron';
import { CONTRACT_NAMES, channelOf, EVENT_CHANNEL } from '../core/api/names';
import type { NestlabService } from '../core/api/service';
import type { AppOrigin } from './app-origin';

export function isTrustedSender(
  event: IpcMainInvokeEvent,
  window: BrowserWindow | null,
  origin: AppOrigin,
): boolean {
  const frame = event.senderFrame;
  return (
    window !== null &&
    !window.isDestroyed() &&
    frame !== null &&
    event.sender === window.webContents &&
    frame.parent === null &&
    origin.isOwn(frame.url)
  );
}

export function registerContract(
  service: NestlabService,
  currentWindow: () => BrowserWindow | null,
  origin: AppOrigin,
): void {
  for (const name of CONTRACT_NAMES) {
    ipcMain.handle(channelOf(name), (event, args) => {
      if (!isTrustedSender(event, currentWindow(), origin)) {
        console.warn(`nestlab: refused ${name} from ${event.senderFrame?.url ?? 'a gone frame'}`);
        throw new Error(`Refused: ${name} may only be called by the Nestlab window.`);
      }
      return service.call(name, args);
    });
  }
}

/** Pushes every core event to the window as (event, payload) on the one event channel. */
export function forwardEvents(
  service: NestlabService,
  currentWindow: () => BrowserWindow | null,
): () => void {
  return service.onEvent((event, payload) => {
    const window = currentWindow();
    if (window && !window.isDestroyed()) window.webContents.send(EVENT_CHANNEL, event, payload);
  });
}
