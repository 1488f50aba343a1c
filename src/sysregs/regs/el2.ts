// EL2 registers (Arm ARM D17.2) other than those the core needs first (regs/core.ts), and the FEAT_VHE
// `_EL12`/`_EL02` aliases (op1 = 5) that reach the EL1/EL0 registers from EL2 with HCR_EL2.E2H = 1.
import type { SysRegDef } from '../types';
import { reg, alias } from './define';
import { T } from '../traps';

const ctx = (c: import('../../cpu/cpu').Cpu) => c.contextChanged();

export const EL2_REGS: SysRegDef[] = [
  reg('ACTLR_EL2', '3:4:1:0:1', 'el2', 'Auxiliary Control Register (EL2)'),
  reg('MDCR_EL2', '3:4:1:1:1', 'el2', 'Monitor Debug Configuration Register (EL2)', {
    // HPMN resets to the number of counters (PMCR_EL0.N = 4)
    reset: 4n,
  }),
  reg('CPTR_EL2', '3:4:1:1:2', 'el2', 'Architectural Feature Trap Register (EL2)', {
    // E2H=0 layout: RES1 bits 13:12, 9:0 (and 8 = TZ); TFP 10, TTA 20, TAM 30, TCPAC 31.
    // With E2H=1 the register has CPACR_EL1's layout (FPEN 21:20, TTA 28); see fpaccess.ts.
    reset: 0x33ffn,
    traps: [T.TCPAC3_EL2],
  }),
  reg('HSTR_EL2', '3:4:1:1:3', 'el2', 'Hypervisor System Trap Register (AArch32 only: no effect)', { writeMask: 0xbfffn }),
  reg('HACR_EL2', '3:4:1:1:7', 'el2', 'Hypervisor Auxiliary Control Register'),
  reg('TTBR0_EL2', '3:4:2:0:0', 'el2', 'Translation Table Base Register 0 (EL2)', { onWrite: ctx }),
  reg('TTBR1_EL2', '3:4:2:0:1', 'el2', 'Translation Table Base Register 1 (EL2, E2H=1)', { onWrite: ctx }),
  reg('TCR_EL2', '3:4:2:0:2', 'el2', 'Translation Control Register (EL2)', { reset: 0x8080_0000n, onWrite: ctx }),
  reg('VNCR_EL2', '3:4:2:2:0', 'el2', 'Virtual Nested Control Register (FEAT_NV2 page base)', { writeMask: 0xffff_ffff_ffff_f000n }),
  reg('AFSR0_EL2', '3:4:5:1:0', 'el2', 'Auxiliary Fault Status Register 0 (EL2)'),
  reg('AFSR1_EL2', '3:4:5:1:1', 'el2', 'Auxiliary Fault Status Register 1 (EL2)'),
  reg('MAIR_EL2', '3:4:10:2:0', 'el2', 'Memory Attribute Indirection Register (EL2)', { onWrite: ctx }),
  reg('AMAIR_EL2', '3:4:10:3:0', 'el2', 'Auxiliary Memory Attribute Indirection Register (EL2)'),
  reg('CONTEXTIDR_EL2', '3:4:13:0:1', 'el2', 'Context ID Register (EL2)', { writeMask: 0xffff_ffffn }),
  reg('TPIDR_EL2', '3:4:13:0:2', 'el2', 'Software Thread ID Register (EL2)'),

  // ---- FEAT_VHE aliases: *_EL12 → EL1 register, *_EL02 → EL0 register
  alias('SCTLR_EL12', '3:5:1:0:0', 'SCTLR_EL1', 'SCTLR_EL1 accessed from EL2 with E2H=1'),
  alias('CPACR_EL12', '3:5:1:0:2', 'CPACR_EL1', 'CPACR_EL1 accessed from EL2 with E2H=1'),
  alias('TTBR0_EL12', '3:5:2:0:0', 'TTBR0_EL1', 'TTBR0_EL1 accessed from EL2 with E2H=1'),
  alias('TTBR1_EL12', '3:5:2:0:1', 'TTBR1_EL1', 'TTBR1_EL1 accessed from EL2 with E2H=1'),
  alias('TCR_EL12', '3:5:2:0:2', 'TCR_EL1', 'TCR_EL1 accessed from EL2 with E2H=1'),
  alias('SPSR_EL12', '3:5:4:0:0', 'SPSR_EL1', 'SPSR_EL1 accessed from EL2 with E2H=1'),
  alias('ELR_EL12', '3:5:4:0:1', 'ELR_EL1', 'ELR_EL1 accessed from EL2 with E2H=1'),
  alias('AFSR0_EL12', '3:5:5:1:0', 'AFSR0_EL1', 'AFSR0_EL1 accessed from EL2 with E2H=1'),
  alias('AFSR1_EL12', '3:5:5:1:1', 'AFSR1_EL1', 'AFSR1_EL1 accessed from EL2 with E2H=1'),
  alias('ESR_EL12', '3:5:5:2:0', 'ESR_EL1', 'ESR_EL1 accessed from EL2 with E2H=1'),
  alias('FAR_EL12', '3:5:6:0:0', 'FAR_EL1', 'FAR_EL1 accessed from EL2 with E2H=1'),
  alias('MAIR_EL12', '3:5:10:2:0', 'MAIR_EL1', 'MAIR_EL1 accessed from EL2 with E2H=1'),
  alias('AMAIR_EL12', '3:5:10:3:0', 'AMAIR_EL1', 'AMAIR_EL1 accessed from EL2 with E2H=1'),
  alias('VBAR_EL12', '3:5:12:0:0', 'VBAR_EL1', 'VBAR_EL1 accessed from EL2 with E2H=1'),
  alias('CONTEXTIDR_EL12', '3:5:13:0:1', 'CONTEXTIDR_EL1', 'CONTEXTIDR_EL1 accessed from EL2 with E2H=1'),
  alias('CNTKCTL_EL12', '3:5:14:1:0', 'CNTKCTL_EL1', 'CNTKCTL_EL1 accessed from EL2 with E2H=1'),
  alias('CNTP_TVAL_EL02', '3:5:14:2:0', 'CNTP_TVAL_EL0', 'CNTP_TVAL_EL0 accessed from EL2 with E2H=1'),
  alias('CNTP_CTL_EL02', '3:5:14:2:1', 'CNTP_CTL_EL0', 'CNTP_CTL_EL0 accessed from EL2 with E2H=1'),
  alias('CNTP_CVAL_EL02', '3:5:14:2:2', 'CNTP_CVAL_EL0', 'CNTP_CVAL_EL0 accessed from EL2 with E2H=1'),
  alias('CNTV_TVAL_EL02', '3:5:14:3:0', 'CNTV_TVAL_EL0', 'CNTV_TVAL_EL0 accessed from EL2 with E2H=1'),
  alias('CNTV_CTL_EL02', '3:5:14:3:1', 'CNTV_CTL_EL0', 'CNTV_CTL_EL0 accessed from EL2 with E2H=1'),
  alias('CNTV_CVAL_EL02', '3:5:14:3:2', 'CNTV_CVAL_EL0', 'CNTV_CVAL_EL0 accessed from EL2 with E2H=1'),
];
