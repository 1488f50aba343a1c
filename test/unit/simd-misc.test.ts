// AdvSIMD moves, shifts and misc (src/cpu/exec/simd/simd-misc.ts and the files it collects):
// known values worked out by hand from the Arm ARM pseudocode (C7.2). Encodings from GNU as
// (`aarch64-linux-gnu-as -march=armv8.2-a+fp16`), listed beside each word.
import { describe, it, expect } from 'vitest';
import { Machine, RAM_BASE } from '../../src/machine/machine';
import { R } from '../../src/sysregs/table';
import type { Cpu } from '../../src/cpu/cpu';
import { A64 } from '../../src/cpu/decode/a64.table';
import { expandImm, expandImmH } from '../../src/cpu/exec/simd/simd-copy';

const M64 = (1n << 64n) - 1n;
const ONES = (1n << 128n) - 1n;
/** 128-bit value from its two 64-bit halves */
const V = (hi: bigint, lo: bigint) => (hi << 64n) | lo;
/** 128-bit value from bytes, byte 0 first */
const B = (...bytes: number[]) => bytes.reduce((a, b, i) => a | (BigInt(b) << BigInt(8 * i)), 0n);
/** 128-bit value from halfwords, lane 0 first */
const H = (...h: number[]) => h.reduce((a, b, i) => a | (BigInt(b) << BigInt(16 * i)), 0n);
/** 128-bit value from words, lane 0 first */
const W = (...w: number[]) => w.reduce((a, b, i) => a | (BigInt(b >>> 0) << BigInt(32 * i)), 0n);
const IOTA = B(...Array.from({ length: 16 }, (_, i) => i));
const IOTA10 = B(...Array.from({ length: 16 }, (_, i) => 0x10 + i));

function setV(c: Cpu, n: number, v: bigint): void {
  for (let i = 0; i < 4; i++) c.vreg[4 * n + i] = Number((v >> BigInt(32 * i)) & 0xffffffffn);
}
function getV(c: Cpu, n: number): bigint {
  let v = 0n;
  for (let i = 3; i >= 0; i--) v = (v << 32n) | BigInt(c.vreg[4 * n + i]);
  return v;
}

interface Case {
  w: number;
  asm: string;
  v?: Record<number, bigint>;
  x?: Record<number, bigint>;
  out?: Record<number, bigint>;
  xout?: Record<number, bigint>;
  qc?: boolean;
}

function run(words: number[], v: Record<number, bigint> = {}, x: Record<number, bigint> = {}): Cpu {
  const m = new Machine({ ramMiB: 4 });
  const c = m.cpus[0];
  const b = new Uint8Array(words.length * 4);
  const dv = new DataView(b.buffer);
  words.forEach((w, i) => dv.setUint32(i * 4, w >>> 0, true));
  m.bus.loadBytes(RAM_BASE, b);
  for (const [k, val] of Object.entries(v)) setV(c, Number(k), val);
  for (const [k, val] of Object.entries(x)) c.setX(Number(k), BigInt.asUintN(64, val));
  c.pc = BigInt(RAM_BASE);
  c.runLoop(words.length);
  expect(c.pc).toBe(BigInt(RAM_BASE + 4 * words.length)); // no exception
  return c;
}

function check(cases: Case[]): void {
  for (const k of cases) {
    const c = run([k.w], k.v, k.x);
    for (const [n, want] of Object.entries(k.out ?? {})) {
      expect(getV(c, Number(n)).toString(16), `${k.asm}: v${n}`).toBe(want.toString(16));
    }
    for (const [n, want] of Object.entries(k.xout ?? {})) {
      expect(c.getX(Number(n)).toString(16), `${k.asm}: x${n}`).toBe(want.toString(16));
    }
    const qc = ((c.sysLo(R.FPSR) >>> 27) & 1) === 1;
    expect(qc, `${k.asm}: FPSR.QC`).toBe(k.qc ?? false);
  }
}

