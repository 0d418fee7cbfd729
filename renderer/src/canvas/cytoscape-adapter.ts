/**
 * The one module that talks to cytoscape. It draws a lab's topology (topology.ts), keeps
 * the drawing in step with new lab values without moving what did not change, mirrors the
 * selection, and turns gestures into callbacks: a tap selects, a drag moves nodes, a drag
 * in connect mode from a VM (or an adapter's link) to a network or nested switch connects.
 *
 * Where a node stands: a move not yet saved, else its position in the lab's `ui` section,
 * else its implicit position (from the lab's own layout, layout.ts, at the first drawing, or
 * where free-spot.ts placed it when added). "Tidy up" lays the lab out again. Labels are
 * drawn only at zooms where they are legible (label-detail.ts).
 * Implicit positions are never forgotten while the canvas lives, so undoing a move or a
 * delete puts things back where they were.
 */
import cytoscape from 'cytoscape';
import type { Lab } from '../../../core/model/lab';
import { assertNever } from '../state/assert-never';
import { readPositions, readViewport, type Viewport } from '../state/editor-ui';
import type { Selection } from '../state/selection';
import { LABEL_ZOOMS, NAMES_TIER, readPalette, stylesheet } from './canvas-style';
import { exportDiagram, type DiagramFormat } from './diagram-export';
import { cheapenFirstStyle } from './first-style';
import { freeChildSpot, freeSpot, type Box, type Enclosure } from './free-spot';
import { legibleLabelsOnly, type LabelDetail } from './label-detail';
import { layoutTopology, type Point } from './layout';
import { drawnBoxes, linkGeometry } from './link-geometry';
import { NODE_SIZE, type Size } from './node-sizes';
import {
  canvasId,
  selectionOf,
  topologyOf,
  type NodeKind,
  type Topology,
  type TopologyEdge,
  type TopologyNode,
} from './topology';
import {
  elementsOf,
  hasChanges,
  topologyChanges,
  type DrawnElements,
  type TopologyChanges,
} from './topology-diff';

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
  /** The user moved nodes; `positions()` has them until `settle()`. */
  onmoved(): void;
  /** A connect gesture ended on a network or nested switch. */
  onconnect(from: Selection, to: Selection): void;
}

export type Direction = 'left' | 'right' | 'up' | 'down';

const FIT_PADDING = 32;
const MAX_FIT_ZOOM = 1.2;
/**
 * How fast the wheel zooms: with cytoscape's default a mouse's notch moves about 3 %, so
 * going from a whole large lab to its labels takes a hundred notches; this makes it 12 %.
 */
const WHEEL_SENSITIVITY = 4;
const GHOST_NODE = 'ghost:pointer';
const GHOST_EDGE = 'ghost:link';

/**
 * Cytoscape injects an inline <style> (`position: relative` for its container) unless an
 * element with this id exists; the page's CSP refuses inline styles, and the canvas
 * component already positions the container, so a marker stands in for it.
 */
function markContainerStyleProvided(): void {
  const id = '__________cytoscape_stylesheet';
  if (document.getElementById(id)) return;
  const marker = document.createElement('meta');
  marker.id = id;
  marker.name = 'cytoscape-container-style';
  marker.content = 'provided by the canvas component';
  document.head.append(marker);
}

type Node = cytoscape.NodeSingular;

export class TopologyCanvas {
  private readonly cy: cytoscape.Core;
  private readonly scheme = window.matchMedia('(prefers-color-scheme: dark)');
  /** The theme chosen in the app (`data-theme` on the root, theme.svelte.ts) restyles too. */
  private readonly themeChoice = new MutationObserver(() => this.restyle());
  private readonly implicit = new Map<string, Point>();
  private readonly unsaved = new Map<string, Point>();
  private saved = new Map<string, Point>();
  private networkOrder = new Map<string, number>();
  private drawnOnce = false;
  private viewportSettled = false;
  private connectMode = false;
  private connectFrom: Selection | null = null;
  private connectTarget: Node | null = null;
  private geometryFrame = 0;
  private movedPending = false;
  private drawnItems: DrawnItem[] = [];
  /** What the canvas shows, as topology: the base the next drawing is compared with. */
  private drawnElements: DrawnElements = new Map();
  private uiKey = '';
  private networkKey = '';
  /** The lab last drawn, which "Tidy up" lays out again. */
  private lab: Lab | null = null;
  private readonly labels: LabelDetail;
  private readonly restyle = (): void => {
    this.cy.style(stylesheet(readPalette(this.container)));
  };

