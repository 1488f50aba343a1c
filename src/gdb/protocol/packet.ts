// Packet framing for the GDB Remote Serial Protocol (GDB manual, "Overview" of Remote Protocol):
// `$payload#cs` with a modulo-256 checksum, `}` escapes (byte ^ 0x20) for `$ # } *`, run-length
// encoding `X*n` (repeat X (n - 29) more times) in replies. No emulator imports.

export const ESCAPE = 0x7d; // '}'
const DOLLAR = 0x24;
const HASH = 0x23;
const STAR = 0x2a;

export function checksum(data: Uint8Array, start = 0, end = data.length): number {
  if (end - start > 256) {
    let s = 0;
    for (let i = start; i < end; i++) s += data[i];
    return s & 0xff;
  }
  let s = 0;
  for (let i = start; i < end; i++) s = (s + data[i]) & 0xff;
  return s;
}

function needsEscape(b: number): boolean {
  return b === DOLLAR || b === HASH || b === ESCAPE || b === STAR;
}

/** Escape binary data for a packet body (X packets, qXfer replies). */
export function escapeBinary(data: Uint8Array): Uint8Array {
  let n = 0;
  for (let i = 0; i < data.length; i++) if (needsEscape(data[i])) n++;
  if (n === 0) return data;
  const out = new Uint8Array(data.length + n);
  let j = 0;
  for (let i = 0; i < data.length; i++) {
    const b = data[i];
    if (needsEscape(b)) {
      out[j++] = ESCAPE;
      out[j++] = b ^ 0x20;
    } else out[j++] = b;
  }
  return out;
}

/** Undo `}` escaping; undefined if the data ends in a lone escape byte. */
export function unescapeBinary(data: Uint8Array): Uint8Array | undefined {
  const out = new Uint8Array(data.length);
  let j = 0;
  for (let i = 0; i < data.length; i++) {
    const b = data[i];
    if (b === ESCAPE) {
      if (i + 1 >= data.length) return undefined;
      out[j++] = data[++i] ^ 0x20;
    } else out[j++] = b;
  }
  return out.subarray(0, j);
}

/** Expand run-length encoding (`c*N` = c repeated N-29 further times). Undefined if malformed. */
export function rleDecode(data: Uint8Array): Uint8Array | undefined {
  let hasStar = false;
  for (let i = 0; i < data.length; i++)
    if (data[i] === STAR) {
      hasStar = true;
      break;
    }
  if (!hasStar) return data;
  const out: number[] = [];
  for (let i = 0; i < data.length; i++) {
    const b = data[i];
    if (b === STAR) {
      if (out.length === 0 || i + 1 >= data.length) return undefined;
      const n = data[++i] - 29;
      if (n < 0) return undefined;
      const prev = out[out.length - 1];
      for (let k = 0; k < n; k++) out.push(prev);
    } else out.push(b);
  }
  return Uint8Array.from(out);
}

/** Run-length encode reply text: a run of 4+ equal characters becomes `c*N` with N = repeats + 29.
 * Repeat counts whose count character would be `#` (6) or `$` (7) are shortened to 5. */
export function rleEncode(s: string): string {
  let out = '';
  let i = 0;
  while (i < s.length) {
    const ch = s[i];
    let j = i + 1;
    while (j < s.length && s[j] === ch && j - i <= 97) j++;
    let reps = j - i - 1; // further repeats after the first char
    if (reps >= 3 && ch !== '*' && ch !== '#' && ch !== '$' && ch !== '}') {
      if (reps === 6 || reps === 7) reps = 5;
      out += ch + '*' + String.fromCharCode(reps + 29);
      i += reps + 1;
    } else {
      out += ch;
      i++;
    }
  }
  return out;
}

/** Frame a payload (already escaped where the packet type needs binary escaping). Text replies
 * (most of a session's traffic) are copied by Buffer's native latin1 write into a pooled buffer,
 * then summed: about twice as fast as a charCodeAt loop for a stop reply. */
export function framePacket(payload: Uint8Array | string): Uint8Array {
  const n = payload.length;
  const out = Buffer.allocUnsafe(n + 4);
  if (typeof payload === 'string') out.write(payload, 1, 'latin1');
  else out.set(payload, 1);
  let cs = 0;
  for (let i = 1; i <= n; i++) cs += out[i];
  cs &= 0xff;
  out[0] = DOLLAR;
  out[n + 1] = HASH;
  out[n + 2] = HEX_DIGITS[cs >> 4];
  out[n + 3] = HEX_DIGITS[cs & 15];
  return out;
}

