/**
 * How big the diagram attached to a promiscuous-mode request (P1) may be, as pure choices:
 * the lab file keeps it (`account.request.diagram`), so it is at most 640 × 480 px, WebP
 * (JPEG where the browser cannot write WebP) at quality 0.7; should that still exceed
 * DIAGRAM_BUDGET_CHARS, lower qualities and then smaller sizes are tried, a bounded number
 * of times, and the smallest picture is kept. The drawing itself is compact-diagram.ts's.
 * The file format's own limit (lab-format.md, `diagramLength`) is unchanged.
 */

export const DIAGRAM_MAX_WIDTH = 640;
export const DIAGRAM_MAX_HEIGHT = 480;
/** A data URL this long is about 22 KB of picture. */
export const DIAGRAM_BUDGET_CHARS = 30_000;
const QUALITIES = [0.7, 0.55, 0.4] as const;
/** Each smaller size tried is this share of the one before. */
const SHRINK = 0.75;
const SIZES_TRIED = 3;

export interface PictureSize {
  readonly width: number;
  readonly height: number;
}

/** The size that fits in max × max keeping the aspect ratio; never larger than the source. */
export function fittedSize(
  source: PictureSize,
  maxWidth = DIAGRAM_MAX_WIDTH,
  maxHeight = DIAGRAM_MAX_HEIGHT,
): PictureSize {
  const scale = Math.min(1, maxWidth / source.width, maxHeight / source.height);
  return {
    width: Math.max(1, Math.round(source.width * scale)),
    height: Math.max(1, Math.round(source.height * scale)),
  };
}

/** Draws the picture at a size and encodes it; answers a data URL (of any type it managed). */
export type Encode = (size: PictureSize, type: string, quality: number) => string;

/**
 * The first encoding under the budget, trying WebP (or JPEG, once the encoder shows it
 * cannot write WebP) at falling qualities and then smaller sizes; else the smallest made.
 */
export function smallestPicture(source: PictureSize, encode: Encode): string {
  let type = 'image/webp';
  let smallest: string | null = null;
  let size = fittedSize(source);
  for (let attempt = 0; attempt < SIZES_TRIED; attempt++) {
    for (const quality of QUALITIES) {
      let picture = encode(size, type, quality);
      if (type === 'image/webp' && !picture.startsWith('data:image/webp')) {
        type = 'image/jpeg';
        picture = encode(size, type, quality);
      }
      if (picture.length <= DIAGRAM_BUDGET_CHARS) return picture;
      if (smallest === null || picture.length < smallest.length) smallest = picture;
    }
    size = fittedSize(size, size.width * SHRINK, size.height * SHRINK);
  }
  return smallest ?? '';
}
