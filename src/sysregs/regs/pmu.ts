// Performance Monitors (PMUv3, Arm ARM D17.5): 4 event counters and the cycle counter. Time is the
// instruction count (DESIGN.md), so the cycle counter and the events CPU_CYCLES (0x11) and
// INST_RETIRED (0x08) count executed instructions while enabled (PMCR_EL0.E and PMCNTENSET_EL0);
// other events do not count. Filtering by EL and overflow interrupts are not modelled. Access rules
// and traps: EL0 access needs PMUSERENR_EL0.EN (else EC 0x18 to EL1), MDCR_EL2.TPM/TPMCR and
// MDCR_EL3.TPM trap to EL2/EL3.
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

// ---- counting: counter i (0..N-1 event counters, N = cycle counter) holds its value as of
// bases[i] (an icount); while it counts, its value is that plus (icount - bases[i]).
const CYC = NUM_PMU_COUNTERS;
const bases = new WeakMap<Cpu, Float64Array>();
function baseOf(c: Cpu): Float64Array {
  let b = bases.get(c);
  if (b === undefined) {
    b = new Float64Array(NUM_PMU_COUNTERS + 1).fill(c.icount);
    bases.set(c, b);
  }
  return b;
}
const cntIdx = (i: number): number => (i === CYC ? R.PMCCNTR_EL0 : R[`PMEVCNTR${i}_EL0`]);
function counting(c: Cpu, i: number): boolean {
  if ((c.sysLo(R.PMCR_EL0) & 1) === 0) return false;
  const en = c.sysLo(R.PMCNTENSET_EL0);
  if (i === CYC) return (en >>> 31) === 1;
  if (((en >>> i) & 1) === 0) return false;
  const ev = c.sysLo(R[`PMEVTYPER${i}_EL0`]) & 0xffff;
  return ev === 0x08 || ev === 0x11;
}
/** current value of counter i into c.tmpLo/tmpHi (event counters are 32-bit) */
function currentCount(c: Cpu, i: number): void {
  const k = 2 * cntIdx(i);
  const delta = counting(c, i) ? c.icount - baseOf(c)[i] : 0;
  const lo = c.sys[k] + delta;
  c.tmpLo = lo >>> 0;
  c.tmpHi = i === CYC ? (c.sys[k + 1] + Math.floor(lo / 4294967296)) >>> 0 : 0;
}
/** bring every counter's stored value up to date (before anything that changes what counts) */
function freeze(c: Cpu): void {
  const b = baseOf(c);
  for (let i = 0; i <= CYC; i++) {
    currentCount(c, i);
    const k = 2 * cntIdx(i);
    c.sys[k] = c.tmpLo;
    c.sys[k + 1] = c.tmpHi;
    b[i] = c.icount;
  }
}
function counterRw(i: number) {
  return {
    read: (c: Cpu) => currentCount(c, i),
    write: (c: Cpu, lo: number, hi: number) => {
      freeze(c);
      const k = 2 * cntIdx(i);
      c.sys[k] = lo;
      c.sys[k + 1] = i === CYC ? hi : 0;
    },
  };
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
      if (target === 'PMCNTENSET_EL0') freeze(c);
      const i = 2 * R[target];
      const m = lo & Number(ALL_MASK);
      c.sys[i] = set ? c.sys[i] | m : c.sys[i] & ~m;
    },
  };
}

const counters: SysRegDef[] = [];
for (let n = 0; n < NUM_PMU_COUNTERS; n++) {
  counters.push(reg(`PMEVCNTR${n}_EL0`, `3:3:14:${8 + (n >> 3)}:${n & 7}`, 'pmu', `Performance Monitors Event Count Register ${n}`, { ...PMU0, ...counterRw(n) }));
}
for (let n = 0; n < NUM_PMU_COUNTERS; n++) {
  counters.push(reg(`PMEVTYPER${n}_EL0`, `3:3:14:${12 + (n >> 3)}:${n & 7}`, 'pmu', `Performance Monitors Event Type Register ${n}`, {
    ...PMU0,
    write: (c, lo) => {
      freeze(c);
      c.sys[2 * R[`PMEVTYPER${n}_EL0`]] = lo & 0xfc00_ffff;
    },
  }));
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
    // IMP = 0x41 (Arm), N = 4; writable: E, D, X, DP, LC; P and C (write-only) reset the counters
    reset: (0x41n << 24n) | (BigInt(NUM_PMU_COUNTERS) << 11n),
    write: (c, lo) => {
      freeze(c);
      const k = 2 * R.PMCR_EL0;
      c.sys[k] = ((c.sys[k] & ~0x79) | (lo & 0x79)) >>> 0;
      if (lo & 4) c.sys[2 * R.PMCCNTR_EL0] = c.sys[2 * R.PMCCNTR_EL0 + 1] = 0;
      if (lo & 2) for (let n = 0; n < NUM_PMU_COUNTERS; n++) c.sys[2 * R[`PMEVCNTR${n}_EL0`]] = 0;
    },
  }),
  reg('PMCNTENSET_EL0', '3:3:9:12:1', 'pmu', 'Performance Monitors Count Enable Set', { ...PMU0, ...setClr('PMCNTENSET_EL0', true) }),
  reg('PMCNTENCLR_EL0', '3:3:9:12:2', 'pmu', 'Performance Monitors Count Enable Clear', { ...PMU0, ...setClr('PMCNTENSET_EL0', false) }),
  reg('PMOVSCLR_EL0', '3:3:9:12:3', 'pmu', 'Performance Monitors Overflow Flag Status Clear', { ...PMU0, ...setClr('PMOVSSET_EL0', false) }),
  reg('PMSWINC_EL0', '3:3:9:12:4', 'pmu', 'Performance Monitors Software Increment', { ...PMU0, access: 'wo', write: () => {} }),
  reg('PMSELR_EL0', '3:3:9:12:5', 'pmu', 'Performance Monitors Event Counter Selection', { ...PMU0, writeMask: 0x1fn }),
  // common events implemented: SW_INCR (0), INST_RETIRED (8), CPU_CYCLES (0x11)
  reg('PMCEID0_EL0', '3:3:9:12:6', 'pmu', 'Performance Monitors Common Event Identification 0', { ...PMU0, access: 'ro', reset: 0x0002_0101n }),
  reg('PMCEID1_EL0', '3:3:9:12:7', 'pmu', 'Performance Monitors Common Event Identification 1', { ...PMU0, access: 'ro' }),
  reg('PMCCNTR_EL0', '3:3:9:13:0', 'pmu', 'Performance Monitors Cycle Count Register', { ...PMU0, ...counterRw(CYC) }),
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
  const sel = (c: Cpu): SysRegDef | undefined => {
    const i = target(c);
    return i < 0 ? undefined : PMU_REGS.find((d) => d.idx === i);
  };
  return {
    read: (c: Cpu) => {
      const d = sel(c);
      if (d === undefined) {
        c.tmpLo = c.tmpHi = 0;
      } else if (d.read) d.read(c, d);
      else {
        c.tmpLo = c.sys[2 * d.idx!];
        c.tmpHi = c.sys[2 * d.idx! + 1];
      }
    },
    write: (c: Cpu, lo: number) => {
      const d = sel(c);
      if (d === undefined) return;
      if (d.write) d.write(c, lo, 0, d);
      else c.sys[2 * d.idx!] = (lo & d.wmLo!) >>> 0;
    },
  };
}
