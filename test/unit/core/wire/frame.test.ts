import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ArpOperation } from '../../../../core/wire/arp';
import type { ArpRepr } from '../../../../core/wire/arp';
import { EtherType } from '../../../../core/wire/ethernet';
import {
  buildArp,
  buildEthernet,
  buildIcmp,
  buildIcmpEcho,
  buildRaw,
  decrementTtl,
  parseFrame,
  rewriteEthernet,
} from '../../../../core/wire/frame';
import type { Ipv4FrameArgs } from '../../../../core/wire/frame';
import { IcmpType } from '../../../../core/wire/icmp';
import { Ipv4Packet } from '../../../../core/wire/ipv4';
import { Ipv4Address } from '../../../../core/wire/ipv4-address';
import { Mac } from '../../../../core/wire/mac';
import * as fx from './fixtures';

function mac(text: string): Mac {
  const parsed = Mac.parse(text);
  if (parsed === null) throw new Error(text);
  return parsed;
}

function ip(text: string): Ipv4Address {
  const parsed = Ipv4Address.parse(text);
  if (parsed === null) throw new Error(text);
  return parsed;
}

const host = { mac: mac(fx.HOST_MAC), ip: ip(fx.HOST_IP) };
const gateway = { mac: mac(fx.GATEWAY_MAC), ip: ip(fx.GATEWAY_IP) };

const requestArgs: Ipv4FrameArgs = {
  srcMac: host.mac,
  dstMac: gateway.mac,
  srcIp: host.ip,
  dstIp: gateway.ip,
  ttl: 64,
  identification: 0x1c46,
};

function ipv4Of(frame: Uint8Array): Ipv4Packet {
  return new Ipv4Packet(frame.subarray(14));
}

describe('building frames', () => {
  it('builds the ARP request and reply fixtures byte for byte, padded to 60', () => {
    const request: ArpRepr = {
      operation: ArpOperation.Request,
      senderMac: host.mac,
      senderIp: host.ip,
      targetMac: Mac.fromNumber(0),
      targetIp: gateway.ip,
    };
    const built = buildArp({ src: host.mac, dst: Mac.BROADCAST, arp: request });
    expect(fx.toHex(built)).toBe(fx.toHex(fx.ARP_REQUEST));
    const reply: ArpRepr = {
      operation: ArpOperation.Reply,
      senderMac: gateway.mac,
      senderIp: gateway.ip,
      targetMac: host.mac,
      targetIp: host.ip,
    };
    const replyFrame = buildArp({ src: gateway.mac, dst: host.mac, arp: reply });
    expect(fx.toHex(replyFrame)).toBe(fx.toHex(fx.ARP_REPLY));
  });

  it('builds the echo request and reply fixtures with correct checksums', () => {
    const echo = {
      type: IcmpType.EchoRequest,
      code: 0,
      identifier: 0x0d2a,
      sequence: 1,
      data: fx.PING_DATA,
    };
    expect(fx.toHex(buildIcmpEcho({ ...requestArgs, echo }))).toBe(fx.toHex(fx.ECHO_REQUEST));
    const reply = buildIcmpEcho({
      srcMac: gateway.mac,
      dstMac: host.mac,
      srcIp: gateway.ip,
      dstIp: host.ip,
      ttl: 64,
      identification: 0x5e7f,
      echo: { ...echo, type: IcmpType.EchoReply },
    });
    expect(fx.toHex(reply)).toBe(fx.toHex(fx.ECHO_REPLY));
  });

  it('pads short frames with zeros to 60 bytes and leaves long ones alone', () => {
    const raw = buildRaw({
      src: host.mac,
      dst: gateway.mac,
      etherType: 0x88b5,
      payload: fx.fromHex('abcd'),
    });
    expect(raw.length).toBe(60);
    expect(fx.toHex(raw.subarray(12))).toBe('88b5abcd' + '00'.repeat(44));
    expect(buildRaw({ src: host.mac, dst: gateway.mac, etherType: 0x88b5 }).length).toBe(60);
    const long = buildEthernet(
      { src: host.mac, dst: gateway.mac, etherType: 0x88b5 },
      new Uint8Array(100),
    );
    expect(long.length).toBe(114);
  });
});

