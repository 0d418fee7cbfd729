/**
 * The home screen's state: the lab library as the core lists it (with each lab's progress),
 * the search text, which screen shows (home or the open lab, kept in the `ui.screen`
 * setting so a restart comes back to it), the question being asked (restart? replace or
 * keep both?), an import that was refused, and whether the last change was saved. Every
 * decision is the core's; this class keeps what it answered.
 */
import type { ApiClient } from '../../../core/api/contract';
import type { LibraryCard, LibraryListing, SaveStatus } from '../../../core/api/library-contract';
import type { Violation } from '../../../core/model/errors';
import { ClassGrades } from '../grading/class-grades.svelte';

export type Screen = 'home' | 'lab';

/** A question the user answers in a dialog before anything happens. */
export type Question =
  | { readonly kind: 'restart'; readonly labId: string; readonly title: string }
  | {
      readonly kind: 'duplicate';
      readonly text: string;
      readonly fileName: string;
      readonly message: string;
      readonly existingTitle: string;
      readonly canReplace: boolean;
    };

/** A file that was not imported, with `nestlab check`'s findings. */
export interface ImportProblem {
  readonly fileName: string;
  readonly message: string;
  readonly violations: readonly Violation[];
}

const SCREEN_KEY = 'ui.screen';

/** Lower-case words of a card, for search. */
function haystack(card: LibraryCard): string {
  return `${card.title} ${card.description} ${card.fileName}`.toLowerCase();
}

export class Home {
  screen = $state<Screen>('home');
  listing = $state.raw<LibraryListing | null>(null);
  search = $state('');
  question = $state.raw<Question | null>(null);
  problem = $state.raw<ImportProblem | null>(null);
  saved = $state.raw<SaveStatus | null>(null);
  /** Set when a call failed unexpectedly (the connection is gone). */
  failure = $state<string | null>(null);
  /** The home screen shows "Grade a class" instead of the library. */
  grading = $state(false);
  /** The class being graded; kept while the trainer goes to a lab and back. */
  readonly grades: ClassGrades;

  readonly cards: readonly LibraryCard[] = $derived.by(() => {
    const words = this.search.toLowerCase().split(/\s+/).filter(Boolean);
    const labs = this.listing?.labs ?? [];
    return labs.filter((card) => words.every((w) => haystack(card).includes(w)));
  });

  constructor(private readonly api: ApiClient) {
    this.grades = new ClassGrades(api);
    api.onEvent('attempt.opened', () => void this.show('lab'));
    api.onEvent('attempt.saved', (status) => (this.saved = status));
  }

  /** Loads the library and comes back to the screen the student last had. */
  async start(): Promise<void> {
    await this.guard(async () => {
      const [settings, listing, current] = await Promise.all([
        this.api.call('settings.get', {}),
        this.api.call('library.list', {}),
        this.api.call('lab.current', {}),
      ]);
      this.listing = listing;
      this.screen = settings[SCREEN_KEY] === 'lab' && current !== null ? 'lab' : 'home';
    });
  }

  async refresh(): Promise<void> {
    await this.guard(async () => {
      this.listing = await this.api.call('library.list', {});
    });
  }

  async show(screen: Screen): Promise<void> {
    this.screen = screen;
    this.grading = false;
    await this.guard(async () => {
      await this.api.call('settings.set', { key: SCREEN_KEY, value: screen });
      if (screen === 'home') this.listing = await this.api.call('library.list', {});
    });
  }

  /**
   * "Start" or "Continue" (a student), "Edit as trainer": the core continues the lab's
   * attempt or starts one, in that mode.
   */
  async open(labId: string, as: 'student' | 'trainer' = 'student'): Promise<void> {
    await this.guard(async () => {
      const result = await this.api.call('lab.open', { id: labId, as });
      if (!result.ok) this.problem = { fileName: labId, ...result };
    });
  }

  /** "Grade a class": the library to choose the lab from is read afresh. */
  async startGrading(): Promise<void> {
    this.grading = true;
    await this.grades.load();
  }

  askRestart(card: LibraryCard): void {
    this.question = { kind: 'restart', labId: card.id, title: card.title };
  }

  async importFile(file: File): Promise<void> {
    const text = await file.text();
    await this.importText(text, file.name, 'ask');
  }

  /** The answer to the open question; null cancels it. */
  async answer(choice: 'restart' | 'replace' | 'keep-both' | null): Promise<void> {
    const question = this.question;
    this.question = null;
    if (!question || choice === null) return;
    if (question.kind === 'restart') {
      await this.guard(async () => {
        const result = await this.api.call('attempt.restart', { id: question.labId });
        if (!result.ok) this.problem = { fileName: question.title, ...result };
      });
    } else if (choice !== 'restart') {
      await this.importText(question.text, question.fileName, choice);
    }
  }

  dismissProblem(): void {
    this.problem = null;
  }

  private async importText(
    text: string,
    fileName: string,
    onDuplicate: 'ask' | 'replace' | 'keep-both',
  ): Promise<void> {
    await this.guard(async () => {
      this.problem = null;
      const result = await this.api.call('lab.import', { text, fileName, onDuplicate });
      if (result.ok) return;
      if (result.problem === 'invalid') {
        this.problem = { fileName, message: result.message, violations: result.violations };
        return;
      }
      this.question = {
        kind: 'duplicate',
        text,
        fileName,
        message: result.message,
        existingTitle: result.existing.title,
        canReplace: result.canReplace,
      };
    });
  }

  private async guard(run: () => Promise<void>): Promise<void> {
    try {
      await run();
    } catch (error) {
      this.failure = error instanceof Error && error.message ? error.message : String(error);
    }
  }
}
