// AdvSIMD "two-register miscellaneous" and "scalar two-register miscellaneous" (Arm ARM C4.1.95
// tables, C7.2 pseudocode), INTEGER operations only: REV16/REV32/REV64, SADDLP/UADDLP,
// SADALP/UADALP, SUQADD/USQADD, CLS/CLZ/CNT, NOT, RBIT, SQABS/SQNEG/ABS/NEG, CMGT/CMGE/CMEQ/CMLE/
// CMLT (zero), XTN/SQXTN/UQXTN/SQXTUN(2), SHLL(2). The FP opcodes of these classes belong to the
// vector-FP rows: every row here fixes U and opcode, so they never match an FP encoding.
// Fields: d.rd/d.rn = 4 × register, d.imm = element size log2 (narrow: destination size; long and
// pairwise: source size), d.imm2 = element count (REV: byte count), d.imm3 = REV's byte XOR,
// d.imm4 = operation, d.ext = upper half (XTN2/SHLL2).
import type { Row, Decoded } from '../../decode/decoder';
import type { Cpu } from '../../cpu';
import { fpTrap } from '../../fpaccess';
import { T, T8, T16, T64, clearT, putT, put64N, sat, setQC, ssatN, usatN, ssatB, usatB, getU, getS, putN } from './simd-misc-util';

const CLS = 0, CLZ = 1, CNT = 2, NOT = 3, RBIT = 4, SQABS = 5, SQNEG = 6, ABS = 7, NEG = 8;
const CMGT = 9, CMGE = 10, CMEQ = 11, CMLE = 12, CMLT = 13, SUQADD = 14, USQADD = 15;
/** ops reading Rn's lanes as signed */
const SIGNED_SRC = new Set([SQABS, SQNEG, ABS, NEG, CMGT, CMGE, CMEQ, CMLE, CMLT, USQADD]);

const RBIT8 = new Uint8Array(256);
for (let i = 0; i < 256; i++) {
  let r = 0;
  for (let b = 0; b < 8; b++) {
    r |= ((i >>> b) & 1) << (7 - b);
  }
  RBIT8[i] = r;
}

/** One lane of esize e ≤ 32 (x signed or unsigned as the op reads it; old = Rd lane, signed for
 * SUQADD, unsigned for USQADD). */
function unN(op: number, x: number, old: number, e: number): number {
  switch (op) {
    case CLS: {
      const y = ((x >>> 1) ^ x) & (0xffffffff >>> (33 - e));
      return Math.clz32(y) - (33 - e);
    }
    case CLZ:
      return Math.clz32(x) - (32 - e);
    case SQABS:
      return ssatN(x < 0 ? -x : x, e);
    case SQNEG:
      return ssatN(-x, e);
    case ABS:
      return x < 0 ? -x : x;
    case NEG:
      return -x;
    case CMGT:
      return x > 0 ? -1 : 0;
    case CMGE:
      return x >= 0 ? -1 : 0;
    case CMEQ:
      return x === 0 ? -1 : 0;
    case CMLE:
      return x <= 0 ? -1 : 0;
    case CMLT:
      return x < 0 ? -1 : 0;
    case SUQADD:
      return ssatN(old + x, e);
    default: // USQADD
      return usatN(old + x, e);
  }
}

function unB(op: number, x: bigint, old: bigint): bigint {
  switch (op) {
    case SQABS:
      return ssatB(x < 0n ? -x : x, 64n);
    case SQNEG:
      return ssatB(-x, 64n);
    case ABS:
      return x < 0n ? -x : x;
    case NEG:
      return -x;
    case CMGT:
      return x > 0n ? -1n : 0n;
    case CMGE:
      return x >= 0n ? -1n : 0n;
    case CMEQ:
      return x === 0n ? -1n : 0n;
    case CMLE:
      return x <= 0n ? -1n : 0n;
    case CMLT:
      return x < 0n ? -1n : 0n;
    case SUQADD:
      return ssatB(BigInt.asIntN(64, old) + x, 64n);
    default:
      return usatB(old + x, 64n);
  }
}

