// Exclusives (LDXR/STXR/LDAXR/STLXR, pairs), load-acquire/store-release (LDAR/STLR, LDAPR), LSE
// atomics (LDADD..LDUMIN, SWP, their ST* aliases) and compare-and-swap (CAS, CASP) — Arm ARM C4.1.88
// "Load/store exclusive", "Load/store ordered", "Compare and swap", "Atomic memory operations".
//
// This model runs one CPU at a time, so acquire/release ordering holds trivially. Exclusives, atomics
// and CAS must be naturally aligned (pairs: to the pair size) → alignment fault (MemFlags.ALIGNED).
// Atomics and CAS translate for read, then for write (ESR.WnR, Arm ARM D17.2.37: 0 if a read of the
// address would have generated the fault, else 1), then read-modify-write the PA directly on the bus:
// a fault leaves memory and registers unchanged.
import type { Row, Decoded } from '../decode/decoder';
import { regW, regR, regSP } from '../decode/decoder';
import type { Cpu } from '../cpu';
import { MemFlags, ldFlags, stFlags, ld64Flags, st64Flags, translateData, dataBusError } from '../mem';
import { setFn } from './ldst-common';
import { markExclusive, exclusiveVaMatches, exclusivePaMatches, clearExclusive, exclusiveNoteStore } from '../exclusive';

const ALIGNED = MemFlags.ALIGNED;

// scratch for up to 16 bytes read from a PA
const rd = new Uint32Array(4);

/** Read n (1,2,4,8,16) bytes at pa into rd[]; false after raising a bus error abort. */
function busRead(c: Cpu, pa: number, n: number, lo: number, hi: number, write: boolean): boolean {
  if (n >= 8) {
    const a = c.bus.read64(pa, c.index);
    if (a === undefined) {
      dataBusError(c, lo, hi, write);
      return false;
    }
    rd[0] = a[0];
    rd[1] = a[1];
    if (n === 16) {
      const b = c.bus.read64(pa + 8, c.index);
      if (b === undefined) {
        dataBusError(c, lo, hi, write);
        return false;
      }
      rd[2] = b[0];
      rd[3] = b[1];
    }
    return true;
  }
  const v = c.bus.read(pa, n, c.index);
  if (v === undefined) {
    dataBusError(c, lo, hi, write);
    return false;
  }
  rd[0] = v;
  return true;
}

/** Write n bytes (words w0..w3) at pa; false after raising a bus error abort. */
function busWrite(c: Cpu, pa: number, n: number, lo: number, hi: number, w0: number, w1: number, w2: number, w3: number): boolean {
  let ok: boolean;
  if (n === 16) ok = c.bus.write64(pa, w0, w1, c.index) && c.bus.write64(pa + 8, w2, w3, c.index);
  else if (n === 8) ok = c.bus.write64(pa, w0, w1, c.index);
  else ok = c.bus.write(pa, n, w0, c.index);
  if (!ok) {
    dataBusError(c, lo, hi, true);
    return false;
  }
  exclusiveNoteStore(c, pa, n);
  c.exitLoop = true; // the store may have hit the decoded page being executed
  return true;
}

/** Translation for a read-modify-write (atomics, CAS): PA or -1 after the abort. */
function translateRmw(c: Cpu, lo: number, hi: number, n: number): number {
  if (translateData(c, lo, hi, n, false, ALIGNED) < 0) return -1;
  return translateData(c, lo, hi, n, true, ALIGNED);
}

// ------------------------------------------------------------------ exclusives
// d.imm3 = access bytes (1,2,4,8; pairs 8 or 16), d.imm4 = 1 for pairs; d.rd = Rt, d.ra = Rt2,
// d.rm = Rs (status register of a store exclusive, write slot).

function ldxr(c: Cpu, d: Decoded): void {
  const lo = c.x[d.rn];
  const hi = c.x[d.rn + 1];
  const n = d.imm3;
  const pa = translateData(c, lo, hi, n, false, ALIGNED);
  if (pa < 0) return;
  if (!busRead(c, pa, n, lo, hi, false)) return;
  if (c.abort) return;
  markExclusive(c, pa, lo, hi, n, rd[0], n === 8 ? rd[1] : 0, 0, 0);
  c.x[d.rd] = rd[0];
  c.x[d.rd + 1] = n === 8 ? rd[1] : 0;
}

