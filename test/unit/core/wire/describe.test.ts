import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { describeFields } from '../../../../core/wire/describe';
import type { FieldDescription } from '../../../../core/wire/describe';
import { ARP_REQUEST, ECHO_REQUEST, fromHex } from './fixtures';

function row(field: FieldDescription): string {
  return `${field.layer} ${field.name} @${field.offset}+${field.length}: ${field.value}`;
}

describe('describeFields', () => {
  it('lists the fields of an ARP request with their byte ranges', () => {
    expect(describeFields(ARP_REQUEST).map(row)).toEqual([
      'Ethernet Destination @0+6: ff:ff:ff:ff:ff:ff (broadcast)',
      'Ethernet Source @6+6: 00:0c:29:3e:5b:7a',
      'Ethernet Type @12+2: 0x0806 (ARP)',
      'ARP Hardware type @14+2: 1 (Ethernet)',
      'ARP Protocol type @16+2: 0x0800 (IPv4)',
      'ARP Hardware size @18+1: 6',
      'ARP Protocol size @19+1: 4',
      'ARP Opcode @20+2: 1 (request)',
      'ARP Sender MAC @22+6: 00:0c:29:3e:5b:7a',
      'ARP Sender IP @28+4: 192.168.1.10',
      'ARP Target MAC @32+6: 00:00:00:00:00:00',
      'ARP Target IP @38+4: 192.168.1.1',
      'Ethernet Padding @42+18: 18 bytes',
    ]);
  });

  it('lists the IPv4 and ICMP fields of an echo request', () => {
    const rows = describeFields(ECHO_REQUEST).map(row).slice(3);
    expect(rows).toEqual([
      'IPv4 Version @14+1: 4',
      'IPv4 Header length @14+1: 20 bytes (5)',
      'IPv4 DSCP / ECN @15+1: DSCP 0, ECN 0',
      'IPv4 Total length @16+2: 84',
      'IPv4 Identification @18+2: 0x1c46 (7238)',
      'IPv4 Flags / fragment offset @20+2: DF, offset 0',
      'IPv4 Time to live @22+1: 64',
      'IPv4 Protocol @23+1: 1 (ICMP)',
      'IPv4 Header checksum @24+2: 0x9b07 (correct)',
      'IPv4 Source @26+4: 192.168.1.10',
      'IPv4 Destination @30+4: 192.168.1.1',
      'ICMP Type @34+1: 8 (echo request)',
      'ICMP Code @35+1: 0',
      'ICMP Checksum @36+2: 0x37f5 (correct)',
      'ICMP Identifier @38+2: 0x0d2a (3370)',
      'ICMP Sequence number @40+2: 1',
      'ICMP Data @42+56: 56 bytes',
    ]);
  });

  it('marks a wrong checksum and describes unknown and undecodable payloads', () => {
    const bad = ECHO_REQUEST.slice();
    bad[22] = 7;
    expect(describeFields(bad).map(row)).toContain(
      'IPv4 Header checksum @24+2: 0x9b07 (incorrect)',
    );
    const unknown = fromHex('02000000000a 02000000000b 88b5 deadbeef');
    expect(describeFields(unknown).map(row).at(-1)).toBe('Payload Data @14+4: 4 bytes');
    expect(describeFields(ARP_REQUEST.subarray(0, 20)).map(row).at(-1)).toBe(
      'Payload Data @14+6: ARP: 6 bytes is shorter than the 28-byte Ethernet/IPv4 packet',
    );
    expect(describeFields(fromHex('0102')).map(row)).toEqual([
      'Payload Undecoded @0+2: Ethernet: 2 bytes is shorter than the 14-byte header',
    ]);
    expect(describeFields(new Uint8Array(0))).toEqual([]);
  });

  it('keeps every range inside the frame and never throws, on any bytes', () => {
    const frames = fc.oneof(
      fc.uint8Array({ maxLength: 120 }),
      fc
        .tuple(fc.constantFrom(ARP_REQUEST, ECHO_REQUEST), fc.nat(100), fc.nat(), fc.nat(255))
        .map(([frame, cut, at, value]) => {
          const bytes = frame.slice(0, cut);
          if (bytes.length > 0) bytes[at % bytes.length] = value;
          return bytes;
        }),
    );
    fc.assert(
      fc.property(frames, (bytes) => {
        for (const field of describeFields(bytes)) {
          expect(field.offset).toBeGreaterThanOrEqual(0);
          expect(field.length).toBeGreaterThan(0);
          expect(field.offset + field.length).toBeLessThanOrEqual(bytes.length);
        }
      }),
      { numRuns: 1000 },
    );
  });
});
