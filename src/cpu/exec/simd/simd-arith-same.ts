// AdvSIMD integer "three same" (vector and scalar, Arm ARM C4.1.95 tables "Advanced SIMD three same",
// "Advanced SIMD scalar three same"), "three same extra" (SQRDMLAH/SQRDMLSH, FEAT_RDM; SDOT/UDOT,
// FEAT_DotProd), pairwise SMAXP.. /ADDP (vector and scalar ADDP D), and "across lanes" ADDV/SMAXV/
// UMAXV/SMINV/UMINV/SADDLV/UADDLV. The FP opcodes of these tables (three same 11xxx, across-lanes
// FMAXV.., scalar pairwise FADDP..) are not claimed here: the rows fix opcode bits that exclude them.
import type { Row, Decoded, Fields } from '../../decode/decoder';
import type { Cpu } from '../../cpu';
import { fpTrap } from '../../fpaccess';
import { T8, T16, T32, clearT, writeT, put64, sameDriver, sameDriverFor, same32u, type K, type K64 } from './lanes-int';
import { THREE_SAME, PAIRWISE, LOGIC, rdmlK, type SameOp } from './simd-arith-kern';
import { fastSame, fastPair } from './simd-arith-fast';

const kcache = new Map<SameOp | string, (K | K64)[]>();
/** one kernel closure per (op, lane size), so decode does not mint new closures */
export function kernel(op: SameOp, e: number): K | K64 {
  let a = kcache.get(op);
  if (!a) kcache.set(op, (a = []));
  return (a[e] ??= e === 64 ? op.k64! : op.k(e));
}
function kernelBy(key: string, e: number, mk: (e: number) => K): K {
  let a = kcache.get(key);
  if (!a) kcache.set(key, (a = []));
  return (a[e] ??= mk(e)) as K;
}

function regs(f: Fields, d: Decoded): void {
  d.rd = f.d * 4;
  d.rn = f.n * 4;
  d.rm = f.m * 4;
}

/** same-size, lane-by-lane setup: vector (q) or scalar (one lane, upper bits zeroed) */
function setupSame(d: Decoded, f: Fields, e: number, q: number, scalar: boolean): void {
  regs(f, d);
  d.imm = scalar ? 1 : (q ? 128 : 64) / e;
  d.imm2 = scalar ? 0 : q;
  d.imm3 = 1;
  d.imm4 = 0;
}

function compileSame(f: Fields, d: Decoded, scalar: boolean): boolean {
  const key = (f.U << 5) | f.o;
  const op = THREE_SAME[key];
  if (!op) return false;
  const size = f.s;
  const q = scalar ? 0 : f.Q;
  if (((op.sizes >> size) & 1) === 0) return false;
  if (size === 3 && (!op.k64 || (!scalar && !q))) return false;
  if (scalar && (((SCALAR_SAME[key] ?? 0) >> size) & 1) === 0) return false;
  const e = 8 << size;
  setupSame(d, f, e, q, scalar);
  d.ext = kernel(op, e);
  d.fn = (!scalar && fastSame(key, e)) || (e === 64 ? sameDriver(e, op.signed) : sameDriverFor(e, op.signed, d.ext as K));
  return true;
}

/** sizes allowed by "Advanced SIMD scalar three same" per U:opcode */
const SCALAR_SAME: Record<number, number> = {
  0b0_00001: 15, 0b1_00001: 15, 0b0_00101: 15, 0b1_00101: 15, // SQADD UQADD SQSUB UQSUB
  0b0_00110: 8, 0b1_00110: 8, 0b0_00111: 8, 0b1_00111: 8, // CMGT CMHI CMGE CMHS
  0b0_01000: 8, 0b1_01000: 8, 0b0_01010: 8, 0b1_01010: 8, // SSHL USHL SRSHL URSHL
  0b0_01001: 15, 0b1_01001: 15, 0b0_01011: 15, 0b1_01011: 15, // SQSHL UQSHL SQRSHL UQRSHL
  0b0_10000: 8, 0b1_10000: 8, 0b0_10001: 8, 0b1_10001: 8, // ADD SUB CMTST CMEQ
  0b0_10110: 6, 0b1_10110: 6, // SQDMULH SQRDMULH
};

function compileLogic(f: Fields, d: Decoded): boolean {
  setupSame(d, f, 32, f.Q, false);
  d.ext = LOGIC[(f.U << 2) | f.s];
  d.fn = fastSame(0x100 | (f.U << 2) | f.s, 32) || same32u;
  return true;
}