describe('AdvSIMD copy', () => {
  it('DUP, INS, UMOV, SMOV, scalar DUP', () => {
    const c = run(
      [0x4e010c20, 0x0e020c21, 0x4e080c62, 0x4e160483, 0x4e141c25, 0x6e1f04c5, 0x0e0e3ca7, 0x4e1f2ca8, 0x0e022ca9, 0x5e1804aa],
      { 1: ONES, 4: H(0, 1, 2, 3, 4, 5, 6, 7), 5: ONES, 6: 0x99n, 10: ONES },
      { 1: 0x1234abn, 3: 0x1122334455667788n, 7: -1n, 9: -1n },
    );
    expect(getV(c, 0)).toBe(B(...Array(16).fill(0xab))); // dup v0.16b, w1
    expect(getV(c, 1)).toBe(0x34ab34ab34ab34abn); // dup v1.4h, w1 (Q=0: upper half zero)
    expect(getV(c, 2)).toBe(V(0x1122334455667788n, 0x1122334455667788n)); // dup v2.2d, x3
    expect(getV(c, 3)).toBe(H(5, 5, 5, 5, 5, 5, 5, 5)); // dup v3.8h, v4.h[5]
    expect(getV(c, 5)).toBe(V(0x99ffffff001234abn, M64)); // mov v5.s[2], w1; mov v5.b[15], v6.b[0]
    expect(c.getX(7)).toBe(0xffffn); // umov w7, v5.h[3]
    expect(c.getX(8)).toBe(0xffffffffffffff99n); // smov x8, v5.b[15]
    expect(c.getX(9)).toBe(0xffffffffn); // smov w9, v5.h[0]: Xd upper half zero
    expect(getV(c, 10)).toBe(0x99ffffff001234abn); // mov d10, v5.d[1]
  });

  it('UMOV/SMOV to XZR discard; INS D from X', () => {
    check([
      { w: 0x4e083c7f, asm: 'umov xzr, v3.d[0]', v: { 3: 5n } },
      { w: 0x4e181c65, asm: 'mov v5.d[1], x3', v: { 5: 7n }, x: { 3: -2n }, out: { 5: V(M64 - 1n, 7n) } },
    ]);
  });
});

describe('AdvSIMD modified immediate', () => {
  it('MOVI/MVNI/ORR/BIC/FMOV', () => {
    const pre = V(0x0011223344556677n, 0x8899aabbccddeeffn);
    const c = run(
      [0x6f05e540, 0x4f002641, 0x2f01a682, 0x4f02d6c3, 0x4f0777e4, 0x6f0797e5, 0x4f03f606, 0x6f04f487, 0x4f03ff08, 0x2f04e449],
      { 2: ONES, 4: pre, 5: pre, 9: ONES },
    );
    expect(getV(c, 0)).toBe(V(0xff00ff00ff00ff00n, 0xff00ff00ff00ff00n)); // movi v0.2d
    expect(getV(c, 1)).toBe(W(0x1200, 0x1200, 0x1200, 0x1200)); // movi v1.4s, #0x12, lsl #8
    expect(getV(c, 2)).toBe(H(0xcbff, 0xcbff, 0xcbff, 0xcbff)); // mvni v2.4h, #0x34, lsl #8
    expect(getV(c, 3)).toBe(W(0x56ffff, 0x56ffff, 0x56ffff, 0x56ffff)); // movi v3.4s, #0x56, msl #16
    expect(getV(c, 4)).toBe(V(0xff112233ff556677n, 0xff99aabbffddeeffn)); // orr v4.4s, #0xff, lsl #24
    expect(getV(c, 5)).toBe(V(0x0000220044006600n, 0x8800aa00cc00ee00n)); // bic v5.8h, #0xff
    expect(getV(c, 6)).toBe(W(0x3f800000, 0x3f800000, 0x3f800000, 0x3f800000)); // fmov v6.4s, #1.0
    expect(getV(c, 7)).toBe(V(0xc004000000000000n, 0xc004000000000000n)); // fmov v7.2d, #-2.5
    expect(getV(c, 8)).toBe(H(0x3e00, 0x3e00, 0x3e00, 0x3e00, 0x3e00, 0x3e00, 0x3e00, 0x3e00)); // fmov v8.8h, #1.5
    expect(getV(c, 9)).toBe(0xff0000000000ff00n); // movi d9 (upper half zero)
  });

  it('AdvSIMDExpandImm / VFPExpandImm corner values', () => {
    expect(expandImm(0, 0b1100, 0xab)).toEqual([0xabff, 0xabff]);
    expect(expandImm(1, 0b1110, 0b10000001)).toEqual([0xff, 0xff000000]);
    expect(expandImm(0, 0b1111, 0x70)).toEqual([0x3f800000, 0x3f800000]); // 1.0
    expect(expandImm(1, 0b1111, 0x70)).toEqual([0, 0x3ff00000]); // 1.0 (double)
    expect(expandImmH(0x70)).toBe(0x3c00); // 1.0 (half)
    expect(expandImmH(0x80)).toBe(0xc000); // -2.0
  });
});

