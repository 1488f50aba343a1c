// Semantics of the A64 "data processing — immediate" class (Arm ARM C4.1.86): PC-relative
// addressing, add/subtract, logical, move wide, bitfield, extract. Decoder rows + exec functions.
// Every exec function is specialised at decode time (width, flags, operation) so the hot paths carry
// no decode-time branching; immediates are precomputed as 32-bit halves.
import type { Row, Decoded } from '../decode/decoder';
import { regW, regSP, regR } from '../decode/decoder';
import type { Cpu } from '../cpu';
import { decodeBitMasks } from '../alu';

const TWO32 = 4294967296;

// ------------------------------------------------------------------ PC-relative (C6.2.10/11)
// d.imm = signed byte offset (ADR) or signed page offset in bytes / 2^12 (ADRP)
function adr(c: Cpu, d: Decoded): void {
  const s = c.curPcLo + d.imm;
  const lo = s >>> 0;
  c.x[d.rd] = lo;
  c.x[d.rd + 1] = (c.curPcHi + Math.floor((s - lo) / TWO32)) >>> 0;
}
function adrp(c: Cpu, d: Decoded): void {
  // (PC AND NOT 0xfff) + imm * 4096; imm is a signed 21-bit page count, |imm * 4096| < 2^33
  const t = ((c.curPcLo & ~0xfff) >>> 0) + d.imm * 4096;
  const lo = t >>> 0;
  c.x[d.rd] = lo;
  c.x[d.rd + 1] = (c.curPcHi + Math.floor((t - lo) / TWO32)) >>> 0;
}

// ------------------------------------------------------------------ add/sub immediate (C6.2.4 ...)
// d.imm = the unsigned immediate (already shifted by 12 if sh=1), < 2^24
function addImm64(c: Cpu, d: Decoded): void {
  const s = c.x[d.rn] + d.imm;
  c.x[d.rd + 1] = (c.x[d.rn + 1] + (s >= TWO32 ? 1 : 0)) >>> 0;
  c.x[d.rd] = s >>> 0;
}
function addImm32(c: Cpu, d: Decoded): void {
  c.x[d.rd] = (c.x[d.rn] + d.imm) >>> 0;
  c.x[d.rd + 1] = 0;
}
function subImm64(c: Cpu, d: Decoded): void {
  const s = c.x[d.rn] - d.imm;
  c.x[d.rd + 1] = (c.x[d.rn + 1] - (s < 0 ? 1 : 0)) >>> 0;
  c.x[d.rd] = s >>> 0;
}
function subImm32(c: Cpu, d: Decoded): void {
  c.x[d.rd] = (c.x[d.rn] - d.imm) >>> 0;
  c.x[d.rd + 1] = 0;
}
function addsImm64(c: Cpu, d: Decoded): void {
  const aHi = c.x[d.rn + 1];
  const s = c.x[d.rn] + d.imm;
  const lo = s >>> 0;
  const h = aHi + (s >= TWO32 ? 1 : 0);
  const hi = h >>> 0;
  c.x[d.rd] = lo;
  c.x[d.rd + 1] = hi;
  c.n = hi >>> 31;
  c.z = (lo | hi) === 0 ? 1 : 0;
  c.cf = h >= TWO32 ? 1 : 0;
  c.v = (~aHi & hi) >>> 31; // b is non-negative: overflow only when a >= 0 and result < 0
}
function addsImm32(c: Cpu, d: Decoded): void {
  const a = c.x[d.rn];
  const s = a + d.imm;
  const r = s >>> 0;
  c.x[d.rd] = r;
  c.x[d.rd + 1] = 0;
  c.n = r >>> 31;
  c.z = r === 0 ? 1 : 0;
  c.cf = s >= TWO32 ? 1 : 0;
  c.v = (~a & r) >>> 31;
}
function subsImm64(c: Cpu, d: Decoded): void {
  const aHi = c.x[d.rn + 1];
  const s = c.x[d.rn] - d.imm;
  const lo = s >>> 0;
  const h = aHi - (s < 0 ? 1 : 0);
  const hi = h >>> 0;
  c.x[d.rd] = lo;
  c.x[d.rd + 1] = hi;
  c.n = hi >>> 31;
  c.z = (lo | hi) === 0 ? 1 : 0;
  c.cf = h >= 0 ? 1 : 0;
  c.v = (aHi & ~hi) >>> 31; // b is non-negative: overflow only when a < 0 and result >= 0
}
function subsImm32(c: Cpu, d: Decoded): void {
  const a = c.x[d.rn];
  const s = a - d.imm;
  const r = s >>> 0;
  c.x[d.rd] = r;
  c.x[d.rd + 1] = 0;
  c.n = r >>> 31;
  c.z = r === 0 ? 1 : 0;
  c.cf = s >= 0 ? 1 : 0;
  c.v = (a & ~r) >>> 31;
}

