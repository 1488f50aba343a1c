// Semantics of the A64 "Loads and Stores" encoding class (Arm ARM C4.1.88), general-purpose register
// forms: single register (unsigned offset, pre/post-index, unscaled, unprivileged, register offset,
// literal, PRFM) and pairs (LDP/STP/LDPSW/LDNP/STNP). Exclusives, ordered, atomics and CAS are in
// ldst-sync.ts, SIMD&FP register loads/stores in ldst-fp.ts; their rows are concatenated below.
//
// Register fields: d.rd = Rt slot (regR for stores, regW for loads), d.ra = Rt2 slot (pairs),
// d.rn = base slot (regSP), d.rm = index slot; d.imm = byte offset, d.imm3 = access kind.
// Writeback with Rn == Rt/Rt2 (CONSTRAINED UNPREDICTABLE, Arm ARM K1.2): as QEMU, a store writes the
// register's value from before the writeback, and for loads the writeback comes last (the base
// register ends up holding the written-back address). For LDP with Rt == Rt2, Rt's value (the first
// word) wins; for SIMD&FP LDP and LDXP, Rt2's — all as QEMU 7.2 does (checked against it).
import type { Row, Decoded } from '../decode/decoder';
import { regW, regR, regSP } from '../decode/decoder';
import type { Cpu } from '../cpu';
import { ld8, ld16, ld32, ld64, st8, st16, st32, st64, ldFlags, stFlags, ld64Flags, st64Flags } from '../mem';
import { setFn, unprivFlags, addrS, regOffsetAddr } from './ldst-common';
import { LDST_SYNC_ROWS } from './ldst-sync';
import { LDST_FP_ROWS } from './ldst-fp';
import { execLdra } from '../pauth';

// access kinds, indexed by size * 4 + opc
const K_STRB = 0, K_STRH = 1, K_STRW = 2, K_STRX = 3;
const K_LDRB = 4, K_LDRH = 5, K_LDRW = 6, K_LDRX = 7;
const K_LDRSBX = 8, K_LDRSHX = 9, K_LDRSW = 10, K_LDRSBW = 11, K_LDRSHW = 12, K_PRFM = 13;
const KIND = [
  K_STRB, K_LDRB, K_LDRSBX, K_LDRSBW,
  K_STRH, K_LDRH, K_LDRSHX, K_LDRSHW,
  K_STRW, K_LDRW, K_LDRSW, -1,
  K_STRX, K_LDRX, K_PRFM, -1,
];
const isStore = (k: number) => k <= K_STRX;

/** Perform access `k` for register slot t at (lo, hi); registers are written only on success. */
function access(c: Cpu, t: number, lo: number, hi: number, k: number, flags: number): void {
  const x = c.x;
  let v: number;
  switch (k) {
    case K_STRB:
      if (flags === 0) st8(c, lo, hi, x[t] & 0xff);
      else stFlags(c, lo, hi, 1, x[t] & 0xff, flags);
      return;
    case K_STRH:
      if (flags === 0) st16(c, lo, hi, x[t] & 0xffff);
      else stFlags(c, lo, hi, 2, x[t] & 0xffff, flags);
      return;
    case K_STRW:
      if (flags === 0) st32(c, lo, hi, x[t]);
      else stFlags(c, lo, hi, 4, x[t], flags);
      return;
    case K_STRX:
      if (flags === 0) st64(c, lo, hi, x[t], x[t + 1]);
      else st64Flags(c, lo, hi, x[t], x[t + 1], flags);
      return;
    case K_LDRX:
      if (flags === 0) ld64(c, lo, hi);
      else ld64Flags(c, lo, hi, flags);
      if (c.abort) return;
      x[t] = c.tmpLo;
      x[t + 1] = c.tmpHi;
      return;
    case K_PRFM:
      return;
  }
  switch (k) {
    case K_LDRB:
    case K_LDRSBX:
    case K_LDRSBW:
      v = flags === 0 ? ld8(c, lo, hi) : ldFlags(c, lo, hi, 1, flags);
      break;
    case K_LDRH:
    case K_LDRSHX:
    case K_LDRSHW:
      v = flags === 0 ? ld16(c, lo, hi) : ldFlags(c, lo, hi, 2, flags);
      break;
    default:
      v = flags === 0 ? ld32(c, lo, hi) : ldFlags(c, lo, hi, 4, flags);
  }
  if (c.abort) return;
  switch (k) {
    case K_LDRB:
    case K_LDRH:
    case K_LDRW:
      x[t] = v;
      x[t + 1] = 0;
      return;
    case K_LDRSBX:
      v = (v << 24) >> 24;
      x[t] = v >>> 0;
      x[t + 1] = v < 0 ? 0xffffffff : 0;
      return;
    case K_LDRSBW:
      x[t] = ((v << 24) >> 24) >>> 0;
      x[t + 1] = 0;
      return;
    case K_LDRSHX:
      v = (v << 16) >> 16;
      x[t] = v >>> 0;
      x[t + 1] = v < 0 ? 0xffffffff : 0;
      return;
    case K_LDRSHW:
      x[t] = ((v << 16) >> 16) >>> 0;
      x[t + 1] = 0;
      return;
    case K_LDRSW:
      x[t] = v;
      x[t + 1] = (v | 0) < 0 ? 0xffffffff : 0;
      return;
  }
}

