/**
 * The web host cannot be taken down by what it serves or whom (core/node/web-host.ts): a
 * call's Promise is awaited, a throw or rejection is an `internal-error` reply, a reply too
 * large to send is `reply-too-large`, and the socket keeps working after each; connections
 * are capped (503), a client that stops reading is dropped while the others carry on, and a
 * client's requests awaiting their reply are capped (`busy`). The host here serves a fake
 * target whose every call does what its arguments ask.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type { Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { assertNever } from '../../../../core/common/assert-never';
import {
  MAX_AWAITING_REPLIES,
  MAX_CLIENTS,
  startWebHost,
  type WebHost,
  type WebHostLimits,
  type WebHostTarget,
} from '../../../../core/node/web-host';
import { answer, MAX_REPLY_BYTES } from '../../../../core/node/web-protocol';
import { ask, attempt, closed, nextMessage, open } from './web-host-client';

/** What one call does, chosen by the request's args. */
type Behaviour =
  | { readonly do: 'echo'; readonly value: unknown }
  | { readonly do: 'later'; readonly value: unknown }
  | { readonly do: 'hold'; readonly value: unknown }
  | { readonly do: 'throw' }
  | { readonly do: 'reject' }
  | { readonly do: 'huge' }
  | { readonly do: 'deep' }
  | { readonly do: 'emit'; readonly bytes: number; readonly most: number }
  | { readonly do: 'emit-unwritable' };

/** A call target whose calls do what their arguments ask; events go to its listeners. */
class FakeTarget implements WebHostTarget {
  /** Resolvers of the `hold` calls not yet released. */
  readonly held: (() => void)[] = [];
  /** Set to stop an `emit` call early (when the host logs that it dropped a client). */
  stopEmitting = false;
  private readonly listeners = new Set<(event: string, payload: unknown) => void>();

