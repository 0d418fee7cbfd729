/**
 * The diagram as an SVG document, from plain records of what the canvas draws (read from
 * cytoscape by diagram-export.ts): hypervisor boxes first, then the links, then the other
 * nodes on top, as cytoscape stacks them. Every label is real SVG text (one <text> per label,
 * one <tspan> per line), so a slide or a handout can search, copy and restyle it, and every
 * element carries its canvas id. Pure: records in, a string out.
 *
 * Written here rather than taken from the `cytoscape-svg` package: that package is GPL-3.0,
 * which an MIT app cannot ship, and it works by replaying cytoscape's private canvas
 * renderer into a canvas-to-SVG shim, so any cytoscape update may break it. The records
 * cover what Nestlab's stylesheet uses (shapes, borders, dashes, icons, wrapped labels with
 * backgrounds); arrowheads, gradients and shadows, which it does not use, are not drawn.
 */
import { shapePath } from './svg-shapes';

export interface Point {
  readonly x: number;
  readonly y: number;
}

export interface Stroke {
  readonly color: string;
  readonly width: number;
  readonly style: 'solid' | 'dashed' | 'dotted' | 'double';
  /** For `dashed`: dash and gap lengths. */
  readonly dash?: readonly number[];
  readonly opacity: number;
}

/** One label, laid out as cytoscape lays it out: a block of lines around an anchor point. */
export interface TextBlock {
  readonly lines: readonly string[];
  readonly anchor: Point;
  /** Where the block sits from the anchor: left of it, centred on it, right of it. */
  readonly halign: 'left' | 'center' | 'right';
  /** Above the anchor, centred on it, below it. */
  readonly valign: 'top' | 'center' | 'bottom';
  /** The widest line's width, for the background box. */
  readonly width: number;
  readonly fontSize: number;
  /** The distance between baselines, px. */
  readonly lineHeight: number;
  readonly fontFamily: string;
  readonly fontWeight: string;
  readonly fontStyle: string;
  readonly color: string;
  readonly opacity: number;
  /** Radians, around the anchor. */
  readonly rotation: number;
  readonly background?: {
    readonly color: string;
    readonly opacity: number;
    readonly padding: number;
    readonly rounded: boolean;
    readonly border?: Stroke;
  };
}

