/**
 * P1: the request's diagram is a small picture (renderer/src/account/diagram-picture.ts):
 * at most 640 × 480 px, WebP at quality 0.7 (JPEG where the browser writes no WebP), lower
 * qualities and then smaller sizes only while it is over the budget, a bounded number of tries.
 */
import { describe, expect, it } from 'vitest';
import {
  DIAGRAM_BUDGET_CHARS,
  fittedSize,
  smallestPicture,
  type Encode,
  type PictureSize,
} from '../../../../renderer/src/account/diagram-picture';

interface Call {
  readonly size: PictureSize;
  readonly type: string;
  readonly quality: number;
}

/** An encoder that records what it was asked and answers a data URL of `length(call)` characters. */
function encoder(
  length: (call: Call) => number,
  writesWebp = true,
): { encode: Encode; calls: Call[] } {
  const calls: Call[] = [];
  const encode: Encode = (size, type, quality) => {
    const call = { size, type, quality };
    calls.push(call);
    const written = type === 'image/webp' && !writesWebp ? 'image/png' : type;
    const prefix = `data:${written};base64,`;
    return prefix + 'A'.repeat(Math.max(0, length(call) - prefix.length));
  };
  return { encode, calls };
}

describe('the diagram attached to a request', () => {
  it('fits in 640 × 480 keeping its shape, and a small one is not enlarged', () => {
    expect(fittedSize({ width: 1600, height: 1200 })).toEqual({ width: 640, height: 480 });
    expect(fittedSize({ width: 1600, height: 400 })).toEqual({ width: 640, height: 160 });
    expect(fittedSize({ width: 600, height: 1200 })).toEqual({ width: 240, height: 480 });
    expect(fittedSize({ width: 300, height: 200 })).toEqual({ width: 300, height: 200 });
  });

  it('is WebP at quality 0.7 when that fits the budget', () => {
    const { encode, calls } = encoder(() => 12_000);
    const picture = smallestPicture({ width: 1600, height: 1200 }, encode);
    expect(picture.startsWith('data:image/webp;base64,')).toBe(true);
    expect(calls).toEqual([
      { size: { width: 640, height: 480 }, type: 'image/webp', quality: 0.7 },
    ]);
  });

  it('is JPEG where the browser writes no WebP', () => {
    const { encode, calls } = encoder(() => 12_000, false);
    const picture = smallestPicture({ width: 1600, height: 1200 }, encode);
    expect(picture.startsWith('data:image/jpeg;base64,')).toBe(true);
    expect(calls.map((c) => c.type)).toEqual(['image/webp', 'image/jpeg']);
  });

  it('lowers the quality, then the size, only while it is over the budget', () => {
    const { encode, calls } = encoder(({ size, quality }) =>
      size.width < 640 && quality === 0.55 ? DIAGRAM_BUDGET_CHARS : DIAGRAM_BUDGET_CHARS + 1,
    );
    const picture = smallestPicture({ width: 1600, height: 1200 }, encode);
    expect(picture).toHaveLength(DIAGRAM_BUDGET_CHARS);
    expect(calls.map((c) => [c.size.width, c.quality])).toEqual([
      [640, 0.7],
      [640, 0.55],
      [640, 0.4],
      [480, 0.7],
      [480, 0.55],
    ]);
  });

  it('keeps the smallest picture made when none fits, after a bounded number of tries', () => {
    const { encode, calls } = encoder(
      ({ size, quality }) => 100_000 + size.width * 10 + quality * 10,
    );
    const picture = smallestPicture({ width: 1600, height: 1200 }, encode);
    expect(calls).toHaveLength(9);
    expect(picture.length).toBe(
      Math.min(...calls.map((c) => Math.floor(100_000 + c.size.width * 10 + c.quality * 10))),
    );
  });
});
