/**
 * The service with persistence (issue 6): a restart brings the student back to the same
 * lab, state and undo history; imports are all-or-nothing and a second import of the same
 * lab is a question; the library's progress is recomputed from the attempt, never read from
 * a file; a change that cannot be written is not made; an exported attempt grades with
 * `nestlab grade`'s rules.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  memoryPersistence,
  NestlabService,
  type ApiEvents,
  type EditOutcome,
  type ExportResult,
  type ImportResult,
  type LabView,
  type LibraryListing,
  type OpenResult,
  type Persistence,
} from '../../../../core/api';
import { gradeAttempt, parseLab } from '../../../../core/lab';
import { folderLibrary } from '../../../../core/node/lab-library';
import { openStore, type SqliteStore } from '../../../../core/node/store';

const labsDir = new URL('../../../../labs/', import.meta.url).pathname;
const E1 = 'e1-nested-vm-out';
const E1_TEXT = readFileSync(join(labsDir, `${E1}.lab.yaml`), 'utf8');
const BAD_TEXT = 'nestlab: 1\nvms: [{ id: a, colour: red }]\n';

const dirs: string[] = [];
const stores: SqliteStore[] = [];
afterEach(() => {
  for (const store of stores.splice(0)) store.close();
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'nestlab-service-'));
  dirs.push(dir);
  return dir;
}

function service(dir: string): NestlabService {
  const opened = openStore(dir);
  if (!opened.ok) throw new Error(opened.message);
  stores.push(opened.store);
  return new NestlabService(folderLibrary(labsDir), { persistence: opened.store, clock: Date.now });
}

function restart(dir: string): NestlabService {
  for (const store of stores.splice(0)) store.close();
  return service(dir);
}

function ok<T extends { ok: boolean }>(value: unknown): Extract<T, { ok: true }> {
  const result = value as T;
  if (!result.ok) throw new Error(JSON.stringify(value));
  return result as Extract<T, { ok: true }>;
}

const stopEsxi = { actor: 'ben', vm: 'esxi', state: 'stopped' };
const promiscuousOn = { actor: 'ana', adapter: 'esxi-nic0', promiscuous: true };
const startEsxi = { actor: 'ben', vm: 'esxi', state: 'running' };

describe('the service keeps a student where they were', () => {
  it('reopens the lab after a restart with its state, and undo and redo work across it', () => {
    const dir = tempDir();
    const first = service(dir);
    ok<OpenResult>(first.call('lab.open', { id: E1 }));
    ok<EditOutcome>(first.call('vm.setPower', stopEsxi));
    ok<EditOutcome>(first.call('adapter.setPromiscuous', promiscuousOn));
    const before = first.call('lab.current', {}) as LabView;

    const second = restart(dir);
    const after = second.call('lab.current', {}) as LabView | null;
    expect(after?.lab).toEqual(before.lab);
    expect(after?.canUndo).toBe(true);
    const undone = ok<EditOutcome>(second.call('lab.undo', {}));
    expect(undone.view.lab.vms[0]?.adapters[0]?.promiscuous).toBe(false);

    const third = restart(dir);
    const view = third.call('lab.current', {}) as LabView;
    expect(view.lab.vms[0]?.adapters[0]?.promiscuous).toBe(false);
    expect(view.canRedo).toBe(true);
    expect(ok<EditOutcome>(third.call('lab.redo', {})).view.lab).toEqual(before.lab);
  });

  it('Restart starts the lab over from its file; Continue then opens the new attempt', () => {
    const s = service(tempDir());
    ok<OpenResult>(s.call('lab.open', { id: E1 }));
    ok<EditOutcome>(s.call('vm.setPower', stopEsxi));
    const fresh = ok<OpenResult>(s.call('attempt.restart', { id: E1 }));
    expect(fresh.view.lab.vms[0]?.power).toBe('running');
    expect(fresh.view.canUndo).toBe(false);
    expect(ok<OpenResult>(s.call('lab.open', { id: E1 })).view.lab.vms[0]?.power).toBe('running');
  });
});

describe('importing lab files', () => {
  it('refuses a bad file with the check findings and imports nothing', () => {
    const s = service(tempDir());
    const before = (s.call('library.list', {}) as LibraryListing).labs.length;
    const result = s.call('lab.import', {
      text: BAD_TEXT,
      fileName: 'bad.lab.yaml',
    }) as ImportResult;
    expect(result).toMatchObject({ ok: false, problem: 'invalid' });
    if (!result.ok && result.problem === 'invalid') {
      expect(result.message).toMatch(/bad\.lab\.yaml cannot be read as a lab file/);
      expect(result.violations[0]).toMatchObject({ code: 'unknown-key', path: 'vms[0].colour' });
    }
    expect((s.call('library.list', {}) as LibraryListing).labs).toHaveLength(before);
    expect(s.call('lab.current', {})).toBeNull();
  });

  it('imports and opens a new lab, remembering the file among the recent ones', () => {
    const s = service(tempDir());
    const text = E1_TEXT.replace(/^title: .*$/m, 'title: My own lab');
    const result = ok<ImportResult>(
      s.call('lab.import', { text, fileName: 'mine.lab.yaml', path: '/home/ana/mine.lab.yaml' }),
    );
    expect(result.view.lab.title).toBe('My own lab');
    const listing = s.call('library.list', {}) as LibraryListing;
    expect(listing.openLabId).toBe(result.labId);
    expect(listing.labs.find((l) => l.id === result.labId)).toMatchObject({
      origin: 'imported',
      title: 'My own lab',
      fileName: 'mine.lab.yaml',
    });
    expect(listing.recentFiles[0]).toMatchObject({
      file: '/home/ana/mine.lab.yaml',
      labId: result.labId,
    });
  });

  it('asks before importing the same lab twice, then replaces it or keeps both as told', () => {
    const s = service(tempDir());
    const text = E1_TEXT.replace(/^title: .*$/m, 'title: Twice');
    const first = ok<ImportResult>(s.call('lab.import', { text, fileName: 'twice.lab.yaml' }));
    ok<EditOutcome>(s.call('vm.setPower', stopEsxi));
    const asked = s.call('lab.import', { text, fileName: 'twice.lab.yaml' }) as ImportResult;
    expect(asked).toMatchObject({
      ok: false,
      problem: 'duplicate',
      canReplace: true,
      existing: { id: first.labId, title: 'Twice' },
    });
    const count = () => (s.call('library.list', {}) as LibraryListing).labs.length;
    const labsBefore = count();
    const replaced = ok<ImportResult>(
      s.call('lab.import', { text, fileName: 'twice.lab.yaml', onDuplicate: 'replace' }),
    );
    expect(replaced.labId).toBe(first.labId);
    expect(replaced.view.lab.vms[0]?.power).toBe('running');
    expect(count()).toBe(labsBefore);
    const kept = ok<ImportResult>(
      s.call('lab.import', { text, fileName: 'twice.lab.yaml', onDuplicate: 'keep-both' }),
    );
    expect(kept.labId).not.toBe(first.labId);
    expect(count()).toBe(labsBefore + 1);
  });

  it('a file that matches a built-in lab can be kept beside it but not replace it', () => {
    const s = service(tempDir());
    const asked = s.call('lab.import', { text: E1_TEXT, fileName: 'copy.lab.yaml' });
    expect(asked).toMatchObject({
      ok: false,
      problem: 'duplicate',
      canReplace: false,
      existing: { id: E1 },
    });
  });
});

describe('progress on the home screen', () => {
  it('is recomputed from the attempt after each change and shows when it was last opened', () => {
    const s = service(tempDir());
    const card = () => (s.call('library.list', {}) as LibraryListing).labs.find((l) => l.id === E1);
    expect(card()?.progress).toBeNull();
    ok<OpenResult>(s.call('lab.open', { id: E1 }));
    expect(card()?.progress).toMatchObject({ passed: 0, total: 2 });
    ok<EditOutcome>(s.call('vm.setPower', stopEsxi));
    ok<EditOutcome>(s.call('adapter.setPromiscuous', promiscuousOn));
    expect(card()?.progress).toMatchObject({ passed: 1, total: 2 });
    ok<EditOutcome>(s.call('vm.setPower', startEsxi));
    const solved = card();
    expect(solved?.progress).toMatchObject({ passed: 2, total: 2 });
    expect(solved?.lastOpenedAt).toBeGreaterThan(0);
  });

  it('never trusts a score written in a file: an imported lab claiming success starts at 0', () => {
    const s = service(tempDir());
    const text = `${E1_TEXT.replace(/^title: .*$/m, 'title: Claims')}ui:\n  score: { passed: 2, total: 2 }\n`;
    const imported = ok<ImportResult>(s.call('lab.import', { text, fileName: 'claims.lab.yaml' }));
    const card = (s.call('library.list', {}) as LibraryListing).labs.find(
      (l) => l.id === imported.labId,
    );
    expect(card?.progress).toMatchObject({ passed: 0, total: 2 });
  });
});

describe('the library card', () => {
  it("shows the attempt's current title after a rename, after a restart too, and the file's after Restart", () => {
    const dir = tempDir();
    const first = service(dir);
    const title = (s: NestlabService) =>
      (s.call('library.list', {}) as LibraryListing).labs.find((l) => l.id === E1)?.title;
    const fileTitle = title(first);
    ok<OpenResult>(first.call('lab.open', { id: E1 }));
    ok<EditOutcome>(first.call('lab.setTitle', { actor: 'ana', title: 'E1 for Tuesday' }));
    expect(title(first)).toBe('E1 for Tuesday');
    ok<OpenResult>(first.call('lab.open', { id: 'e2-nested-neighbours' }));
    expect(title(first)).toBe('E1 for Tuesday');

    const second = restart(dir);
    expect(title(second)).toBe('E1 for Tuesday');
    ok<OpenResult>(second.call('attempt.restart', { id: E1 }));
    expect(title(second)).toBe(fileTitle);
  });
});

describe('saving', () => {
  it('a change that cannot be written is not made, and the answer says so', () => {
    const memory = memoryPersistence();
    const failing: Persistence = {
      ...memory,
      durable: true,
      notices: [],
      recordChange: () => {
        throw new Error('disk full');
      },
    };
    const s = new NestlabService(folderLibrary(labsDir), { persistence: failing });
    const events: [string, unknown][] = [];
    ok<OpenResult>(s.call('lab.open', { id: E1 }));
    s.onEvent((event, payload) => events.push([event, payload]));
    const before = s.call('lab.current', {}) as LabView;
    const result = s.call('vm.setPower', stopEsxi);
    expect(result).toMatchObject({
      ok: false,
      rule: 'store',
      message: /could not be saved.*disk full/,
    });
    expect(s.call('lab.current', {})).toEqual(before);
    expect(events).toEqual([
      ['attempt.saved', { ok: false, message: expect.stringMatching(/disk full/) }],
    ]);
  });

  it('says "saved" after every accepted change, and only after it was written', () => {
    const s = service(tempDir());
    ok<OpenResult>(s.call('lab.open', { id: E1 }));
    const events: (keyof ApiEvents)[] = [];
    s.onEvent((event) => events.push(event));
    ok<EditOutcome>(s.call('vm.setPower', stopEsxi));
    expect(events).toEqual(['attempt.saved', 'lab.changed']);
  });

  it('keeps only ui.* settings from the renderer', () => {
    const s = service(tempDir());
    expect(s.call('settings.set', { key: 'ui.screen', value: 'home' })).toEqual({ ok: true });
    expect(s.call('settings.set', { key: 'session.openLab', value: 'x' })).toMatchObject({
      ok: false,
      code: 'invalid-request',
    });
    expect(s.call('settings.get', {})).toEqual({ 'ui.screen': 'home' });
  });
});

describe('exporting an attempt', () => {
  it('writes a lab file the trainer grades with the same result the home screen shows', () => {
    const s = service(tempDir());
    ok<OpenResult>(s.call('lab.open', { id: E1 }));
    ok<EditOutcome>(s.call('vm.setPower', stopEsxi));
    ok<EditOutcome>(s.call('adapter.setPromiscuous', promiscuousOn));
    ok<EditOutcome>(s.call('vm.setPower', startEsxi));
    const exported = ok<ExportResult>(s.call('attempt.export', {}));
    expect(exported.fileName).toBe(`${E1}.attempt.lab.yaml`);
    expect(exported.text).toMatch(/^# Nestlab attempt at "E1: A nested VM reaches the gateway"/);
    const attempt = parseLab(exported.text);
    const trainer = parseLab(E1_TEXT);
    if (!attempt.ok || !trainer.ok) throw new Error('export does not parse');
    expect(gradeAttempt(trainer.lab, attempt.lab).score).toEqual({ passed: 2, total: 2 });
  });
});
