// AdvSIMD integer arithmetic (src/cpu/exec/simd/simd-arith*.ts): known values per instruction class,
// saturation and FPSR.QC, Q = 0 upper-half zeroing, destination aliasing, the hand-specialised fast
// paths against the generic lane kernels, and that FP opcodes of the shared tables are not claimed.
// Instruction words were produced by GNU as (-march=armv8.2-a+dotprod+rdm+crypto).
import { describe, it, expect } from 'vitest';
import { Machine, RAM_BASE } from '../../src/machine/machine';
import { A64 } from '../../src/cpu/decode/a64.table';
import { Decoded } from '../../src/cpu/decode/decoder';
import { R } from '../../src/sysregs/table';
import { THREE_SAME } from '../../src/cpu/exec/simd/simd-arith-kern';
import { fastSame } from '../../src/cpu/exec/simd/simd-arith-fast';
import { sameDriver, sameDriverFor, type K } from '../../src/cpu/exec/simd/lanes-int';
import { SIMD_ARITH_ROWS } from '../../src/cpu/exec/simd/simd-arith';
import type { Cpu } from '../../src/cpu/cpu';

const M128 = (1n << 128n) - 1n;
const m = new Machine({ ramMiB: 4 });
const c = m.cpus[0];

function setV(n: number, v: bigint): void {
  v &= M128;
  for (let i = 0; i < 4; i++) c.vreg[4 * n + i] = Number((v >> BigInt(32 * i)) & 0xffffffffn);
}
function getV(n: number): bigint {
  let v = 0n;
  for (let i = 3; i >= 0; i--) v = (v << 32n) | BigInt(c.vreg[4 * n + i]);
  return v;
}
/** 128-bit value from lanes of `bits` bits (lane 0 first; negative numbers two's complement) */
function vec(bits: number, lanes: (number | bigint)[]): bigint {
  let v = 0n;
  const mask = (1n << BigInt(bits)) - 1n;
  lanes.forEach((x, i) => (v |= (BigInt(x) & mask) << BigInt(bits * i)));
  return v;
}
function lanes(bits: number, v: bigint, signed = false): bigint[] {
  const out: bigint[] = [];
  for (let i = 0; i < 128 / bits; i++) {
    const x = (v >> BigInt(bits * i)) & ((1n << BigInt(bits)) - 1n);
    out.push(signed ? BigInt.asIntN(bits, x) : x);
  }
  return out;
}
const fpsr = () => c.sysLo(R.FPSR);
const qc = () => (fpsr() >>> 27) & 1;

/** run one instruction word with v0 = a, v1 = b (and extra registers preset) */
function run(word: number, a: bigint, b: bigint, pre: Record<number, bigint> = {}): void {
  const bytes = new Uint8Array(4);
  new DataView(bytes.buffer).setUint32(0, word, true);
  m.bus.loadBytes(RAM_BASE, bytes);
  m.bus.loadBytes(RAM_BASE + 4, new Uint8Array(4)); // not reached
  setV(0, a);
  setV(1, b);
  for (const [k, v] of Object.entries(pre)) setV(Number(k), v);
  c.sysSet(R.FPSR, 0n);
  c.pc = BigInt(RAM_BASE);
  const el = c.el;
  c.runLoop(1);
  expect(c.el).toBe(el); // no exception
  expect(c.pc).toBe(BigInt(RAM_BASE + 4));
}

class Rng {
  constructor(private s = 12345) {}
  u32(): number {
    let s = this.s;
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (this.s = s >>> 0);
  }
  v128(): bigint {
    let v = 0n;
    for (let i = 0; i < 4; i++) {
      // bias bytes to 0 / 0xff / 0x80 / 0x7f sometimes
      let w = this.u32();
      if ((this.u32() & 3) === 0) w = [0, 0xffffffff, 0x80808080, 0x7f7f7f7f, 0x00ff00ff][this.u32() % 5];
      v = (v << 32n) | BigInt(w >>> 0);
    }
    return v;
  }
}

