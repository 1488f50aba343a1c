// Differential run against QEMU for humans:
//   npx tsx scripts/diff-run.ts [--seeds N] [--from S] [--seed S] [--steps N] [--insns N] [--jobs 1|2]
//                               [--stop-first] [--report FILE] [--verbose]
//                               [--seed-list 1-32,1000-1019]
//                               [--fp [--fp-report DIR] [--fp-only CLASS,...] [--fp-full-every N]
//                                     [--fpsr-clear P (share of steps after which FPSR = 0; 0.5)]]
// Generates random integer programs (test/diff/gen.ts), or with --fp random SIMD&FP programs
// (test/diff/gen-fpsimd.ts, v0-v31/FPSR/FPCR compared too; --fp-report DIR writes one divergence file
// per owner class, DIR/<class>.txt), runs each in qemu-system-aarch64 (gdbstub)
// and in our core, compares registers after every instruction and prints the divergences grouped by
// instruction. By default it keeps going after a divergence (resynchronising our state from QEMU)
// so one run lists every failing instruction class.
import { writeFileSync } from 'node:fs';
import { DiffRunner, QemuDied, formatDivergence, groupDivergences, type Divergence, type RunResult } from '../test/diff/harness';
import { A64 } from '../src/cpu/decode/a64.table';
import { generate } from '../test/diff/gen';
import { generateFp, type FpClass } from '../test/diff/gen-fpsimd';
import { writeFpReports } from '../test/diff/fp-report';
import { hasQemu, QEMU_BIN } from '../test/diff/qemu';

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}
const flag = (name: string) => process.argv.includes(name);

const seeds = Number(arg('--seeds') ?? 20);
const from = Number(arg('--from') ?? 1);
const steps = Number(arg('--steps') ?? 2000);
const insns = Number(arg('--insns') ?? Math.ceil(steps * 1.3));
const jobs = Math.max(1, Math.min(2, Number(arg('--jobs') ?? 2)));
const only = arg('--seed');
const reportFile = arg('--report');
const verbose = flag('--verbose');
const fp = flag('--fp');
const fpReport = arg('--fp-report');
const fpOnly = arg('--fp-only')?.split(',') as FpClass[] | undefined;
const fpFullEvery = Number(arg('--fp-full-every') ?? 32);
const fpsrClear = Number(arg('--fpsr-clear') ?? 0.5);

if (!hasQemu()) {
  process.stderr.write(`${QEMU_BIN} is not installed: nothing to compare against\n`);
  process.exit(2);
}

// --seed-list 1-32,1000-1019: explicit seeds and ranges
const seedList = arg('--seed-list')
  ?.split(',')
  .flatMap((part) => {
    const [a, b] = part.split('-').map(Number);
    return b === undefined ? [a] : Array.from({ length: b - a + 1 }, (_, i) => a + i);
  });
const list = only !== undefined ? [Number(only)] : seedList ?? Array.from({ length: seeds }, (_, i) => from + i);
const results: RunResult[] = [];
const t0 = performance.now();
let next = 0;
const runners: DiffRunner[] = [];

