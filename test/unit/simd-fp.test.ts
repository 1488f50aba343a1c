// AdvSIMD floating point (src/cpu/exec/simd/simd-fp-*.ts): known values for each class (three same,
// pairwise, across lanes, two-register misc, conversions, fixed point, by element, FCMA), register
// write-back rules (Q = 0 and scalars zero the upper bits, Rd aliasing), FPSR flags, and decode
// boundaries (integer and FHM encodings are not claimed). Words were assembled with GNU as.
import { describe, it, expect } from 'vitest';
import { Machine, RAM_BASE } from '../../src/machine/machine';
import { R } from '../../src/sysregs/table';
import { A64 } from '../../src/cpu/decode/a64.table';
import type { Cpu } from '../../src/cpu/cpu';

const m = new Machine({ ramMiB: 4 });
const c = m.cpus[0];

/** run `words` from RAM_BASE with V registers and FPCR set up by `init`; returns the CPU */
function run(words: number[], init: (c: Cpu) => void, fpcr = 0): Cpu {
  const b = new Uint8Array(words.length * 4);
  const dv = new DataView(b.buffer);
  words.forEach((w, i) => dv.setUint32(i * 4, w >>> 0, true));
  m.bus.loadBytes(RAM_BASE, b);
  c.resetRegisters();
  c.sysSet(R.FPCR, BigInt(fpcr));
  c.sysSet(R.FPSR, 0n);
  init(c);
  c.pc = BigInt(RAM_BASE);
  c.runLoop(words.length);
  expect(c.el).toBe(3);
  expect(c.pc).toBe(BigInt(RAM_BASE + 4 * words.length)); // no exception taken
  return c;
}

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);
const f64 = new Float64Array(1);
const u64 = new BigUint64Array(f64.buffer);
const S = (x: number): number => ((f32[0] = x), u32[0]);
const D = (x: number): bigint => ((f64[0] = x), u64[0]);
const toS = (w: number): number => ((u32[0] = w), f32[0]);
const toD = (w: bigint): number => ((u64[0] = w), f64[0]);
const H = { one: 0x3c00, two: 0x4000, half: 0x3800, mone: 0xbc00, three: 0x4200, onehalf: 0x3e00, inf: 0x7c00, qnan: 0x7e00, four: 0x4400 };

const setS = (c: Cpu, r: number, xs: number[]) => xs.forEach((x, i) => (c.vreg[4 * r + i] = S(x)));
const setW = (c: Cpu, r: number, ws: number[]) => ws.forEach((x, i) => (c.vreg[4 * r + i] = x >>> 0));
const setD = (c: Cpu, r: number, xs: number[]) => xs.forEach((x, i) => (c.v64[2 * r + i] = D(x)));
const setH = (c: Cpu, r: number, xs: number[]) => xs.forEach((x, i) => (c.v16[8 * r + i] = x));
const getS = (c: Cpu, r: number) => Array.from(c.vreg.slice(4 * r, 4 * r + 4)).map(toS);
const getW = (c: Cpu, r: number) => Array.from(c.vreg.slice(4 * r, 4 * r + 4));
const getD = (c: Cpu, r: number) => [toD(c.v64[2 * r]), toD(c.v64[2 * r + 1])];
const getH = (c: Cpu, r: number) => Array.from(c.v16.slice(8 * r, 8 * r + 8));
const fpsr = (c: Cpu) => c.sysLo(R.FPSR);
const fill = (c: Cpu, r: number) => c.vreg.fill(0xdeadbeef, 4 * r, 4 * r + 4);

const IOC = 1, DZC = 2, IXC = 16;

