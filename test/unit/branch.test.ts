// Branches: B, BL, B.cond (every condition against every NZCV), CBZ/CBNZ, TBZ/TBNZ, BR, BLR, RET,
// run in a Machine and checked against reference formulas; pointer-auth forms are UNDEFINED.
import { describe, it, expect } from 'vitest';
import { R } from '../../src/sysregs/table';
import { Runner, Rng, enc, fuzz, rget, rset, condHolds, uint, M64, RAM_BASE, type Fields } from './dp-util';

const r = new Runner();
const PC = BigInt(RAM_BASE);

describe('B / BL', () => {
  it('branches forward and backward; BL links the next address', () => {
    const rng = new Rng(31);
    const bad = fuzz(r, rng, ['B', 'BL'], 1000,
      (g) => ({ i: g.pick([0, 1, -1, 0x1ffffff, -0x2000000, g.int(1 << 26) - (1 << 25)]) }),
      (s, f, row) => {
        if (row === 'BL') rset(s, 30, PC + 4n);
        s.pc = uint(PC + BigInt(f.i) * 4n, 64);
      });
    expect(bad).toEqual([]);
  });
  it('targets below address 0 carry into the top half (code in flash at 0)', () => {
    expect(r.exec([enc('B', { i: -1 })], {}, 1, 0n).pc).toBe(M64 - 3n);
    expect(r.exec([enc('BL', { i: -0x2000000 })], {}, 1, 0n).pc).toBe(uint(-0x8000000n, 64));
    expect(r.exec([enc('B_cond', { c: 14, i: -2 })], {}, 1, 0n).pc).toBe(M64 - 7n);
    expect(r.exec([enc('CBZ', { s: 1, t: 31, i: -3 })], {}, 1, 0n).pc).toBe(M64 - 11n);
    expect(r.exec([enc('TBZ', { t: 31, i: -4 })], {}, 1, 0n).pc).toBe(M64 - 15n);
    const s = r.exec([enc('ADR', { d: 0, i: 3, j: 0x7ffff }), enc('ADRP', { d: 1, i: 3, j: 0x7ffff })], {}, 2, 0n);
    expect(s.x[0]).toBe(M64);
    expect(s.x[1]).toBe(uint(-4096n, 64));
  });
  it('a BL/RET round trip', () => {
    // bl +12 ; movz x1,#1 ; b +12 ; movz x2,#2 ; ret ; (end)
    const s = r.exec(
      [
        enc('BL', { i: 3 }), enc('MOVZ', { s: 1, d: 1, i: 1 }), enc('B', { i: 3 }),
        enc('MOVZ', { s: 1, d: 2, i: 2 }), enc('RET', { n: 30 }), enc('MOVZ', { s: 1, d: 3, i: 3 }),
      ],
      {}, 5,
    );
    expect(s.x[1]).toBe(1n);
    expect(s.x[2]).toBe(2n);
    expect(s.x[3]).toBe(0n);
    expect(s.x[30]).toBe(PC + 4n);
    expect(s.pc).toBe(PC + 20n);
  });
});

describe('B.cond', () => {
  it('every condition against every NZCV value', () => {
    for (let cond = 0; cond < 16; cond++) {
      for (let nzcv = 0; nzcv < 16; nzcv++) {
        const s = r.exec([enc('B_cond', { c: cond, i: -5 })], { nzcv }, 1);
        const want = condHolds(cond, nzcv) ? PC - 20n : PC + 4n;
        expect(s.pc, `cond=${cond} nzcv=${nzcv}`).toBe(want);
      }
    }
  });
  it('a counted loop: subs/b.ne runs the body n times', () => {
    // movz x0,#10 ; loop: add x1,x1,#3 ; subs x0,x0,#1 ; b.ne loop
    const prog = [enc('MOVZ', { s: 1, d: 0, i: 10 }), enc('ADD_imm', { s: 1, d: 1, n: 1, i: 3 }), enc('SUBS_imm', { s: 1, d: 0, n: 0, i: 1 }), enc('B_cond', { c: 1, i: -2 })];
    const s = r.exec(prog, {}, 1 + 30);
    expect(s.x[1]).toBe(30n);
    expect(s.x[0]).toBe(0n);
    expect(s.pc).toBe(PC + 16n);
  });
});

