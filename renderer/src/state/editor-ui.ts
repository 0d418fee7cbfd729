/**
 * The lab file's `ui:` section, which only the editor reads (lab-format.md: the core and the
 * CLI ignore it): `positions` of nodes by lab id and the `viewport` (zoom and pan). The
 * section is free-form in the file, so everything read here is checked, and writing keeps
 * any other keys a newer editor may have put there.
 */
import type { ForbiddenKey } from '../../../core/lab/yaml-scan';

export interface Point {
  readonly x: number;
  readonly y: number;
}

export interface Viewport {
  readonly zoom: number;
  readonly pan: Point;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function pointOf(value: unknown): Point | undefined {
  if (!isRecord(value)) return undefined;
  const { x, y } = value;
  return typeof x === 'number' && typeof y === 'number' && Number.isFinite(x) && Number.isFinite(y)
    ? { x, y }
    : undefined;
}

export function readPositions(ui: unknown): Map<string, Point> {
  const out = new Map<string, Point>();
  const positions = isRecord(ui) ? ui.positions : undefined;
  if (!isRecord(positions)) return out;
  for (const [ref, value] of Object.entries(positions)) {
    const point = pointOf(value);
    if (point) out.set(ref, point);
  }
  return out;
}

export function readViewport(ui: unknown): Viewport | undefined {
  const viewport = isRecord(ui) ? ui.viewport : undefined;
  if (!isRecord(viewport)) return undefined;
  const pan = pointOf(viewport.pan);
  const zoom = viewport.zoom;
  return pan && typeof zoom === 'number' && zoom > 0 && Number.isFinite(zoom)
    ? { zoom, pan }
    : undefined;
}

const round = (n: number): number => Math.round(n * 10) / 10;

/**
 * Ids that a lab file cannot hold as keys (core/lab/yaml-scan.ts), so the core refuses a ui
 * that has them: a node with such an id keeps the place the canvas gives it, unsaved.
 */
const NOT_KEYS: Readonly<Record<ForbiddenKey, true>> = {
  ['__proto__']: true,
  constructor: true,
  prototype: true,
};

/** The `ui` section with these positions (and viewport, when given), other keys kept. */
export function uiWith(
  ui: unknown,
  positions: ReadonlyMap<string, Point>,
  viewport?: Viewport,
): Record<string, unknown> {
  const base = isRecord(ui) ? { ...ui } : {};
  const sorted = [...positions.entries()]
    .filter(([ref]) => !Object.hasOwn(NOT_KEYS, ref))
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  base.positions = Object.fromEntries(
    sorted.map(([ref, p]) => [ref, { x: round(p.x), y: round(p.y) }] as const),
  );
  if (viewport) {
    base.viewport = {
      zoom: Math.round(viewport.zoom * 1000) / 1000,
      pan: { x: round(viewport.pan.x), y: round(viewport.pan.y) },
    };
  }
  return base;
}

/** True when `positions` already says exactly this about every ref in `next`. */
export function samePositions(
  saved: ReadonlyMap<string, Point>,
  next: ReadonlyMap<string, Point>,
): boolean {
  if (saved.size !== next.size) return false;
  for (const [ref, p] of next) {
    const q = saved.get(ref);
    if (!q || Math.abs(q.x - round(p.x)) > 0.05 || Math.abs(q.y - round(p.y)) > 0.05) return false;
  }
  return true;
}
