// TLB maintenance (TLBI) and address translation (AT) operations, called by the SYS instruction
// handler in src/cpu/exec/system.ts after its trap checks. Owned by the MMU work.
import type { Cpu } from '../cpu/cpu';

/** Execute TLBI <op> (e.g. 'VMALLE1IS', 'VAE2', 'IPAS2E1') with Xt value (lo, hi). `all` = every CPU
 * of the machine for the broadcast (IS/OS) forms. */
export function tlbi(c: Cpu, op: string, lo: number, hi: number, all: Cpu[]): void {
  void op;
  void lo;
  void hi;
  for (const o of all) o.tlb.invalidateAll();
  c.exitLoop = true;
}

/** Execute AT <op> (e.g. 'S1E1R', 'S12E0W') for VA (lo, hi): writes PAR_EL1. */
export function at(c: Cpu, op: string, lo: number, hi: number): void {
  void c;
  void op;
  void lo;
  void hi;
}
