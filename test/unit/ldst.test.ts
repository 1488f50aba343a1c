// Load/store class: every addressing mode and size of the GPR forms, pairs, writeback, literal.
import { describe, it, expect } from 'vitest';
import { E, setup, put64, get64, get32, fill, DATA, CODE, esr, far, trapped } from './ldst-helpers';
import { R } from '../../src/sysregs/table';
import { A64 } from '../../src/cpu/decode/a64.table';
import { dataAbortIss } from '../../src/cpu/exec/ldst-common';

const D = BigInt(DATA);

describe('ldst: single register', () => {
  it('LDR/STR X and W, unsigned offset', () => {
    const { m, c } = setup([
      E.ldstU(3, 0, 1, 2, 1, 0), // ldr x0, [x1, #16]
      E.ldstU(2, 0, 1, 5, 1, 2), // ldr w2, [x1, #20]
      E.ldstU(3, 0, 0, 4, 1, 0), // str x0, [x1, #32]
      E.ldstU(2, 0, 0, 10, 1, 2), // str w2, [x1, #40]
      E.ldstU(3, 0, 0, 6, 1, 31), // str xzr, [x1, #48]
    ]);
    put64(m, DATA + 16, 0x1122334455667788n);
    put64(m, DATA + 48, -1n);
    c.setX(1, D);
    c.setX(2, -1n);
    c.runLoop(5);
    expect(c.getX(0)).toBe(0x1122334455667788n);
    expect(c.getX(2)).toBe(0x11223344n); // W load zero-extends
    expect(get64(m, DATA + 32)).toBe(0x1122334455667788n);
    expect(get32(m, DATA + 40)).toBe(0x11223344);
    expect(get64(m, DATA + 48)).toBe(0n);
  });

  it('byte and halfword loads/stores with sign extension', () => {
    const { m, c } = setup([
      E.ldstU(0, 0, 1, 0, 1, 2), // ldrb w2, [x1]
      E.ldstU(0, 0, 2, 0, 1, 3), // ldrsb x3, [x1]
      E.ldstU(0, 0, 3, 0, 1, 4), // ldrsb w4, [x1]
      E.ldstU(1, 0, 1, 1, 1, 5), // ldrh w5, [x1, #2]
      E.ldstU(1, 0, 2, 1, 1, 6), // ldrsh x6, [x1, #2]
      E.ldstU(1, 0, 3, 1, 1, 7), // ldrsh w7, [x1, #2]
      E.ldstU(2, 0, 2, 1, 1, 8), // ldrsw x8, [x1, #4]
      E.ldstU(0, 0, 0, 8, 1, 6), // strb w6, [x1, #8]
      E.ldstU(1, 0, 0, 6, 1, 3), // strh w3, [x1, #12]
      E.ldstU(0, 0, 1, 9, 1, 9), // ldrb w9, [x1, #9]
    ]);
    fill(m, DATA, [0x80, 0, 0x34, 0x92, 0xff, 0xff, 0xff, 0xfe, 0x55, 0x66]);
    c.setX(1, D);
    c.setX(4, -1n);
    c.runLoop(10);
    expect(c.getX(2)).toBe(0x80n);
    expect(c.getX(3)).toBe(0xffffffffffffff80n);
    expect(c.getX(4)).toBe(0xffffff80n);
    expect(c.getX(5)).toBe(0x9234n);
    expect(c.getX(6)).toBe(0xffffffffffff9234n);
    expect(c.getX(7)).toBe(0xffff9234n);
    expect(c.getX(8)).toBe(0xfffffffffeffffffn);
    expect(m.bus.peek(DATA + 8, 1)![0]).toBe(0x34);
    expect(m.bus.peek(DATA + 12, 2)).toEqual(Uint8Array.from([0x80, 0xff]));
    expect(c.getX(9)).toBe(0x66n);
  });

  it('pre-index, post-index, unscaled and unprivileged forms', () => {
    const { m, c } = setup([
      E.ldst9(3, 0, 1, 8, 3, 1, 0), // ldr x0, [x1, #8]!
      E.ldst9(3, 0, 1, -8, 1, 2, 3), // ldr x3, [x2], #-8
      E.ldst9(3, 0, 1, -8, 0, 4, 5), // ldur x5, [x4, #-8]
      E.ldst9(2, 0, 0, 4, 3, 6, 5), // str w5, [x6, #4]!
      E.ldst9(0, 0, 2, -1, 1, 7, 8), // ldrsb x8, [x7], #-1
      E.ldst9(3, 0, 1, 16, 2, 4, 9), // ldtr x9, [x4, #16]
      E.ldst9(1, 0, 0, 2, 2, 4, 5), // sttrh w5, [x4, #2]
    ]);
    put64(m, DATA + 8, 0xaaaa0000bbbb1111n);
    put64(m, DATA + 0x100, 0x0123456789abcdefn);
    put64(m, DATA + 0x210, 0x5566n);
    c.setX(1, D);
    c.setX(2, D + 0x100n);
    c.setX(4, D + 0x200n);
    put64(m, DATA + 0x1f8, 0xcafef00dn);
    c.setX(6, D + 0x300n);
    c.setX(7, D + 0x400n);
    fill(m, DATA + 0x400, [0x81]);
    c.runLoop(7);
    expect(c.getX(0)).toBe(0xaaaa0000bbbb1111n);
    expect(c.getX(1)).toBe(D + 8n);
    expect(c.getX(3)).toBe(0x0123456789abcdefn);
    expect(c.getX(2)).toBe(D + 0xf8n);
    expect(c.getX(5)).toBe(0xcafef00dn);
    expect(c.getX(6)).toBe(D + 0x304n);
    expect(get32(m, DATA + 0x304)).toBe(0xcafef00d);
    expect(c.getX(8)).toBe(0xffffffffffffff81n);
    expect(c.getX(7)).toBe(D + 0x3ffn);
    expect(c.getX(9)).toBe(0x5566n);
    expect(get32(m, DATA + 0x200) >>> 16).toBe(0xf00d);
  });

  it('register offset with LSL/UXTW/SXTW/SXTX and scaling', () => {
    const { m, c } = setup([
      E.ldstR(3, 0, 1, 2, 3, 1, 1, 0), // ldr x0, [x1, x2, lsl #3]
      E.ldstR(2, 0, 1, 3, 2, 0, 1, 4), // ldr w4, [x1, w3, uxtw]
      E.ldstR(3, 0, 1, 5, 6, 1, 1, 6), // ldr x6, [x1, w5, sxtw #3]
      E.ldstR(1, 0, 1, 7, 7, 1, 1, 8), // ldrh w8, [x1, x7, sxtx #1]
      E.ldstR(3, 0, 0, 2, 3, 1, 1, 4), // str x4, [x1, x2, lsl #3]
      E.ldstR(3, 0, 2, 2, 3, 1, 1, 0), // prfm (register) – no effect
    ]);
    put64(m, DATA + 0x100 + 24, 0x1234n);
    put64(m, DATA + 0x100 + 40, 0x99999999n);
    put64(m, DATA + 0x100 - 16, 0x7777n);
    put64(m, DATA + 0x100 - 8, 0xabcdn);
    c.setX(1, D + 0x100n);
    c.setX(2, 3n);
    c.setX(3, 0xffffffff00000028n); // uxtw takes 0x28
    c.setX(5, 0x00000000fffffffen); // sxtw -2 → -16
    c.setX(7, -4n); // sxtx -4 << 1 = -8
    c.runLoop(6);
    expect(c.getX(0)).toBe(0x1234n);
    expect(c.getX(4)).toBe(0x99999999n);
    expect(c.getX(6)).toBe(0x7777n);
    expect(c.getX(8)).toBe(0xabcdn);
    expect(get64(m, DATA + 0x118)).toBe(0x99999999n);
  });

  it('literal loads (LDR W/X, LDRSW) and PRFM literal', () => {
    const { c } = setup([
      E.lit(1, 0, 4, 0), // ldr x0, .+16
      E.lit(0, 0, 3, 1), // ldr w1, .+12
      E.lit(2, 0, 3, 2), // ldrsw x2, .+12
      E.lit(3, 0, -3, 0), // prfm pldl1keep, .-12
      0xdeadbeef,
      0x01234567,
    ]);
    c.runLoop(4);
    expect(c.getX(0)).toBe(0x01234567deadbeefn);
    expect(c.getX(1)).toBe(0xdeadbeefn);
    expect(c.getX(2)).toBe(0x01234567n);
    expect(c.pc).toBe(BigInt(CODE + 16));
  });

  it('writeback with Rn == Rt: loads end with the written-back base, stores the old value', () => {
    const { m, c } = setup([
      E.ldst9(3, 0, 1, 8, 1, 1, 1), // ldr x1, [x1], #8
      E.ldst9(3, 0, 0, -8, 3, 2, 2), // str x2, [x2, #-8]!
    ]);
    put64(m, DATA, 0x5555n);
    c.setX(1, D);
    c.setX(2, D + 0x108n);
    c.runLoop(2);
    expect(c.getX(1)).toBe(D + 8n);
    expect(c.getX(2)).toBe(D + 0x100n);
    expect(get64(m, DATA + 0x100)).toBe(D + 0x108n);
  });

  it('PRFM/PRFUM never fault, even on unmapped addresses', () => {
    const { c } = setup([E.ldstU(3, 0, 2, 0, 1, 0), E.ldst9(3, 0, 2, -1, 0, 1, 0)]);
    c.setX(1, 0x100000000n);
    c.runLoop(2);
    expect(c.pc).toBe(BigInt(CODE + 8));
  });

  it('a load from an unmapped PA is a synchronous external abort with FAR set', () => {
    const { c } = setup([E.ldstU(3, 0, 1, 1, 1, 0)]); // ldr x0, [x1, #8]
    c.setX(1, 0x100000000n);
    c.setX(0, 0x77n);
    c.runLoop(1);
    expect(trapped(c)).toBe(true);
    const e = esr(c);
    expect(e >>> 26).toBe(0x25);
    expect(e & 0x3f).toBe(0x10);
    expect((e >>> 6) & 1).toBe(0); // WnR
    expect(far(c)).toBe(0x100000008n);
    expect(c.getX(0)).toBe(0x77n); // destination untouched
    expect(c.sysGet(R.ELR_EL3)).toBe(BigInt(CODE));
  });

  it('a store to an unmapped PA reports WnR=1 and a faulting writeback leaves the base', () => {
    const { c } = setup([E.ldst9(3, 0, 0, 16, 3, 1, 0)]); // str x0, [x1, #16]!
    c.setX(1, 0x100000000n);
    c.runLoop(1);
    expect(trapped(c)).toBe(true);
    expect((esr(c) >>> 6) & 1).toBe(1);
    expect(far(c)).toBe(0x100000010n);
    expect(c.getX(1)).toBe(0x100000000n);
  });

  it('SP base must be 16-byte aligned when SCTLR_EL3.SA is set', () => {
    const { m, c } = setup([E.ldstU(3, 0, 1, 0, 31, 0), E.ldstU(3, 0, 1, 0, 31, 0)]); // ldr x0, [sp] x2
    c.sp = D + 8n;
    put64(m, DATA + 8, 42n);
    c.runLoop(1); // SA clear: fine
    expect(c.getX(0)).toBe(42n);
    c.sysSet(R.SCTLR_EL3, c.sysGet(R.SCTLR_EL3) | 8n);
    c.setX(0, 0n);
    c.runLoop(1);
    expect(trapped(c)).toBe(true);
    expect(esr(c) >>> 26).toBe(0x26);
    expect(c.getX(0)).toBe(0n);
  });

  it('data-abort ISS: ISV/SAS/SSE/SRT/SF/AR only for single GPR accesses without writeback', () => {
    const iss = (w: number) => {
      const { c } = setup([]);
      c.curInsn = A64.decode(w);
      return dataAbortIss(c);
    };
    // ldrsh x6, [x1, #2]: ISV SAS=1 SSE SRT=6 SF
    expect(iss(E.ldstU(1, 0, 2, 1, 1, 6))).toBe((1 << 24) | (1 << 22) | (1 << 21) | (6 << 16) | (1 << 15));
    // strb w3, [x1, x2]
    expect(iss(E.ldstR(0, 0, 0, 2, 3, 0, 1, 3))).toBe((1 << 24) | (3 << 16));
    // ldtr w2, [x3, #4]
    expect(iss(E.ldst9(2, 0, 1, 4, 2, 3, 2))).toBe((1 << 24) | (2 << 22) | (2 << 16));
    // ldar x1, [x2]: AR
    expect(iss(E.excl(3, 1, 1, 0, 31, 1, 31, 2, 1))).toBe((1 << 24) | (3 << 22) | (1 << 16) | (1 << 15) | (1 << 14));
    // ldrsw x5, literal
    expect(iss(E.lit(2, 0, 4, 5))).toBe((1 << 24) | (2 << 22) | (1 << 21) | (5 << 16) | (1 << 15));
    // writeback, pairs, exclusives, atomics, SIMD&FP: ISV = 0
    expect(iss(E.ldst9(3, 0, 1, 8, 3, 1, 0))).toBe(0);
    expect(iss(E.pair(2, 0, 2, 1, 0, 2, 3, 1))).toBe(0);
    expect(iss(E.excl(3, 0, 1, 0, 31, 0, 31, 2, 1))).toBe(0);
    expect(iss(E.atomic(3, 0, 0, 1, 0, 0, 3, 2))).toBe(0);
    expect(iss(E.ldstU(3, 1, 1, 0, 1, 0))).toBe(0);
  });
});

