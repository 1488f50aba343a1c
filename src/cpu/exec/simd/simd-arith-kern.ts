// Lane kernels of the AdvSIMD integer arithmetic (Arm ARM C7.2 instruction pseudocode), as factories
// of the lane size e. Number kernels serve 8/16/32-bit lanes, BigInt kernels (k64) 64-bit lanes.
// See lanes-int.ts for the kernel contract (returned values are wrapped by the typed-array store).
import { sat, sat64, mulShr31, pmul8, S64_MIN, S64_MAX, U64_MAX, type K, type K64 } from './lanes-int';

const smin = (e: number) => -(2 ** (e - 1));
const smax = (e: number) => 2 ** (e - 1) - 1;
const umax = (e: number) => 2 ** e - 1;

/** the signed shift count in the low byte of a shift register element */
const shc = (b: number) => (b << 24) >> 24;
const shc64 = (b: bigint) => Number(BigInt.asIntN(8, b));

/** SSHL/USHL/SRSHL/URSHL/SQSHL/UQSHL/SQRSHL/UQRSHL on number lanes (a already signed/unsigned) */
export function shlK(e: number, round: boolean, satur: boolean, signed: boolean): K {
  const lo = signed ? smin(e) : 0;
  const hi = signed ? smax(e) : umax(e);
  return (a, b) => {
    const sh = shc(b);
    if (sh >= 0) {
      const r = a * 2 ** sh; // exact: power-of-two scaling
      return satur ? sat(r, lo, hi) : r;
    }
    const k = -sh;
    if (round) {
      if (k > e) return 0;
      return Math.floor((a + 2 ** (k - 1)) / 2 ** k);
    }
    return Math.floor(a / 2 ** k);
  };
}

export function shlK64(round: boolean, satur: boolean, signed: boolean): K64 {
  return (a, b) => {
    const sh = shc64(b);
    let r: bigint;
    if (sh >= 0) r = a << BigInt(sh);
    else if (round) r = (a + (1n << BigInt(-sh - 1))) >> BigInt(-sh);
    else r = a >> BigInt(-sh);
    if (satur) return signed ? sat64(r, S64_MIN, S64_MAX) : sat64(r, 0n, U64_MAX);
    return r;
  };
}

/** floor((2·a·b + round) / 2^e) for e = 16/32, signed (SQDMULH, SQRDMULH core) */
function dmulh(e: number, a: number, b: number, rnd: boolean): number {
  if (e === 16) return Math.floor((2 * a * b + (rnd ? 0x8000 : 0)) / 65536);
  return mulShr31(a, b, rnd ? 0x4000_0000 : 0);
}

export interface SameOp {
  /** kernel factory for 8/16/32-bit lanes */
  k: (e: number) => K;
  /** kernel for 64-bit lanes (absent: size 3 unallocated) */
  k64?: K64;
  /** lanes read as signed */
  signed: boolean;
  /** allowed size values (bit mask, size 3 also needs k64) */
  sizes: number;
}

const cmp = (f: (a: number, b: number) => boolean): K => (a, b) => (f(a, b) ? -1 : 0);
const cmp64 = (f: (a: bigint, b: bigint) => boolean): K64 => (a, b) => (f(a, b) ? -1n : 0n);

const B012 = 0b0111;
const B0123 = 0b1111;
const B12 = 0b0110;

