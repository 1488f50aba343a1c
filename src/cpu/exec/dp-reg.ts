// Semantics of the A64 "data processing — register" class (Arm ARM C4.1.88): logical (shifted
// register), add/subtract (shifted and extended register), add/subtract with carry, conditional
// compare, conditional select, data processing (1, 2 and 3 source). Decoder rows + exec functions.
// Exec functions are specialised at decode time by width, flags and operation; the common
// "no shift" forms have their own functions, shifted forms compute the operand with a small helper.
import type { Row, Decoded, Fields } from '../decode/decoder';
import { regW, regSP, regR } from '../decode/decoder';
import type { Cpu } from '../cpu';
import {
  adc64Flags, sbc64Flags, adc32Flags, sbc32Flags, condOk, condMask, lsl64, lsr64, asr64, ror64, ror32,
  mul64, umulh64, smulh64, udiv64by32, rbit32, rev32, rev16x2, crcBytes, CRC32_TABLE, CRC32C_TABLE, big, setBig,
} from '../alu';
import { execPacAut, execXpac, execPacga } from '../pauth';

const TWO32 = 4294967296;
type Fn = (c: Cpu, d: Decoded) => void;

// ------------------------------------------------------------------ shifted / extended operands
// Shifted register: d.imm = amount, d.imm2 = shift type (0 LSL, 1 LSR, 2 ASR, 3 ROR),
// d.imm3 = 0 or 0xffffffff (invert the operand: BIC/ORN/EON/BICS).

// One operand helper per shift type, so every shifted-register exec function is specialised by
// shift type at decode time (no switch at run time). 64-bit helpers leave Rm shifted in c.tmp.
function opLsl64(c: Cpu, d: Decoded): void { lsl64(c, c.x[d.rm], c.x[d.rm + 1], d.imm); }
function opLsr64(c: Cpu, d: Decoded): void { lsr64(c, c.x[d.rm], c.x[d.rm + 1], d.imm); }
function opAsr64(c: Cpu, d: Decoded): void { asr64(c, c.x[d.rm], c.x[d.rm + 1], d.imm); }
function opRor64(c: Cpu, d: Decoded): void { ror64(c, c.x[d.rm], c.x[d.rm + 1], d.imm); }
const opLsl32 = (c: Cpu, d: Decoded): number => c.x[d.rm] << d.imm;
const opLsr32 = (c: Cpu, d: Decoded): number => c.x[d.rm] >>> d.imm;
const opAsr32 = (c: Cpu, d: Decoded): number => c.x[d.rm] >> d.imm;
const opRor32 = (c: Cpu, d: Decoded): number => ror32(c.x[d.rm], d.imm);

// Extended register: d.imm = left shift 0..4. One operand helper per extend option (UXTB..SXTX),
// chosen at decode time; the 64-bit helpers leave ExtendReg(Rm, option, shift) in c.tmp.
function extUxtb64(c: Cpu, d: Decoded): void { lsl64(c, c.x[d.rm] & 0xff, 0, d.imm); }
function extUxth64(c: Cpu, d: Decoded): void { lsl64(c, c.x[d.rm] & 0xffff, 0, d.imm); }
function extUxtw64(c: Cpu, d: Decoded): void { lsl64(c, c.x[d.rm], 0, d.imm); }
function extUxtx64(c: Cpu, d: Decoded): void { lsl64(c, c.x[d.rm], c.x[d.rm + 1], d.imm); }
function extSxtb64(c: Cpu, d: Decoded): void { const v = (c.x[d.rm] << 24) >> 24; lsl64(c, v, v >> 31, d.imm); }
function extSxth64(c: Cpu, d: Decoded): void { const v = (c.x[d.rm] << 16) >> 16; lsl64(c, v, v >> 31, d.imm); }
function extSxtw64(c: Cpu, d: Decoded): void { const v = c.x[d.rm] | 0; lsl64(c, v, v >> 31, d.imm); }
const extUxtb32 = (c: Cpu, d: Decoded): number => ((c.x[d.rm] & 0xff) << d.imm) >>> 0;
const extUxth32 = (c: Cpu, d: Decoded): number => ((c.x[d.rm] & 0xffff) << d.imm) >>> 0;
const extW32 = (c: Cpu, d: Decoded): number => (c.x[d.rm] << d.imm) >>> 0;
const extSxtb32 = (c: Cpu, d: Decoded): number => (((c.x[d.rm] << 24) >> 24) << d.imm) >>> 0;
const extSxth32 = (c: Cpu, d: Decoded): number => (((c.x[d.rm] << 16) >> 16) << d.imm) >>> 0;

// ------------------------------------------------------------------ result writers (inlined)

function wAdd64(c: Cpu, rd: number, aLo: number, aHi: number, bLo: number, bHi: number): void {
  const s = aLo + bLo;
  c.x[rd + 1] = aHi + bHi + (s >= TWO32 ? 1 : 0);
  c.x[rd] = s;
}
function wSub64(c: Cpu, rd: number, aLo: number, aHi: number, bLo: number, bHi: number): void {
  const s = aLo - bLo;
  c.x[rd + 1] = aHi - bHi - (s < 0 ? 1 : 0);
  c.x[rd] = s;
}
function wAdds64(c: Cpu, rd: number, aLo: number, aHi: number, bLo: number, bHi: number): void {
  adc64Flags(c, aLo, aHi, bLo, bHi, 0);
  c.x[rd] = c.tmpLo;
  c.x[rd + 1] = c.tmpHi;
}
function wSubs64(c: Cpu, rd: number, aLo: number, aHi: number, bLo: number, bHi: number): void {
  sbc64Flags(c, aLo, aHi, bLo, bHi, 1);
  c.x[rd] = c.tmpLo;
  c.x[rd + 1] = c.tmpHi;
}
function w32(c: Cpu, rd: number, v: number): void {
  c.x[rd] = v;
  c.x[rd + 1] = 0;
}
function logicFlags64(c: Cpu, lo: number, hi: number): void {
  c.n = hi >>> 31;
  c.z = (lo | hi) === 0 ? 1 : 0;
  c.cf = 0;
  c.v = 0;
}
function logicFlags32(c: Cpu, r: number): void {
  c.n = r >>> 31;
  c.z = r === 0 ? 1 : 0;
  c.cf = 0;
  c.v = 0;
}

// ------------------------------------------------------------------ add/sub (shifted register)

function add64(c: Cpu, d: Decoded): void { wAdd64(c, d.rd, c.x[d.rn], c.x[d.rn + 1], c.x[d.rm], c.x[d.rm + 1]); }
function sub64(c: Cpu, d: Decoded): void { wSub64(c, d.rd, c.x[d.rn], c.x[d.rn + 1], c.x[d.rm], c.x[d.rm + 1]); }
function adds64(c: Cpu, d: Decoded): void { wAdds64(c, d.rd, c.x[d.rn], c.x[d.rn + 1], c.x[d.rm], c.x[d.rm + 1]); }
function subs64(c: Cpu, d: Decoded): void { wSubs64(c, d.rd, c.x[d.rn], c.x[d.rn + 1], c.x[d.rm], c.x[d.rm + 1]); }
function add32(c: Cpu, d: Decoded): void { w32(c, d.rd, c.x[d.rn] + c.x[d.rm]); }
function sub32(c: Cpu, d: Decoded): void { w32(c, d.rd, c.x[d.rn] - c.x[d.rm]); }
function adds32(c: Cpu, d: Decoded): void { w32(c, d.rd, adc32Flags(c, c.x[d.rn], c.x[d.rm], 0)); }
function subs32(c: Cpu, d: Decoded): void { w32(c, d.rd, sbc32Flags(c, c.x[d.rn], c.x[d.rm], 1)); }

