// GDB round trips through a real gdb-multiarch, on el2scope's GDB server and on QEMU's gdbstub, on
// the same program (targets/build/bench-loop.elf, a tight loop at EL2). Called by scripts/bench.ts
// (`benchGdb()`), or alone: `npx tsx scripts/bench-gdb.ts [--steps N] [--n N] [--dumps N]
// [--batches N] [--runs N] [--no-qemu] [--json]`.
//
// el2scope runs as the CLI does it (`run --kernel ELF --gdb 127.0.0.1:PORT --wait`, its own process),
// QEMU as `-M virt,virtualization=on -cpu max -S -gdb tcp:...`. One gdb session per target and run,
// driven by a Python command file (gdb -batch -x): it stops at the loop (breakpoint, continue,
// delete), then times with time.perf_counter() inside gdb:
//   stepi      `stepi STEPS` (default 10000, in BATCHES equal parts) in the loop; also the remote
//              packets per step, counted with `set debug remote 1` over a short `stepi`
//   info regs  N x (`flushregs` + `info registers`), in BATCHES parts
//   dump       `dump binary memory FILE 0x40000000 0x40100000` (1 MiB of RAM: the DTB, the program,
//              mostly zeros), DUMPS times
//   restore    `restore` of 1 MiB of random bytes at 0x40100000 (DUMPS times), then DUMPS dumps of it
//              (checked equal to what was written)
//   break+cont a breakpoint in the loop, N x `continue` (each a full stop/resume round trip), in
//              BATCHES parts
// Each metric is reported as the rate of its fastest batch and over all batches ("mean"): these are
// latency-bound round trips, and on a loaded machine the fastest batch is the stable figure. With
// --runs R, el2scope and QEMU sessions alternate R times and the best of each is kept.
//
// What bounds each figure (gdb 13, loopback, measured with `set debug remote 1`, server-side
// timestamps, and a C stub answering the same packets from canned replies): per packet, gdb's own
// work plus its wake-up after our reply outweighs our handling (a few microseconds), and a reply that
// reaches gdb before it sleeps saves that wake-up (5 us of delay per reply costs the C stub nothing,
// 10 us a third more per continue). So the levers are fewer packets, no sleeping on our side and
// little work per packet: with the target description's <osabi>none</osabi> a `stepi` is 3 packets
// (QEMU 6.5) and a continue from a breakpoint 7 (QEMU 12), and the server busy-polls its socket while
// stopped (src/gdb/server.ts, src/gdb/poll-window.ts).
// Memory: gdb 13 reads only with hex `m` packets (binary `x` reads came in GDB 16), so a dump of
// incompressible bytes is bounded by gdb decoding 2 MiB of hex (~45 ms) for either stub; zeroed
// memory is run-length encoded by us.
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseElf } from '../src/machine/loaders/elf';

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
  /** 1 MiB dumps (and restores) per session (default 5) */
  dumps?: number;
  /** stepi, info registers and continues are timed in this many batches (default 10) */
  batches?: number;
  /** sessions per target, interleaved, best kept per metric (default 3) */
  runs?: number;
  qemu?: boolean;
  /** per gdb session (default 600 s) */
  timeoutMs?: number;
}

/** The timed metrics: each a rate (higher is better). */
export const METRICS = ['stepi', 'inforeg', 'dump', 'restore', 'dense', 'brk'] as const;
export type MetricKey = (typeof METRICS)[number];

export interface Rate {
  /** the fastest batch's rate (least disturbed by other load on the machine) */
  best: number;
  /** all batches together */
  mean: number;
}

export interface GdbMetrics {
  /** remote packets gdb sends per `stepi` */
  packetsPerStep: number;
  rates: Record<MetricKey, Rate>;
}

export interface BenchGdbResult {
  el2scope: GdbMetrics | null;
  qemu: GdbMetrics | null;
  /** why a side was not measured */
  notes: string[];
  params: { steps: number; n: number; dumps: number; batches: number; runs: number };
}

export function hasTool(cmd: string): boolean {
  return spawnSync(cmd, ['--version'], { stdio: 'ignore' }).status === 0;
}

