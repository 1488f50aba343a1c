// FP/SIMD access control: CPACR_EL1.FPEN, CPTR_EL2 (TFP, or FPEN when E2H=1), CPTR_EL3.TFP.
// Owned by the system-instructions work; every FP/SIMD instruction (data processing and loads/
// stores) calls fpTrap() first.
import type { Cpu } from './cpu';

/** Returns true if the access traps (the exception has been taken; the caller returns at once). */
export function fpTrap(c: Cpu): boolean {
  void c;
  return false;
}
