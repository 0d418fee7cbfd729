import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  internetChecksum,
  onesComplementSum,
  verifyInternetChecksum,
} from '../../../../core/wire/checksum';
import { fromHex } from './fixtures';

/** RFC 1071 §3, "Numerical Examples": the 8 bytes 00 01 f2 03 f4 f5 f6 f7. */
const RFC1071_EXAMPLE = fromHex('0001 f203 f4f5 f6f7');
/** The IPv4 header used in countless tutorials (Wikipedia "IPv4 header checksum"): 0xb861. */
const IPV4_HEADER = fromHex('4500 0073 0000 4000 4011 b861 c0a8 0001 c0a8 00c7');

describe('RFC 1071 internet checksum', () => {
  it('sums the RFC 1071 §3 example to 0xddf2, checksum 0x220d', () => {
    expect(onesComplementSum(RFC1071_EXAMPLE)).toBe(0xddf2);
    expect(internetChecksum(RFC1071_EXAMPLE)).toBe(0x220d);
  });

  it('pads an odd trailing byte with zero (RFC 1071 §4.1)', () => {
    expect(onesComplementSum(fromHex('01'))).toBe(0x0100);
    expect(onesComplementSum(fromHex('0001 f2'))).toBe(0xf201);
  });

  it('sums only the given range', () => {
    const bytes = fromHex('ffff 0001 f203 f4f5 f6f7 ffff');
    expect(internetChecksum(bytes, 2, 10)).toBe(0x220d);
  });

  it('computes the well-known IPv4 header checksum 0xb861 with the field zeroed', () => {
    const zeroed = IPV4_HEADER.slice();
    zeroed.set([0, 0], 10);
    expect(internetChecksum(zeroed)).toBe(0xb861);
    expect(verifyInternetChecksum(IPV4_HEADER)).toBe(true);
  });

  it('fails verification when any byte is flipped', () => {
    for (let i = 0; i < IPV4_HEADER.length; i++) {
      const corrupted = IPV4_HEADER.slice();
      corrupted[i] = (corrupted[i] ?? 0) ^ 0x10;
      expect(verifyInternetChecksum(corrupted), `byte ${i}`).toBe(false);
    }
  });

  it('verifies any data with its checksum appended, and not after a single-bit flip', () => {
    const evenData = fc
      .uint8Array({ minLength: 2, maxLength: 64 })
      .filter((d) => d.length % 2 === 0);
    fc.assert(
      fc.property(evenData, fc.nat(), (data, bit) => {
        const sum = internetChecksum(data);
        const whole = Uint8Array.from([...data, sum >> 8, sum & 0xff]);
        expect(verifyInternetChecksum(whole)).toBe(true);
        const flipAt = bit % (whole.length * 8);
        whole[flipAt >> 3] = (whole[flipAt >> 3] ?? 0) ^ (1 << (flipAt & 7));
        expect(verifyInternetChecksum(whole)).toBe(false);
      }),
      { numRuns: 300 },
    );
  });

  it('refuses a range outside the buffer', () => {
    expect(() => onesComplementSum(new Uint8Array(4), 2, 8)).toThrow(RangeError);
  });
});
