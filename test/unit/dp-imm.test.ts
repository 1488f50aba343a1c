// Data processing (immediate): every row run in a Machine against BigInt reference formulas written
// from the Arm ARM pseudocode, over seeded random operands biased to edge values, plus hand cases.
import { describe, it, expect } from 'vitest';
import {
  Runner, Rng, enc, fuzz, rget, rset, addWithCarry, bitMasks, uint, sint, mask, nzFlags, RAM_BASE, M64,
  type Fields, type State,
} from './dp-util';

const r = new Runner();
const PC = BigInt(RAM_BASE);

function regs(rng: Rng, f: Fields, ...names: string[]): Fields {
  for (const n of names) f[n] = rng.int(8) === 0 ? 31 : rng.int(31);
  return f;
}

describe('add/sub immediate', () => {
  const rows = ['ADD_imm', 'ADDS_imm', 'SUB_imm', 'SUBS_imm'];
  it('matches AddWithCarry for random operands (32/64, LSL #12, SP forms)', () => {
    const rng = new Rng(1);
    const bad = fuzz(r, rng, rows, 4000,
      (g) => regs(g, { s: g.int(2), h: g.int(2), i: g.pick([0, 1, 0xfff, g.int(4096)]) }, 'd', 'n'),
      (s, f, row) => {
        const N = f.s ? 64 : 32;
        const sub = row.startsWith('SUB');
        const flags = row.includes('S_');
        const imm = BigInt(f.i) << (f.h ? 12n : 0n);
        const a = rget(s, f.n, true);
        const [res, nzcv] = sub ? addWithCarry(a, uint(~imm, N), 1, N) : addWithCarry(a, imm, 0, N);
        rset(s, f.d, res, !flags);
        if (flags) s.nzcv = nzcv;
      });
    expect(bad).toEqual([]);
  });
  it('hand cases: carry across halves, W results zero the top, XZR/SP', () => {
    let s = r.exec([enc('ADD_imm', { s: 1, d: 0, n: 1, i: 1 })], { x: [0n, 0xffffffffn] });
    expect(s.x[0]).toBe(0x100000000n);
    s = r.exec([enc('ADD_imm', { s: 0, d: 0, n: 1, i: 1 })], { x: [0n, 0x12345678ffffffffn] });
    expect(s.x[0]).toBe(0n);
    // cmp x1, #1 with x1 = 0: N=1 Z=0 C=0 V=0
    s = r.exec([enc('SUBS_imm', { s: 1, d: 31, n: 1, i: 1 })], { x: [5n, 0n] });
    expect(s.nzcv).toBe(0b1000);
    expect(s.x[0]).toBe(5n);
    // cmp w1, #1 with w1 = 0x80000000: signed overflow, C=1
    s = r.exec([enc('SUBS_imm', { s: 0, d: 31, n: 1, i: 1 })], { x: [0n, 0x80000000n] });
    expect(s.nzcv).toBe(0b0011);
    // add sp, sp, #16 ; mov x2, sp (add x2, sp, #0)
    s = r.exec([enc('ADD_imm', { s: 1, d: 31, n: 31, i: 16 }), enc('ADD_imm', { s: 1, d: 2, n: 31, i: 0 })], { sp: 0x1000n });
    expect(s.sp).toBe(0x1010n);
    expect(s.x[2]).toBe(0x1010n);
    // cmn x1, #1 with x1 = -1: Z=1 C=1
    s = r.exec([enc('ADDS_imm', { s: 1, d: 31, n: 1, i: 1 })], { x: [0n, M64] });
    expect(s.nzcv).toBe(0b0110);
  });
});

