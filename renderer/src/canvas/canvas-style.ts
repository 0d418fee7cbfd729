/**
 * The canvas's stylesheet as data: colours from the page's `--canvas-*` custom properties
 * (so light and dark both work), the icons of the one icon set as images, and the shapes
 * that tell kinds apart without colour: bars for networks, hexagons for nested switches,
 * double-bordered cut rectangles for bridges, boxes for hypervisors, dashed outlines for VMs
 * that are not running, thick solid lines for promiscuous adapters (with ◉ in the label).
 */
import type cytoscape from 'cytoscape';
import { iconDataUri, type IconName } from '../icons/icons';
import {
  COMPOUND_PADDING,
  COMPOUND_TITLE_OFFSET,
  barMinWidth,
  FONT_SIZE,
  MIN_LABEL_PX,
  NAME_FONT,
  NODE_LINE_HEIGHT,
  NODE_SIZE,
  titleWidth,
} from './node-sizes';
import type { NodeKind } from './topology';

const PALETTE_VARIABLES = [
  'text',
  'muted',
  'surface',
  'border',
  'network',
  'network-border',
  'hypervisor',
  'hypervisor-border',
  'switch',
  'bridge',
  'external',
  'edge',
  'edge-promiscuous',
  'label-bg',
  'selected',
  'target',
] as const;

export type Palette = Record<(typeof PALETTE_VARIABLES)[number], string>;

const FONT = 'system-ui, -apple-system, "Segoe UI", Roboto, sans-serif';

const KIND_ICON: Readonly<Record<NodeKind, IconName>> = {
  network: 'network',
  vm: 'vm',
  bridge: 'bridge',
  hypervisor: 'hypervisor',
  switch: 'switch',
  external: 'external',
};

export function readPalette(element: HTMLElement): Palette {
  const style = getComputedStyle(element);
  const entries = PALETTE_VARIABLES.map((name) => {
    const value = style.getPropertyValue(`--canvas-${name}`).trim();
    return [name, value || '#888888'] as const;
  });
  return Object.fromEntries(entries) as Palette;
}

type Css = Record<string, unknown>;

/**
 * A transparent image for nodes that show no icon. cytoscape 3.34 restyles a node without
 * any background image twice on every draw (its `:backgrounding` state flips between the
 * two image passes of drawNode), which made each edit on a 1,000-node lab restyle every
 * node; a node with a loaded image keeps that state steady.
 */
const NO_IMAGE =
  'data:image/svg+xml;utf8,' +
  encodeURIComponent('<svg xmlns="http://www.w3.org/2000/svg" width="1" height="1"/>');

/** A network bar's width: what the link geometry asked for, and room for its label. */
function barWidth(node: cytoscape.NodeSingular): number {
  const asked = Number(node.data('barWidth') ?? 0);
  return Math.max(asked, barMinWidth(String(node.data('label') ?? '')));
}

function sized(kind: NodeKind): Css {
  return { width: NODE_SIZE[kind].width, height: NODE_SIZE[kind].height };
}

/** The kind's icon at the left of the box, the label centred in the room beside it. */
function icon(kind: NodeKind, p: Palette): Css {
  return {
    'background-image': iconDataUri(KIND_ICON[kind], p.muted),
    'background-width': 16,
    'background-height': 16,
    'background-fit': 'none',
    'background-clip': 'none',
    'background-position-x': '8px',
    'background-position-y': '50%',
    'text-margin-x': 11,
    'text-max-width': `${NODE_SIZE[kind].width - 36}px`,
  };
}

/**
 * The zooms at which labels appear, smallest first: each font's size at that zoom is
 * MIN_LABEL_PX CSS px (label-detail.ts draws a label only from there).
 */
export const LABEL_ZOOMS: readonly number[] = [
  MIN_LABEL_PX / NAME_FONT,
  MIN_LABEL_PX / FONT_SIZE.network,
  MIN_LABEL_PX / FONT_SIZE.node,
  MIN_LABEL_PX / FONT_SIZE.link,
];

/** The zooms of the names tier (label-detail.ts): from the id's legibility to the label's. */
export const NAMES_TIER = {
  from: MIN_LABEL_PX / NAME_FONT,
  to: MIN_LABEL_PX / FONT_SIZE.node,
} as const;

/** The names tier: a node's id alone, larger, cut with an ellipsis to its box. */
const NAMES_RULE = {
  selector: 'node.names',
  style: {
    label: 'data(ref)',
    'font-size': NAME_FONT,
    'font-weight': 600,
    'text-wrap': 'ellipsis',
    'text-max-width': (node: cytoscape.NodeSingular) => `${Math.max(40, node.width() - 60)}px`,
  },
};

