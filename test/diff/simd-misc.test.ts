// Differential tests of the AdvSIMD moves/shifts/misc classes (src/cpu/exec/simd/simd-misc.ts and the
// simd-copy/perm/shift/2reg files it collects) against QEMU: random programs of words drawn from our
// own decoder rows (random fields, every register), V registers filled with random lanes biased to
// saturation edges (0, ±1, MIN/MAX of each lane size) and random X registers (DUP/INS general
// sources); v0–v31, FPSR (QC) and X registers (UMOV/SMOV) compared after every step. Also words of
// these encoding classes that the Arm ARM leaves unallocated (UNDEFINED exactly where QEMU says).
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { DiffRunner, formatDivergence } from './harness';
import { generate, Rng, type Program } from './gen';
import { hasQemu, QEMU_BIN } from './qemu';
import { Decoder, compileRow } from '../../src/cpu/decode/decoder';
import { A64 } from '../../src/cpu/decode/a64.table';
import { SIMD_MISC_ROWS } from '../../src/cpu/exec/simd/simd-misc';

const HAVE = hasQemu();
if (!HAVE) console.warn(`simd-misc differential tests skipped: ${QEMU_BIN} is not installed`);

const MINE = new Decoder(SIMD_MISC_ROWS);
const COMPILED = SIMD_MISC_ROWS.map(compileRow);

const EDGE8 = [0, 1, 0x7f, 0x80, 0xff, 0xfe, 0x81, 0x40];
const EDGE16 = [0, 1, 0x7fff, 0x8000, 0xffff, 0xfffe, 0x8001, 0x00ff, 0xff00, 0x0080, 0xff80];
const EDGE32 = [0, 1, 0x7fffffff, 0x80000000, 0xffffffff, 0xfffffffe, 0x80000001, 0x0000ffff, 0xffff0000, 0x00008000, 0xffff8000];

function randomV(rng: Rng): Uint32Array {
  const v = new Uint32Array(128);
  const b = new Uint8Array(v.buffer);
  const h = new Uint16Array(v.buffer);
  for (let r = 0; r < 32; r++) {
    const kind = rng.int(5);
    for (let i = 0; i < 4; i++) v[4 * r + i] = rng.u32();
    if (kind === 0) for (let i = 0; i < 16; i++) if (rng.chance(0.5)) b[16 * r + i] = rng.pick(EDGE8);
    if (kind === 1) for (let i = 0; i < 8; i++) if (rng.chance(0.5)) h[8 * r + i] = rng.pick(EDGE16);
    if (kind === 2) for (let i = 0; i < 4; i++) if (rng.chance(0.5)) v[4 * r + i] = rng.pick(EDGE32);
    if (kind === 3) {
      // 64-bit edges: MIN, MAX, -1, 0, small
      for (let i = 0; i < 2; i++) {
        const k = rng.int(6);
        const lo = [0, 0xffffffff, 0xffffffff, 0, 1, 0xfffffff0][k];
        const hi = [0x80000000, 0x7fffffff, 0xffffffff, 0, 0, 0xffffffff][k];
        if (rng.chance(0.6)) {
          v[4 * r + 2 * i] = lo;
          v[4 * r + 2 * i + 1] = hi;
        }
      }
    }
    if (kind === 4 && rng.chance(0.5)) for (let i = 0; i < 16; i++) b[16 * r + i] = rng.int(80); // TBL indexes
  }
  return v;
}

function randomWord(rng: Rng): { w: number; label: string } | null {
  const row = rng.pick(COMPILED);
  const w = (row.value | (rng.u32() & ~row.mask)) >>> 0;
  const mine = MINE.decode(w);
  if (mine.name !== 'UNDEF') {
    const full = A64.decode(w);
    if (full.fn !== mine.fn) return null;
    return { w, label: `${mine.name}` };
  }
  const full = A64.decode(w);
  if (!/^FP_SIMD_/.test(full.name) || !rng.chance(0.05)) return null;
  return { w, label: `REJECT ${row.name}` };
}

function miscProgram(seed: number, n: number): Program {
  const rng = new Rng(seed * 104729 + 7);
  const p = generate(seed, n, (g) => {
    while (g.units.length < n) {
      const x = randomWord(rng);
      if (x) g.units.push({ words: [x.w], labels: [x.label] });
    }
  }, { fp: true });
  p.init.v = randomV(rng);
  p.init.fpcr = 0;
  p.init.fpsr = 0;
  // random X sources for DUP/INS (general); x28 and SP are the generator's base registers
  for (let i = 0; i < 28; i++) {
    const k = rng.int(4);
    p.init.x[i] = k === 0 ? BigInt(rng.pick(EDGE32)) : k === 1 ? BigInt.asUintN(64, -BigInt(rng.int(300))) : (BigInt(rng.u32()) << 32n) | BigInt(rng.u32());
  }
  return p;
}

const SEEDS = Number(process.env.EL2SCOPE_SIMD_MISC_SEEDS ?? 8);
const STEPS = 300;

describe.skipIf(!HAVE)(`differential: AdvSIMD moves, shifts and misc vs ${QEMU_BIN}`, () => {
  const runner = new DiffRunner();
  beforeAll(() => runner.start());
  afterAll(() => runner.stop());

  it(`${SEEDS} random programs of ${STEPS} copy/immediate/permute/shift/misc instructions`, async () => {
    const out: string[] = [];
    let steps = 0;
    for (let s = 1; s <= SEEDS; s++) {
      const p = miscProgram(s, STEPS);
      const r = await runner.run(p, { steps: p.code.length - 1, fp: true, continueAfter: true, maxDivergences: 30 });
      steps += r.steps;
      out.push(...r.divergences.map(formatDivergence));
    }
    expect(out.join('\n')).toBe('');
    expect(steps).toBeGreaterThan(SEEDS * STEPS * 0.9);
  }, 60_000 + SEEDS * 6_000);
});
