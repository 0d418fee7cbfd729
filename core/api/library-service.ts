/**
 * The lab library behind the home screen: the built-in labs (synced from the labs folder on
 * every listing, so a trainer's new file shows up without a restart) and imported ones, each
 * card with its current attempt's progress. Progress is recomputed here with `gradeAttempt`
 * (the trainer's script and objectives over the attempt's topology) whenever the attempt
 * changed since it was last computed; nothing written in a file is trusted. A file that does
 * not parse (YAML, unknown keys, wrong types) is refused with `nestlab check`'s findings; one
 * that parses but breaks rules is kept as it is, to be opened in trainer mode and fixed; a
 * file matching a lab already there comes back as a question (replace or keep both).
 */
import type { Lab, Violation } from '../model';
import { isValid, parseLab } from '../lab/parse';
import { gradeAttempt } from '../lab/grade';
import type { SessionRole } from '../rules/student';
import type { LabLibrary } from './service';
import type {
  DuplicateChoice,
  ImportResult,
  LibraryCard,
  LibraryListing,
} from './library-contract';
import type {
  AttemptRecord,
  LabSourceRecord,
  LibraryRecord,
  NewLabSource,
  Persistence,
} from './persistence';

export type ParsedSource =
  | {
      readonly ok: true;
      readonly lab: Lab;
      /** The rules it breaks (0: a valid lab); a broken lab opens in trainer mode, to be fixed. */
      readonly errors: number;
    }
  | { readonly ok: false; readonly message: string; readonly violations: readonly Violation[] };

/**
 * Parses a lab file. One that could be built is `ok`, with the count of rules it breaks; one
 * that could not gets every finding.
 */
export function parseSource(text: string, fileName: string): ParsedSource {
  const parsed = parseLab(text);
  // The app tells things apart by their ids (the canvas, the lists, every edit names one): a
  // file that gives one id to two things cannot be opened to be fixed; it is refused, and the
  // findings say which ids to rename.
  const twice = parsed.violations.filter(
    (v) => v.code === 'duplicate-id' && v.severity === 'error',
  );
  if (parsed.ok && twice.length > 0)
    return {
      ok: false,
      message: `${fileName} gives one id or name to two things (${twice.length} time${twice.length === 1 ? '' : 's'}); nothing was opened. The app tells things apart by their ids: rename one of each pair in the file and open it again.`,
      violations: parsed.violations,
    };
  if (parsed.ok)
    return {
      ok: true,
      lab: parsed.lab,
      errors: isValid(parsed) ? 0 : parsed.violations.filter((v) => v.severity === 'error').length,
    };
  const errors = parsed.violations.filter((v) => v.severity === 'error').length;
  return {
    ok: false,
    message: `${fileName} cannot be read as a lab file (${errors} problem${errors === 1 ? '' : 's'}); nothing was opened. Fix the lines listed and open it again.`,
    violations: parsed.violations,
  };
}

/** Each objective of `trainer` passed or not on `attempt`; undefined for a lab the simulator cannot run. */
function graded(trainer: Lab, attempt: Lab): { id: string; passed: boolean }[] | undefined {
  try {
    return gradeAttempt(trainer, attempt).objectives.map((o) => ({ id: o.id, passed: o.passed }));
  } catch {
    // No progress to show; the card says "not checked".
    return undefined;
  }
}

/** How many files' start scores are kept before the cache starts afresh. */
const START_SCORES_KEPT = 1_000;

/** The largest lab file graded for a card before it is started (the built-in labs are ~4 KB). */
const START_GRADE_BYTES = 256 * 1024;

function cardProgress(
  objectives: readonly { readonly passed: boolean }[],
  checkedAt: number,
): LibraryCard['progress'] {
  const passed = objectives.filter((o) => o.passed).length;
  return { passed, total: objectives.length, checkedAt };
}