function ldxp(c: Cpu, d: Decoded): void {
  const lo = c.x[d.rn];
  const hi = c.x[d.rn + 1];
  const n = d.imm3;
  const pa = translateData(c, lo, hi, n, false, ALIGNED);
  if (pa < 0) return;
  if (!busRead(c, pa, n, lo, hi, false)) return;
  if (c.abort) return;
  markExclusive(c, pa, lo, hi, n, rd[0], rd[1], n === 16 ? rd[2] : 0, n === 16 ? rd[3] : 0);
  const x = c.x;
  if (n === 16) {
    x[d.rd] = rd[0];
    x[d.rd + 1] = rd[1];
    x[d.ra] = rd[2];
    x[d.ra + 1] = rd[3];
  } else {
    x[d.rd] = rd[0];
    x[d.rd + 1] = 0;
    x[d.ra] = rd[1];
    x[d.ra + 1] = 0;
  }
}

/**
 * STXR/STXP: Arm ARM "AArch64.ExclusiveMonitorsPass": alignment check first, then the local monitor
 * (VA and size: no translation and no fault when it fails), then translation (faults), then the PA
 * tag, the global monitor and the data compare (see exclusive.ts). The local monitor is cleared
 * whatever the outcome. Rs = 0 on success, 1 on failure.
 */
function stxrCommon(c: Cpu, d: Decoded, w0: number, w1: number, w2: number, w3: number): void {
  const lo = c.x[d.rn];
  const hi = c.x[d.rn + 1];
  const n = d.imm3;
  let status = 1;
  if ((lo & (n - 1)) !== 0) {
    translateData(c, lo, hi, n, true, ALIGNED); // raises the alignment fault
    return;
  }
  if (exclusiveVaMatches(c, lo, hi, n)) {
    const pa = translateData(c, lo, hi, n, true, ALIGNED);
    if (pa < 0) return;
    if (!busRead(c, pa, n, lo, hi, true)) return;
    if (exclusivePaMatches(c, pa, rd[0], rd[1], rd[2], rd[3])) {
      if (!busWrite(c, pa, n, lo, hi, w0, w1, w2, w3)) return;
      status = 0;
    }
  }
  clearExclusive(c);
  c.x[d.rm] = status;
  c.x[d.rm + 1] = 0;
}

function stxr(c: Cpu, d: Decoded): void {
  const n = d.imm3;
  const v = c.x[d.rd];
  const w0 = n === 1 ? v & 0xff : n === 2 ? v & 0xffff : v;
  stxrCommon(c, d, w0, n === 8 ? c.x[d.rd + 1] : 0, 0, 0);
}

function stxp(c: Cpu, d: Decoded): void {
  const x = c.x;
  if (d.imm3 === 16) stxrCommon(c, d, x[d.rd], x[d.rd + 1], x[d.ra], x[d.ra + 1]);
  else stxrCommon(c, d, x[d.rd], x[d.ra], 0, 0);
}

// ------------------------------------------------------------------ load-acquire / store-release

/** Ordered (acquire) load of n bytes at (lo, hi) into slot `dst` (zero-extended); must be aligned. */
function loadOrdered(c: Cpu, lo: number, hi: number, n: number, dst: number): void {
  if (n === 8) {
    ld64Flags(c, lo, hi, ALIGNED);
    if (c.abort) return;
    c.x[dst] = c.tmpLo;
    c.x[dst + 1] = c.tmpHi;
    return;
  }
  const v = ldFlags(c, lo, hi, n, ALIGNED);
  if (c.abort) return;
  c.x[dst] = v;
  c.x[dst + 1] = 0;
}

/** Ordered (release) store of the low n bytes of slot `src` at (lo, hi); must be aligned. */
function storeOrdered(c: Cpu, lo: number, hi: number, n: number, src: number): void {
  const v = c.x[src];
  if (n === 8) st64Flags(c, lo, hi, v, c.x[src + 1], ALIGNED);
  else stFlags(c, lo, hi, n, n === 1 ? v & 0xff : n === 2 ? v & 0xffff : v, ALIGNED);
}

