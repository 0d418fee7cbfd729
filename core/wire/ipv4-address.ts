/**
 * IPv4 addresses and CIDR prefixes. Guarantees: `Ipv4Address.value` is an unsigned 32-bit integer
 * (never negative, unlike `|` results), text is a strict dotted quad of plain decimal octets
 * 0–255 with no leading zeros (so "010.0.0.1" is refused rather than read as octal or decimal),
 * and a prefix is an integer 0–32.
 */
import { checkBounds } from './bytes';

const ADDRESS_LEN = 4;
const PREFIX = /^(0|[1-9][0-9]?)$/;
const DIGIT_0 = 0x30;
const DIGIT_9 = 0x39;
const DOT = 0x2e;

/**
 * The value of a strict dotted quad (four octets 0–255 of one to three decimal digits, no
 * leading zero, three dots, nothing else), or -1. Scanned by hand: traffic steps parse
 * addresses on every step, and this is several times faster than a regular expression.
 */
function parseDottedQuad(text: string): number {
  let value = 0;
  let octet = 0;
  let digits = 0;
  let octets = 0;
  for (let i = 0; i <= text.length; i++) {
    const c = i < text.length ? text.charCodeAt(i) : DOT;
    if (c >= DIGIT_0 && c <= DIGIT_9) {
      // A digit after a lone leading 0, or a fourth digit.
      if ((digits > 0 && octet === 0) || digits === 3) return -1;
      octet = octet * 10 + (c - DIGIT_0);
      digits++;
    } else if (c === DOT) {
      if (digits === 0 || octet > 255 || octets === ADDRESS_LEN) return -1;
      value = value * 256 + octet;
      octets++;
      octet = 0;
      digits = 0;
    } else return -1;
  }
  return octets === ADDRESS_LEN ? value : -1;
}

export class Ipv4Address {
  static readonly UNSPECIFIED = new Ipv4Address(0);
  static readonly BROADCAST = new Ipv4Address(0xffff_ffff);
  static readonly LENGTH = ADDRESS_LEN;

  private constructor(readonly value: number) {}

  static parse(text: string): Ipv4Address | null {
    const value = parseDottedQuad(text);
    return value < 0 ? null : new Ipv4Address(value);
  }

  /** Throws a RangeError for anything but an integer in [0, 2^32): that is a programmer error. */
  static fromNumber(n: number): Ipv4Address {
    if (!Number.isInteger(n) || n < 0 || n > 0xffff_ffff) {
      throw new RangeError(`Not a 32-bit IPv4 value: ${n}`);
    }
    return new Ipv4Address(n);
  }

  static read(bytes: Uint8Array, offset: number): Ipv4Address {
    checkBounds(bytes, offset, ADDRESS_LEN);
    let value = 0;
    for (let i = 0; i < ADDRESS_LEN; i++) value = value * 256 + (bytes[offset + i] ?? 0);
    return new Ipv4Address(value);
  }

  write(bytes: Uint8Array, offset: number): void {
    checkBounds(bytes, offset, ADDRESS_LEN);
    for (let i = 0; i < ADDRESS_LEN; i++) bytes[offset + i] = this.octet(i);
  }

  toString(): string {
    return [0, 1, 2, 3].map((i) => this.octet(i)).join('.');
  }

  equals(other: Ipv4Address): boolean {
    return this.value === other.value;
  }

  private octet(index: number): number {
    return (this.value >>> (8 * (ADDRESS_LEN - 1 - index))) & 0xff;
  }
}

/** An address with a prefix length: `10.0.0.1/24` is host 10.0.0.1 on network 10.0.0.0/24. */
export interface Ipv4Cidr {
  address: Ipv4Address;
  prefix: number;
}

export function parseCidr(text: string): Ipv4Cidr | null {
  const [addressText, prefixText, extra] = text.split('/');
  if (addressText === undefined || prefixText === undefined || extra !== undefined) return null;
  const address = Ipv4Address.parse(addressText);
  if (address === null || !PREFIX.test(prefixText)) return null;
  const prefix = Number(prefixText);
  return prefix <= 32 ? { address, prefix } : null;
}

export function formatCidr(cidr: Ipv4Cidr): string {
  return `${cidr.address.toString()}/${cidr.prefix}`;
}

/** The netmask of a prefix as an unsigned 32-bit integer; `/0` is 0 (a 32-bit shift is a no-op). */
export function prefixMask(prefix: number): number {
  if (!Number.isInteger(prefix) || prefix < 0 || prefix > 32) {
    throw new RangeError(`Not an IPv4 prefix length: ${prefix}`);
  }
  return prefix === 0 ? 0 : (0xffff_ffff << (32 - prefix)) >>> 0;
}

export function networkOf(cidr: Ipv4Cidr): Ipv4Address {
  return Ipv4Address.fromNumber((cidr.address.value & prefixMask(cidr.prefix)) >>> 0);
}

export function sameSubnet(a: Ipv4Address, b: Ipv4Address, prefix: number): boolean {
  const mask = prefixMask(prefix);
  return (a.value & mask) >>> 0 === (b.value & mask) >>> 0;
}

export function inSubnet(address: Ipv4Address, cidr: Ipv4Cidr): boolean {
  return sameSubnet(address, cidr.address, cidr.prefix);
}
