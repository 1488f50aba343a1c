// SIMD&FP register loads/stores (Arm ARM C4.1.88, V = 1): LDR/STR B/H/S/D/Q with unsigned offset,
// pre/post-index, unscaled, register offset, literal; LDP/STP/LDNP/STNP of S/D/Q. Every one checks
// FP/SIMD access first (fpTrap). c.vreg holds 4 little-endian words per register; loading B/H/S/D
// zeroes the rest of the 128-bit register. d.rd / d.ra = 4 × Vt / Vt2 (index into c.vreg),
// d.imm3 = log2(access bytes), d.imm2 = index mode (0 offset/unscaled, 1 pre, 2 post).
import type { Row, Decoded, ExecFn } from '../decode/decoder';
import { regR, regSP } from '../decode/decoder';
import type { Cpu } from '../cpu';
import { ld8, ld16, ld32, ld64, st8, st16, st32, st64 } from '../mem';
import { fpTrap } from '../fpaccess';
import { addrS, regOffsetAddr, spAlignFault } from './ldst-common';

const tmp = new Uint32Array(8);

/** Read 2^lg bytes at (lo, hi) into tmp[o..o+3] (zero-extended). False if it faulted. */
function rdv(c: Cpu, lo: number, hi: number, lg: number, o: number): boolean {
  switch (lg) {
    case 0:
      tmp[o] = ld8(c, lo, hi);
      break;
    case 1:
      tmp[o] = ld16(c, lo, hi);
      break;
    case 2:
      tmp[o] = ld32(c, lo, hi);
      break;
    default: {
      ld64(c, lo, hi);
      if (c.abort) return false;
      tmp[o] = c.tmpLo;
      tmp[o + 1] = c.tmpHi;
      if (lg === 4) {
        const lo2 = (lo + 8) >>> 0;
        ld64(c, lo2, lo2 < 8 ? (hi + 1) >>> 0 : hi);
        if (c.abort) return false;
        tmp[o + 2] = c.tmpLo;
        tmp[o + 3] = c.tmpHi;
      } else tmp[o + 2] = tmp[o + 3] = 0;
      return true;
    }
  }
  tmp[o + 1] = tmp[o + 2] = tmp[o + 3] = 0;
  return !c.abort;
}

/** Store 2^lg bytes of vreg[vi..] at (lo, hi). */
function wrv(c: Cpu, lo: number, hi: number, lg: number, vi: number): void {
  const v = c.vreg;
  switch (lg) {
    case 0:
      st8(c, lo, hi, v[vi] & 0xff);
      return;
    case 1:
      st16(c, lo, hi, v[vi] & 0xffff);
      return;
    case 2:
      st32(c, lo, hi, v[vi]);
      return;
    case 3:
      st64(c, lo, hi, v[vi], v[vi + 1]);
      return;
    default: {
      const w2 = v[vi + 2];
      const w3 = v[vi + 3];
      st64(c, lo, hi, v[vi], v[vi + 1]);
      if (c.abort) return;
      const lo2 = (lo + 8) >>> 0;
      st64(c, lo2, lo2 < 8 ? (hi + 1) >>> 0 : hi, w2, w3);
    }
  }
}

function commit(c: Cpu, vi: number, o: number): void {
  const v = c.vreg;
  v[vi] = tmp[o];
  v[vi + 1] = tmp[o + 1];
  v[vi + 2] = tmp[o + 2];
  v[vi + 3] = tmp[o + 3];
}

function fpLdU(c: Cpu, d: Decoded): void {
  if (fpTrap(c)) return;
  const a = c.x[d.rn];
  const lo = (a + d.imm) >>> 0;
  if (!rdv(c, lo, lo < a ? (c.x[d.rn + 1] + 1) >>> 0 : c.x[d.rn + 1], d.imm3, 0)) return;
  commit(c, d.rd, 0);
}
function fpStU(c: Cpu, d: Decoded): void {
  if (fpTrap(c)) return;
  const a = c.x[d.rn];
  const lo = (a + d.imm) >>> 0;
  wrv(c, lo, lo < a ? (c.x[d.rn + 1] + 1) >>> 0 : c.x[d.rn + 1], d.imm3, d.rd);
}