/** per-byte population count of a word (bytes stay separate: no carries cross a byte) */
function popBytes(x: number): number {
  x = x - ((x >>> 1) & 0x55555555);
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  return (x + (x >>> 4)) & 0x0f0f0f0f;
}
/** 0xff in each byte of x that is zero */
function zeroBytes(x: number): number {
  const nz = (((x & 0x7f7f7f7f) + 0x7f7f7f7f) | x) & 0x80808080; // top bit set where byte != 0
  return Math.imul((~nz & 0x80808080) >>> 7, 0xff);
}

/** Lanes of 8/16/32 bits: one loop per operation over typed-array views. */
function unSmall(c: Cpu, d: Decoded, s: number, n: number, op: number): void {
  const sg = SIGNED_SRC.has(op);
  const src = s === 0 ? (sg ? c.vs8 : c.v8) : s === 1 ? (sg ? c.vs16 : c.v16) : sg ? c.vs32 : c.vreg;
  const dst = s === 0 ? T8 : s === 1 ? T16 : T;
  const b = (4 * d.rn) >>> s;
  switch (op) {
    case CMEQ:
      for (let i = 0; i < n; i++) dst[i] = src[b + i] === 0 ? -1 : 0;
      return;
    case CMGT:
      for (let i = 0; i < n; i++) dst[i] = src[b + i] > 0 ? -1 : 0;
      return;
    case CMGE:
      for (let i = 0; i < n; i++) dst[i] = src[b + i] >= 0 ? -1 : 0;
      return;
    case CMLE:
      for (let i = 0; i < n; i++) dst[i] = src[b + i] <= 0 ? -1 : 0;
      return;
    case CMLT:
      for (let i = 0; i < n; i++) dst[i] = src[b + i] < 0 ? -1 : 0;
      return;
    case ABS:
      for (let i = 0; i < n; i++) {
        const x = src[b + i];
        dst[i] = x < 0 ? -x : x;
      }
      return;
    case NEG:
      for (let i = 0; i < n; i++) dst[i] = -src[b + i];
      return;
    default: {
      const e = 8 << s;
      const old = op === SUQADD ? (s === 0 ? c.vs8 : s === 1 ? c.vs16 : c.vs32) : s === 0 ? c.v8 : s === 1 ? c.v16 : c.vreg;
      const db = (4 * d.rd) >>> s;
      for (let i = 0; i < n; i++) dst[i] = unN(op, src[b + i], old[db + i], e);
    }
  }
}

/** same-size unary ops; d.imm2 = lane count (vector: 64 or 128 bits; scalar: 1) */
function unary(c: Cpu, d: Decoded): void {
  if (fpTrap(c)) return;
  const s = d.imm;
  const n = d.imm2;
  const op = d.imm4;
  const v = c.vreg;
  const r = d.rn;
  const w = d.rd;
  const q = n === (16 >>> s); // a 128-bit vector (scalars have n = 1)
  if (op === CNT) {
    const a0 = popBytes(v[r]), a1 = popBytes(v[r + 1]);
    const a2 = q ? popBytes(v[r + 2]) : 0;
    const a3 = q ? popBytes(v[r + 3]) : 0;
    v[w] = a0;
    v[w + 1] = a1;
    v[w + 2] = a2;
    v[w + 3] = a3;
    return;
  }
  if (op === NOT) {
    const a0 = ~v[r], a1 = ~v[r + 1];
    const a2 = q ? ~v[r + 2] : 0;
    const a3 = q ? ~v[r + 3] : 0;
    v[w] = a0;
    v[w + 1] = a1;
    v[w + 2] = a2;
    v[w + 3] = a3;
    return;
  }
  if (op === CMEQ && s === 0) {
    // hot in string routines: cmeq v.16b, v.16b, #0
    const a0 = zeroBytes(v[r]), a1 = zeroBytes(v[r + 1]);
    const a2 = q ? zeroBytes(v[r + 2]) : 0;
    const a3 = q ? zeroBytes(v[r + 3]) : 0;
    v[w] = a0;
    v[w + 1] = a1;
    v[w + 2] = a2;
    v[w + 3] = a3;
    return;
  }
  if (op === RBIT) {
    const v8 = c.v8;
    const b = 4 * r;
    for (let i = 0; i < n; i++) T8[i] = RBIT8[v8[b + i]];
    if (n === 8) T[2] = T[3] = 0;
    putT(c, w);
    return;
  }
  sat.q = false;
  clearT();
  if (s === 3) {
    const src = SIGNED_SRC.has(op) ? c.vs64 : c.v64;
    const b = r >>> 1;
    const db = w >>> 1;
    for (let i = 0; i < n; i++) T64[i] = BigInt.asUintN(64, unB(op, src[b + i], c.v64[db + i]));
  } else unSmall(c, d, s, n, op);
  putT(c, w);
  if (sat.q) setQC(c);
}

