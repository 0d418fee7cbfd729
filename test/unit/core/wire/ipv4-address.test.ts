import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  formatCidr,
  inSubnet,
  Ipv4Address,
  networkOf,
  parseCidr,
  prefixMask,
  sameSubnet,
} from '../../../../core/wire/ipv4-address';
import type { Ipv4Cidr } from '../../../../core/wire/ipv4-address';
import { toHex } from './fixtures';

function ip(text: string): Ipv4Address {
  const parsed = Ipv4Address.parse(text);
  if (parsed === null) throw new Error(`fixture address ${text} did not parse`);
  return parsed;
}

function cidr(text: string): Ipv4Cidr {
  const parsed = parseCidr(text);
  if (parsed === null) throw new Error(`fixture CIDR ${text} did not parse`);
  return parsed;
}

describe('Ipv4Address', () => {
  it('parses a dotted quad into an unsigned 32-bit value', () => {
    expect(ip('192.168.1.10').value).toBe(0xc0a8010a);
    expect(ip('255.255.255.255').value).toBe(4294967295);
    expect(ip('0.0.0.0').value).toBe(0);
    expect(ip('10.0.0.100').toString()).toBe('10.0.0.100');
  });

  it.each([
    '01.2.3.4',
    '1.2.3.04',
    '256.0.0.1',
    '1.2.3',
    '1.2.3.4.5',
    ' 1.2.3.4',
    '1.2.3.-1',
    '+1.2.3.4',
    '1..3.4',
    '0x1.2.3.4',
    '',
  ])('refuses %j', (text) => {
    expect(Ipv4Address.parse(text)).toBeNull();
  });

  it('accepts exactly the strict dotted quads, with their value', () => {
    // The definition, as a regular expression: four octets of plain decimal, 0–255.
    const OCTET = '(0|[1-9][0-9]{0,2})';
    const quad = new RegExp(`^${OCTET}\\.${OCTET}\\.${OCTET}\\.${OCTET}$`);
    const reference = (text: string): number | null => {
      const m = quad.exec(text);
      if (m === null) return null;
      const octets = m.slice(1, 5).map(Number);
      if (octets.some((o) => o > 255)) return null;
      return octets.reduce((v, o) => v * 256 + o, 0);
    };
    const text = fc.oneof(
      fc.string({ unit: fc.constantFrom(...'0123456789.'.split('')), maxLength: 18 }),
      fc.string({ unit: fc.constantFrom(...'01259. -x\n'.split('')), maxLength: 18 }),
      fc.tuple(fc.nat(300), fc.nat(300), fc.nat(300), fc.nat(300)).map((o) => o.join('.')),
    );
    fc.assert(
      fc.property(text, (t) => {
        expect(Ipv4Address.parse(t)?.value ?? null).toBe(reference(t));
      }),
      { numRuns: 2000 },
    );
  });

  it('round-trips every 32-bit value through text and bytes', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 0xffff_ffff }), (n) => {
        const address = Ipv4Address.fromNumber(n);
        expect(ip(address.toString()).value).toBe(n);
        const bytes = new Uint8Array(6);
        address.write(bytes, 2);
        expect(Ipv4Address.read(bytes, 2).equals(address)).toBe(true);
      }),
      { numRuns: 500 },
    );
  });

  it('writes network byte order', () => {
    const bytes = new Uint8Array(4);
    ip('192.168.0.199').write(bytes, 0);
    expect(toHex(bytes)).toBe('c0a800c7');
  });
});

describe('IPv4 CIDR', () => {
  it('parses address and prefix', () => {
    const parsed = cidr('10.0.0.1/24');
    expect(parsed.address.toString()).toBe('10.0.0.1');
    expect(parsed.prefix).toBe(24);
    expect(formatCidr(parsed)).toBe('10.0.0.1/24');
    expect(cidr('0.0.0.0/0').prefix).toBe(0);
    expect(cidr('10.0.0.1/32').prefix).toBe(32);
  });

  it.each([
    '10.0.0.1',
    '10.0.0.1/33',
    '10.0.0.1/024',
    '10.0.0.1/',
    '10.0.0.1/24/8',
    '10.0.0/24',
    '/24',
    '10.0.0.1/-1',
  ])('refuses %j', (text) => {
    expect(parseCidr(text)).toBeNull();
  });

  it('computes masks and network addresses', () => {
    expect(prefixMask(0)).toBe(0);
    expect(prefixMask(24)).toBe(0xffffff00);
    expect(prefixMask(32)).toBe(0xffffffff);
    expect(networkOf(cidr('10.0.0.77/24')).toString()).toBe('10.0.0.0');
    expect(networkOf(cidr('172.16.200.1/12')).toString()).toBe('172.16.0.0');
    expect(networkOf(cidr('255.255.255.255/1')).toString()).toBe('128.0.0.0');
    expect(() => prefixMask(33)).toThrow(RangeError);
  });

  it('decides subnet membership', () => {
    const lan = cidr('10.0.0.1/24');
    expect(inSubnet(ip('10.0.0.200'), lan)).toBe(true);
    expect(inSubnet(ip('10.0.1.1'), lan)).toBe(false);
    expect(inSubnet(ip('203.0.113.9'), cidr('0.0.0.0/0'))).toBe(true);
    expect(inSubnet(ip('10.0.0.2'), cidr('10.0.0.1/32'))).toBe(false);
    expect(sameSubnet(ip('192.168.1.10'), ip('192.168.1.1'), 24)).toBe(true);
    expect(sameSubnet(ip('192.168.1.10'), ip('192.168.1.130'), 25)).toBe(false);
  });
});
