// Hand-specialised paths for the AdvSIMD integer ops that string/memory routines run in loops
// (glibc's aarch64 memchr/strlen/strchr/memcmp...: CMEQ, CMHS/CMHI, AND/ORR/EOR/BIC/ORN/BSL/BIT/BIF,
// ADD/SUB, UMAXP/UMINP/ADDP). Same semantics as the generic kernels in simd-arith-kern.ts (the unit
// test compares both), without a kernel call per lane. Element-wise ops write the destination lane
// by lane (lane i only reads lane i of the sources, so Vd may alias Vn/Vm); pairwise ops go through
// the scratch register T.
import type { Decoded, ExecFn } from '../../decode/decoder';
import type { Cpu } from '../../cpu';
import { fpTrap } from '../../fpaccess';
import { T8, writeT } from './lanes-int';

function upper(c: Cpu, d: Decoded): void {
  if (!d.imm2) {
    c.vreg[d.rd + 2] = 0;
    c.vreg[d.rd + 3] = 0;
  }
}

// ------------------------------------------------------------------------ logical, on 32-bit words
// (written out per op so each loop body is monomorphic; a = Vn, b = Vm, x = old Vd)
function AND(c: Cpu, d: Decoded): void {
  if (fpTrap(c)) return;
  const v = c.vreg, n = d.rn, m = d.rm, o = d.rd, w = d.imm2 ? 4 : 2;
  for (let i = 0; i < w; i++) {
    const a = v[n + i], b = v[m + i];
    v[o + i] = a & b;
  }
  upper(c, d);
}
function BIC(c: Cpu, d: Decoded): void {
  if (fpTrap(c)) return;
  const v = c.vreg, n = d.rn, m = d.rm, o = d.rd, w = d.imm2 ? 4 : 2;
  for (let i = 0; i < w; i++) {
    const a = v[n + i], b = v[m + i];
    v[o + i] = a & ~b;
  }
  upper(c, d);
}
function ORR(c: Cpu, d: Decoded): void {
  if (fpTrap(c)) return;
  const v = c.vreg, n = d.rn, m = d.rm, o = d.rd, w = d.imm2 ? 4 : 2;
  for (let i = 0; i < w; i++) {
    const a = v[n + i], b = v[m + i];
    v[o + i] = a | b;
  }
  upper(c, d);
}
function ORN(c: Cpu, d: Decoded): void {
  if (fpTrap(c)) return;
  const v = c.vreg, n = d.rn, m = d.rm, o = d.rd, w = d.imm2 ? 4 : 2;
  for (let i = 0; i < w; i++) {
    const a = v[n + i], b = v[m + i];
    v[o + i] = a | ~b;
  }
  upper(c, d);
}
function EOR(c: Cpu, d: Decoded): void {
  if (fpTrap(c)) return;
  const v = c.vreg, n = d.rn, m = d.rm, o = d.rd, w = d.imm2 ? 4 : 2;
  for (let i = 0; i < w; i++) {
    const a = v[n + i], b = v[m + i];
    v[o + i] = a ^ b;
  }
  upper(c, d);
}
function BSL(c: Cpu, d: Decoded): void {
  if (fpTrap(c)) return;
  const v = c.vreg, n = d.rn, m = d.rm, o = d.rd, w = d.imm2 ? 4 : 2;
  for (let i = 0; i < w; i++) {
    const a = v[n + i], b = v[m + i], x = v[o + i];
    v[o + i] = ((a ^ b) & x) ^ b;
  }
  upper(c, d);
}
function BIT(c: Cpu, d: Decoded): void {
  if (fpTrap(c)) return;
  const v = c.vreg, n = d.rn, m = d.rm, o = d.rd, w = d.imm2 ? 4 : 2;
  for (let i = 0; i < w; i++) {
    const a = v[n + i], b = v[m + i], x = v[o + i];
    v[o + i] = ((x ^ a) & b) ^ x;
  }
  upper(c, d);
}
function BIF(c: Cpu, d: Decoded): void {
  if (fpTrap(c)) return;
  const v = c.vreg, n = d.rn, m = d.rm, o = d.rd, w = d.imm2 ? 4 : 2;
  for (let i = 0; i < w; i++) {
    const a = v[n + i], b = v[m + i], x = v[o + i];
    v[o + i] = ((x ^ a) & ~b) ^ x;
  }
  upper(c, d);
}
const LOGIC_FAST = [AND, BIC, ORR, ORN, EOR, BSL, BIT, BIF];