function addSLsl64(c: Cpu, d: Decoded): void { opLsl64(c, d); wAdd64(c, d.rd, c.x[d.rn], c.x[d.rn + 1], c.tmpLo, c.tmpHi); }
function subSLsl64(c: Cpu, d: Decoded): void { opLsl64(c, d); wSub64(c, d.rd, c.x[d.rn], c.x[d.rn + 1], c.tmpLo, c.tmpHi); }
function addsSLsl64(c: Cpu, d: Decoded): void { opLsl64(c, d); wAdds64(c, d.rd, c.x[d.rn], c.x[d.rn + 1], c.tmpLo, c.tmpHi); }
function subsSLsl64(c: Cpu, d: Decoded): void { opLsl64(c, d); wSubs64(c, d.rd, c.x[d.rn], c.x[d.rn + 1], c.tmpLo, c.tmpHi); }
function addSLsl32(c: Cpu, d: Decoded): void { w32(c, d.rd, c.x[d.rn] + (opLsl32(c, d) >>> 0)); }
function subSLsl32(c: Cpu, d: Decoded): void { w32(c, d.rd, c.x[d.rn] - (opLsl32(c, d) >>> 0)); }
function addsSLsl32(c: Cpu, d: Decoded): void { w32(c, d.rd, adc32Flags(c, c.x[d.rn], opLsl32(c, d) >>> 0, 0)); }
function subsSLsl32(c: Cpu, d: Decoded): void { w32(c, d.rd, sbc32Flags(c, c.x[d.rn], opLsl32(c, d) >>> 0, 1)); }
function addSLsr64(c: Cpu, d: Decoded): void { opLsr64(c, d); wAdd64(c, d.rd, c.x[d.rn], c.x[d.rn + 1], c.tmpLo, c.tmpHi); }
function subSLsr64(c: Cpu, d: Decoded): void { opLsr64(c, d); wSub64(c, d.rd, c.x[d.rn], c.x[d.rn + 1], c.tmpLo, c.tmpHi); }
function addsSLsr64(c: Cpu, d: Decoded): void { opLsr64(c, d); wAdds64(c, d.rd, c.x[d.rn], c.x[d.rn + 1], c.tmpLo, c.tmpHi); }
function subsSLsr64(c: Cpu, d: Decoded): void { opLsr64(c, d); wSubs64(c, d.rd, c.x[d.rn], c.x[d.rn + 1], c.tmpLo, c.tmpHi); }
function addSLsr32(c: Cpu, d: Decoded): void { w32(c, d.rd, c.x[d.rn] + (opLsr32(c, d) >>> 0)); }
function subSLsr32(c: Cpu, d: Decoded): void { w32(c, d.rd, c.x[d.rn] - (opLsr32(c, d) >>> 0)); }
function addsSLsr32(c: Cpu, d: Decoded): void { w32(c, d.rd, adc32Flags(c, c.x[d.rn], opLsr32(c, d) >>> 0, 0)); }
function subsSLsr32(c: Cpu, d: Decoded): void { w32(c, d.rd, sbc32Flags(c, c.x[d.rn], opLsr32(c, d) >>> 0, 1)); }
function addSAsr64(c: Cpu, d: Decoded): void { opAsr64(c, d); wAdd64(c, d.rd, c.x[d.rn], c.x[d.rn + 1], c.tmpLo, c.tmpHi); }
function subSAsr64(c: Cpu, d: Decoded): void { opAsr64(c, d); wSub64(c, d.rd, c.x[d.rn], c.x[d.rn + 1], c.tmpLo, c.tmpHi); }
function addsSAsr64(c: Cpu, d: Decoded): void { opAsr64(c, d); wAdds64(c, d.rd, c.x[d.rn], c.x[d.rn + 1], c.tmpLo, c.tmpHi); }
function subsSAsr64(c: Cpu, d: Decoded): void { opAsr64(c, d); wSubs64(c, d.rd, c.x[d.rn], c.x[d.rn + 1], c.tmpLo, c.tmpHi); }
function addSAsr32(c: Cpu, d: Decoded): void { w32(c, d.rd, c.x[d.rn] + (opAsr32(c, d) >>> 0)); }
function subSAsr32(c: Cpu, d: Decoded): void { w32(c, d.rd, c.x[d.rn] - (opAsr32(c, d) >>> 0)); }
function addsSAsr32(c: Cpu, d: Decoded): void { w32(c, d.rd, adc32Flags(c, c.x[d.rn], opAsr32(c, d) >>> 0, 0)); }
function subsSAsr32(c: Cpu, d: Decoded): void { w32(c, d.rd, sbc32Flags(c, c.x[d.rn], opAsr32(c, d) >>> 0, 1)); }
/** [ADD, ADDS, SUB, SUBS][shift type] */
const ADDSUB_SH64: Fn[][] = [[addSLsl64, addSLsr64, addSAsr64], [addsSLsl64, addsSLsr64, addsSAsr64], [subSLsl64, subSLsr64, subSAsr64], [subsSLsl64, subsSLsr64, subsSAsr64]];
const ADDSUB_SH32: Fn[][] = [[addSLsl32, addSLsr32, addSAsr32], [addsSLsl32, addsSLsr32, addsSAsr32], [subSLsl32, subSLsr32, subSAsr32], [subsSLsl32, subsSLsr32, subsSAsr32]];

// ------------------------------------------------------------------ add/sub (extended register)