describe('AdvSIMD permute, EXT, TBL/TBX', () => {
  it('ZIP/UZP/TRN, also with Rd = Rn', () => {
    const c = run([0x4e023820, 0x4e825823, 0x4e422824, 0x0e827825, 0x4e023821], { 1: IOTA, 2: IOTA10 });
    expect(getV(c, 0)).toBe(V(0x1707160615051404n, 0x1303120211011000n)); // zip1 v0.16b
    expect(getV(c, 3)).toBe(V(0x1f1e1d1c17161514n, 0x0f0e0d0c07060504n)); // uzp2 v3.4s
    expect(getV(c, 4)).toBe(V(0x1d1c0d0c19180908n, 0x1514050411100100n)); // trn1 v4.8h
    expect(getV(c, 5)).toBe(0x1716151407060504n); // zip2 v5.2s (Q=0)
    expect(getV(c, 1)).toBe(getV(c, 0)); // zip1 v1.16b, v1.16b, v2.16b
  });

  it('EXT', () => {
    const c = run([0x6e021820, 0x2e023023], { 1: IOTA, 2: IOTA10, 3: ONES });
    expect(getV(c, 0)).toBe(V(0x1211100f0e0d0c0bn, 0x0a09080706050403n));
    expect(getV(c, 3)).toBe(0x1514131211100706n);
  });

  it('TBL over three registers wrapping v30, v31, v0; TBX; TBL with Rd = table = index', () => {
    const t = (base: number) => B(...Array.from({ length: 16 }, (_, i) => base + i));
    check([
      {
        w: 0x4e0343c4, asm: 'tbl v4.16b, {v30.16b, v31.16b, v0.16b}, v3.16b',
        v: { 30: t(0xa0), 31: t(0xb0), 0: t(0xc0), 3: B(0, 17, 35, 47, 48, 255, 15, 16, 32, 33, 34, 46, 1, 2, 3, 4), 4: ONES },
        out: { 4: V(0xa4a3a2a1cec2c1c0n, 0xb0af0000cfc3b1a0n) },
      },
      {
        w: 0x0e061025, asm: 'tbx v5.8b, {v1.16b}, v6.8b',
        v: { 1: IOTA10, 6: V(M64, B(0, 16, 5, 200, 15, 1, 99, 2)), 5: B(...Array(16).fill(0x77)) },
        out: { 5: 0x1277111f77157710n },
      },
      {
        w: 0x4e0700e7, asm: 'tbl v7.16b, {v7.16b}, v7.16b',
        v: { 7: B(3, 2, 1, 0, 15, 14, 13, 12, 16, 200, 4, 5, 6, 7, 8, 9) },
        out: { 7: V(0xc8100c0d0e0f0000n, 0x0607080903020100n) },
      },
    ]);
  });
});