  constructor(
    private readonly container: HTMLElement,
    private readonly callbacks: CanvasCallbacks,
  ) {
    markContainerStyleProvided();
    // cytoscape warns about any wheel sensitivity but its own; this one is chosen (above).
    cytoscape.warnings(false);
    this.cy = cytoscape({
      container,
      style: stylesheet(readPalette(container)),
      layout: { name: 'preset' },
      minZoom: 0.05,
      maxZoom: 3,
      boxSelectionEnabled: false,
      selectionType: 'single',
      textureOnViewport: true,
      pixelRatio: 1,
      wheelSensitivity: WHEEL_SENSITIVITY,
    });
    cytoscape.warnings(true);
    cheapenFirstStyle(this.cy);
    this.labels = legibleLabelsOnly(this.cy, LABEL_ZOOMS, NAMES_TIER);
    this.listen();
    this.scheme.addEventListener('change', this.restyle);
    this.themeChoice.observe(document.documentElement, { attributeFilter: ['data-theme'] });
  }

  /**
   * Brings the drawing to this lab; `placements` says where newly added things go, by lab id
   * (each is taken from the map as its node is placed, so it applies once).
   */
  draw(lab: Lab, placements: Map<string, Point>): DrawnItem[] {
    // One User Timing entry at a time (the bench reads it), so nothing piles up.
    performance.clearMeasures('nestlab:draw');
    performance.mark('nestlab:draw:start');
    const topology = topologyOf(lab);
    this.lab = lab;
    const uiKey = JSON.stringify(lab.ui ?? null);
    const uiChanged = uiKey !== this.uiKey;
    if (uiChanged) {
      this.saved = readPositions(lab.ui);
      this.forgetSavedMoves();
    }
    this.uiKey = uiKey;
    const networkKey = lab.networks.map((n) => n.id).join('\n');
    const networksMoved = networkKey !== this.networkKey;
    if (networksMoved)
      this.networkOrder = new Map(lab.networks.map((n, i) => [canvasId('network', n.id), i]));
    this.networkKey = networkKey;
    const changes = topologyChanges(this.drawnElements, topology);
    this.drawnElements = elementsOf(topology);
    const changed = hasChanges(changes);
    let synced = { added: [] as string[], reshaped: false };
    if (changed)
      this.cy.batch(() => {
        synced = this.sync(changes);
      });
    let placed: string[] = [];
    if (!this.drawnOnce) this.layOutFirst(lab, topology);
    else if (synced.reshaped) placed = this.placeNew(synced.added, placements);
    // Positions and link geometry change only with the shape, the ui section or a move.
    if (!this.drawnOnce || synced.reshaped || networksMoved || uiChanged || this.unsaved.size > 0)
      this.cy.batch(() => {
        this.applyPositions();
        this.updateGeometry();
      });
    if (!this.drawnOnce) {
      this.drawnOnce = true;
      this.settleViewport(readViewport(lab.ui));
    }
    // A node just added may have found free room only outside the view: show it.
    const shown = placed.at(-1);
    if (shown !== undefined) this.revealElement(shown);
    if (changed) this.drawnItems = drawnItemsOf(topology, this.drawnItems);
    performance.measure('nestlab:draw', 'nestlab:draw:start');
    performance.clearMarks('nestlab:draw:start');
    return this.drawnItems;
  }

  select(selection: Selection | null): void {
    const id = selection ? canvasId(selection.kind, selection.id) : null;
    const selected = this.cy.elements(':selected');
    if (selected.length === (id ? 1 : 0) && (!id || selected.id() === id)) return;
    this.cy.batch(() => {
      selected.filter((e) => e.id() !== id).unselect();
      if (id) this.cy.getElementById(id).select();
    });
  }

  /** Brings the element into view when it is outside the visible area. */
  reveal(selection: Selection): void {
    this.revealElement(canvasId(selection.kind, selection.id));
  }

  private revealElement(id: string): void {
    const element = this.cy.getElementById(id);
    if (element.empty()) return;
    const box = element.renderedBoundingBox({});
    const { width, height } = this.size();
    if (box.x1 < 0 || box.y1 < 0 || box.x2 > width || box.y2 > height) this.cy.center(element);
  }

  /** Call when the container changed size. */
  resize(): void {
    this.cy.resize();
    if (this.drawnOnce && !this.viewportSettled) this.settleViewport(undefined);
  }

  destroy(): void {
    cancelAnimationFrame(this.geometryFrame);
    this.scheme.removeEventListener('change', this.restyle);
    this.themeChoice.disconnect();
    this.labels.dispose();
    this.cy.destroy();
  }

  // ——— What the simulation overlay asks of the drawing (container pixels) ———

  /** A node's centre; null when it is not drawn. */
  renderedCentre(id: string): Point | null {
    const node = this.cy.getElementById(id);
    return node.nonempty() && node.isNode() ? { ...node.renderedPosition() } : null;
  }

  /** A node's box without its label; null when it is not drawn. */
  renderedBox(id: string): { x1: number; y1: number; x2: number; y2: number } | null {
    const node = this.cy.getElementById(id);
    if (node.empty() || !node.isNode()) return null;
    const { x1, y1, x2, y2 } = node.renderedBoundingBox({ includeLabels: false });
    return { x1, y1, x2, y2 };
  }

