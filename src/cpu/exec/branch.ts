// Semantics of the A64 "branches, exception generating and system instructions" class, branch part
// (Arm ARM C4.1.87): B, BL, B.cond, CBZ/CBNZ, TBZ/TBNZ, BR/BLR/RET (+ pointer-auth forms as NOPs).
import type { Row, Decoded } from '../decode/decoder';
import type { Cpu } from '../cpu';

function b(c: Cpu, d: Decoded): void {
  // target = address of this instruction + offset (d.imm is the signed byte offset)
  const s = c.curPcLo + d.imm;
  const lo = s >>> 0;
  c.pcHi = (c.curPcHi + Math.floor((s - lo) / 4294967296)) >>> 0;
  c.pcLo = lo;
}

export const BRANCH_ROWS: Row[] = [
  ['B', '000101iiiiiiiiiiiiiiiiiiiiiiiiii', (f, d) => {
    d.imm = ((f.i << 6) >> 6) * 4;
    d.fn = b;
  }],
];
