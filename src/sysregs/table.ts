// The system-register table: every register exists once here. Encodings from the Arm ARM (D17,
// "AArch64 System Register Descriptions"; cross-checked with Linux arch/arm64/tools/sysreg).
// Storage indices are assigned in table order; `R.NAME` is the index used by the core.
import type { SysRegDef } from './types';
import { CORE_REGS } from './regs/core';

/** All definitions, in a stable order (the GDB register numbering follows it). */
export const SYSREGS: SysRegDef[] = [...CORE_REGS];

/** name → storage index */
export const R: Record<string, number> = Object.create(null);
const byEnc = new Map<number, SysRegDef>();

export function encKey(op0: number, op1: number, crn: number, crm: number, op2: number): number {
  return (op0 << 14) | (op1 << 11) | (crn << 7) | (crm << 3) | op2;
}

(function assign() {
  let idx = 0;
  for (const d of SYSREGS) {
    if (R[d.name] !== undefined) throw new Error(`duplicate system register ${d.name}`);
    d.idx = idx++;
    R[d.name] = d.idx;
    const k = encKey(d.op0, d.op1, d.crn, d.crm, d.op2);
    if (byEnc.has(k)) throw new Error(`duplicate encoding for ${d.name} and ${byEnc.get(k)!.name}`);
    byEnc.set(k, d);
  }
  // storage aliases share the storage slot of their target
  for (const d of SYSREGS) {
    if (d.storageOf) {
      const t = R[d.storageOf];
      if (t === undefined) throw new Error(`${d.name}: storageOf unknown ${d.storageOf}`);
      d.idx = t;
      R[d.name] = t;
    }
  }
})();

export function sysregCount(): number {
  return SYSREGS.length;
}

export function findSysReg(op0: number, op1: number, crn: number, crm: number, op2: number): SysRegDef | undefined {
  return byEnc.get(encKey(op0, op1, crn, crm, op2));
}

export function sysRegByName(name: string): SysRegDef | undefined {
  const i = R[name];
  return i === undefined ? undefined : SYSREGS.find((d) => d.name === name);
}