// ------------------------------------------------------------------------------------- pairwise

/** lane i of the concatenation Vm:Vn (Vn low) for a pairwise op reading `lanes` lanes per register */
function pairDriver(e: number, signed: boolean): (c: Cpu, d: Decoded) => void {
  switch (e) {
    case 8:
      return signed ? pair8s : pair8u;
    case 16:
      return signed ? pair16s : pair16u;
    case 32:
      return signed ? pair32s : pair32u;
    default:
      return pair64;
  }
}
function pair8s(c: Cpu, d: Decoded): void {
  if (fpTrap(c)) return;
  const k = d.ext as K, v = c.vs8, n = d.rn * 4, m = d.rm * 4, h = d.imm >> 1;
  clearT();
  for (let i = 0; i < h; i++) {
    T8[i] = k(v[n + 2 * i], v[n + 2 * i + 1], 0);
    T8[h + i] = k(v[m + 2 * i], v[m + 2 * i + 1], 0);
  }
  writeT(c, d.rd, d.imm2);
}
function pair8u(c: Cpu, d: Decoded): void {
  if (fpTrap(c)) return;
  const k = d.ext as K, v = c.v8, n = d.rn * 4, m = d.rm * 4, h = d.imm >> 1;
  clearT();
  for (let i = 0; i < h; i++) {
    T8[i] = k(v[n + 2 * i], v[n + 2 * i + 1], 0);
    T8[h + i] = k(v[m + 2 * i], v[m + 2 * i + 1], 0);
  }
  writeT(c, d.rd, d.imm2);
}
function pair16s(c: Cpu, d: Decoded): void {
  if (fpTrap(c)) return;
  const k = d.ext as K, v = c.vs16, n = d.rn * 2, m = d.rm * 2, h = d.imm >> 1;
  clearT();
  for (let i = 0; i < h; i++) {
    T16[i] = k(v[n + 2 * i], v[n + 2 * i + 1], 0);
    T16[h + i] = k(v[m + 2 * i], v[m + 2 * i + 1], 0);
  }
  writeT(c, d.rd, d.imm2);
}
function pair16u(c: Cpu, d: Decoded): void {
  if (fpTrap(c)) return;
  const k = d.ext as K, v = c.v16, n = d.rn * 2, m = d.rm * 2, h = d.imm >> 1;
  clearT();
  for (let i = 0; i < h; i++) {
    T16[i] = k(v[n + 2 * i], v[n + 2 * i + 1], 0);
    T16[h + i] = k(v[m + 2 * i], v[m + 2 * i + 1], 0);
  }
  writeT(c, d.rd, d.imm2);
}
function pair32s(c: Cpu, d: Decoded): void {
  if (fpTrap(c)) return;
  const k = d.ext as K, v = c.vs32, n = d.rn, m = d.rm, h = d.imm >> 1;
  clearT();
  for (let i = 0; i < h; i++) {
    T32[i] = k(v[n + 2 * i], v[n + 2 * i + 1], 0);
    T32[h + i] = k(v[m + 2 * i], v[m + 2 * i + 1], 0);
  }
  writeT(c, d.rd, d.imm2);
}
function pair32u(c: Cpu, d: Decoded): void {
  if (fpTrap(c)) return;
  const k = d.ext as K, v = c.vreg, n = d.rn, m = d.rm, h = d.imm >> 1;
  clearT();
  for (let i = 0; i < h; i++) {
    T32[i] = k(v[n + 2 * i], v[n + 2 * i + 1], 0);
    T32[h + i] = k(v[m + 2 * i], v[m + 2 * i + 1], 0);
  }
  writeT(c, d.rd, d.imm2);
}
/** ADDP .2D: 64-bit sums on 32-bit halves */
function add64(v: Uint32Array, a: number, b: number, o: number): void {
  const lo = v[a] + v[b];
  T32[o] = lo;
  T32[o + 1] = v[a + 1] + v[b + 1] + (lo > 0xffffffff ? 1 : 0);
}
function pair64(c: Cpu, d: Decoded): void {
  if (fpTrap(c)) return;
  const v = c.vreg;
  add64(v, d.rn, d.rn + 2, 0);
  add64(v, d.rm, d.rm + 2, 2);
  writeT(c, d.rd, 1);
}
/** scalar ADDP Dd, Vn.2D */
function addpScalar(c: Cpu, d: Decoded): void {
  if (fpTrap(c)) return;
  clearT();
  add64(c.vreg, d.rn, d.rn + 2, 0);
  writeT(c, d.rd, 0);
}

