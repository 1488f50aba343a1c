// FEAT_FlagM (advertised in ID_AA64ISAR0_EL1.TS = 1): CFINV, RMIF, SETF8, SETF16.
import { describe, it, expect } from 'vitest';
import { Machine, RAM_BASE } from '../../src/machine/machine';

function run(words: number[], init: (m: Machine) => void) {
  const m = new Machine({ ramMiB: 16 });
  const b = new Uint8Array(words.length * 4);
  const dv = new DataView(b.buffer);
  words.forEach((w, i) => dv.setUint32(i * 4, w >>> 0, true));
  m.bus.loadBytes(RAM_BASE, b);
  const c = m.cpus[0];
  c.pc = BigInt(RAM_BASE);
  init(m);
  c.runLoop(words.length);
  return c;
}

describe('FEAT_FlagM', () => {
  it('CFINV inverts C only', () => {
    const c = run([0xd500401f], (m) => (m.cpus[0].nzcv = 0b1010));
    expect(c.nzcv).toBe(0b1000);
    expect(c.el).toBe(3); // no exception taken
    expect(c.pc).toBe(BigInt(RAM_BASE + 4));
  });

  it('RMIF rotates Xn and inserts the masked nibble into NZCV', () => {
    // rmif x1, #60, #0b0110 : ROR(x1, 60) low nibble = x1[63:60]
    const c = run([0xba000400 | (60 << 15) | (1 << 5) | 0b0110], (m) => {
      m.cpus[0].setX(1, 0xa000_0000_0000_0000n); // bits 63..60 = 1010
      m.cpus[0].nzcv = 0b1001;
    });
    // mask 0110 takes Z and C from 1010 -> Z=0, C=1; N and V keep 1 and 1
    expect(c.nzcv).toBe(0b1011);
  });

  it('SETF8/SETF16 set N, Z, V from the low byte/halfword and leave C', () => {
    const c8 = run([0x3a00080d | (2 << 5)], (m) => {
      m.cpus[0].setX(2, 0x180n); // bit 8 = 1, bit 7 = 1, low byte 0x80
      m.cpus[0].nzcv = 0b0010;
    });
    expect(c8.nzcv).toBe(0b1010); // N=1 Z=0 C=1(unchanged) V=bit8^bit7=0
    const c16 = run([0x3a00480d | (2 << 5)], (m) => {
      m.cpus[0].setX(2, 0x1_0000n); // low halfword 0, bit 16 = 1, bit 15 = 0
      m.cpus[0].nzcv = 0;
    });
    expect(c16.nzcv).toBe(0b0101); // N=0 Z=1 C=0 V=1
  });
});
