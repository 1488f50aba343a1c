// Small constructor for table entries so each register is one readable line.
import type { SysRegDef, RegGroup } from '../types';

export type Opts = Partial<Omit<SysRegDef, 'name' | 'op0' | 'op1' | 'crn' | 'crm' | 'op2' | 'group' | 'desc'>>;

/**
 * enc is "op0:op1:CRn:CRm:op2" (as in the Arm ARM's encoding tables).
 * Default minEl: names ending in _EL0 → 0, _ELn → max(1, n); `_EL12`/`_EL02` aliases must say so
 * explicitly (use alias()).
 */
export function reg(name: string, enc: string, group: RegGroup, desc: string, opts: Opts = {}): SysRegDef {
  const [op0, op1, crn, crm, op2] = enc.split(':').map(Number);
  const el = /_EL(\d)$/.exec(name);
  const minEl = (opts.minEl ?? (el ? (el[1] === '0' ? 0 : Math.max(1, Number(el[1]))) : 1)) as 0 | 1 | 2 | 3;
  return {
    name, op0, op1, crn, crm, op2, group, desc,
    access: 'rw',
    reset: 0n,
    ...opts,
    gdbGroups: opts.gdbGroups ?? ['system', group],
    minEl,
  };
}

/** FEAT_VHE `_EL12` / `_EL02` encoding reaching the named EL1/EL0 register (Arm ARM D5.x, "Virtualization
 * Host Extensions": accessible from EL2/EL3 with HCR_EL2.E2H = 1). Not shown to GDB separately: GDB
 * shows the target register itself. */
export function alias(name: string, enc: string, target: string, desc: string): SysRegDef {
  return reg(name, enc, 'el2', desc, { minEl: 2, storageOf: target, vheAlias: true, gdb: false });
}

/** Registers that read as a constant (ID registers): read-only, value = reset. */
export function idReg(name: string, enc: string, value: bigint, desc: string, opts: Opts = {}): SysRegDef {
  return reg(name, enc, 'id', desc, { access: 'ro', reset: value, ...opts });
}
