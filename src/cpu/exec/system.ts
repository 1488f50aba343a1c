// Semantics of the A64 "system instructions" and "exception generation" classes (Arm ARM C4.1.87 /
// C5): MRS/MSR through the system-register table (src/sysregs), MSR (immediate), HINTs, barriers,
// CLREX, SYS/SYSL (DC, IC, TLBI, AT), SVC/HVC/SMC, BRK/HLT and ERET.
//
// Register accesses run one pipeline (resolveAccess):
//   1. minEl: an access from below the register's lowest EL is UNDEFINED (the architecture's
//      "not accessible" outranks every configurable trap), except FEAT_NV: EL2 registers accessed
//      from EL1 with HCR_EL2.NV = 1 trap to EL2 (EC 0x18);
//   2. trap controls: the register's declarative rules targeting EL1, then its custom `trap` hook,
//      then the rules targeting EL2/EL3 (HCR_EL2.TID*/TVM/TRVM/TACR..., MDCR_ELx, CPTR_ELx,
//      CNTHCTL_EL2...);
//   3. FEAT_VHE: `_EL12`/`_EL02` aliases (only with HCR_EL2.E2H = 1) and E2H redirection at EL2;
//   4. read/write through the register's accessors or its storage (write mask); a write to a
//      read-only register or a read of a write-only one is UNDEFINED.
import type { Row, Decoded } from '../decode/decoder';
import { regR, regW } from '../decode/decoder';
import type { Cpu } from '../cpu';
import { findSysReg, R, SYSREGS } from '../../sysregs/table';
import type { SysRegDef, CompiledTrap } from '../../sysregs/types';
import { EC, sysRegIss } from '../exceptions';
import { tlbi, at } from '../../mmu/maintenance';
import { Acc, TransOut } from '../../mmu/translate';
import { mmuOf } from '../../mmu/maintenance';
import { XRes, type XReq } from '../../mmu/mmu';
import { Regime } from '../../mmu/regime';
import { raiseAbort } from '../../mmu/tlb';
import { st64 } from '../mem';
import { clearExclusive } from '../exclusive';
import { el0Ctl } from '../../sysregs/regs/id';
import { PAUTH_HINTS, eretAuthElr, Key } from '../pauth';

// ------------------------------------------------------------------ access pipeline

/** Evaluate compiled trap rules whose target lies in [minTo, maxTo]. Returns true if one fired. */
function checkRules(c: Cpu, rules: CompiledTrap[], isRead: boolean, iss: number, minTo: number, maxTo: number): boolean {
  for (let k = 0; k < rules.length; k++) {
    const r = rules[k];
    if (r.to < minTo || r.to > maxTo) continue;
    if (isRead ? !r.onRead : !r.onWrite) continue;
    if (r.from.indexOf(c.el) < 0) continue;
    if (r.to === 2 && (!c.el2Enabled() || (c.el === 0 && c.isHostEl0Regime()))) continue;
    if (r.when !== undefined && !r.when(c)) continue;
    const base = 2 * r.ctlIdx;
    let set = (c.sys[base + r.word] & r.mask) !== 0;
    if (r.orMask !== 0 && (c.sys[base + r.orWord] & r.orMask) !== 0) set = true;
    if (set !== ((r.val ?? 1) === 1)) continue;
    c.syncException(EC.SYS64, iss, r.to === 1 && c.tge() ? 2 : r.to);
    return true;
  }
  return false;
}

function nvSet(c: Cpu): boolean {
  return c.el2Enabled() && ((c.hcrHi() >>> 10) & 1) === 1; // HCR_EL2.NV (bit 42)
}

/**
 * Steps 1–3 of the pipeline. Returns the definition the access reaches (after VHE aliasing or
 * redirection), or null when an exception was taken.
 */
export function resolveAccess(c: Cpu, def: SysRegDef, isRead: boolean, iss: number): SysRegDef | null {
  const el = c.el;
  if (el < def.minEl) {
    // not accessible from this EL: UNDEFINED, except that FEAT_NV traps a guest hypervisor's EL2
    // register accesses (and _EL12/_EL02) from EL1 to EL2
    if (el === 1 && def.minEl === 2 && nvSet(c)) c.syncException(EC.SYS64, iss, 2);
    else c.undefinedInstruction();
    return null;
  }
  const rules = def.compiled;
  if (rules !== undefined && checkRules(c, rules, isRead, iss, 1, 1)) return null;
  if (def.trap !== undefined && def.trap(c, isRead, def, iss)) return null;
  if (rules !== undefined && checkRules(c, rules, isRead, iss, 2, 3)) return null;
  let t = def;
  if (def.vheAlias) {
    if (!c.el2Enabled() || !c.e2h()) {
      c.undefinedInstruction();
      return null;
    }
    t = def.aliasDef!;
  } else if (def.redirectDef !== undefined && (el === 2 || (el === 0 && c.isHostEl0Regime())) && c.e2h()) {
    t = def.redirectDef;
  }
  if (isRead ? t.access === 'wo' : t.access === 'ro') {
    c.undefinedInstruction();
    return null;
  }
  return t;
}

