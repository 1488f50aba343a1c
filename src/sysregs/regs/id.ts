// Identification registers (Arm ARM D17.2, encodings op0=3 op1=0 CRn=0; cross-checked with Linux
// arch/arm64/tools/sysreg). They describe exactly what el2scope implements: AArch64 only at every EL,
// FP and AdvSIMD with half precision, the crypto extensions (AES+PMULL, SHA1, SHA256/512, SHA3), RDM,
// DotProd, JSCVT, FCMA, FRINTTS, GICv3 system registers, FEAT_VHE/NV2/SEL2/VMID16/S2FWB/PAN/LSE/CRC32/
// RAS/LOR, SM3/SM4, FHM. Not: SVE, BF16, I8MM, AFP (their encodings are UNDEFINED here).
// Reads at EL1 are trapped to EL2 by HCR_EL2.TID3 (ID group 3), TID2 (cache IDs), TID1.
import type { SysRegDef } from '../types';
import type { Cpu } from '../../cpu/cpu';
import { reg, idReg } from './define';
import { R } from '../table';
import { T } from '../traps';

const TID3 = { traps: [T.TID3] };
const h = (hi: number, lo: number) => (BigInt(hi >>> 0) << 32n) | BigInt(lo >>> 0);

/** ID_AA64PFR0_EL1: EL0..EL3 AArch64-only (1), FP and AdvSIMD with half-precision arithmetic
 * (1 = FEAT_FP16), GIC sysregs (1), RAS (1), SEL2 (1), DIT (1). */
export const ID_AA64PFR0 = h(0x0001_0010, 0x1111_1111);
/** ID_AA64PFR1_EL1: SSBS (1, PSTATE.SSBS and MSR SSBS); no BTI, no MTE */
export const ID_AA64PFR1 = 0x10n;
/** ID_AA64DFR0_EL1: DebugVer v8.2 (8), PMUVer PMUv3p4 (5), BRPs 6, WRPs 4, CTX_CMPs 2 */
export const ID_AA64DFR0 = 0x1030_5508n;
/** ID_AA64ISAR0_EL1: AES = 2 (AES + PMULL/PMULL2 64-bit), SHA1 = 1, SHA2 = 2 (SHA256 + SHA512),
 * CRC32 = 1, Atomic (LSE) = 2, RDM = 1 (SQRDMLAH/SQRDMLSH), SHA3 = 1 (EOR3/RAX1/XAR/BCAX),
 * SM3 = 1, SM4 = 1, DP = 1 (SDOT/UDOT), FHM = 1 (FMLAL/FMLSL), TS = 1 (FEAT_FlagM: CFINV/RMIF/SETF8/
 * SETF16) */
export const ID_AA64ISAR0 = h(0x0011_1111, 0x1021_2120);
/** ID_AA64ISAR1_EL1: DPB = 1 (DC CVAP), APA = 1 (FEAT_PAuth, architected QARMA5 algorithm), JSCVT = 1
 * (FJCVTZS), FCMA = 1 (FCMLA/FCADD), LRCPC = 2 (LDAPR and LDAPUR/STLUR), GPA = 1 (PACGA with QARMA5),
 * FRINTTS = 1 (FRINT32/64), SB = 1. No PAuth2/FPAC (as QEMU 7.2 max), no BF16/I8MM. */
export const ID_AA64ISAR1 = h(0x11, 0x0121_1011);
/** ID_AA64MMFR0_EL1: PARange 48 bits (5), ASIDBits 16 (2), SNSMem (1), 16K granule (1), 4K and 64K
 * granules (0 = supported), stage-2 granule support as stage 1 (0) */
