// Data memory access for instruction semantics. Fast path: a tag compare in the per-CPU TLB and a
// typed-array access into RAM. Everything else (first touch, MMIO, unaligned, page-crossing, faults,
// stores to code pages) goes through `slow*`, which never throws: on a fault it takes the exception,
// sets c.abort and returns 0. Callers check c.abort after each access before writing registers.
//
// 64-bit values travel as halves: ld64 leaves the result in c.tmpLo / c.tmpHi.
import type { Cpu } from './cpu';
import { TLB_MASK } from '../mmu/tlb';
import { raiseAbort } from '../mmu/tlb';
import { Acc, TransOut } from '../mmu/translate';
import { R } from '../sysregs/table';
import { monitorState, exclusiveNoteStore } from './exclusive';

export const enum MemFlags {
  NONE = 0,
  /** LDTR/STTR: checked with EL0 permissions */
  UNPRIV = 1,
  /** cache maintenance (ESR.CM) */
  CM = 2,
  /** access must be naturally aligned whatever the memory type (exclusives, atomics, acquire/release) */
  ALIGNED = 4,
}

/** ISS bits (ISV/SAS/SSE/SRT/SF/AR) of the current instruction for a data abort; set by ldst. */
let issOf: (c: Cpu) => number = () => 0;
export function setDataAbortIssBuilder(f: (c: Cpu) => number): void {
  issOf = f;
}

const out = new TransOut();

// ------------------------------------------------------------------ fast paths

export function ld8(c: Cpu, lo: number, hi: number): number {
  const t = c.tlb;
  const i = ((lo >>> 12) ^ (lo >>> 22)) & TLB_MASK;
  if (t.tagLo[i] === ((lo >>> 12) | (hi << 20)) && t.tagHi[i] === ((hi >>> 12) | c.ctxTag)) {
    const off = t.rd[i];
    if (off >= 0) return c.bus.ram8[off + (lo & 0xfff)];
  }
  return slowRead(c, lo, hi, 1, 0);
}

export function ld16(c: Cpu, lo: number, hi: number): number {
  const t = c.tlb;
  const i = ((lo >>> 12) ^ (lo >>> 22)) & TLB_MASK;
  if ((lo & 1) === 0 && t.tagLo[i] === ((lo >>> 12) | (hi << 20)) && t.tagHi[i] === ((hi >>> 12) | c.ctxTag)) {
    const off = t.rd[i];
    if (off >= 0) {
      const a = off + (lo & 0xfff);
      const m = c.bus.ram8;
      return m[a] | (m[a + 1] << 8);
    }
  }
  return slowRead(c, lo, hi, 2, 0);
}

export function ld32(c: Cpu, lo: number, hi: number): number {
  const t = c.tlb;
  const i = ((lo >>> 12) ^ (lo >>> 22)) & TLB_MASK;
  if ((lo & 3) === 0 && t.tagLo[i] === ((lo >>> 12) | (hi << 20)) && t.tagHi[i] === ((hi >>> 12) | c.ctxTag)) {
    const off = t.rd[i];
    if (off >= 0) return c.bus.ram32[(off + (lo & 0xfff)) >>> 2];
  }
  return slowRead(c, lo, hi, 4, 0);
}

/** 64-bit load: result in c.tmpLo / c.tmpHi */
export function ld64(c: Cpu, lo: number, hi: number): void {
  const t = c.tlb;
  const i = ((lo >>> 12) ^ (lo >>> 22)) & TLB_MASK;
  if ((lo & 7) === 0 && t.tagLo[i] === ((lo >>> 12) | (hi << 20)) && t.tagHi[i] === ((hi >>> 12) | c.ctxTag)) {
    const off = t.rd[i];
    if (off >= 0) {
      const w = (off + (lo & 0xfff)) >>> 2;
      c.tmpLo = c.bus.ram32[w];
      c.tmpHi = c.bus.ram32[w + 1];
      return;
    }
  }
  slowRead64(c, lo, hi, 0);
}

export function st8(c: Cpu, lo: number, hi: number, v: number): void {
  const t = c.tlb;
  const i = ((lo >>> 12) ^ (lo >>> 22)) & TLB_MASK;
  if (t.tagLo[i] === ((lo >>> 12) | (hi << 20)) && t.tagHi[i] === ((hi >>> 12) | c.ctxTag)) {
    const off = t.wr[i];
    if (off >= 0) {
      c.bus.ram8[off + (lo & 0xfff)] = v;
      return;
    }
  }
  slowWrite(c, lo, hi, 1, v, 0, 0);
}

