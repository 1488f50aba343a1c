// Block tier (src/cpu/blocks.ts): hot code run through generated block functions must leave exactly
// the state the plain interpreter leaves, for any budget split. The reference machine has a
// breakpoint hook that never fires, which keeps its run loop on the interpreter.
import { describe, it, expect } from 'vitest';
import { Machine } from '../../src/machine/machine';
import type { Cpu } from '../../src/cpu/cpu';
import { enc, RAM_BASE } from './dp-util';
import { BLOCK_THRESHOLD } from '../../src/cpu/blocks';

function machineWith(words: number[], init: Record<number, bigint>, interpreterOnly: boolean): Cpu {
  const m = new Machine({ ramMiB: 4 });
  const c = m.cpus[0];
  const b = new Uint8Array(words.length * 4);
  const dv = new DataView(b.buffer);
  words.forEach((w, i) => dv.setUint32(i * 4, w >>> 0, true));
  m.bus.loadBytes(RAM_BASE, b);
  for (const [r, v] of Object.entries(init)) c.setX(Number(r), v);
  c.pc = BigInt(RAM_BASE);
  if (interpreterOnly) c.bpCheck = () => false;
  return c;
}

function snapshot(c: Cpu) {
  const x: bigint[] = [];
  for (let i = 0; i < 8; i++) x.push(c.getX(i));
  return { x, pc: c.pc, nzcv: c.nzcv, icount: c.icount, el: c.el };
}

/** Run both machines with the same budgets and compare after every call. */
function compare(words: number[], init: Record<number, bigint>, budgets: number[]): Cpu {
  const a = machineWith(words, init, false);
  const ref = machineWith(words, init, true);
  for (const [k, n] of budgets.entries()) {
    const ra = a.runLoop(n);
    const rr = ref.runLoop(n);
    expect(ra, `call ${k}`).toBe(rr);
    expect(snapshot(a), `after call ${k} (budget ${n})`).toEqual(snapshot(ref));
  }
  return a;
}

// loop: add x1,x1,#1 ; add x2,x2,#3 ; subs x0,x0,#1 ; b.ne loop ; b .
const loop = [
  enc('ADD_imm', { s: 1, d: 1, n: 1, i: 1 }),
  enc('ADD_imm', { s: 1, d: 2, n: 2, i: 3 }),
  enc('SUBS_imm', { s: 1, d: 0, n: 0, i: 1 }),
  enc('B_cond', { c: 1, i: -3 }),
  enc('B', { i: 0 }),
];

describe('block tier', () => {
  it('a hot loop gives the interpreter state for every budget split', () => {
    // enough iterations for the entry to get hot (BLOCK_THRESHOLD), then budgets that split blocks
    const n = BLOCK_THRESHOLD + 500;
    const c = compare(loop, { 0: BigInt(n) }, [1, 7, 100, 333, 4, 4 * BLOCK_THRESHOLD, 1000, 3, 2, 999, 4 * n]);
    expect(c.getX(1)).toBe(BigInt(n));
    expect(c.getX(2)).toBe(BigInt(3 * n));
    // the loop really ran as a block
    const page = c.tlb.code.get(RAM_BASE / 4096)!;
    expect(page.blocks.some((b) => b !== undefined)).toBe(true);
  });

  it('a store into the running block (self-modifying code) behaves as in the interpreter', () => {
    // loop: add x1,x1,#1 ; add x2,x2,#3 ; subs x0,x0,#1 ; cmp x0,#250 ; b.ne skip ;
    //       str w5,[x6] (rewrites the second add) ; skip: cbnz x0, loop ; b .
    const newAdd = enc('ADD_imm', { s: 1, d: 2, n: 2, i: 7 });
    const words = [
      enc('ADD_imm', { s: 1, d: 1, n: 1, i: 1 }),
      enc('ADD_imm', { s: 1, d: 2, n: 2, i: 3 }),
      enc('SUBS_imm', { s: 1, d: 0, n: 0, i: 1 }),
      enc('SUBS_imm', { s: 1, d: 31, n: 0, i: 250 }),
      enc('B_cond', { c: 1, i: 2 }),
      enc('LDST_UIMM', { s: 2, o: 0, i: 0, n: 6, t: 5 }),
      enc('CBNZ', { s: 1, t: 0, i: -6 }),
      enc('B', { i: 0 }),
    ];
    // the loop gets hot (compiled) long before the store at x0 = 250 rewrites it
    const n = BLOCK_THRESHOLD + 500;
    const T = 6 * n;
    const init = { 0: BigInt(n), 5: BigInt(newAdd >>> 0), 6: BigInt(RAM_BASE + 4) };
    compare(words, init, [50, T / 2, 1000, 1000, T]);
    compare(words, init, [T - 3000, 17, 1000, 1000, 1000, T]);
    const c = compare(words, init, [...Array.from({ length: Math.ceil(T / 300) + 20 }, () => 300)]);
    expect(c.getX(1)).toBe(BigInt(n));
    expect(c.getX(0)).toBe(0n);
  });

  it('a 64-bit store over decoded code (two instructions at once) is executed as the new code', () => {
    // 0: add x1,x1,#1 ; add x2,x2,#1 ; cbnz x3, 24 ; movz x3,#1 ; str x5,[x6] ; b 0 ; 24: b .
    const words = [
      enc('ADD_imm', { s: 1, d: 1, n: 1, i: 1 }),
      enc('ADD_imm', { s: 1, d: 2, n: 2, i: 1 }),
      enc('CBNZ', { s: 1, t: 3, i: 4 }),
      0xd2800023, // movz x3, #1
      enc('LDST_UIMM', { s: 3, o: 0, i: 0, n: 6, t: 5 }), // str x5, [x6]
      enc('B', { i: -5 }),
      enc('B', { i: 0 }),
    ];
    const fresh = BigInt(enc('ADD_imm', { s: 1, d: 1, n: 1, i: 10 })) | (BigInt(enc('ADD_imm', { s: 1, d: 2, n: 2, i: 20 })) << 32n);
    const c = machineWith(words, { 5: fresh, 6: BigInt(RAM_BASE) }, false);
    c.runLoop(100);
    // first pass ran the old adds (1, 1); the second ran the stored ones (+10, +20)
    expect(c.getX(1)).toBe(11n);
    expect(c.getX(2)).toBe(21n);
    expect(c.pc).toBe(BigInt(RAM_BASE + 24));
  });

  it('an exception in the middle of a block stops it at the faulting instruction', () => {
    // loop: add x1,x1,#1 ; subs x0,x0,#1 ; b.ne loop ; ldr w3,[x7] (unmapped PA: external abort) ; b .
    const words = [
      enc('ADD_imm', { s: 1, d: 1, n: 1, i: 1 }),
      enc('SUBS_imm', { s: 1, d: 0, n: 0, i: 1 }),
      enc('B_cond', { c: 1, i: -2 }),
      enc('LDST_UIMM', { s: 2, o: 1, i: 0, n: 7, t: 3 }),
      enc('ADD_imm', { s: 1, d: 4, n: 4, i: 1 }),
      enc('B', { i: 0 }),
    ];
    const n = BLOCK_THRESHOLD + 100;
    const c = compare(words, { 0: BigInt(n), 7: 0x7000_0000_0000n }, [150, 3 * n, 150, 150]);
    expect(c.getX(4)).toBe(0n);
  });
});
