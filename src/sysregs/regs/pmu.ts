// Performance Monitors (PMUv3, Arm ARM D17.5): 4 event counters and the cycle counter. Counting is
// not modelled yet (counters hold what software writes); access rules and traps are: EL0 access needs
// PMUSERENR_EL0.EN (else EC 0x18 to EL1), MDCR_EL2.TPM/TPMCR and MDCR_EL3.TPM trap to EL2/EL3.
import type { SysRegDef } from '../types';
import type { Cpu } from '../../cpu/cpu';
import { reg } from './define';
import { T, PMU_TRAPS } from '../traps';
import { R } from '../table';

export const NUM_PMU_COUNTERS = 4;
const CNT_MASK = (1 << NUM_PMU_COUNTERS) - 1;
const ALL_MASK = BigInt((CNT_MASK | 0x8000_0000) >>> 0);

/** PMUSERENR_EL0.EN (bit 0) = 0: EL0 accesses trap to EL1 (Arm ARM D17.5.x). The finer SW/CR/ER
 * bits open single registers; EN covers them all here. */
function pmuEl0(c: Cpu, _r: boolean, d: SysRegDef, iss: number): boolean {
  if (c.el !== 0 || c.isHostEl0Regime()) return false;
  const u = c.sysLo(R.PMUSERENR_EL0);
  if (u & 1) return false;
  if (d.name === 'PMSWINC_EL0' && u & 2) return false;
  if ((d.name === 'PMCCNTR_EL0') && u & 4) return false;
  if (/^PM(XEV|EV)CNTR/.test(d.name) && u & 8) return false;
  c.syncException(0x18, iss, c.tge() ? 2 : 1);
  return true;
}

const PMU = { traps: PMU_TRAPS };
const PMU0 = { minEl: 0 as const, traps: PMU_TRAPS, trap: pmuEl0 };

function setClr(target: string, set: boolean) {
  return {
    read: (c: Cpu) => {
      c.tmpLo = c.sysLo(R[target]);
      c.tmpHi = 0;
    },
    write: (c: Cpu, lo: number) => {
      const i = 2 * R[target];
      const m = lo & Number(ALL_MASK);
      c.sys[i] = set ? c.sys[i] | m : c.sys[i] & ~m;
    },
  };
}

const counters: SysRegDef[] = [];
for (let n = 0; n < NUM_PMU_COUNTERS; n++) {
  counters.push(reg(`PMEVCNTR${n}_EL0`, `3:3:14:${8 + (n >> 3)}:${n & 7}`, 'pmu', `Performance Monitors Event Count Register ${n}`, { ...PMU0, writeMask: 0xffff_ffffn }));
}
for (let n = 0; n < NUM_PMU_COUNTERS; n++) {
  counters.push(reg(`PMEVTYPER${n}_EL0`, `3:3:14:${12 + (n >> 3)}:${n & 7}`, 'pmu', `Performance Monitors Event Type Register ${n}`, { ...PMU0, writeMask: 0xfc00_ffffn }));
}

