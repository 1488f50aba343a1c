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
