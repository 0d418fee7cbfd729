/**
 * The web host's doors (core/node/web-host.ts): a WebSocket opens only with this start's
 * token and the page's own Origin on 127.0.0.1; messages are dispatched to the service with
 * errors as values; static files never escape the renderer folder and carry a CSP; the
 * MessageWriter splices an event's view into the reply, counts its limit in UTF-8 bytes and
 * replaces a reply it cannot send by an envelope error. Limits: web-host-limits.test.ts.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWebHost, type WebHost } from '../../../../core/node/web-host';
import { MAX_MESSAGE_BYTES, MessageWriter } from '../../../../core/node/web-protocol';
import { ask, connect, nextMessage, open } from './web-host-client';

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
    expect(await connect(host, { origin: host.origin })).toBe(403);
  });

  it('refuses a WebSocket with a wrong token (403)', async () => {
    expect(await connect(host, { token: `${host.token.slice(0, -1)}x`, origin: host.origin })).toBe(
      403,
    );
  });

  it('refuses a WebSocket from a foreign Origin, even with the token (403)', async () => {
    expect(await connect(host, { token: host.token, origin: 'http://evil.example' })).toBe(403);
    expect(
      await connect(host, { token: host.token, origin: `http://localhost:${host.port}` }),
    ).toBe(403);
    expect(await connect(host, { token: host.token })).toBe(403);
  });

  it('refuses a WebSocket on another path (404)', async () => {
    expect(await connect(host, { token: host.token, origin: host.origin, path: '/socket' })).toBe(
      404,
    );
  });

  it('answers { id, method, args } with { id, result } from the service', async () => {
    const socket = await open(host);
    const reply = await ask(socket, { id: 1, method: 'labs.list', args: {} });
    expect(reply.id).toBe(1);
    expect(reply.result).toEqual(
      expect.arrayContaining([expect.objectContaining({ id: 'e1-nested-vm-out' })]),
    );
    socket.close();
  });

  it('returns expected failures as values: bad arguments, unknown method, malformed JSON', async () => {
    const socket = await open(host);
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
    const socket = await open(host);
    const listener = await open(host);
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
    const socket = await open(host);
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
    const writer = new MessageWriter(() => undefined);
    const event = writer.event('lab.changed', view);
    expect(event).toBe(JSON.stringify({ event: 'lab.changed', payload: view }));
    const reply = { id: 7, result: { ok: true, view, note: 'after' } };
    expect(writer.reply(reply)).toBe(JSON.stringify(reply));
  });

  it('writes every other message as JSON.stringify does', () => {
    const writer = new MessageWriter(() => undefined);
    writer.event('lab.changed', view);
    const other = { id: 8, result: { ok: true, view: { ...view, revision: 4 } } };
    expect(writer.reply(other)).toBe(JSON.stringify(other));
    expect(writer.reply({ id: 9, result: null })).toBe('{"id":9,"result":null}');
    expect(writer.event('attempt.saved', { ok: true })).toBe(
      JSON.stringify({ event: 'attempt.saved', payload: { ok: true } }),
    );
  });

  it('counts the reply limit in UTF-8 bytes and replaces a reply over it by reply-too-large', () => {
    const lines: string[] = [];
    const writer = new MessageWriter((line) => lines.push(line), 100);
    const fits = { id: 5, result: '€'.repeat(20) }; // 80 bytes as UTF-8
    expect(writer.reply(fits, 'traffic.run')).toBe(JSON.stringify(fits));
    const over = JSON.parse(writer.reply({ id: 6, result: '€'.repeat(30) }, 'traffic.run'));
    expect(over).toMatchObject({ id: 6, error: { code: 'reply-too-large' } });
    expect(over.error.message).toContain('The reply to traffic.run is larger than the 100 bytes');
    expect(over.error.message).toContain('Ask for less at a time');
    expect(lines).toEqual([
      'nestlab serve: the reply to traffic.run was not sent: over 100 bytes.',
    ]);
  });

  it('replaces a reply JSON cannot write by internal-error and logs the stack', () => {
    const lines: string[] = [];
    const writer = new MessageWriter((line) => lines.push(line));
    const cycle: Record<string, unknown> = {};
    cycle.self = cycle;
    for (const [id, result] of [
      [10, 1n],
      [11, cycle],
    ] as const) {
      expect(JSON.parse(writer.reply({ id, result }, 'sim.tables'))).toEqual({
        id,
        error: {
          code: 'internal-error',
          message:
            "sim.tables returned a value that cannot be written as JSON; see the host's log.",
        },
      });
    }
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/cannot be written as JSON: TypeError: .*BigInt\n\s+at /);
  });

  it('drops an event it cannot write or that is over the limit, with one line in the log', () => {
    const lines: string[] = [];
    const writer = new MessageWriter((line) => lines.push(line), 1000);
    expect(writer.event('attempt.saved', { size: 1n })).toBeUndefined();
    const bigView = { lab: { title: 'x'.repeat(1000) } };
    expect(writer.event('lab.changed', bigView)).toBeUndefined();
    // The dropped view is not spliced: the reply carrying it is written (and refused) whole.
    const reply = JSON.parse(writer.reply({ id: 12, result: { ok: true, view: bigView } }));
    expect(reply).toMatchObject({ id: 12, error: { code: 'reply-too-large' } });
    expect(lines.slice(0, 2)).toEqual([
      expect.stringContaining('the attempt.saved event was not sent: it cannot be written as JSON'),
      'nestlab serve: the lab.changed event was not sent: its JSON is over the 1000 bytes limit.',
    ]);
  });
});
