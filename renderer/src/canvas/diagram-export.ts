/**
 * The diagram as a file a trainer puts on a slide or in a handout: the whole lab (not only
 * what the view shows), drawn as at 100 % with nothing selected, on the canvas's background,
 * with a margin. PNG is cytoscape's own picture at twice the size (`cy.png`, full graph,
 * scale 2, less for a lab so large the picture would pass MAX_PNG_PIXELS), framed; it is the
 * SVG's drawing at twice its size. SVG is diagram-svg.ts's document, made from what cytoscape
 * computed for each element (positions, sizes, shapes, colours, label placement). The
 * viewport and selection are put back before anything is drawn again.
 */
import type cytoscape from 'cytoscape';
import {
  DIAGRAM_MARGIN,
  diagramSvg,
  wrapLines,
  type Diagram,
  type DiagramImage,
  type DiagramLink,
  type DiagramNode,
  type Point,
  type Stroke,
  type TextBlock,
} from './diagram-svg';
import { DIAGRAM_TYPES, pngScale, type DiagramFormat } from './diagram-files';

export type { DiagramFormat } from './diagram-files';

export interface DiagramOptions {
  readonly title: string;
  /** The canvas's background colour; null: transparent. */
  readonly background: string | null;
}

export async function exportDiagram(
  cy: cytoscape.Core,
  format: DiagramFormat,
  options: DiagramOptions,
): Promise<Blob> {
  if (format === 'svg') {
    const svg = asDrawn(cy, () => diagramSvg(readDiagram(cy, options)));
    return new Blob([svg], { type: DIAGRAM_TYPES.svg });
  }
  const { picture, scale } = asDrawn(cy, () => {
    const box = drawnElements(cy).boundingBox({});
    const scale = pngScale(box.w + 2 * DIAGRAM_MARGIN, box.h + 2 * DIAGRAM_MARGIN);
    const picture = cy.png({
      output: 'blob',
      full: true,
      scale,
      ...(options.background ? { bg: options.background } : {}),
    });
    return { picture, scale };
  });
  return framed(picture, Math.round(DIAGRAM_MARGIN * scale), options.background);
}

/**
 * The picture with a margin around it, as the SVG has: cytoscape crops the full graph to the
 * drawing's very edge, which a slide or a page should not.
 */
async function framed(picture: Blob, margin: number, background: string | null): Promise<Blob> {
  const bitmap = await createImageBitmap(picture);
  const canvas = new OffscreenCanvas(bitmap.width + 2 * margin, bitmap.height + 2 * margin);
  const context = canvas.getContext('2d');
  if (!context) return picture;
  if (background) {
    context.fillStyle = background;
    context.fillRect(0, 0, canvas.width, canvas.height);
  }
  context.drawImage(bitmap, margin, margin);
  bitmap.close();
  return canvas.convertToBlob({ type: DIAGRAM_TYPES.png });
}

/**
 * Runs `draw` with the drawing at 100 % (cytoscape leaves out labels too small at the current
 * zoom, and a large lab is shown zoomed out) and nothing selected, then puts both back.
 */
function asDrawn<T>(cy: cytoscape.Core, draw: () => T): T {
  const viewport = { zoom: cy.zoom(), pan: { ...cy.pan() } };
  const selected = cy.elements(':selected');
  selected.unselect();
  cy.viewport({ zoom: 1, pan: viewport.pan });
  try {
    return draw();
  } finally {
    cy.viewport(viewport);
    selected.select();
  }
}

function drawnElements(cy: cytoscape.Core): cytoscape.CollectionReturnValue {
  return cy
    .elements()
    .filter((e) => !e.hasClass('ghost') && e.visible() && e.effectiveOpacity() > 0);
}

// ——— Reading what cytoscape drew ———

type Element = cytoscape.SingularElementArgument;

/** The first layer of a style that may have several (background images). */
function first<T>(value: T | readonly T[]): T | undefined {
  return Array.isArray(value) ? (value as readonly T[])[0] : (value as T);
}

function num(ele: Element, property: string, fallback = 0): number {
  const value: unknown = first(ele.numericStyle(property) as unknown);
  return typeof value === 'number' && Number.isFinite(value) ? value : fallback;
}

function str(ele: Element, property: string): string {
  const value: unknown = ele.style(property);
  return typeof value === 'string' ? value : '';
}

