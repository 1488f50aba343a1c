// Arithmetic of the FP library (Arm ARM J1.3 shared/functions/float: FPAdd, FPSub, FPMul, FPMulX,
// FPMulAdd, FPDiv, FPSqrt, FPRecipStepFused, FPRSqrtStepFused, FPMax/FPMin/FPMaxNum/FPMinNum,
// FPCompare*). Exact results are formed with BigInt mantissas (div/sqrt: enough quotient bits plus a
// sticky bit) and rounded once by roundTo().
import type { FpEnv, FpSize, Unpacked } from './fpu-core';
import { fast2, fastSqrt, fastCompare, fastFma32, fastFma64, fastMaxMin, fastHalf2, fastHalfSqrt, fastHalfFma } from './fpu-fast';
import {
  IOC, DZC, T_ZERO, T_INF, T_QNAN, T_SNAN, isNaNT, unpackA, processNaNs, processNaNs3, round, rmode,
  fpDefaultNaN, fpInf, fpZero, fpConst, fmt, bitLen,
} from './fpu-core';

/** value1 + value2 (signed), exact, as [sign, m, e]; m = 0n means exact zero */
function addExact(s1: number, m1: bigint, e1: number, s2: number, m2: bigint, e2: number): [number, bigint, number] {
  if (m1 === 0n) return [s2, m2, e2];
  if (m2 === 0n) return [s1, m1, e1];
  const e = Math.min(e1, e2);
  const a = m1 << BigInt(e1 - e);
  const b = m2 << BigInt(e2 - e);
  if (s1 === s2) return [s1, a + b, e];
  const d = a - b;
  if (d < 0n) return [s2, -d, e];
  return [s1, d, e];
}

function addCore(a: bigint, b: bigint, neg2: boolean, n: FpSize, env: FpEnv): bigint {
  const fr = n === 16 ? fastHalf2(neg2 ? 1 : 0, a, b, env) : fast2(neg2 ? 1 : 0, a, b, n, env);
  if (fr >= 0n) return fr;
  const u1 = unpackA(a, n, env);
  const u2 = unpackA(b, n, env);
  const nan = processNaNs(u1.t, u2.t, a, b, n, env);
  if (nan >= 0n) return nan;
  const s1 = u1.s;
  const s2 = neg2 ? u2.s ^ 1 : u2.s;
  const inf1 = u1.t === T_INF;
  const inf2 = u2.t === T_INF;
  if (inf1 && inf2 && s1 !== s2) {
    env.fpsr |= IOC;
    return fpDefaultNaN(n);
  }
  if ((inf1 && s1 === 0) || (inf2 && s2 === 0)) return fpInf(n, 0);
  if (inf1 || inf2) return fpInf(n, 1);
  if (u1.t === T_ZERO && u2.t === T_ZERO && s1 === s2) return fpZero(n, s1);
  const rm = rmode(-1, env.fpcr);
  const [s, m, e] = addExact(s1, u1.m, u1.e, s2, u2.m, u2.e);
  if (m === 0n) return fpZero(n, rm === 2 ? 1 : 0);
  return round(s, m, e, n, rm, env);
}

export function fpAdd(a: bigint, b: bigint, n: FpSize, env: FpEnv): bigint {
  return addCore(a, b, false, n, env);
}
export function fpSub(a: bigint, b: bigint, n: FpSize, env: FpEnv): bigint {
  return addCore(a, b, true, n, env);
}

function mulCore(a: bigint, b: bigint, n: FpSize, env: FpEnv, mulx: boolean): bigint {
  const fr = n === 16 ? fastHalf2(2, a, b, env) : fast2(2, a, b, n, env);
  if (fr >= 0n) return fr;
  const u1 = unpackA(a, n, env);
  const u2 = unpackA(b, n, env);
  const nan = processNaNs(u1.t, u2.t, a, b, n, env);
  if (nan >= 0n) return nan;
  const s = u1.s ^ u2.s;
  const inf1 = u1.t === T_INF;
  const inf2 = u2.t === T_INF;
  const z1 = u1.t === T_ZERO;
  const z2 = u2.t === T_ZERO;
  if ((inf1 && z2) || (z1 && inf2)) {
    if (mulx) return fpConst(n, s, 1, 0n); // FPTwo(sign1 EOR sign2)
    env.fpsr |= IOC;
    return fpDefaultNaN(n);
  }
  if (inf1 || inf2) return fpInf(n, s);
  if (z1 || z2) return fpZero(n, s);
  return round(s, u1.m * u2.m, u1.e + u2.e, n, rmode(-1, env.fpcr), env);
}
export function fpMul(a: bigint, b: bigint, n: FpSize, env: FpEnv): bigint {
  return mulCore(a, b, n, env, false);
}
/** FMULX: 0 x inf = +-2.0 */
export function fpMulX(a: bigint, b: bigint, n: FpSize, env: FpEnv): bigint {
  return mulCore(a, b, n, env, true);
}

