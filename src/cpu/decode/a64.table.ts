// The A64 decode table: every class contributes its rows; the decoder derives masks and buckets.
import { Decoder, type Row } from './decoder';
import { DP_IMM_ROWS } from '../exec/dp-imm';
import { DP_REG_ROWS } from '../exec/dp-reg';
import { BRANCH_ROWS } from '../exec/branch';
import { LDST_ROWS } from '../exec/ldst';
import { SYSTEM_ROWS } from '../exec/system';
import { FP_SIMD_ROWS } from '../exec/fp-simd';

export const A64_ROWS: Row[] = [...DP_IMM_ROWS, ...DP_REG_ROWS, ...BRANCH_ROWS, ...LDST_ROWS, ...SYSTEM_ROWS, ...FP_SIMD_ROWS];

export const A64 = new Decoder(A64_ROWS);
