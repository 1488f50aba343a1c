// Core of the FP library: formats, FPUnpack, FPRoundBase, NaN handling (Arm ARM J1.3
// shared/functions/float: FPUnpackBase, FPRoundBase, FPProcessNaN(s), FPDefaultNaN...).
// Values are carried exactly as sign + BigInt mantissa m + integer exponent e (value = m * 2^e), so
// one rounding routine serves add, multiply, fused multiply-add, divide and square root.
export type FpSize = 16 | 32 | 64;
/** fpcr: the FPCR value to use; fpsr: cumulative exception bits, OR-ed in by every call. */
export interface FpEnv {
  fpcr: number;
  fpsr: number;
}
/** rounding: 0 TIEEVEN, 1 POSINF, 2 NEGINF, 3 ZERO, 4 TIEAWAY, 5 ODD (FCVTXN); -1 = from FPCR */
export type Rounding = -1 | 0 | 1 | 2 | 3 | 4 | 5;

// FPSR cumulative bits (Arm ARM C5.2.8)
export const IOC = 1;
export const DZC = 2;
export const OFC = 4;
export const UFC = 8;
export const IXC = 16;
export const IDC = 128;

// FPCR bits
export const FPCR_FZ16 = 1 << 19;
export const FPCR_FZ = 1 << 24;
export const FPCR_DN = 1 << 25;
export const FPCR_AHP = 1 << 26;

/** FPType */
export const T_ZERO = 0;
export const T_DENORM = 1;
export const T_NONZERO = 2;
export const T_INF = 3;
export const T_QNAN = 4;
export const T_SNAN = 5;

export interface Fmt {
  n: FpSize;
  E: number; // exponent bits
  F: number; // fraction bits
  minExp: number; // minimum normal exponent (unbiased)
  bias: number;
  expMax: number; // all-ones exponent field
  signBit: bigint;
  expMask: bigint; // exponent field in place
  fracMask: bigint;
  quiet: bigint; // the quiet bit
  bF: bigint; // BigInt(F)
}

function mkFmt(n: FpSize, E: number): Fmt {
  const F = n - E - 1;
  const bias = (1 << (E - 1)) - 1;
  return {
    n,
    E,
    F,
    minExp: 1 - bias,
    bias,
    expMax: (1 << E) - 1,
    signBit: 1n << BigInt(n - 1),
    expMask: BigInt((1 << E) - 1) << BigInt(F),
    fracMask: (1n << BigInt(F)) - 1n,
    quiet: 1n << BigInt(F - 1),
    bF: BigInt(F),
  };
}
const F16 = mkFmt(16, 5);
const F32 = mkFmt(32, 8);
const F64 = mkFmt(64, 11);
/** BFloat16 (FEAT_BF16 BFCVT): a 16-bit format with single precision's exponent range */
export const FMT_BF16 = mkFmt(16, 8);
export function fmt(n: FpSize): Fmt {
  return n === 16 ? F16 : n === 32 ? F32 : F64;
}

/** An unpacked operand: value = (-1)^s * m * 2^e (m = 0 for zeros, NaNs and infinities). */
export interface Unpacked {
  t: number;
  s: number;
  m: bigint;
  e: number;
}

/** FPUnpackBase. fz: flush denormal inputs (FZ for 32/64, FZ16 for 16); ahp: alternative half
 * precision (conversions only). IDC is raised for flushed single/double inputs, never for half
 * (FZ16 does not generate Input Denormal). */
export function unpack(x: bigint, n: FpSize, fz: boolean, ahp: boolean, env: FpEnv): Unpacked {
  const f = fmt(n);
  const s = (x & f.signBit) !== 0n ? 1 : 0;
  const exp = Number((x & f.expMask) >> f.bF);
  const frac = x & f.fracMask;
  if (exp === 0) {
    if (frac === 0n) return { t: T_ZERO, s, m: 0n, e: 0 };
    if (fz) {
      if (n !== 16) env.fpsr |= IDC;
      return { t: T_ZERO, s, m: 0n, e: 0 };
    }
    return { t: T_DENORM, s, m: frac, e: f.minExp - f.F };
  }
  if (exp === f.expMax && !(n === 16 && ahp)) {
    if (frac === 0n) return { t: T_INF, s, m: 0n, e: 0 };
    return { t: (frac & f.quiet) !== 0n ? T_QNAN : T_SNAN, s, m: 0n, e: 0 };
  }
  return { t: T_NONZERO, s, m: frac | (1n << f.bF), e: exp - f.bias - f.F };
}