function ldar(c: Cpu, d: Decoded): void {
  loadOrdered(c, c.x[d.rn], c.x[d.rn + 1], d.imm3, d.rd);
}

function stlr(c: Cpu, d: Decoded): void {
  storeOrdered(c, c.x[d.rn], c.x[d.rn + 1], d.imm3, d.rd);
}

/** LDAPUR and STLUR forms (FEAT_LRCPC2): load-acquire / store-release with a signed 9-bit unscaled offset.
 * d.imm = offset, d.imm3 = size, d.imm2 = 0 store, 1 load zero-extend, 2 load sign-extend to 64,
 * 3 load sign-extend to 32. Ordered accesses must be aligned (no FEAT_LSE2). */
function lrcpc2(c: Cpu, d: Decoded): void {
  const s = c.x[d.rn] + d.imm;
  const lo = s >>> 0;
  const hi = (c.x[d.rn + 1] + Math.floor((s - lo) / 4294967296)) >>> 0;
  const n = d.imm3;
  const kind = d.imm2;
  if (kind === 0) return storeOrdered(c, lo, hi, n, d.rd);
  loadOrdered(c, lo, hi, n, d.ra);
  if (c.abort || kind === 1) return;
  const sh = 32 - 8 * n;
  const v = (c.x[d.ra] << sh) >> sh; // sign-extend to 32
  c.x[d.ra] = v >>> 0;
  c.x[d.ra + 1] = kind === 2 ? (v < 0 ? 0xffffffff : 0) : 0;
}

// ------------------------------------------------------------------ compare and swap
// d.rm = Rs read slot, d.ra = Rs write slot, d.rd = Rt; pairs: d.imm2/d.imm4 = Rs+1 read/write slot,
// d.imm = Rt+1 read slot.

function cas(c: Cpu, d: Decoded): void {
  const x = c.x;
  const lo = x[d.rn];
  const hi = x[d.rn + 1];
  const n = d.imm3;
  const pa = translateRmw(c, lo, hi, n);
  if (pa < 0) return;
  if (!busRead(c, pa, n, lo, hi, false)) return;
  const oLo = rd[0];
  const oHi = n === 8 ? rd[1] : 0;
  const mask = n === 1 ? 0xff : n === 2 ? 0xffff : 0xffffffff;
  const eq = (x[d.rm] & mask) >>> 0 === oLo && (n !== 8 || x[d.rm + 1] === oHi);
  if (eq) {
    const v = x[d.rd];
    if (!busWrite(c, pa, n, lo, hi, (v & mask) >>> 0, x[d.rd + 1], 0, 0)) return;
  }
  x[d.ra] = oLo;
  x[d.ra + 1] = oHi;
}

function casp(c: Cpu, d: Decoded): void {
  const x = c.x;
  const lo = x[d.rn];
  const hi = x[d.rn + 1];
  const n = d.imm3; // 8 (two words) or 16 (two doublewords)
  const pa = translateRmw(c, lo, hi, n);
  if (pa < 0) return;
  if (!busRead(c, pa, n, lo, hi, false)) return;
  const s0 = d.rm;
  const s1 = d.imm2;
  const t0 = d.rd;
  const t1 = d.imm;
  let eq: boolean;
  if (n === 16) eq = x[s0] === rd[0] && x[s0 + 1] === rd[1] && x[s1] === rd[2] && x[s1 + 1] === rd[3];
  else eq = x[s0] === rd[0] && x[s1] === rd[1];
  const o0 = rd[0], o1 = rd[1], o2 = rd[2], o3 = rd[3];
  if (eq) {
    const ok = n === 16 ? busWrite(c, pa, 16, lo, hi, x[t0], x[t0 + 1], x[t1], x[t1 + 1]) : busWrite(c, pa, 8, lo, hi, x[t0], x[t1], 0, 0);
    if (!ok) return;
  }
  const w0 = d.ra;
  const w1 = d.imm4;
  if (n === 16) {
    x[w0] = o0;
    x[w0 + 1] = o1;
    x[w1] = o2;
    x[w1 + 1] = o3;
  } else {
    x[w0] = o0;
    x[w0 + 1] = 0;
    x[w1] = o1;
    x[w1 + 1] = 0;
  }
}

