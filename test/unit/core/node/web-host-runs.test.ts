/**
 * The web host while a heavy run works (the run path: a run happens off the thread that
 * answers requests): one client runs a storm at the largest loop limits through the real
 * service and its worker thread, and another client is answered meanwhile; `traffic.cancel`
 * from either ends the run at once with a `cancelled` notice. Uses the built worker
 * (out/cli/sim-worker.cjs; `npm run test:unit` builds it first).
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type WebSocket from 'ws';
import { startWebHost, type WebHost } from '../../../../core/node/web-host';
import { WorkerSimRunner } from '../../../../core/node/worker-sim-runner';
import { stormLab } from './hostile-labs';
import { nextMessage, open, type Message } from './web-host-client';

let folder: string;
let host: WebHost;

beforeAll(async () => {
  folder = mkdtempSync(join(tmpdir(), 'nestlab-runs-'));
  const labsDir = join(folder, 'labs');
  const rendererDir = join(folder, 'renderer');
  mkdirSync(labsDir);
  mkdirSync(rendererDir);
  writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>Nestlab</title>');
  writeFileSync(join(labsDir, 'storm.lab.yaml'), stormLab(255, 100_000, 50, 8));
  const simRunner = new WorkerSimRunner(
    new URL('../../../../out/cli/sim-worker.cjs', import.meta.url),
  );
  host = await startWebHost({ port: 0, labsDir, rendererDir, simRunner, log: () => undefined });
});

afterAll(async () => {
  await host.close();
  rmSync(folder, { recursive: true, force: true });
});

let nextId = 1;

/** Sends a request; resolves with its reply (matched by id, events and other replies skipped). */
function request(socket: WebSocket, method: string, args: object = {}): Promise<Message> {
  const id = nextId++;
  const reply = nextMessage(socket, (m) => m.id === id);
  socket.send(JSON.stringify({ id, method, args }));
  return reply;
}

describe('the web host during a heavy run', () => {
  it('answers another client while one runs a storm, and a cancel ends the run with a notice', async () => {
    const runner = await open(host);
    const other = await open(host);
    expect((await request(runner, 'lab.open', { id: 'storm' })).result).toMatchObject({ ok: true });
    const order: string[] = [];
    const run = request(runner, 'traffic.run', {}).then((reply) => {
      order.push('run');
      return reply;
    });
    // The other client is answered while the storm runs in the worker.
    for (let i = 0; i < 3; i++) {
      const current = await request(other, 'lab.current');
      expect(current.result).toMatchObject({ lab: { title: 'storm' } });
      order.push('other');
    }
    expect(await request(other, 'traffic.cancel')).toMatchObject({ result: { ok: true } });
    const reply = (await run).result as {
      ok: boolean;
      notices: { budget: string }[];
      steps: { skipped?: true }[];
    };
    expect(order.slice(0, 3)).toEqual(['other', 'other', 'other']);
    expect(reply.ok).toBe(true);
    expect(reply.notices.map((n) => n.budget)).toContain('cancelled');
    expect(reply.steps.at(-1)?.skipped).toBe(true);
    runner.close();
    other.close();
  });
});