/** Read a register's current value into c.tmpLo/tmpHi (no checks). */
function readValue(c: Cpu, t: SysRegDef): void {
  if (t.read !== undefined) t.read(c, t);
  else {
    const i = 2 * t.idx!;
    c.tmpLo = c.sys[i];
    c.tmpHi = c.sys[i + 1];
  }
}

/** Write a register (no checks): custom writer, or storage through the write mask + onWrite. */
function writeValue(c: Cpu, t: SysRegDef, lo: number, hi: number): void {
  if (t.write !== undefined) t.write(c, lo, hi, t);
  else {
    const i = 2 * t.idx!;
    c.sys[i] = ((c.sys[i] & ~t.wmLo!) | (lo & t.wmLo!)) >>> 0;
    c.sys[i + 1] = ((c.sys[i + 1] & ~t.wmHi!) | (hi & t.wmHi!)) >>> 0;
    if (t.onWrite !== undefined) t.onWrite(c, t);
  }
}

/**
 * FEAT_NV2 plug-in point: when set, MRS/MSR at EL1 first offer the access to this hook (the nested
 * virtualization work installs it: with HCR_EL2.{NV,NV2} = {1,1} accesses to registers with a `vncr`
 * offset become loads/stores to the VNCR_EL2 page). `slot` is the Rt slot offset in c.x (2 × Rt, XZR
 * mapped). Return true when the access was completed (or an exception was taken).
 */
export type NvAccessHook = (c: Cpu, def: SysRegDef, isRead: boolean, slot: number, iss: number) => boolean;
let nvAccessHook: NvAccessHook | null = nv2Access;
export function setNvAccessHook(h: NvAccessHook | null): void {
  nvAccessHook = h;
}

let redirectMap: Map<string, SysRegDef> | null = null;
/** EL2 register name → EL1 register whose E2H redirection targets it (built on first use) */
function nv2Redirect(): Map<string, SysRegDef> {
  if (redirectMap === null) {
    redirectMap = new Map();
    for (const d of SYSREGS) if (d.e2hRedirect && d.minEl === 1) redirectMap.set(d.e2hRedirect, d);
  }
  return redirectMap;
}

const xres = new XRes();
const xreq: XReq = { regime: Regime.EL2, secure: false, s2: false, acc: Acc.READ, el0: false, pan: false, update: true, useTlb: false };

/**
 * Default NV2 behaviour (Arm ARM D8, "Enhanced support for nested virtualization"): at EL1 with
 * HCR_EL2.{NV,NV2} = {1,1}, MRS/MSR of a VNCR-backed EL2 register, of a `_EL12`/`_EL02` alias, or
 * (with NV1 = 1) of VBAR_EL1/ELR_EL1/SPSR_EL1, become a 64-bit load/store at VNCR_EL2.BADDR + offset,
 * a VA of the EL2 (or EL2&0) regime. A fault is a data abort to EL2 with ISS.VNCR (bit 13) set.
 */
function nv2Access(c: Cpu, def: SysRegDef, isRead: boolean, slot: number, _iss: number): boolean {
  const h = c.hcrHi();
  if ((h & 0x2400) !== 0x2400 || !c.el2Enabled()) return false; // NV (42), NV2 (45)
  let off: number | undefined;
  if (def.vheAlias) off = def.aliasDef!.vncr;
  else if (def.minEl === 2) off = def.vncr;
  else if (h & 0x800 && (def.name === 'VBAR_EL1' || def.name === 'ELR_EL1' || def.name === 'SPSR_EL1')) off = def.vncr; // NV1 (43)
  if (off === undefined) {
    // register redirection (NV1 = 0, a VHE guest hypervisor): an EL2 register that has an EL1
    // counterpart (the inverse of the E2H redirection: ESR_EL2 → ESR_EL1, SCTLR_EL2 → SCTLR_EL1,
    // CNTHCTL_EL2 → CNTKCTL_EL1...) is accessed as that EL1 register
    const el1 = (h & 0x800) === 0 && def.minEl === 2 && !def.vheAlias ? nv2Redirect().get(def.name) : undefined;
    if (el1 === undefined) return false;
    if (isRead) {
      readValue(c, el1);
      if (c.abort) return true;
      c.x[slot] = c.tmpLo;
      c.x[slot + 1] = c.tmpHi;
    } else writeValue(c, el1, c.x[slot], c.x[slot + 1]);
    return true;
  }
  const lo = ((c.sysLo(R.VNCR_EL2) & ~0xfff) + off) >>> 0;
  let hi = c.sysHi(R.VNCR_EL2) & 0x1fffff; // BADDR [52:12], sign-extended from bit 52
  if (hi & 0x100000) hi = (hi | 0xffe00000) >>> 0;
  let pa: number;
  const mmu = mmuOf(c);
  if (mmu !== undefined) {
    xreq.regime = c.e2h() ? Regime.EL20 : Regime.EL2;
    xreq.secure = c.isSecure();
    xreq.acc = isRead ? Acc.READ : Acc.WRITE;
    if (!mmu.xlate(lo, hi, xreq, xres)) {
      c.syncException(EC.DABT_LOW, (xres.fsc & 0x3f) | (isRead ? 0 : 1 << 6) | (1 << 13), 2, [lo, hi]);
      return true;
    }
    pa = xres.pa;
  } else {
    pa = hi * 0x1_0000_0000 + lo;
  }
  if (isRead) {
    const v = c.bus.read64(pa, c.index);
    if (v === undefined) {
      c.syncException(EC.DABT_LOW, 0x10 | (1 << 13), 2, [lo, hi]);
      return true;
    }
    c.x[slot] = v[0];
    c.x[slot + 1] = v[1];
  } else if (!c.bus.write64(pa, c.x[slot], c.x[slot + 1], c.index)) {
    c.syncException(EC.DABT_LOW, 0x10 | (1 << 6) | (1 << 13), 2, [lo, hi]);
  }
  return true;
}

