// Shared helpers of the scalar floating-point classes: operand access by size and the ftype field.
import type { Cpu } from '../../cpu';
import type { FpSize } from '../../fp/fpu';

/** ftype (bits 23:22): 00 single, 01 double, 11 half; 10 is unallocated (0 returned) */
export function ftypeSize(t: number): FpSize | 0 {
  return t === 0 ? 32 : t === 1 ? 64 : t === 3 ? 16 : 0;
}

/** read the low n bits of V register at vreg index r (= 4 × register number) */
export function rdF(c: Cpu, r: number, n: FpSize): bigint {
  if (n === 64) return c.v64[r >> 1];
  if (n === 32) return BigInt(c.vreg[r]);
  return BigInt(c.v16[r << 1]);
}

/** write a scalar result: the whole 128-bit register, upper bits zero */
export function wrF(c: Cpu, r: number, n: FpSize, v: bigint): void {
  const w = c.vreg;
  w[r + 1] = w[r + 2] = w[r + 3] = 0;
  if (n === 64) c.v64[r >> 1] = v;
  else w[r] = Number(v);
}
