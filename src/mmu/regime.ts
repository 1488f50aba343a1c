// Translation regimes (Arm ARM D8.1.1 "Translation regimes"): which registers control a translation
// and how the TCR fields decode. Stage-1 regimes: EL1&0, EL2&0 (FEAT_VHE, HCR_EL2.E2H=1), EL2, EL3.
// Stage 2 (EL1&0 only): VTTBR_EL2/VTCR_EL2, or VSTTBR_EL2/VSTCR_EL2 for Secure EL1&0 (FEAT_SEL2).
import type { Cpu } from '../cpu/cpu';
import { R } from '../sysregs/table';

export const enum Regime {
  EL10 = 0,
  EL20 = 1,
  EL2 = 2,
  EL3 = 3,
}

export const REGIME_NAMES = ['EL1&0', 'EL2&0', 'EL2', 'EL3'];

/** Storage index of a register, or -1 while the table does not define it yet. */
function ix(name: string): number {
  const i = R[name];
  return i === undefined ? -1 : i;
}
export const IX = {
  TTBR0_EL1: ix('TTBR0_EL1'),
  TTBR1_EL1: ix('TTBR1_EL1'),
  TCR_EL1: ix('TCR_EL1'),
  MAIR_EL1: ix('MAIR_EL1'),
  SCTLR_EL1: ix('SCTLR_EL1'),
  TTBR0_EL2: ix('TTBR0_EL2'),
  TTBR1_EL2: ix('TTBR1_EL2'),
  TCR_EL2: ix('TCR_EL2'),
  MAIR_EL2: ix('MAIR_EL2'),
  SCTLR_EL2: ix('SCTLR_EL2'),
  TTBR0_EL3: ix('TTBR0_EL3'),
  TCR_EL3: ix('TCR_EL3'),
  MAIR_EL3: ix('MAIR_EL3'),
  SCTLR_EL3: ix('SCTLR_EL3'),
  VTTBR_EL2: ix('VTTBR_EL2'),
  VTCR_EL2: ix('VTCR_EL2'),
  VSTTBR_EL2: ix('VSTTBR_EL2'),
  VSTCR_EL2: ix('VSTCR_EL2'),
  HCR_EL2: ix('HCR_EL2'),
  SCR_EL3: ix('SCR_EL3'),
  PAR_EL1: ix('PAR_EL1'),
  HPFAR_EL2: ix('HPFAR_EL2'),
};

export function rlo(c: Cpu, i: number): number {
  return i < 0 ? 0 : c.sys[2 * i];
}
export function rhi(c: Cpu, i: number): number {
  return i < 0 ? 0 : c.sys[2 * i + 1];
}

/** Implemented physical address size (ID_AA64MMFR0_EL1.PARange = 0b0101, 48 bits). */
export const PAMAX = 48;
const PS_BITS = [32, 36, 40, 42, 44, 48, 52, 52];
/** Effective output size of an IPS/PS field value. */
export function psBits(ps: number): number {
  return Math.min(PS_BITS[ps & 7], PAMAX);
}

// HCR_EL2 bits (lo word unless noted)
export const HCR_VM = 1 << 0;
export const HCR_PTW = 1 << 2;
export const HCR_DC = 1 << 12;
export const HCR_TGE = 1 << 27;
export const HCRH_CD = 1 << 0; // bit 32
export const HCRH_ID = 1 << 1; // bit 33
export const HCRH_E2H = 1 << 2; // bit 34
export const HCRH_FWB = 1 << 14; // bit 46

/** Regime of the current EL (for ordinary accesses). */
export function currentRegime(c: Cpu): Regime {
  switch (c.el) {
    case 3:
      return Regime.EL3;
    case 2:
      return rhi(c, IX.HCR_EL2) & HCRH_E2H ? Regime.EL20 : Regime.EL2;
    case 1:
      return Regime.EL10;
    default:
      return c.isHostEl0Regime() ? Regime.EL20 : Regime.EL10;
  }
}

export function regimeEl(r: Regime): number {
  return r === Regime.EL10 ? 1 : r === Regime.EL3 ? 3 : 2;
}

/** Secure translation regime? EL3 is always Secure; the others follow SCR_EL3.NS. */
export function regimeSecure(c: Cpu, r: Regime): boolean {
  if (r === Regime.EL3) return true;
  return (rlo(c, IX.SCR_EL3) & 1) === 0;
}

/** EL2 enabled in the given security state (Arm ARM EL2Enabled()). */
export function el2EnabledFor(c: Cpu, secure: boolean): boolean {
  if (!secure) return true;
  return ((rlo(c, IX.SCR_EL3) >>> 18) & 1) === 1; // SCR_EL3.EEL2
}