function mrs(c: Cpu, d: Decoded): void {
  if (nvAccessHook !== null && c.el === 1 && nvAccessHook(c, d.ext as SysRegDef, true, d.rd, d.imm)) return;
  const t = resolveAccess(c, d.ext as SysRegDef, true, d.imm);
  if (t === null) return;
  readValue(c, t);
  if (c.abort) return;
  c.x[d.rd] = c.tmpLo;
  c.x[d.rd + 1] = c.tmpHi;
}

function msr(c: Cpu, d: Decoded): void {
  if (nvAccessHook !== null && c.el === 1 && nvAccessHook(c, d.ext as SysRegDef, false, d.rn, d.imm)) {
    c.exitLoop = true;
    return;
  }
  const t = resolveAccess(c, d.ext as SysRegDef, false, d.imm);
  if (t === null) return;
  // registers whose writes change what the straight-line run depends on (translation context,
  // PSTATE masks, interrupt lines) end the run themselves (onWrite → contextChanged, DAIF, timers,
  // GIC); plain stored registers (ELR, SPSR, TPIDR...) do not, which keeps world switches cheap
  writeValue(c, t, c.x[d.rn], c.x[d.rn + 1]);
}

/** MRS/MSR of an encoding the table does not know. HCR_EL2.TIDCP traps EL1 accesses to the
 * IMPLEMENTATION DEFINED space (op0=3, CRn=11/15) to EL2; everything else is UNDEFINED. */
function unknownSysReg(c: Cpu, d: Decoded): void {
  const iss = d.imm;
  const crn = (iss >>> 10) & 0xf;
  const op0 = (iss >>> 20) & 3;
  if (c.el === 1 && op0 === 3 && (crn === 11 || crn === 15) && c.el2Enabled() && (c.hcrLo() >>> 20) & 1) {
    c.syncException(EC.SYS64, iss, 2);
    return;
  }
  c.undefinedInstruction();
}

// ------------------------------------------------------------------ MSR (immediate)

const PS_UAO = 0, PS_PAN = 1, PS_SPSEL = 2, PS_SSBS = 3, PS_DIT = 4, PS_DAIFSET = 5, PS_DAIFCLR = 6;

function msrImm(c: Cpu, d: Decoded): void {
  const imm = d.imm2; // CRm
  switch (d.imm3) {
    case PS_UAO:
    case PS_PAN:
    case PS_SPSEL:
      if (c.el === 0) return c.undefinedInstruction();
      if (d.imm3 === PS_SPSEL) c.switchElSp(c.el, imm & 1);
      else if (d.imm3 === PS_PAN) c.pan = imm & 1;
      else c.uao = imm & 1;
      c.contextChanged();
      return;
    case PS_SSBS:
      c.ssbs = imm & 1;
      return;
    case PS_DIT:
      c.dit = imm & 1;
      return;
    default:
      // DAIFSet / DAIFClr: EL0 needs SCTLR_EL1.UMA (bit 9)
      if (c.el === 0 && el0Ctl(c, 9, d.imm)) return;
      if (d.imm3 === PS_DAIFSET) c.daif |= imm;
      else c.daif &= ~imm & 0xf;
      c.exitLoop = true;
  }
}

// ------------------------------------------------------------------ hints, WFI/WFE, events

/** Something that ends a WFI/WFE wait is pending (Arm ARM D1.16.2): any physical or virtual
 * interrupt, masked or not. Then WFI/WFE complete at once (and are not trapped, as QEMU does). */