// ------------------------------------------------------------------ hot specialized forms

function ldrXU(c: Cpu, d: Decoded): void {
  const x = c.x;
  const a = x[d.rn];
  const lo = (a + d.imm) >>> 0;
  ld64(c, lo, lo < a ? (x[d.rn + 1] + 1) >>> 0 : x[d.rn + 1]);
  if (c.abort) return;
  x[d.rd] = c.tmpLo;
  x[d.rd + 1] = c.tmpHi;
}
function strXU(c: Cpu, d: Decoded): void {
  const x = c.x;
  const a = x[d.rn];
  const lo = (a + d.imm) >>> 0;
  st64(c, lo, lo < a ? (x[d.rn + 1] + 1) >>> 0 : x[d.rn + 1], x[d.rd], x[d.rd + 1]);
}
function ldrWU(c: Cpu, d: Decoded): void {
  const x = c.x;
  const a = x[d.rn];
  const lo = (a + d.imm) >>> 0;
  const v = ld32(c, lo, lo < a ? (x[d.rn + 1] + 1) >>> 0 : x[d.rn + 1]);
  if (c.abort) return;
  x[d.rd] = v;
  x[d.rd + 1] = 0;
}
function strWU(c: Cpu, d: Decoded): void {
  const x = c.x;
  const a = x[d.rn];
  const lo = (a + d.imm) >>> 0;
  st32(c, lo, lo < a ? (x[d.rn + 1] + 1) >>> 0 : x[d.rn + 1], x[d.rd]);
}
function ldrbU(c: Cpu, d: Decoded): void {
  const x = c.x;
  const a = x[d.rn];
  const lo = (a + d.imm) >>> 0;
  const v = ld8(c, lo, lo < a ? (x[d.rn + 1] + 1) >>> 0 : x[d.rn + 1]);
  if (c.abort) return;
  x[d.rd] = v;
  x[d.rd + 1] = 0;
}
function strbU(c: Cpu, d: Decoded): void {
  const x = c.x;
  const a = x[d.rn];
  const lo = (a + d.imm) >>> 0;
  st8(c, lo, lo < a ? (x[d.rn + 1] + 1) >>> 0 : x[d.rn + 1], x[d.rd] & 0xff);
}
function ldrhU(c: Cpu, d: Decoded): void {
  const x = c.x;
  const a = x[d.rn];
  const lo = (a + d.imm) >>> 0;
  const v = ld16(c, lo, lo < a ? (x[d.rn + 1] + 1) >>> 0 : x[d.rn + 1]);
  if (c.abort) return;
  x[d.rd] = v;
  x[d.rd + 1] = 0;
}
function strhU(c: Cpu, d: Decoded): void {
  const x = c.x;
  const a = x[d.rn];
  const lo = (a + d.imm) >>> 0;
  st16(c, lo, lo < a ? (x[d.rn + 1] + 1) >>> 0 : x[d.rn + 1], x[d.rd] & 0xffff);
}
/** str xT, [xN, #simm]! */
function strXPre(c: Cpu, d: Decoded): void {
  const x = c.x;
  const rn = d.rn;
  const s = x[rn] + d.imm;
  const lo = s >>> 0;
  const hi = s < 0 ? (x[rn + 1] - 1) >>> 0 : s > 0xffffffff ? (x[rn + 1] + 1) >>> 0 : x[rn + 1];
  st64(c, lo, hi, x[d.rd], x[d.rd + 1]);
  if (c.abort) return;
  x[rn] = lo;
  x[rn + 1] = hi;
}
/** ldr xT, [xN], #simm */
function ldrXPost(c: Cpu, d: Decoded): void {
  const x = c.x;
  const rn = d.rn;
  const a = x[rn];
  const h = x[rn + 1];
  ld64(c, a, h);
  if (c.abort) return;
  x[d.rd] = c.tmpLo;
  x[d.rd + 1] = c.tmpHi;
  const s = a + d.imm;
  x[rn] = s >>> 0;
  x[rn + 1] = s < 0 ? (h - 1) >>> 0 : s > 0xffffffff ? (h + 1) >>> 0 : h;
}

