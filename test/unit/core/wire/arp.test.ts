import { describe, expect, it } from 'vitest';
import { ArpOperation, ArpPacket, ArpRepr } from '../../../../core/wire/arp';
import {
  ARP_REPLY,
  ARP_REQUEST,
  GATEWAY_IP,
  GATEWAY_MAC,
  HOST_IP,
  HOST_MAC,
  fromHex,
  toHex,
} from './fixtures';

function arpOf(frame: Uint8Array): Uint8Array {
  return frame.subarray(14, 14 + 28);
}

function packet(bytes: Uint8Array): ArpPacket {
  const checked = ArpPacket.checked(bytes);
  if (!checked.ok) throw new Error(checked.error);
  return checked.value;
}

describe('ARP (RFC 826)', () => {
  it('reads a request: who has 192.168.1.1? tell 192.168.1.10', () => {
    const view = packet(arpOf(ARP_REQUEST));
    expect([view.hardwareType, view.protocolType, view.hardwareLen, view.protocolLen]).toEqual([
      1, 0x0800, 6, 4,
    ]);
    const repr = ArpRepr.parse(view);
    expect(repr.operation).toBe(ArpOperation.Request);
    expect(repr.senderMac.toString()).toBe(HOST_MAC);
    expect(repr.senderIp.toString()).toBe(HOST_IP);
    expect(repr.targetMac.toString()).toBe('00:00:00:00:00:00');
    expect(repr.targetIp.toString()).toBe(GATEWAY_IP);
  });

  it('reads a reply: 192.168.1.1 is at 00:50:56:c0:00:08', () => {
    const repr = ArpRepr.parse(packet(arpOf(ARP_REPLY)));
    expect(repr.operation).toBe(ArpOperation.Reply);
    expect(repr.senderMac.toString()).toBe(GATEWAY_MAC);
    expect(repr.senderIp.toString()).toBe(GATEWAY_IP);
    expect(repr.targetMac.toString()).toBe(HOST_MAC);
  });

  it.each([
    ['request', ARP_REQUEST],
    ['reply', ARP_REPLY],
  ])('writes the %s fields back into the same bytes', (_name, frame) => {
    const repr = ArpRepr.parse(packet(arpOf(frame)));
    const out = new Uint8Array(ArpRepr.bufferLen());
    ArpRepr.emit(repr, new ArpPacket(out));
    expect(toHex(out)).toBe(toHex(arpOf(frame)));
  });

  it('parses operations RFC 826 does not define (InARP request, 8)', () => {
    const bytes = arpOf(ARP_REQUEST).slice();
    bytes.set([0, 8], 6);
    expect(ArpRepr.parse(packet(bytes)).operation).toBe(8);
  });

  it.each([
    ['too short', fromHex('0001 0800 06 04 0001'), /shorter than the 28-byte/],
    ['IEEE 802 hardware', patch(0, [0, 6]), /hardware type 6 is not Ethernet/],
    ['IPv6 protocol', patch(2, [0x86, 0xdd]), /protocol type 0x86dd is not IPv4/],
    ['8-byte hardware addresses', patch(4, [8]), /address lengths 8\/4/],
    ['16-byte protocol addresses', patch(5, [16]), /address lengths 6\/16/],
  ])('refuses %s with an error value', (_name, bytes, message) => {
    const checked = ArpPacket.checked(bytes);
    expect(checked.ok).toBe(false);
    if (!checked.ok) expect(checked.error).toMatch(message);
  });
});

function patch(offset: number, values: number[]): Uint8Array {
  const bytes = arpOf(ARP_REQUEST).slice();
  bytes.set(values, offset);
  return bytes;
}
