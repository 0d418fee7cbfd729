/**
 * Labels show only when they are legible: a label is drawn when its font size times the
 * zoom is at least its `min-zoomed-font-size` (MIN_LABEL_PX CSS px in the stylesheet), so a
 * zoomed-out lab shows its structure and its labels appear as the view closes in, the links'
 * labels (smallest) last, instead of text too small to read.
 *
 * cytoscape 3.34 has the rule but rounds the zoom up to a power of two first (the level of
 * its texture caches): a 12 px label at 51 % zoom passes as if at 100 % and is drawn 6 px
 * tall. This compares with the zoom itself, and when the zoom crosses one of the thresholds
 * it drops the cached layers of the drawing, which hold labels drawn at the old zoom.
 * When cytoscape's internals differ from what this expects, nothing is changed (cytoscape's
 * own rule applies).
 *
 * Between the zoom where a node's id alone is legible and the one where its whole label is,
 * nodes carry the class `names` (the stylesheet draws the id alone, larger): structure and
 * names first, details as the view closes in.
 */
import type cytoscape from 'cytoscape';

type Styled = { pstyle(name: string): { pfValue: number } };

interface LabelRenderer {
  eleTextBiggerThanMin?: (ele: Styled, scale?: number) => boolean;
  data?: { lyrTxrCache?: { invalidateElements?: (eles: cytoscape.Collection) => void } };
  redrawHint?: (group: string, value: boolean) => void;
}

export interface LabelDetail {
  /** Runs `draw` with every label drawn whatever the zoom (a picture of the whole lab). */
  withEveryLabel<T>(draw: () => T): T;
  /** Stops following the zoom. */
  dispose(): void;
}

/**
 * Makes `cy` draw each label only at a zoom where it is at least as large as its
 * `min-zoomed-font-size`; `thresholds` are the zooms at which some label appears (its
 * minimum over its font size), so the cached drawing is redrawn when one is crossed.
 */
export function legibleLabelsOnly(
  cy: cytoscape.Core,
  thresholds: readonly number[],
  names?: { readonly from: number; readonly to: number },
): LabelDetail {
  const inNames = (zoom: number): boolean =>
    names !== undefined && zoom >= names.from - 1e-9 && zoom < names.to - 1e-9;
  let naming = false;
  const nameNodes = (on: boolean): void => {
    naming = on;
    cy.batch(() => {
      if (on) cy.nodes().addClass('names');
      else cy.nodes().removeClass('names');
    });
  };
  const onAdd = (event: cytoscape.EventObject): void => {
    if (naming && event.target.isNode()) event.target.addClass('names');
  };
  if (names) {
    nameNodes(inNames(cy.zoom()));
    cy.on('add', 'node', onAdd);
  }
  const renderer = (cy as unknown as { renderer(): LabelRenderer | undefined }).renderer();
  const layers = renderer?.data?.lyrTxrCache;
  let everyLabel = false;
  const nothing: LabelDetail = { withEveryLabel: (draw) => draw(), dispose: () => undefined };
  if (
    !renderer ||
    typeof renderer.eleTextBiggerThanMin !== 'function' ||
    typeof layers?.invalidateElements !== 'function' ||
    typeof renderer.redrawHint !== 'function'
  )
    return nothing;
  renderer.eleTextBiggerThanMin = (ele) =>
    everyLabel ||
    ele.pstyle('font-size').pfValue * cy.zoom() >=
      ele.pstyle('min-zoomed-font-size').pfValue - 1e-9;
  const tierOf = (zoom: number): number => thresholds.filter((t) => zoom >= t - 1e-9).length;
  let tier = tierOf(cy.zoom());
  const followZoom = (): void => {
    const now = tierOf(cy.zoom());
    if (now === tier) return;
    tier = now;
    if (inNames(cy.zoom()) !== naming) nameNodes(!naming);
    layers.invalidateElements?.(cy.elements());
    renderer.redrawHint?.('eles', true);
  };
  cy.on('zoom', followZoom);
  return {
    // A picture (cy.png) draws every element afresh, past the caches: only the rule changes.
    withEveryLabel(draw) {
      everyLabel = true;
      const wasNaming = naming;
      if (wasNaming) nameNodes(false);
      try {
        return draw();
      } finally {
        everyLabel = false;
        if (wasNaming) nameNodes(true);
      }
    },
    dispose() {
      cy.off('zoom', followZoom);
      cy.off('add', 'node', onAdd);
    },
  };
}
