/**
 * UTF-8 encoding (RFC 3629) for pure core, which has no TextEncoder. Guarantees: the same bytes
 * as `TextEncoder.encode`, including U+FFFD for a lone surrogate.
 */

const REPLACEMENT_CHARACTER = 0xfffd;

export function encodeUtf8(text: string): Uint8Array {
  const out: number[] = [];
  for (const char of text) pushCodePoint(out, scalarValue(char));
  return Uint8Array.from(out);
}

/** Iterating a string yields whole code points; a lone surrogate comes through on its own. */
function scalarValue(char: string): number {
  const codePoint = char.codePointAt(0) ?? REPLACEMENT_CHARACTER;
  const isSurrogate = codePoint >= 0xd800 && codePoint <= 0xdfff;
  return isSurrogate ? REPLACEMENT_CHARACTER : codePoint;
}

/** RFC 3629 §3: 1 to 4 bytes, the lead byte saying how many follow, each follower 10xxxxxx. */
function pushCodePoint(out: number[], cp: number): void {
  if (cp < 0x80) {
    out.push(cp);
  } else if (cp < 0x800) {
    out.push(0xc0 | (cp >> 6), 0x80 | (cp & 0x3f));
  } else if (cp < 0x10000) {
    out.push(0xe0 | (cp >> 12), 0x80 | ((cp >> 6) & 0x3f), 0x80 | (cp & 0x3f));
  } else {
    out.push(
      0xf0 | (cp >> 18),
      0x80 | ((cp >> 12) & 0x3f),
      0x80 | ((cp >> 6) & 0x3f),
      0x80 | (cp & 0x3f),
    );
  }
}

/** The length of `text` in UTF-8 bytes, without encoding it (a lone surrogate counts 3, as U+FFFD). */
export function utf8Length(text: string): number {
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) bytes += 1;
    else if (c < 0x800) bytes += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length) {
      const next = text.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        bytes += 4;
        i++;
      } else bytes += 3;
    } else bytes += 3;
  }
  return bytes;
}

/**
 * The UTF-8 length of `text` as a JSON string's contents: quotes and backslashes escaped to two
 * bytes, other control characters to six (`\u0001`), so a budget in bytes of JSON holds whatever
 * the text is made of.
 */
export function jsonTextLength(text: string): number {
  let extra = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x22 || c === 0x5c) extra += 1;
    else if (c < 0x20) extra += 5;
  }
  return utf8Length(text) + extra;
}
