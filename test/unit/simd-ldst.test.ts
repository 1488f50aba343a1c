// AdvSIMD structure loads/stores (Arm ARM C4.1.88, C7.2 LD1..LD4, LD1R..LD4R, ST1..ST4): hand
// checks of assembler encodings, a random comparison with a byte-level reference model written from
// the C7.2 pseudocode, faults (no register writeback), FP traps and SP alignment.
import { describe, it, expect } from 'vitest';
import { setup, CODE, DATA, VBAR, fill, esr, far, trapped } from './ldst-helpers';
import { R } from '../../src/sysregs/table';
import { A64 } from '../../src/cpu/decode/a64.table';
import { Rng } from './dp-util';
import type { Cpu } from '../../src/cpu/cpu';
import type { Machine } from '../../src/machine/machine';

const WIN = 0x200; // data window compared
const MASK64 = (1n << 64n) - 1n;

function setV(c: Cpu, bytes: Uint8Array): void {
  c.v8.set(bytes);
}

/** Step one instruction word at CODE. */
function run1(m: Machine, c: Cpu, w: number): void {
  const b = new Uint8Array(4);
  new DataView(b.buffer).setUint32(0, w >>> 0, true);
  m.bus.loadBytes(CODE, b);
  c.pc = BigInt(CODE);
  c.runLoop(1);
}

interface RefOut {
  undef: boolean;
  /** element size in bytes */
  esize: number;
  v: Uint8Array;
  mem: Uint8Array;
  base: bigint;
}

/** Reference model from the C7.2 pseudocode (multiple/single structure), on byte arrays. `mem` is the
 * window starting at DATA; `base` an address inside it. */
function ref(raw: number, v0: Uint8Array, mem0: Uint8Array, base: bigint, xm: bigint): RefOut {
  const v = v0.slice();
  const mem = mem0.slice();
  const q = (raw >>> 30) & 1;
  const single = (raw >>> 24) & 1;
  const post = (raw >>> 23) & 1;
  const L = (raw >>> 22) & 1;
  const Rm = (raw >>> 16) & 31;
  const size = (raw >>> 10) & 3;
  const t = raw & 31;
  const und: RefOut = { undef: true, esize: 0, v, mem, base };
  if (!post && Rm !== 0) return und;
  const addr0 = Number(base) - DATA;
  let off = 0;
  let esz = 0;
  const rd = (a: number, n: number) => mem.slice(a, a + n);
  if (!single) {
    if ((raw >>> 21) & 1) return und;
    const opcode = (raw >>> 12) & 15;
    const table: Record<number, [number, number]> = { 0: [1, 4], 2: [4, 1], 4: [1, 3], 6: [3, 1], 7: [1, 1], 8: [1, 2], 10: [2, 1] };
    if (!(opcode in table)) return und;
    const [rpt, selem] = table[opcode];
    if (size === 3 && q === 0 && selem !== 1) return und;
    const esize = 1 << size;
    esz = esize;
    const datasize = q ? 16 : 8;
    const elements = datasize / esize;
    // LD: registers written in full (upper half zeroed for 64-bit)
    if (L) for (let r = 0; r < rpt * selem; r++) v.fill(0, ((t + r) % 32) * 16 + datasize, ((t + r) % 32) * 16 + 16);
    for (let r = 0; r < rpt; r++)
      for (let e = 0; e < elements; e++) {
        let tt = (t + r) % 32;
        for (let s = 0; s < selem; s++) {
          const vo = tt * 16 + e * esize;
          if (L) v.set(rd(addr0 + off, esize), vo);
          else mem.set(v.slice(vo, vo + esize), addr0 + off);
          off += esize;
          tt = (tt + 1) % 32;
        }
      }
  } else {
    const opcode = (raw >>> 13) & 7;
    const S = (raw >>> 12) & 1;
    const Rbit = (raw >>> 21) & 1;
    let scale = opcode >> 1;
    const selem = (((opcode & 1) << 1) | Rbit) + 1;
    let replicate = false;
    let index = 0;
    if (scale === 3) {
      if (L === 0 || S === 1) return und;
      scale = size;
      replicate = true;
    } else if (scale === 0) index = (q << 3) | (S << 2) | size;
    else if (scale === 1) {
      if (size & 1) return und;
      index = (q << 2) | (S << 1) | (size >> 1);
    } else {
      if (size & 2) return und;
      if ((size & 1) === 0) index = (q << 1) | S;
      else {
        if (S) return und;
        index = q;
        scale = 3;
      }
    }
    const esize = 1 << scale;
    esz = esize;
    let tt = t;
    for (let s = 0; s < selem; s++) {
      if (replicate) {
        const el = rd(addr0 + off, esize);
        const ds = q ? 16 : 8;
        v.fill(0, tt * 16, tt * 16 + 16);
        for (let k = 0; k < ds; k += esize) v.set(el, tt * 16 + k);
      } else if (L) v.set(rd(addr0 + off, esize), tt * 16 + index * esize);
      else mem.set(v.slice(tt * 16 + index * esize, tt * 16 + index * esize + esize), addr0 + off);
      off += esize;
      tt = (tt + 1) % 32;
    }
  }
  let nb = base;
  if (post) nb = (base + (Rm === 31 ? BigInt(off) : xm)) & MASK64;
  return { undef: false, esize: esz, v, mem, base: nb };
}

