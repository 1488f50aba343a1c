// Scalar floating point instructions (src/cpu/exec/simd/fp-scalar*.ts): known values for each class
// (1/2/3 source, compare, conditional compare/select, immediate, conversions with integers and fixed
// point, FMOV general incl. D[1], FJCVTZS, FRINT32/64), upper-bit zeroing, FPSR flags, NZCV, the
// FP access trap. Words were assembled with GNU as (-march=armv8.5-a+fp16).
import { A64 } from '../../src/cpu/decode/a64.table';
import { describe, it, expect } from 'vitest';
import { Machine, RAM_BASE } from '../../src/machine/machine';
import { R } from '../../src/sysregs/table';
import type { Cpu } from '../../src/cpu/cpu';

const m = new Machine({ ramMiB: 4 });
const c = m.cpus[0];

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
  return c;
}
const f64 = new Float64Array(1);
const u64 = new BigUint64Array(f64.buffer);
const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);
const D = (x: number): bigint => ((f64[0] = x), u64[0]);
const S = (x: number): number => ((f32[0] = x), u32[0]);
const toD = (b: bigint) => ((u64[0] = b), f64[0]);
const setD = (c: Cpu, r: number, x: number) => (c.v64[2 * r] = D(x));
const setS = (c: Cpu, r: number, x: number) => (c.vreg[4 * r] = S(x));
const setX = (c: Cpu, r: number, v: bigint) => {
  c.x[2 * r] = Number(v & 0xffffffffn);
  c.x[2 * r + 1] = Number((v >> 32n) & 0xffffffffn);
};
const getX = (c: Cpu, r: number) => (BigInt(c.x[2 * r + 1]) << 32n) | BigInt(c.x[2 * r]);
const fpsr = (c: Cpu) => c.sysLo(R.FPSR);

describe('scalar FP data processing', () => {
  it('FADD s0, s1, s2 zeroes the upper bits and sets IXC when inexact', () => {
    const r = run([0x1e222820], (c) => {
      c.vreg.fill(0xffffffff, 0, 4);
      setS(c, 1, 1);
      c.vreg[8] = 0x33800001; // just over half an ulp of 1.0
    });
    expect(r.vreg[0]).toBe(0x3f800001);
    expect([r.vreg[1], r.vreg[2], r.vreg[3]]).toEqual([0, 0, 0]);
    expect(fpsr(r)).toBe(0x10);
  });
  it('FMADD d0, d1, d2, d3 is fused (one rounding)', () => {
    const a = 1 + 2 ** -30;
    const r = run([0x1f420c20], (c) => {
      setD(c, 1, a);
      setD(c, 2, a);
      setD(c, 3, -(1 + 2 ** -29));
    });
    expect(toD(r.v64[0])).toBe(2 ** -60);
  });
  it('FNMSUB h0, h1, h2, h3 = h1*h2 - h3', () => {
    const r = run([0x1fe28c20], (c) => {
      c.v16[8] = 0x4000; // 2
      c.v16[16] = 0x4200; // 3
      c.v16[24] = 0x3c00; // 1
    });
    expect(r.v16[0]).toBe(0x4500); // 5
  });
  it('FSQRT d0, d1; FRINTX d0, d1 (IXC); FRINT32Z s0, s1 out of range', () => {
    let r = run([0x1e61c020], (c) => setD(c, 1, 2));
    expect(toD(r.v64[0])).toBe(Math.SQRT2);
    r = run([0x1e674020], (c) => setD(c, 1, 2.5));
    expect(toD(r.v64[0])).toBe(2);
    expect(fpsr(r)).toBe(0x10);
    r = run([0x1e284020], (c) => setS(c, 1, 3e9));
    expect(r.vreg[0]).toBe(0xcf000000);
    expect(fpsr(r)).toBe(1);
  });
  it('FMOV d0, #-1.5; FCSEL s0, s1, s2, eq', () => {
    let r = run([0x1e7f1000], () => {});
    expect(toD(r.v64[0])).toBe(-1.5);
    r = run([0x1e220c20], (c) => {
      setS(c, 1, 1);
      setS(c, 2, 2);
      c.nzcv = 0b0100;
    });
    expect(r.vreg[0]).toBe(S(1));
  });
  it('FCMPE s1, #0.0 sets NZCV and IOC for a quiet NaN; FCCMP d1, d2, #5, ne', () => {
    let r = run([0x1e202038], (c) => (c.vreg[4] = 0x7fc00000));
    expect(r.nzcv).toBe(3);
    expect(fpsr(r)).toBe(1);
    r = run([0x1e202038], (c) => setS(c, 1, -2));
    expect(r.nzcv).toBe(8);
    r = run([0x1e621425], (c) => (c.nzcv = 0b0100)); // ne fails -> #5
    expect(r.nzcv).toBe(5);
    r = run([0x1e621425], (c) => {
      c.nzcv = 0;
      setD(c, 1, 1);
      setD(c, 2, 1);
    });
    expect(r.nzcv).toBe(6);
  });
  it('FCVT h0, d1 rounds; AHP gives the alternative format', () => {
    let r = run([0x1e63c020], (c) => setD(c, 1, 65520));
    expect(r.v16[0]).toBe(0x7c00); // overflows to infinity in IEEE half
    expect(fpsr(r)).toBe(0x14);
    r = run([0x1e63c020], (c) => setD(c, 1, 65520), 1 << 26);
    expect(r.v16[0]).toBe(0x7c00); // 65536 in the alternative format
    expect(fpsr(r)).toBe(0x10);
  });
});

