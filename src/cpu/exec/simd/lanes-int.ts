// Shared lane machinery for the AdvSIMD integer instructions (Arm ARM C7 "SIMD&FP instructions";
// shared pseudocode SignedSatQ/UnsignedSatQ, FPSR.QC). Results are computed into the scratch
// register T (so a destination that aliases a source reads its old value), then written back with
// the upper 64 bits zeroed for 64-bit vectors and scalars (Arm ARM: V[d] = result writes the whole
// register).
//
// Lane kernels are plain functions on JS numbers for 8/16/32-bit lanes (exact: intermediates stay
// below 2^53, or are power-of-two scalings for shifts) and on BigInt for 64-bit lanes only (results
// of 32-bit sources use 32-bit halves, see simd-arith-wide.ts). A kernel takes (a, b, d): a from Vn, b from
// Vm (or the indexed element), d the old destination lane (accumulating forms); typed-array stores
// wrap the returned value to the lane width, so kernels need not mask. Saturating kernels call sat()
// which raises QF[0]; the drivers turn that into FPSR.QC (bit 27).
//
// Decoded fields used by the drivers here: d.rd/rn/rm = 4 × register number, d.imm = lanes,
// d.imm2 = Q (1: write 128 bits, 0: 64 bits then zeros; scalars use 0 and one lane),
// d.imm3 = stride of the Vm lane index (1 vector, 0 by-element), d.imm4 = Vm lane offset (the index
// of by-element forms), d.ext = the kernel.
import type { Cpu } from '../../cpu';
import type { Decoded } from '../../decode/decoder';
import { R } from '../../../sysregs/table';
import { fpTrap } from '../../fpaccess';

export type K = (a: number, b: number, d: number) => number;
export type K64 = (a: bigint, b: bigint, d: bigint) => bigint;

/** scratch result register (and views) */
export const T32 = new Uint32Array(4);
export const T8 = new Uint8Array(T32.buffer);
export const T16 = new Uint16Array(T32.buffer);
export const T64 = new BigUint64Array(T32.buffer);
/** saturation seen by the current instruction */
export const QF = new Uint8Array(1);

let fpsrIdx = -1;
/** FPSR.QC = 1 (cumulative saturation flag, bit 27) */
export function setQC(c: Cpu): void {
  if (fpsrIdx < 0) fpsrIdx = R.FPSR;
  c.sys[2 * fpsrIdx] |= 0x0800_0000;
}

export function clearT(): void {
  T32[0] = 0;
  T32[1] = 0;
  T32[2] = 0;
  T32[3] = 0;
}

/** V[rd] = T (q = 0: low 64 bits, upper 64 bits zero) */
export function writeT(c: Cpu, rd: number, q: number): void {
  const v = c.vreg;
  v[rd] = T32[0];
  v[rd + 1] = T32[1];
  if (q) {
    v[rd + 2] = T32[2];
    v[rd + 3] = T32[3];
  } else {
    v[rd + 2] = 0;
    v[rd + 3] = 0;
  }
}

/** clamp to [lo, hi], raising QF on saturation (SignedSatQ / UnsignedSatQ) */
export function sat(x: number, lo: number, hi: number): number {
  if (x > hi) {
    QF[0] = 1;
    return hi;
  }
  if (x < lo) {
    QF[0] = 1;
    return lo;
  }
  return x;
}

export function sat64(x: bigint, lo: bigint, hi: bigint): bigint {
  if (x > hi) {
    QF[0] = 1;
    return hi;
  }
  if (x < lo) {
    QF[0] = 1;
    return lo;
  }
  return x;
}

export const S64_MIN = -(1n << 63n);
export const S64_MAX = (1n << 63n) - 1n;
export const U64_MAX = (1n << 64n) - 1n;

/** floor((a·b + r) / 2^31) exactly, for 32-bit a, b (signed or unsigned) and |r| ≤ 2^31:
 * the product is split on b's 16-bit halves so every partial stays below 2^53. */
export function mulShr31(a: number, b: number, r: number): number {
  const bl = b & 0xffff;
  const bh = (b - bl) / 65536;
  const p = a * bh;
  const q = a * bl + r;
  return Math.floor((p + Math.floor(q / 65536)) / 32768);
}

/** exact product of two 32-bit integers (signed or unsigned) as MUL_HI·2^32 + MUL_LO with
 * 0 <= MUL_LO < 2^32 (every partial below 2^53); results in the module variables via mulLo()/mulHi() */
let MUL_LO = 0;
let MUL_HI = 0;
export function mul32(a: number, b: number): void {
  const bl = b & 0xffff;
  const bh = (b - bl) / 65536;
  const p1 = a * bl;
  const p2 = a * bh;
  const p2h = Math.floor(p2 / 65536);
  const t = (p2 - p2h * 65536) * 65536 + p1;
  const th = Math.floor(t / 4294967296);
  MUL_LO = t - th * 4294967296;
  MUL_HI = p2h + th;
}
export const mulLo = (): number => MUL_LO;
export const mulHi = (): number => MUL_HI;

