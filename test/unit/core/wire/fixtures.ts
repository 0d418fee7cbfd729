/**
 * Byte fixtures shared by the core/wire tests: a host 192.168.1.10 (00:0c:29:3e:5b:7a) resolving
 * and pinging its gateway 192.168.1.1 (00:50:56:c0:00:08), Linux style (56 data bytes, DF set).
 * The checksums were computed independently of core/wire (Python, RFC 1071) and tshark 4.0
 * reports them "Good".
 */

export function fromHex(text: string): Uint8Array {
  const digits = text.replace(/\s+/g, '');
  if (digits.length % 2 !== 0 || !/^[0-9a-f]*$/i.test(digits)) throw new Error(`Bad hex: ${text}`);
  return Uint8Array.from(digits.match(/../g) ?? [], (pair) => Number.parseInt(pair, 16));
}

export function toHex(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

export const HOST_MAC = '00:0c:29:3e:5b:7a';
export const GATEWAY_MAC = '00:50:56:c0:00:08';
export const HOST_IP = '192.168.1.10';
export const GATEWAY_IP = '192.168.1.1';

const PADDING_18 = '000000000000000000000000000000000000';

/** "Who has 192.168.1.1? Tell 192.168.1.10", broadcast, padded to 60 bytes. */
export const ARP_REQUEST = fromHex(
  'ffffffffffff 000c293e5b7a 0806' +
    '0001 0800 06 04 0001 000c293e5b7a c0a8010a 000000000000 c0a80101' +
    PADDING_18,
);

/** "192.168.1.1 is at 00:50:56:c0:00:08". */
export const ARP_REPLY = fromHex(
  '000c293e5b7a 005056c00008 0806' +
    '0001 0800 06 04 0002 005056c00008 c0a80101 000c293e5b7a c0a8010a' +
    PADDING_18,
);

/** The 56 data bytes of a Linux ping: a 16-byte timeval, then 0x10 … 0x37. */
export const PING_DATA = fromHex(
  'e48a5b6500000000a71c0d0000000000' +
    '101112131415161718191a1b1c1d1e1f202122232425262728292a2b2c2d2e2f3031323334353637',
);
const PING_DATA_HEX = toHex(PING_DATA);

/** Echo request, IPv4 id 0x1c46, header checksum 0x9b07; ICMP id 0x0d2a seq 1, checksum 0x37f5. */
export const ECHO_REQUEST = fromHex(
  '005056c00008 000c293e5b7a 0800' +
    '4500 0054 1c46 4000 40 01 9b07 c0a8010a c0a80101' +
    '08 00 37f5 0d2a 0001' +
    PING_DATA_HEX,
);

/** Echo reply, IPv4 id 0x5e7f, header checksum 0x58ce; ICMP checksum 0x3ff5. */
export const ECHO_REPLY = fromHex(
  '000c293e5b7a 005056c00008 0800' +
    '4500 0054 5e7f 4000 40 01 58ce c0a80101 c0a8010a' +
    '00 00 3ff5 0d2a 0001' +
    PING_DATA_HEX,
);
