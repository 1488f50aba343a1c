// Fast paths of the FP library for single and double precision in round-to-nearest-even mode, on the
// host's IEEE binary64 arithmetic: taken only when both operands are normal finite numbers and the
// result is a normal number strictly above the smallest normal, so no NaN, infinity, denormal,
// flush-to-zero, underflow or overflow rule can apply and the only possible exception is Inexact
// (found exactly with the error-free transformations TwoSum / Dekker's TwoProduct). binary32
// results are the binary64 results rounded once more, which is correctly rounded for + - * / sqrt
// (53 >= 2 * 24 + 2). Anything else returns -1n and the exact BigInt path runs.
import type { FpEnv, FpSize } from './fpu-core';
import { IXC } from './fpu-core';

/** tests switch the fast paths off to compare them with the exact path */
export const fastPaths = { on: true };

const buf = new DataView(new ArrayBuffer(8));
const MIN64 = 2 ** -1022;
const MIN32 = 2 ** -126;
const LIM = 2 ** 900;
const TINY = 2 ** -900;
const SPLIT = 134217729; // 2^27 + 1

function toNum(x: bigint, n: FpSize): number {
  if (n === 64) {
    buf.setBigUint64(0, x);
    return buf.getFloat64(0);
  }
  buf.setUint32(0, Number(x));
  return buf.getFloat32(0);
}
function fromNum(r: number, n: FpSize): bigint {
  if (n === 64) {
    buf.setFloat64(0, r);
    return buf.getBigUint64(0);
  }
  buf.setFloat32(0, r);
  return BigInt(buf.getUint32(0));
}
/** normal, finite, nonzero operand bits */
function normalOp(x: bigint, n: FpSize): boolean {
  if (n === 64) {
    const e = Number((x >> 52n) & 0x7ffn);
    return e !== 0 && e !== 0x7ff;
  }
  const e = (Number(x) >>> 23) & 0xff;
  return e !== 0 && e !== 0xff;
}
/** exact error of the product a*b (Dekker), valid for |a|,|b| < 2^900 and no underflow */
function prodErr(a: number, b: number, p: number): number {
  let t = SPLIT * a;
  const ah = t - (t - a);
  const al = a - ah;
  t = SPLIT * b;
  const bh = t - (t - b);
  const bl = b - bh;
  return ((ah * bh - p) + ah * bl + al * bh) + al * bl;
}

function finish(r: number, exact: boolean, n: FpSize, env: FpEnv): bigint {
  if (n === 32) {
    const r32 = Math.fround(r);
    if (r32 !== r) exact = false;
    r = r32;
  }
  const a = Math.abs(r);
  if (!(a > (n === 64 ? MIN64 : MIN32)) || a === Infinity) return -1n;
  if (!exact) env.fpsr |= IXC;
  return fromNum(r, n);
}

/** op: 0 add, 1 sub, 2 mul, 3 div */
export function fast2(op: number, a: bigint, b: bigint, n: FpSize, env: FpEnv): bigint {
  if (n === 16 || (env.fpcr & 0xc00000) !== 0 || !fastPaths.on || !normalOp(a, n) || !normalOp(b, n)) return -1n;
  const x = toNum(a, n);
  let y = toNum(b, n);
  if (op === 1) {
    y = -y;
    op = 0;
  }
  let r: number;
  let exact: boolean;
  if (op === 0) {
    r = x + y;
    const bb = r - x;
    exact = x - (r - bb) + (y - bb) === 0;
  } else {
    const ax = Math.abs(x);
    const ay = Math.abs(y);
    if (ax > LIM || ay > LIM || ax < TINY || ay < TINY) return -1n;
    if (op === 2) {
      r = x * y;
      if (Math.abs(r) < TINY || Math.abs(r) > LIM) return -1n;
      exact = prodErr(x, y, r) === 0;
    } else {
      r = x / y;
      const ar = Math.abs(r);
      if (ar < TINY || ar > LIM) return -1n;
      if (n === 32) {
        const r32 = Math.fround(r);
        exact = r32 * y === x; // 24 x 24 bits: exact in binary64
        return finish(r32, exact, n, env);
      }
      exact = r * y === x && prodErr(r, y, r * y) === 0;
    }
  }
  return finish(r, exact, n, env);
}

export function fastSqrt(a: bigint, n: FpSize, env: FpEnv): bigint {
  if (n === 16 || (env.fpcr & 0xc00000) !== 0 || !fastPaths.on || !normalOp(a, n)) return -1n;
  const x = toNum(a, n);
  if (x < 0 || x > LIM || x < TINY) return -1n;
  let r = Math.sqrt(x);
  if (n === 32) r = Math.fround(r);
  const exact = r * r === x && prodErr(r, r, r * r) === 0;
  return finish(r, exact, n, env);
}

