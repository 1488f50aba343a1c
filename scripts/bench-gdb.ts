// GDB round trips through a real gdb-multiarch, on el2scope's GDB server and on QEMU's gdbstub, on
// the same program (targets/build/bench-loop.elf, a tight loop at EL2). Called by scripts/bench.ts
// (`benchGdb()`), or alone: `npx tsx scripts/bench-gdb.ts [--steps N] [--n N] [--dumps N]
// [--runs N] [--no-qemu] [--json]`.
//
// One gdb session per target and run, driven by a Python command file (gdb -batch -x): it stops at
// the loop (breakpoint, continue, delete), then times with time.perf_counter() inside gdb:
//   stepi      `stepi STEPS` (default 10000) in the loop; also the remote packets per step, counted
//              with `set debug remote 1` over a short `stepi`
//   info regs  N x (`flushregs` + `info registers`)
//   dump       `dump binary memory FILE 0x40000000 0x40100000` (1 MiB of RAM), best of DUMPS
//   break+cont a breakpoint in the loop, N x `continue` (each one a full stop/resume round trip)
// Every result is a rate (higher is better); with --runs R the best of R interleaved sessions is
// kept per metric, which matters on a loaded machine (these are latency-bound round trips).
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bootBoard, createBoard } from '../src/machine/board';
import { parseElf } from '../src/machine/loaders/elf';
import { startGdbServer } from '../src/gdb/server';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
export const GDB = 'gdb-multiarch';
export const QEMU = 'qemu-system-aarch64';

export interface BenchGdbOptions {
  /** guest program (default targets/build/bench-loop.elf) */
  elf?: string;
  /** breakpoint address in the program's hot loop (default: bench_loop's loop head, +0x14) */
  loopAddr?: bigint;
  /** `stepi` count (default 10000) */
  steps?: number;
  /** `info registers` and break+continue repetitions (default 200) */
  n?: number;
  /** 1 MiB dumps per session, best kept (default 3) */
  dumps?: number;
  /** sessions per target, interleaved, best kept per metric (default 1) */
  runs?: number;
  qemu?: boolean;
  /** per gdb session (default 600 s) */
  timeoutMs?: number;
}

export interface GdbMetrics {
  stepsPerSec: number;
  packetsPerStep: number;
  infoRegistersPerSec: number;
  dumpMiBPerSec: number;
  breakContinuePerSec: number;
}

export interface BenchGdbResult {
  el2scope: GdbMetrics | null;
  qemu: GdbMetrics | null;
  /** why a side was not measured */
  notes: string[];
  params: { steps: number; n: number; dumps: number; runs: number };
}

export function hasTool(cmd: string): boolean {
  return spawnSync(cmd, ['--version'], { stdio: 'ignore' }).status === 0;
}

/** The Python script gdb runs; parameters come from the environment. Prints `RES key value` lines. */
const PY = String.raw`
import gdb, os, time
E = os.environ
PORT, BP = E["BG_PORT"], E["BG_BP"]
STEPS, N, DUMPS = int(E["BG_STEPS"]), int(E["BG_N"]), int(E["BG_DUMPS"])
OUT = E["BG_DUMPFILE"]
def ex(c): return gdb.execute(c, to_string=True)
def res(k, v): print("RES %s %r" % (k, v), flush=True)
ex("set pagination off"); ex("set confirm off"); ex("set architecture aarch64")
ex("target remote 127.0.0.1:" + PORT)
ex("break *" + BP); ex("continue"); ex("delete")
# packets per step, on a short run (the debug log is captured by to_string)
ex("set debug remote 1")
log = ex("stepi 10")
ex("set debug remote 0")
res("packets_per_step", log.count("Sending packet:") / 10.0)
t = time.perf_counter(); ex("stepi %d" % STEPS); res("stepi", time.perf_counter() - t)
pc = int(gdb.parse_and_eval("$pc"))
res("pc_after", pc)
t = time.perf_counter()
for i in range(N):
    ex("flushregs"); ex("info registers")
res("inforeg", time.perf_counter() - t)
best = None
for i in range(DUMPS):
    t = time.perf_counter(); ex("dump binary memory %s 0x40000000 0x40100000" % OUT); d = time.perf_counter() - t
    best = d if best is None else min(best, d)
res("dump", best)
res("dump_size", os.path.getsize(OUT))
ex("break *" + BP)
t = time.perf_counter()
for i in range(N):
    ex("continue")
res("brk", time.perf_counter() - t)
res("pc_end", int(gdb.parse_and_eval("$pc")))
res("done", 1)
ex("kill")
`;

