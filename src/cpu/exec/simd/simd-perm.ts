// AdvSIMD "permute" (UZP1/UZP2/TRN1/TRN2/ZIP1/ZIP2), "extract" (EXT) and "table lookup" (TBL/TBX
// with 1–4 table registers, numbered modulo 32): Arm ARM C4.1.95 encoding tables, C7.2 pseudocode.
// Fields: d.rd/d.rn/d.rm = 4 × register, d.imm = element size log2 (EXT: byte offset; TBL: table
// length - 1), d.imm2 = part (permutes; TBL: 1 = TBX), d.imm4 = Q.
import type { Row, Decoded } from '../../decode/decoder';
import type { Cpu } from '../../cpu';
import { fpTrap } from '../../fpaccess';
import { T, T8, T16, S, S8, S16, putT } from './simd-misc-util';

/** S = Rn (words 0..3) : Rm (words 4..7). */
function loadS(c: Cpu, rn: number, rm: number): void {
  const v = c.vreg;
  S[0] = v[rn];
  S[1] = v[rn + 1];
  S[2] = v[rn + 2];
  S[3] = v[rn + 3];
  S[4] = v[rm];
  S[5] = v[rm + 1];
  S[6] = v[rm + 2];
  S[7] = v[rm + 3];
}

/** Element index map of the permute (dst lane i takes S lane IDX[i]); S holds Rn at lanes
 * 0.. and Rm from lane 16 >> s. */
const IDX = new Uint8Array(16);

const MOP_UZP = 1;
const MOP_TRN = 2;
const MOP_ZIP = 3;

function permute(c: Cpu, d: Decoded): void {
  if (fpTrap(c)) return;
  loadS(c, d.rn, d.rm);
  const s = d.imm;
  const part = d.imm2;
  const els = (d.imm4 ? 16 : 8) >>> s; // elements per operand
  const mBase = 16 >>> s; // index of Rm's element 0 in S
  switch (d.imm3) {
    case MOP_UZP:
      // result = even (UZP1) or odd (UZP2) elements of Rm:Rn (as a 2×els-element vector)
      for (let i = 0; i < els; i++) {
        const k = 2 * i + part;
        IDX[i] = k < els ? k : mBase + k - els;
      }
      break;
    case MOP_TRN:
      for (let p = 0; p < els / 2; p++) {
        IDX[2 * p] = 2 * p + part;
        IDX[2 * p + 1] = mBase + 2 * p + part;
      }
      break;
    default: {
      const base = part * (els / 2);
      for (let p = 0; p < els / 2; p++) {
        IDX[2 * p] = base + p;
        IDX[2 * p + 1] = mBase + base + p;
      }
    }
  }
  const t = T;
  const x = IDX;
  t[0] = t[1] = t[2] = t[3] = 0;
  if (s === 0) {
    const t8 = T8, s8 = S8;
    for (let i = 0; i < els; i++) t8[i] = s8[x[i]];
  } else if (s === 1) {
    const t16 = T16, s16 = S16;
    for (let i = 0; i < els; i++) t16[i] = s16[x[i]];
  } else {
    const sw = S;
    if (s === 2) for (let i = 0; i < els; i++) t[i] = sw[x[i]];
    else
      for (let i = 0; i < els; i++) {
        t[2 * i] = sw[2 * x[i]];
        t[2 * i + 1] = sw[2 * x[i] + 1];
      }
  }
  putT(c, d.rd);
}