describe('ldst: pairs', () => {
  it('LDP/STP X: offset, pre-index, post-index', () => {
    const { m, c } = setup([
      E.pair(2, 0, 3, 0, -2, 30, 31, 29), // stp x29, x30, [sp, #-16]!
      E.pair(2, 0, 2, 1, 0, 2, 31, 1), // ldp x1, x2, [sp]
      E.pair(2, 0, 1, 1, 2, 4, 31, 3), // ldp x3, x4, [sp], #16
      E.pair(2, 0, 2, 0, 4, 29, 5, 30), // stp x30, x29, [x5, #32]
    ]);
    c.sp = D + 0x100n;
    c.setX(29, 0x2929n);
    c.setX(30, 0x3030303030303030n);
    c.setX(5, D);
    c.runLoop(4);
    expect(get64(m, DATA + 0xf0)).toBe(0x2929n);
    expect(get64(m, DATA + 0xf8)).toBe(0x3030303030303030n);
    expect(c.getX(1)).toBe(0x2929n);
    expect(c.getX(2)).toBe(0x3030303030303030n);
    expect(c.getX(3)).toBe(0x2929n);
    expect(c.getX(4)).toBe(0x3030303030303030n);
    expect(c.sp).toBe(D + 0x100n);
    expect(get64(m, DATA + 32)).toBe(0x3030303030303030n);
    expect(get64(m, DATA + 40)).toBe(0x2929n);
  });

  it('LDP/STP W, LDPSW, LDNP/STNP', () => {
    const { m, c } = setup([
      E.pair(0, 0, 3, 0, 1, 2, 3, 1), // stp w1, w2, [x3, #4]!
      E.pair(0, 0, 1, 1, -1, 5, 3, 4), // ldp w4, w5, [x3], #-4
      E.pair(1, 0, 2, 1, 1, 7, 3, 6), // ldpsw x6, x7, [x3, #4]
      E.pair(2, 0, 0, 0, 2, 6, 3, 1), // stnp x1, x6, [x3, #16]
      E.pair(2, 0, 0, 1, 2, 9, 3, 8), // ldnp x8, x9, [x3, #16]
    ]);
    c.setX(1, 0xffffffff80000001n);
    c.setX(2, 0x12345678n);
    c.setX(3, D);
    c.setX(4, -1n);
    c.runLoop(5);
    expect(get32(m, DATA + 4)).toBe(0x80000001);
    expect(get32(m, DATA + 8)).toBe(0x12345678);
    expect(c.getX(4)).toBe(0x80000001n);
    expect(c.getX(5)).toBe(0x12345678n);
    expect(c.getX(3)).toBe(D);
    expect(c.getX(6)).toBe(0xffffffff80000001n);
    expect(c.getX(7)).toBe(0x12345678n);
    expect(c.getX(8)).toBe(0xffffffff80000001n);
    expect(c.getX(9)).toBe(0xffffffff80000001n);
  });

  it('LDP with writeback and Rn == Rt ends with the written-back base; a fault on the second word changes nothing', () => {
    const { m, c } = setup([
      E.pair(2, 0, 1, 1, 2, 2, 1, 1), // ldp x1, x2, [x1], #16
      E.pair(2, 0, 3, 1, 1, 4, 5, 3), // ldp x3, x4, [x5, #8]!  (second word unmapped)
    ]);
    put64(m, DATA, 1n);
    put64(m, DATA + 8, 2n);
    c.setX(1, D);
    c.setX(5, BigInt(m.bus.ramBase + m.bus.ramSize - 16));
    put64(m, m.bus.ramBase + m.bus.ramSize - 8, 0x33n);
    c.runLoop(2);
    expect(c.getX(1)).toBe(D + 16n);
    expect(c.getX(2)).toBe(2n);
    expect(trapped(c)).toBe(true);
    expect(far(c)).toBe(BigInt(m.bus.ramBase + m.bus.ramSize));
    expect(c.getX(3)).toBe(0n);
    expect(c.getX(5)).toBe(BigInt(m.bus.ramBase + m.bus.ramSize - 16));
  });

  it('CONSTRAINED UNPREDICTABLE pair forms behave as QEMU: LDP Rt == Rt2 keeps the first word, STP Rn == Rt stores the old base', () => {
    const { m, c } = setup([
      E.pair(2, 0, 2, 1, 0, 10, 7, 10), // ldp x10, x10, [x7]
      E.pair(2, 0, 3, 0, -2, 11, 11, 11), // stp x11, x11, [x11, #-16]!
      E.pair(2, 0, 3, 1, 2, 8, 2, 2), // ldp x2, x8, [x2, #16]!
    ]);
    put64(m, DATA, 0x1111n);
    put64(m, DATA + 8, 0x2222n);
    put64(m, DATA + 0x210, 0x3333n);
    c.setX(7, D);
    c.setX(11, D + 0x100n);
    c.setX(2, D + 0x200n);
    c.runLoop(3);
    expect(c.getX(10)).toBe(0x1111n);
    expect(c.getX(11)).toBe(D + 0xf0n);
    expect(get64(m, DATA + 0xf0)).toBe(D + 0x100n);
    expect(get64(m, DATA + 0xf8)).toBe(D + 0x100n);
    expect(c.getX(2)).toBe(D + 0x210n);
  });

  it('unallocated pair and single encodings are UNDEFINED', () => {
    expect(A64.match(E.pair(3, 0, 2, 1, 0, 2, 3, 1))).toBeDefined(); // matches the row...
    for (const w of [E.pair(3, 0, 2, 1, 0, 2, 3, 1), E.pair(1, 0, 2, 0, 0, 2, 3, 1), E.ldstU(2, 0, 3, 0, 1, 0), E.ldst9(3, 0, 2, 0, 1, 1, 0)]) {
      const { c } = setup([w]);
      c.runLoop(1);
      expect(trapped(c)).toBe(true);
      expect(esr(c) >>> 26).toBe(0);
    }
  });
});