/** fused addend + a*b, one rounding (FPMulAdd; NaN priority addend, op1, op2) */
export function fpMulAdd(addend: bigint, a: bigint, b: bigint, n: FpSize, env: FpEnv): bigint {
  {
    const fr = n === 32 ? fastFma32(addend, a, b, env) : n === 64 ? fastFma64(addend, a, b, env) : fastHalfFma(addend, a, b, env);
    if (fr >= 0n) return fr;
  }
  const uA = unpackA(addend, n, env);
  const u1 = unpackA(a, n, env);
  const u2 = unpackA(b, n, env);
  const inf1 = u1.t === T_INF;
  const inf2 = u2.t === T_INF;
  const z1 = u1.t === T_ZERO;
  const z2 = u2.t === T_ZERO;
  let nan = processNaNs3(uA.t, u1.t, u2.t, addend, a, b, n, env);
  if (uA.t === T_QNAN && ((inf1 && z2) || (z1 && inf2))) {
    env.fpsr |= IOC;
    nan = fpDefaultNaN(n);
  }
  if (nan >= 0n) return nan;
  const infA = uA.t === T_INF;
  const zA = uA.t === T_ZERO;
  const sP = u1.s ^ u2.s;
  const infP = inf1 || inf2;
  const zP = z1 || z2;
  if ((inf1 && z2) || (z1 && inf2) || (infA && infP && uA.s !== sP)) {
    env.fpsr |= IOC;
    return fpDefaultNaN(n);
  }
  if ((infA && uA.s === 0) || (infP && sP === 0)) return fpInf(n, 0);
  if ((infA && uA.s === 1) || (infP && sP === 1)) return fpInf(n, 1);
  if (zA && zP && uA.s === sP) return fpZero(n, uA.s);
  const rm = rmode(-1, env.fpcr);
  const [s, m, e] = addExact(uA.s, uA.m, uA.e, sP, u1.m * u2.m, u1.e + u2.e);
  if (m === 0n) return fpZero(n, rm === 2 ? 1 : 0);
  return round(s, m, e, n, rm, env);
}

/** FPRecipStepFused (FRECPS): 2 - a*b; FPRSqrtStepFused (FRSQRTS): (3 - a*b)/2 */
function stepFused(a: bigint, b: bigint, n: FpSize, env: FpEnv, rsqrt: boolean): bigint {
  const f = fmt(n);
  const na = a ^ f.signBit; // op1 = FPNeg(op1) before NaN processing
  const u1 = unpackA(na, n, env);
  const u2 = unpackA(b, n, env);
  const nan = processNaNs(u1.t, u2.t, na, b, n, env);
  if (nan >= 0n) return nan;
  const inf1 = u1.t === T_INF;
  const inf2 = u2.t === T_INF;
  const z1 = u1.t === T_ZERO;
  const z2 = u2.t === T_ZERO;
  if ((inf1 && z2) || (z1 && inf2)) return rsqrt ? fpConst(n, 0, 0, f.quiet) : fpConst(n, 0, 1, 0n);
  if (inf1 || inf2) return fpInf(n, u1.s ^ u2.s);
  const rm = rmode(-1, env.fpcr);
  const [s, m, e] = addExact(0, rsqrt ? 3n : 2n, 0, u1.s ^ u2.s, u1.m * u2.m, u1.e + u2.e);
  if (m === 0n) return fpZero(n, rm === 2 ? 1 : 0);
  return round(s, m, rsqrt ? e - 1 : e, n, rm, env);
}
export function fpRecipStepFused(a: bigint, b: bigint, n: FpSize, env: FpEnv): bigint {
  return stepFused(a, b, n, env, false);
}
export function fpRSqrtStepFused(a: bigint, b: bigint, n: FpSize, env: FpEnv): bigint {
  return stepFused(a, b, n, env, true);
}

