// Data processing (register): every row run in a Machine against BigInt reference formulas written
// from the Arm ARM pseudocode, over seeded random operands biased to edge values, plus hand cases
// (CRC check values, division corner cases, CLZ/CLS of 0, XZR/SP handling).
import { describe, it, expect } from 'vitest';
import {
  Runner, Rng, enc, fuzz, rget, rset, addWithCarry, shiftReg, extendReg, condHolds, uint, sint, mask, nzFlags,
  M64, type Fields,
} from './dp-util';

const r = new Runner();

function regs(rng: Rng, f: Fields, ...names: string[]): Fields {
  for (const n of names) f[n] = rng.int(8) === 0 ? 31 : rng.int(31);
  return f;
}
const width = (f: Fields) => (f.s === 0 ? 32 : 64);

describe('logical (shifted register)', () => {
  const rows = ['AND_sr', 'BIC_sr', 'ORR_sr', 'ORN_sr', 'EOR_sr', 'EON_sr', 'ANDS_sr', 'BICS_sr'];
  it('matches the pseudocode for every op, shift type (incl. ROR) and width', () => {
    const rng = new Rng(11);
    const bad = fuzz(r, rng, rows, 6000,
      (g) => {
        const s = g.int(2);
        const i = g.int(3) === 0 ? 0 : g.int(s || g.int(8) === 0 ? 64 : 32);
        return regs(g, { s, t: g.int(4), i }, 'd', 'n', 'm');
      },
      (st, f, row) => {
        const M = width(f);
        if (M === 32 && f.i >= 32) return 'undef';
        const op = row.slice(0, row.indexOf('_'));
        let b = shiftReg(rget(st, f.m), f.t, f.i, M);
        if (['BIC', 'ORN', 'EON', 'BICS'].includes(op)) b = uint(~b, M);
        const a = uint(rget(st, f.n), M);
        const res = op.startsWith('ORR') || op === 'ORN' ? a | b : op === 'EOR' || op === 'EON' ? a ^ b : a & b;
        rset(st, f.d, res);
        if (op === 'ANDS' || op === 'BICS') st.nzcv = nzFlags(res, M);
      });
    expect(bad).toEqual([]);
  });
});

describe('add/sub (shifted register)', () => {
  it('matches AddWithCarry; shift=11 and 32-bit imm6>=32 are UNDEFINED', () => {
    const rng = new Rng(12);
    const bad = fuzz(r, rng, ['ADD_sr', 'ADDS_sr', 'SUB_sr', 'SUBS_sr'], 6000,
      (g) => {
        const s = g.int(2);
        const i = g.int(3) === 0 ? 0 : g.int(s || g.int(8) === 0 ? 64 : 32);
        return regs(g, { s, t: g.int(4), i }, 'd', 'n', 'm');
      },
      (st, f, row) => {
        const M = width(f);
        if (f.t === 3 || (M === 32 && f.i >= 32)) return 'undef';
        const b = shiftReg(rget(st, f.m), f.t, f.i, M);
        const a = rget(st, f.n);
        const [res, nzcv] = row.startsWith('SUB') ? addWithCarry(a, uint(~b, M), 1, M) : addWithCarry(a, b, 0, M);
        rset(st, f.d, res);
        if (row.includes('S_')) st.nzcv = nzcv;
      });
    expect(bad).toEqual([]);
  });
});

