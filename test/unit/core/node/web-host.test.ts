/**
 * The web host's doors (core/node/web-host.ts): a WebSocket opens only with this start's
 * token and the page's own Origin on 127.0.0.1; messages are dispatched to the service with
 * errors as values; static files never escape the renderer folder and carry a CSP.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { MessageWriter, startWebHost, type WebHost } from '../../../../core/node/web-host';
import { MAX_MESSAGE_BYTES } from '../../../../core/node/web-protocol';

const labsDir = fileURLToPath(new URL('../../../../labs/', import.meta.url));
let rendererDir: string;
let host: WebHost;

beforeAll(async () => {
  rendererDir = mkdtempSync(join(tmpdir(), 'nestlab-renderer-'));
  mkdirSync(join(rendererDir, 'assets'));
  writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>Nestlab</title>');
  writeFileSync(join(rendererDir, 'assets', 'app.js'), 'export {};');
  writeFileSync(join(tmpdir(), 'nestlab-secret.txt'), 'secret');
  host = await startWebHost({ port: 0, labsDir, rendererDir, log: () => undefined });
});

afterAll(async () => {
  await host.close();
  rmSync(rendererDir, { recursive: true, force: true });
});

/** Opens a socket and resolves with it, or with the HTTP status the upgrade was refused with. */
function connect(options: {
  token?: string;
  origin?: string;
  path?: string;
}): Promise<WebSocket | number> {
  const query = options.token === undefined ? '' : `?token=${encodeURIComponent(options.token)}`;
  const url = `ws://127.0.0.1:${host.port}${options.path ?? '/api'}${query}`;
  const socket = new WebSocket(url, options.origin === undefined ? {} : { origin: options.origin });
  return new Promise((resolve, reject) => {
    socket.once('open', () => resolve(socket));
    socket.once('unexpected-response', (_request, response) => resolve(response.statusCode ?? 0));
    socket.once('error', reject);
  });
}

async function open(): Promise<WebSocket> {
  const socket = await connect({ token: host.token, origin: host.origin });
  if (typeof socket === 'number') throw new Error(`refused with ${socket}`);
  return socket;
}

type Message = Record<string, unknown>;