export const isNaNT = (t: number) => t >= T_QNAN;

export function fzOf(n: FpSize, fpcr: number): boolean {
  return n === 16 ? (fpcr & FPCR_FZ16) !== 0 : (fpcr & FPCR_FZ) !== 0;
}
/** FPUnpack (AHP forced to 0) */
export function unpackA(x: bigint, n: FpSize, env: FpEnv): Unpacked {
  return unpack(x, n, fzOf(n, env.fpcr), false, env);
}

export function rmode(r: Rounding, fpcr: number): number {
  return r < 0 ? (fpcr >>> 22) & 3 : r;
}

export function fpDefaultNaN(n: FpSize): bigint {
  const f = fmt(n);
  return f.expMask | f.quiet;
}
export function fpInf(n: FpSize, s: number): bigint {
  const f = fmt(n);
  return (s ? f.signBit : 0n) | f.expMask;
}
export function fpZero(n: FpSize, s: number): bigint {
  return s ? fmt(n).signBit : 0n;
}
export function fpMaxNormal(n: FpSize, s: number): bigint {
  const f = fmt(n);
  return (s ? f.signBit : 0n) | (BigInt(f.expMax - 1) << f.bF) | f.fracMask;
}
/** sign : biased-exponent field value : fraction zero (small constants like 2.0, 1.5) */
export function fpConst(n: FpSize, s: number, unbiasedExp: number, frac: bigint): bigint {
  const f = fmt(n);
  return (s ? f.signBit : 0n) | (BigInt(unbiasedExp + f.bias) << f.bF) | frac;
}

/** FPProcessNaN */
export function processNaN(t: number, x: bigint, n: FpSize, env: FpEnv): bigint {
  let r = x;
  if (t === T_SNAN) {
    r = x | fmt(n).quiet;
    env.fpsr |= IOC;
  }
  if (env.fpcr & FPCR_DN) r = fpDefaultNaN(n);
  return r;
}

/** FPProcessNaNs: returns the result, or -1n when neither operand is a NaN. */
export function processNaNs(t1: number, t2: number, a: bigint, b: bigint, n: FpSize, env: FpEnv): bigint {
  if (t1 === T_SNAN) return processNaN(t1, a, n, env);
  if (t2 === T_SNAN) return processNaN(t2, b, n, env);
  if (t1 === T_QNAN) return processNaN(t1, a, n, env);
  if (t2 === T_QNAN) return processNaN(t2, b, n, env);
  return -1n;
}

/** FPProcessNaNs3 */
export function processNaNs3(t1: number, t2: number, t3: number, a: bigint, b: bigint, c: bigint, n: FpSize, env: FpEnv): bigint {
  if (t1 === T_SNAN) return processNaN(t1, a, n, env);
  if (t2 === T_SNAN) return processNaN(t2, b, n, env);
  if (t3 === T_SNAN) return processNaN(t3, c, n, env);
  if (t1 === T_QNAN) return processNaN(t1, a, n, env);
  if (t2 === T_QNAN) return processNaN(t2, b, n, env);
  if (t3 === T_QNAN) return processNaN(t3, c, n, env);
  return -1n;
}

export function bitLen(m: bigint): number {
  if (m <= 0xffffffffn) return 32 - Math.clz32(Number(m));
  if (m < 0x20000000000000n) return 64 - Math.clz32(Math.floor(Number(m) / 4294967296));
  let n = 0;
  while (m > 0xfffffffffffffn) {
    m >>= 48n;
    n += 48;
  }
  return n + bitLen(m);
}

/**
 * FPRoundBase of the nonzero value (-1)^s * m * 2^e. fz: flush tiny results (FZ/FZ16 as applies);
 * ahp: alternative half-precision output (FPRoundCV only). Underflow is detected before rounding.
 */
