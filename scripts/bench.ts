// `npm run bench`: run the bench targets (targets/targets.txt, kind "bench") on el2scope, in
// process through the board API, and on qemu-system-aarch64 when it is installed, and print
// instructions, MIPS and the ratio.
//
// el2scope's instruction count is exact (Machine.instret). The programs are deterministic, so QEMU
// executes the same number of instructions: its MIPS is that count divided by QEMU's wall time for
// the whole run minus QEMU's start-up time (measured with targets/build/hello.elf, which exits at
// once). Each program's UART output is also checked against its golden file.
//
// QEMU finishes the smallest programs in a fraction of a second, which its start-up time would
// swamp, so a bench target may have a bigger QEMU-only build, targets/build/<name>-qemu<K>.elf, doing
// K times the work (same code, K times the iterations); its instruction count is taken as K times
// el2scope's exact count for <name>.elf (the fixed part of these programs, set-up and printing, is
// well under 0.1% of the total).
//
// Programs that print "round trips: N" (bench-worldswitch: guest HVC -> EL2 world switch -> ERET)
// also get emulated instructions and wall-clock nanoseconds per round trip on both.
//
// Options: --only NAME[,NAME]  --runs N (QEMU repetitions, best kept; default 3)  --no-qemu  --json
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { performance } from 'node:perf_hooks';
import { bootBoard, createBoard } from '../src/machine/board';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

interface BenchTarget {
  name: string;
  el: 2 | 3;
  maxInsns: number;
  elf: string;
  golden: string | null;
  /** the ELF QEMU runs and how many times the work of `elf` it does */
  qemuElf: string;
  qemuScale: number;
}

interface Row {
  target: string;
  instructions: number;
  el2scopeSeconds: number;
  el2scopeMips: number;
  outputOk: boolean;
  exit: string;
  qemuSeconds: number | null;
  qemuMips: number | null;
  /** QEMU ran a build doing this many times the work */
  qemuScale: number;
  ratio: number | null;
  /** for round-trip benchmarks: count, instructions and ns per round trip */
  roundTrips: number | null;
  insnsPerTrip: number | null;
  el2scopeNsPerTrip: number | null;
  qemuNsPerTrip: number | null;
}

function parseArgs(argv: string[]) {
  const o = { only: null as string[] | null, runs: 3, qemu: true, json: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--only') o.only = (argv[++i] ?? '').split(',').filter(Boolean);
    else if (a === '--runs') o.runs = Math.max(1, Number(argv[++i]) || 1);
    else if (a === '--no-qemu') o.qemu = false;
    else if (a === '--json') o.json = true;
    else if (a === '--help' || a === '-h') {
      process.stdout.write('usage: npm run bench -- [--only NAME[,NAME]] [--runs N] [--no-qemu] [--json]\n');
      process.exit(0);
    } else {
      process.stderr.write(`bench: unknown option ${a}\n`);
      process.exit(2);
    }
  }
  return o;
}

function readBenchTargets(): BenchTarget[] {
  const text = readFileSync(join(root, 'targets', 'targets.txt'), 'utf8');
  const out: BenchTarget[] = [];
  for (const line of text.split('\n')) {
    const t = line.trim();
    if (!t || t.startsWith('#')) continue;
    const [name, el, max, , kind] = t.split(/\s+/);
    if (kind !== 'bench') continue;
    const g = join(root, 'targets', 'golden', `${name}.txt`);
    const build = join(root, 'targets', 'build');
    const big = readdirSync(build)
      .map((f) => new RegExp(`^${name}-qemu(\\d+)\\.elf$`).exec(f))
      .find((m) => m !== null);
    out.push({
      name,
      el: Number(el) as 2 | 3,
      maxInsns: Number(max),
      elf: join(build, `${name}.elf`),
      golden: existsSync(g) ? g : null,
      qemuElf: big ? join(build, big[0]) : join(build, `${name}.elf`),
      qemuScale: big ? Number(big[1]) : 1,
    });
  }
  return out;
}

