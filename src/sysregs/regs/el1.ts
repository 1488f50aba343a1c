// EL0 and EL1 registers (Arm ARM D17.2): translation controls, thread IDs, auxiliary registers,
// LORegions (FEAT_LOR, no regions implemented), FP control. VHE redirects (HCR_EL2.E2H at EL2) name
// their EL2 counterpart; the virtual-memory controls carry HCR_EL2.TVM/TRVM.
import type { SysRegDef } from '../types';
import { reg } from './define';
import { T, VM_TRAPS } from '../traps';
import { fpTrap } from '../../cpu/fpaccess';

const ctx = (c: import('../../cpu/cpu').Cpu) => c.contextChanged();
const VM = { traps: VM_TRAPS, onWrite: ctx };
const M64 = 0xffff_ffff_ffff_ffffn;
/** FEAT_PAuth key registers (Arm ARM D17.2): trapped by HCR_EL2.APK / SCR_EL3.APK = 0 */
const PAK = { traps: [T.APK, T.APK3] };

export const EL1_REGS: SysRegDef[] = [
  reg('ACTLR_EL1', '3:0:1:0:1', 'el1', 'Auxiliary Control Register (EL1)', { traps: [T.TACR] }),
  reg('CPACR_EL1', '3:0:1:0:2', 'el1', 'Architectural Feature Access Control Register', {
    e2hRedirect: 'CPTR_EL2',
    traps: [T.TCPAC2, T.TCPAC2_E2H, T.TCPAC3],
    // FPEN [21:20], TTA [28]; ZEN/SMEN are RES0 (no SVE/SME)
    writeMask: 0x1030_0000n,
  }),
  reg('TTBR0_EL1', '3:0:2:0:0', 'el1', 'Translation Table Base Register 0 (EL1)', { ...VM, e2hRedirect: 'TTBR0_EL2' }),
  reg('TTBR1_EL1', '3:0:2:0:1', 'el1', 'Translation Table Base Register 1 (EL1)', { ...VM, e2hRedirect: 'TTBR1_EL2' }),
  reg('TCR_EL1', '3:0:2:0:2', 'el1', 'Translation Control Register (EL1)', { ...VM, e2hRedirect: 'TCR_EL2' }),
  reg('APIAKEYLO_EL1', '3:0:2:1:0', 'el1', 'Pointer authentication key IA bits [63:0]', PAK),
  reg('APIAKEYHI_EL1', '3:0:2:1:1', 'el1', 'Pointer authentication key IA bits [127:64]', PAK),
  reg('APIBKEYLO_EL1', '3:0:2:1:2', 'el1', 'Pointer authentication key IB bits [63:0]', PAK),
  reg('APIBKEYHI_EL1', '3:0:2:1:3', 'el1', 'Pointer authentication key IB bits [127:64]', PAK),
  reg('APDAKEYLO_EL1', '3:0:2:2:0', 'el1', 'Pointer authentication key DA bits [63:0]', PAK),
  reg('APDAKEYHI_EL1', '3:0:2:2:1', 'el1', 'Pointer authentication key DA bits [127:64]', PAK),
  reg('APDBKEYLO_EL1', '3:0:2:2:2', 'el1', 'Pointer authentication key DB bits [63:0]', PAK),
  reg('APDBKEYHI_EL1', '3:0:2:2:3', 'el1', 'Pointer authentication key DB bits [127:64]', PAK),
  reg('APGAKEYLO_EL1', '3:0:2:3:0', 'el1', 'Pointer authentication key GA bits [63:0]', PAK),
  reg('APGAKEYHI_EL1', '3:0:2:3:1', 'el1', 'Pointer authentication key GA bits [127:64]', PAK),
  reg('AFSR0_EL1', '3:0:5:1:0', 'el1', 'Auxiliary Fault Status Register 0 (EL1)', { traps: VM_TRAPS, e2hRedirect: 'AFSR0_EL2' }),
  reg('AFSR1_EL1', '3:0:5:1:1', 'el1', 'Auxiliary Fault Status Register 1 (EL1)', { traps: VM_TRAPS, e2hRedirect: 'AFSR1_EL2' }),
  reg('PAR_EL1', '3:0:7:4:0', 'el1', 'Physical Address Register (AT result)'),
  reg('MAIR_EL1', '3:0:10:2:0', 'el1', 'Memory Attribute Indirection Register (EL1)', { ...VM, e2hRedirect: 'MAIR_EL2' }),
  reg('AMAIR_EL1', '3:0:10:3:0', 'el1', 'Auxiliary Memory Attribute Indirection Register (EL1)', { traps: VM_TRAPS, e2hRedirect: 'AMAIR_EL2' }),
  // FEAT_LOR (mandatory from v8.1): LORID_EL1 reports no LORegions
  reg('LORSA_EL1', '3:0:10:4:0', 'el1', 'LORegion Start Address', { traps: [T.TLOR, T.TLOR3], writeMask: 0x0000_ffff_ffff_0001n }),
  reg('LOREA_EL1', '3:0:10:4:1', 'el1', 'LORegion End Address', { traps: [T.TLOR, T.TLOR3], writeMask: 0x0000_ffff_ffff_0000n }),
  reg('LORN_EL1', '3:0:10:4:2', 'el1', 'LORegion Number', { traps: [T.TLOR, T.TLOR3], writeMask: 0n }),
  reg('LORC_EL1', '3:0:10:4:3', 'el1', 'LORegion Control', { traps: [T.TLOR, T.TLOR3], writeMask: 0x3dn }),
  reg('LORID_EL1', '3:0:10:4:7', 'el1', 'LORegion ID (0 regions, 0 descriptors)', { access: 'ro', traps: [T.TLOR, T.TLOR3] }),
  reg('CONTEXTIDR_EL1', '3:0:13:0:1', 'el1', 'Context ID Register (EL1)', { traps: VM_TRAPS, e2hRedirect: 'CONTEXTIDR_EL2', writeMask: 0xffff_ffffn }),
  reg('TPIDR_EL1', '3:0:13:0:4', 'el1', 'Software Thread ID Register (EL1)'),
  reg('TPIDR_EL0', '3:3:13:0:2', 'el0', 'Software Thread ID Register (EL0)'),
  reg('TPIDRRO_EL0', '3:3:13:0:3', 'el0', 'Read-Only Software Thread ID Register (EL0)', {
    // read-only at EL0, read/write at EL1 and above
    trap: (c, isRead) => {
      if (c.el === 0 && !isRead) {
        c.undefinedInstruction();
        return true;
      }
      return false;
    },
  }),
  // FP control/status: trapped by CPACR/CPTR like any FP instruction (FP itself arrives later)
  reg('FPCR', '3:3:4:4:0', 'el0', 'Floating-point Control Register', { minEl: 0, trap: (c) => fpTrap(c), writeMask: 0x07ff_0000n }),
  reg('FPSR', '3:3:4:4:1', 'el0', 'Floating-point Status Register', { minEl: 0, trap: (c) => fpTrap(c), writeMask: 0xf800_009fn }),
];
void M64;
