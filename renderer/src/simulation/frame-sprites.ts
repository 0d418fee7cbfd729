/**
 * The overlay's frames in flight as small bitmaps: each protocol's shape with its white
 * outline, drawn once per pixel ratio and then copied for every frame copy on the way.
 * Copying a small bitmap is far cheaper than filling and stroking a path for each of
 * hundreds of frames in flight, on a canvas rasterised in software when there is no GPU.
 */
import { protocolStyle, traceShape } from './protocols';

/** Half a sprite's side (CSS px): room for the largest shape (r = 6) and its outline. */
const HALF_SIDE = 10;
/** The shapes' half-size and outline, as the overlay draws them (CSS px). */
export const FRAME_RADIUS = 6;
const OUTLINE = 1.5;

export class FrameSprites {
  private readonly sprites = new Map<string, HTMLCanvasElement | null>();
  private ratio = 0;

  /** The sprite for `proto` at device pixel ratio `ratio` (null when no 2D context). */
  get(proto: string, ratio: number): HTMLCanvasElement | null {
    if (ratio !== this.ratio) {
      this.sprites.clear();
      this.ratio = ratio;
    }
    let sprite = this.sprites.get(proto);
    if (sprite === undefined) {
      sprite = draw(proto, ratio);
      this.sprites.set(proto, sprite);
    }
    return sprite;
  }
}

function draw(proto: string, ratio: number): HTMLCanvasElement | null {
  const side = 2 * Math.ceil(HALF_SIDE * ratio);
  const sprite = document.createElement('canvas');
  sprite.width = side;
  sprite.height = side;
  const ctx = sprite.getContext('2d');
  if (!ctx) return null;
  ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
  const style = protocolStyle(proto);
  const centre = side / 2 / ratio;
  traceShape(ctx, style.shape, centre, centre, FRAME_RADIUS);
  ctx.fillStyle = style.colour;
  ctx.fill();
  ctx.lineWidth = OUTLINE;
  ctx.strokeStyle = '#ffffff';
  ctx.stroke();
  return sprite;
}