describe('AdvSIMD FP three same', () => {
  it('FADD 4S, and 2S zeroes the upper half', () => {
    let r = run([0x4e22d420], (c) => (setS(c, 1, [1.5, -2, 1e3, 0.25]), setS(c, 2, [2.25, 2, 1e3, 0.5])));
    expect(getS(r, 0)).toEqual([3.75, 0, 2e3, 0.75]);
    r = run([0x0e22d420], (c) => (fill(c, 0), setS(c, 1, [1, 2, 3, 4]), setS(c, 2, [10, 20, 30, 40])));
    expect(getW(r, 0)).toEqual([S(11), S(22), 0, 0]);
    expect(fpsr(r)).toBe(0);
  });
  it('FMLA 2D with Rd = Rn = Rm reads the old value', () => {
    const r = run([0x4e60cc00], (c) => setD(c, 0, [3, -0.5]));
    expect(getD(r, 0)).toEqual([12, -0.25]);
  });
  it('FADDP concatenates Vm:Vn', () => {
    const r = run([0x6e22d420], (c) => (setS(c, 1, [1, 2, 3, 4]), setS(c, 2, [10, 20, 30, 40])));
    expect(getS(r, 0)).toEqual([3, 7, 30, 70]);
  });
  it('FCMGE: NaN compares false and raises IOC (a signalling compare)', () => {
    const r = run([0x6e22e420], (c) => (setS(c, 1, [1, 2, NaN, -0]), setS(c, 2, [1, 3, 1, 0])));
    expect(getW(r, 0)).toEqual([0xffffffff, 0, 0, 0xffffffff]);
    expect(fpsr(r) & IOC).toBe(IOC);
  });
  it('FDIV 2D by zero sets DZC; FABD / FACGT scalars zero the rest of the register', () => {
    let r = run([0x6e62fc20], (c) => (setD(c, 1, [1, 6]), setD(c, 2, [0, 3])));
    expect(getD(r, 0)).toEqual([Infinity, 2]);
    expect(fpsr(r)).toBe(DZC);
    r = run([0x7ea2d420], (c) => (fill(c, 0), setS(c, 1, [1, 9]), setS(c, 2, [4, 9])));
    expect(getW(r, 0)).toEqual([S(3), 0, 0, 0]);
    r = run([0x7ec22c20], (c) => (fill(c, 0), setH(c, 1, [H.mone | 0x0200]), setH(c, 2, [H.one]))); // |-1.5| > |1|
    expect(getW(r, 0)).toEqual([0xffff, 0, 0, 0]);
  });
  it('FMULX scalar by element: 0 × inf = 2', () => {
    const r = run([0x7f829820], (c) => (setS(c, 1, [-0]), setS(c, 2, [0, 0, Infinity, 0])));
    expect(getS(r, 0)).toEqual([-2, 0, 0, 0]);
  });
});

describe('AdvSIMD FP pairwise and across lanes', () => {
  it('FMAXNMV S and FMINV H (reduction tree), scalar FMAXNMP D, FADDP H', () => {
    let r = run([0x6e30c820], (c) => (fill(c, 0), setS(c, 1, [NaN, 5, -1, 2])));
    expect(getS(r, 0)).toEqual([5, 0, 0, 0]);
    r = run([0x4eb0f820], (c) => setH(c, 1, [H.one, H.two, H.mone, H.three, H.four, H.half, H.one, H.one]));
    expect(getH(r, 0)).toEqual([H.mone, 0, 0, 0, 0, 0, 0, 0]);
    r = run([0x7e70c820], (c) => setD(c, 1, [-3, -7]));
    expect(getD(r, 0)).toEqual([-3, 0]);
    r = run([0x5e30d820], (c) => setH(c, 1, [H.one, H.two, H.four, H.four]));
    expect(getH(r, 0)).toEqual([H.three, 0, 0, 0, 0, 0, 0, 0]);
  });
});