/** Run one program on el2scope in this process; time only the run loop. */
async function runEl2scope(t: BenchTarget): Promise<{ insns: number; seconds: number; output: string; exit: string }> {
  const board = createBoard({ kernel: t.elf, el: t.el, maxInsns: t.maxInsns });
  bootBoard(board);
  const m = board.machine;
  const chunks: Buffer[] = [];
  m.on('uart', (d: Uint8Array) => chunks.push(Buffer.from(d)));
  const t0 = performance.now();
  const reason = await m.run();
  const seconds = (performance.now() - t0) / 1000;
  const exit = reason.kind === 'exit' ? `exit ${reason.code}` : reason.kind;
  return { insns: m.instret, seconds, output: Buffer.concat(chunks).toString('latin1'), exit };
}

const QEMU = 'qemu-system-aarch64';

function qemuAvailable(): boolean {
  return spawnSync(QEMU, ['--version'], { stdio: 'ignore' }).status === 0;
}

/** Wall time of one whole QEMU run (start-up included), or null if it failed. */
function qemuOnce(elf: string, el: 2 | 3): number | null {
  const machine = el === 3 ? 'virt,secure=on,virtualization=on,gic-version=3' : 'virt,virtualization=on,gic-version=3';
  const t0 = performance.now();
  const r = spawnSync(QEMU, ['-M', machine, '-cpu', 'max', '-nographic', '-monitor', 'none', '-serial', 'stdio', '-kernel', elf], {
    stdio: ['ignore', 'ignore', 'ignore'],
    timeout: 120_000,
  });
  const s = (performance.now() - t0) / 1000;
  return r.status === 0 ? s : null;
}

function qemuBest(elf: string, el: 2 | 3, runs: number): number | null {
  let best: number | null = null;
  for (let i = 0; i < runs; i++) {
    const s = qemuOnce(elf, el);
    if (s === null) return null;
    best = best === null ? s : Math.min(best, s);
  }
  return best;
}

const fmt = (v: number | null, digits = 1) => (v === null ? '-' : v.toFixed(digits));