/** EXT: bytes pos.. of Rm:Rn (Q=1) or Rm<63:0>:Rn<63:0> (Q=0), assembled a word at a time */
function ext(c: Cpu, d: Decoded): void {
  if (fpTrap(c)) return;
  const v = c.vreg;
  const n = d.rn;
  const m = d.rm;
  const pos = d.imm;
  const k = pos >>> 2;
  const sh = 8 * (pos & 3);
  if (d.imm4) {
    S[0] = v[n];
    S[1] = v[n + 1];
    S[2] = v[n + 2];
    S[3] = v[n + 3];
    S[4] = v[m];
    S[5] = v[m + 1];
    S[6] = v[m + 2];
    S[7] = v[m + 3];
    if (sh === 0) {
      T[0] = S[k];
      T[1] = S[k + 1];
      T[2] = S[k + 2];
      T[3] = S[k + 3];
    } else {
      const r = 32 - sh;
      T[0] = (S[k] >>> sh) | (S[k + 1] << r);
      T[1] = (S[k + 1] >>> sh) | (S[k + 2] << r);
      T[2] = (S[k + 2] >>> sh) | (S[k + 3] << r);
      T[3] = (S[k + 3] >>> sh) | (S[k + 4] << r); // k + 4 <= 7 since pos <= 15
    }
  } else {
    S[0] = v[n];
    S[1] = v[n + 1];
    S[2] = v[m];
    S[3] = v[m + 1];
    S[4] = 0;
    if (sh === 0) {
      T[0] = S[k];
      T[1] = S[k + 1];
    } else {
      const r = 32 - sh;
      T[0] = (S[k] >>> sh) | (S[k + 1] << r);
      T[1] = (S[k + 1] >>> sh) | (S[k + 2] << r);
    }
    T[2] = T[3] = 0;
  }
  putT(c, d.rd);
}

/** TBL/TBX: table registers Rn..Rn+len (mod 32); out-of-range indexes give 0 (TBL) or keep Rd (TBX) */
function tbl(c: Cpu, d: Decoded): void {
  if (fpTrap(c)) return;
  const v8 = c.v8;
  const regs = d.imm + 1;
  const lim = 16 * regs;
  const n0 = d.rn >>> 2;
  const tbx = d.imm2;
  const bytes = d.imm4 ? 16 : 8;
  const ib = 4 * d.rm;
  const db = 4 * d.rd;
  if (regs === 1) {
    const tb = 16 * n0;
    for (let i = 0; i < bytes; i++) {
      const idx = v8[ib + i];
      T8[i] = idx < 16 ? v8[tb + idx] : tbx ? v8[db + i] : 0;
    }
  } else {
    for (let i = 0; i < bytes; i++) {
      const idx = v8[ib + i];
      if (idx < lim) T8[i] = v8[16 * ((n0 + (idx >>> 4)) & 31) + (idx & 15)];
      else T8[i] = tbx ? v8[db + i] : 0;
    }
  }
  if (!d.imm4) T[2] = T[3] = 0;
  putT(c, d.rd);
}

const PERM: [string, number, number][] = [
  ['UZP1', 0b001, MOP_UZP],
  ['TRN1', 0b010, MOP_TRN],
  ['ZIP1', 0b011, MOP_ZIP],
  ['UZP2', 0b101, MOP_UZP],
  ['TRN2', 0b110, MOP_TRN],
  ['ZIP2', 0b111, MOP_ZIP],
];

export const SIMD_PERM_ROWS: Row[] = [
  ...PERM.map(([name, opc, mop]): Row => [
    name,
    `0q001110ss0mmmmm0${opc.toString(2).padStart(3, '0')}10nnnnnddddd`,
    (f, d) => {
      if (f.s === 3 && !f.q) return false;
      d.rd = 4 * f.d;
      d.rn = 4 * f.n;
      d.rm = 4 * f.m;
      d.imm = f.s;
      d.imm2 = opc >>> 2;
      d.imm3 = mop;
      d.imm4 = f.q;
      d.fn = permute;
    },
  ]),
  ['EXT', '0q101110000mmmmm0iiii0nnnnnddddd', (f, d) => {
    if (!f.q && f.i & 8) return false;
    d.rd = 4 * f.d;
    d.rn = 4 * f.n;
    d.rm = 4 * f.m;
    d.imm = f.i;
    d.imm4 = f.q;
    d.fn = ext;
  }],
  ['TBL', '0q001110000mmmmm0ll000nnnnnddddd', (f, d) => {
    d.rd = 4 * f.d;
    d.rn = 4 * f.n;
    d.rm = 4 * f.m;
    d.imm = f.l;
    d.imm2 = 0;
    d.imm4 = f.q;
    d.fn = tbl;
  }],
  ['TBX', '0q001110000mmmmm0ll100nnnnnddddd', (f, d) => {
    d.rd = 4 * f.d;
    d.rn = 4 * f.n;
    d.rm = 4 * f.m;
    d.imm = f.l;
    d.imm2 = 1;
    d.imm4 = f.q;
    d.fn = tbl;
  }],
];