/** "Advanced SIMD three same" (C4.1.95 table), indexed by U:opcode; absent = not integer/unallocated */
export const THREE_SAME: Record<number, SameOp> = {
  0b0_00000: { signed: true, sizes: B012, k: () => (a, b) => Math.floor((a + b) / 2) }, // SHADD
  0b1_00000: { signed: false, sizes: B012, k: () => (a, b) => Math.floor((a + b) / 2) }, // UHADD
  0b0_00001: { signed: true, sizes: B0123, k: (e) => { const lo = smin(e), hi = smax(e); return (a, b) => sat(a + b, lo, hi); }, k64: (a, b) => sat64(a + b, S64_MIN, S64_MAX) }, // SQADD
  0b1_00001: { signed: false, sizes: B0123, k: (e) => { const hi = umax(e); return (a, b) => sat(a + b, 0, hi); }, k64: (a, b) => sat64(a + b, 0n, U64_MAX) }, // UQADD
  0b0_00010: { signed: true, sizes: B012, k: () => (a, b) => Math.floor((a + b + 1) / 2) }, // SRHADD
  0b1_00010: { signed: false, sizes: B012, k: () => (a, b) => Math.floor((a + b + 1) / 2) }, // URHADD
  0b0_00100: { signed: true, sizes: B012, k: () => (a, b) => Math.floor((a - b) / 2) }, // SHSUB
  0b1_00100: { signed: false, sizes: B012, k: () => (a, b) => Math.floor((a - b) / 2) }, // UHSUB
  0b0_00101: { signed: true, sizes: B0123, k: (e) => { const lo = smin(e), hi = smax(e); return (a, b) => sat(a - b, lo, hi); }, k64: (a, b) => sat64(a - b, S64_MIN, S64_MAX) }, // SQSUB
  0b1_00101: { signed: false, sizes: B0123, k: (e) => { const hi = umax(e); return (a, b) => sat(a - b, 0, hi); }, k64: (a, b) => sat64(a - b, 0n, U64_MAX) }, // UQSUB
  0b0_00110: { signed: true, sizes: B0123, k: () => cmp((a, b) => a > b), k64: cmp64((a, b) => a > b) }, // CMGT
  0b1_00110: { signed: false, sizes: B0123, k: () => cmp((a, b) => a > b), k64: cmp64((a, b) => a > b) }, // CMHI
  0b0_00111: { signed: true, sizes: B0123, k: () => cmp((a, b) => a >= b), k64: cmp64((a, b) => a >= b) }, // CMGE
  0b1_00111: { signed: false, sizes: B0123, k: () => cmp((a, b) => a >= b), k64: cmp64((a, b) => a >= b) }, // CMHS
  0b0_01000: { signed: true, sizes: B0123, k: (e) => shlK(e, false, false, true), k64: shlK64(false, false, true) }, // SSHL
  0b1_01000: { signed: false, sizes: B0123, k: (e) => shlK(e, false, false, false), k64: shlK64(false, false, false) }, // USHL
  0b0_01001: { signed: true, sizes: B0123, k: (e) => shlK(e, false, true, true), k64: shlK64(false, true, true) }, // SQSHL
  0b1_01001: { signed: false, sizes: B0123, k: (e) => shlK(e, false, true, false), k64: shlK64(false, true, false) }, // UQSHL
  0b0_01010: { signed: true, sizes: B0123, k: (e) => shlK(e, true, false, true), k64: shlK64(true, false, true) }, // SRSHL
  0b1_01010: { signed: false, sizes: B0123, k: (e) => shlK(e, true, false, false), k64: shlK64(true, false, false) }, // URSHL
  0b0_01011: { signed: true, sizes: B0123, k: (e) => shlK(e, true, true, true), k64: shlK64(true, true, true) }, // SQRSHL
  0b1_01011: { signed: false, sizes: B0123, k: (e) => shlK(e, true, true, false), k64: shlK64(true, true, false) }, // UQRSHL
  0b0_01100: { signed: true, sizes: B012, k: () => (a, b) => (a > b ? a : b) }, // SMAX
  0b1_01100: { signed: false, sizes: B012, k: () => (a, b) => (a > b ? a : b) }, // UMAX
  0b0_01101: { signed: true, sizes: B012, k: () => (a, b) => (a < b ? a : b) }, // SMIN
  0b1_01101: { signed: false, sizes: B012, k: () => (a, b) => (a < b ? a : b) }, // UMIN
  0b0_01110: { signed: true, sizes: B012, k: () => (a, b) => Math.abs(a - b) }, // SABD
  0b1_01110: { signed: false, sizes: B012, k: () => (a, b) => Math.abs(a - b) }, // UABD
  0b0_01111: { signed: true, sizes: B012, k: () => (a, b, d) => d + Math.abs(a - b) }, // SABA
  0b1_01111: { signed: false, sizes: B012, k: () => (a, b, d) => d + Math.abs(a - b) }, // UABA
  0b0_10000: { signed: false, sizes: B0123, k: () => (a, b) => a + b, k64: (a, b) => a + b }, // ADD
  0b1_10000: { signed: false, sizes: B0123, k: () => (a, b) => a - b, k64: (a, b) => a - b }, // SUB
  0b0_10001: { signed: false, sizes: B0123, k: () => (a, b) => ((a & b) !== 0 ? -1 : 0), k64: (a, b) => ((a & b) !== 0n ? -1n : 0n) }, // CMTST
  0b1_10001: { signed: false, sizes: B0123, k: () => (a, b) => (a === b ? -1 : 0), k64: (a, b) => (a === b ? -1n : 0n) }, // CMEQ
  0b0_10010: { signed: false, sizes: B012, k: () => (a, b, d) => d + Math.imul(a, b) }, // MLA
  0b1_10010: { signed: false, sizes: B012, k: () => (a, b, d) => d - Math.imul(a, b) }, // MLS
  0b0_10011: { signed: false, sizes: B012, k: () => (a, b) => Math.imul(a, b) }, // MUL
  0b1_10011: { signed: false, sizes: 0b0001, k: () => (a, b) => pmul8(a, b) }, // PMUL
  0b0_10110: { signed: true, sizes: B12, k: (e) => { const lo = smin(e), hi = smax(e); return (a, b) => sat(dmulh(e, a, b, false), lo, hi); } }, // SQDMULH
  0b1_10110: { signed: true, sizes: B12, k: (e) => { const lo = smin(e), hi = smax(e); return (a, b) => sat(dmulh(e, a, b, true), lo, hi); } }, // SQRDMULH
};

