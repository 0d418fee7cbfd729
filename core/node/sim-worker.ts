/**
 * The simulation's own thread (a worker_threads worker): it holds the open lab's
 * TrafficSession and answers the requests WorkerSimRunner posts, one at a time, in order, so
 * the thread that answers the app's requests never waits for a run. A request is cancelled
 * through a shared counter: each carries a ticket, and the run stops (cleanly, `cancelled`)
 * once the counter reaches it. Whatever a request throws goes back as an error; nothing here
 * outlives a message.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { Lab } from '../model';
import { assertNever } from '../common/assert-never';
import { answerSimRequest, noLab } from '../api/sim-runner';
import { TrafficSession } from '../api/traffic-session';
import type { WorkerData, WorkerMessage, WorkerReply } from './sim-worker-protocol';

function serve(): void {
  const port = parentPort;
  if (port === null) throw new Error('sim-worker runs as a worker thread only');
  const cancelled = new Int32Array((workerData as WorkerData).cancelled);
  let ticket = 0;
  const interrupt = (): boolean => Atomics.load(cancelled, 0) >= ticket;
  let lab: Lab | null = null;
  let session: TrafficSession | null = null;
  port.on('message', (message: WorkerMessage) => {
    switch (message.kind) {
      case 'open':
        lab = message.lab;
        session = null;
        return;
      case 'setLab':
        lab = message.lab;
        session?.setLab(message.lab);
        return;
      case 'request': {
        ticket = message.ticket;
        port.postMessage(
          answer(message.id, () => {
            if (lab === null) return noLab();
            session ??= new TrafficSession(lab, { interrupt });
            return answerSimRequest(session, message.name, message.args);
          }),
        );
        return;
      }
      default:
        assertNever(message, 'worker message');
    }
  });
}

function answer(id: number, work: () => unknown): WorkerReply {
  try {
    return { id, ok: true, value: work() };
  } catch (error) {
    return {
      id,
      ok: false,
      error: error instanceof Error ? (error.stack ?? error.message) : String(error),
    };
  }
}

serve();
