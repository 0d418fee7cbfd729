/**
 * Runs the simulation in a worker thread (sim-worker.ts), so the thread that answers the app's
 * requests (the web host's, Electron's main) is never busy with a run: other clients and other
 * calls are answered meanwhile, and a run can be cancelled. Guarantees: labs and requests reach
 * the worker in the order they were given and replies settle in order; a cancel stops the
 * request running now and every one already sent; a worker that dies (out of memory, a bug)
 * fails the requests it had with a reason and is replaced by a fresh one on the next request,
 * and its heap is capped so it cannot take the host down with it.
 */
import { Worker } from 'node:worker_threads';
import type { Lab } from '../model';
import type { SimEntry, SimRunner } from '../api/sim-runner';
import type { WorkerData, WorkerMessage, WorkerReply } from './sim-worker-protocol';

/** A run's budget keeps it far below this; past it the worker dies and the host lives on. */
const WORKER_HEAP_MB = 1536;

interface Waiting {
  readonly resolve: (value: unknown) => void;
  readonly reject: (error: Error) => void;
}

export class WorkerSimRunner implements SimRunner {
  private worker: Worker | null = null;
  private readonly cancelled = new Int32Array(new SharedArrayBuffer(4));
  private readonly waiting = new Map<number, Waiting>();
  private lab: Lab | null = null;
  private nextId = 1;
  private lastTicket = 0;

  /** `script`: the built sim-worker module (out/cli/sim-worker.cjs, out/main/sim-worker.js). */
  constructor(private readonly script: URL) {}

  open(lab: Lab): void {
    this.lab = lab;
    this.post({ kind: 'open', lab });
  }

  setLab(lab: Lab): void {
    this.lab = lab;
    this.post({ kind: 'setLab', lab });
  }

  request(name: SimEntry, args: Readonly<Record<string, unknown>>): Promise<unknown> {
    const id = this.nextId++;
    const ticket = ++this.lastTicket;
    return new Promise((resolve, reject) => {
      this.waiting.set(id, { resolve, reject });
      this.post({ kind: 'request', id, ticket, name, args });
    });
  }

  cancel(): void {
    Atomics.store(this.cancelled, 0, this.lastTicket);
  }

  close(): void {
    const worker = this.worker;
    this.worker = null;
    this.failAll(new Error('the simulation was closed'));
    void worker?.terminate();
  }

  private post(message: WorkerMessage): void {
    this.running().postMessage(message);
  }

  /** The worker, started (with the last lab) if there is none. */
  private running(): Worker {
    if (this.worker !== null) return this.worker;
    const data: WorkerData = { cancelled: this.cancelled.buffer as SharedArrayBuffer };
    const worker = new Worker(this.script, {
      workerData: data,
      resourceLimits: { maxOldGenerationSizeMb: WORKER_HEAP_MB },
    });
    this.worker = worker;
    worker.on('message', (reply: WorkerReply) => this.settle(reply));
    worker.on('error', (error) => this.died(worker, reasonOf(error)));
    worker.on('exit', (code) => this.died(worker, `its thread exited with code ${code}`));
    if (this.lab !== null)
      worker.postMessage({ kind: 'open', lab: this.lab } satisfies WorkerMessage);
    return worker;
  }

  private settle(reply: WorkerReply): void {
    const waiting = this.waiting.get(reply.id);
    if (waiting === undefined) return;
    this.waiting.delete(reply.id);
    if (reply.ok) waiting.resolve(reply.value);
    else waiting.reject(new Error(reply.error));
  }

  private died(worker: Worker, reason: string): void {
    if (this.worker !== worker) return;
    this.worker = null;
    this.failAll(new Error(reason));
  }

  private failAll(error: Error): void {
    const all = [...this.waiting.values()];
    this.waiting.clear();
    for (const w of all) w.reject(error);
  }
}

function reasonOf(error: Error): string {
  const code = (error as NodeJS.ErrnoException).code;
  return code === 'ERR_WORKER_OUT_OF_MEMORY' ? 'it ran out of memory' : error.message;
}
