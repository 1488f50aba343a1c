// AdvSIMD "shift by immediate" and "scalar shift by immediate" (Arm ARM C4.1.95 tables, C7.2
// pseudocode), integer forms only: SSHR/USHR/SSRA/USRA/SRSHR/URSHR/SRSRA/URSRA/SRI/SHL/SLI/
// SQSHL/UQSHL/SQSHLU (immediate), the narrowing SHRN/RSHRN/SQ(R)SHRN/UQ(R)SHRN/SQ(R)SHRUN(2) and the
// lengthening SSHLL/USHLL(2). The FP conversions of this space (opcodes 11100 SCVTF/UCVTF and 11111
// FCVTZS/FCVTZU with #fbits) are left to the vector-FP rows.
//
// immh != 0000 (immh = 0000 is "modified immediate"): rows are generated per element size from the
// position of immh's top bit (0001 B, 001x H, 01xx S, 1xxx D), so they never overlap the
// modified-immediate rows. Right shifts: shift = 2·esize − immh:immb; left: immh:immb − esize.
// Lanes of 8/16/32 bits are JS numbers (all intermediate values stay below 2^53 or are exact
// power-of-two multiples); 64-bit lanes use BigInt.
// Fields: d.rd/d.rn = 4 × register, d.imm = element size log2 (narrow/long: the narrow size),
// d.imm2 = element count, d.imm3 = shift, d.imm4 = operation, d.ext = Q (narrow/long: upper half).
import type { Row, Decoded } from '../../decode/decoder';
import type { Cpu } from '../../cpu';
import { fpTrap } from '../../fpaccess';
import { T, T8, T16, T64, clearT, putT, put64N, sat, setQC, ssatN, usatN, ssatB, usatB, getU, getS, putN } from './simd-misc-util';

// same-size operations
const SSHR = 0, USHR = 1, SSRA = 2, USRA = 3, SRSHR = 4, URSHR = 5, SRSRA = 6, URSRA = 7;
const SRI = 8, SHL = 9, SLI = 10, SQSHLU = 11, SQSHL = 12, UQSHL = 13;
const SIGNED_SAME = new Set([SSHR, SSRA, SRSHR, SRSRA, SQSHLU, SQSHL]);
// narrowing operations (bit 0: rounding)
const SHRN = 0, RSHRN = 1, SQSHRN = 2, SQRSHRN = 3, UQSHRN = 4, UQRSHRN = 5, SQSHRUN = 6, SQRSHRUN = 7;

/** One same-size lane, esize e ≤ 32: x is signed or unsigned as the op reads it, old = Rd lane. */
function sameN(op: number, x: number, old: number, sh: number, e: number): number {
  switch (op) {
    case SSHR:
    case USHR:
      return Math.floor(x / 2 ** sh);
    case SSRA:
    case USRA:
      return old + Math.floor(x / 2 ** sh);
    case SRSHR:
    case URSHR:
      return Math.floor((x + 2 ** (sh - 1)) / 2 ** sh);
    case SRSRA:
    case URSRA:
      return old + Math.floor((x + 2 ** (sh - 1)) / 2 ** sh);
    case SRI: {
      if (sh >= e) return old;
      const m = (0xffffffff >>> (32 - e)) >>> sh;
      return (old & ~m) | ((x >>> sh) & m);
    }
    case SHL:
      return x << sh;
    case SLI: {
      const m = (0xffffffff >>> (32 - e)) << sh;
      return (old & ~m) | ((x << sh) & m);
    }
    case SQSHL:
      return ssatN(x * 2 ** sh, e);
    default: // UQSHL, SQSHLU
      return usatN(x * 2 ** sh, e);
  }
}