function addEUxtb64(c: Cpu, d: Decoded): void { extUxtb64(c, d); wAdd64(c, d.rd, c.x[d.rn], c.x[d.rn + 1], c.tmpLo, c.tmpHi); }
function subEUxtb64(c: Cpu, d: Decoded): void { extUxtb64(c, d); wSub64(c, d.rd, c.x[d.rn], c.x[d.rn + 1], c.tmpLo, c.tmpHi); }
function addsEUxtb64(c: Cpu, d: Decoded): void { extUxtb64(c, d); wAdds64(c, d.rd, c.x[d.rn], c.x[d.rn + 1], c.tmpLo, c.tmpHi); }
function subsEUxtb64(c: Cpu, d: Decoded): void { extUxtb64(c, d); wSubs64(c, d.rd, c.x[d.rn], c.x[d.rn + 1], c.tmpLo, c.tmpHi); }
function addEUxth64(c: Cpu, d: Decoded): void { extUxth64(c, d); wAdd64(c, d.rd, c.x[d.rn], c.x[d.rn + 1], c.tmpLo, c.tmpHi); }
function subEUxth64(c: Cpu, d: Decoded): void { extUxth64(c, d); wSub64(c, d.rd, c.x[d.rn], c.x[d.rn + 1], c.tmpLo, c.tmpHi); }
function addsEUxth64(c: Cpu, d: Decoded): void { extUxth64(c, d); wAdds64(c, d.rd, c.x[d.rn], c.x[d.rn + 1], c.tmpLo, c.tmpHi); }
function subsEUxth64(c: Cpu, d: Decoded): void { extUxth64(c, d); wSubs64(c, d.rd, c.x[d.rn], c.x[d.rn + 1], c.tmpLo, c.tmpHi); }
function addEUxtw64(c: Cpu, d: Decoded): void { extUxtw64(c, d); wAdd64(c, d.rd, c.x[d.rn], c.x[d.rn + 1], c.tmpLo, c.tmpHi); }
function subEUxtw64(c: Cpu, d: Decoded): void { extUxtw64(c, d); wSub64(c, d.rd, c.x[d.rn], c.x[d.rn + 1], c.tmpLo, c.tmpHi); }
function addsEUxtw64(c: Cpu, d: Decoded): void { extUxtw64(c, d); wAdds64(c, d.rd, c.x[d.rn], c.x[d.rn + 1], c.tmpLo, c.tmpHi); }
function subsEUxtw64(c: Cpu, d: Decoded): void { extUxtw64(c, d); wSubs64(c, d.rd, c.x[d.rn], c.x[d.rn + 1], c.tmpLo, c.tmpHi); }
function addEUxtx64(c: Cpu, d: Decoded): void { extUxtx64(c, d); wAdd64(c, d.rd, c.x[d.rn], c.x[d.rn + 1], c.tmpLo, c.tmpHi); }
function subEUxtx64(c: Cpu, d: Decoded): void { extUxtx64(c, d); wSub64(c, d.rd, c.x[d.rn], c.x[d.rn + 1], c.tmpLo, c.tmpHi); }
function addsEUxtx64(c: Cpu, d: Decoded): void { extUxtx64(c, d); wAdds64(c, d.rd, c.x[d.rn], c.x[d.rn + 1], c.tmpLo, c.tmpHi); }
function subsEUxtx64(c: Cpu, d: Decoded): void { extUxtx64(c, d); wSubs64(c, d.rd, c.x[d.rn], c.x[d.rn + 1], c.tmpLo, c.tmpHi); }
function addESxtb64(c: Cpu, d: Decoded): void { extSxtb64(c, d); wAdd64(c, d.rd, c.x[d.rn], c.x[d.rn + 1], c.tmpLo, c.tmpHi); }
function subESxtb64(c: Cpu, d: Decoded): void { extSxtb64(c, d); wSub64(c, d.rd, c.x[d.rn], c.x[d.rn + 1], c.tmpLo, c.tmpHi); }
function addsESxtb64(c: Cpu, d: Decoded): void { extSxtb64(c, d); wAdds64(c, d.rd, c.x[d.rn], c.x[d.rn + 1], c.tmpLo, c.tmpHi); }
function subsESxtb64(c: Cpu, d: Decoded): void { extSxtb64(c, d); wSubs64(c, d.rd, c.x[d.rn], c.x[d.rn + 1], c.tmpLo, c.tmpHi); }
function addESxth64(c: Cpu, d: Decoded): void { extSxth64(c, d); wAdd64(c, d.rd, c.x[d.rn], c.x[d.rn + 1], c.tmpLo, c.tmpHi); }
function subESxth64(c: Cpu, d: Decoded): void { extSxth64(c, d); wSub64(c, d.rd, c.x[d.rn], c.x[d.rn + 1], c.tmpLo, c.tmpHi); }
function addsESxth64(c: Cpu, d: Decoded): void { extSxth64(c, d); wAdds64(c, d.rd, c.x[d.rn], c.x[d.rn + 1], c.tmpLo, c.tmpHi); }
function subsESxth64(c: Cpu, d: Decoded): void { extSxth64(c, d); wSubs64(c, d.rd, c.x[d.rn], c.x[d.rn + 1], c.tmpLo, c.tmpHi); }
function addESxtw64(c: Cpu, d: Decoded): void { extSxtw64(c, d); wAdd64(c, d.rd, c.x[d.rn], c.x[d.rn + 1], c.tmpLo, c.tmpHi); }
function subESxtw64(c: Cpu, d: Decoded): void { extSxtw64(c, d); wSub64(c, d.rd, c.x[d.rn], c.x[d.rn + 1], c.tmpLo, c.tmpHi); }
function addsESxtw64(c: Cpu, d: Decoded): void { extSxtw64(c, d); wAdds64(c, d.rd, c.x[d.rn], c.x[d.rn + 1], c.tmpLo, c.tmpHi); }
function subsESxtw64(c: Cpu, d: Decoded): void { extSxtw64(c, d); wSubs64(c, d.rd, c.x[d.rn], c.x[d.rn + 1], c.tmpLo, c.tmpHi); }
function addEUxtb32(c: Cpu, d: Decoded): void { w32(c, d.rd, c.x[d.rn] + extUxtb32(c, d)); }
function subEUxtb32(c: Cpu, d: Decoded): void { w32(c, d.rd, c.x[d.rn] - extUxtb32(c, d)); }
function addsEUxtb32(c: Cpu, d: Decoded): void { w32(c, d.rd, adc32Flags(c, c.x[d.rn], extUxtb32(c, d), 0)); }
function subsEUxtb32(c: Cpu, d: Decoded): void { w32(c, d.rd, sbc32Flags(c, c.x[d.rn], extUxtb32(c, d), 1)); }
function addEUxth32(c: Cpu, d: Decoded): void { w32(c, d.rd, c.x[d.rn] + extUxth32(c, d)); }
function subEUxth32(c: Cpu, d: Decoded): void { w32(c, d.rd, c.x[d.rn] - extUxth32(c, d)); }
function addsEUxth32(c: Cpu, d: Decoded): void { w32(c, d.rd, adc32Flags(c, c.x[d.rn], extUxth32(c, d), 0)); }
function subsEUxth32(c: Cpu, d: Decoded): void { w32(c, d.rd, sbc32Flags(c, c.x[d.rn], extUxth32(c, d), 1)); }
function addEW32(c: Cpu, d: Decoded): void { w32(c, d.rd, c.x[d.rn] + extW32(c, d)); }
function subEW32(c: Cpu, d: Decoded): void { w32(c, d.rd, c.x[d.rn] - extW32(c, d)); }
function addsEW32(c: Cpu, d: Decoded): void { w32(c, d.rd, adc32Flags(c, c.x[d.rn], extW32(c, d), 0)); }
function subsEW32(c: Cpu, d: Decoded): void { w32(c, d.rd, sbc32Flags(c, c.x[d.rn], extW32(c, d), 1)); }
function addESxtb32(c: Cpu, d: Decoded): void { w32(c, d.rd, c.x[d.rn] + extSxtb32(c, d)); }
function subESxtb32(c: Cpu, d: Decoded): void { w32(c, d.rd, c.x[d.rn] - extSxtb32(c, d)); }
function addsESxtb32(c: Cpu, d: Decoded): void { w32(c, d.rd, adc32Flags(c, c.x[d.rn], extSxtb32(c, d), 0)); }
function subsESxtb32(c: Cpu, d: Decoded): void { w32(c, d.rd, sbc32Flags(c, c.x[d.rn], extSxtb32(c, d), 1)); }
function addESxth32(c: Cpu, d: Decoded): void { w32(c, d.rd, c.x[d.rn] + extSxth32(c, d)); }
function subESxth32(c: Cpu, d: Decoded): void { w32(c, d.rd, c.x[d.rn] - extSxth32(c, d)); }
function addsESxth32(c: Cpu, d: Decoded): void { w32(c, d.rd, adc32Flags(c, c.x[d.rn], extSxth32(c, d), 0)); }
function subsESxth32(c: Cpu, d: Decoded): void { w32(c, d.rd, sbc32Flags(c, c.x[d.rn], extSxth32(c, d), 1)); }
/** [ADD, ADDS, SUB, SUBS][option]; SXTX is UXTX at 64 bits, and every W-sized option is the identity at 32 */
const ADDSUB_EXT64: Fn[][] = [[addEUxtb64, addEUxth64, addEUxtw64, addEUxtx64, addESxtb64, addESxth64, addESxtw64, addEUxtx64], [addsEUxtb64, addsEUxth64, addsEUxtw64, addsEUxtx64, addsESxtb64, addsESxth64, addsESxtw64, addsEUxtx64], [subEUxtb64, subEUxth64, subEUxtw64, subEUxtx64, subESxtb64, subESxth64, subESxtw64, subEUxtx64], [subsEUxtb64, subsEUxth64, subsEUxtw64, subsEUxtx64, subsESxtb64, subsESxth64, subsESxtw64, subsEUxtx64]];
const ADDSUB_EXT32: Fn[][] = [[addEUxtb32, addEUxth32, addEW32, addEW32, addESxtb32, addESxth32, addEW32, addEW32], [addsEUxtb32, addsEUxth32, addsEW32, addsEW32, addsESxtb32, addsESxth32, addsEW32, addsEW32], [subEUxtb32, subEUxth32, subEW32, subEW32, subESxtb32, subESxth32, subEW32, subEW32], [subsEUxtb32, subsEUxth32, subsEW32, subsEW32, subsESxtb32, subsESxth32, subsEW32, subsEW32]];

// ------------------------------------------------------------------ logical (shifted register)

