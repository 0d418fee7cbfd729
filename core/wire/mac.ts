/**
 * MAC addresses (IEEE 802 EUI-48) as an immutable value type. Guarantees: `value` is an integer in
 * [0, 2^48), a safe integer, so hot tables (learned MACs, forwarding tables) can key by number; two
 * Macs with the same `value` are interchangeable. Text is always printed in lowercase colon form.
 */
import { checkBounds } from './bytes';

const MAC_LEN = 6;
const MAX_VALUE = 0xffff_ffff_ffff;
/** Dividing by 2^40 isolates the first octet, which holds the I/G and U/L bits (IEEE 802 §8.2). */
const FIRST_OCTET_DIVISOR = 0x100_0000_0000;
const TEXT_FORM =
  /^([0-9a-f]{2})([:-])([0-9a-f]{2})\2([0-9a-f]{2})\2([0-9a-f]{2})\2([0-9a-f]{2})\2([0-9a-f]{2})$/i;

export class Mac {
  static readonly BROADCAST = new Mac(MAX_VALUE);
  static readonly LENGTH = MAC_LEN;

  private constructor(readonly value: number) {}

  /** Accepts `aa:bb:cc:dd:ee:ff` or `aa-bb-cc-dd-ee-ff` (one separator throughout), any case. */
  static parse(text: string): Mac | null {
    const match = TEXT_FORM.exec(text);
    if (match === null) return null;
    const hexDigits = [1, 3, 4, 5, 6, 7].map((group) => match[group] ?? '').join('');
    return new Mac(Number.parseInt(hexDigits, 16));
  }

  /** Throws a RangeError for anything but an integer in [0, 2^48): that is a programmer error. */
  static fromNumber(n: number): Mac {
    if (!Number.isInteger(n) || n < 0 || n > MAX_VALUE) {
      throw new RangeError(`Not a 48-bit MAC value: ${n}`);
    }
    return new Mac(n);
  }

  static read(bytes: Uint8Array, offset: number): Mac {
    checkBounds(bytes, offset, MAC_LEN);
    let value = 0;
    for (let i = 0; i < MAC_LEN; i++) value = value * 256 + (bytes[offset + i] ?? 0);
    return new Mac(value);
  }

  write(bytes: Uint8Array, offset: number): void {
    checkBounds(bytes, offset, MAC_LEN);
    let rest = this.value;
    for (let i = MAC_LEN - 1; i >= 0; i--) {
      bytes[offset + i] = rest % 256;
      rest = Math.floor(rest / 256);
    }
  }

  toBytes(): Uint8Array {
    const bytes = new Uint8Array(MAC_LEN);
    this.write(bytes, 0);
    return bytes;
  }

  toString(): string {
    return Array.from(this.toBytes(), (b) => b.toString(16).padStart(2, '0')).join(':');
  }

  isBroadcast(): boolean {
    return this.value === MAX_VALUE;
  }

  /** The I/G bit, the least significant bit of the first octet; broadcast is a multicast too. */
  isMulticast(): boolean {
    return (this.firstOctet() & 0x01) !== 0;
  }

  isUnicast(): boolean {
    return !this.isMulticast();
  }

  /** The U/L bit, the second least significant bit of the first octet. */
  isLocallyAdministered(): boolean {
    return (this.firstOctet() & 0x02) !== 0;
  }

  equals(other: Mac): boolean {
    return this.value === other.value;
  }

  private firstOctet(): number {
    return Math.floor(this.value / FIRST_OCTET_DIVISOR);
  }
}