/** A lab file as the library lists it; `lab` when the caller has parsed the text already. */
function describe(
  text: string,
  fileName: string,
  sourcePath: string | null,
  lab: Lab | undefined = labOf(text),
): NewLabSource {
  return {
    text,
    fileName,
    sourcePath,
    title: lab?.title ?? fileName.replace(/\.lab\.ya?ml$/, ''),
    description: lab ? (lab.description ?? '') : 'This file is not a valid lab.',
    objectiveCount: lab?.objectives.length ?? 0,
  };
}

function labOf(text: string): Lab | undefined {
  const parsed = parseLab(text);
  return parsed.ok ? parsed.lab : undefined;
}

/** On success, the lab parsed from the file too, so opening it need not parse it again. */
export type ImportOutcome =
  | {
      readonly ok: true;
      readonly labId: string;
      readonly parsed: Extract<ParsedSource, { ok: true }>;
    }
  | Exclude<ImportResult, { ok: true }>;

/** What the service tells the library about the open attempt (its lab is in memory). */
export interface OpenLab {
  readonly labId: string;
  readonly attemptId: number;
  readonly attemptRole: SessionRole;
  readonly lab: Lab;
}

export class Library {
  /** Built-in files as last described, by id: a file whose text is unchanged is not parsed again. */
  private readonly builtInSources = new Map<string, NewLabSource>();
  /** A lab file's score before any change, by its text's hash (see startProgress). */
  private readonly startScores = new Map<string, LibraryCard['atStart']>();

  constructor(
    private readonly builtIns: LabLibrary,
    private readonly store: Persistence,
    private readonly now: () => number,
  ) {}

  /**
   * Brings the built-in labs of the folder into the store (a write only when one changed). A
   * store that cannot write now (a full disk) lists what it holds; the update waits.
   */
  sync(): void {
    const sources = this.builtIns.list().flatMap((summary) => {
      const file = this.builtIns.read(summary.id);
      return file ? [{ id: summary.id, ...this.describeBuiltIn(summary.id, file) }] : [];
    });
    try {
      this.store.syncBuiltIns(sources, this.now());
    } catch {
      // Reads go on; the next listing tries again.
    }
  }

  private describeBuiltIn(id: string, file: { text: string; fileName: string }): NewLabSource {
    const known = this.builtInSources.get(id);
    if (known && known.text === file.text && known.fileName === file.fileName) return known;
    const source = describe(file.text, file.fileName, null);
    this.builtInSources.set(id, source);
    return source;
  }

  records(): readonly LibraryRecord[] {
    this.sync();
    return this.store.labs();
  }

  /** A lab's source; a built-in lab the folder has but the last sync missed is synced first. */
  source(labId: string): LabSourceRecord | undefined {
    const known = this.store.source(labId);
    if (known) return known;
    const file = this.builtIns.read(labId);
    if (!file) return undefined;
    this.store.syncBuiltIns(
      [{ id: labId, ...describe(file.text, file.fileName, null) }],
      this.now(),
    );
    return this.store.source(labId);
  }

  listing(open: OpenLab | null): LibraryListing {
    const records = this.records();
    // A card shows the student's attempt: a trainer's authoring is not progress.
    const attempts = new Map(
      this.store
        .activeAttempts()
        .filter((a) => a.role === 'student')
        .map((a) => [a.labId, a]),
    );
    const labs = records.map((record) => this.card(record, attempts.get(record.id), open));
    return {
      labs,
      recentFiles: this.store.recentFiles(),
      openLabId: open?.labId ?? null,
      openRole: open?.attemptRole ?? null,
      notices: this.store.notices,
      durable: this.store.durable,
    };
  }

  private card(
    record: LibraryRecord,
    attempt: AttemptRecord | undefined,
    open: OpenLab | null,
  ): LibraryCard {
    const progress = attempt ? this.progressOf(record, attempt, open) : null;
    const atStart = attempt ? null : this.startProgress(record);
    return {
      id: record.id,
      origin: record.origin,
      // A rename in the attempt is the student's or trainer's own: the card shows it.
      title: attempt?.title ?? record.title,
      description: record.description,
      fileName: record.fileName,
      objectiveCount: record.objectiveCount,
      progress,
      atStart,
      startedAt: attempt?.startedAt ?? null,
      lastOpenedAt: attempt?.openedAt ?? null,
      addedAt: record.addedAt,
    };
  }

