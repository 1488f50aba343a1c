// AdvSIMD integer "three different" (vector and scalar, Arm ARM C4.1.95 tables "Advanced SIMD three
// different", "Advanced SIMD scalar three different") and "x indexed element" integer ops (vector and
// scalar): widening L/W forms, narrowing high halves (ADDHN..), PMULL (8B and 1D), MUL/MLA/MLS,
// SQDMULH/SQRDMULH/SQRDMLAH/SQRDMLSH and SDOT/UDOT by element. The FP by-element opcodes (FMLA,
// FMLS, FMUL, FMULX, FMLAL.., FCMLA, BFDOT..) are not claimed: every row fixes U and opcode.
//
// Widening drivers use d.imm = result lanes, d.imm2 = first narrow source lane (0, or the lane count
// for the "2" forms reading the upper half), d.imm3 = Vm stride (0 by element), d.imm4 = Vm element
// index (by element), d.ra = 1 when Vn is already wide (W forms), d.ext = kernel.
import type { Row, Decoded, Fields } from '../../decode/decoder';
import type { Cpu } from '../../cpu';
import { fpTrap } from '../../fpaccess';
import { T8, T16, T32, CL, clearT, writeT, setQC, sat, pmul8, clmul32, mul32, mulLo, mulHi, sameDriverFor, wideDriverFor, type K } from './lanes-int';
import { THREE_SAME, rdmlK } from './simd-arith-kern';
import { kernel, dot } from './simd-arith-same';

/** 32-bit sources, 64-bit results, without BigInt: 64-bit lanes as 32-bit halves. d.ext = the
 * three-different opcode (ADDL/ADDW/SUBL/SUBW/ABAL/ABDL/MLAL/MLSL/MULL). result = base ± delta,
 * base = 0, the wide Vn lane (W forms) or the old Vd lane (accumulating forms). */
function wideH32(c: Cpu, d: Decoded, s: Int32Array | Uint32Array): void {
  if (fpTrap(c)) return;
  const op = d.ext as number, v = c.vreg, ms = d.imm3, m = d.rm + (ms ? d.imm2 : d.imm4);
  const n = d.rn + d.imm2;
  clearT();
  for (let i = 0; i < d.imm; i++) {
    const b = s[m + i * ms];
    let blo = 0, bhi = 0, xlo: number, xhi: number, neg = false;
    switch (op) {
      case 0b0001: // ADDW
      case 0b0011: // SUBW
        blo = v[d.rn + 2 * i];
        bhi = v[d.rn + 2 * i + 1];
        xlo = b;
        xhi = 0;
        neg = op === 0b0011;
        break;
      case 0b1000: // MLAL
      case 0b1010: // MLSL
      case 0b1100: // MULL
        mul32(s[n + i], b);
        xlo = mulLo();
        xhi = mulHi();
        if (op !== 0b1100) {
          blo = v[d.rd + 2 * i];
          bhi = v[d.rd + 2 * i + 1];
          neg = op === 0b1010;
        }
        break;
      default: {
        const a = s[n + i];
        xlo = op === 0b0000 ? a + b : op === 0b0010 ? a - b : Math.abs(a - b);
        xhi = 0;
        if (op === 0b0101) {
          blo = v[d.rd + 2 * i];
          bhi = v[d.rd + 2 * i + 1];
        }
      }
    }
    const lo = neg ? blo - xlo : blo + xlo;
    T32[2 * i] = lo;
    T32[2 * i + 1] = (neg ? bhi - xhi : bhi + xhi) + Math.floor(lo / 4294967296);
  }
  writeT(c, d.rd, 1);
}

/** SQDMULL/SQDMLAL/SQDMLSL with 32-bit sources (vector, by element, scalar S → D) on halves:
 * SignedSatQ(2·a·b) then, accumulating, SignedSatQ(d ± that); d.ext = opcode 1101/1001/1011. */