describe('AdvSIMD FP two-register misc and conversions', () => {
  it('FCVTN / FCVTN2 / FCVTL2 / FCVTXN', () => {
    let r = run([0x0e216820], (c) => (fill(c, 0), setS(c, 1, [1, 2, -1, 1.5])));
    expect(getH(r, 0)).toEqual([H.one, H.two, H.mone, H.onehalf, 0, 0, 0, 0]);
    r = run([0x4e616820], (c) => (setW(c, 0, [7, 8, 9, 10]), setD(c, 1, [0.5, -4])));
    expect(getW(r, 0)).toEqual([7, 8, S(0.5), S(-4)]);
    r = run([0x4e617820], (c) => setS(c, 1, [1, 2, 0.1, -3]));
    expect(getD(r, 0)).toEqual([Math.fround(0.1), -3]);
    // round to odd: 1 + 2^-30 is not representable in single; odd rounding sets the lowest bit
    r = run([0x7e616820], (c) => setD(c, 1, [1 + 2 ** -30, 5]));
    expect(getW(r, 0)).toEqual([S(1) | 1, 0, 0, 0]);
    expect(fpsr(r)).toBe(IXC);
  });
  it('FCVTZS (fixed, #4), SCVTF (fixed, #1)', () => {
    let r = run([0x4f3cfc20], (c) => setS(c, 1, [1.5, -2.03125, 1e20, NaN]));
    expect(getW(r, 0)).toEqual([24, (-32 >>> 0), 0x7fffffff, 0]);
    expect(fpsr(r) & IOC).toBe(IOC);
    r = run([0x4f7fe420], (c) => ((c.v64[2] = 3n), (c.v64[3] = BigInt.asUintN(64, -5n))));
    expect(getD(r, 0)).toEqual([1.5, -2.5]);
  });
  it('FNEG 8H, FCMLT #0 2D, FRINT32X, FCVTZU H, FRECPX D, FSQRT', () => {
    let r = run([0x6ef8f820], (c) => setH(c, 1, [H.one, H.qnan, 0, 0x8000, H.inf, 1, 2, 3]));
    expect(getH(r, 0)).toEqual([H.mone, 0xfe00, 0x8000, 0, 0xfc00, 0x8001, 0x8002, 0x8003]);
    r = run([0x4ee0e820], (c) => setD(c, 1, [-1e-300, -0]));
    expect(getW(r, 0)).toEqual([0xffffffff, 0xffffffff, 0, 0]);
    r = run([0x6e21e820], (c) => setS(c, 1, [2.5, -3e9, 3e9, 7.25]));
    expect(getS(r, 0)).toEqual([2, -(2 ** 31), -(2 ** 31), 7]);
    r = run([0x7ef9b820], (c) => setH(c, 1, [0x5640])); // 100.0
    expect(getH(r, 0)).toEqual([100, 0, 0, 0, 0, 0, 0, 0]);
    r = run([0x5ee1f820], (c) => setD(c, 1, [3]));
    expect(getD(r, 0)).toEqual([1, 0]); // sign, NOT(exponent), zero fraction
    r = run([0x6ea1f820], (c) => setS(c, 1, [4, 2.25, -1, 0]));
    expect(getS(r, 0)).toEqual([2, 1.5, NaN, 0]);
    expect(fpsr(r)).toBe(IOC);
  });
  it('FRECPE 4S, FRSQRTE D, URECPE 2S', () => {
    let r = run([0x4ea1d820], (c) => setS(c, 1, [2, 0, -0.5, Infinity]));
    expect(getS(r, 0)).toEqual([0.49902344, Infinity, -1.99609375, 0].map(Math.fround));
    expect(fpsr(r)).toBe(DZC);
    r = run([0x7ee1d820], (c) => setD(c, 1, [4]));
    expect(getD(r, 0)).toEqual([0.4990234375, 0]);
    r = run([0x0ea1c820], (c) => setW(c, 1, [0x80000000, 0x7fffffff, 5, 6]));
    expect(getW(r, 0)).toEqual([0xff800000, 0xffffffff, 0, 0]);
  });
});

