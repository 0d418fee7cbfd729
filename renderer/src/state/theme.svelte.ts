/**
 * The app's colour theme: light, dark, or the system's (the default). The choice is kept in
 * the `ui.theme` setting through the api, so it follows the user across restarts in Electron
 * and under the web host alike, and is shown as `data-theme` on the document root, where
 * app.css lets it override the system's `prefers-color-scheme`. The canvas follows too: it
 * restyles when that attribute changes.
 */
import type { ApiClient } from '../../../core/api/contract';

export const THEMES = ['system', 'light', 'dark'] as const;
export type ThemeChoice = (typeof THEMES)[number];

export const THEME_KEY = 'ui.theme';

export function isThemeChoice(value: unknown): value is ThemeChoice {
  return typeof value === 'string' && (THEMES as readonly string[]).includes(value);
}

/** Shows a choice on the document root; app.css reads it. */
export function applyTheme(choice: ThemeChoice, root: HTMLElement = document.documentElement) {
  root.dataset.theme = choice;
}

/**
 * A call that failed because the connection ended: the app's banner says so already, and
 * the theme shown stays as it is (only keeping it across a restart is lost).
 */
function connectionGone(): null {
  return null;
}

export class Theme {
  choice = $state<ThemeChoice>('system');
  /** The user chose before the kept choice arrived: theirs wins. */
  private chosen = false;

  constructor(private readonly api: ApiClient) {
    applyTheme(this.choice);
  }

  /** Reads the kept choice; an unknown or missing value is the system's theme. */
  async start(): Promise<void> {
    const settings = await this.api.call('settings.get', {}).catch(connectionGone);
    if (!settings || this.chosen) return;
    const kept = settings[THEME_KEY];
    this.show(isThemeChoice(kept) ? kept : 'system');
  }

  /** Shows the choice at once, then keeps it. */
  async choose(choice: ThemeChoice): Promise<void> {
    this.chosen = true;
    this.show(choice);
    await this.api.call('settings.set', { key: THEME_KEY, value: choice }).catch(connectionGone);
  }

  private show(choice: ThemeChoice): void {
    this.choice = choice;
    applyTheme(choice);
  }
}
