// Differential tests against QEMU of the AdvSIMD structure loads/stores (src/cpu/exec/simd/simd-ldst.ts)
// and the cryptographic instructions (src/cpu/exec/simd/crypto*.ts): random programs, v0–v31 and the
// X registers (base writeback) compared after every step, the 64 KiB scratch area (stores) at the end.
// Structure ops get a fresh 8-byte aligned base (ADD/SUB from x28, or SP) before each one, so every
// element is aligned to its size (QEMU 7.2 performs unaligned accesses with the MMU off where the
// Arm ARM faults; see README.md) and post-index register offsets take random values.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { DiffRunner, formatDivergence } from './harness';
import { generate, Rng, type Program } from './gen';
import { hasQemu, QEMU_BIN } from './qemu';
import { Decoder, compileRow } from '../../src/cpu/decode/decoder';
import { A64 } from '../../src/cpu/decode/a64.table';
import { CRYPTO_ROWS } from '../../src/cpu/exec/simd/crypto';

const HAVE = hasQemu();
if (!HAVE) console.warn(`simd-ldst/crypto differential tests skipped: ${QEMU_BIN} is not installed`);

const X_BASE = 28;
const BASES = [5, 6, 7, 8, 31];
const RMS = [9, 10];

const add = (rd: number, rn: number, imm: number) => (0x91000000 | (imm << 10) | (rn << 5) | rd) >>> 0;
const sub = (rd: number, rn: number, imm: number) => (0xd1000000 | (imm << 10) | (rn << 5) | rd) >>> 0;
const movz = (rd: number, imm: number) => (0xd2800000 | (imm << 5) | rd) >>> 0;
const movn = (rd: number, imm: number) => (0x92800000 | (imm << 5) | rd) >>> 0;

const MULT_NAME: Record<number, string> = { 0: '4', 2: '1x4', 4: '3', 6: '1x3', 7: '1x1', 8: '2', 10: '1x2' };

/** one random structure load/store: [words, labels]. `mmu`: Normal memory (stage 1 on), so bases may
 * be unaligned, and some sit just below the end of the mapped 64 KiB scratch page (faults part-way) */
function structUnit(rng: Rng, mmu = false): { words: number[]; labels: string[] } {
  for (;;) {
    const q = rng.bit();
    const L = rng.chance(0.6) ? 1 : 0;
    const post = rng.chance(0.6);
    const rn = rng.pick(BASES);
    const rt = rng.int(32);
    let rm = 0;
    let regPost = false;
    if (post) {
      regPost = rng.chance(0.5);
      rm = regPost ? rng.pick(RMS) : 31;
    }
    let w: number;
    let name: string;
    const kind = rng.int(3);
    const size = rng.int(4);
    if (kind === 0) {
      const opcode = rng.pick([0, 2, 4, 6, 7, 8, 10]);
      w = 0x0c000000 | (q << 30) | ((post ? 1 : 0) << 23) | (L << 22) | (rm << 16) | (opcode << 12) | (size << 10) | (rn << 5) | rt;
      name = `${L ? 'LD' : 'ST'}${MULT_NAME[opcode]}`;
    } else {
      const repl = kind === 2;
      const opcode = repl ? 6 + rng.bit() : rng.int(6);
      const R = rng.bit();
      const S = repl ? 0 : rng.bit();
      w = 0x0d000000 | (q << 30) | ((post ? 1 : 0) << 23) | ((repl ? 1 : L) << 22) | (R << 21) | (rm << 16) | (opcode << 13) | (S << 12) | (size << 10) | (rn << 5) | rt;
      name = `${repl || L ? 'LD' : 'ST'}${(((opcode & 1) << 1) | R) + 1}${repl ? 'R' : '_lane'}`;
    }
    w >>>= 0;
    if (A64.decode(w).name === 'UNDEF') continue;
    const words: number[] = [];
    const labels: string[] = [];
    const off = 8 * rng.int(rn === 31 ? 0x100 : 0x1e0); // imm12: o + 0x100 < 4096
    const useAdd = rng.bit();
    // SP stays 16-byte aligned (SP alignment checking may be on)
    const o = rn === 31 ? off & ~15 : mmu ? off + rng.int(8) : off;
    // only stores there: a load faulting part-way leaves its destination registers UNKNOWN (QEMU
    // writes the elements before the fault, we write none), which a comparison cannot allow for
    if (mmu && rn !== 31 && ((w >>> 22) & 1) === 0 && rng.chance(0.3)) {
      // x28 + 0x7fc0.. : the scratch page ends at x28 + 0x8000
      words.push(add(rn, X_BASE, 0x7 | (1 << 12)), add(rn, rn, 0xfc0 + rng.int(0x40)));
      labels.push(`SETUP add x${rn}, x28, #0x7000`, `SETUP add x${rn}, x${rn}, #0xfc0+`);
    } else {
      words.push(useAdd ? add(rn, X_BASE, o) : sub(rn, X_BASE, o + 0x100));
      labels.push(`SETUP ${useAdd ? 'add' : 'sub'} x${rn}, x28`);
    }
    if (regPost) {
      const k = rng.int(0x200);
      words.push(rng.bit() ? movz(rm, k) : movn(rm, k));
      labels.push(`SETUP mov x${rm}`);
    }
    words.push(w);
    labels.push(`${name} ${w.toString(16).padStart(8, '0')} q${q} size${size} t${rt} n${rn}${post ? (regPost ? ` m${rm}` : ' #imm') : ''}`);
    return { words, labels };
  }
}

