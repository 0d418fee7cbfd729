/**
 * Shared plumbing for the byte views: the result value returned by `checked` constructors, named
 * byte ranges, and big-endian (network order) integer access. Guarantees: the readers and writers
 * never touch bytes outside the range they are given, and throw a RangeError (a programmer error)
 * instead of reading `undefined` past the end.
 */

/** Expected failures on untrusted bytes are values, not exceptions. */
export type WireResult<T> = { ok: true; value: T } | { ok: false; error: string };

export function ok<T>(value: T): WireResult<T> {
  return { ok: true, value };
}

export function fail<T>(error: string): WireResult<T> {
  return { ok: false, error };
}

/** A half-open byte range `[start, end)` inside one protocol header, as smoltcp's `field` module. */
export interface ByteRange {
  readonly start: number;
  readonly end: number;
}

export function range(start: number, end: number): ByteRange {
  return { start, end };
}

export function checkBounds(bytes: Uint8Array, offset: number, length: number): void {
  if (!Number.isInteger(offset) || offset < 0 || offset + length > bytes.length) {
    throw new RangeError(
      `${length}-byte access at ${offset} is outside a ${bytes.length}-byte buffer`,
    );
  }
}

export function readU8(bytes: Uint8Array, offset: number): number {
  checkBounds(bytes, offset, 1);
  return bytes[offset] ?? 0;
}

export function readU16(bytes: Uint8Array, offset: number): number {
  checkBounds(bytes, offset, 2);
  return ((bytes[offset] ?? 0) << 8) | (bytes[offset + 1] ?? 0);
}

export function readU32(bytes: Uint8Array, offset: number): number {
  return readU16(bytes, offset) * 0x10000 + readU16(bytes, offset + 2);
}

export function writeU8(bytes: Uint8Array, offset: number, value: number): void {
  checkBounds(bytes, offset, 1);
  bytes[offset] = value & 0xff;
}

export function writeU16(bytes: Uint8Array, offset: number, value: number): void {
  checkBounds(bytes, offset, 2);
  bytes[offset] = (value >>> 8) & 0xff;
  bytes[offset + 1] = value & 0xff;
}

export function writeU32(bytes: Uint8Array, offset: number, value: number): void {
  writeU16(bytes, offset, Math.floor(value / 0x10000) & 0xffff);
  writeU16(bytes, offset + 2, value & 0xffff);
}

/** Lowercase hex with a `0x` prefix, zero-padded to `digits`. */
export function hex(value: number, digits: number): string {
  return `0x${value.toString(16).padStart(digits, '0')}`;
}
