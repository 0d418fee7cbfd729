/**
 * The sizes of what the canvas draws, in model pixels, shared by the layout, the link
 * geometry, free-room search and the stylesheet, so each computes with the boxes cytoscape
 * draws. Text sizes are chosen with the zoom at which each label shows (canvas-style.ts):
 * at 100 % every label is at least 11 CSS px.
 */
import type { NodeKind } from './topology';

export interface Size {
  readonly width: number;
  readonly height: number;
}

/**
 * Leaf node sizes. A VM's box holds two lines of 12 px text beside its icon (three when a
 * line wraps); a network's is the shortest its bar gets (the link geometry widens it).
 */
export const NODE_SIZE: Readonly<Record<NodeKind, Size>> = {
  network: { width: 230, height: 44 },
  vm: { width: 160, height: 54 },
  bridge: { width: 160, height: 54 },
  switch: { width: 200, height: 56 },
  external: { width: 160, height: 54 },
  /** A hypervisor with nothing inside yet; with children its box wraps them. */
  hypervisor: { width: 200, height: 64 },
};

/**
 * Space a hypervisor's box keeps around its children on every side; the top one holds its
 * title (cytoscape pads a compound node evenly).
 */
export const COMPOUND_PADDING = 26;

/** Where a hypervisor's title sits below the top of its box (inside the padding). */
export const COMPOUND_TITLE_OFFSET = 21;

/**
 * How wide a hypervisor's one-line bold title is, from its text alone (no DOM here): a
 * generous 7.4 px a character at 12 px, plus a margin each side. Its box is at least this
 * wide, so the title never sticks out over a neighbour.
 */
export function titleWidth(label: string): number {
  return Math.ceil([...label].length * 7.4) + 2 * 14;
}

/**
 * The shortest a network's bar may be for its label (name, then addressing) to stay on its
 * lines: its longest line at a generous 8 px a character (13 px bold), its icon and margins.
 */
export function barMinWidth(label: string): number {
  const longest = Math.max(0, ...label.split('\n').map((line) => [...line].length));
  return Math.max(NODE_SIZE.network.width, Math.ceil(longest * 8) + 70);
}

/** Font sizes (model px) and the smallest size (CSS px) at which any label is drawn. */
export const FONT_SIZE = { network: 13, node: 12, link: 11 } as const;
export const MIN_LABEL_PX = 11;
/**
 * Below the zoom where node labels are legible, a node shows its id alone in this larger font
 * (the names tier), so a small lab fitted into a small canvas (E5 in Simulate, at ~58 %) still
 * says which node is which; below 11 / NAME_FONT it shows nothing.
 */
export const NAME_FONT = 20;

/** Line height of node labels, in font sizes. */
export const NODE_LINE_HEIGHT = 1.25;

/** Height of one adapter label (four lines of link text, padding and border). */
export const LINK_LABEL_HEIGHT = 4 * FONT_SIZE.link + 2 * 3 + 2;

/** Between a node and the bar or switch its links reach: room for a link's label. */
export const LINK_GAP = LINK_LABEL_HEIGHT + 20;