// ------------------------------------------------------------------ logical immediate (C6.2.12 ...)
// d.imm / d.imm2 = the DecodeBitMasks immediate as halves
function andImm64(c: Cpu, d: Decoded): void {
  const hi = c.x[d.rn + 1] & d.imm2;
  c.x[d.rd] = c.x[d.rn] & d.imm;
  c.x[d.rd + 1] = hi;
}
function andImm32(c: Cpu, d: Decoded): void {
  c.x[d.rd] = c.x[d.rn] & d.imm;
  c.x[d.rd + 1] = 0;
}
function orrImm64(c: Cpu, d: Decoded): void {
  const hi = c.x[d.rn + 1] | d.imm2;
  c.x[d.rd] = c.x[d.rn] | d.imm;
  c.x[d.rd + 1] = hi;
}
function orrImm32(c: Cpu, d: Decoded): void {
  c.x[d.rd] = c.x[d.rn] | d.imm;
  c.x[d.rd + 1] = 0;
}
function eorImm64(c: Cpu, d: Decoded): void {
  const hi = c.x[d.rn + 1] ^ d.imm2;
  c.x[d.rd] = c.x[d.rn] ^ d.imm;
  c.x[d.rd + 1] = hi;
}
function eorImm32(c: Cpu, d: Decoded): void {
  c.x[d.rd] = c.x[d.rn] ^ d.imm;
  c.x[d.rd + 1] = 0;
}
function andsImm64(c: Cpu, d: Decoded): void {
  const lo = (c.x[d.rn] & d.imm) >>> 0;
  const hi = (c.x[d.rn + 1] & d.imm2) >>> 0;
  c.x[d.rd] = lo;
  c.x[d.rd + 1] = hi;
  c.n = hi >>> 31;
  c.z = (lo | hi) === 0 ? 1 : 0;
  c.cf = 0;
  c.v = 0;
}
function andsImm32(c: Cpu, d: Decoded): void {
  const r = (c.x[d.rn] & d.imm) >>> 0;
  c.x[d.rd] = r;
  c.x[d.rd + 1] = 0;
  c.n = r >>> 31;
  c.z = r === 0 ? 1 : 0;
  c.cf = 0;
  c.v = 0;
}

// ------------------------------------------------------------------ move wide (C6.2.190/191/192)
// d.imm / d.imm2 = imm16 << hw*16 as halves; MOVK: d.imm3 / d.imm4 = keep-mask halves
function movImm64(c: Cpu, d: Decoded): void {
  c.x[d.rd] = d.imm;
  c.x[d.rd + 1] = d.imm2;
}
function movImm32(c: Cpu, d: Decoded): void {
  c.x[d.rd] = d.imm;
  c.x[d.rd + 1] = 0;
}
function movk64(c: Cpu, d: Decoded): void {
  c.x[d.rd] = (c.x[d.rd] & d.imm3) | d.imm;
  c.x[d.rd + 1] = (c.x[d.rd + 1] & d.imm4) | d.imm2;
}
function movk32(c: Cpu, d: Decoded): void {
  c.x[d.rd] = (c.x[d.rd] & d.imm3) | d.imm;
  c.x[d.rd + 1] = 0;
}

