// Scalar floating-point data processing (Arm ARM C4.1.96 "Data Processing -- Scalar Floating-Point
// and Advanced SIMD"): FP data-processing 1/2/3 source, compare, conditional compare, conditional
// select, immediate. ftype 00 single, 01 double, 11 half (FEAT_FP16). Every instruction checks FP
// access first (fpTrap), computes with the FP library (src/cpu/fp) and ORs its exception flags into
// FPSR. d.rd/rn/rm/ra = 4 × register number, d.imm = operand size in bits.
// Conversions to/from integers and fixed point are in fp-scalar-cvt.ts.
import type { Row, Decoded } from '../../decode/decoder';
import type { Cpu } from '../../cpu';
import { fpTrap } from '../../fpaccess';
import { condMask, condOk } from '../../alu';
import * as F from '../../fp/fpu';
import type { FpSize, FpEnv, Rounding } from '../../fp/fpu';
import { fpEnv, fpFlush } from '../../fp/env';
import { ftypeSize, rdF, wrF } from './fp-scalar-util';
import { FP_CVT_ROWS } from './fp-scalar-cvt';

type Op1 = (a: bigint, n: FpSize, env: FpEnv) => bigint;
type Op2 = (a: bigint, b: bigint, n: FpSize, env: FpEnv) => bigint;

// ---------------------------------------------------------------- 1 source (C7.2 FMOV/FABS/...)

function dp1(c: Cpu, d: Decoded): void {
  if (fpTrap(c)) return;
  const n = d.imm as FpSize;
  const env = fpEnv(c);
  const r = (d.ext as Op1)(rdF(c, d.rn, n), n, env);
  wrF(c, d.rd, n, r);
  fpFlush(c, env);
}
/** FCVT between precisions: d.imm = source size, d.imm2 = destination size */
function fcvt(c: Cpu, d: Decoded): void {
  if (fpTrap(c)) return;
  const env = fpEnv(c);
  const r = F.fpConvert(rdF(c, d.rn, d.imm as FpSize), d.imm as FpSize, d.imm2 as FpSize, env);
  wrF(c, d.rd, d.imm2 as FpSize, r);
  fpFlush(c, env);
}

/** FEAT_BF16 is implemented only in part (scalar BFCVT): off until the rest exists. */
const BF16 = false;
/** BFCVT: 32-bit source, 16-bit result */
function dpBF(c: Cpu, d: Decoded): void {
  if (fpTrap(c)) return;
  const env = fpEnv(c);
  wrF(c, d.rd, 16, F.fpConvertBF(rdF(c, d.rn, 32), env));
  fpFlush(c, env);
}

const frint = (rm: Rounding, exact: boolean): Op1 => (a, n, env) => F.fpRoundInt(a, n, rm, exact, env);
const frintN = (rm: Rounding, size: 32 | 64): Op1 => (a, n, env) => F.fpRoundIntN(a, n, rm, size, env);
const DP1: (Op1 | null)[] = [];
DP1[0] = (a) => a; // FMOV (register)
DP1[1] = (a, n) => F.fpAbs(a, n);
DP1[2] = (a, n) => F.fpNeg(a, n);
DP1[3] = F.fpSqrt;
DP1[8] = frint(0, false); // FRINTN
DP1[9] = frint(1, false); // FRINTP
DP1[10] = frint(2, false); // FRINTM
DP1[11] = frint(3, false); // FRINTZ
DP1[12] = frint(4, false); // FRINTA
DP1[14] = frint(-1, true); // FRINTX
DP1[15] = frint(-1, false); // FRINTI
DP1[16] = frintN(3, 32); // FRINT32Z (FEAT_FRINTTS)
DP1[17] = frintN(-1, 32); // FRINT32X
DP1[18] = frintN(3, 64); // FRINT64Z
DP1[19] = frintN(-1, 64); // FRINT64X

// ---------------------------------------------------------------- 2 source

function dp2(c: Cpu, d: Decoded): void {
  if (fpTrap(c)) return;
  const n = d.imm as FpSize;
  const env = fpEnv(c);
  const r = (d.ext as Op2)(rdF(c, d.rn, n), rdF(c, d.rm, n), n, env);
  wrF(c, d.rd, n, r);
  fpFlush(c, env);
}
const DP2: Op2[] = [
  F.fpMul, F.fpDiv, F.fpAdd, F.fpSub, F.fpMax, F.fpMin, F.fpMaxNum, F.fpMinNum,
  (a, b, n, env) => F.fpNeg(F.fpMul(a, b, n, env), n), // FNMUL
];

// ---------------------------------------------------------------- 3 source (FMADD/FMSUB/FNMADD/FNMSUB)

/** d.imm2 bit1 = negate addend (o1), bit0 = negate element1 (o1 != o0) */
function dp3(c: Cpu, d: Decoded): void {
  if (fpTrap(c)) return;
  const n = d.imm as FpSize;
  const env = fpEnv(c);
  let a = rdF(c, d.ra, n);
  let x = rdF(c, d.rn, n);
  if (d.imm2 & 2) a = F.fpNeg(a, n);
  if (d.imm2 & 1) x = F.fpNeg(x, n);
  wrF(c, d.rd, n, F.fpMulAdd(a, x, rdF(c, d.rm, n), n, env));
  fpFlush(c, env);
}

// ---------------------------------------------------------------- compare, conditional compare/select

