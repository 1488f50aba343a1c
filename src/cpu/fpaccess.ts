// FP/SIMD access control (Arm ARM D1 "AArch64.CheckFPAdvSIMDEnabled" and the CPACR_EL1, CPTR_EL2,
// CPTR_EL3 descriptions): CPACR_EL1.FPEN for EL0/EL1 (ignored when HCR_EL2.TGE = 1), CPTR_EL2.TFP or,
// with HCR_EL2.E2H = 1, CPTR_EL2.FPEN (CPACR layout) for EL0–EL2, CPTR_EL3.TFP for EL0–EL2.
// Every FP/SIMD instruction (data processing and loads/stores) and FPCR/FPSR access calls fpTrap()
// first. The trap is EC 0x07 with ISS CV=1, COND=0xE (the AArch64 value, as QEMU reports it).
import type { Cpu } from './cpu';
import { R } from '../sysregs/table';
import { EC } from './exceptions';

const ISS = 0x01e0_0000;

/** Returns true if the access traps (the exception has been taken; the caller returns at once). */
export function fpTrap(c: Cpu): boolean {
  const el = c.el;
  if (el === 3) return trap3(c);
  // EL1 controls (not in the EL2&0 host regime; CPACR_EL1 is treated as 0b11 when TGE = 1)
  if (el <= 1 && !c.tge()) {
    const fpen = (c.sysLo(R.CPACR_EL1) >>> 20) & 3;
    if ((fpen & 1) === 0 || (fpen === 1 && el === 0)) {
      c.syncException(EC.FP_ASIMD, ISS, 1);
      return true;
    }
  }
  if (c.el2Enabled()) {
    const cptr = c.sysLo(R.CPTR_EL2);
    let trapped: boolean;
    if (c.e2h()) {
      const fpen = (cptr >>> 20) & 3;
      trapped = (fpen & 1) === 0 || (fpen === 1 && el === 0 && c.tge());
    } else {
      trapped = ((cptr >>> 10) & 1) === 1; // TFP
    }
    if (trapped) {
      c.syncException(EC.FP_ASIMD, ISS, 2);
      return true;
    }
  }
  return trap3(c);
}

function trap3(c: Cpu): boolean {
  if ((c.sysLo(R.CPTR_EL3) >>> 10) & 1) {
    c.syncException(EC.FP_ASIMD, ISS, 3);
    return true;
  }
  return false;
}
