// AdvSIMD structure loads/stores (Arm ARM C4.1.88 "Advanced SIMD load/store multiple structures"
// and "... single structure", with their post-indexed forms; instruction pages C7.2 LD1..LD4,
// LD1R..LD4R, ST1..ST4):
//   multiple: 0 Q 0011000 L 000000 opcode size Rn Rt     post: 0 Q 0011001 L 0 Rm opcode size Rn Rt
//   single:   0 Q 0011010 L R 00000 opcode S size Rn Rt   post: 0 Q 0011011 L R Rm opcode S size Rn Rt
// Post-index with Rm = 31 adds the total bytes transferred, otherwise X[Rm]. Register numbers wrap
// modulo 32. Every form checks FP/SIMD access first (fpTrap), then SP alignment when Rn = 31.
// Loads collect into a staging buffer and write the V registers only when every access succeeded;
// a fault (taken by the access function, c.abort set) leaves registers and the base unchanged.
// Stores may have written the elements before the faulting one (the architecture allows it; QEMU
// does the same). Little-endian data only (like the rest of the core).
//
// Decoded fields: d.rd = 4 × Rt (as every SIMD&FP row; Rt = d.rd >>> 2), d.rn = base slot, d.rm = Rm slot,
// d.imm = post-index immediate, d.imm2 = writeback (0 none, 1 immediate, 2 register),
// d.imm3 = log2(element bytes), d.imm4 = rpt | selem << 3 | Q << 6 | lane index << 7.
import type { Row, Decoded, ExecFn } from '../../decode/decoder';
import { regR, regSP } from '../../decode/decoder';
import type { Cpu } from '../../cpu';
import { ld8, ld16, ld32, ld64, st8, st16, st32, st64, translateData } from '../../mem';
import { fpTrap } from '../../fpaccess';
import { spAlignFault } from '../ldst-common';
import { setFpFn } from '../ldst-fp';

/** staging for up to 4 registers, 16-byte stride */
const stg = new Uint32Array(16);
const stg8 = new Uint8Array(stg.buffer);
const stg16 = new Uint16Array(stg.buffer);

/** memory image of an interleaved structure transfer (up to 64 bytes) */
const raw = new Uint32Array(16);
const raw8 = new Uint8Array(raw.buffer);
const raw16 = new Uint16Array(raw.buffer);

/** raw (element e of structure member s at e*selem+s) → staging (register s, element e) */
function deinterleave(selem: number, elements: number, lg: number): void {
  switch (lg) {
    case 0:
      for (let e = 0; e < elements; e++) for (let s = 0; s < selem; s++) stg8[16 * s + e] = raw8[e * selem + s];
      return;
    case 1:
      for (let e = 0; e < elements; e++) for (let s = 0; s < selem; s++) stg16[8 * s + e] = raw16[e * selem + s];
      return;
    case 2:
      for (let e = 0; e < elements; e++) for (let s = 0; s < selem; s++) stg[4 * s + e] = raw[e * selem + s];
      return;
    default:
      for (let e = 0; e < elements; e++) {
        for (let s = 0; s < selem; s++) {
          const i = 2 * (e * selem + s);
          stg[4 * s + 2 * e] = raw[i];
          stg[4 * s + 2 * e + 1] = raw[i + 1];
        }
      }
  }
}

/** registers t.. (mod 32), element e of register t+s → raw[e*selem+s] */
function interleave(c: Cpu, t: number, selem: number, elements: number, lg: number): void {
  for (let s = 0; s < selem; s++) {
    const reg = (t + s) & 31;
    switch (lg) {
      case 0: {
        const v8 = c.v8;
        for (let e = 0; e < elements; e++) raw8[e * selem + s] = v8[16 * reg + e];
        break;
      }
      case 1: {
        const v16 = c.v16;
        for (let e = 0; e < elements; e++) raw16[e * selem + s] = v16[8 * reg + e];
        break;
      }
      case 2: {
        const v = c.vreg;
        for (let e = 0; e < elements; e++) raw[e * selem + s] = v[4 * reg + e];
        break;
      }
      default: {
        const v = c.vreg;
        for (let e = 0; e < elements; e++) {
          const i = 2 * (e * selem + s);
          raw[i] = v[4 * reg + 2 * e];
          raw[i + 1] = v[4 * reg + 2 * e + 1];
        }
      }
    }
  }
}

