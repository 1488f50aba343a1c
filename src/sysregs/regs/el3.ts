// EL3 registers (Arm ARM D17.2) other than those in regs/core.ts.
import type { SysRegDef } from '../types';
import { reg } from './define';

const ctx = (c: import('../../cpu/cpu').Cpu) => c.contextChanged();

export const EL3_REGS: SysRegDef[] = [
  reg('ACTLR_EL3', '3:6:1:0:1', 'el3', 'Auxiliary Control Register (EL3)'),
  reg('CPTR_EL3', '3:6:1:1:2', 'el3', 'Architectural Feature Trap Register (EL3): TFP 10, TTA 20, TAM 30, TCPAC 31', { writeMask: 0xc010_0400n }),
  reg('MDCR_EL3', '3:6:1:3:1', 'el3', 'Monitor Debug Configuration Register (EL3)'),
  reg('TTBR0_EL3', '3:6:2:0:0', 'el3', 'Translation Table Base Register 0 (EL3)', { onWrite: ctx }),
  reg('TCR_EL3', '3:6:2:0:2', 'el3', 'Translation Control Register (EL3)', { reset: 0x8080_0000n, onWrite: ctx }),
  reg('AFSR0_EL3', '3:6:5:1:0', 'el3', 'Auxiliary Fault Status Register 0 (EL3)'),
  reg('AFSR1_EL3', '3:6:5:1:1', 'el3', 'Auxiliary Fault Status Register 1 (EL3)'),
  reg('MAIR_EL3', '3:6:10:2:0', 'el3', 'Memory Attribute Indirection Register (EL3)', { onWrite: ctx }),
  reg('AMAIR_EL3', '3:6:10:3:0', 'el3', 'Auxiliary Memory Attribute Indirection Register (EL3)'),
  reg('RVBAR_EL3', '3:6:12:0:1', 'el3', 'Reset Vector Base Address Register (EL3)', { access: 'ro' }),
  reg('RMR_EL3', '3:6:12:0:2', 'el3', 'Reset Management Register (EL3): AA64 = 1, warm reset not implemented', { reset: 1n, writeMask: 0n }),
  reg('TPIDR_EL3', '3:6:13:0:2', 'el3', 'Software Thread ID Register (EL3)'),
];