  /** A point along a link, 0 at its source end and 1 at its target end; null when not drawn. */
  renderedAlong(id: string, along: number): Point | null {
    const edge = this.cy.getElementById(id);
    if (edge.empty() || !edge.isEdge()) return null;
    const a = edge.renderedSourceEndpoint();
    const b = edge.renderedTargetEndpoint();
    return { x: a.x + (b.x - a.x) * along, y: a.y + (b.y - a.y) * along };
  }

  /**
   * Every drawn node's box and the box of every label drawn at this zoom (nodes' and
   * links'; one too small to draw takes no room): what the simulation's badges avoid.
   */
  renderedObstacles(): {
    nodes: { id: string; box: Box; compound: boolean }[];
    labels: Box[];
  } {
    const plain = ({ x1, y1, x2, y2 }: Box): Box => ({ x1, y1, x2, y2 });
    const labelOnly = { includeNodes: false, includeEdges: false, includeLabels: true };
    // Drawn as the renderer decides (its size rule, label-detail.ts's when it replaced it).
    const renderer = (
      this.cy as unknown as {
        renderer(): { eleTextBiggerThanMin?(e: cytoscape.SingularElementArgument): boolean };
      }
    ).renderer();
    const shown = (e: cytoscape.SingularElementArgument): boolean =>
      e.visible() &&
      Boolean(e.style('label')) &&
      Number(e.numericStyle('text-opacity')) > 0 &&
      (renderer.eleTextBiggerThanMin?.(e) ?? true);
    const drawn = this.cy.elements().filter((e) => !e.hasClass('ghost'));
    return {
      nodes: drawn.nodes().map((n) => ({
        id: n.id(),
        box: plain(n.renderedBoundingBox({ includeLabels: false, includeOverlays: false })),
        compound: n.isParent(),
      })),
      labels: drawn
        .filter((e: cytoscape.SingularElementArgument) => shown(e))
        .map((e) => plain(e.renderedBoundingBox({ ...labelOnly, includeOverlays: false }))),
    };
  }

  /** Calls `listener` after each time the drawing is rendered (pan, zoom, moves); unsubscribes. */
  onRender(listener: () => void): () => void {
    this.cy.on('render', listener);
    return () => {
      if (!this.cy.destroyed()) this.cy.off('render', listener);
    };
  }

  // ——— What the editor asks of the drawing ———

  /** Where every leaf node stands now, by lab id. */
  positions(): Map<string, Point> {
    const out = new Map<string, Point>();
    this.leaves().forEach((node) => {
      out.set(node.data('ref') as string, { ...node.position() });
    });
    return out;
  }

  viewport(): Viewport {
    return { zoom: this.cy.zoom(), pan: { ...this.cy.pan() } };
  }

  /** The whole lab as a PNG or SVG file (diagram-export.ts); null when nothing is drawn. */
  exportDiagram(format: DiagramFormat, title: string): Promise<Blob> | null {
    if (this.realNodes().empty()) return null;
    const background = getComputedStyle(this.container).getPropertyValue('--canvas-bg').trim();
    return exportDiagram(this.cy, format, { title, background: background || '#ffffff' });
  }

  /** The whole diagram as a PNG data URL, for the feature request (P1); null when empty. */
  png(): string | null {
    if (this.realNodes().empty()) return null;
    // The picture shows the lab, not what happens to be selected.
    const selected = this.cy.elements(':selected');
    selected.unselect();
    // Every label, whatever the zoom the lab is seen at.
    const png = this.labels.withEveryLabel(() =>
      this.cy.png({
        output: 'base64uri',
        full: true,
        bg: getComputedStyle(this.container).getPropertyValue('--canvas-bg').trim() || '#ffffff',
        maxWidth: 1600,
        maxHeight: 1200,
      }),
    );
    selected.select();
    return png;
  }

  zoomBy(factor: number): void {
    const { width, height } = this.size();
    this.cy.zoom({
      level: this.cy.zoom() * factor,
      renderedPosition: { x: width / 2, y: height / 2 },
    });
  }

  /** Fits the nodes in view (their shapes, not their labels: measuring every label is slow). */
  fit(): void {
    const nodes = this.realNodes();
    if (nodes.empty()) return;
    const box = nodes.boundingBox({ includeLabels: false, includeOverlays: false });
    const { width, height } = this.size();
    const zoom = Math.min(
      MAX_FIT_ZOOM,
      (width - 2 * FIT_PADDING) / Math.max(box.w, 1),
      (height - 2 * FIT_PADDING) / Math.max(box.h, 1),
    );
    const level = Math.max(this.cy.minZoom(), Math.min(this.cy.maxZoom(), zoom));
    this.cy.viewport({
      zoom: level,
      pan: {
        x: width / 2 - level * (box.x1 + box.w / 2),
        y: height / 2 - level * (box.y1 + box.h / 2),
      },
    });
  }