function and64(c: Cpu, d: Decoded): void {
  const hi = c.x[d.rn + 1] & c.x[d.rm + 1];
  c.x[d.rd] = c.x[d.rn] & c.x[d.rm];
  c.x[d.rd + 1] = hi;
}
function orr64(c: Cpu, d: Decoded): void {
  const hi = c.x[d.rn + 1] | c.x[d.rm + 1];
  c.x[d.rd] = c.x[d.rn] | c.x[d.rm];
  c.x[d.rd + 1] = hi;
}
function eor64(c: Cpu, d: Decoded): void {
  const hi = c.x[d.rn + 1] ^ c.x[d.rm + 1];
  c.x[d.rd] = c.x[d.rn] ^ c.x[d.rm];
  c.x[d.rd + 1] = hi;
}
function ands64(c: Cpu, d: Decoded): void {
  const lo = (c.x[d.rn] & c.x[d.rm]) >>> 0;
  const hi = (c.x[d.rn + 1] & c.x[d.rm + 1]) >>> 0;
  c.x[d.rd] = lo;
  c.x[d.rd + 1] = hi;
  logicFlags64(c, lo, hi);
}
function and32(c: Cpu, d: Decoded): void { w32(c, d.rd, c.x[d.rn] & c.x[d.rm]); }
function orr32(c: Cpu, d: Decoded): void { w32(c, d.rd, c.x[d.rn] | c.x[d.rm]); }
function eor32(c: Cpu, d: Decoded): void { w32(c, d.rd, c.x[d.rn] ^ c.x[d.rm]); }
function ands32(c: Cpu, d: Decoded): void {
  const r = (c.x[d.rn] & c.x[d.rm]) >>> 0;
  w32(c, d.rd, r);
  logicFlags32(c, r);
}
function andSLsl64(c: Cpu, d: Decoded): void {
  opLsl64(c, d);
  const hi = c.x[d.rn + 1] & (c.tmpHi ^ d.imm3);
  c.x[d.rd] = c.x[d.rn] & (c.tmpLo ^ d.imm3);
  c.x[d.rd + 1] = hi;
}
function orrSLsl64(c: Cpu, d: Decoded): void {
  opLsl64(c, d);
  const hi = c.x[d.rn + 1] | (c.tmpHi ^ d.imm3);
  c.x[d.rd] = c.x[d.rn] | (c.tmpLo ^ d.imm3);
  c.x[d.rd + 1] = hi;
}
function eorSLsl64(c: Cpu, d: Decoded): void {
  opLsl64(c, d);
  const hi = c.x[d.rn + 1] ^ (c.tmpHi ^ d.imm3);
  c.x[d.rd] = c.x[d.rn] ^ (c.tmpLo ^ d.imm3);
  c.x[d.rd + 1] = hi;
}
function andsSLsl64(c: Cpu, d: Decoded): void {
  opLsl64(c, d);
  const lo = (c.x[d.rn] & (c.tmpLo ^ d.imm3)) >>> 0;
  const hi = (c.x[d.rn + 1] & (c.tmpHi ^ d.imm3)) >>> 0;
  c.x[d.rd] = lo;
  c.x[d.rd + 1] = hi;
  logicFlags64(c, lo, hi);
}
function andSLsl32(c: Cpu, d: Decoded): void { w32(c, d.rd, c.x[d.rn] & (opLsl32(c, d) ^ d.imm3)); }
function orrSLsl32(c: Cpu, d: Decoded): void { w32(c, d.rd, c.x[d.rn] | (opLsl32(c, d) ^ d.imm3)); }
function eorSLsl32(c: Cpu, d: Decoded): void { w32(c, d.rd, c.x[d.rn] ^ (opLsl32(c, d) ^ d.imm3)); }
function andsSLsl32(c: Cpu, d: Decoded): void {
  const r = (c.x[d.rn] & (opLsl32(c, d) ^ d.imm3)) >>> 0;
  w32(c, d.rd, r);
  logicFlags32(c, r);
}
function andSLsr64(c: Cpu, d: Decoded): void {
  opLsr64(c, d);
  const hi = c.x[d.rn + 1] & (c.tmpHi ^ d.imm3);
  c.x[d.rd] = c.x[d.rn] & (c.tmpLo ^ d.imm3);
  c.x[d.rd + 1] = hi;
}
function orrSLsr64(c: Cpu, d: Decoded): void {
  opLsr64(c, d);
  const hi = c.x[d.rn + 1] | (c.tmpHi ^ d.imm3);
  c.x[d.rd] = c.x[d.rn] | (c.tmpLo ^ d.imm3);
  c.x[d.rd + 1] = hi;
}
function eorSLsr64(c: Cpu, d: Decoded): void {
  opLsr64(c, d);
  const hi = c.x[d.rn + 1] ^ (c.tmpHi ^ d.imm3);
  c.x[d.rd] = c.x[d.rn] ^ (c.tmpLo ^ d.imm3);
  c.x[d.rd + 1] = hi;
}
function andsSLsr64(c: Cpu, d: Decoded): void {
  opLsr64(c, d);
  const lo = (c.x[d.rn] & (c.tmpLo ^ d.imm3)) >>> 0;
  const hi = (c.x[d.rn + 1] & (c.tmpHi ^ d.imm3)) >>> 0;
  c.x[d.rd] = lo;
  c.x[d.rd + 1] = hi;
  logicFlags64(c, lo, hi);
}
function andSLsr32(c: Cpu, d: Decoded): void { w32(c, d.rd, c.x[d.rn] & (opLsr32(c, d) ^ d.imm3)); }
function orrSLsr32(c: Cpu, d: Decoded): void { w32(c, d.rd, c.x[d.rn] | (opLsr32(c, d) ^ d.imm3)); }
function eorSLsr32(c: Cpu, d: Decoded): void { w32(c, d.rd, c.x[d.rn] ^ (opLsr32(c, d) ^ d.imm3)); }
function andsSLsr32(c: Cpu, d: Decoded): void {
  const r = (c.x[d.rn] & (opLsr32(c, d) ^ d.imm3)) >>> 0;
  w32(c, d.rd, r);
  logicFlags32(c, r);
}
function andSAsr64(c: Cpu, d: Decoded): void {
  opAsr64(c, d);
  const hi = c.x[d.rn + 1] & (c.tmpHi ^ d.imm3);
  c.x[d.rd] = c.x[d.rn] & (c.tmpLo ^ d.imm3);
  c.x[d.rd + 1] = hi;
}
function orrSAsr64(c: Cpu, d: Decoded): void {
  opAsr64(c, d);
  const hi = c.x[d.rn + 1] | (c.tmpHi ^ d.imm3);
  c.x[d.rd] = c.x[d.rn] | (c.tmpLo ^ d.imm3);
  c.x[d.rd + 1] = hi;
}
function eorSAsr64(c: Cpu, d: Decoded): void {
  opAsr64(c, d);
  const hi = c.x[d.rn + 1] ^ (c.tmpHi ^ d.imm3);
  c.x[d.rd] = c.x[d.rn] ^ (c.tmpLo ^ d.imm3);
  c.x[d.rd + 1] = hi;
}
function andsSAsr64(c: Cpu, d: Decoded): void {
  opAsr64(c, d);
  const lo = (c.x[d.rn] & (c.tmpLo ^ d.imm3)) >>> 0;
  const hi = (c.x[d.rn + 1] & (c.tmpHi ^ d.imm3)) >>> 0;
  c.x[d.rd] = lo;
  c.x[d.rd + 1] = hi;
  logicFlags64(c, lo, hi);
}
function andSAsr32(c: Cpu, d: Decoded): void { w32(c, d.rd, c.x[d.rn] & (opAsr32(c, d) ^ d.imm3)); }
function orrSAsr32(c: Cpu, d: Decoded): void { w32(c, d.rd, c.x[d.rn] | (opAsr32(c, d) ^ d.imm3)); }
function eorSAsr32(c: Cpu, d: Decoded): void { w32(c, d.rd, c.x[d.rn] ^ (opAsr32(c, d) ^ d.imm3)); }
function andsSAsr32(c: Cpu, d: Decoded): void {
  const r = (c.x[d.rn] & (opAsr32(c, d) ^ d.imm3)) >>> 0;
  w32(c, d.rd, r);
  logicFlags32(c, r);
}
function andSRor64(c: Cpu, d: Decoded): void {
  opRor64(c, d);
  const hi = c.x[d.rn + 1] & (c.tmpHi ^ d.imm3);
  c.x[d.rd] = c.x[d.rn] & (c.tmpLo ^ d.imm3);
  c.x[d.rd + 1] = hi;
}
function orrSRor64(c: Cpu, d: Decoded): void {
  opRor64(c, d);
  const hi = c.x[d.rn + 1] | (c.tmpHi ^ d.imm3);
  c.x[d.rd] = c.x[d.rn] | (c.tmpLo ^ d.imm3);
  c.x[d.rd + 1] = hi;
}
function eorSRor64(c: Cpu, d: Decoded): void {
  opRor64(c, d);
  const hi = c.x[d.rn + 1] ^ (c.tmpHi ^ d.imm3);
  c.x[d.rd] = c.x[d.rn] ^ (c.tmpLo ^ d.imm3);
  c.x[d.rd + 1] = hi;
}
function andsSRor64(c: Cpu, d: Decoded): void {
  opRor64(c, d);
  const lo = (c.x[d.rn] & (c.tmpLo ^ d.imm3)) >>> 0;
  const hi = (c.x[d.rn + 1] & (c.tmpHi ^ d.imm3)) >>> 0;
  c.x[d.rd] = lo;
  c.x[d.rd + 1] = hi;
  logicFlags64(c, lo, hi);
}
function andSRor32(c: Cpu, d: Decoded): void { w32(c, d.rd, c.x[d.rn] & (opRor32(c, d) ^ d.imm3)); }
function orrSRor32(c: Cpu, d: Decoded): void { w32(c, d.rd, c.x[d.rn] | (opRor32(c, d) ^ d.imm3)); }
function eorSRor32(c: Cpu, d: Decoded): void { w32(c, d.rd, c.x[d.rn] ^ (opRor32(c, d) ^ d.imm3)); }
function andsSRor32(c: Cpu, d: Decoded): void {
  const r = (c.x[d.rn] & (opRor32(c, d) ^ d.imm3)) >>> 0;
  w32(c, d.rd, r);
  logicFlags32(c, r);
}
/** [AND, ORR, EOR, ANDS][shift type]; d.imm3 = 0 or 0xffffffff inverts the operand (BIC/ORN/EON/BICS) */
const LOGIC_SH64: Fn[][] = [[andSLsl64, andSLsr64, andSAsr64, andSRor64], [orrSLsl64, orrSLsr64, orrSAsr64, orrSRor64], [eorSLsl64, eorSLsr64, eorSAsr64, eorSRor64], [andsSLsl64, andsSLsr64, andsSAsr64, andsSRor64]];
const LOGIC_SH32: Fn[][] = [[andSLsl32, andSLsr32, andSAsr32, andSRor32], [orrSLsl32, orrSLsr32, orrSAsr32, orrSRor32], [eorSLsl32, eorSLsr32, eorSAsr32, eorSRor32], [andsSLsl32, andsSLsr32, andsSAsr32, andsSRor32]];