export interface DiagramImage {
  readonly href: string;
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

export interface DiagramNode {
  readonly id: string;
  readonly kind: string;
  readonly shape: string;
  readonly centre: Point;
  readonly width: number;
  readonly height: number;
  readonly fill: string;
  readonly fillOpacity: number;
  readonly border: Stroke | null;
  readonly opacity: number;
  readonly image: DiagramImage | null;
  readonly label: TextBlock | null;
}

export interface DiagramLink {
  readonly id: string;
  readonly kind: string;
  /** From the source's end to the target's, with any bends in between. */
  readonly points: readonly Point[];
  /** `bezier`: the points between the ends are control points of chained quadratic curves. */
  readonly curve: 'lines' | 'bezier';
  readonly line: Stroke;
  readonly opacity: number;
  readonly labels: readonly TextBlock[];
}

export interface Diagram {
  readonly title: string;
  readonly box: {
    readonly x1: number;
    readonly y1: number;
    readonly x2: number;
    readonly y2: number;
  };
  /** null: transparent. */
  readonly background: string | null;
  /** Compound nodes (hypervisors), outermost first: drawn under the links. */
  readonly boxes: readonly DiagramNode[];
  readonly links: readonly DiagramLink[];
  /** Every other node: drawn over the links. */
  readonly nodes: readonly DiagramNode[];
}

/** The margin around the drawing, px. */
export const DIAGRAM_MARGIN = 16;

const f = (n: number): string => String(Math.round(n * 100) / 100);

export function escapeXml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

/**
 * A label's lines as cytoscape wraps them (`text-wrap: wrap`): at each newline, and where a
 * line is wider than `maxWidth`, before the word that would overflow; a single word wider
 * than that stays whole.
 */
export function wrapLines(
  text: string,
  maxWidth: number,
  measure: (line: string) => number,
): string[] {
  const lines: string[] = [];
  for (const paragraph of text.split('\n')) {
    if (measure(paragraph) <= maxWidth) {
      lines.push(paragraph);
      continue;
    }
    let line = '';
    for (const word of paragraph.split(/(?<=[\s\u200b])/)) {
      const tried = line + word;
      if (line !== '' && measure(tried.trimEnd()) > maxWidth) {
        lines.push(line.trimEnd());
        line = word;
      } else line = tried;
    }
    lines.push(line.trimEnd());
  }
  return lines;
}

function strokeAttributes(stroke: Stroke): string {
  const dash =
    stroke.style === 'dashed'
      ? ` stroke-dasharray="${(stroke.dash ?? [6, 3]).map(f).join(' ')}"`
      : stroke.style === 'dotted'
        ? ' stroke-dasharray="1 1"'
        : '';
  const opacity = stroke.opacity < 1 ? ` stroke-opacity="${f(stroke.opacity)}"` : '';
  return `stroke="${escapeXml(stroke.color)}" stroke-width="${f(stroke.width)}"${dash}${opacity}`;
}

function opacityAttribute(opacity: number): string {
  return opacity < 1 ? ` opacity="${f(opacity)}"` : '';
}

/** The top-left corner of a text block's box and its height. */
function blockBox(block: TextBlock): { x: number; y: number; height: number } {
  const height = block.lines.length * block.lineHeight;
  const { x, y } = block.anchor;
  const left =
    block.halign === 'left' ? x - block.width : block.halign === 'center' ? x - block.width / 2 : x;
  const top = block.valign === 'top' ? y - height : block.valign === 'center' ? y - height / 2 : y;
  return { x: left, y: top, height };
}

function textSvg(block: TextBlock): string {
  if (block.lines.length === 0) return '';
  const box = blockBox(block);
  const parts: string[] = [];
  const background = block.background;
  if (background) {
    const p = background.padding;
    const fill =
      background.opacity > 0
        ? `fill="${escapeXml(background.color)}"${background.opacity < 1 ? ` fill-opacity="${f(background.opacity)}"` : ''}`
        : 'fill="none"';
    const stroke = background.border ? ` ${strokeAttributes(background.border)}` : '';
    const radius = background.rounded ? ' rx="2"' : '';
    parts.push(
      `<rect x="${f(box.x - p)}" y="${f(box.y - p)}" width="${f(block.width + 2 * p)}" ` +
        `height="${f(box.height + 2 * p)}"${radius} ${fill}${stroke}/>`,
    );
  }
  const anchor = { left: 'end', center: 'middle', right: 'start' }[block.halign];
  const x =
    block.halign === 'left'
      ? box.x + block.width
      : block.halign === 'center'
        ? box.x + block.width / 2
        : box.x;
  // The alphabetic baseline of a line centred in its line box (cap height about 0.7 em).
  const baseline = (i: number): number =>
    box.y + i * block.lineHeight + block.lineHeight / 2 + 0.35 * block.fontSize;
  const spans = block.lines
    .map((line, i) => `<tspan x="${f(x)}" y="${f(baseline(i))}">${escapeXml(line)}</tspan>`)
    .join('');
  const weight =
    block.fontWeight !== 'normal' ? ` font-weight="${escapeXml(block.fontWeight)}"` : '';
  const style = block.fontStyle !== 'normal' ? ` font-style="${escapeXml(block.fontStyle)}"` : '';
  parts.push(
    `<text text-anchor="${anchor}" font-family="${escapeXml(block.fontFamily)}" ` +
      `font-size="${f(block.fontSize)}"${weight}${style} fill="${escapeXml(block.color)}">${spans}</text>`,
  );
  const rotate =
    block.rotation !== 0
      ? ` transform="rotate(${f((block.rotation * 180) / Math.PI)} ${f(block.anchor.x)} ${f(block.anchor.y)})"`
      : '';
  return `<g class="label"${rotate}${opacityAttribute(block.opacity)}>${parts.join('')}</g>`;
}

function nodeSvg(node: DiagramNode, background: string | null): string {
  const { centre, width, height } = node;
  const d = shapePath(node.shape, centre.x, centre.y, width, height);
  const fillOpacity = node.fillOpacity < 1 ? ` fill-opacity="${f(node.fillOpacity)}"` : '';
  const parts = [`<path d="${d}" fill="${escapeXml(node.fill)}"${fillOpacity} stroke="none"/>`];
  if (node.image) {
    const { href, x, y, width: w, height: h } = node.image;
    parts.push(
      `<image href="${escapeXml(href)}" x="${f(x)}" y="${f(y)}" width="${f(w)}" height="${f(h)}"/>`,
    );
  }
  const border = node.border;
  if (border && border.width > 0) {
    parts.push(`<path d="${d}" fill="none" ${strokeAttributes(border)}/>`);
    // A double border: its middle third shows what lies beneath, as cytoscape punches it out.
    if (border.style === 'double')
      parts.push(
        `<path d="${d}" fill="none" stroke="${escapeXml(background ?? node.fill)}" stroke-width="${f(border.width / 3)}"/>`,
      );
  }
  if (node.label) parts.push(textSvg(node.label));
  return (
    `<g id="${escapeXml(node.id)}" class="node ${escapeXml(node.kind)}"${opacityAttribute(node.opacity)}>` +
    `${parts.join('')}</g>`
  );
}

function linkPath(link: DiagramLink): string {
  const [start, ...rest] = link.points;
  if (!start) return '';
  let d = `M${f(start.x)} ${f(start.y)}`;
  if (link.curve === 'lines' || rest.length < 2) {
    for (const p of rest) d += `L${f(p.x)} ${f(p.y)}`;
    return d;
  }
  // Chained quadratic curves: between two control points, the curve passes their midpoint.
  const end = rest[rest.length - 1] ?? start;
  const controls = rest.slice(0, -1);
  controls.forEach((c, i) => {
    const next = controls[i + 1];
    const to = next ? { x: (c.x + next.x) / 2, y: (c.y + next.y) / 2 } : end;
    d += `Q${f(c.x)} ${f(c.y)} ${f(to.x)} ${f(to.y)}`;
  });
  return d;
}

function linkSvg(link: DiagramLink): string {
  const line =
    link.line.width > 0
      ? `<path d="${linkPath(link)}" fill="none" ${strokeAttributes(link.line)} stroke-linecap="butt"/>`
      : '';
  return (
    `<g id="${escapeXml(link.id)}" class="link ${escapeXml(link.kind)}"${opacityAttribute(link.opacity)}>` +
    `${line}${link.labels.map(textSvg).join('')}</g>`
  );
}

/** The whole diagram as a standalone SVG document, sized 1 SVG unit to 1 canvas pixel. */
export function diagramSvg(diagram: Diagram): string {
  const m = DIAGRAM_MARGIN;
  const x = diagram.box.x1 - m;
  const y = diagram.box.y1 - m;
  const width = diagram.box.x2 - diagram.box.x1 + 2 * m;
  const height = diagram.box.y2 - diagram.box.y1 + 2 * m;
  const background = diagram.background
    ? `<rect class="background" x="${f(x)}" y="${f(y)}" width="${f(width)}" height="${f(height)}" fill="${escapeXml(diagram.background)}"/>`
    : '';
  const body = [
    ...diagram.boxes.map((n) => nodeSvg(n, diagram.background)),
    ...diagram.links.map(linkSvg),
    ...diagram.nodes.map((n) => nodeSvg(n, diagram.background)),
  ].join('\n');
  return (
    `<?xml version="1.0" encoding="UTF-8"?>\n` +
    `<svg xmlns="http://www.w3.org/2000/svg" version="1.1" width="${f(width)}" height="${f(height)}" ` +
    `viewBox="${f(x)} ${f(y)} ${f(width)} ${f(height)}">\n` +
    `<title>${escapeXml(diagram.title)}</title>\n${background}\n${body}\n</svg>\n`
  );
}