export const ID_AA64MMFR0 = 0x0010_1025n;
/** ID_AA64MMFR1_EL1: HAFDBS access+dirty (2), VMIDBits 16 (2), VH (1), LO (1), PAN (1) */
export const ID_AA64MMFR1 = 0x0011_0122n;
/** ID_AA64MMFR2_EL1: UAO (1), NV = NV2 (2), FWB (1) */
export const ID_AA64MMFR2 = h(0x100, 0x0200_0010);
/** CTR_EL0: 64-byte I and D lines, PIPT I-cache, ERG and CWG 64 bytes (as a Cortex-A72) */
export const CTR = 0x8444_c004n;
/** CLIDR_EL1: L1 separate I/D, L2 unified; LoUIS 1, LoC 2, LoUU 1 */
export const CLIDR = 0x0a20_0023n;
/** CCSIDR_EL1 per CSSELR_EL1 (Level<<1 | InD): L1D 32K 4-way, L1I 32K 2-way, L2 1M 16-way, 64B lines */
const CCSIDR: Record<number, number> = { 0: 0x700f_e01a, 1: 0x201f_e00a, 2: 0x707f_e07a };

function ccsidrRead(c: Cpu): void {
  c.tmpLo = CCSIDR[c.sysLo(R.CSSELR_EL1) & 0xf] ?? 0;
  c.tmpHi = 0;
}

/** MIDR_EL1 at EL1 (EL2 enabled) reads VPIDR_EL2; MPIDR_EL1 reads VMPIDR_EL2 (Arm ARM D17.2.10x). */
function virtId(phys: string, virt: string) {
  return (c: Cpu) => {
    const idx = c.el === 1 && c.el2Enabled() ? R[virt] : R[phys];
    c.tmpLo = c.sys[2 * idx];
    c.tmpHi = c.sys[2 * idx + 1];
  };
}

/** DCZID_EL0: BS = 4 (64 bytes); DZP = 1 when DC ZVA is prohibited at the current EL (SCTLR_EL1.DZE at
 * EL0, HCR_EL2.TDZ at EL0/EL1) — Arm ARM D17.2.34. */
function dczidRead(c: Cpu): void {
  let dzp = 0;
  if (c.el === 0) {
    const sctlr = c.isHostEl0Regime() ? c.sysLo(R.SCTLR_EL2) : c.sysLo(R.SCTLR_EL1);
    if (((sctlr >>> 14) & 1) === 0) dzp = 1;
  }
  if (c.el <= 1 && c.el2Enabled() && !c.isHostEl0Regime() && (c.hcrLo() >>> 28) & 1) dzp = 1;
  c.tmpLo = 4 | (dzp << 4);
  c.tmpHi = 0;
}

const aa32 = (name: string, enc: string, desc: string) => idReg(name, enc, 0n, `${desc} (AArch32 absent: reads 0)`, TID3);

