// AdvSIMD "copy" (Arm ARM C4.1.95 "Advanced SIMD copy": DUP element/general, INS element/general,
// SMOV, UMOV), "scalar copy" (DUP element, scalar; alias MOV) and "modified immediate" (MOVI, MVNI,
// ORR/BIC immediate, FMOV vector immediate; AdvSIMDExpandImm and VFPExpandImm in J1).
// Fields: d.rd/d.rn = 4 × V register (or 2 × X slot for the general-register side), d.imm = element
// size log2, d.imm2 = element index, d.imm3 = second index (INS element), d.imm4 = Q.
import type { Row, Decoded } from '../../decode/decoder';
import { regR, regW } from '../../decode/decoder';
import type { Cpu } from '../../cpu';
import { fpTrap } from '../../fpaccess';
import { lowBit } from './simd-misc-util';

/** Element `i` (size log2 s ≤ 2) of the register at word index r, unsigned. */
function elemU(c: Cpu, r: number, s: number, i: number): number {
  return s === 0 ? c.v8[4 * r + i] : s === 1 ? c.v16[2 * r + i] : c.vreg[r + i];
}

/** Fill V[rd] with the 64-bit pattern (lo, hi); Q=0 zeroes the upper half. */
function fill64(c: Cpu, rd: number, lo: number, hi: number, q: number): void {
  const v = c.vreg;
  v[rd] = lo;
  v[rd + 1] = hi;
  if (q) {
    v[rd + 2] = lo;
    v[rd + 3] = hi;
  } else {
    v[rd + 2] = 0;
    v[rd + 3] = 0;
  }
}

/** Replicate an element value (size s ≤ 2) into a 32-bit word. */
function rep32(v: number, s: number): number {
  return s === 0 ? Math.imul(v, 0x01010101) >>> 0 : s === 1 ? (v | (v << 16)) >>> 0 : v;
}

// ---------------------------------------------------------------- copy

function dupElem(c: Cpu, d: Decoded): void {
  if (fpTrap(c)) return;
  const s = d.imm;
  if (s === 3) {
    const w = d.rn + 2 * d.imm2;
    fill64(c, d.rd, c.vreg[w], c.vreg[w + 1], d.imm4);
    return;
  }
  const w = rep32(elemU(c, d.rn, s, d.imm2), s);
  fill64(c, d.rd, w, w, d.imm4);
}

function dupGen(c: Cpu, d: Decoded): void {
  if (fpTrap(c)) return;
  const s = d.imm;
  const lo = c.x[d.rn];
  if (s === 3) {
    fill64(c, d.rd, lo, c.x[d.rn + 1], d.imm4);
    return;
  }
  const w = rep32(s === 0 ? lo & 0xff : s === 1 ? lo & 0xffff : lo, s);
  fill64(c, d.rd, w, w, d.imm4);
}

function insGen(c: Cpu, d: Decoded): void {
  if (fpTrap(c)) return;
  const s = d.imm;
  const i = d.imm2;
  const lo = c.x[d.rn];
  if (s === 0) c.v8[4 * d.rd + i] = lo;
  else if (s === 1) c.v16[2 * d.rd + i] = lo;
  else if (s === 2) c.vreg[d.rd + i] = lo;
  else {
    c.vreg[d.rd + 2 * i] = lo;
    c.vreg[d.rd + 2 * i + 1] = c.x[d.rn + 1];
  }
}

function insElem(c: Cpu, d: Decoded): void {
  if (fpTrap(c)) return;
  const s = d.imm;
  const i = d.imm2; // destination index
  const j = d.imm3; // source index
  if (s === 0) c.v8[4 * d.rd + i] = c.v8[4 * d.rn + j];
  else if (s === 1) c.v16[2 * d.rd + i] = c.v16[2 * d.rn + j];
  else if (s === 2) c.vreg[d.rd + i] = c.vreg[d.rn + j];
  else {
    const lo = c.vreg[d.rn + 2 * j];
    const hi = c.vreg[d.rn + 2 * j + 1];
    c.vreg[d.rd + 2 * i] = lo;
    c.vreg[d.rd + 2 * i + 1] = hi;
  }
}

function umov(c: Cpu, d: Decoded): void {
  if (fpTrap(c)) return;
  const s = d.imm;
  if (s === 3) {
    c.x[d.rd] = c.vreg[d.rn + 2 * d.imm2];
    c.x[d.rd + 1] = c.vreg[d.rn + 2 * d.imm2 + 1];
  } else {
    c.x[d.rd] = elemU(c, d.rn, s, d.imm2);
    c.x[d.rd + 1] = 0;
  }
}

function smov(c: Cpu, d: Decoded): void {
  if (fpTrap(c)) return;
  const s = d.imm;
  const v = s === 0 ? c.vs8[4 * d.rn + d.imm2] : s === 1 ? c.vs16[2 * d.rn + d.imm2] : c.vs32[d.rn + d.imm2];
  c.x[d.rd] = v;
  c.x[d.rd + 1] = d.imm4 && v < 0 ? 0xffffffff : 0; // SMOV Wd zero-extends into Xd
}