// ------------------------------------------------------------------ FlagM (FEAT_FlagM)

/** RMIF: rotate Xn right by imm6 and insert the selected low 4 bits into N, Z, C, V. */
function rmif(c: Cpu, d: Decoded): void {
  const r = d.imm;
  const lo = c.x[d.rn];
  const hi = c.x[d.rn + 1];
  // bits [r+3 : r] of Xn (mod 64), i.e. the low nibble of ROR(Xn, r)
  let nib = 0;
  for (let k = 0; k < 4; k++) {
    const b = (r + k) & 63;
    nib |= ((b < 32 ? lo >>> b : hi >>> (b - 32)) & 1) << k;
  }
  const m = d.imm2;
  if (m & 8) c.n = (nib >>> 3) & 1;
  if (m & 4) c.z = (nib >>> 2) & 1;
  if (m & 2) c.cf = (nib >>> 1) & 1;
  if (m & 1) c.v = nib & 1;
}

/** SETF8/SETF16: N = top bit, Z = low 8/16 bits zero, V = bit(top+1) XOR bit(top); C unchanged. */
function setf(c: Cpu, d: Decoded): void {
  const w = c.x[d.rn];
  const top = d.imm;
  c.n = (w >>> top) & 1;
  c.z = (w & ((1 << (top + 1)) - 1)) === 0 ? 1 : 0;
  c.v = ((w >>> (top + 1)) ^ (w >>> top)) & 1;
}

// ------------------------------------------------------------------ add/sub with carry (C6.2.1/2, 234/235)

function adc64(c: Cpu, d: Decoded): void {
  const s = c.x[d.rn] + c.x[d.rm] + c.cf;
  c.x[d.rd + 1] = c.x[d.rn + 1] + c.x[d.rm + 1] + (s >= TWO32 ? 1 : 0);
  c.x[d.rd] = s;
}
function sbc64(c: Cpu, d: Decoded): void {
  const s = c.x[d.rn] - c.x[d.rm] - 1 + c.cf;
  c.x[d.rd + 1] = c.x[d.rn + 1] - c.x[d.rm + 1] - (s < 0 ? 1 : 0);
  c.x[d.rd] = s;
}
function adcs64(c: Cpu, d: Decoded): void {
  adc64Flags(c, c.x[d.rn], c.x[d.rn + 1], c.x[d.rm], c.x[d.rm + 1], c.cf);
  c.x[d.rd] = c.tmpLo;
  c.x[d.rd + 1] = c.tmpHi;
}
function sbcs64(c: Cpu, d: Decoded): void {
  sbc64Flags(c, c.x[d.rn], c.x[d.rn + 1], c.x[d.rm], c.x[d.rm + 1], c.cf);
  c.x[d.rd] = c.tmpLo;
  c.x[d.rd + 1] = c.tmpHi;
}
function adc32(c: Cpu, d: Decoded): void { w32(c, d.rd, c.x[d.rn] + c.x[d.rm] + c.cf); }
function sbc32(c: Cpu, d: Decoded): void { w32(c, d.rd, c.x[d.rn] - c.x[d.rm] - 1 + c.cf); }
function adcs32(c: Cpu, d: Decoded): void { w32(c, d.rd, adc32Flags(c, c.x[d.rn], c.x[d.rm], c.cf)); }
function sbcs32(c: Cpu, d: Decoded): void { w32(c, d.rd, sbc32Flags(c, c.x[d.rn], c.x[d.rm], c.cf)); }

// ------------------------------------------------------------------ conditional compare (C6.2.50-53)
// d.imm2 = condMask(cond), d.imm3 = nzcv when the condition fails, d.imm = imm5 for the immediate forms

function setNzcv(c: Cpu, f: number): void {
  c.n = (f >>> 3) & 1;
  c.z = (f >>> 2) & 1;
  c.cf = (f >>> 1) & 1;
  c.v = f & 1;
}
function ccmpReg64(c: Cpu, d: Decoded): void {
  if (condOk(c, d.imm2)) sbc64Flags(c, c.x[d.rn], c.x[d.rn + 1], c.x[d.rm], c.x[d.rm + 1], 1);
  else setNzcv(c, d.imm3);
}
function ccmnReg64(c: Cpu, d: Decoded): void {
  if (condOk(c, d.imm2)) adc64Flags(c, c.x[d.rn], c.x[d.rn + 1], c.x[d.rm], c.x[d.rm + 1], 0);
  else setNzcv(c, d.imm3);
}
function ccmpImm64(c: Cpu, d: Decoded): void {
  if (condOk(c, d.imm2)) sbc64Flags(c, c.x[d.rn], c.x[d.rn + 1], d.imm, 0, 1);
  else setNzcv(c, d.imm3);
}
function ccmnImm64(c: Cpu, d: Decoded): void {
  if (condOk(c, d.imm2)) adc64Flags(c, c.x[d.rn], c.x[d.rn + 1], d.imm, 0, 0);
  else setNzcv(c, d.imm3);
}
function ccmpReg32(c: Cpu, d: Decoded): void {
  if (condOk(c, d.imm2)) sbc32Flags(c, c.x[d.rn], c.x[d.rm], 1);
  else setNzcv(c, d.imm3);
}
function ccmnReg32(c: Cpu, d: Decoded): void {
  if (condOk(c, d.imm2)) adc32Flags(c, c.x[d.rn], c.x[d.rm], 0);
  else setNzcv(c, d.imm3);
}
function ccmpImm32(c: Cpu, d: Decoded): void {
  if (condOk(c, d.imm2)) sbc32Flags(c, c.x[d.rn], d.imm, 1);
  else setNzcv(c, d.imm3);
}
function ccmnImm32(c: Cpu, d: Decoded): void {
  if (condOk(c, d.imm2)) adc32Flags(c, c.x[d.rn], d.imm, 0);
  else setNzcv(c, d.imm3);
}

// ------------------------------------------------------------------ conditional select (C6.2.69 ...)
// d.imm2 = condMask(cond)

function csel64(c: Cpu, d: Decoded): void {
  const s = condOk(c, d.imm2) ? d.rn : d.rm;
  c.x[d.rd] = c.x[s];
  c.x[d.rd + 1] = c.x[s + 1];
}
function csinc64(c: Cpu, d: Decoded): void {
  if (condOk(c, d.imm2)) {
    c.x[d.rd] = c.x[d.rn];
    c.x[d.rd + 1] = c.x[d.rn + 1];
  } else {
    const lo = c.x[d.rm] + 1;
    c.x[d.rd + 1] = c.x[d.rm + 1] + (lo >= TWO32 ? 1 : 0);
    c.x[d.rd] = lo;
  }
}
function csinv64(c: Cpu, d: Decoded): void {
  if (condOk(c, d.imm2)) {
    c.x[d.rd] = c.x[d.rn];
    c.x[d.rd + 1] = c.x[d.rn + 1];
  } else {
    const hi = ~c.x[d.rm + 1];
    c.x[d.rd] = ~c.x[d.rm];
    c.x[d.rd + 1] = hi;
  }
}
function csneg64(c: Cpu, d: Decoded): void {
  if (condOk(c, d.imm2)) {
    c.x[d.rd] = c.x[d.rn];
    c.x[d.rd + 1] = c.x[d.rn + 1];
  } else {
    const lo = c.x[d.rm];
    const hi = c.x[d.rm + 1];
    c.x[d.rd] = -lo;
    c.x[d.rd + 1] = -hi - (lo !== 0 ? 1 : 0);
  }
}
function csel32(c: Cpu, d: Decoded): void { w32(c, d.rd, condOk(c, d.imm2) ? c.x[d.rn] : c.x[d.rm]); }
function csinc32(c: Cpu, d: Decoded): void { w32(c, d.rd, condOk(c, d.imm2) ? c.x[d.rn] : c.x[d.rm] + 1); }
function csinv32(c: Cpu, d: Decoded): void { w32(c, d.rd, condOk(c, d.imm2) ? c.x[d.rn] : ~c.x[d.rm]); }
function csneg32(c: Cpu, d: Decoded): void { w32(c, d.rd, condOk(c, d.imm2) ? c.x[d.rn] : -c.x[d.rm]); }

