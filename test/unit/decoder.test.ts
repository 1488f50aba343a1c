// The A64 decode table as a whole (generic over A64_ROWS, so it covers every class's rows):
//  1. every row decodes its own canonical encoding (fields zero, all ones, or a seeded random fill
//     that its compile() accepts) to that row's name;
//  2. the set of pattern-overlapping row pairs equals the declared list below (an overlap is only
//     fine where a more specific row deliberately carves out of a wider one);
//  3. unallocated encodings of the integer classes decode as UNDEFINED;
//  4. (with GNU as) real assembler output decodes to the expected row, and our test encoder agrees
//     with the assembler bit for bit.
import { describe, it, expect } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { A64_ROWS, A64 } from '../../src/cpu/decode/a64.table';
import { compileRow } from '../../src/cpu/decode/decoder';
import { enc, hasTool, Rng } from './dp-util';

/**
 * Row pairs whose bit patterns overlap on purpose ("A ~ B", names sorted). The decoder tries the row
 * with more fixed bits first (and falls through when compile() returns false), so a carve-out only
 * needs more fixed bits. Add a pair here when you add such a row.
 */
const DECLARED_OVERLAPS: string[] = [
];

/** The SIMD&FP catch-all rows (src/cpu/exec/fp-simd.ts): they cover the whole SIMD&FP encoding space
 * with the fewest fixed bits, so that whatever no real row claims is UNDEFINED; every SIMD&FP row
 * overlaps them by design, and their "own" encodings belong to real rows. */
const CATCH_ALL = ['FP_SIMD_0111', 'FP_SIMD_1111'];

/** Rows that cannot decode on their own: the catch-alls. */
const NO_CANONICAL: string[] = [...CATCH_ALL];

const rows = A64_ROWS.map(compileRow);

function fill(r: ReturnType<typeof compileRow>, pick: (len: number) => number): number {
  let w = r.value;
  for (const [, bits] of r.fields) {
    const v = pick(bits.length);
    bits.forEach((b, i) => {
      if (Math.floor(v / 2 ** (bits.length - 1 - i)) & 1) w |= 1 << b;
    });
  }
  // don't-care bits: leave zero
  return w >>> 0;
}

