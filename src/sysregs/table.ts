// The system-register table: every register exists once here. Encodings from the Arm ARM (D17,
// "AArch64 System Register Descriptions"; cross-checked with Linux arch/arm64/tools/sysreg).
// Storage indices are assigned in table order; `R.NAME` is the index used by the core.
import type { SysRegDef, CompiledTrap } from './types';
import type { Cpu } from '../cpu/cpu';
import { CORE_REGS } from './regs/core';
import { ID_REGS } from './regs/id';
import { EL1_REGS } from './regs/el1';
import { EL2_REGS } from './regs/el2';
import { EL3_REGS } from './regs/el3';
import { GIC_REGS } from './regs/gic';
import { TIMER_REGS } from './regs/timer';
import { DEBUG_REGS } from './regs/debug';
import { PMU_REGS } from './regs/pmu';
import { RAS_REGS } from './regs/ras';
import { idReg } from './regs/define';
import { T } from './traps';
import { VNCR_OFFSETS } from './vncr';

/** All definitions, in a stable order (the GDB register numbering follows it). */
export const SYSREGS: SysRegDef[] = [
  ...CORE_REGS,
  ...ID_REGS,
  ...EL1_REGS,
  ...EL2_REGS,
  ...EL3_REGS,
  ...TIMER_REGS,
  ...GIC_REGS,
  ...DEBUG_REGS,
  ...PMU_REGS,
  ...RAS_REGS,
];

/** name → storage index */
export const R: Record<string, number> = Object.create(null);
const byEnc = new Map<number, SysRegDef>();
const byName = new Map<string, SysRegDef>();

export function encKey(op0: number, op1: number, crn: number, crm: number, op2: number): number {
  return (op0 << 14) | (op1 << 11) | (crn << 7) | (crm << 3) | op2;
}

const M32 = 0xffffffffn;

(function assign() {
  let idx = 0;
  for (const d of SYSREGS) {
    if (byName.has(d.name)) throw new Error(`duplicate system register ${d.name}`);
    byName.set(d.name, d);
    if (!d.storageOf) {
      d.idx = idx++;
      R[d.name] = d.idx;
    }
    const k = encKey(d.op0, d.op1, d.crn, d.crm, d.op2);
    if (byEnc.has(k)) throw new Error(`duplicate encoding for ${d.name} and ${byEnc.get(k)!.name}`);
    byEnc.set(k, d);
    const wm = d.writeMask ?? 0xffff_ffff_ffff_ffffn;
    d.wmLo = Number(wm & M32) >>> 0;
    d.wmHi = Number((wm >> 32n) & M32) >>> 0;
  }
  // storage aliases share the storage slot of their target
  for (const d of SYSREGS) {
    if (d.storageOf) {
      const t = byName.get(d.storageOf);
      if (t === undefined || t.idx === undefined) throw new Error(`${d.name}: storageOf unknown ${d.storageOf}`);
      d.idx = t.idx;
      R[d.name] = t.idx;
      if (d.vheAlias) d.aliasDef = t;
    }
    if (d.e2hRedirect) {
      const t = byName.get(d.e2hRedirect);
      if (t === undefined) throw new Error(`${d.name}: e2hRedirect unknown ${d.e2hRedirect}`);
      d.redirectDef = t;
    }
  }
  for (const d of SYSREGS) if (d.traps) d.compiled = compileTraps(d);
  for (const [name, off] of Object.entries(VNCR_OFFSETS)) {
    const d = byName.get(name);
    if (d === undefined) throw new Error(`VNCR offset for unknown register ${name}`);
    d.vncr = off;
  }
})();

function compileTraps(d: SysRegDef): CompiledTrap[] {
  const out: CompiledTrap[] = [];
  for (const t of d.traps!) {
    const ctlIdx = R[t.ctl];
    if (ctlIdx === undefined) throw new Error(`${d.name}: trap control ${t.ctl} unknown`);
    const on = t.on ?? 'rw';
    out.push({
      ...t,
      ctlIdx,
      word: t.bit >>> 5,
      mask: (1 << (t.bit & 31)) >>> 0,
      orWord: t.orBit === undefined ? 0 : t.orBit >>> 5,
      orMask: t.orBit === undefined ? 0 : (1 << (t.orBit & 31)) >>> 0,
      onRead: on !== 'w',
      onWrite: on !== 'r',
    });
  }
  // architectural priority: traps to EL1 first, then EL2, then EL3
  out.sort((a, b) => a.to - b.to);
  return out;
}