const M64 = (1n << 64n) - 1n;
function sameB(op: number, x: bigint, old: bigint, sh: bigint): bigint {
  switch (op) {
    case SSHR:
    case USHR:
      return x >> sh;
    case SSRA:
    case USRA:
      return old + (x >> sh);
    case SRSHR:
    case URSHR:
      return (x + (1n << (sh - 1n))) >> sh;
    case SRSRA:
    case URSRA:
      return old + ((x + (1n << (sh - 1n))) >> sh);
    case SRI: {
      if (sh >= 64n) return old;
      const m = M64 >> sh;
      return (old & ~m) | ((x >> sh) & m);
    }
    case SHL:
      return x << sh;
    case SLI: {
      const m = (M64 << sh) & M64;
      return (old & ~m) | ((x << sh) & m);
    }
    case SQSHL:
      return ssatB(x << sh, 64n);
    default:
      return usatB(x << sh, 64n);
  }
}

/** Lanes of 8/16/32 bits: one loop per operation over typed-array views (src signed or unsigned as
 * the op reads it, dst = the matching view of T). */
function sameSmall(c: Cpu, d: Decoded, s: number, n: number, sh: number, op: number): void {
  const signed = SIGNED_SAME.has(op);
  const src = s === 0 ? (signed ? c.vs8 : c.v8) : s === 1 ? (signed ? c.vs16 : c.v16) : signed ? c.vs32 : c.vreg;
  const old = s === 0 ? c.v8 : s === 1 ? c.v16 : c.vreg;
  const dst = s === 0 ? T8 : s === 1 ? T16 : T;
  const b = (4 * d.rn) >>> s;
  const db = (4 * d.rd) >>> s;
  const e = 8 << s;
  switch (op) {
    case SSHR: {
      const k = sh > 31 ? 31 : sh;
      for (let i = 0; i < n; i++) dst[i] = src[b + i] >> k;
      return;
    }
    case USHR:
      if (sh < 32) for (let i = 0; i < n; i++) dst[i] = src[b + i] >>> sh;
      return;
    case SSRA: {
      const k = sh > 31 ? 31 : sh;
      for (let i = 0; i < n; i++) dst[i] = old[db + i] + (src[b + i] >> k);
      return;
    }
    case USRA:
      if (sh < 32) for (let i = 0; i < n; i++) dst[i] = old[db + i] + (src[b + i] >>> sh);
      else for (let i = 0; i < n; i++) dst[i] = old[db + i];
      return;
    case SHL:
      for (let i = 0; i < n; i++) dst[i] = src[b + i] << sh;
      return;
    default:
      // rounding, inserting and saturating forms: exact integer arithmetic on doubles
      for (let i = 0; i < n; i++) dst[i] = sameN(op, src[b + i], old[db + i], sh, e);
  }
}

function shiftSame(c: Cpu, d: Decoded): void {
  if (fpTrap(c)) return;
  const s = d.imm;
  const n = d.imm2;
  const sh = d.imm3;
  const op = d.imm4;
  sat.q = false;
  clearT();
  if (s === 3) {
    const src = SIGNED_SAME.has(op) ? c.vs64 : c.v64;
    const b = d.rn >>> 1;
    const db = d.rd >>> 1;
    const bs = BigInt(sh);
    for (let i = 0; i < n; i++) T64[i] = BigInt.asUintN(64, sameB(op, src[b + i], c.v64[db + i], bs));
  } else sameSmall(c, d, s, n, sh, op);
  putT(c, d.rd);
  if (sat.q) setQC(c);
}

/** Narrowing shifts: source lanes of 2·esize, results of esize into the lower half (Q=0, scalar) or
 * the upper half (Q=1, keeping Rd's lower half). */