function randomV(rng: Rng): Uint32Array {
  const v = new Uint32Array(128);
  for (let i = 0; i < 128; i++) v[i] = rng.u32();
  return v;
}

function ldstProgram(seed: number, n: number, mmu = false): Program {
  const rng = new Rng(seed * 7919 + 3);
  const p = generate(seed, n, (g) => {
    while (g.units.length < n) g.units.push(structUnit(rng, mmu));
  }, mmu ? { fp: true, mmu: '64k' } : { fp: true });
  p.init.v = randomV(rng);
  return p;
}

const CRYPTO = new Decoder(CRYPTO_ROWS);
const CRYPTO_COMPILED = CRYPTO_ROWS.map(compileRow);

function cryptoProgram(seed: number, n: number): Program {
  const rng = new Rng(seed * 104723 + 11);
  const p = generate(seed, n, (g) => {
    while (g.units.length < n) {
      const row = rng.pick(CRYPTO_COMPILED);
      // registers from a small set, so results feed later instructions
      let w = (row.value | (rng.u32() & ~row.mask)) >>> 0;
      for (const sh of [0, 5, 10, 16]) {
        const field = (w >>> sh) & 31;
        if (rng.chance(0.7)) w = ((w & ~(31 << sh)) | ((field & 7) << sh)) >>> 0;
      }
      const d = CRYPTO.decode(w);
      if (d.name === 'UNDEF' || A64.decode(w).fn !== d.fn) continue;
      g.units.push({ words: [w], labels: [`${d.fn.name.toUpperCase()} ${w.toString(16).padStart(8, '0')}`] });
    }
  }, { fp: true });
  p.init.v = randomV(rng);
  return p;
}

/** FP/SIMD disabled at EL1 (the program starts with MSR CPACR_EL1, XZR: QEMU keeps CPACR_EL1 from
 * earlier programs): every structure and crypto op traps. `seed` must select an EL1h program. */