// ------------------------------------------------------------------ generic single-register forms

function ldstU(c: Cpu, d: Decoded): void {
  const a = c.x[d.rn];
  const lo = (a + d.imm) >>> 0;
  access(c, d.rd, lo, lo < a ? (c.x[d.rn + 1] + 1) >>> 0 : c.x[d.rn + 1], d.imm3, 0);
}
function ldstUnscaled(c: Cpu, d: Decoded): void {
  addrS(c, c.x[d.rn], c.x[d.rn + 1], d.imm);
  access(c, d.rd, c.tmpLo, c.tmpHi, d.imm3, 0);
}
function ldstUnpriv(c: Cpu, d: Decoded): void {
  addrS(c, c.x[d.rn], c.x[d.rn + 1], d.imm);
  access(c, d.rd, c.tmpLo, c.tmpHi, d.imm3, unprivFlags(c));
}
function ldstPre(c: Cpu, d: Decoded): void {
  addrS(c, c.x[d.rn], c.x[d.rn + 1], d.imm);
  const lo = c.tmpLo;
  const hi = c.tmpHi;
  access(c, d.rd, lo, hi, d.imm3, 0);
  if (c.abort) return;
  c.x[d.rn] = lo;
  c.x[d.rn + 1] = hi;
}
function ldstPost(c: Cpu, d: Decoded): void {
  const lo = c.x[d.rn];
  const hi = c.x[d.rn + 1];
  access(c, d.rd, lo, hi, d.imm3, 0);
  if (c.abort) return;
  addrS(c, lo, hi, d.imm);
  c.x[d.rn] = c.tmpLo;
  c.x[d.rn + 1] = c.tmpHi;
}

function ldstReg(c: Cpu, d: Decoded): void {
  regOffsetAddr(c, d);
  access(c, d.rd, c.tmpLo, c.tmpHi, d.imm3, 0);
}

function ldLit(c: Cpu, d: Decoded): void {
  addrS(c, c.curPcLo, c.curPcHi, d.imm);
  access(c, d.rd, c.tmpLo, c.tmpHi, d.imm3, 0);
}

function nop(_c: Cpu, _d: Decoded): void {}

// ------------------------------------------------------------------ pairs