/** The Python script gdb runs; parameters come from the environment. Prints `RES key value` lines. */
const PY = String.raw`
import gdb, os, time
E = os.environ
PORT, BP = E["BG_PORT"], E["BG_BP"]
STEPS, N, DUMPS, B = int(E["BG_STEPS"]), int(E["BG_N"]), int(E["BG_DUMPS"]), int(E["BG_BATCHES"])
def ex(c): return gdb.execute(c, to_string=True)
def res(k, v): print("RES %s %r" % (k, v), flush=True)
def timed(key, batches, fn):
    ts = []
    for i in range(batches):
        t = time.perf_counter(); fn(); ts.append(time.perf_counter() - t)
    res(key + "_best", min(ts)); res(key + "_total", sum(ts))
ex("set pagination off"); ex("set confirm off"); ex("set architecture aarch64")
ex("target remote 127.0.0.1:" + PORT)
ex("break *" + BP); ex("continue"); ex("delete")
# packets per step, on a short run (the debug log is captured by to_string)
ex("set debug remote 1")
log = ex("stepi 10")
ex("set debug remote 0")
res("packets_per_step", log.count("Sending packet:") / 10.0)
timed("stepi", B, lambda: ex("stepi %d" % (STEPS // B)))
def regs():
    for i in range(N // B):
        ex("flushregs"); ex("info registers")
timed("inforeg", B, regs)
timed("dump", DUMPS, lambda: ex("dump binary memory %s 0x40000000 0x40100000" % E["BG_DUMPFILE"]))
res("dump_size", os.path.getsize(E["BG_DUMPFILE"]))
# dense memory: load 1 MiB of random bytes (M/X writes), then dump it back (little for RLE to do)
timed("restore", DUMPS, lambda: ex("restore %s binary 0x40100000" % E["BG_RANDFILE"]))
timed("dense", DUMPS, lambda: ex("dump binary memory %s 0x40100000 0x40200000" % E["BG_DENSEFILE"]))
ex("break *" + BP)
def conts():
    for i in range(N // B):
        ex("continue")
timed("brk", B, conts)
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
  batches: number;
  timeoutMs: number;
  bp: bigint;
  dir: string;
}

function metricsFrom(r: Map<string, number>, p: Params, what: string, tag: string): GdbMetrics {
  if (r.get('done') !== 1) throw new Error(`${what}: the gdb session did not finish`);
  const dense = readFileSync(join(p.dir, `dense-${tag}.bin`));
  if (!dense.equals(readFileSync(join(p.dir, 'random.bin')))) throw new Error(`${what}: the random 1 MiB read back differs from what was written`);
  if (r.get('dump_size') !== 1 << 20) throw new Error(`${what}: dump wrote ${r.get('dump_size')} bytes, not 1 MiB`);
  if (BigInt(r.get('pc_end') ?? -1) !== p.bp) throw new Error(`${what}: not stopped at the loop breakpoint after the continues`);
  const rates = {} as Record<MetricKey, Rate>;
  for (const k of METRICS) {
    // units per batch: steps, info registers, continues, or 1 MiB
    const batches = k === 'stepi' || k === 'inforeg' || k === 'brk' ? p.batches : p.dumps;
    const units = k === 'stepi' ? Math.floor(p.steps / p.batches) : k === 'inforeg' || k === 'brk' ? Math.floor(p.n / p.batches) : 1;
    const bestT = r.get(`${k}_best`);
    const total = r.get(`${k}_total`);
    if (!bestT || !total) throw new Error(`${what}: no timing for ${k}`);
    rates[k] = { best: units / bestT, mean: (units * batches) / total };
  }
  return { packetsPerStep: r.get('packets_per_step')!, rates };
}

function envFor(port: number, p: Params, tag: string): Record<string, string> {
  return {
    BG_PORT: String(port),
    BG_BP: '0x' + p.bp.toString(16),
    BG_STEPS: String(p.steps),
    BG_N: String(p.n),
    BG_DUMPS: String(p.dumps),
    BG_BATCHES: String(p.batches),
    BG_DUMPFILE: join(p.dir, `dump-${tag}.bin`),
    BG_RANDFILE: join(p.dir, 'random.bin'),
    BG_DENSEFILE: join(p.dir, `dense-${tag}.bin`),
  };
}

/** One gdb session against el2scope's server: the CLI in its own process (`run --kernel ELF --gdb
 * 127.0.0.1:PORT --wait`, the program at EL2), so nothing else in this process disturbs it. */
export async function sessionEl2scope(elf: string, p: Params): Promise<{ metrics: GdbMetrics; log: string }> {
  const port = await freePort();
  const cli = spawn(process.execPath, ['--import', 'tsx', join(root, 'src', 'cli.ts'), 'run', '--kernel', elf, '--gdb', `127.0.0.1:${port}`, '--wait'], {
    cwd: root,
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let err = '';
  const listening = new Promise<boolean>((resolve) => {
    cli.stderr!.on('data', (d: Buffer) => {
      err += d.toString();
      if (/listening/.test(err)) resolve(true);
    });
    cli.on('exit', () => resolve(false));
    setTimeout(() => resolve(false), 30_000);
  });
  const exited = new Promise<void>((r) => cli.on('exit', () => r()));
  try {
    if (!(await listening)) throw new Error(`el2scope's GDB server did not start: ${err}`);
    const { out, timedOut } = await runGdb(join(p.dir, 'bench.py'), envFor(port, p, 'el2scope'), p.timeoutMs);
    if (timedOut) throw new Error(`el2scope: gdb timed out\n${out.slice(-2000)}`);
    return { metrics: metricsFrom(parseResults(out), p, 'el2scope', 'el2scope'), log: out };
  } finally {
    if (cli.exitCode === null) cli.kill('SIGKILL');
    await exited;
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
    return { metrics: metricsFrom(parseResults(out), p, 'QEMU', 'qemu'), log: out };
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
  const rates = {} as Record<MetricKey, Rate>;
  for (const k of METRICS) rates[k] = { best: Math.max(a.rates[k].best, b.rates[k].best), mean: Math.max(a.rates[k].mean, b.rates[k].mean) };
  return { packetsPerStep: Math.min(a.packetsPerStep, b.packetsPerStep), rates };
}

