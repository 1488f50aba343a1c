// Generic Timer registers (Arm ARM D11, D17.8). Behaviour lives in src/timer/timer.ts (GenericTimers,
// reached through c.timers); without timers (bare machine) the table's storage is used. Access rules:
// EL0 accesses are enabled by CNTKCTL_EL1 (trap to EL1, EC 0x18), or by CNTHCTL_EL2's EL0 bits in the
// EL2&0 host regime; EL0/EL1 physical counter/timer accesses are trapped to EL2 by CNTHCTL_EL2
// EL1PCTEN/EL1PCEN (bits 0/1, or 10/11 when HCR_EL2.E2H = 1).
import type { SysRegDef } from '../types';
import type { Cpu } from '../../cpu/cpu';
import { reg, type Opts } from './define';
import { R } from '../table';

/** CNTFRQ_EL0 at reset: 62.5 MHz, as QEMU's virt board */
export const CNTFRQ_HZ = 62_500_000;

type Kind = 'pct' | 'vct' | 'p' | 'v' | 'frq';
/** enable bits for EL0 in CNTKCTL_EL1 (and CNTHCTL_EL2 with E2H=1): EL0PCTEN 0, EL0VCTEN 1, EL0VTEN 8, EL0PTEN 9 */
const EL0_BITS: Record<Kind, number> = { pct: 1, vct: 2, p: 1 << 9, v: 1 << 8, frq: 3 };

function timerTrap(kind: Kind) {
  return (c: Cpu, _isRead: boolean, _d: SysRegDef, iss: number): boolean => {
    const el = c.el;
    if (el >= 2) return false;
    const host = c.isHostEl0Regime();
    if (el === 0) {
      const ctl = host ? c.sysLo(R.CNTHCTL_EL2) : c.sysLo(R.CNTKCTL_EL1);
      if ((ctl & EL0_BITS[kind]) === 0) {
        c.syncException(0x18, iss, host || c.tge() ? 2 : 1);
        return true;
      }
      if (host) return false;
    }
    if (!c.el2Enabled() || (kind !== 'pct' && kind !== 'p')) return false;
    const h = c.sysLo(R.CNTHCTL_EL2);
    const bit = c.e2h() ? (kind === 'pct' ? 10 : 11) : kind === 'pct' ? 0 : 1;
    if ((h >>> bit) & 1) return false;
    c.syncException(0x18, iss, 2);
    return true;
  };
}

const M32 = 0xffffffffn;
function setTmp(c: Cpu, v: bigint): void {
  c.tmpLo = Number(v & M32) >>> 0;
  c.tmpHi = Number((v >> 32n) & M32) >>> 0;
}
function physCount(c: Cpu): bigint {
  if (c.timers) return c.timers.cntpct();
  const t = c.env.counter?.(c);
  return t ? (BigInt(t[1] >>> 0) << 32n) | BigInt(t[0] >>> 0) : BigInt(c.icount);
}

/** Timer index in src/timer/timer.ts TIMERS: CNTP 0, CNTV 1, CNTHP 2, CNTHV 3, CNTPS 4 */
function timerRegs(prefix: string, suffix: string, enc: string, ti: number, desc: string, o: Opts): SysRegDef[] {
  const [op0, op1, crn, crm] = enc.split(':');
  const e = (op2: number) => `${op0}:${op1}:${crn}:${crm}:${op2}`;
  return [
    reg(`${prefix}_TVAL_${suffix}`, e(0), 'timer', `${desc} TimerValue (CVAL - count, signed 32-bit)`, {
      ...o,
      read: (c, d) => {
        if (c.timers && ti >= 0) {
          c.tmpLo = c.timers.readTval(ti) >>> 0;
          c.tmpHi = 0;
        } else {
          c.tmpLo = c.sys[2 * d.idx!];
          c.tmpHi = 0;
        }
      },
      write: (c, lo, _hi, d) => {
        if (c.timers && ti >= 0) c.timers.writeTval(ti, lo);
        else c.sys[2 * d.idx!] = lo;
      },
    }),
    reg(`${prefix}_CTL_${suffix}`, e(1), 'timer', `${desc} Control (ENABLE, IMASK, ISTATUS)`, {
      ...o,
      read: (c, d) => {
        c.tmpLo = c.timers && ti >= 0 ? c.timers.readCtl(ti) : c.sys[2 * d.idx!] & 3;
        c.tmpHi = 0;
      },
      write: (c, lo, _hi, d) => {
        if (c.timers && ti >= 0) c.timers.writeCtl(ti, lo & 3);
        else c.sys[2 * d.idx!] = lo & 3;
        c.exitLoop = true;
      },
    }),
    reg(`${prefix}_CVAL_${suffix}`, e(2), 'timer', `${desc} CompareValue`, {
      ...o,
      write: (c, lo, hi, d) => {
        if (c.timers && ti >= 0) c.timers.writeCval(ti, (BigInt(hi >>> 0) << 32n) | BigInt(lo >>> 0));
        else {
          c.sys[2 * d.idx!] = lo;
          c.sys[2 * d.idx! + 1] = hi;
        }
        c.exitLoop = true;
      },
    }),
  ];
}