function wakePending(c: Cpu): boolean {
  return c.irqLine || c.fiqLine || c.virqLine || c.vfiqLine || c.serrorPending || (c.el <= 1 && c.el2Enabled() && (c.hcrLo() & 0x1c0) !== 0);
}

/** WFI (ti=0) / WFE (ti=1) traps: SCTLR_EL1.nTWI/nTWE at EL0, HCR_EL2.TWI/TWE, SCR_EL3.TWI/TWE.
 * EC 0x01, ISS: CV=1, COND=0xE, TI. */
function wfxTrap(c: Cpu, ti: number): boolean {
  const iss = 0x01e0_0000 | ti;
  const el = c.el;
  if (el === 0 && !(c.tge() && !c.e2h())) {
    const host = c.isHostEl0Regime();
    const sctlr = host ? c.sysLo(R.SCTLR_EL2) : c.sysLo(R.SCTLR_EL1);
    if (((sctlr >>> (ti ? 18 : 16)) & 1) === 0) {
      c.syncException(EC.WFX, iss, c.tge() ? 2 : 1);
      return true;
    }
  }
  if (el <= 1 && c.el2Enabled() && !c.isHostEl0Regime() && (c.hcrLo() >>> (ti ? 14 : 13)) & 1) {
    c.syncException(EC.WFX, iss, 2);
    return true;
  }
  if (el <= 2 && (c.sysLo(R.SCR_EL3) >>> (ti ? 13 : 12)) & 1) {
    c.syncException(EC.WFX, iss, 3);
    return true;
  }
  return false;
}

/** CPUs halted in WFE (SEV wakes only those) */
const inWfe = new WeakSet<Cpu>();

function wfi(c: Cpu, _d: Decoded): void {
  if (wakePending(c)) return;
  if (wfxTrap(c, 0)) return;
  inWfe.delete(c);
  c.halted = true;
  c.exitLoop = true;
  c.env.onWait?.(c, 'wfi');
}

function wfe(c: Cpu, _d: Decoded): void {
  if (c.eventRegister) {
    c.eventRegister = 0;
    return;
  }
  if (wakePending(c)) return;
  if (wfxTrap(c, 1)) return;
  inWfe.add(c);
  c.halted = true;
  c.exitLoop = true;
  c.env.onWait?.(c, 'wfe');
}

/** Is this CPU waiting in WFE (not WFI)? */
export function waitingInWfe(c: Cpu): boolean {
  return c.halted && inWfe.has(c);
}

/** A WFE wake-up event for one CPU (SEV from another PE, the generic timer's event stream). */
export function sendEvent(s: Cpu): void {
  s.eventRegister = 1;
  if (s.halted && inWfe.has(s)) {
    s.halted = false;
    inWfe.delete(s);
  }
}

function sev(c: Cpu, _d: Decoded): void {
  for (const s of c.siblings) {
    if (s === c) s.eventRegister = 1;
    else sendEvent(s);
  }
}

function sevl(c: Cpu, _d: Decoded): void {
  c.eventRegister = 1;
}

/** ESB (FEAT_RAS): a pending, masked SError is deferred into DISR_EL1; at EL1 with HCR_EL2.AMO a
 * pending virtual SError (HCR_EL2.VSE) is deferred into VDISR_EL2 with VSESR_EL2's syndrome. */
function esb(c: Cpu, _d: Decoded): void {
  if (c.el === 1 && c.el2Enabled() && !c.tge()) {
    const hcr = c.hcrLo();
    if (hcr & (1 << 5)) {
      if (hcr & (1 << 8) && c.daif & 4) {
        c.sys[2 * R.VDISR_EL2] = (0x8000_0000 | (c.sysLo(R.VSESR_EL2) & 0x01ff_ffff)) >>> 0;
        c.sys[2 * R.VDISR_EL2 + 1] = 0;
        c.sys[2 * R.HCR_EL2] &= ~(1 << 8);
      }
      return;
    }
  }
  if (c.serrorPending && c.daif & 4) {
    // A=1, IDS=0, AET=0 (uncontainable), DFSC=0x11 (asynchronous SError)
    c.sys[2 * R.DISR_EL1] = 0x8000_0011;
    c.sys[2 * R.DISR_EL1 + 1] = 0;
    c.serrorPending = false;
  }
}

function nop(_c: Cpu, _d: Decoded): void {}

function isb(c: Cpu, _d: Decoded): void {
  c.exitLoop = true;
}

function clrex(c: Cpu, _d: Decoded): void {
  clearExclusive(c);
}

// ------------------------------------------------------------------ SYS / SYSL: DC, IC, TLBI, AT