describe('A64 decode table', () => {
  it('every row decodes its own canonical encoding', () => {
    // A row owns a candidate encoding when it is the first pattern match (A64.match). If its
    // compile() then accepts the encoding, decode() must report the row's name. Rows whose compile()
    // rejects every sampled encoding (e.g. SYS/MRS gated by the system-register table) only need
    // the pattern-level ownership; they are listed in the log.
    const rng = new Rng(77);
    const failures: string[] = [];
    const gated: string[] = [];
    for (const r of rows) {
      const cands = [fill(r, () => 0), fill(r, (n) => 2 ** n - 1)];
      for (let k = 0; k < 300; k++) cands.push(fill(r, (n) => (n >= 31 ? rng.u32() : rng.u32() % 2 ** n)));
      if (cands.some((w) => A64.decode(w).name === r.name)) continue;
      const owned = cands.filter((w) => A64.match(w) === r.name);
      if (owned.length > 0) {
        gated.push(r.name);
        continue;
      }
      if (!NO_CANONICAL.includes(r.name)) {
        failures.push(`${r.name}: encoding ${cands[0].toString(16)} matches ${A64.match(cands[0])}, decodes as ${A64.decode(cands[0]).name}`);
      }
    }
    if (gated.length) console.log(`decoder.test: rows whose compile() rejected every sampled encoding: ${gated.join(', ')}`);
    expect(failures).toEqual([]);
  });

  it('overlapping patterns are exactly the declared ones', () => {
    const found = new Set<string>();
    for (let i = 0; i < rows.length; i++) {
      for (let j = i + 1; j < rows.length; j++) {
        const a = rows[i], b = rows[j];
        if (CATCH_ALL.includes(a.name) || CATCH_ALL.includes(b.name)) continue;
        if ((((a.value ^ b.value) & a.mask & b.mask) >>> 0) === 0) found.add([a.name, b.name].sort().join(' ~ '));
      }
    }
    expect([...found].sort()).toEqual([...DECLARED_OVERLAPS].sort());
  });

  it('row names are unique', () => {
    const seen = new Map<string, number>();
    for (const r of rows) seen.set(r.name, (seen.get(r.name) ?? 0) + 1);
    expect([...seen].filter(([, n]) => n > 1).map(([k]) => k)).toEqual([]);
  });

  it('unallocated integer encodings are UNDEFINED', () => {
    const undef: [string, number][] = [
      ['add x0, x1, x2, ror #0 (shift=11)', enc('ADD_sr', { s: 1 }) | (3 << 22)],
      ['add w0, w1, w2, lsl #32', enc('ADD_sr', { s: 0, i: 32 })],
      ['and w0, w1, w2, lsl #32', enc('AND_sr', { s: 0, i: 32 })],
      ['add x0, x1, w2, uxtw #5', enc('ADD_er', { s: 1, o: 2, i: 5 })],
      ['add/sub extended opt=01', enc('ADD_er', { s: 1 }) | (1 << 22)],
      ['and w0, w1, #imm with N=1', enc('AND_imm', { s: 0, N: 1, S: 0 })],
      ['orr x0, x1, #all-ones (reserved bitmask)', enc('ORR_imm', { s: 1, N: 1, S: 63 })],
      ['orr x0, x1, #(N=0 imms=111111)', enc('ORR_imm', { s: 1, N: 0, S: 63 })],
      ['movz w0, #0, lsl #32', enc('MOVZ', { s: 0, h: 2 })],
      ['movk w0, #0, lsl #48', enc('MOVK', { s: 0, h: 3 })],
      ['sbfm x0 with N=0', enc('SBFM', { s: 1, N: 0 })],
      ['ubfm w0 with immr=32', enc('UBFM', { s: 0, R: 32 })],
      ['bfm w0 with imms=32', enc('BFM', { s: 0, S: 32 })],
      ['extr w0 with lsb=32', enc('EXTR', { s: 0, l: 32 })],
      ['extr x0 with N=0', enc('EXTR', { s: 1, N: 0 })],
      ['crc32x with sf=0', enc('CRC32X', {}) & 0x7fffffff],
      ['crc32b with sf=1', (enc('CRC32B', {}) | 0x80000000) >>> 0],
      ['rev (opc=11) with sf=0', enc('REV_x', {}) & 0x7fffffff],
      ['smulh with sf=0', enc('SMULH', {}) & 0x7fffffff],
      ['smaddl with sf=0', enc('SMADDL', {}) & 0x7fffffff],
      ['ccmp with o2=1', enc('CCMP_reg', { s: 1 }) | (1 << 10)],
      ['ccmp with o3=1', enc('CCMP_reg', { s: 1 }) | (1 << 4)],
      ['csel with S=1', enc('CSEL', { s: 1 }) | (1 << 29)],
      ['csel with op2=1x', enc('CSEL', { s: 1 }) | (1 << 11)],
      ['adc with non-zero bits 15:10', enc('ADC', { s: 1 }) | (1 << 10)],
      ['data-processing 2-source opcode 000000', enc('UDIV', { s: 1 }) & ~(0x3f << 10)],
      // FEAT_PAuth carve-outs (PACIA etc. themselves decode: see 'pointer-authentication encodings')
      ['paciza x0 with Rn != 31', (enc('RBIT', { s: 1 }) | (1 << 16) | (0b001000 << 10) | (1 << 5)) >>> 0],
      ['data-processing 1-source opcode2=00001 opcode 010010', (enc('RBIT', { s: 1 }) | (1 << 16) | (0b010010 << 10)) >>> 0],
      ['pacia with sf=0', enc('RBIT', { s: 0 }) | (1 << 16)],
      ['b.cond with bit 4 set (BC.cond, FEAT_HBC)', enc('B_cond', {}) | 0x10],
      ['rmif with o2=1', 0xba000410],
      ['setf8 with a mask other than 1101', 0x3a00080c],
      ['braaz x0 with Rm != 31', 0xd61f0800],
      ['retaa with Rn != 31', 0xd65f0b1f],
      ['eretaa with Rn != 31', 0xd69f0bdf],
    ];
    const bad = undef.filter(([, w]) => A64.decode(w).name !== 'UNDEF').map(([n, w]) => `${n} (${w.toString(16)}) decodes as ${A64.decode(w).name}`);
    expect(bad).toEqual([]);
  });

  it('pointer-authentication encodings decode (FEAT_PAuth, once UNDEFINED here)', () => {
    const pac: [string, number, string][] = [
      ['pacia x0, x0', (enc('RBIT', { s: 1 }) | (1 << 16)) >>> 0, 'PAC_AUT'],
      ['braaz x0', 0xd61f081f, 'BRA_Z'],
      ['retaa', 0xd65f0bff, 'RETA'],
      ['eretaa', 0xd69f0bff, 'ERETA'],
    ];
    expect(pac.map(([n, w]) => [n, A64.decode(w).name])).toEqual(pac.map(([n, , r]) => [n, r]));
  });
});