/** operand class for the compare/convert fast paths: 0 number usable as is, 1 NaN or flushed denormal */
function plainOp(x: bigint, n: FpSize, fpcr: number): boolean {
  if (n === 64) {
    const e = Number((x >> 52n) & 0x7ffn);
    if (e === 0x7ff) return (x & 0xfffffffffffffn) === 0n; // infinity yes, NaN no
    return e !== 0 || (fpcr & (1 << 24)) === 0 || (x & 0xfffffffffffffn) === 0n;
  }
  const w = Number(x);
  const e = (w >>> 23) & 0xff;
  if (e === 0xff) return (w & 0x7fffff) === 0;
  return e !== 0 || (fpcr & (1 << 24)) === 0 || (w & 0x7fffff) === 0;
}

/** FCMP result (NZCV) for non-NaN single/double operands that FZ leaves alone, else -1 */
export function fastCompare(a: bigint, b: bigint, n: FpSize, fpcr: number): number {
  if (n === 16 || !fastPaths.on || !plainOp(a, n, fpcr) || !plainOp(b, n, fpcr)) return -1;
  const x = toNum(a, n);
  const y = toNum(b, n);
  return x === y ? 6 : x < y ? 8 : 2;
}

const P63 = 2 ** 63;
const P64 = 2 ** 64;
const P31 = 2 ** 31;
const P32 = 2 ** 32;
/** FPToFixed for single/double operands that are not NaN and not flushed; -1n when not applicable */
export function fastToFixed(a: bigint, n: FpSize, fbits: number, unsigned: boolean, rm: number, intSize: number, env: FpEnv): bigint {
  if (n === 16 || intSize === 16 || !fastPaths.on || fbits > 64 || !plainOp(a, n, env.fpcr)) return -1n;
  const v = toNum(a, n) * 2 ** fbits; // exact (or +-inf, which saturates)
  let q: number;
  if (Math.abs(v) >= 4503599627370496) q = v; // >= 2^52: already an integer (or infinite)
  else {
    const f = Math.floor(v);
    const d = v - f; // exact
    switch (rm) {
      case 0: q = d > 0.5 || (d === 0.5 && f % 2 !== 0) ? f + 1 : f; break;
      case 1: q = d !== 0 ? f + 1 : f; break;
      case 2: q = f; break;
      case 3: q = v < 0 && d !== 0 ? f + 1 : f; break;
      case 4: q = d > 0.5 || (d === 0.5 && v > 0) ? f + 1 : f; break;
      default: return -1n;
    }
  }
  const max = intSize === 64 ? (unsigned ? P64 : P63) : unsigned ? P32 : P31; // exclusive bound
  const min = unsigned ? 0 : -max;
  if (q >= max || q < min) {
    env.fpsr |= 1; // IOC
    const r = q >= max ? BigInt(max) - 1n : BigInt(min);
    return BigInt.asUintN(intSize, r);
  }
  if (q !== v) env.fpsr |= IXC;
  return BigInt.asUintN(intSize, BigInt(q));
}

/** single precision fused multiply-add (addend + a*b) in RNE: the product is exact in binary64, the
 * sum is rounded to odd in binary64 (RN plus a TwoSum correction), then rounded once to binary32,
 * which is the correctly rounded result since 53 >= 24 + 2 (Boldo & Melquiond, rounding to odd). */
export function fastFma32(c: bigint, a: bigint, b: bigint, env: FpEnv): bigint {
  if ((env.fpcr & 0xc00000) !== 0 || !fastPaths.on || !normalOp(a, 32) || !normalOp(b, 32) || !(normalOp(c, 32) || (c & 0x7fffffffn) === 0n)) return -1n;
  const p = toNum(a, 32) * toNum(b, 32);
  const z = toNum(c, 32);
  let s = p + z;
  const bb = s - p;
  const err = p - (s - bb) + (z - bb);
  if (s === 0) return -1n;
  if (err !== 0) {
    buf.setFloat64(0, s);
    const lo = buf.getUint32(4);
    if ((lo & 1) === 0) {
      // round to odd: step one ulp toward the exact value
      const away = err > 0 === s > 0;
      const bits = buf.getBigUint64(0) + (away ? 1n : -1n);
      buf.setBigUint64(0, bits);
      s = buf.getFloat64(0);
    }
  }
  return finish(s, err === 0, 32, env);
}

