// Semantics of the A64 "branches, exception generating and system instructions" class, branch part
// (Arm ARM C4.1.87): B, BL, B.cond, CBZ/CBNZ, TBZ/TBNZ, BR, BLR, RET, and the FEAT_PAuth forms
// BRAA/BLRAA/RETAA... (semantics in ../pauth.ts). BC.cond (FEAT_HBC) has no row, so it decodes as
// UNDEFINED (we do not advertise FEAT_HBC). ERET/DRPS live with the system instructions.
import type { Row, Decoded, Fields } from '../decode/decoder';
import { regR, regSP } from '../decode/decoder';
import { execBranchAuth } from '../pauth';
import type { Cpu } from '../cpu';

const TWO32 = 4294967296;
const LR = 60; // slot offset of X30

/** PC = address of this instruction + off (signed byte offset, |off| < 2^28) */
function jump(c: Cpu, off: number): void {
  const s = c.curPcLo + off;
  c.pcLo = s >>> 0;
  c.pcHi = s < 0 ? (c.curPcHi - 1) >>> 0 : s >= TWO32 ? (c.curPcHi + 1) >>> 0 : c.curPcHi;
}

// d.imm = signed byte offset for every PC-relative branch
function b(c: Cpu, d: Decoded): void {
  jump(c, d.imm);
}
function bl(c: Cpu, d: Decoded): void {
  c.x[LR] = c.pcLo; // pc already holds the address of the next instruction
  c.x[LR + 1] = c.pcHi;
  jump(c, d.imm);
}

// B.cond, one function per condition (Arm ARM C1.2.4 condition codes), the same predicates as
// alu.ts condHolds() (used by CSEL/CCMP) unrolled; AL and NV both branch always.
function bEQ(c: Cpu, d: Decoded): void { if (c.z === 1) jump(c, d.imm); }
function bNE(c: Cpu, d: Decoded): void { if (c.z === 0) jump(c, d.imm); }
function bCS(c: Cpu, d: Decoded): void { if (c.cf === 1) jump(c, d.imm); }
function bCC(c: Cpu, d: Decoded): void { if (c.cf === 0) jump(c, d.imm); }
function bMI(c: Cpu, d: Decoded): void { if (c.n === 1) jump(c, d.imm); }
function bPL(c: Cpu, d: Decoded): void { if (c.n === 0) jump(c, d.imm); }
function bVS(c: Cpu, d: Decoded): void { if (c.v === 1) jump(c, d.imm); }
function bVC(c: Cpu, d: Decoded): void { if (c.v === 0) jump(c, d.imm); }
function bHI(c: Cpu, d: Decoded): void { if (c.cf === 1 && c.z === 0) jump(c, d.imm); }
function bLS(c: Cpu, d: Decoded): void { if (!(c.cf === 1 && c.z === 0)) jump(c, d.imm); }
function bGE(c: Cpu, d: Decoded): void { if (c.n === c.v) jump(c, d.imm); }
function bLT(c: Cpu, d: Decoded): void { if (c.n !== c.v) jump(c, d.imm); }
function bGT(c: Cpu, d: Decoded): void { if (c.z === 0 && c.n === c.v) jump(c, d.imm); }
function bLE(c: Cpu, d: Decoded): void { if (!(c.z === 0 && c.n === c.v)) jump(c, d.imm); }
const BCOND = [bEQ, bNE, bCS, bCC, bMI, bPL, bVS, bVC, bHI, bLS, bGE, bLT, bGT, bLE, b, b];

// CBZ/CBNZ: d.rn = Rt slot
function cbz64(c: Cpu, d: Decoded): void { if ((c.x[d.rn] | c.x[d.rn + 1]) === 0) jump(c, d.imm); }
function cbnz64(c: Cpu, d: Decoded): void { if ((c.x[d.rn] | c.x[d.rn + 1]) !== 0) jump(c, d.imm); }
function cbz32(c: Cpu, d: Decoded): void { if (c.x[d.rn] === 0) jump(c, d.imm); }
function cbnz32(c: Cpu, d: Decoded): void { if (c.x[d.rn] !== 0) jump(c, d.imm); }

// TBZ/TBNZ: d.rn = word holding the bit (Rt slot, +1 for bits 32..63), d.imm2 = 1 << (bit & 31)
function tbz(c: Cpu, d: Decoded): void { if ((c.x[d.rn] & d.imm2) === 0) jump(c, d.imm); }
function tbnz(c: Cpu, d: Decoded): void { if ((c.x[d.rn] & d.imm2) !== 0) jump(c, d.imm); }

