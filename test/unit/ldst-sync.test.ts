// Exclusives, acquire/release, LSE atomics and CAS, and SIMD&FP register loads/stores.
import { describe, it, expect } from 'vitest';
import { E, setup, put64, get64, get32, fill, DATA, CODE, esr, far, trapped } from './ldst-helpers';
import { clearExclusive } from '../../src/cpu/exclusive';
import { A64 } from '../../src/cpu/decode/a64.table';
import { R as R_ } from '../../src/sysregs/table';

const D = BigInt(DATA);
// ldxr/stxr helpers: size 3 = X
const LDXR = (sz: number, rn: number, rt: number) => E.excl(sz, 0, 1, 0, 31, 0, 31, rn, rt);
const LDAXR = (sz: number, rn: number, rt: number) => E.excl(sz, 0, 1, 0, 31, 1, 31, rn, rt);
const STXR = (sz: number, rs: number, rn: number, rt: number) => E.excl(sz, 0, 0, 0, rs, 0, 31, rn, rt);
const STLXR = (sz: number, rs: number, rn: number, rt: number) => E.excl(sz, 0, 0, 0, rs, 1, 31, rn, rt);
const STR = (rn: number, rt: number) => E.ldstU(3, 0, 0, 0, rn, rt);

describe('ldst: exclusives', () => {
  it('LDXR/STXR succeeds and stores; a second STXR fails (monitor cleared)', () => {
    const { m, c } = setup([LDXR(3, 1, 0), STXR(3, 2, 1, 3), STXR(3, 4, 1, 5)]);
    put64(m, DATA, 0x1111n);
    c.setX(1, D);
    c.setX(3, 0x2222n);
    c.setX(5, 0x3333n);
    c.setX(4, 7n);
    c.runLoop(3);
    expect(c.getX(0)).toBe(0x1111n);
    expect(c.getX(2)).toBe(0n);
    expect(c.getX(4)).toBe(1n);
    expect(get64(m, DATA)).toBe(0x2222n);
  });

  it('STXR fails after CLREX (clearExclusive)', () => {
    const { m, c } = setup([LDAXR(2, 1, 0), STLXR(2, 2, 1, 3)]);
    put64(m, DATA, 0x5n);
    c.setX(1, D);
    c.setX(3, 0x6n);
    c.runLoop(1);
    expect(c.getX(0)).toBe(5n);
    clearExclusive(c);
    c.runLoop(1);
    expect(c.getX(2)).toBe(1n);
    expect(get32(m, DATA)).toBe(5);
  });

  it('STXR fails after an intervening store to the granule, and to a different address', () => {
    const { m, c } = setup([LDXR(3, 1, 0), STR(1, 6), STXR(3, 2, 1, 3), LDXR(3, 1, 0), STXR(3, 2, 7, 3)]);
    put64(m, DATA, 0x10n);
    c.setX(1, D);
    c.setX(6, 0x20n);
    c.setX(3, 0x30n);
    c.setX(7, D + 8n);
    c.runLoop(3);
    expect(c.getX(2)).toBe(1n);
    expect(get64(m, DATA)).toBe(0x20n);
    c.runLoop(2);
    expect(c.getX(2)).toBe(1n);
    expect(get64(m, DATA + 8)).toBe(0n);
  });

  it('byte/halfword exclusives zero-extend and store only their size', () => {
    const { m, c } = setup([LDXR(0, 1, 0), STXR(0, 2, 1, 3), LDXR(1, 4, 5), STXR(1, 6, 4, 3)]);
    fill(m, DATA, [0xfe, 0xaa, 0xbb, 0xcc]);
    c.setX(1, D);
    c.setX(4, D + 2n);
    c.setX(3, 0x12345678n);
    c.runLoop(4);
    expect(c.getX(0)).toBe(0xfen);
    expect(c.getX(5)).toBe(0xccbbn);
    expect(c.getX(2)).toBe(0n);
    expect(c.getX(6)).toBe(0n);
    expect(get32(m, DATA)).toBe(0x5678aa78);
  });

  it('LDXP/STXP (64-bit and 32-bit pairs)', () => {
    const { m, c } = setup([
      E.excl(3, 0, 1, 1, 31, 0, 2, 0, 1), // ldxp x1, x2, [x0]
      E.excl(3, 0, 0, 1, 5, 1, 4, 0, 3), // stlxp w5, x3, x4, [x0]
      E.excl(2, 0, 1, 1, 31, 1, 7, 0, 6), // ldaxp w6, w7, [x0]
      E.excl(2, 0, 0, 1, 8, 0, 2, 0, 1), // stxp w8, w1, w2, [x0]
    ]);
    put64(m, DATA, 0x1111111122222222n);
    put64(m, DATA + 8, 0x3333333344444444n);
    c.setX(0, D);
    c.setX(3, 0xaaaan);
    c.setX(4, 0xbbbbn);
    c.runLoop(4);
    expect(c.getX(1)).toBe(0x1111111122222222n);
    expect(c.getX(2)).toBe(0x3333333344444444n);
    expect(c.getX(5)).toBe(0n);
    expect(c.getX(6)).toBe(0xaaaan);
    expect(c.getX(7)).toBe(0n);
    expect(c.getX(8)).toBe(0n);
    expect(get64(m, DATA)).toBe(0x4444444422222222n);
    expect(get64(m, DATA + 8)).toBe(0xbbbbn);
  });

  it('misaligned exclusives take an alignment fault (EC 0x25, DFSC 0x21, FAR)', () => {
    const { c } = setup([LDXR(3, 1, 0)]);
    c.setX(1, D + 4n);
    c.runLoop(1);
    expect(trapped(c)).toBe(true);
    expect(esr(c) >>> 26).toBe(0x25);
    expect(esr(c) & 0x3f).toBe(0x21);
    expect(far(c)).toBe(D + 4n);
    // a 64-bit pair must be 16-byte aligned
    const r = setup([E.excl(3, 0, 1, 1, 31, 0, 2, 0, 1)]);
    r.c.setX(0, D + 8n);
    r.c.runLoop(1);
    expect(esr(r.c) & 0x3f).toBe(0x21);
  });

  it('SMP: a store by another CPU to the granule makes STXR fail', () => {
    const { m, c } = setup([LDXR(3, 1, 0), STXR(3, 2, 1, 3)], 2);
    const c1 = m.cpus[1];
    // CPU1 runs a plain store of the *same* value at CODE+0x100 (global monitor, not value compare)
    const prog1 = new Uint8Array(4);
    new DataView(prog1.buffer).setUint32(0, STR(1, 6), true);
    m.bus.loadBytes(DATA - 0x1000, prog1);
    c1.pc = D - 0x1000n;
    c1.setX(1, D + 8n); // same 64-byte granule, different word
    put64(m, DATA, 0x42n);
    c.setX(1, D);
    c.setX(3, 0x99n);
    c.runLoop(1);
    c1.runLoop(1);
    c.runLoop(1);
    expect(c.getX(2)).toBe(1n);
    expect(get64(m, DATA)).toBe(0x42n);
  });
});

