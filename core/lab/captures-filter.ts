/**
 * The `captured` / `notCaptured` filters of lab-format.md, compiled once: MACs compared as MACs
 * (any separator or case), `proto` by name (`ipv4` takes ICMP too) or EtherType number. The same
 * test counts frames as the simulator records them (objective checks) and filters a device's
 * stored capture.
 */
import type { CaptureFilter } from '../model';
import type { CaptureFacts, CapturedFrame } from '../sim';
import { Mac } from '../wire/mac';

/** A test for one filter; a MAC in the filter that does not parse matches nothing. */
export function captureTest(filter: Omit<CaptureFilter, 'at'>): (frame: CaptureFacts) => boolean {
  const src = filter.src === undefined ? undefined : (Mac.parse(filter.src)?.value ?? null);
  const dst = filter.dst === undefined ? undefined : (Mac.parse(filter.dst)?.value ?? null);
  const proto = filter.proto;
  return (f) => {
    if (src !== undefined && f.src !== src) return false;
    if (dst !== undefined && f.dst !== dst) return false;
    if (proto === undefined) return true;
    if (typeof proto === 'number') return f.etherType === proto;
    // `ipv4` matches every IPv4 frame, ICMP included.
    if (proto === 'ipv4') return f.etherType === 0x0800;
    return f.proto === proto;
  };
}

export function matchCaptures(
  frames: readonly CapturedFrame[],
  filter: Omit<CaptureFilter, 'at'>,
): CapturedFrame[] {
  const test = captureTest(filter);
  return frames.filter((f) =>
    test({
      src: Mac.parse(f.src)?.value ?? -1,
      dst: Mac.parse(f.dst)?.value ?? -1,
      proto: f.proto,
      etherType: f.etherType,
      port: f.port,
    }),
  );
}
