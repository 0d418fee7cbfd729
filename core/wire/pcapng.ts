/**
 * A pcapng writer (draft-ietf-opsawg-pcapng) for exporting captures that Wireshark and tshark
 * open: one Section Header Block, one Interface Description Block per capture point, one Enhanced
 * Packet Block per frame. Guarantees: little-endian throughout, every block and option padded to
 * 32 bits, timestamps in microseconds (`if_tsresol` = 6), packets stored whole (captured length =
 * original length), and a packet can only name an interface that was added before it.
 */
import { encodeUtf8 } from './utf8';

/** LINKTYPE_ETHERNET from the tcpdump.org link-layer header types registry. */
export const LINKTYPE_ETHERNET = 1;

/** Block type codes, draft-ietf-opsawg-pcapng §4.1, §4.2, §4.3. */
const BLOCK_SECTION_HEADER = 0x0a0d0d0a;
const BLOCK_INTERFACE_DESCRIPTION = 0x00000001;
const BLOCK_ENHANCED_PACKET = 0x00000006;
const BYTE_ORDER_MAGIC = 0x1a2b3c4d;

/** Option codes, §3.5 (common), §4.1 (SHB), §4.2 (IDB). */
const OPT_ENDOFOPT = 0;
const OPT_COMMENT = 1;
const SHB_USERAPPL = 4;
const IF_NAME = 2;
const IF_TSRESOL = 9;
/** if_tsresol 6: "the time resolution is 10^-6 seconds", microseconds. */
const TSRESOL_MICROSECONDS = 6;
/** §4.2 SnapLen: "A value of zero signifies no limit." */
const SNAPLEN_UNLIMITED = 0;
const TWO_TO_32 = 0x1_0000_0000;

interface BlockOption {
  code: number;
  value: Uint8Array;
}

export class PcapngWriter {
  private readonly blocks: Uint8Array[] = [];
  private interfaceCount = 0;

  /** Adds an Interface Description Block and returns its interface id, counting from 0. */
  addInterface(name: string, linkType: number = LINKTYPE_ETHERNET): number {
    const fixed = new DataView(new ArrayBuffer(8));
    fixed.setUint16(0, linkType, true);
    fixed.setUint16(2, 0, true); // Reserved, "MUST be filled with 0".
    fixed.setUint32(4, SNAPLEN_UNLIMITED, true);
    const options = encodeOptions([
      { code: IF_NAME, value: encodeUtf8(name) },
      { code: IF_TSRESOL, value: Uint8Array.of(TSRESOL_MICROSECONDS) },
    ]);
    this.blocks.push(encodeBlock(BLOCK_INTERFACE_DESCRIPTION, [viewBytes(fixed), options]));
    return this.interfaceCount++;
  }

  /** Adds an Enhanced Packet Block. Throws on an unknown interface or a bad timestamp. */
  addPacket(
    interfaceId: number,
    timestampMicros: number,
    bytes: Uint8Array,
    comment?: string,
  ): void {
    if (!Number.isInteger(interfaceId) || interfaceId < 0 || interfaceId >= this.interfaceCount) {
      throw new RangeError(`No pcapng interface ${interfaceId}; add it first`);
    }
    if (!Number.isSafeInteger(timestampMicros) || timestampMicros < 0) {
      throw new RangeError(`Timestamp must be whole non-negative microseconds: ${timestampMicros}`);
    }
    const fixed = new DataView(new ArrayBuffer(20));
    fixed.setUint32(0, interfaceId, true);
    fixed.setUint32(4, Math.floor(timestampMicros / TWO_TO_32), true);
    fixed.setUint32(8, timestampMicros % TWO_TO_32, true);
    fixed.setUint32(12, bytes.length, true);
    fixed.setUint32(16, bytes.length, true);
    const options =
      comment === undefined ? [] : [{ code: OPT_COMMENT, value: encodeUtf8(comment) }];
    const parts = [viewBytes(fixed), padded(bytes), encodeOptions(options)];
    this.blocks.push(encodeBlock(BLOCK_ENHANCED_PACKET, parts));
  }

  /** The whole file: a Section Header Block, then the blocks in the order they were added. */
  toBytes(): Uint8Array {
    return concat([sectionHeaderBlock(), ...this.blocks]);
  }
}

function sectionHeaderBlock(): Uint8Array {
  const fixed = new DataView(new ArrayBuffer(16));
  fixed.setUint32(0, BYTE_ORDER_MAGIC, true);
  fixed.setUint16(4, 1, true); // Major version 1.
  fixed.setUint16(6, 0, true); // Minor version 0.
  fixed.setBigInt64(8, -1n, true); // Section length -1: "not specified", so it can be streamed.
  const options = encodeOptions([{ code: SHB_USERAPPL, value: encodeUtf8('Nestlab') }]);
  return encodeBlock(BLOCK_SECTION_HEADER, [viewBytes(fixed), options]);
}

/** §3.1: type, total length, body, total length again; the body is already 32-bit aligned. */
function encodeBlock(type: number, body: Uint8Array[]): Uint8Array {
  const bodyLength = body.reduce((sum, part) => sum + part.length, 0);
  const totalLength = 12 + bodyLength;
  const head = new DataView(new ArrayBuffer(8));
  head.setUint32(0, type, true);
  head.setUint32(4, totalLength, true);
  const tail = new DataView(new ArrayBuffer(4));
  tail.setUint32(0, totalLength, true);
  return concat([viewBytes(head), ...body, viewBytes(tail)]);
}

/** §3.5: code, length, value padded to 32 bits; the list ends with opt_endofopt if not empty. */
function encodeOptions(options: BlockOption[]): Uint8Array {
  if (options.length === 0) return new Uint8Array(0);
  const parts = options.map((option) => {
    const header = new DataView(new ArrayBuffer(4));
    header.setUint16(0, option.code, true);
    header.setUint16(2, option.value.length, true);
    return concat([viewBytes(header), padded(option.value)]);
  });
  const end = new DataView(new ArrayBuffer(4));
  end.setUint16(0, OPT_ENDOFOPT, true);
  return concat([...parts, viewBytes(end)]);
}

/** A copy padded with zeros to a multiple of 4 bytes. */
function padded(bytes: Uint8Array): Uint8Array {
  const out = new Uint8Array(Math.ceil(bytes.length / 4) * 4);
  out.set(bytes);
  return out;
}

function viewBytes(view: DataView): Uint8Array {
  return new Uint8Array(view.buffer, view.byteOffset, view.byteLength);
}

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}