function runGdb(py: string, env: Record<string, string>, timeoutMs: number): Promise<{ out: string; timedOut: boolean }> {
  return new Promise((resolve) => {
    const p = spawn(GDB, ['-batch', '-nx', '-x', py], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    p.stdout.on('data', (d: Buffer) => (out += d.toString('latin1')));
    p.stderr.on('data', (d: Buffer) => (out += d.toString('latin1')));
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      p.kill('SIGKILL');
    }, timeoutMs);
    p.on('close', () => {
      clearTimeout(timer);
      resolve({ out, timedOut });
    });
  });
}

function parseResults(out: string): Map<string, number> {
  const m = new Map<string, number>();
  for (const line of out.split('\n')) {
    const r = /^RES (\w+) (\S+)/.exec(line.trim());
    if (r) m.set(r[1], Number(r[2]));
  }
  return m;
}

interface Params {
  steps: number;
  n: number;
  dumps: number;
  timeoutMs: number;
  bp: bigint;
  dir: string;
}

function metricsFrom(r: Map<string, number>, p: Params, what: string): GdbMetrics {
  if (r.get('done') !== 1) throw new Error(`${what}: the gdb session did not finish`);
  if (r.get('dump_size') !== 1 << 20) throw new Error(`${what}: dump wrote ${r.get('dump_size')} bytes, not 1 MiB`);
  if (BigInt(r.get('pc_end') ?? -1) !== p.bp) throw new Error(`${what}: not stopped at the loop breakpoint after the continues`);
  return {
    stepsPerSec: p.steps / r.get('stepi')!,
    packetsPerStep: r.get('packets_per_step')!,
    infoRegistersPerSec: p.n / r.get('inforeg')!,
    dumpMiBPerSec: 1 / r.get('dump')!,
    breakContinuePerSec: p.n / r.get('brk')!,
  };
}

function envFor(port: number, p: Params, tag: string): Record<string, string> {
  return {
    BG_PORT: String(port),
    BG_BP: '0x' + p.bp.toString(16),
    BG_STEPS: String(p.steps),
    BG_N: String(p.n),
    BG_DUMPS: String(p.dumps),
    BG_DUMPFILE: join(p.dir, `dump-${tag}.bin`),
  };
}

/** One gdb session against el2scope's server, in this process (the program at EL2, as the CLI runs it). */
export async function sessionEl2scope(elf: string, p: Params): Promise<{ metrics: GdbMetrics; log: string }> {
  const board = createBoard({ kernel: elf, el: 2 });
  bootBoard(board);
  const srv = await startGdbServer(board.machine, { host: '127.0.0.1', port: 0, wait: true, board });
  try {
    const { out, timedOut } = await runGdb(join(p.dir, 'bench.py'), envFor(srv.port, p, 'el2scope'), p.timeoutMs);
    if (timedOut) throw new Error(`el2scope: gdb timed out\n${out.slice(-2000)}`);
    return { metrics: metricsFrom(parseResults(out), p, 'el2scope'), log: out };
  } finally {
    await srv.close();
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const a = s.address();
      const port = typeof a === 'object' && a ? a.port : 0;
      s.close(() => resolve(port));
    });
  });
}

