// Lane plumbing shared by the AdvSIMD floating-point classes (simd-fp-*.ts): reading an element of
// a V register as an IEEE bit pattern (bigint, the FP library's currency), a 128-bit result scratch
// W filled lane by lane and written back whole (so Rd may alias Rn/Rm, and everything above a 64-bit
// vector or a scalar element becomes zero: Arm ARM "V[d] = result" writes the full register), and
// the per-instruction FP environment (one FpEnv, FPSR flags ORed in once at the end).
import type { Cpu } from '../../cpu';
import type { FpSize } from '../../fp/fpu';

export const W = new Uint32Array(4);
const W16 = new Uint16Array(W.buffer);
const W64 = new BigUint64Array(W.buffer);

export const ONES: Record<FpSize, bigint> = { 16: 0xffffn, 32: 0xffff_ffffn, 64: 0xffff_ffff_ffff_ffffn };

/** Element i (size n) of the register whose vreg index is r4 (= 4 × register number). */
export function lane(c: Cpu, r4: number, n: FpSize, i: number): bigint {
  if (n === 32) return BigInt(c.vreg[r4 + i]);
  if (n === 16) return BigInt(c.v16[2 * r4 + i]);
  return c.v64[(r4 >> 1) + i];
}

/** Store element i (size n) of the result scratch. */
export function put(n: FpSize, i: number, v: bigint): void {
  if (n === 32) W[i] = Number(v);
  else if (n === 16) W16[i] = Number(v);
  else W64[i] = v;
}

export function clearW(): void {
  W[0] = W[1] = W[2] = W[3] = 0;
}

/** V[rd] = W (128 bits). */
export function commitW(c: Cpu, rd: number): void {
  const v = c.vreg;
  v[rd] = W[0];
  v[rd + 1] = W[1];
  v[rd + 2] = W[2];
  v[rd + 3] = W[3];
}

/** Element size in bits from a size field where half precision is its own encoding. */
export const szOf = (sz: number): FpSize => (sz ? 64 : 32);
