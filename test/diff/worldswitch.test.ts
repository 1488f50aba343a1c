// Differential test: see prog-worldswitch.ts for what the program does.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { DiffRunner, formatDivergence, runOurs } from './harness';
import { DATA_BASE } from './gen';
import { worldSwitchProgram, PAGE, STACK } from './prog-worldswitch';
import { hasQemu, QEMU_BIN } from './qemu';

const HAVE = hasQemu();
if (!HAVE) console.warn(`world-switch differential test skipped: ${QEMU_BIN} is not installed`);

describe.skipIf(!HAVE)(`differential: hypervisor + 2 guests world switch vs ${QEMU_BIN}`, () => {
  const runner = new DiffRunner();
  beforeAll(() => runner.start());
  afterAll(() => runner.stop());

  it('200 HVC round trips, context swap every other HVC, stage 2 per VM: 0 divergences', async () => {
    const iters = 100;
    const p = worldSwitchProgram(iters);
    // what the program did, in our core alone: each VM counted its own loop iterations in its own
    // page at the same IPA, each context saw its HVCs, and the HVC counter saw them all
    const { steps, m } = runOurs(p, 100_000);
    expect(steps).toBeGreaterThan(0);
    const c = m.cpus[0];
    expect(c.getX(10)).toBe(BigInt(iters)); // HVC #1 taken by guest A
    expect(c.getX(13)).toBe(BigInt(iters)); // and by guest B
    expect(c.getX(16)).toBe(BigInt(2 * iters));
    expect(c.getX(11)).toBe(0x1234_0000n + 16n * BigInt(iters)); // SP_EL0 saved/restored per guest
    expect(c.getX(14)).toBe(0x1235_0000n + 16n * BigInt(iters));
    for (const vm of [0, 1]) expect(m.bus.ramView.getBigUint64(DATA_BASE - m.bus.ramBase + PAGE[vm] + 0x200, true)).toBe(BigInt(iters));
    const t0 = performance.now();
    const r = await runner.run(p, { steps: steps + 1 });
    console.log(`world switch: ${r.steps} steps compared, ${r.exceptions} exceptions, ${r.divergences.length} divergences, ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    expect(r.divergences.map(formatDivergence).join('\n')).toBe('');
    expect(r.memDiffs).toEqual([]);
    expect(r.atEnd).toBe(1);
    expect(r.exceptions).toBe(2 * iters + 2); // every HVC (incl. the two "done" ones) entered EL2
  }, 120_000);

  it('the same with both guest MMUs on (same ASID and VAs, different stage-1 tables; EL1 context switched): 0 divergences', async () => {
    const iters = 60;
    const p = worldSwitchProgram(iters, { stage1: true });
    const { steps, m } = runOurs(p, 100_000);
    expect(steps).toBeGreaterThan(0);
    const c = m.cpus[0];
    expect(c.getX(10)).toBe(BigInt(iters));
    expect(c.getX(13)).toBe(BigInt(iters));
    const ram = (off: number) => m.bus.ramView.getBigUint64(DATA_BASE - m.bus.ramBase + off, true);
    // guest A's VA 0x1000_0000 is its IPA 0x8000_0000 (PAGE[0]); guest B's is IPA 0x8000_1000 (STACK[1])
    expect(ram(PAGE[0] + 0x200)).toBe(BigInt(iters));
    expect(ram(STACK[1] + 0x200)).toBe(BigInt(iters));
    expect(ram(0x100 + 336)).toBe(0x100n + BigInt(iters)); // TPIDR_EL1 saved per guest
    expect(ram(0x300 + 336)).toBe(0x200n + BigInt(iters));
    const t0 = performance.now();
    const r = await runner.run(p, { steps: steps + 1 });
    console.log(`world switch, stage 1 on: ${r.steps} steps compared, ${r.exceptions} exceptions, ${r.divergences.length} divergences, ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    expect(r.divergences.map(formatDivergence).join('\n')).toBe('');
    expect(r.memDiffs).toEqual([]);
    expect(r.atEnd).toBe(1);
  }, 120_000);

  it('self-test: a context corrupted in our memory after the first save is caught when it is restored', async () => {
    const p = worldSwitchProgram(3);
    const swap = p.codeBase + 4 * p.labels.indexOf('eor x0, x0, #1<<9');
    const ctxA = DATA_BASE + 0x100;
    let done = false;
    const r = await runner.run(p, {
      steps: 400,
      tamper: (c) => {
        if (done || c.pcLo !== swap + 4) return;
        done = true;
        const off = ctxA + 8 * 5 - c.bus.ramBase;
        c.bus.ramView.setUint32(off, c.bus.ramView.getUint32(off, true) ^ 0x40, true); // saved x5 of guest A
      },
    });
    expect(done).toBe(true);
    expect(r.divergences.length).toBe(1);
    const d = r.divergences[0];
    expect(d.label).toBe('ldp x4, x5, [x0, #32]');
    expect(d.diffs.map((e) => e.reg)).toEqual(['x5']);
    expect(d.diffs[0].ours ^ d.diffs[0].qemu).toBe(0x40n);
  });
});