function compilePair(f: Fields, d: Decoded): boolean {
  const op = PAIRWISE[(f.U << 5) | f.o];
  if (!op) return false;
  const size = f.s;
  if (((op.sizes >> size) & 1) === 0 || (size === 3 && !f.Q)) return false;
  const e = 8 << size;
  setupSame(d, f, e, f.Q, false);
  d.ext = size === 3 ? null : kernel(op, e);
  d.fn = fastPair((f.U << 5) | f.o, e) || pairDriver(e, op.signed);
  return true;
}

// ---------------------------------------------------------------------------------- across lanes

function across(c: Cpu, d: Decoded): void {
  if (fpTrap(c)) return;
  const k = d.ext as K, lanes = d.imm, e = d.imm4, sg = d.imm3;
  let acc = 0;
  switch (e) {
    case 8: {
      const v = sg ? c.vs8 : c.v8, n = d.rn * 4;
      acc = v[n];
      for (let i = 1; i < lanes; i++) acc = k(acc, v[n + i], 0);
      break;
    }
    case 16: {
      const v = sg ? c.vs16 : c.v16, n = d.rn * 2;
      acc = v[n];
      for (let i = 1; i < lanes; i++) acc = k(acc, v[n + i], 0);
      break;
    }
    default: {
      const v = sg ? c.vs32 : c.vreg, n = d.rn;
      acc = v[n];
      for (let i = 1; i < lanes; i++) acc = k(acc, v[n + i], 0);
    }
  }
  clearT();
  switch (d.imm2) {
    case 8:
      T8[0] = acc;
      break;
    case 16:
      T16[0] = acc;
      break;
    case 32:
      T32[0] = acc;
      break;
    default:
      put64(T32, 0, acc);
  }
  writeT(c, d.rd, 0);
}

const ACROSS: Record<number, { signed: boolean; long: boolean; k: K }> = {
  0b0_00011: { signed: true, long: true, k: (a, b) => a + b }, // SADDLV
  0b1_00011: { signed: false, long: true, k: (a, b) => a + b }, // UADDLV
  0b0_01010: { signed: true, long: false, k: (a, b) => (a > b ? a : b) }, // SMAXV
  0b1_01010: { signed: false, long: false, k: (a, b) => (a > b ? a : b) }, // UMAXV
  0b0_11010: { signed: true, long: false, k: (a, b) => (a < b ? a : b) }, // SMINV
  0b1_11010: { signed: false, long: false, k: (a, b) => (a < b ? a : b) }, // UMINV
  0b0_11011: { signed: false, long: false, k: (a, b) => a + b }, // ADDV
};

function compileAcross(f: Fields, d: Decoded): boolean {
  const op = ACROSS[(f.U << 5) | f.o];
  if (!op || f.s === 3 || (f.s === 2 && !f.Q)) return false;
  const e = 8 << f.s;
  regs(f, d);
  d.imm = (f.Q ? 128 : 64) / e;
  d.imm2 = op.long ? 2 * e : e;
  d.imm3 = op.signed ? 1 : 0;
  d.imm4 = e;
  d.ext = op.k;
  d.fn = (e === 8 && ACROSS8[(f.U << 5) | f.o]) || across;
  return true;
}

// byte forms written out (CNT + ADDV/UADDLV is the usual popcount idiom; UMAXV/UMINV in string code)
function addv8(c: Cpu, d: Decoded): void {
  if (fpTrap(c)) return;
  const v = c.v8, n = d.rn * 4;
  let acc = 0;
  for (let i = 0; i < d.imm; i++) acc += v[n + i];
  const w = c.vreg, o = d.rd;
  w[o] = d.imm2 === 8 ? acc & 0xff : acc; // ADDV wraps to 8 bits; UADDLV keeps 16
  w[o + 1] = w[o + 2] = w[o + 3] = 0;
}
function umaxv8(c: Cpu, d: Decoded): void {
  if (fpTrap(c)) return;
  const v = c.v8, n = d.rn * 4;
  let acc = 0;
  for (let i = 0; i < d.imm; i++) if (v[n + i] > acc) acc = v[n + i];
  const w = c.vreg, o = d.rd;
  w[o] = acc;
  w[o + 1] = w[o + 2] = w[o + 3] = 0;
}
function uminv8(c: Cpu, d: Decoded): void {
  if (fpTrap(c)) return;
  const v = c.v8, n = d.rn * 4;
  let acc = 255;
  for (let i = 0; i < d.imm; i++) if (v[n + i] < acc) acc = v[n + i];
  const w = c.vreg, o = d.rd;
  w[o] = acc;
  w[o + 1] = w[o + 2] = w[o + 3] = 0;
}
const ACROSS8: Record<number, (c: Cpu, d: Decoded) => void> = {
  0b1_00011: addv8, // UADDLV
  0b0_11011: addv8, // ADDV
  0b1_01010: umaxv8,
  0b1_11010: uminv8,
};