export function fpDiv(a: bigint, b: bigint, n: FpSize, env: FpEnv): bigint {
  const fr = n === 16 ? fastHalf2(3, a, b, env) : fast2(3, a, b, n, env);
  if (fr >= 0n) return fr;
  const u1 = unpackA(a, n, env);
  const u2 = unpackA(b, n, env);
  const nan = processNaNs(u1.t, u2.t, a, b, n, env);
  if (nan >= 0n) return nan;
  const s = u1.s ^ u2.s;
  const inf1 = u1.t === T_INF;
  const inf2 = u2.t === T_INF;
  const z1 = u1.t === T_ZERO;
  const z2 = u2.t === T_ZERO;
  if ((inf1 && inf2) || (z1 && z2)) {
    env.fpsr |= IOC;
    return fpDefaultNaN(n);
  }
  if (inf1 || z2) {
    if (!inf1) env.fpsr |= DZC;
    return fpInf(n, s);
  }
  if (z1 || inf2) return fpZero(n, s);
  const F = fmt(n).F;
  const k = Math.max(0, bitLen(u2.m) - bitLen(u1.m) + F + 3);
  const num = u1.m << BigInt(k);
  const q = num / u2.m;
  const r = num - q * u2.m;
  return round(s, (q << 1n) | (r !== 0n ? 1n : 0n), u1.e - k - u2.e - 1, n, rmode(-1, env.fpcr), env);
}

function isqrt(v: bigint): bigint {
  if (v < 0x20000000000000n) return BigInt(Math.floor(Math.sqrt(Number(v))));
  let x = BigInt(Math.floor(Math.sqrt(Number(v)))); // close guess (Number(v) may round)
  for (;;) {
    const y = (x + v / x) >> 1n;
    if (y >= x) {
      // Newton from above converges to floor; fix up if we started below
      while (x * x > v) x -= 1n;
      while ((x + 1n) * (x + 1n) <= v) x += 1n;
      return x;
    }
    x = y;
  }
}

export function fpSqrt(a: bigint, n: FpSize, env: FpEnv): bigint {
  const fr = n === 16 ? fastHalfSqrt(a, env) : fastSqrt(a, n, env);
  if (fr >= 0n) return fr;
  const u = unpackA(a, n, env);
  if (isNaNT(u.t)) return processNaNs(u.t, T_ZERO, a, 0n, n, env);
  if (u.t === T_ZERO) return fpZero(n, u.s);
  if (u.t === T_INF && u.s === 0) return a;
  if (u.s === 1) {
    env.fpsr |= IOC;
    return fpDefaultNaN(n);
  }
  let m = u.m;
  let e = u.e;
  if (e & 1) {
    m <<= 1n;
    e -= 1;
  }
  const want = 2 * (fmt(n).F + 4);
  const L = bitLen(m);
  const k = L < want ? Math.ceil((want - L) / 2) : 0;
  m <<= BigInt(2 * k);
  e -= 2 * k;
  const r = isqrt(m);
  const sticky = r * r !== m ? 1n : 0n;
  return round(0, (r << 1n) | sticky, e / 2 - 1, n, rmode(-1, env.fpcr), env);
}

/** compare two unpacked non-NaN values: -1, 0, 1 */
export function cmpU(u1: Unpacked, u2: Unpacked): number {
  const v1 = u1.t === T_ZERO ? 0 : u1.s ? -1 : 1;
  const v2 = u2.t === T_ZERO ? 0 : u2.s ? -1 : 1;
  if (v1 !== v2) return v1 < v2 ? -1 : 1;
  if (v1 === 0) return 0;
  const mag = cmpMag(u1, u2);
  return v1 > 0 ? mag : -mag;
}
function cmpMag(u1: Unpacked, u2: Unpacked): number {
  const i1 = u1.t === T_INF;
  const i2 = u2.t === T_INF;
  if (i1 || i2) return i1 && i2 ? 0 : i1 ? 1 : -1;
  const t1 = u1.e + bitLen(u1.m);
  const t2 = u2.e + bitLen(u2.m);
  if (t1 !== t2) return t1 < t2 ? -1 : 1;
  const e = Math.min(u1.e, u2.e);
  const a = u1.m << BigInt(u1.e - e);
  const b = u2.m << BigInt(u2.e - e);
  return a === b ? 0 : a < b ? -1 : 1;
}