describe('AdvSIMD integer: three same', () => {
  const rng = new Rng();
  it('ADD/SUB/CMEQ/CMHI/CMGE/UMAXP/ADDP/BSL/BIT/BIF against lane formulas', () => {
    const cases: [number, number, number, boolean, (a: bigint, b: bigint, d: bigint) => bigint, boolean?][] = [
      // word, dest, lane bits, q, lane formula (unsigned lanes; signed where flagged)
      [0x4e218402, 2, 8, true, (a, b) => a + b],
      [0x6e618403, 3, 16, true, (a, b) => a - b],
      [0x6e218c04, 4, 8, true, (a, b) => (a === b ? -1n : 0n)],
      [0x2e213405, 5, 8, false, (a, b) => (a > b ? -1n : 0n)],
      [0x4ea13c06, 6, 32, true, (a, b) => (a >= b ? -1n : 0n), true],
      [0x4ea11408, 8, 32, true, (a, b) => (a + b + 1n) >> 1n, true], // SRHADD
      [0x6e217c09, 9, 8, true, (a, b, d) => d + (a > b ? a - b : b - a)], // UABA
    ];
    for (let k = 0; k < 40; k++) {
      for (const [w, rd, bits, q, f, sg] of cases) {
        const a = rng.v128(), b = rng.v128(), d0 = rng.v128();
        run(w, a, b, { [rd]: d0 });
        const la = lanes(bits, a, sg), lb = lanes(bits, b, sg), ld = lanes(bits, d0, sg);
        const n = q ? la.length : la.length / 2;
        const exp = vec(bits, la.slice(0, n).map((x, i) => f(x, lb[i], ld[i])));
        expect(getV(rd).toString(16)).toBe(exp.toString(16));
      }
    }
  });

  it('pairwise and bitwise selects', () => {
    const a = vec(8, [1, 9, 0xff, 0, 7, 7, 3, 4, 0x80, 0x7f, 5, 6, 200, 100, 0, 0]);
    const b = vec(8, [10, 2, 0, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
    run(0x6e21a407, a, b); // umaxp v7.16b
    expect(getV(7)).toBe(vec(8, [9, 0xff, 7, 4, 0x80, 6, 200, 0, 10, 0, 2, 4, 6, 8, 10, 12]));
    run(0x4ee1bc08, vec(64, [0xffffffffffffffffn, 2n]), vec(64, [0x80000000n, 0xffffffff80000000n])); // addp v8.2d
    expect(getV(8)).toBe(vec(64, [1n, 0n]));
    run(0x5ef1b81b, vec(64, [0xfffffffffn, 1n]), 0n, { 27: M128 }); // addp d27, v0.2d
    expect(getV(27)).toBe(0x1000000000n);
    const sel = 0xff00ff00_f0f0f0f0_0000ffff_12345678n;
    const n = 0x11111111_22222222_33333333_44444444n, mm = 0xaaaaaaaa_bbbbbbbb_cccccccc_ddddddddn;
    run(0x6e611c1c, n, mm, { 28: sel }); // bsl: sel picks n
    expect(getV(28)).toBe((sel & n) | (~sel & mm & M128));
    run(0x6ea11c1d, n, mm, { 29: sel }); // bit: insert n where m = 1
    expect(getV(29)).toBe((n & mm) | (sel & ~mm & M128));
    run(0x6ee11c1e, n, mm, { 30: sel }); // bif: insert n where m = 0
    expect(getV(30)).toBe((n & ~mm & M128) | (sel & mm));
  });

  it('saturating add/sub and doubling multiplies set FPSR.QC', () => {
    run(0x0e210c09, vec(8, [0x7f, 0x80, 0x10, 0, 0, 0, 0, 0, 9, 9]), vec(8, [1, -1, 0x10])); // sqadd v9.8b
    expect(getV(9)).toBe(vec(8, [0x7f, 0x80, 0x20]));
    expect(qc()).toBe(1);
    run(0x0e210c09, vec(8, [1, 2]), vec(8, [3, 4]));
    expect(getV(9)).toBe(vec(8, [4, 6]));
    expect(qc()).toBe(0);
    run(0x2e612c0a, vec(16, [1, 0xffff, 5]), vec(16, [2, 1, 5])); // uqsub v10.4h
    expect(getV(10)).toBe(vec(16, [0, 0xfffe, 0]));
    expect(qc()).toBe(1);
    run(0x4ea1b40b, vec(32, [0x80000000, 0x40000000, -1, 0x12345678]), vec(32, [0x80000000, 0x40000000, 1, -0x6543210f])); // sqdmulh v11.4s
    const ref = (x: bigint, y: bigint) => (2n * x * y) >> 32n;
    expect(getV(11)).toBe(vec(32, [0x7fffffff, 0x20000000, -1, ref(0x12345678n, -0x6543210fn)]));
    expect(qc()).toBe(1);
    run(0x6e61b40c, vec(16, [0x4000, 1, -0x8000, -0x8000]), vec(16, [0x4000, 0x4000, -0x8000, 0x7fff])); // sqrdmulh v12.8h
    expect(getV(12)).toBe(vec(16, [0x2000, 1, 0x7fff, -0x7fff]));
    expect(qc()).toBe(1);
  });

  it('shifts by register: SSHL, URSHL, SQSHL D, UQRSHL 2D', () => {
    run(0x4ea1440d, vec(32, [0x80000000, 8, 0xffffff00, 1]), vec(32, [-1, -2, 4, 40])); // sshl v13.4s
    expect(getV(13)).toBe(vec(32, [0xc0000000, 2, 0xfffff000, 0]));
    run(0x6e21540e, vec(8, [0xff, 3, 1, 1, 0x80]), vec(8, [-1, -2, 7, 8, -8])); // urshl v14.16b
    expect(getV(14)).toBe(vec(8, [0x80, 1, 0x80, 0, 1]));
    run(0x5ee14c0f, 1n, 63n, { 15: M128 }); // sqshl d15, d0, d1
    expect(getV(15)).toBe(0x7fffffffffffffffn);
    expect(qc()).toBe(1);
    run(0x6ee15c05, vec(64, [0xffffffffffffffffn, 5n]), vec(64, [-64n, -1n])); // uqrshl v5.2d
    expect(getV(5)).toBe(vec(64, [1n, 3n]));
    expect(qc()).toBe(0);
  });

  it('MUL family, PMUL, CMTST D; Q = 0 zeroes the upper half; Rd = Rn = Rm', () => {
    run(0x6e219c0a, vec(8, [3, 0x80, 0xff]), vec(8, [3, 2, 0xff])); // pmul v10.16b
    expect(getV(10)).toBe(vec(8, [5, 0, 0x55]));
    run(0x5ee18c0b, vec(64, [0x100n, 7n]), vec(64, [0x1ffn, 7n]), { 11: M128 }); // cmtst d11
    expect(getV(11)).toBe(0xffffffffffffffffn);
    setV(31, vec(8, [1, 2, 3, 0x80, 5, 6, 7, 8, 9, 9, 9, 9, 9, 9, 9, 9]));
    run(0x0e3f87ff, 0n, 0n, { 31: vec(8, [1, 2, 3, 0x80, 5, 6, 7, 8, 9, 9, 9, 9, 9, 9, 9, 9]) }); // add v31.8b, v31.8b, v31.8b
    expect(getV(31)).toBe(vec(8, [2, 4, 6, 0, 10, 12, 14, 16]));
  });
});

describe('AdvSIMD integer: three different, across lanes, by element, extra', () => {
  it('widening, narrowing and polynomial forms', () => {
    const a = vec(16, [1, 2, 3, 4, -5, 0x7fff, -0x8000, 9]);
    const b = vec(16, [0, 0, 0, 0, 3, 0x7fff, -0x8000, -1]);
    run(0x4e618010, a, b, { 16: vec(32, [10, 20, 30, 40]) }); // smlal2 v16.4s
    expect(getV(16)).toBe(vec(32, [10 - 15, 20 + 0x7fff * 0x7fff, 30 + 0x40000000, 40 - 9]));
    run(0x2ea1c011, vec(32, [0xffffffff, 7]), vec(32, [0xffffffff, 0x80000000])); // umull v17.2d
    expect(getV(17)).toBe(vec(64, [0xfffffffe00000001n, 0x380000000n]));
    run(0x4e214012, vec(16, [0x1234, 0xff80]), vec(16, [0x0100, 0x0080]), { 18: vec(64, [0x1111111111111111n, 5n]) }); // addhn2
    expect(getV(18)).toBe(vec(8, [0x11, 0x11, 0x11, 0x11, 0x11, 0x11, 0x11, 0x11, 0x13, 0x00]));
    run(0x2ea1400c, vec(64, [0x7fffffffn, 0xffffffff_80000000n]), vec(64, [1n, 0n]), { 12: M128 }); // raddhn v12.2s
    expect(getV(12)).toBe(vec(32, [1, 0]));
    run(0x0ee1e013, 0x8000000000000001n, 3n); // pmull v19.1q
    expect(getV(19)).toBe(0x1_8000000000000003n);
    run(0x0ea1d006, vec(32, [0x80000000, 3]), vec(32, [0x80000000, -2])); // sqdmull v6.2d
    expect(getV(6)).toBe(vec(64, [0x7fffffffffffffffn, -12n]));
    expect(qc()).toBe(1);
  });

  it('SQDMULL/SQDMLAL/SQDMLSL with 32-bit sources saturate in 64 bits', () => {
    const MAX = (1n << 63n) - 1n, MIN = -(1n << 63n);
    run(0x0ea19002, vec(32, [0x40000000, -3]), vec(32, [2, 7]), { 2: vec(64, [MAX - 5n, MIN + 100n]) }); // sqdmlal v2.2d
    expect(getV(2)).toBe(vec(64, [MAX, MIN + 58n]));
    expect(qc()).toBe(1);
    run(0x4ea1b003, vec(32, [0, 0, 0x7fffffff, -0x80000000]), vec(32, [0, 0, -0x80000000, -0x80000000]), { 3: vec(64, [0n, -1n]) }); // sqdmlsl2
    expect(getV(3)).toBe(vec(64, [0x7fffffff_00000000n, MIN])); // 0 - 2(2^31-1)(-2^31); -1 - 2^63 saturates
    expect(qc()).toBe(1);
    run(0x5fa1b804, vec(32, [-0x80000000, 5]), vec(32, [0, 0, 0, 0x12345678]), { 4: M128 }); // sqdmull d4, s0, v1.s[3]
    expect(getV(4)).toBe(BigInt.asUintN(64, -2n * 0x80000000n * 0x12345678n));
    expect(qc()).toBe(0);
  });

  it('across lanes', () => {
    run(0x4e31b816, vec(8, Array(16).fill(0x11)), 0n, { 22: M128 }); // addv b22, v0.16b
    expect(getV(22)).toBe(0x10n);
    run(0x6e70a817, vec(16, [1, 0xfffe, 3, 0x8000]), 0n); // umaxv h23, v0.8h
    expect(getV(23)).toBe(0xfffen);
    run(0x4eb03818, vec(32, [-1, -2, 0x7fffffff, 0x7fffffff]), 0n); // saddlv d24, v0.4s
    expect(getV(24)).toBe(0xfffffffbn);
  });

  it('dot products and by-element forms', () => {
    run(0x4e819414, vec(8, Array(16).fill(-1)), vec(8, Array(16).fill(2)), { 20: vec(32, [10, 10, 10, 10]) }); // sdot
    expect(getV(20)).toBe(vec(32, [2, 2, 2, 2]));
    const bb = vec(8, [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 12, 13, 14, 15]);
    run(0x2fa1e815, vec(8, [1, 2, 3, 4, 5, 6, 7, 8]), bb, { 21: M128 }); // udot v21.2s, v0.8b, v1.4b[3]
    const lo = 0xffffffff + 1 * 12 + 2 * 13 + 3 * 14 + 4 * 15, hi = 0xffffffff + 5 * 12 + 6 * 13 + 7 * 14 + 8 * 15;
    expect(getV(21)).toBe(vec(32, [lo, hi]));
    run(0x6f510819, vec(16, [1, 2, 3, 4, 5, 6, 7, -1]), vec(16, [0, 0, 0, 0, 0, 3]), { 25: vec(16, [1, 1, 1, 1, 1, 1, 1, 1]) }); // mla v25.8h, v1.h[5]
    expect(getV(25)).toBe(vec(16, [4, 7, 10, 13, 16, 19, 22, -2]));
    run(0x5f71381a, vec(16, [-0x8000]), vec(16, [0, 0, 0, 0, 0, 0, 0, -0x8000]), { 26: vec(32, [5, 7]) }); // sqdmlal s26, h0, v1.h[7]
    expect(getV(26)).toBe(0x7fffffffn);
    expect(qc()).toBe(1);
    run(0x2fa16807, vec(32, [2, 3]), vec(32, [0, 0, 0, 0xffffffff]), { 7: vec(64, [0n, 1n]) }); // umlsl v7.2d, v1.s[3]
    expect(getV(7)).toBe(vec(64, [-2n * 0xffffffffn, 1n - 3n * 0xffffffffn]));
    run(0x6fa1d002, vec(32, [0x40000000, -0x80000000, 0, 0]), vec(32, [0, 0x40000000]), { 2: vec(32, [1, 0x7fffffff, 0, 0]) }); // sqrdmlah v2.4s, v1.s[1]
    expect(getV(2)).toBe(vec(32, [1 + 0x20000000, 0x7fffffff - 0x40000000, 0, 0]));
    run(0x7e418c03, vec(16, [-0x8000]), vec(16, [0x7fff]), { 3: vec(16, [-0x8000, 9]) }); // sqrdmlsh h3, h0, h1
    expect(getV(3)).toBe(vec(16, [-1]) & 0xffffn); // -0x8000 + 0x7fff (rounded) = -1
  });
});

describe('AdvSIMD integer: decoding and fast paths', () => {
  it('SIMD&FP access trap (CPTR_EL3.TFP) is taken before any register is written', () => {
    const words = [0x4e218402, 0x6e21a407, 0x4e618010, 0x5f71381a, 0x4e819414]; // add, umaxp, smlal2, sqdmlal (elem), sdot
    for (const w of words) {
      const bytes = new Uint8Array(4);
      new DataView(bytes.buffer).setUint32(0, w, true);
      m.bus.loadBytes(RAM_BASE, bytes);
      const rd = w & 31;
      setV(rd, 0x1234n);
      c.sysSet(R.CPTR_EL3, 1n << 10n);
      c.pc = BigInt(RAM_BASE);
      c.runLoop(1);
      c.sysSet(R.CPTR_EL3, 0n);
      expect(Number(c.sysGet(R.ESR_EL3) >> 26n)).toBe(0x07);
      expect(getV(rd)).toBe(0x1234n);
      c.resetRegisters();
    }
  });

  it('FP opcodes of the shared tables are not claimed by these rows', () => {
    const mine = new Set(SIMD_ARITH_ROWS.map((r) => r[0]));
    for (const w of [0x4e21d404, 0x4fa11004, 0x6e30f804, 0x7e70d804]) {
      expect(mine.has(A64.match(w) ?? '')).toBe(false);
    }
    // scalar three same forms that exist only for D are unallocated for other sizes
    expect(A64.decode(0x5ea18c0b).name).not.toMatch(/^SIMD_S3SAME/); // cmtst s11 (size 10)
    expect(A64.decode(0x4ee18c04).name).toBe('SIMD_3SAME_10'); // cmtst v4.2d is fine
    expect(A64.decode(0x0ee18404).name).not.toMatch(/^SIMD_3SAME/); // add v4.1d (size 11, Q = 0)
  });

  it('the specialised paths agree with the generic lane kernels', () => {
    const rng = new Rng(99);
    const keys = [0b0_10000, 0b1_10000, 0b1_10001, 0b0_10001, 0b1_00110, 0b1_00111, 0b0_00110, 0b0_00111, 0b1_01100, 0b1_01101];
    const d = new Decoded();
    const run2 = (fn: (c: Cpu, d: Decoded) => void) => {
      fn(c, d);
      return getV(2);
    };
    for (const key of keys) {
      for (const e of [8, 16, 32, 64]) {
        const op = THREE_SAME[key];
        const fast = fastSame(key, e);
        if (!fast || (e === 64 && !op.k64)) continue;
        for (let k = 0; k < 30; k++) {
          const q = e === 64 ? 1 : k & 1;
          d.rd = 8;
          d.rn = 0;
          d.rm = 4;
          d.imm = (q ? 128 : 64) / e;
          d.imm2 = q;
          d.imm3 = 1;
          d.imm4 = 0;
          d.ext = e === 64 ? op.k64 : op.k(e);
          const a = rng.v128(), b = rng.v128(), d0 = rng.v128();
          setV(0, a);
          setV(1, b);
          setV(2, d0);
          const want = run2(sameDriver(e, op.signed));
          setV(2, d0);
          expect(run2(fast).toString(16), `key ${key.toString(2)} e ${e}`).toBe(want.toString(16));
        }
      }
    }
    // drivers generated per kernel agree with the shared ones, for every same-size op and lane size
    for (const [key, op] of Object.entries(THREE_SAME)) {
      for (const e of [8, 16, 32]) {
        if (((op.sizes >> Math.log2(e / 8)) & 1) === 0) continue;
        const k = op.k(e) as K;
        for (let j = 0; j < 6; j++) {
          d.rd = 8;
          d.rn = 0;
          d.rm = 4;
          d.imm = (j & 1 ? 128 : 64) / e;
          d.imm2 = j & 1;
          d.imm3 = j < 4 ? 1 : 0; // by element
          d.imm4 = j < 4 ? 0 : 1;
          d.ext = k;
          const a = rng.v128(), b = rng.v128(), d0 = rng.v128();
          setV(0, a);
          setV(1, b);
          setV(2, d0);
          c.sysSet(R.FPSR, 0n);
          const want = run2(sameDriver(e, op.signed));
          const wantQc = qc();
          setV(2, d0);
          c.sysSet(R.FPSR, 0n);
          expect(run2(sameDriverFor(e, op.signed, k)).toString(16), `key ${Number(key).toString(2)} e ${e}`).toBe(want.toString(16));
          expect(qc()).toBe(wantQc);
        }
      }
    }
    for (let lg = 0; lg < 8; lg++) {
      const fast = fastSame(0x100 | lg, 32)!;
      for (let k = 0; k < 20; k++) {
        const a = rng.v128(), b = rng.v128(), d0 = rng.v128();
        d.rd = 8;
        d.rn = 0;
        d.rm = 4;
        d.imm = 4;
        d.imm2 = k & 1;
        d.imm3 = 1;
        d.imm4 = 0;
        setV(0, a);
        setV(1, b);
        setV(2, d0);
        const r = run2(fast);
        const full = [a & b, a & ~b, a | b, a | ~b, a ^ b, (d0 & a) | (~d0 & b), (a & b) | (d0 & ~b), (a & ~b) | (d0 & b)][lg] & M128;
        const exp = k & 1 ? full : full & ((1n << 64n) - 1n);
        expect(r.toString(16), `logic ${lg}`).toBe(exp.toString(16));
      }
    }
  });
});