function shiftNarrow(c: Cpu, d: Decoded): void {
  if (fpTrap(c)) return;
  const s = d.imm;
  const n = d.imm2;
  const sh = d.imm3;
  const op = d.imm4;
  const upper = d.ext as number;
  const v = c.vreg;
  T[0] = upper ? v[d.rd] : 0;
  T[1] = upper ? v[d.rd + 1] : 0;
  T[2] = T[3] = 0;
  const off = upper ? n : 0;
  if (op === SHRN && s === 0) {
    // hot in glibc's memchr/strlen: shrn v.8b, v.8h, #4 (sh <= 8: bits 15:sh of each halfword)
    const r = d.rn;
    const m = 0xff << 8;
    const a0 = v[r], a1 = v[r + 1], a2 = v[r + 2], a3 = v[r + 3];
    const lo = ((a0 >>> sh) & 0xff) | ((a0 >>> (16 + sh - 8)) & m) | (((a1 >>> sh) & 0xff) << 16) | (((a1 >>> (16 + sh - 8)) & m) << 16);
    const hi = ((a2 >>> sh) & 0xff) | ((a2 >>> (16 + sh - 8)) & m) | (((a3 >>> sh) & 0xff) << 16) | (((a3 >>> (16 + sh - 8)) & m) << 16);
    T[off >>> 2] = lo;
    T[(off >>> 2) + 1] = hi;
    putT(c, d.rd);
    return;
  }
  sat.q = false;
  const e = 8 << s;
  const signed = op === SQSHRN || op === SQRSHRN || op === SQSHRUN || op === SQRSHRUN;
  if (s === 2) {
    const src = signed ? c.vs64 : c.v64;
    const b = d.rn >>> 1;
    const bs = BigInt(sh);
    for (let i = 0; i < n; i++) {
      let x = src[b + i];
      if (op & 1) x += 1n << (bs - 1n);
      x >>= bs;
      let r: number;
      if (op <= RSHRN) r = Number(x & 0xffffffffn);
      else if (op <= SQRSHRN) r = Number(ssatB(x, 32n));
      else r = Number(usatB(x, 32n));
      T[off + i] = r;
    }
  } else {
    const ss = s + 1;
    const p2 = 2 ** sh;
    const rnd = op & 1 ? p2 / 2 : 0;
    for (let i = 0; i < n; i++) {
      const x = signed ? getS(c, d.rn, ss, i) : getU(c, d.rn, ss, i);
      const y = Math.floor((x + rnd) / p2);
      putN(s, off + i, op <= RSHRN ? y : op <= SQRSHRN ? ssatN(y, e) : usatN(y, e));
    }
  }
  putT(c, d.rd);
  if (sat.q) setQC(c);
}

/** SSHLL/USHLL(2): lanes of esize from the lower (Q=0) or upper half, widened and shifted left. */
function shiftLong(c: Cpu, d: Decoded): void {
  if (fpTrap(c)) return;
  const s = d.imm;
  const n = d.imm2;
  const p2 = 2 ** d.imm3;
  const signed = d.imm4 === 0;
  const off = (d.ext as number) ? n : 0;
  const r = d.rn;
  // read all sources first (Rd may be Rn)
  clearT();
  if (s === 2) {
    for (let i = 0; i < n; i++) {
      const x = signed ? c.vs32[r + off + i] : c.vreg[r + off + i];
      put64N(2 * i, x * p2);
    }
  } else {
    for (let i = 0; i < n; i++) {
      const x = signed ? getS(c, r, s, off + i) : getU(c, r, s, off + i);
      putN(s + 1, i, x * p2);
    }
  }
  putT(c, d.rd);
}

// ---------------------------------------------------------------- rows

