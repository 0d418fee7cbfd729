/**
 * An inline bridge (D3): a VM with role `bridge` joins its adapters into a transparent learning
 * bridge (the D2 algorithm). Every frame that crosses it is recorded, the capture point for
 * sniffing. Its adapters transmit what it forwards, so they carry foreign source MACs and need
 * promiscuous mode by F2. With `stp: true` some ports may be blocked by the spanning tree
 * (see stp.ts): frames arriving there are dropped, `stp-blocked`, and nothing leaves by them.
 */
import { LearningSwitch } from './learning-switch';
import type { FrameCopy } from './packet';
import type { AdapterInner, AdapterNode, SegmentPort } from './segment';

export class Bridge extends LearningSwitch implements AdapterInner {
  readonly kind = 'bridge';
  /** Frames reach a bridge through its adapters, which deliver at once. */
  readonly wireDelay = 0;
  readonly passesThrough = true;
  readonly recordsCrossing = true;
  protected readonly rule = 'D3';
  /** Port indexes the spanning tree blocks. */
  blocked: ReadonlySet<number> = new Set();

  fromAdapter(copy: FrameCopy, adapter: AdapterNode): void {
    if (adapter.bridgePort >= 0) this.arrive(copy, adapter.bridgePort);
  }

  override forwards(port: number): boolean {
    return !this.blocked.has(port);
  }

  protected override admitPort(copy: FrameCopy, port: SegmentPort): boolean {
    if (this.forwards(port.index)) return true;
    this.ctx.tracer.drop(
      copy,
      this.id,
      'stp-blocked',
      'D3',
      () =>
        `The spanning tree blocks ${this.id}'s port ${port.id} to break a loop, so the frame stops there.`,
    );
    return false;
  }

  /** D3: record every frame that crosses the bridge. */
  protected override crossed(copy: FrameCopy, port: SegmentPort): void {
    const ctx = this.ctx;
    ctx.captures.record(this.id, copy, port.id, ctx.engine.now);
    ctx.tracer.capture(copy, this.id);
  }
}
