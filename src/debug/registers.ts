// Register access for debuggers: the core registers in GDB's aarch64 numbering and every system
// register of the table (src/sysregs/table.ts) by architectural name, plus banked views the
// architecture hides behind the current EL. Reads and writes go through the table's storage and
// custom hooks with c.debuggerAccess set (no trap checks are run).
//
// Side effects of debugger writes: every system-register write ends with c.contextChanged() and a
// flush of this CPU's TLB (c.tlb.invalidateAll()). Architecturally a change of VTTBR_EL2/TTBRn/
// TCR/SCTLR/HCR takes effect for new walks and TLB maintenance makes it visible; a debugger write has
// no later TLBI from the guest to rely on, so we drop every cached translation at once.
import type { Cpu } from '../cpu/cpu';
import { SYSREGS, debugReadSysReg, debugWriteSysReg } from '../sysregs/table';
import type { SysRegDef } from '../sysregs/types';

export const REG_SP = 31;
export const REG_PC = 32;
export const REG_CPSR = 33;
export const CORE_COUNT = 34;
/** GDB's aarch64 fpu feature: v0-v31 (128-bit) at 34-65, fpsr 66, fpcr 67 */
export const FPU_BASE = 34;
export const REG_FPSR = 66;
export const REG_FPCR = 67;
/** first system register (view registers follow the fpu feature) */
export const SYS_BASE = 68;
/** registers shown in the fpu feature, left out of the system-register list */
const IN_FPU = new Set(['FPSR', 'FPCR']);

/** A register a debugger may see beyond the core ones. */
export interface ViewReg {
  name: string;
  bits: 64;
  /** group for GDB: 'el1' | 'el2' | 'el3' | 'system' */
  group: string;
  desc: string;
  read(c: Cpu): bigint;
  /** returns false when the register cannot be written */
  write(c: Cpu, v: bigint): boolean;
}

function hv(lo: number, hi: number): bigint {
  return (BigInt(hi >>> 0) << 32n) | BigInt(lo >>> 0);
}

/** GDB register group: every *_EL2 / *_EL3 register (ICH_*, CNTHCTL_EL2, MDCR_EL2... included) in
 * el2 / el3, the EL1 translation/exception registers in el1, the rest (ID, ICC, timers, debug, PMU,
 * PSTATE fields) in system. A tdesc register has exactly one group. */
function groupOf(d: SysRegDef): string {
  if (/_EL3$/.test(d.name)) return 'el3';
  if (/_EL2$/.test(d.name)) return 'el2';
  if (d.group === 'el1' || d.group === 'el2' || d.group === 'el3') return d.group;
  return 'system';
}

function sysView(d: SysRegDef): ViewReg {
  return {
    name: d.name,
    bits: 64,
    group: d.vheAlias ? 'el1' : groupOf(d),
    desc: d.desc,
    read(c) {
      // the table's debugger read: live values through readers, storage for registers whose
      // reads have side effects (ICC_IAR*), no traps, no VHE redirection
      c.debuggerAccess = true;
      try {
        return debugReadSysReg(c, d);
      } catch {
        return 0n;
      } finally {
        c.debuggerAccess = false;
      }
    },
    write(c, v) {
      c.debuggerAccess = true;
      try {
        if (d.name === 'CurrentEL') {
          // EL0 has only SP_EL0: M[0] = 1 at EL0 is a reserved mode (Arm ARM D1.4 / C5.2.18)
          const el = Number((BigInt.asUintN(64, v) >> 2n) & 3n);
          c.switchElSp(el, el === 0 ? 0 : c.spSel);
        }
        else if (d.name === 'SPSel' && c.el === 0 && (v & 1n) !== 0n) return false; // no EL0h
        else if (d.access === 'ro' && d.read && !d.write) return false;
        else debugWriteSysReg(c, d, v);
      } catch {
        return false;
      } finally {
        c.debuggerAccess = false;
      }
      c.contextChanged();
      c.tlb.invalidateAll();
      return true;
    },
  };
}

let cached: ViewReg[] | null = null;

/** System registers for debuggers, in GDB numbering order (regnum = SYS_BASE + index). */
export function viewRegisters(): ViewReg[] {
  if (cached) return cached;
  const out: ViewReg[] = [];
  const seen = new Set<string>();
  for (const d of SYSREGS) {
    // VHE aliases (SCTLR_EL12...) are shown too: with E2H=1 they name the real EL1 registers
    if ((d.gdb === false && !d.vheAlias) || seen.has(d.name) || IN_FPU.has(d.name)) continue;
    seen.add(d.name);
    out.push(sysView(d));
  }
  // SP_EL3 is not an MSR-accessible register but a debugger needs the bank
  if (!seen.has('SP_EL3'))
    out.push({
      name: 'SP_EL3',
      bits: 64,
      group: 'el3',
      desc: 'Stack Pointer (EL3)',
      read: (c) => c.getSpEl(3),
      write: (c, v) => {
        c.setSpEl(3, v);
        return true;
      },
    });
  cached = out;
  return out;
}

const byName = new Map<string, number>();
export function viewRegIndex(name: string): number | undefined {
  if (byName.size === 0) viewRegisters().forEach((r, i) => byName.set(r.name.toUpperCase(), i));
  return byName.get(name.toUpperCase());
}

/** Core register n (0..33) as bigint; cpsr is 32-bit. */
export function readCore(c: Cpu, n: number): bigint {
  if (n < 31) return c.x64[n];
  if (n === REG_SP) return c.x64[31];
  if (n === REG_PC) return c.pc;
  if (n === REG_CPSR) return BigInt(c.getPstate());
  return 0n;
}

export function writeCore(c: Cpu, n: number, v: bigint): boolean {
  v = BigInt.asUintN(64, v);
  if (n < 31) c.x64[n] = v;
  else if (n === REG_SP) c.x64[31] = v;
  else if (n === REG_PC) c.pc = v;
  else if (n === REG_CPSR) {
    c.setPstate(Number(v & 0xffffffffn));
    c.contextChanged();
  } else return false;
  return true;
}

export function coreSize(n: number): number {
  return n === REG_CPSR ? 4 : 8;
}

/** v0-v31 as 16 little-endian bytes (c.vreg holds 4 words per register, word 0 least significant) */
export function readVreg(c: Cpu, n: number): Uint8Array {
  const out = new Uint8Array(16);
  const dv = new DataView(out.buffer);
  for (let i = 0; i < 4; i++) dv.setUint32(4 * i, c.vreg[4 * n + i], true);
  return out;
}

export function writeVreg(c: Cpu, n: number, b: Uint8Array): void {
  const dv = new DataView(b.buffer, b.byteOffset, 16);
  for (let i = 0; i < 4; i++) c.vreg[4 * n + i] = dv.getUint32(4 * i, true);
}

/** FPSR / FPCR through the system-register table (storage and hooks) */
export function fpStatusReg(name: 'FPSR' | 'FPCR'): ViewReg | undefined {
  const d = SYSREGS.find((x) => x.name === name);
  return d ? sysView(d) : undefined;
}
