// FP library (src/cpu/fp): random operands checked against the host's IEEE double/single arithmetic
// (round to nearest even), plus special cases from the Arm ARM pseudocode: NaN propagation, default
// NaN, flush-to-zero (IDC/UFC), rounding modes, overflow, conversions, estimates.
import { describe, it, expect } from 'vitest';
import * as F from '../../src/cpu/fp/fpu';
import type { FpEnv } from '../../src/cpu/fp/fpu';
import { fastPaths } from '../../src/cpu/fp/fpu-fast';

const buf = new DataView(new ArrayBuffer(8));
const d2b = (x: number) => (buf.setFloat64(0, x), buf.getBigUint64(0));
const b2d = (b: bigint) => (buf.setBigUint64(0, b), buf.getFloat64(0));
const s2b = (x: number) => (buf.setFloat32(0, x), BigInt(buf.getUint32(0)));
const b2s = (b: bigint) => (buf.setUint32(0, Number(b)), buf.getFloat32(0));
const env = (fpcr = 0): FpEnv => ({ fpcr, fpsr: 0 });

let seed = 12345;
function rnd32(): number {
  seed ^= seed << 13;
  seed ^= seed >>> 17;
  seed ^= seed << 5;
  return seed >>> 0;
}
function rndD(): bigint {
  const k = rnd32() % 8;
  let b = (BigInt(rnd32()) << 32n) | BigInt(rnd32());
  if (k === 0) b &= 0x800fffffffffffffn; // denormal
  if (k === 1) b = (b & 0x800fffffffffffffn) | 0x3ff0000000000000n;
  if (k === 2) b = (b & 0x800fffffffffffffn) | 0x7fe0000000000000n;
  if ((b & 0x7ff0000000000000n) === 0x7ff0000000000000n) b ^= 0x0010000000000000n; // avoid NaN/inf
  return b;
}
function rndS(): bigint {
  const k = rnd32() % 8;
  let b = BigInt(rnd32());
  if (k === 0) b &= 0x807fffffn;
  if (k === 1) b = (b & 0x807fffffn) | 0x3f800000n;
  if ((b & 0x7f800000n) === 0x7f800000n) b ^= 0x00800000n;
  return b;
}
const same = (a: number, b: number) => Object.is(a, b) || (Number.isNaN(a) && Number.isNaN(b));

describe('fpu vs host arithmetic (round to nearest even)', () => {
  it('double add/sub/mul/div/sqrt/fma-free ops', () => {
    for (let i = 0; i < 3000; i++) {
      const a = rndD();
      const b = rndD();
      const x = b2d(a);
      const y = b2d(b);
      const e = env();
      expect(same(b2d(F.fpAdd(a, b, 64, e)), x + y)).toBe(true);
      expect(same(b2d(F.fpSub(a, b, 64, e)), x - y)).toBe(true);
      expect(same(b2d(F.fpMul(a, b, 64, e)), x * y)).toBe(true);
      expect(same(b2d(F.fpDiv(a, b, 64, e)), x / y)).toBe(true);
      const sq = F.fpSqrt(a, 64, e);
      expect(same(b2d(sq), x < 0 ? NaN : Math.sqrt(x))).toBe(true);
    }
  });
  it('single ops and conversions', () => {
    for (let i = 0; i < 3000; i++) {
      const a = rndS();
      const b = rndS();
      const x = b2s(a);
      const y = b2s(b);
      const e = env();
      expect(same(b2s(F.fpAdd(a, b, 32, e)), Math.fround(x + y))).toBe(true);
      expect(same(b2s(F.fpMul(a, b, 32, e)), Math.fround(x * y))).toBe(true);
      expect(same(b2s(F.fpDiv(a, b, 32, e)), Math.fround(x / y))).toBe(true);
      expect(same(b2s(F.fpSqrt(a, 32, e)), x < 0 ? NaN : Math.fround(Math.sqrt(x)))).toBe(true);
      expect(F.fpConvert(a, 32, 64, e)).toBe(d2b(x));
      const dd = rndD();
      expect(F.fpConvert(dd, 64, 32, e)).toBe(s2b(Math.fround(b2d(dd))));
      // fused multiply-add in single is exact in double for products, then rounded once
      const c = rndS();
      const fma = F.fpMulAdd(c, a, b, 32, e);
      const exact = x * y; // exact in double (24+24 bits)
      const z = b2s(c);
      if (Math.abs(exact) > 1e-30 && Math.abs(exact) < 1e30 && (z === 0 || Math.abs(z / exact) < 1e6) && Math.abs(z) > 0) {
        // sum of two doubles may round; only check when the double sum is exact
        const sum = exact + z;
        if (sum - z === exact && sum - exact === z) expect(same(b2s(fma), Math.fround(sum))).toBe(true);
      }
    }
  });
});