  /**
   * Puts every node where the lab's own layout puts it (layout.ts) and fits the view; the
   * new positions stay unsaved until `settle()`.
   */
  tidyUp(): void {
    if (!this.lab) return;
    const layout = layoutTopology(this.lab, topologyOf(this.lab));
    this.leaves().forEach((node) => {
      const p = layout.get(node.id());
      if (p) this.unsaved.set(node.id(), p);
    });
    this.cy.batch(() => {
      this.applyPositions();
      this.updateGeometry();
    });
    this.fit();
  }

  /** Forgets unsaved moves and puts every node where the lab (or its first layout) says. */
  settle(): void {
    this.unsaved.clear();
    this.cy.batch(() => {
      this.applyPositions();
      this.updateGeometry();
    });
  }

  /** The model point under a point of the page. */
  modelPoint(clientX: number, clientY: number): Point {
    const rect = this.container.getBoundingClientRect();
    const pan = this.cy.pan();
    const zoom = this.cy.zoom();
    return { x: (clientX - rect.left - pan.x) / zoom, y: (clientY - rect.top - pan.y) / zoom };
  }

  /** The middle of what is visible, in model coordinates. */
  centre(): Point {
    const { width, height } = this.size();
    const pan = this.cy.pan();
    const zoom = this.cy.zoom();
    return { x: (width / 2 - pan.x) / zoom, y: (height / 2 - pan.y) / zoom };
  }

  /** The innermost node under a model point (a switch before its hypervisor). */
  nodeAt(point: Point): Selection | null {
    let best: Node | null = null;
    let bestDepth = -1;
    this.realNodes().forEach((node) => {
      const box = node.boundingBox({ includeLabels: false, includeOverlays: false });
      const inside =
        point.x >= box.x1 && point.x <= box.x2 && point.y >= box.y1 && point.y <= box.y2;
      const depth = node.ancestors().length + (node.isChildless() ? 1 : 0);
      if (inside && depth > bestDepth) {
        best = node;
        bestDepth = depth;
      }
    });
    return best ? selectionOf((best as Node).id()) : null;
  }

  /**
   * Room for a new node of `kind` near `near` (default: the middle of the view), on top of
   * no other node; a node going inside hypervisor `inside` may overlap that box and the
   * boxes around it, but does not grow them over a neighbour.
   */
  spotFor(kind: NodeKind, near?: Point, inside?: string): Point {
    const parent = inside === undefined ? null : this.cy.getElementById(canvasId('vm', inside));
    const at = near ?? this.centre();
    return parent?.nonempty() && parent.isNode()
      ? this.spotInside(parent, at, NODE_SIZE[kind])
      : freeSpot(at, NODE_SIZE[kind], this.obstacles());
  }

  /** How far to move a copy of a node (with what it holds) so it lands on free room. */
  copyOffset(selection: Selection): Point {
    const node = this.cy.getElementById(canvasId(selection.kind, selection.id));
    if (node.empty() || !node.isNode()) return { x: 60, y: 60 };
    const box = node.boundingBox({ includeLabels: false });
    const centre = { x: (box.x1 + box.x2) / 2, y: (box.y1 + box.y2) / 2 };
    const size = { width: box.w, height: box.h };
    const parent = node.parent();
    const spot = parent.nonempty()
      ? this.spotInside(parent.first(), centre, size)
      : freeSpot(centre, size, this.obstacles());
    return { x: spot.x - centre.x, y: spot.y - centre.y };
  }

  /** Room for a new child of a hypervisor: switches in a row below, nested VMs above. */
  childSpot(hypervisor: string, kind: 'switch' | 'vm'): Point {
    const parent = this.cy.getElementById(canvasId('vm', hypervisor));
    if (parent.empty() || !parent.isNode()) return this.spotFor(kind);
    const children = parent.children();
    const size = NODE_SIZE[kind];
    let wished: Point;
    if (children.empty()) wished = { ...parent.position() };
    else {
      const box = children.boundingBox({ includeLabels: false });
      const same = children.filter((c) => (c.data('kind') === 'switch') === (kind === 'switch'));
      const row = same.nonempty() ? same.boundingBox({ includeLabels: false }) : null;
      wished = row
        ? { x: row.x2 + 60 + size.width / 2, y: (row.y1 + row.y2) / 2 }
        : kind === 'switch'
          ? { x: (box.x1 + box.x2) / 2, y: box.y2 + 110 + size.height / 2 }
          : { x: (box.x1 + box.x2) / 2, y: box.y1 - 110 - size.height / 2 };
    }
    return this.spotInside(parent, wished, size);
  }