export const PMU_REGS: SysRegDef[] = [
  // storage of the enable/interrupt/overflow sets (set/clear encodings both reach them)
  reg('PMINTENSET_EL1', '3:0:9:14:1', 'pmu', 'Performance Monitors Interrupt Enable Set', { ...PMU, ...setClr('PMINTENSET_EL1', true) }),
  reg('PMINTENCLR_EL1', '3:0:9:14:2', 'pmu', 'Performance Monitors Interrupt Enable Clear', { ...PMU, ...setClr('PMINTENSET_EL1', false) }),
  // PMUv3p4 (ID_AA64DFR0_EL1.PMUVer = 5) has PMMIR_EL1; SLOTS = 0 (not described)
  reg('PMMIR_EL1', '3:0:9:14:6', 'pmu', 'Performance Monitors Machine Identification Register', { access: 'ro', traps: PMU_TRAPS }),
  reg('PMCR_EL0', '3:3:9:12:0', 'pmu', 'Performance Monitors Control Register (N = 4 counters)', {
    ...PMU0,
    traps: [T.TPMCR, ...PMU_TRAPS],
    // IMP = 0x41 (Arm), N = 4; writable: E, P (WO), C (WO), D, X, DP, LC
    reset: (0x41n << 24n) | (BigInt(NUM_PMU_COUNTERS) << 11n),
    writeMask: 0x79n,
  }),
  reg('PMCNTENSET_EL0', '3:3:9:12:1', 'pmu', 'Performance Monitors Count Enable Set', { ...PMU0, ...setClr('PMCNTENSET_EL0', true) }),
  reg('PMCNTENCLR_EL0', '3:3:9:12:2', 'pmu', 'Performance Monitors Count Enable Clear', { ...PMU0, ...setClr('PMCNTENSET_EL0', false) }),
  reg('PMOVSCLR_EL0', '3:3:9:12:3', 'pmu', 'Performance Monitors Overflow Flag Status Clear', { ...PMU0, ...setClr('PMOVSSET_EL0', false) }),
  reg('PMSWINC_EL0', '3:3:9:12:4', 'pmu', 'Performance Monitors Software Increment', { ...PMU0, access: 'wo', write: () => {} }),
  reg('PMSELR_EL0', '3:3:9:12:5', 'pmu', 'Performance Monitors Event Counter Selection', { ...PMU0, writeMask: 0x1fn }),
  // common events implemented: SW_INCR (0), INST_RETIRED (8), CPU_CYCLES (0x11)
  reg('PMCEID0_EL0', '3:3:9:12:6', 'pmu', 'Performance Monitors Common Event Identification 0', { ...PMU0, access: 'ro', reset: 0x0002_0101n }),
  reg('PMCEID1_EL0', '3:3:9:12:7', 'pmu', 'Performance Monitors Common Event Identification 1', { ...PMU0, access: 'ro' }),
  reg('PMCCNTR_EL0', '3:3:9:13:0', 'pmu', 'Performance Monitors Cycle Count Register', PMU0),
  reg('PMXEVTYPER_EL0', '3:3:9:13:1', 'pmu', 'Performance Monitors Selected Event Type (PMSELR_EL0.SEL)', { ...PMU0, gdb: false, ...selected('PMEVTYPER', 'PMCCFILTR_EL0') }),
  reg('PMXEVCNTR_EL0', '3:3:9:13:2', 'pmu', 'Performance Monitors Selected Event Count (PMSELR_EL0.SEL)', { ...PMU0, gdb: false, ...selected('PMEVCNTR', null) }),
  reg('PMUSERENR_EL0', '3:3:9:14:0', 'pmu', 'Performance Monitors User Enable Register', {
    minEl: 0,
    traps: PMU_TRAPS,
    writeMask: 0xfn,
    // read-only at EL0
    trap: (c, isRead) => {
      if (c.el === 0 && !isRead) {
        c.undefinedInstruction();
        return true;
      }
      return false;
    },
  }),
  reg('PMOVSSET_EL0', '3:3:9:14:3', 'pmu', 'Performance Monitors Overflow Flag Status Set', { ...PMU0, ...setClr('PMOVSSET_EL0', true) }),
  ...counters,
  reg('PMCCFILTR_EL0', '3:3:14:15:7', 'pmu', 'Performance Monitors Cycle Count Filter Register', { ...PMU0, writeMask: 0xfc00_0000n }),
];

/** PMXEV*: access the counter selected by PMSELR_EL0.SEL (31 = cycle counter filter for TYPER);
 * an unimplemented selection reads 0 and ignores writes (CONSTRAINED UNPREDICTABLE choice). */
function selected(prefix: string, sel31: string | null) {
  const target = (c: Cpu): number => {
    const sel = c.sysLo(R.PMSELR_EL0) & 0x1f;
    if (sel === 31) return sel31 ? R[sel31] : -1;
    return sel < NUM_PMU_COUNTERS ? R[`${prefix}${sel}_EL0`] : -1;
  };
  return {
    read: (c: Cpu) => {
      const i = target(c);
      c.tmpLo = i < 0 ? 0 : c.sys[2 * i];
      c.tmpHi = i < 0 ? 0 : c.sys[2 * i + 1];
    },
    write: (c: Cpu, lo: number) => {
      const i = target(c);
      if (i >= 0) c.sys[2 * i] = lo;
    },
  };
}
