import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { dissectFrame, etherTypeLabel } from '../../../../core/wire/dissect';
import type { Dissection, DissectedLayer } from '../../../../core/wire/dissect';
import { ARP_REPLY, ARP_REQUEST, ECHO_REPLY, ECHO_REQUEST, fromHex } from './fixtures';

function rows(layer: DissectedLayer | undefined): string[] {
  return (layer?.fields ?? []).map((f) => `${f.name} @${f.offset}+${f.length}: ${f.value}`);
}

function layer(d: Dissection, name: string): DissectedLayer | undefined {
  return d.layers.find((l) => l.name === name);
}

describe('dissectFrame', () => {
  it('decodes an ARP request: Ethernet II with padding, then every ARP field', () => {
    const d = dissectFrame(ARP_REQUEST);
    expect(d.length).toBe(60);
    expect(d.layers.map((l) => [l.name, l.offset, l.length])).toEqual([
      ['Ethernet II', 0, 14],
      ['ARP', 14, 28],
    ]);
    expect(d.layers[0]?.summary).toBe('00:0c:29:3e:5b:7a → ff:ff:ff:ff:ff:ff (broadcast), ARP');
    expect(rows(d.layers[0])).toEqual([
      'Destination @0+6: ff:ff:ff:ff:ff:ff (broadcast)',
      'Source @6+6: 00:0c:29:3e:5b:7a',
      'Type @12+2: 0x0806 (ARP)',
      'Padding @42+18: 18 bytes',
    ]);
    expect(layer(d, 'ARP')?.summary).toBe('Who has 192.168.1.1? Tell 192.168.1.10');
    expect(rows(layer(d, 'ARP'))).toEqual([
      'Hardware type @14+2: 1 (Ethernet)',
      'Protocol type @16+2: 0x0800 (IPv4)',
      'Hardware size @18+1: 6',
      'Protocol size @19+1: 4',
      'Opcode @20+2: 1 (request)',
      'Sender MAC @22+6: 00:0c:29:3e:5b:7a',
      'Sender IP @28+4: 192.168.1.10',
      'Target MAC @32+6: 00:00:00:00:00:00',
      'Target IP @38+4: 192.168.1.1',
    ]);
  });

  it('says what an ARP reply and a gratuitous ARP (D6) announce', () => {
    expect(layer(dissectFrame(ARP_REPLY), 'ARP')?.summary).toBe(
      '192.168.1.1 is at 00:50:56:c0:00:08',
    );
    const garp = ARP_REQUEST.slice();
    garp.set([192, 168, 1, 10], 38); // target IP = sender IP
    expect(layer(dissectFrame(garp), 'ARP')?.summary).toBe(
      'Gratuitous ARP for 192.168.1.10 (request)',
    );
  });

  it('decodes IPv4 (version and IHL share a byte, flags and fragment offset two) and ICMP echo', () => {
    const d = dissectFrame(ECHO_REQUEST);
    expect(d.layers.map((l) => [l.name, l.offset, l.length])).toEqual([
      ['Ethernet II', 0, 14],
      ['IPv4', 14, 20],
      ['ICMP', 34, 64],
    ]);
    expect(layer(d, 'IPv4')?.summary).toBe('192.168.1.10 → 192.168.1.1, ICMP, TTL 64');
    expect(rows(layer(d, 'IPv4'))).toEqual([
      'Version @14+1: 4',
      'Header length @14+1: 20 bytes (5)',
      'DSCP / ECN @15+1: DSCP 0, ECN 0',
      'Total length @16+2: 84',
      'Identification @18+2: 0x1c46 (7238)',
      "Flags @20+2: 0x2 (Don't fragment)",
      'Fragment offset @20+2: 0 bytes (0)',
      'Time to live @22+1: 64',
      'Protocol @23+1: 1 (ICMP)',
      'Header checksum @24+2: 0x9b07 (correct)',
      'Source @26+4: 192.168.1.10',
      'Destination @30+4: 192.168.1.1',
    ]);
    expect(layer(d, 'ICMP')?.summary).toBe('Echo request id=0x0d2a, seq=1');
    expect(rows(layer(d, 'ICMP'))).toEqual([
      'Type @34+1: 8 (echo request)',
      'Code @35+1: 0',
      'Checksum @36+2: 0x37f5 (correct)',
      'Identifier @38+2: 0x0d2a (3370)',
      'Sequence number @40+2: 1',
      'Data @42+56: 56 bytes',
    ]);
    expect(layer(dissectFrame(ECHO_REPLY), 'ICMP')?.summary).toBe('Echo reply id=0x0d2a, seq=1');
  });

  it('shows a wrong IPv4 or ICMP checksum as incorrect', () => {
    const bad = ECHO_REQUEST.slice();
    bad[22] = 7; // TTL changed, header checksum not
    bad[40] = 0xff; // ICMP sequence changed, ICMP checksum not
    const d = dissectFrame(bad);
    expect(rows(layer(d, 'IPv4'))).toContain('Header checksum @24+2: 0x9b07 (incorrect)');
    expect(rows(layer(d, 'ICMP'))).toContain('Checksum @36+2: 0x37f5 (incorrect)');
  });

  it('names EtherTypes and leaves unknown ones, IPv6 and 802.3 lengths as a Payload layer', () => {
    expect(etherTypeLabel(0x0800)).toBe('0x0800 (IPv4)');
    expect(etherTypeLabel(0x0806)).toBe('0x0806 (ARP)');
    expect(etherTypeLabel(0x86dd)).toBe('0x86dd (IPv6)');
    expect(etherTypeLabel(0x8100)).toBe('0x8100 (802.1Q VLAN)');
    expect(etherTypeLabel(0x88cc)).toBe('0x88cc (LLDP)');
    expect(etherTypeLabel(0x88b5)).toBe('0x88b5');
    const unknown = dissectFrame(fromHex('02000000000a 02000000000b 88b5 deadbeef'));
    expect(unknown.layers.map((l) => l.name)).toEqual(['Ethernet II', 'Payload']);
    expect(unknown.layers[1]).toMatchObject({
      offset: 14,
      length: 4,
      summary: '4 bytes of 0x88b5 data, not decoded by Nestlab',
    });
    const ipv6 = dissectFrame(fromHex('333300000001 02000000000b 86dd 6000000000083aff'));
    expect(ipv6.layers[0]?.summary).toBe('02:00:00:00:00:0b → 33:33:00:00:00:01 (multicast), IPv6');
    expect(ipv6.layers[1]?.summary).toBe('8 bytes of 0x86dd (IPv6) data, not decoded by Nestlab');
    const llc = dissectFrame(fromHex('0180c2000000 02000000000b 0026 424203'));
    expect(rows(llc.layers[0])).toContain('Length @12+2: 38 (IEEE 802.3 length, not an EtherType)');
    expect(llc.layers[1]?.summary).toBe('3 bytes of LLC data, not decoded by Nestlab');
  });

  it('leaves a fragment and other IP protocols undecoded after the IPv4 header', () => {
    const udp = ECHO_REQUEST.slice();
    udp[23] = 17;
    expect(dissectFrame(udp).layers.at(-1)?.summary).toBe(
      '64 bytes of UDP, not decoded by Nestlab',
    );
    const fragment = ECHO_REQUEST.slice();
    fragment[20] = 0x20; // More fragments
    expect(dissectFrame(fragment).layers.at(-1)?.summary).toBe('64 bytes of ICMP, a fragment');
  });

  it('decodes a truncated frame as far as it goes and says where it stops', () => {
    const arp = dissectFrame(ARP_REQUEST.subarray(0, 21));
    expect(layer(arp, 'ARP')?.summary).toBe('ARP [truncated]');
    expect(rows(layer(arp, 'ARP')).slice(-2)).toEqual([
      'Protocol size @19+1: 4',
      'Truncated @20+1: The frame ends at byte 21, inside Opcode (bytes 20–21).',
    ]);
    const echo = dissectFrame(ECHO_REQUEST.subarray(0, 40));
    expect(layer(echo, 'IPv4')?.summary).toBe(
      '192.168.1.10 → 192.168.1.1, ICMP, TTL 64 (58 of its 84 bytes missing)',
    );
    expect(rows(layer(echo, 'ICMP'))).toEqual([
      'Type @34+1: 8 (echo request)',
      'Code @35+1: 0',
      'Checksum @36+2: 0x37f5 (not verified: the frame is cut short)',
      'Identifier @38+2: 0x0d2a (3370)',
      'Truncated @40+0: The frame ends at byte 40, inside Sequence number (bytes 40–41).',
    ]);
    const header = dissectFrame(ECHO_REQUEST.subarray(0, 9));
    expect(header.layers.map((l) => l.name)).toEqual(['Ethernet II']);
    expect(rows(header.layers[0])).toEqual([
      'Destination @0+6: 00:50:56:c0:00:08',
      'Truncated @6+3: The frame ends at byte 9, inside Source (bytes 6–11).',
    ]);
    expect(dissectFrame(new Uint8Array(0)).layers[0]?.fields[0]?.name).toBe('Truncated');
  });

  it('stops an ICMP message where the IPv4 total length says the packet ends', () => {
    const short = ECHO_REQUEST.slice();
    short.set([0x00, 0x19], 16); // total length 25: 5 bytes of ICMP, the rest is a trailer
    const d = dissectFrame(short);
    expect(rows(layer(d, 'ICMP')).at(-1)).toBe(
      'Truncated @38+1: The IPv4 packet ends at byte 39, inside Identifier (bytes 38–39).',
    );
    expect(rows(d.layers[0]).at(-1)).toBe('Trailer @39+59: 59 bytes');
  });

  it('never throws and keeps every layer and field inside the frame, on any bytes', () => {
    const frames = fc.oneof(
      fc.uint8Array({ maxLength: 120 }),
      fc
        .tuple(
          fc.constantFrom(ARP_REQUEST, ARP_REPLY, ECHO_REQUEST, ECHO_REPLY),
          fc.nat(100),
          fc.nat(),
          fc.nat(255),
        )
        .map(([frame, cut, at, value]) => {
          const bytes = frame.slice(0, cut);
          if (bytes.length > 0) bytes[at % bytes.length] = value;
          return bytes;
        }),
    );
    fc.assert(
      fc.property(frames, (bytes) => {
        const d = dissectFrame(bytes);
        expect(d.length).toBe(bytes.length);
        for (const l of d.layers) {
          expect(l.offset + l.length).toBeLessThanOrEqual(bytes.length);
          let last = 0;
          for (const f of l.fields) {
            expect(f.offset).toBeGreaterThanOrEqual(0);
            expect(f.length).toBeGreaterThanOrEqual(0);
            expect(f.offset + f.length).toBeLessThanOrEqual(bytes.length);
            expect(f.offset).toBeGreaterThanOrEqual(last);
            last = f.offset;
          }
        }
      }),
      { numRuns: 500 },
    );
  });
});