/** Load one element of 2^lg bytes at (lo, hi) into staging element `e` (units of 2^lg). */
function ldElem(c: Cpu, lo: number, hi: number, lg: number, e: number): boolean {
  switch (lg) {
    case 0:
      stg8[e] = ld8(c, lo, hi);
      break;
    case 1:
      stg16[e] = ld16(c, lo, hi);
      break;
    case 2:
      stg[e] = ld32(c, lo, hi);
      break;
    default:
      ld64(c, lo, hi);
      stg[2 * e] = c.tmpLo;
      stg[2 * e + 1] = c.tmpHi;
  }
  return !c.abort;
}

/** Store element `e` (units of 2^lg) of V register `reg`. */
function stElem(c: Cpu, lo: number, hi: number, lg: number, reg: number, e: number): boolean {
  switch (lg) {
    case 0:
      st8(c, lo, hi, c.v8[16 * reg + e]);
      break;
    case 1:
      st16(c, lo, hi, c.v16[8 * reg + e]);
      break;
    case 2:
      st32(c, lo, hi, c.vreg[4 * reg + e]);
      break;
    default: {
      const i = 4 * reg + 2 * e;
      st64(c, lo, hi, c.vreg[i], c.vreg[i + 1]);
    }
  }
  return !c.abort;
}

/** Base + post-index (after every access succeeded). */
function writeback(c: Cpu, d: Decoded, lo: number, hi: number): void {
  const x = c.x;
  if (d.imm2 === 1) {
    const n = (lo + d.imm) >>> 0;
    x[d.rn] = n;
    x[d.rn + 1] = n < lo ? (hi + 1) >>> 0 : hi;
  } else if (d.imm2 === 2) {
    const mLo = x[d.rm];
    const n = (lo + mLo) >>> 0;
    x[d.rn] = n;
    x[d.rn + 1] = (hi + x[d.rm + 1] + (n < lo ? 1 : 0)) >>> 0;
  }
}

// ------------------------------------------------------------------ multiple structures

function ldMulti(c: Cpu, d: Decoded): void {
  if (fpTrap(c)) return;
  const lo = c.x[d.rn];
  const hi = c.x[d.rn + 1];
  const p = d.imm4;
  const rpt = p & 7;
  const selem = (p >>> 3) & 7;
  const q = (p >>> 6) & 1;
  const lg = d.imm3;
  if (selem === 1 && (lo & 7) === 0) {
    // contiguous and 8-byte aligned: one 64-bit access per doubleword
    const chunks = rpt << q;
    for (let k = 0; k < chunks; k++) {
      const off = k << 3;
      const a = (lo + off) >>> 0;
      ld64(c, a, a < lo ? (hi + 1) >>> 0 : hi);
      if (c.abort) return;
      const w = q ? k << 1 : k << 2;
      stg[w] = c.tmpLo;
      stg[w + 1] = c.tmpHi;
    }
  } else if ((lo & 7) === 0) {
    // LD2..LD4, 8-byte aligned: doubleword accesses (elements never straddle one, so faults and
    // alignment are those of the element accesses), then de-interleave
    const chunks = selem << q;
    for (let k = 0; k < chunks; k++) {
      const a = (lo + (k << 3)) >>> 0;
      ld64(c, a, a < lo ? (hi + 1) >>> 0 : hi);
      if (c.abort) return;
      raw[2 * k] = c.tmpLo;
      raw[2 * k + 1] = c.tmpHi;
    }
    deinterleave(selem, (8 << q) >>> lg, lg);
  } else {
    const elements = (8 << q) >>> lg;
    let off = 0;
    const esz = 1 << lg;
    for (let r = 0; r < rpt; r++) {
      for (let e = 0; e < elements; e++) {
        for (let s = 0; s < selem; s++) {
          const a = (lo + off) >>> 0;
          if (!ldElem(c, a, a < lo ? (hi + 1) >>> 0 : hi, lg, ((r + s) << (4 - lg)) + e)) return;
          off += esz;
        }
      }
    }
  }
  const v = c.vreg;
  const t = d.rd >>> 2;
  const nregs = rpt * selem;
  for (let r = 0; r < nregs; r++) {
    const vi = ((t + r) & 31) << 2;
    const w = r << 2;
    v[vi] = stg[w];
    v[vi + 1] = stg[w + 1];
    if (q) {
      v[vi + 2] = stg[w + 2];
      v[vi + 3] = stg[w + 3];
    } else v[vi + 2] = v[vi + 3] = 0;
  }
  writeback(c, d, lo, hi);
}