describe('ldst: acquire/release', () => {
  it('LDAR/STLR/LDAPR of every size', () => {
    const { m, c } = setup([
      E.excl(3, 1, 1, 0, 31, 1, 31, 1, 0), // ldar x0, [x1]
      E.excl(0, 1, 1, 0, 31, 1, 31, 1, 2), // ldarb w2, [x1]
      E.excl(1, 1, 0, 0, 31, 1, 31, 3, 0), // stlrh w0, [x3]
      E.excl(2, 1, 0, 0, 31, 1, 31, 4, 0), // stlr w0, [x4]
      E.atomic(3, 1, 0, 31, 1, 4, 1, 5), // ldapr x5, [x1]
      E.atomic(0, 1, 0, 31, 1, 4, 1, 6), // ldaprb w6, [x1]
    ]);
    put64(m, DATA, 0x8877665544332211n);
    c.setX(1, D);
    c.setX(3, D + 0x10n);
    c.setX(4, D + 0x20n);
    c.runLoop(6);
    expect(c.getX(0)).toBe(0x8877665544332211n);
    expect(c.getX(2)).toBe(0x11n);
    expect(get64(m, DATA + 0x10)).toBe(0x2211n);
    expect(get64(m, DATA + 0x20)).toBe(0x44332211n);
    expect(c.getX(5)).toBe(0x8877665544332211n);
    expect(c.getX(6)).toBe(0x11n);
  });

  it('LDLAR/STLLR (FEAT_LOR) behave as LDAR/STLR', () => {
    const { m, c } = setup([
      E.excl(3, 1, 1, 0, 31, 0, 31, 1, 0), // ldlar x0, [x1]
      E.excl(2, 1, 0, 0, 31, 0, 31, 2, 0), // stllr w0, [x2]
    ]);
    put64(m, DATA, 0x0123456789abcdefn);
    c.setX(1, D);
    c.setX(2, D + 8n);
    c.runLoop(2);
    expect(c.getX(0)).toBe(0x0123456789abcdefn);
    expect(get64(m, DATA + 8)).toBe(0x89abcdefn);
  });

  it('LDAPUR/STLUR (FEAT_LRCPC2) load-acquire and store-release with an unscaled offset', () => {
    // stlur w0, [x1, #-4] ; ldapur w3, [x1, #-4] ; ldapursb x4, [x1, #-4] (opc=10 size=00)
    const { m, c } = setup([0x991fc020, 0x995fc023, 0x199fc024]);
    c.setX(0, 0x123456f0n);
    c.setX(1, D + 8n);
    c.runLoop(3);
    expect(get64(m, DATA) >> 32n).toBe(0x123456f0n);
    expect(c.getX(3)).toBe(0x123456f0n);
    expect(c.getX(4)).toBe(0xfffffffffffffff0n);
  });

  it('LDAPUR must be aligned (alignment fault)', () => {
    const { c } = setup([0x995fc023]); // ldapur w3, [x1, #-4]
    c.setX(1, D + 9n);
    c.runLoop(1);
    expect(trapped(c)).toBe(true);
    expect(esr(c) & 0x3f).toBe(0x21);
  });
});

