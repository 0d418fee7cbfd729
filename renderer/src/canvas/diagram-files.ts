/**
 * The exported diagram's files, as pure choices: their formats and types, their names (after
 * the lab file) and the PNG's scale (twice the canvas's pixels, less for a lab so large the
 * picture would pass MAX_PNG_PIXELS).
 */

export type DiagramFormat = 'png' | 'svg';

export const DIAGRAM_TYPES: Readonly<Record<DiagramFormat, string>> = {
  png: 'image/png',
  svg: 'image/svg+xml',
};

/** The PNG's scale: twice the canvas's pixels, sharp on a projector and in print. */
export const PNG_SCALE = 2;
/** Above this many pixels (about 8,000 × 5,000) the PNG is made smaller, so it can be encoded. */
export const MAX_PNG_PIXELS = 40_000_000;

/** `e1-nested-vm-out.lab.yaml` → `e1-nested-vm-out.png`. */
export function diagramFileName(labFileName: string, format: DiagramFormat): string {
  const base = labFileName
    .replace(/^.*[\\/]/, '')
    .replace(/(\.lab)?\.ya?ml$/i, '')
    .trim();
  return `${base || 'diagram'}.${format}`;
}

/** The PNG's scale for a drawing of this size: PNG_SCALE, or less to stay within MAX_PNG_PIXELS. */
export function pngScale(width: number, height: number): number {
  const area = Math.max(1, width * height);
  return Math.min(PNG_SCALE, Math.sqrt(MAX_PNG_PIXELS / area));
}