function stMulti(c: Cpu, d: Decoded): void {
  if (fpTrap(c)) return;
  const lo = c.x[d.rn];
  const hi = c.x[d.rn + 1];
  const p = d.imm4;
  const rpt = p & 7;
  const selem = (p >>> 3) & 7;
  const q = (p >>> 6) & 1;
  const lg = d.imm3;
  const t = d.rd >>> 2;
  if (selem === 1 && (lo & 7) === 0) {
    const v = c.vreg;
    const chunks = rpt << q;
    for (let k = 0; k < chunks; k++) {
      const off = k << 3;
      const a = (lo + off) >>> 0;
      const vi = (((t + (k >>> q)) & 31) << 2) + (q ? (k & 1) << 1 : 0);
      st64(c, a, a < lo ? (hi + 1) >>> 0 : hi, v[vi], v[vi + 1]);
      if (c.abort) return;
    }
  } else if ((lo & 7) === 0) {
    // ST2..ST4, 8-byte aligned: interleave, then doubleword accesses (a fault stops at a page
    // boundary, which is a doubleword boundary: the same bytes are written as element by element)
    interleave(c, t, selem, (8 << q) >>> lg, lg);
    const chunks = selem << q;
    for (let k = 0; k < chunks; k++) {
      const a = (lo + (k << 3)) >>> 0;
      st64(c, a, a < lo ? (hi + 1) >>> 0 : hi, raw[2 * k], raw[2 * k + 1]);
      if (c.abort) return;
    }
  } else {
    const elements = (8 << q) >>> lg;
    let off = 0;
    const esz = 1 << lg;
    for (let r = 0; r < rpt; r++) {
      for (let e = 0; e < elements; e++) {
        for (let s = 0; s < selem; s++) {
          const a = (lo + off) >>> 0;
          const ah = a < lo ? (hi + 1) >>> 0 : hi;
          // ST1: each doubleword that crosses a page is stored all-or-nothing (both pages
          // translated first), as QEMU does with its 64-bit accesses; memory written by a
          // faulting store is UNKNOWN architecturally, so either is allowed
          if (selem === 1 && (off & 7) === 0 && (a & 0xfff) > 0xff8 && !probe2(c, a, ah)) return;
          if (!stElem(c, a, ah, lg, (t + r + s) & 31, e)) return;
          off += esz;
        }
      }
    }
  }
  writeback(c, d, lo, hi);
}

/** Translate (for writing) the first byte at (lo, hi) and the first byte of the next page; false
 * after taking the fault. */
function probe2(c: Cpu, lo: number, hi: number): boolean {
  if (translateData(c, lo, hi, 1, true, 0) < 0) return false;
  const lo2 = (lo + 0x1000 - (lo & 0xfff)) >>> 0;
  return translateData(c, lo2, lo2 < lo ? (hi + 1) >>> 0 : hi, 1, true, 0) >= 0;
}

// ------------------------------------------------------------------ single structure

function ldSingle(c: Cpu, d: Decoded): void {
  if (fpTrap(c)) return;
  const lo = c.x[d.rn];
  const hi = c.x[d.rn + 1];
  const p = d.imm4;
  const selem = (p >>> 3) & 7;
  const index = p >>> 7;
  const lg = d.imm3;
  const esz = 1 << lg;
  for (let s = 0; s < selem; s++) {
    const a = (lo + s * esz) >>> 0;
    if (!ldElem(c, a, a < lo ? (hi + 1) >>> 0 : hi, lg, s << (4 - lg))) return;
  }
  const t = d.rd >>> 2;
  for (let s = 0; s < selem; s++) {
    const reg = (t + s) & 31;
    const e = s << (4 - lg);
    switch (lg) {
      case 0:
        c.v8[16 * reg + index] = stg8[e];
        break;
      case 1:
        c.v16[8 * reg + index] = stg16[e];
        break;
      case 2:
        c.vreg[4 * reg + index] = stg[e];
        break;
      default:
        c.vreg[4 * reg + 2 * index] = stg[2 * e];
        c.vreg[4 * reg + 2 * index + 1] = stg[2 * e + 1];
    }
  }
  writeback(c, d, lo, hi);
}

function ldRepl(c: Cpu, d: Decoded): void {
  if (fpTrap(c)) return;
  const lo = c.x[d.rn];
  const hi = c.x[d.rn + 1];
  const p = d.imm4;
  const selem = (p >>> 3) & 7;
  const q = (p >>> 6) & 1;
  const lg = d.imm3;
  const esz = 1 << lg;
  for (let s = 0; s < selem; s++) {
    const a = (lo + s * esz) >>> 0;
    if (!ldElem(c, a, a < lo ? (hi + 1) >>> 0 : hi, lg, s << (4 - lg))) return;
  }
  const t = d.rd >>> 2;
  const v = c.vreg;
  for (let s = 0; s < selem; s++) {
    const vi = ((t + s) & 31) << 2;
    const e = s << (4 - lg);
    let wlo: number;
    let whi: number;
    switch (lg) {
      case 0:
        wlo = Math.imul(stg8[e], 0x01010101) >>> 0;
        whi = wlo;
        break;
      case 1:
        wlo = (stg16[e] * 0x10001) >>> 0;
        whi = wlo;
        break;
      case 2:
        wlo = whi = stg[e];
        break;
      default:
        wlo = stg[2 * e];
        whi = stg[2 * e + 1];
    }
    v[vi] = wlo;
    v[vi + 1] = whi;
    if (q) {
      v[vi + 2] = wlo;
      v[vi + 3] = whi;
    } else v[vi + 2] = v[vi + 3] = 0;
  }
  writeback(c, d, lo, hi);
}

