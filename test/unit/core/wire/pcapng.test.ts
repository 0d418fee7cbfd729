import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PcapngWriter } from '../../../../core/wire/pcapng';
import { encodeUtf8 } from '../../../../core/wire/utf8';
import { fromHex, toHex } from './fixtures';

/** draft-ietf-opsawg-pcapng §4.1: SHB with shb_userappl "Nestlab" and section length -1. */
const SECTION_HEADER =
  '0a0d0d0a 2c000000 4d3c2b1a 0100 0000 ffffffffffffffff' +
  '0400 0700 4e6573746c616200 0000 0000 2c000000';

/** §4.2: IDB, LINKTYPE_ETHERNET, snaplen 0, if_name "br", if_tsresol 6. */
const INTERFACE_BR =
  '01000000 28000000 0100 0000 00000000' +
  '0200 0200 62720000 0900 0100 06000000 00000000 28000000';

function hex(text: string): string {
  return text.replace(/\s+/g, '');
}

/** Walks the blocks by their lengths, checking the §3.1 framing; returns [type, length] pairs. */
function walkBlocks(file: Uint8Array): [number, number][] {
  const view = new DataView(file.buffer, file.byteOffset, file.byteLength);
  const blocks: [number, number][] = [];
  for (let offset = 0; offset < file.length;) {
    const type = view.getUint32(offset, true);
    const length = view.getUint32(offset + 4, true);
    expect(length % 4).toBe(0);
    expect(view.getUint32(offset + length - 4, true)).toBe(length);
    blocks.push([type, length]);
    offset += length;
  }
  return blocks;
}

describe('PcapngWriter', () => {
  it('writes only a Section Header Block for an empty capture', () => {
    expect(toHex(new PcapngWriter().toBytes())).toBe(hex(SECTION_HEADER));
  });

  it('writes an Interface Description Block with if_name and if_tsresol', () => {
    const writer = new PcapngWriter();
    expect(writer.addInterface('br')).toBe(0);
    expect(writer.addInterface('server', 1)).toBe(1);
    const file = toHex(writer.toBytes());
    expect(file.startsWith(hex(SECTION_HEADER + INTERFACE_BR))).toBe(true);
  });

  it('writes Enhanced Packet Blocks with 64-bit timestamps, padding and a UTF-8 comment', () => {
    const writer = new PcapngWriter();
    writer.addInterface('br');
    writer.addPacket(0, 0x1_0000_0005, fromHex('0102030405'), 'hé');
    writer.addPacket(0, 7, fromHex('aabbccdd'));
    const tail = toHex(writer.toBytes()).slice(hex(SECTION_HEADER + INTERFACE_BR).length);
    expect(tail).toBe(
      hex(
        '06000000 34000000 00000000 01000000 05000000 05000000 05000000' +
          '0102030405000000 0100 0300 68c3a900 00000000 34000000' +
          '06000000 24000000 00000000 00000000 07000000 04000000 04000000' +
          'aabbccdd 24000000',
      ),
    );
  });

  it('frames every block consistently for any packets', () => {
    const packets = fc.array(fc.tuple(fc.uint8Array({ maxLength: 100 }), fc.option(fc.string())), {
      maxLength: 8,
    });
    fc.assert(
      fc.property(packets, (list) => {
        const writer = new PcapngWriter();
        writer.addInterface('eth0');
        list.forEach(([bytes, comment], i) => writer.addPacket(0, i, bytes, comment ?? undefined));
        const blocks = walkBlocks(writer.toBytes());
        expect(blocks.map(([type]) => type)).toEqual([0x0a0d0d0a, 1, ...list.map(() => 6)]);
      }),
      { numRuns: 200 },
    );
  });

  it('refuses packets for interfaces not yet added, and bad timestamps', () => {
    const writer = new PcapngWriter();
    expect(() => writer.addPacket(0, 0, new Uint8Array(60))).toThrow(/No pcapng interface 0/);
    writer.addInterface('br');
    expect(() => writer.addPacket(1, 0, new Uint8Array(60))).toThrow(RangeError);
    expect(() => writer.addPacket(0, -1, new Uint8Array(60))).toThrow(RangeError);
    expect(() => writer.addPacket(0, 1.5, new Uint8Array(60))).toThrow(RangeError);
  });
});

describe('encodeUtf8', () => {
  it('matches TextEncoder, lone surrogates included', () => {
    const encoder = new TextEncoder();
    for (const text of ['', 'Nestlab', 'hé', '€', '𝄞 clef', '\ud800', 'a\udc00b', '\udbff\udfff']) {
      expect(toHex(encodeUtf8(text)), JSON.stringify(text)).toBe(toHex(encoder.encode(text)));
    }
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (text) => {
        expect(toHex(encodeUtf8(text))).toBe(toHex(encoder.encode(text)));
      }),
      { numRuns: 300 },
    );
  });
});
