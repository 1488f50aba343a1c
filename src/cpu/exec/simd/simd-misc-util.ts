// Shared helpers of the AdvSIMD moves/shifts/misc classes (simd-copy, simd-perm, simd-shift,
// simd-2reg): a 128-bit scratch result T (so a destination aliasing a source reads the old value),
// its lane views, the write-back that zeroes the bits above a 64-bit vector or a scalar (Arm ARM:
// V[d] = result writes the whole register), and FPSR.QC for saturating ops.
import type { Cpu } from '../../cpu';
import { R } from '../../../sysregs/table';

/** result scratch (4 words) and a second source scratch (8 words: two concatenated registers) */
export const T = new Uint32Array(4);
export const T8 = new Uint8Array(T.buffer);
export const T16 = new Uint16Array(T.buffer);
export const T64 = new BigUint64Array(T.buffer);
export const S = new Uint32Array(8);
export const S8 = new Uint8Array(S.buffer);
export const S16 = new Uint16Array(S.buffer);

/** V[rd] = T (all 128 bits: the caller leaves zeros above the result in T). */
/** Lane i of size 8 << s (s = 0..2) of the register at vreg index r, unsigned / signed. */
export function getU(c: Cpu, r: number, s: number, i: number): number {
  return s === 0 ? c.v8[4 * r + i] : s === 1 ? c.v16[2 * r + i] : c.vreg[r + i];
}
export function getS(c: Cpu, r: number, s: number, i: number): number {
  return s === 0 ? c.vs8[4 * r + i] : s === 1 ? c.vs16[2 * r + i] : c.vs32[r + i];
}
/** Lane i of size 8 << s of the scratch result T. */
export function putN(s: number, i: number, v: number): void {
  if (s === 0) T8[i] = v;
  else if (s === 1) T16[i] = v;
  else T[i] = v;
}

export function putT(c: Cpu, rd: number): void {
  const v = c.vreg;
  v[rd] = T[0];
  v[rd + 1] = T[1];
  v[rd + 2] = T[2];
  v[rd + 3] = T[3];
}

export function clearT(): void {
  T[0] = 0;
  T[1] = 0;
  T[2] = 0;
  T[3] = 0;
}

/** FPSR.QC (bit 27), the cumulative saturation flag (Arm ARM C5.2.8). */
export function setQC(c: Cpu): void {
  c.sys[2 * R.FPSR] |= 0x0800_0000;
}

/** Saturation bookkeeping for the element functions: they set `sat.q` and the loop sets QC once. */
export const sat = { q: false };

/** Element size log2 from an immh / imm5-style field: index of the lowest (imm5) set bit. */
export function lowBit(v: number): number {
  return 31 - Math.clz32(v & -v);
}
export function highBit(v: number): number {
  return 31 - Math.clz32(v);
}

/** Signed saturation of a JS integer number to `bits` (≤ 32) bits. */
export function ssatN(v: number, bits: number): number {
  const max = 2 ** (bits - 1) - 1;
  if (v > max) {
    sat.q = true;
    return max;
  }
  if (v < -max - 1) {
    sat.q = true;
    return -max - 1;
  }
  return v;
}
/** Unsigned saturation of a JS integer number to `bits` (≤ 32) bits. */
export function usatN(v: number, bits: number): number {
  const max = 2 ** bits - 1;
  if (v > max) {
    sat.q = true;
    return max;
  }
  if (v < 0) {
    sat.q = true;
    return 0;
  }
  return v;
}
const B63 = 1n << 63n;
const U64MAX = (1n << 64n) - 1n;
export function ssatB(v: bigint, bits: bigint): bigint {
  const max = bits === 64n ? B63 - 1n : (1n << (bits - 1n)) - 1n;
  if (v > max) {
    sat.q = true;
    return max;
  }
  if (v < -max - 1n) {
    sat.q = true;
    return -max - 1n;
  }
  return v;
}
export function usatB(v: bigint, bits: bigint): bigint {
  const max = bits === 64n ? U64MAX : (1n << bits) - 1n;
  if (v > max) {
    sat.q = true;
    return max;
  }
  if (v < 0n) {
    sat.q = true;
    return 0n;
  }
  return v;
}

/** Store an exact JS integer (|v| < 2^63) as a 64-bit lane at word index w of T. */
export function put64N(w: number, v: number): void {
  T[w] = v; // ToUint32 is modular on the exact value
  T[w + 1] = Math.floor(v / 4294967296);
}
