// AdvSIMD floating-point data processing (vector and AdvSIMD scalar): the rows of the FP classes,
// each in its own file. Element arithmetic comes from the FP library (src/cpu/fp/fpu.ts), one FpEnv
// per instruction.
//   simd-fp-same.ts  three same (+FP16, scalar), pairwise, scalar pairwise, across lanes
//   simd-fp-misc.ts  two-register misc (+FP16, scalar), FCVTN/FCVTL/FCVTXN, fixed-point shift forms
//   simd-fp-elem.ts  vector/scalar x indexed element (FMLA, FMLS, FMUL, FMULX)
//   simd-fp-cma.ts   FEAT_FCMA: FCMLA (vector, by element), FCADD
//   simd-fp-fhm.ts   FEAT_FHM: FMLAL/FMLSL/FMLAL2/FMLSL2 (vector, by element)
import type { Row } from '../../decode/decoder';
import { SIMD_FP_SAME_ROWS } from './simd-fp-same';
import { SIMD_FP_MISC_ROWS } from './simd-fp-misc';
import { SIMD_FP_ELEM_ROWS } from './simd-fp-elem';
import { SIMD_FP_CMA_ROWS } from './simd-fp-cma';
import { SIMD_FP_FHM_ROWS } from './simd-fp-fhm';

export const SIMD_FP_ROWS: Row[] = [...SIMD_FP_SAME_ROWS, ...SIMD_FP_MISC_ROWS, ...SIMD_FP_ELEM_ROWS, ...SIMD_FP_CMA_ROWS, ...SIMD_FP_FHM_ROWS];
