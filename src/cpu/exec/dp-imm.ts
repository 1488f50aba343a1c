// Semantics of the A64 "data processing — immediate" class (Arm ARM C4.1.86): PC-relative
// addressing, add/subtract, logical, move wide, bitfield, extract. Decoder rows + exec functions.
import type { Row, Decoded } from '../decode/decoder';
import { regW, regSP, regR } from '../decode/decoder';
import type { Cpu } from '../cpu';

// ---- move wide
function movz64(c: Cpu, d: Decoded): void {
  c.x[d.rd] = d.imm;
  c.x[d.rd + 1] = d.imm2;
}
function movz32(c: Cpu, d: Decoded): void {
  c.x[d.rd] = d.imm;
  c.x[d.rd + 1] = 0;
}

// ---- add immediate (no flags)
function addImm64(c: Cpu, d: Decoded): void {
  const a = c.x[d.rn];
  const lo = (a + d.imm) >>> 0;
  c.x[d.rd + 1] = (c.x[d.rn + 1] + (lo < a ? 1 : 0)) >>> 0;
  c.x[d.rd] = lo;
}

export const DP_IMM_ROWS: Row[] = [
  ['MOVZ', 's10100101hhiiiiiiiiiiiiiiiiddddd', (f, d) => {
    if (!f.s && f.h > 1) return false;
    d.rd = regW(f.d);
    const sh = f.h * 16;
    d.imm = sh < 32 ? (f.i << sh) >>> 0 : 0;
    d.imm2 = sh >= 32 ? (f.i << (sh - 32)) >>> 0 : 0;
    d.fn = f.s ? movz64 : movz32;
  }],
  ['ADD_imm', '100100010hiiiiiiiiiiiinnnnnddddd', (f, d) => {
    d.rd = regSP(f.d);
    d.rn = regSP(f.n);
    d.imm = f.h ? f.i << 12 : f.i;
    d.fn = addImm64;
  }],
];
void regR;