describe('AdvSIMD FP by element and FCMA', () => {
  it('FMUL 4S by s[3], FMLA 8H by h[5]', () => {
    let r = run([0x4fa29820], (c) => (setS(c, 1, [1, 2, 3, 4]), setS(c, 2, [0, 0, 0, 0.5])));
    expect(getS(r, 0)).toEqual([0.5, 1, 1.5, 2]);
    r = run([0x4f121820], (c) => {
      setH(c, 0, [H.one, H.one, H.one, H.one, H.one, H.one, H.one, H.one]);
      setH(c, 1, [H.one, H.two, H.half, H.mone, 0, 0, 0, 0]);
      setH(c, 2, [0, 0, 0, 0, 0, H.two, 0, 0]);
    });
    expect(getH(r, 0)).toEqual([H.three, 0x4500, H.two, H.mone, H.one, H.one, H.one, H.one]);
  });
  it('FCMLA #90, FCADD #270, FCMLA by element #0', () => {
    // (1+2i)·(3+4i) = -5+10i: rot 0 adds re(n)·m, rot 90 adds i·im(n)·m
    let r = run([0x6e82cc20], (c) => (setS(c, 0, [0, 0, 0, 0]), setS(c, 1, [1, 2, 5, 6]), setS(c, 2, [3, 4, 1, 1])));
    expect(getS(r, 0)).toEqual([-8, 6, -6, 6]);
    r = run([0x6e82f420], (c) => (setS(c, 1, [1, 2, 3, 4]), setS(c, 2, [10, 20, 30, 40])));
    expect(getS(r, 0)).toEqual([21, -8, 43, -26]);
    r = run([0x6f821820], (c) => (setS(c, 0, [1, 1, 1, 1]), setS(c, 1, [2, 9, 3, 9]), setS(c, 2, [0, 0, 5, 7])));
    expect(getS(r, 0)).toEqual([11, 15, 16, 22]);
  });
});

describe('AdvSIMD FP with FPCR settings', () => {
  const FZ = 1 << 24, DN = 1 << 25, AHP = 1 << 26, RP = 1 << 22;
  it('FMUL 4S: FZ flushes a denormal input (IDC), DN gives the default NaN', () => {
    const init = (c: Cpu) => (setW(c, 1, [0x00000010, 0x7f800001, 0x3f800000, 0x7fc12345]), setS(c, 2, [2 ** 100, 1, 3, 1]));
    let r = run([0x6e22dc20], init, FZ);
    expect(getW(r, 0)).toEqual([0, 0x7fc00001, S(3), 0x7fc12345]);
    expect(fpsr(r)).toBe(0x80 | IOC);
    r = run([0x6e22dc20], init, DN);
    expect(getW(r, 0)).toEqual([S(2 ** -45), 0x7fc00000, S(3), 0x7fc00000]);
  });
  it('FCVTL 4H→4S honours AHP (exponent 31 is a number); FRINTX 2D follows FPCR.RMode', () => {
    let r = run([0x0e217820], (c) => setH(c, 1, [H.inf, H.one, 0xfc00, 0x7e00]), AHP);
    expect(getS(r, 0)).toEqual([65536, 1, -65536, 98304]);
    r = run([0x6e619820], (c) => setD(c, 1, [2.5, -2.5]));
    expect(getD(r, 0)).toEqual([2, -2]);
    expect(fpsr(r)).toBe(IXC);
    r = run([0x6e619820], (c) => setD(c, 1, [2.5, -2.5]), RP);
    expect(getD(r, 0)).toEqual([3, -2]);
  });
  it('FMAXP 4H pairwise (Q = 0), FMINNM 8H quiet vs signalling NaN, FCMEQ #0 with -0', () => {
    let r = run([0x2e423420], (c) => (fill(c, 0), setH(c, 1, [H.one, H.two, H.mone, H.half]), setH(c, 2, [H.three, H.four, 0, 0x8000])));
    expect(getH(r, 0)).toEqual([H.two, H.half, H.four, 0, 0, 0, 0, 0]);
    r = run([0x4ec20420], (c) => (setH(c, 1, [0x7e00, 0x7c01, H.one, 0]), setH(c, 2, [H.one, H.one, 0x7c00, 0x8000])));
    expect(getH(r, 0).slice(0, 4)).toEqual([H.one, 0x7e01, H.one, 0x8000]);
    expect(fpsr(r)).toBe(IOC);
    r = run([0x5ea0d820], (c) => setW(c, 1, [0x80000000]));
    expect(getW(r, 0)).toEqual([0xffffffff, 0, 0, 0]);
  });
  it('scalar half FCVTZS (fixed) writes a 16-bit element (QEMU 7.2 writes 32 bits sign-extended)', () => {
    const r = run([0x5f10fc20], (c) => (fill(c, 0), setH(c, 1, [0x8200]))); // -2^-15 × 2^16
    expect(getW(r, 0)).toEqual([0xfffe, 0, 0, 0]);
  });
});

