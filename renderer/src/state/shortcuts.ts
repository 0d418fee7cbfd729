/**
 * The editor's keyboard shortcuts, as data: which key does what, and where it applies
 * (anywhere outside a text field, or only while the canvas has focus). The help dialog lists
 * the same table, so what is documented is what is bound.
 */

export type Command =
  | { readonly kind: 'undo' }
  | { readonly kind: 'redo' }
  | { readonly kind: 'save' }
  | { readonly kind: 'copy' }
  | { readonly kind: 'paste' }
  | { readonly kind: 'delete' }
  | { readonly kind: 'escape' }
  | { readonly kind: 'help' }
  | { readonly kind: 'nudge'; readonly dx: number; readonly dy: number }
  | { readonly kind: 'step'; readonly direction: 'left' | 'right' | 'up' | 'down' }
  | { readonly kind: 'zoom-in' }
  | { readonly kind: 'zoom-out' }
  | { readonly kind: 'fit' }
  | { readonly kind: 'connect' }
  | { readonly kind: 'inspect' };

export interface KeyInput {
  readonly key: string;
  readonly ctrlKey: boolean;
  readonly metaKey: boolean;
  readonly shiftKey: boolean;
  readonly altKey: boolean;
}

const NUDGE = 10;
const BIG_NUDGE = 50;

const ARROWS: Readonly<Record<string, 'left' | 'right' | 'up' | 'down'>> = {
  ArrowLeft: 'left',
  ArrowRight: 'right',
  ArrowUp: 'up',
  ArrowDown: 'down',
};

/** Shortcuts that work anywhere except while typing in a field (Ctrl/Cmd+S works there too). */
export function globalCommand(e: KeyInput, typing: boolean): Command | null {
  const mod = e.ctrlKey || e.metaKey;
  const key = e.key.toLowerCase();
  if (mod && key === 's') return { kind: 'save' };
  if (typing) return null;
  if (mod && key === 'z') return e.shiftKey ? { kind: 'redo' } : { kind: 'undo' };
  if (mod && key === 'y') return { kind: 'redo' };
  if (mod && key === 'c') return { kind: 'copy' };
  if (mod && key === 'v') return { kind: 'paste' };
  if (mod || e.altKey) return null;
  if (e.key === 'Delete' || e.key === 'Backspace') return { kind: 'delete' };
  if (e.key === 'Escape') return { kind: 'escape' };
  if (e.key === '?') return { kind: 'help' };
  return null;
}

/** Shortcuts of the focused canvas: arrows nudge, Alt+arrows select, +/−/0 zoom, C connects. */
export function canvasCommand(e: KeyInput): Command | null {
  if (e.ctrlKey || e.metaKey) return null;
  const direction = ARROWS[e.key];
  if (direction) {
    if (e.altKey) return { kind: 'step', direction };
    const step = e.shiftKey ? BIG_NUDGE : NUDGE;
    const dx = direction === 'left' ? -step : direction === 'right' ? step : 0;
    const dy = direction === 'up' ? -step : direction === 'down' ? step : 0;
    return { kind: 'nudge', dx, dy };
  }
  if (e.altKey) return null;
  if (e.key === '+' || e.key === '=') return { kind: 'zoom-in' };
  if (e.key === '-') return { kind: 'zoom-out' };
  if (e.key === '0') return { kind: 'fit' };
  if (e.key.toLowerCase() === 'c') return { kind: 'connect' };
  if (e.key === 'Enter') return { kind: 'inspect' };
  return null;
}

/** The table the help dialog shows. */
export const SHORTCUT_HELP: readonly { readonly keys: string; readonly does: string }[] = [
  { keys: 'Tab, Shift+Tab (in the canvas)', does: 'Select the next or previous element' },
  { keys: 'Alt+arrow keys', does: 'Select the nearest element in that direction' },
  { keys: 'Arrow keys (Shift: further)', does: 'Nudge the selected node' },
  { keys: 'Enter (in the canvas)', does: 'Go to the selected element’s settings' },
  { keys: 'C (in the canvas)', does: 'Connect mode: drag from a VM to a network or switch' },
  { keys: '+  −  0', does: 'Zoom in, zoom out, fit the lab in view' },
  { keys: 'Delete', does: 'Delete the selection (asks when more than one thing goes)' },
  { keys: 'Ctrl/Cmd+Z', does: 'Undo' },
  { keys: 'Ctrl/Cmd+Shift+Z, Ctrl+Y', does: 'Redo' },
  { keys: 'Ctrl/Cmd+C, Ctrl/Cmd+V', does: 'Copy and paste a VM (fresh ids and MACs)' },
  { keys: 'Ctrl/Cmd+S', does: 'Save the lab file' },
  { keys: 'Escape', does: 'Cancel a connection, leave connect mode, clear the selection' },
  { keys: 'Space (Simulate)', does: 'Play or pause the animation' },
  { keys: '.  , (Simulate)', does: 'Step to the next or back to the previous moment' },
  { keys: '↑ ↓ Home End (in the event list)', does: 'Select an event and inspect its frame' },
  { keys: '?', does: 'Show these shortcuts' },
];
