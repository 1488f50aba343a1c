// Self-hosted debug registers (Arm ARM D17.3, op0 = 2): breakpoints/watchpoints (6 and 4, as
// ID_AA64DFR0_EL1 says), the OS lock, DCC. Behaviour (breakpoint matching) belongs to the debug work;
// here: storage, access rules and the MDCR_EL2/MDCR_EL3 trap controls.
import type { SysRegDef } from '../types';
import type { Cpu } from '../../cpu/cpu';
import { reg } from './define';
import { T, DBG_TRAPS } from '../traps';
import { R } from '../table';

const DBG = { traps: DBG_TRAPS };
const OSLOCK = { traps: [T.TDOSA, T.TDOSA3] };
export const NUM_BRPS = 6;
export const NUM_WRPS = 4;

/** DCC registers at EL0 trap to EL1 when MDSCR_EL1.TDCC = 1 (Arm ARM D2.x) */
function tdcc(c: Cpu, _r: boolean, _d: SysRegDef, iss: number): boolean {
  if (c.el !== 0 || c.isHostEl0Regime() || ((c.sysLo(R.MDSCR_EL1) >>> 12) & 1) === 0) return false;
  c.syncException(0x18, iss, c.tge() ? 2 : 1);
  return true;
}

const bps: SysRegDef[] = [];
for (let n = 0; n < NUM_BRPS; n++) {
  bps.push(reg(`DBGBVR${n}_EL1`, `2:0:0:${n}:4`, 'debug', `Debug Breakpoint Value Register ${n}`, DBG));
  bps.push(reg(`DBGBCR${n}_EL1`, `2:0:0:${n}:5`, 'debug', `Debug Breakpoint Control Register ${n}`, { ...DBG, writeMask: 0x00ff_e1e7n }));
}
for (let n = 0; n < NUM_WRPS; n++) {
  bps.push(reg(`DBGWVR${n}_EL1`, `2:0:0:${n}:6`, 'debug', `Debug Watchpoint Value Register ${n}`, { ...DBG, writeMask: 0xffff_ffff_ffff_fffcn }));
  bps.push(reg(`DBGWCR${n}_EL1`, `2:0:0:${n}:7`, 'debug', `Debug Watchpoint Control Register ${n}`, { ...DBG, writeMask: 0x1f1f_ffffn }));
}

export const DEBUG_REGS: SysRegDef[] = [
  reg('OSDTRRX_EL1', '2:0:0:0:2', 'debug', 'OS Lock Data Transfer Register, Receive', DBG),
  reg('MDCCINT_EL1', '2:0:0:2:0', 'debug', 'Monitor DCC Interrupt Enable Register', DBG),
  reg('MDSCR_EL1', '2:0:0:2:2', 'debug', 'Monitor Debug System Control Register', { ...DBG, writeMask: 0xe0c0_f041n }),
  reg('OSDTRTX_EL1', '2:0:0:3:2', 'debug', 'OS Lock Data Transfer Register, Transmit', DBG),
  reg('OSECCR_EL1', '2:0:0:6:2', 'debug', 'OS Lock Exception Catch Control Register', DBG),
  ...bps,
  reg('MDRAR_EL1', '2:0:1:0:0', 'debug', 'Monitor Debug ROM Address Register (no ROM table)', { access: 'ro', traps: [T.TDRA, T.TDA3] }),
  reg('OSLAR_EL1', '2:0:1:0:4', 'debug', 'OS Lock Access Register', {
    ...OSLOCK,
    access: 'wo',
    write: (c, lo) => {
      // OSLK is OSLSR_EL1 bit 1
      const v = c.sysLo(R.OSLSR_EL1);
      c.sys[2 * R.OSLSR_EL1] = (v & ~2) | ((lo & 1) << 1);
    },
  }),
  // OSLM = 0b10 (OS lock implemented, bits 3 and 0), OSLK = 1 at reset
  reg('OSLSR_EL1', '2:0:1:1:4', 'debug', 'OS Lock Status Register', { ...OSLOCK, access: 'ro', reset: 0xan }),
  reg('OSDLR_EL1', '2:0:1:3:4', 'debug', 'OS Double Lock Register', { ...OSLOCK, writeMask: 1n }),
  reg('DBGPRCR_EL1', '2:0:1:4:4', 'debug', 'Debug Power Control Register', { ...OSLOCK, writeMask: 1n }),
  reg('DBGCLAIMSET_EL1', '2:0:7:8:6', 'debug', 'Debug CLAIM Tag Set Register', {
    ...DBG,
    read: (c) => {
      c.tmpLo = 0xff; // all 8 claim tags implemented
      c.tmpHi = 0;
    },
    write: (c, lo) => {
      c.sys[2 * R.DBGCLAIMCLR_EL1] |= lo & 0xff;
    },
  }),
  reg('DBGCLAIMCLR_EL1', '2:0:7:9:6', 'debug', 'Debug CLAIM Tag Clear Register', {
    ...DBG,
    write: (c, lo) => {
      c.sys[2 * R.DBGCLAIMCLR_EL1] &= ~(lo & 0xff);
    },
  }),
  // Non-secure and secure invasive/non-invasive debug implemented and enabled (0b11 each)
  reg('DBGAUTHSTATUS_EL1', '2:0:7:14:6', 'debug', 'Debug Authentication Status Register', { ...DBG, access: 'ro', reset: 0xffn }),
  reg('MDCCSR_EL0', '2:3:0:1:0', 'debug', 'Monitor DCC Status Register', { access: 'ro', minEl: 0, traps: DBG_TRAPS, trap: tdcc }),
  reg('DBGDTR_EL0', '2:3:0:4:0', 'debug', 'Debug Data Transfer Register, half-duplex', { minEl: 0, traps: DBG_TRAPS, trap: tdcc }),
  // DBGDTRRX_EL0 (MRS) and DBGDTRTX_EL0 (MSR) share this encoding
  reg('DBGDTRRX_EL0', '2:3:0:5:0', 'debug', 'Debug Data Transfer Register, Receive (MRS) / Transmit (MSR, DBGDTRTX_EL0)', {
    minEl: 0,
    traps: DBG_TRAPS,
    trap: tdcc,
  }),
];
