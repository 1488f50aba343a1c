// Reciprocal and reciprocal square root estimates (Arm ARM J1.3 shared/functions/float:
// FPRecipEstimate + RecipEstimate, FPRSqrtEstimate + RecipSqrtEstimate, FPRecpX,
// UnsignedRecipEstimate, UnsignedRSqrtEstimate). The 9-bit estimate functions are tabulated once.
import type { FpEnv, FpSize } from './fpu-core';
import {
  IOC, DZC, OFC, UFC, IXC, T_ZERO, T_INF, isNaNT, unpackA, processNaN, rmode, fpDefaultNaN, fpInf, fpZero,
  fpMaxNormal, fmt, fzOf, bitLen,
} from './fpu-core';

/** RecipEstimate(a), 256 <= a < 512 */
const RECIP = new Uint16Array(512);
for (let a = 256; a < 512; a++) {
  const b = Math.floor((1 << 19) / (a * 2 + 1));
  RECIP[a] = (b + 1) >> 1;
}
/** RecipSqrtEstimate(a), 128 <= a < 512 */
const RSQRT = new Uint16Array(512);
for (let a0 = 128; a0 < 512; a0++) {
  let a = a0;
  if (a < 256) a = a * 2 + 1;
  else {
    a = (a >> 1) << 1;
    a = (a + 1) * 2;
  }
  let b = 512;
  while (a * (b + 1) * (b + 1) < 2 ** 28) b++;
  RSQRT[a0] = (b + 1) >> 1;
}

/** operand fraction left-aligned in 52 bits, and the biased exponent field */
function frac52(a: bigint, n: FpSize): [bigint, number] {
  const f = fmt(n);
  return [(a & f.fracMask) << BigInt(52 - f.F), Number((a & f.expMask) >> f.bF)];
}

export function fpRecipEstimate(a: bigint, n: FpSize, env: FpEnv): bigint {
  const u = unpackA(a, n, env);
  const f = fmt(n);
  if (isNaNT(u.t)) return processNaN(u.t, a, n, env);
  if (u.t === T_INF) return fpZero(n, u.s);
  if (u.t === T_ZERO) {
    env.fpsr |= DZC;
    return fpInf(n, u.s);
  }
  // |value| < 2^-(bias+1): the reciprocal overflows
  const [fr0, exp0] = frac52(a, n);
  const mag = u.e + bitLen(u.m) - 1; // floor(log2 |value|)
  if (mag < -(f.bias + 1)) {
    const rm = rmode(-1, env.fpcr);
    const ovf = rm === 0 || (rm === 1 && u.s === 0) || (rm === 2 && u.s === 1);
    env.fpsr |= OFC | IXC;
    return ovf ? fpInf(n, u.s) : fpMaxNormal(n, u.s);
  }
  if (fzOf(n, env.fpcr) && mag >= f.bias - 1) {
    env.fpsr |= UFC;
    return fpZero(n, u.s);
  }
  let fr = fr0;
  let exp = exp0;
  if (exp === 0) {
    if (((fr >> 51n) & 1n) === 0n) {
      exp = -1;
      fr = (fr << 2n) & 0xfffffffffffffn;
    } else fr = (fr << 1n) & 0xfffffffffffffn;
  }
  const scaled = 256 | Number(fr >> 44n);
  let rexp = 2 * f.bias - 1 - exp; // 29/253/2045 - exp
  const est = RECIP[scaled];
  let rf = BigInt(est & 0xff) << 44n;
  if (rexp === 0) rf = (1n << 51n) | (rf >> 1n);
  else if (rexp === -1) {
    rf = (1n << 50n) | (rf >> 2n);
    rexp = 0;
  }
  return (u.s ? f.signBit : 0n) | (BigInt(rexp) << f.bF) | (rf >> BigInt(52 - f.F));
}

export function fpRSqrtEstimate(a: bigint, n: FpSize, env: FpEnv): bigint {
  const u = unpackA(a, n, env);
  const f = fmt(n);
  if (isNaNT(u.t)) return processNaN(u.t, a, n, env);
  if (u.t === T_ZERO) {
    env.fpsr |= DZC;
    return fpInf(n, u.s);
  }
  if (u.s === 1) {
    env.fpsr |= IOC;
    return fpDefaultNaN(n);
  }
  if (u.t === T_INF) return 0n;
  let [fr, exp] = frac52(a, n);
  if (exp === 0) {
    while (((fr >> 51n) & 1n) === 0n) {
      fr = (fr << 1n) & 0xfffffffffffffn;
      exp -= 1;
    }
    fr = (fr << 1n) & 0xfffffffffffffn;
  }
  const scaled = (exp & 1) !== 0 ? 128 | Number(fr >> 45n) : 256 | Number(fr >> 44n);
  const rexp = Math.floor((3 * f.bias - 1 - exp) / 2); // (44|380|3068 - exp) DIV 2
  const est = RSQRT[scaled];
  return (BigInt(rexp) << f.bF) | (BigInt(est & 0xff) << BigInt(f.F - 8));
}

/** FPRecpX (FRECPX) */
export function fpRecpX(a: bigint, n: FpSize, env: FpEnv): bigint {
  const u = unpackA(a, n, env);
  const f = fmt(n);
  if (isNaNT(u.t)) return processNaN(u.t, a, n, env);
  const exp = Number((a & f.expMask) >> f.bF);
  const s = u.s ? f.signBit : 0n;
  if (exp === 0) return s | (BigInt(f.expMax - 1) << f.bF);
  return s | (BigInt(~exp & f.expMax) << f.bF);
}

/** URECPE on a 32-bit lane */
export function uRecipEstimate(a: number): number {
  if ((a >>> 31) === 0) return 0xffffffff;
  return (RECIP[a >>> 23] << 23) >>> 0;
}
/** URSQRTE on a 32-bit lane */
export function uRSqrtEstimate(a: number): number {
  if ((a >>> 30) === 0) return 0xffffffff;
  return (RSQRT[a >>> 23] << 23) >>> 0;
}