/** SQRDMLAH / SQRDMLSH (FEAT_RDM): SignedSatQ((d << e) ± 2ab + 2^(e-1)) >> e); since d << e is a
 * multiple of 2^e this is d + floor((±2ab + 2^(e-1)) / 2^e), exact in doubles. */
export function rdmlK(e: number, sub: boolean): K {
  const lo = smin(e), hi = smax(e);
  return (a, b, d) => sat(d + dmulh(e, sub ? -a : a, b, true), lo, hi);
}

/** pairwise ops (SMAXP.., ADDP) by U:opcode */
export const PAIRWISE: Record<number, SameOp> = {
  0b0_10100: { signed: true, sizes: B012, k: () => (a, b) => (a > b ? a : b) }, // SMAXP
  0b1_10100: { signed: false, sizes: B012, k: () => (a, b) => (a > b ? a : b) }, // UMAXP
  0b0_10101: { signed: true, sizes: B012, k: () => (a, b) => (a < b ? a : b) }, // SMINP
  0b1_10101: { signed: false, sizes: B012, k: () => (a, b) => (a < b ? a : b) }, // UMINP
  0b0_10111: { signed: false, sizes: B0123, k: () => (a, b) => a + b, k64: (a, b) => a + b }, // ADDP
};

/** AND/BIC/ORR/ORN (U=0) and EOR/BSL/BIT/BIF (U=1) by U:size, on 32-bit words */
export const LOGIC: K[] = [
  (a, b) => a & b,
  (a, b) => a & ~b,
  (a, b) => a | b,
  (a, b) => a | ~b,
  (a, b) => a ^ b,
  (a, b, d) => ((a ^ b) & d) ^ b, // BSL: d selects n (1) or m (0)
  (a, b, d) => ((d ^ a) & b) ^ d, // BIT: insert n where m is 1
  (a, b, d) => ((d ^ a) & ~b) ^ d, // BIF: insert n where m is 0
];
