/**
 * What the user has selected: one thing of the lab, named by its kind and lab id. The
 * canvas, the topology list, the inspector and the problems list all speak this.
 */

export type SelectionKind = 'adapter' | 'vm' | 'network' | 'switch' | 'external';

export interface Selection {
  readonly kind: SelectionKind;
  readonly id: string;
}

export const SELECTION_KINDS: readonly SelectionKind[] = [
  'adapter',
  'vm',
  'network',
  'switch',
  'external',
];

export function sameSelection(a: Selection | null, b: Selection | null): boolean {
  return a?.kind === b?.kind && a?.id === b?.id;
}