// -------------------------------------------------------------------------------- three same extra

/** SDOT/UDOT (vector, and by element when d.imm3 = 0: Vm's 32-bit lane d.imm4 for every lane) */
export function dot(c: Cpu, d: Decoded): void {
  if (fpTrap(c)) return;
  const v = d.ext ? c.vs8 : c.v8, n = d.rn * 4, m = d.rm * 4, o = d.rd, ms = d.imm3, mi = d.imm4;
  const w = c.vreg;
  clearT();
  for (let i = 0; i < d.imm; i++) {
    const mb = m + 4 * (ms ? i : mi), nb = n + 4 * i;
    T32[i] = w[o + i] + v[nb] * v[mb] + v[nb + 1] * v[mb + 1] + v[nb + 2] * v[mb + 2] + v[nb + 3] * v[mb + 3];
  }
  writeT(c, d.rd, d.imm2);
}

function compileRdm(f: Fields, d: Decoded, scalar: boolean): boolean {
  if (f.s !== 1 && f.s !== 2) return false;
  const e = 8 << f.s;
  setupSame(d, f, e, scalar ? 0 : f.Q, scalar);
  d.ext = kernelBy(f.o ? 'rdmlsh' : 'rdmlah', e, (x) => rdmlK(x, f.o === 1));
  d.fn = sameDriverFor(e, true, d.ext as K);
  return true;
}

export const SAME_ROWS: Row[] = [
  // three same, integer opcodes 0xxxx (00011: logical) and 10xxx (incl. pairwise); 11xxx are FP
  ['SIMD_3SAME_0', '0QU01110ss1mmmmm0oooo1nnnnnddddd', (f, d) => (f.o === 3 ? compileLogic(f, d) : compileSame(f, d, false))],
  ['SIMD_3SAME_10', '0QU01110ss1mmmmm10ooo1nnnnnddddd', (f, d) => {
    f.o |= 0x10;
    return PAIRWISE[(f.U << 5) | f.o] ? compilePair(f, d) : compileSame(f, d, false);
  }],
  ['SIMD_S3SAME_0', '01U11110ss1mmmmm0oooo1nnnnnddddd', (f, d) => compileSame(f, d, true)],
  ['SIMD_S3SAME_10', '01U11110ss1mmmmm10ooo1nnnnnddddd', (f, d) => {
    f.o |= 0x10;
    return compileSame(f, d, true);
  }],
  ['SIMD_SADDP', '01011110ss110001101110nnnnnddddd', (f, d) => {
    if (f.s !== 3) return false;
    d.rd = f.d * 4;
    d.rn = f.n * 4;
    d.fn = addpScalar;
    return true;
  }],
  ['SIMD_ACROSS_LV', '0QU01110ss110000001110nnnnnddddd', (f, d) => compileAcross({ ...f, o: 0b00011 }, d)],
  ['SIMD_ACROSS_MAXV', '0QU01110ss110000101010nnnnnddddd', (f, d) => compileAcross({ ...f, o: 0b01010 }, d)],
  ['SIMD_ACROSS_MINV_ADDV', '0QU01110ss110001101o10nnnnnddddd', (f, d) => compileAcross({ ...f, o: 0b11010 | f.o }, d)],
  // three same extra: SQRDMLAH (0000) / SQRDMLSH (0001), U = 1
  ['SIMD_3SAMEX_RDM', '0Q101110ss0mmmmm1000o1nnnnnddddd', (f, d) => compileRdm(f, d, false)],
  ['SIMD_S3SAMEX_RDM', '01111110ss0mmmmm1000o1nnnnnddddd', (f, d) => compileRdm(f, d, true)],
  // SDOT (U=0) / UDOT (U=1), size = 10
  ['SIMD_3SAMEX_DOT', '0QU01110100mmmmm100101nnnnnddddd', (f, d) => {
    regs(f, d);
    d.imm = f.Q ? 4 : 2;
    d.imm2 = f.Q;
    d.imm3 = 1;
    d.imm4 = 0;
    d.ext = f.U ? null : 1;
    d.fn = dot;
    return true;
  }],
];