describe('ADR / ADRP', () => {
  it('computes PC-relative addresses, including below zero', () => {
    const s = r.exec(
      [
        enc('ADR', { d: 0, i: 3, j: 0x3ffff }), // +0xfffff (largest positive)
        enc('ADR', { d: 1, i: 0, j: 0x40000 }), // -0x100000
        enc('ADRP', { d: 2, i: 1, j: 0 }), // +1 page
        enc('ADRP', { d: 3, i: 3, j: 0x6ffff }), // -0x40001 pages: below address zero
        enc('ADR', { d: 31, i: 1, j: 0 }), // XZR destination: discarded
      ],
      {},
    );
    expect(s.x[0]).toBe(PC + 0xfffffn);
    expect(s.x[1]).toBe(PC + 4n - 0x100000n);
    expect(s.x[2]).toBe(((PC + 8n) & ~0xfffn) + 0x1000n);
    const immPages = sint(BigInt((0x6ffff << 2) | 3), 21);
    expect(immPages).toBe(-0x40001n);
    expect(s.x[3]).toBe(uint(((PC + 12n) & ~0xfffn) + immPages * 4096n, 64));
    expect(s.x[3] >> 32n).toBe(0xffffffffn);
  });
});

describe('logical immediate', () => {
  const rows = ['AND_imm', 'ORR_imm', 'EOR_imm', 'ANDS_imm'];
  it('matches DecodeBitMasks + op for random encodings; reserved ones are UNDEFINED', () => {
    const rng = new Rng(2);
    const bad = fuzz(r, rng, rows, 4000,
      (g) => regs(g, { s: g.int(2), N: g.int(2), R: g.int(64), S: g.int(64) }, 'd', 'n'),
      (s, f, row) => {
        const M = f.s ? 64 : 32;
        if (!f.s && f.N) return 'undef';
        const m = bitMasks(f.N, f.S, f.R, true, M);
        if (!m) return 'undef';
        const a = uint(rget(s, f.n), M);
        const op = row.slice(0, row.indexOf('_'));
        const res = op === 'ORR' ? a | m[0] : op === 'EOR' ? a ^ m[0] : a & m[0];
        rset(s, f.d, res, op !== 'ANDS');
        if (op === 'ANDS') s.nzcv = nzFlags(res, M);
      });
    expect(bad).toEqual([]);
  });
  it('known immediates: orr x0, xzr, #0x5555555555555555; and sp, x1, #0xfffffffffffffff0', () => {
    // 0x5555... : N=0 immr=0 imms=0b111100 (2-bit element, one bit set)
    let s = r.exec([enc('ORR_imm', { s: 1, N: 0, R: 0, S: 0b111100, d: 0, n: 31 })]);
    expect(s.x[0]).toBe(0x5555555555555555n);
    // ~0xf: N=1 immr=60 imms=59 (64-bit element, 60 ones rotated)
    s = r.exec([enc('AND_imm', { s: 1, N: 1, R: 60, S: 59, d: 31, n: 1 })], { x: [0n, 0x123456789abcdefn] });
    expect(s.sp).toBe(0x123456789abcde0n);
  });
});

describe('move wide', () => {
  it('MOVN/MOVZ/MOVK for random fields; 32-bit hw>1 is UNDEFINED', () => {
    const rng = new Rng(3);
    const bad = fuzz(r, rng, ['MOVN', 'MOVZ', 'MOVK'], 3000,
      (g) => regs(g, { s: g.int(2), h: g.int(4), i: g.pick([0, 0xffff, g.int(65536)]) }, 'd'),
      (s, f, row) => {
        const M = f.s ? 64 : 32;
        if (!f.s && f.h > 1) return 'undef';
        const sh = BigInt(f.h * 16);
        const imm = BigInt(f.i) << sh;
        let v: bigint;
        if (row === 'MOVZ') v = imm;
        else if (row === 'MOVN') v = uint(~imm, M);
        else v = uint((rget(s, f.d) & ~(0xffffn << sh)) | imm, M);
        rset(s, f.d, v);
      });
    expect(bad).toEqual([]);
  });
});

