/**
 * The web host (`nestlab serve`): the built renderer over HTTP and the api contract over one
 * WebSocket, for a browser and for end-to-end tests. Guarantees: it listens on 127.0.0.1
 * only; every request must name the host as 127.0.0.1:PORT (no DNS rebinding); a WebSocket
 * opens only with this start's random token and the page's own Origin, and only while fewer
 * than MAX_CLIENTS are open (503 otherwise); messages are size capped and dispatched to the
 * service, which re-validates them; static files never leave the renderer folder.
 * No client and no result can take it down: socket handlers and the event broadcast never
 * throw nor leave a rejection (a throw, a rejection or a reply too large to send becomes an
 * envelope error, see web-protocol.ts; an event that cannot be sent is logged and dropped);
 * a client has at most MAX_AWAITING_REPLIES requests in flight (more are answered `busy`);
 * and a client that stops reading is dropped once MAX_BUFFERED_BYTES wait for it, so the
 * host's memory stays bounded and the other clients carry on.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';
import { NestlabService } from '../api/service';
import type { Persistence } from '../api/persistence';
import type { SimRunner } from '../api/sim-runner';
import { folderLibrary } from './lab-library';
import {
  answer,
  busyReply,
  envelopeError,
  MAX_MESSAGE_BYTES,
  MAX_REPLY_BYTES,
  MessageWriter,
  readRequest,
  sizeText,
  stackOf,
  type CallTarget,
  type ReplyMessage,
} from './web-protocol';
import { contentTypeOf, resolveStaticFile, SECURITY_HEADERS } from './web-static';

export const LOOPBACK = '127.0.0.1';
/** The path of the api WebSocket; the page connects to ws://127.0.0.1:PORT/api?token=… */
export const API_PATH = '/api';

/**
 * Most WebSocket clients open at once: a few tabs and test pages. Each may hold up to
 * MAX_BUFFERED_BYTES of unsent messages, so the cap is also what bounds the host's memory.
 */
export const MAX_CLIENTS = 8;

/**
 * Unsent bytes a client may have queued after a send before it is dropped. Twice the largest
 * message, so a client that is reading is never dropped for one large reply (right after
 * `send` nearly all of it is still queued) nor for the event sent just before it.
 */
export const MAX_BUFFERED_BYTES = 2 * MAX_REPLY_BYTES;

/**
 * Requests one client may have awaiting their reply. The app waits for each reply before it
 * asks again, bar a handful of queries at start; 16 leaves room for those and stops a client
 * from queueing unbounded simulation runs.
 */
export const MAX_AWAITING_REPLIES = 16;

export interface WebHostLimits {
  readonly maxClients: number;
  readonly maxBufferedBytes: number;
  readonly maxAwaitingReplies: number;
  readonly maxReplyBytes: number;
}

const DEFAULT_LIMITS: WebHostLimits = {
  maxClients: MAX_CLIENTS,
  maxBufferedBytes: MAX_BUFFERED_BYTES,
  maxAwaitingReplies: MAX_AWAITING_REPLIES,
  maxReplyBytes: MAX_REPLY_BYTES,
};

/** What the host serves: the api's one door and its events (NestlabService, or a test's). */
export interface WebHostTarget extends CallTarget {
  onEvent(listener: (event: string, payload: unknown) => void): () => void;
}