// ------------------------------------------------------------------ data processing (3 source)

function madd64(c: Cpu, d: Decoded): void {
  mul64(c, c.x[d.rn], c.x[d.rn + 1], c.x[d.rm], c.x[d.rm + 1]);
  wAdd64(c, d.rd, c.x[d.ra], c.x[d.ra + 1], c.tmpLo, c.tmpHi);
}
function msub64(c: Cpu, d: Decoded): void {
  mul64(c, c.x[d.rn], c.x[d.rn + 1], c.x[d.rm], c.x[d.rm + 1]);
  wSub64(c, d.rd, c.x[d.ra], c.x[d.ra + 1], c.tmpLo, c.tmpHi);
}
function madd32(c: Cpu, d: Decoded): void { w32(c, d.rd, c.x[d.ra] + Math.imul(c.x[d.rn], c.x[d.rm])); }
function msub32(c: Cpu, d: Decoded): void { w32(c, d.rd, c.x[d.ra] - Math.imul(c.x[d.rn], c.x[d.rm])); }
function smaddl(c: Cpu, d: Decoded): void {
  const a = c.x[d.rn], b = c.x[d.rm];
  mul64(c, a, (a | 0) >> 31, b, (b | 0) >> 31);
  wAdd64(c, d.rd, c.x[d.ra], c.x[d.ra + 1], c.tmpLo, c.tmpHi);
}
function smsubl(c: Cpu, d: Decoded): void {
  const a = c.x[d.rn], b = c.x[d.rm];
  mul64(c, a, (a | 0) >> 31, b, (b | 0) >> 31);
  wSub64(c, d.rd, c.x[d.ra], c.x[d.ra + 1], c.tmpLo, c.tmpHi);
}
function umaddl(c: Cpu, d: Decoded): void {
  mul64(c, c.x[d.rn], 0, c.x[d.rm], 0);
  wAdd64(c, d.rd, c.x[d.ra], c.x[d.ra + 1], c.tmpLo, c.tmpHi);
}
function umsubl(c: Cpu, d: Decoded): void {
  mul64(c, c.x[d.rn], 0, c.x[d.rm], 0);
  wSub64(c, d.rd, c.x[d.ra], c.x[d.ra + 1], c.tmpLo, c.tmpHi);
}
function smulh(c: Cpu, d: Decoded): void {
  smulh64(c, c.x[d.rn], c.x[d.rn + 1], c.x[d.rm], c.x[d.rm + 1]);
  c.x[d.rd] = c.tmpLo;
  c.x[d.rd + 1] = c.tmpHi;
}
function umulh(c: Cpu, d: Decoded): void {
  umulh64(c, c.x[d.rn], c.x[d.rn + 1], c.x[d.rm], c.x[d.rm + 1]);
  c.x[d.rd] = c.tmpLo;
  c.x[d.rd + 1] = c.tmpHi;
}

// ------------------------------------------------------------------ data processing (2 source)

function udiv32(c: Cpu, d: Decoded): void {
  const b = c.x[d.rm];
  w32(c, d.rd, b === 0 ? 0 : Math.floor(c.x[d.rn] / b));
}
function sdiv32(c: Cpu, d: Decoded): void {
  const b = c.x[d.rm] | 0;
  // INT32_MIN / -1 = 2^31, which wraps to INT32_MIN (Arm ARM: result truncated to datasize)
  w32(c, d.rd, b === 0 ? 0 : Math.trunc((c.x[d.rn] | 0) / b) >>> 0);
}
function udiv64(c: Cpu, d: Decoded): void {
  const aLo = c.x[d.rn], aHi = c.x[d.rn + 1], bLo = c.x[d.rm], bHi = c.x[d.rm + 1];
  if (bHi === 0) {
    if (bLo === 0) {
      c.x[d.rd] = 0; // division by zero gives 0 (Arm ARM C6.2.388 UDIV)
      c.x[d.rd + 1] = 0;
      return;
    }
    udiv64by32(c, aLo, aHi, bLo);
    c.x[d.rd] = c.tmpLo;
    c.x[d.rd + 1] = c.tmpHi;
  } else {
    setBig(c, d.rd, big(c, d.rn) / big(c, d.rm)); // rare: divisor >= 2^32
  }
}
function sdiv64(c: Cpu, d: Decoded): void {
  let aLo = c.x[d.rn], aHi = c.x[d.rn + 1], bLo = c.x[d.rm], bHi = c.x[d.rm + 1];
  if ((bLo | bHi) === 0) {
    c.x[d.rd] = 0;
    c.x[d.rd + 1] = 0;
    return;
  }
  const neg = (aHi ^ bHi) >>> 31;
  // magnitudes as unsigned halves (INT64_MIN stays 2^63, which is right as an unsigned value)
  if (aHi >>> 31) { aLo = -aLo >>> 0; aHi = (~aHi + (aLo === 0 ? 1 : 0)) >>> 0; }
  if (bHi >>> 31) { bLo = -bLo >>> 0; bHi = (~bHi + (bLo === 0 ? 1 : 0)) >>> 0; }
  let qLo: number, qHi: number;
  if (bHi === 0) {
    udiv64by32(c, aLo, aHi, bLo);
    qLo = c.tmpLo;
    qHi = c.tmpHi;
  } else {
    const q = ((BigInt(aHi) << 32n) | BigInt(aLo)) / ((BigInt(bHi) << 32n) | BigInt(bLo)); // rare
    qLo = Number(q & 0xffffffffn);
    qHi = Number(q >> 32n);
  }
  if (neg) {
    // two's complement negate (INT64_MIN / -1 has neg = 0: 2^63 read as a bit pattern is INT64_MIN,
    // the architected wrap)
    qLo = -qLo >>> 0;
    qHi = (~qHi + (qLo === 0 ? 1 : 0)) >>> 0;
  }
  c.x[d.rd] = qLo;
  c.x[d.rd + 1] = qHi;
}
function lslv64(c: Cpu, d: Decoded): void {
  lsl64(c, c.x[d.rn], c.x[d.rn + 1], c.x[d.rm] & 63);
  c.x[d.rd] = c.tmpLo;
  c.x[d.rd + 1] = c.tmpHi;
}
function lsrv64(c: Cpu, d: Decoded): void {
  lsr64(c, c.x[d.rn], c.x[d.rn + 1], c.x[d.rm] & 63);
  c.x[d.rd] = c.tmpLo;
  c.x[d.rd + 1] = c.tmpHi;
}
function asrv64(c: Cpu, d: Decoded): void {
  asr64(c, c.x[d.rn], c.x[d.rn + 1], c.x[d.rm] & 63);
  c.x[d.rd] = c.tmpLo;
  c.x[d.rd + 1] = c.tmpHi;
}
function rorv64(c: Cpu, d: Decoded): void {
  ror64(c, c.x[d.rn], c.x[d.rn + 1], c.x[d.rm] & 63);
  c.x[d.rd] = c.tmpLo;
  c.x[d.rd + 1] = c.tmpHi;
}
function lslv32(c: Cpu, d: Decoded): void { w32(c, d.rd, c.x[d.rn] << (c.x[d.rm] & 31)); }
function lsrv32(c: Cpu, d: Decoded): void { w32(c, d.rd, c.x[d.rn] >>> (c.x[d.rm] & 31)); }
function asrv32(c: Cpu, d: Decoded): void { w32(c, d.rd, c.x[d.rn] >> (c.x[d.rm] & 31)); }
function rorv32(c: Cpu, d: Decoded): void { w32(c, d.rd, ror32(c.x[d.rn], c.x[d.rm] & 31)); }