describe('ldst: LSE atomics and CAS', () => {
  const ops: [string, number, bigint, bigint, bigint][] = [
    // name, o3:opc, memory, Rs, expected new memory (64-bit)
    ['LDADD', 0, 5n, 7n, 12n],
    ['LDCLR', 1, 0xffn, 0x0fn, 0xf0n],
    ['LDEOR', 2, 0xffn, 0x0fn, 0xf0n],
    ['LDSET', 3, 0xf0n, 0x0fn, 0xffn],
    ['LDSMAX', 4, -5n, 3n, 3n],
    ['LDSMIN', 5, -5n, 3n, -5n],
    ['LDUMAX', 6, -5n, 3n, -5n],
    ['LDUMIN', 7, -5n, 3n, 3n],
    ['SWP', 8, 1n, 2n, 2n],
  ];
  for (const [name, op, mem, rs, want] of ops) {
    it(`${name} (64-bit) returns the old value and updates memory`, () => {
      const { m, c } = setup([E.atomic(3, 1, 1, 2, op >> 3, op & 7, 1, 3)]);
      put64(m, DATA, mem);
      c.setX(1, D);
      c.setX(2, rs);
      c.runLoop(1);
      expect(c.getX(3)).toBe(BigInt.asUintN(64, mem));
      expect(get64(m, DATA)).toBe(BigInt.asUintN(64, want));
    });
  }

  it('sized atomics: byte/halfword/word wrap and compare at their size; ST* alias discards', () => {
    const { m, c } = setup([
      E.atomic(0, 0, 0, 2, 0, 0, 1, 3), // ldaddb w2, w3, [x1]
      E.atomic(1, 0, 0, 4, 0, 4, 5, 6), // ldsmaxh w4, w6, [x5]
      E.atomic(2, 0, 1, 7, 0, 7, 8, 31), // stuminl w7, [x8]
      E.atomic(2, 0, 0, 9, 0, 0, 8, 10), // ldadd w9, w10, [x8]
    ]);
    fill(m, DATA, [0xff, 0xee]);
    fill(m, DATA + 8, [0x00, 0x80]); // -32768
    put64(m, DATA + 16, 0xaaaaaaaa_00000010n);
    c.setX(1, D);
    c.setX(2, 0x102n);
    c.setX(5, D + 8n);
    c.setX(4, 0xffff0005n); // as halfword: 5
    c.setX(8, D + 16n);
    c.setX(7, 0x3n);
    c.setX(9, 0xfffffffdn);
    c.runLoop(4);
    expect(c.getX(3)).toBe(0xffn);
    expect(m.bus.peek(DATA, 2)).toEqual(Uint8Array.from([0x01, 0xee]));
    expect(c.getX(6)).toBe(0x8000n);
    expect(m.bus.peek(DATA + 8, 2)).toEqual(Uint8Array.from([0x05, 0x00]));
    expect(c.getX(10)).toBe(3n); // after STUMIN: min(0x10, 3) = 3
    expect(get64(m, DATA + 16)).toBe(0xaaaaaaaa_00000000n); // 3 + 0xfffffffd wraps at 32 bits
  });

  it('CAS succeeds on match, fails otherwise; Rs gets the old value', () => {
    const { m, c } = setup([
      E.excl(3, 1, 1, 1, 2, 1, 31, 1, 3), // casal x2, x3, [x1]
      E.excl(3, 1, 0, 1, 4, 0, 31, 1, 5), // cas x4, x5, [x1]
      E.excl(0, 1, 1, 1, 6, 0, 31, 7, 8), // casab w6, w8, [x7]
    ]);
    put64(m, DATA, 100n);
    fill(m, DATA + 8, [0x7f]);
    c.setX(1, D);
    c.setX(2, 100n);
    c.setX(3, 200n);
    c.setX(4, 100n); // stale: memory is 200 by then
    c.setX(5, 300n);
    c.setX(7, D + 8n);
    c.setX(6, 0xffffff7fn); // compared as a byte: 0x7f
    c.setX(8, 0x1n);
    c.runLoop(3);
    expect(c.getX(2)).toBe(100n);
    expect(c.getX(4)).toBe(200n);
    expect(get64(m, DATA)).toBe(200n);
    expect(c.getX(6)).toBe(0x7fn);
    expect(m.bus.peek(DATA + 8, 1)![0]).toBe(1);
  });

  it('CASP (64-bit pair) success and failure; odd registers are UNDEFINED', () => {
    const { m, c } = setup([
      E.excl(1, 0, 1, 1, 2, 1, 31, 6, 4), // caspal x2, x3, x4, x5, [x6]
      E.excl(0, 0, 0, 1, 8, 0, 31, 7, 10), // casp w8, w9, w10, w11, [x7]
    ]);
    put64(m, DATA, 1n);
    put64(m, DATA + 8, 2n);
    put64(m, DATA + 16, 0x0000000400000003n);
    c.setX(2, 1n);
    c.setX(3, 2n);
    c.setX(4, 0xaan);
    c.setX(5, 0xbbn);
    c.setX(6, D);
    c.setX(7, D + 16n);
    c.setX(8, 3n);
    c.setX(9, 5n); // mismatch in the second word
    c.setX(10, 0x77n);
    c.setX(11, 0x88n);
    c.runLoop(2);
    expect(get64(m, DATA)).toBe(0xaan);
    expect(get64(m, DATA + 8)).toBe(0xbbn);
    expect(c.getX(2)).toBe(1n);
    expect(c.getX(3)).toBe(2n);
    expect(get64(m, DATA + 16)).toBe(0x0000000400000003n);
    expect(c.getX(8)).toBe(3n);
    expect(c.getX(9)).toBe(4n);
    expect(A64.decode(E.excl(1, 0, 1, 1, 3, 1, 31, 6, 4)).name).toBe('UNDEF');
  });

  it('a faulting atomic leaves memory and registers unchanged (misaligned / unmapped)', () => {
    const { m, c } = setup([E.atomic(3, 0, 0, 2, 0, 0, 1, 3), E.atomic(3, 0, 0, 2, 0, 0, 4, 3)]);
    put64(m, DATA, 9n);
    c.setX(1, D + 4n);
    c.setX(2, 1n);
    c.setX(3, 0x55n);
    c.runLoop(1);
    expect(trapped(c)).toBe(true);
    expect(esr(c) & 0x3f).toBe(0x21);
    expect(c.getX(3)).toBe(0x55n);
    expect(get64(m, DATA)).toBe(9n);
    const r = setup([E.atomic(3, 0, 0, 2, 0, 0, 4, 3)]);
    r.c.setX(4, 0x100000000n);
    r.c.setX(3, 0x55n);
    r.c.runLoop(1);
    expect(esr(r.c) >>> 26).toBe(0x25);
    expect(esr(r.c) & 0x3f).toBe(0x10);
    expect(far(r.c)).toBe(0x100000000n);
    expect(r.c.getX(3)).toBe(0x55n);
  });
});

