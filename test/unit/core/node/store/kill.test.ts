/**
 * Autosave survives SIGKILL (issue 6): a child process streams edits through the service
 * into the store and is killed at a random moment, 200 times in all (two lanes of 100 on
 * their own data folders, one per core). After every kill: the database passes
 * `integrity_check`, opens without being moved aside, and holds every edit the child
 * acknowledged, in order, with the attempt's current title at the last one (or at the one
 * edit after it that was committed but not yet acknowledged). The seed is printed in every
 * failure message; NESTLAB_KILL_SEED=N reproduces a run.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DATABASE_FILE, openStore } from '../../../../../core/node/store';

const KILLS_PER_LANE = 100;
const LANES = 2;
const repoRoot = fileURLToPath(new URL('../../../../../', import.meta.url));
const labsDir = join(repoRoot, 'labs');
const seed = Number(process.env.NESTLAB_KILL_SEED ?? Date.now() % 1_000_000);
let childScript: string;
let scratch: string;

/** A seeded generator (mulberry32): the same seed gives the same kill moments. */
function random(seedValue: number): () => number {
  let a = seedValue >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

beforeAll(async () => {
  // A bundled child starts in a fraction of tsx's time; it sits inside the repo so that
  // `better-sqlite3` resolves from node_modules.
  const outDir = join(repoRoot, 'out', 'test');
  mkdirSync(outDir, { recursive: true });
  childScript = join(outDir, 'kill-child.mjs');
  await build({
    entryPoints: [fileURLToPath(new URL('./kill-child.ts', import.meta.url))],
    outfile: childScript,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    logLevel: 'warning',
  });
  scratch = mkdtempSync(join(tmpdir(), 'nestlab-kill-'));
});

afterAll(() => rmSync(scratch, { recursive: true, force: true }));

interface Run {
  readonly acked: number[];
  readonly output: string;
}

/** Starts the child and SIGKILLs it at a random moment: sometimes during start-up and
 * migration, mostly while it streams edits. */
function runAndKill(dataDir: string, first: number, next: () => number): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [childScript, dataDir, labsDir, String(first)], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    let timer: NodeJS.Timeout | undefined;
    const kill = (): boolean => child.kill('SIGKILL');
    const duringStartUp = next() < 0.15;
    if (duringStartUp) timer = setTimeout(kill, next() * 150);
    const afterReady = next() * 30;
    child.stdout.on('data', (chunk: Buffer) => {
      const wasReady = output.includes('ready\n');
      output += chunk.toString();
      if (!duringStartUp && !wasReady && output.includes('ready\n'))
        timer = setTimeout(kill, afterReady);
    });
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('error', reject);
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      if (signal !== 'SIGKILL') reject(new Error(`child exited with ${code}:\n${output}`));
      const acked = [...output.matchAll(/^ack (\d+)$/gm)].map((m) => Number(m[1]));
      resolve({ acked, output });
    });
  });
}

/** The titles the attempt's history holds, oldest first, and its current title. */
function storedTitles(dataDir: string): {
  history: string[];
  current: string | null;
  check: string;
} {
  const db = new Database(join(dataDir, DATABASE_FILE));
  try {
    const check = db.pragma('integrity_check', { simple: true }) as string;
    const attempt = db
      .prepare(`SELECT id FROM attempts WHERE lab_id = ? AND status = 'active'`)
      .get('e1-nested-vm-out') as { id: number } | undefined;
    if (!attempt) return { history: [], current: null, check };
    const steps = db
      .prepare(`SELECT forward FROM attempt_steps WHERE attempt_id = ? AND seq > 0 ORDER BY seq`)
      .all(attempt.id) as { forward: string }[];
    const history = steps.map((s) => {
      const ops = JSON.parse(s.forward) as { path: unknown[]; value?: unknown }[];
      return String(ops.find((op) => op.path.join('.') === 'title')?.value);
    });
    db.close();
    const opened = openStore(dataDir);
    if (!opened.ok) throw new Error(opened.message);
    const notices = opened.store.notices;
    const active = opened.store.activeAttempts()[0];
    const current = active ? (opened.store.attemptLab(active.id)?.title ?? null) : null;
    opened.store.close();
    if (notices.length > 0) throw new Error(`the store was moved aside: ${notices.join(' ')}`);
    return { history, current, check };
  } finally {
    if (db.open) db.close();
  }
}

async function lane(index: number): Promise<number> {
  const dataDir = join(scratch, `lane-${index}`);
  mkdirSync(dataDir);
  const next = random(seed * 31 + index);
  let first = 0;
  let killsWithAcks = 0;
  for (let kill = 1; kill <= KILLS_PER_LANE; kill++) {
    const run = await runAndKill(dataDir, first, next);
    const where = `seed ${seed}, lane ${index}, kill ${kill}`;
    const stored = storedTitles(dataDir);
    expect(stored.check, `integrity_check (${where})`).toBe('ok');
    const tail = stored.history.slice(-run.acked.length - 1);
    for (const n of run.acked)
      expect(tail, `acknowledged edit ${n} is stored (${where})`).toContain(`edit ${n}`);
    const last = run.acked.at(-1);
    if (last !== undefined) {
      killsWithAcks++;
      expect([`edit ${last}`, `edit ${last + 1}`], `current title (${where})`).toContain(
        stored.current,
      );
    }
    const committed = /^edit (\d+)$/.exec(stored.current ?? '');
    first = committed ? Number(committed[1]) + 1 : first;
  }
  return killsWithAcks;
}

describe('autosave under SIGKILL', () => {
  it('keeps every acknowledged edit and a sound database through 200 kills at random moments', async () => {
    const withAcks = await Promise.all(Array.from({ length: LANES }, (_, i) => lane(i)));
    // Most kills must land while edits stream, or the test proves little.
    expect(
      withAcks.reduce((a, b) => a + b, 0),
      `kills that interrupted acknowledged edits (seed ${seed})`,
    ).toBeGreaterThan(KILLS_PER_LANE * LANES * 0.6);
  }, 120_000);
});