describe('parseFrame', () => {
  it('decodes an ARP request', () => {
    const parsed = parseFrame(fx.ARP_REQUEST);
    expect(parsed.proto).toBe('arp');
    expect(parsed.errors).toEqual([]);
    expect(parsed.eth?.dst.isBroadcast()).toBe(true);
    expect(parsed.eth?.etherType).toBe(EtherType.Arp);
    expect(parsed.arp?.operation).toBe(ArpOperation.Request);
    expect(parsed.arp?.targetIp.toString()).toBe(fx.GATEWAY_IP);
  });

  it('decodes an echo request through IPv4 into ICMP, ignoring Ethernet padding', () => {
    const parsed = parseFrame(fx.ECHO_REQUEST);
    expect(parsed.proto).toBe('icmp');
    expect(parsed.errors).toEqual([]);
    expect(parsed.ipv4).toMatchObject({
      ttl: 64,
      protocol: 1,
      payloadLength: 64,
      headerLength: 20,
      checksumOk: true,
    });
    expect(parsed.ipv4?.flags).toBe(0b010);
    expect(parsed.icmp).toMatchObject({
      kind: 'echo',
      type: 8,
      identifier: 0x0d2a,
      sequence: 1,
      checksumOk: true,
    });
    const padded = Uint8Array.from([...fx.ECHO_REQUEST, 0, 0, 0, 0]);
    expect(parseFrame(padded).icmp?.checksumOk).toBe(true);
  });

  it('reports bad IPv4 and ICMP checksums without refusing the frame', () => {
    const bytes = fx.ECHO_REQUEST.slice();
    bytes[14 + 8] = 1; // TTL
    bytes[60] = (bytes[60] ?? 0) ^ 0xff; // ICMP data
    const parsed = parseFrame(bytes);
    expect(parsed.proto).toBe('icmp');
    expect(parsed.ipv4?.checksumOk).toBe(false);
    expect(parsed.icmp?.checksumOk).toBe(false);
    expect(parsed.errors).toEqual([
      'IPv4: header checksum 0x9b07 is wrong',
      'ICMP: checksum 0x37f5 is wrong',
    ]);
  });

  it('stops at IPv4 for other protocols and for fragments', () => {
    const udp = fx.ECHO_REQUEST.slice();
    const view = ipv4Of(udp);
    udp[14 + 9] = 17;
    view.fillChecksum();
    expect(parseFrame(udp)).toMatchObject({ proto: 'ipv4', errors: [] });
    const fragment = fx.ECHO_REQUEST.slice();
    fragment[14 + 6] = 0x20; // More Fragments
    ipv4Of(fragment).fillChecksum();
    expect(parseFrame(fragment)).toMatchObject({ proto: 'ipv4', errors: [] });
  });

  it('parses unknown EtherTypes as other, with no errors', () => {
    const parsed = parseFrame(buildRaw({ src: host.mac, dst: gateway.mac, etherType: 0x88cc }));
    expect(parsed).toMatchObject({ proto: 'other', errors: [] });
    expect(parsed.eth?.etherType).toBe(0x88cc);
  });

  it('names what it cannot decode', () => {
    expect(parseFrame(new Uint8Array(10))).toEqual({
      eth: null,
      proto: 'other',
      errors: ['Ethernet: 10 bytes is shorter than the 14-byte header'],
    });
    const truncatedIp = fx.ECHO_REQUEST.subarray(0, 40);
    expect(parseFrame(truncatedIp).errors).toEqual([
      'IPv4: total length 84 is longer than the 26 bytes present',
    ]);
    const shortArp = fx.ARP_REQUEST.subarray(0, 30);
    expect(parseFrame(shortArp).errors[0]).toMatch(/^ARP: 16 bytes is shorter/);
  });

  it('never throws on random bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (bytes) => {
        const parsed = parseFrame(bytes);
        expect(parsed.eth === null).toBe(bytes.length < 14);
      }),
      { numRuns: 1000 },
    );
  });

  it('never throws on corrupted and truncated real frames', () => {
    const fixtures = fc.constantFrom(fx.ARP_REQUEST, fx.ARP_REPLY, fx.ECHO_REQUEST, fx.ECHO_REPLY);
    const edits = fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { maxLength: 6 });
    fc.assert(
      fc.property(fixtures, edits, fc.nat(120), (frame, changes, cut) => {
        const bytes = frame.slice(0, cut);
        for (const [at, value] of changes) if (bytes.length > 0) bytes[at % bytes.length] = value;
        expect(['arp', 'icmp', 'ipv4', 'other']).toContain(parseFrame(bytes).proto);
      }),
      { numRuns: 1000 },
    );
  });
});

