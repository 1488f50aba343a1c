// Differential test: see prog-mmu.ts for what the program does.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { DiffRunner, formatDivergence, groupDivergences, runOurs } from './harness';
import { DATA_BASE, generate } from './gen';
import { mmuProgram, S2_LOG, EL1_LOG, PAGES } from './prog-mmu';
import { hasQemu, QEMU_BIN } from './qemu';
import { R } from '../../src/sysregs/table';

const HAVE = hasQemu();
if (!HAVE) console.warn(`MMU differential test skipped: ${QEMU_BIN} is not installed`);

describe.skipIf(!HAVE)(`differential: EL1 with the MMU on under stage 2 vs ${QEMU_BIN}`, () => {
  const runner = new DiffRunner();
  beforeAll(() => runner.start());
  afterAll(() => runner.stop());

  it('stage 1 + stage 2, lazily mapped IPA pages, S1PTW fault, EL1 faults, TLBI: 0 divergences', async () => {
    const p = mmuProgram();
    // what the program did, in our core alone (QEMU agreeing on every step is checked below): the
    // syndromes as the Arm ARM gives them (D17.2.37 ESR_ELx ISS for data aborts, D17.2.60 HPFAR_EL2)
    const { steps, m } = runOurs(p, 50_000);
    expect(steps).toBeGreaterThan(0);
    const q = (off: number) => m.bus.ramView.getBigUint64(DATA_BASE - m.bus.ramBase + off, true);
    const s2 = Array.from({ length: Number(q(S2_LOG)) }, (_, i) => [q(S2_LOG + 32 * (i + 1)), q(S2_LOG + 32 * (i + 1) + 8), q(S2_LOG + 32 * (i + 1) + 16)].map((v) => v.toString(16)));
    expect(s2).toEqual([
      // ldr w3, [x19, #0x1010]: EC 0x24, IL, ISV, SAS word, SRT 3, read, translation fault level 3
      ['93830007', '10001010', '800010'],
      // strb w1, [x8, #5]: ISV, SAS byte, SRT 1, WnR
      ['93010047', '10004005', '800040'],
      // ldr x14, [x13] whose stage-1 walk reads IPA 0x8000_6000: S1PTW, no ISV
      ['92000087', '10200000', '800060'],
    ]);
    const el1 = Array.from({ length: Number(q(EL1_LOG)) }, (_, i) => [q(EL1_LOG + 16 * (i + 1)), q(EL1_LOG + 16 * (i + 1) + 8)].map((v) => v.toString(16)));
    // EC 0x25 (data abort, same EL), IL, translation fault level 3
    expect(el1).toEqual([
      ['96000007', '10005000'],
      ['96000007', '10200000'],
    ]);
    const c = m.cpus[0];
    // after the remap and TLBI VAE1 the alias VA shows IPA page 3
    expect(c.getX(15)).toBe(new DataView(p.data.buffer).getBigUint64(PAGES + 0x3000, true));
    const t0 = performance.now();
    const r = await runner.run(p, { steps: steps + 1 });
    console.log(`MMU: ${r.steps} steps compared, ${r.exceptions} exceptions, ${r.divergences.length} divergences, ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    expect(r.divergences.map(formatDivergence).join('\n')).toBe('');
    expect(r.memDiffs).toEqual([]);
    expect(r.atEnd).toBe(1);
  }, 120_000);

  // the random generator's programs (every integer, load/store, exclusive, atomic and branch class)
  // with stage 1 and stage 2 on: gen.ts 'el1mmu' (4K granule, 2 MiB identity blocks, EL1h) and
  // 'el1mmu64k' / 'el0mmu64k' and 'el1mmu16k' / 'el0mmu16k' (64K or 16K granule, level-3 pages, EL1h or EL0t)
  const SEEDS = Number(process.env.EL2SCOPE_DIFF_MMU_SEEDS ?? 8);
  async function randomUnderMmu(mmu: true | '64k' | '16k'): Promise<void> {
    // the MMU really is on: stage 1 and stage 2 enabled at the end of a program, in our core
    const { m } = runOurs(generate(2, 2600, undefined, { mmu }), 2000);
    const c = m.cpus[0];
    expect(c.sysGet(R.SCTLR_EL1) & 1n).toBe(1n);
    expect(c.sysGet(R.HCR_EL2) & 1n).toBe(1n);
    expect((c.getPstate() >>> 2) & 3).toBe(1);
    let steps = 0;
    const all = [];
    const t0 = performance.now();
    for (let seed = 1; seed <= SEEDS; seed++) {
      const r = await runner.run(generate(seed, 2600, undefined, { mmu }), { steps: 2000, continueAfter: true, maxDivergences: 10 });
      steps += r.steps;
      expect(r.outside).toBe(0);
      expect(r.exceptions).toBeLessThan(150); // the program runs; it is not faulting its way along
      all.push(...r.divergences);
      if (r.memDiffs.length) all.push({ seed, step: -2, pc: 0n, insn: 0, label: 'final memory', decoded: '', diffs: [] });
    }
    console.log(`MMU random (${mmu === true ? '4K, EL1' : `${mmu}, EL0/EL1`}): ${steps} steps compared, ${all.length} divergences, ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    const groups = [...groupDivergences(all)].map(([k, ds]) => `${k}: ${ds.length}\n${formatDivergence(ds[0])}`);
    expect(groups.join('\n')).toBe('');
  }
  it(`${SEEDS} random programs x 2,000 instructions at EL1, 4K granule, stage 1 + stage 2: 0 divergences`, () => randomUnderMmu(true), 300_000);
  it(`${SEEDS} random programs x 2,000 instructions at EL0/EL1, 64K granule, stage 1 + stage 2: 0 divergences`, () => randomUnderMmu('64k'), 300_000);
  it(`${SEEDS} random programs x 2,000 instructions at EL0/EL1, 16K granule, stage 1 + stage 2: 0 divergences`, () => randomUnderMmu('16k'), 300_000);
});
