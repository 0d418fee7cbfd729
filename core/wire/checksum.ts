/**
 * The internet checksum of RFC 1071: the 16-bit one's complement of the one's complement sum of
 * the 16-bit big-endian words in a byte range. Used by IPv4 (RFC 791 §3.1) and ICMP (RFC 792).
 * Guarantees: results are in [0, 0xffff]; an odd trailing byte is summed as if padded with a
 * zero byte (RFC 1071 §4.1); ranges are checked, never read past.
 */
import { checkBounds } from './bytes';

/** The folded one's complement sum of `bytes[start, end)`, added to `initial`. */
export function onesComplementSum(
  bytes: Uint8Array,
  start = 0,
  end = bytes.length,
  initial = 0,
): number {
  checkBounds(bytes, start, end - start);
  let sum = initial;
  for (let i = start; i + 1 < end; i += 2) {
    sum += ((bytes[i] ?? 0) << 8) | (bytes[i + 1] ?? 0);
  }
  if ((end - start) % 2 === 1) sum += (bytes[end - 1] ?? 0) << 8;
  return foldCarries(sum);
}

/** RFC 1071 §4.1: "Fold 32-bit sum to 16 bits" by adding the carries back in until none remain. */
export function foldCarries(sum: number): number {
  let folded = sum;
  while (folded > 0xffff) folded = (folded & 0xffff) + Math.floor(folded / 0x10000);
  return folded;
}

/** The value to store in a checksum field that was zero while summing. */
export function internetChecksum(bytes: Uint8Array, start = 0, end = bytes.length): number {
  return ~onesComplementSum(bytes, start, end) & 0xffff;
}

/** RFC 1071 §1: summing a range that includes its correct checksum gives all ones. */
export function verifyInternetChecksum(bytes: Uint8Array, start = 0, end = bytes.length): boolean {
  return onesComplementSum(bytes, start, end) === 0xffff;
}