function ldpX(c: Cpu, d: Decoded): void {
  const x = c.x;
  const s = x[d.rn] + d.imm;
  const lo = s >>> 0;
  const hi = s < 0 ? (x[d.rn + 1] - 1) >>> 0 : s > 0xffffffff ? (x[d.rn + 1] + 1) >>> 0 : x[d.rn + 1];
  ld64(c, lo, hi);
  if (c.abort) return;
  const aLo = c.tmpLo;
  const aHi = c.tmpHi;
  const lo2 = (lo + 8) >>> 0;
  ld64(c, lo2, lo2 < 8 ? (hi + 1) >>> 0 : hi);
  if (c.abort) return;
  x[d.ra] = c.tmpLo;
  x[d.ra + 1] = c.tmpHi;
  x[d.rd] = aLo;
  x[d.rd + 1] = aHi;
}
function ldpXPre(c: Cpu, d: Decoded): void {
  const x = c.x;
  const rn = d.rn;
  const s = x[rn] + d.imm;
  const lo = s >>> 0;
  const hi = s < 0 ? (x[rn + 1] - 1) >>> 0 : s > 0xffffffff ? (x[rn + 1] + 1) >>> 0 : x[rn + 1];
  ld64(c, lo, hi);
  if (c.abort) return;
  const aLo = c.tmpLo;
  const aHi = c.tmpHi;
  const lo2 = (lo + 8) >>> 0;
  ld64(c, lo2, lo2 < 8 ? (hi + 1) >>> 0 : hi);
  if (c.abort) return;
  x[d.ra] = c.tmpLo;
  x[d.ra + 1] = c.tmpHi;
  x[d.rd] = aLo;
  x[d.rd + 1] = aHi;
  x[rn] = lo;
  x[rn + 1] = hi;
}
function ldpXPost(c: Cpu, d: Decoded): void {
  const x = c.x;
  const rn = d.rn;
  const lo = x[rn];
  const hi = x[rn + 1];
  ld64(c, lo, hi);
  if (c.abort) return;
  const aLo = c.tmpLo;
  const aHi = c.tmpHi;
  const lo2 = (lo + 8) >>> 0;
  ld64(c, lo2, lo2 < 8 ? (hi + 1) >>> 0 : hi);
  if (c.abort) return;
  x[d.ra] = c.tmpLo;
  x[d.ra + 1] = c.tmpHi;
  x[d.rd] = aLo;
  x[d.rd + 1] = aHi;
  const s = lo + d.imm;
  x[rn] = s >>> 0;
  x[rn + 1] = s < 0 ? (hi - 1) >>> 0 : s > 0xffffffff ? (hi + 1) >>> 0 : hi;
}
function stpX(c: Cpu, d: Decoded): void {
  const x = c.x;
  const s = x[d.rn] + d.imm;
  const lo = s >>> 0;
  const hi = s < 0 ? (x[d.rn + 1] - 1) >>> 0 : s > 0xffffffff ? (x[d.rn + 1] + 1) >>> 0 : x[d.rn + 1];
  const v2 = x[d.ra];
  const v3 = x[d.ra + 1];
  st64(c, lo, hi, x[d.rd], x[d.rd + 1]);
  if (c.abort) return;
  const lo2 = (lo + 8) >>> 0;
  st64(c, lo2, lo2 < 8 ? (hi + 1) >>> 0 : hi, v2, v3);
}
function stpXPre(c: Cpu, d: Decoded): void {
  const x = c.x;
  const rn = d.rn;
  const s = x[rn] + d.imm;
  const lo = s >>> 0;
  const hi = s < 0 ? (x[rn + 1] - 1) >>> 0 : s > 0xffffffff ? (x[rn + 1] + 1) >>> 0 : x[rn + 1];
  const v2 = x[d.ra];
  const v3 = x[d.ra + 1];
  st64(c, lo, hi, x[d.rd], x[d.rd + 1]);
  if (c.abort) return;
  const lo2 = (lo + 8) >>> 0;
  st64(c, lo2, lo2 < 8 ? (hi + 1) >>> 0 : hi, v2, v3);
  if (c.abort) return;
  x[rn] = lo;
  x[rn + 1] = hi;
}
function stpXPost(c: Cpu, d: Decoded): void {
  const x = c.x;
  const rn = d.rn;
  const lo = x[rn];
  const hi = x[rn + 1];
  const v2 = x[d.ra];
  const v3 = x[d.ra + 1];
  st64(c, lo, hi, x[d.rd], x[d.rd + 1]);
  if (c.abort) return;
  const lo2 = (lo + 8) >>> 0;
  st64(c, lo2, lo2 < 8 ? (hi + 1) >>> 0 : hi, v2, v3);
  if (c.abort) return;
  const s = lo + d.imm;
  x[rn] = s >>> 0;
  x[rn + 1] = s < 0 ? (hi - 1) >>> 0 : s > 0xffffffff ? (hi + 1) >>> 0 : hi;
}

