// Conversions of the FP library (Arm ARM J1.3 shared/functions/float: FPRoundInt, FPRoundIntN,
// FPConvert + FPUnpackCV/FPRoundCV/FPConvertNaN, FPToFixed, FixedToFP, FPToFixedJS, VFPExpandImm).
import type { FpEnv, FpSize, Rounding } from './fpu-core';
import { fastToFixed, fastFixedToFp, fastRoundInt, fastConvert } from './fpu-fast';
import {
  IOC, IXC, T_ZERO, T_INF, T_SNAN, T_QNAN, isNaNT, unpack, unpackA, processNaN, roundTo, round, rmode,
  roundIntMag, fpDefaultNaN, fpInf, fpZero, fmt, fzOf, FPCR_AHP, FPCR_DN, FPCR_FZ, FMT_BF16, roundFmt,
} from './fpu-core';

/** FPRoundInt (FRINTN/P/M/Z/A/I/X): exact = FRINTX (signal inexact) */
export function fpRoundInt(a: bigint, n: FpSize, rounding: Rounding, exact: boolean, env: FpEnv): bigint {
  const fr = fastRoundInt(a, n, rmode(rounding, env.fpcr), exact, env);
  if (fr >= 0n) return fr;
  const u = unpackA(a, n, env);
  if (isNaNT(u.t)) return processNaN(u.t, a, n, env);
  if (u.t === T_INF) return fpInf(n, u.s);
  if (u.t === T_ZERO) return fpZero(n, u.s);
  const [q, inexact] = roundIntMag(u.s, u.m, u.e, rmode(rounding, env.fpcr));
  const r = q === 0n ? fpZero(n, u.s) : round(u.s, q, 0, n, 3, env);
  if (inexact && exact) env.fpsr |= IXC;
  return r;
}

/** FPRoundIntN (FRINT32Z/32X/64Z/64X, FEAT_FRINTTS) */
export function fpRoundIntN(a: bigint, n: FpSize, rounding: Rounding, intSize: 32 | 64, env: FpEnv): bigint {
  const u = unpackA(a, n, env);
  const f = fmt(n);
  const most = f.signBit | (BigInt(intSize - 1 + f.bias) << f.bF); // -2^(intSize-1)
  if (isNaNT(u.t) || u.t === T_INF) {
    env.fpsr |= IOC;
    return most;
  }
  if (u.t === T_ZERO) return fpZero(n, u.s);
  const [q, inexact] = roundIntMag(u.s, u.m, u.e, rmode(rounding, env.fpcr));
  const lim = 1n << BigInt(intSize - 1);
  if (u.s ? q > lim : q > lim - 1n) {
    env.fpsr |= IOC;
    return most;
  }
  const r = q === 0n ? fpZero(n, u.s) : round(u.s, q, 0, n, 3, env);
  if (inexact) env.fpsr |= IXC;
  return r;
}

/** FPConvertNaN: keep sign and the top payload bits, force quiet */
function convertNaN(a: bigint, from: FpSize, to: FpSize): bigint {
  const ff = fmt(from);
  const ft = fmt(to);
  let frac = a & ff.fracMask;
  frac = ft.F < ff.F ? frac >> BigInt(ff.F - ft.F) : frac << BigInt(ft.F - ff.F);
  return ((a & ff.signBit) !== 0n ? ft.signBit : 0n) | ft.expMask | ft.quiet | (frac & ft.fracMask);
}

/** FPConvert (FCVT between precisions): half uses FPCR.AHP; FZ16 is ignored on either side. */
export function fpConvert(a: bigint, from: FpSize, to: FpSize, env: FpEnv, rounding: Rounding = -1): bigint {
  if (rounding < 0) {
    const fr = fastConvert(a, from, to, env);
    if (fr >= 0n) return fr;
  }
  const fpcr = env.fpcr;
  const ahp = (fpcr & FPCR_AHP) !== 0;
  const fz = (fpcr & FPCR_FZ) !== 0;
  const u = unpack(a, from, from === 16 ? false : fz, from === 16 && ahp, env);
  const altOut = to === 16 && ahp;
  if (isNaNT(u.t)) {
    let r: bigint;
    if (altOut) r = fpZero(to, u.s);
    else if (fpcr & FPCR_DN) r = fpDefaultNaN(to);
    else r = convertNaN(a, from, to);
    if (u.t === T_SNAN || altOut) env.fpsr |= IOC;
    return r;
  }
  if (u.t === T_INF) {
    if (altOut) {
      env.fpsr |= IOC;
      return (u.s ? fmt(16).signBit : 0n) | 0x7fffn;
    }
    return fpInf(to, u.s);
  }
  if (u.t === T_ZERO) return fpZero(to, u.s);
  return roundTo(u.s, u.m, u.e, to, to === 16 ? false : fz, altOut, rmode(rounding, fpcr), env);
}

