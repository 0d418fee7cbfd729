/**
 * Opening the store (core/node/store/open-database.ts): the pragmas it promises, numbered
 * migrations each in one transaction, a damaged file moved aside (never deleted) with a
 * notice and a fresh one made, and clear refusals for a newer schema and a busy folder.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { handlesOf } from '../../../../../core/node/store/handles';
import { migrate, userVersion } from '../../../../../core/node/store/migrate';
import { LATEST_VERSION, MIGRATIONS } from '../../../../../core/node/store/migrations';
import { DATABASE_FILE, openDatabase } from '../../../../../core/node/store/open-database';
import { openStore } from '../../../../../core/node/store';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'nestlab-store-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const AT = Date.UTC(2025, 0, 2, 3, 4, 5);

function pragma(db: Database.Database, name: string): unknown {
  return db.pragma(name, { simple: true });
}

describe('opening the store', () => {
  it('sets WAL, synchronous=FULL, foreign keys, a busy timeout and the latest user_version', () => {
    const opened = openDatabase(dir);
    if (!opened.ok) throw new Error(opened.message);
    const db = opened.connection;
    expect(pragma(db, 'journal_mode')).toBe('wal');
    expect(pragma(db, 'synchronous')).toBe(2);
    expect(pragma(db, 'foreign_keys')).toBe(1);
    expect(pragma(db, 'busy_timeout')).toBeGreaterThan(0);
    expect(pragma(db, 'user_version')).toBe(LATEST_VERSION);
    expect(opened.notices).toEqual([]);
    db.close();
  });

  it('numbers migrations from 1 without gaps', () => {
    expect(MIGRATIONS.map((m) => m.version)).toEqual(MIGRATIONS.map((_, i) => i + 1));
  });

  it('runs each migration in one transaction: a failing one leaves the version and schema as they were', () => {
    const db = new Database(join(dir, DATABASE_FILE));
    const { write } = handlesOf(db);
    const broken = [
      ...MIGRATIONS,
      {
        version: LATEST_VERSION + 1,
        name: 'half-done',
        up(w: typeof write) {
          w.exec('CREATE TABLE half (x INTEGER)');
          throw new Error('disk full');
        },
      },
    ];
    expect(() => migrate(write, broken)).toThrow('disk full');
    expect(userVersion(write)).toBe(LATEST_VERSION);
    expect(db.prepare(`SELECT name FROM sqlite_master WHERE name = 'half'`).get()).toBeUndefined();
    db.close();
  });

  it('migration 2 gives the attempts of a version-1 database no answers and no hints', () => {
    const db = new Database(join(dir, DATABASE_FILE));
    const { write } = handlesOf(db);
    migrate(write, MIGRATIONS.slice(0, 1));
    write.exec(`INSERT INTO labs (id, origin, title, description, file_name, source_text,
        source_hash, objective_count, added_at, updated_at)
      VALUES ('l', 'imported', 'L', '', 'l.lab.yaml', 'x', 'h', 0, 1, 1)`);
    write.exec(`INSERT INTO attempts (lab_id, status, source_hash, cursor, floor, head, version,
        started_at, opened_at, changed_at) VALUES ('l', 'active', 'h', 0, 0, 0, 0, 1, 1, 1)`);
    migrate(write);
    expect(userVersion(write)).toBe(LATEST_VERSION);
    expect(db.prepare('SELECT exercise FROM attempts').get()).toEqual({
      exercise: '{"answers":{},"hints":[]}',
    });
    db.close();
  });

  it('refuses a database from a newer Nestlab and leaves it untouched', () => {
    const db = new Database(join(dir, DATABASE_FILE));
    db.pragma(`user_version = ${LATEST_VERSION + 7}`);
    db.close();
    const before = readFileSync(join(dir, DATABASE_FILE));
    const opened = openDatabase(dir);
    expect(opened.ok).toBe(false);
    if (!opened.ok) expect(opened.message).toMatch(/newer Nestlab.*Update Nestlab/);
    expect(readFileSync(join(dir, DATABASE_FILE))).toEqual(before);
  });

  it('moves a file that is not a database aside with a timestamp and starts a fresh one', () => {
    writeFileSync(join(dir, DATABASE_FILE), 'this is not SQLite '.repeat(400));
    const opened = openStore(dir, () => AT);
    if (!opened.ok) throw new Error(opened.message);
    const kept = `${DATABASE_FILE}.damaged-2025-01-02T03-04-05-000Z`;
    expect(opened.store.notices).toHaveLength(1);
    expect(opened.store.notices[0]).toContain(join(dir, kept));
    expect(opened.store.notices[0]).toMatch(/nothing was deleted/);
    expect(readFileSync(join(dir, kept), 'utf8')).toMatch(/^this is not SQLite/);
    expect(opened.store.labs()).toEqual([]);
    expect(opened.store.integrityCheck()).toBe('ok');
    opened.store.close();
  });

  it('moves a database whose pages are damaged aside (quick_check fails), keeping the bytes', () => {
    const first = openStore(dir);
    if (!first.ok) throw new Error(first.message);
    first.store.setSetting('ui.x', 'y'.repeat(20_000));
    first.store.close();
    const file = join(dir, DATABASE_FILE);
    const bytes = readFileSync(file);
    bytes.fill(0x5a, 4096 + 100, 4096 * 3); // scribble over the pages after the header
    writeFileSync(file, bytes);
    const opened = openStore(dir, () => AT);
    if (!opened.ok) throw new Error(opened.message);
    expect(opened.store.notices[0]).toMatch(/could not be read/);
    const damaged = readdirSync(dir).filter((f) => f.includes('.damaged-'));
    expect(damaged.length).toBeGreaterThanOrEqual(1);
    expect(readFileSync(join(dir, damaged[0] ?? ''))).toEqual(bytes);
    opened.store.close();
  });

  it('refuses a folder another Nestlab holds, with a sentence saying what to do', () => {
    const first = openStore(dir);
    if (!first.ok) throw new Error(first.message);
    first.store.setSetting('ui.held', true);
    const second = openDatabase(dir);
    expect(second.ok).toBe(false);
    if (!second.ok) expect(second.message).toMatch(/another Nestlab .* is using this data folder/);
    expect(readdirSync(dir).some((f) => f.includes('.damaged-'))).toBe(false);
    first.store.close();
  });

  it('says why when the data folder cannot be made', () => {
    const file = join(dir, 'a-file');
    writeFileSync(file, '');
    const opened = openDatabase(join(file, 'data'));
    expect(opened.ok).toBe(false);
    if (!opened.ok)
      expect(opened.message).toMatch(/Cannot create the data folder .*--data DIR or NESTLAB_DATA/);
  });
});

describe('read and write handles', () => {
  it('a read handle refuses a statement that writes; a write handle runs it', () => {
    const db = new Database(':memory:');
    const { read, write } = handlesOf(db);
    write.exec('CREATE TABLE t (x INTEGER)');
    expect(() => read.get('INSERT INTO t VALUES (1) RETURNING x')).toThrow(
      /read handle may not run a write/,
    );
    write.run('INSERT INTO t VALUES (?)', 2);
    expect(read.all<{ x: number }>('SELECT x FROM t')).toEqual([{ x: 2 }]);
    db.close();
  });

  it('a transaction that throws writes nothing', () => {
    const db = new Database(':memory:');
    const { read, write } = handlesOf(db);
    write.exec('CREATE TABLE t (x INTEGER)');
    expect(() =>
      write.transaction(() => {
        write.run('INSERT INTO t VALUES (1)');
        throw new Error('stop');
      }),
    ).toThrow('stop');
    expect(read.all('SELECT x FROM t')).toEqual([]);
    db.close();
  });
});