/** RO(x + y): the sum rounded to odd (RN, then one ulp toward the exact value if inexact and even) */
function addOdd(x: number, y: number): number {
  const s = x + y;
  const bb = s - x;
  const err = x - (s - bb) + (y - bb);
  if (err === 0 || s === 0) return s;
  buf.setFloat64(0, s);
  if ((buf.getUint32(4) & 1) !== 0) return s;
  buf.setBigUint64(0, buf.getBigUint64(0) + (err > 0 === s > 0 ? 1n : -1n));
  return buf.getFloat64(0);
}
let tsE = 0;
function twoSum(x: number, y: number): number {
  const s = x + y;
  const bb = s - x;
  tsE = x - (s - bb) + (y - bb);
  return s;
}

/** double precision fused multiply-add in RNE (Boldo & Melquiond's emulation: exact product
 * uh + ul, exact sum th + tl = c + uh, v = RO(tl + ul), result RN(th + v)); exactness from comparing
 * the TwoSum expansions of result - th and tl + ul. Operands normal (addend may be zero), magnitudes
 * kept far from overflow and underflow. */
export function fastFma64(c: bigint, a: bigint, b: bigint, env: FpEnv): bigint {
  if ((env.fpcr & 0xc00000) !== 0 || !fastPaths.on || !normalOp(a, 64) || !normalOp(b, 64)) return -1n;
  const cz = (c & 0x7fffffffffffffffn) === 0n;
  if (!cz && !normalOp(c, 64)) return -1n;
  const x = toNum(a, 64);
  const y = toNum(b, 64);
  const z = toNum(c, 64);
  const ax = Math.abs(x);
  const ay = Math.abs(y);
  const az = Math.abs(z);
  if (ax > LIM || ay > LIM || ax < TINY || ay < TINY || az > LIM || (!cz && az < TINY)) return -1n;
  const uh = x * y;
  const auh = Math.abs(uh);
  if (auh < TINY || auh > LIM) return -1n;
  const ul = prodErr(x, y, uh);
  const th = twoSum(z, uh);
  const tl = tsE;
  const v = addOdd(tl, ul);
  const r = th + v;
  const ar = Math.abs(r);
  if (!(ar > TINY) || ar > LIM) return -1n;
  let exact = tl === 0 && ul === 0;
  if (!exact) {
    const d = twoSum(r, -th);
    const de = tsE;
    const s2 = twoSum(tl, ul);
    exact = d === s2 && de === tsE;
  } else exact = r === th;
  if (!exact) env.fpsr |= IXC;
  return fromNum(r, 64);
}

/** FixedToFP to single/double in RNE for integers of magnitude below 2^53 (exact in binary64; the
 * scaling by 2^-fbits is exact too), else -1n */
export function fastFixedToFp(v: bigint, s: number, fbits: number, n: FpSize, env: FpEnv): bigint {
  if (n === 16 || (env.fpcr & 0xc00000) !== 0 || !fastPaths.on || v >= 0x20000000000000n) return -1n;
  const x = (s ? -Number(v) : Number(v)) / 2 ** fbits;
  if (n === 64) return fromNum(x, 64);
  const r = Math.fround(x);
  if (Math.abs(r) < MIN32) return -1n; // tiny: FZ and underflow rules
  if (r !== x) env.fpsr |= IXC;
  return fromNum(r, 32);
}

/** FMAX/FMIN (and the NM forms once quiet NaNs are replaced) of non-NaN, non-flushed operands */
export function fastMaxMin(a: bigint, b: bigint, n: FpSize, max: boolean, fpcr: number): bigint {
  if (n === 16 || !fastPaths.on || !plainOp(a, n, fpcr) || !plainOp(b, n, fpcr)) return -1n;
  const x = toNum(a, n);
  const y = toNum(b, n);
  if (x === 0 && y === 0) {
    const sb = n === 64 ? 1n << 63n : 0x80000000n;
    const neg = max ? (a & b & sb) !== 0n : ((a | b) & sb) !== 0n;
    return neg ? sb : 0n;
  }
  return (max ? x > y : x < y) ? a : b;
}

const P52 = 4503599627370496;
/** FRINT* of a non-NaN, non-flushed single/double: rm 0..4; -1n otherwise */
export function fastRoundInt(a: bigint, n: FpSize, rm: number, exact: boolean, env: FpEnv): bigint {
  if (n === 16 || !fastPaths.on || !plainOp(a, n, env.fpcr)) return -1n;
  const x = toNum(a, n);
  const ax = Math.abs(x);
  if (!(ax < P52) || x === 0) return a; // integral already, infinite, or zero
  let r: number;
  switch (rm) {
    case 0: r = ax + P52 - P52; break; // host RNE
    case 1: r = Math.ceil(x); break;
    case 2: r = Math.floor(x); break;
    case 3: r = Math.trunc(x); break;
    case 4: r = Math.floor(ax + 0.5); break;
    default: return -1n;
  }
  if (rm === 0 || rm === 4) r = x < 0 ? -r : r;
  if (r === 0) r = x < 0 ? -0 : 0;
  if (exact && r !== x) env.fpsr |= IXC;
  return fromNum(r, n);
}

