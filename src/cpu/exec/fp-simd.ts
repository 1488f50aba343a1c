// The A64 SIMD&FP data-processing encoding space (Arm ARM C4.1: op0 bits[28:25] = x111: AdvSIMD,
// scalar FP, crypto). FP/SIMD is not implemented yet (ID_AA64PFR0_EL1.FP/AdvSIMD = 0xF): every
// instruction here first applies the architectural access traps (CPACR_EL1/CPTR_EL2/CPTR_EL3, EC 0x07)
// and is otherwise UNDEFINED. The SIMD&FP loads/stores (bits[28:25] = x1x0 with bit 26 = 1) live in
// ldst.ts; these rows only match bits[27:25] = 111, so they cannot shadow them.
import type { Row, Decoded } from '../decode/decoder';
import type { Cpu } from '../cpu';
import { fpTrap } from '../fpaccess';

function fpAbsent(c: Cpu, _d: Decoded): void {
  if (fpTrap(c)) return;
  c.undefinedInstruction();
}

export const FP_SIMD_ROWS: Row[] = [
  ['FP_SIMD_0111', '---0111-------------------------', (_f, d) => {
    d.fn = fpAbsent;
  }],
  ['FP_SIMD_1111', '---1111-------------------------', (_f, d) => {
    d.fn = fpAbsent;
  }],
];