const HEX_DIGITS = Uint8Array.from('0123456789abcdef', (c) => c.charCodeAt(0));
/** byte → its two hex digits (high digit in the upper 8 bits) */
const HEX_PAIRS = Uint16Array.from({ length: 256 }, (_, i) => (HEX_DIGITS[i >> 4] << 8) | HEX_DIGITS[i & 15]);

/**
 * A complete packet (`$...#cs`) that a handler framed itself (large replies built in one pass).
 * (Streaming such a reply in parts as it is built was measured slower: gdb 13 then drains the
 * socket faster than we fill it and pays a wake-up per part.)
 */
export class Framed {
  constructor(readonly bytes: Uint8Array) {}
}

/**
 * The whole `m` reply packet for `data`: hex digits, run-length encoded (same rules as
 * rleEncode) and checksummed in one pass over one buffer. A memory dump is bounded by this
 * and by gdb's own hex decoding.
 */
export function frameHexRle(data: Uint8Array): Framed {
  const n = data.length * 2;
  const out = new Uint8Array(n + 4);
  for (let i = 0, k = 1; i < data.length; i++, k += 2) {
    const p = HEX_PAIRS[data[i]];
    out[k] = p >> 8;
    out[k + 1] = p & 0xff;
  }
  // compact in place: the output never runs ahead of the input (a run of 4+ becomes 3 bytes)
  out[0] = DOLLAR;
  const end = n + 1;
  let o = 1;
  let cs = 0;
  let i = 1;
  while (i < end) {
    const ch = out[i];
    if (out[i + 1] !== ch || i + 3 >= end || out[i + 2] !== ch || out[i + 3] !== ch) {
      out[o++] = ch;
      cs += ch;
      i++;
    } else {
      let j = i + 4;
      while (j < end && out[j] === ch && j - i <= 97) j++;
      let reps = j - i - 1; // 3..97 further repeats; hex digits never need escaping
      if (reps === 6 || reps === 7) reps = 5; // the count character would be '#' or '$'
      out[o++] = ch;
      out[o++] = STAR;
      out[o++] = reps + 29;
      cs += ch + STAR + reps + 29;
      i += reps + 1;
    }
  }
  cs &= 0xff;
  out[o] = HASH;
  out[o + 1] = HEX_DIGITS[cs >> 4];
  out[o + 2] = HEX_DIGITS[cs & 15];
  return new Framed(out.subarray(0, o + 3));
}

/**
 * A binary memory read reply (`x` packet, GDB 16's `binary-upload`): `b` then the bytes with `}`
 * escapes for `# $ } *`, run-length coded on the escaped stream (gdb expands runs before it
 * unescapes, so only plain bytes are ever repeated), framed and checksummed in one pass. Stops
 * before the packet body would exceed maxBody; `used` is how many input bytes the reply carries.
 */
export function frameBinRle(data: Uint8Array, maxBody: number): { frame: Framed; used: number } {
  const out = new Uint8Array(Math.min(2 * data.length + 1, maxBody) + 4);
  const limit = out.length - 3; // room for '#cs'
  out[0] = DOLLAR;
  out[1] = 0x62; // 'b'
  let o = 2;
  let cs = 0x62;
  let i = 0;
  const n = data.length;
  while (i < n) {
    const b = data[i];
    if (b === DOLLAR || b === HASH || b === ESCAPE || b === STAR) {
      if (o + 2 > limit) break;
      out[o++] = ESCAPE;
      out[o++] = b ^ 0x20;
      cs += ESCAPE + (b ^ 0x20);
      i++;
      continue;
    }
    let j = i + 1;
    while (j < n && data[j] === b && j - i <= 97) j++;
    let reps = j - i - 1;
    if (reps >= 3) {
      if (reps === 6 || reps === 7) reps = 5; // the count character would be '#' or '$'
      if (o + 3 > limit) break;
      out[o++] = b;
      out[o++] = STAR;
      out[o++] = reps + 29;
      cs += b + STAR + reps + 29;
      i += reps + 1;
    } else {
      if (o + 1 > limit) break;
      out[o++] = b;
      cs += b;
      i++;
    }
  }
  cs &= 0xff;
  out[o] = HASH;
  out[o + 1] = HEX_DIGITS[cs >> 4];
  out[o + 2] = HEX_DIGITS[cs & 15];
  return { frame: new Framed(out.subarray(0, o + 3)), used: i };
}