const EL0P: Opts = { minEl: 0, trap: timerTrap('p') };
const EL0V: Opts = { minEl: 0, trap: timerTrap('v') };

const [cnthpTval, cnthpCtl, cnthpCval] = timerRegs('CNTHP', 'EL2', '3:4:14:2', 2, 'EL2 physical timer', {});
const [cnthvTval, cnthvCtl, cnthvCval] = timerRegs('CNTHV', 'EL2', '3:4:14:3', 3, 'EL2 virtual timer', {});
const [cntpTval, cntpCtl, cntpCval] = timerRegs('CNTP', 'EL0', '3:3:14:2', 0, 'EL1 physical timer', EL0P);
const [cntvTval, cntvCtl, cntvCval] = timerRegs('CNTV', 'EL0', '3:3:14:3', 1, 'EL1 virtual timer', EL0V);
cntpTval.e2hRedirect = 'CNTHP_TVAL_EL2';
cntpCtl.e2hRedirect = 'CNTHP_CTL_EL2';
cntpCval.e2hRedirect = 'CNTHP_CVAL_EL2';
cntvTval.e2hRedirect = 'CNTHV_TVAL_EL2';
cntvCtl.e2hRedirect = 'CNTHV_CTL_EL2';
cntvCval.e2hRedirect = 'CNTHV_CVAL_EL2';

/** CNTPS_*_EL1: Secure EL1 with SCR_EL3.ST = 1 and EL3 only; Secure EL1 with ST = 0 traps to EL3;
 * elsewhere UNDEFINED (Arm ARM D17.8). */
function cntpsTrap(c: Cpu, _r: boolean, _d: SysRegDef, iss: number): boolean {
  if (c.el === 3) return false;
  if (c.el !== 1 || !c.isSecure()) {
    c.undefinedInstruction();
    return true;
  }
  if (((c.sysLo(R.SCR_EL3) >>> 11) & 1) === 0) {
    c.syncException(0x18, iss, 3);
    return true;
  }
  return false;
}

export const TIMER_REGS: SysRegDef[] = [
  reg('CNTFRQ_EL0', '3:3:14:0:0', 'timer', 'Counter-timer Frequency Register', {
    minEl: 0,
    reset: BigInt(CNTFRQ_HZ),
    writeMask: 0xffff_ffffn,
    trap: (c, isRead, d, iss) => {
      // writable only at the highest implemented EL (EL3)
      if (!isRead && c.el !== 3) {
        c.undefinedInstruction();
        return true;
      }
      return timerTrap('frq')(c, isRead, d, iss);
    },
  }),
  reg('CNTPCT_EL0', '3:3:14:0:1', 'timer', 'Counter-timer Physical Count Register', {
    minEl: 0,
    access: 'ro',
    trap: timerTrap('pct'),
    read: (c) => setTmp(c, physCount(c)),
  }),
  reg('CNTVCT_EL0', '3:3:14:0:2', 'timer', 'Counter-timer Virtual Count Register', {
    minEl: 0,
    access: 'ro',
    trap: timerTrap('vct'),
    // the offset applies everywhere except at EL2 with HCR_EL2.E2H = 1 and at EL0 in the EL2&0 host
    // regime (Arm ARM D11.2.4; QEMU behaves the same)
    read: (c) => {
      const noOff = (c.el === 2 && c.e2h()) || (c.el === 0 && c.isHostEl0Regime());
      setTmp(c, BigInt.asUintN(64, physCount(c) - (noOff ? 0n : c.sysGet(R.CNTVOFF_EL2))));
    },
  }),
  reg('CNTVOFF_EL2', '3:4:14:0:3', 'timer', 'Counter-timer Virtual Offset Register', {
    onWrite: (c) => {
      c.timers?.evaluate();
      c.exitLoop = true; // a timer output may have changed
    },
  }),
  reg('CNTKCTL_EL1', '3:0:14:1:0', 'timer', 'Counter-timer Kernel Control Register', { e2hRedirect: 'CNTHCTL_EL2', writeMask: 0x3ffn }),
  // EL1PCTEN | EL1PCEN at reset (an UNKNOWN value the architecture permits; friendly to EL1 code)
  reg('CNTHCTL_EL2', '3:4:14:1:0', 'timer', 'Counter-timer Hypervisor Control Register', { reset: 3n, writeMask: 0xfffn }),
  cntpTval, cntpCtl, cntpCval,
  cntvTval, cntvCtl, cntvCval,
  cnthpTval, cnthpCtl, cnthpCval,
  cnthvTval, cnthvCtl, cnthvCval,
  ...timerRegs('CNTHVS', 'EL2', '3:4:14:4', -1, 'Secure EL2 virtual timer', {}),
  ...timerRegs('CNTHPS', 'EL2', '3:4:14:5', -1, 'Secure EL2 physical timer', {}),
  ...timerRegs('CNTPS', 'EL1', '3:7:14:2', 4, 'Secure physical timer', { minEl: 1, trap: cntpsTrap }),
];