  /** Room near `near` for a node of `size` going into `parent` (freeChildSpot). */
  private spotInside(parent: Node, near: Point, size: Size): Point {
    // The hypervisor, then the ones holding it (ancestors() goes outwards).
    const chain = [parent, ...parent.ancestors().map((n) => n as Node)];
    const enclosures: Enclosure[] = chain.map((hypervisor) => {
      const held = new Set([
        hypervisor.id(),
        ...hypervisor.descendants().map((d) => d.id()),
        ...hypervisor.ancestors().map((a) => a.id()),
      ]);
      return { box: hypervisor.boundingBox({ includeLabels: false }), beside: this.boxes(held) };
    });
    const held = new Set(chain.map((n) => n.id()));
    return freeChildSpot(near, size, this.obstacles(held), enclosures);
  }

  /** Moves the selected node (and what it holds) by (dx, dy); unsaved until `settle()`. */
  nudge(selection: Selection, dx: number, dy: number): boolean {
    const node = this.cy.getElementById(canvasId(selection.kind, selection.id));
    if (node.empty() || !node.isNode()) return false;
    const moved = (node as Node).isChildless() ? node : (node as Node).descendants();
    moved.forEach((n) => {
      if (!(n as Node).isChildless()) return;
      const p = (n as Node).position();
      const next = { x: p.x + dx, y: p.y + dy };
      (n as Node).position(next);
      this.unsaved.set(n.id(), next);
    });
    this.scheduleGeometry();
    return true;
  }

  setConnectMode(on: boolean): void {
    this.connectMode = on;
    this.cy.autoungrabify(on);
    this.container.classList.toggle('connecting', on);
    if (!on) this.cancelGesture();
  }

  /** Drops a connect gesture in progress (Escape). */
  cancelGesture(): void {
    this.connectFrom = null;
    this.markTarget(null);
    this.cy.remove(`#${cssId(GHOST_EDGE)}, #${cssId(GHOST_NODE)}`);
    this.cy.userPanningEnabled(true);
  }

  /** Every selectable element in reading order: nodes top to bottom, each with its links. */
  order(): Selection[] {
    const nodes = this.realNodes()
      .toArray()
      .map((n) => ({ n: n as Node, box: (n as Node).boundingBox({ includeLabels: false }) }))
      .sort((a, b) => Math.round(a.box.y1 / 40) - Math.round(b.box.y1 / 40) || a.box.x1 - b.box.x1);
    const out: Selection[] = [];
    for (const { n } of nodes) {
      const own = selectionOf(n.id());
      if (own) out.push(own);
      this.cy
        .edges()
        .filter((e) => e.data('owner') === n.id())
        .forEach((e) => {
          const link = selectionOf(e.id());
          if (link) out.push(link);
        });
    }
    return out;
  }

  /** The nearest node from `from` in a direction, for Alt+arrow selection. */
  nearest(from: Selection, direction: Direction): Selection | null {
    const start = this.cy.getElementById(canvasId(from.kind, from.id));
    if (start.empty()) return null;
    const origin = start.isNode() ? (start as Node).position() : midpoint(start);
    let best: { id: string; score: number } | null = null;
    this.realNodes().forEach((node) => {
      if (node.id() === start.id()) return;
      const p = (node as Node).position();
      const [along, across] = axes(direction, p.x - origin.x, p.y - origin.y);
      if (along <= 1) return;
      const score = along + 2 * Math.abs(across);
      if (!best || score < best.score) best = { id: node.id(), score };
    });
    return best ? selectionOf((best as { id: string }).id) : null;
  }

  // ——— Drawing ———

  private size(): { width: number; height: number } {
    return { width: this.container.clientWidth, height: this.container.clientHeight };
  }

  private realNodes(): cytoscape.NodeCollection {
    return this.cy.nodes().filter((n) => !n.hasClass('ghost'));
  }

  private leaves(): cytoscape.NodeCollection {
    return this.realNodes().filter((n) => n.isChildless());
  }

  private boxes(skip: ReadonlySet<string> = new Set()): Box[] {
    return this.realNodes()
      .filter((n) => !skip.has(n.id()) && (n.isChildless() || n.data('kind') === 'hypervisor'))
      .map((n) => n.boundingBox({ includeLabels: false }));
  }

  /** What a new node must not cover: the nodes' boxes (but `skip`) and the links' labels. */
  private obstacles(skip: ReadonlySet<string> = new Set()): Box[] {
    const labels = this.cy
      .edges()
      .filter((e) => !e.hasClass('ghost') && Boolean(e.data('label')))
      .map((e) => e.boundingBox({ includeNodes: false, includeEdges: false, includeLabels: true }));
    return [...this.boxes(skip), ...labels];
  }

