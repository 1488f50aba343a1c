// AdvSIMD "permute" (UZP1/UZP2/TRN1/TRN2/ZIP1/ZIP2), "extract" (EXT) and "table lookup" (TBL/TBX
// with 1–4 table registers, numbered modulo 32): Arm ARM C4.1.95 encoding tables, C7.2 pseudocode.
// Fields: d.rd/d.rn/d.rm = 4 × register, d.imm = element size log2 (EXT: byte offset; TBL: table
// length - 1), d.imm2 = part (permutes; TBL: 1 = TBX), d.imm4 = Q.
import type { Row, Decoded } from '../../decode/decoder';
import type { Cpu } from '../../cpu';
import { fpTrap } from '../../fpaccess';
import { T, T8, S, S8, putT } from './simd-misc-util';

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

/** Copy element `src` of S (Rn elements 0..15 at bytes 0.., Rm from byte 16) to element `dst` of T. */
function mv(s: number, dst: number, src: number): void {
  const n = 1 << s;
  const db = dst << s;
  const sb = src << s;
  for (let k = 0; k < n; k++) T8[db + k] = S8[sb + k];
}

const MOP_UZP = 1;
const MOP_TRN = 2;
const MOP_ZIP = 3;

function permute(c: Cpu, d: Decoded): void {
  if (fpTrap(c)) return;
  loadS(c, d.rn, d.rm);
  const s = d.imm;
  const part = d.imm2;
  const q = d.imm4;
  const els = (q ? 16 : 8) >>> s; // elements per operand
  const mBase = 16 >>> s; // index of Rm's element 0 in S
  T[0] = T[1] = T[2] = T[3] = 0;
  switch (d.imm3) {
    case MOP_UZP:
      // result = even (UZP1) or odd (UZP2) elements of Rm:Rn (as a 2×els-element vector)
      for (let i = 0; i < els; i++) {
        const k = 2 * i + part;
        mv(s, i, k < els ? k : mBase + k - els);
      }
      break;
    case MOP_TRN:
      for (let p = 0; p < els / 2; p++) {
        mv(s, 2 * p, 2 * p + part);
        mv(s, 2 * p + 1, mBase + 2 * p + part);
      }
      break;
    default: {
      const base = part * (els / 2);
      for (let p = 0; p < els / 2; p++) {
        mv(s, 2 * p, base + p);
        mv(s, 2 * p + 1, mBase + base + p);
      }
    }
  }
  putT(c, d.rd);
}

function ext(c: Cpu, d: Decoded): void {
  if (fpTrap(c)) return;
  const v8 = c.v8;
  const nb = 4 * d.rn;
  const mb = 4 * d.rm;
  const pos = d.imm;
  if (d.imm4) {
    for (let i = 0; i < 16; i++) {
      const k = pos + i;
      T8[i] = k < 16 ? v8[nb + k] : v8[mb + k - 16];
    }
  } else {
    for (let i = 0; i < 8; i++) {
      const k = pos + i;
      T8[i] = k < 8 ? v8[nb + k] : v8[mb + k - 8];
    }
    T[2] = T[3] = 0;
  }
  putT(c, d.rd);
}

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
  for (let i = 0; i < bytes; i++) {
    const idx = v8[ib + i];
    if (idx < lim) T8[i] = v8[16 * ((n0 + (idx >>> 4)) & 31) + (idx & 15)];
    else T8[i] = tbx ? v8[db + i] : 0;
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
