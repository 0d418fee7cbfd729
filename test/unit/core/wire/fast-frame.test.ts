import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  allocFrame,
  buildEchoFrame,
  classify,
  deriveEchoFrame,
  readIcmp,
  readMac,
} from '../../../../core/wire/fast-frame';
import { buildArp, buildIcmpEcho, parseFrame } from '../../../../core/wire/frame';
import { Ipv4Address } from '../../../../core/wire/ipv4-address';
import { Mac } from '../../../../core/wire/mac';

const u48 = fc.integer({ min: 0, max: 2 ** 48 - 1 });
const u32 = fc.integer({ min: 0, max: 2 ** 32 - 1 });
const u16 = fc.integer({ min: 0, max: 0xffff });

describe('fast frames: the hot-path twins of core/wire', () => {
  it('buildEchoFrame gives the bytes core/wire’s buildIcmpEcho gives', () => {
    fc.assert(
      fc.property(
        fc.record({
          srcMac: u48,
          dstMac: u48,
          srcIp: u32,
          dstIp: u32,
          ttl: fc.integer({ min: 0, max: 255 }),
          identification: u16,
          type: fc.constantFrom(0, 8),
          identifier: u16,
          sequence: u16,
          data: fc.uint8Array({ maxLength: 80 }),
        }),
        (a) => {
          const fast = buildEchoFrame({ ...a, dataStart: 0, dataEnd: a.data.length });
          const wire = buildIcmpEcho({
            srcMac: Mac.fromNumber(a.srcMac),
            dstMac: Mac.fromNumber(a.dstMac),
            srcIp: Ipv4Address.fromNumber(a.srcIp),
            dstIp: Ipv4Address.fromNumber(a.dstIp),
            ttl: a.ttl,
            identification: a.identification,
            echo: {
              type: a.type,
              code: 0,
              identifier: a.identifier,
              sequence: a.sequence,
              data: a.data,
            },
          });
          expect(Array.from(fast)).toEqual(Array.from(wire));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('readIcmp reads what parseFrame decodes as ICMP, and nothing else', () => {
    const frame = buildIcmpEcho({
      srcMac: Mac.fromNumber(0x020000000001),
      dstMac: Mac.fromNumber(0x020000000002),
      srcIp: Ipv4Address.fromNumber(0x0a000001),
      dstIp: Ipv4Address.fromNumber(0x0a000002),
      ttl: 64,
      identification: 9,
      echo: { type: 8, code: 0, identifier: 77, sequence: 3, data: Uint8Array.of(1, 2, 3) },
    });
    const fast = readIcmp(frame);
    expect(fast).toMatchObject({
      srcIp: 0x0a000001,
      dstIp: 0x0a000002,
      ttl: 64,
      identification: 9,
      type: 8,
      identifier: 77,
      sequence: 3,
    });
    expect(Array.from(frame.subarray(fast?.dataStart, fast?.dataEnd))).toEqual([1, 2, 3]);
    const arp = buildArp({
      src: Mac.BROADCAST,
      dst: Mac.BROADCAST,
      arp: {
        operation: 1,
        senderMac: Mac.BROADCAST,
        senderIp: Ipv4Address.UNSPECIFIED,
        targetMac: Mac.BROADCAST,
        targetIp: Ipv4Address.UNSPECIFIED,
      },
    });
    expect(readIcmp(arp)).toBeNull();
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 0, maxLength: 90 }), fc.nat(), (noise, at) => {
        // Mutate a valid frame in one byte, or take random bytes: both agree with parseFrame.
        const mutated = frame.slice();
        mutated[at % mutated.length] = noise[0] ?? 0;
        for (const bytes of [mutated, noise]) {
          const parsed = parseFrame(bytes);
          const quick = readIcmp(bytes);
          expect(quick !== null).toBe(parsed.proto === 'icmp');
          if (quick !== null && parsed.icmp?.kind === 'echo' && parsed.ipv4 !== undefined) {
            expect(quick.srcIp).toBe(parsed.ipv4.src.value);
            expect(quick.dstIp).toBe(parsed.ipv4.dst.value);
            expect(quick.identifier).toBe(parsed.icmp.identifier);
            expect(quick.sequence).toBe(parsed.icmp.sequence);
            expect(Array.from(bytes.subarray(quick.dataStart, quick.dataEnd))).toEqual(
              Array.from(parsed.icmp.data),
            );
          }
        }
      }),
      { numRuns: 500 },
    );
  });

  it('deriveEchoFrame gives what buildEchoFrame gives with the source’s data', () => {
    const fields = fc.record({
      srcMac: u48,
      dstMac: u48,
      srcIp: u32,
      dstIp: u32,
      ttl: fc.integer({ min: 0, max: 255 }),
      identification: u16,
      type: fc.constantFrom(0, 8),
      identifier: u16,
      sequence: u16,
    });
    fc.assert(
      fc.property(fields, fields, fc.uint8Array({ maxLength: 60 }), (a, b, data) => {
        const source = buildEchoFrame({ ...a, data, dataStart: 0, dataEnd: data.length });
        const derived = deriveEchoFrame(source, b);
        const built = buildEchoFrame({ ...b, data, dataStart: 0, dataEnd: data.length });
        expect(Array.from(derived ?? [])).toEqual(Array.from(built));
      }),
      { numRuns: 300 },
    );
    // A source laid out otherwise (longer than its minimum) is refused: the caller builds.
    const source = buildEchoFrame({
      srcMac: 1,
      dstMac: 2,
      srcIp: 3,
      dstIp: 4,
      ttl: 5,
      identification: 6,
      type: 8,
      identifier: 7,
      sequence: 8,
      data: new Uint8Array(40),
      dataStart: 0,
      dataEnd: 40,
    });
    const longer = new Uint8Array(source.length + 4);
    longer.set(source);
    expect(
      deriveEchoFrame(longer, {
        srcMac: 1,
        dstMac: 2,
        srcIp: 3,
        dstIp: 4,
        ttl: 5,
        identification: 6,
        type: 0,
        identifier: 7,
        sequence: 8,
      }),
    ).toBeNull();
  });

  it('classify says what parseFrame says', () => {
    const echo = buildEchoFrame({
      srcMac: 1,
      dstMac: 2,
      srcIp: 3,
      dstIp: 4,
      ttl: 5,
      identification: 6,
      type: 8,
      identifier: 7,
      sequence: 8,
      data: new Uint8Array(4),
      dataStart: 0,
      dataEnd: 4,
    });
    const arp = buildArp({
      src: Mac.BROADCAST,
      dst: Mac.BROADCAST,
      arp: {
        operation: 1,
        senderMac: Mac.BROADCAST,
        senderIp: Ipv4Address.UNSPECIFIED,
        targetMac: Mac.BROADCAST,
        targetIp: Ipv4Address.UNSPECIFIED,
      },
    });
    expect([classify(echo), classify(arp)]).toEqual(['icmp', 'arp']);
    fc.assert(
      fc.property(
        fc.constantFrom(echo, arp),
        fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { maxLength: 3 }),
        fc.integer({ min: 14, max: 80 }),
        (base, edits, length) => {
          const bytes = new Uint8Array(length);
          bytes.set(base.subarray(0, Math.min(length, base.length)));
          for (const [at, value] of edits) bytes[at % length] = value;
          expect(classify(bytes)).toBe(parseFrame(bytes).proto);
        },
      ),
      { numRuns: 1000 },
    );
  });

  it('readMac reads the number Mac.read reads', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 6, maxLength: 6 }), (bytes) => {
        expect(readMac(bytes, 0)).toBe(Mac.read(bytes, 0).value);
      }),
    );
  });

  it('allocFrame hands out zeroed arrays that never overlap', () => {
    const a = allocFrame(74);
    a.fill(0xff);
    const b = allocFrame(74);
    expect(Array.from(b).every((x) => x === 0)).toBe(true);
    b.fill(1);
    expect(Array.from(a).every((x) => x === 0xff)).toBe(true);
    expect(allocFrame(100_000).length).toBe(100_000);
  });
});