// BR/RET/BLR: d.rn = Rn slot (31 reads as zero). A misaligned target must reach the fetch path
// (PC alignment fault, Arm ARM D1.10.5), so it ends the run loop's in-page fast path.
function br(c: Cpu, d: Decoded): void {
  const lo = c.x[d.rn];
  c.pcLo = lo;
  c.pcHi = c.x[d.rn + 1];
  if ((lo & 3) !== 0) c.exitLoop = true;
}
function blr(c: Cpu, d: Decoded): void {
  const lo = c.x[d.rn], hi = c.x[d.rn + 1]; // read the target before X30 is written (BLR X30)
  c.x[LR] = c.pcLo;
  c.x[LR + 1] = c.pcHi;
  c.pcLo = lo;
  c.pcHi = hi;
  if ((lo & 3) !== 0) c.exitLoop = true;
}

const sext = (v: number, bits: number) => (v << (32 - bits)) >> (32 - bits);

function cbRow(nz: boolean) {
  return (f: Fields, d: Decoded) => {
    d.rn = regR(f.t);
    d.imm = sext(f.i, 19) * 4;
    d.fn = f.s ? (nz ? cbnz64 : cbz64) : nz ? cbnz32 : cbz32;
  };
}
function tbRow(nz: boolean) {
  return (f: Fields, d: Decoded) => {
    const bit = (f.b << 5) | f.j;
    d.rn = regR(f.t) + (bit >>> 5);
    d.imm2 = (1 << (bit & 31)) >>> 0;
    d.imm = sext(f.i, 14) * 4;
    d.fn = nz ? tbnz : tbz;
  };
}

export const BRANCH_ROWS: Row[] = [
  ['B', '000101iiiiiiiiiiiiiiiiiiiiiiiiii', (f, d) => {
    d.imm = sext(f.i, 26) * 4;
    d.fn = b;
  }],
  ['BL', '100101iiiiiiiiiiiiiiiiiiiiiiiiii', (f, d) => {
    d.imm = sext(f.i, 26) * 4;
    d.fn = bl;
  }],
  ['B_cond', '01010100iiiiiiiiiiiiiiiiiii0cccc', (f, d) => {
    d.imm = sext(f.i, 19) * 4;
    d.imm2 = f.c;
    d.fn = BCOND[f.c];
  }],
  ['CBZ', 's0110100iiiiiiiiiiiiiiiiiiittttt', cbRow(false)],
  ['CBNZ', 's0110101iiiiiiiiiiiiiiiiiiittttt', cbRow(true)],
  ['TBZ', 'b0110110jjjjjiiiiiiiiiiiiiittttt', tbRow(false)],
  ['TBNZ', 'b0110111jjjjjiiiiiiiiiiiiiittttt', tbRow(true)],
  ['BR', '1101011000011111000000nnnnn00000', (f, d) => {
    d.rn = regR(f.n);
    d.fn = br;
  }],
  ['BLR', '1101011000111111000000nnnnn00000', (f, d) => {
    d.rn = regR(f.n);
    d.fn = blr;
  }],
  ['RET', '1101011001011111000000nnnnn00000', (f, d) => {
    d.rn = regR(f.n);
    d.fn = br;
  }],
  // FEAT_PAuth (Arm ARM C6.2): BRAAZ/BRABZ/BLRAAZ/BLRABZ (modifier zero), BRAA/BRAB/BLRAA/BLRAB
  // (modifier Xm|SP), RETAA/RETAB (X30, modifier SP); k = key B, l = link. Semantics in ../pauth.ts
  ['BRA_Z', '1101011000l1111100001knnnnn11111', (f, d) => {
    d.rn = regR(f.n);
    d.rm = regR(31);
    d.imm = f.k;
    d.imm2 = f.l;
    d.fn = execBranchAuth;
  }],
  ['BRA', '1101011100l1111100001knnnnnrrrrr', (f, d) => {
    d.rn = regR(f.n);
    d.rm = regSP(f.r);
    d.imm = f.k;
    d.imm2 = f.l;
    d.fn = execBranchAuth;
  }],
  ['RETA', '110101100101111100001k1111111111', (f, d) => {
    d.rn = LR;
    d.rm = 62; // SP slot
    d.imm = f.k;
    d.imm2 = 0;
    d.fn = execBranchAuth;
  }],
];