function dupScalar(c: Cpu, d: Decoded): void {
  if (fpTrap(c)) return;
  const s = d.imm;
  const v = c.vreg;
  if (s === 3) {
    const lo = v[d.rn + 2 * d.imm2];
    const hi = v[d.rn + 2 * d.imm2 + 1];
    v[d.rd] = lo;
    v[d.rd + 1] = hi;
  } else {
    v[d.rd] = elemU(c, d.rn, s, d.imm2);
    v[d.rd + 1] = 0;
  }
  v[d.rd + 2] = 0;
  v[d.rd + 3] = 0;
}

/** imm5 → element size (d.imm) and index (d.imm2); false when imm5 = x0000. */
function imm5(f: { i: number }, d: Decoded): boolean {
  if ((f.i & 0xf) === 0) return false;
  d.imm = lowBit(f.i);
  d.imm2 = f.i >>> (d.imm + 1);
  return true;
}

// ---------------------------------------------------------------- modified immediate

function moviFn(c: Cpu, d: Decoded): void {
  if (fpTrap(c)) return;
  fill64(c, d.rd, d.imm, d.imm2, d.imm4);
}
function orrImm(c: Cpu, d: Decoded): void {
  if (fpTrap(c)) return;
  const v = c.vreg;
  const r = d.rd;
  v[r] |= d.imm;
  v[r + 1] |= d.imm2;
  if (d.imm4) {
    v[r + 2] |= d.imm;
    v[r + 3] |= d.imm2;
  } else v[r + 2] = v[r + 3] = 0;
}
function bicImm(c: Cpu, d: Decoded): void {
  if (fpTrap(c)) return;
  const v = c.vreg;
  const r = d.rd;
  v[r] &= ~d.imm;
  v[r + 1] &= ~d.imm2;
  if (d.imm4) {
    v[r + 2] &= ~d.imm;
    v[r + 3] &= ~d.imm2;
  } else v[r + 2] = v[r + 3] = 0;
}

/** AdvSIMDExpandImm(op, cmode, imm8) (Arm ARM J1 shared/functions/vector) as [lo, hi] words. */
export function expandImm(op: number, cmode: number, imm8: number): [number, number] {
  let w: number;
  switch (cmode >>> 1) {
    case 0:
      w = imm8;
      break;
    case 1:
      w = imm8 << 8;
      break;
    case 2:
      w = imm8 << 16;
      break;
    case 3:
      w = imm8 << 24;
      break;
    case 4:
      w = imm8 | (imm8 << 16);
      break;
    case 5:
      w = (imm8 << 8) | (imm8 << 24);
      break;
    case 6:
      w = cmode & 1 ? (imm8 << 16) | 0xffff : (imm8 << 8) | 0xff;
      break;
    default:
      if ((cmode & 1) === 0) {
        if (op === 0) {
          w = Math.imul(imm8, 0x01010101);
          break;
        }
        let lo = 0;
        let hi = 0;
        for (let b = 0; b < 4; b++) {
          if ((imm8 >>> b) & 1) lo |= 0xff << (8 * b);
          if ((imm8 >>> (b + 4)) & 1) hi |= 0xff << (8 * b);
        }
        return [lo >>> 0, hi >>> 0];
      }
      {
        const a = imm8 >>> 7;
        const b = (imm8 >>> 6) & 1;
        const cdefgh = imm8 & 0x3f;
        if (op === 0) {
          // single: a:NOT(b):Replicate(b,5):cdefgh:Zeros(19)
          w = (a << 31) | ((b ^ 1) << 30) | (b ? 0x1f << 25 : 0) | (cdefgh << 19);
          break;
        }
        // double: a:NOT(b):Replicate(b,8):cdefgh:Zeros(48)
        return [0, ((a << 31) | ((b ^ 1) << 30) | (b ? 0xff << 22 : 0) | (cdefgh << 16)) >>> 0];
      }
  }
  w >>>= 0;
  return [w, w];
}

/** VFPExpandImm for half precision: a:NOT(b):Replicate(b,2):cdefgh:Zeros(6). */
export function expandImmH(imm8: number): number {
  const a = imm8 >>> 7;
  const b = (imm8 >>> 6) & 1;
  return (a << 15) | ((b ^ 1) << 14) | (b ? 3 << 12 : 0) | ((imm8 & 0x3f) << 6);
}

type ImmKind = 'mov' | 'mvn' | 'orr' | 'bic';
function modImm(kind: ImmKind, op: number) {
  return (f: Record<string, number>, d: Decoded): boolean => {
    const imm8 = (f.a << 5) | f.e;
    let [lo, hi] = expandImm(op, f.c, imm8);
    if (kind === 'mvn') {
      lo = ~lo >>> 0;
      hi = ~hi >>> 0;
    }
    d.rd = 4 * f.d;
    d.imm = lo;
    d.imm2 = hi;
    d.imm4 = f.q;
    d.fn = kind === 'orr' ? orrImm : kind === 'bic' ? bicImm : moviFn;
    return true;
  };
}

