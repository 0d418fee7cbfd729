/**
 * The one module that talks to cytoscape. It draws a lab's topology (topology.ts) at the
 * positions of layout.ts, keeps the drawing in step with new lab values without moving
 * what did not change, mirrors the workspace's selection, reports taps as selections, and
 * takes its colours from the page's CSS custom properties so light and dark both work.
 */
import cytoscape from 'cytoscape';
import type { Lab } from '../../../core/model/lab';
import type { Selection } from '../state/workspace.svelte';
import { COMPOUND_PADDING, layoutTopology, NODE_SIZE, type Layout } from './layout';
import { canvasId, selectionOf, topologyOf, type NodeKind, type Topology } from './topology';

/** One element as drawn, for the accessible topology list. */
export interface DrawnItem {
  readonly id: string;
  readonly ref: string;
  readonly kind: NodeKind | 'adapter' | 'uplink';
  readonly detail: string;
  /** For a node: its compound parent; for an edge: the VM that owns the adapter. */
  readonly parent: string | null;
  readonly selection: Selection;
}

export interface CanvasCallbacks {
  onselect(selection: Selection | null): void;
}

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
  'edge',
  'edge-promiscuous',
  'label-bg',
  'selected',
] as const;

type Palette = Record<(typeof PALETTE_VARIABLES)[number], string>;

const FONT = 'system-ui, -apple-system, "Segoe UI", Roboto, sans-serif';

/**
 * Cytoscape injects an inline <style> (`position: relative` for its container) unless an
 * element with this id exists; the page's CSP refuses inline styles, and app.css already
 * positions the container, so a marker stands in for it.
 */
function markContainerStyleProvided(): void {
  const id = '__________cytoscape_stylesheet';
  if (document.getElementById(id)) return;
  const marker = document.createElement('meta');
  marker.id = id;
  marker.name = 'cytoscape-container-style';
  marker.content = 'provided by app.css';
  document.head.append(marker);
}

export class TopologyCanvas {
  private readonly cy: cytoscape.Core;
  private readonly scheme = window.matchMedia('(prefers-color-scheme: dark)');
  private nodeShape = '';
  private readonly restyle = (): void => {
    this.cy.style(stylesheet(readPalette(this.container)));
  };

  constructor(
    private readonly container: HTMLElement,
    callbacks: CanvasCallbacks,
  ) {
    markContainerStyleProvided();
    this.cy = cytoscape({
      container,
      style: stylesheet(readPalette(container)),
      layout: { name: 'preset' },
      minZoom: 0.25,
      maxZoom: 2.5,
      boxSelectionEnabled: false,
      selectionType: 'single',
    });
    this.cy.on('tap', (event) => {
      const target = event.target as cytoscape.Core | cytoscape.SingularElementArgument;
      callbacks.onselect(
        target === this.cy ? null : selectionOf((target as cytoscape.SingularElementArgument).id()),
      );
    });
    this.scheme.addEventListener('change', this.restyle);
  }

  /** Brings the drawing to this lab; lays it out afresh only when its nodes changed. */
  draw(lab: Lab): DrawnItem[] {
    const topology = topologyOf(lab);
    const shape = topology.nodes.map((n) => `${n.id}<${n.parent ?? ''}`).join('|');
    this.cy.batch(() => this.sync(topology));
    if (shape !== this.nodeShape) {
      this.nodeShape = shape;
      this.lay(layoutTopology(lab, topology));
    }
    return this.drawn();
  }

  private lay(layout: Layout): void {
    this.cy.batch(() => {
      for (const [id, width] of layout.networkWidths)
        this.cy.getElementById(id).data('barWidth', width);
      for (const edge of this.cy.edges()) {
        edge.data({
          targetEndpoint: layout.targetEndpoints.get(edge.id()),
          sourceEndpoint: layout.sourceEndpoints.get(edge.id()),
        });
      }
    });
    this.cy
      .layout({
        name: 'preset',
        positions: (node: cytoscape.NodeSingular) => layout.positions.get(node.id()) ?? null,
        fit: true,
        padding: 40,
        animate: false,
      } as cytoscape.LayoutOptions)
      .run();
  }

  select(selection: Selection | null): void {
    const id = selection ? canvasId(selection.kind, selection.id) : null;
    this.cy.batch(() => {
      this.cy
        .elements(':selected')
        .filter((e) => e.id() !== id)
        .unselect();
      if (id) this.cy.getElementById(id).select();
    });
  }

  /** Call when the container changed size. */
  resize(): void {
    this.cy.resize();
    this.cy.fit(undefined, 40);
  }

  destroy(): void {
    this.scheme.removeEventListener('change', this.restyle);
    this.cy.destroy();
  }