// ------------------------------------------------------------------------------- byte lanes
function cmeq8(c: Cpu, d: Decoded): void {
  if (fpTrap(c)) return;
  // per word: a byte of x = a ^ b is zero iff its high bit stays clear after adding 0x7f to its low
  // 7 bits (no carry crosses bytes) and it had no high bit itself
  const v = c.vreg, n = d.rn, m = d.rm, o = d.rd, words = d.imm2 ? 4 : 2;
  for (let i = 0; i < words; i++) {
    const x = v[n + i] ^ v[m + i];
    const nz = (((x & 0x7f7f7f7f) + 0x7f7f7f7f) | x) & 0x80808080;
    v[o + i] = ((~nz & 0x80808080) >>> 7) * 255;
  }
  upper(c, d);
}
function cmtst8(c: Cpu, d: Decoded): void {
  if (fpTrap(c)) return;
  const v = c.vreg, n = d.rn, m = d.rm, o = d.rd, words = d.imm2 ? 4 : 2;
  for (let i = 0; i < words; i++) {
    const x = v[n + i] & v[m + i];
    const nz = (((x & 0x7f7f7f7f) + 0x7f7f7f7f) | x) & 0x80808080;
    v[o + i] = (nz >>> 7) * 255;
  }
  upper(c, d);
}
function add8(c: Cpu, d: Decoded): void {
  if (fpTrap(c)) return;
  const v = c.vreg, n = d.rn, m = d.rm, o = d.rd, words = d.imm2 ? 4 : 2;
  for (let i = 0; i < words; i++) {
    const a = v[n + i], b = v[m + i];
    v[o + i] = ((a & 0x7f7f7f7f) + (b & 0x7f7f7f7f)) ^ ((a ^ b) & 0x80808080);
  }
  upper(c, d);
}
function sub8(c: Cpu, d: Decoded): void {
  if (fpTrap(c)) return;
  const v = c.vreg, n = d.rn, m = d.rm, o = d.rd, words = d.imm2 ? 4 : 2;
  for (let i = 0; i < words; i++) {
    const a = v[n + i], b = v[m + i];
    v[o + i] = ((a | 0x80808080) - (b & 0x7f7f7f7f)) ^ ((a ^ ~b) & 0x80808080);
  }
  upper(c, d);
}
function cmhi8(c: Cpu, d: Decoded): void {
  if (fpTrap(c)) return;
  const v = c.v8, n = d.rn * 4, m = d.rm * 4, o = d.rd * 4, l = d.imm;
  for (let i = 0; i < l; i++) {
    const a = v[n + i], b = v[m + i];
    v[o + i] = a > b ? 255 : 0;
  }
  upper(c, d);
}
function cmhs8(c: Cpu, d: Decoded): void {
  if (fpTrap(c)) return;
  const v = c.v8, n = d.rn * 4, m = d.rm * 4, o = d.rd * 4, l = d.imm;
  for (let i = 0; i < l; i++) {
    const a = v[n + i], b = v[m + i];
    v[o + i] = a >= b ? 255 : 0;
  }
  upper(c, d);
}
function umax8(c: Cpu, d: Decoded): void {
  if (fpTrap(c)) return;
  const v = c.v8, n = d.rn * 4, m = d.rm * 4, o = d.rd * 4, l = d.imm;
  for (let i = 0; i < l; i++) {
    const a = v[n + i], b = v[m + i];
    v[o + i] = a > b ? a : b;
  }
  upper(c, d);
}
function umin8(c: Cpu, d: Decoded): void {
  if (fpTrap(c)) return;
  const v = c.v8, n = d.rn * 4, m = d.rm * 4, o = d.rd * 4, l = d.imm;
  for (let i = 0; i < l; i++) {
    const a = v[n + i], b = v[m + i];
    v[o + i] = a < b ? a : b;
  }
  upper(c, d);
}
function cmgt8(c: Cpu, d: Decoded): void {
  if (fpTrap(c)) return;
  const v = c.vs8, n = d.rn * 4, m = d.rm * 4, o = d.rd * 4, l = d.imm;
  for (let i = 0; i < l; i++) {
    const a = v[n + i], b = v[m + i];
    v[o + i] = a > b ? -1 : 0;
  }
  upper(c, d);
}
function cmge8(c: Cpu, d: Decoded): void {
  if (fpTrap(c)) return;
  const v = c.vs8, n = d.rn * 4, m = d.rm * 4, o = d.rd * 4, l = d.imm;
  for (let i = 0; i < l; i++) {
    const a = v[n + i], b = v[m + i];
    v[o + i] = a >= b ? -1 : 0;
  }
  upper(c, d);
}