describe('AdvSIMD shift by immediate', () => {
  it('same-size shifts, vector and scalar, saturation sets FPSR.QC', () => {
    check([
      { w: 0x4f210420, asm: 'sshr v0.4s, v1.4s, #31', v: { 1: W(0x80000000, 0x7fffffff, 0xffffffff, 0) }, out: { 0: W(0xffffffff, 0, 0xffffffff, 0) } },
      { w: 0x7f410422, asm: 'ushr d2, d1, #63', v: { 1: V(0x1234n, 1n << 63n), 2: ONES }, out: { 2: 1n } },
      {
        w: 0x4f1c2423, asm: 'srshr v3.8h, v1.8h, #4',
        v: { 1: H(8, 7, 0xfff8, 0xfff7, 0x7fff, 0x8000, 0x18, 0) },
        out: { 3: H(1, 0, 0, 0xffff, 0x0800, 0xf800, 2, 0) },
      },
      {
        w: 0x4f097424, asm: 'sqshl v4.16b, v1.16b, #1',
        v: { 1: B(0x40, 0x3f, 0xc0, 0xbf, 0x7f, 0x80, 0x01, 0xff) },
        out: { 4: B(0x7f, 0x7e, 0x80, 0x80, 0x7f, 0x80, 0x02, 0xfe) }, qc: true,
      },
      {
        w: 0x6f384428, asm: 'sri v8.4s, v1.4s, #8',
        v: { 1: W(0x11223344, 0xffffffff, 0, 0x80000000), 8: W(0xaabbccdd, 0xaabbccdd, 0xaabbccdd, 0xaabbccdd) },
        out: { 8: W(0xaa112233, 0xaaffffff, 0xaa000000, 0xaa800000) },
      },
      {
        w: 0x6f7c5429, asm: 'sli v9.2d, v1.2d, #60',
        v: { 1: V(0xan, 5n), 9: V(0xfedcba9876543210n, 0x0123456789abcdefn) },
        out: { 9: V(0xaedcba9876543210n, 0x5123456789abcdefn) },
      },
      { w: 0x6f40142b, asm: 'usra v11.2d, v1.2d, #64', v: { 1: ONES, 11: V(6n, 5n) }, out: { 11: V(6n, 5n) } },
      { w: 0x7f3f742c, asm: 'uqshl s12, s1, #31', v: { 1: 3n, 12: ONES }, out: { 12: 0xffffffffn }, qc: true },
      {
        w: 0x6f12642d, asm: 'sqshlu v13.8h, v1.8h, #2',
        v: { 1: H(0xffff, 0x1fff, 0x2000, 0x3fff, 0x8000, 1, 0x4000, 0) },
        out: { 13: H(0, 0x7ffc, 0x8000, 0xfffc, 0, 4, 0xffff, 0) }, qc: true,
      },
    ]);
  });

  it('narrowing and lengthening shifts', () => {
    check([
      {
        w: 0x0f0c9c25, asm: 'sqrshrn v5.8b, v1.8h, #4',
        v: { 1: H(8, 0x7fff, 0x8000, 0xfff7, 0x07f7, 0x0800, 0xf800, 0xf7f7), 5: ONES },
        out: { 5: B(1, 0x7f, 0x80, 0xff, 0x7f, 0x7f, 0x80, 0x80) }, qc: true,
      },
      {
        w: 0x0f0c8426, asm: 'shrn v6.8b, v1.8h, #4',
        v: { 1: H(0x1234, 0xabcd, 0xffff, 0, 0x0ff0, 0xf00f, 0x8001, 0x7ffe), 6: ONES },
        out: { 6: B(0x23, 0xbc, 0xff, 0, 0xff, 0, 0, 0xff) },
      },
      {
        w: 0x4f13a427, asm: 'sshll2 v7.4s, v1.8h, #3',
        v: { 1: H(1, 2, 3, 4, 0x8000, 0x7fff, 0xffff, 1) },
        out: { 7: W(0xfffc0000, 0x0003fff8, 0xfffffff8, 8) },
      },
      { w: 0x5f0f942a, asm: 'sqshrn b10, h1, #1', v: { 1: 0x100n, 10: ONES }, out: { 10: 0x7fn }, qc: true },
      {
        w: 0x6f089c2e, asm: 'uqrshrn2 v14.16b, v1.8h, #8',
        v: { 1: H(0x80, 0x7f, 0xff7f, 0xff80, 0x1234, 0, 0x8080, 0xffff), 14: V(M64, 0x1122334455667788n) },
        out: { 14: V(0xff810012ffff0001n, 0x1122334455667788n) }, qc: true,
      },
    ]);
  });
});

