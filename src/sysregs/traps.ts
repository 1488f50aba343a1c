// Architectural trap controls as data (Arm ARM D1.14 "Configurable instruction controls" and the
// field descriptions of HCR_EL2, MDCR_EL2/EL3, CPTR_EL2/EL3, SCR_EL3, CNTHCTL_EL2, SCTLR_EL1).
// Registers list the rules that trap them; src/cpu/exec/system.ts evaluates them.
import type { Cpu } from '../cpu/cpu';
import type { TrapRule } from './types';

const EL1 = [1] as const;
const EL01 = [0, 1] as const;
const EL012 = [0, 1, 2] as const;

function hcr(name: string, bit: number, on: 'r' | 'w' | 'rw', from: readonly number[] = EL1): TrapRule {
  return { name: `HCR_EL2.${name}`, ctl: 'HCR_EL2', bit, on, from, to: 2 };
}
function mdcr2(name: string, bit: number, from: readonly number[] = EL01, orTde = false): TrapRule {
  return { name: `MDCR_EL2.${name}`, ctl: 'MDCR_EL2', bit, from, to: 2, ...(orTde ? { orBit: 8 } : {}) };
}
function mdcr3(name: string, bit: number, from: readonly number[] = EL012): TrapRule {
  return { name: `MDCR_EL3.${name}`, ctl: 'MDCR_EL3', bit, from, to: 3 };
}
const e2h = (c: Cpu) => c.e2h();
const noE2h = (c: Cpu) => !c.e2h();

/** HCR_EL2 bit positions (Arm ARM D17.2.48) */
export const HCR = {
  VM: 0, SWIO: 1, PTW: 2, FMO: 3, IMO: 4, AMO: 5, VF: 6, VI: 7, VSE: 8, FB: 9, DC: 12, TWI: 13, TWE: 14,
  TID0: 15, TID1: 16, TID2: 17, TID3: 18, TSC: 19, TIDCP: 20, TACR: 21, TSW: 22, TPCP: 23, TPU: 24,
  TTLB: 25, TVM: 26, TGE: 27, TDZ: 28, HCD: 29, TRVM: 30, RW: 31, CD: 32, ID: 33, E2H: 34, TLOR: 35,
  TERR: 36, TEA: 37, APK: 40, API: 41, NV: 42, NV1: 43, AT: 44, NV2: 45, FWB: 46,
} as const;

/** SCR_EL3 bit positions (Arm ARM D17.2.117) */
export const SCR = {
  NS: 0, IRQ: 1, FIQ: 2, EA: 3, SMD: 7, HCE: 8, SIF: 9, RW: 10, ST: 11, TWI: 12, TWE: 13, TLOR: 14,
  TERR: 15, APK: 16, API: 17, EEL2: 18,
} as const;

export const T = {
  // ---- HCR_EL2 (traps from EL1; TID2's CTR_EL0 and TPU/TPCP also from EL0)
  TID1: hcr('TID1', HCR.TID1, 'r'),
  TID2: hcr('TID2', HCR.TID2, 'rw'),
  TID2_EL0: hcr('TID2', HCR.TID2, 'r', EL01),
  TID3: hcr('TID3', HCR.TID3, 'r'),
  TACR: hcr('TACR', HCR.TACR, 'rw'),
  TVM: hcr('TVM', HCR.TVM, 'w'),
  TRVM: hcr('TRVM', HCR.TRVM, 'r'),
  TLOR: hcr('TLOR', HCR.TLOR, 'rw'),
  TERR: hcr('TERR', HCR.TERR, 'rw'),
  // FEAT_NV: with HCR_EL2.NV = 1 and NV2 = 0, NV1 traps EL1 accesses to VBAR_EL1, ELR_EL1, SPSR_EL1
  NV1: { ...hcr('NV1', HCR.NV1, 'rw'), when: (c: Cpu) => (c.hcrHi() & 0x2400) === 0x400 } as TrapRule,
  // FEAT_PAuth key registers: HCR_EL2.APK = 0 traps EL1 accesses (Arm ARM D17.2.48)
  APK: { ...hcr('APK', HCR.APK, 'rw'), val: 0 } as TrapRule,
  // ---- SCR_EL3 (traps from EL1/EL2 to EL3)
  APK3: { name: 'SCR_EL3.APK', ctl: 'SCR_EL3', bit: SCR.APK, val: 0, from: [1, 2], to: 3 } as TrapRule,
  TLOR3: { name: 'SCR_EL3.TLOR', ctl: 'SCR_EL3', bit: SCR.TLOR, from: [1, 2], to: 3 } as TrapRule,
  TERR3: { name: 'SCR_EL3.TERR', ctl: 'SCR_EL3', bit: SCR.TERR, from: [1, 2], to: 3 } as TrapRule,
  // ---- CPTR_EL2 / CPTR_EL3 TCPAC: CPACR_EL1 (and CPTR_EL2) accesses
  TCPAC2: { name: 'CPTR_EL2.TCPAC', ctl: 'CPTR_EL2', bit: 31, from: EL1, to: 2, when: noE2h } as TrapRule,
  TCPAC2_E2H: { name: 'CPTR_EL2.TCPAC', ctl: 'CPTR_EL2', bit: 31, from: EL1, to: 2, when: e2h } as TrapRule,
  TCPAC3: { name: 'CPTR_EL3.TCPAC', ctl: 'CPTR_EL3', bit: 31, from: [1, 2], to: 3 } as TrapRule,
  /** CPTR_EL3.TCPAC on CPTR_EL2 itself (EL2 accesses) */
  TCPAC3_EL2: { name: 'CPTR_EL3.TCPAC', ctl: 'CPTR_EL3', bit: 31, from: [2], to: 3 } as TrapRule,
  // ---- MDCR_EL2 (debug and PMU, from EL0/EL1); TDE forces TDA/TDOSA/TDRA
  TPM: mdcr2('TPM', 6),
  TPMCR: mdcr2('TPMCR', 5),
  TDA: mdcr2('TDA', 9, EL01, true),
  TDOSA: mdcr2('TDOSA', 10, EL1, true),
  TDRA: mdcr2('TDRA', 11, EL01, true),
  // ---- MDCR_EL3 (from EL0..EL2)
  TPM3: mdcr3('TPM', 6),
  TDA3: mdcr3('TDA', 9),
  TDOSA3: mdcr3('TDOSA', 10, [1, 2]),
} satisfies Record<string, TrapRule>;

/** The virtual-memory controls trapped by HCR_EL2.TVM (writes) and TRVM (reads) */
export const VM_TRAPS = [T.TVM, T.TRVM] as const;
/** Debug register traps (MDCR_EL2.TDA / MDCR_EL3.TDA) */
export const DBG_TRAPS = [T.TDA, T.TDA3] as const;
/** PMU register traps */
export const PMU_TRAPS = [T.TPM, T.TPM3] as const;