describe('ldst: SIMD&FP registers', () => {
  const vq = (c: { vreg: Uint32Array }, n: number) => Array.from(c.vreg.slice(4 * n, 4 * n + 4));
  it('LDR B/H/S/D/Q zero the rest of the register; STR stores its size', () => {
    const { m, c } = setup([
      E.ldstU(0, 1, 3, 0, 1, 0), // ldr q0, [x1]
      E.ldstU(3, 1, 1, 1, 1, 1), // ldr d1, [x1, #8]
      E.ldstU(2, 1, 1, 1, 1, 2), // ldr s2, [x1, #4]
      E.ldstU(1, 1, 1, 1, 1, 3), // ldr h3, [x1, #2]
      E.ldstU(0, 1, 1, 1, 1, 4), // ldr b4, [x1, #1]
      E.ldstU(0, 1, 2, 2, 1, 0), // str q0, [x1, #32]
      E.ldst9(3, 1, 0, 16, 3, 2, 1), // str d1, [x2, #16]!
      E.ldstR(2, 1, 0, 3, 3, 1, 1, 2), // str s2, [x1, x3, lsl #2]
      E.lit(2, 1, -8, 5), // ldr q5, .-32  (the program itself)
    ]);
    for (let i = 0; i < 16; i++) fill(m, DATA + i, [i + 1]);
    for (let i = 0; i < 4; i++) c.vreg.fill(0xffffffff, 4 + 4 * i, 8 + 4 * i);
    c.setX(1, D);
    c.setX(2, D + 0x40n);
    c.setX(3, 0x18n);
    c.runLoop(9);
    expect(vq(c, 0)).toEqual([0x04030201, 0x08070605, 0x0c0b0a09, 0x100f0e0d]);
    expect(vq(c, 1)).toEqual([0x0c0b0a09, 0x100f0e0d, 0, 0]);
    expect(vq(c, 2)).toEqual([0x08070605, 0, 0, 0]);
    expect(vq(c, 3)).toEqual([0x0403, 0, 0, 0]);
    expect(vq(c, 4)).toEqual([0x02, 0, 0, 0]);
    expect(get64(m, DATA + 40)).toBe(0x100f0e0d0c0b0a09n);
    expect(get64(m, DATA + 0x50)).toBe(0x100f0e0d0c0b0a09n);
    expect(c.getX(2)).toBe(D + 0x50n);
    expect(get32(m, DATA + 0x60)).toBe(0x08070605);
    expect(vq(c, 5)[0]).toBe(E.ldstU(0, 1, 3, 0, 1, 0));
  });

  it('SIMD&FP loads/stores check FP access first (before SP alignment); a trap changes nothing', () => {
    const { m, c } = setup([E.ldstU(0, 1, 3, 0, 31, 0), E.ldstU(0, 1, 2, 0, 1, 0)]); // ldr q0, [sp]; str q0, [x1]
    c.sp = D + 8n;
    c.sysSet(R_.SCTLR_EL3, c.sysGet(R_.SCTLR_EL3) | 8n); // SA
    c.sysSet(R_.CPTR_EL3, 1n << 10n); // TFP
    c.vreg[0] = 0xabc;
    c.runLoop(1);
    expect(trapped(c)).toBe(true);
    expect(esr(c) >>> 26).toBe(0x07);
    expect(c.vreg[0]).toBe(0xabc);
    c.sysSet(R_.CPTR_EL3, 0n);
    c.pc = BigInt(CODE); // back to the program
    c.runLoop(1);
    expect(esr(c) >>> 26).toBe(0x26); // now the SP alignment fault
    c.sysSet(R_.CPTR_EL3, 1n << 10n);
    c.pc = BigInt(CODE + 4);
    c.setX(1, D);
    put64(m, DATA, 0x5n);
    c.runLoop(1);
    expect(esr(c) >>> 26).toBe(0x07);
    expect(get64(m, DATA)).toBe(0x5n);
  });

  it('LDP/STP Q and D with writeback', () => {
    const { m, c } = setup([
      E.pair(2, 1, 3, 0, -2, 1, 31, 0), // stp q0, q1, [sp, #-32]!
      E.pair(2, 1, 1, 1, 2, 3, 31, 2), // ldp q2, q3, [sp], #32
      E.pair(1, 1, 2, 1, 1, 5, 31, 4), // ldp d4, d5, [sp, #8]
    ]);
    c.vreg.set([1, 2, 3, 4, 5, 6, 7, 8]);
    c.sp = D + 0x100n;
    put64(m, DATA + 0x108, 0x11n);
    put64(m, DATA + 0x110, 0x22n);
    c.runLoop(3);
    expect(get64(m, DATA + 0xe0)).toBe(0x0000000200000001n);
    expect(get64(m, DATA + 0xf8)).toBe(0x0000000800000007n);
    expect(vq(c, 2)).toEqual([1, 2, 3, 4]);
    expect(vq(c, 3)).toEqual([5, 6, 7, 8]);
    expect(c.sp).toBe(D + 0x100n);
    expect(vq(c, 4)).toEqual([0x11, 0, 0, 0]);
    expect(vq(c, 5)).toEqual([0x22, 0, 0, 0]);
  });
});

