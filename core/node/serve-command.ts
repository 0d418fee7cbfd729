/**
 * `nestlab serve [--port N] [--labs DIR] [--data DIR]` (lab-format.md): open the store in
 * the data folder (`--data`, `NESTLAB_DATA`, or the user's data folder), start the web host
 * on 127.0.0.1, print the URL to open (with this start's token), and run until SIGINT or
 * SIGTERM, then close every connection and the store and return 0. Paths are resolved from
 * the bundle (out/cli), so the command works from any working directory.
 */
import { fileURLToPath } from 'node:url';
import { resolve } from 'node:path';
import { startWebHost, type WebHost } from './web-host';
import { rendererRootOrUndefined } from './web-static';
import { openStore, resolveDataDir, type SqliteStore } from './store';
import { WorkerSimRunner } from './worker-sim-runner';

export const DEFAULT_PORT = 5178;

function parsePort(value: string | true | undefined): number | string {
  if (value === undefined) return DEFAULT_PORT;
  if (value === true || !/^\d{1,5}$/.test(value) || Number(value) > 65535) {
    return '--port needs a number from 0 to 65535 (0 picks a free port).';
  }
  return Number(value);
}

/** Where the bundle's sibling folders are: out/cli/nestlab.cjs → out/renderer, labs/. */
function bundled(relative: string): string {
  return fileURLToPath(new URL(relative, import.meta.url));
}

export async function runServe(flags: Map<string, string | true>): Promise<number> {
  const port = parsePort(flags.get('--port'));
  if (typeof port === 'string') {
    process.stderr.write(`nestlab serve: ${port}\n`);
    return 2;
  }
  const labsFlag = flags.get('--labs');
  if (labsFlag === true) {
    process.stderr.write('nestlab serve: --labs needs a folder.\n');
    return 2;
  }
  const dataFlag = flags.get('--data');
  if (dataFlag === true) {
    process.stderr.write('nestlab serve: --data needs a folder.\n');
    return 2;
  }
  const rendererDir = rendererRootOrUndefined(bundled('../renderer/'));
  if (!rendererDir) {
    process.stderr.write(
      'nestlab serve: the app is not built (out/renderer is missing); run `npm run build` first.\n',
    );
    return 2;
  }
  const labsDir = resolve(labsFlag === undefined ? bundled('../../labs/') : labsFlag);

  const dataDir = resolveDataDir(dataFlag);
  const opened = openStore(dataDir);
  if (!opened.ok) {
    process.stderr.write(`nestlab serve: ${opened.message}\n`);
    return 2;
  }
  const store = opened.store;
  for (const notice of store.notices) process.stderr.write(`nestlab serve: ${notice}\n`);

  // The simulation runs in its own thread (out/cli/sim-worker.cjs, beside this bundle).
  // The objectives' checks have a worker of their own, so a check never delays a ping.
  const simRunner = new WorkerSimRunner(new URL('./sim-worker.cjs', import.meta.url));
  const gradeRunner = new WorkerSimRunner(new URL('./sim-worker.cjs', import.meta.url));
  let host: WebHost;
  try {
    host = await startWebHost({
      port,
      labsDir,
      rendererDir,
      persistence: store,
      simRunner,
      gradeRunner,
    });
  } catch (error) {
    simRunner.close();
    gradeRunner.close();
    store.close();
    const code = (error as NodeJS.ErrnoException).code;
    const why =
      code === 'EADDRINUSE'
        ? `port ${port} is in use; pass --port 0 to pick a free one.`
        : (error as Error).message;
    process.stderr.write(`nestlab serve: cannot start: ${why}\n`);
    return 1;
  }
  process.stdout.write(`Nestlab is running at ${host.url}\n`);
  process.stdout.write(`Labs from ${labsDir}; work saved in ${dataDir}. Press Ctrl+C to stop.\n`);
  await untilStopped();
  await host.close();
  closeStore(store);
  process.stdout.write('Nestlab stopped.\n');
  return 0;
}

function untilStopped(): Promise<void> {
  return new Promise((done) => {
    const stop = (): void => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      done();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}

function closeStore(store: SqliteStore): void {
  try {
    store.close();
  } catch (error) {
    process.stderr.write(`nestlab serve: closing the store: ${(error as Error).message}\n`);
  }
}