describe('bitfield', () => {
  it('SBFM/BFM/UBFM match the pseudocode for random fields', () => {
    const rng = new Rng(4);
    const bad = fuzz(r, rng, ['SBFM', 'BFM', 'UBFM'], 6000,
      (g) => {
        const s = g.int(2);
        const N = g.int(8) === 0 ? 1 - s : s;
        const lim = s && g.int(8) ? 64 : g.int(8) === 0 ? 64 : 32;
        return regs(g, { s, N, R: g.int(lim), S: g.int(lim) }, 'd', 'n');
      },
      (s, f, row) => {
        const M = f.s ? 64 : 32;
        if (f.s !== f.N) return 'undef';
        if (!f.s && (f.R >= 32 || f.S >= 32)) return 'undef';
        const m = bitMasks(f.N, f.S, f.R, false, M);
        if (!m) return 'undef';
        const [w, t] = m;
        const src = uint(rget(s, f.n), M);
        const dst = uint(rget(s, f.d), M);
        const ror = f.R === 0 ? src : uint((src >> BigInt(f.R)) | (src << BigInt(M - f.R)), M);
        let res: bigint;
        if (row === 'BFM') {
          const bot = (dst & ~w) | (ror & w);
          res = (dst & ~t) | (bot & t);
        } else if (row === 'UBFM') {
          res = ror & w & t;
        } else {
          const bot = ror & w;
          const top = (src >> BigInt(f.S)) & 1n ? mask(M) : 0n;
          res = (top & ~t) | (bot & t);
        }
        rset(s, f.d, uint(res, M));
      });
    expect(bad).toEqual([]);
  });
  it('aliases: lsl/lsr/asr #imm, sxtw, ubfx, bfi', () => {
    const x1 = 0x8123456789abcdefn;
    const s = r.exec(
      [
        enc('UBFM', { s: 1, N: 1, R: 64 - 4, S: 63 - 4, d: 2, n: 1 }), // lsl x2, x1, #4
        enc('UBFM', { s: 1, N: 1, R: 36, S: 63, d: 3, n: 1 }), // lsr x3, x1, #36
        enc('SBFM', { s: 1, N: 1, R: 36, S: 63, d: 4, n: 1 }), // asr x4, x1, #36
        enc('SBFM', { s: 1, N: 1, R: 0, S: 31, d: 5, n: 1 }), // sxtw x5, w1
        enc('UBFM', { s: 1, N: 1, R: 8, S: 8 + 12 - 1, d: 6, n: 1 }), // ubfx x6, x1, #8, #12
        enc('BFM', { s: 1, N: 1, R: 64 - 40, S: 7, d: 7, n: 1 }), // bfi x7, x1, #40, #8
        enc('UBFM', { s: 0, N: 0, R: 32 - 4, S: 31 - 4, d: 8, n: 1 }), // lsl w8, w1, #4
      ],
      { x: [0n, x1, 0n, 0n, 0n, 0n, 0n, M64] },
    );
    expect(s.x[2]).toBe(uint(x1 << 4n, 64));
    expect(s.x[3]).toBe(x1 >> 36n);
    expect(s.x[4]).toBe(uint(sint(x1, 64) >> 36n, 64));
    expect(s.x[5]).toBe(uint(sint(x1 & 0xffffffffn, 32), 64));
    expect(s.x[6]).toBe((x1 >> 8n) & 0xfffn);
    expect(s.x[7]).toBe((M64 & ~(0xffn << 40n)) | ((x1 & 0xffn) << 40n));
    expect(s.x[8]).toBe(uint(x1 << 4n, 32));
  });
});

describe('EXTR', () => {
  it('matches (Rn:Rm) >> lsb for random operands; reserved forms UNDEFINED', () => {
    const rng = new Rng(5);
    const bad = fuzz(r, rng, ['EXTR'], 2000,
      (g) => {
        const s = g.int(2);
        return regs(g, { s, N: g.int(8) === 0 ? 1 - s : s, l: g.int(s || g.int(4) === 0 ? 64 : 32) }, 'd', 'n', 'm');
      },
      (s: State, f) => {
        const M = f.s ? 64 : 32;
        if (f.s !== f.N || (!f.s && f.l >= 32)) return 'undef';
        const cat = (uint(rget(s, f.n), M) << BigInt(M)) | uint(rget(s, f.m), M);
        rset(s, f.d, uint(cat >> BigInt(f.l), M));
      });
    expect(bad).toEqual([]);
  });
});
