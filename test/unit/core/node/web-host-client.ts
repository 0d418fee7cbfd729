/**
 * A test's client of the web host (core/node/web-host.ts): open the api WebSocket (or learn
 * the status and reason it was refused with), send requests and read replies and events.
 */
import WebSocket from 'ws';
import type { WebHost } from '../../../../core/node/web-host';

export interface Refusal {
  readonly status: number;
  readonly reason: string;
}

export interface ConnectOptions {
  readonly token?: string;
  readonly origin?: string;
  readonly path?: string;
}

/** Opens a socket and resolves with it, or with the HTTP status and reason it was refused. */
export function attempt(host: WebHost, options: ConnectOptions): Promise<WebSocket | Refusal> {
  const query = options.token === undefined ? '' : `?token=${encodeURIComponent(options.token)}`;
  const url = `ws://127.0.0.1:${host.port}${options.path ?? '/api'}${query}`;
  const socket = new WebSocket(url, options.origin === undefined ? {} : { origin: options.origin });
  return new Promise((resolve, reject) => {
    socket.once('open', () => resolve(socket));
    socket.once('unexpected-response', (_request, response) =>
      resolve({ status: response.statusCode ?? 0, reason: response.statusMessage ?? '' }),
    );
    socket.once('error', reject);
  });
}

/** Opens a socket and resolves with it, or with the HTTP status the upgrade was refused with. */
export async function connect(host: WebHost, options: ConnectOptions): Promise<WebSocket | number> {
  const socket = await attempt(host, options);
  return socket instanceof WebSocket ? socket : socket.status;
}

/** A socket with this host's token and Origin; throws if the host refused it. */
export async function open(host: WebHost): Promise<WebSocket> {
  const socket = await attempt(host, { token: host.token, origin: host.origin });
  if (!(socket instanceof WebSocket)) throw new Error(`refused with ${socket.status}`);
  return socket;
}

export type Message = Record<string, unknown>;

/** The next message that passes `wanted` (events and replies share the socket). */
export function nextMessage(
  socket: WebSocket,
  wanted: (m: Message) => boolean = () => true,
): Promise<Message> {
  return new Promise((resolve) => {
    const onMessage = (data: WebSocket.RawData): void => {
      const message = JSON.parse(String(data)) as Message;
      if (!wanted(message)) return;
      socket.off('message', onMessage);
      resolve(message);
    };
    socket.on('message', onMessage);
  });
}

/** Sends one request and resolves with its reply, skipping pushed events. */
export async function ask(socket: WebSocket, message: unknown): Promise<Message> {
  const reply = nextMessage(socket, (m) => !('event' in m));
  socket.send(typeof message === 'string' ? message : JSON.stringify(message));
  return reply;
}

/** Resolves with the close code once the socket has closed. */
export function closed(socket: WebSocket): Promise<number> {
  if (socket.readyState === WebSocket.CLOSED) return Promise.reject(new Error('already closed'));
  return new Promise((resolve) => socket.once('close', (code) => resolve(code)));
}