export type WireEvent =
  | { kind: 'packet'; data: Uint8Array } // checksum verified, RLE expanded, still escaped
  | { kind: 'bad-checksum' }
  | { kind: 'ack' }
  | { kind: 'nack' }
  | { kind: 'interrupt' }
  | { kind: 'overflow' };

/**
 * Incremental parser of the byte stream from gdb. Bytes outside packets other than `+`, `-` and
 * 0x03 are ignored (line noise). A packet longer than `maxPacket` is dropped (reported once as
 * overflow) and the parser resynchronises on the next `$`.
 */
const u8IndexOf = Uint8Array.prototype.indexOf;

export class PacketReader {
  private state: 'idle' | 'body' | 'cs1' | 'cs2' | 'skip' = 'idle';
  private buf: Uint8Array;
  private len = 0;
  private cs1 = 0;
  /** checksums are not verified after QStartNoAckMode (gdb still sends them) */
  noAck = false;

  constructor(readonly maxPacket = 0x20000 + 64) {
    this.buf = new Uint8Array(1024);
  }

  /** Feed bytes; returns the events they complete. */
  feed(chunk: Uint8Array): WireEvent[] {
    const ev: WireEvent[] = [];
    for (let i = 0; i < chunk.length; i++) {
      const b = chunk[i];
      switch (this.state) {
        case 'idle':
          if (b === DOLLAR) {
            this.state = 'body';
            this.len = 0;
          } else if (b === 0x2b) ev.push({ kind: 'ack' });
          else if (b === 0x2d) ev.push({ kind: 'nack' });
          else if (b === 0x03) ev.push({ kind: 'interrupt' });
          break;
        case 'skip':
          // oversize packet: wait for the end marker (or a new packet start)
          if (b === HASH) this.state = 'idle';
          else if (b === DOLLAR) {
            this.state = 'body';
            this.len = 0;
          }
          break;
        case 'body': {
          if (b === HASH) {
            this.state = 'cs1';
            break;
          }
          if (b === DOLLAR) {
            this.len = 0; // restart: previous packet was truncated
            break;
          }
          // the body bytes up to the next '#' or '$' (or the chunk's end) at once: X packets are big
          // (the typed array's own indexOf: Buffer's goes through a slower generic search)
          let e = u8IndexOf.call(chunk, HASH, i);
          if (e < 0) e = chunk.length;
          const d = u8IndexOf.call(chunk, DOLLAR, i);
          if (d >= 0 && d < e) e = d;
          const need = this.len + (e - i);
          if (need > this.maxPacket) {
            this.state = 'skip';
            ev.push({ kind: 'overflow' });
            i = e - 1; // the '#' or '$' is seen next, in the skip state
            break;
          }
          if (need > this.buf.length) {
            const nb = new Uint8Array(Math.min(Math.max(this.buf.length * 2, need), this.maxPacket));
            nb.set(this.buf.subarray(0, this.len));
            this.buf = nb;
          }
          this.buf.set(chunk.subarray(i, e), this.len);
          this.len = need;
          i = e - 1;
          break;
        }
        case 'cs1':
          this.cs1 = b;
          this.state = 'cs2';
          break;
        case 'cs2': {
          this.state = 'idle';
          const hi = hexVal(this.cs1);
          const lo = hexVal(b);
          const body = this.buf.slice(0, this.len);
          if (!this.noAck && (hi < 0 || lo < 0 || ((hi << 4) | lo) !== checksum(body))) {
            ev.push({ kind: 'bad-checksum' });
            break;
          }
          const data = rleDecode(body);
          if (data === undefined) ev.push({ kind: 'bad-checksum' });
          else ev.push({ kind: 'packet', data });
          break;
        }
      }
    }
    return ev;
  }
}

function hexVal(ch: number): number {
  if (ch >= 0x30 && ch <= 0x39) return ch - 0x30;
  if (ch >= 0x61 && ch <= 0x66) return ch - 0x57;
  if (ch >= 0x41 && ch <= 0x46) return ch - 0x37;
  return -1;
}