function maxMin(a: bigint, b: bigint, n: FpSize, env: FpEnv, max: boolean): bigint {
  const fr = fastMaxMin(a, b, n, max, env.fpcr);
  if (fr >= 0n) return fr;
  const u1 = unpackA(a, n, env);
  const u2 = unpackA(b, n, env);
  const nan = processNaNs(u1.t, u2.t, a, b, n, env);
  if (nan >= 0n) return nan;
  const c = cmpU(u1, u2);
  const u = (max ? c > 0 : c < 0) ? u1 : u2;
  if (u.t === T_INF) return fpInf(n, u.s);
  if (u.t === T_ZERO) return fpZero(n, max ? u1.s & u2.s : u1.s | u2.s);
  return round(u.s, u.m, u.e, n, rmode(-1, env.fpcr), env); // exact re-encoding
}
export function fpMax(a: bigint, b: bigint, n: FpSize, env: FpEnv): bigint {
  return maxMin(a, b, n, env, true);
}
export function fpMin(a: bigint, b: bigint, n: FpSize, env: FpEnv): bigint {
  return maxMin(a, b, n, env, false);
}
function nanType(x: bigint, n: FpSize): number {
  const f = fmt(n);
  if ((x & f.expMask) !== f.expMask || (x & f.fracMask) === 0n) return 0;
  return (x & f.quiet) !== 0n ? T_QNAN : T_SNAN;
}
/** FPMaxNum: a single quiet NaN operand is replaced by -Infinity */
export function fpMaxNum(a: bigint, b: bigint, n: FpSize, env: FpEnv): bigint {
  const t1 = nanType(a, n);
  const t2 = nanType(b, n);
  if (t1 === T_QNAN && t2 !== T_QNAN) a = fpInf(n, 1);
  else if (t1 !== T_QNAN && t2 === T_QNAN) b = fpInf(n, 1);
  return maxMin(a, b, n, env, true);
}
/** FPMinNum: a single quiet NaN operand is replaced by +Infinity */
export function fpMinNum(a: bigint, b: bigint, n: FpSize, env: FpEnv): bigint {
  const t1 = nanType(a, n);
  const t2 = nanType(b, n);
  if (t1 === T_QNAN && t2 !== T_QNAN) a = fpInf(n, 0);
  else if (t1 !== T_QNAN && t2 === T_QNAN) b = fpInf(n, 0);
  return maxMin(a, b, n, env, false);
}

export function fpAbs(a: bigint, n: FpSize): bigint {
  return a & ~fmt(n).signBit;
}
export function fpNeg(a: bigint, n: FpSize): bigint {
  return a ^ fmt(n).signBit;
}

/** FCMP/FCMPE: NZCV as a 4-bit number; signalAll = FCMPE (any NaN -> IOC) */
export function fpCompare(a: bigint, b: bigint, n: FpSize, signalAll: boolean, env: FpEnv): number {
  const fr = fastCompare(a, b, n, env.fpcr);
  if (fr >= 0) return fr;
  const u1 = unpackA(a, n, env);
  const u2 = unpackA(b, n, env);
  if (isNaNT(u1.t) || isNaNT(u2.t)) {
    if (signalAll || u1.t === T_SNAN || u2.t === T_SNAN) env.fpsr |= IOC;
    return 3;
  }
  const c = cmpU(u1, u2);
  return c === 0 ? 6 : c < 0 ? 8 : 2;
}
export function fpCompareEQ(a: bigint, b: bigint, n: FpSize, env: FpEnv): boolean {
  const u1 = unpackA(a, n, env);
  const u2 = unpackA(b, n, env);
  if (isNaNT(u1.t) || isNaNT(u2.t)) {
    if (u1.t === T_SNAN || u2.t === T_SNAN) env.fpsr |= IOC;
    return false;
  }
  return cmpU(u1, u2) === 0;
}
export function fpCompareGE(a: bigint, b: bigint, n: FpSize, env: FpEnv): boolean {
  const u1 = unpackA(a, n, env);
  const u2 = unpackA(b, n, env);
  if (isNaNT(u1.t) || isNaNT(u2.t)) {
    env.fpsr |= IOC;
    return false;
  }
  return cmpU(u1, u2) >= 0;
}
export function fpCompareGT(a: bigint, b: bigint, n: FpSize, env: FpEnv): boolean {
  const u1 = unpackA(a, n, env);
  const u2 = unpackA(b, n, env);
  if (isNaNT(u1.t) || isNaNT(u2.t)) {
    env.fpsr |= IOC;
    return false;
  }
  return cmpU(u1, u2) > 0;
}
export { T_SNAN };
