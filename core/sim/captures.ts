/**
 * Capture points (F6: there is no mirroring, so frames are recorded only where they end or
 * cross): a host records what is delivered to its adapters, a bridge what crosses it (D3).
 * Guarantees: frames are kept in the order they were seen, sharing the packet's bytes, and
 * nothing is recorded when capturing is off; a run keeps at most its capture budget (frames and
 * bytes), while watchers (the `captured` objective checks) see every frame, kept or not, so
 * their counts stay exact whatever the budget cut.
 */
import type { BudgetName, RunLimits } from './budget';
import type { FrameCopy } from './packet';
import type { CapturedFrame, FrameProto } from './types';

/** What a watcher is shown of each frame a device records. */
export interface CaptureFacts {
  readonly src: number;
  readonly dst: number;
  readonly proto: FrameProto;
  readonly etherType: number;
  /** The adapter the frame entered by (bridge) or was delivered to (host). */
  readonly port: string;
}

/** Counts the frames recorded at one device that pass `test` (objective checks). */
export class CaptureWatch {
  count = 0;

  constructor(readonly test: (frame: CaptureFacts) => boolean) {}
}

export class CaptureStore {
  private readonly byDevice = new Map<string, CapturedFrame[]>();
  private readonly watches = new Map<string, CaptureWatch[]>();
  private maxFrames = Infinity;
  private maxBytes = Infinity;
  private runFrames = 0;
  private runBytes = 0;
  /** Frames not kept because the budget was reached this run. */
  omitted = 0;
  full: BudgetName | null = null;
  private paused = false;

  constructor(private readonly wanted: boolean) {}

  get enabled(): boolean {
    return this.wanted && !this.paused;
  }

  startRun(limits: Pick<RunLimits, 'maxCapturedFrames' | 'maxCaptureBytes'>): void {
    this.maxFrames = limits.maxCapturedFrames;
    this.maxBytes = limits.maxCaptureBytes;
    this.runFrames = 0;
    this.runBytes = 0;
    this.omitted = 0;
    this.full = null;
  }

  /** Objective checks record nothing. */
  pause(paused: boolean): void {
    this.paused = paused;
  }

  watch(device: string, watch: CaptureWatch): void {
    const list = this.watches.get(device);
    if (list === undefined) this.watches.set(device, [watch]);
    else list.push(watch);
  }

  record(device: string, copy: FrameCopy, port: string, t: number): void {
    if (this.paused) return;
    const p = copy.packet;
    if (this.watches.size > 0) this.notify(device, copy, port);
    if (!this.wanted) return;
    const size = p.bytes.length;
    if (this.runFrames >= this.maxFrames || this.runBytes + size > this.maxBytes) {
      this.full = 'captures';
      this.omitted++;
      return;
    }
    this.runFrames++;
    this.runBytes += size;
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

  private notify(device: string, copy: FrameCopy, port: string): void {
    const watches = this.watches.get(device);
    if (watches === undefined) return;
    const p = copy.packet;
    const facts = { src: p.src, dst: p.dst, proto: p.proto, etherType: p.etherType, port };
    for (const w of watches) if (w.test(facts)) w.count++;
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
    this.runFrames = 0;
    this.runBytes = 0;
    this.omitted = 0;
    this.full = null;
  }
}