export const ID_REGS: SysRegDef[] = [
  // MIDR: Arm Neoverse V1 r0p0 (an Armv8.4-A core); storage = physical value
  reg('MIDR_EL1', '3:0:0:0:0', 'id', 'Main ID Register', { access: 'ro', reset: 0x410fd400n, read: virtId('MIDR_EL1', 'VPIDR_EL2') }),
  reg('MPIDR_EL1', '3:0:0:0:5', 'id', 'Multiprocessor Affinity Register', {
    access: 'ro',
    reset: 0x80000000n,
    read: (c) => {
      if (c.el === 1 && c.el2Enabled()) {
        c.tmpLo = c.sysLo(R.VMPIDR_EL2);
        c.tmpHi = c.sysHi(R.VMPIDR_EL2);
      } else {
        c.tmpLo = (0x80000000 | c.index) >>> 0;
        c.tmpHi = 0;
      }
    },
  }),
  idReg('REVIDR_EL1', '3:0:0:0:6', 0n, 'Revision ID Register', { traps: [T.TID1] }),
  // AArch32 feature registers: AArch32 is not implemented at any EL
  aa32('ID_PFR0_EL1', '3:0:0:1:0', 'AArch32 Processor Feature Register 0'),
  aa32('ID_PFR1_EL1', '3:0:0:1:1', 'AArch32 Processor Feature Register 1'),
  aa32('ID_DFR0_EL1', '3:0:0:1:2', 'AArch32 Debug Feature Register 0'),
  aa32('ID_AFR0_EL1', '3:0:0:1:3', 'AArch32 Auxiliary Feature Register 0'),
  aa32('ID_MMFR0_EL1', '3:0:0:1:4', 'AArch32 Memory Model Feature Register 0'),
  aa32('ID_MMFR1_EL1', '3:0:0:1:5', 'AArch32 Memory Model Feature Register 1'),
  aa32('ID_MMFR2_EL1', '3:0:0:1:6', 'AArch32 Memory Model Feature Register 2'),
  aa32('ID_MMFR3_EL1', '3:0:0:1:7', 'AArch32 Memory Model Feature Register 3'),
  aa32('ID_ISAR0_EL1', '3:0:0:2:0', 'AArch32 Instruction Set Attribute Register 0'),
  aa32('ID_ISAR1_EL1', '3:0:0:2:1', 'AArch32 Instruction Set Attribute Register 1'),
  aa32('ID_ISAR2_EL1', '3:0:0:2:2', 'AArch32 Instruction Set Attribute Register 2'),
  aa32('ID_ISAR3_EL1', '3:0:0:2:3', 'AArch32 Instruction Set Attribute Register 3'),
  aa32('ID_ISAR4_EL1', '3:0:0:2:4', 'AArch32 Instruction Set Attribute Register 4'),
  aa32('ID_ISAR5_EL1', '3:0:0:2:5', 'AArch32 Instruction Set Attribute Register 5'),
  aa32('ID_MMFR4_EL1', '3:0:0:2:6', 'AArch32 Memory Model Feature Register 4'),
  aa32('ID_ISAR6_EL1', '3:0:0:2:7', 'AArch32 Instruction Set Attribute Register 6'),
  aa32('MVFR0_EL1', '3:0:0:3:0', 'AArch32 Media and VFP Feature Register 0'),
  aa32('MVFR1_EL1', '3:0:0:3:1', 'AArch32 Media and VFP Feature Register 1'),
  aa32('MVFR2_EL1', '3:0:0:3:2', 'AArch32 Media and VFP Feature Register 2'),
  aa32('ID_PFR2_EL1', '3:0:0:3:4', 'AArch32 Processor Feature Register 2'),
  aa32('ID_DFR1_EL1', '3:0:0:3:5', 'AArch32 Debug Feature Register 1'),
  aa32('ID_MMFR5_EL1', '3:0:0:3:6', 'AArch32 Memory Model Feature Register 5'),
  // AArch64 feature registers
  idReg('ID_AA64PFR0_EL1', '3:0:0:4:0', ID_AA64PFR0, 'AArch64 Processor Feature Register 0', TID3),
  idReg('ID_AA64PFR1_EL1', '3:0:0:4:1', ID_AA64PFR1, 'AArch64 Processor Feature Register 1', TID3),
  idReg('ID_AA64ZFR0_EL1', '3:0:0:4:4', 0n, 'SVE Feature ID Register 0 (no SVE)', TID3),
  idReg('ID_AA64SMFR0_EL1', '3:0:0:4:5', 0n, 'SME Feature ID Register 0 (no SME)', TID3),
  idReg('ID_AA64DFR0_EL1', '3:0:0:5:0', ID_AA64DFR0, 'AArch64 Debug Feature Register 0', TID3),
  idReg('ID_AA64DFR1_EL1', '3:0:0:5:1', 0n, 'AArch64 Debug Feature Register 1', TID3),
  idReg('ID_AA64AFR0_EL1', '3:0:0:5:4', 0n, 'AArch64 Auxiliary Feature Register 0', TID3),
  idReg('ID_AA64AFR1_EL1', '3:0:0:5:5', 0n, 'AArch64 Auxiliary Feature Register 1', TID3),
  idReg('ID_AA64ISAR0_EL1', '3:0:0:6:0', ID_AA64ISAR0, 'AArch64 Instruction Set Attribute Register 0', TID3),
  idReg('ID_AA64ISAR1_EL1', '3:0:0:6:1', ID_AA64ISAR1, 'AArch64 Instruction Set Attribute Register 1', TID3),
  idReg('ID_AA64ISAR2_EL1', '3:0:0:6:2', 0n, 'AArch64 Instruction Set Attribute Register 2', TID3),
  idReg('ID_AA64MMFR0_EL1', '3:0:0:7:0', ID_AA64MMFR0, 'AArch64 Memory Model Feature Register 0', TID3),
  idReg('ID_AA64MMFR1_EL1', '3:0:0:7:1', ID_AA64MMFR1, 'AArch64 Memory Model Feature Register 1', TID3),
  idReg('ID_AA64MMFR2_EL1', '3:0:0:7:2', ID_AA64MMFR2, 'AArch64 Memory Model Feature Register 2', TID3),
  // cache identification (HCR_EL2.TID2)
  idReg('CCSIDR_EL1', '3:1:0:0:0', 0n, 'Current Cache Size ID Register (selected by CSSELR_EL1)', { traps: [T.TID2], read: ccsidrRead }),
  idReg('CLIDR_EL1', '3:1:0:0:1', CLIDR, 'Cache Level ID Register', { traps: [T.TID2] }),
  idReg('AIDR_EL1', '3:1:0:0:7', 0n, 'Auxiliary ID Register', { traps: [T.TID1] }),
  reg('CSSELR_EL1', '3:2:0:0:0', 'id', 'Cache Size Selection Register', { traps: [T.TID2], writeMask: 0xfn }),
  idReg('CTR_EL0', '3:3:0:0:1', CTR, 'Cache Type Register', {
    minEl: 0,
    traps: [T.TID2_EL0],
    // SCTLR_EL1.UCT = 0 traps EL0 reads to EL1 (to EL2 under TGE; SCTLR_EL2.UCT in the host regime)
    trap: (c, _r, _d, iss) => el0Ctl(c, 15, iss),
  }),
  idReg('DCZID_EL0', '3:3:0:0:7', 0x4n, 'Data Cache Zero ID Register', { minEl: 0, read: dczidRead }),
  // virtualization of the IDs (EL2)
  reg('VPIDR_EL2', '3:4:0:0:0', 'el2', 'Virtualization Processor ID Register (MIDR_EL1 seen by EL1)', { reset: 0x410fd400n, writeMask: 0xffffffffn }),
  reg('VMPIDR_EL2', '3:4:0:0:5', 'el2', 'Virtualization Multiprocessor ID Register (MPIDR_EL1 seen by EL1)', {
    reset: 0x80000000n,
    // as QEMU: the value of this CPU's MPIDR_EL1, so EL1 sees distinct affinities without EL2 setup
    resetFn: (c) => BigInt((0x80000000 | c.index) >>> 0),
    writeMask: 0xff_41ff_ffffn,
  }),
];

/**
 * EL0 access enabled by an SCTLR_EL1 bit (UCT, UCI, DZE, UMA): when the bit is 0, an EL0 access traps
 * with EC 0x18 to EL1, or to EL2 when HCR_EL2.TGE = 1 (then SCTLR_EL2's bit decides when E2H = 1).
 * Returns true if the exception was taken.
 */
export function el0Ctl(c: Cpu, bit: number, iss: number): boolean {
  if (c.el !== 0) return false;
  const host = c.isHostEl0Regime();
  if (c.tge() && !host) return false; // TGE without E2H: SCTLR_EL1 has no effect on EL0
  const sctlr = host ? c.sysLo(R.SCTLR_EL2) : c.sysLo(R.SCTLR_EL1);
  if ((sctlr >>> bit) & 1) return false;
  c.syncException(0x18, iss, c.tge() ? 2 : 1);
  return true;
}