describe('add/sub (extended register)', () => {
  it('matches ExtendReg + AddWithCarry incl. SP operands; imm3>4 is UNDEFINED', () => {
    const rng = new Rng(13);
    const bad = fuzz(r, rng, ['ADD_er', 'ADDS_er', 'SUB_er', 'SUBS_er'], 6000,
      (g) => regs(g, { s: g.int(2), o: g.int(8), i: g.int(8) === 0 ? 5 + g.int(3) : g.int(5) }, 'd', 'n', 'm'),
      (st, f, row) => {
        const M = width(f);
        if (f.i > 4) return 'undef';
        const flags = row.includes('S_');
        const b = extendReg(rget(st, f.m), f.o, f.i, M);
        const a = rget(st, f.n, true);
        const [res, nzcv] = row.startsWith('SUB') ? addWithCarry(a, uint(~b, M), 1, M) : addWithCarry(a, b, 0, M);
        rset(st, f.d, res, !flags);
        if (flags) st.nzcv = nzcv;
      });
    expect(bad).toEqual([]);
  });
  it('add sp, sp, w1, sxtw #3 and cmp x1, w2, uxtb', () => {
    let s = r.exec([enc('ADD_er', { s: 1, d: 31, n: 31, m: 1, o: 6, i: 3 })], { x: [0n, 0xfffffffen], sp: 0x1000n });
    expect(s.sp).toBe(0x1000n - 16n);
    s = r.exec([enc('SUBS_er', { s: 1, d: 31, n: 1, m: 2, o: 0, i: 0 })], { x: [0n, 0x42n, 0x1242n] });
    expect(s.nzcv).toBe(0b0110);
  });
});

describe('add/sub with carry', () => {
  it('ADC/ADCS/SBC/SBCS match AddWithCarry with PSTATE.C as carry-in', () => {
    const rng = new Rng(14);
    const bad = fuzz(r, rng, ['ADC', 'ADCS', 'SBC', 'SBCS'], 4000,
      (g) => regs(g, { s: g.int(2) }, 'd', 'n', 'm'),
      (st, f, row) => {
        const M = width(f);
        const cin = (st.nzcv >> 1) & 1;
        const b = uint(rget(st, f.m), M);
        const [res, nzcv] = addWithCarry(rget(st, f.n), row.startsWith('SBC') ? uint(~b, M) : b, cin, M);
        rset(st, f.d, res);
        if (row.endsWith('S')) st.nzcv = nzcv;
      });
    expect(bad).toEqual([]);
  });
  it('128-bit add and subtract chains', () => {
    // adds x0, x2, x4 ; adc x1, x3, x5 ; subs x6, x2, x4 ; sbc x7, x3, x5
    const a = (1n << 127n) - 1n, b = 1n;
    const s = r.exec(
      [
        enc('ADDS_sr', { s: 1, d: 0, n: 2, m: 4 }), enc('ADC', { s: 1, d: 1, n: 3, m: 5 }),
        enc('SUBS_sr', { s: 1, d: 6, n: 2, m: 4 }), enc('SBC', { s: 1, d: 7, n: 3, m: 5 }),
      ],
      { x: [0n, 0n, a & M64, a >> 64n, b & M64, b >> 64n] },
    );
    expect((s.x[1] << 64n) | s.x[0]).toBe(a + b);
    expect((s.x[7] << 64n) | s.x[6]).toBe(a - b);
  });
});

describe('conditional compare', () => {
  it('CCMN/CCMP (register and immediate) for every condition', () => {
    const rng = new Rng(15);
    const bad = fuzz(r, rng, ['CCMN_reg', 'CCMP_reg', 'CCMN_imm', 'CCMP_imm'], 4000,
      (g, row) => {
        const f: Fields = { s: g.int(2), c: g.int(16), v: g.int(16) };
        if (row.endsWith('imm')) f.i = g.int(32);
        return regs(g, f, ...(row.endsWith('imm') ? ['n'] : ['n', 'm']));
      },
      (st, f, row) => {
        const M = width(f);
        if (!condHolds(f.c, st.nzcv)) {
          st.nzcv = f.v;
          return;
        }
        const b = row.endsWith('imm') ? BigInt(f.i) : uint(rget(st, f.m), M);
        st.nzcv = row.startsWith('CCMP') ? addWithCarry(rget(st, f.n), uint(~b, M), 1, M)[1] : addWithCarry(rget(st, f.n), b, 0, M)[1];
      });
    expect(bad).toEqual([]);
  });
});

