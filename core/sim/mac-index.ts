/**
 * A hash index from MACs (48-bit numbers, see core/wire/mac.ts) to small non-negative integers,
 * for the lookup every hop makes (a network's static entries, F4). A Map keyed by a MAC boxes
 * the key on every lookup, since MACs pass 2^31; this keeps the keys unboxed in a Float64Array
 * with open addressing (linear probing, at most half full). Guarantees: `get` gives the value
 * last `set` for the MAC, or -1; no entry is ever removed, so no tombstones.
 */

const EMPTY = -1;
const INITIAL_CAPACITY = 16;

export class MacIndex {
  private keys = new Float64Array(INITIAL_CAPACITY).fill(EMPTY);
  private values = new Int32Array(INITIAL_CAPACITY);
  /** 32 minus log2(capacity): the hash keeps its top bits (Fibonacci hashing). */
  private shift = 32 - Math.log2(INITIAL_CAPACITY);
  private count = 0;

  get(mac: number): number {
    const keys = this.keys;
    const mask = keys.length - 1;
    for (let i = this.slot(mac); ; i = (i + 1) & mask) {
      const key = keys[i];
      if (key === mac) return this.values[i] ?? EMPTY;
      if (key === EMPTY || key === undefined) return EMPTY;
    }
  }

  /** `value` must be a non-negative integer below 2^31. */
  set(mac: number, value: number): void {
    if ((this.count + 1) * 2 > this.keys.length) this.grow();
    const keys = this.keys;
    const mask = keys.length - 1;
    for (let i = this.slot(mac); ; i = (i + 1) & mask) {
      const key = keys[i];
      if (key === mac || key === EMPTY) {
        if (key === EMPTY) this.count++;
        keys[i] = mac;
        this.values[i] = value;
        return;
      }
    }
  }

  private slot(mac: number): number {
    // Low 32 bits (ToInt32 wraps) mixed with the high 16, times the golden ratio.
    return Math.imul((mac | 0) ^ ((mac / 0x1_0000_0000) | 0), 0x9e37_79b1) >>> this.shift;
  }

  private grow(): void {
    const keys = this.keys;
    const values = this.values;
    this.keys = new Float64Array(keys.length * 2).fill(EMPTY);
    this.values = new Int32Array(keys.length * 2);
    this.shift--;
    this.count = 0;
    for (let i = 0; i < keys.length; i++) {
      const key = keys[i];
      if (key !== undefined && key !== EMPTY) this.set(key, values[i] ?? 0);
    }
  }
}