describe('AdvSIMD two-register miscellaneous (integer)', () => {
  it('REV, CNT, CLZ, CLS, NOT, RBIT', () => {
    check([
      { w: 0x4e200820, asm: 'rev64 v0.16b, v1.16b', v: { 1: IOTA }, out: { 0: V(0x08090a0b0c0d0e0fn, 0x0001020304050607n) } },
      { w: 0x0e201822, asm: 'rev16 v2.8b, v1.8b', v: { 1: IOTA, 2: ONES }, out: { 2: 0x0607040502030001n } },
      {
        w: 0x4e205823, asm: 'cnt v3.16b, v1.16b',
        v: { 1: B(0, 0xff, 0x0f, 0x80, 0x55, 1, 3, 7, 0xfe, 0, 0, 0, 0, 0, 0, 0x11) },
        out: { 3: B(0, 8, 4, 1, 4, 1, 2, 3, 7, 0, 0, 0, 0, 0, 0, 2) },
      },
      { w: 0x6ea04824, asm: 'clz v4.4s, v1.4s', v: { 1: W(0, 1, 0x80000000, 0x10000) }, out: { 4: W(32, 31, 0, 15) } },
      {
        w: 0x4e604825, asm: 'cls v5.8h, v1.8h',
        v: { 1: H(0, 0xffff, 1, 0x8000, 0x7fff, 0xc000, 0x3fff, 0xfff0) },
        out: { 5: H(15, 15, 14, 0, 0, 1, 1, 11) },
      },
      { w: 0x2e20582e, asm: 'mvn v14.8b, v1.8b', v: { 1: V(5n, 0x00ff00ff12345678n) }, out: { 14: 0xff00ff00edcba987n } },
      { w: 0x6e60582f, asm: 'rbit v15.16b, v1.16b', v: { 1: B(1, 0x80, 0x0f, 0xa0) }, out: { 15: B(0x80, 1, 0xf0, 5) } },
    ]);
  });

  it('SQABS/NEG/CM zero/SUQADD, vector and scalar', () => {
    check([
      { w: 0x4e207826, asm: 'sqabs v6.16b, v1.16b', v: { 1: B(0x80, 0x81, 0xff, 1, 0x7f) }, out: { 6: B(0x7f, 0x7f, 1, 1, 0x7f) }, qc: true },
      { w: 0x6ee0b827, asm: 'neg v7.2d, v1.2d', v: { 1: V(1n, 1n << 63n) }, out: { 7: V(M64, 1n << 63n) } },
      { w: 0x4e209828, asm: 'cmeq v8.16b, v1.16b, #0', v: { 1: B(0, 1, 0, 0xff) }, out: { 8: ONES ^ B(0, 0xff, 0, 0xff) } },
      { w: 0x5ee0a830, asm: 'cmlt d16, d1, #0', v: { 1: V(0n, 1n << 63n), 16: ONES }, out: { 16: M64 } },
      { w: 0x5e20382d, asm: 'suqadd b13, b1', v: { 1: 0x20n, 13: V(M64, 0xff70n) }, out: { 13: 0x7fn }, qc: true },
    ]);
  });

  it('XTN2, SQXTUN, SQXTN (scalar), SHLL2, UADALP, SADDLP', () => {
    check([
      {
        w: 0x4e612829, asm: 'xtn2 v9.8h, v1.4s',
        v: { 1: W(0x12345678, 0xffff0001, 0x00018000, 0xabcdef01), 9: V(M64, 0x1111222233334444n) },
        out: { 9: V(0xef0180000001_5678n, 0x1111222233334444n) },
      },
      {
        w: 0x2e21282a, asm: 'sqxtun v10.8b, v1.8h',
        v: { 1: H(0xffff, 0x100, 0xff, 0x80, 0x8000, 0x7fff, 0, 1), 10: ONES },
        out: { 10: B(0, 0xff, 0xff, 0x80, 0, 0xff, 0, 1) }, qc: true,
      },
      { w: 0x5ea14831, asm: 'sqxtn s17, d1', v: { 1: 0x80000000n, 17: ONES }, out: { 17: 0x7fffffffn }, qc: true },
      {
        w: 0x6ea1382b, asm: 'shll2 v11.2d, v1.4s, #32',
        v: { 1: W(1, 2, 0x89abcdef, 0x01234567) },
        out: { 11: V(0x0123456700000000n, 0x89abcdef00000000n) },
      },
      {
        w: 0x6e60682c, asm: 'uadalp v12.4s, v1.8h',
        v: { 1: H(0xffff, 0xffff, 1, 2, 0x8000, 0x8000, 0, 0), 12: W(1, 0xffffffff, 10, 0) },
        out: { 12: W(0x1ffff, 2, 0x1000a, 0) },
      },
      {
        w: 0x4ea02832, asm: 'saddlp v18.2d, v1.4s',
        v: { 1: W(0x80000000, 0x80000000, 0x7fffffff, 0x7fffffff) },
        out: { 18: V(0xfffffffen, 0xffffffff00000000n) },
      },
    ]);
  });
});

describe('decoding', () => {
  it('reserved arrangements and FP opcodes are not claimed', () => {
    const notMine = (w: number) => expect(A64.decode(w).name, w.toString(16)).not.toMatch(/^(SSHR|SHL|DUP|UMOV|SMOV|ABS|CMEQ|XTN|REV|MOVI|EXT|ZIP)/);
    notMine(0x0f410420); // sshr v0.1d (Q=0, 64-bit lanes): reserved
    notMine(0x2e080c00); // copy class with op=1, Q=0: unallocated
    notMine(0x0e083c00); // umov with Q=0 and a D element: reserved
    notMine(0x0ee0b800); // abs v0.1d: reserved
    notMine(0x4ee0f800); // fabs v0.2d (FP opcode): left to the vector-FP rows
    notMine(0x4f40fc00); // fcvtzs v0.2d, v0.2d, #64 (shift-immediate opcode 11111): vector-FP rows
    expect(A64.decode(0x0e202800).name).toBe('SADDLP_v'); // saddlp v0.4h, v0.8b
  });
});
