// Unit tests of the GDB protocol layer (src/gdb/protocol): hex, checksums, framing, escaping, RLE,
// the incremental packet reader, thread ids.
import { describe, it, expect } from 'vitest';
import { checksum, escapeBinary, frameBinRle, frameHexRle, framePacket, PacketReader, rleDecode, rleEncode, unescapeBinary } from '../../src/gdb/protocol/packet';
import { fromHex, leBytesToBig, leHex, parseHexBig, parseHexNum, textToHex, hexToText, toHex } from '../../src/gdb/protocol/hex';
import { parseThreadId } from '../../src/gdb/protocol/thread-id';

const enc = (s: string) => Buffer.from(s, 'latin1');
const str = (b: Uint8Array) => Buffer.from(b).toString('latin1');

describe('gdb protocol: hex', () => {
  it('round-trips bytes and rejects malformed hex', () => {
    const b = Uint8Array.of(0, 1, 0x7f, 0x80, 0xff);
    expect(toHex(b)).toBe('00017f80ff');
    expect(fromHex('00017F80ff')).toEqual(b);
    expect(fromHex('123')).toBeUndefined();
    expect(fromHex('zz')).toBeUndefined();
  });
  it('parses numbers and little-endian register values', () => {
    expect(parseHexBig('ffffffffffffffff')).toBe(0xffffffffffffffffn);
    expect(parseHexBig('1ffffffffffffffff')).toBeUndefined();
    expect(parseHexBig('')).toBeUndefined();
    expect(parseHexNum('20000')).toBe(0x20000);
    expect(parseHexNum('-1')).toBeUndefined();
    expect(leHex(0x1122334455667788n, 8)).toBe('8877665544332211');
    expect(leHex(0x3cdn, 4)).toBe('cd030000');
    expect(leBytesToBig(fromHex('8877665544332211')!)).toBe(0x1122334455667788n);
    expect(hexToText(textToHex('monitor help\n'))).toBe('monitor help\n');
  });
});