/** 32-bit pairs (LDP/STP W, LDPSW): d.imm2 = mode (0 offset, 1 pre, 2 post), d.imm3 = 0 W / 1 SW. */
function pairW(c: Cpu, d: Decoded, store: boolean): void {
  const x = c.x;
  const rn = d.rn;
  const bLo = x[rn];
  const bHi = x[rn + 1];
  addrS(c, bLo, bHi, d.imm);
  const wLo = c.tmpLo;
  const wHi = c.tmpHi;
  const lo = d.imm2 === 2 ? bLo : wLo;
  const hi = d.imm2 === 2 ? bHi : wHi;
  const lo2 = (lo + 4) >>> 0;
  const hi2 = lo2 < 4 ? (hi + 1) >>> 0 : hi;
  if (store) {
    const v2 = x[d.ra];
    st32(c, lo, hi, x[d.rd]);
    if (c.abort) return;
    st32(c, lo2, hi2, v2);
    if (c.abort) return;
  } else {
    const a = ld32(c, lo, hi);
    if (c.abort) return;
    const b = ld32(c, lo2, hi2);
    if (c.abort) return;
    x[d.ra] = b;
    x[d.ra + 1] = d.imm3 === 1 && (b | 0) < 0 ? 0xffffffff : 0;
    x[d.rd] = a;
    x[d.rd + 1] = d.imm3 === 1 && (a | 0) < 0 ? 0xffffffff : 0;
  }
  if (d.imm2 !== 0) {
    x[rn] = wLo;
    x[rn + 1] = wHi;
  }
}
const ldpW = (c: Cpu, d: Decoded) => pairW(c, d, false);
const stpW = (c: Cpu, d: Decoded) => pairW(c, d, true);

// ------------------------------------------------------------------ decode

const sext = (v: number, bits: number) => (v << (32 - bits)) >> (32 - bits);

const HOT_U: Record<number, (c: Cpu, d: Decoded) => void> = {
  [K_LDRX]: ldrXU,
  [K_STRX]: strXU,
  [K_LDRW]: ldrWU,
  [K_STRW]: strWU,
  [K_LDRB]: ldrbU,
  [K_STRB]: strbU,
  [K_LDRH]: ldrhU,
  [K_STRH]: strhU,
};

/** Common register setup for single-register GPR forms; returns the kind or -1 if unallocated. */
function single(f: Record<string, number>, d: Decoded): number {
  const k = KIND[f.s * 4 + f.o];
  if (k < 0) return -1;
  d.rd = isStore(k) ? regR(f.t) : regW(f.t);
  d.rn = regSP(f.n);
  d.imm3 = k;
  return k;
}