// ------------------------------------------------------------------ bitfield (C6.2.29/251/367)
// d.imm/imm2 = wmask halves, d.imm3/imm4 = tmask halves, d.rm = rotate amount R, d.ra = S (sign bit)
// (rm/ra are not registers for this class). UBFM precombines wmask & tmask into imm/imm2.
function rorLo64(lo: number, hi: number, r: number): number {
  if (r >= 32) { const t = lo; lo = hi; hi = t; r -= 32; }
  return r === 0 ? lo : ((lo >>> r) | (hi << (32 - r)));
}
function rorHi64(lo: number, hi: number, r: number): number {
  if (r >= 32) { const t = lo; lo = hi; hi = t; r -= 32; }
  return r === 0 ? hi : ((hi >>> r) | (lo << (32 - r)));
}
function ubfm64(c: Cpu, d: Decoded): void {
  const lo = c.x[d.rn], hi = c.x[d.rn + 1];
  c.x[d.rd] = rorLo64(lo, hi, d.rm) & d.imm;
  c.x[d.rd + 1] = rorHi64(lo, hi, d.rm) & d.imm2;
}
function ubfm32(c: Cpu, d: Decoded): void {
  const x = c.x[d.rn];
  const r = d.rm;
  c.x[d.rd] = ((x >>> r) | (x << (32 - r))) & d.imm;
  c.x[d.rd + 1] = 0;
}
/** LSR #n (UBFM with imms = 63), specialised */
function lsrImm64(c: Cpu, d: Decoded): void {
  const lo = c.x[d.rn], hi = c.x[d.rn + 1];
  const s = d.rm;
  if (s < 32) {
    c.x[d.rd] = s === 0 ? lo : (lo >>> s) | (hi << (32 - s));
    c.x[d.rd + 1] = hi >>> s;
  } else {
    c.x[d.rd] = hi >>> (s - 32);
    c.x[d.rd + 1] = 0;
  }
}
/** LSL #n (UBFM with imms + 1 = immr), d.imm3 = shift amount 64 - R, 1..63 */
function lslImm64(c: Cpu, d: Decoded): void {
  const lo = c.x[d.rn], hi = c.x[d.rn + 1];
  const s = d.imm3;
  if (s < 32) {
    c.x[d.rd + 1] = (hi << s) | (lo >>> (32 - s));
    c.x[d.rd] = lo << s;
  } else {
    c.x[d.rd + 1] = lo << (s - 32);
    c.x[d.rd] = 0;
  }
}
function sbfm64(c: Cpu, d: Decoded): void {
  const lo = c.x[d.rn], hi = c.x[d.rn + 1];
  const sb = d.ra;
  const top = (sb < 32 ? lo << (31 - sb) : hi << (63 - sb)) >> 31; // Replicate(src<S>)
  const bLo = rorLo64(lo, hi, d.rm) & d.imm;
  const bHi = rorHi64(lo, hi, d.rm) & d.imm2;
  c.x[d.rd] = (top & ~d.imm3) | (bLo & d.imm3);
  c.x[d.rd + 1] = (top & ~d.imm4) | (bHi & d.imm4);
}
function sbfm32(c: Cpu, d: Decoded): void {
  const x = c.x[d.rn];
  const r = d.rm;
  const top = (x << (31 - d.ra)) >> 31;
  const bot = ((x >>> r) | (x << (32 - r))) & d.imm;
  c.x[d.rd] = (top & ~d.imm3) | (bot & d.imm3);
  c.x[d.rd + 1] = 0;
}
function bfm64(c: Cpu, d: Decoded): void {
  const lo = c.x[d.rn], hi = c.x[d.rn + 1];
  const dLo = c.x[d.rd], dHi = c.x[d.rd + 1];
  const bLo = (dLo & ~d.imm) | (rorLo64(lo, hi, d.rm) & d.imm);
  const bHi = (dHi & ~d.imm2) | (rorHi64(lo, hi, d.rm) & d.imm2);
  c.x[d.rd] = (dLo & ~d.imm3) | (bLo & d.imm3);
  c.x[d.rd + 1] = (dHi & ~d.imm4) | (bHi & d.imm4);
}
function bfm32(c: Cpu, d: Decoded): void {
  const x = c.x[d.rn];
  const r = d.rm;
  const dst = c.x[d.rd];
  const bot = (dst & ~d.imm) | (((x >>> r) | (x << (32 - r))) & d.imm);
  c.x[d.rd] = (dst & ~d.imm3) | (bot & d.imm3);
  c.x[d.rd + 1] = 0;
}

