// AdvSIMD integer arithmetic (Arm ARM C4.1.95ff): rows collected from the per-class files.
//   simd-arith-same.ts  three same / scalar three same / three same extra / pairwise / across lanes
//   simd-arith-wide.ts  three different / scalar three different / by element (vector and scalar)
//   simd-arith-kern.ts  lane kernels; lanes-int.ts drivers and saturation helpers
import type { Row } from '../../decode/decoder';
import { SAME_ROWS } from './simd-arith-same';
import { WIDE_ROWS } from './simd-arith-wide';

export const SIMD_ARITH_ROWS: Row[] = [...SAME_ROWS, ...WIDE_ROWS];
