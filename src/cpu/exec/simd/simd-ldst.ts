// Placeholder: rows of this class are added by its owner.
import type { Row } from '../../decode/decoder';

export const SIMD_LDST_ROWS: Row[] = [];