function sqdH32(c: Cpu, d: Decoded): void {
  if (fpTrap(c)) return;
  const op = d.ext as number, s = c.vs32, v = c.vreg, ms = d.imm3, m = d.rm + (ms ? d.imm2 : d.imm4);
  const n = d.rn + d.imm2;
  clearT();
  let q = 0;
  for (let i = 0; i < d.imm; i++) {
    const a = s[n + i], b = s[m + i * ms];
    let plo: number, phi: number;
    if (a === -0x8000_0000 && b === -0x8000_0000) {
      plo = 0xffff_ffff; // 2^63 saturates to INT64_MAX
      phi = 0x7fff_ffff;
      q = 1;
    } else {
      mul32(a, b);
      const l2 = mulLo() * 2;
      plo = l2 % 4294967296;
      phi = mulHi() * 2 + (l2 >= 4294967296 ? 1 : 0); // signed, exact
    }
    if (op !== 0b1101) {
      const dlo = v[d.rd + 2 * i], dhi = s[d.rd + 2 * i + 1];
      const sub = op === 0b1011;
      const lo = sub ? dlo - plo : dlo + plo;
      let hi = (sub ? dhi - phi : dhi + phi) + Math.floor(lo / 4294967296);
      plo = lo;
      if (hi > 0x7fff_ffff) {
        hi = 0x7fff_ffff;
        plo = 0xffff_ffff;
        q = 1;
      } else if (hi < -0x8000_0000) {
        hi = -0x8000_0000;
        plo = 0;
        q = 1;
      }
      phi = hi;
    }
    T32[2 * i] = plo;
    T32[2 * i + 1] = phi;
  }
  writeT(c, d.rd, 1);
  if (q) setQC(c);
}
const wideH32s = (c: Cpu, d: Decoded) => wideH32(c, d, c.vs32);
const wideH32u = (c: Cpu, d: Decoded) => wideH32(c, d, c.vreg);

interface WideOp {
  signed: boolean;
  /** Vn is wide (ADDW/SUBW) */
  wn?: boolean;
  /** signed-saturating doubling ops: sizes 1/2 only */
  sq?: boolean;
  /** kernel for a result lane of E = 16/32 bits (8/16-bit sources) */
  k: (E: number) => K;
  /** opcode for the 32→64-bit path on halves (wideH32 / sqdH32) */
  h32: number;
}

const ssat = (E: number) => [-(2 ** (E - 1)), 2 ** (E - 1) - 1] as const;
function sqdK(E: number, acc: number): K {
  const [lo, hi] = ssat(E);
  if (acc === 0) return (a, b) => sat(2 * a * b, lo, hi);
  return (a, b, d) => sat(d + acc * sat(2 * a * b, lo, hi), lo, hi);
}
const mk = (s: boolean, h32: number, k: K, wn = false): WideOp => ({ signed: s, wn, h32, k: () => k });

/** three different by U:opcode (PMULL and the narrowing ops have their own code) */
const WIDE: Record<number, WideOp> = {};
for (const U of [0, 1]) {
  const s = U === 0;
  WIDE[(U << 4) | 0b0000] = mk(s, 0b0000, (a, b) => a + b); // SADDL/UADDL
  WIDE[(U << 4) | 0b0001] = mk(s, 0b0001, (a, b) => a + b, true); // SADDW/UADDW
  WIDE[(U << 4) | 0b0010] = mk(s, 0b0010, (a, b) => a - b); // SSUBL/USUBL
  WIDE[(U << 4) | 0b0011] = mk(s, 0b0011, (a, b) => a - b, true); // SSUBW/USUBW
  WIDE[(U << 4) | 0b0101] = mk(s, 0b0101, (a, b, d) => d + Math.abs(a - b)); // SABAL/UABAL
  WIDE[(U << 4) | 0b0111] = mk(s, 0b0111, (a, b) => Math.abs(a - b)); // SABDL/UABDL
  WIDE[(U << 4) | 0b1000] = mk(s, 0b1000, (a, b, d) => d + a * b); // SMLAL/UMLAL
  WIDE[(U << 4) | 0b1010] = mk(s, 0b1010, (a, b, d) => d - a * b); // SMLSL/UMLSL
  WIDE[(U << 4) | 0b1100] = mk(s, 0b1100, (a, b) => a * b); // SMULL/UMULL
}
WIDE[0b1001] = { signed: true, sq: true, h32: 0b1001, k: (E) => sqdK(E, 1) }; // SQDMLAL
WIDE[0b1011] = { signed: true, sq: true, h32: 0b1011, k: (E) => sqdK(E, -1) }; // SQDMLSL
WIDE[0b1101] = { signed: true, sq: true, h32: 0b1101, k: (E) => sqdK(E, 0) }; // SQDMULL
const PMULL8: WideOp = { signed: false, h32: -1, k: () => (a, b) => pmul8(a, b) };

const wcache = new Map<WideOp, K[]>();
function wideKernel(op: WideOp, E: number): K {
  let a = wcache.get(op);
  if (!a) wcache.set(op, (a = []));
  return (a[E] ??= op.k(E));
}

function setupWide(d: Decoded, f: Fields, op: WideOp, e: number, scalar: boolean): void {
  d.rd = f.d * 4;
  d.rn = f.n * 4;
  d.rm = f.m * 4;
  d.imm = scalar ? 1 : 64 / e;
  d.imm2 = scalar ? 0 : f.Q ? 64 / e : 0;
  d.imm3 = 1;
  d.imm4 = 0;
  d.ra = op.wn ? 1 : 0;
  if (e === 32) {
    d.ext = op.h32;
    d.fn = op.sq ? sqdH32 : op.signed ? wideH32s : wideH32u;
  } else {
    d.ext = wideKernel(op, 2 * e);
    d.fn = wideDriverFor(e, op.signed, d.ext as K);
  }
}

