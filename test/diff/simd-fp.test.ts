// Differential tests of the AdvSIMD floating-point classes (src/cpu/exec/simd/simd-fp-*.ts) against
// QEMU: random programs of words drawn from our own decoder rows (random fields, every register),
// V registers filled with special values (±0, ±inf, quiet and signalling NaNs with payloads,
// denormals, extremes, integers near the conversion limits) and a random FPCR (RMode, FZ, DN, FZ16,
// AHP); v0–v31, FPSR and FPCR compared after every step. Also a few words of these classes that the
// Arm ARM leaves unallocated (we must take UNDEFINED exactly where QEMU does).
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { DiffRunner, formatDivergence, stepsToEnd } from './harness';
import { hasQemu, QEMU_BIN } from './qemu';
import { fpProgram } from './simd-fp-gen';

const HAVE = hasQemu();
if (!HAVE) console.warn(`simd-fp differential tests skipped: ${QEMU_BIN} is not installed`);

const SEEDS = Number(process.env.EL2SCOPE_SIMD_FP_SEEDS ?? 12);
const FROM = Number(process.env.EL2SCOPE_SIMD_FP_FROM ?? 1);
const STEPS = 300;

describe.skipIf(!HAVE)(`differential: AdvSIMD floating point vs ${QEMU_BIN}`, () => {
  const runner = new DiffRunner();
  beforeAll(() => runner.start());
  afterAll(() => runner.stop());

  it(`${SEEDS} random programs of ${STEPS} FP/SIMD instructions with special values and FPCR settings`, async () => {
    const out: string[] = [];
    let steps = 0;
    for (let s = FROM; s < FROM + SEEDS; s++) {
      const p = fpProgram(s, STEPS);
      const r = await runner.run(p, { steps: stepsToEnd(p, 4 * STEPS), fp: true, continueAfter: true, maxDivergences: 20 });
      steps += r.steps;
      out.push(...r.divergences.map(formatDivergence));
      if (process.env.EL2SCOPE_VERBOSE) console.log(`seed ${s}: ${r.steps} steps, ${r.divergences.length} divergences`);
    }
    expect(out.join('\n')).toBe('');
    expect(steps).toBeGreaterThan(SEEDS * STEPS);
  }, 30_000 + SEEDS * 3_000);
});