describe('conditional select', () => {
  it('CSEL/CSINC/CSINV/CSNEG for every condition', () => {
    const rng = new Rng(16);
    const bad = fuzz(r, rng, ['CSEL', 'CSINC', 'CSINV', 'CSNEG'], 4000,
      (g) => regs(g, { s: g.int(2), c: g.int(16) }, 'd', 'n', 'm'),
      (st, f, row) => {
        const M = width(f);
        let v: bigint;
        if (condHolds(f.c, st.nzcv)) v = uint(rget(st, f.n), M);
        else {
          const m = uint(rget(st, f.m), M);
          v = row === 'CSEL' ? m : row === 'CSINC' ? uint(m + 1n, M) : row === 'CSINV' ? uint(~m, M) : uint(-m, M);
        }
        rset(st, f.d, v);
      });
    expect(bad).toEqual([]);
  });
});

describe('multiply', () => {
  it('MADD/MSUB/SMADDL/SMSUBL/UMADDL/UMSUBL/SMULH/UMULH', () => {
    const rng = new Rng(17);
    const rows = ['MADD', 'MSUB', 'SMADDL', 'SMSUBL', 'UMADDL', 'UMSUBL', 'SMULH', 'UMULH'];
    const bad = fuzz(r, rng, rows, 6000,
      (g, row) => {
        const f: Fields = row === 'MADD' || row === 'MSUB' ? { s: g.int(2) } : {};
        return regs(g, f, ...(row.endsWith('MULH') ? ['d', 'n', 'm'] : ['d', 'n', 'm', 'a']));
      },
      (st, f, row) => {
        const n = rget(st, f.n), m = rget(st, f.m);
        let v: bigint;
        switch (row) {
          case 'MADD': case 'MSUB': {
            const M = width(f);
            const p = uint(n, M) * uint(m, M);
            v = uint(row === 'MADD' ? rget(st, f.a) + p : rget(st, f.a) - p, M);
            break;
          }
          case 'SMADDL': v = rget(st, f.a) + sint(n, 32) * sint(m, 32); break;
          case 'SMSUBL': v = rget(st, f.a) - sint(n, 32) * sint(m, 32); break;
          case 'UMADDL': v = rget(st, f.a) + uint(n, 32) * uint(m, 32); break;
          case 'UMSUBL': v = rget(st, f.a) - uint(n, 32) * uint(m, 32); break;
          case 'SMULH': v = (sint(n, 64) * sint(m, 64)) >> 64n; break;
          default: v = (n * m) >> 64n;
        }
        rset(st, f.d, uint(v, 64));
      });
    expect(bad).toEqual([]);
  });
});