export function roundTo(s: number, m: bigint, e: number, n: FpSize, fz: boolean, ahp: boolean, rounding: number, env: FpEnv): bigint {
  return roundFmt(s, m, e, fmt(n), fz, ahp, rounding, env);
}
export function roundFmt(s: number, m: bigint, e: number, f: Fmt, fz: boolean, ahp: boolean, rounding: number, env: FpEnv): bigint {
  const L = bitLen(m);
  const exponent = e + L - 1;
  if (fz && exponent < f.minExp) {
    env.fpsr |= UFC;
    return s ? f.signBit : 0n;
  }
  let biased = Math.max(exponent - f.minExp + 1, 0);
  const lsbExp = biased > 0 ? exponent - f.F : f.minExp - f.F;
  const shift = lsbExp - e;
  let mant: bigint;
  let err = 0; // 0 exact, 1 below half, 2 half, 3 above half
  if (shift <= 0) mant = m << BigInt(-shift);
  else {
    const bs = BigInt(shift);
    mant = m >> bs;
    const rem = m & ((1n << bs) - 1n);
    if (rem !== 0n) {
      const half = 1n << (bs - 1n);
      err = rem < half ? 1 : rem === half ? 2 : 3;
    }
  }
  if (biased === 0 && err !== 0) env.fpsr |= UFC;
  let up: boolean;
  let ovfInf: boolean;
  switch (rounding) {
    case 0:
      up = err === 3 || (err === 2 && (mant & 1n) === 1n);
      ovfInf = true;
      break;
    case 1:
      up = err !== 0 && s === 0;
      ovfInf = s === 0;
      break;
    case 2:
      up = err !== 0 && s === 1;
      ovfInf = s === 1;
      break;
    case 4:
      up = err >= 2;
      ovfInf = true;
      break;
    default:
      up = false;
      ovfInf = false;
  }
  if (up) {
    mant += 1n;
    if (mant === 1n << f.bF) biased = 1;
    if (mant === 1n << (f.bF + 1n)) {
      biased += 1;
      mant >>= 1n;
    }
  }
  if (err !== 0 && rounding === 5) mant |= 1n;
  let inexact = err !== 0;
  let r: bigint;
  const sb = s ? f.signBit : 0n;
  if (!ahp) {
    if (biased >= f.expMax) {
      r = sb | (ovfInf ? f.expMask : (BigInt(f.expMax - 1) << f.bF) | f.fracMask);
      env.fpsr |= OFC;
      inexact = true;
    } else r = sb | (BigInt(biased) << f.bF) | (mant & f.fracMask);
  } else if (biased >= f.expMax + 1) {
    r = sb | (f.signBit - 1n);
    env.fpsr |= IOC;
    inexact = false;
  } else r = sb | (BigInt(biased) << f.bF) | (mant & f.fracMask);
  if (inexact) env.fpsr |= IXC;
  return r;
}

/** FPRound (AHP = 0) with FPCR's flush control for size n */
export function round(s: number, m: bigint, e: number, n: FpSize, rounding: number, env: FpEnv): bigint {
  return roundTo(s, m, e, n, fzOf(n, env.fpcr), false, rounding, env);
}

/** Round |value| = m * 2^e to an integer magnitude under `rounding` (sign s); returns [q, inexact]. */
export function roundIntMag(s: number, m: bigint, e: number, rounding: number): [bigint, boolean] {
  if (e >= 0) return [m << BigInt(e), false];
  const sh = -e;
  if (sh > 4096) return [rounding === 1 ? (s ? 0n : 1n) : rounding === 2 ? (s ? 1n : 0n) : 0n, m !== 0n];
  const bs = BigInt(sh);
  let q = m >> bs;
  const rem = m & ((1n << bs) - 1n);
  if (rem === 0n) return [q, false];
  const half = 1n << (bs - 1n);
  const err = rem < half ? 1 : rem === half ? 2 : 3;
  let up: boolean;
  switch (rounding) {
    case 0:
      up = err === 3 || (err === 2 && (q & 1n) === 1n);
      break;
    case 1:
      up = s === 0;
      break;
    case 2:
      up = s === 1;
      break;
    case 4:
      up = err >= 2;
      break;
    default:
      up = false;
  }
  if (up) q += 1n;
  return [q, true];
}
