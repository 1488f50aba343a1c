// Bridge between the CPU's FPCR/FPSR (system-register storage) and the FP library's FpEnv.
import type { Cpu } from '../cpu';
import { R } from '../../sysregs/table';
import type { FpEnv } from './fpu-core';

const shared: FpEnv = { fpcr: 0, fpsr: 0 };

/** A reusable env whose fpcr is the current FPCR and whose fpsr starts empty. */
export function fpEnv(c: Cpu): FpEnv {
  shared.fpcr = c.sysLo(R.FPCR);
  shared.fpsr = 0;
  return shared;
}

/** OR the env's accumulated cumulative flags into FPSR. */
export function fpFlush(c: Cpu, env: FpEnv): void {
  if (env.fpsr) c.sys[2 * R.FPSR] = (c.sys[2 * R.FPSR] | env.fpsr) >>> 0;
}