describe('scalar FP conversions', () => {
  it('BFCVT h0, s1 is UNDEFINED: FEAT_BF16 is not advertised (ID_AA64ISAR1_EL1.BF16 = 0)', () => {
    expect(A64.decode(0x1e634020).name).toMatch(/^FP_SIMD_/); // the catch-all: trap check, then UNDEFINED
  });
  it('FCVTZS x0, d1 saturates with IOC; FCVTAU w0, h1 ties away', () => {
    let r = run([0x9e780020], (c) => setD(c, 1, -1e30));
    expect(getX(r, 0)).toBe(0x8000000000000000n);
    expect(fpsr(r)).toBe(1);
    r = run([0x1ee50020], (c) => (c.v16[8] = 0x4100)); // 2.5
    expect(getX(r, 0)).toBe(3n);
  });
  it('SCVTF s0, w1; UCVTF d0, x1, #4; FCVTZS w0, s1, #1', () => {
    let r = run([0x1e220020], (c) => setX(c, 1, 0xffffffffn));
    expect(r.vreg[0]).toBe(S(-1));
    r = run([0x9e43f020], (c) => setX(c, 1, 0x18n));
    expect(toD(r.v64[0])).toBe(1.5);
    r = run([0x1e18fc20], (c) => setS(c, 1, -2.75));
    expect(getX(r, 0)).toBe(0xfffffffbn); // -5.5 toward zero = -5
  });
  it('FMOV x0, v1.d[1]; FMOV v0.d[1], x1 keeps d[0]; FMOV w0, h1', () => {
    let r = run([0x9eae0020], (c) => (c.v64[3] = 0x1122334455667788n));
    expect(getX(r, 0)).toBe(0x1122334455667788n);
    r = run([0x9eaf0020], (c) => {
      c.v64[0] = 5n;
      setX(c, 1, 0xabcdn);
    });
    expect([r.v64[0], r.v64[1]]).toEqual([5n, 0xabcdn]);
    r = run([0x1ee60020], (c) => (c.vreg[4] = 0x12345678));
    expect(getX(r, 0)).toBe(0x5678n);
  });
  it('FJCVTZS w0, d1: modulo 2^32, Z flag', () => {
    let r = run([0x1e7e0020], (c) => setD(c, 1, -1));
    expect(getX(r, 0)).toBe(0xffffffffn);
    expect(r.nzcv).toBe(4);
    r = run([0x1e7e0020], (c) => setD(c, 1, 2 ** 32 + 7.5));
    expect(getX(r, 0)).toBe(7n);
    expect(r.nzcv).toBe(0);
    expect(fpsr(r)).toBe(1);
    // a denormal flushed by FZ converts to 0 with Z = 0 (Arm ARM FPToFixedJS)
    r = run([0x1e7e0020], (c) => (c.v64[2] = 5n), 1 << 24);
    expect(getX(r, 0)).toBe(0n);
    expect(r.nzcv).toBe(0);
    expect(fpsr(r)).toBe(0x80);
  });
});

describe('FP access trap', () => {
  it('FADD with CPACR_EL1.FPEN = 0 at EL1 takes EC 0x07', () => {
    const r = run([0x1e222820], (c) => {
      c.setPstate(0x3c5); // EL1h
      c.sysSet(R.CPACR_EL1, 0n);
      c.sysSet(R.VBAR_EL1, BigInt(RAM_BASE + 0x1000));
      setS(c, 1, 1);
    });
    expect(r.vreg[0]).toBe(0);
    expect(r.sysLo(R.ESR_EL1) >>> 26).toBe(0x07);
  });
});
