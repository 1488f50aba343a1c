// Differential testing against QEMU (issue 2, point 7): random integer programs, 2,000 instructions
// each, stepped in qemu-system-aarch64 (gdbstub) and in our core; registers, SP, PC and PSTATE are
// compared after every instruction and the scratch memory at the end. 0 divergences expected.
//
// EL2SCOPE_DIFF_SEEDS (default 200) and EL2SCOPE_DIFF_FROM (default 1) choose the seeds.
// `npx tsx scripts/diff-run.ts` runs the same programs with a grouped report for humans.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { DiffRunner, formatDivergence, groupDivergences, type Divergence, type RunResult } from './harness';
import { generate } from './gen';
import { hasQemu, QEMU_BIN } from './qemu';

const HAVE = hasQemu();
if (!HAVE) console.warn(`differential tests skipped: ${QEMU_BIN} is not installed`);

const SEEDS = Math.max(1, Number(process.env.EL2SCOPE_DIFF_SEEDS ?? 200));
const FROM = Number(process.env.EL2SCOPE_DIFF_FROM ?? 1);
const STEPS = 2000;
const INSNS = 2600; // forward branches skip some instructions: generate more than we step
const CHUNK = 20;
const JOBS = 2; // QEMU instances (2 cores)

describe.skipIf(!HAVE)(`differential: random integer programs vs ${QEMU_BIN}`, () => {
  const runners: DiffRunner[] = [];
  let totalSteps = 0;
  let t0 = 0;

  beforeAll(async () => {
    for (let i = 0; i < JOBS; i++) runners.push(new DiffRunner());
    await Promise.all(runners.map((r) => r.start()));
    t0 = performance.now();
  });
  afterAll(() => {
    for (const r of runners) r.stop();
    const secs = (performance.now() - t0) / 1000;
    if (totalSteps) console.log(`differential: ${totalSteps} steps in ${secs.toFixed(1)} s (${Math.round(totalSteps / secs)} steps/s)`);
  });

  async function runSeeds(seeds: number[]): Promise<RunResult[]> {
    const results: RunResult[] = [];
    let next = 0;
    await Promise.all(
      runners.map(async (runner) => {
        while (next < seeds.length) {
          const seed = seeds[next++];
          results.push(await runner.run(generate(seed, INSNS), { steps: STEPS, continueAfter: true, maxDivergences: 20 }));
        }
      }),
    );
    return results;
  }

  for (let from = FROM; from < FROM + SEEDS; from += CHUNK) {
    const seeds = Array.from({ length: Math.min(CHUNK, FROM + SEEDS - from) }, (_, i) => from + i);
    it(`seeds ${seeds[0]}..${seeds[seeds.length - 1]}: ${STEPS} instructions each, no divergence`, async () => {
      const results = await runSeeds(seeds);
      for (const r of results) totalSteps += r.steps;
      const all: Divergence[] = results.flatMap((r) => r.divergences);
      const lines: string[] = [];
      for (const [name, ds] of groupDivergences(all)) {
        lines.push(`${name}: ${ds.length} divergence(s)\n${formatDivergence(ds[0])}`);
      }
      for (const r of results) {
        if (r.memDiffs.length) lines.push(`seed ${r.seed}: scratch memory differs: ` + r.memDiffs.map((m) => `0x${m.addr.toString(16)} qemu ${m.qemu} ours ${m.ours}`).join(', '));
      }
      expect(lines.join('\n\n')).toBe('');
      // every program ran its full length inside its own code (no stray exception)
      for (const r of results) {
        expect(r.steps).toBe(STEPS);
        expect(r.outside, `seed ${r.seed} left its code`).toBe(0);
      }
    }, 600_000);
  }
});
