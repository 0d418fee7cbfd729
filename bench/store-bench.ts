/**
 * Store benchmark (issue 6, item 7), on a fresh data folder in the temp directory with the
 * store's real settings (WAL, synchronous=FULL, so every commit waits for the disk):
 * saving and loading a generated lab of 10,000 nodes (networks, VMs, nested VMs and
 * switches; an attempt's snapshot: write, then read back and parse), the autosave latency of a small edit (the store's write alone and
 * the whole `service.call` round trip, p50 and p99), and the start-up of a store holding
 * 1,000 attempts (open with quick_check and migrations, then the home screen's listing).
 */
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import type { Lab, Vm } from '../core/model';
import type { LabChange, NewLabSource, Persistence } from '../core/api/persistence';
import { NestlabService } from '../core/api/service';
import { parseLab } from '../core/lab';
import { folderLibrary } from '../core/node/lab-library';
import { DATABASE_FILE, openStore, SqliteStore } from '../core/node/store';
import { openDatabase } from '../core/node/store/open-database';
import { generateLab } from './topology';

export interface StoreFigures {
  readonly bigLab: {
    readonly vms: number;
    readonly nodes: number;
    readonly jsonMb: number;
    readonly saveMs: number;
    readonly loadMs: number;
  };
  readonly autosave: {
    readonly edits: number;
    readonly storeP50Ms: number;
    readonly storeP99Ms: number;
    readonly callP50Ms: number;
    readonly callP99Ms: number;
  };
  readonly startUp: {
    readonly attempts: number;
    readonly fileMb: number;
    readonly openMs: number;
    readonly listingMs: number;
  };
}

const labsDir = fileURLToPath(new URL('../labs/', import.meta.url));

function percentile(samples: readonly number[], p: number): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}

function timed<T>(run: () => T): [T, number] {
  const start = performance.now();
  const value = run();
  return [value, performance.now() - start];
}

function opened(dir: string): SqliteStore {
  const result = openStore(dir);
  if (!result.ok) throw new Error(result.message);
  return result.store;
}

function source(title: string, objectiveCount = 0): NewLabSource {
  return {
    text: title,
    fileName: `${title}.lab.yaml`,
    sourcePath: null,
    title,
    description: '',
    objectiveCount,
  };
}

function nodeCount(lab: Lab): number {
  const count = (vms: readonly Vm[]): number =>
    vms.reduce((n, vm) => n + 1 + vm.switches.length + count(vm.nested), 0);
  return lab.networks.length + count(lab.vms);
}

/** The smallest generated lab with at least 10,000 nodes as the canvas draws them. */
function tenThousandNodes(): { lab: Lab; vms: number } {
  for (let vms = 4_000; ; vms += 50) {
    const { lab } = generateLab(vms);
    if (nodeCount(lab) >= 10_000) return { lab, vms };
  }
}

function bigLab(dir: string, runs: number): StoreFigures['bigLab'] {
  const { lab, vms } = tenThousandNodes();
  let store = opened(dir);
  const { id } = store.importLab(source('big'), 1);
  const saves: number[] = [];
  // The first rounds warm the JIT and the page cache; the median of the rest is reported.
  for (let i = 0; i < runs + 2; i++)
    saves.push(timed(() => store.restartAttempt(id, lab, 2 + i))[1]);
  saves.splice(0, 2);
  const loads: number[] = [];
  for (let i = 0; i < runs + 2; i++) {
    store.close();
    store = opened(dir);
    const [loaded, ms] = timed(() => store.openAttempt(id, () => lab, 100 + i).lab);
    if (loaded.vms.length !== lab.vms.length) throw new Error('the big lab did not load whole');
    loads.push(ms);
  }
  loads.splice(0, 2);
  store.close();
  return {
    vms,
    nodes: nodeCount(lab),
    jsonMb: JSON.stringify(lab).length / 1024 / 1024,
    saveMs: percentile(saves, 50),
    loadMs: percentile(loads, 50),
  };
}

