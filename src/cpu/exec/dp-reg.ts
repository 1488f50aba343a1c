// Semantics of the A64 dp-reg encoding class: decoder rows ([name, pattern, compile]) and their
// exec functions. See src/cpu/decode/decoder.ts for the row format.
import type { Row } from '../decode/decoder';

export const DP_REG_ROWS: Row[] = [];
