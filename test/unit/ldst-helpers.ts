// Hand encoders for the A64 load/store class (Arm ARM C4.1.88) and a tiny runner for ldst tests.
import { Machine, RAM_BASE } from '../../src/machine/machine';
import type { Cpu } from '../../src/cpu/cpu';
import { R } from '../../src/sysregs/table';

export const CODE = RAM_BASE;
export const DATA = RAM_BASE + 0x10000;
export const VBAR = RAM_BASE + 0x20000;

const u = (x: number) => x >>> 0;
export const E = {
  /** load/store register, unsigned immediate (imm12 already scaled down) */
  ldstU: (size: number, v: number, opc: number, imm12: number, rn: number, rt: number) =>
    u((size << 30) | 0x39000000 | (v << 26) | (opc << 22) | (imm12 << 10) | (rn << 5) | rt),
  /** imm9 forms: mode 0 unscaled, 1 post, 2 unprivileged, 3 pre */
  ldst9: (size: number, v: number, opc: number, imm9: number, mode: number, rn: number, rt: number) =>
    u((size << 30) | 0x38000000 | (v << 26) | (opc << 22) | ((imm9 & 0x1ff) << 12) | (mode << 10) | (rn << 5) | rt),
  /** register offset: option 2 UXTW, 3 LSL, 6 SXTW, 7 SXTX */
  ldstR: (size: number, v: number, opc: number, rm: number, option: number, s: number, rn: number, rt: number) =>
    u((size << 30) | 0x38200800 | (v << 26) | (opc << 22) | (rm << 16) | (option << 13) | (s << 12) | (rn << 5) | rt),
  /** literal: imm19 in words */
  lit: (opc: number, v: number, imm19: number, rt: number) => u((opc << 30) | 0x18000000 | (v << 26) | ((imm19 & 0x7ffff) << 5) | rt),
  /** pair: mode 0 no-allocate, 1 post, 2 offset, 3 pre; imm7 scaled down */
  pair: (opc: number, v: number, mode: number, l: number, imm7: number, rt2: number, rn: number, rt: number) =>
    u((opc << 30) | 0x28000000 | (v << 26) | (mode << 23) | (l << 22) | ((imm7 & 0x7f) << 15) | (rt2 << 10) | (rn << 5) | rt),
  excl: (size: number, o2: number, l: number, o1: number, rs: number, o0: number, rt2: number, rn: number, rt: number) =>
    u((size << 30) | 0x08000000 | (o2 << 23) | (l << 22) | (o1 << 21) | (rs << 16) | (o0 << 15) | (rt2 << 10) | (rn << 5) | rt),
  /** atomic memory op: o3:opc = 0000 ADD .. 0111 UMIN, 1000 SWP */
  atomic: (size: number, a: number, r: number, rs: number, o3: number, opc: number, rn: number, rt: number) =>
    u((size << 30) | 0x38200000 | (a << 23) | (r << 22) | (rs << 16) | (o3 << 15) | (opc << 12) | (rn << 5) | rt),
};

export interface Run {
  m: Machine;
  c: Cpu;
}

/** A machine with `prog` at CODE, VBAR_EL3 = VBAR, running at EL3 (MMU off). */
export function setup(prog: number[], smp = 1): Run {
  const m = new Machine({ ramMiB: 16, smp });
  const c = m.cpus[0];
  const b = new Uint8Array(prog.length * 4);
  const dv = new DataView(b.buffer);
  prog.forEach((w, i) => dv.setUint32(i * 4, w >>> 0, true));
  m.bus.loadBytes(CODE, b);
  c.sysSet(R.VBAR_EL3, BigInt(VBAR));
  c.pc = BigInt(CODE);
  return { m, c };
}

export function put64(m: Machine, pa: number, v: bigint): void {
  const b = new Uint8Array(8);
  new DataView(b.buffer).setBigUint64(0, BigInt.asUintN(64, v), true);
  m.bus.loadBytes(pa, b);
}
export function get64(m: Machine, pa: number): bigint {
  return new DataView(m.bus.peek(pa, 8)!.buffer).getBigUint64(0, true);
}
export function get32(m: Machine, pa: number): number {
  return new DataView(m.bus.peek(pa, 4)!.buffer).getUint32(0, true);
}
export function fill(m: Machine, pa: number, bytes: number[]): void {
  m.bus.loadBytes(pa, Uint8Array.from(bytes));
}
export function esr(c: Cpu): number {
  return Number(c.sysGet(R.ESR_EL3));
}
export function far(c: Cpu): bigint {
  return c.sysGet(R.FAR_EL3);
}
/** true if the last step took a synchronous exception to EL3 (current EL, SP_ELx vector) */
export function trapped(c: Cpu): boolean {
  return c.pc === BigInt(VBAR + 0x200);
}