  private progressOf(
    record: LibraryRecord,
    attempt: AttemptRecord,
    open: OpenLab | null,
  ): LibraryCard['progress'] {
    const kept = attempt.progress;
    if (kept?.version === attempt.version) return cardProgress(kept.objectives, kept.checkedAt);
    const lab = open?.attemptId === attempt.id ? open.lab : this.store.attemptLab(attempt.id);
    const results = lab ? this.grade(record.id, lab) : undefined;
    if (!results) return null;
    try {
      const saved = this.store.saveProgress(attempt.id, attempt.version, results, this.now());
      return cardProgress(saved.objectives, saved.checkedAt);
    } catch {
      // Not kept (a full disk): shown as computed, and computed again next time.
      return cardProgress(results, this.now());
    }
  }

  /**
   * What a new attempt of the lab starts with: its file graded as it is, once per file text
   * (by hash) for as long as the service runs. A file over START_GRADE_BYTES is not graded
   * for a listing (it would hold the home screen up); its card says nothing of a start score.
   */
  private startProgress(record: LibraryRecord): LibraryCard['atStart'] {
    if (record.objectiveCount === 0) return null;
    const known = this.startScores.get(record.sourceHash);
    if (known !== undefined) return known;
    const source = this.store.source(record.id);
    let score: LibraryCard['atStart'] = null;
    if (source && source.text.length <= START_GRADE_BYTES) {
      const parsed = parseLab(source.text);
      // The file is the trainer's lab and the attempt at once: parsed here once, not again.
      const results = parsed.ok && isValid(parsed) ? graded(parsed.lab, parsed.lab) : undefined;
      if (results) score = cardProgress(results, this.now());
    }
    // One entry per file text seen; a library replaced many times over starts the cache afresh.
    if (this.startScores.size >= START_SCORES_KEPT) this.startScores.clear();
    this.startScores.set(record.sourceHash, score);
    return score;
  }

  /** The trainer's objectives over the attempt's topology (`nestlab grade`'s rule). */
  private grade(labId: string, attempt: Lab): { id: string; passed: boolean }[] | undefined {
    const source = this.store.source(labId);
    const parsed = source ? parseLab(source.text) : undefined;
    return graded(parsed?.ok ? parsed.lab : attempt, attempt);
  }

  /** Adds a lab file to the library, or says why not (invalid, or already there). */
  importFile(
    text: string,
    fileName: string,
    sourcePath: string | null,
    choice: DuplicateChoice,
  ): ImportOutcome {
    const parsed = parseSource(text, fileName);
    if (!parsed.ok) {
      const { message, violations } = parsed;
      return { ok: false, problem: 'invalid', message, violations };
    }
    const source = describe(text, fileName, sourcePath, parsed.lab);
    this.sync();
    const same = this.store.sameLabs(text, parsed.lab.title);
    const replaceable = same.find((r) => r.origin === 'imported');
    const existing = replaceable ?? same[0];
    const at = this.now();
    if (existing && choice === 'ask') {
      return {
        ok: false,
        problem: 'duplicate',
        message: `"${existing.title}" is already in your library (from ${existing.fileName}). Replace it, or keep both?`,
        existing: { id: existing.id, title: existing.title, fileName: existing.fileName },
        canReplace: replaceable !== undefined,
      };
    }
    const record =
      replaceable && choice === 'replace'
        ? this.store.replaceLab(replaceable.id, source, at)
        : this.store.importLab(source, at);
    this.store.addRecentFile(sourcePath ?? fileName, record.id, at);
    return { ok: true, labId: record.id, parsed };
  }
}