  private sync(topology: Topology): void {
    const wanted = new Set([...topology.nodes, ...topology.edges].map((e) => e.id));
    this.cy
      .elements()
      .filter((e) => !wanted.has(e.id()))
      .remove();
    for (const node of topology.nodes) {
      const existing = this.cy.getElementById(node.id);
      if (existing.nonempty() && (existing.data('parent') ?? undefined) !== node.parent) {
        existing.remove();
      }
      const { ref, kind, label, detail, power } = node;
      if (this.cy.getElementById(node.id).nonempty()) {
        existing.data({ ref, kind, label, detail, power });
      } else this.cy.add({ group: 'nodes', data: { ...node } });
    }
    for (const edge of topology.edges) {
      const existing = this.cy.getElementById(edge.id);
      const { ref, kind, label, detail, promiscuous, owner } = edge;
      const same =
        existing.nonempty() &&
        existing.data('source') === edge.source &&
        existing.data('target') === edge.target;
      if (same) existing.data({ ref, kind, label, detail, promiscuous, owner });
      else {
        existing.remove();
        this.cy.add({ group: 'edges', data: { ...edge } });
      }
    }
  }

  private drawn(): DrawnItem[] {
    return this.cy.elements().map((element) => {
      const data = element.data() as Record<string, string | undefined>;
      const id = element.id();
      return {
        id,
        ref: data.ref ?? id,
        kind: (data.kind ?? 'vm') as DrawnItem['kind'],
        detail: data.detail ?? '',
        parent: (element.isEdge() ? data.owner : data.parent) ?? null,
        selection: selectionOf(id) ?? { kind: 'vm', id },
      };
    });
  }
}

function readPalette(container: HTMLElement): Palette {
  const style = getComputedStyle(container);
  const entries = PALETTE_VARIABLES.map((name) => {
    const value = style.getPropertyValue(`--canvas-${name}`).trim();
    return [name, value || '#888888'] as const;
  });
  return Object.fromEntries(entries) as Palette;
}

function stylesheet(p: Palette): cytoscape.StylesheetStyle[] {
  const leaf = (kind: keyof typeof NODE_SIZE) => ({
    width: NODE_SIZE[kind].width,
    height: NODE_SIZE[kind].height,
  });
  return [
    {
      selector: 'node',
      style: {
        label: 'data(label)',
        'text-wrap': 'wrap',
        'text-max-width': '160px',
        'text-valign': 'center',
        'text-halign': 'center',
        'font-family': FONT,
        'font-size': 12,
        'line-height': 1.35,
        color: p.text,
        'background-color': p.surface,
        'border-color': p.border,
        'border-width': 1.5,
        shape: 'round-rectangle',
        ...leaf('vm'),
      },
    },
    {
      selector: 'node[kind = "network"]',
      style: {
        shape: 'barrel',
        'background-color': p.network,
        'border-color': p['network-border'],
        'border-width': 2,
        'font-weight': 'bold',
        'text-max-width': '210px',
        ...leaf('network'),
      },
    },
    { selector: 'node[kind = "network"][barWidth]', style: { width: 'data(barWidth)' } },
    {
      selector: 'node[kind = "bridge"]',
      style: {
        shape: 'cut-rectangle',
        'background-color': p.bridge,
        'border-width': 3,
        'border-style': 'double',
        ...leaf('bridge'),
      },
    },
    {
      selector: 'node[kind = "switch"]',
      style: {
        shape: 'round-hexagon',
        'background-color': p.switch,
        'text-max-width': '130px',
        ...leaf('switch'),
      },
    },
    {
      selector: 'node[kind = "hypervisor"]',
      style: {
        shape: 'round-rectangle',
        'background-color': p.hypervisor,
        'border-color': p['hypervisor-border'],
        'border-width': 2,
        'text-valign': 'top',
        'text-halign': 'center',
        'text-margin-y': 24,
        'text-max-width': '400px',
        'font-weight': 'bold',
        padding: `${COMPOUND_PADDING}px`,
      },
    },
    {
      // Stopped and suspended VMs: a dashed outline besides the "■ stopped" in the label.
      selector: 'node[power != "running"][power]',
      style: { 'border-style': 'dashed', 'background-opacity': 0.55 },
    },
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
        'font-size': 11,
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
    {
      // Promiscuous adapters: a thick solid line besides the "promiscuous ✓" in the label.
      selector: 'edge[?promiscuous]',
      style: { width: 5, 'line-style': 'solid', 'line-color': p['edge-promiscuous'] },
    },
    {
      selector: ':selected',
      style: {
        'overlay-color': p.selected,
        'overlay-opacity': 0.18,
        'overlay-padding': 8,
        'border-color': p.selected,
        'border-width': 3,
      },
    },
    {
      selector: 'edge:selected',
      style: { 'line-color': p.selected, 'text-border-color': p.selected, 'text-border-width': 2 },
    },
  ] as cytoscape.StylesheetStyle[];
}