/** One gdb session against QEMU's gdbstub (-S: stopped at the entry point, like --wait). */
export async function sessionQemu(elf: string, p: Params): Promise<{ metrics: GdbMetrics; log: string }> {
  const port = await freePort();
  const q = spawn(
    QEMU,
    ['-M', 'virt,virtualization=on,gic-version=3', '-cpu', 'max', '-nographic', '-monitor', 'none', '-serial', 'null', '-S', '-gdb', `tcp:127.0.0.1:${port}`, '-kernel', elf],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let qerr = '';
  q.stderr!.on('data', (d: Buffer) => (qerr += d.toString()));
  const exited = new Promise<void>((r) => q.on('exit', () => r()));
  try {
    // a probe connection would be taken for gdb by QEMU's one-client stub: watch for LISTEN instead
    if (!(await waitForQemuListen(port, 10_000))) throw new Error(`QEMU's gdbstub did not start: ${qerr}`);
    const { out, timedOut } = await runGdb(join(p.dir, 'bench.py'), envFor(port, p, 'qemu'), p.timeoutMs);
    if (timedOut) throw new Error(`QEMU: gdb timed out\n${out.slice(-2000)}`);
    return { metrics: metricsFrom(parseResults(out), p, 'QEMU'), log: out };
  } finally {
    q.kill('SIGKILL');
    await exited;
  }
}

/** QEMU listens once its TCP socket shows up in /proc/net/tcp in LISTEN state (no connection made). */
async function waitForQemuListen(port: number, ms: number): Promise<boolean> {
  const hex = ':' + port.toString(16).toUpperCase().padStart(4, '0');
  const end = Date.now() + ms;
  while (Date.now() < end) {
    try {
      const t = readFileSync('/proc/net/tcp', 'utf8');
      if (t.split('\n').some((l) => l.split(/\s+/)[2]?.endsWith(hex) && l.split(/\s+/)[4] === '0A')) return true;
    } catch {
      // no /proc: fall back to a fixed delay
      await new Promise((r) => setTimeout(r, 1000));
      return true;
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  return false;
}

function loopAddress(elf: string): bigint {
  const img = parseElf(new Uint8Array(readFileSync(elf)), elf);
  const s = img.symbols.find((x) => x.name === 'bench_loop');
  if (!s) throw new Error(`${elf}: no bench_loop symbol`);
  return s.value + 0x14n; // the loop head `1:` after five set-up instructions (targets/src/bench-loop/loop.S)
}

function best(a: GdbMetrics | null, b: GdbMetrics): GdbMetrics {
  if (!a) return b;
  return {
    stepsPerSec: Math.max(a.stepsPerSec, b.stepsPerSec),
    packetsPerStep: Math.min(a.packetsPerStep, b.packetsPerStep),
    infoRegistersPerSec: Math.max(a.infoRegistersPerSec, b.infoRegistersPerSec),
    dumpMiBPerSec: Math.max(a.dumpMiBPerSec, b.dumpMiBPerSec),
    breakContinuePerSec: Math.max(a.breakContinuePerSec, b.breakContinuePerSec),
  };
}

export async function measureGdb(o: BenchGdbOptions = {}): Promise<BenchGdbResult> {
  const elf = o.elf ?? join(root, 'targets', 'build', 'bench-loop.elf');
  const params = { steps: o.steps ?? 10000, n: o.n ?? 200, dumps: o.dumps ?? 3, runs: o.runs ?? 1 };
  const res: BenchGdbResult = { el2scope: null, qemu: null, notes: [], params };
  if (!hasTool(GDB)) {
    res.notes.push(`${GDB} not installed: GDB round trips not measured`);
    return res;
  }
  const withQemu = (o.qemu ?? true) && hasTool(QEMU);
  if ((o.qemu ?? true) && !withQemu) res.notes.push(`${QEMU} not installed: QEMU side not measured`);
  const dir = mkdtempSync(join(tmpdir(), 'el2scope-bench-gdb-'));
  try {
    writeFileSync(join(dir, 'bench.py'), PY);
    const p: Params = { ...params, timeoutMs: o.timeoutMs ?? 600_000, bp: o.loopAddr ?? loopAddress(elf), dir };
    for (let i = 0; i < params.runs; i++) {
      process.stderr.write(`bench-gdb: el2scope session ${i + 1}/${params.runs}...\n`);
      res.el2scope = best(res.el2scope, (await sessionEl2scope(elf, p)).metrics);
      if (withQemu) {
        process.stderr.write(`bench-gdb: QEMU session ${i + 1}/${params.runs}...\n`);
        res.qemu = best(res.qemu, (await sessionQemu(elf, p)).metrics);
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return res;
}

export function formatGdb(r: BenchGdbResult): string {
  const { steps, n, dumps, runs } = r.params;
  const rows: [string, keyof GdbMetrics, number][] = [
    [`stepi ${steps} (steps/s)`, 'stepsPerSec', 0],
    ['  remote packets per step', 'packetsPerStep', 1],
    [`flushregs + info registers x${n} (/s)`, 'infoRegistersPerSec', 0],
    [`dump 1 MiB (MiB/s, best of ${dumps})`, 'dumpMiBPerSec', 1],
    [`break + continue x${n} (/s)`, 'breakContinuePerSec', 0],
  ];
  const head = ['GDB (gdb-multiarch, same program)', 'el2scope', 'QEMU', 'el2scope/QEMU'];
  const body = rows.map(([label, k, digits]) => {
    const a = r.el2scope?.[k];
    const b = r.qemu?.[k];
    const f = (v: number | undefined) => (v === undefined ? '-' : v.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits }));
    // fewer packets is better: show the ratio the other way round for that row
    const ratio = a === undefined || b === undefined ? '-' : k === 'packetsPerStep' ? `1/${(a / b).toFixed(2)}` : `${(a / b).toFixed(2)}x`;
    return [label, f(a), f(b), ratio];
  });
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i].length)));
  const line = (c: string[]) => c.map((x, i) => (i === 0 ? x.padEnd(widths[i]) : x.padStart(widths[i]))).join('  ');
  const out = [line(head), widths.map((w) => '-'.repeat(w)).join('  '), ...body.map(line)];
  if (runs > 1) out.push(`(best of ${runs} interleaved sessions per target)`);
  for (const note of r.notes) out.push(`note: ${note}`);
  return out.join('\n') + '\n';
}