/** Stage-1 control registers of a regime. */
export interface S1Regs {
  sctlr: number;
  tcrLo: number;
  tcrHi: number;
  mairLo: number;
  mairHi: number;
  ttbr0Lo: number;
  ttbr0Hi: number;
  ttbr1Lo: number;
  ttbr1Hi: number;
  twoRanges: boolean;
}

/** The stage-1 registers of a regime (a shared object: valid until the next call). */
export function s1Regs(c: Cpu, r: Regime): S1Regs {
  let sc: number, tcr: number, mair: number, t0: number, t1: number;
  switch (r) {
    case Regime.EL10:
      [sc, tcr, mair, t0, t1] = [IX.SCTLR_EL1, IX.TCR_EL1, IX.MAIR_EL1, IX.TTBR0_EL1, IX.TTBR1_EL1];
      break;
    case Regime.EL20:
      [sc, tcr, mair, t0, t1] = [IX.SCTLR_EL2, IX.TCR_EL2, IX.MAIR_EL2, IX.TTBR0_EL2, IX.TTBR1_EL2];
      break;
    case Regime.EL2:
      [sc, tcr, mair, t0, t1] = [IX.SCTLR_EL2, IX.TCR_EL2, IX.MAIR_EL2, IX.TTBR0_EL2, -1];
      break;
    default:
      [sc, tcr, mair, t0, t1] = [IX.SCTLR_EL3, IX.TCR_EL3, IX.MAIR_EL3, IX.TTBR0_EL3, -1];
  }
  const o = regsOut;
  o.sctlr = rlo(c, sc);
  o.tcrLo = rlo(c, tcr);
  o.tcrHi = rhi(c, tcr);
  o.mairLo = rlo(c, mair);
  o.mairHi = rhi(c, mair);
  o.ttbr0Lo = rlo(c, t0);
  o.ttbr0Hi = rhi(c, t0);
  o.ttbr1Lo = rlo(c, t1);
  o.ttbr1Hi = rhi(c, t1);
  o.twoRanges = r === Regime.EL10 || r === Regime.EL20;
  return o;
}
const regsOut: S1Regs = { sctlr: 0, tcrLo: 0, tcrHi: 0, mairLo: 0, mairHi: 0, ttbr0Lo: 0, ttbr0Hi: 0, ttbr1Lo: 0, ttbr1Hi: 0, twoRanges: false };

/** Is stage 1 enabled for the regime (SCTLR_ELx.M, and HCR_EL2.{DC,TGE} for EL1&0)? */
export function s1Enabled(c: Cpu, r: Regime, regs: S1Regs): boolean {
  if ((regs.sctlr & 1) === 0) return false;
  if (r === Regime.EL10 && el2EnabledFor(c, regimeSecure(c, r))) {
    const hcr = rlo(c, IX.HCR_EL2);
    if (hcr & (HCR_DC | HCR_TGE)) return false; // D8.2.10: DC/TGE make SCTLR_EL1.M behave as 0
  }
  return true;
}

/** Is stage 2 enabled for EL1&0 accesses (HCR_EL2.VM or DC, EL2 enabled)? */
export function s2Enabled(c: Cpu, secure: boolean): boolean {
  if (!el2EnabledFor(c, secure)) return false;
  return (rlo(c, IX.HCR_EL2) & (HCR_VM | HCR_DC)) !== 0;
}

/** Current VMID from VTTBR_EL2 (8 or 16 bits per VTCR_EL2.VS), or 0 when EL2 is not enabled. */
export function vmidOf(c: Cpu, secure: boolean): number {
  if (!el2EnabledFor(c, secure)) return 0;
  const v = rhi(c, IX.VTTBR_EL2) >>> 16;
  return (rlo(c, IX.VTCR_EL2) >>> 19) & 1 ? v : v & 0xff;
}

/** ASID of a regime with ASIDs (EL1&0, EL2&0): TCR.A1 selects TTBR1, TCR.AS selects 16 bits. */
export function asidOf(regs: S1Regs): number {
  if (!regs.twoRanges) return 0;
  const a1 = (regs.tcrLo >>> 22) & 1;
  const v = (a1 ? regs.ttbr1Hi : regs.ttbr0Hi) >>> 16;
  return (regs.tcrHi >>> 4) & 1 ? v : v & 0xff; // TCR.AS = bit 36
}

/** Granule shift from TCR.TG0 (00 4K, 01 64K, 10 16K; 11 reserved → 4K) */
export function tg0Shift(tg: number): number {
  return tg === 1 ? 16 : tg === 2 ? 14 : 12;
}
/** Granule shift from TCR.TG1 (01 16K, 10 4K, 11 64K; 00 reserved → 4K) */
export function tg1Shift(tg: number): number {
  return tg === 1 ? 14 : tg === 3 ? 16 : 12;
}
