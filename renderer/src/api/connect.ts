/**
 * Picks the page's transport: the preload inside Electron, the WebSocket under the web
 * host. Either way the rest of the renderer sees one `ApiClient`.
 */
import type { ApiClient } from '../../../core/api/contract';
import { PreloadClient } from './preload-client';
import { WebSocketClient } from './websocket-client';

export interface Connection {
  readonly client: ApiClient;
  /** Registers a listener for the end of the connection (the web host only). */
  readonly onClose: (listener: (reason: string) => void) => () => void;
}

/** The connection for this page, or a sentence saying why there is none. */
export function connect(): Connection | string {
  if (window.nestlab) {
    return { client: new PreloadClient(window.nestlab), onClose: () => () => undefined };
  }
  const socket = WebSocketClient.forPage(window.location);
  if (typeof socket === 'string') return socket;
  return { client: socket, onClose: (listener) => socket.onClose(listener) };
}
