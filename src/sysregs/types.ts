// The shape of one system-register table entry. One declarative entry per register drives MRS/MSR
// execution, trapping, the GDB target description and the inspector (DESIGN.md).
import type { Cpu } from '../cpu/cpu';

export type RegGroup = 'core' | 'el0' | 'el1' | 'el2' | 'el3' | 'id' | 'gic' | 'timer' | 'debug' | 'pmu' | 'ras' | 'other';

/**
 * A declarative trap control: "when bit `bit` of control register `ctl` equals `val`, an access of
 * kind `on` from one of the ELs in `from` traps to EL `to` with EC 0x18 (full ISS)". The engine
 * (src/cpu/exec/system.ts) evaluates rules in target order (EL1, then EL2, then EL3), which is the
 * architectural priority (Arm ARM D1.14.x "Configurable instruction controls").
 * - rules with to=2 apply only when EL2 is enabled in the current Security state, and (unless
 *   `host` is set) not to EL0 in the EL2&0 host regime (HCR_EL2.{E2H,TGE} = {1,1});
 * - rules with to=1 (EL0 controls held in EL1 registers) are taken to EL2 when HCR_EL2.TGE = 1.
 */
export interface TrapRule {
  /** control register name, e.g. 'HCR_EL2', 'MDCR_EL2', 'CNTHCTL_EL2', 'SCR_EL3' */
  ctl: string;
  /** bit number 0..63 */
  bit: number;
  /** a second bit whose being set also makes the rule fire (e.g. MDCR_EL2.TDE for TDA) */
  orBit?: number;
  /** value of the bit that traps (default 1; enable bits like CNTHCTL_EL2.EL1PCTEN trap on 0) */
  val?: 0 | 1;
  /** direction that traps (default both) */
  on?: 'r' | 'w' | 'rw';
  /** ELs whose accesses are checked */
  from: readonly number[];
  /** target EL */
  to: 1 | 2 | 3;
  /** extra condition, e.g. HCR_EL2.E2H layout selection */
  when?: (c: Cpu) => boolean;
  /** short name for descriptions (e.g. 'HCR_EL2.TID3') */
  name: string;
}

/** A trap rule with its control register resolved to a storage index (built by the table). */
export interface CompiledTrap extends TrapRule {
  ctlIdx: number;
  word: number;
  mask: number;
  orWord: number;
  orMask: number;
  onRead: boolean;
  onWrite: boolean;
}

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
  /** per-CPU reset value (e.g. VMPIDR_EL2 = this CPU's MPIDR); overrides `reset` */
  resetFn?: (c: Cpu) => bigint;
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
  /** trap checks run before the access; return true if an exception was taken. `iss` is the full
   * EC 0x18 ISS of this access (Rt and direction included), ready for c.syncException. */
  trap?: (c: Cpu, isRead: boolean, def: SysRegDef, iss: number) => boolean;
  /** declarative trap controls (see TrapRule); evaluated before `trap` for EL1 targets, after it for EL2/EL3 */
  traps?: readonly TrapRule[];
  /** storage alias: this encoding reaches another register's storage (e.g. _EL12 → EL1 reg) */
  storageOf?: string;
  /** FEAT_VHE `_EL12`/`_EL02` alias: set together with storageOf. Accessible at EL2/EL3 only when
   * HCR_EL2.E2H = 1 (and EL2 enabled), else UNDEFINED; the access then behaves as the named register
   * (its own accessors). From EL1 with HCR_EL2.NV = 1 it traps to EL2. */
  vheAlias?: boolean;
  /** FEAT_VHE: at EL2 with HCR_EL2.E2H=1 this EL1 encoding is redirected to the named EL2 register
   * (for EL0 timer registers also at EL0 in the EL2&0 host regime) */
  e2hRedirect?: string;
  /** FEAT_NV2: byte offset of this register in the VNCR_EL2 page (Arm ARM D8, "VNCR_EL2 offsets"),
   * for the registers whose EL1 accesses become memory accesses when HCR_EL2.{NV,NV2} = {1,1} */
  vncr?: number;
  /** shown in the GDB target description (default true) */
  gdb?: boolean;
  /** GDB register groups this register belongs to (default: ['system', group]) */
  gdbGroups?: string[];
  /** reads have side effects (e.g. ICC_IAR1_EL1 acknowledges): the debugger reads storage instead */
  readSideEffects?: boolean;
  /** index into Cpu.sys storage (assigned by the table) */
  idx?: number;
  /** write mask as halves (assigned by the table; all ones when writeMask is absent) */
  wmLo?: number;
  wmHi?: number;
  /** compiled trap rules (assigned by the table) */
  compiled?: CompiledTrap[];
  /** for vheAlias / e2hRedirect: the resolved target definitions (assigned by the table) */
  aliasDef?: SysRegDef;
  redirectDef?: SysRegDef;
}
