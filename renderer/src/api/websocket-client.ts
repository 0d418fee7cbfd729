/**
 * The api client under the web host (`nestlab serve`): one WebSocket to /api carrying
 * `{ id, method, args }` requests and `{ id, result }` replies, with core events pushed as
 * `{ event, payload }`. The token comes from the page's own address, where the host put it.
 * An envelope error (`{ id, error }`) is a programmer error and rejects the call.
 */
import type { ApiClient, ApiEvents } from '../../../core/api/contract';

interface Pending {
  readonly resolve: (value: unknown) => void;
  readonly reject: (error: Error) => void;
}

type EventListener = (event: string, payload: unknown) => void;

export class WebSocketClient implements ApiClient {
  private readonly socket: WebSocket;
  private readonly opened: Promise<void>;
  private readonly pending = new Map<number, Pending>();
  private readonly eventListeners = new Set<EventListener>();
  private readonly closeListeners = new Set<(reason: string) => void>();
  private closedReason: string | null = null;
  private nextId = 1;

  constructor(url: string) {
    this.socket = new WebSocket(url);
    this.socket.addEventListener('message', (message) => this.receive(message.data));
    this.socket.addEventListener('close', (close) => this.closed(close));
    // Settles on open or on close, whichever comes first; call() then checks which.
    this.opened = new Promise((settle) => {
      this.socket.addEventListener('open', () => settle(), { once: true });
      this.socket.addEventListener('close', () => settle(), { once: true });
    });
  }

  /** The client for this page's host, or why there is none (the address lacks its token). */
  static forPage(location: Location): WebSocketClient | string {
    const token = new URLSearchParams(location.search).get('token');
    if (!token) {
      return 'This address has no access token. Open the address that `nestlab serve` printed (it ends in ?token=…).';
    }
    const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
    return new WebSocketClient(
      `${scheme}//${location.host}/api?token=${encodeURIComponent(token)}`,
    );
  }

  /**
   * Typed by the contract's own member, so checking this class against ApiClient compares
   * one type with itself (the generic signature, compared piece by piece, is too large).
   */
  readonly call: ApiClient['call'] = (name: string, args: unknown) =>
    this.send(name, args) as never;

  private async send(name: string, args: unknown): Promise<unknown> {
    await this.opened;
    if (this.closedReason !== null) throw new Error(this.closedReason);
    const id = this.nextId++;
    const reply = new Promise<unknown>((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
    });
    this.socket.send(JSON.stringify({ id, method: name, args }));
    return reply;
  }

  onEvent<E extends keyof ApiEvents>(
    event: E,
    listener: (payload: ApiEvents[E]) => void,
  ): () => void {
    const wrapped: EventListener = (name, payload) => {
      if (name === event) listener(payload as ApiEvents[E]);
    };
    this.eventListeners.add(wrapped);
    return () => this.eventListeners.delete(wrapped);
  }

  /** Called once when the connection ends, with a sentence for the user. */
  onClose(listener: (reason: string) => void): () => void {
    this.closeListeners.add(listener);
    return () => this.closeListeners.delete(listener);
  }

  private receive(data: unknown): void {
    if (typeof data !== 'string') return;
    const message = JSON.parse(data) as Record<string, unknown>;
    if (typeof message.event === 'string') {
      for (const listener of this.eventListeners) listener(message.event, message.payload);
      return;
    }
    const pending = typeof message.id === 'number' ? this.pending.get(message.id) : undefined;
    const error = message.error as { code?: string; message?: string } | undefined;
    if (!pending) {
      if (error) console.error(`Nestlab host: ${error.code}: ${error.message}`);
      return;
    }
    this.pending.delete(message.id as number);
    if (error) pending.reject(new Error(`${error.code ?? 'error'}: ${error.message ?? ''}`));
    else pending.resolve(message.result);
  }

  private closed(close: CloseEvent): void {
    this.closedReason =
      close.code === 1009
        ? 'The connection to Nestlab closed: a message was too large.'
        : 'The connection to Nestlab closed. Reload this page; if it does not come back, restart `nestlab serve` and open the address it prints.';
    for (const pending of this.pending.values()) pending.reject(new Error(this.closedReason));
    this.pending.clear();
    for (const listener of this.closeListeners) listener(this.closedReason);
  }
}