export function sysregCount(): number {
  let n = 0;
  for (const d of SYSREGS) if (!d.storageOf) n++;
  return n;
}

/** Reserved encodings of the ID register space (op0=3, op1=0, CRn=0, CRm=1..7): RAZ, read-only,
 * trapped by HCR_EL2.TID3 like the allocated ones (Arm ARM D17.2.x, "ID register space"). */
const reservedId = new Map<number, SysRegDef>();

export function findSysReg(op0: number, op1: number, crn: number, crm: number, op2: number): SysRegDef | undefined {
  const k = encKey(op0, op1, crn, crm, op2);
  const d = byEnc.get(k);
  if (d !== undefined) return d;
  if (op0 === 3 && op1 === 0 && crn === 0 && crm >= 1 && crm <= 7) {
    let r = reservedId.get(k);
    if (r === undefined) {
      r = idReg(`S3_0_C0_C${crm}_${op2}`, `3:0:0:${crm}:${op2}`, 0n, 'Reserved ID register (RAZ)', { traps: [T.TID3], gdb: false });
      r.idx = -1;
      r.wmLo = r.wmHi = 0;
      r.read = (c) => {
        c.tmpLo = 0;
        c.tmpHi = 0;
      };
      r.compiled = [];
      const t = T.TID3;
      r.compiled.push({ ...t, ctlIdx: R[t.ctl], word: t.bit >>> 5, mask: (1 << (t.bit & 31)) >>> 0, orWord: 0, orMask: 0, onRead: true, onWrite: true });
      reservedId.set(k, r);
    }
    return r;
  }
  return undefined;
}

export function sysRegByName(name: string): SysRegDef | undefined {
  return byName.get(name);
}

/** Architectural name of an encoding: the table name, or the generic S<op0>_<op1>_C<n>_C<m>_<op2>. */
export function sysRegName(op0: number, op1: number, crn: number, crm: number, op2: number): string {
  return byEnc.get(encKey(op0, op1, crn, crm, op2))?.name ?? `S${op0}_${op1}_C${crn}_C${crm}_${op2}`;
}

// ------------------------------------------------------------------ debugger access (no traps)

/**
 * Value of a register as the debugger sees it: through the register's own reader (so derived
 * values such as CNTPCT_EL0 or a timer's ISTATUS are live), except registers whose reads have side
 * effects (ICC_IAR*), which show their storage. No trap checks, no EL checks, no VHE redirection:
 * a name always means that register. Returns a 64-bit bigint.
 */
export function debugReadSysReg(c: Cpu, d: SysRegDef): bigint {
  const t = d.aliasDef ?? d;
  if (t.read && !t.readSideEffects) {
    const lo = c.tmpLo, hi = c.tmpHi;
    t.read(c, t);
    const v = (BigInt(c.tmpHi >>> 0) << 32n) | BigInt(c.tmpLo >>> 0);
    c.tmpLo = lo;
    c.tmpHi = hi;
    return v;
  }
  if (t.idx === undefined || t.idx < 0) return 0n;
  return c.sysGet(t.idx);
}

/** Write from the debugger: goes through the register's writer / write mask / onWrite hook, so the
 * architectural side effects happen (e.g. VTTBR_EL2 → translation context change). */
export function debugWriteSysReg(c: Cpu, d: SysRegDef, v: bigint): void {
  const t = d.aliasDef ?? d;
  v = BigInt.asUintN(64, v);
  const lo = Number(v & M32) >>> 0;
  const hi = Number(v >> 32n) >>> 0;
  if (t.write) t.write(c, lo, hi, t);
  else if (t.idx !== undefined && t.idx >= 0) {
    const i = 2 * t.idx;
    c.sys[i] = ((c.sys[i] & ~t.wmLo!) | (lo & t.wmLo!)) >>> 0;
    c.sys[i + 1] = ((c.sys[i + 1] & ~t.wmHi!) | (hi & t.wmHi!)) >>> 0;
    t.onWrite?.(c, t);
  }
  c.exitLoop = true;
}