describe('data processing (2 source)', () => {
  it('UDIV/SDIV/LSLV/LSRV/ASRV/RORV', () => {
    const rng = new Rng(18);
    const bad = fuzz(r, rng, ['UDIV', 'SDIV', 'LSLV', 'LSRV', 'ASRV', 'RORV'], 6000,
      (g) => regs(g, { s: g.int(2) }, 'd', 'n', 'm'),
      (st, f, row) => {
        const M = width(f);
        const n = uint(rget(st, f.n), M), m = uint(rget(st, f.m), M);
        let v: bigint;
        switch (row) {
          case 'UDIV': v = m === 0n ? 0n : n / m; break;
          case 'SDIV': v = m === 0n ? 0n : uint(sint(n, M) / sint(m, M), M); break;
          default: v = shiftReg(n, ['LSLV', 'LSRV', 'ASRV', 'RORV'].indexOf(row), Number(m % BigInt(M)), M);
        }
        rset(st, f.d, v);
      });
    expect(bad).toEqual([]);
  });
  it('64-bit division by every divisor size (halves fast path and the wide path)', () => {
    const rng = new Rng(21);
    const bad: string[] = [];
    for (let k = 0; k < 3000 && bad.length < 5; k++) {
      const a = rng.u64();
      let b = rng.u64();
      switch (k % 4) {
        case 0: b &= 0xffffffffn; break; // divisor < 2^32
        case 1: b = uint(-(b & 0xffffffffn), 64); break; // small negative divisor
        case 2: b = BigInt(1 + rng.int(16)); break;
      }
      const s = r.exec([enc('UDIV', { s: 1, d: 0, n: 1, m: 2 }), enc('SDIV', { s: 1, d: 3, n: 1, m: 2 })], { x: [0n, a, b] });
      const wu = b === 0n ? 0n : a / b;
      const ws = b === 0n ? 0n : uint(sint(a, 64) / sint(b, 64), 64);
      if (s.x[0] !== wu || s.x[3] !== ws) bad.push(`${a.toString(16)} / ${b.toString(16)}: udiv ${s.x[0].toString(16)} want ${wu.toString(16)}, sdiv ${s.x[3].toString(16)} want ${ws.toString(16)}`);
    }
    expect(bad).toEqual([]);
  });
  it('division corner cases', () => {
    const MIN64 = 1n << 63n;
    const s = r.exec(
      [
        enc('UDIV', { s: 1, d: 0, n: 1, m: 31 }), // x / 0 = 0
        enc('SDIV', { s: 1, d: 2, n: 3, m: 4 }), // INT64_MIN / -1 = INT64_MIN
        enc('SDIV', { s: 0, d: 5, n: 6, m: 4 }), // INT32_MIN / -1 = INT32_MIN (W, top zeroed)
        enc('SDIV', { s: 1, d: 7, n: 8, m: 9 }), // -7 / 2 = -3 (truncation)
        enc('UDIV', { s: 0, d: 10, n: 4, m: 9 }), // 0xffffffff / 2
        enc('SDIV', { s: 0, d: 11, n: 1, m: 31 }), // / 0
      ],
      { x: [0n, 12345n, 0n, MIN64, M64, 0n, 0x80000000n, 0n, uint(-7n, 64), 2n, 0n, 0n] },
    );
    expect(s.x[0]).toBe(0n);
    expect(s.x[2]).toBe(MIN64);
    expect(s.x[5]).toBe(0x80000000n);
    expect(s.x[7]).toBe(uint(-3n, 64));
    expect(s.x[10]).toBe(0x7fffffffn);
    expect(s.x[11]).toBe(0n);
  });
});

// reference CRC: reflected, bit at a time, no inversion (Arm ARM C6.2 CRC32B ... pseudocode)
function crcRef(poly: number, acc: number, val: bigint, bytes: number): number {
  let c = acc >>> 0;
  for (let i = 0; i < bytes * 8; i++) {
    const bit = Number((val >> BigInt(i)) & 1n);
    const lsb = (c ^ bit) & 1;
    c = c >>> 1;
    if (lsb) c = (c ^ poly) >>> 0;
  }
  return c >>> 0;
}

describe('CRC32 / CRC32C', () => {
  const rows = ['CRC32B', 'CRC32H', 'CRC32W', 'CRC32X', 'CRC32CB', 'CRC32CH', 'CRC32CW', 'CRC32CX'];
  it('match the bitwise reference for random operands', () => {
    const rng = new Rng(19);
    const bad = fuzz(r, rng, rows, 2000,
      (g) => regs(g, {}, 'd', 'n', 'm'),
      (st, f, row) => {
        const poly = row.startsWith('CRC32C') ? 0x82f63b78 : 0xedb88320;
        const bytes = { B: 1, H: 2, W: 4, X: 8 }[row.slice(-1)]!;
        rset(st, f.d, BigInt(crcRef(poly, Number(rget(st, f.n) & 0xffffffffn), rget(st, f.m), bytes)));
      });
    expect(bad).toEqual([]);
  });
  it('CRC32("123456789") = 0xCBF43926 and CRC32C = 0xE3069283, by instructions over the bytes', () => {
    const data = [...'123456789'].map((ch) => BigInt(ch.charCodeAt(0)));
    for (const [row, want] of [['CRC32B', 0xcbf43926n], ['CRC32CB', 0xe3069283n]] as const) {
      // w0 = ~0 ; then crc32b w0, w0, wK for each byte held in x1..x9 ; mvn w0, w0 (orn w0, wzr, w0)
      const prog = [enc('MOVN', { s: 0, d: 0, i: 0 })];
      for (let k = 1; k <= 9; k++) prog.push(enc(row, { d: 0, n: 0, m: k }));
      prog.push(enc('ORN_sr', { s: 0, d: 0, n: 31, m: 0 }));
      const s = r.exec(prog, { x: [0n, ...data] });
      expect(s.x[0]).toBe(want);
    }
    // the same with the 64-bit forms over "12345678" then a byte "9"
    const le = data.slice(0, 8).reduce((acc, b, i) => acc | (b << BigInt(8 * i)), 0n);
    for (const [x, b, want] of [['CRC32X', 'CRC32B', 0xcbf43926n], ['CRC32CX', 'CRC32CB', 0xe3069283n]] as const) {
      const s = r.exec(
        [enc('MOVN', { s: 0, d: 0, i: 0 }), enc(x, { d: 0, n: 0, m: 1 }), enc(b, { d: 0, n: 0, m: 2 }), enc('ORN_sr', { s: 0, d: 0, n: 31, m: 0 })],
        { x: [0n, le, data[8]] },
      );
      expect(s.x[0]).toBe(want);
    }
  });
});