/** store a number that is an exact integer with |x| < 2^53 into 64-bit lane i of a word array */
export function put64(w: Uint32Array, i: number, x: number): void {
  w[2 * i] = x >>> 0;
  w[2 * i + 1] = Math.floor(x / 4294967296);
}

/** polynomial (carry-less) product of two 8-bit values (16-bit result) */
export function pmul8(a: number, b: number): number {
  let r = 0;
  for (let i = 0; i < 8; i++) if ((b >>> i) & 1) r ^= a << i;
  return r;
}

/** carry-less 32×32 → 64 product; result in CL[0] (low) and CL[1] (high) */
export const CL = new Uint32Array(2);
export function clmul32(a: number, b: number): void {
  let lo = 0;
  let hi = 0;
  for (let i = 0; i < 32; i++) {
    if ((b >>> i) & 1) {
      lo ^= a << i;
      if (i) hi ^= a >>> (32 - i);
    }
  }
  CL[0] = lo;
  CL[1] = hi;
}

// ----------------------------------------------------------------------------- same-size drivers
// One driver per lane size and signedness (the kernel gets signed or unsigned lane values).

function end(c: Cpu, d: Decoded): void {
  writeT(c, d.rd, d.imm2);
  if (QF[0]) setQC(c);
}

export function same8s(c: Cpu, d: Decoded): void {
  if (fpTrap(c)) return;
  const k = d.ext as K, v = c.vs8, n = d.rn * 4, m = d.rm * 4 + d.imm4, s = d.imm3, o = d.rd * 4;
  clearT();
  QF[0] = 0;
  for (let i = 0; i < d.imm; i++) T8[i] = k(v[n + i], v[m + i * s], v[o + i]);
  end(c, d);
}
export function same8u(c: Cpu, d: Decoded): void {
  if (fpTrap(c)) return;
  const k = d.ext as K, v = c.v8, n = d.rn * 4, m = d.rm * 4 + d.imm4, s = d.imm3, o = d.rd * 4;
  clearT();
  QF[0] = 0;
  for (let i = 0; i < d.imm; i++) T8[i] = k(v[n + i], v[m + i * s], v[o + i]);
  end(c, d);
}
export function same16s(c: Cpu, d: Decoded): void {
  if (fpTrap(c)) return;
  const k = d.ext as K, v = c.vs16, n = d.rn * 2, m = d.rm * 2 + d.imm4, s = d.imm3, o = d.rd * 2;
  clearT();
  QF[0] = 0;
  for (let i = 0; i < d.imm; i++) T16[i] = k(v[n + i], v[m + i * s], v[o + i]);
  end(c, d);
}
export function same16u(c: Cpu, d: Decoded): void {
  if (fpTrap(c)) return;
  const k = d.ext as K, v = c.v16, n = d.rn * 2, m = d.rm * 2 + d.imm4, s = d.imm3, o = d.rd * 2;
  clearT();
  QF[0] = 0;
  for (let i = 0; i < d.imm; i++) T16[i] = k(v[n + i], v[m + i * s], v[o + i]);
  end(c, d);
}
export function same32s(c: Cpu, d: Decoded): void {
  if (fpTrap(c)) return;
  const k = d.ext as K, v = c.vs32, n = d.rn, m = d.rm + d.imm4, s = d.imm3, o = d.rd;
  clearT();
  QF[0] = 0;
  for (let i = 0; i < d.imm; i++) T32[i] = k(v[n + i], v[m + i * s], v[o + i]);
  end(c, d);
}
export function same32u(c: Cpu, d: Decoded): void {
  if (fpTrap(c)) return;
  const k = d.ext as K, v = c.vreg, n = d.rn, m = d.rm + d.imm4, s = d.imm3, o = d.rd;
  clearT();
  QF[0] = 0;
  for (let i = 0; i < d.imm; i++) T32[i] = k(v[n + i], v[m + i * s], v[o + i]);
  end(c, d);
}
export function same64s(c: Cpu, d: Decoded): void {
  if (fpTrap(c)) return;
  const k = d.ext as K64, v = c.vs64, n = d.rn >> 1, m = (d.rm >> 1) + d.imm4, s = d.imm3, o = d.rd >> 1;
  clearT();
  QF[0] = 0;
  for (let i = 0; i < d.imm; i++) T64[i] = k(v[n + i], v[m + i * s], v[o + i]);
  end(c, d);
}
export function same64u(c: Cpu, d: Decoded): void {
  if (fpTrap(c)) return;
  const k = d.ext as K64, v = c.v64, n = d.rn >> 1, m = (d.rm >> 1) + d.imm4, s = d.imm3, o = d.rd >> 1;
  clearT();
  QF[0] = 0;
  for (let i = 0; i < d.imm; i++) T64[i] = k(v[n + i], v[m + i * s], v[o + i]);
  end(c, d);
}