function nodeRules(p: Palette): { selector: string; style: Css }[] {
  return [
    {
      selector: 'node',
      style: {
        label: 'data(label)',
        'text-wrap': 'wrap',
        'text-valign': 'center',
        'text-halign': 'center',
        'font-family': FONT,
        'font-size': FONT_SIZE.node,
        'line-height': NODE_LINE_HEIGHT,
        // Labels too small to read are not drawn (label-detail.ts): a zoomed-out lab shows
        // its structure, and its labels appear as the view closes in.
        'min-zoomed-font-size': MIN_LABEL_PX,
        color: p.text,
        'background-color': p.surface,
        'border-color': p.border,
        'border-width': 1.5,
        shape: 'round-rectangle',
        ...sized('vm'),
        ...icon('vm', p),
      },
    },
    {
      selector: 'node[kind = "network"]',
      style: {
        shape: 'round-rectangle',
        'background-color': p.network,
        'border-color': p['network-border'],
        'border-width': 2,
        'font-weight': 'bold',
        'font-size': FONT_SIZE.network,
        ...sized('network'),
        ...icon('network', p),
        // As wide as what attaches to it (link-geometry.ts), and as its label's lines.
        width: barWidth,
        'text-max-width': (node: cytoscape.NodeSingular) => `${barWidth(node) - 66}px`,
      },
    },
    {
      selector: 'node[kind = "bridge"]',
      style: {
        shape: 'cut-rectangle',
        'background-color': p.bridge,
        'border-width': 3,
        'border-style': 'double',
        ...sized('bridge'),
        ...icon('bridge', p),
      },
    },
    {
      selector: 'node[kind = "switch"]',
      style: {
        shape: 'round-hexagon',
        'background-color': p.switch,
        ...sized('switch'),
        ...icon('switch', p),
        'text-max-width': '150px',
        'background-position-x': '22px',
      },
    },
    {
      selector: 'node[kind = "external"]',
      style: {
        shape: 'round-tag',
        'background-color': p.external,
        'border-style': 'dotted',
        'border-width': 2,
        ...sized('external'),
        ...icon('external', p),
      },
    },
    {
      selector: 'node[kind = "hypervisor"]',
      style: {
        shape: 'round-rectangle',
        'background-color': p.hypervisor,
        'border-color': p['hypervisor-border'],
        'border-width': 2,
        'font-weight': 'bold',
        ...sized('hypervisor'),
        ...icon('hypervisor', p),
      },
    },
    {
      // A hypervisor holding something: its title on one line at the top, inside its
      // padding, and its box at least as wide as the title.
      selector: 'node[kind = "hypervisor"]:parent',
      style: {
        'text-valign': 'top',
        'text-margin-y': COMPOUND_TITLE_OFFSET,
        'text-margin-x': 0,
        'text-max-width': '2000px',
        'background-image': NO_IMAGE,
        padding: `${COMPOUND_PADDING}px`,
        'min-width': (node: cytoscape.NodeSingular) =>
          Math.max(0, titleWidth(String(node.data('label') ?? '')) - 2 * COMPOUND_PADDING),
      },
    },
    {
      // Stopped and suspended VMs: a dashed outline besides the "■ stopped" in the label.
      selector: 'node[power != "running"][power]',
      style: { 'border-style': 'dashed', 'background-opacity': 0.6 },
    },
  ];
}

function edgeRules(p: Palette): { selector: string; style: Css }[] {
  return [
    {
      selector: 'edge',
      style: {
        label: 'data(label)',
        'curve-style': 'straight',
        width: 2,
        'line-color': p.edge,
        'line-style': 'dashed',
        'line-dash-pattern': [7, 4],
        'font-family': FONT,
        'font-size': FONT_SIZE.link,
        'min-zoomed-font-size': MIN_LABEL_PX,
        'text-wrap': 'wrap',
        color: p.text,
        'text-background-color': p['label-bg'],
        'text-background-opacity': 0.94,
        'text-background-padding': '3px',
        'text-background-shape': 'roundrectangle',
        'text-border-color': p.border,
        'text-border-width': 1,
        'text-border-opacity': 1,
      },
    },
    { selector: 'edge[targetEndpoint]', style: { 'target-endpoint': 'data(targetEndpoint)' } },
    { selector: 'edge[sourceEndpoint]', style: { 'source-endpoint': 'data(sourceEndpoint)' } },
    // A link that takes a lane between rows of VMs has its label just outside its VM.
    { selector: 'edge[labelShift]', style: { 'text-margin-y': 'data(labelShift)' } },
    {
      // Promiscuous adapters: a thick solid line besides the "◉ promiscuous" in the label.
      selector: 'edge[?promiscuous]',
      style: {
        width: 5,
        'line-style': 'solid',
        'line-color': p['edge-promiscuous'],
        'text-border-color': p['edge-promiscuous'],
        'text-border-width': 2,
      },
    },
  ];
}

function stateRules(p: Palette): { selector: string; style: Css }[] {
  return [
    {
      selector: ':selected',
      style: {
        'overlay-color': p.selected,
        'overlay-opacity': 0.16,
        'overlay-padding': 8,
        'border-color': p.selected,
        'border-width': 3,
      },
    },
    {
      // A selected hypervisor: its outline, not a wash over everything it holds.
      selector: 'node:parent:selected',
      style: { 'overlay-opacity': 0.04 },
    },
    {
      selector: 'edge:selected',
      style: { 'line-color': p.selected, 'text-border-color': p.selected, 'text-border-width': 2 },
    },
    {
      selector: '.connect-target',
      style: {
        'overlay-color': p.target,
        'overlay-opacity': 0.25,
        'overlay-padding': 10,
        'border-color': p.target,
        'border-width': 3,
      },
    },
    {
      selector: '.ghost',
      style: { width: 1, height: 1, opacity: 0, label: '', events: 'no' },
    },
    {
      selector: 'edge.ghost',
      style: {
        width: 3,
        opacity: 1,
        'line-color': p.target,
        'line-style': 'dashed',
        'curve-style': 'straight',
        label: '',
        events: 'no',
      },
    },
  ];
}

export function stylesheet(p: Palette): cytoscape.StylesheetStyle[] {
  return [
    ...nodeRules(p),
    NAMES_RULE,
    ...edgeRules(p),
    ...stateRules(p),
  ] as cytoscape.StylesheetStyle[];
}