// pattern pieces: 0 Q op 0111100000 abc cmode o2 1 defgh Rd
const MI = (op: string, cmode: string, o2: string, q = 'q') => `0${q}${op}0111100000aaa${cmode}${o2}1eeeeeddddd`;

export const SIMD_COPY_ROWS: Row[] = [
  ['DUP_velem', '0q001110000iiiii000001nnnnnddddd', (f, d) => {
    if (!imm5(f as { i: number }, d) || (d.imm === 3 && !f.q)) return false;
    d.rd = 4 * f.d;
    d.rn = 4 * f.n;
    d.imm4 = f.q;
    d.fn = dupElem;
  }],
  ['DUP_vgen', '0q001110000iiiii000011nnnnnddddd', (f, d) => {
    if (!imm5(f as { i: number }, d) || (d.imm === 3 && !f.q)) return false;
    d.rd = 4 * f.d;
    d.rn = regR(f.n);
    d.imm4 = f.q;
    d.fn = dupGen;
  }],
  ['INS_gen', '01001110000iiiii000111nnnnnddddd', (f, d) => {
    if (!imm5(f as { i: number }, d)) return false;
    d.rd = 4 * f.d;
    d.rn = regR(f.n);
    d.fn = insGen;
  }],
  ['INS_elem', '01101110000iiiii0jjjj1nnnnnddddd', (f, d) => {
    if (!imm5(f as { i: number }, d)) return false;
    d.rd = 4 * f.d;
    d.rn = 4 * f.n;
    d.imm3 = f.j >>> d.imm;
    d.fn = insElem;
  }],
  ['SMOV', '0q001110000iiiii001011nnnnnddddd', (f, d) => {
    if (!imm5(f as { i: number }, d)) return false;
    if (d.imm === 3 || (d.imm === 2 && !f.q)) return false;
    d.rd = regW(f.d);
    d.rn = 4 * f.n;
    d.imm4 = f.q;
    d.fn = smov;
  }],
  ['UMOV', '0q001110000iiiii001111nnnnnddddd', (f, d) => {
    if (!imm5(f as { i: number }, d)) return false;
    if (f.q ? d.imm !== 3 : d.imm === 3) return false;
    d.rd = regW(f.d);
    d.rn = 4 * f.n;
    d.fn = umov;
  }],
  ['DUP_selem', '01011110000iiiii000001nnnnnddddd', (f, d) => {
    if (!imm5(f as { i: number }, d)) return false;
    d.rd = 4 * f.d;
    d.rn = 4 * f.n;
    d.fn = dupScalar;
  }],
  ['MOVI_v32', MI('0', '0cc0', '0'), (f, d) => modImm('mov', 0)({ ...f, c: f.c << 1 }, d)],
  ['ORR_vi32', MI('0', '0cc1', '0'), (f, d) => modImm('orr', 0)({ ...f, c: (f.c << 1) | 1 }, d)],
  ['MOVI_v16', MI('0', '10c0', '0'), (f, d) => modImm('mov', 0)({ ...f, c: 8 | (f.c << 1) }, d)],
  ['ORR_vi16', MI('0', '10c1', '0'), (f, d) => modImm('orr', 0)({ ...f, c: 9 | (f.c << 1) }, d)],
  ['MOVI_vmsl', MI('0', '110c', '0'), (f, d) => modImm('mov', 0)({ ...f, c: 12 | f.c }, d)],
  ['MOVI_v8', MI('0', '1110', '0'), (f, d) => modImm('mov', 0)({ ...f, c: 14 }, d)],
  ['FMOV_vs', MI('0', '1111', '0'), (f, d) => modImm('mov', 0)({ ...f, c: 15 }, d)],
  ['FMOV_vh', MI('0', '1111', '1'), (f, d) => {
    const h = expandImmH((f.a << 5) | f.e);
    const w = (h | (h << 16)) >>> 0;
    d.rd = 4 * f.d;
    d.imm = w;
    d.imm2 = w;
    d.imm4 = f.q;
    d.fn = moviFn;
  }],
  ['MVNI_v32', MI('1', '0cc0', '0'), (f, d) => modImm('mvn', 1)({ ...f, c: f.c << 1 }, d)],
  ['BIC_vi32', MI('1', '0cc1', '0'), (f, d) => modImm('bic', 1)({ ...f, c: (f.c << 1) | 1 }, d)],
  ['MVNI_v16', MI('1', '10c0', '0'), (f, d) => modImm('mvn', 1)({ ...f, c: 8 | (f.c << 1) }, d)],
  ['BIC_vi16', MI('1', '10c1', '0'), (f, d) => modImm('bic', 1)({ ...f, c: 9 | (f.c << 1) }, d)],
  ['MVNI_vmsl', MI('1', '110c', '0'), (f, d) => modImm('mvn', 1)({ ...f, c: 12 | f.c }, d)],
  ['MOVI_d', MI('1', '1110', '0'), (f, d) => modImm('mov', 1)({ ...f, c: 14 }, d)],
  ['FMOV_vd', MI('1', '1111', '0', '1'), (f, d) => modImm('mov', 1)({ ...f, q: 1, c: 15 }, d)],
];