/** scripts/bench.ts calls this for its GDB section. */
export async function benchGdb(o: BenchGdbOptions = {}): Promise<string> {
  try {
    return formatGdb(await measureGdb(o));
  } catch (e) {
    return `GDB round trips: failed: ${(e as Error).message}\n`;
  }
}

async function main(): Promise<void> {
  const o: BenchGdbOptions = {};
  let json = false;
  const argv = process.argv.slice(2);
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const num = () => Math.max(1, Number(argv[++i]) || 1);
    if (a === '--steps') o.steps = num();
    else if (a === '--n') o.n = num();
    else if (a === '--dumps') o.dumps = num();
    else if (a === '--runs') o.runs = num();
    else if (a === '--no-qemu') o.qemu = false;
    else if (a === '--json') json = true;
    else {
      process.stderr.write('usage: npx tsx scripts/bench-gdb.ts [--steps N] [--n N] [--dumps N] [--runs N] [--no-qemu] [--json]\n');
      process.exit(a === '--help' || a === '-h' ? 0 : 2);
    }
  }
  const r = await measureGdb(o);
  process.stdout.write(json ? JSON.stringify(r, null, 2) + '\n' : formatGdb(r));
  if (!r.el2scope && hasTool(GDB)) process.exitCode = 1;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  main().catch((e: unknown) => {
    process.stderr.write(`bench-gdb: ${(e as Error).stack ?? String(e)}\n`);
    process.exit(1);
  });
}