/** REV16/32/64: result byte i = source byte i XOR (container − element) bytes */
function rev(c: Cpu, d: Decoded): void {
  if (fpTrap(c)) return;
  const v8 = c.v8;
  const b = 4 * d.rn;
  const x = d.imm3;
  const n = d.imm2;
  for (let i = 0; i < n; i++) T8[i] = v8[b + (i ^ x)];
  if (n === 8) T[2] = T[3] = 0;
  putT(c, d.rd);
}

/** SADDLP/UADDLP/SADALP/UADALP: d.imm4 bit 0 = unsigned, bit 1 = accumulate; d.imm2 = result lanes */
function addlp(c: Cpu, d: Decoded): void {
  if (fpTrap(c)) return;
  const s = d.imm;
  const n = d.imm2;
  const uns = d.imm4 & 1;
  const acc = d.imm4 & 2;
  clearT();
  for (let i = 0; i < n; i++) {
    const a = uns ? getU(c, d.rn, s, 2 * i) : getS(c, d.rn, s, 2 * i);
    const b = uns ? getU(c, d.rn, s, 2 * i + 1) : getS(c, d.rn, s, 2 * i + 1);
    const sum = a + b;
    if (s === 2) {
      if (acc) T64[i] = BigInt.asUintN(64, c.v64[(d.rd >>> 1) + i] + BigInt(sum));
      else put64N(2 * i, sum);
    } else putN(s + 1, i, acc ? getU(c, d.rd, s + 1, i) + sum : sum);
  }
  putT(c, d.rd);
}

const XTN = 0, SQXTN = 1, UQXTN = 2, SQXTUN = 3;
/** XTN/SQXTN/UQXTN/SQXTUN(2): d.imm = destination size; results into the lower half (Q=0, scalar)
 * or the upper half (keeping Rd's lower half). */
function xtn(c: Cpu, d: Decoded): void {
  if (fpTrap(c)) return;
  const s = d.imm;
  const n = d.imm2;
  const op = d.imm4;
  const upper = d.ext as number;
  const v = c.vreg;
  T[0] = upper ? v[d.rd] : 0;
  T[1] = upper ? v[d.rd + 1] : 0;
  T[2] = T[3] = 0;
  const off = upper ? n : 0;
  sat.q = false;
  if (op === XTN) {
    if (s === 2) for (let i = 0; i < n; i++) T[off + i] = v[d.rn + 2 * i];
    else for (let i = 0; i < n; i++) putN(s, off + i, getU(c, d.rn, s + 1, i));
  } else if (s === 2) {
    const src = op === UQXTN ? c.v64 : c.vs64;
    const b = d.rn >>> 1;
    for (let i = 0; i < n; i++) T[off + i] = Number(op === SQXTN ? ssatB(src[b + i], 32n) : usatB(src[b + i], 32n));
  } else {
    const e = 8 << s;
    for (let i = 0; i < n; i++) {
      const x = op === UQXTN ? getU(c, d.rn, s + 1, i) : getS(c, d.rn, s + 1, i);
      putN(s, off + i, op === SQXTN ? ssatN(x, e) : usatN(x, e));
    }
  }
  putT(c, d.rd);
  if (sat.q) setQC(c);
}