function stroke(ele: Element, prefix: 'border' | 'line' | 'text-border'): Stroke | null {
  const width = num(ele, prefix === 'line' ? 'width' : `${prefix}-width`);
  if (width <= 0) return null;
  const style = str(ele, prefix === 'line' ? 'line-style' : `${prefix}-style`);
  const pattern: unknown = ele.numericStyle(
    `${prefix === 'text-border' ? 'border' : prefix}-dash-pattern`,
  );
  return {
    color: str(ele, `${prefix}-color`),
    width,
    style: style === 'dashed' || style === 'dotted' || style === 'double' ? style : 'solid',
    ...(Array.isArray(pattern) ? { dash: pattern.filter((n) => typeof n === 'number') } : {}),
    opacity: num(ele, prefix === 'line' ? 'line-opacity' : `${prefix}-opacity`, 1),
  };
}

type Measure = (text: string, font: string) => number;

function canvasMeasure(): Measure {
  const context = document.createElement('canvas').getContext('2d');
  return (text, font) => {
    if (!context) return text.length * 7;
    context.font = font;
    return context.measureText(text).width;
  };
}

/** An element's main label (or its source or target label on a link), laid out at `anchor`. */
function textBlock(
  ele: Element,
  prefix: '' | 'source-' | 'target-',
  anchor: Point,
  placement: Pick<TextBlock, 'halign' | 'valign' | 'rotation'>,
  measure: Measure,
): TextBlock | null {
  const text = str(ele, `${prefix}label`);
  if (text.trim() === '' || num(ele, 'text-opacity', 1) === 0) return null;
  const fontSize = num(ele, 'font-size', 12);
  const fontStyle = str(ele, 'font-style') || 'normal';
  const fontWeight = str(ele, 'font-weight') || 'normal';
  const fontFamily = str(ele, 'font-family') || 'sans-serif';
  const font = `${fontStyle} ${fontWeight} ${fontSize}px ${fontFamily}`;
  const wrap = str(ele, 'text-wrap');
  const lines =
    wrap === 'wrap'
      ? wrapLines(text, num(ele, 'text-max-width', Infinity), (line) => measure(line, font))
      : [text.replace(/\n/g, ' ')];
  const backgroundOpacity = num(ele, 'text-background-opacity');
  const border = stroke(ele, 'text-border');
  const shape = str(ele, 'text-background-shape');
  return {
    lines,
    anchor: {
      x: anchor.x + num(ele, `${prefix}text-margin-x`),
      y: anchor.y + num(ele, `${prefix}text-margin-y`),
    },
    ...placement,
    width: Math.max(...lines.map((line) => measure(line, font))),
    fontSize,
    lineHeight: fontSize * num(ele, 'line-height', 1),
    fontFamily,
    fontWeight,
    fontStyle,
    color: str(ele, 'color'),
    opacity: num(ele, 'text-opacity', 1),
    ...(backgroundOpacity > 0 || border
      ? {
          background: {
            color: str(ele, 'text-background-color'),
            opacity: backgroundOpacity,
            padding: num(ele, 'text-background-padding'),
            rounded: shape === 'roundrectangle' || shape === 'round-rectangle',
            ...(border && border.opacity > 0 ? { border } : {}),
          },
        }
      : {}),
  };
}

function nodeImage(
  node: cytoscape.NodeSingular,
  width: number,
  height: number,
): DiagramImage | null {
  const href = str(node, 'background-image').split(/\s+/)[0] ?? '';
  if (href === '' || href === 'none') return null;
  const w = num(node, 'background-width', NaN);
  const h = num(node, 'background-height', NaN);
  if (!Number.isFinite(w) || !Number.isFinite(h)) return null;
  const { x, y } = node.position();
  const along = (property: string, room: number, size: number): number => {
    const value = num(node, property);
    const unit: unknown = first(node.numericStyleUnits(property) as unknown);
    return unit === '%' ? (room - size) * value : value;
  };
  return {
    href,
    x: x - width / 2 + along('background-position-x', width, w),
    y: y - height / 2 + along('background-position-y', height, h),
    width: w,
    height: h,
  };
}

const NODE_HALIGN = { left: 'left', right: 'right' } as const;
const NODE_VALIGN = { top: 'top', bottom: 'bottom' } as const;

function nodeRecord(node: cytoscape.NodeSingular, measure: Measure): DiagramNode {
  const borderWidth = num(node, 'border-width');
  const borderPosition = str(node, 'border-position');
  const borderShare = borderPosition === 'inside' ? 0 : borderPosition === 'outside' ? 2 : 1;
  // The body with its padding: the outer size less the border drawn outside it.
  const width = node.outerWidth() - borderShare * borderWidth;
  const height = node.outerHeight() - borderShare * borderWidth;
  const centre = { ...node.position() };
  const halign = NODE_HALIGN[str(node, 'text-halign') as keyof typeof NODE_HALIGN] ?? 'center';
  const valign = NODE_VALIGN[str(node, 'text-valign') as keyof typeof NODE_VALIGN] ?? 'center';
  const anchor = {
    x: centre.x + (halign === 'left' ? -width / 2 : halign === 'right' ? width / 2 : 0),
    y: centre.y + (valign === 'top' ? -height / 2 : valign === 'bottom' ? height / 2 : 0),
  };
  return {
    id: node.id(),
    kind: String(node.data('kind') ?? 'node'),
    shape: str(node, 'shape'),
    centre,
    width,
    height,
    fill: str(node, 'background-color'),
    fillOpacity: num(node, 'background-opacity', 1),
    border: stroke(node, 'border'),
    opacity: node.effectiveOpacity(),
    image: nodeImage(node, width, height),
    label: textBlock(node, '', anchor, { halign, valign, rotation: 0 }, measure),
  };
}

