// Random AdvSIMD floating-point programs for the differential tests (simd-fp.test.ts): words drawn
// from our own decoder rows with random fields, V registers filled with special values (±0, ±inf,
// quiet and signalling NaNs with payloads, denormals, extremes, integers near the conversion limits)
// and a random FPCR (RMode, FZ, DN, FZ16, AHP). A few words of these classes that no class claims
// (UNDEFINED for us) are mixed in: QEMU must refuse them too.
import { generate, Rng, type Program } from './gen';
import { Decoder, compileRow } from '../../src/cpu/decode/decoder';
import { A64 } from '../../src/cpu/decode/a64.table';
import { SIMD_FP_ROWS } from '../../src/cpu/exec/simd/simd-fp';

const MINE = new Decoder(SIMD_FP_ROWS);
const COMPILED = SIMD_FP_ROWS.map(compileRow);

const F16 = [0x0000, 0x8000, 0x3c00, 0xbc00, 0x3e00, 0x3800, 0x4000, 0x4100, 0x7c00, 0xfc00, 0x7e00, 0x7e55, 0x7c01, 0xfd23,
  0x0001, 0x03ff, 0x8200, 0x0400, 0x7bff, 0xfbff, 0x5640, 0x7800, 0x0c00, 0x3555, 0x1000, 0xe000];
const F32 = [0, 0x80000000, 0x3f800000, 0xbf800000, 0x3fc00000, 0x40200000, 0xc0200000, 0x3f000000, 0x40000000, 0x7f800000,
  0xff800000, 0x7fc00000, 0x7fc12345, 0xffc00001, 0x7f800001, 0xff812345, 0x00000001, 0x007fffff, 0x80400000, 0x00800000,
  0x7f7fffff, 0xff7fffff, 0x4f000000, 0xcf000000, 0x4effffff, 0x5f000000, 0x4f800000, 0x3effffff, 0x7fffffff, 0x80000001,
  0x0000ffff, 0x00010000, 0x477fe000, 0x33800000, 0x387fc000, 0x38800000, 0x47800000, 0x1, 0x5];
const F64 = [0n, 1n << 63n, 0x3ff0000000000000n, 0xbff0000000000000n, 0x3ff8000000000000n, 0x4004000000000000n,
  0xc004000000000000n, 0x3fe0000000000000n, 0x7ff0000000000000n, 0xfff0000000000000n, 0x7ff8000000000000n,
  0x7ff8000000012345n, 0xfff8000000000001n, 0x7ff0000000000001n, 0xfff4000000000000n, 1n, 0x000fffffffffffffn,
  0x8008000000000000n, 0x0010000000000000n, 0x7fefffffffffffffn, 0x43e0000000000000n, 0xc3e0000000000000n,
  0x41dfffffffc00000n, 0x41e0000000000000n, 0xc1e0000000200000n, 0x43f0000000000000n, 0x3ff0000010000000n,
  0x3ff0000000000001n, 0x36a0000000000000n, 0x3810000000000000n, 0x47efffffe0000000n, 0x47f0000000000000n,
  0x7fffffffffffffffn, 0x8000000000000001n, 5n, 0x380fffffffffffffn];

function randomV(rng: Rng): Uint32Array {
  const v = new Uint32Array(128);
  const h = new Uint16Array(v.buffer);
  const d = new BigUint64Array(v.buffer);
  for (let r = 0; r < 32; r++) {
    const kind = rng.int(3);
    for (let i = 0; i < 16 >> kind; i++) {
      const special = rng.chance(0.6);
      if (kind === 0) h[8 * r + i] = special ? rng.pick(F16) : rng.chance(0.5) ? rng.u32() & 0xffff : ((rng.int(2) << 15) | ((12 + rng.int(8)) << 10) | rng.int(1024));
      else if (kind === 1) v[4 * r + i] = special ? rng.pick(F32) : rng.chance(0.5) ? rng.u32() : ((rng.int(2) << 31) | ((120 + rng.int(16)) << 23) | (rng.u32() & 0x7fffff)) >>> 0;
      else d[2 * r + i] = special ? rng.pick(F64) : rng.chance(0.5) ? (BigInt(rng.u32()) << 32n) | BigInt(rng.u32()) : (BigInt(rng.int(2)) << 63n) | (BigInt(1016 + rng.int(16)) << 52n) | (BigInt(rng.u32()) << 20n);
    }
  }
  return v;
}

