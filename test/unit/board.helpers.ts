// Helpers for the board/loader/CLI tests: little-endian instruction words and a minimal ELF64
// AArch64 writer (one PT_LOAD per segment, a .symtab/.strtab pair), so tests do not need a toolchain.
import { A64 } from '../../src/cpu/decode/a64.table';

export function words(...w: number[]): Uint8Array {
  const b = new Uint8Array(w.length * 4);
  const dv = new DataView(b.buffer);
  w.forEach((x, i) => dv.setUint32(i * 4, x >>> 0, true));
  return b;
}

/** True when the decoder knows every given encoding (tests that run guest code skip until the
 * instruction classes they use have landed). */
export function decodes(...raw: number[]): boolean {
  return raw.every((r) => A64.decode(r).name !== 'UNDEF');
}

// Hand-assembled instructions (checked with aarch64-linux-gnu-as/objdump)
export const I = {
  MOVZ_X1_UART: 0xd2a12001, // movz x1, #0x0900, lsl #16   (x1 = 0x0900_0000)
  MOVZ_X1_SGPIO: 0xd2a12161, // movz x1, #0x090b, lsl #16  (x1 = 0x090b_0000)
  movzW2: (ch: number) => (0x52800002 | ((ch & 0xffff) << 5)) >>> 0, // movz w2, #ch
  movzX0: (v: number) => (0xd2800000 | ((v & 0xffff) << 5)) >>> 0, // movz x0, #v
  movzX: (rd: number, v: number) => (0xd2800000 | ((v & 0xffff) << 5) | rd) >>> 0,
  movkX16: (rd: number, v: number) => (0xf2a00000 | ((v & 0xffff) << 5) | rd) >>> 0, // movk xd, #v, lsl #16
  MOVK_X0_8400: 0xf2b08000, // movk x0, #0x8400, lsl #16
  MOVK_X0_C400: 0xf2b88000, // movk x0, #0xc400, lsl #16
  STR_W2_X1: 0xb9000022, // str w2, [x1]
  STR_W0_X1: 0xb9000020, // str w0, [x1]
  STR_W2_X1_400: 0xb9040022, // str w2, [x1, #0x400]
  STR_W2_X1_4: 0xb9000422, // str w2, [x1, #4]
  SMC: 0xd4000003, // smc #0
  HVC: 0xd4000002, // hvc #0
  B_SELF: 0x14000000, // b .
  MRS_X5_CURRENTEL: 0xd5384245,
};

/** "print `text` on the UART" as instructions (x1 must hold the UART base). */
export function printInsns(text: string): number[] {
  const out: number[] = [];
  for (const ch of text) out.push(I.movzW2(ch.charCodeAt(0)), I.STR_W2_X1);
  return out;
}

/** x0 = a 32-bit PSCI function ID */
export function psciFn(fn: number): number[] {
  return [I.movzX0(fn & 0xffff), I.movkX16(0, fn >>> 16)];
}

export interface ElfSpec {
  entry: number | bigint;
  segments: { addr: number; data: Uint8Array; bss?: number }[];
  symbols?: { name: string; value: number | bigint; size?: number; func?: boolean }[];
  machine?: number;
}

export function buildElf(spec: ElfSpec): Uint8Array {
  const phnum = spec.segments.length;
  const phoff = 64;
  let off = phoff + phnum * 56;
  const segOffs: number[] = [];
  for (const s of spec.segments) {
    off = (off + 15) & ~15;
    segOffs.push(off);
    off += s.data.length;
  }
  // strtab + symtab
  const syms = spec.symbols ?? [];
  const enc = new TextEncoder();
  const strParts: number[] = [0];
  const nameOffs = syms.map((s) => {
    const o = strParts.length;
    strParts.push(...enc.encode(s.name), 0);
    return o;
  });
  off = (off + 7) & ~7;
  const symOff = off;
  const symSize = (syms.length + 1) * 24;
  off += symSize;
  const strOff = off;
  off += strParts.length;
  off = (off + 7) & ~7;
  const shoff = off;
  const shnum = 3;
  const total = shoff + shnum * 64;
  const b = new Uint8Array(total);
  const dv = new DataView(b.buffer);
  b.set([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1], 0);
  dv.setUint16(16, 2, true); // ET_EXEC
  dv.setUint16(18, spec.machine ?? 183, true);
  dv.setUint32(20, 1, true);
  dv.setBigUint64(24, BigInt(spec.entry), true);
  dv.setBigUint64(32, BigInt(phoff), true);
  dv.setBigUint64(40, BigInt(shoff), true);
  dv.setUint16(52, 64, true);
  dv.setUint16(54, 56, true);
  dv.setUint16(56, phnum, true);
  dv.setUint16(58, 64, true);
  dv.setUint16(60, shnum, true);
  dv.setUint16(62, 0, true);
  spec.segments.forEach((s, i) => {
    const p = phoff + i * 56;
    dv.setUint32(p, 1, true); // PT_LOAD
    dv.setUint32(p + 4, 7, true);
    dv.setBigUint64(p + 8, BigInt(segOffs[i]), true);
    dv.setBigUint64(p + 16, BigInt(s.addr), true);
    dv.setBigUint64(p + 24, BigInt(s.addr), true);
    dv.setBigUint64(p + 32, BigInt(s.data.length), true);
    dv.setBigUint64(p + 40, BigInt(s.data.length + (s.bss ?? 0)), true);
    dv.setBigUint64(p + 48, 0x10000n, true);
    b.set(s.data, segOffs[i]);
  });
  syms.forEach((s, i) => {
    const o = symOff + (i + 1) * 24;
    dv.setUint32(o, nameOffs[i], true);
    b[o + 4] = (1 << 4) | (s.func ? 2 : 0); // GLOBAL, FUNC/NOTYPE
    dv.setUint16(o + 6, 0xfff1, true); // SHN_ABS
    dv.setBigUint64(o + 8, BigInt(s.value), true);
    dv.setBigUint64(o + 16, BigInt(s.size ?? 0), true);
  });
  b.set(strParts, strOff);
  // section headers: [0] null, [1] .symtab (link 2), [2] .strtab
  const sh = (i: number, type: number, o: number, size: number, link: number, entsize: number) => {
    const p = shoff + i * 64;
    dv.setUint32(p + 4, type, true);
    dv.setBigUint64(p + 24, BigInt(o), true);
    dv.setBigUint64(p + 32, BigInt(size), true);
    dv.setUint32(p + 40, link, true);
    dv.setBigUint64(p + 56, BigInt(entsize), true);
  };
  sh(1, 2, symOff, symSize, 2, 24);
  sh(2, 3, strOff, strParts.length, 0, 0);
  return b;
}

/** A minimal arm64 Linux Image: 64-byte header + code. */
export function buildImage(code: Uint8Array, textOffset: number, imageSize?: number, magic = 'ARM\x64'): Uint8Array {
  const b = new Uint8Array(64 + code.length);
  const dv = new DataView(b.buffer);
  // code0: b +64 (skip the header)
  dv.setUint32(0, 0x14000010, true);
  dv.setBigUint64(8, BigInt(textOffset), true);
  dv.setBigUint64(16, BigInt(imageSize ?? b.length), true);
  dv.setBigUint64(24, 0xan, true); // LE, 4K pages, anywhere
  for (let i = 0; i < 4; i++) b[0x38 + i] = magic.charCodeAt(i);
  b.set(code, 64);
  return b;
}