describe('fpu special cases', () => {
  it('NaN propagation: signalling first, operand order, quieting, DN', () => {
    const qa = 0x7fc00001n;
    const sb = 0x7f800002n;
    let e = env();
    expect(F.fpAdd(qa, sb, 32, e)).toBe(0x7fc00002n);
    expect(e.fpsr).toBe(F.IOC);
    e = env();
    expect(F.fpAdd(qa, 0xffc00005n, 32, e)).toBe(qa);
    expect(e.fpsr).toBe(0);
    e = env(1 << 25);
    expect(F.fpMul(sb, qa, 32, e)).toBe(0x7fc00000n);
    expect(e.fpsr).toBe(F.IOC);
    // FPMulAdd: addend first
    e = env();
    expect(F.fpMulAdd(0x7fc00007n, 0x7fc00001n, 0x3f800000n, 32, e)).toBe(0x7fc00007n);
    expect(F.fpMulAdd(0x7fc00007n, 0x7f800001n, 0x3f800000n, 32, e)).toBe(0x7fc00001n);
    // QNaN addend with inf*0: default NaN + IOC
    e = env();
    expect(F.fpMulAdd(0x7fc00007n, 0x7f800000n, 0n, 32, e)).toBe(0x7fc00000n);
    expect(e.fpsr).toBe(F.IOC);
  });
  it('invalid operations and division by zero', () => {
    let e = env();
    expect(F.fpAdd(0x7f800000n, 0xff800000n, 32, e)).toBe(0x7fc00000n);
    expect(e.fpsr).toBe(F.IOC);
    e = env();
    expect(F.fpDiv(0x3f800000n, 0x80000000n, 32, e)).toBe(0xff800000n);
    expect(e.fpsr).toBe(F.DZC);
    e = env();
    expect(F.fpSqrt(0xbf800000n, 32, e)).toBe(0x7fc00000n);
    expect(F.fpSqrt(0x80000000n, 32, e)).toBe(0x80000000n);
    expect(F.fpMulX(0x7f800000n, 0x80000000n, 32, env())).toBe(0xc0000000n);
  });
  it('exact zero sign depends on rounding mode', () => {
    expect(F.fpAdd(0x3f800000n, 0xbf800000n, 32, env())).toBe(0n);
    expect(F.fpAdd(0x3f800000n, 0xbf800000n, 32, env(2 << 22))).toBe(0x80000000n);
    expect(F.fpAdd(0x80000000n, 0x80000000n, 32, env())).toBe(0x80000000n);
  });
  it('rounding modes and overflow', () => {
    const one = 0x3f800000n;
    const tiny = 0x33800000n; // 2^-24: half an ulp of 1.0
    expect(F.fpAdd(one, tiny, 32, env(0))).toBe(one);
    expect(F.fpAdd(one, tiny, 32, env(1 << 22))).toBe(one + 1n);
    expect(F.fpAdd(one, tiny, 32, env(2 << 22))).toBe(one);
    expect(F.fpAdd(0xbf800000n, 0xb3800000n, 32, env(2 << 22))).toBe(0xbf800001n);
    expect(F.fpAdd(one, tiny, 32, env(3 << 22))).toBe(one);
    const max = 0x7f7fffffn;
    let e = env();
    expect(F.fpMul(max, 0x40000000n, 32, e)).toBe(0x7f800000n);
    expect(e.fpsr).toBe(F.OFC | F.IXC);
    e = env(3 << 22);
    expect(F.fpMul(max, 0x40000000n, 32, e)).toBe(max);
  });
  it('flush to zero: inputs (IDC) and outputs (UFC); FZ16 without IDC', () => {
    const den = 0x00000001n;
    let e = env(1 << 24);
    expect(F.fpAdd(den, 0n, 32, e)).toBe(0n);
    expect(e.fpsr).toBe(F.IDC);
    e = env(1 << 24);
    expect(F.fpMul(0x00800000n, 0x3f000000n, 32, e)).toBe(0n); // 2^-127 -> flushed
    expect(e.fpsr).toBe(F.UFC);
    e = env();
    expect(F.fpMul(0x00800000n, 0x3f000000n, 32, e)).toBe(0x00400000n); // exact denormal: no UFC
    expect(e.fpsr).toBe(0);
    e = env();
    expect(F.fpMul(0x00800001n, 0x3f000000n, 32, e)).toBe(0x00400000n); // tie to even, inexact tiny
    expect(e.fpsr).toBe(F.UFC | F.IXC);
    e = env(1 << 19);
    expect(F.fpAdd(0x0001n, 0n, 16, e)).toBe(0n);
    expect(e.fpsr).toBe(0);
  });
  it('max/min/maxnum/minnum', () => {
    expect(F.fpMax(0n, 0x80000000n, 32, env())).toBe(0n);
    expect(F.fpMin(0n, 0x80000000n, 32, env())).toBe(0x80000000n);
    expect(F.fpMaxNum(0x7fc00000n, 0x3f800000n, 32, env())).toBe(0x3f800000n);
    expect(F.fpMinNum(0x3f800000n, 0x7fc00000n, 32, env())).toBe(0x3f800000n);
    const e = env();
    expect(F.fpMaxNum(0x7f800001n, 0x3f800000n, 32, e)).toBe(0x7fc00001n);
    expect(e.fpsr).toBe(F.IOC);
  });
  it('compare', () => {
    expect(F.fpCompare(0x3f800000n, 0x40000000n, 32, false, env())).toBe(8);
    expect(F.fpCompare(0n, 0x80000000n, 32, false, env())).toBe(6);
    expect(F.fpCompare(0x40000000n, 0x3f800000n, 32, false, env())).toBe(2);
    const e = env();
    expect(F.fpCompare(0x7fc00000n, 0n, 32, false, e)).toBe(3);
    expect(e.fpsr).toBe(0);
    expect(F.fpCompare(0x7fc00000n, 0n, 32, true, e)).toBe(3);
    expect(e.fpsr).toBe(F.IOC);
  });
  it('round to integral, FRINT32/64', () => {
    const v = d2b(2.5);
    expect(b2d(F.fpRoundInt(v, 64, 0, false, env()))).toBe(2);
    expect(b2d(F.fpRoundInt(v, 64, 4, false, env()))).toBe(3);
    expect(b2d(F.fpRoundInt(d2b(-2.5), 64, 4, false, env()))).toBe(-3);
    expect(b2d(F.fpRoundInt(d2b(-0.3), 64, 1, false, env()))).toBe(-0);
    expect(Object.is(b2d(F.fpRoundInt(d2b(-0.3), 64, 1, false, env())), -0)).toBe(true);
    expect(b2d(F.fpRoundInt(d2b(-0.3), 64, 2, false, env()))).toBe(-1);
    const e = env();
    F.fpRoundInt(d2b(1.5), 64, 3, true, e);
    expect(e.fpsr).toBe(F.IXC);
    const e2 = env();
    expect(b2d(F.fpRoundIntN(d2b(3e9), 64, 3, 32, e2))).toBe(-(2 ** 31));
    expect(e2.fpsr).toBe(F.IOC);
    expect(b2d(F.fpRoundIntN(d2b(-2147483648.7), 64, 3, 32, env()))).toBe(-2147483648);
  });
  it('fixed-point conversions', () => {
    let e = env();
    expect(F.fpToFixed(d2b(-1.5), 64, 0, false, 3, 32, e)).toBe(0xffffffffn);
    expect(e.fpsr).toBe(F.IXC);
    e = env();
    expect(F.fpToFixed(d2b(-1.5), 64, 0, true, 3, 32, e)).toBe(0n);
    expect(e.fpsr).toBe(F.IOC);
    e = env();
    expect(F.fpToFixed(0x7ff8000000000000n, 64, 0, false, 3, 64, e)).toBe(0n);
    expect(e.fpsr).toBe(F.IOC);
    expect(F.fpToFixed(0x7ff0000000000000n, 64, 0, false, 3, 64, env())).toBe(0x7fffffffffffffffn);
    expect(F.fpToFixed(d2b(2.5), 64, 0, false, 0, 32, env())).toBe(2n);
    expect(F.fpToFixed(d2b(2.5), 64, 0, false, 4, 32, env())).toBe(3n);
    expect(F.fpToFixed(d2b(0.75), 64, 4, false, 3, 32, env())).toBe(12n);
    expect(b2d(F.fixedToFp(0xffffffffn, 32, 0, false, 64, -1, env()))).toBe(-1);
    expect(b2d(F.fixedToFp(0xffffffffn, 32, 0, true, 64, -1, env()))).toBe(4294967295);
    expect(b2d(F.fixedToFp(12n, 32, 4, true, 64, -1, env()))).toBe(0.75);
    expect(b2s(F.fixedToFp(0xffffffffffffffffn, 64, 0, true, 32, -1, env()))).toBe(2 ** 64);
  });
  it('half precision conversions and AHP', () => {
    expect(F.fpConvert(0x3c00n, 16, 32, env())).toBe(0x3f800000n);
    expect(F.fpConvert(0x3f800000n, 32, 16, env())).toBe(0x3c00n);
    expect(F.fpConvert(0x7c00n, 16, 32, env(1 << 26))).toBe(0x47800000n); // AHP: 65536
    let e = env(1 << 26);
    expect(F.fpConvert(0x7f800000n, 32, 16, e)).toBe(0x7fffn);
    expect(e.fpsr).toBe(F.IOC);
    e = env();
    expect(F.fpConvert(0x7f800001n, 32, 16, e)).toBe(0x7e00n);
    expect(e.fpsr).toBe(F.IOC);
    expect(F.fpConvert(0xfff8000000000123n, 64, 32, env())).toBe(0xffc00000n);
    expect(F.fpConvert(0x7e01n, 16, 64, env())).toBe(0x7ff8040000000000n);
    expect(F.fpConvert(0x0001n, 16, 32, env(1 << 19))).toBe(0x33800000n); // FZ16 ignored
    expect(F.fpConvert(0x3ff0000000000001n, 64, 32, env(), 5)).toBe(0x3f800001n); // round to odd
  });
  it('FMOV immediate expansion', () => {
    expect(F.vfpExpandImm(0x70, 32)).toBe(0x3f800000n);
    expect(F.vfpExpandImm(0x00, 64)).toBe(0x4000000000000000n);
    expect(F.vfpExpandImm(0xf0, 16)).toBe(0xbc00n);
  });
  it('estimates', () => {
    expect(F.fpRecipEstimate(0x3f800000n, 32, env())).toBe(0x3f7f8000n);
    expect(F.fpRSqrtEstimate(0x3f800000n, 32, env())).toBe(0x3f7f8000n);
    expect(F.fpRSqrtEstimate(0x40800000n, 32, env())).toBe(0x3eff8000n);
    const e = env();
    expect(F.fpRecipEstimate(0n, 32, e)).toBe(0x7f800000n);
    expect(e.fpsr).toBe(F.DZC);
    expect(F.fpRecpX(0x3f800000n, 32, env())).toBe(0x40000000n);
    expect(F.fpRecpX(0x00000001n, 32, env())).toBe(0x7f000000n);
    expect(F.uRecipEstimate(0x80000000)).toBe(0xff800000);
    expect(F.uRecipEstimate(0x7fffffff)).toBe(0xffffffff);
    expect(b2s(F.fpRecipStepFused(s2b(2), s2b(0.5), 32, env()))).toBe(1);
    expect(b2s(F.fpRSqrtStepFused(s2b(2), s2b(0.5), 32, env()))).toBe(1);
    expect(F.fpRecipStepFused(0x7f800000n, 0n, 32, env())).toBe(0x40000000n);
    expect(F.fpRSqrtStepFused(0x7f800000n, 0n, 32, env())).toBe(0x3fc00000n);
  });
  it('FJCVTZS', () => {
    expect(F.fpToFixedJS(d2b(-1), env())).toEqual([0xffffffff, 1]);
    expect(F.fpToFixedJS(d2b(2 ** 32 + 5), env())).toEqual([5, 0]);
    expect(F.fpToFixedJS(d2b(-0), env())).toEqual([0, 0]);
    expect(F.fpToFixedJS(d2b(1.5), env())).toEqual([1, 0]);
  });
});