// ---------------------------------------------------------------------- ADDHN/SUBHN/RADDHN/RSUBHN

/** d.imm = lanes, d.imm2 = Q, d.imm3 = subtract, d.imm4 = rounding constant, d.ext = narrow size */
function narrowHigh(c: Cpu, d: Decoded): void {
  if (fpTrap(c)) return;
  const e = d.ext as number, lanes = d.imm, q = d.imm2, sub = d.imm3, r = d.imm4;
  const h = q ? lanes : 0;
  const v = c.vreg;
  T32[0] = q ? v[d.rd] : 0;
  T32[1] = q ? v[d.rd + 1] : 0;
  T32[2] = 0;
  T32[3] = 0;
  if (e === 8) {
    const w = c.v16, n = d.rn * 2, m = d.rm * 2;
    for (let i = 0; i < lanes; i++) T8[h + i] = Math.floor(((sub ? w[n + i] - w[m + i] : w[n + i] + w[m + i]) + r) / 256);
  } else if (e === 16) {
    const n = d.rn, m = d.rm;
    for (let i = 0; i < lanes; i++) T16[h + i] = Math.floor(((sub ? v[n + i] - v[m + i] : v[n + i] + v[m + i]) + r) / 65536);
  } else {
    for (let i = 0; i < lanes; i++) {
      const n = d.rn + 2 * i, m = d.rm + 2 * i;
      const lo = (sub ? v[n] - v[m] : v[n] + v[m]) + r;
      const hi = sub ? v[n + 1] - v[m + 1] : v[n + 1] + v[m + 1];
      T32[h + i] = hi + Math.floor(lo / 4294967296);
    }
  }
  writeT(c, d.rd, q);
}

/** PMULL/PMULL2 .1Q: carry-less 64×64 product of Vn.D[Q] and Vm.D[Q] (FEAT_PMULL) */
function pmull64(c: Cpu, d: Decoded): void {
  if (fpTrap(c)) return;
  const v = c.vreg, n = d.rn + d.imm2, m = d.rm + d.imm2;
  const a0 = v[n], a1 = v[n + 1], b0 = v[m], b1 = v[m + 1];
  clmul32(a0, b0);
  T32[0] = CL[0];
  let r1 = CL[1];
  clmul32(a0, b1);
  r1 ^= CL[0];
  let r2 = CL[1];
  clmul32(a1, b0);
  r1 ^= CL[0];
  r2 ^= CL[1];
  clmul32(a1, b1);
  T32[1] = r1;
  T32[2] = r2 ^ CL[0];
  T32[3] = CL[1];
  writeT(c, d.rd, 1);
}

function compileDiff(f: Fields, d: Decoded): boolean {
  const o = f.o, size = f.s;
  if (o === 0b1110) {
    if (f.U) return false;
    d.rd = f.d * 4;
    d.rn = f.n * 4;
    d.rm = f.m * 4;
    if (size === 3) {
      d.imm2 = f.Q ? 2 : 0;
      d.fn = pmull64;
      return true;
    }
    if (size !== 0) return false;
    setupWide(d, f, PMULL8, 8, false);
    return true;
  }
  if (size === 3) return false;
  const e = 8 << size;
  if (o === 0b0100 || o === 0b0110) {
    d.rd = f.d * 4;
    d.rn = f.n * 4;
    d.rm = f.m * 4;
    d.imm = 64 / e;
    d.imm2 = f.Q;
    d.imm3 = o === 0b0110 ? 1 : 0;
    d.imm4 = f.U ? 2 ** (e - 1) : 0;
    d.ext = e;
    d.fn = narrowHigh;
    return true;
  }
  const op = WIDE[(f.U << 4) | o];
  if (!op || (op.sq && size === 0)) return false;
  setupWide(d, f, op, e, false);
  return true;
}

// ------------------------------------------------------------------------------- by element

/** element index and Vm for by-element forms: size 1 → H:L:M with Vm in V0-V15; size 2 → H:L */
function elem(f: Fields, d: Decoded): boolean {
  if (f.s === 1) {
    d.imm4 = (f.H << 2) | (f.L << 1) | f.M;
    d.rm = f.m * 4;
  } else if (f.s === 2) {
    d.imm4 = (f.H << 1) | f.L;
    d.rm = ((f.M << 4) | f.m) * 4;
  } else return false;
  d.imm3 = 0;
  return true;
}