  onEvent(listener: (event: string, payload: unknown) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  call(_name: unknown, args: unknown): unknown {
    const behaviour = args as Behaviour;
    switch (behaviour.do) {
      case 'echo':
        return behaviour.value;
      case 'later':
        return nextTurn().then(() => behaviour.value);
      case 'hold':
        return new Promise((resolve) => this.held.push(() => resolve(behaviour.value)));
      case 'throw':
        throw new Error('simulated throw');
      case 'reject':
        return nextTurn().then(() => Promise.reject(new Error('simulated rejection')));
      case 'huge':
        return 'x'.repeat(MAX_REPLY_BYTES);
      case 'deep':
        return deeplyNested(1_000_000);
      case 'emit':
        return this.emitEvents(behaviour.bytes, behaviour.most);
      case 'emit-unwritable':
        this.emit('lab.changed', { revision: 1n });
        return 'after the event';
      default:
        return assertNever(behaviour, 'behaviour');
    }
  }

  /** Emits events of `bytes` each, one per turn so readers keep up, until told to stop. */
  private async emitEvents(bytes: number, most: number): Promise<number> {
    const payload = { padding: 'x'.repeat(bytes) };
    let sent = 0;
    while (!this.stopEmitting && sent < most) {
      this.emit('trace.frame', payload);
      sent += 1;
      await nextTurn();
    }
    return sent;
  }

  private emit(event: string, payload: unknown): void {
    for (const listener of this.listeners) listener(event, payload);
  }
}

function nextTurn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

function deeplyNested(depth: number): unknown {
  let value: unknown = [];
  for (let i = 0; i < depth; i++) value = [value];
  return value;
}

let rendererDir: string;

beforeAll(() => {
  rendererDir = mkdtempSync(join(tmpdir(), 'nestlab-renderer-'));
  writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>Nestlab</title>');
});

afterAll(() => rmSync(rendererDir, { recursive: true, force: true }));

interface Running {
  readonly host: WebHost;
  readonly target: FakeTarget;
  readonly lines: string[];
}

/** Starts a host over a fresh fake target, its log kept in `lines`; the test closes it. */
async function startFake(
  limits: Partial<WebHostLimits> = {},
  onLog: (line: string, target: FakeTarget) => void = () => undefined,
): Promise<Running> {
  const target = new FakeTarget();
  const lines: string[] = [];
  const log = (line: string): void => {
    lines.push(line);
    onLog(line, target);
  };
  const host = await startWebHost({
    port: 0,
    labsDir: rendererDir,
    rendererDir,
    log,
    target,
    limits,
  });
  return { host, target, lines };
}

function request(id: number, behaviour: Behaviour): unknown {
  return { id, method: 'traffic.run', args: behaviour };
}

describe('web host calls', () => {
  let fake: Running;
  beforeAll(async () => (fake = await startFake()));
  afterAll(() => fake.host.close());

  it("replies with an async call's resolved value, not the Promise", async () => {
    const socket = await open(fake.host);
    const value = { ok: true, frames: [1, 2, 3] };
    expect(await ask(socket, request(1, { do: 'later', value }))).toEqual({ id: 1, result: value });
    socket.close();
  });

  it('answers a plain value at once and a Promise once it settles, so a reply never trails the next request', async () => {
    const target = new FakeTarget();
    const log = (): void => undefined;
    const now = answer(
      target,
      { id: 1, method: 'sim.tables', args: { do: 'echo', value: 1 } },
      log,
    );
    expect(now).toEqual({ id: 1, result: 1 }); // not a Promise of it
    const later = answer(
      target,
      { id: 2, method: 'traffic.run', args: { do: 'later', value: 2 } },
      log,
    );
    expect(later).toBeInstanceOf(Promise);
    expect(await later).toEqual({ id: 2, result: 2 });
  });

  it('answers a rejected or throwing call with internal-error, logs the stack and keeps answering', async () => {
    const socket = await open(fake.host);
    fake.lines.length = 0;
    const failed = {
      code: 'internal-error',
      message: "traffic.run failed inside the core; see the host's log.",
    };
    expect(await ask(socket, request(2, { do: 'reject' }))).toEqual({ id: 2, error: failed });
    expect(await ask(socket, request(3, { do: 'throw' }))).toEqual({ id: 3, error: failed });
    expect(fake.lines).toEqual([
      expect.stringMatching(
        /^nestlab serve: traffic\.run failed: Error: simulated rejection\n\s+at /,
      ),
      expect.stringMatching(/^nestlab serve: traffic\.run failed: Error: simulated throw\n\s+at /),
    ]);
    const after = await ask(socket, request(4, { do: 'echo', value: 'still here' }));
    expect(after).toEqual({ id: 4, result: 'still here' });
    socket.close();
  });

  it('answers a reply too large to send with reply-too-large and the same socket keeps working', async () => {
    const socket = await open(fake.host);
    fake.lines.length = 0;
    for (const [id, behaviour] of [
      [5, { do: 'huge' }], // over MAX_REPLY_BYTES
      [6, { do: 'deep' }], // JSON.stringify itself throws a RangeError
    ] as const) {
      const reply = await ask(socket, request(id, behaviour));
      expect(reply).toMatchObject({ id, error: { code: 'reply-too-large' } });
      expect((reply.error as { message: string }).message).toBe(
        'The reply to traffic.run is larger than the 64 MiB the host sends at once, so it was ' +
          'not sent. Ask for less at a time (a smaller lab or a shorter run); the connection ' +
          'still works.',
      );
    }
    expect(fake.lines).toEqual([
      'nestlab serve: the reply to traffic.run was not sent: over 64 MiB.',
      'nestlab serve: the reply to traffic.run was not sent: Maximum call stack size exceeded.',
    ]);
    const after = await ask(socket, request(7, { do: 'echo', value: 'still here' }));
    expect(after).toEqual({ id: 7, result: 'still here' });
    socket.close();
  });

  it('drops an event it cannot write, logs it, and keeps serving', async () => {
    const socket = await open(fake.host);
    const listener = await open(fake.host);
    fake.lines.length = 0;
    const heard = nextMessage(listener);
    const reply = await ask(socket, request(8, { do: 'emit-unwritable' }));
    expect(reply).toEqual({ id: 8, result: 'after the event' });
    expect(fake.lines).toEqual([
      expect.stringContaining('nestlab serve: the lab.changed event was not sent: it cannot be'),
    ]);
    // The listener's first message is the next reply, not the dropped event.
    await ask(listener, request(9, { do: 'echo', value: 'next' }));
    expect(await heard).toEqual({ id: 9, result: 'next' });
    socket.close();
    listener.close();
  });
});

describe('web host limits', () => {
  it('refuses the upgrade past MAX_CLIENTS with 503 and a reason, and accepts again after one closes', async () => {
    const { host } = await startFake();
    const sockets = await Promise.all(Array.from({ length: MAX_CLIENTS }, () => open(host)));
    const refused = await attempt(host, { token: host.token, origin: host.origin });
    expect(refused).toEqual({ status: 503, reason: 'Too many connections (8 are open)' });
    const first = sockets.shift();
    first?.close();
    sockets.push(await openOnceClosed(host));
    expect(sockets).toHaveLength(MAX_CLIENTS);
    for (const socket of sockets) socket.close();
    await host.close();
  });

  it('drops a client that stopped reading past the buffer limit while another keeps its answers', async () => {
    const maxBufferedBytes = 1024 * 1024;
    const { host, lines } = await startFake({ maxBufferedBytes }, (line, target) => {
      if (line.includes('stopped reading')) target.stopEmitting = true;
    });
    const reader = await open(host);
    const stalled = await open(host);
    const stalledSocket = (stalled as unknown as { _socket: Socket })._socket;
    stalledSocket.pause();
    const most = 1024; // 64 MiB of events: far past the limit plus the kernel's buffers
    const reply = await ask(reader, request(1, { do: 'emit', bytes: 64 * 1024, most }));
    expect(reply.id).toBe(1);
    expect(reply.result).toBeLessThan(most); // it stopped because the host dropped `stalled`
    const drops = lines.filter((line) => line.includes('stopped reading'));
    expect(drops).toEqual([
      expect.stringMatching(
        /^nestlab serve: dropped a client that stopped reading: [\d.]+ MiB waited to be sent, over the 1 MiB limit\.$/,
      ),
    ]);
    const stalledClosed = closed(stalled);
    stalledSocket.resume();
    expect(await stalledClosed).toBe(1006); // cut off, no close frame
    const after = await ask(reader, request(2, { do: 'echo', value: 'still here' }));
    expect(after).toEqual({ id: 2, result: 'still here' });
    reader.close();
    await host.close();
  });

  it('answers a request past MAX_AWAITING_REPLIES with busy at once, for that client only', async () => {
    const { host, target } = await startFake();
    const socket = await open(host);
    const other = await open(host);
    const first = nextMessage(socket);
    const replies = collectReplies(socket, MAX_AWAITING_REPLIES + 1);
    for (let id = 1; id <= MAX_AWAITING_REPLIES; id++) {
      socket.send(JSON.stringify(request(id, { do: 'hold', value: id })));
    }
    // Would be answered at once with its value if the cap were not there.
    socket.send(JSON.stringify(request(MAX_AWAITING_REPLIES + 1, { do: 'echo', value: 'no' })));
    expect(await first).toEqual({
      id: MAX_AWAITING_REPLIES + 1,
      error: {
        code: 'busy',
        message:
          '16 requests are already waiting for their reply; wait for earlier replies before sending more.',
      },
    });
    expect(target.held).toHaveLength(MAX_AWAITING_REPLIES);
    const otherReply = await ask(other, request(100, { do: 'echo', value: 'other' }));
    expect(otherReply).toEqual({ id: 100, result: 'other' });
    for (const release of target.held.splice(0)) release();
    const results = (await replies).slice(1);
    expect(results).toEqual(
      Array.from({ length: MAX_AWAITING_REPLIES }, (_, i) => ({ id: i + 1, result: i + 1 })),
    );
    const again = await ask(socket, request(101, { do: 'echo', value: 'again' }));
    expect(again).toEqual({ id: 101, result: 'again' });
    socket.close();
    other.close();
    await host.close();
  });
});

/** The first `count` replies on the socket, in the order they came. */
function collectReplies(socket: WebSocket, count: number): Promise<Record<string, unknown>[]> {
  const replies: Record<string, unknown>[] = [];
  return new Promise((resolve) => {
    const onMessage = (data: WebSocket.RawData): void => {
      replies.push(JSON.parse(String(data)) as Record<string, unknown>);
      if (replies.length < count) return;
      socket.off('message', onMessage);
      resolve(replies);
    };
    socket.on('message', onMessage);
  });
}

/**
 * Opens a socket once the host has seen a closed one go: the client's close event and the
 * host's come in either order, so a refusal (503) here means "not yet" and is tried again.
 */
async function openOnceClosed(host: WebHost): Promise<WebSocket> {
  for (let tries = 0; tries < 100; tries++) {
    const socket = await attempt(host, { token: host.token, origin: host.origin });
    if (socket instanceof WebSocket) return socket;
    expect(socket.status).toBe(503);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error('the host never accepted a connection after one closed');
}