  /**
   * Applies the changes to the elements: removals, then additions in one call each for
   * nodes and edges (cytoscape sets up compound parents within one call), then moves and
   * data. Says which nodes were added and whether the shape changed (what needs placing
   * and new link geometry).
   */
  private sync(changes: TopologyChanges): { added: string[]; reshaped: boolean } {
    const cy = this.cy;
    let { addedNodes, addedEdges } = changes;
    if (changes.removed.length > 0) {
      const removed = new Set(changes.removed);
      cy.elements()
        .filter((e) => removed.has(e.id()) && !e.hasClass('ghost'))
        .remove();
      // Removing a hypervisor removes what it holds: whatever stays in the lab comes back.
      [addedNodes, addedEdges] = this.withLost(addedNodes, addedEdges);
    }
    const again = new Set([...addedNodes, ...addedEdges].map((e) => e.id));
    const at = new Map<string, Point>();
    cy.add(
      addedNodes.map((node) => {
        // A node starts where its hypervisor stands; placing and positions follow.
        const parent = node.parent === undefined ? null : cy.getElementById(node.parent);
        const position: Point =
          (node.parent !== undefined && at.get(node.parent)) ||
          (parent?.nonempty() ? { ...(parent as Node).position() } : { x: 0, y: 0 });
        at.set(node.id, position);
        return { group: 'nodes' as const, data: { ...node }, position: { ...position } };
      }),
    );
    let reshaped = changes.removed.length > 0 || addedNodes.length > 0 || addedEdges.length > 0;
    for (const node of changes.reparented) {
      if (again.has(node.id)) continue;
      reshaped = true;
      cy.getElementById(node.id).move({ parent: node.parent ?? null });
      updateData(cy.getElementById(node.id), nodeData(node));
    }
    for (const element of changes.updated) {
      if (again.has(element.id)) continue;
      const existing = cy.getElementById(element.id);
      if ('source' in element) updateData(existing, edgeData(element));
      else {
        if (existing.data('kind') !== element.kind) reshaped = true;
        updateData(existing, nodeData(element));
      }
    }
    const rewired = changes.rewired.filter((edge) => !again.has(edge.id));
    if (rewired.length > 0) {
      reshaped = true;
      const ids = new Set(rewired.map((edge) => edge.id));
      cy.edges()
        .filter((e) => ids.has(e.id()))
        .remove();
    }
    cy.add(
      [...addedEdges, ...rewired].map((edge) => ({ group: 'edges' as const, data: { ...edge } })),
    );
    return { added: addedNodes.map((node) => node.id), reshaped };
  }

  /** Moves now saved in the lab (to a tenth of a pixel, as `uiWith` rounds) are not pending. */
  private forgetSavedMoves(): void {
    for (const [id, moved] of this.unsaved) {
      const ref = this.drawnElements.get(id)?.ref;
      const saved = ref === undefined ? undefined : this.saved.get(ref);
      if (saved && Math.abs(saved.x - moved.x) <= 0.05 && Math.abs(saved.y - moved.y) <= 0.05)
        this.unsaved.delete(id);
    }
  }

  /** The drawing's elements that are no longer on the canvas, added to those to add. */
  private withLost(
    nodes: readonly TopologyNode[],
    edges: readonly TopologyEdge[],
  ): [TopologyNode[], TopologyEdge[]] {
    const adding = new Set([...nodes, ...edges].map((e) => e.id));
    const lostNodes = [...nodes];
    const lostEdges = [...edges];
    for (const [id, element] of this.drawnElements) {
      if (adding.has(id) || this.cy.getElementById(id).nonempty()) continue;
      if ('source' in element) lostEdges.push(element);
      else lostNodes.push(element);
    }
    return [lostNodes, lostEdges];
  }

  /** The first picture: saved positions, else the lab's own layout (layout.ts). */
  private layOutFirst(lab: Lab, topology: Topology): void {
    const leaves = this.leaves();
    const layout = layoutTopology(lab, topology);
    leaves.forEach((n) => {
      const p = layout.get(n.id());
      if (p) this.implicit.set(n.id(), p);
    });
  }

  /**
   * Gives each newly added leaf its place: the free room the editor chose for it (a node
   * just added), else where it stood before (an undo or redo brings it back), else room
   * near its kin. The editor's choice wins over an old place: a new node that reuses a
   * deleted one's id must not land where that one stood, now perhaps taken. Returns the
   * nodes placed where the editor chose.
   */
  private placeNew(added: readonly string[], placements: Map<string, Point>): string[] {
    const chosen: string[] = [];
    for (const id of added) {
      const node = this.cy.getElementById(id) as Node;
      if (!node.isChildless()) continue;
      const ref = node.data('ref') as string;
      const placed = placements.get(ref);
      if (placed) {
        placements.delete(ref);
        this.saved.delete(ref);
        chosen.push(id);
      } else if (this.implicit.has(id) || this.saved.has(ref)) continue;
      const kind = node.data('kind') as NodeKind;
      const parent = node.parent();
      const spot =
        placed ??
        (parent.nonempty()
          ? this.childSpot(parent.data('ref') as string, kind === 'switch' ? 'switch' : 'vm')
          : this.spotFor(kind));
      this.implicit.set(id, spot);
      node.position(spot);
    }
    // Nodes that were compound and are now alone keep standing where they are.
    this.leaves().forEach((n) => {
      if (!this.implicit.has(n.id())) this.implicit.set(n.id(), { ...n.position() });
    });
    return chosen;
  }