type SysKind = 'dc-zva' | 'dc-va' | 'dc-ivac' | 'dc-sw' | 'ic-all' | 'ic-va' | 'tlbi' | 'at';
interface SysOp {
  name: string;
  kind: SysKind;
  minEl: number;
  /** EL0 permission bit in SCTLR_EL1 (UCI 26, DZE 14), if EL0 may execute it */
  el0Bit?: number;
  /** HCR_EL2 bit that traps it from EL0/EL1 to EL2 */
  hcrBit?: number;
}

const sysOps = new Map<number, SysOp>();
const key = (op1: number, crn: number, crm: number, op2: number) => (op1 << 11) | (crn << 7) | (crm << 3) | op2;
function op(enc: string, name: string, kind: SysKind, minEl: number, hcrBit?: number, el0Bit?: number): void {
  const [op1, crn, crm, op2] = enc.split(':').map(Number);
  sysOps.set(key(op1, crn, crm, op2), { name, kind, minEl, hcrBit, el0Bit });
}
// HCR_EL2 bits: TSW 22, TPCP 23, TPU 24, TTLB 25, TDZ 28, AT 44 (FEAT_NV). SCTLR_EL1: UCI 26, DZE 14.
// Encodings: Arm ARM C5.3 (op1:CRn:CRm:op2 with op0 = 1).
op('0:7:1:0', 'IALLUIS', 'ic-all', 1, 24);
op('0:7:5:0', 'IALLU', 'ic-all', 1, 24);
op('3:7:5:1', 'IVAU', 'ic-va', 0, 24, 26);
op('0:7:6:1', 'IVAC', 'dc-ivac', 1, 23);
op('0:7:6:2', 'ISW', 'dc-sw', 1, 22);
op('0:7:10:2', 'CSW', 'dc-sw', 1, 22);
op('0:7:14:2', 'CISW', 'dc-sw', 1, 22);
op('3:7:4:1', 'ZVA', 'dc-zva', 0, 28, 14);
op('3:7:10:1', 'CVAC', 'dc-va', 0, 23, 26);
op('3:7:11:1', 'CVAU', 'dc-va', 0, 24, 26);
op('3:7:12:1', 'CVAP', 'dc-va', 0, 23, 26);
op('3:7:14:1', 'CIVAC', 'dc-va', 0, 23, 26);
// AT
op('0:7:8:0', 'S1E1R', 'at', 1, 44);
op('0:7:8:1', 'S1E1W', 'at', 1, 44);
op('0:7:8:2', 'S1E0R', 'at', 1, 44);
op('0:7:8:3', 'S1E0W', 'at', 1, 44);
op('4:7:8:0', 'S1E2R', 'at', 2);
op('4:7:8:1', 'S1E2W', 'at', 2);
op('4:7:8:4', 'S12E1R', 'at', 2);
op('4:7:8:5', 'S12E1W', 'at', 2);
op('4:7:8:6', 'S12E0R', 'at', 2);
op('4:7:8:7', 'S12E0W', 'at', 2);
op('6:7:8:0', 'S1E3R', 'at', 3);
op('6:7:8:1', 'S1E3W', 'at', 3);
// TLBI (v8.4's TLBI OS and range forms are not implemented: ID_AA64ISAR0_EL1.TLB = 0)
const T1: [string, string][] = [
  ['3:0', 'VMALLE1IS'], ['3:1', 'VAE1IS'], ['3:2', 'ASIDE1IS'], ['3:3', 'VAAE1IS'], ['3:5', 'VALE1IS'], ['3:7', 'VAALE1IS'],
  ['7:0', 'VMALLE1'], ['7:1', 'VAE1'], ['7:2', 'ASIDE1'], ['7:3', 'VAAE1'], ['7:5', 'VALE1'], ['7:7', 'VAALE1'],
];
for (const [e, n] of T1) op(`0:8:${e}`, n, 'tlbi', 1, 25);
const T2: [string, string][] = [
  ['0:1', 'IPAS2E1IS'], ['0:5', 'IPAS2LE1IS'], ['3:0', 'ALLE2IS'], ['3:1', 'VAE2IS'], ['3:4', 'ALLE1IS'], ['3:5', 'VALE2IS'],
  ['3:6', 'VMALLS12E1IS'], ['4:1', 'IPAS2E1'], ['4:5', 'IPAS2LE1'], ['7:0', 'ALLE2'], ['7:1', 'VAE2'], ['7:4', 'ALLE1'],
  ['7:5', 'VALE2'], ['7:6', 'VMALLS12E1'],
];
for (const [e, n] of T2) op(`4:8:${e}`, n, 'tlbi', 2);
const T3: [string, string][] = [['3:0', 'ALLE3IS'], ['3:1', 'VAE3IS'], ['3:5', 'VALE3IS'], ['7:0', 'ALLE3'], ['7:1', 'VAE3'], ['7:5', 'VALE3']];
for (const [e, n] of T3) op(`6:8:${e}`, n, 'tlbi', 3);