describe('fast paths (host binary64) agree with the exact path', () => {
  it('results and flags of add/sub/mul/div/sqrt for single and double', () => {
    const ops = [F.fpAdd, F.fpSub, F.fpMul, F.fpDiv];
    for (let i = 0; i < 4000; i++) {
      const n = i & 1 ? 64 : 32;
      let a = n === 64 ? rndD() : rndS();
      let b = n === 64 ? rndD() : rndS();
      if (i % 5 === 0) b = n === 64 ? (a & 0xfff0000000000000n) | (b & 0xffffn) : (a & 0xff800000n) | (b & 0xffn); // near-equal exponents
      if (i % 7 === 0) a = n === 64 ? 0x3ff0000000000000n | (a & 0xfn) : 0x3f800000n | (a & 0x3n); // short mantissas: exact cases
      if (i % 11 === 0) b = n === 64 ? 0x4000000000000000n | (b & 0x3n) : 0x40000000n | (b & 1n);
      for (const op of ops) {
        const e1 = env();
        fastPaths.on = true;
        const r1 = op(a, b, n, e1);
        const e2 = env();
        fastPaths.on = false;
        const r2 = op(a, b, n, e2);
        fastPaths.on = true;
        expect([r1, e1.fpsr]).toEqual([r2, e2.fpsr]);
      }
      if (n === 32) {
        const cc = i % 3 === 0 ? F.fpNeg(F.fpMul(a, b, 32, env()), 32) ^ BigInt(rnd32() & 3) : rndS(); // near cancellation
        const e1 = env();
        const r1 = F.fpMulAdd(cc, a, b, 32, e1);
        fastPaths.on = false;
        const e2 = env();
        const r2 = F.fpMulAdd(cc, a, b, 32, e2);
        fastPaths.on = true;
        expect([r1, e1.fpsr]).toEqual([r2, e2.fpsr]);
      }
      const e1 = env();
      const r1 = F.fpSqrt(a, n, e1);
      fastPaths.on = false;
      const e2 = env();
      const r2 = F.fpSqrt(a, n, e2);
      fastPaths.on = true;
      expect([r1, e1.fpsr]).toEqual([r2, e2.fpsr]);
    }
  });
});