function table(rows: Row[], startup: number | null): string {
  const head = ['target', 'instructions', 'el2scope s', 'el2scope MIPS', 'QEMU s (net)', 'QEMU MIPS', 'QEMU/el2scope', 'output'];
  const body = rows.map((r) => [
    r.target,
    r.instructions.toLocaleString('en-US'),
    fmt(r.el2scopeSeconds, 2),
    fmt(r.el2scopeMips),
    r.qemuSeconds === null ? '-' : `${fmt(r.qemuSeconds, 2)}${r.qemuScale > 1 ? ` (x${r.qemuScale})` : ''}`,
    fmt(r.qemuMips),
    r.ratio === null ? '-' : `${r.ratio.toFixed(1)}x`,
    r.outputOk ? 'ok' : `MISMATCH (${r.exit})`,
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 || i === cells.length - 1 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  const out = [line(head), widths.map((w) => '-'.repeat(w)).join('  '), ...body.map(line)];
  if (startup !== null) out.push('', `QEMU start-up (hello.elf, subtracted): ${startup.toFixed(3)} s`);
  const trips = rows.filter((r) => r.roundTrips !== null);
  if (trips.length) {
    out.push('', 'World switch (guest HVC -> EL2 saves/restores the vCPU -> ERET):');
    out.push("  (instructions are el2scope's; the switch also saves the 32 Q registers when ID_AA64PFR0_EL1 says");
    out.push('   FP/SIMD exists, as on QEMU -cpu max and on el2scope: both execute the same switch)');
    for (const r of trips) {
      out.push(
        `  ${r.target}: ${r.roundTrips!.toLocaleString('en-US')} round trips, ${fmt(r.insnsPerTrip)} instructions each; ` +
          `el2scope ${fmt(r.el2scopeNsPerTrip, 0)} ns, QEMU ${fmt(r.qemuNsPerTrip, 0)} ns per round trip`,
      );
    }
  }
  return out.join('\n') + '\n';
}

/** The GDB section: another script measures GDB round trips; print its report when it exists
 * (scripts/bench-gdb.ts exporting `benchGdb(): Promise<string>`). */
async function gdbSection(qemu: boolean): Promise<string> {
  const p = join(root, 'scripts', 'bench-gdb.ts');
  if (!existsSync(p)) return 'GDB round trips: not measured (scripts/bench-gdb.ts not present)\n';
  const mod = (await import(pathToFileURL(p).href)) as { benchGdb?: (o: { qemu: boolean }) => Promise<string> };
  if (typeof mod.benchGdb !== 'function') return 'GDB round trips: scripts/bench-gdb.ts exports no benchGdb()\n';
  return await mod.benchGdb({ qemu });
}

async function main(): Promise<void> {
  const o = parseArgs(process.argv.slice(2));
  let targets = readBenchTargets();
  if (o.only) targets = targets.filter((t) => o.only!.includes(t.name));
  if (!targets.length) {
    process.stderr.write('bench: no bench targets selected\n');
    process.exit(2);
  }
  const withQemu = o.qemu && qemuAvailable();
  if (o.qemu && !withQemu) process.stderr.write(`bench: ${QEMU} not installed; el2scope only\n`);
  let startup: number | null = null;
  if (withQemu) startup = qemuBest(join(root, 'targets', 'build', 'hello.elf'), 2, Math.max(3, o.runs));

  const rows: Row[] = [];
  for (const t of targets) {
    process.stderr.write(`bench: ${t.name} on el2scope...\n`);
    const r = await runEl2scope(t);
    const golden = t.golden ? readFileSync(t.golden, 'latin1') : null;
    const row: Row = {
      target: t.name,
      instructions: r.insns,
      el2scopeSeconds: r.seconds,
      el2scopeMips: r.insns / r.seconds / 1e6,
      outputOk: r.exit === 'exit 0' && (golden === null || golden === r.output),
      exit: r.exit,
      qemuSeconds: null,
      qemuMips: null,
      qemuScale: 1,
      ratio: null,
      roundTrips: null,
      insnsPerTrip: null,
      el2scopeNsPerTrip: null,
      qemuNsPerTrip: null,
    };
    const trips = /round trips: (\d+)/.exec(r.output);
    if (trips && Number(trips[1]) > 0) {
      const n = Number(trips[1]);
      row.roundTrips = n;
      row.insnsPerTrip = r.insns / n;
      row.el2scopeNsPerTrip = (r.seconds * 1e9) / n;
    }
    if (withQemu && startup !== null) {
      const scaled = t.qemuScale > 1 ? ` (${t.qemuScale}x build)` : '';
      process.stderr.write(`bench: ${t.name} on QEMU${scaled} (${o.runs} runs)...\n`);
      const q = qemuBest(t.qemuElf, t.el, o.runs);
      if (q !== null) {
        // a run shorter than the start-up measurement gives no meaningful rate
        const net = Math.max(q - startup, 1e-3);
        row.qemuSeconds = net;
        row.qemuScale = t.qemuScale;
        row.qemuMips = (r.insns * t.qemuScale) / net / 1e6;
        row.ratio = row.qemuMips / row.el2scopeMips;
        if (row.roundTrips) row.qemuNsPerTrip = (net * 1e9) / (row.roundTrips * t.qemuScale);
      }
    }
    rows.push(row);
  }
  const gdb = await gdbSection(o.qemu);
  if (o.json) {
    process.stdout.write(JSON.stringify({ rows, qemuStartupSeconds: startup, gdb }, null, 2) + '\n');
  } else {
    process.stdout.write('\n' + table(rows, startup) + '\n' + gdb);
  }
  if (rows.some((r) => !r.outputOk)) process.exitCode = 1;
}

main().catch((e: unknown) => {
  process.stderr.write(`bench: ${(e as Error).stack ?? String(e)}\n`);
  process.exit(1);
});
