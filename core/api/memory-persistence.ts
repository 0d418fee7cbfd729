/**
 * The persistence port in memory: what the service uses when no store is given (unit tests,
 * a host whose data folder could not be opened). It behaves like the SQLite store in every
 * observable way except that nothing survives the process (`durable: false`); the port's
 * contract tests run against both.
 */
import type { Lab } from '../model';
import type { SessionRole } from '../rules/student';
import {
  HISTORY_LIMIT,
  NO_EXERCISE,
  type AttemptProgress,
  type AttemptRecord,
  type HistoryMark,
  type LabChange,
  type LibraryRecord,
  type NewLabSource,
  type OpenedAttempt,
  type Persistence,
  type RecentFile,
  type SettingValue,
  type Travelled,
} from './persistence';

const RECENT_LIMIT = 20;

interface LabRow {
  record: LibraryRecord;
  text: string;
  retired: boolean;
}

interface AttemptRow {
  record: AttemptRecord;
  /** states[0] is the oldest state undo reaches; states[cursor] is the current one. */
  states: Lab[];
  cursor: number;
}

/** A short non-cryptographic hash (cyrb53): the memory store only compares hashes. */
export function textHash(text: string): string {
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 2654435761);
    h2 = Math.imul(h2 ^ c, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return (h2 >>> 0).toString(16).padStart(8, '0') + (h1 >>> 0).toString(16).padStart(8, '0');
}