const AS = 'aarch64-linux-gnu-as';
const OBJCOPY = 'aarch64-linux-gnu-objcopy';
const haveAs = hasTool(AS) && hasTool(OBJCOPY);
if (!haveAs) console.log(`decoder.test: skipping GNU as cross-check: ${AS}/${OBJCOPY} not installed`);

/** [assembly, expected row, our encoding of it (or null to check the row name only)] */
const ASM: [string, string, number | null][] = [
  ['adr x3, .+0x100', 'ADR', enc('ADR', { d: 3, i: 0, j: 0x40 })],
  ['adrp x4, .+0x3000', 'ADRP', null], // page offset is left to a relocation
  ['add x1, sp, #4095', 'ADD_imm', enc('ADD_imm', { s: 1, d: 1, n: 31, i: 4095 })],
  ['add w1, w2, #1, lsl #12', 'ADD_imm', enc('ADD_imm', { s: 0, d: 1, n: 2, h: 1, i: 1 })],
  ['adds x1, x2, #7', 'ADDS_imm', enc('ADDS_imm', { s: 1, d: 1, n: 2, i: 7 })],
  ['sub sp, sp, #16', 'SUB_imm', enc('SUB_imm', { s: 1, d: 31, n: 31, i: 16 })],
  ['cmp w3, #5', 'SUBS_imm', enc('SUBS_imm', { s: 0, d: 31, n: 3, i: 5 })],
  ['and x0, x1, #0xff', 'AND_imm', enc('AND_imm', { s: 1, N: 1, R: 0, S: 7, d: 0, n: 1 })],
  ['orr w0, wzr, #0x55555555', 'ORR_imm', enc('ORR_imm', { s: 0, N: 0, R: 0, S: 0x3c, d: 0, n: 31 })],
  ['eor x2, x3, #0xfffffffffffffff0', 'EOR_imm', enc('EOR_imm', { s: 1, N: 1, R: 60, S: 59, d: 2, n: 3 })],
  ['tst x5, #0x8000000000000000', 'ANDS_imm', enc('ANDS_imm', { s: 1, N: 1, R: 1, S: 0, d: 31, n: 5 })],
  ['movn x1, #0x1234, lsl #16', 'MOVN', enc('MOVN', { s: 1, h: 1, i: 0x1234, d: 1 })],
  ['movz w2, #0xffff', 'MOVZ', enc('MOVZ', { s: 0, i: 0xffff, d: 2 })],
  ['movk x3, #0xbeef, lsl #48', 'MOVK', enc('MOVK', { s: 1, h: 3, i: 0xbeef, d: 3 })],
  ['asr x1, x2, #3', 'SBFM', enc('SBFM', { s: 1, N: 1, R: 3, S: 63, d: 1, n: 2 })],
  ['sxtw x1, w2', 'SBFM', enc('SBFM', { s: 1, N: 1, R: 0, S: 31, d: 1, n: 2 })],
  ['bfi w1, w2, #8, #4', 'BFM', enc('BFM', { s: 0, N: 0, R: 24, S: 3, d: 1, n: 2 })],
  ['lsl x1, x2, #5', 'UBFM', enc('UBFM', { s: 1, N: 1, R: 59, S: 58, d: 1, n: 2 })],
  ['ubfx w1, w2, #3, #7', 'UBFM', enc('UBFM', { s: 0, N: 0, R: 3, S: 9, d: 1, n: 2 })],
  ['extr x1, x2, x3, #17', 'EXTR', enc('EXTR', { s: 1, N: 1, m: 3, l: 17, n: 2, d: 1 })],
  ['ror w1, w2, #9', 'EXTR', enc('EXTR', { s: 0, N: 0, m: 2, l: 9, n: 2, d: 1 })],
  ['and x1, x2, x3, lsl #4', 'AND_sr', enc('AND_sr', { s: 1, t: 0, i: 4, d: 1, n: 2, m: 3 })],
  ['bic w1, w2, w3, lsr #31', 'BIC_sr', enc('BIC_sr', { s: 0, t: 1, i: 31, d: 1, n: 2, m: 3 })],
  ['mov x1, x2', 'ORR_sr', enc('ORR_sr', { s: 1, d: 1, n: 31, m: 2 })],
  ['orn x1, x2, x3, ror #63', 'ORN_sr', enc('ORN_sr', { s: 1, t: 3, i: 63, d: 1, n: 2, m: 3 })],
  ['eor w1, w2, w3, asr #2', 'EOR_sr', enc('EOR_sr', { s: 0, t: 2, i: 2, d: 1, n: 2, m: 3 })],
  ['eon x1, x2, x3', 'EON_sr', enc('EON_sr', { s: 1, d: 1, n: 2, m: 3 })],
  ['tst w2, w3', 'ANDS_sr', enc('ANDS_sr', { s: 0, d: 31, n: 2, m: 3 })],
  ['bics x1, x2, x3', 'BICS_sr', enc('BICS_sr', { s: 1, d: 1, n: 2, m: 3 })],
  ['add x1, x2, x3, asr #7', 'ADD_sr', enc('ADD_sr', { s: 1, t: 2, i: 7, d: 1, n: 2, m: 3 })],
  ['adds w1, w2, w3', 'ADDS_sr', enc('ADDS_sr', { s: 0, d: 1, n: 2, m: 3 })],
  ['neg x1, x3', 'SUB_sr', enc('SUB_sr', { s: 1, d: 1, n: 31, m: 3 })],
  ['cmp x2, x3, lsl #1', 'SUBS_sr', enc('SUBS_sr', { s: 1, i: 1, d: 31, n: 2, m: 3 })],
  ['add sp, sp, x3', 'ADD_er', enc('ADD_er', { s: 1, o: 3, d: 31, n: 31, m: 3 })],
  ['add x1, x2, w3, sxtw #2', 'ADD_er', enc('ADD_er', { s: 1, o: 6, i: 2, d: 1, n: 2, m: 3 })],
  ['adds w1, w2, w3, uxtb', 'ADDS_er', enc('ADDS_er', { s: 0, o: 0, d: 1, n: 2, m: 3 })],
  ['sub x1, sp, w3, uxth #4', 'SUB_er', enc('SUB_er', { s: 1, o: 1, i: 4, d: 1, n: 31, m: 3 })],
  ['cmp sp, x3, sxtx', 'SUBS_er', enc('SUBS_er', { s: 1, o: 7, d: 31, n: 31, m: 3 })],
  ['adc x1, x2, x3', 'ADC', enc('ADC', { s: 1, d: 1, n: 2, m: 3 })],
  ['adcs w1, w2, w3', 'ADCS', enc('ADCS', { s: 0, d: 1, n: 2, m: 3 })],
  ['sbc x1, x2, x3', 'SBC', enc('SBC', { s: 1, d: 1, n: 2, m: 3 })],
  ['ngcs w1, w3', 'SBCS', enc('SBCS', { s: 0, d: 1, n: 31, m: 3 })],
  ['ccmn x1, x2, #3, eq', 'CCMN_reg', enc('CCMN_reg', { s: 1, n: 1, m: 2, v: 3, c: 0 })],
  ['ccmp w1, w2, #15, hi', 'CCMP_reg', enc('CCMP_reg', { s: 0, n: 1, m: 2, v: 15, c: 8 })],
  ['ccmn w1, #31, #0, lt', 'CCMN_imm', enc('CCMN_imm', { s: 0, n: 1, i: 31, v: 0, c: 11 })],
  ['ccmp x1, #4, #8, ne', 'CCMP_imm', enc('CCMP_imm', { s: 1, n: 1, i: 4, v: 8, c: 1 })],
  ['csel x1, x2, x3, ge', 'CSEL', enc('CSEL', { s: 1, d: 1, n: 2, m: 3, c: 10 })],
  ['cset w1, eq', 'CSINC', enc('CSINC', { s: 0, d: 1, n: 31, m: 31, c: 1 })],
  ['csinv x1, x2, x3, al', 'CSINV', enc('CSINV', { s: 1, d: 1, n: 2, m: 3, c: 14 })],
  ['cneg w1, w2, mi', 'CSNEG', enc('CSNEG', { s: 0, d: 1, n: 2, m: 2, c: 5 })],
  ['madd x1, x2, x3, x4', 'MADD', enc('MADD', { s: 1, d: 1, n: 2, m: 3, a: 4 })],
  ['mul w1, w2, w3', 'MADD', enc('MADD', { s: 0, d: 1, n: 2, m: 3, a: 31 })],
  ['msub x1, x2, x3, x4', 'MSUB', enc('MSUB', { s: 1, d: 1, n: 2, m: 3, a: 4 })],
  ['smaddl x1, w2, w3, x4', 'SMADDL', enc('SMADDL', { d: 1, n: 2, m: 3, a: 4 })],
  ['smsubl x1, w2, w3, x4', 'SMSUBL', enc('SMSUBL', { d: 1, n: 2, m: 3, a: 4 })],
  ['smulh x1, x2, x3', 'SMULH', null],
  ['umaddl x1, w2, w3, x4', 'UMADDL', enc('UMADDL', { d: 1, n: 2, m: 3, a: 4 })],
  ['umnegl x1, w2, w3', 'UMSUBL', enc('UMSUBL', { d: 1, n: 2, m: 3, a: 31 })],
  ['umulh x1, x2, x3', 'UMULH', null],
  ['udiv w1, w2, w3', 'UDIV', enc('UDIV', { s: 0, d: 1, n: 2, m: 3 })],
  ['sdiv x1, x2, x3', 'SDIV', enc('SDIV', { s: 1, d: 1, n: 2, m: 3 })],
  ['lsl x1, x2, x3', 'LSLV', enc('LSLV', { s: 1, d: 1, n: 2, m: 3 })],
  ['lsr w1, w2, w3', 'LSRV', enc('LSRV', { s: 0, d: 1, n: 2, m: 3 })],
  ['asr x1, x2, x3', 'ASRV', enc('ASRV', { s: 1, d: 1, n: 2, m: 3 })],
  ['ror w1, w2, w3', 'RORV', enc('RORV', { s: 0, d: 1, n: 2, m: 3 })],
  ['crc32b w1, w2, w3', 'CRC32B', enc('CRC32B', { d: 1, n: 2, m: 3 })],
  ['crc32h w1, w2, w3', 'CRC32H', enc('CRC32H', { d: 1, n: 2, m: 3 })],
  ['crc32w w1, w2, w3', 'CRC32W', enc('CRC32W', { d: 1, n: 2, m: 3 })],
  ['crc32x w1, w2, x3', 'CRC32X', enc('CRC32X', { d: 1, n: 2, m: 3 })],
  ['crc32cb w1, w2, w3', 'CRC32CB', enc('CRC32CB', { d: 1, n: 2, m: 3 })],
  ['crc32ch w1, w2, w3', 'CRC32CH', enc('CRC32CH', { d: 1, n: 2, m: 3 })],
  ['crc32cw w1, w2, w3', 'CRC32CW', enc('CRC32CW', { d: 1, n: 2, m: 3 })],
  ['crc32cx w1, w2, x3', 'CRC32CX', enc('CRC32CX', { d: 1, n: 2, m: 3 })],
  ['rbit x1, x2', 'RBIT', enc('RBIT', { s: 1, d: 1, n: 2 })],
  ['rev16 w1, w2', 'REV16', enc('REV16', { s: 0, d: 1, n: 2 })],
  ['rev w1, w2', 'REV_w', enc('REV_w', { d: 1, n: 2 })],
  ['rev32 x1, x2', 'REV32', enc('REV32', { d: 1, n: 2 })],
  ['rev x1, x2', 'REV_x', enc('REV_x', { d: 1, n: 2 })],
  ['clz w1, w2', 'CLZ', enc('CLZ', { s: 0, d: 1, n: 2 })],
  ['cls x1, x2', 'CLS', enc('CLS', { s: 1, d: 1, n: 2 })],
  ['b .+8', 'B', enc('B', { i: 2 })],
  ['bl .-4', 'BL', enc('BL', { i: -1 })],
  ['b.le .+0x40', 'B_cond', enc('B_cond', { c: 13, i: 16 })],
  ['cbz w1, .-8', 'CBZ', enc('CBZ', { s: 0, t: 1, i: -2 })],
  ['cbnz x2, .+12', 'CBNZ', enc('CBNZ', { s: 1, t: 2, i: 3 })],
  ['tbz x3, #45, .+16', 'TBZ', enc('TBZ', { b: 1, j: 13, t: 3, i: 4 })],
  ['tbnz w4, #3, .-16', 'TBNZ', enc('TBNZ', { b: 0, j: 3, t: 4, i: -4 })],
  ['br x16', 'BR', enc('BR', { n: 16 })],
  ['blr x8', 'BLR', enc('BLR', { n: 8 })],
  ['ret', 'RET', enc('RET', { n: 30 })],
];

describe.skipIf(!haveAs)('decoder vs GNU as', () => {
  it('assembled instructions decode to the expected rows and match our encoder', () => {
    const dir = mkdtempSync(join(tmpdir(), 'el2scope-dec-'));
    try {
      writeFileSync(join(dir, 't.s'), '.text\n' + ASM.map(([a]) => `  ${a}\n`).join(''));
      execFileSync(AS, ['-march=armv8-a+crc', '-o', join(dir, 't.o'), join(dir, 't.s')]);
      execFileSync(OBJCOPY, ['-O', 'binary', '-j', '.text', join(dir, 't.o'), join(dir, 't.bin')]);
      const bin = readFileSync(join(dir, 't.bin'));
      expect(bin.length).toBe(ASM.length * 4);
      const bad: string[] = [];
      ASM.forEach(([a, name, mine], i) => {
        const w = bin.readUInt32LE(i * 4);
        const got = A64.decode(w).name;
        if (got !== name) bad.push(`${a}: ${w.toString(16)} decodes as ${got}, want ${name}`);
        if (mine !== null && mine !== w) bad.push(`${a}: as gives ${w.toString(16)}, enc() gives ${mine.toString(16)}`);
      });
      expect(bad).toEqual([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