describe('AdvSIMD structure loads/stores', () => {
  it('GNU as encodings decode to the structure rows', () => {
    const words: [number, string][] = [
      [0x4c407020, 'SIMD_LDST_MULT'], // ld1 {v0.16b}, [x1]
      [0x4cdf2c3e, 'SIMD_LDST_MULT_POST'], // ld1 {v30.2d-v1.2d}, [x1], #64
      [0x4cc20824, 'SIMD_LDST_MULT_POST'], // ld4 {v4.4s-v7.4s}, [x1], x2
      [0x4c0047e1, 'SIMD_LDST_MULT'], // st3 {v1.8h-v3.8h}, [sp]
      [0x4dff9020, 'SIMD_LDST_SINGLE_POST'], // ld2 {v0.s, v1.s}[3], [x1], #8
      [0x4d203c20, 'SIMD_LDST_SINGLE'], // st4 {v0.b-v3.b}[15], [x1]
      [0x0ddfe420, 'SIMD_LDST_SINGLE_POST'], // ld3r {v0.4h-v2.4h}, [x1], #6
      [0x4d408420, 'SIMD_LDST_SINGLE'], // ld1 {v0.d}[1], [x1]
      [0x0c83a023, 'SIMD_LDST_MULT_POST'], // st1 {v3.8b, v4.8b}, [x1], x3
      [0x4de9ec20, 'SIMD_LDST_SINGLE_POST'], // ld4r {v0.2d-v3.2d}, [x1], x9
    ];
    for (const [w, name] of words) expect(A64.decode(w).name, w.toString(16)).toBe(name);
    // unallocated: LD2 .1D, LD1 lane with S=1 for D, ST1R
    for (const w of [0x0c408c20, 0x4d409420, 0x4d00c020]) expect(A64.decode(w).fn.name).not.toMatch(/^(ldMulti|ldSingle|ldRepl|stMulti|stSingle)$/);
  });

  it('LD1/LD4/ST1/LD1R known values', () => {
    const { m, c } = setup([]);
    const bytes = Array.from({ length: 128 }, (_, i) => i);
    fill(m, DATA, bytes);
    c.setX(1, BigInt(DATA));
    run1(m, c, 0x4c407020); // ld1 {v0.16b}, [x1]
    expect([...c.v8.slice(0, 16)]).toEqual(bytes.slice(0, 16));
    run1(m, c, 0x4cc20824); // ld4 {v4.4s-v7.4s}, [x1], x2 (x2 = 0)
    expect(c.vreg[16]).toBe(0x03020100);
    expect(c.vreg[17]).toBe(0x13121110);
    expect(c.vreg[20]).toBe(0x07060504);
    expect(c.vreg[31]).toBe(0x3f3e3d3c);
    c.setX(2, 0x40n);
    run1(m, c, 0x4cc20824);
    expect(c.getX(1)).toBe(BigInt(DATA + 0x40));
    expect(c.vreg[16]).toBe(0x03020100);
    run1(m, c, 0x4cc20824);
    expect(c.getX(1)).toBe(BigInt(DATA + 0x80));
    expect(c.vreg[16]).toBe(0x43424140);
    c.setX(1, BigInt(DATA + 4));
    run1(m, c, 0x0ddfe420); // ld3r {v0.4h-v2.4h}, [x1], #6
    expect(c.getX(1)).toBe(BigInt(DATA + 10));
    expect(c.v64[0]).toBe(0x0504050405040504n);
    expect(c.v64[1]).toBe(0n);
    expect(c.v64[4]).toBe(0x0908090809080908n);
  });

  it('random encodings agree with the reference model (values, memory, writeback, UNDEFINED)', () => {
    const { m, c } = setup([]);
    c.sysSet(R.VBAR_EL3, BigInt(VBAR));
    const rng = new Rng(4242);
    const groups = [0x0c000000, 0x0c800000, 0x0d000000, 0x0d800000];
    let checked = 0;
    let undefs = 0;
    let misaligned = 0;
    for (let iter = 0; iter < 4000; iter++) {
      let w = groups[iter & 3] | (rng.u32() & 0x407fffff);
      w = (w & ~(31 << 5)) | (1 << 5); // Rn = x1
      if (!((w >>> 23) & 1)) w = (w & ~(31 << 16)) | ((rng.int(8) ? 0 : 31) << 16);
      else if (rng.int(3) === 0) w = (w & ~(31 << 16)) | (31 << 16);
      if (((w >>> 16) & 31) === 1) w ^= 1 << 16;
      w >>>= 0;
      const v = new Uint8Array(512);
      for (let i = 0; i < 512; i++) v[i] = rng.u32() & 0xff;
      const mem = new Uint8Array(WIN);
      for (let i = 0; i < WIN; i++) mem[i] = rng.u32() & 0xff;
      // base: 8-aligned or misaligned to a multiple of 8 only sometimes (MMU off: Device memory, so
      // every element must be aligned to its size; 8-byte aligned bases keep all forms aligned)
      // (and, one time in three, a base misaligned by 1, 2 or 4: element-wise accesses, which
      // fault unless the base is aligned to the element size)
      const base = BigInt(DATA + 0x40 + 8 * rng.int(16) + (rng.int(3) === 0 ? rng.pick([1, 2, 4]) : 0));
      const rm = (w >>> 16) & 31;
      const xm = BigInt(rng.int(64)) - 32n;
      setV(c, v);
      fill(m, DATA, [...mem]);
      c.setX(1, base);
      if (rm !== 31 && rm !== 1) c.setX(rm, xm & MASK64);
      const exp = ref(w, v, mem, base, rm === 31 ? 0n : xm & MASK64);
      run1(m, c, w);
      const tag = `${w.toString(16)} ${A64.decode(w).name}`;
      if (exp.undef) {
        undefs++;
        expect(trapped(c), tag).toBe(true);
        expect((esr(c) >>> 26) & 0x3f, tag).toBe(0);
        continue;
      }
      if (Number(base) % exp.esize !== 0) {
        misaligned++;
        expect(trapped(c), tag).toBe(true);
        expect(esr(c) >>> 26, tag).toBe(0x25);
        expect(esr(c) & 0x3f, tag).toBe(0x21);
        expect(Buffer.from(c.v8).toString('hex'), tag).toBe(Buffer.from(v).toString('hex'));
        expect(Buffer.from(m.bus.peek(DATA, WIN)!).toString('hex'), tag).toBe(Buffer.from(mem).toString('hex'));
        expect(c.getX(1), tag).toBe(base);
        continue;
      }
      checked++;
      expect(c.pc, tag).toBe(BigInt(CODE + 4));
      expect(Buffer.from(c.v8).toString('hex'), tag).toBe(Buffer.from(exp.v).toString('hex'));
      expect(Buffer.from(m.bus.peek(DATA, WIN)!).toString('hex'), tag).toBe(Buffer.from(exp.mem).toString('hex'));
      expect(c.getX(1), tag).toBe(exp.base);
    }
    expect(checked).toBeGreaterThan(1000);
    expect(undefs).toBeGreaterThan(50);
    expect(misaligned).toBeGreaterThan(100);
  });

  it('unaligned contiguous LD1/ST1 (byte elements) under the MMU-off Device rules', () => {
    const { m, c } = setup([]);
    fill(m, DATA, Array.from({ length: 64 }, (_, i) => i * 3));
    c.setX(1, BigInt(DATA + 3));
    run1(m, c, 0x4c40a020); // ld1 {v0.16b, v1.16b}, [x1]
    expect(c.v8[0]).toBe(9);
    expect(c.v8[16]).toBe((19 * 3) & 0xff);
    c.setX(1, BigInt(DATA + 0x101));
    run1(m, c, 0x4c00a020); // st1 {v0.16b, v1.16b}, [x1]
    expect([...m.bus.peek(DATA + 0x101, 32)!]).toEqual([...c.v8.slice(0, 32)]);
    // .4S elements at a 2-aligned address: alignment fault (Device memory), no writeback
    c.setX(1, BigInt(DATA + 2));
    run1(m, c, 0x4cdf7820); // ld1 {v0.4s}, [x1], #16
    expect(trapped(c)).toBe(true);
    expect((esr(c) >>> 26) & 0x3f).toBe(0x25);
    expect(esr(c) & 0x3f).toBe(0x21);
    expect(c.getX(1)).toBe(BigInt(DATA + 2));
  });

  it('a fault part-way leaves the destination registers and the base unchanged', () => {
    const { m, c } = setup([]);
    // the last 16 bytes of RAM end the range; beyond is unmapped (external abort)
    const end = m.bus.ramBase + m.bus.ramSize;
    c.setX(1, BigInt(end - 32));
    c.vreg.fill(0xdeadbeef);
    run1(m, c, 0x4cdf2020); // ld1 {v0.16b-v3.16b}, [x1], #64
    expect(trapped(c)).toBe(true);
    expect((esr(c) >>> 26) & 0x3f).toBe(0x25);
    expect(far(c)).toBe(BigInt(end));
    expect(c.getX(1)).toBe(BigInt(end - 32));
    expect(c.vreg.every((x) => x === 0xdeadbeef)).toBe(true);
    // a store: elements before the fault are written, no writeback
    c.pc = BigInt(CODE);
    run1(m, c, 0x4c9f2020); // st1 {v0.16b-v3.16b}, [x1], #64
    expect(trapped(c)).toBe(true);
    expect(c.getX(1)).toBe(BigInt(end - 32));
    expect(m.bus.peek(end - 32, 4)![0]).toBe(0xef);
  });

  it('FP access trap comes first, then SP alignment', () => {
    const { m, c } = setup([]);
    c.sysSet(R.CPTR_EL3, 1n << 10n);
    c.sp = BigInt(DATA + 1);
    run1(m, c, 0x4c4073e0); // ld1 {v0.16b}, [sp]
    expect(trapped(c)).toBe(true);
    expect((esr(c) >>> 26) & 0x3f).toBe(0x07);
    c.sysSet(R.CPTR_EL3, 0n);
    c.sysSet(R.SCTLR_EL3, c.sysGet(R.SCTLR_EL3) | 8n);
    run1(m, c, 0x4c4073e0);
    expect(trapped(c)).toBe(true);
    expect((esr(c) >>> 26) & 0x3f).toBe(0x26);
    c.sp = BigInt(DATA + 16);
    run1(m, c, 0x4cdf73e0); // ld1 {v0.16b}, [sp], #16
    expect(c.pc).toBe(BigInt(CODE + 4));
    expect(c.sp).toBe(BigInt(DATA + 32));
  });
});
