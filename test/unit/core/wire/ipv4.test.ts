import { describe, expect, it } from 'vitest';
import { IpProtocol, Ipv4Packet, Ipv4Repr } from '../../../../core/wire/ipv4';
import { ECHO_REQUEST, fromHex, toHex } from './fixtures';

/** The well-known header (checksum 0xb861) with its 95 bytes of UDP payload, as zeros. */
const UDP_HEADER_HEX = '4500 0073 0000 4000 4011 b861 c0a8 0001 c0a8 00c7';
const UDP_PACKET = fromHex(UDP_HEADER_HEX + '00'.repeat(95));

function packet(bytes: Uint8Array): Ipv4Packet {
  const checked = Ipv4Packet.checked(bytes);
  if (!checked.ok) throw new Error(checked.error);
  return checked.value;
}

describe('IPv4 (RFC 791)', () => {
  it('reads every header field', () => {
    const view = packet(UDP_PACKET);
    expect(view.version).toBe(4);
    expect(view.ihl).toBe(5);
    expect(view.headerLength).toBe(20);
    expect([view.dscp, view.ecn]).toEqual([0, 0]);
    expect(view.totalLength).toBe(115);
    expect(view.identification).toBe(0);
    expect(view.flags).toBe(0b010);
    expect(view.fragmentOffset).toBe(0);
    expect(view.ttl).toBe(64);
    expect(view.protocol).toBe(IpProtocol.Udp);
    expect(view.checksum).toBe(0xb861);
    expect(view.src.toString()).toBe('192.168.0.1');
    expect(view.dst.toString()).toBe('192.168.0.199');
    expect(view.payload.length).toBe(95);
    expect(view.verifyChecksum()).toBe(true);
  });

  it('writes the record back into the same header, checksum included', () => {
    const repr = Ipv4Repr.parse(packet(UDP_PACKET));
    expect(repr.payloadLength).toBe(95);
    const out = new Uint8Array(Ipv4Repr.bufferLen(repr));
    Ipv4Repr.emit(repr, new Ipv4Packet(out));
    expect(toHex(out)).toBe(toHex(UDP_PACKET));
  });

  it('writes the echo request header of a Linux ping (id 0x1c46, checksum 0x9b07)', () => {
    const ipBytes = ECHO_REQUEST.subarray(14);
    const repr = Ipv4Repr.parse(packet(ipBytes));
    const out = new Uint8Array(Ipv4Repr.bufferLen(repr));
    Ipv4Repr.emit(repr, new Ipv4Packet(out));
    expect(toHex(out.subarray(0, 20))).toBe(toHex(ipBytes.subarray(0, 20)));
  });

  it('fails checksum verification when a header byte is flipped, and fillChecksum mends it', () => {
    const corrupted = UDP_PACKET.slice();
    corrupted[8] = 63;
    const view = packet(corrupted);
    expect(view.verifyChecksum()).toBe(false);
    view.fillChecksum();
    expect(view.verifyChecksum()).toBe(true);
    expect(view.checksum).toBe(0xb961);
  });

  it('ignores payload bytes in the header checksum', () => {
    const bytes = UDP_PACKET.slice();
    bytes[40] = 0xff;
    expect(packet(bytes).verifyChecksum()).toBe(true);
  });

  it('limits the payload to the total length, excluding Ethernet padding', () => {
    const padded = fromHex(UDP_HEADER_HEX + '00'.repeat(95) + 'eeee');
    expect(packet(padded).payload.length).toBe(95);
  });

  it('finds the payload after options (IHL 6)', () => {
    const withOption = fromHex('4600 0018 0000 0000 4001 0000 0a000001 0a000002 01010100');
    const view = packet(withOption);
    view.fillChecksum();
    expect(view.headerLength).toBe(24);
    expect(view.payload.length).toBe(0);
    expect(view.verifyChecksum()).toBe(true);
  });

  it.each([
    ['shorter than 20 bytes', fromHex('4500 0014 0000'), /shorter than the 20-byte header/],
    ['version 6', patched(0, 0x65), /version 6 is not 4/],
    ['IHL 4', patched(0, 0x44), /header length 4 words/],
    ['IHL 15 beyond the buffer', fromHex('4f00 0014' + '00'.repeat(16)), /header of 60 bytes/],
    ['total length below the header', patched(3, 0x10), /total length 16 is shorter/],
    ['total length beyond the buffer', patched(2, 0x01), /total length 371 is longer/],
  ])('refuses a packet with %s', (_name, bytes, message) => {
    const checked = Ipv4Packet.checked(bytes);
    expect(checked.ok).toBe(false);
    if (!checked.ok) expect(checked.error).toMatch(message);
  });

  it('refuses to emit a packet longer than 65535 bytes', () => {
    const repr = Ipv4Repr.parse(packet(UDP_PACKET));
    const huge = { ...repr, payloadLength: 65516 };
    expect(() => Ipv4Repr.emit(huge, new Ipv4Packet(new Uint8Array(20)))).toThrow(RangeError);
  });
});

function patched(offset: number, value: number): Uint8Array {
  const bytes = UDP_PACKET.slice();
  bytes[offset] = value;
  return bytes;
}
