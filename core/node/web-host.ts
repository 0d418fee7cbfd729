/**
 * The web host (`nestlab serve`): the built renderer over HTTP and the api contract over one
 * WebSocket, for a browser and for end-to-end tests. Guarantees: it listens on 127.0.0.1
 * only; every request must name the host as 127.0.0.1:PORT (no DNS rebinding); a WebSocket
 * opens only with this start's random token and the page's own Origin; messages are size
 * capped and dispatched to the service, which re-validates them; static files never leave
 * the renderer folder.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { NestlabService } from '../api/service';
import type { Persistence } from '../api/persistence';
import { folderLibrary } from './lab-library';
import { dispatchMessage, MAX_MESSAGE_BYTES, type ServerMessage } from './web-protocol';
import { contentTypeOf, resolveStaticFile, SECURITY_HEADERS } from './web-static';

export const LOOPBACK = '127.0.0.1';
/** The path of the api WebSocket; the page connects to ws://127.0.0.1:PORT/api?token=… */
export const API_PATH = '/api';

export interface WebHostOptions {
  /** 0 picks a free port. */
  readonly port: number;
  /** The folder of built-in `*.lab.yaml` files. */
  readonly labsDir: string;
  /** The built renderer (real path of out/renderer). */
  readonly rendererDir: string;
  /** Where work is kept (the store in the data folder); in memory when absent. */
  readonly persistence?: Persistence;
  readonly log?: (message: string) => void;
}

export interface WebHost {
  readonly port: number;
  /** `http://127.0.0.1:PORT`, the only Origin a WebSocket may come from. */
  readonly origin: string;
  readonly token: string;
  /** The page to open, token included. */
  readonly url: string;
  close(): Promise<void>;
}

export async function startWebHost(options: WebHostOptions): Promise<WebHost> {
  const log = options.log ?? ((message: string) => process.stderr.write(`${message}\n`));
  const token = randomBytes(24).toString('base64url');
  const service = new NestlabService(folderLibrary(options.labsDir), {
    ...(options.persistence ? { persistence: options.persistence } : {}),
    clock: Date.now,
  });
  const sockets = new WebSocketServer({ noServer: true, maxPayload: MAX_MESSAGE_BYTES });
  let origin = '';

  const server = createServer((request, response) => {
    if (!hostIsOurs(request, origin)) return refuse(response, 421, 'Misdirected request.');
    serveStatic(options.rendererDir, request, response);
  });
  server.on('upgrade', (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    const problem = upgradeProblem(request, origin, token);
    if (problem) return rejectUpgrade(socket, problem.status, problem.reason);
    sockets.handleUpgrade(request, socket, head, (ws) => serveSocket(ws, service, writer, log));
  });

  const writer = new MessageWriter();
  const unsubscribe = service.onEvent((event, payload) => {
    const text = writer.event(event, payload);
    for (const client of sockets.clients) if (client.readyState === client.OPEN) client.send(text);
  });

  const port = await listen(server, options.port);
  origin = `http://${LOOPBACK}:${port}`;
  return {
    port,
    origin,
    token,
    url: `${origin}/?token=${token}`,
    close: async () => {
      unsubscribe();
      for (const client of sockets.clients) client.terminate();
      sockets.close();
      server.closeAllConnections();
      await new Promise<void>((done) => server.close(() => done()));
    },
  };
}

function listen(server: ReturnType<typeof createServer>, port: number): Promise<number> {
  return new Promise((done, fail) => {
    server.once('error', fail);
    server.listen(port, LOOPBACK, () => {
      server.off('error', fail);
      done((server.address() as AddressInfo).port);
    });
  });
}

function hostIsOurs(request: IncomingMessage, origin: string): boolean {
  return origin !== '' && `http://${request.headers.host ?? ''}` === origin;
}

/** Why an upgrade is refused, or undefined when it may open (token, Origin, Host, path). */
export function upgradeProblem(
  request: IncomingMessage,
  origin: string,
  token: string,
): { status: number; reason: string } | undefined {
  if (!hostIsOurs(request, origin)) return { status: 403, reason: 'Forbidden host' };
  if (request.headers.origin !== origin) return { status: 403, reason: 'Forbidden origin' };
  const url = new URL(request.url ?? '/', origin);
  if (url.pathname !== API_PATH) return { status: 404, reason: 'Not Found' };
  if (!sameSecret(url.searchParams.get('token') ?? '', token)) {
    return { status: 403, reason: 'Forbidden token' };
  }
  return undefined;
}

function sameSecret(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

function rejectUpgrade(socket: Duplex, status: number, reason: string): void {
  socket.end(`HTTP/1.1 ${status} ${reason}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
}

function serveSocket(
  ws: WebSocket,
  service: NestlabService,
  writer: MessageWriter,
  log: (message: string) => void,
): void {
  ws.on('message', (data, isBinary) => {
    const reply: ServerMessage = isBinary
      ? {
          id: null,
          error: { code: 'malformed-message', message: 'Send requests as text frames.' },
        }
      : dispatchMessage(service, rawText(data), log);
    ws.send(writer.reply(reply));
  });
  ws.on('error', (error) => log(`nestlab serve: WebSocket error: ${error.message}`));
}

/**
 * Writes messages as JSON text. An edit's reply carries the same LabView as the
 * `lab.changed` event sent just before it (the whole lab: a quarter of a megabyte at 1,000
 * nodes), so the view's text is kept from the event and spliced into the reply instead of
 * being written twice.
 */
export class MessageWriter {
  private readonly marker = `nestlab-view-${randomBytes(12).toString('hex')}`;
  private lastView: { readonly value: object; readonly json: string } | null = null;

  event(event: string, payload: unknown): string {
    if (event !== 'lab.changed' || typeof payload !== 'object' || payload === null)
      return JSON.stringify({ event, payload } satisfies ServerMessage);
    const json = JSON.stringify(payload);
    this.lastView = { value: payload, json };
    return `{"event":${JSON.stringify(event)},"payload":${json}}`;
  }

  reply(message: ServerMessage): string {
    const last = this.lastView;
    const result = 'result' in message ? message.result : undefined;
    if (!last || !isRecord(result) || result.view !== last.value) return JSON.stringify(message);
    const text = JSON.stringify({ ...message, result: { ...result, view: this.marker } });
    return text.replace(`"${this.marker}"`, () => last.json);
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function rawText(data: Buffer | ArrayBuffer | Buffer[]): string {
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  return Buffer.from(data as ArrayBuffer).toString('utf8');
}

function serveStatic(root: string, request: IncomingMessage, response: ServerResponse): void {
  if (request.method !== 'GET' && request.method !== 'HEAD') {
    response.setHeader('Allow', 'GET, HEAD');
    return refuse(response, 405, 'Only GET and HEAD are served.');
  }
  const { pathname } = new URL(request.url ?? '/', `http://${LOOPBACK}`);
  const file = resolveStaticFile(root, pathname);
  if (!file) return refuse(response, 404, 'Not found.');
  response.writeHead(200, {
    ...SECURITY_HEADERS,
    'Content-Type': contentTypeOf(file),
    'Cache-Control': 'no-store',
  });
  if (request.method === 'HEAD') return void response.end();
  createReadStream(file)
    .on('error', () => response.destroy())
    .pipe(response);
}

function refuse(response: ServerResponse, status: number, message: string): void {
  response.writeHead(status, { ...SECURITY_HEADERS, 'Content-Type': 'text/plain; charset=utf-8' });
  response.end(`${message}\n`);
}