describe('gdb protocol: framing', () => {
  it('checksums modulo 256 and frames packets', () => {
    expect(checksum(enc('OK'))).toBe(0x9a);
    expect(str(framePacket('OK'))).toBe('$OK#9a');
    expect(str(framePacket(''))).toBe('$#00');
  });
  it('escapes and unescapes the four special bytes', () => {
    const raw = Uint8Array.of(0x23, 0x24, 0x7d, 0x2a, 0x41);
    const e = escapeBinary(raw);
    expect(Array.from(e)).toEqual([0x7d, 0x03, 0x7d, 0x04, 0x7d, 0x5d, 0x7d, 0x0a, 0x41]);
    expect(unescapeBinary(e)).toEqual(raw);
    expect(unescapeBinary(Uint8Array.of(0x41, 0x7d))).toBeUndefined();
  });
  it('run-length encodes and decodes', () => {
    expect(str(rleDecode(enc('0* '))!)).toBe('0000');
    expect(str(rleDecode(enc('a*"b'))!)).toBe('aaaaaab');
    expect(rleDecode(enc('*a'))).toBeUndefined();
    for (const s of ['0000000000000000', 'abc', 'x'.repeat(6), 'y'.repeat(7), 'z'.repeat(300), '00000000ff00000000000000']) {
      const e = rleEncode(s);
      expect(e).not.toMatch(/[#$]/);
      expect(str(rleDecode(enc(e))!)).toBe(s);
    }
    expect(rleEncode('0'.repeat(16)).length).toBeLessThan(16);
  });
});

describe('gdb protocol: packet reader', () => {
  it('splits a byte stream into packets, acks, nacks and interrupts', () => {
    const r = new PacketReader();
    const ev = r.feed(enc('+$qSupported#37-\x03junk$m0,4#fd'));
    expect(ev.map((e) => e.kind)).toEqual(['ack', 'packet', 'nack', 'interrupt', 'packet']);
    expect(str((ev[1] as { data: Uint8Array }).data)).toBe('qSupported');
  });
  it('handles packets split at any byte boundary', () => {
    const wire = enc('$g#67$p20#d2');
    for (let cut = 0; cut <= wire.length; cut++) {
      const r = new PacketReader();
      const ev = [...r.feed(wire.subarray(0, cut)), ...r.feed(wire.subarray(cut))];
      expect(ev.filter((e) => e.kind === 'packet').map((e) => str((e as { data: Uint8Array }).data))).toEqual(['g', 'p20']);
    }
  });
  it('reports bad checksums, resyncs after truncation, drops oversize packets', () => {
    const r = new PacketReader(16);
    expect(r.feed(enc('$g#00')).map((e) => e.kind)).toEqual(['bad-checksum']);
    expect(r.feed(enc('$m123$g#67')).map((e) => e.kind)).toEqual(['packet']);
    const big = '$' + 'A'.repeat(100) + '#00$g#67';
    expect(r.feed(enc(big)).map((e) => e.kind)).toEqual(['overflow', 'packet']);
  });
  it('does not verify checksums in no-ack mode', () => {
    const r = new PacketReader();
    r.noAck = true;
    expect(r.feed(enc('$g#zz')).map((e) => e.kind)).toEqual(['packet']);
  });
  it('parses thread ids', () => {
    expect(parseThreadId('1')).toBe(1);
    expect(parseThreadId('-1')).toBe(-1);
    expect(parseThreadId('0')).toBe(0);
    expect(parseThreadId('p1.2')).toBe(2);
    expect(parseThreadId('p1')).toBe(-1);
    expect(parseThreadId('xyz')).toBeUndefined();
  });
});

describe('gdb protocol: one-pass m replies', () => {
  it('frameHexRle produces exactly framePacket(rleEncode(hex)) for runs, edges and random bytes', () => {
    let seed = 12345;
    const rnd = () => ((seed = (seed * 1103515245 + 12345) >>> 0) >>> 8) & 0xff;
    const cases: Uint8Array[] = [new Uint8Array(0), Uint8Array.of(0), Uint8Array.of(0x11, 0x11), new Uint8Array(4096), Uint8Array.from({ length: 300 }, (_, i) => (i % 7 === 0 ? 0x33 : i & 0xff))];
    for (let n = 1; n < 200; n += 7) cases.push(Uint8Array.from({ length: n }, () => (rnd() < 40 ? 0 : rnd())));
    for (let run = 1; run < 60; run++) cases.push(Uint8Array.from({ length: run + 3 }, (_, i) => (i === 0 ? 0x12 : i <= run ? 0x22 : 0x34)));
    cases.push(Uint8Array.from({ length: 65536 }, () => rnd()));
    for (const b of cases) {
      expect(str(frameHexRle(b).bytes)).toBe(str(framePacket(rleEncode(toHex(b)))));
    }
  });
});

describe('gdb protocol: binary memory read replies (x)', () => {
  it('frameBinRle escapes # $ } *, run-length codes plain bytes only, and truncates to the body limit', () => {
    let seed = 99;
    const rnd = () => ((seed = (seed * 1103515245 + 12345) >>> 0) >>> 8) & 0xff;
    const specials = [0x23, 0x24, 0x7d, 0x2a];
    const cases: Uint8Array[] = [Uint8Array.of(0x2a, 0x2a, 0x2a, 0x2a), Uint8Array.of(0x23, 0x03, 0x03, 0x03, 0x03), new Uint8Array(5000)];
    for (let n = 1; n < 300; n += 13) cases.push(Uint8Array.from({ length: n }, () => (rnd() < 60 ? specials[rnd() & 3] : rnd() < 80 ? 0 : rnd())));
    for (const b of cases) {
      const { frame, used } = frameBinRle(b, 0x20000);
      const wire = frame.bytes;
      expect(used).toBe(b.length);
      // what gdb does: check the sum, expand runs, then unescape
      const r = new PacketReader();
      const ev = r.feed(wire);
      expect(ev).toHaveLength(1);
      const body = (ev[0] as { data: Uint8Array }).data;
      expect(body[0]).toBe(0x62);
      expect(Buffer.from(unescapeBinary(body.subarray(1))!).equals(Buffer.from(b))).toBe(true);
    }
    // a body limit: fewer bytes, still a well-formed reply of whole (unsplit) escapes
    const all = Uint8Array.from({ length: 1000 }, (_, i) => (i % 2 ? 0x7d : i & 0xff));
    const { frame, used } = frameBinRle(all, 101);
    const ev = new PacketReader().feed(frame.bytes);
    const body = (ev[0] as { data: Uint8Array }).data;
    expect(body.length).toBeLessThanOrEqual(101);
    expect(used).toBeGreaterThan(40);
    expect(Buffer.from(unescapeBinary(body.subarray(1))!).equals(Buffer.from(all.subarray(0, used)))).toBe(true);
  });
});