// ------------------------------------------------------------------ atomic memory operations
// d.imm3 = bytes, d.imm2 = op (0 ADD 1 CLR 2 EOR 3 SET 4 SMAX 5 SMIN 6 UMAX 7 UMIN 8 SWP),
// d.rm = Rs, d.rd = Rt (write slot).

const OP_ADD = 0, OP_CLR = 1, OP_EOR = 2, OP_SET = 3, OP_SMAX = 4, OP_SMIN = 5, OP_UMAX = 6, OP_UMIN = 7, OP_SWP = 8;

function atomic(c: Cpu, d: Decoded): void {
  const x = c.x;
  const lo = x[d.rn];
  const hi = x[d.rn + 1];
  const n = d.imm3;
  const pa = translateRmw(c, lo, hi, n);
  if (pa < 0) return;
  if (!busRead(c, pa, n, lo, hi, false)) return;
  const oLo = rd[0];
  const oHi = n === 8 ? rd[1] : 0;
  let sLo = x[d.rm];
  const sHi = x[d.rm + 1];
  let nLo = 0;
  let nHi = 0;
  if (n === 8) {
    switch (d.imm2) {
      case OP_ADD: {
        nLo = (oLo + sLo) >>> 0;
        nHi = (oHi + sHi + (nLo < oLo ? 1 : 0)) >>> 0;
        break;
      }
      case OP_CLR:
        nLo = (oLo & ~sLo) >>> 0;
        nHi = (oHi & ~sHi) >>> 0;
        break;
      case OP_EOR:
        nLo = (oLo ^ sLo) >>> 0;
        nHi = (oHi ^ sHi) >>> 0;
        break;
      case OP_SET:
        nLo = (oLo | sLo) >>> 0;
        nHi = (oHi | sHi) >>> 0;
        break;
      case OP_SWP:
        nLo = sLo;
        nHi = sHi;
        break;
      default: {
        // signed/unsigned max/min on halves: compare hi (signed or not), then lo unsigned
        const signed = d.imm2 === OP_SMAX || d.imm2 === OP_SMIN;
        const oh = signed ? oHi | 0 : oHi;
        const sh = signed ? sHi | 0 : sHi;
        const oGreater = oh > sh || (oh === sh && oLo > sLo);
        const oLess = oh < sh || (oh === sh && oLo < sLo);
        const takeOld = d.imm2 === OP_SMAX || d.imm2 === OP_UMAX ? !oLess : !oGreater;
        nLo = takeOld ? oLo : sLo;
        nHi = takeOld ? oHi : sHi;
      }
    }
  } else {
    const mask = n === 1 ? 0xff : n === 2 ? 0xffff : 0xffffffff;
    sLo = (sLo & mask) >>> 0;
    const sh = 32 - 8 * n;
    switch (d.imm2) {
      case OP_ADD:
        nLo = ((oLo + sLo) & mask) >>> 0;
        break;
      case OP_CLR:
        nLo = (oLo & ~sLo & mask) >>> 0;
        break;
      case OP_EOR:
        nLo = (oLo ^ sLo) >>> 0;
        break;
      case OP_SET:
        nLo = (oLo | sLo) >>> 0;
        break;
      case OP_SWP:
        nLo = sLo;
        break;
      case OP_SMAX:
        nLo = (oLo << sh) >> sh >= (sLo << sh) >> sh ? oLo : sLo;
        break;
      case OP_SMIN:
        nLo = (oLo << sh) >> sh <= (sLo << sh) >> sh ? oLo : sLo;
        break;
      case OP_UMAX:
        nLo = oLo >= sLo ? oLo : sLo;
        break;
      case OP_UMIN:
        nLo = oLo <= sLo ? oLo : sLo;
        break;
    }
  }
  if (!busWrite(c, pa, n, lo, hi, nLo, nHi, 0, 0)) return;
  x[d.rd] = oLo;
  x[d.rd + 1] = oHi;
}

// ------------------------------------------------------------------ decode