// ----------------------------------------------------------------------------- 16/32/64-bit add/sub
function add16(c: Cpu, d: Decoded): void {
  if (fpTrap(c)) return;
  const v = c.v16, n = d.rn * 2, m = d.rm * 2, o = d.rd * 2, l = d.imm;
  for (let i = 0; i < l; i++) v[o + i] = v[n + i] + v[m + i];
  upper(c, d);
}
function sub16(c: Cpu, d: Decoded): void {
  if (fpTrap(c)) return;
  const v = c.v16, n = d.rn * 2, m = d.rm * 2, o = d.rd * 2, l = d.imm;
  for (let i = 0; i < l; i++) v[o + i] = v[n + i] - v[m + i];
  upper(c, d);
}
function add32(c: Cpu, d: Decoded): void {
  if (fpTrap(c)) return;
  const v = c.vreg, n = d.rn, m = d.rm, o = d.rd, l = d.imm;
  for (let i = 0; i < l; i++) v[o + i] = v[n + i] + v[m + i];
  upper(c, d);
}
function sub32(c: Cpu, d: Decoded): void {
  if (fpTrap(c)) return;
  const v = c.vreg, n = d.rn, m = d.rm, o = d.rd, l = d.imm;
  for (let i = 0; i < l; i++) v[o + i] = v[n + i] - v[m + i];
  upper(c, d);
}
/** ADD/SUB 64-bit lanes (vector 2D, scalar D: d.imm lanes) on 32-bit halves */
function addsub64(c: Cpu, d: Decoded, sub: boolean): void {
  if (fpTrap(c)) return;
  const v = c.vreg, l = d.imm;
  for (let i = 0; i < l; i++) {
    const n = d.rn + 2 * i, m = d.rm + 2 * i, o = d.rd + 2 * i;
    const lo = sub ? v[n] - v[m] : v[n] + v[m];
    const hi = (sub ? v[n + 1] - v[m + 1] : v[n + 1] + v[m + 1]) + Math.floor(lo / 4294967296);
    v[o] = lo;
    v[o + 1] = hi;
  }
  if (l === 1) {
    v[d.rd + 2] = 0;
    v[d.rd + 3] = 0;
  }
}
const add64 = (c: Cpu, d: Decoded) => addsub64(c, d, false);
const sub64 = (c: Cpu, d: Decoded) => addsub64(c, d, true);
function cmeq64(c: Cpu, d: Decoded): void {
  if (fpTrap(c)) return;
  const v = c.vreg, l = d.imm;
  for (let i = 0; i < l; i++) {
    const n = d.rn + 2 * i, m = d.rm + 2 * i, o = d.rd + 2 * i;
    const r = v[n] === v[m] && v[n + 1] === v[m + 1] ? 0xffffffff : 0;
    v[o] = r;
    v[o + 1] = r;
  }
  if (l === 1) {
    v[d.rd + 2] = 0;
    v[d.rd + 3] = 0;
  }
}

// ------------------------------------------------------------------------------- pairwise bytes
function umaxp8(c: Cpu, d: Decoded): void {
  if (fpTrap(c)) return;
  const v = c.v8, n = d.rn * 4, m = d.rm * 4, h = d.imm >> 1;
  for (let i = 0; i < h; i++) {
    let a = v[n + 2 * i], b = v[n + 2 * i + 1];
    T8[i] = a > b ? a : b;
    a = v[m + 2 * i];
    b = v[m + 2 * i + 1];
    T8[h + i] = a > b ? a : b;
  }
  writeT(c, d.rd, d.imm2);
}
function uminp8(c: Cpu, d: Decoded): void {
  if (fpTrap(c)) return;
  const v = c.v8, n = d.rn * 4, m = d.rm * 4, h = d.imm >> 1;
  for (let i = 0; i < h; i++) {
    let a = v[n + 2 * i], b = v[n + 2 * i + 1];
    T8[i] = a < b ? a : b;
    a = v[m + 2 * i];
    b = v[m + 2 * i + 1];
    T8[h + i] = a < b ? a : b;
  }
  writeT(c, d.rd, d.imm2);
}
function addp8(c: Cpu, d: Decoded): void {
  if (fpTrap(c)) return;
  const v = c.v8, n = d.rn * 4, m = d.rm * 4, h = d.imm >> 1;
  for (let i = 0; i < h; i++) {
    let a = v[n + 2 * i], b = v[n + 2 * i + 1];
    T8[i] = a + b;
    a = v[m + 2 * i];
    b = v[m + 2 * i + 1];
    T8[h + i] = a + b;
  }
  writeT(c, d.rd, d.imm2);
}

/** a specialised ExecFn for U:opcode `key` (0x100 | U:size for logical ops) at lane size e, or null */
export function fastSame(key: number, e: number): ExecFn | null {
  if (key >= 0x100) return LOGIC_FAST[key & 7];
  switch (key) {
    case 0b0_10000: // ADD
      return e === 8 ? add8 : e === 16 ? add16 : e === 32 ? add32 : add64;
    case 0b1_10000: // SUB
      return e === 8 ? sub8 : e === 16 ? sub16 : e === 32 ? sub32 : sub64;
    case 0b1_10001: // CMEQ
      return e === 8 ? cmeq8 : e === 64 ? cmeq64 : null;
    case 0b0_10001: // CMTST
      return e === 8 ? cmtst8 : null;
  }
  if (e !== 8) return null;
  switch (key) {
    case 0b1_00110:
      return cmhi8;
    case 0b1_00111:
      return cmhs8;
    case 0b0_00110:
      return cmgt8;
    case 0b0_00111:
      return cmge8;
    case 0b1_01100:
      return umax8;
    case 0b1_01101:
      return umin8;
  }
  return null;
}

/** pairwise byte ops (UMAXP/UMINP/ADDP .8B/.16B) */
export function fastPair(key: number, e: number): ExecFn | null {
  if (e !== 8) return null;
  if (key === 0b1_10100) return umaxp8;
  if (key === 0b1_10101) return uminp8;
  if (key === 0b0_10111) return addp8;
  return null;
}