export const LDST_GPR_ROWS: Row[] = [
  // Load/store register (unsigned immediate)
  ['LDST_UIMM', 'ss111001ooiiiiiiiiiiiinnnnnttttt', (f, d) => {
    const k = single(f, d);
    if (k < 0) return false;
    d.imm = f.i << f.s;
    if (k === K_PRFM) {
      d.fn = nop;
      return;
    }
    setFn(d, f.n, HOT_U[k] ?? ldstU);
  }],
  // Load/store register (unscaled / post-index / unprivileged / pre-index)
  ['LDST_IMM9', 'ss111000oo0iiiiiiiiippnnnnnttttt', (f, d) => {
    const k = single(f, d);
    if (k < 0) return false;
    d.imm = sext(f.i, 9);
    if (k === K_PRFM) {
      if (f.p !== 0) return false; // only PRFUM exists
      d.fn = nop;
      return;
    }
    switch (f.p) {
      case 0:
        setFn(d, f.n, ldstUnscaled);
        break;
      case 1:
        setFn(d, f.n, k === K_LDRX ? ldrXPost : ldstPost);
        break;
      case 2:
        setFn(d, f.n, ldstUnpriv);
        break;
      case 3:
        setFn(d, f.n, k === K_STRX ? strXPre : ldstPre);
        break;
    }
  }],
  // Load/store register (register offset)
  ['LDST_REG', 'ss111000oo1mmmmmxxxS10nnnnnttttt', (f, d) => {
    if ((f.x & 2) === 0) return false;
    const k = single(f, d);
    if (k < 0) return false;
    if (k === K_PRFM) {
      d.fn = nop;
      return;
    }
    d.rm = regR(f.m);
    d.imm = f.S ? f.s : 0;
    d.imm2 = f.x;
    setFn(d, f.n, ldstReg);
  }],
  // Load register (literal)
  ['LDR_lit', 'oo011000iiiiiiiiiiiiiiiiiiittttt', (f, d) => {
    d.imm = sext(f.i, 19) * 4;
    d.rd = regW(f.t);
    if (f.o === 3) {
      d.fn = nop; // PRFM (literal)
      return;
    }
    d.imm3 = f.o === 0 ? K_LDRW : f.o === 1 ? K_LDRX : K_LDRSW;
    d.fn = ldLit;
  }],
  // Load/store pair (no-allocate offset, post-index, signed offset, pre-index)
  ['LDST_PAIR', 'oo10100MMLiiiiiiiuuuuunnnnnttttt', (f, d) => {
    const mode = f.M === 3 ? 1 : f.M === 1 ? 2 : 0; // 0 offset (incl. non-temporal), 1 pre, 2 post
    let x64: boolean;
    let signed = false;
    if (f.o === 0) x64 = false;
    else if (f.o === 2) x64 = true;
    else if (f.o === 1 && f.L === 1 && f.M !== 0) {
      x64 = false;
      signed = true;
    } else return false;
    d.imm = sext(f.i, 7) << (x64 ? 3 : 2);
    d.imm2 = mode;
    d.imm3 = signed ? 1 : 0;
    d.rn = regSP(f.n);
    d.rd = f.L ? regW(f.t) : regR(f.t);
    d.ra = f.L ? regW(f.u) : regR(f.u);
    if (x64) {
      if (f.L) setFn(d, f.n, mode === 0 ? ldpX : mode === 1 ? ldpXPre : ldpXPost);
      else setFn(d, f.n, mode === 0 ? stpX : mode === 1 ? stpXPre : stpXPost);
    } else setFn(d, f.n, f.L ? ldpW : stpW);
  }],
  // LDRAA/LDRAB (FEAT_PAuth): base authenticated with the DA/DB key and a zero modifier, offset
  // S:imm9 scaled by 8, W = pre-index writeback. Semantics in ../pauth.ts
  ['LDRA', '11111000ks1iiiiiiiiiw1nnnnnttttt', (f, d) => {
    d.rn = regSP(f.n);
    d.rd = regW(f.t);
    d.imm = 2 + f.k; // Key.DA / Key.DB
    d.ra = ((((f.s << 9) | f.i) << 22) >> 22) * 8;
    d.imm2 = f.w;
    d.imm3 = regSP(f.n);
    setFn(d, f.n, execLdra); // SP base: SP alignment check first
  }],
];

export const LDST_ROWS: Row[] = [...LDST_GPR_ROWS, ...LDST_SYNC_ROWS, ...LDST_FP_ROWS];
