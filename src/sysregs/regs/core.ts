// Special-purpose and exception-handling registers the core itself depends on. Encodings: Arm ARM
// C5.2 (special-purpose registers) and D17.2.
import type { SysRegDef } from '../types';
import { reg } from './define';
import { R } from '../table';
import { VM_TRAPS, T } from '../traps';
import { el0Ctl } from './id';

const pstateRead = (get: (c: import('../../cpu/cpu').Cpu) => number) => (c: import('../../cpu/cpu').Cpu) => {
  c.tmpLo = get(c) >>> 0;
  c.tmpHi = 0;
};

/** FEAT_SEL2 registers exist only in the Secure state: UNDEFINED at Non-secure EL2 (EL1 accesses
 * fall to the minEl / NV rules). */
function secureOnly(c: import('../../cpu/cpu').Cpu): boolean {
  if (c.el === 2 && !c.isSecure()) {
    c.undefinedInstruction();
    return true;
  }
  return false;
}

export const CORE_REGS: SysRegDef[] = [
  // --- PSTATE views (C5.2)
  reg('NZCV', '3:3:4:2:0', 'core', 'Condition flags', {
    minEl: 0,
    gdb: false,
    read: pstateRead((c) => c.nzcv << 28),
    write: (c, lo) => {
      c.nzcv = lo >>> 28;
    },
  }),
  reg('DAIF', '3:3:4:2:1', 'core', 'Interrupt mask bits', {
    minEl: 0,
    // EL0 access needs SCTLR_EL1.UMA (bit 9)
    trap: (c, _r, _d, iss) => el0Ctl(c, 9, iss),
    read: pstateRead((c) => c.daif << 6),
    write: (c, lo) => {
      c.daif = (lo >>> 6) & 0xf;
      c.exitLoop = true; // unmasking may let a pending interrupt in
    },
  }),
  reg('CurrentEL', '3:0:4:2:2', 'core', 'Current Exception level', {
    access: 'ro',
    // FEAT_NV: a guest hypervisor at EL1 with HCR_EL2.NV = 1 reads EL2
    read: pstateRead((c) => (c.el === 1 && c.el2Enabled() && (c.hcrHi() >>> 10) & 1 ? 2 : c.el) << 2),
  }),
  reg('SPSel', '3:0:4:2:0', 'core', 'Stack Pointer Select', {
    read: pstateRead((c) => c.spSel),
    write: (c, lo) => c.switchElSp(c.el, lo & 1),
  }),
  reg('PAN', '3:0:4:2:3', 'core', 'Privileged Access Never', {
    read: pstateRead((c) => c.pan << 22),
    write: (c, lo) => {
      c.pan = (lo >>> 22) & 1;
      c.contextChanged();
    },
  }),
  reg('UAO', '3:0:4:2:4', 'core', 'User Access Override', {
    read: pstateRead((c) => c.uao << 23),
    write: (c, lo) => {
      c.uao = (lo >>> 23) & 1;
      c.contextChanged();
    },
  }),
  reg('DIT', '3:3:4:2:5', 'core', 'Data Independent Timing', {
    minEl: 0,
    read: pstateRead((c) => c.dit << 24),
    write: (c, lo) => {
      c.dit = (lo >>> 24) & 1;
    },
  }),
  reg('SSBS', '3:3:4:2:6', 'core', 'Speculative Store Bypass Safe', {
    minEl: 0,
    read: pstateRead((c) => c.ssbs << 12),
    write: (c, lo) => {
      c.ssbs = (lo >>> 12) & 1;
    },
  }),
  // --- stack pointers (banked; the debugger sees each one)
  reg('SP_EL0', '3:0:4:1:0', 'el1', 'Stack Pointer (EL0)', {
    minEl: 1,
    // UNDEFINED while SP_EL0 is the current stack pointer (PSTATE.SP = 0)
    trap: (c) => {
      if (c.spSel === 0) {
        c.undefinedInstruction();
        return true;
      }
      return false;
    },
    read: (c) => {
      const v = c.getSpEl(0);
      c.tmpLo = Number(v & 0xffffffffn);
      c.tmpHi = Number(v >> 32n);
    },
    write: (c, lo, hi) => c.setSpEl(0, (BigInt(hi >>> 0) << 32n) | BigInt(lo >>> 0)),
  }),
  reg('SP_EL1', '3:4:4:1:0', 'el1', 'Stack Pointer (EL1)', {
    minEl: 2,
    read: (c) => {
      const v = c.getSpEl(1);
      c.tmpLo = Number(v & 0xffffffffn);
      c.tmpHi = Number(v >> 32n);
    },
    write: (c, lo, hi) => c.setSpEl(1, (BigInt(hi >>> 0) << 32n) | BigInt(lo >>> 0)),
  }),
  reg('SP_EL2', '3:6:4:1:0', 'el2', 'Stack Pointer (EL2)', {
    minEl: 3,
    read: (c) => {
      const v = c.getSpEl(2);
      c.tmpLo = Number(v & 0xffffffffn);
      c.tmpHi = Number(v >> 32n);
    },
    write: (c, lo, hi) => c.setSpEl(2, (BigInt(hi >>> 0) << 32n) | BigInt(lo >>> 0)),
  }),
  // --- exception state, per EL
  reg('SPSR_EL1', '3:0:4:0:0', 'el1', 'Saved Program Status Register (EL1)', { e2hRedirect: 'SPSR_EL2', traps: [T.NV1] }),
  reg('ELR_EL1', '3:0:4:0:1', 'el1', 'Exception Link Register (EL1)', { e2hRedirect: 'ELR_EL2', traps: [T.NV1] }),
  reg('SPSR_EL2', '3:4:4:0:0', 'el2', 'Saved Program Status Register (EL2)'),
  reg('ELR_EL2', '3:4:4:0:1', 'el2', 'Exception Link Register (EL2)'),
  reg('SPSR_EL3', '3:6:4:0:0', 'el3', 'Saved Program Status Register (EL3)'),
  reg('ELR_EL3', '3:6:4:0:1', 'el3', 'Exception Link Register (EL3)'),
  reg('ESR_EL1', '3:0:5:2:0', 'el1', 'Exception Syndrome Register (EL1)', { e2hRedirect: 'ESR_EL2', traps: VM_TRAPS }),
  reg('ESR_EL2', '3:4:5:2:0', 'el2', 'Exception Syndrome Register (EL2)'),
  reg('ESR_EL3', '3:6:5:2:0', 'el3', 'Exception Syndrome Register (EL3)'),
  reg('FAR_EL1', '3:0:6:0:0', 'el1', 'Fault Address Register (EL1)', { e2hRedirect: 'FAR_EL2', traps: VM_TRAPS }),
  reg('FAR_EL2', '3:4:6:0:0', 'el2', 'Fault Address Register (EL2)'),
  reg('FAR_EL3', '3:6:6:0:0', 'el3', 'Fault Address Register (EL3)'),
  reg('HPFAR_EL2', '3:4:6:0:4', 'el2', 'Hypervisor IPA Fault Address Register'),
  reg('VBAR_EL1', '3:0:12:0:0', 'el1', 'Vector Base Address Register (EL1)', { e2hRedirect: 'VBAR_EL2', traps: [T.NV1], writeMask: ~0x7ffn & 0xffffffffffffffffn }),
  reg('VBAR_EL2', '3:4:12:0:0', 'el2', 'Vector Base Address Register (EL2)', { writeMask: ~0x7ffn & 0xffffffffffffffffn }),
  reg('VBAR_EL3', '3:6:12:0:0', 'el3', 'Vector Base Address Register (EL3)', { writeMask: ~0x7ffn & 0xffffffffffffffffn }),
  // --- controls the core consults on every exception / translation
  reg('SCTLR_EL1', '3:0:1:0:0', 'el1', 'System Control Register (EL1)', { reset: 0x30d00800n, e2hRedirect: 'SCTLR_EL2', traps: VM_TRAPS, onWrite: (c) => c.contextChanged() }),
  reg('SCTLR_EL2', '3:4:1:0:0', 'el2', 'System Control Register (EL2)', { reset: 0x30c50830n, onWrite: (c) => c.contextChanged() }),
  reg('SCTLR_EL3', '3:6:1:0:0', 'el3', 'System Control Register (EL3)', { reset: 0x30c50830n, onWrite: (c) => c.contextChanged() }),
  reg('HCR_EL2', '3:4:1:1:0', 'el2', 'Hypervisor Configuration Register', {
    // RW (bit 31) is RAO/WI: EL1 is AArch64-only here
    reset: 1n << 31n,
    onWrite: (c) => {
      c.sys[2 * R.HCR_EL2] |= 1 << 31;
      c.contextChanged();
    },
  }),
  reg('SCR_EL3', '3:6:1:1:0', 'el3', 'Secure Configuration Register', {
    // RW (bit 10) is RAO/WI: every lower EL is AArch64-only. RES1 bits 5:4.
    reset: (1n << 10n) | 0x30n,
    onWrite: (c) => {
      c.sys[2 * R.SCR_EL3] |= (1 << 10) | 0x30;
      c.contextChanged();
      if (c.onSecurityChange !== null) c.onSecurityChange(c);
    },
  }),
  reg('ISR_EL1', '3:0:12:1:0', 'el1', 'Interrupt Status Register (A, I, F pending)', {
    access: 'ro',
    read: (c) => {
      // at EL1 with HCR_EL2.{AMO,IMO,FMO} routing, the virtual lines are shown instead
      const hcr = c.el2Enabled() && !c.tge() && c.el <= 1 ? c.hcrLo() : 0;
      const f = hcr & (1 << 3) ? (hcr & (1 << 6)) !== 0 || c.vfiqLine : c.fiqLine;
      const i = hcr & (1 << 4) ? (hcr & (1 << 7)) !== 0 || c.virqLine : c.irqLine;
      const a = hcr & (1 << 5) ? (hcr & (1 << 8)) !== 0 : c.serrorPending;
      c.tmpLo = (a ? 1 << 8 : 0) | (i ? 1 << 7 : 0) | (f ? 1 << 6 : 0);
      c.tmpHi = 0;
    },
  }),
  reg('VTCR_EL2', '3:4:2:1:2', 'el2', 'Virtualization Translation Control Register', { reset: 1n << 31n, onWrite: (c) => c.contextChanged() }),
  reg('VTTBR_EL2', '3:4:2:1:0', 'el2', 'Virtualization Translation Table Base Register', { onWrite: (c) => c.contextChanged() }),
  reg('VSTCR_EL2', '3:4:2:6:2', 'el2', 'Virtualization Secure Translation Control Register', { trap: secureOnly, onWrite: (c) => c.contextChanged() }),
  reg('VSTTBR_EL2', '3:4:2:6:0', 'el2', 'Virtualization Secure Translation Table Base Register', { trap: secureOnly, onWrite: (c) => c.contextChanged() }),
  reg('VSESR_EL2', '3:4:5:2:3', 'el2', 'Virtual SError Exception Syndrome Register'),
];