export function st16(c: Cpu, lo: number, hi: number, v: number): void {
  const t = c.tlb;
  const i = ((lo >>> 12) ^ (lo >>> 22)) & TLB_MASK;
  if ((lo & 1) === 0 && t.tagLo[i] === ((lo >>> 12) | (hi << 20)) && t.tagHi[i] === ((hi >>> 12) | c.ctxTag)) {
    const off = t.wr[i];
    if (off >= 0) {
      const a = off + (lo & 0xfff);
      c.bus.ram8[a] = v;
      c.bus.ram8[a + 1] = v >>> 8;
      return;
    }
  }
  slowWrite(c, lo, hi, 2, v, 0, 0);
}

export function st32(c: Cpu, lo: number, hi: number, v: number): void {
  const t = c.tlb;
  const i = ((lo >>> 12) ^ (lo >>> 22)) & TLB_MASK;
  if ((lo & 3) === 0 && t.tagLo[i] === ((lo >>> 12) | (hi << 20)) && t.tagHi[i] === ((hi >>> 12) | c.ctxTag)) {
    const off = t.wr[i];
    if (off >= 0) {
      c.bus.ram32[(off + (lo & 0xfff)) >>> 2] = v;
      return;
    }
  }
  slowWrite(c, lo, hi, 4, v, 0, 0);
}

export function st64(c: Cpu, lo: number, hi: number, vlo: number, vhi: number): void {
  const t = c.tlb;
  const i = ((lo >>> 12) ^ (lo >>> 22)) & TLB_MASK;
  if ((lo & 7) === 0 && t.tagLo[i] === ((lo >>> 12) | (hi << 20)) && t.tagHi[i] === ((hi >>> 12) | c.ctxTag)) {
    const off = t.wr[i];
    if (off >= 0) {
      const w = (off + (lo & 0xfff)) >>> 2;
      c.bus.ram32[w] = vlo;
      c.bus.ram32[w + 1] = vhi;
      return;
    }
  }
  slowWrite64(c, lo, hi, vlo, vhi, 0);
}

// ------------------------------------------------------------------ flagged accesses (slow path always)

/** Load of 1/2/4 bytes with flags (unprivileged, must-be-aligned). */
export function ldFlags(c: Cpu, lo: number, hi: number, size: number, flags: number): number {
  return slowRead(c, lo, hi, size, flags);
}
export function ld64Flags(c: Cpu, lo: number, hi: number, flags: number): void {
  slowRead64(c, lo, hi, flags);
}
export function stFlags(c: Cpu, lo: number, hi: number, size: number, v: number, flags: number): void {
  slowWrite(c, lo, hi, size, v, 0, flags);
}
export function st64Flags(c: Cpu, lo: number, hi: number, vlo: number, vhi: number, flags: number): void {
  slowWrite64(c, lo, hi, vlo, vhi, flags);
}

/**
 * Translate an access that stays within one page and is performed by the caller directly on the bus
 * (atomics, exclusives): returns the PA, or -1 after raising the abort (alignment as for any access,
 * plus MemFlags.ALIGNED; watchpoints). `write` selects the permission checked (and ESR.WnR).
 */
export function translateData(c: Cpu, lo: number, hi: number, size: number, write: boolean, flags: number): number {
  if ((lo & (size - 1)) !== 0 && ((flags & MemFlags.ALIGNED) !== 0 || alignCheckEnabled(c))) {
    alignmentFault(c, lo, hi, write);
    return -1;
  }
  const pa = xlate(c, lo, hi, size, write, flags);
  if (pa < 0) return -1;
  if (c.watchCheck !== null && c.watchCheck(c, lo, hi, pa, size, write)) return -1;
  return pa;
}

/** Synchronous external abort for a bus access the caller made itself after translateData. */
export function dataBusError(c: Cpu, lo: number, hi: number, write: boolean): void {
  busError(c, lo, hi, write);
}

// ------------------------------------------------------------------ slow paths