/** FCVT single->double (exact) and double->single in RNE (normal results only); -1n otherwise */
export function fastConvert(a: bigint, from: FpSize, to: FpSize, env: FpEnv): bigint {
  if (from === 16 || to === 16 || !fastPaths.on || !plainOp(a, from, env.fpcr)) return -1n;
  const x = toNum(a, from);
  if (to === 64) return fromNum(x, 64);
  if ((env.fpcr & 0xc00000) !== 0) return -1n;
  const r = Math.fround(x);
  const ar = Math.abs(r);
  if (ar === Infinity || ar <= MIN32) return x === 0 || ar === Infinity && Math.abs(x) === Infinity ? fromNum(r, 32) : -1n;
  if (r !== x) env.fpsr |= IXC;
  return fromNum(r, 32);
}

// ---------------------------------------------------------------- half precision (binary16)
// Operands are exact in binary64; + - * of two halves are exact there, / and sqrt are rounded once
// in binary64 and then to binary16 (innocuous: 53 >= 2 * 11 + 2); the sum of FMA is rounded to odd.

/** normal binary16 operand value, or NaN when not normal (zero, denormal, inf, NaN) */
function h2n(x: bigint): number {
  const w = Number(x);
  const e = (w >>> 10) & 31;
  if (e === 0 || e === 31) return NaN;
  const v = (1024 + (w & 1023)) * 2 ** (e - 25);
  return w & 0x8000 ? -v : v;
}
/** RNE to binary16 of a binary64 value whose result is a normal half above the smallest normal;
 * -1n otherwise. Sets IXC when rounding changed the value (or `inexact`). */
function n2h(x: number, inexact: boolean, env: FpEnv): bigint {
  const ax = Math.abs(x);
  if (!(ax > 2 ** -14) || !(ax < 65504)) return -1n;
  buf.setFloat64(0, ax);
  const e = ((buf.getUint32(0) >>> 20) & 0x7ff) - 1023; // floor(log2 ax)
  const sc = ax * 2 ** (10 - e); // in [1024, 2048)
  let q = sc + P52 - P52; // RNE
  let ee = e;
  if (q === 2048) {
    q = 1024;
    ee++;
  }
  if (ee + 15 >= 31) return -1n;
  if (q !== sc || inexact) env.fpsr |= IXC;
  return BigInt((x < 0 ? 0x8000 : 0) | ((ee + 15) << 10) | (q - 1024));
}

export function fastHalf2(op: number, a: bigint, b: bigint, env: FpEnv): bigint {
  if ((env.fpcr & 0xc00000) !== 0 || !fastPaths.on) return -1n;
  const x = h2n(a);
  let y = h2n(b);
  if (x !== x || y !== y) return -1n;
  if (op === 1) {
    y = -y;
    op = 0;
  }
  switch (op) {
    case 0: return n2h(x + y, false, env);
    case 2: return n2h(x * y, false, env);
    default: {
      const r = x / y;
      const h = n2h(r, false, env);
      if (h < 0n) return h;
      const hv = h2n(h);
      if (hv * y !== x) env.fpsr |= IXC; // 11 x 11 bits: exact in binary64
      return h;
    }
  }
}
export function fastHalfSqrt(a: bigint, env: FpEnv): bigint {
  if ((env.fpcr & 0xc00000) !== 0 || !fastPaths.on) return -1n;
  const x = h2n(a);
  if (!(x > 0)) return -1n;
  const h = n2h(Math.sqrt(x), false, env);
  if (h < 0n) return h;
  const hv = h2n(h);
  if (hv * hv !== x) env.fpsr |= IXC;
  return h;
}
export function fastHalfFma(c: bigint, a: bigint, b: bigint, env: FpEnv): bigint {
  if ((env.fpcr & 0xc00000) !== 0 || !fastPaths.on) return -1n;
  const x = h2n(a);
  const y = h2n(b);
  const z = (c & 0x7fffn) === 0n ? 0 : h2n(c);
  if (x !== x || y !== y || z !== z) return -1n;
  const p = x * y;
  const s = addOdd(p, z);
  if (s === 0) return -1n;
  const t = twoSum(p, z);
  return n2h(s, tsE !== 0 || t !== s, env);
}
