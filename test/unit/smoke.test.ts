import { describe, it, expect } from 'vitest';
import { Machine, RAM_BASE } from '../../src/machine/machine';

function words(...w: number[]): Uint8Array {
  const b = new Uint8Array(w.length * 4);
  new DataView(b.buffer).setUint32(0, 0);
  w.forEach((x, i) => new DataView(b.buffer).setUint32(i * 4, x >>> 0, true));
  return b;
}

describe('core smoke', () => {
  it('runs straight-line code and a loop from RAM', () => {
    const m = new Machine({ ramMiB: 16 });
    const c = m.cpus[0];
    // movz x1,#5 ; add x1,x1,#1 ; b .-4
    m.bus.loadBytes(RAM_BASE, words(0xd28000a1, 0x91000421, 0x17ffffff));
    c.pc = BigInt(RAM_BASE);
    c.runLoop(1 + 2 * 10);
    expect(c.getX(1)).toBe(15n);
    expect(c.icount).toBe(21);
  });
  it('takes UNDEFINED for an unallocated encoding', () => {
    const m = new Machine({ ramMiB: 16 });
    const c = m.cpus[0];
    m.bus.loadBytes(RAM_BASE, words(0x00000000));
    c.pc = BigInt(RAM_BASE);
    c.runLoop(1);
    expect(c.el).toBe(3);
    expect(c.pc).toBe(0x200n); // VBAR_EL3 = 0, current EL with SP_ELx, sync
  });
});