type Shape = 'R' | 'L' | 'N' | 'W';
/** [name, U, opcode, op, shape, scalar allowed] */
const OPS: [string, number, number, number, Shape, boolean][] = [
  ['SSHR', 0, 0b00000, SSHR, 'R', true],
  ['USHR', 1, 0b00000, USHR, 'R', true],
  ['SSRA', 0, 0b00010, SSRA, 'R', true],
  ['USRA', 1, 0b00010, USRA, 'R', true],
  ['SRSHR', 0, 0b00100, SRSHR, 'R', true],
  ['URSHR', 1, 0b00100, URSHR, 'R', true],
  ['SRSRA', 0, 0b00110, SRSRA, 'R', true],
  ['URSRA', 1, 0b00110, URSRA, 'R', true],
  ['SRI', 1, 0b01000, SRI, 'R', true],
  ['SHL', 0, 0b01010, SHL, 'L', true],
  ['SLI', 1, 0b01010, SLI, 'L', true],
  ['SQSHLU', 1, 0b01100, SQSHLU, 'L', true],
  ['SQSHL_imm', 0, 0b01110, SQSHL, 'L', true],
  ['UQSHL_imm', 1, 0b01110, UQSHL, 'L', true],
  ['SHRN', 0, 0b10000, SHRN, 'N', false],
  ['SQSHRUN', 1, 0b10000, SQSHRUN, 'N', true],
  ['RSHRN', 0, 0b10001, RSHRN, 'N', false],
  ['SQRSHRUN', 1, 0b10001, SQRSHRUN, 'N', true],
  ['SQSHRN', 0, 0b10010, SQSHRN, 'N', true],
  ['UQSHRN', 1, 0b10010, UQSHRN, 'N', true],
  ['SQRSHRN', 0, 0b10011, SQRSHRN, 'N', true],
  ['UQRSHRN', 1, 0b10011, UQRSHRN, 'N', true],
  ['SSHLL', 0, 0b10100, 0, 'W', false],
  ['USHLL', 1, 0b10100, 1, 'W', false],
];

/** immh patterns by element size (top set bit of immh) */
const IMMH = ['0001', '001h', '01hh', '1hhh'];
const SZ = ['b', 'h', 's', 'd'];

function rows(): Row[] {
  const out: Row[] = [];
  for (const [name, u, opc, op, shape, scalarOk] of OPS) {
    const ob = opc.toString(2).padStart(5, '0');
    for (let s = 0; s < 4; s++) {
      const e = 8 << s;
      const narrowOrLong = shape === 'N' || shape === 'W';
      if (narrowOrLong && s === 3) continue; // immh = 1xxx reserved
      // vector
      out.push([
        `${name}_v${SZ[s]}`,
        `0q${u}011110${IMMH[s]}bbb${ob}1nnnnnddddd`,
        (f, d, raw) => {
          const immhb = (raw >>> 16) & 0x7f;
          if (!narrowOrLong && s === 3 && !f.q) return false;
          d.rd = 4 * f.d;
          d.rn = 4 * f.n;
          d.imm = s;
          d.imm4 = op;
          if (shape === 'R' || shape === 'N') d.imm3 = 2 * e - immhb;
          else d.imm3 = immhb - e;
          if (narrowOrLong) {
            d.imm2 = 8 >>> s;
            d.ext = f.q;
            d.fn = shape === 'N' ? shiftNarrow : shiftLong;
          } else {
            d.imm2 = (f.q ? 16 : 8) >>> s;
            d.fn = shiftSame;
          }
        },
      ]);
      // scalar
      if (!scalarOk || shape === 'W') continue;
      const sameD = (shape === 'R' || op === SHL || op === SLI) && shape !== 'N';
      if (sameD && s !== 3) continue; // these scalar forms exist for D only
      out.push([
        `${name}_s${SZ[s]}`,
        `01${u}111110${IMMH[s]}bbb${ob}1nnnnnddddd`,
        (f, d, raw) => {
          const immhb = (raw >>> 16) & 0x7f;
          d.rd = 4 * f.d;
          d.rn = 4 * f.n;
          d.imm = s;
          d.imm2 = 1;
          d.imm4 = op;
          d.imm3 = shape === 'L' ? immhb - e : 2 * e - immhb;
          d.ext = 0;
          d.fn = shape === 'N' ? shiftNarrow : shiftSame;
        },
      ]);
    }
  }
  return out;
}

export const SIMD_SHIFT_ROWS: Row[] = rows();
