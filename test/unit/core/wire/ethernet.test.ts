import { describe, expect, it } from 'vitest';
import {
  EtherType,
  EthernetFrame,
  EthernetRepr,
  etherTypeName,
} from '../../../../core/wire/ethernet';
import { Mac } from '../../../../core/wire/mac';
import { ARP_REQUEST, ECHO_REQUEST, fromHex, GATEWAY_MAC, HOST_MAC, toHex } from './fixtures';

function frame(bytes: Uint8Array): EthernetFrame {
  const checked = EthernetFrame.checked(bytes);
  if (!checked.ok) throw new Error(checked.error);
  return checked.value;
}

describe('Ethernet II', () => {
  it('reads bytes into fields: a broadcast ARP request', () => {
    const repr = EthernetRepr.parse(frame(ARP_REQUEST));
    expect(repr.dst.isBroadcast()).toBe(true);
    expect(repr.src.toString()).toBe(HOST_MAC);
    expect(repr.etherType).toBe(EtherType.Arp);
  });

  it('writes fields into the same bytes: a unicast IPv4 header', () => {
    const bytes = new Uint8Array(14);
    const repr = EthernetRepr.parse(frame(ECHO_REQUEST));
    expect(repr.dst.toString()).toBe(GATEWAY_MAC);
    EthernetRepr.emit(repr, new EthernetFrame(bytes));
    expect(toHex(bytes)).toBe('005056c00008000c293e5b7a0800');
  });

  it('exposes the payload as a view after the 14-byte header, padding included', () => {
    const view = frame(ARP_REQUEST);
    expect(view.payload.length).toBe(46);
    expect(toHex(view.payload.subarray(0, 4))).toBe('00010800');
    view.payload[0] = 0xaa;
    expect(view.bytes[14]).toBe(0xaa);
  });

  it('parses an unknown EtherType as its number', () => {
    // 0x88b5 is IEEE 802 "Local Experimental EtherType 1".
    const bytes = fromHex('02000000000a 02000000000b 88b5 deadbeef');
    const repr = EthernetRepr.parse(frame(bytes));
    expect(repr.etherType).toBe(0x88b5);
    expect(etherTypeName(repr.etherType)).toBeNull();
    expect(etherTypeName(EtherType.Vlan)).toBe('802.1Q');
    expect(etherTypeName(EtherType.Ipv6)).toBe('IPv6');
  });

  it('rejects buffers shorter than the header with an error value', () => {
    for (const length of [0, 1, 13]) {
      const checked = EthernetFrame.checked(new Uint8Array(length));
      expect(checked.ok).toBe(false);
      if (!checked.ok) expect(checked.error).toMatch(/shorter than the 14-byte header/);
    }
    expect(EthernetFrame.checked(new Uint8Array(14)).ok).toBe(true);
    expect(() => new EthernetFrame(new Uint8Array(13))).toThrow(RangeError);
  });

  it('sizes frames to at least the 60-byte minimum (no FCS)', () => {
    expect(EthernetRepr.bufferLen(0)).toBe(60);
    expect(EthernetRepr.bufferLen(46)).toBe(60);
    expect(EthernetRepr.bufferLen(84)).toBe(98);
  });

  it('sets fields through the view', () => {
    const view = new EthernetFrame(new Uint8Array(14));
    view.dst = Mac.BROADCAST;
    view.src = Mac.fromNumber(0x020000000001);
    view.etherType = EtherType.Ipv6;
    expect(toHex(view.bytes)).toBe('ffffffffffff02000000000186dd');
  });
});