export function memoryPersistence(): Persistence {
  const labs = new Map<string, LabRow>();
  const attempts = new Map<number, AttemptRow>();
  /** The active attempt by lab and role (`activeKey`). */
  const active = new Map<string, number>();
  const activeKey = (labId: string, role: SessionRole): string => `${role}\u0000${labId}`;
  const anyActive = (labId: string): boolean =>
    active.has(activeKey(labId, 'student')) || active.has(activeKey(labId, 'trainer'));
  const recent = new Map<string, RecentFile>();
  const settings = new Map<string, SettingValue>();
  let nextAttempt = 1;
  let nextImport = 1;

  const record = (id: string, origin: LibraryRecord['origin'], s: NewLabSource, at: number) => ({
    id,
    origin,
    title: s.title,
    description: s.description,
    fileName: s.fileName,
    sourcePath: s.sourcePath,
    sourceHash: textHash(s.text),
    objectiveCount: s.objectiveCount,
    addedAt: at,
    updatedAt: at,
  });
  const mark = (row: AttemptRow): HistoryMark => ({
    canUndo: row.cursor > 0,
    canRedo: row.cursor < row.states.length - 1,
  });
  const attemptRow = (id: number): AttemptRow => {
    const row = attempts.get(id);
    if (!row) throw new Error(`There is no attempt ${id}.`);
    return row;
  };
  /** The attempt a change is for; an archived one (restarted, replaced) takes none. */
  const activeRow = (id: number): AttemptRow => {
    const row = attemptRow(id);
    if (active.get(activeKey(row.record.labId, row.record.role)) !== id)
      throw new Error(`Attempt ${id} is not open any more; open the lab again.`);
    return row;
  };
  /** The attempt's state moved to `lab`: one more version, and its title. */
  const touch = (row: AttemptRow, lab: Lab, at: number): void => {
    row.record = {
      ...row.record,
      version: row.record.version + 1,
      changedAt: at,
      title: lab.title,
    };
  };
  const start = (labId: string, lab: Lab, at: number, role: SessionRole): OpenedAttempt => {
    const id = nextAttempt++;
    const row: AttemptRow = {
      record: {
        id,
        labId,
        startedAt: at,
        openedAt: at,
        changedAt: at,
        version: 0,
        title: lab.title,
        role,
        progress: null,
        exercise: NO_EXERCISE,
      },
      states: [lab],
      cursor: 0,
    };
    attempts.set(id, row);
    active.set(activeKey(labId, role), id);
    return { attempt: row.record, lab, history: mark(row) };
  };
  const travel = (attemptId: number, step: -1 | 1, at: number): Travelled | undefined => {
    const row = activeRow(attemptId);
    const lab = row.states[row.cursor + step];
    if (!lab) return undefined;
    row.cursor += step;
    touch(row, lab, at);
    return { lab, history: mark(row) };
  };
  const listed = (row: LabRow): boolean => !row.retired || anyActive(row.record.id);

  return {
    durable: false,
    notices: [],
    labs: () => [...labs.values()].filter(listed).map((row) => row.record),
    source(labId) {
      const row = labs.get(labId);
      return row ? { record: row.record, text: row.text } : undefined;
    },
    sameLabs(text, title) {
      const hash = textHash(text);
      return [...labs.values()]
        .filter(listed)
        .map((row) => row.record)
        .filter((r) => r.sourceHash === hash || r.title === title);
    },
    syncBuiltIns(sources, at) {
      const present = new Set(sources.map((s) => s.id));
      for (const s of sources) {
        const row = labs.get(s.id);
        if (row?.record.sourceHash === textHash(s.text) && !row.retired) continue;
        const added = row ? row.record.addedAt : at;
        labs.set(s.id, {
          record: { ...record(s.id, 'built-in', s, at), addedAt: added },
          text: s.text,
          retired: false,
        });
      }
      for (const row of labs.values())
        if (row.record.origin === 'built-in' && !present.has(row.record.id)) row.retired = true;
    },
    importLab(source, at) {
      const row = {
        record: record(`imported-${nextImport++}`, 'imported', source, at),
        text: source.text,
        retired: false,
      };
      labs.set(row.record.id, row);
      return row.record;
    },
    replaceLab(labId, source, at) {
      const row = labs.get(labId);
      if (row?.record.origin !== 'imported') throw new Error(`${labId} is not an imported lab.`);
      row.record = { ...record(labId, 'imported', source, at), addedAt: row.record.addedAt };
      row.text = source.text;
      active.delete(activeKey(labId, 'student'));
      active.delete(activeKey(labId, 'trainer'));
      return row.record;
    },
    activeAttempts: () => [...active.values()].map((id) => attemptRow(id).record),
    openAttempt(labId, startLab, at, role = 'student') {
      const id = active.get(activeKey(labId, role));
      if (id === undefined) return start(labId, startLab(), at, role);
      const row = attemptRow(id);
      row.record = { ...row.record, openedAt: at };
      const lab = row.states[row.cursor];
      if (!lab) throw new Error(`Attempt ${id} has no state.`);
      return { attempt: row.record, lab, history: mark(row) };
    },
    restartAttempt: (labId, lab, at, role = 'student') => start(labId, lab, at, role),
    recordChange(attemptId, change: LabChange, at) {
      const row = activeRow(attemptId);
      row.states = row.states.slice(0, row.cursor + 1);
      row.states.push(change.after);
      if (row.states.length > HISTORY_LIMIT + 1) row.states.shift();
      row.cursor = row.states.length - 1;
      touch(row, change.after, at);
      return mark(row);
    },
    undo: (attemptId, _current, at) => travel(attemptId, -1, at),
    redo: (attemptId, _current, at) => travel(attemptId, 1, at),
    attemptLab: (attemptId) => {
      const row = attempts.get(attemptId);
      return row?.states[row.cursor];
    },
    saveProgress(attemptId, version, objectives, at) {
      const row = attemptRow(attemptId);
      const before = new Map(row.record.progress?.objectives.map((o) => [o.id, o]));
      const progress: AttemptProgress = {
        version,
        checkedAt: at,
        objectives: objectives.map((o) => ({
          id: o.id,
          passed: o.passed,
          passedAt: o.passed ? (before.get(o.id)?.passedAt ?? row.record.changedAt) : null,
        })),
      };
      row.record = { ...row.record, progress };
      return progress;
    },
    saveExercise(attemptId, exercise) {
      const row = activeRow(attemptId);
      row.record = { ...row.record, exercise };
    },
    recentFiles: () => [...recent.values()].reverse(),
    addRecentFile(file, labId, at) {
      recent.delete(file);
      recent.set(file, { file, labId, openedAt: at });
      for (const oldest of recent.keys()) if (recent.size > RECENT_LIMIT) recent.delete(oldest);
    },
    setting: (key) => settings.get(key),
    settings: (prefix) =>
      Object.fromEntries([...settings].filter(([key]) => key.startsWith(prefix))),
    setSetting(key, value) {
      settings.set(key, value);
    },
  };
}