// ------------------------------------------------------------------ extract (C6.2.121)
// d.imm = lsb
function extr64(c: Cpu, d: Decoded): void {
  const mLo = c.x[d.rm], mHi = c.x[d.rm + 1], nLo = c.x[d.rn], nHi = c.x[d.rn + 1];
  const l = d.imm;
  let lo: number, hi: number;
  if (l === 0) { lo = mLo; hi = mHi; }
  else if (l < 32) { lo = (mLo >>> l) | (mHi << (32 - l)); hi = (mHi >>> l) | (nLo << (32 - l)); }
  else if (l === 32) { lo = mHi; hi = nLo; }
  else {
    const b = l - 32;
    lo = (mHi >>> b) | (nLo << (32 - b));
    hi = (nLo >>> b) | (nHi << (32 - b));
  }
  c.x[d.rd] = lo;
  c.x[d.rd + 1] = hi;
}
function extr32(c: Cpu, d: Decoded): void {
  const m = c.x[d.rm], n = c.x[d.rn];
  const l = d.imm;
  c.x[d.rd] = l === 0 ? m : (m >>> l) | (n << (32 - l));
  c.x[d.rd + 1] = 0;
}

// ------------------------------------------------------------------ decode

const sext = (v: number, bits: number) => (v << (32 - bits)) >> (32 - bits);

function addSubImm(kind: 0 | 1 | 2 | 3) {
  // kind: 0 ADD, 1 ADDS, 2 SUB, 3 SUBS
  return (f: Record<string, number>, d: Decoded) => {
    const flags = kind & 1;
    d.rd = flags ? regW(f.d) : regSP(f.d);
    d.rn = regSP(f.n);
    d.imm = f.h ? f.i * 4096 : f.i;
    const sf = f.s;
    d.fn = kind === 0 ? (sf ? addImm64 : addImm32)
      : kind === 1 ? (sf ? addsImm64 : addsImm32)
      : kind === 2 ? (sf ? subImm64 : subImm32)
      : sf ? subsImm64 : subsImm32;
  };
}

const LOGIMM64 = [andImm64, orrImm64, eorImm64, andsImm64];
const LOGIMM32 = [andImm32, orrImm32, eorImm32, andsImm32];
function logicalImm(op: 0 | 1 | 2 | 3) {
  // op: 0 AND, 1 ORR, 2 EOR, 3 ANDS
  return (f: Record<string, number>, d: Decoded) => {
    if (!f.s && f.N) return false;
    const m = decodeBitMasks(f.N, f.S, f.R, true, f.s ? 64 : 32);
    if (m === null) return false;
    d.imm = m[0];
    d.imm2 = m[1];
    d.rd = op === 3 ? regW(f.d) : regSP(f.d);
    d.rn = regR(f.n);
    d.fn = (f.s ? LOGIMM64 : LOGIMM32)[op];
  };
}

function moveWide(op: 0 | 2 | 3) {
  // opc: 0 MOVN, 2 MOVZ, 3 MOVK
  return (f: Record<string, number>, d: Decoded) => {
    if (!f.s && f.h > 1) return false;
    d.rd = regW(f.d);
    const sh = f.h * 16;
    let lo = sh < 32 ? (f.i << sh) >>> 0 : 0;
    let hi = sh >= 32 ? (f.i << (sh - 32)) >>> 0 : 0;
    if (op === 3) {
      d.imm = lo;
      d.imm2 = hi;
      d.imm3 = sh < 32 ? ~(0xffff << sh) >>> 0 : 0xffffffff;
      d.imm4 = sh >= 32 ? ~(0xffff << (sh - 32)) >>> 0 : 0xffffffff;
      d.fn = f.s ? movk64 : movk32;
      return;
    }
    if (op === 0) {
      lo = ~lo >>> 0;
      hi = f.s ? ~hi >>> 0 : 0;
    }
    d.imm = lo;
    d.imm2 = hi;
    d.fn = f.s ? movImm64 : movImm32;
  };
}