export interface WebHostOptions {
  /** 0 picks a free port. */
  readonly port: number;
  /** The folder of built-in `*.lab.yaml` files. */
  readonly labsDir: string;
  /** The built renderer (real path of out/renderer). */
  readonly rendererDir: string;
  /** Where work is kept (the store in the data folder); in memory when absent. */
  readonly persistence?: Persistence;
  /**
   * Where the simulation runs: `nestlab serve` gives a worker runner, so a run never stops the
   * host answering; in this thread when absent. The host closes it when it closes.
   */
  readonly simRunner?: SimRunner;
  /** Where the objectives' checks run (a second worker); in this thread when absent. Closed with the host. */
  readonly gradeRunner?: SimRunner;
  readonly log?: (message: string) => void;
  /** For tests: the target to serve instead of a NestlabService over labsDir. */
  readonly target?: WebHostTarget;
  /** For tests: limits lower than the documented defaults. */
  readonly limits?: Partial<WebHostLimits>;
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

type Log = (message: string) => void;

/** What every connection shares. */
interface Shared {
  readonly target: CallTarget;
  readonly writer: MessageWriter;
  readonly limits: WebHostLimits;
  readonly log: Log;
}

export async function startWebHost(options: WebHostOptions): Promise<WebHost> {
  const log = options.log ?? ((message: string) => process.stderr.write(`${message}\n`));
  const limits: WebHostLimits = { ...DEFAULT_LIMITS, ...options.limits };
  const token = randomBytes(24).toString('base64url');
  const target = options.target ?? serviceFor(options);
  const shared: Shared = {
    target,
    writer: new MessageWriter(log, limits.maxReplyBytes),
    limits,
    log,
  };
  const sockets = new WebSocketServer({
    noServer: true,
    maxPayload: MAX_MESSAGE_BYTES,
    clientTracking: false,
  });
  const connections = new Set<Connection>();
  let origin = '';

  const server = createServer((request, response) => {
    if (!hostIsOurs(request, origin)) return refuse(response, 421, 'Misdirected request.');
    serveStatic(options.rendererDir, request, response);
  });
  server.on('upgrade', (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    const problem =
      upgradeProblem(request, origin, token) ?? capacityProblem(connections.size, limits);
    if (problem) return rejectUpgrade(socket, problem.status, problem.reason);
    sockets.handleUpgrade(request, socket, head, (ws) => serveSocket(ws, connections, shared));
  });

  const unsubscribe = target.onEvent((event, payload) =>
    guard(log, `sending the ${event} event`, () => broadcast(connections, shared, event, payload)),
  );

  const port = await listen(server, options.port);
  origin = `http://${LOOPBACK}:${port}`;
  return {
    port,
    origin,
    token,
    url: `${origin}/?token=${token}`,
    close: async () => {
      unsubscribe();
      options.simRunner?.close();
      options.gradeRunner?.close();
      for (const connection of connections) connection.terminate();
      sockets.close();
      server.closeAllConnections();
      await new Promise<void>((done) => server.close(() => done()));
    },
  };
}

function serviceFor(options: WebHostOptions): WebHostTarget {
  return new NestlabService(folderLibrary(options.labsDir), {
    ...(options.persistence ? { persistence: options.persistence } : {}),
    ...(options.simRunner ? { simRunner: options.simRunner } : {}),
    ...(options.gradeRunner ? { gradeRunner: options.gradeRunner } : {}),
    clock: Date.now,
  });
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

/** Why one more WebSocket may not open now: the host already serves its most clients. */
function capacityProblem(
  open: number,
  limits: WebHostLimits,
): { status: number; reason: string } | undefined {
  if (open < limits.maxClients) return undefined;
  return { status: 503, reason: `Too many connections (${limits.maxClients} are open)` };
}

function serveSocket(ws: WebSocket, connections: Set<Connection>, shared: Shared): void {
  const connection = new Connection(ws, shared);
  connections.add(connection);
  ws.on('close', () => connections.delete(connection));
  ws.on('message', (data, isBinary) =>
    guard(shared.log, 'handling a message', () => connection.receive(data, isBinary)),
  );
  ws.on('error', (error) => shared.log(`nestlab serve: WebSocket error: ${error.message}`));
}

/**
 * Writes an event once and sends the same bytes to every client: ws queues a Buffer without
 * copying it, so clients that lag behind share one copy of each event instead of one each.
 */
function broadcast(
  connections: Set<Connection>,
  shared: Shared,
  event: string,
  payload: unknown,
): void {
  const text = shared.writer.event(event, payload);
  if (text === undefined) return;
  const bytes = Buffer.from(text, 'utf8');
  for (const connection of connections) connection.send(bytes);
}

/**
 * Runs `work`, logging what it throws: neither a socket's handler nor the service's emit
 * ever sees a throw from the host. Nothing in `work` is meant to throw; this is the net.
 */
function guard(log: Log, what: string, work: () => void): void {
  try {
    work();
  } catch (error) {
    log(`nestlab serve: ${what} failed: ${stackOf(error)}`);
  }
}

const BINARY_REFUSAL = envelopeError(null, 'malformed-message', 'Send requests as text frames.');

/**
 * One open WebSocket. Guarantees: at most `maxAwaitingReplies` of its calls are in flight
 * (a further request is answered `busy` at once); a send that leaves more than
 * `maxBufferedBytes` queued for it drops it, and nothing is sent to it after.
 */
class Connection {
  private awaiting = 0;

  constructor(
    private readonly ws: WebSocket,
    private readonly shared: Shared,
  ) {}

  receive(data: RawData, isBinary: boolean): void {
    if (isBinary) return this.reply(BINARY_REFUSAL);
    const read = readRequest(rawText(data));
    if (!read.ok) return this.reply(read.reply);
    const { request } = read;
    const { limits, target, log } = this.shared;
    if (this.awaiting >= limits.maxAwaitingReplies) {
      return this.reply(busyReply(request.id, limits.maxAwaitingReplies), request.method);
    }
    const answered = answer(target, request, log);
    if (answered instanceof Promise) this.replyLater(answered, request.method);
    else this.reply(answered, request.method);
  }

  /** Counts the call as awaiting its reply until it settles (`answer` never rejects). */
  private replyLater(answered: Promise<ReplyMessage>, method: string): void {
    this.awaiting += 1;
    answered
      .then((reply) => {
        this.awaiting -= 1;
        this.reply(reply, method);
      })
      .catch((error: unknown) =>
        this.shared.log(`nestlab serve: replying to ${method} failed: ${stackOf(error)}`),
      );
  }

  /** Sends one message's text unless the client is gone; drops a client that stopped reading. */
  send(text: string | Buffer): void {
    if (this.ws.readyState !== this.ws.OPEN) return;
    this.ws.send(text, { binary: false });
    const queued = this.ws.bufferedAmount;
    const limit = this.shared.limits.maxBufferedBytes;
    if (queued <= limit) return;
    this.shared.log(
      `nestlab serve: dropped a client that stopped reading: ${sizeText(queued)} waited to be sent, over the ${sizeText(limit)} limit.`,
    );
    // Not close(): its frame would queue behind the data the client is not reading, and the
    // point is to free that memory now.
    this.terminate();
  }

  terminate(): void {
    this.ws.terminate();
  }

  private reply(message: ReplyMessage, method?: string): void {
    this.send(this.shared.writer.reply(message, method));
  }
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