/** Wraps a store so each write's time is recorded. */
function timedWrites(inner: Persistence, samples: number[]): Persistence {
  const recordChange: Persistence['recordChange'] = (attemptId, change: LabChange, at) => {
    const [mark, ms] = timed(() => inner.recordChange(attemptId, change, at));
    samples.push(ms);
    return mark;
  };
  return new Proxy(inner, {
    get(target, key) {
      if (key === 'recordChange') return recordChange;
      const value: unknown = Reflect.get(target, key, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

function autosave(dir: string, edits: number): StoreFigures['autosave'] {
  const store = opened(dir);
  const storeMs: number[] = [];
  const service = new NestlabService(folderLibrary(labsDir), {
    persistence: timedWrites(store, storeMs),
    clock: Date.now,
  });
  service.call('lab.open', { id: 'e1-nested-vm-out' });
  const callMs: number[] = [];
  for (let i = 0; i < edits; i++) {
    const state = i % 2 === 0 ? 'stopped' : 'running';
    const [result, ms] = timed(() =>
      service.call('vm.setPower', { actor: 'ben', vm: 'client', state }),
    );
    if (!(result as { ok: boolean }).ok) throw new Error(`edit ${i} was refused`);
    callMs.push(ms);
  }
  store.close();
  return {
    edits,
    storeP50Ms: percentile(storeMs, 50),
    storeP99Ms: percentile(storeMs, 99),
    callP50Ms: percentile(callMs, 50),
    callP99Ms: percentile(callMs, 99),
  };
}

/** 1,000 labs, each with an attempt of a few changes and its progress, written in one go. */
function fillAttempts(dir: string, attempts: number): void {
  const parsed = parseLab(readFileSync(join(labsDir, 'e1-nested-vm-out.lab.yaml'), 'utf8'));
  if (!parsed.ok) throw new Error('E1 does not parse');
  const start = parsed.lab;
  const db = openDatabase(dir);
  if (!db.ok) throw new Error(db.message);
  const store = new SqliteStore(db.connection, db.file);
  // Nested store transactions become savepoints of this one: a fast set-up, same rows.
  db.connection.transaction(() => {
    for (let i = 0; i < attempts; i++) {
      const { id } = store.importLab(source(`lab ${i}`, 2), i);
      const { attempt } = store.openAttempt(id, () => start, i);
      let lab = start;
      for (let k = 0; k < 3; k++) {
        const next = { ...lab, title: `lab ${i} change ${k}` };
        store.recordChange(
          attempt.id,
          { before: lab, after: next, label: 'lab.setTitle', actor: 'ben' },
          i,
        );
        lab = next;
      }
      store.saveProgress(
        attempt.id,
        3,
        [
          { id: 'reach', passed: i % 2 === 0 },
          { id: 'uplink', passed: true },
        ],
        i,
      );
    }
  })();
  store.close();
}

function startUp(dir: string, attempts: number, runs: number): StoreFigures['startUp'] {
  fillAttempts(dir, attempts);
  const opens: number[] = [];
  const listings: number[] = [];
  for (let i = 0; i < runs; i++) {
    const [store, openMs] = timed(() => opened(dir));
    const service = new NestlabService(folderLibrary(labsDir), {
      persistence: store,
      clock: Date.now,
    });
    const [listing, listingMs] = timed(
      () => service.call('library.list', {}) as { labs: unknown[] },
    );
    if (listing.labs.length < attempts) throw new Error('the listing lost labs');
    store.close();
    opens.push(openMs);
    listings.push(listingMs);
  }
  return {
    attempts,
    fileMb: statSync(join(dir, DATABASE_FILE)).size / 1024 / 1024,
    openMs: percentile(opens, 50),
    listingMs: percentile(listings, 50),
  };
}

export function runStoreBench(quick: boolean): StoreFigures {
  const root = mkdtempSync(join(tmpdir(), 'nestlab-store-bench-'));
  try {
    const folder = (name: string): string => join(root, name);
    return {
      bigLab: bigLab(folder('big'), quick ? 3 : 7),
      autosave: autosave(folder('autosave'), quick ? 300 : 2_000),
      startUp: startUp(folder('startup'), 1_000, quick ? 3 : 7),
    };
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

export function formatStoreBench(f: StoreFigures): string {
  const ms = (n: number): string => `${n.toFixed(2)} ms`;
  const mark = (value: number, target: number): string =>
    `(target < ${target} ms: ${value < target ? 'met' : 'NOT met'})`;
  return [
    `Store (SQLite, WAL, synchronous=FULL; Node ${process.version})`,
    `  ${f.bigLab.nodes.toLocaleString('en-US')}-node lab (${f.bigLab.vms.toLocaleString('en-US')} VMs and their nested VMs, ${f.bigLab.jsonMb.toFixed(1)} MB of JSON):`,
    `    save ${ms(f.bigLab.saveMs)} ${mark(f.bigLab.saveMs, 50)}   load ${ms(f.bigLab.loadMs)} ${mark(f.bigLab.loadMs, 50)}`,
    `  autosave of a small edit, ${f.autosave.edits} edits on E1:`,
    `    store write p50 ${ms(f.autosave.storeP50Ms)}, p99 ${ms(f.autosave.storeP99Ms)} ${mark(f.autosave.storeP99Ms, 5)}`,
    `    whole edit call p50 ${ms(f.autosave.callP50Ms)}, p99 ${ms(f.autosave.callP99Ms)}`,
    `  start-up with ${f.startUp.attempts.toLocaleString('en-US')} attempts (${f.startUp.fileMb.toFixed(1)} MB file):`,
    `    open (quick_check, migrations) ${ms(f.startUp.openMs)}, home screen listing ${ms(f.startUp.listingMs)}`,
  ].join('\n');
}