/** same-size driver for lane size e (8/16/32/64) and signedness */
export function sameDriver(e: number, signed: boolean): (c: Cpu, d: Decoded) => void {
  switch (e) {
    case 8:
      return signed ? same8s : same8u;
    case 16:
      return signed ? same16s : same16u;
    case 32:
      return signed ? same32s : same32u;
    default:
      return signed ? same64s : same64u;
  }
}

// ------------------------------------------------------------------- per-kernel generated drivers
// The drivers above call the kernel through one shared call site, which V8 sees as megamorphic (every
// op's kernel passes through it). As the block tier does (cpu/blocks.ts), a driver generated once per
// kernel gets its own call site with the kernel as a closure constant, so V8 can inline it.

const VIEW: Record<string, [string, string, string]> = {
  // lane size + sign → [Cpu view, scratch view, index scale from 4 × register number]
  '8s': ['vs8', 'T8', '* 4'],
  '8u': ['v8', 'T8', '* 4'],
  '16s': ['vs16', 'T16', '* 2'],
  '16u': ['v16', 'T16', '* 2'],
  '32s': ['vs32', 'T32', ''],
  '32u': ['vreg', 'T32', ''],
};
const specCache = new Map<K, ((c: Cpu, d: Decoded) => void)[]>();

/** same-size driver for kernel k at lane size e (8/16/32), specialised to k */
export function sameDriverFor(e: number, signed: boolean, k: K): (c: Cpu, d: Decoded) => void {
  const slot = e + (signed ? 1 : 0);
  let a = specCache.get(k);
  if (!a) specCache.set(k, (a = []));
  const hit = a[slot];
  if (hit) return hit;
  const [view, t, sc] = VIEW[`${e}${signed ? 's' : 'u'}`];
  const src = `return function sameSpec(c, d) {
  if (fpTrap(c)) return;
  const v = c.${view}, n = d.rn ${sc}, m = d.rm ${sc} + d.imm4, s = d.imm3, o = d.rd ${sc}, l = d.imm;
  clearT();
  QF[0] = 0;
  for (let i = 0; i < l; i++) ${t}[i] = k(v[n + i], v[m + i * s], v[o + i]);
  writeT(c, d.rd, d.imm2);
  if (QF[0]) setQC(c);
};`;
  const make = new Function('k', 'fpTrap', 'clearT', 'writeT', 'setQC', 'QF', 'T8', 'T16', 'T32', src);
  const fn = make(k, fpTrap, clearT, writeT, setQC, QF, T8, T16, T32) as (c: Cpu, d: Decoded) => void;
  a[slot] = fn;
  return fn;
}

const wideCache = new Map<K, ((c: Cpu, d: Decoded) => void)[]>();
/** widening driver (8 → 16 or 16 → 32-bit results) specialised to kernel k: d.imm = result lanes,
 * d.imm2 = first narrow source lane, d.imm3 = Vm stride, d.imm4 = Vm element (by element),
 * d.ra = 1 when Vn is wide (W forms); the kernel gets (Vn lane, Vm lane, old Vd lane) */
export function wideDriverFor(e: number, signed: boolean, k: K): (c: Cpu, d: Decoded) => void {
  const slot = e + (signed ? 1 : 0);
  let a = wideCache.get(k);
  if (!a) wideCache.set(k, (a = []));
  const hit = a[slot];
  if (hit) return hit;
  const [nv, , nsc] = VIEW[`${e}${signed ? 's' : 'u'}`];
  const [wv, t, wsc] = VIEW[`${2 * e}${signed ? 's' : 'u'}`];
  const src = `return function wideSpec(c, d) {
  if (fpTrap(c)) return;
  const s = c.${nv}, w = c.${wv}, ms = d.imm3, m = d.rm ${nsc} + (ms ? d.imm2 : d.imm4), o = d.rd ${wsc}, l = d.imm;
  clearT();
  QF[0] = 0;
  if (d.ra) for (let i = 0, n = d.rn ${wsc}; i < l; i++) ${t}[i] = k(w[n + i], s[m + i * ms], w[o + i]);
  else for (let i = 0, n = d.rn ${nsc} + d.imm2; i < l; i++) ${t}[i] = k(s[n + i], s[m + i * ms], w[o + i]);
  writeT(c, d.rd, 1);
  if (QF[0]) setQC(c);
};`;
  const make = new Function('k', 'fpTrap', 'clearT', 'writeT', 'setQC', 'QF', 'T8', 'T16', 'T32', src);
  const fn = make(k, fpTrap, clearT, writeT, setQC, QF, T8, T16, T32) as (c: Cpu, d: Decoded) => void;
  a[slot] = fn;
  return fn;
}
