/**
 * "Grade a class": the lab chosen, the attempt files added, and each file's grade as the core
 * gave it (`grade.attempt`, one call per file, so progress shows and the page stays
 * responsive). The CSV is the core's header and lines joined, nothing recomputed here, so it is
 * what `nestlab grade --csv` prints for the same files. Choosing another lab grades every file
 * again; a newer grading makes the replies of an older one moot.
 */
import type { ApiClient } from '../../../core/api/contract';
import type { GradingLab } from '../../../core/api/grading-contract';
import type { LibraryCard } from '../../../core/api/library-contract';
import type { SessionRole } from '../../../core/rules/student';
import type { GradeRow } from '../../../core/lab/grade-report';
import { offerDownload } from '../api/download';
import type { AttemptFile } from './attempt-files';

/**
 * lab-format.md's lab file limit (the core's MAX_LAB_BYTES): a larger file is sent by its size
 * alone, and the core grades it unreadable (`file-too-large`), as `nestlab grade` does.
 */
const LAB_FILE_BYTES = 5 * 1024 * 1024;

export interface GradedFile {
  readonly row: GradeRow;
  /** False when the file gave no lab to grade. */
  readonly readable: boolean;
  /** Its line of `nestlab grade --csv`, from the core. */
  readonly csvLine: string;
}

export class ClassGrades {
  labs = $state.raw<readonly LibraryCard[]>([]);
  /** The lab open in the app and its mode (the open lab in trainer mode is graded as it is now). */
  openLab = $state.raw<{ readonly id: string; readonly role: SessionRole } | null>(null);
  labId = $state<string | null>(null);
  attempts = $state.raw<readonly AttemptFile[]>([]);
  graded = $state.raw<readonly GradedFile[]>([]);
  /** The lab the grades are for, as the core described it with the last grade. */
  lab = $state.raw<GradingLab | null>(null);
  running = $state(false);
  /** Why grading stopped (the lab is not valid, the connection is gone). */
  problem = $state<string | null>(null);

  readonly csv: string = $derived(
    this.lab ? this.lab.csvHeader + this.graded.map((g) => g.csvLine).join('') : '',
  );

  /** Bumped whenever what is graded changes (another lab, Clear): older replies are dropped. */
  private generation = 0;

  constructor(private readonly api: ApiClient) {}

  /** The library to choose from, the open lab first chosen. */
  async load(): Promise<void> {
    await this.guard(async () => {
      const [listing, current] = await Promise.all([
        this.api.call('library.list', {}),
        this.api.call('lab.current', {}),
      ]);
      this.labs = listing.labs;
      this.openLab =
        listing.openLabId !== null
          ? { id: listing.openLabId, role: current?.role ?? 'student' }
          : null;
      const known = this.labs.some((l) => l.id === this.labId);
      if (!known) this.choose(this.openLab?.id ?? this.labs[0]?.id ?? null);
      // Back on this screen: the lab may have changed meanwhile (edited in trainer mode, its
      // file replaced), so the files kept are graded again, never shown against an older lab.
      else if (this.graded.length > 0) this.restart();
    });
  }

  /** Grades every file again against `labId`. */
  choose(labId: string | null): void {
    if (labId === this.labId) return;
    this.labId = labId;
    this.restart();
  }

  add(files: readonly AttemptFile[]): void {
    if (files.length === 0) return;
    this.attempts = [...this.attempts, ...files];
    void this.run();
  }

  clear(): void {
    this.attempts = [];
    this.restart();
  }

  exportCsv(): void {
    const lab = this.lab;
    if (!lab || this.graded.length === 0) return;
    offerDownload(`${lab.id}-grades.csv`, this.csv, 'text/csv');
  }

  private restart(): void {
    this.generation += 1;
    this.graded = [];
    this.lab = null;
    this.problem = null;
    void this.run();
  }

  /** Grades the files not graded yet, one call each, in the order they were added. */
  private async run(): Promise<void> {
    if (this.running) return;
    this.running = true;
    const generation = this.generation;
    try {
      while (generation === this.generation && this.problem === null) {
        const labId = this.labId;
        const next = this.attempts[this.graded.length];
        if (labId === null || next === undefined) break;
        const result = await this.api.call('grade.attempt', await requestOf(labId, next));
        if (generation !== this.generation) break;
        if (!result.ok) {
          this.problem = result.message;
          break;
        }
        // The lab changed under a grading (its objectives or checkpoints): one table, one lab.
        if (this.lab !== null && this.lab.csvHeader !== result.lab.csvHeader) {
          this.generation += 1;
          this.graded = [];
          this.lab = null;
          break;
        }
        this.lab = result.lab;
        this.graded = [
          ...this.graded,
          { row: result.row, readable: result.readable, csvLine: result.csvLine },
        ];
      }
    } catch (error) {
      if (generation === this.generation) this.problem = messageOf(error);
    } finally {
      this.running = false;
    }
    // What changed while a reply was on its way is graded now.
    if (generation !== this.generation) void this.run();
  }

  private async guard(work: () => Promise<void>): Promise<void> {
    try {
      await work();
    } catch (error) {
      this.problem = messageOf(error);
    }
  }
}

async function requestOf(
  lab: string,
  { name, file }: AttemptFile,
): Promise<{ lab: string; fileName: string; text: string; size: number }> {
  let text = '';
  try {
    if (file.size <= LAB_FILE_BYTES) text = await file.text();
  } catch (error) {
    throw new Error(`${name} could not be read (${messageOf(error)}); nothing more was graded.`, {
      cause: error,
    });
  }
  return { lab, fileName: name, text, size: file.size };
}

function messageOf(error: unknown): string {
  return error instanceof Error && error.message ? error.message : String(error);
}