function trapProgram(seed: number, n: number): Program {
  const rng = new Rng(seed * 31 + 5);
  return generate(seed, n, (g) => {
    g.units.push({ words: [0xd518105f, 0xd5033fdf], labels: ['SETUP msr cpacr_el1, xzr', 'SETUP isb'] });
    while (g.units.length < n) {
      if (rng.bit()) g.units.push(structUnit(rng));
      else {
        const row = rng.pick(CRYPTO_COMPILED);
        const w = (row.value | (rng.u32() & ~row.mask)) >>> 0;
        const d = CRYPTO.decode(w);
        if (d.name !== 'UNDEF') g.units.push({ words: [w], labels: [`${d.fn.name.toUpperCase()} (trap)`] });
      }
    }
  });
}

const SEEDS = Number(process.env.EL2SCOPE_SIMD_LDST_SEEDS ?? 4);
const STEPS = 250;

describe.skipIf(!HAVE)(`differential: AdvSIMD structure loads/stores and crypto vs ${QEMU_BIN}`, () => {
  const runner = new DiffRunner();
  beforeAll(() => runner.start());
  afterAll(() => runner.stop());

  it(`${SEEDS} random programs of ${STEPS} structure loads/stores`, async () => {
    const out: string[] = [];
    let steps = 0;
    for (let s = 1; s <= SEEDS; s++) {
      const p = ldstProgram(s, STEPS);
      const r = await runner.run(p, { steps: p.code.length - 1, fp: true, continueAfter: true, maxDivergences: 30 });
      steps += r.steps;
      out.push(...r.divergences.map(formatDivergence));
      out.push(...r.memDiffs.map((m) => `seed ${s} memory ${m.addr.toString(16)}: qemu ${m.qemu.toString(16)} ours ${m.ours.toString(16)}`));
    }
    expect(out.join('\n')).toBe('');
    expect(steps).toBeGreaterThan(SEEDS * STEPS * 2);
  }, 240_000);

  it(`${SEEDS} random programs of ${STEPS} structure loads/stores with the MMU on (unaligned, faults at a page end)`, async () => {
    const out: string[] = [];
    let steps = 0;
    let exceptions = 0;
    for (let s = 1; s <= SEEDS; s++) {
      const p = ldstProgram(1000 + s, STEPS, true);
      const r = await runner.run(p, { steps: p.code.length - 1, fp: true, continueAfter: true, maxDivergences: 30 });
      steps += r.steps;
      exceptions += r.exceptions;
      out.push(...r.divergences.map(formatDivergence));
      out.push(...r.memDiffs.map((m) => `seed ${s} memory ${m.addr.toString(16)}: qemu ${m.qemu.toString(16)} ours ${m.ours.toString(16)}`));
    }
    expect(out.join('\n')).toBe('');
    expect(exceptions).toBeGreaterThan(SEEDS * 2);
  }, 240_000);

  it('FP/SIMD disabled at EL1: the access trap (EC 0x07) comes first', async () => {
    const out: string[] = [];
    let exceptions = 0;
    for (const s of [1, 5, 9, 13]) {
      const p = trapProgram(s, 60);
      const r = await runner.run(p, { steps: p.code.length - 1, continueAfter: true, maxDivergences: 30 });
      exceptions += r.exceptions;
      out.push(...r.divergences.map(formatDivergence));
      out.push(...r.memDiffs.map((m) => `seed ${s} memory ${m.addr.toString(16)}: qemu ${m.qemu.toString(16)} ours ${m.ours.toString(16)}`));
    }
    expect(out.join('\n')).toBe('');
    expect(exceptions).toBeGreaterThan(4 * 50);
  }, 120_000);

  it(`${SEEDS} random programs of ${STEPS} crypto instructions`, async () => {
    const out: string[] = [];
    let steps = 0;
    for (let s = 1; s <= SEEDS; s++) {
      const p = cryptoProgram(s, STEPS);
      const r = await runner.run(p, { steps: p.code.length - 1, fp: true, continueAfter: true, maxDivergences: 30 });
      steps += r.steps;
      out.push(...r.divergences.map(formatDivergence));
    }
    expect(out.join('\n')).toBe('');
    expect(steps).toBeGreaterThan(SEEDS * STEPS * 0.9);
  }, 240_000);
});
