// The A64 SIMD&FP data-processing encoding space (Arm ARM C4.1: op0 bits[28:25] = x111: AdvSIMD,
// scalar FP, crypto) and the AdvSIMD structure loads/stores (C4.1.88 "Advanced SIMD load/store
// multiple/single structures"). Each class lives in its own file under simd/; this module only
// collects their rows. Whatever no row claims is unallocated, hence UNDEFINED even when SIMD&FP
// access is trapped (decode comes first: the CPACR_EL1/CPTR_EL2/CPTR_EL3 check, EC 0x07, is in each
// instruction's execute pseudocode, CheckFPAdvSIMDEnabled64; QEMU 7.2 agrees): the catch-all rows
// below have the fewest fixed bits, so every real row wins over them.
// Register fields of these rows are indexes into c.vreg: d.rd/d.rn/d.rm/d.ra = 4 × register number
// (so lane i of size 8/16/32/64 is c.v8[4*d.rd + i], c.v16[2*d.rd + i], c.vreg[d.rd + i],
// c.v64[d.rd/2 + i]).
import type { Row, Decoded } from '../decode/decoder';
import type { Cpu } from '../cpu';
import { FP_SCALAR_ROWS } from './simd/fp-scalar';
import { SIMD_ARITH_ROWS } from './simd/simd-arith';
import { SIMD_MISC_ROWS } from './simd/simd-misc';
import { SIMD_FP_ROWS } from './simd/simd-fp';
import { SIMD_LDST_ROWS } from './simd/simd-ldst';
import { CRYPTO_ROWS } from './simd/crypto';

function fpUnallocated(c: Cpu, _d: Decoded): void {
  c.undefinedInstruction();
}

export const FP_SIMD_ROWS: Row[] = [
  ...FP_SCALAR_ROWS,
  ...SIMD_ARITH_ROWS,
  ...SIMD_MISC_ROWS,
  ...SIMD_FP_ROWS,
  ...SIMD_LDST_ROWS,
  ...CRYPTO_ROWS,
  ['FP_SIMD_0111', '---0111-------------------------', (_f, d) => {
    d.fn = fpUnallocated;
  }],
  ['FP_SIMD_1111', '---1111-------------------------', (_f, d) => {
    d.fn = fpUnallocated;
  }],
];
