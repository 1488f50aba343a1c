// Differential testing of SIMD&FP against QEMU: random programs from gen-fpsimd.ts (random words in
// the SIMD&FP data-processing and AdvSIMD structure load/store spaces, template words of every
// encoding class, FPCR changes, interesting lane values), stepped in qemu-system-aarch64 and in our
// core with v0–v31, FPSR and FPCR compared after every instruction (harness RunOptions.fp).
// 0 divergences expected.
//
// EL2SCOPE_FP_DIFF_SEEDS (default 40), EL2SCOPE_FP_DIFF_FROM (default 1), EL2SCOPE_FP_DIFF_STEPS
// (default 2000) choose the programs. `npx tsx scripts/diff-run.ts --fp --fp-report DIR` runs the
// same programs and writes one report per owner class.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { spawnSync } from 'node:child_process';
import { writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DiffRunner, formatDivergence, runOurs, type Divergence, type RunResult } from './harness';
import { fromWords, Rng } from './gen';
import { generateFp, excluded, EXCLUDED, classify } from './gen-fpsimd';
import { ownerOf } from './fp-report';
import { hasQemu, QEMU_BIN } from './qemu';
import { R } from '../../src/sysregs/table';

const HAVE = hasQemu();
if (!HAVE) console.warn(`SIMD&FP differential tests skipped: ${QEMU_BIN} is not installed`);
const HAVE_OBJDUMP = spawnSync('aarch64-linux-gnu-objdump', ['--version']).status === 0;

const SEEDS = Math.max(1, Number(process.env.EL2SCOPE_FP_DIFF_SEEDS ?? 40));
const FROM = Number(process.env.EL2SCOPE_FP_DIFF_FROM ?? 1);
const STEPS = Number(process.env.EL2SCOPE_FP_DIFF_STEPS ?? 2000);
const INSNS = Math.ceil(STEPS * 1.3);
const CHUNK = 8;
const JOBS = 2;