/** Immediate-offset forms with index mode d.imm2: returns the access address in c.tmpLo/tmpHi and
 * leaves the writeback address in wbLo/wbHi. */
let wbLo = 0;
let wbHi = 0;
function imm9Addr(c: Cpu, d: Decoded): void {
  const bLo = c.x[d.rn];
  const bHi = c.x[d.rn + 1];
  addrS(c, bLo, bHi, d.imm);
  wbLo = c.tmpLo;
  wbHi = c.tmpHi;
  if (d.imm2 === 2) {
    c.tmpLo = bLo;
    c.tmpHi = bHi;
  }
}
function fpLdImm9(c: Cpu, d: Decoded): void {
  if (fpTrap(c)) return;
  imm9Addr(c, d);
  const wl = wbLo;
  const wh = wbHi;
  if (!rdv(c, c.tmpLo, c.tmpHi, d.imm3, 0)) return;
  commit(c, d.rd, 0);
  if (d.imm2 !== 0) {
    c.x[d.rn] = wl;
    c.x[d.rn + 1] = wh;
  }
}
function fpStImm9(c: Cpu, d: Decoded): void {
  if (fpTrap(c)) return;
  imm9Addr(c, d);
  const wl = wbLo;
  const wh = wbHi;
  wrv(c, c.tmpLo, c.tmpHi, d.imm3, d.rd);
  if (c.abort) return;
  if (d.imm2 !== 0) {
    c.x[d.rn] = wl;
    c.x[d.rn + 1] = wh;
  }
}
function fpLdReg(c: Cpu, d: Decoded): void {
  if (fpTrap(c)) return;
  regOffsetAddr(c, d);
  if (!rdv(c, c.tmpLo, c.tmpHi, d.imm3, 0)) return;
  commit(c, d.rd, 0);
}
function fpStReg(c: Cpu, d: Decoded): void {
  if (fpTrap(c)) return;
  regOffsetAddr(c, d);
  wrv(c, c.tmpLo, c.tmpHi, d.imm3, d.rd);
}
function fpLdLit(c: Cpu, d: Decoded): void {
  if (fpTrap(c)) return;
  addrS(c, c.curPcLo, c.curPcHi, d.imm);
  if (!rdv(c, c.tmpLo, c.tmpHi, d.imm3, 0)) return;
  commit(c, d.rd, 0);
}
function fpLdPair(c: Cpu, d: Decoded): void {
  if (fpTrap(c)) return;
  imm9Addr(c, d);
  const wl = wbLo;
  const wh = wbHi;
  const lo = c.tmpLo;
  const hi = c.tmpHi;
  const n = 1 << d.imm3;
  if (!rdv(c, lo, hi, d.imm3, 0)) return;
  const lo2 = (lo + n) >>> 0;
  if (!rdv(c, lo2, lo2 < n ? (hi + 1) >>> 0 : hi, d.imm3, 4)) return;
  commit(c, d.rd, 0);
  commit(c, d.ra, 4);
  if (d.imm2 !== 0) {
    c.x[d.rn] = wl;
    c.x[d.rn + 1] = wh;
  }
}
function fpStPair(c: Cpu, d: Decoded): void {
  if (fpTrap(c)) return;
  imm9Addr(c, d);
  const wl = wbLo;
  const wh = wbHi;
  const lo = c.tmpLo;
  const hi = c.tmpHi;
  const n = 1 << d.imm3;
  wrv(c, lo, hi, d.imm3, d.rd);
  if (c.abort) return;
  const lo2 = (lo + n) >>> 0;
  wrv(c, lo2, lo2 < n ? (hi + 1) >>> 0 : hi, d.imm3, d.ra);
  if (c.abort) return;
  if (d.imm2 !== 0) {
    c.x[d.rn] = wl;
    c.x[d.rn + 1] = wh;
  }
}

