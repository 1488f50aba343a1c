// Small constructor for table entries so each register is one readable line.
import type { SysRegDef, RegGroup } from '../types';

export type Opts = Partial<Omit<SysRegDef, 'name' | 'op0' | 'op1' | 'crn' | 'crm' | 'op2' | 'group' | 'desc'>>;

/** enc is "op0:op1:CRn:CRm:op2" (as in the Arm ARM's encoding tables) */
export function reg(name: string, enc: string, group: RegGroup, desc: string, opts: Opts = {}): SysRegDef {
  const [op0, op1, crn, crm, op2] = enc.split(':').map(Number);
  const el = /_EL(\d)/.exec(name);
  const minEl = (opts.minEl ?? (el ? Math.max(1, Number(el[1])) : 1)) as 0 | 1 | 2 | 3;
  return {
    name, op0, op1, crn, crm, op2, group, desc,
    access: 'rw',
    reset: 0n,
    ...opts,
    minEl,
  };
}
