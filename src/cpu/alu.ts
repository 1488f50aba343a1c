// 64-bit arithmetic on 32-bit halves, shared by every instruction class. Results of two-word
// operations go to c.tmpLo / c.tmpHi (no allocation on the hot path).
import type { Cpu } from './cpu';

/** c.tmp = (aLo,aHi) + (bLo,bHi) */
export function add64(c: Cpu, aLo: number, aHi: number, bLo: number, bHi: number): void {
  const lo = (aLo + bLo) >>> 0;
  c.tmpLo = lo;
  c.tmpHi = (aHi + bHi + (lo < aLo ? 1 : 0)) >>> 0;
}

/** c.tmp = (aLo,aHi) + sign-extended 32-bit-safe JS integer k (|k| < 2^52) */
export function addImm64(c: Cpu, aLo: number, aHi: number, k: number): void {
  const s = aLo + k; // exact: |s| < 2^53
  const lo = s >>> 0;
  c.tmpLo = lo;
  c.tmpHi = (aHi + Math.floor((s - lo) / 4294967296)) >>> 0;
}

/** Read register slot (pre-multiplied index) as a BigInt: for rare wide ops only. */
export function big(c: Cpu, slot: number): bigint {
  return (BigInt(c.x[slot + 1]) << 32n) | BigInt(c.x[slot]);
}

export function setBig(c: Cpu, slot: number, v: bigint): void {
  c.x[slot] = Number(v & 0xffffffffn);
  c.x[slot + 1] = Number((v >> 32n) & 0xffffffffn);
}
