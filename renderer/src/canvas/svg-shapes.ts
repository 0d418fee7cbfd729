/**
 * Node outlines as SVG path data, drawn the way cytoscape draws its node shapes (the same
 * unit polygons, corner radii and cut corners), for the SVG export (diagram-svg.ts). A shape
 * it does not know is drawn as a round rectangle: every node is still a box with its label.
 * Pure: numbers in, a path string out.
 */

/** Corner points of a shape in a unit square from (−1, −1) to (1, 1), y down. */
type UnitPolygon = readonly number[];

/** A regular polygon stretched to the unit square, as cytoscape's `generateUnitNgonPointsFitToSquare`. */
function ngon(sides: number): UnitPolygon {
  const step = (2 * Math.PI) / sides;
  const start = sides % 2 === 0 ? Math.PI / 2 + step / 2 : Math.PI / 2;
  const points: number[] = [];
  for (let i = 0; i < sides; i++) {
    const angle = start + i * step;
    points.push(Math.cos(angle), -Math.sin(angle));
  }
  const xs = points.filter((_, i) => i % 2 === 0);
  const ys = points.filter((_, i) => i % 2 === 1);
  const sx = 2 / (Math.max(...xs) - Math.min(...xs));
  const sy = 2 / (Math.max(...ys) - Math.min(...ys));
  return points.map((v, i) => (i % 2 === 0 ? v * sx : v * sy));
}

const POLYGONS: Readonly<Record<string, UnitPolygon>> = {
  triangle: ngon(3),
  pentagon: ngon(5),
  hexagon: ngon(6),
  heptagon: ngon(7),
  octagon: ngon(8),
  diamond: [0, 1, 1, 0, 0, -1, -1, 0],
  tag: [-1, -1, 0.25, -1, 1, 0, 0.25, 1, -1, 1],
  vee: [-1, -1, 0, -0.333, 1, -1, 0, 1],
  rhomboid: [-1, -1, 0.333, -1, 1, 1, -0.333, 1],
  'right-rhomboid': [-0.333, -1, 1, -1, 0.333, 1, -1, 1],
  'concave-hexagon': [-1, -0.95, -0.75, 0, -1, 0.95, 1, 0.95, 0.75, 0, 1, -0.95],
};

/** cytoscape's defaults: `getRoundRectangleRadius`, `getRoundPolygonRadius`, the cut corner. */
const roundRectangleRadius = (w: number, h: number): number => Math.min(w / 4, h / 4, 8);
const roundPolygonRadius = (w: number, h: number): number => Math.min(w / 10, h / 10, 8);
const CUT_CORNER = 8;

const f = (n: number): string => String(Math.round(n * 100) / 100);

function points(polygon: UnitPolygon, cx: number, cy: number, w: number, h: number): number[][] {
  const out: number[][] = [];
  for (let i = 0; i < polygon.length; i += 2)
    out.push([cx + ((polygon[i] ?? 0) * w) / 2, cy + ((polygon[i + 1] ?? 0) * h) / 2]);
  return out;
}

function polygonPath(corners: readonly number[][]): string {
  return corners.map(([x = 0, y = 0], i) => `${i === 0 ? 'M' : 'L'}${f(x)} ${f(y)}`).join('') + 'Z';
}

/** A polygon whose corners are rounded off by `radius` (at most half of each side). */
function roundedPolygonPath(corners: readonly number[][], radius: number): string {
  const n = corners.length;
  let d = '';
  for (let i = 0; i < n; i++) {
    const [px = 0, py = 0] = corners[(i + n - 1) % n] ?? [];
    const [x = 0, y = 0] = corners[i] ?? [];
    const [nx = 0, ny = 0] = corners[(i + 1) % n] ?? [];
    const inLength = Math.hypot(x - px, y - py) || 1;
    const outLength = Math.hypot(nx - x, ny - y) || 1;
    const r = Math.min(radius, inLength / 2, outLength / 2);
    const ax = x + ((px - x) * r) / inLength;
    const ay = y + ((py - y) * r) / inLength;
    const bx = x + ((nx - x) * r) / outLength;
    const by = y + ((ny - y) * r) / outLength;
    d += `${i === 0 ? 'M' : 'L'}${f(ax)} ${f(ay)}Q${f(x)} ${f(y)} ${f(bx)} ${f(by)}`;
  }
  return d + 'Z';
}

function ellipsePath(cx: number, cy: number, w: number, h: number): string {
  const rx = w / 2;
  const ry = h / 2;
  return (
    `M${f(cx - rx)} ${f(cy)}A${f(rx)} ${f(ry)} 0 1 0 ${f(cx + rx)} ${f(cy)}` +
    `A${f(rx)} ${f(ry)} 0 1 0 ${f(cx - rx)} ${f(cy)}Z`
  );
}

function cutRectanglePath(cx: number, cy: number, w: number, h: number): string {
  const c = Math.min(CUT_CORNER, w / 2, h / 2);
  const [l, r, t, b] = [cx - w / 2, cx + w / 2, cy - h / 2, cy + h / 2];
  return polygonPath([
    [l + c, t],
    [r - c, t],
    [r, t + c],
    [r, b - c],
    [r - c, b],
    [l + c, b],
    [l, b - c],
    [l, t + c],
  ]);
}

function rectangleCorners(cx: number, cy: number, w: number, h: number): number[][] {
  return points([-1, -1, 1, -1, 1, 1, -1, 1], cx, cy, w, h);
}

/** The outline of a node of this cytoscape shape, centred on (cx, cy), w × h. */
export function shapePath(shape: string, cx: number, cy: number, w: number, h: number): string {
  const name = shape.replace(/^round(?!-)/, 'round-').replace(/^cut(?!-)/, 'cut-');
  if (name === 'ellipse') return ellipsePath(cx, cy, w, h);
  if (name === 'rectangle' || name === 'square') return polygonPath(rectangleCorners(cx, cy, w, h));
  if (name === 'cut-rectangle') return cutRectanglePath(cx, cy, w, h);
  if (name.startsWith('round-') && name !== 'round-rectangle') {
    const polygon = POLYGONS[name.slice('round-'.length)];
    if (polygon) return roundedPolygonPath(points(polygon, cx, cy, w, h), roundPolygonRadius(w, h));
  }
  const polygon = POLYGONS[name];
  if (polygon) return polygonPath(points(polygon, cx, cy, w, h));
  return roundedPolygonPath(rectangleCorners(cx, cy, w, h), roundRectangleRadius(w, h));
}
