import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Mac } from '../../../../core/wire/mac';
import { fromHex, toHex } from './fixtures';

function mac(text: string): Mac {
  const parsed = Mac.parse(text);
  if (parsed === null) throw new Error(`fixture MAC ${text} did not parse`);
  return parsed;
}

describe('Mac', () => {
  it('parses colon and dash forms in any case, and prints lowercase colons', () => {
    expect(mac('00:0C:29:3e:5b:7A').toString()).toBe('00:0c:29:3e:5b:7a');
    expect(mac('00-0c-29-3E-5B-7A').toString()).toBe('00:0c:29:3e:5b:7a');
    expect(mac('00:0c:29:3e:5b:7a').value).toBe(0x000c293e5b7a);
  });

  it.each([
    '',
    '00:0c:29:3e:5b',
    '00:0c:29:3e:5b:7a:01',
    '00:0c:29-3e:5b:7a',
    '000c.293e.5b7a',
    '0:c:29:3e:5b:7a',
    'gg:0c:29:3e:5b:7a',
    ' 00:0c:29:3e:5b:7a',
  ])('refuses %j', (text) => {
    expect(Mac.parse(text)).toBeNull();
  });

  it('round-trips every 48-bit value through text and bytes', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 0xffff_ffff_ffff }), (n) => {
        const original = Mac.fromNumber(n);
        expect(mac(original.toString()).value).toBe(n);
        const bytes = new Uint8Array(8);
        original.write(bytes, 1);
        expect(Mac.read(bytes, 1).equals(original)).toBe(true);
      }),
      { numRuns: 500 },
    );
  });

  it('reads and writes network byte order at an offset', () => {
    const bytes = fromHex('ff 005056c00008 ff');
    expect(Mac.read(bytes, 1).toString()).toBe('00:50:56:c0:00:08');
    mac('02:00:00:00:00:01').write(bytes, 1);
    expect(toHex(bytes)).toBe('ff020000000001ff');
    expect(() => Mac.read(bytes, 3)).toThrow(RangeError);
  });

  it('classifies broadcast, multicast (I/G bit) and unicast', () => {
    expect(Mac.BROADCAST.toString()).toBe('ff:ff:ff:ff:ff:ff');
    expect(Mac.BROADCAST.isBroadcast()).toBe(true);
    expect(Mac.BROADCAST.isMulticast()).toBe(true);
    expect(Mac.BROADCAST.isUnicast()).toBe(false);
    const ipv4Multicast = mac('01:00:5e:00:00:fb');
    expect(ipv4Multicast.isMulticast()).toBe(true);
    expect(ipv4Multicast.isBroadcast()).toBe(false);
    const vmware = mac('00:50:56:c0:00:08');
    expect(vmware.isUnicast()).toBe(true);
    expect(vmware.isMulticast()).toBe(false);
  });

  it('reads the U/L bit: VRRP virtual MACs are universal, 02:… is local', () => {
    expect(mac('00:00:5e:00:01:0a').isLocallyAdministered()).toBe(false);
    expect(mac('02:42:ac:11:00:02').isLocallyAdministered()).toBe(true);
    expect(mac('03:00:00:00:00:01').isLocallyAdministered()).toBe(true);
  });

  it('compares by value', () => {
    expect(mac('00:50:56:c0:00:08').equals(mac('00-50-56-C0-00-08'))).toBe(true);
    expect(mac('00:50:56:c0:00:08').equals(mac('00:50:56:c0:00:09'))).toBe(false);
  });

  it('refuses numbers that are not 48-bit values', () => {
    expect(() => Mac.fromNumber(-1)).toThrow(RangeError);
    expect(() => Mac.fromNumber(2 ** 48)).toThrow(RangeError);
    expect(() => Mac.fromNumber(1.5)).toThrow(RangeError);
  });
});