  private applyPositions(): void {
    this.leaves().forEach((node) => {
      const target =
        this.unsaved.get(node.id()) ??
        this.saved.get(node.data('ref') as string) ??
        this.implicit.get(node.id());
      if (!target) return;
      const p = node.position();
      if (Math.abs(p.x - target.x) > 0.01 || Math.abs(p.y - target.y) > 0.01)
        node.position({ x: target.x, y: target.y });
    });
  }

  private updateGeometry(): void {
    const cy = this.cy;
    const links = cy
      .edges()
      .filter((e) => !e.hasClass('ghost'))
      .map((e) => ({
        id: e.id(),
        source: e.data('source') as string,
        target: e.data('target') as string,
      }));
    const nodes = this.realNodes().map((n) => {
      const parent = n.parent();
      return {
        id: n.id(),
        kind: n.data('kind') as NodeKind,
        ...(parent.nonempty() ? { parent: parent.first().id() } : {}),
      };
    });
    const leafAt = (id: string): Point | undefined => {
      const n = cy.getElementById(id);
      return n.nonempty() ? (n as Node).position() : undefined;
    };
    // Boxes from positions, not from cytoscape: its compound boxes lag inside a batch.
    const boxes = drawnBoxes(nodes, leafAt, (id) =>
      Number(cy.getElementById(id).data('barWidth') ?? NODE_SIZE.network.width),
    );
    const geometry = linkGeometry({
      links,
      position: (id) => {
        const n = cy.getElementById(id);
        const box = n.nonempty() && (n as Node).isParent() ? boxes.get(id) : undefined;
        return box ? { x: (box.x1 + box.x2) / 2, y: (box.y1 + box.y2) / 2 } : leafAt(id);
      },
      kind: (id) => cy.getElementById(id).data('kind') as NodeKind | undefined,
      isCompound: (id) => {
        const n = cy.getElementById(id);
        return n.nonempty() && (n as Node).isParent();
      },
      networkOrder: (id) => this.networkOrder.get(id) ?? 0,
      boxes,
      holders: (id) =>
        cy
          .getElementById(id)
          .ancestors()
          .map((a) => a.id()),
    });
    cy.nodes('[kind = "network"]').forEach((n) => {
      updateData(n, { barWidth: geometry.widths.get(n.id()) });
    });
    cy.edges().forEach((e) => {
      if (e.hasClass('ghost')) return;
      updateData(e, {
        sourceEndpoint: geometry.sourceEndpoints.get(e.id()),
        targetEndpoint: geometry.targetEndpoints.get(e.id()),
        labelShift: geometry.labelShifts.get(e.id()),
      });
    });
  }

  private scheduleGeometry(): void {
    if (this.geometryFrame) return;
    this.geometryFrame = requestAnimationFrame(() => {
      this.geometryFrame = 0;
      this.cy.batch(() => this.updateGeometry());
    });
  }

  private settleViewport(saved: Viewport | undefined): void {
    const { width, height } = this.size();
    if (width === 0 || height === 0) return;
    this.viewportSettled = true;
    if (saved) {
      this.cy.viewport({ zoom: saved.zoom, pan: saved.pan });
    } else if (this.realNodes().nonempty()) {
      this.fit();
    } else {
      this.cy.viewport({ zoom: 1, pan: { x: width / 2, y: height / 2 } });
    }
  }

  // ——— Gestures ———

  private listen(): void {
    const cy = this.cy;
    cy.on('tap', (event) => {
      const target = event.target as cytoscape.Core | cytoscape.SingularElementArgument;
      if (target !== cy && (target as cytoscape.SingularElementArgument).hasClass('ghost')) return;
      this.callbacks.onselect(
        target === cy ? null : selectionOf((target as cytoscape.SingularElementArgument).id()),
      );
    });
    cy.on('drag', 'node', () => this.scheduleGeometry());
    cy.on('dragfree', 'node', (event) => this.dragged(event.target as Node));
    cy.on('tapstart', 'node, edge', (event) => this.startConnect(event));
    cy.on('tapdrag', (event) => this.dragConnect(event.position));
    cy.on('tapend', (event) => this.endConnect(event.position));
  }

  private dragged(node: Node): void {
    const moved = node.isChildless() ? node : node.descendants();
    moved.forEach((n) => {
      if ((n as Node).isChildless()) this.unsaved.set(n.id(), { ...(n as Node).position() });
    });
    this.scheduleGeometry();
    // One gesture can free several nodes (a hypervisor and its children): report it once.
    if (this.movedPending) return;
    this.movedPending = true;
    queueMicrotask(() => {
      this.movedPending = false;
      this.callbacks.onmoved();
    });
  }