// CRC32*: d.imm = number of bytes of Rm consumed (1, 2, 4, 8)
function crc32(c: Cpu, d: Decoded): void {
  w32(c, d.rd, crcBytes(CRC32_TABLE, c.x[d.rn], c.x[d.rm], d.imm));
}
function crc32c(c: Cpu, d: Decoded): void {
  w32(c, d.rd, crcBytes(CRC32C_TABLE, c.x[d.rn], c.x[d.rm], d.imm));
}
function crc32x(c: Cpu, d: Decoded): void {
  const a = crcBytes(CRC32_TABLE, c.x[d.rn], c.x[d.rm], 4);
  w32(c, d.rd, crcBytes(CRC32_TABLE, a, c.x[d.rm + 1], 4));
}
function crc32cx(c: Cpu, d: Decoded): void {
  const a = crcBytes(CRC32C_TABLE, c.x[d.rn], c.x[d.rm], 4);
  w32(c, d.rd, crcBytes(CRC32C_TABLE, a, c.x[d.rm + 1], 4));
}

// ------------------------------------------------------------------ data processing (1 source)

function rbit64(c: Cpu, d: Decoded): void {
  const lo = c.x[d.rn], hi = c.x[d.rn + 1];
  c.x[d.rd] = rbit32(hi);
  c.x[d.rd + 1] = rbit32(lo);
}
function rbit32f(c: Cpu, d: Decoded): void { w32(c, d.rd, rbit32(c.x[d.rn])); }
function rev16_64(c: Cpu, d: Decoded): void {
  const lo = c.x[d.rn], hi = c.x[d.rn + 1];
  c.x[d.rd] = rev16x2(lo);
  c.x[d.rd + 1] = rev16x2(hi);
}
function rev16_32(c: Cpu, d: Decoded): void { w32(c, d.rd, rev16x2(c.x[d.rn])); }
function rev32_64(c: Cpu, d: Decoded): void {
  const lo = c.x[d.rn], hi = c.x[d.rn + 1];
  c.x[d.rd] = rev32(lo);
  c.x[d.rd + 1] = rev32(hi);
}
function rev_32(c: Cpu, d: Decoded): void { w32(c, d.rd, rev32(c.x[d.rn])); }
function rev_64(c: Cpu, d: Decoded): void {
  const lo = c.x[d.rn], hi = c.x[d.rn + 1];
  c.x[d.rd] = rev32(hi);
  c.x[d.rd + 1] = rev32(lo);
}
function clz64(c: Cpu, d: Decoded): void {
  const lo = c.x[d.rn], hi = c.x[d.rn + 1];
  c.x[d.rd] = hi !== 0 ? Math.clz32(hi) : 32 + Math.clz32(lo);
  c.x[d.rd + 1] = 0;
}
function clz32f(c: Cpu, d: Decoded): void { w32(c, d.rd, Math.clz32(c.x[d.rn])); }
function cls64(c: Cpu, d: Decoded): void {
  // CLS = CountLeadingZeroBits(x<63:1> EOR x<62:0>)
  const lo = c.x[d.rn], hi = c.x[d.rn + 1];
  const yHi = hi ^ ((hi << 1) | (lo >>> 31));
  const yLo = lo ^ (lo << 1);
  c.x[d.rd] = yHi !== 0 ? Math.clz32(yHi) : 32 + Math.clz32(yLo | 1);
  c.x[d.rd + 1] = 0;
}
function cls32(c: Cpu, d: Decoded): void {
  const x = c.x[d.rn];
  w32(c, d.rd, Math.clz32((x ^ (x << 1)) | 1));
}

// ------------------------------------------------------------------ decode


/** add/sub shifted register; k: 0 ADD, 1 ADDS, 2 SUB, 3 SUBS */
function addSubShifted(k: number) {
  const plain64: Fn[] = [add64, adds64, sub64, subs64];
  const plain32: Fn[] = [add32, adds32, sub32, subs32];
  return (f: Fields, d: Decoded) => {
    if (f.t === 3) return false; // shift = 11 reserved
    if (!f.s && f.i >= 32) return false;
    d.rd = regW(f.d);
    d.rn = regR(f.n);
    d.rm = regR(f.m);
    d.imm = f.i;
    d.imm2 = f.t;
    d.imm3 = 0;
    d.fn = f.i === 0 ? (f.s ? plain64 : plain32)[k] : (f.s ? ADDSUB_SH64 : ADDSUB_SH32)[k][f.t];
  };
}

/** add/sub extended register; k: 0 ADD, 1 ADDS, 2 SUB, 3 SUBS */
function addSubExtended(k: number) {
  return (f: Fields, d: Decoded) => {
    if (f.i > 4) return false;
    d.rd = k & 1 ? regW(f.d) : regSP(f.d);
    d.rn = regSP(f.n);
    d.rm = regR(f.m);
    d.imm = f.i;
    d.imm2 = f.o;
    d.fn = (f.s ? ADDSUB_EXT64 : ADDSUB_EXT32)[k][f.o];
  };
}

/** logical shifted register; op: 0 AND, 1 ORR, 2 EOR, 3 ANDS; inv = N bit (BIC/ORN/EON/BICS) */
function logicalShifted(op: number, inv: number) {
  const plain64: Fn[] = [and64, orr64, eor64, ands64];
  const plain32: Fn[] = [and32, orr32, eor32, ands32];
  return (f: Fields, d: Decoded) => {
    if (!f.s && f.i >= 32) return false;
    d.rd = regW(f.d);
    d.rn = regR(f.n);
    d.rm = regR(f.m);
    d.imm = f.i;
    d.imm2 = f.t;
    d.imm3 = inv ? 0xffffffff : 0;
    d.fn = f.i === 0 && !inv ? (f.s ? plain64 : plain32)[op] : (f.s ? LOGIC_SH64 : LOGIC_SH32)[op][f.t];
  };
}

/** rows whose sf bit is a field pick fn64/fn32 by it; rows with a fixed sf pass the same fn twice */
function simple(fn64: Fn, fn32: Fn, extra?: (f: Fields, d: Decoded) => void) {
  return (f: Fields, d: Decoded) => {
    const fn = f.s === 0 ? fn32 : fn64;
    d.rd = regW(f.d);
    d.rn = regR(f.n);
    if (f.m !== undefined) d.rm = regR(f.m);
    if (f.a !== undefined) d.ra = regR(f.a);
    if (extra) extra(f, d);
    d.fn = fn;
  };
}

function condCompare(fn64: Fn, fn32: Fn, imm: boolean) {
  return (f: Fields, d: Decoded) => {
    d.rn = regR(f.n);
    if (imm) d.imm = f.i;
    else d.rm = regR(f.m);
    d.imm2 = condMask(f.c);
    d.imm3 = f.v;
    d.fn = f.s ? fn64 : fn32;
  };
}

function crcRow(fn: Fn, bytes: number) {
  return (f: Fields, d: Decoded) => {
    d.rd = regW(f.d);
    d.rn = regR(f.n);
    d.rm = regR(f.m);
    d.imm = bytes;
    d.fn = fn;
  };
}

const condSel = (fn64: Fn, fn32: Fn) => simple(fn64, fn32, (f, d) => { d.imm2 = condMask(f.c); });