async function worker(): Promise<void> {
  let runner = new DiffRunner();
  runners.push(runner);
  try {
    while (next < list.length) {
      const seed = list[next++];
      const p = fp ? generateFp(seed, insns, { only: fpOnly }) : generate(seed, insns);
      let r: RunResult;
      try {
        r = await runner.run(p, { steps, continueAfter: !flag('--stop-first'), maxDivergences: 200, fp, fpFullEvery, fpsrClear });
      } catch (e) {
        if (!(e instanceof QemuDied)) throw e;
        // QEMU died on an instruction: report it as a divergence of that word and go on with a new QEMU
        process.stderr.write(`seed ${seed}: ${e.message}\n`);
        r = { seed, steps: 0, divergences: [], memDiffs: [], resynced: 0, outside: 0, atEnd: 0, executed: new Set(), exceptions: 0 };
        r.divergences.push({ seed, step: -1, pc: e.pc, insn: e.insn, label: 'QEMU died', decoded: A64.decode(e.insn).name ?? 'UNDEF', diffs: [], error: e.message });
        runner.stop();
        runner = new DiffRunner();
        runners.push(runner);
      }
      results.push(r);
      const memNote = r.memDiffs.length ? `, memory differs at 0x${r.memDiffs[0].addr.toString(16)}` : '';
      const astray = r.outside ? `, ${r.outside} step(s) outside the program (exception?)` : '';
      process.stderr.write(`seed ${seed}: ${r.steps} steps (${r.executed.size} distinct, ${r.atEnd} at the end), ${r.divergences.length} divergence(s)${memNote}${astray}\n`);
      if (verbose) for (const d of r.divergences) process.stderr.write(formatDivergence(d) + '\n');
    }
  } finally {
    runner.stop();
  }
}

await Promise.all(Array.from({ length: Math.min(jobs, list.length) }, () => worker()));
const secs = (performance.now() - t0) / 1000;

function runnersMs(k: 'qemuMs' | 'oursMs'): number {
  return runners.reduce((s, r) => s + r[k], 0);
}
const all: Divergence[] = results.flatMap((r) => r.divergences);
const groups = [...groupDivergences(all)].sort((a, b) => b[1].length - a[1].length);
const totalSteps = results.reduce((s, r) => s + r.steps, 0);
const out: string[] = [];
out.push(`el2scope differential run vs ${QEMU_BIN}: ${results.length} program(s), ${totalSteps} steps in ${secs.toFixed(1)} s (${Math.round(totalSteps / secs)} steps/s, ${jobs} QEMU)`);
out.push(`time waiting for QEMU (step + 'g'): ${(runnersMs('qemuMs') / 1000).toFixed(1)} s, in our core: ${(runnersMs('oursMs') / 1000).toFixed(2)} s (summed over workers)`);
out.push(`exceptions taken and compared (SVC/HVC/BRK/UDF/UNDEFINED MRS/alignment): ${results.reduce((s, r) => s + r.exceptions, 0)}`);
const astray = results.filter((r) => r.outside > 0).map((r) => r.seed);
if (astray.length) out.push(`programs that left their code (took an exception in both machines): ${astray.join(' ')}`);
out.push(`${all.length} divergence(s) in ${groups.length} instruction group(s); programs with memory differences at the end: ${results.filter((r) => r.memDiffs.length).length}`);
for (const [name, ds] of groups) {
  const seedsHit = new Set(ds.map((d) => d.seed)).size;
  out.push('');
  out.push(`== ${name}: ${ds.length} divergence(s) in ${seedsHit} program(s); e.g.`);
  for (const d of ds.slice(0, 2)) out.push(formatDivergence(d).replace(/^/gm, '  '));
}
const mem = results.filter((r) => r.memDiffs.length);
if (mem.length) {
  out.push('');
  out.push('== scratch memory differences at the end (first program(s)):');
  for (const r of mem.slice(0, 5)) out.push(`  seed ${r.seed}: ` + r.memDiffs.map((m) => `0x${m.addr.toString(16)} qemu ${m.qemu.toString(16)} ours ${m.ours.toString(16)}`).join(', '));
}
if (fp && fpReport) {
  const counts = writeFpReports(fpReport, all, `${new Date().toISOString()}: ${results.length} program(s) from seed ${list[0]}, ${totalSteps} steps`);
  out.push('');
  out.push(`per-class reports in ${fpReport}: ` + [...counts].map(([c, n]) => `${c} ${n}`).join(', '));
}
const text = out.join('\n') + '\n';
process.stdout.write(text);
if (reportFile) writeFileSync(reportFile, `generated ${new Date().toISOString()}\n` + text);
process.exit(all.length || mem.length ? 1 : 0);