/** Names of every SYS operation we implement, e.g. 'DC ZVA', 'TLBI VMALLE1IS' (tests, disassembly). */
export function sysOpNames(): string[] {
  return [...sysOps.values()].map((o) => `${o.kind.startsWith('dc') ? 'DC' : o.kind.startsWith('ic') ? 'IC' : o.kind === 'at' ? 'AT' : 'TLBI'} ${o.name}`);
}

const tout = new TransOut();

/** Translation check of a cache maintenance by VA: faults are data aborts with CM = 1 and WnR = 1
 * (Arm ARM D17.2.37: "WnR ... cache maintenance instructions report 1"); memory is not touched. */
function cmoCheck(c: Cpu, lo: number, hi: number, acc: Acc): void {
  if (!c.translator.translate(lo, hi, acc, false, tout)) raiseAbort(c, tout, lo, hi, false, (1 << 8) | (1 << 6));
}

/** DC ZVA: zero the naturally aligned 64-byte block (DCZID_EL0.BS = 4) through the normal store
 * path. Device memory takes an Alignment fault (Arm ARM C6.2.x DC ZVA). */
function dcZva(c: Cpu, lo: number, hi: number): void {
  const a = (lo & ~63) >>> 0;
  if (!c.translator.translate(a, hi, Acc.WRITE, false, tout)) {
    raiseAbort(c, tout, a, hi, false, 1 << 6);
    return;
  }
  if (tout.device) {
    tout.fsc = 0x21;
    tout.stage2 = false;
    tout.s1ptw = false;
    tout.external = false;
    tout.targetEl = c.defaultSyncTarget();
    raiseAbort(c, tout, a, hi, false, 1 << 6);
    return;
  }
  for (let k = 0; k < 64; k += 8) {
    st64(c, (a + k) >>> 0, hi, 0, 0);
    if (c.abort) return;
  }
}

function sysExec(c: Cpu, d: Decoded): void {
  const o = d.ext as SysOp;
  const el = c.el;
  const iss = d.imm;
  // EL0 permission (SCTLR_EL1.UCI / DZE) → EC 0x18 to EL1 (EL2 under TGE)
  if (el === 0) {
    if (o.minEl > 0) return c.undefinedInstruction();
    if (o.el0Bit !== undefined && el0Ctl(c, o.el0Bit, iss)) return;
  }
  // HCR_EL2 instruction traps from EL0/EL1
  const hb = o.hcrBit;
  if (el <= 1 && hb !== undefined && c.el2Enabled() && !c.isHostEl0Regime() && (((hb < 32 ? c.hcrLo() >>> hb : c.hcrHi() >>> (hb - 32)) & 1) === 1)) {
    c.syncException(EC.SYS64, iss, 2);
    return;
  }
  if (el < o.minEl) {
    if (el === 1 && o.minEl === 2 && nvSet(c)) c.syncException(EC.SYS64, iss, 2);
    else c.undefinedInstruction();
    return;
  }
  const lo = c.x[d.rn], hi = c.x[d.rn + 1];
  switch (o.kind) {
    case 'dc-zva':
      dcZva(c, lo, hi);
      return;
    case 'dc-va':
    case 'ic-va':
      cmoCheck(c, lo, hi, Acc.READ);
      return;
    case 'dc-ivac':
      cmoCheck(c, lo, hi, Acc.WRITE);
      return;
    case 'dc-sw':
      return; // set/way: no caches modelled
    case 'ic-all':
      c.exitLoop = true; // decoded pages follow stores already; end the run to be safe
      return;
    case 'tlbi':
      tlbi(c, o.name, lo, hi, c.siblings);
      c.exitLoop = true;
      return;
    case 'at':
      at(c, o.name, lo, hi);
      return;
  }
}

// ------------------------------------------------------------------ exception generation

function takeTo(c: Cpu, target: number, ec: number, iss: number, retNext: boolean): void {
  const esr = ((ec << 26) | (1 << 25) | (iss & 0x1ffffff)) >>> 0;
  c.takeException(target, 'sync', esr, undefined, retNext ? [c.pcLo, c.pcHi] : undefined);
}

function svc(c: Cpu, d: Decoded): void {
  const el = c.el;
  const target = el === 0 ? (c.tge() ? 2 : 1) : el;
  takeTo(c, target, EC.SVC64, d.imm, true);
}

/** HVC (Arm ARM C6.2.x): UNDEFINED at EL0, at EL1 when EL2 is not enabled, when SCR_EL3.HCE = 0, and
 * at EL1 when HCR_EL2.HCD = 1. (The architecture makes HCD RES0 when EL3 is implemented; the default
 * board models QEMU's virtualization=on machine, which has no EL3 and honours HCD, so we honour both.)
 * PSCI is offered to the board first, as QEMU does. */