/** Unallocated words (GNU objdump agrees: "undefined") that QEMU 7.2 does not refuse, so they are not
 * sampled: it aborts (g_assert_not_reached in disas_simd_two_reg_misc_fp16) on FP16 two-register misc
 * U=0 a=1 opcode 11111 (a "vector FRECPX") and on scalar FP16 FABS, executes a scalar FP16 FNEG, and
 * on a scalar FP16 FSQRT (U=1 a=1 opcode 11111), and
 * treats across lanes / scalar pairwise with U = 0 and sz = 1 as half precision. We take UNDEFINED. */
function qemuLoose(w: number): boolean {
  if ((w & 0xbffff000) >>> 0 === 0x0ef9f000) return true; // vector FP16 misc 11111, U=0 a=1
  if ((w & 0xdf7ff000) >>> 0 === 0x5e78f000) return true; // scalar FP16 misc 01111 (FABS/FNEG), a=1
  if ((w & 0xfffff000) >>> 0 === 0x7ef9f000) return true; // scalar FP16 misc 11111, U=1 a=1 (FSQRT)
  // across lanes (0 Q 0 01110 a 1 11000 ...) and scalar pairwise (01 0 11110 a 1 11000 ...), sz = 1
  if ((w & 0xbf7e0c00) >>> 0 === 0x0e700800 || (w & 0xff7e0c00) >>> 0 === 0x5e700800) return true;
  return false;
}

/** a random word from one of our rows (fields random; some kept only to test rejection) */
function randomWord(rng: Rng): { w: number; label: string } | null {
  const row = rng.pick(COMPILED);
  const w = ((row.value | (rng.u32() & ~row.mask)) >>> 0);
  const mine = MINE.decode(w);
  // QEMU 7.2 writes scalar half-precision FCVTZS (fixed-point) results sign-extended to 32 bits
  // (0xfffffffe for -2); the Arm ARM writes the 16-bit element and zeroes the rest (unit-tested).
  if ((w & 0xfff0fc00) >>> 0 === 0x5f10fc00) return null;
  if (mine.name !== 'UNDEF') {
    // ours must also win in the full decoder
    const full = A64.decode(w);
    if (full.fn !== mine.fn) return null;
    return { w, label: mine.name };
  }
  // not ours: only words no other class claims (the catch-all UNDEFINED) are interesting
  const full = A64.decode(w);
  if (!/^FP_SIMD_/.test(full.name) || !rng.chance(0.05)) return null;
  if (qemuLoose(w)) return null;
  if (row.name.startsWith('SIMD_FP_FIXED') && ((w >>> 19) & 15) === 0) return null; // modified immediate

  return { w, label: `REJECT ${row.name}` };
}

export function fpProgram(seed: number, n: number): Program {
  const rng = new Rng(seed * 7919 + 13);
  const p = generate(seed, n, (g) => {
    while (g.units.length < n) {
      const x = randomWord(rng);
      if (x) g.units.push({ words: [x.w], labels: [x.label] });
    }
  }, { fp: true });
  p.init.v = randomV(rng);
  const rmode = rng.int(4);
  p.init.fpcr = ((rmode << 22) | (rng.chance(0.25) ? 1 << 24 : 0) | (rng.chance(0.25) ? 1 << 25 : 0) |
    (rng.chance(0.25) ? 1 << 19 : 0) | (rng.chance(0.1) ? 1 << 26 : 0)) >>> 0;
  p.init.fpsr = 0;
  return p;
}