function bitfield(op: 0 | 1 | 2) {
  // opc: 0 SBFM, 1 BFM, 2 UBFM
  return (f: Record<string, number>, d: Decoded) => {
    const sf = f.s;
    if (sf !== f.N) return false;
    if (!sf && (f.R >= 32 || f.S >= 32)) return false;
    const m = decodeBitMasks(f.N, f.S, f.R, false, sf ? 64 : 32);
    if (m === null) return false;
    d.rd = regW(f.d);
    d.rn = regR(f.n);
    d.rm = f.R;
    d.ra = f.S;
    [d.imm, d.imm2, d.imm3, d.imm4] = m;
    if (op === 2) {
      d.imm = (m[0] & m[2]) >>> 0;
      d.imm2 = (m[1] & m[3]) >>> 0;
      if (sf && f.S === 63) d.fn = lsrImm64;
      else if (sf && f.S + 1 === f.R) {
        d.imm3 = 64 - f.R;
        d.fn = lslImm64;
      } else d.fn = sf ? ubfm64 : ubfm32;
    } else if (op === 0) d.fn = sf ? sbfm64 : sbfm32;
    else d.fn = sf ? bfm64 : bfm32;
  };
}

export const DP_IMM_ROWS: Row[] = [
  ['ADR', '0ii10000jjjjjjjjjjjjjjjjjjjddddd', (f, d) => {
    d.rd = regW(f.d);
    d.imm = sext((f.j << 2) | f.i, 21);
    d.fn = adr;
  }],
  ['ADRP', '1ii10000jjjjjjjjjjjjjjjjjjjddddd', (f, d) => {
    d.rd = regW(f.d);
    d.imm = sext((f.j << 2) | f.i, 21);
    d.fn = adrp;
  }],
  ['ADD_imm', 's00100010hiiiiiiiiiiiinnnnnddddd', addSubImm(0)],
  ['ADDS_imm', 's01100010hiiiiiiiiiiiinnnnnddddd', addSubImm(1)],
  ['SUB_imm', 's10100010hiiiiiiiiiiiinnnnnddddd', addSubImm(2)],
  ['SUBS_imm', 's11100010hiiiiiiiiiiiinnnnnddddd', addSubImm(3)],
  ['AND_imm', 's00100100NRRRRRRSSSSSSnnnnnddddd', logicalImm(0)],
  ['ORR_imm', 's01100100NRRRRRRSSSSSSnnnnnddddd', logicalImm(1)],
  ['EOR_imm', 's10100100NRRRRRRSSSSSSnnnnnddddd', logicalImm(2)],
  ['ANDS_imm', 's11100100NRRRRRRSSSSSSnnnnnddddd', logicalImm(3)],
  ['MOVN', 's00100101hhiiiiiiiiiiiiiiiiddddd', moveWide(0)],
  ['MOVZ', 's10100101hhiiiiiiiiiiiiiiiiddddd', moveWide(2)],
  ['MOVK', 's11100101hhiiiiiiiiiiiiiiiiddddd', moveWide(3)],
  ['SBFM', 's00100110NRRRRRRSSSSSSnnnnnddddd', bitfield(0)],
  ['BFM', 's01100110NRRRRRRSSSSSSnnnnnddddd', bitfield(1)],
  ['UBFM', 's10100110NRRRRRRSSSSSSnnnnnddddd', bitfield(2)],
  ['EXTR', 's00100111N0mmmmmllllllnnnnnddddd', (f, d) => {
    if (f.s !== f.N) return false;
    if (!f.s && f.l >= 32) return false;
    d.rd = regW(f.d);
    d.rn = regR(f.n);
    d.rm = regR(f.m);
    d.imm = f.l;
    d.fn = f.s ? extr64 : extr32;
  }],
];