  private startConnect(event: cytoscape.EventObject): void {
    if (!this.connectMode) return;
    const target = event.target as cytoscape.SingularElementArgument;
    const from = selectionOf(target.id());
    const isSource = from?.kind === 'vm' || from?.kind === 'adapter';
    if (!from || !isSource) return;
    this.connectFrom = from;
    const anchor = target.isEdge() ? (target.data('owner') as string) : target.id();
    this.cy.userPanningEnabled(false);
    this.cy.add([
      {
        group: 'nodes',
        data: { id: GHOST_NODE },
        classes: 'ghost',
        position: { ...event.position },
      },
      {
        group: 'edges',
        data: { id: GHOST_EDGE, source: anchor, target: GHOST_NODE },
        classes: 'ghost',
      },
    ]);
  }

  private dragConnect(position: Point): void {
    if (!this.connectFrom) return;
    this.cy.getElementById(GHOST_NODE).position({ ...position });
    this.markTarget(this.connectTargetAt(position));
  }

  private endConnect(position: Point): void {
    const from = this.connectFrom;
    if (!from) return;
    const target = this.connectTargetAt(position);
    this.cancelGesture();
    const to = target ? selectionOf(target.id()) : null;
    if (to) this.callbacks.onconnect(from, to);
  }

  private connectTargetAt(position: Point): Node | null {
    let found: Node | null = null;
    this.cy.nodes('[kind = "network"], [kind = "switch"]').forEach((node) => {
      const box = node.boundingBox({ includeLabels: false });
      if (
        position.x >= box.x1 &&
        position.x <= box.x2 &&
        position.y >= box.y1 &&
        position.y <= box.y2
      )
        found = node;
    });
    return found;
  }

  private markTarget(node: Node | null): void {
    if (this.connectTarget?.id() === node?.id()) return;
    this.connectTarget?.removeClass('connect-target');
    node?.addClass('connect-target');
    this.connectTarget = node;
  }
}

/** What updateData needs of an element (nodes, edges and collections all have it). */
interface DataHolder {
  data(...args: unknown[]): unknown;
  removeData(...names: string[]): unknown;
}

/** Sets only the fields that changed, so cytoscape restyles only what it must. */
function updateData(element: DataHolder, fields: Record<string, unknown>): void {
  const changed: Record<string, unknown> = {};
  let any = false;
  for (const [key, value] of Object.entries(fields)) {
    if (element.data(key) === value) continue;
    if (value === undefined) element.removeData(key);
    else {
      changed[key] = value;
      any = true;
    }
  }
  if (any) element.data(changed);
}

function nodeData(node: TopologyNode): Record<string, unknown> {
  const { ref, kind, label, detail, power } = node;
  return { ref, kind, label, detail, power };
}

function edgeData(edge: TopologyEdge): Record<string, unknown> {
  const { ref, kind, label, detail, promiscuous, owner } = edge;
  return { ref, kind, label, detail, promiscuous, owner };
}

/**
 * What is drawn, for the topology list: nodes, then links, in the lab's order. Items that
 * did not change are the same objects as last time, so the list redraws only what did.
 */
function drawnItemsOf(topology: Topology, previous: readonly DrawnItem[]): DrawnItem[] {
  const before = new Map(previous.map((item) => [item.id, item]));
  const item = (
    id: string,
    ref: string,
    kind: DrawnItem['kind'],
    detail: string,
    parent: string | null,
  ): DrawnItem => {
    const old = before.get(id);
    return old &&
      old.ref === ref &&
      old.kind === kind &&
      old.detail === detail &&
      old.parent === parent
      ? old
      : { id, ref, kind, detail, parent, selection: selectionOf(id) ?? { kind: 'vm', id } };
  };
  const items = [
    ...topology.nodes.map((n) => item(n.id, n.ref, n.kind, n.detail, n.parent ?? null)),
    ...topology.edges.map((e) => item(e.id, e.ref, e.kind, e.detail, e.owner)),
  ];
  const same = items.length === previous.length && items.every((it, i) => it === previous[i]);
  return same ? (previous as DrawnItem[]) : items;
}

function midpoint(edge: cytoscape.SingularElementArgument): Point {
  const box = edge.boundingBox({ includeLabels: false });
  return { x: (box.x1 + box.x2) / 2, y: (box.y1 + box.y2) / 2 };
}

/** Distance along a direction and across it. */
function axes(direction: Direction, dx: number, dy: number): [number, number] {
  switch (direction) {
    case 'right':
      return [dx, dy];
    case 'left':
      return [-dx, dy];
    case 'down':
      return [dy, dx];
    case 'up':
      return [-dy, dx];
    default:
      return assertNever(direction);
  }
}

function cssId(id: string): string {
  return id.replace(/([:.[\]#])/g, '\\$1');
}