/** FCMP/FCMPE: d.imm2 bit0 = E (signal on quiet NaNs), bit1 = compare with +0.0 */
function fcmp(c: Cpu, d: Decoded): void {
  if (fpTrap(c)) return;
  const n = d.imm as FpSize;
  const env = fpEnv(c);
  c.nzcv = F.fpCompare(rdF(c, d.rn, n), d.imm2 & 2 ? 0n : rdF(c, d.rm, n), n, (d.imm2 & 1) !== 0, env);
  fpFlush(c, env);
}
/** FCCMP/FCCMPE: d.imm3 = condMask, d.imm4 = nzcv if the condition fails, d.imm2 = E */
function fccmp(c: Cpu, d: Decoded): void {
  if (fpTrap(c)) return;
  if (!condOk(c, d.imm3)) {
    c.nzcv = d.imm4;
    return;
  }
  const n = d.imm as FpSize;
  const env = fpEnv(c);
  c.nzcv = F.fpCompare(rdF(c, d.rn, n), rdF(c, d.rm, n), n, d.imm2 !== 0, env);
  fpFlush(c, env);
}
function fcsel(c: Cpu, d: Decoded): void {
  if (fpTrap(c)) return;
  const n = d.imm as FpSize;
  wrF(c, d.rd, n, rdF(c, condOk(c, d.imm3) ? d.rn : d.rm, n));
}
/** FMOV (scalar, immediate): d.ext = the expanded constant */
function fmovImm(c: Cpu, d: Decoded): void {
  if (fpTrap(c)) return;
  wrF(c, d.rd, d.imm as FpSize, d.ext as bigint);
}

export const FP_SCALAR_ROWS: Row[] = [
  ['FP_DP1', '00011110tt1oooooo10000nnnnnddddd', (f, d) => {
    const n = ftypeSize(f.t);
    if (!n) return false;
    d.rd = 4 * f.d;
    d.rn = 4 * f.n;
    d.imm = n;
    const o = f.o;
    if (o === 6 && n === 64) {
      // BFCVT Hd, Sn (FEAT_BF16; ftype 01 is the encoding's fixed value, the source is single).
      // FEAT_BF16 is not advertised (ID_AA64ISAR1_EL1.BF16 = 0: no BFDOT/BFMMLA/BFMLAL), so the
      // encoding is unallocated here; the conversion stays for the day BF16 is complete.
      if (!BF16) return false;
      d.imm = 32;
      d.imm2 = 16;
      d.fn = dpBF;
      return true;
    }
    if ((o & 0b111100) === 0b000100) {
      // FCVT: opc (bits 16:15) is the destination type
      const to = ftypeSize(o & 3);
      if (!to || to === n) return false;
      d.imm2 = to;
      d.fn = fcvt;
      return true;
    }
    const op = DP1[o];
    if (!op) return false;
    if (o >= 16 && n === 16) return false; // FRINT32/64: single and double only
    d.ext = op;
    d.fn = dp1;
    return true;
  }],
  ['FP_DP2', '00011110tt1mmmmmoooo10nnnnnddddd', (f, d) => {
    const n = ftypeSize(f.t);
    if (!n || f.o > 8) return false;
    d.rd = 4 * f.d;
    d.rn = 4 * f.n;
    d.rm = 4 * f.m;
    d.imm = n;
    d.ext = DP2[f.o];
    d.fn = dp2;
    return true;
  }],
  ['FP_DP3', '00011111ttAmmmmmBaaaaannnnnddddd', (f, d) => {
    const n = ftypeSize(f.t);
    if (!n) return false;
    d.rd = 4 * f.d;
    d.rn = 4 * f.n;
    d.rm = 4 * f.m;
    d.ra = 4 * f.a;
    d.imm = n;
    d.imm2 = (f.A << 1) | (f.A ^ f.B);
    d.fn = dp3;
    return true;
  }],
  ['FP_CMP', '00011110tt1mmmmm001000nnnnnez000', (f, d) => {
    const n = ftypeSize(f.t);
    if (!n) return false;
    d.rn = 4 * f.n;
    d.rm = 4 * f.m;
    d.imm = n;
    d.imm2 = (f.z << 1) | f.e;
    d.fn = fcmp;
    return true;
  }],
  ['FP_CCMP', '00011110tt1mmmmmcccc01nnnnnevvvv', (f, d) => {
    const n = ftypeSize(f.t);
    if (!n) return false;
    d.rn = 4 * f.n;
    d.rm = 4 * f.m;
    d.imm = n;
    d.imm2 = f.e;
    d.imm3 = condMask(f.c);
    d.imm4 = f.v;
    d.fn = fccmp;
    return true;
  }],
  ['FP_CSEL', '00011110tt1mmmmmcccc11nnnnnddddd', (f, d) => {
    const n = ftypeSize(f.t);
    if (!n) return false;
    d.rd = 4 * f.d;
    d.rn = 4 * f.n;
    d.rm = 4 * f.m;
    d.imm = n;
    d.imm3 = condMask(f.c);
    d.fn = fcsel;
    return true;
  }],
  ['FP_IMM', '00011110tt1iiiiiiii10000000ddddd', (f, d) => {
    const n = ftypeSize(f.t);
    if (!n) return false;
    d.rd = 4 * f.d;
    d.imm = n;
    d.ext = F.vfpExpandImm(f.i, n);
    d.fn = fmovImm;
    return true;
  }],
  ...FP_CVT_ROWS,
];
