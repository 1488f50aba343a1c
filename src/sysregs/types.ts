// The shape of one system-register table entry. One declarative entry per register drives MRS/MSR
// execution, trapping, the GDB target description and the inspector (DESIGN.md).
import type { Cpu } from '../cpu/cpu';

export type RegGroup = 'core' | 'el0' | 'el1' | 'el2' | 'el3' | 'id' | 'gic' | 'timer' | 'debug' | 'pmu' | 'ras' | 'other';

/** Where an access goes after trap checks: a storage slot, or a custom accessor. Values are 64-bit
 * as [lo, hi] halves written to c.tmpLo/c.tmpHi by readers. */
export interface SysRegDef {
  name: string;
  op0: number;
  op1: number;
  crn: number;
  crm: number;
  op2: number;
  /** lowest EL that may access it (accesses from below are UNDEFINED unless a trap rule applies) */
  minEl: 0 | 1 | 2 | 3;
  /** 'ro' writes are UNDEFINED, 'wo' reads are UNDEFINED */
  access: 'rw' | 'ro' | 'wo';
  /** reset value as a 64-bit bigint (used once at reset, never on the hot path) */
  reset: bigint;
  /** bits that software may write (others keep their value / read as fixed); default all */
  writeMask?: bigint;
  group: RegGroup;
  desc: string;
  /** custom read: write result to c.tmpLo / c.tmpHi */
  read?: (c: Cpu, def: SysRegDef) => void;
  /** custom write: receives the 64-bit value as halves */
  write?: (c: Cpu, lo: number, hi: number, def: SysRegDef) => void;
  /** hooks after a plain stored write: e.g. translation context changed */
  onWrite?: (c: Cpu, def: SysRegDef) => void;
  /** trap checks run before the access; return true if an exception was taken */
  trap?: (c: Cpu, isRead: boolean, def: SysRegDef, rt: number) => boolean;
  /** storage alias: this encoding reaches another register's storage (e.g. _EL12 → EL1 reg) */
  storageOf?: string;
  /** FEAT_VHE: at EL2 with HCR_EL2.E2H=1 this EL1 encoding is redirected to the named EL2 register */
  e2hRedirect?: string;
  /** shown in the GDB target description (default true) */
  gdb?: boolean;
  /** index into Cpu.sys storage (assigned by the table) */
  idx?: number;
}