describe('compare and float-to-integer fast paths agree with the exact path', () => {
  it('fpCompare and fpToFixed over random and special operands, all rounding modes, FZ', () => {
    const specials64 = [0x3fe0000000000001n, 0xbff8000000000000n, 0x4330000000000000n, 0x432fffffffffffffn, 0xc32fffffffffffffn, 0x47efffffffffffffn, 0x47effffff0000000n, 0x3810000000000000n, 0x380fffffffffffffn, 0n, 1n << 63n, 1n, 0x8000000000000001n, 0x7ff0000000000000n, 0xfff0000000000000n, 0x7ff8000000000000n,
      0x43e0000000000000n, 0xc3e0000000000000n, 0x41e0000000000000n, 0xc1e0000000000000n, 0x3fe0000000000000n, 0xbfe0000000000000n,
      0x4004000000000000n, 0xc004000000000000n, 0x43f0000000000000n, 0x41efffffffe00000n, 0xc1e0000000200000n];
    for (let i = 0; i < 2000; i++) {
      const n = i & 1 ? 64 : 32;
      const pick = (): bigint => {
        if (rnd32() % 3 === 0) {
          const d = specials64[rnd32() % specials64.length];
          return n === 64 ? d : F.fpConvert(d, 64, 32, env());
        }
        return n === 64 ? rndD() : rndS();
      };
      const a = pick();
      const b = pick();
      const fpcr = ((rnd32() % 4) << 22) | (rnd32() % 3 === 0 ? 1 << 24 : 0);
      const check = <T>(f: (e: FpEnv) => T) => {
        const e1 = env(fpcr);
        fastPaths.on = true;
        const r1 = f(e1);
        const e2 = env(fpcr);
        fastPaths.on = false;
        const r2 = f(e2);
        fastPaths.on = true;
        expect([r1, e1.fpsr]).toEqual([r2, e2.fpsr]);
      };
      check((e) => F.fpCompare(a, b, n, false, e));
      check((e) => F.fpMax(a, b, n, e));
      check((e) => F.fpMin(a, b, n, e));
      check((e) => F.fpMaxNum(a, b, n, e));
      check((e) => F.fpMinNum(a, b, n, e));
      check((e) => F.fpConvert(a, n, n === 64 ? 32 : 64, e));
      for (const rm of [-1, 0, 1, 2, 3, 4] as const) {
        check((e) => F.fpRoundInt(a, n, rm, true, e));
        check((e) => F.fpRoundInt(b, n, rm, false, e));
      }
      const fbits = rnd32() % 3 === 0 ? rnd32() % 65 : 0;
      const isz = rnd32() & 1 ? 64 : 32;
      for (const rm of [-1, 0, 1, 2, 3, 4] as const) {
        check((e) => F.fpToFixed(a, n, fbits > isz ? isz : fbits, false, rm, isz, e));
        check((e) => F.fpToFixed(a, n, fbits > isz ? isz : fbits, true, rm, isz, e));
      }
    }
  });
});