function hvc(c: Cpu, d: Decoded): void {
  const el = c.el;
  if (el === 0) return c.undefinedInstruction();
  if (c.env.psci?.(c, 'hvc', d.imm)) {
    c.exitLoop = true;
    return;
  }
  if (el === 1 && !c.el2Enabled()) return c.undefinedInstruction();
  if (((c.sysLo(R.SCR_EL3) >>> 8) & 1) === 0) return c.undefinedInstruction();
  if (el === 1 && (c.hcrLo() >>> 29) & 1) return c.undefinedInstruction();
  takeTo(c, el === 3 ? 3 : 2, EC.HVC64, d.imm, true);
}

/** SMC: UNDEFINED at EL0; HCR_EL2.TSC traps it from EL1 to EL2 (EC 0x17, ELR = the SMC); then PSCI
 * (board firmware); SCR_EL3.SMD = 1 makes it UNDEFINED; else the SMC exception goes to EL3 with
 * the preferred return address of the next instruction. */
function smc(c: Cpu, d: Decoded): void {
  const el = c.el;
  if (el === 0) return c.undefinedInstruction();
  if (el === 1 && c.el2Enabled() && (c.hcrLo() >>> 19) & 1) {
    takeTo(c, 2, EC.SMC64, d.imm, false);
    return;
  }
  if (c.env.psci?.(c, 'smc', d.imm)) {
    c.exitLoop = true;
    return;
  }
  if ((c.sysLo(R.SCR_EL3) >>> 7) & 1) return c.undefinedInstruction();
  takeTo(c, 3, EC.SMC64, d.imm, true);
}

/** BRK: debug exception (EC 0x3C, ISS = imm16), ELR = the BRK. From EL0/EL1 it goes to EL2 when
 * MDCR_EL2.TDE or HCR_EL2.TGE routes debug exceptions there. */
function brk(c: Cpu, d: Decoded): void {
  const el = c.el;
  let target = el;
  if (el <= 1) target = c.el2Enabled() && (c.tge() || (c.sysLo(R.MDCR_EL2) >>> 8) & 1) ? 2 : 1;
  takeTo(c, target, EC.BRK64, d.imm, false);
}

// ------------------------------------------------------------------ ERET

/** Arm ARM D1.11.2 "Illegal return events from AArch64 state". */
export function illegalReturn(c: Cpu, spsr: number): boolean {
  if (spsr & 0x10) return true; // AArch32 not implemented at any EL
  const m = spsr & 0xf;
  if (m & 2) return true; // reserved M[1]
  const target = m >>> 2;
  if (target === 0 && (m & 1)) return true; // no EL0h
  if (target > c.el) return true;
  if (target === 2 && !c.el2Enabled()) return true; // EL2 not enabled in the target Security state
  if (target === 1 && c.el2Enabled() && (c.hcrLo() >>> 27) & 1) return true; // HCR_EL2.TGE = 1
  return false;
}

/** ERET (d.imm = 0), ERETAA (1), ERETAB (2: FEAT_PAuth, ELR authenticated with SP as modifier) */
function eret(c: Cpu, d: Decoded): void {
  const from = c.el;
  if (from === 0) return c.undefinedInstruction();
  if (from === 1 && nvSet(c)) {
    // FEAT_NV: ERET from a guest hypervisor traps; ISS 0 = ERET, 2 = ERETAA, 3 = ERETAB
    c.syncException(EC.ERET, d.imm === 0 ? 0 : d.imm + 1, 2);
    return;
  }
  const spsrIdx = from === 1 ? R.SPSR_EL1 : from === 2 ? R.SPSR_EL2 : R.SPSR_EL3;
  const elrIdx = from === 1 ? R.ELR_EL1 : from === 2 ? R.ELR_EL2 : R.ELR_EL3;
  const spsr = c.sys[2 * spsrIdx];
  let elrLo = c.sys[2 * elrIdx];
  let elrHi = c.sys[2 * elrIdx + 1];
  if (d.imm !== 0) {
    const t = eretAuthElr(c, elrLo, elrHi, d.imm === 1 ? Key.IA : Key.IB);
    if (t === null) return;
    elrLo = Number(t & 0xffff_ffffn);
    elrHi = Number(t >> 32n);
  }
  if (illegalReturn(c, spsr)) {
    // PSTATE.{EL, SP, nRW} unchanged, IL = 1, the other fields from SPSR; the next instruction takes
    // the Illegal Execution state exception (EC 0x0E)
    c.setPstate(((spsr & ~0x1f) | (1 << 20) | (c.el << 2) | c.spSel) >>> 0);
  } else {
    c.setPstate(spsr);
  }
  c.pcLo = elrLo;
  c.pcHi = elrHi;
  clearExclusive(c);
  c.eventRegister = 1; // an exception return is a WFE wake-up event (SendEventLocal)
  // setPstate already switched the translation context for the EL/PAN change (cheap, memoised);
  // only end the straight-line run here
  c.exitLoop = true;
  c.env.onEret?.(c, from, c.el);
}