describe('CBZ / CBNZ / TBZ / TBNZ', () => {
  it('test the right width and bit', () => {
    const rng = new Rng(32);
    const bad = fuzz(r, rng, ['CBZ', 'CBNZ', 'TBZ', 'TBNZ'], 3000,
      (g, row) => {
        const f: Fields = { t: g.int(8) === 0 ? 31 : g.int(31) };
        if (row.startsWith('CB')) {
          f.s = g.int(2);
          f.i = g.int(1 << 19) - (1 << 18);
        } else {
          f.b = g.int(2);
          f.j = g.int(32);
          f.i = g.int(1 << 14) - (1 << 13);
        }
        return f;
      },
      (s, f, row) => {
        const v = rget(s, f.t);
        let taken: boolean;
        if (row.startsWith('CB')) {
          const z = uint(v, f.s ? 64 : 32) === 0n;
          taken = row === 'CBZ' ? z : !z;
        } else {
          const bit = (v >> BigInt(f.b * 32 + f.j)) & 1n;
          taken = row === 'TBZ' ? bit === 0n : bit === 1n;
        }
        if (taken) s.pc = uint(PC + BigInt(f.i) * 4n, 64);
      });
    expect(bad).toEqual([]);
  });
  it('edge values: only the top half set; bit 63; XZR', () => {
    const hiOnly = 0x100000000n;
    const cases: [number, bigint, bigint][] = [
      [enc('CBZ', { s: 0, t: 1, i: 4 }), hiOnly, PC + 16n], // W view is zero
      [enc('CBZ', { s: 1, t: 1, i: 4 }), hiOnly, PC + 4n],
      [enc('CBNZ', { s: 1, t: 1, i: 4 }), hiOnly, PC + 16n],
      [enc('TBNZ', { b: 1, j: 31, t: 1, i: 4 }), 1n << 63n, PC + 16n],
      [enc('TBZ', { b: 1, j: 31, t: 1, i: 4 }), 1n << 63n, PC + 4n],
      [enc('TBZ', { b: 0, j: 0, t: 31, i: -4 }), 0n, PC - 16n],
      [enc('CBZ', { s: 1, t: 31, i: 2 }), 0n, PC + 8n],
    ];
    for (const [w, v, pc] of cases) expect(r.exec([w], { x: [0n, v] }, 1).pc).toBe(pc);
  });
});

describe('BR / BLR / RET', () => {
  it('jump to the register; BLR links after reading the target', () => {
    const rng = new Rng(33);
    const bad = fuzz(r, rng, ['BR', 'BLR', 'RET'], 1000,
      (g) => ({ n: g.int(8) === 0 ? 31 : g.int(31) }),
      (s, f, row) => {
        s.pc = rget(s, f.n);
        if (row === 'BLR') rset(s, 30, PC + 4n);
      });
    expect(bad).toEqual([]);
    // blr x30: the old x30 is the target
    const s = r.exec([enc('BLR', { n: 30 })], { x: Object.assign(new Array(31).fill(0n), { 30: PC + 0x100n }) }, 1);
    expect(s.pc).toBe(PC + 0x100n);
    expect(s.x[30]).toBe(PC + 4n);
    expect(r.exec([enc('RET', { n: 2 })], { x: [0n, 0n, M64 - 3n] }, 1).pc).toBe(M64 - 3n);
  });
  it('a misaligned target in the same page takes a PC alignment fault (EC 0x22, FAR = target)', () => {
    for (const row of ['BR', 'BLR', 'RET']) {
      const s = r.exec([enc(row, { n: 1 }), enc('MOVZ', { s: 1, d: 2, i: 7 })], { x: [0n, PC + 6n] }, 2);
      expect(s.x[2], row).toBe(0n);
      expect(s.pc, row).toBe(0x200n);
      const esr = r.c.sysGet(R.ESR_EL3);
      expect(Number(esr >> 26n), row).toBe(0x22);
      expect(r.c.sysGet(R.FAR_EL3), row).toBe(PC + 6n);
    }
  });
  it('pointer-authentication branches with the keys disabled (SCTLR_EL3.EnIA/EnIB = 0) branch unauthenticated', () => {
    // FEAT_PAuth: behaviour with the keys enabled is in pauth.test.ts
    const x = Object.assign(new Array(31).fill(0n), { 0: PC + 0x40n, 1: PC + 0x80n, 30: PC + 0xc0n });
    const cases: [number, bigint, bigint | null][] = [
      [0xd61f081f /* braaz x0 */, PC + 0x40n, null],
      [0xd71f0820 /* braa x1, x0 */, PC + 0x80n, null],
      [0xd63f081f /* blraaz x0 */, PC + 0x40n, PC + 4n],
      [0xd65f0bff /* retaa */, PC + 0xc0n, null],
      [0xd65f0fff /* retab */, PC + 0xc0n, null],
    ];
    for (const [w, pc, lr] of cases) {
      const s = r.exec([w], { x }, 1);
      expect(s.el, w.toString(16)).toBe(3);
      expect(s.pc, w.toString(16)).toBe(pc);
      expect(s.x[30], w.toString(16)).toBe(lr ?? PC + 0xc0n);
    }
  });
});