/** SCTLR_ELx.A for the current regime (alignment checking of all data accesses). */
function alignCheckEnabled(c: Cpu): boolean {
  const el = c.el;
  let idx: number;
  if (el === 3) idx = R.SCTLR_EL3;
  else if (el === 2 || (el === 0 && c.isHostEl0Regime())) idx = R.SCTLR_EL2;
  else idx = R.SCTLR_EL1;
  return (c.sysLo(idx) & 2) !== 0;
}

function alignmentFault(c: Cpu, lo: number, hi: number, write: boolean): void {
  out.fsc = 0x21;
  out.stage2 = false;
  out.s1ptw = false;
  out.external = false;
  out.targetEl = c.defaultSyncTarget();
  raiseAbort(c, out, lo, hi, false, (write ? 1 << 6 : 0) | issOf(c));
}

/**
 * Translate one access that lies within a page. Returns the PA or -1 after raising the abort.
 * Checks alignment against the memory type (Device memory: every unaligned access faults).
 */
function xlate(c: Cpu, lo: number, hi: number, size: number, write: boolean, flags: number): number {
  const acc = write ? Acc.WRITE : Acc.READ;
  if (!c.translator.translate(lo, hi, acc, (flags & MemFlags.UNPRIV) !== 0, out)) {
    raiseAbort(c, out, lo, hi, false, (write ? 1 << 6 : 0) | (flags & MemFlags.CM ? 1 << 8 : 0) | issOf(c));
    return -1;
  }
  if ((lo & (size - 1)) !== 0 && (out.device || flags & MemFlags.ALIGNED)) {
    alignmentFault(c, lo, hi, write);
    return -1;
  }
  return out.pa;
}

function busError(c: Cpu, lo: number, hi: number, write: boolean): void {
  out.fsc = 0x10;
  out.stage2 = false;
  out.s1ptw = false;
  out.external = true;
  out.targetEl = c.defaultSyncTarget();
  raiseAbort(c, out, lo, hi, false, (write ? 1 << 6 : 0) | issOf(c));
}

export function slowRead(c: Cpu, lo: number, hi: number, size: number, flags: number): number {
  if ((lo & (size - 1)) !== 0 && ((flags & MemFlags.ALIGNED) !== 0 || alignCheckEnabled(c))) {
    alignmentFault(c, lo, hi, false);
    return 0;
  }
  const pageRest = 4096 - (lo & 0xfff);
  if (size > pageRest) {
    // page-crossing: byte by byte in ascending address order (each byte translated; faults report
    // the first bad byte's VA, i.e. the start of the faulting page, as QEMU does)
    let v = 0;
    for (let k = 0; k < size; k++) {
      const b = readOne(c, (lo + k) >>> 0, lo + k > 0xffffffff ? (hi + 1) >>> 0 : hi, 1, flags);
      if (c.abort) return 0;
      v += b * 2 ** (8 * k);
    }
    return v >>> 0;
  }
  return readOne(c, lo, hi, size, flags);
}

function readOne(c: Cpu, lo: number, hi: number, size: number, flags: number): number {
  const pa = xlate(c, lo, hi, size, false, flags);
  if (pa < 0) return 0;
  if (c.watchCheck !== null && c.watchCheck(c, lo, hi, pa, size, false)) return 0;
  if (!(flags & MemFlags.UNPRIV)) c.tlb.fill(lo, hi, out);
  const v = c.bus.read(pa, size, c.index);
  if (v === undefined) {
    busError(c, lo, hi, false);
    return 0;
  }
  return v;
}

export function slowRead64(c: Cpu, lo: number, hi: number, flags: number): void {
  if ((lo & 7) !== 0 && ((flags & MemFlags.ALIGNED) !== 0 || alignCheckEnabled(c))) {
    alignmentFault(c, lo, hi, false);
    return;
  }
  if ((lo & 0xfff) > 0xff8) {
    const hi2 = lo + 4 > 0xffffffff ? (hi + 1) >>> 0 : hi;
    const a = slowRead(c, lo, hi, 4, flags);
    if (c.abort) return;
    const b = slowRead(c, (lo + 4) >>> 0, hi2, 4, flags);
    if (c.abort) return;
    c.tmpLo = a;
    c.tmpHi = b;
    return;
  }
  const pa = xlate(c, lo, hi, 8, false, flags);
  if (pa < 0) return;
  if (c.watchCheck !== null && c.watchCheck(c, lo, hi, pa, 8, false)) return;
  if (!(flags & MemFlags.UNPRIV)) c.tlb.fill(lo, hi, out);
  const v = c.bus.read64(pa, c.index);
  if (v === undefined) {
    busError(c, lo, hi, false);
    return;
  }
  c.tmpLo = v[0];
  c.tmpHi = v[1];
}