export const DP_REG_ROWS: Row[] = [
  // logical (shifted register): sf opc 01010 shift N Rm imm6 Rn Rd
  ['AND_sr', 's0001010tt0mmmmmiiiiiinnnnnddddd', logicalShifted(0, 0)],
  ['BIC_sr', 's0001010tt1mmmmmiiiiiinnnnnddddd', logicalShifted(0, 1)],
  ['ORR_sr', 's0101010tt0mmmmmiiiiiinnnnnddddd', logicalShifted(1, 0)],
  ['ORN_sr', 's0101010tt1mmmmmiiiiiinnnnnddddd', logicalShifted(1, 1)],
  ['EOR_sr', 's1001010tt0mmmmmiiiiiinnnnnddddd', logicalShifted(2, 0)],
  ['EON_sr', 's1001010tt1mmmmmiiiiiinnnnnddddd', logicalShifted(2, 1)],
  ['ANDS_sr', 's1101010tt0mmmmmiiiiiinnnnnddddd', logicalShifted(3, 0)],
  ['BICS_sr', 's1101010tt1mmmmmiiiiiinnnnnddddd', logicalShifted(3, 1)],
  // add/subtract (shifted register): sf op S 01011 shift 0 Rm imm6 Rn Rd
  ['ADD_sr', 's0001011tt0mmmmmiiiiiinnnnnddddd', addSubShifted(0)],
  ['ADDS_sr', 's0101011tt0mmmmmiiiiiinnnnnddddd', addSubShifted(1)],
  ['SUB_sr', 's1001011tt0mmmmmiiiiiinnnnnddddd', addSubShifted(2)],
  ['SUBS_sr', 's1101011tt0mmmmmiiiiiinnnnnddddd', addSubShifted(3)],
  // add/subtract (extended register): sf op S 01011 00 1 Rm option imm3 Rn Rd
  ['ADD_er', 's0001011001mmmmmoooiiinnnnnddddd', addSubExtended(0)],
  ['ADDS_er', 's0101011001mmmmmoooiiinnnnnddddd', addSubExtended(1)],
  ['SUB_er', 's1001011001mmmmmoooiiinnnnnddddd', addSubExtended(2)],
  ['SUBS_er', 's1101011001mmmmmoooiiinnnnnddddd', addSubExtended(3)],
  // add/subtract with carry: sf op S 11010000 Rm 000000 Rn Rd
  ['ADC', 's0011010000mmmmm000000nnnnnddddd', simple(adc64, adc32)],
  ['ADCS', 's0111010000mmmmm000000nnnnnddddd', simple(adcs64, adcs32)],
  ['SBC', 's1011010000mmmmm000000nnnnnddddd', simple(sbc64, sbc32)],
  ['SBCS', 's1111010000mmmmm000000nnnnnddddd', simple(sbcs64, sbcs32)],
  // FEAT_FlagM (C6.2.251 RMIF, C6.2.280 SETF8/SETF16): flag manipulation from a register
  ['RMIF', '10111010000iiiiii00001nnnnn0kkkk', (f, d) => {
    d.rn = regR(f.n);
    d.imm = f.i;
    d.imm2 = f.k;
    d.fn = rmif;
  }],
  ['SETF', '00111010000000000z0010nnnnn01101', (f, d) => {
    d.rn = regR(f.n);
    d.imm = f.z ? 15 : 7; // sign bit of the 16- or 8-bit value
    d.fn = setf;
  }],
  // conditional compare: sf op 1 11010010 Rm|imm5 cond 0|1 0 Rn 0 nzcv
  ['CCMN_reg', 's0111010010mmmmmcccc00nnnnn0vvvv', condCompare(ccmnReg64, ccmnReg32, false)],
  ['CCMP_reg', 's1111010010mmmmmcccc00nnnnn0vvvv', condCompare(ccmpReg64, ccmpReg32, false)],
  ['CCMN_imm', 's0111010010iiiiicccc10nnnnn0vvvv', condCompare(ccmnImm64, ccmnImm32, true)],
  ['CCMP_imm', 's1111010010iiiiicccc10nnnnn0vvvv', condCompare(ccmpImm64, ccmpImm32, true)],
  // conditional select: sf op 0 11010100 Rm cond 0 o2 Rn Rd
  ['CSEL', 's0011010100mmmmmcccc00nnnnnddddd', condSel(csel64, csel32)],
  ['CSINC', 's0011010100mmmmmcccc01nnnnnddddd', condSel(csinc64, csinc32)],
  ['CSINV', 's1011010100mmmmmcccc00nnnnnddddd', condSel(csinv64, csinv32)],
  ['CSNEG', 's1011010100mmmmmcccc01nnnnnddddd', condSel(csneg64, csneg32)],
  // data processing (3 source): sf 00 11011 op31 Rm o0 Ra Rn Rd
  ['MADD', 's0011011000mmmmm0aaaaannnnnddddd', simple(madd64, madd32)],
  ['MSUB', 's0011011000mmmmm1aaaaannnnnddddd', simple(msub64, msub32)],
  ['SMADDL', '10011011001mmmmm0aaaaannnnnddddd', simple(smaddl, smaddl)],
  ['SMSUBL', '10011011001mmmmm1aaaaannnnnddddd', simple(smsubl, smsubl)],
  ['SMULH', '10011011010mmmmm0-----nnnnnddddd', simple(smulh, smulh)],
  ['UMADDL', '10011011101mmmmm0aaaaannnnnddddd', simple(umaddl, umaddl)],
  ['UMSUBL', '10011011101mmmmm1aaaaannnnnddddd', simple(umsubl, umsubl)],
  ['UMULH', '10011011110mmmmm0-----nnnnnddddd', simple(umulh, umulh)],
  // data processing (2 source): sf 0 0 11010110 Rm opcode Rn Rd
  ['UDIV', 's0011010110mmmmm000010nnnnnddddd', simple(udiv64, udiv32)],
  ['SDIV', 's0011010110mmmmm000011nnnnnddddd', simple(sdiv64, sdiv32)],
  ['LSLV', 's0011010110mmmmm001000nnnnnddddd', simple(lslv64, lslv32)],
  ['LSRV', 's0011010110mmmmm001001nnnnnddddd', simple(lsrv64, lsrv32)],
  ['ASRV', 's0011010110mmmmm001010nnnnnddddd', simple(asrv64, asrv32)],
  ['RORV', 's0011010110mmmmm001011nnnnnddddd', simple(rorv64, rorv32)],
  ['CRC32B', '00011010110mmmmm010000nnnnnddddd', crcRow(crc32, 1)],
  ['CRC32H', '00011010110mmmmm010001nnnnnddddd', crcRow(crc32, 2)],
  ['CRC32W', '00011010110mmmmm010010nnnnnddddd', crcRow(crc32, 4)],
  ['CRC32X', '10011010110mmmmm010011nnnnnddddd', crcRow(crc32x, 8)],
  ['CRC32CB', '00011010110mmmmm010100nnnnnddddd', crcRow(crc32c, 1)],
  ['CRC32CH', '00011010110mmmmm010101nnnnnddddd', crcRow(crc32c, 2)],
  ['CRC32CW', '00011010110mmmmm010110nnnnnddddd', crcRow(crc32c, 4)],
  ['CRC32CX', '10011010110mmmmm010111nnnnnddddd', crcRow(crc32cx, 8)],
  // data processing (1 source): sf 1 0 11010110 00000 opcode Rn Rd
  ['RBIT', 's101101011000000000000nnnnnddddd', simple(rbit64, rbit32f)],
  ['REV16', 's101101011000000000001nnnnnddddd', simple(rev16_64, rev16_32)],
  ['REV_w', '0101101011000000000010nnnnnddddd', simple(rev_32, rev_32)],
  ['REV32', '1101101011000000000010nnnnnddddd', simple(rev32_64, rev32_64)],
  ['REV_x', '1101101011000000000011nnnnnddddd', simple(rev_64, rev_64)],
  ['CLZ', 's101101011000000000100nnnnnddddd', simple(clz64, clz32f)],
  ['CLS', 's101101011000000000101nnnnnddddd', simple(cls64, cls32)],
  // FEAT_PAuth, 1 source with opcode2 = 00001 (Arm ARM C6.2): PACIA..AUTDB (Z = opcode<3>: modifier
  // XZR, Rn must be 31), XPACI/XPACD (opcode 01000D, Rn = 31); semantics in ../pauth.ts
  ['PAC_AUT', '110110101100000100zaoonnnnnddddd', (f, d) => {
    if (f.z && f.n !== 31) return false;
    d.ra = regR(f.d);
    d.rd = regW(f.d);
    d.rn = f.z ? regR(31) : regSP(f.n);
    d.imm = f.o; // key: 0 IA, 1 IB, 2 DA, 3 DB
    d.imm2 = f.a;
    d.fn = execPacAut;
  }],
  ['XPAC', '110110101100000101000x11111ddddd', (f, d) => {
    d.ra = regR(f.d);
    d.rd = regW(f.d);
    d.imm2 = f.x;
    d.fn = execXpac;
  }],
  // PACGA Xd, Xn, Xm|SP (2 source, opcode 001100)
  ['PACGA', '10011010110mmmmm001100nnnnnddddd', (f, d) => {
    d.rd = regW(f.d);
    d.rn = regR(f.n);
    d.rm = regSP(f.m);
    d.fn = execPacga;
  }],
];