describe('routing helpers', () => {
  it('rewriteEthernet returns a copy with new MACs and leaves the input alone', () => {
    const original = fx.ECHO_REQUEST.slice();
    const newDst = mac('02:00:00:00:00:99');
    const rewritten = rewriteEthernet(original, { src: gateway.mac, dst: newDst });
    expect(fx.toHex(rewritten.subarray(0, 12))).toBe('020000000099005056c00008');
    expect(fx.toHex(rewritten.subarray(12))).toBe(fx.toHex(fx.ECHO_REQUEST.subarray(12)));
    expect(fx.toHex(original)).toBe(fx.toHex(fx.ECHO_REQUEST));
    expect(fx.toHex(rewriteEthernet(original, {}))).toBe(fx.toHex(original));
  });

  it('decrementTtl lowers the TTL and keeps the header checksum valid', () => {
    const next = decrementTtl(fx.ECHO_REQUEST);
    expect(next).not.toBeNull();
    if (next === null) return;
    const view = ipv4Of(next);
    expect(view.ttl).toBe(63);
    expect(view.checksum).toBe(0x9c07);
    expect(view.verifyChecksum()).toBe(true);
    expect(parseFrame(next).errors).toEqual([]);
    expect(ipv4Of(fx.ECHO_REQUEST).ttl).toBe(64);
  });

  it('decrementTtl agrees with a full checksum recomputation for any header', () => {
    const headers = fc.record({
      ttl: fc.integer({ min: 2, max: 255 }),
      identification: fc.nat(0xffff),
      protocol: fc.nat(255),
      src: fc.nat(0xffff_ffff),
      dst: fc.nat(0xffff_ffff),
    });
    fc.assert(
      fc.property(headers, (h) => {
        const frame = buildIcmp({
          ...requestArgs,
          srcIp: Ipv4Address.fromNumber(h.src),
          dstIp: Ipv4Address.fromNumber(h.dst),
          ttl: h.ttl,
          identification: h.identification,
          icmp: { kind: 'other', type: 11, code: 0, restOfHeader: 0, data: new Uint8Array(0) },
        });
        frame[14 + 9] = h.protocol;
        ipv4Of(frame).fillChecksum();
        const next = decrementTtl(frame);
        if (next === null) throw new Error('TTL >= 2 must forward');
        const recomputed = next.slice();
        ipv4Of(recomputed).fillChecksum();
        expect(ipv4Of(next).verifyChecksum()).toBe(true);
        expect(ipv4Of(next).checksum).toBe(ipv4Of(recomputed).checksum);
      }),
      { numRuns: 500 },
    );
  });

  it('decrementTtl returns null when the TTL would reach 0, and for non-IPv4 frames', () => {
    const last = fx.ECHO_REQUEST.slice();
    last[14 + 8] = 1;
    ipv4Of(last).fillChecksum();
    expect(decrementTtl(last)).toBeNull();
    last[14 + 8] = 0;
    expect(decrementTtl(last)).toBeNull();
    expect(decrementTtl(fx.ARP_REQUEST)).toBeNull();
    expect(decrementTtl(fx.ECHO_REQUEST.subarray(0, 30))).toBeNull();
  });

  it('decrementTtl keeps a bad checksum bad instead of laundering it', () => {
    const bad = fx.ECHO_REQUEST.slice();
    bad[14 + 11] = (bad[14 + 11] ?? 0) ^ 0x01;
    const next = decrementTtl(bad);
    expect(next === null ? null : ipv4Of(next).verifyChecksum()).toBe(false);
  });
});