export const LDST_SYNC_ROWS: Row[] = [
  // Load/store exclusive register / pair, load/store ordered, compare and swap (pair)
  // size 001000 o2 L o1 Rs o0 Rt2 Rn Rt
  ['LDST_EXCL', 'ss001000ZLYSSSSSOuuuuunnnnnttttt', (f, d) => {
    const size = f.s;
    d.rn = regSP(f.n);
    if (f.Z === 0 && f.Y === 0) {
      // LDXR/LDAXR/STXR/STLXR (B/H/W/X)
      d.imm3 = 1 << size;
      if (f.L) {
        d.rd = regW(f.t);
        setFn(d, f.n, ldxr);
      } else {
        d.rd = regR(f.t);
        d.rm = regW(f.S);
        setFn(d, f.n, stxr);
      }
      return;
    }
    if (f.Z === 0 && f.Y === 1) {
      if (size >= 2) {
        // LDXP/LDAXP/STXP/STLXP: 32-bit pair (8 bytes) or 64-bit pair (16 bytes)
        d.imm3 = size === 3 ? 16 : 8;
        d.imm4 = 1;
        if (f.L) {
          d.rd = regW(f.t);
          d.ra = regW(f.u);
          setFn(d, f.n, ldxp);
        } else {
          d.rd = regR(f.t);
          d.ra = regR(f.u);
          d.rm = regW(f.S);
          setFn(d, f.n, stxp);
        }
        return;
      }
      // CASP/CASPA/CASPL/CASPAL (size 0: W pairs, 1: X pairs); Rs and Rt must be even
      if ((f.S | f.t) & 1) return false;
      d.imm3 = size === 1 ? 16 : 8;
      d.rm = regR(f.S);
      d.ra = regW(f.S);
      d.imm2 = regR(f.S + 1);
      d.imm4 = regW(f.S + 1);
      d.rd = regR(f.t);
      d.imm = regR(f.t + 1);
      setFn(d, f.n, casp);
      return;
    }
    if (f.Z === 1 && f.Y === 0) {
      // LDAR/STLR; LDLAR/STLLR (o0 = 0, FEAT_LOR, mandatory from Armv8.1 and advertised in
      // ID_AA64MMFR1_EL1.LO): LOAcquire/LORelease are weaker than acquire/release, so the same code.
      d.imm3 = 1 << size;
      if (f.L) {
        d.rd = regW(f.t);
        setFn(d, f.n, ldar);
      } else {
        d.rd = regR(f.t);
        setFn(d, f.n, stlr);
      }
      return;
    }
    // CAS/CASA/CASL/CASAL (B/H/W/X)
    d.imm3 = 1 << size;
    d.rm = regR(f.S);
    d.ra = regW(f.S);
    d.rd = regR(f.t);
    setFn(d, f.n, cas);
  }],
  // LDAPUR/STLUR family (FEAT_LRCPC2): size 011001 opc 0 imm9 00 Rn Rt
  ['LDAPUR_STLUR', 'ss011001oo0iiiiiiiii00nnnnnttttt', (f, d) => {
    const n = 1 << f.s;
    if (n === 8 && f.o >= 2) return false; // no sign-extending 64-bit forms
    if (n === 4 && f.o === 3) return false; // LDAPURSW has only the 64-bit form
    d.imm3 = n;
    d.imm2 = f.o === 0 ? 0 : f.o === 1 ? 1 : f.o === 2 ? 2 : 3;
    d.imm = (f.i << 23) >> 23;
    d.rn = regSP(f.n);
    d.rd = regR(f.t);
    d.ra = regW(f.t);
    setFn(d, f.n, lrcpc2);
  }],
  // Atomic memory operations: size 111 V=0 00 A R 1 Rs o3 opc 00 Rn Rt
  ['LDST_ATOMIC', 'ss111000AR1SSSSSOppp00nnnnnttttt', (f, d) => {
    d.rn = regSP(f.n);
    d.imm3 = 1 << f.s;
    if (f.O === 1) {
      if (f.p === 0) d.imm2 = OP_SWP;
      else if (f.p === 4 && f.A === 1 && f.R === 0 && f.S === 31) {
        // LDAPR/LDAPRB/LDAPRH (FEAT_LRCPC): a load-acquire with RCpc ordering
        d.rd = regW(f.t);
        setFn(d, f.n, ldar);
        return;
      } else return false;
    } else d.imm2 = f.p;
    d.rm = regR(f.S);
    d.rd = regW(f.t);
    setFn(d, f.n, atomic);
  }],
];