/** FPConvertBF (BFCVT, FEAT_BF16): single to BFloat16, FPCR rounding, FZ flushing */
export function fpConvertBF(a: bigint, env: FpEnv): bigint {
  const u = unpackA(a, 32, env);
  if (isNaNT(u.t)) {
    if (u.t === T_SNAN) env.fpsr |= IOC;
    return env.fpcr & FPCR_DN ? 0x7fc0n : (a | 0x400000n) >> 16n;
  }
  if (u.t === T_INF || u.t === T_ZERO) return a >> 16n;
  return roundFmt(u.s, u.m, u.e, FMT_BF16, (env.fpcr & FPCR_FZ) !== 0, false, rmode(-1, env.fpcr), env);
}

/** FPToFixed (FCVT[NPMZA][SU], fixed-point FCVTZS/U): the intSize-bit two's complement pattern */
export function fpToFixed(a: bigint, n: FpSize, fbits: number, unsigned: boolean, rounding: Rounding, intSize: 16 | 32 | 64, env: FpEnv): bigint {
  const fr = fastToFixed(a, n, fbits, unsigned, rmode(rounding, env.fpcr), intSize, env);
  if (fr >= 0n) return fr;
  const u = unpackA(a, n, env);
  const mask = (1n << BigInt(intSize)) - 1n;
  if (isNaNT(u.t)) {
    env.fpsr |= IOC;
    return 0n;
  }
  let q = 0n;
  let inexact = false;
  if (u.t === T_INF) q = 1n << 70n;
  else if (u.t !== T_ZERO) [q, inexact] = roundIntMag(u.s, u.m, u.e + fbits, rmode(rounding, env.fpcr));
  let v = u.s ? -q : q;
  const max = unsigned ? mask : mask >> 1n;
  const min = unsigned ? 0n : -(max + 1n);
  if (v > max || v < min) {
    env.fpsr |= IOC;
    v = v > max ? max : min;
  } else if (inexact) env.fpsr |= IXC;
  return v & mask;
}

/** FixedToFP (SCVTF/UCVTF; int is the raw intSize-bit pattern) */
export function fixedToFp(int: bigint, intSize: 16 | 32 | 64, fbits: number, unsigned: boolean, n: FpSize, rounding: Rounding, env: FpEnv): bigint {
  const bs = BigInt(intSize);
  let v = int & ((1n << bs) - 1n);
  let s = 0;
  if (!unsigned && v >> (bs - 1n)) {
    v = (1n << bs) - v;
    s = 1;
  }
  if (v === 0n) return 0n;
  const rm = rmode(rounding, env.fpcr);
  if (rm === 0) {
    const fr = fastFixedToFp(v, s, fbits, n, env);
    if (fr >= 0n) return fr;
  }
  return round(s, v, -fbits, n, rm, env);
}

/** FPToFixedJS (FJCVTZS): returns [32-bit result, Z flag] */
export function fpToFixedJS(a: bigint, env: FpEnv): [number, number] {
  const u = unpackA(a, 64, env);
  let z = 1;
  if (isNaNT(u.t)) {
    env.fpsr |= IOC;
    z = 0;
  }
  let q = 0n;
  let inexact = false;
  if (u.t !== T_ZERO && u.t !== T_INF && !isNaNT(u.t)) [q, inexact] = roundIntMag(u.s, u.m, u.e, 3);
  const v = u.s ? -q : q;
  const res = Number(BigInt.asUintN(32, v));
  if (u.t === T_INF || v < -(1n << 31n) || v > (1n << 31n) - 1n) {
    env.fpsr |= IOC;
    z = 0;
  } else if (inexact) {
    env.fpsr |= IXC;
    z = 0;
  } else if (u.s === 1 && q === 0n) z = 0;
  else if (u.s === 0 && q === 0n && (a & 0xfffffffffffffn) !== 0n) z = 0;
  return [u.t === T_INF ? 0 : res, z];
}

/** VFPExpandImm (FMOV immediate) */
export function vfpExpandImm(imm8: number, n: FpSize): bigint {
  const f = fmt(n);
  const E = f.E;
  const b6 = (imm8 >> 6) & 1;
  let exp = (b6 ^ 1) << (E - 1);
  if (b6) exp |= ((1 << (E - 3)) - 1) << 2;
  exp |= (imm8 >> 4) & 3;
  const frac = BigInt(imm8 & 15) << BigInt(f.F - 4);
  return ((imm8 & 0x80) !== 0 ? f.signBit : 0n) | (BigInt(exp) << f.bF) | frac;
}
export { T_QNAN, fzOf };
