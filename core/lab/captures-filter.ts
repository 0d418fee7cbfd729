/** The `captured` / `notCaptured` filters of lab-format.md over a device's capture. */
import type { CaptureFilter } from '../model';
import type { CapturedFrame } from '../sim';
import { Mac } from '../wire/mac';

function sameMac(a: string, b: string): boolean {
  const x = Mac.parse(a);
  const y = Mac.parse(b);
  return x !== null && y !== null && x.value === y.value;
}

export function matchCaptures(
  frames: readonly CapturedFrame[],
  filter: Omit<CaptureFilter, 'at'>,
): CapturedFrame[] {
  return frames.filter((f) => {
    if (filter.src !== undefined && !sameMac(f.src, filter.src)) return false;
    if (filter.dst !== undefined && !sameMac(f.dst, filter.dst)) return false;
    if (filter.proto === undefined) return true;
    if (typeof filter.proto === 'number') return f.etherType === filter.proto;
    // `ipv4` matches every IPv4 frame, ICMP included.
    if (filter.proto === 'ipv4') return f.etherType === 0x0800;
    return f.proto === filter.proto;
  });
}
