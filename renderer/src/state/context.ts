/**
 * The editor's state, shared with feature components through Svelte context keyed by a
 * Symbol (as svelte.dev's REPL does), so panels deep in the inspector reach the Workspace
 * without every component in between passing it along.
 */
import { getContext, setContext } from 'svelte';
import type { Editor } from './editor.svelte';
import type { Workspace } from './workspace.svelte';

export interface EditorContext {
  readonly workspace: Workspace;
  readonly editor: Editor;
}

const KEY = Symbol('nestlab-editor');

export function provideEditor(context: EditorContext): void {
  setContext(KEY, context);
}

export function useEditor(): EditorContext {
  const context = getContext<EditorContext | undefined>(KEY);
  if (!context) throw new Error('useEditor() outside the editor view');
  return context;
}