/** The next message that passes `wanted` (events and replies share the socket). */
function nextMessage(
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
async function ask(socket: WebSocket, message: unknown): Promise<Message> {
  const reply = nextMessage(socket, (m) => !('event' in m));
  socket.send(typeof message === 'string' ? message : JSON.stringify(message));
  return reply;
}

function get(path: string, headers: Record<string, string> = {}) {
  return new Promise<{ status: number; headers: Record<string, unknown>; body: string }>(
    (resolve, reject) => {
      const req = request(
        {
          host: '127.0.0.1',
          port: host.port,
          path,
          headers: { host: `127.0.0.1:${host.port}`, ...headers },
        },
        (res) => {
          let body = '';
          res.on('data', (chunk: Buffer) => (body += chunk.toString()));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
        },
      );
      req.on('error', reject);
      req.end();
    },
  );
}

describe('web host WebSocket', () => {
  it('listens on 127.0.0.1 only and prints a URL carrying the token', () => {
    expect(host.origin).toBe(`http://127.0.0.1:${host.port}`);
    expect(host.url).toBe(`${host.origin}/?token=${host.token}`);
    expect(host.token.length).toBeGreaterThanOrEqual(32);
  });

  it('refuses a WebSocket without the token (403)', async () => {
    expect(await connect({ origin: host.origin })).toBe(403);
  });

  it('refuses a WebSocket with a wrong token (403)', async () => {
    expect(await connect({ token: `${host.token.slice(0, -1)}x`, origin: host.origin })).toBe(403);
  });

  it('refuses a WebSocket from a foreign Origin, even with the token (403)', async () => {
    expect(await connect({ token: host.token, origin: 'http://evil.example' })).toBe(403);
    expect(await connect({ token: host.token, origin: `http://localhost:${host.port}` })).toBe(403);
    expect(await connect({ token: host.token })).toBe(403);
  });

  it('refuses a WebSocket on another path (404)', async () => {
    expect(await connect({ token: host.token, origin: host.origin, path: '/socket' })).toBe(404);
  });

  it('answers { id, method, args } with { id, result } from the service', async () => {
    const socket = await open();
    const reply = await ask(socket, { id: 1, method: 'labs.list', args: {} });
    expect(reply.id).toBe(1);
    expect(reply.result).toEqual(
      expect.arrayContaining([expect.objectContaining({ id: 'e1-nested-vm-out' })]),
    );
    socket.close();
  });

  it('returns expected failures as values: bad arguments, unknown method, malformed JSON', async () => {
    const socket = await open();
    const bad = await ask(socket, { id: 2, method: 'lab.open', args: { id: 42 } });
    expect(bad).toMatchObject({ id: 2, result: { ok: false, code: 'invalid-request' } });
    const unknown = await ask(socket, { id: 3, method: 'fs.readFile', args: {} });
    expect(unknown).toMatchObject({ id: 3, error: { code: 'unknown-method' } });
    const malformed = await ask(socket, '{not json');
    expect(malformed).toMatchObject({ id: null, error: { code: 'malformed-message' } });
    const noId = await ask(socket, { method: 'labs.list' });
    expect(noId).toMatchObject({ id: null, error: { code: 'malformed-message' } });
    socket.close();
  });

  it('pushes lab.changed events as { event, payload }', async () => {
    const socket = await open();
    const listener = await open();
    const event = nextMessage(listener);
    const reply = await ask(socket, {
      id: 4,
      method: 'lab.open',
      args: { id: 'e1-nested-vm-out' },
    });
    expect(reply).toMatchObject({ id: 4, result: { ok: true } });
    expect(await event).toMatchObject({
      event: 'lab.changed',
      payload: { fileName: 'e1-nested-vm-out.lab.yaml' },
    });
    socket.close();
    listener.close();
  });

  it('closes a connection whose message is larger than the cap (1009)', async () => {
    const socket = await open();
    const closed = new Promise<number>((resolve) => socket.once('close', (code) => resolve(code)));
    socket.send('x'.repeat(MAX_MESSAGE_BYTES + 1));
    expect(await closed).toBe(1009);
  });
});

describe('web host static files', () => {
  it('serves the renderer with content types, nosniff and a CSP', async () => {
    const page = await get('/?token=whatever');
    expect(page.status).toBe(200);
    expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(page.headers['content-security-policy']).toContain("default-src 'none'");
    expect(page.headers['content-security-policy']).toContain("script-src 'self'");
    expect(page.headers['x-content-type-options']).toBe('nosniff');
    const script = await get('/assets/app.js');
    expect(script.headers['content-type']).toBe('text/javascript; charset=utf-8');
  });

  it('never serves a file outside the renderer folder', async () => {
    for (const path of [
      '/../nestlab-secret.txt',
      '/%2e%2e/nestlab-secret.txt',
      '/assets/..%2f..%2fnestlab-secret.txt',
      '/..%5cnestlab-secret.txt',
      '/assets/%00.js',
    ]) {
      const response = await get(path);
      expect(response.status, path).toBe(404);
      expect(response.body, path).not.toContain('secret');
    }
  });

  it('refuses a request for another host name (DNS rebinding) with 421', async () => {
    expect((await get('/', { host: `evil.example:${host.port}` })).status).toBe(421);
  });
});

describe('web host messages', () => {
  const view = { lab: { title: 'A "quoted" $& lab', vms: [] }, revision: 3, violations: [] };

  it('writes a reply carrying the view just sent as an event byte for byte as JSON.stringify', () => {
    const writer = new MessageWriter();
    const event = writer.event('lab.changed', view);
    expect(event).toBe(JSON.stringify({ event: 'lab.changed', payload: view }));
    const reply = { id: 7, result: { ok: true, view, note: 'after' } };
    expect(writer.reply(reply)).toBe(JSON.stringify(reply));
  });

  it('writes every other message as JSON.stringify does', () => {
    const writer = new MessageWriter();
    writer.event('lab.changed', view);
    const other = { id: 8, result: { ok: true, view: { ...view, revision: 4 } } };
    expect(writer.reply(other)).toBe(JSON.stringify(other));
    expect(writer.reply({ id: 9, result: null })).toBe('{"id":9,"result":null}');
    expect(writer.event('attempt.saved', { ok: true })).toBe(
      JSON.stringify({ event: 'attempt.saved', payload: { ok: true } }),
    );
  });
});