// ------------------------------------------------------------------ decoder rows

const HINT_FN = new Map<number, (c: Cpu, d: Decoded) => void>([
  [2, wfe],
  [3, wfi],
  [4, sev],
  [5, sevl],
  [0x10, esb],
  ...PAUTH_HINTS, // FEAT_PAuth: XPACLRI, PACIA1716..AUTIBSP
]);

/** CFINV (FEAT_FlagM): invert PSTATE.C */
function cfinv(c: Cpu): void {
  c.cf ^= 1;
}

export const SYSTEM_ROWS: Row[] = [
  ['MSR_imm', '1101010100000ppp0100mmmmqqq11111', (f, d) => {
    const k = (f.p << 3) | f.q;
    if (k === 0 && f.m === 0) {
      d.fn = cfinv; // CFINV (FEAT_FlagM): op1=0, CRm=0, op2=0
      return;
    }
    const which = k === 0o03 ? PS_UAO : k === 0o04 ? PS_PAN : k === 0o05 ? PS_SPSEL : k === 0o31 ? PS_SSBS : k === 0o32 ? PS_DIT : k === 0o36 ? PS_DAIFSET : k === 0o37 ? PS_DAIFCLR : -1;
    if (which < 0) return false;
    d.imm2 = f.m;
    d.imm3 = which;
    d.imm = sysRegIss(0, f.q, f.p, 4, 31, f.m, false);
    d.fn = msrImm;
  }],
  ['HINT', '11010101000000110010mmmmqqq11111', (f, d) => {
    // every unallocated hint is a NOP (BTI, CSDB, YIELD, DGH, PSB, TSB...)
    d.fn = HINT_FN.get((f.m << 3) | f.q) ?? nop;
  }],
  ['BARRIER', '11010101000000110011mmmmqqq11111', (f, d) => {
    switch (f.q) {
      case 2: d.fn = clrex; return;
      case 4: d.fn = nop; return; // DSB (CRm=0 SSBB, CRm=4 PSSBB)
      case 5: d.fn = nop; return; // DMB
      case 6: d.fn = isb; return; // ISB
      case 7: if (f.m !== 0) return false; d.fn = nop; return; // SB
      default: return false;
    }
  }],
  ['SYS', '1101010100001pppnnnnmmmmqqqttttt', (f, d) => {
    const o = sysOps.get(key(f.p, f.n, f.m, f.q));
    d.imm = sysRegIss(1, f.q, f.p, f.n, f.t, f.m, false);
    if (o === undefined) return false;
    d.ext = o;
    d.rn = regR(f.t);
    d.fn = sysExec;
  }],
  // SYSL: no SYSL operations exist in this implementation → UNDEFINED
  ['MSR_reg', '110101010001opppnnnnmmmmqqqttttt', (f, d) => {
    const op0 = 2 + f.o;
    d.imm = sysRegIss(op0, f.q, f.p, f.n, f.t, f.m, false);
    d.rn = regR(f.t);
    const def = findSysReg(op0, f.p, f.n, f.m, f.q);
    d.ext = def ?? null;
    d.fn = def ? msr : unknownSysReg;
  }],
  ['MRS', '110101010011opppnnnnmmmmqqqttttt', (f, d) => {
    const op0 = 2 + f.o;
    d.imm = sysRegIss(op0, f.q, f.p, f.n, f.t, f.m, true);
    d.rd = regW(f.t);
    const def = findSysReg(op0, f.p, f.n, f.m, f.q);
    d.ext = def ?? null;
    d.fn = def ? mrs : unknownSysReg;
  }],
  ['SVC', '11010100000iiiiiiiiiiiiiiii00001', (f, d) => {
    d.imm = f.i;
    d.fn = svc;
  }],
  ['HVC', '11010100000iiiiiiiiiiiiiiii00010', (f, d) => {
    d.imm = f.i;
    d.fn = hvc;
  }],
  ['SMC', '11010100000iiiiiiiiiiiiiiii00011', (f, d) => {
    d.imm = f.i;
    d.fn = smc;
  }],
  ['BRK', '11010100001iiiiiiiiiiiiiiii00000', (f, d) => {
    d.imm = f.i;
    d.fn = brk;
  }],
  // HLT: halting debug is never enabled (EDSCR.HDE = 0) → UNDEFINED
  ['HLT', '11010100010iiiiiiiiiiiiiiii00000', (_f, d) => {
    d.fn = (c) => c.undefinedInstruction();
  }],
  ['ERET', '11010110100111110000001111100000', (_f, d) => {
    d.imm = 0;
    d.fn = eret;
  }],
  ['ERETA', '110101101001111100001m1111111111', (f, d) => {
    d.imm = 1 + f.m;
    d.fn = eret;
  }],
];
