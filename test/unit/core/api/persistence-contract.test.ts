/**
 * The persistence port's contract (core/api/persistence.ts), run against both
 * implementations: memory (the default) and the SQLite store. What one does, the other
 * does: library sync and imports, one active attempt per lab, history with undo and redo,
 * restart and replace archiving rather than deleting, progress timestamps, recent files and
 * settings. The store also keeps all of it across a close and reopen.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import type { Lab } from '../../../../core/model';
import { parseLab } from '../../../../core/lab';
import { applyEdit } from '../../../../core/rules';
import {
  HISTORY_LIMIT,
  memoryPersistence,
  type NewLabSource,
  type Persistence,
} from '../../../../core/api';
import { DATABASE_FILE, openStore, type SqliteStore } from '../../../../core/node/store';

const E1_TEXT = readFileSync(
  new URL('../../../../labs/e1-nested-vm-out.lab.yaml', import.meta.url),
  'utf8',
);
const E2_TEXT = readFileSync(
  new URL('../../../../labs/e2-nested-neighbours.lab.yaml', import.meta.url),
  'utf8',
);

function labOf(text: string): Lab {
  const parsed = parseLab(text);
  if (!parsed.ok) throw new Error('fixture does not parse');
  return parsed.lab;
}

function source(text: string, fileName: string): NewLabSource {
  const lab = labOf(text);
  return {
    text,
    fileName,
    sourcePath: null,
    title: lab.title,
    description: lab.description ?? '',
    objectiveCount: lab.objectives.length,
  };
}

const BUILT_IN_E1 = { id: 'e1', ...source(E1_TEXT, 'e1.lab.yaml') };

function titled(lab: Lab, title: string): Lab {
  const result = applyEdit(lab, lab.actingUser, { type: 'lab.setTitle', title });
  if (!result.ok) throw new Error(result.message);
  return result.lab;
}

const dirs: string[] = [];
const stores: SqliteStore[] = [];
afterEach(() => {
  for (const store of stores.splice(0)) store.close();
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function sqlite(dir = mkdtempSync(join(tmpdir(), 'nestlab-port-'))): SqliteStore {
  if (!dirs.includes(dir)) dirs.push(dir);
  const opened = openStore(dir);
  if (!opened.ok) throw new Error(opened.message);
  stores.push(opened.store);
  return opened.store;
}

const implementations: [string, () => Persistence][] = [
  ['memory', memoryPersistence],
  ['sqlite', () => sqlite()],
];

describe.each(implementations)('persistence port (%s)', (_name, make) => {
  it('syncs built-in labs: added once, updated when the file changes, retired when it goes', () => {
    const store = make();
    store.syncBuiltIns([BUILT_IN_E1], 1);
    store.syncBuiltIns([BUILT_IN_E1], 2);
    expect(store.labs().map((r) => [r.id, r.origin, r.addedAt, r.updatedAt])).toEqual([
      ['e1', 'built-in', 1, 1],
    ]);
    store.syncBuiltIns([{ ...BUILT_IN_E1, text: `${E1_TEXT}\n# edited\n` }], 3);
    expect(store.labs()[0]?.updatedAt).toBe(3);
    expect(store.source('e1')?.text).toMatch(/# edited/);
    store.syncBuiltIns([], 4);
    expect(store.labs()).toEqual([]);
    expect(store.source('e1')).toBeDefined();
  });

  it('keeps a retired built-in listed while it has an attempt', () => {
    const store = make();
    store.syncBuiltIns([BUILT_IN_E1], 1);
    store.openAttempt('e1', () => labOf(E1_TEXT), 2);
    store.syncBuiltIns([], 3);
    expect(store.labs().map((r) => r.id)).toEqual(['e1']);
  });

  it('imports labs with their own ids and finds the same lab by hash or by title', () => {
    const store = make();
    const a = store.importLab(source(E1_TEXT, 'a.lab.yaml'), 5);
    const b = store.importLab(source(E2_TEXT, 'b.lab.yaml'), 6);
    expect(a.id).not.toBe(b.id);
    expect(a.sourceHash).toMatch(/^[0-9a-f]{16,64}$/);
    expect(store.sameLabs(E1_TEXT, 'anything').map((r) => r.id)).toEqual([a.id]);
    expect(store.sameLabs('other text', labOf(E2_TEXT).title).map((r) => r.id)).toEqual([b.id]);
    expect(store.sameLabs('other text', 'no such title')).toEqual([]);
  });

  it('starts an attempt once and continues it afterwards', () => {
    const store = make();
    store.syncBuiltIns([BUILT_IN_E1], 1);
    const first = store.openAttempt('e1', () => labOf(E1_TEXT), 2);
    expect(first.history).toEqual({ canUndo: false, canRedo: false });
    const again = store.openAttempt(
      'e1',
      () => {
        throw new Error('must not start again');
      },
      3,
    );
    expect(again.attempt.id).toBe(first.attempt.id);
    expect(again.attempt.openedAt).toBe(3);
    expect(again.lab).toEqual(first.lab);
  });

  it('records changes, undoes and redoes them, and a new change drops the redo branch', () => {
    const store = make();
    store.syncBuiltIns([BUILT_IN_E1], 1);
    const { attempt, lab } = store.openAttempt('e1', () => labOf(E1_TEXT), 2);
    const one = titled(lab, 'one');
    const two = titled(one, 'two');
    store.recordChange(
      attempt.id,
      { before: lab, after: one, label: 'lab.setTitle', actor: 'ben' },
      3,
    );
    expect(
      store.recordChange(
        attempt.id,
        { before: one, after: two, label: 'lab.setTitle', actor: 'ben' },
        4,
      ),
    ).toEqual({ canUndo: true, canRedo: false });
    const back = store.undo(attempt.id, two, 5);
    expect(back?.lab.title).toBe('one');
    expect(back?.history).toEqual({ canUndo: true, canRedo: true });
    expect(store.redo(attempt.id, one, 6)?.lab.title).toBe('two');
    store.undo(attempt.id, two, 7);
    const three = titled(one, 'three');
    expect(
      store.recordChange(
        attempt.id,
        { before: one, after: three, label: 'lab.setTitle', actor: 'ben' },
        8,
      ),
    ).toEqual({ canUndo: true, canRedo: false });
    expect(store.redo(attempt.id, three, 9)).toBeUndefined();
    expect(store.attemptLab(attempt.id)?.title).toBe('three');
    expect(store.activeAttempts()[0]?.version).toBe(6);
  });

  it("keeps the attempt's current title (what the library card shows) through changes, undo and redo", () => {
    const store = make();
    store.syncBuiltIns([BUILT_IN_E1], 1);
    const { attempt, lab } = store.openAttempt('e1', () => labOf(E1_TEXT), 2);
    const title = () => store.activeAttempts().find((a) => a.id === attempt.id)?.title;
    expect(attempt.title).toBe(lab.title);
    const renamed = titled(lab, 'Renamed by the trainer');
    store.recordChange(
      attempt.id,
      { before: lab, after: renamed, label: 'lab.setTitle', actor: 'ben' },
      3,
    );
    expect(title()).toBe('Renamed by the trainer');
    store.undo(attempt.id, renamed, 4);
    expect(title()).toBe(lab.title);
    store.redo(attempt.id, lab, 5);
    expect(title()).toBe('Renamed by the trainer');
    expect(store.restartAttempt('e1', lab, 6).attempt.title).toBe(lab.title);
  });

  it(`undo reaches at least ${HISTORY_LIMIT} changes back, and not to the start of a longer history`, () => {
    const store = make();
    store.syncBuiltIns([BUILT_IN_E1], 1);
    const { attempt, lab: start } = store.openAttempt('e1', () => labOf(E1_TEXT), 2);
    let lab = start;
    for (let i = 1; i <= HISTORY_LIMIT + 120; i++) {
      const next = titled(lab, `t${i}`);
      store.recordChange(
        attempt.id,
        { before: lab, after: next, label: 'lab.setTitle', actor: 'ben' },
        2 + i,
      );
      lab = next;
    }
    let undone = 0;
    for (;;) {
      const back = store.undo(attempt.id, lab, 1000);
      if (!back) break;
      lab = back.lab;
      undone++;
    }
    expect(undone).toBeGreaterThanOrEqual(HISTORY_LIMIT);
    expect(undone).toBeLessThan(HISTORY_LIMIT + 120);
    expect(lab.title).toBe(`t${HISTORY_LIMIT + 120 - undone}`);
  });

  it('restart archives the attempt and starts from the lab file; the old one is not active', () => {
    const store = make();
    store.syncBuiltIns([BUILT_IN_E1], 1);
    const first = store.openAttempt('e1', () => labOf(E1_TEXT), 2);
    store.recordChange(
      first.attempt.id,
      { before: first.lab, after: titled(first.lab, 'x'), label: 'lab.setTitle', actor: 'ben' },
      3,
    );
    const second = store.restartAttempt('e1', labOf(E1_TEXT), 4);
    expect(second.attempt.id).not.toBe(first.attempt.id);
    expect(second.lab.title).toBe(labOf(E1_TEXT).title);
    expect(store.activeAttempts().map((a) => a.id)).toEqual([second.attempt.id]);
    expect(() =>
      store.recordChange(
        first.attempt.id,
        { before: first.lab, after: first.lab, label: 'x', actor: null },
        5,
      ),
    ).toThrow();
  });

  it("keeps a trainer's attempt apart from the student's: each opens, changes and restarts its own", () => {
    const store = make();
    store.syncBuiltIns([BUILT_IN_E1], 1);
    const student = store.openAttempt('e1', () => labOf(E1_TEXT), 2);
    const trainer = store.openAttempt('e1', () => labOf(E1_TEXT), 3, 'trainer');
    expect(trainer.attempt.id).not.toBe(student.attempt.id);
    expect([student.attempt.role, trainer.attempt.role]).toEqual(['student', 'trainer']);
    store.recordChange(
      trainer.attempt.id,
      {
        before: trainer.lab,
        after: titled(trainer.lab, 'Draft'),
        label: 'lab.setTitle',
        actor: 'ana',
      },
      4,
    );
    expect(store.openAttempt('e1', () => labOf(E1_TEXT), 5).lab.title).toBe(labOf(E1_TEXT).title);
    expect(store.openAttempt('e1', () => labOf(E1_TEXT), 6, 'trainer').lab.title).toBe('Draft');
    // A trainer's restart leaves the student's attempt active.
    const fresh = store.restartAttempt('e1', labOf(E1_TEXT), 7, 'trainer');
    expect(
      store
        .activeAttempts()
        .map((a) => [a.id, a.role])
        .sort(),
    ).toEqual(
      [
        [student.attempt.id, 'student'],
        [fresh.attempt.id, 'trainer'],
      ].sort(),
    );
  });

  it('replacing an imported lab archives its attempt; the next open starts from the new file', () => {
    const store = make();
    const lab = store.importLab(source(E1_TEXT, 'a.lab.yaml'), 1);
    store.openAttempt(lab.id, () => labOf(E1_TEXT), 2);
    const replaced = store.replaceLab(lab.id, source(E2_TEXT, 'a.lab.yaml'), 3);
    expect(replaced.title).toBe(labOf(E2_TEXT).title);
    expect(store.activeAttempts()).toEqual([]);
    expect(store.openAttempt(lab.id, () => labOf(E2_TEXT), 4).lab.title).toBe(labOf(E2_TEXT).title);
  });

  it('keeps when each objective started passing, and forgets it when it fails again', () => {
    const store = make();
    store.syncBuiltIns([BUILT_IN_E1], 1);
    const { attempt, lab } = store.openAttempt('e1', () => labOf(E1_TEXT), 2);
    store.recordChange(
      attempt.id,
      { before: lab, after: titled(lab, 'x'), label: 'lab.setTitle', actor: 'ben' },
      10,
    );
    const first = store.saveProgress(
      attempt.id,
      1,
      [
        { id: 'reach', passed: true },
        { id: 'safe', passed: false },
      ],
      11,
    );
    expect(first.objectives).toEqual([
      { id: 'reach', passed: true, passedAt: 10 },
      { id: 'safe', passed: false, passedAt: null },
    ]);
    store.saveProgress(
      attempt.id,
      2,
      [
        { id: 'reach', passed: true },
        { id: 'safe', passed: true },
      ],
      12,
    );
    const third = store.saveProgress(
      attempt.id,
      3,
      [
        { id: 'reach', passed: false },
        { id: 'safe', passed: true },
      ],
      13,
    );
    expect(third.objectives).toEqual([
      { id: 'reach', passed: false, passedAt: null },
      { id: 'safe', passed: true, passedAt: 10 },
    ]);
    expect(store.activeAttempts()[0]?.progress).toEqual(third);
  });

  it("keeps an attempt's answers and hints beside its history; a restart starts with none", () => {
    const store = make();
    store.syncBuiltIns([BUILT_IN_E1], 1);
    const opened = store.openAttempt('e1', () => labOf(E1_TEXT), 2);
    expect(opened.attempt.exercise).toEqual({ answers: {}, hints: [] });
    const exercise = { answers: { 'where-arp': 2 }, hints: ['reach'] };
    store.saveExercise(opened.attempt.id, exercise, 3);
    const again = store.openAttempt('e1', () => labOf(E1_TEXT), 4);
    expect(again.attempt.exercise).toEqual(exercise);
    // Answers are not a change of the lab: nothing to undo, the version unchanged.
    expect(again.history.canUndo).toBe(false);
    expect(again.attempt.version).toBe(opened.attempt.version);
    const restarted = store.restartAttempt('e1', labOf(E1_TEXT), 5);
    expect(restarted.attempt.exercise).toEqual({ answers: {}, hints: [] });
    expect(() => store.saveExercise(opened.attempt.id, exercise, 6)).toThrow(/not open/);
  });

  it('lists recent files newest first, keeping the last 20', () => {
    const store = make();
    const lab = store.importLab(source(E1_TEXT, 'a.lab.yaml'), 1);
    for (let i = 0; i < 25; i++) store.addRecentFile(`/labs/${i}.lab.yaml`, lab.id, 100 + i);
    store.addRecentFile('/labs/3.lab.yaml', lab.id, 200);
    const recent = store.recentFiles();
    expect(recent[0]).toEqual({ file: '/labs/3.lab.yaml', labId: lab.id, openedAt: 200 });
    expect(recent.length).toBeLessThanOrEqual(20);
  });

  it('keeps settings as JSON and lists them by prefix', () => {
    const store = make();
    store.setSetting('ui.screen', 'home');
    store.setSetting('ui.home', { search: 'bridge', sort: ['title'] });
    store.setSetting('session.openLab', 'e1');
    expect(store.settings('ui.')).toEqual({
      'ui.home': { search: 'bridge', sort: ['title'] },
      'ui.screen': 'home',
    });
    expect(store.setting('session.openLab')).toBe('e1');
    expect(store.setting('nothing')).toBeUndefined();
  });
});

describe('the SQLite store across a close and reopen', () => {
  it('keeps the library, the attempt at its cursor with its history, progress, recent files and settings', () => {
    const dir = mkdtempSync(join(tmpdir(), 'nestlab-port-'));
    const store = sqlite(dir);
    store.syncBuiltIns([BUILT_IN_E1], 1);
    const { attempt, lab } = store.openAttempt('e1', () => labOf(E1_TEXT), 2);
    const one = titled(lab, 'one');
    const two = titled(one, 'two');
    store.recordChange(
      attempt.id,
      { before: lab, after: one, label: 'lab.setTitle', actor: 'ben' },
      3,
    );
    store.recordChange(
      attempt.id,
      { before: one, after: two, label: 'lab.setTitle', actor: 'ben' },
      4,
    );
    store.undo(attempt.id, two, 5);
    store.saveProgress(attempt.id, 3, [{ id: 'reach', passed: true }], 6);
    store.addRecentFile('/tmp/e1.lab.yaml', 'e1', 7);
    store.setSetting('ui.screen', 'lab');
    store.close();

    const again = sqlite(dir);
    const opened = again.openAttempt(
      'e1',
      () => {
        throw new Error('must continue');
      },
      8,
    );
    expect(opened.lab.title).toBe('one');
    expect(opened.history).toEqual({ canUndo: true, canRedo: true });
    expect(again.redo(attempt.id, opened.lab, 9)?.lab.title).toBe('two');
    expect(again.activeAttempts()[0]?.progress?.objectives).toEqual([
      { id: 'reach', passed: true, passedAt: 5 },
    ]);
    expect(again.recentFiles()).toEqual([{ file: '/tmp/e1.lab.yaml', labId: 'e1', openedAt: 7 }]);
    expect(again.settings('ui.')).toEqual({ 'ui.screen': 'lab' });
    expect(again.integrityCheck()).toBe('ok');
  });

  it('reads the title of an attempt saved before titles were kept (migration 3) from its lab', () => {
    const dir = mkdtempSync(join(tmpdir(), 'nestlab-port-'));
    const store = sqlite(dir);
    store.syncBuiltIns([BUILT_IN_E1], 1);
    const { attempt, lab } = store.openAttempt('e1', () => labOf(E1_TEXT), 2);
    const renamed = titled(lab, 'Renamed before the upgrade');
    store.recordChange(
      attempt.id,
      { before: lab, after: renamed, label: 'lab.setTitle', actor: 'ben' },
      3,
    );
    store.close();
    const db = new Database(join(dir, DATABASE_FILE));
    db.exec('UPDATE attempts SET title = NULL');
    db.close();

    expect(sqlite(dir).activeAttempts()[0]?.title).toBe('Renamed before the upgrade');
  });

  it("an attempt saved before roles were kept (migration 4) is a student's", () => {
    const dir = mkdtempSync(join(tmpdir(), 'nestlab-port-'));
    const store = sqlite(dir);
    store.syncBuiltIns([BUILT_IN_E1], 1);
    const { attempt } = store.openAttempt('e1', () => labOf(E1_TEXT), 2);
    store.close();
    const db = new Database(join(dir, DATABASE_FILE));
    const columns = db.prepare('PRAGMA table_info(attempts)').all() as { name: string }[];
    expect(columns.map((c) => c.name)).toContain('role');
    db.close();
    const again = sqlite(dir);
    expect(again.activeAttempts().map((a) => [a.id, a.role])).toEqual([[attempt.id, 'student']]);
    expect(again.openAttempt('e1', () => labOf(E1_TEXT), 3).attempt.id).toBe(attempt.id);
  });
});
