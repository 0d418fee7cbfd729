/**
 * Capture points (F6: there is no mirroring, so frames are recorded only where they end or
 * cross): a host records what is delivered to its adapters, a bridge what crosses it (D3).
 * Guarantees: frames are kept in the order they were seen, sharing the packet's bytes, and
 * nothing is recorded when capturing is off.
 */
import type { FrameCopy } from './packet';
import type { CapturedFrame } from './types';

export class CaptureStore {
  private readonly byDevice = new Map<string, CapturedFrame[]>();

  constructor(readonly enabled: boolean) {}

  record(device: string, copy: FrameCopy, port: string, t: number): void {
    if (!this.enabled) return;
    const p = copy.packet;
    const frame: CapturedFrame = {
      t,
      bytes: p.bytes,
      port,
      frame: copy.id,
      origin: copy.origin.id,
      proto: p.proto,
      etherType: p.etherType,
      src: p.srcText,
      dst: p.dstText,
    };
    const list = this.byDevice.get(device);
    if (list === undefined) this.byDevice.set(device, [frame]);
    else list.push(frame);
  }

  get(device: string): readonly CapturedFrame[] {
    return this.byDevice.get(device) ?? [];
  }

  /** Capture points that recorded something, in the order they first did. */
  devices(): string[] {
    return [...this.byDevice.keys()];
  }

  clear(): void {
    this.byDevice.clear();
  }
}