describe('data processing (1 source)', () => {
  function bits(x: bigint, n: number): bigint[] {
    return Array.from({ length: n }, (_, i) => (x >> BigInt(i)) & 1n);
  }
  function revBytes(x: bigint, container: number, n: number): bigint {
    let out = 0n;
    for (let c = 0; c < n; c += container) {
      for (let b = 0; b < container / 8; b++) {
        const byte = (x >> BigInt(c + b * 8)) & 0xffn;
        out |= byte << BigInt(c + container - 8 - b * 8);
      }
    }
    return out;
  }
  it('RBIT/REV16/REV32/REV/CLZ/CLS', () => {
    const rng = new Rng(20);
    const rows = ['RBIT', 'REV16', 'REV_w', 'REV32', 'REV_x', 'CLZ', 'CLS'];
    const bad = fuzz(r, rng, rows, 4000,
      (g, row) => regs(g, ['REV_w', 'REV32', 'REV_x'].includes(row) ? {} : { s: g.int(2) }, 'd', 'n'),
      (st, f, row) => {
        const M = row === 'REV_w' ? 32 : row === 'REV32' || row === 'REV_x' ? 64 : width(f);
        const x = uint(rget(st, f.n), M);
        let v: bigint;
        switch (row) {
          case 'RBIT': v = bits(x, M).reduce((acc, b, i) => acc | (b << BigInt(M - 1 - i)), 0n); break;
          case 'REV16': v = revBytes(x, 16, M); break;
          case 'REV32': v = revBytes(x, 32, M); break;
          case 'REV_w': case 'REV_x': v = revBytes(x, M, M); break;
          case 'CLZ': { let k = 0; while (k < M && ((x >> BigInt(M - 1 - k)) & 1n) === 0n) k++; v = BigInt(k); break; }
          default: {
            const top = (x >> BigInt(M - 1)) & 1n;
            let k = 0;
            while (k < M - 1 && ((x >> BigInt(M - 2 - k)) & 1n) === top) k++;
            v = BigInt(k);
          }
        }
        rset(st, f.d, v);
      });
    expect(bad).toEqual([]);
  });
  it('CLZ/CLS of 0 and -1; REV of x', () => {
    const s = r.exec(
      [
        enc('CLZ', { s: 1, d: 0, n: 31 }), enc('CLZ', { s: 0, d: 1, n: 31 }),
        enc('CLS', { s: 1, d: 2, n: 31 }), enc('CLS', { s: 0, d: 3, n: 31 }),
        enc('CLS', { s: 1, d: 4, n: 10 }), enc('CLZ', { s: 1, d: 5, n: 10 }),
        enc('REV_x', { d: 6, n: 11 }), enc('REV_w', { d: 7, n: 11 }),
      ],
      { x: [0n, 0n, 0n, 0n, 0n, 0n, 0n, 0n, 0n, 0n, M64, 0x0102030405060708n] },
    );
    expect(s.x.slice(0, 6)).toEqual([64n, 32n, 63n, 31n, 63n, 0n]);
    expect(s.x[6]).toBe(0x0807060504030201n);
    expect(s.x[7]).toBe(0x08070605n);
    void mask;
  });
});