describe('SIMD&FP generator', () => {
  it('never emits an excluded encoding; classifies every template word', () => {
    for (let s = 1; s <= 5; s++) {
      const p = generateFp(s, 1500);
      p.code.forEach((w, i) => {
        expect(excluded(w), `${w.toString(16)} ${p.labels[i]}`).toBeUndefined();
        const [owner, kind] = p.labels[i].split(' ');
        if (kind !== undefined && ['fp-scalar', 'simd-arith', 'simd-misc', 'simd-fp', 'simd-ldst', 'crypto'].includes(owner)) expect(classify(w).owner).not.toBe('other');
      });
      expect(p.init.v).toBeDefined();
    }
  });

  it.skipIf(!HAVE_OBJDUMP)('exclusion patterns match exactly the BF16/I8MM/FHM/SM3/SM4 encodings objdump knows', () => {
    // random words in the SIMD&FP space plus words built from each pattern's fixed bits
    const r = new Rng(99);
    const words: number[] = [];
    for (let i = 0; i < 40000; i++) words.push(((r.u32() & ~0x0e000000) | 0x0e000000) >>> 0);
    for (const [, p] of EXCLUDED) {
      for (let i = 0; i < 200; i++) {
        let w = r.u32();
        for (let b = 0; b < 32; b++) if (p[31 - b] !== '-') w = p[31 - b] === '1' ? w | (1 << b) : w & ~(1 << b);
        words.push(w >>> 0);
      }
    }
    const dir = mkdtempSync(join(tmpdir(), 'el2scope-excl-'));
    try {
      const b = Buffer.alloc(4 * words.length);
      words.forEach((w, i) => b.writeUInt32LE(w, 4 * i));
      writeFileSync(join(dir, 'w.bin'), b);
      const out = spawnSync('aarch64-linux-gnu-objdump', ['-b', 'binary', '-m', 'aarch64', '-D', join(dir, 'w.bin')], { maxBuffer: 1 << 28, encoding: 'utf8' }).stdout;
      const FEAT = /^(bfcvt|bfcvtn2?|bfdot|bfmmla|bfmlal[bt]|smmla|ummla|usmmla|usdot|sudot|fmlal2?|fmlsl2?|sm3\w*|sm4\w*)$/;
      const wrong: string[] = [];
      let hits = 0;
      for (const line of out.split('\n')) {
        const m = /^\s*[0-9a-f]+:\s+([0-9a-f]{8})\s+(\S+)/.exec(line);
        if (!m || m[2] === '.inst') continue;
        const w = parseInt(m[1], 16) >>> 0;
        const feat = FEAT.test(m[2]);
        if (feat) hits++;
        if (feat !== (excluded(w) !== undefined && !excluded(w)!.startsWith('QEMU'))) wrong.push(line.trim());
      }
      expect(wrong.slice(0, 10)).toEqual([]);
      expect(hits).toBeGreaterThan(1000);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('FCVTZS (scalar, fixed-point) half precision zero-extends its 16-bit result (QEMU 7.2 sign-extends)', () => {
    const p = fromWords('fcvtzs h1, h2, #1', [0x5f1ffc41]);
    const v = new Uint32Array(128).fill(0xffff_ffff);
    v[8] = 0xbc00; // h2 = -1.0: -1.0 * 2^1 = -2 = 0xfffe
    p.init.v = v;
    const { m } = runOurs(p, 1);
    expect(Array.from(m.cpus[0].vreg.subarray(4, 8))).toEqual([0xfffe, 0, 0, 0]);
    expect(excluded(0x5f1ffc41)).toMatch(/^QEMU/);
  });

  it('the known QEMU departures are UNDEFINED in our core (Arm ARM C4.1.95)', () => {
    for (const w of [0x0ef9f822, 0x4ef9f822, 0x5ef8f822, 0x7ef9f822, 0x6f02fc2b, 0x2f07fd4c, 0x4e70fa8b, 0x0ef0cbe1, 0x5ef0f888, 0x5e70d800]) {
      expect(excluded(w), w.toString(16)).toMatch(/^QEMU/);
      // at EL2 with VBAR_EL2 = 0: an UNDEFINED instruction goes to 0x200 (current EL, SP_ELx)
      const { m } = runOurs(fromWords(`undef ${w.toString(16)}`, [w]), 1);
      const c = m.cpus[0];
      expect(c.pc, w.toString(16)).toBe(0x200n);
      expect(Number(c.sysGet(R.ESR_EL2) >> 26n), w.toString(16)).toBe(0); // EC 0: unknown reason
    }
  });
});

describe.skipIf(!HAVE)(`differential: random SIMD&FP programs vs ${QEMU_BIN}`, () => {
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
    if (totalSteps) console.log(`SIMD&FP differential: ${totalSteps} steps in ${secs.toFixed(1)} s (${Math.round(totalSteps / secs)} steps/s)`);
  });

  it('the harness detects a wrong V register and a wrong FPSR', async () => {
    const p = fromWords('fp tamper', [0x1e222820 /* fadd s0, s1, s2 */, 0xd503201f, 0xd503201f]);
    const v = new Uint32Array(128);
    v[4] = 0x3f80_0000; // s1 = 1.0
    v[8] = 0x4000_0000; // s2 = 2.0
    p.init.v = v;
    const r = await runners[0].run(p, { steps: 3, fp: true, fpFullEvery: 1000, continueAfter: true, tamper: (c, step) => {
      if (step === 0) c.vreg[4 * 9 + 3] ^= 0x100; // v9 bits 96+: not the destination; found at the end
      if (step === 1) c.vreg[4 * 0] ^= 1; // v0 changed by "our" NOP: compared at once
    } });
    const regs = r.divergences.flatMap((d) => d.diffs.map((x) => x.reg));
    expect(regs).toContain('v0');
    expect(regs).toContain('v9');
    const r2 = await runners[0].run(p, { steps: 1, fp: true, tamper: (c) => c.sysSet(R.FPSR, 0x8n) });
    expect(r2.divergences.flatMap((d) => d.diffs.map((x) => x.reg))).toContain('fpsr');
  });

  async function runSeeds(seeds: number[]): Promise<RunResult[]> {
    const results: RunResult[] = [];
    let next = 0;
    await Promise.all(
      runners.map(async (runner) => {
        while (next < seeds.length) {
          const seed = seeds[next++];
          results.push(await runner.run(generateFp(seed, INSNS), { steps: STEPS, continueAfter: true, maxDivergences: 40, fp: true, fpsrClear: 0.5 }));
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
      // grouped by owner class and decoder row, first example of each
      const groups = new Map<string, Divergence[]>();
      for (const d of all) {
        const k = `${ownerOf(d)} / ${d.decoded}`;
        if (!groups.has(k)) groups.set(k, []);
        groups.get(k)!.push(d);
      }
      const lines = [...groups].map(([k, ds]) => `${k}: ${ds.length} divergence(s)\n${formatDivergence(ds[0])}`);
      for (const r of results) {
        if (r.memDiffs.length) lines.push(`seed ${r.seed}: scratch memory differs: ` + r.memDiffs.map((m) => `0x${m.addr.toString(16)} qemu ${m.qemu} ours ${m.ours}`).join(', '));
      }
      expect(lines.join('\n\n')).toBe('');
      for (const r of results) expect(r.steps).toBe(STEPS);
    }, 600_000);
  }
});