/** SHLL(2): widen each lane (of the lower or upper half) and shift it left by its size. */
function shll(c: Cpu, d: Decoded): void {
  if (fpTrap(c)) return;
  const s = d.imm;
  const n = d.imm2;
  const off = (d.ext as number) ? n : 0;
  clearT();
  for (let i = 0; i < n; i++) {
    const x = getU(c, d.rn, s, off + i);
    if (s === 2) T[2 * i + 1] = x;
    else putN(s + 1, i, x << (8 << s));
  }
  putT(c, d.rd);
}

// ---------------------------------------------------------------- rows

/** sizes allowed: bit s set = size s allowed; 'q64' = size 3 needs Q=1 (vector) */
interface Op {
  name: string;
  u: number;
  opc: number;
  vec: number; // allowed size mask (vector)
  sc: number; // allowed size mask (scalar), 0 = no scalar form
  compile: (d: Decoded, s: number, q: number, scalar: boolean) => void;
}

const lanes = (s: number, q: number, scalar: boolean) => (scalar ? 1 : (q ? 16 : 8) >>> s);
const un = (op: number) => (d: Decoded, s: number, q: number, scalar: boolean) => {
  d.imm = s;
  d.imm2 = lanes(s, q, scalar);
  d.imm4 = op;
  d.fn = unary;
};
const rv = (container: number) => (d: Decoded, s: number, q: number) => {
  d.imm = s;
  d.imm2 = q ? 16 : 8;
  d.imm3 = container - (1 << s);
  d.fn = rev;
};
const lp = (op: number) => (d: Decoded, s: number, q: number) => {
  d.imm = s;
  d.imm2 = (q ? 16 : 8) >>> (s + 1);
  d.imm4 = op;
  d.fn = addlp;
};
const xt = (op: number) => (d: Decoded, s: number, q: number, scalar: boolean) => {
  d.imm = s;
  d.imm2 = scalar ? 1 : 8 >>> s;
  d.imm4 = op;
  d.ext = scalar ? 0 : q;
  d.fn = xtn;
};