const fpSpWrapped = new Map<ExecFn, ExecFn>();
/** Install fn; with SP as the base, check SP alignment *after* the FP access check (the Arm ARM
 * pseudocode runs CheckFPAdvSIMDEnabled64() before CheckSPAlignment()). Shared with the AdvSIMD
 * structure loads/stores (simd/simd-ldst.ts). */
export function setFpFn(d: Decoded, n: number, fn: ExecFn): void {
  if (n !== 31) {
    d.fn = fn;
    return;
  }
  let w = fpSpWrapped.get(fn);
  if (w === undefined) {
    const inner = fn;
    w = (c: Cpu, dd: Decoded) => {
      if (fpTrap(c)) return;
      if ((c.x[62] & 15) !== 0 && spAlignFault(c)) return;
      inner(c, dd);
    };
    fpSpWrapped.set(fn, w);
  }
  d.fn = w;
}

const sext = (v: number, bits: number) => (v << (32 - bits)) >> (32 - bits);

/** size:opc → log2 bytes (B H S D Q) and load flag, or -1 if unallocated. */
function fpSize(size: number, opc: number): number {
  if (opc >= 2) return size === 0 ? 4 : -1;
  return size;
}

export const LDST_FP_ROWS: Row[] = [
  ['LDST_FP_UIMM', 'ss111101ooiiiiiiiiiiiinnnnnttttt', (f, d) => {
    const lg = fpSize(f.s, f.o);
    if (lg < 0) return false;
    d.imm3 = lg;
    d.imm = f.i << lg;
    d.rd = f.t * 4;
    d.rn = regSP(f.n);
    setFpFn(d, f.n, f.o & 1 ? fpLdU : fpStU);
  }],
  ['LDST_FP_IMM9', 'ss111100oo0iiiiiiiiippnnnnnttttt', (f, d) => {
    const lg = fpSize(f.s, f.o);
    if (lg < 0 || f.p === 2) return false; // no unprivileged SIMD&FP forms
    d.imm3 = lg;
    d.imm = sext(f.i, 9);
    d.imm2 = f.p === 3 ? 1 : f.p === 1 ? 2 : 0;
    d.rd = f.t * 4;
    d.rn = regSP(f.n);
    setFpFn(d, f.n, f.o & 1 ? fpLdImm9 : fpStImm9);
  }],
  ['LDST_FP_REG', 'ss111100oo1mmmmmxxxS10nnnnnttttt', (f, d) => {
    const lg = fpSize(f.s, f.o);
    if (lg < 0 || (f.x & 2) === 0) return false;
    d.imm3 = lg;
    d.imm = f.S ? lg : 0;
    d.imm2 = f.x;
    d.rm = regR(f.m);
    d.rd = f.t * 4;
    d.rn = regSP(f.n);
    setFpFn(d, f.n, f.o & 1 ? fpLdReg : fpStReg);
  }],
  ['LDR_FP_lit', 'oo011100iiiiiiiiiiiiiiiiiiittttt', (f, d) => {
    if (f.o === 3) return false;
    d.imm3 = f.o + 2;
    d.imm = sext(f.i, 19) * 4;
    d.rd = f.t * 4;
    d.fn = fpLdLit;
  }],
  ['LDST_FP_PAIR', 'oo10110MMLiiiiiiiuuuuunnnnnttttt', (f, d) => {
    if (f.o === 3) return false;
    const lg = f.o + 2;
    d.imm3 = lg;
    d.imm = sext(f.i, 7) << lg;
    d.imm2 = f.M === 3 ? 1 : f.M === 1 ? 2 : 0;
    d.rd = f.t * 4;
    d.ra = f.u * 4;
    d.rn = regSP(f.n);
    setFpFn(d, f.n, f.L ? fpLdPair : fpStPair);
  }],
];
