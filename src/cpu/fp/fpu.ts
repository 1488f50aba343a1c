// The FP library (Arm ARM J1.3 shared/functions/float) over IEEE 754 bit patterns as bigint, sizes
// 16/32/64, honouring FPCR (RMode, FZ, FZ16, DN, AHP) and accumulating FPSR cumulative flags in
// env.fpsr. Floating-point exception trapping is not implemented (FPCR trap enables are RAZ/WI).
// Implementation split: fpu-core (unpack, round, NaNs), fpu-ops (arithmetic, min/max, compare),
// fpu-convert (rounding to integral, precision and fixed-point conversions), fpu-estimate.
export type { FpSize, FpEnv, Rounding } from './fpu-core';
export { fpDefaultNaN, IOC, DZC, OFC, UFC, IXC, IDC } from './fpu-core';
export {
  fpAdd, fpSub, fpMul, fpMulX, fpDiv, fpMulAdd, fpSqrt, fpMax, fpMin, fpMaxNum, fpMinNum, fpAbs, fpNeg,
  fpCompare, fpCompareEQ, fpCompareGE, fpCompareGT, fpRecipStepFused, fpRSqrtStepFused,
} from './fpu-ops';
export { fpRoundInt, fpRoundIntN, fpConvert, fpToFixed, fixedToFp, fpToFixedJS, vfpExpandImm, fpConvertBF } from './fpu-convert';
export { fpRecipEstimate, fpRSqrtEstimate, fpRecpX, uRecipEstimate, uRSqrtEstimate } from './fpu-estimate';
