// AdvSIMD moves, shifts and miscellaneous integer operations (Arm ARM C4.1.95 encoding tables):
// copy / scalar copy / modified immediate (simd-copy.ts), permute / extract / table lookup
// (simd-perm.ts), shift by immediate, vector and scalar (simd-shift.ts), two-register
// miscellaneous, vector and scalar, integer operations (simd-2reg.ts).
import type { Row } from '../../decode/decoder';
import { SIMD_COPY_ROWS } from './simd-copy';
import { SIMD_PERM_ROWS } from './simd-perm';
import { SIMD_SHIFT_ROWS } from './simd-shift';
import { SIMD_2REG_ROWS } from './simd-2reg';

export const SIMD_MISC_ROWS: Row[] = [...SIMD_COPY_ROWS, ...SIMD_PERM_ROWS, ...SIMD_SHIFT_ROWS, ...SIMD_2REG_ROWS];