function stSingle(c: Cpu, d: Decoded): void {
  if (fpTrap(c)) return;
  const lo = c.x[d.rn];
  const hi = c.x[d.rn + 1];
  const p = d.imm4;
  const selem = (p >>> 3) & 7;
  const index = p >>> 7;
  const lg = d.imm3;
  const esz = 1 << lg;
  const t = d.rd >>> 2;
  for (let s = 0; s < selem; s++) {
    const a = (lo + s * esz) >>> 0;
    if (!stElem(c, a, a < lo ? (hi + 1) >>> 0 : hi, lg, (t + s) & 31, index)) return;
  }
  writeback(c, d, lo, hi);
}

// ------------------------------------------------------------------ decode

/** opcode → rpt | selem << 3 for the multiple-structure forms (C4.1.88), 0 = unallocated */
const MULT = [
  1 | (4 << 3), 0, 4 | (1 << 3), 0, 1 | (3 << 3), 0, 3 | (1 << 3), 1 | (1 << 3),
  1 | (2 << 3), 0, 2 | (1 << 3), 0, 0, 0, 0, 0,
];

function compileMulti(f: Record<string, number>, d: Decoded, post: boolean): boolean {
  const rs = MULT[f.o];
  if (rs === 0) return false;
  const selem = rs >>> 3;
  if (f.s === 3 && f.q === 0 && selem !== 1) return false; // .1D with LD2..LD4
  d.imm4 = rs | (f.q << 6);
  d.imm3 = f.s;
  d.rd = f.t * 4;
  d.rn = regSP(f.n);
  d.imm2 = 0;
  if (post) {
    if (f.m === 31) {
      d.imm2 = 1;
      d.imm = (8 << f.q) * (rs & 7) * selem;
    } else {
      d.imm2 = 2;
      d.rm = regR(f.m);
    }
  }
  setFpFn(d, f.n, f.L ? ldMulti : stMulti);
  return true;
}

function compileSingle(f: Record<string, number>, d: Decoded, post: boolean): boolean {
  let scale = f.o >>> 1;
  const selem = (((f.o & 1) << 1) | f.R) + 1;
  let index = 0;
  let repl = false;
  switch (scale) {
    case 3:
      if (f.L === 0 || f.S === 1) return false;
      scale = f.s;
      repl = true;
      break;
    case 0:
      index = (f.q << 3) | (f.S << 2) | f.s;
      break;
    case 1:
      if (f.s & 1) return false;
      index = (f.q << 2) | (f.S << 1) | (f.s >>> 1);
      break;
    default:
      if (f.s & 2) return false;
      if ((f.s & 1) === 0) index = (f.q << 1) | f.S;
      else {
        if (f.S) return false;
        index = f.q;
        scale = 3;
      }
  }
  d.imm3 = scale;
  d.imm4 = (selem << 3) | (f.q << 6) | (index << 7);
  d.rd = f.t * 4;
  d.rn = regSP(f.n);
  d.imm2 = 0;
  if (post) {
    if (f.m === 31) {
      d.imm2 = 1;
      d.imm = selem << scale;
    } else {
      d.imm2 = 2;
      d.rm = regR(f.m);
    }
  }
  setFpFn(d, f.n, repl ? ldRepl : f.L ? ldSingle : stSingle);
  return true;
}

export const SIMD_LDST_ROWS: Row[] = [
  ['SIMD_LDST_MULT', '0q0011000L000000oooossnnnnnttttt', (f, d) => compileMulti(f, d, false)],
  ['SIMD_LDST_MULT_POST', '0q0011001L0mmmmmoooossnnnnnttttt', (f, d) => compileMulti(f, d, true)],
  ['SIMD_LDST_SINGLE', '0q0011010LR00000oooSssnnnnnttttt', (f, d) => compileSingle(f, d, false)],
  ['SIMD_LDST_SINGLE_POST', '0q0011011LRmmmmmoooSssnnnnnttttt', (f, d) => compileSingle(f, d, true)],
];