describe('double fused multiply-add fast path agrees with the exact path', () => {
  it('random, near-cancelling and sticky-only addends', () => {
    const r64 = () => (BigInt(rnd32()) << 32n) | BigInt(rnd32());
    const rd = () => {
      const k = rnd32() % 4;
      let b = r64();
      if (k === 0) b = (b & 0x800fffffffffffffn) | (BigInt(1000 + (rnd32() % 48)) << 52n);
      if (k === 1) b = (b & 0x800000000000ffffn) | 0x3ff0000000000000n;
      if (k === 2) b = (b & 0x8000000000000000n) | 0x3ff0000000000000n | (BigInt(rnd32() % 64) << BigInt(rnd32() % 52));
      return b;
    };
    for (let i = 0; i < 20000; i++) {
      const a = rd();
      const b = rd();
      let c = rd();
      if (i % 4 === 0) c = F.fpNeg(F.fpMul(a, b, 64, env((rnd32() % 4) << 22)), 64) ^ BigInt(rnd32() & 7);
      if (i % 4 === 1) {
        const e = ((a >> 52n) & 0x7ffn) + ((b >> 52n) & 0x7ffn) - 1023n - 54n + BigInt(rnd32() % 4);
        c = (c & 0x800fffffffffffffn) | ((e & 0x7ffn) << 52n);
      }
      if (i % 16 === 2) c = BigInt(rnd32() & 1) << 63n;
      const e1 = env();
      const r1 = F.fpMulAdd(c, a, b, 64, e1);
      fastPaths.on = false;
      const e2 = env();
      const r2 = F.fpMulAdd(c, a, b, 64, e2);
      fastPaths.on = true;
      expect([r1, e1.fpsr]).toEqual([r2, e2.fpsr]);
    }
  });
});