export function slowWrite(c: Cpu, lo: number, hi: number, size: number, v: number, _unused: number, flags: number): void {
  if ((lo & (size - 1)) !== 0 && ((flags & MemFlags.ALIGNED) !== 0 || alignCheckEnabled(c))) {
    alignmentFault(c, lo, hi, true);
    return;
  }
  const pageRest = 4096 - (lo & 0xfff);
  if (size > pageRest) {
    // translate both pages first so a fault on the second leaves memory untouched
    const hi2 = lo + pageRest > 0xffffffff ? (hi + 1) >>> 0 : hi;
    if (xlate(c, lo, hi, 1, true, flags) < 0) return;
    if (xlate(c, (lo + pageRest) >>> 0, hi2, 1, true, flags) < 0) return;
    for (let k = 0; k < size; k++) {
      writeOne(c, (lo + k) >>> 0, lo + k > 0xffffffff ? (hi + 1) >>> 0 : hi, 1, (v >>> (8 * k)) & 0xff, flags);
      if (c.abort) return;
    }
    return;
  }
  writeOne(c, lo, hi, size, v, flags);
}

function writeOne(c: Cpu, lo: number, hi: number, size: number, v: number, flags: number): void {
  const pa = xlate(c, lo, hi, size, true, flags);
  if (pa < 0) return;
  if (c.watchCheck !== null && c.watchCheck(c, lo, hi, pa, size, true)) return;
  if (!(flags & MemFlags.UNPRIV)) c.tlb.fill(lo, hi, out);
  const gen = c.tlb.code.gen;
  if (!c.bus.write(pa, size, v, c.index)) {
    busError(c, lo, hi, true);
    return;
  }
  noteStore(c, pa, gen);
}

export function slowWrite64(c: Cpu, lo: number, hi: number, vlo: number, vhi: number, flags: number): void {
  if ((lo & 7) !== 0 && ((flags & MemFlags.ALIGNED) !== 0 || alignCheckEnabled(c))) {
    alignmentFault(c, lo, hi, true);
    return;
  }
  if ((lo & 0xfff) > 0xff8) {
    const hi2 = lo + 4 > 0xffffffff ? (hi + 1) >>> 0 : hi;
    // check both halves translate before writing either
    if (xlate(c, lo, hi, 1, true, flags) < 0) return;
    const lo2 = (lo + 0x1000 - (lo & 0xfff)) >>> 0; // first byte of the second page (FAR on a fault)
    if (xlate(c, lo2, lo2 < lo ? (hi + 1) >>> 0 : hi, 1, true, flags) < 0) return;
    slowWrite(c, lo, hi, 4, vlo, 0, flags);
    if (c.abort) return;
    slowWrite(c, (lo + 4) >>> 0, hi2, 4, vhi, 0, flags);
    return;
  }
  const pa = xlate(c, lo, hi, 8, true, flags);
  if (pa < 0) return;
  if (c.watchCheck !== null && c.watchCheck(c, lo, hi, pa, 8, true)) return;
  if (!(flags & MemFlags.UNPRIV)) c.tlb.fill(lo, hi, out);
  const gen = c.tlb.code.gen;
  if (!c.bus.write64(pa, vlo, vhi, c.index)) {
    busError(c, lo, hi, true);
    return;
  }
  noteStore(c, pa, gen);
}

/** A slow-path store landed: if it hit code the current run must re-fetch its decoded page. */
function noteStore(c: Cpu, pa: number, codeGen: number): void {
  // Bus.write already told the code cache (DecodedPage.valid=false); ending the straight-line run
  // makes the loop re-fetch in case the store hit the page being executed. A RAM store that dropped
  // no decoded page (data beside code in a page, or a page kept on the slow path) goes on; a device
  // store always ends the run (it may have raised an interrupt or changed the machine).
  if (c.tlb.code.gen !== codeGen || c.bus.ramOffset(pa) < 0) c.exitLoop = true;
  // global exclusive monitor: other CPUs' reservations on this granule are lost (exclusive.ts)
  if (monitorState.live !== 0) exclusiveNoteStore(c, pa, 8);
}
