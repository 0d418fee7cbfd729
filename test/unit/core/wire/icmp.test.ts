import { describe, expect, it } from 'vitest';
import { IcmpPacket, IcmpRepr, IcmpType } from '../../../../core/wire/icmp';
import type { IcmpEchoRepr } from '../../../../core/wire/icmp';
import { ECHO_REPLY, ECHO_REQUEST, PING_DATA, fromHex, toHex } from './fixtures';

const ICMP_START = 14 + 20;

function packet(bytes: Uint8Array): IcmpPacket {
  const checked = IcmpPacket.checked(bytes);
  if (!checked.ok) throw new Error(checked.error);
  return checked.value;
}

function emitted(repr: IcmpRepr): Uint8Array {
  const out = new Uint8Array(IcmpRepr.bufferLen(repr));
  IcmpRepr.emit(repr, new IcmpPacket(out));
  return out;
}

describe('ICMP echo (RFC 792)', () => {
  it('reads an echo request: id 0x0d2a, seq 1, 56 data bytes, checksum 0x37f5', () => {
    const view = packet(ECHO_REQUEST.subarray(ICMP_START));
    expect(view.checksum).toBe(0x37f5);
    expect(view.verifyChecksum()).toBe(true);
    const repr = IcmpRepr.parse(view);
    const expected: IcmpEchoRepr & { kind: 'echo' } = {
      kind: 'echo',
      type: IcmpType.EchoRequest,
      code: 0,
      identifier: 0x0d2a,
      sequence: 1,
      data: PING_DATA,
    };
    expect(repr).toEqual(expected);
  });

  it.each([
    ['request', ECHO_REQUEST],
    ['reply', ECHO_REPLY],
  ])('writes the echo %s back into the same bytes, checksum included', (_name, frame) => {
    const original = frame.subarray(ICMP_START);
    expect(toHex(emitted(IcmpRepr.parse(packet(original))))).toBe(toHex(original));
  });

  it('copies the data so the record outlives the buffer', () => {
    const bytes = ECHO_REQUEST.slice(ICMP_START);
    const repr = IcmpRepr.parse(packet(bytes));
    bytes[10] = 0xff;
    expect(repr.data[2]).toBe(PING_DATA[2]);
  });

  it('fails checksum verification when a data byte is flipped', () => {
    const bytes = ECHO_REQUEST.slice(ICMP_START);
    bytes[30] = (bytes[30] ?? 0) ^ 0x01;
    expect(packet(bytes).verifyChecksum()).toBe(false);
  });

  it('parses time exceeded (11) as a generic record and writes it back', () => {
    // TTL exceeded in transit, quoting the request's IPv4 header and first 8 ICMP bytes.
    const quoted = ECHO_REQUEST.subarray(14, ICMP_START + 8);
    const repr: IcmpRepr = {
      kind: 'other',
      type: IcmpType.TimeExceeded,
      code: 0,
      restOfHeader: 0,
      data: quoted,
    };
    const bytes = emitted(repr);
    expect(toHex(bytes.subarray(0, 2))).toBe('0b00');
    expect(packet(bytes).verifyChecksum()).toBe(true);
    expect(IcmpRepr.parse(packet(bytes))).toEqual({ ...repr, data: quoted.slice() });
  });

  it('parses destination unreachable (3) and unknown types without refusing them', () => {
    const unreachable = packet(fromHex('0303 0000 0000 05dc'));
    expect(IcmpRepr.parse(unreachable)).toMatchObject({
      kind: 'other',
      type: 3,
      code: 3,
      restOfHeader: 0x05dc,
    });
    const unknown = packet(fromHex('2a00 0000 deadbeef 01'));
    expect(IcmpRepr.parse(unknown)).toMatchObject({
      kind: 'other',
      type: 42,
      restOfHeader: 0xdeadbeef,
    });
  });

  it('refuses a message shorter than 8 bytes with an error value', () => {
    const checked = IcmpPacket.checked(fromHex('0800 f7ff 0000 00'));
    expect(checked.ok).toBe(false);
    if (!checked.ok) expect(checked.error).toMatch(/shorter than the 8-byte header/);
  });

  it('refuses to emit into a view of the wrong size, since the checksum covers all of it', () => {
    const repr = IcmpRepr.parse(packet(ECHO_REQUEST.subarray(ICMP_START)));
    expect(() => IcmpRepr.emit(repr, new IcmpPacket(new Uint8Array(80)))).toThrow(RangeError);
  });
});