/** same-size by element (MUL/MLA/MLS/SQDMULH/SQRDMULH/SQRDMLAH/SQRDMLSH), vector or scalar */
function elemSame(f: Fields, d: Decoded, k: (e: number) => K, signed: boolean, scalar: boolean): boolean {
  if (f.s !== 1 && f.s !== 2) return false;
  const e = 8 << f.s;
  const q = scalar ? 0 : f.Q;
  d.rd = f.d * 4;
  d.rn = f.n * 4;
  d.imm = scalar ? 1 : (q ? 128 : 64) / e;
  d.imm2 = q;
  elem(f, d);
  d.ext = k(e);
  d.fn = sameDriverFor(e, signed, d.ext as K);
  return true;
}

function elemWide(f: Fields, d: Decoded, key: number, scalar: boolean): boolean {
  const op = WIDE[key];
  if (f.s !== 1 && f.s !== 2) return false;
  setupWide(d, f, op, 8 << f.s, scalar);
  elem(f, d);
  return true;
}

const sameOpK = (key: number) => (e: number) => kernel(THREE_SAME[key], e) as K;
const rdmCache: K[][] = [[], []];
const rdmK = (sub: number) => (e: number) => (rdmCache[sub][e] ??= rdmlK(e, sub === 1));

export const WIDE_ROWS: Row[] = [
  ['SIMD_3DIFF', '0QU01110ss1mmmmmoooo00nnnnnddddd', (f, d) => compileDiff(f, d)],
  // scalar three different: SQDMLAL 1001, SQDMLSL 1011, SQDMULL 1101 (U = 0)
  ['SIMD_S3DIFF', '01011110ss1mmmmm1oo100nnnnnddddd', (f, d) => {
    if (f.o === 3 || (f.s !== 1 && f.s !== 2)) return false;
    setupWide(d, f, WIDE[0b1001 | (f.o << 1)], 8 << f.s, true);
    return true;
  }],
  // vector x indexed element
  ['SIMD_ELEM_MLA', '0Q101111ssLMmmmm0o00H0nnnnnddddd', (f, d) => elemSame(f, d, sameOpK(f.o ? 0b1_10010 : 0b0_10010), false, false)],
  ['SIMD_ELEM_MUL', '0Q001111ssLMmmmm1000H0nnnnnddddd', (f, d) => elemSame(f, d, sameOpK(0b0_10011), false, false)],
  ['SIMD_ELEM_SQDMULH', '0Q001111ssLMmmmm110oH0nnnnnddddd', (f, d) => elemSame(f, d, sameOpK(f.o ? 0b1_10110 : 0b0_10110), true, false)],
  ['SIMD_ELEM_RDM', '0Q101111ssLMmmmm11o1H0nnnnnddddd', (f, d) => elemSame(f, d, rdmK(f.o), true, false)],
  ['SIMD_ELEM_MLAL', '0QU01111ssLMmmmm0o10H0nnnnnddddd', (f, d) => elemWide(f, d, (f.U << 4) | (f.o ? 0b1010 : 0b1000), false)],
  ['SIMD_ELEM_MULL', '0QU01111ssLMmmmm1010H0nnnnnddddd', (f, d) => elemWide(f, d, (f.U << 4) | 0b1100, false)],
  ['SIMD_ELEM_SQDMLAL', '0Q001111ssLMmmmm0o11H0nnnnnddddd', (f, d) => elemWide(f, d, f.o ? 0b1011 : 0b1001, false)],
  ['SIMD_ELEM_SQDMULL', '0Q001111ssLMmmmm1011H0nnnnnddddd', (f, d) => elemWide(f, d, 0b1101, false)],
  ['SIMD_ELEM_DOT', '0QU0111110LMmmmm1110H0nnnnnddddd', (f, d) => {
    d.rd = f.d * 4;
    d.rn = f.n * 4;
    d.rm = ((f.M << 4) | f.m) * 4;
    d.imm = f.Q ? 4 : 2;
    d.imm2 = f.Q;
    d.imm3 = 0;
    d.imm4 = (f.H << 1) | f.L;
    d.ext = f.U ? null : 1;
    d.fn = dot;
    return true;
  }],
  // scalar x indexed element
  ['SIMD_SELEM_SQDMULH', '01011111ssLMmmmm110oH0nnnnnddddd', (f, d) => elemSame(f, d, sameOpK(f.o ? 0b1_10110 : 0b0_10110), true, true)],
  ['SIMD_SELEM_RDM', '01111111ssLMmmmm11o1H0nnnnnddddd', (f, d) => elemSame(f, d, rdmK(f.o), true, true)],
  ['SIMD_SELEM_SQDMLAL', '01011111ssLMmmmm0o11H0nnnnnddddd', (f, d) => elemWide(f, d, f.o ? 0b1011 : 0b1001, true)],
  ['SIMD_SELEM_SQDMULL', '01011111ssLMmmmm1011H0nnnnnddddd', (f, d) => elemWide(f, d, 0b1101, true)],
];