const ALL = 0b1111, BHS = 0b0111, B = 0b0001, H = 0b0010, D = 0b1000;
const OPS: Op[] = [
  { name: 'REV64', u: 0, opc: 0b00000, vec: BHS, sc: 0, compile: rv(8) },
  { name: 'REV32', u: 1, opc: 0b00000, vec: 0b0011, sc: 0, compile: rv(4) },
  { name: 'REV16', u: 0, opc: 0b00001, vec: B, sc: 0, compile: rv(2) },
  { name: 'SADDLP', u: 0, opc: 0b00010, vec: BHS, sc: 0, compile: lp(0) },
  { name: 'UADDLP', u: 1, opc: 0b00010, vec: BHS, sc: 0, compile: lp(1) },
  { name: 'SUQADD', u: 0, opc: 0b00011, vec: ALL, sc: ALL, compile: un(SUQADD) },
  { name: 'USQADD', u: 1, opc: 0b00011, vec: ALL, sc: ALL, compile: un(USQADD) },
  { name: 'CLS', u: 0, opc: 0b00100, vec: BHS, sc: 0, compile: un(CLS) },
  { name: 'CLZ', u: 1, opc: 0b00100, vec: BHS, sc: 0, compile: un(CLZ) },
  { name: 'CNT', u: 0, opc: 0b00101, vec: B, sc: 0, compile: un(CNT) },
  { name: 'NOT', u: 1, opc: 0b00101, vec: B, sc: 0, compile: un(NOT) },
  { name: 'RBIT_v', u: 1, opc: 0b00101, vec: H, sc: 0, compile: (d, _s, q, sc) => un(RBIT)(d, 0, q, sc) },
  { name: 'SADALP', u: 0, opc: 0b00110, vec: BHS, sc: 0, compile: lp(2) },
  { name: 'UADALP', u: 1, opc: 0b00110, vec: BHS, sc: 0, compile: lp(3) },
  { name: 'SQABS', u: 0, opc: 0b00111, vec: ALL, sc: ALL, compile: un(SQABS) },
  { name: 'SQNEG', u: 1, opc: 0b00111, vec: ALL, sc: ALL, compile: un(SQNEG) },
  { name: 'CMGT_zero', u: 0, opc: 0b01000, vec: ALL, sc: D, compile: un(CMGT) },
  { name: 'CMGE_zero', u: 1, opc: 0b01000, vec: ALL, sc: D, compile: un(CMGE) },
  { name: 'CMEQ_zero', u: 0, opc: 0b01001, vec: ALL, sc: D, compile: un(CMEQ) },
  { name: 'CMLE_zero', u: 1, opc: 0b01001, vec: ALL, sc: D, compile: un(CMLE) },
  { name: 'CMLT_zero', u: 0, opc: 0b01010, vec: ALL, sc: D, compile: un(CMLT) },
  { name: 'ABS', u: 0, opc: 0b01011, vec: ALL, sc: D, compile: un(ABS) },
  { name: 'NEG', u: 1, opc: 0b01011, vec: ALL, sc: D, compile: un(NEG) },
  { name: 'XTN', u: 0, opc: 0b10010, vec: BHS, sc: 0, compile: xt(XTN) },
  { name: 'SQXTUN', u: 1, opc: 0b10010, vec: BHS, sc: BHS, compile: xt(SQXTUN) },
  { name: 'SHLL', u: 1, opc: 0b10011, vec: BHS, sc: 0, compile: (d, s, q) => {
    d.imm = s;
    d.imm2 = 8 >>> s;
    d.ext = q;
    d.fn = shll;
  } },
  { name: 'SQXTN', u: 0, opc: 0b10100, vec: BHS, sc: BHS, compile: xt(SQXTN) },
  { name: 'UQXTN', u: 1, opc: 0b10100, vec: BHS, sc: BHS, compile: xt(UQXTN) },
];

function rows(): Row[] {
  const out: Row[] = [];
  for (const o of OPS) {
    const ob = o.opc.toString(2).padStart(5, '0');
    // RBIT and NOT share U/opcode and differ in size: fix the size bits in their patterns
    const sz = o.name === 'NOT' ? '00' : o.name === 'RBIT_v' ? '01' : 'ss';
    out.push([`${o.name}_v`.replace('_v_v', '_v'), `0q${o.u}01110${sz}10000${ob}10nnnnnddddd`, (f, d) => {
      const s = sz === 'ss' ? f.s : sz === '00' ? 0 : 1;
      if (!((o.vec >>> s) & 1)) return false;
      if (s === 3 && !f.q) return false;
      d.rd = 4 * f.d;
      d.rn = 4 * f.n;
      o.compile(d, s, f.q, false);
    }]);
    if (o.sc) {
      out.push([`${o.name}_s`, `01${o.u}11110ss10000${ob}10nnnnnddddd`, (f, d) => {
        if (!((o.sc >>> f.s) & 1)) return false;
        d.rd = 4 * f.d;
        d.rn = 4 * f.n;
        o.compile(d, f.s, 0, true);
      }]);
    }
  }
  return out;
}

export const SIMD_2REG_ROWS: Row[] = rows();