describe('ldst: unprivileged forms and CLREX', () => {
  /** translator stub: flat, Normal memory, every page privileged-only (EL0 access → permission fault) */
  function privOnly(c: import('../../src/cpu/cpu').Cpu): void {
    c.translator = {
      translate(lo: number, hi: number, _acc: number, unpriv: boolean, out: import('../../src/mmu/translate').TransOut): boolean {
        out.stage2 = false;
        out.s1ptw = false;
        out.external = false;
        out.targetEl = c.defaultSyncTarget();
        if (unpriv) {
          out.fsc = 0x0f; // permission fault, level 3
          return false;
        }
        out.pa = hi * 2 ** 32 + lo;
        out.device = false;
        out.canRead = out.canWrite = out.canExec = true;
        return true;
      },
      contextKey: () => 'priv-only',
    };
    c.contextChanged();
  }

  it('LDTR at EL1 is checked as EL0; with PSTATE.UAO, or at EL2/EL3, it is an ordinary load', () => {
    const ldtr = E.ldst9(3, 0, 1, 0, 2, 1, 0); // ldtr x0, [x1]
    for (const [el, uao, faults] of [[1, 0, true], [1, 1, false], [2, 0, false], [3, 0, false]] as const) {
      const { m, c } = setup([ldtr]);
      put64(m, DATA, 0x1234n);
      c.sysSet(R_.VBAR_EL1, BigInt(DATA + 0x800));
      c.sysSet(R_.VBAR_EL2, BigInt(DATA + 0x800));
      c.sysSet(R_.SCR_EL3, 1n); // NS: EL2 enabled, EL1 non-secure
      c.switchElSp(el, 1);
      c.uao = uao;
      privOnly(c);
      c.setX(1, D);
      c.runLoop(1);
      if (faults) {
        expect(c.el).toBe(1);
        expect(c.pc).toBe(BigInt(DATA + 0xa00));
        const e = Number(c.sysGet(R_.ESR_EL1));
        expect(e >>> 26).toBe(0x25);
        expect(e & 0x3f).toBe(0x0f);
        expect(c.getX(0)).toBe(0n);
      } else {
        expect(c.getX(0)).toBe(0x1234n);
      }
    }
  });

  const clrexDecodes = A64.decode(0xd503305f).name !== 'UNDEF';
  it.skipIf(!clrexDecodes)('STXR fails after the CLREX instruction', () => {
    const { m, c } = setup([LDXR(3, 1, 0), 0xd503305f, STXR(3, 2, 1, 3)]);
    put64(m, DATA, 1n);
    c.setX(1, D);
    c.setX(3, 2n);
    c.runLoop(3);
    expect(c.getX(2)).toBe(1n);
    expect(get64(m, DATA)).toBe(1n);
  });
});