describe('integer-to-float fast path agrees with the exact path', () => {
  it('SCVTF/UCVTF patterns, fbits, single and double', () => {
    for (let i = 0; i < 5000; i++) {
      const isz = i & 1 ? 64 : 32;
      let v = (BigInt(rnd32()) << 32n) | BigInt(rnd32());
      v >>= BigInt(rnd32() % 64);
      if (i % 3 === 0) v = BigInt.asUintN(64, -v);
      v = BigInt.asUintN(isz, v);
      const fbits = rnd32() % 3 === 0 ? rnd32() % (isz + 1) : 0;
      for (const n of [32, 64] as const) for (const u of [false, true]) for (const fpcr of [0, 1 << 24]) {
        const e1 = env(fpcr);
        const r1 = F.fixedToFp(v, isz, fbits, u, n, -1, e1);
        fastPaths.on = false;
        const e2 = env(fpcr);
        const r2 = F.fixedToFp(v, isz, fbits, u, n, -1, e2);
        fastPaths.on = true;
        expect([r1, e1.fpsr]).toEqual([r2, e2.fpsr]);
      }
    }
  });
});

describe('half precision fast paths agree with the exact path', () => {
  it('add/sub/mul/div/sqrt/fma over random halves', () => {
    const rh = () => {
      const k = rnd32() % 3;
      if (k === 0) return BigInt(rnd32() & 0xffff);
      return BigInt((rnd32() & 0x8000) | ((8 + (rnd32() % 16)) << 10) | (rnd32() & (k === 1 ? 0x3ff : 0x30f)));
    };
    for (let i = 0; i < 3000; i++) {
      const a = rh();
      const b = rh();
      const c = i % 4 === 0 ? F.fpNeg(F.fpMul(a, b, 16, env(3 << 22)), 16) ^ BigInt(rnd32() & 3) : rh();
      const fns: ((e: FpEnv) => bigint)[] = [
        (e) => F.fpAdd(a, b, 16, e), (e) => F.fpSub(a, b, 16, e), (e) => F.fpMul(a, b, 16, e), (e) => F.fpDiv(a, b, 16, e),
        (e) => F.fpSqrt(a, 16, e), (e) => F.fpMulAdd(c, a, b, 16, e),
      ];
      for (const f of fns) {
        const e1 = env();
        const r1 = f(e1);
        fastPaths.on = false;
        const e2 = env();
        const r2 = f(e2);
        fastPaths.on = true;
        expect([r1, e1.fpsr]).toEqual([r2, e2.fpsr]);
      }
    }
  });
});
