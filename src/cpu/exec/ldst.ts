// Semantics of the A64 ldst encoding class: decoder rows ([name, pattern, compile]) and their
// exec functions. See src/cpu/decode/decoder.ts for the row format.
import type { Row } from '../decode/decoder';

export const LDST_ROWS: Row[] = [];
