/**
 * The store when the disk says no (issue 15): a full disk keeps the library listable and a lab
 * openable, refuses writes with a sentence that says what to do, and loses nothing
 * acknowledged; a read-only data folder says so in words, not "disk I/O error"; the WAL stays
 * below a bound however many edits come. The disk tests mount a small tmpfs (they need root,
 * as in CI; elsewhere each says why it is skipped).
 */
import { execFileSync } from 'node:child_process';
import { closeSync, mkdirSync, mkdtempSync, openSync, rmSync, statSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  NestlabService,
  type EditOutcome,
  type LabView,
  type LibraryListing,
} from '../../../../../core/api';
import { folderLibrary } from '../../../../../core/node/lab-library';
import { DATABASE_FILE, openStore, type SqliteStore } from '../../../../../core/node/store';
import { WAL_CHECKPOINT_BYTES } from '../../../../../core/node/store/sqlite-store';
import { storageWords } from '../../../../../core/node/store/storage-errors';

const labsDir = new URL('../../../../../labs/', import.meta.url).pathname;
const E1 = 'e1-nested-vm-out';

/** A tmpfs of `size` at a fresh folder, or null when this machine does not let us mount one. */
function tmpfs(size: string): string | null {
  if (process.platform !== 'linux' || process.getuid?.() !== 0) return null;
  const at = mkdtempSync(join(tmpdir(), 'nestlab-disk-'));
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${size}`, 'tmpfs', at], { stdio: 'ignore' });
    return at;
  } catch {
    rmSync(at, { recursive: true, force: true });
    return null;
  }
}

/** Whether a tmpfs can be mounted here (tried once). */
const canMount = ((): boolean => {
  const at = tmpfs('1m');
  if (at === null) return false;
  execFileSync('umount', [at], { stdio: 'ignore' });
  rmSync(at, { recursive: true, force: true });
  return true;
})();

if (!canMount)
  console.log(
    'skipped: the full-disk and read-only tests need root to mount a tmpfs (CI runs as root)',
  );

/** A mounted tmpfs for one test, unmounted after it. */
function disk(size: string): string {
  const at = tmpfs(size);
  if (at === null) throw new Error('the tmpfs could not be mounted');
  mounts.push(at);
  return at;
}

const mounts: string[] = [];
const stores: SqliteStore[] = [];
afterEach(() => {
  for (const store of stores.splice(0)) store.close();
  for (const at of mounts.splice(0)) {
    execFileSync('umount', [at], { stdio: 'ignore' });
    rmSync(at, { recursive: true, force: true });
  }
});

function service(dir: string): NestlabService {
  const opened = openStore(dir);
  if (!opened.ok) throw new Error(opened.message);
  stores.push(opened.store);
  return new NestlabService(folderLibrary(labsDir), { persistence: opened.store, clock: Date.now });
}

/** Writes a file until the disk is full; returns its path (delete it to free the space). */
function fill(dir: string): string {
  const path = join(dir, 'filler');
  const fd = openSync(path, 'w');
  const block = Buffer.alloc(64 * 1024, 1);
  try {
    for (;;) writeSync(fd, block);
  } catch {
    // ENOSPC: full.
  } finally {
    closeSync(fd);
  }
  return path;
}

const rename = (s: NestlabService, name: string) =>
  s.call('vm.rename', { vm: 'client', name, actor: 'ana' }) as EditOutcome;

describe('a full disk', () => {
  it.skipIf(!canMount)(
    'keeps the library listable and a lab openable, refuses edits in words, and loses nothing acknowledged',
    () => {
      const mounted = disk('4m');
      const dir = join(mounted, 'data');
      mkdirSync(dir);
      const s = service(dir);
      expect(s.call('lab.open', { id: E1 })).toMatchObject({ ok: true });
      expect(rename(s, 'saved before')).toMatchObject({ ok: true });
      const filler = fill(mounted);

      const refused = rename(s, 'never saved');
      expect(refused).toMatchObject({ ok: false, rule: 'store' });
      expect(!refused.ok && refused.message).toMatch(
        /disk that holds .* is full\. Free some space/,
      );
      const view = s.call('lab.current', {}) as LabView;
      expect(view.lab.vms.find((v) => v.id === 'client')?.name).toBe('saved before');
      const listing = s.call('library.list', {}) as LibraryListing;
      expect(listing.labs.length).toBeGreaterThan(0);
      expect(s.call('lab.open', { id: E1 })).toMatchObject({ ok: true });

      rmSync(filler);
      expect(rename(s, 'after space')).toMatchObject({ ok: true });
      for (const store of stores.splice(0)) store.close();
      const again = service(dir);
      const reopened = again.call('lab.open', { id: E1 }) as { ok: true; view: LabView };
      expect(reopened.view.lab.vms.find((v) => v.id === 'client')?.name).toBe('after space');
    },
  );
});

describe('a read-only data folder', () => {
  it.skipIf(!canMount)('says so in words and what to do, not "disk I/O error"', () => {
    const mounted = disk('4m');
    const dir = join(mounted, 'data');
    mkdirSync(dir);
    const first = openStore(dir);
    if (!first.ok) throw new Error(first.message);
    first.store.setSetting('ui.theme', 'dark');
    first.store.close();
    execFileSync('mount', ['-o', 'remount,ro', mounted], { stdio: 'ignore' });
    const opened = openStore(dir);
    expect(opened.ok).toBe(false);
    expect(!opened.ok && opened.message).toMatch(
      /cannot write to .*: it is read-only\. Make it writable/,
    );
    expect(!opened.ok && opened.message).not.toMatch(/disk I\/O error/);
  });
});

describe('the WAL', () => {
  it('stays below its bound across 10,000 edits, and is emptied on close', () => {
    const dir = mkdtempSync(join(tmpdir(), 'nestlab-wal-'));
    try {
      const s = service(dir);
      s.call('lab.open', { id: E1 });
      let largest = 0;
      const wal = join(dir, `${DATABASE_FILE}-wal`);
      for (let i = 0; i < 10_000; i++) {
        expect(rename(s, `client ${i}`).ok).toBe(true);
        if (i % 100 === 0) largest = Math.max(largest, statSync(wal).size);
      }
      // One commit past the bound triggers the checkpoint: the file stays near the bound.
      expect(largest).toBeLessThan(2 * WAL_CHECKPOINT_BYTES);
      for (const store of stores.splice(0)) store.close();
      expect(statSync(wal, { throwIfNoEntry: false })?.size ?? 0).toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('storage errors in words', () => {
  const folder = '/data/nestlab';
  const error = (code: string) => Object.assign(new Error(code), { code });
  it('names a full disk, a read-only folder and another Nestlab, each with what to do', () => {
    expect(storageWords(error('SQLITE_FULL'), folder)).toMatch(/is full\. Free some space/);
    expect(storageWords(error('SQLITE_READONLY'), folder)).toMatch(/read-only\. Make it writable/);
    expect(storageWords(error('SQLITE_BUSY'), folder)).toMatch(/Another Nestlab .* is using/);
    expect(storageWords(error('SQLITE_CONSTRAINT'), folder)).toBeUndefined();
  });
});
