// Shared pieces of the load/store class: SP alignment check wrapper, LDTR/STTR privilege selection,
// address arithmetic on halves, and the data-abort ISS builder (ISV/SAS/SSE/SRT/SF/AR).
import type { Cpu } from '../cpu';
import type { Decoded, ExecFn } from '../decode/decoder';
import { EC } from '../exceptions';
import { R } from '../../sysregs/table';
import { MemFlags, setDataAbortIssBuilder } from '../mem';

const SCTLR1 = R.SCTLR_EL1;
const SCTLR2 = R.SCTLR_EL2;
const SCTLR3 = R.SCTLR_EL3;

/**
 * SP alignment check (Arm ARM D1.8.2 "SP alignment checking"): the base is SP (Rn == 31), SP is not
 * 16-byte aligned and SCTLR_ELx.SA (SA0 at EL0) is set → SP alignment fault (EC 0x26, ISS 0).
 * Returns true when the fault was taken.
 */
export function spAlignFault(c: Cpu): boolean {
  const el = c.el;
  let sa: number;
  if (el === 0) sa = (c.sysLo(c.isHostEl0Regime() ? SCTLR2 : SCTLR1) >>> 4) & 1;
  else if (el === 1) sa = (c.sysLo(SCTLR1) >>> 3) & 1;
  else if (el === 2) sa = (c.sysLo(SCTLR2) >>> 3) & 1;
  else sa = (c.sysLo(SCTLR3) >>> 3) & 1;
  if (sa === 0) return false;
  c.syncException(EC.SP_ALIGN, 0);
  return true;
}

const spWrapped = new Map<ExecFn, ExecFn>();
/** The exec fn with an SP alignment check in front (used only when Rn == 31, chosen at decode). */
export function withSpCheck(fn: ExecFn): ExecFn {
  let w = spWrapped.get(fn);
  if (w === undefined) {
    const inner = fn;
    w = (c: Cpu, d: Decoded) => {
      if ((c.x[62] & 15) !== 0 && spAlignFault(c)) return;
      inner(c, d);
    };
    spWrapped.set(fn, w);
  }
  return w;
}

/** Install `fn`, wrapped with the SP alignment check when the base register is SP. */
export function setFn(d: Decoded, n: number, fn: ExecFn): void {
  d.fn = n === 31 ? withSpCheck(fn) : fn;
}

/**
 * Flags for LDTR/STTR-family accesses (Arm ARM C6.2 LDTR, "AArch64.UnprivilegedAccess"): checked as
 * EL0 at EL1 and at EL2 in the EL2&0 host regime, unless PSTATE.UAO is set or HCR_EL2.{NV,NV1} = {1,1}
 * at EL1. Elsewhere they behave as ordinary accesses.
 */
export function unprivFlags(c: Cpu): number {
  if (c.uao) return 0;
  const el = c.el;
  if (el === 1) {
    if (c.el2Enabled() && (c.hcrHi() & 0xc00) === 0xc00) return 0;
    return MemFlags.UNPRIV;
  }
  if (el === 2 && c.isHostEl0Regime()) return MemFlags.UNPRIV;
  return 0;
}

/** Signed-offset address: c.tmpLo/tmpHi = (lo,hi) + k, |k| < 2^31. */
export function addrS(c: Cpu, lo: number, hi: number, k: number): void {
  const s = lo + k;
  c.tmpLo = s >>> 0;
  c.tmpHi = s < 0 ? (hi - 1) >>> 0 : s > 0xffffffff ? (hi + 1) >>> 0 : hi;
}

/**
 * ISS bits 24:14 of a data abort for the instruction being executed (Arm ARM D17.2.37, "ISS encoding
 * for an exception from a Data Abort"): ISV=1 with SAS/SSE/SRT/SF/AR for single general-purpose
 * register loads/stores without writeback (immediate unsigned offset, unscaled, unprivileged,
 * register offset, literal, load-acquire/store-release, LDAPR). Everything else: ISV = 0.
 */
export function dataAbortIss(c: Cpu): number {
  const d = c.curInsn;
  if (d === null) return 0;
  const r = d.raw;
  const rt = r & 31;
  let size = (r >>> 30) & 3;
  let sse = 0;
  let sf = 0;
  let ar = 0;
  let isLdst = false;
  if ((r & 0x3f000000) === 0x39000000) isLdst = true; // unsigned offset, V=0
  else if ((r & 0x3f200400) === 0x38000000) isLdst = true; // unscaled (op 00) / unprivileged (op 10)
  else if ((r & 0x3f200c00) === 0x38200800) isLdst = true; // register offset
  else if ((r & 0x3f000000) === 0x18000000) {
    // literal: opc 00 W, 01 X, 10 LDRSW
    const opc = r >>> 30;
    if (opc === 3) return 0;
    size = opc === 1 ? 3 : 2;
    sse = opc === 2 ? 1 : 0;
    sf = opc === 0 ? 0 : 1;
  } else if ((r & 0x3fa00000) === 0x08800000) {
    // LDAR/STLR (o2=1 o1=0)
    ar = 1;
    sf = size === 3 ? 1 : 0;
  } else if ((r & 0x3ffffc00) === 0x38bfc000) {
    // LDAPR
    ar = 1;
    sf = size === 3 ? 1 : 0;
  } else return 0;
  if (isLdst) {
    const opc = (r >>> 22) & 3;
    if (opc === 0 || opc === 1) sf = size === 3 ? 1 : 0;
    else {
      if (size === 3) return 0; // PRFM never faults
      sse = 1;
      sf = opc === 2 ? 1 : 0;
    }
  }
  return ((1 << 24) | (size << 22) | (sse << 21) | (rt << 16) | (sf << 15) | (ar << 14)) >>> 0;
}

/** Register offset: c.tmp = Xn + (extend(Rm) << d.imm); d.imm2 = option (2 UXTW, 3/7 LSL, 6 SXTW). */
export function regOffsetAddr(c: Cpu, d: Decoded): void {
  const x = c.x;
  let mLo = x[d.rm];
  const o = d.imm2;
  let mHi = o === 2 ? 0 : o === 6 ? ((mLo | 0) < 0 ? 0xffffffff : 0) : x[d.rm + 1];
  const s = d.imm;
  if (s !== 0) {
    mHi = ((mHi << s) | (mLo >>> (32 - s))) >>> 0;
    mLo = (mLo << s) >>> 0;
  }
  const a = x[d.rn];
  const lo = (a + mLo) >>> 0;
  c.tmpLo = lo;
  c.tmpHi = (x[d.rn + 1] + mHi + (lo < a ? 1 : 0)) >>> 0;
}
setDataAbortIssBuilder(dataAbortIss);