export async function measureGdb(o: BenchGdbOptions = {}): Promise<BenchGdbResult> {
  const elf = o.elf ?? join(root, 'targets', 'build', 'bench-loop.elf');
  const params = { steps: o.steps ?? 10000, n: o.n ?? 200, dumps: o.dumps ?? 5, batches: o.batches ?? 10, runs: o.runs ?? 3 };
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
    writeFileSync(join(dir, 'random.bin'), randomBytes(1 << 20));
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
  const { steps, n, dumps, batches, runs } = r.params;
  const label: Record<MetricKey, string> = {
    stepi: `stepi ${steps} (steps/s)`,
    inforeg: `flushregs + info registers x${n} (/s)`,
    dump: `dump 1 MiB of RAM x${dumps} (MiB/s)`,
    restore: `restore 1 MiB of random bytes x${dumps} (MiB/s)`,
    dense: `dump those random 1 MiB x${dumps} (MiB/s)`,
    brk: `break + continue x${n} (/s)`,
  };
  const f = (v: number | undefined, digits: number) => (v === undefined ? '-' : v.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits }));
  const ratio = (a: number | undefined, b: number | undefined) => (a === undefined || b === undefined ? '-' : `${(a / b).toFixed(2)}x`);
  const head = ['GDB (gdb-multiarch, bench-loop.elf)', 'el2scope', 'QEMU', 'ratio', 'el2scope mean', 'QEMU mean', 'ratio'];
  const body: string[][] = [];
  for (const k of METRICS) {
    const digits = k === 'dump' || k === 'restore' || k === 'dense' ? 1 : 0;
    const a = r.el2scope?.rates[k];
    const b = r.qemu?.rates[k];
    body.push([label[k], f(a?.best, digits), f(b?.best, digits), ratio(a?.best, b?.best), f(a?.mean, digits), f(b?.mean, digits), ratio(a?.mean, b?.mean)]);
    if (k === 'stepi') body.push(['  remote packets per step', f(r.el2scope?.packetsPerStep, 1), f(r.qemu?.packetsPerStep, 1), '', '', '', '']);
  }
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i].length)));
  const line = (c: string[]) => c.map((x, i) => (i === 0 ? x.padEnd(widths[i]) : x.padStart(widths[i]))).join('  ');
  const out = [line(head), widths.map((w) => '-'.repeat(w)).join('  '), ...body.map(line)];
  out.push(
    `(rates: the fastest of ${batches} batches for stepi/info registers/continue, the fastest of ${dumps} for memory; "mean" over all;`,
    ` ${runs > 1 ? `best of ${runs} interleaved sessions per target; ` : ''}ratio = el2scope / QEMU, higher is better for el2scope)`,
  );
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
    else if (a === '--batches') o.batches = num();
    else if (a === '--no-qemu') o.qemu = false;
    else if (a === '--json') json = true;
    else {
      process.stderr.write('usage: npx tsx scripts/bench-gdb.ts [--steps N] [--n N] [--dumps N] [--batches N] [--runs N] [--no-qemu] [--json]\n');
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
