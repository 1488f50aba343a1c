// Hex helpers for the GDB Remote Serial Protocol. No emulator imports (DESIGN.md: gdb/protocol/).

const HEX = '0123456789abcdef';
const BYTE_HEX: string[] = Array.from({ length: 256 }, (_, i) => HEX[i >> 4] + HEX[i & 15]);

/** Value of one hex digit (char code) or -1. */
export function hexDigit(ch: number): number {
  if (ch >= 0x30 && ch <= 0x39) return ch - 0x30;
  if (ch >= 0x61 && ch <= 0x66) return ch - 0x57;
  if (ch >= 0x41 && ch <= 0x46) return ch - 0x37;
  return -1;
}

export function isHex(s: string): boolean {
  if (s.length === 0) return false;
  for (let i = 0; i < s.length; i++) if (hexDigit(s.charCodeAt(i)) < 0) return false;
  return true;
}

/** Bytes → lowercase hex string. */
export function toHex(b: Uint8Array): string {
  if (b.length > 64) return Buffer.from(b.buffer, b.byteOffset, b.length).toString('hex');
  let s = '';
  for (let i = 0; i < b.length; i++) s += BYTE_HEX[b[i]];
  return s;
}

/** Hex string → bytes, or undefined if malformed (odd length or a non-hex digit). */
export function fromHex(s: string): Uint8Array | undefined {
  if (s.length % 2 !== 0) return undefined;
  const out = new Uint8Array(s.length / 2);
  for (let i = 0; i < out.length; i++) {
    const a = hexDigit(s.charCodeAt(2 * i));
    const b = hexDigit(s.charCodeAt(2 * i + 1));
    if (a < 0 || b < 0) return undefined;
    out[i] = (a << 4) | b;
  }
  return out;
}

/** Big-endian hex number (addresses, lengths, thread ids) → bigint, or undefined. At most 16 digits. */
export function parseHexBig(s: string): bigint | undefined {
  if (!isHex(s) || s.length > 16) return undefined;
  // below 2^52 through a double (no string concatenation or BigInt parse)
  return s.length <= 13 ? BigInt(parseInt(s, 16)) : BigInt('0x' + s);
}

/** Hex number → JS number (must be below 2^53), or undefined. */
export function parseHexNum(s: string): number | undefined {
  if (!isHex(s) || s.length > 13) return undefined;
  return parseInt(s, 16);
}

/** Little-endian hex of a 32-bit word (a register half), no BigInt. */
export function leHex32(w: number): string {
  return BYTE_HEX[w & 0xff] + BYTE_HEX[(w >>> 8) & 0xff] + BYTE_HEX[(w >>> 16) & 0xff] + BYTE_HEX[w >>> 24];
}

/** Little-endian encoding of a value of `size` bytes as hex (register contents). */
export function leHex(v: bigint, size: number): string {
  if (size === 8 || size === 4) {
    // two BigInt operations instead of one per byte
    const lo = Number(v & 0xffffffffn);
    const s = BYTE_HEX[lo & 0xff] + BYTE_HEX[(lo >>> 8) & 0xff] + BYTE_HEX[(lo >>> 16) & 0xff] + BYTE_HEX[lo >>> 24];
    if (size === 4) return s;
    const hi = Number((v >> 32n) & 0xffffffffn);
    return s + BYTE_HEX[hi & 0xff] + BYTE_HEX[(hi >>> 8) & 0xff] + BYTE_HEX[(hi >>> 16) & 0xff] + BYTE_HEX[hi >>> 24];
  }
  let s = '';
  for (let i = 0; i < size; i++) {
    s += BYTE_HEX[Number(v & 0xffn)];
    v >>= 8n;
  }
  return s;
}

/** Little-endian bytes → bigint. */
export function leBytesToBig(b: Uint8Array): bigint {
  let v = 0n;
  for (let i = b.length - 1; i >= 0; i--) v = (v << 8n) | BigInt(b[i]);
  return v;
}

/** Text → hex of its UTF-8 bytes (O packets, qRcmd replies). */
export function textToHex(s: string): string {
  return toHex(new TextEncoder().encode(s));
}

/** Hex → text (qRcmd command), or undefined if malformed. */
export function hexToText(s: string): string | undefined {
  const b = fromHex(s);
  return b === undefined ? undefined : new TextDecoder().decode(b);
}