function linkPoints(edge: cytoscape.EdgeSingular): {
  points: Point[];
  curve: DiagramLink['curve'];
} {
  const start = edge.sourceEndpoint();
  const end = edge.targetEndpoint();
  const style = str(edge, 'curve-style');
  if (/segments|taxi/.test(style)) {
    const bends = (edge.segmentPoints() as Point[] | undefined) ?? [];
    return { points: [start, ...bends, end], curve: 'lines' };
  }
  if (/bezier/.test(style)) {
    const controls = (edge.controlPoints() as Point[] | undefined) ?? [];
    return { points: [start, ...controls, end], curve: controls.length > 0 ? 'bezier' : 'lines' };
  }
  return { points: [start, end], curve: 'lines' };
}

/** A point `distance` along the path from its start (or from its end, going back). */
function along(points: readonly Point[], distance: number, fromEnd: boolean): Point {
  const path = fromEnd ? [...points].reverse() : points;
  let left = distance;
  for (let i = 1; i < path.length; i++) {
    const a = path[i - 1] as Point;
    const b = path[i] as Point;
    const length = Math.hypot(b.x - a.x, b.y - a.y);
    if (length >= left && length > 0)
      return { x: a.x + ((b.x - a.x) * left) / length, y: a.y + ((b.y - a.y) * left) / length };
    left -= length;
  }
  return path[path.length - 1] ?? { x: 0, y: 0 };
}

function labelRotation(edge: cytoscape.EdgeSingular, start: Point, end: Point): number {
  const rotation = str(edge, 'text-rotation');
  if (rotation === 'autorotate') {
    const dx = end.x - start.x;
    return dx === 0 ? Math.PI / 2 : Math.atan((end.y - start.y) / dx);
  }
  return rotation === 'none' || rotation === '' ? 0 : num(edge, 'text-rotation');
}

function linkRecord(edge: cytoscape.EdgeSingular, measure: Measure): DiagramLink {
  const { points, curve } = linkPoints(edge);
  const start = points[0] ?? edge.sourceEndpoint();
  const end = points[points.length - 1] ?? edge.targetEndpoint();
  const centred = { halign: 'center', valign: 'center' } as const;
  const labels = [
    textBlock(
      edge,
      '',
      edge.midpoint(),
      { ...centred, rotation: labelRotation(edge, start, end) },
      measure,
    ),
    textBlock(
      edge,
      'source-',
      along(points, num(edge, 'source-text-offset'), false),
      { ...centred, rotation: 0 },
      measure,
    ),
    textBlock(
      edge,
      'target-',
      along(points, num(edge, 'target-text-offset'), true),
      { ...centred, rotation: 0 },
      measure,
    ),
  ].filter((label): label is TextBlock => label !== null);
  return {
    id: edge.id(),
    kind: String(edge.data('kind') ?? 'edge'),
    points,
    curve,
    line: stroke(edge, 'line') ?? { color: 'none', width: 0, style: 'solid', opacity: 0 },
    opacity: edge.effectiveOpacity(),
    labels,
  };
}

/** What the canvas draws, as records for diagram-svg.ts. */
export function readDiagram(cy: cytoscape.Core, options: DiagramOptions): Diagram {
  const measure = canvasMeasure();
  const shown = drawnElements(cy);
  const box = shown.boundingBox({});
  const nodes: cytoscape.NodeSingular[] = [];
  shown.nodes().forEach((n) => {
    nodes.push(n);
  });
  const depth = (n: cytoscape.NodeSingular): number => n.ancestors().length;
  const boxes = nodes.filter((n) => n.isParent()).sort((a, b) => depth(a) - depth(b));
  return {
    title: options.title,
    box: { x1: box.x1, y1: box.y1, x2: box.x2, y2: box.y2 },
    background: options.background,
    boxes: boxes.map((n) => nodeRecord(n, measure)),
    links: shown.edges().map((e) => linkRecord(e, measure)),
    nodes: nodes.filter((n) => !n.isParent()).map((n) => nodeRecord(n, measure)),
  };
}