describe('FEAT_FHM', () => {
  it('FMLAL 2S, FMLSL2 4S (upper halves), FMLAL by element h[7]; FZ16 flushes half inputs without IDC', () => {
    let r = run([0x0e22ec20], (c) => (fill(c, 0), setS(c, 0, [1, 1]), setH(c, 1, [H.one, H.two, 0, 0]), setH(c, 2, [H.three, H.half, 0, 0])));
    expect(getS(r, 0)).toEqual([4, 2, 0, 0]);
    r = run([0x6ea2cc20], (c) => {
      setS(c, 0, [10, 10, 10, 10]);
      setH(c, 1, [0, 0, 0, 0, H.one, H.two, H.mone, 0x0001]);
      setH(c, 2, [0, 0, 0, 0, H.two, H.two, H.two, 0x6400]); // denormal × 1024
    });
    expect(getS(r, 0)).toEqual([8, 6, 12, 10 - 2 ** -14]);
    r = run([0x0fb20820], (c) => (setS(c, 0, [0, 0]), setH(c, 1, [H.three, 0x0001]), setH(c, 2, [0, 0, 0, 0, 0, 0, 0, H.four])), 1 << 19);
    expect(getW(r, 0)).toEqual([S(12), 0, 0, 0]);
    expect(fpsr(r)).toBe(0);
  });
});

describe('AdvSIMD FP access trap', () => {
  it('CPTR_EL3.TFP traps (EC 0x07) before anything is written, FPSR untouched', () => {
    const b = new Uint8Array(4);
    new DataView(b.buffer).setUint32(0, 0x6e62fc20, true); // fdiv v0.2d, v1.2d, v2.2d (by zero)
    m.bus.loadBytes(RAM_BASE, b);
    c.resetRegisters();
    c.sysSet(R.VBAR_EL3, BigInt(RAM_BASE + 0x10000));
    c.sysSet(R.CPTR_EL3, 1n << 10n);
    c.sysSet(R.FPSR, 0n);
    setD(c, 1, [1, 1]);
    c.vreg[0] = 0x1234;
    c.pc = BigInt(RAM_BASE);
    c.runLoop(1);
    expect(c.pc).toBe(BigInt(RAM_BASE + 0x10000 + 0x200));
    expect(Number(c.sysGet(R.ESR_EL3)) >>> 26).toBe(0x07);
    expect(getW(c, 0)).toEqual([0x1234, 0, 0, 0]);
    expect(fpsr(c)).toBe(0);
    c.sysSet(R.CPTR_EL3, 0n);
  });
});

describe('AdvSIMD FP decode', () => {
  it('claims the FP encodings and leaves integer / FHM ones to others', () => {
    expect(A64.match(0x4e22d420)).toBe('SIMD_FP_SAME');
    expect(A64.decode(0x4ea28420).name).not.toMatch(/^(SIMD_FP|F)/); // add v0.4s
    expect(A64.decode(0x0e22ec20).name).toBe('SIMD_FP_SAME'); // fmlal (FEAT_FHM) in three same
    expect(A64.decode(0x4e60d420).name).toBe('SIMD_FP_SAME'); // fadd 2D
    expect(A64.decode(0x0e60d420).name).toMatch(/^FP_SIMD_/); // fadd 1D: reserved, UNDEFINED
  });
});
