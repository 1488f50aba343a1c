// The el2scope command line (commander). `el2scope run ...` mirrors QEMU's options where it can.
// stdout carries exactly the guest's UART output (so runs can be diffed and piped); every message
// of ours goes to stderr.
//
// Exit status of `run`:
//   0  the guest powered off (PSCI SYSTEM_OFF, or the secure GPIO power-off pin with --el 3)
//   1  internal error in el2scope (a bug: please report it)
//   2  bad option or file (one line on stderr, no stack trace)
//   3  --max-insns reached
//   4  the guest stopped for good without powering off (every CPU did PSCI CPU_OFF)
//   5  terminated from the console (Ctrl-A x)
// (141, as a SIGPIPE death, when whatever reads our stdout goes away: `el2scope run ... | head`)
import { existsSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Command, CommanderError, Option } from 'commander';
import { createBoard, bootBoard, EXIT, LoadError, type Board } from './machine/board';
import type { Machine, StopReason } from './machine/machine';
import type { Cpu, ExceptionInfo } from './cpu/cpu';
import { describeEsr } from './cpu/exceptions';

const EXIT_CONSOLE = 5;

class UsageError extends Error {}

function err(msg: string): void {
  process.stderr.write(`el2scope: ${msg}\n`);
}

function parseIntArg(v: string, what: string, min: number, max = Number.MAX_SAFE_INTEGER): number {
  const s = v.trim().replace(/_/g, '');
  let n: number;
  if (/^0x[0-9a-f]+$/i.test(s)) n = parseInt(s.slice(2), 16);
  else if (/^[0-9]+$/.test(s)) n = parseInt(s, 10);
  else throw new UsageError(`${what}: '${v}' is not a number`);
  if (!Number.isSafeInteger(n) || n < min || n > max) throw new UsageError(`${what}: ${v} is out of range (${min}..${max})`);
  return n;
}

/** `-m`: MiB, or with a QEMU-style suffix (M, G). */
function parseMem(v: string): number {
  const m = /^\s*([0-9]+)\s*([mMgG](?:i?[bB])?)?\s*$/.exec(v);
  if (!m) throw new UsageError(`-m: '${v}' is not a RAM size in MiB`);
  let n = parseInt(m[1], 10);
  if (m[2] && /^[gG]/.test(m[2])) n *= 1024;
  if (n < 1) throw new UsageError(`-m: RAM size must be at least 1 MiB (got ${v})`);
  return n;
}

export function parseHostPort(v: string, what: string): { host: string; port: number } {
  let s = v.trim().replace(/^tcp:/, '');
  let host = '127.0.0.1';
  const i = s.lastIndexOf(':');
  if (i >= 0) {
    if (i > 0) host = s.slice(0, i).replace(/^\[(.*)\]$/, '$1');
    s = s.slice(i + 1);
  }
  const port = parseIntArg(s, what, 0, 65535);
  return { host, port };
}

/** `--module ADDR,FILE[,bootargs]` (bootargs may contain commas) */
function parseModule(v: string): { addr: number; file: string; bootargs?: string } {
  const i = v.indexOf(',');
  if (i < 0) throw new UsageError(`--module: '${v}' is not ADDR,FILE[,bootargs]`);
  const addr = parseIntArg(v.slice(0, i), '--module address', 0);
  const rest = v.slice(i + 1);
  const j = rest.indexOf(',');
  const file = j < 0 ? rest : rest.slice(0, j);
  if (!file) throw new UsageError(`--module: '${v}' has no file`);
  return { addr, file, bootargs: j < 0 ? undefined : rest.slice(j + 1) };
}

interface RunOptions {
  kernel?: string;
  bios?: string;
  initrd?: string;
  append?: string;
  dtb?: string;
  dumpDtb?: string;
  memory?: string;
  smp?: string;
  el?: string;
  maxInsns?: string;
  /** true: bare `--gdb` (127.0.0.1:1234, as QEMU's -s) */
  gdb?: string | true;
  wait?: boolean;
  gdbPoll?: string;
  inspector?: string;
  inspectorAllowRemote?: boolean;
  inspectorToken?: string;
  trace?: string;
  module?: string[];
}

function hex64(v: [number, number] | undefined): string {
  if (!v) return '-';
  return '0x' + ((BigInt(v[1] >>> 0) << 32n) | BigInt(v[0] >>> 0)).toString(16);
}

function formatException(board: Board, c: Cpu, info: ExceptionInfo): string {
  const elr = hex64(info.elr);
  const sym = board.symbolize((BigInt(info.elr[1] >>> 0) << 32n) | BigInt(info.elr[0] >>> 0));
  const what = info.kind === 'sync' || info.kind === 'serror' ? describeEsr(info.esr) : info.kind.toUpperCase();
  const parts = [`cpu${c.index}`, `EL${info.fromEl}->EL${info.toEl}`, info.kind, what, `ESR=0x${(info.esr >>> 0).toString(16)}`];
  parts.push(`FAR=${hex64(info.far)}`, `ELR=${elr}${sym ? ` <${sym}>` : ''}`);
  if (info.hpfar) parts.push(`HPFAR=${hex64(info.hpfar)}`);
  return `[exception] ${parts.join(' ')}\n`;
}

/** Import an optional module of ours by path relative to this file; null if it does not exist. */
async function importOptional(rel: string): Promise<Record<string, unknown> | null> {
  const url = new URL(rel, import.meta.url);
  if (!existsSync(fileURLToPath(url))) return null;
  return (await import(url.href)) as Record<string, unknown>;
}

/** UART bytes to stdout, batched per event-loop turn. */
class StdoutSink {
  private chunks: Uint8Array[] = [];
  private scheduled = false;
  write(b: Uint8Array): void {
    this.chunks.push(b);
    if (!this.scheduled) {
      this.scheduled = true;
      setImmediate(() => this.flushNow());
    }
  }
  private flushNow(): void {
    this.scheduled = false;
    if (!this.chunks.length) return;
    const buf = Buffer.concat(this.chunks);
    this.chunks = [];
    process.stdout.write(buf);
  }
  /** flush and wait until the bytes left the process */
  async drain(): Promise<void> {
    this.flushNow();
    await new Promise<void>((r) => process.stdout.write('', () => r()));
  }
}

/** stdin → PL011 receive FIFO, at the pace the guest reads. Ctrl-A x quits on a terminal. */
function attachStdin(board: Board, quit: () => void): void {
  const stdin = process.stdin;
  const backlog: number[] = [];
  const feed = () => {
    const room = board.uart.rxSpace;
    if (room > 0 && backlog.length) board.uart.receive(backlog.splice(0, room));
  };
  board.machine.tickers.push(feed);
  let ctrlA = false;
  if (stdin.isTTY) {
    stdin.setRawMode(true);
    process.on('exit', () => {
      try {
        stdin.setRawMode(false);
      } catch {
        /* terminal gone */
      }
    });
  }
  stdin.on('data', (d: Buffer) => {
    for (const b of d) {
      if (stdin.isTTY) {
        if (ctrlA) {
          ctrlA = false;
          if (b === 0x78 /* x */) return quit();
          if (b !== 0x01) continue;
        } else if (b === 0x01) {
          ctrlA = true;
          continue;
        }
      }
      backlog.push(b);
    }
    feed();
  });
  stdin.on('error', () => {});
  // stdin must not keep the process alive on its own
  stdin.unref?.();
}

/** A listen failure (port in use, no permission, bad address) or a refused configuration of a
 * front end ("inspector: refusing ...") is the user's problem: exit 2. */
function startError(what: string, at: { host: string; port: number }): (e: unknown) => never {
  return (e) => {
    const code = (e as NodeJS.ErrnoException)?.code;
    if (code) throw new UsageError(`${what}: cannot listen on ${at.host}:${at.port} (${code})`);
    const msg = (e as Error)?.message ?? '';
    if (/^(inspector|gdb):/.test(msg)) throw new UsageError(`${what}: ${msg.replace(/^(inspector|gdb):\s*/, '')}`);
    throw e;
  };
}

async function run(o: RunOptions): Promise<number> {
  const traces = new Set((o.trace ?? '').split(',').map((s) => s.trim()).filter(Boolean));
  for (const t of traces) if (t !== 'exceptions') throw new UsageError(`--trace: unknown trace '${t}' (known: exceptions)`);
  const el = o.el === undefined ? undefined : parseIntArg(o.el, '--el', 1, 3);
  const gdb = o.gdb !== undefined ? parseHostPort(o.gdb === true ? '127.0.0.1:1234' : o.gdb, '--gdb') : null;
  const inspector = o.inspector !== undefined ? parseHostPort(o.inspector, '--inspector') : null;
  if (o.wait && !gdb) throw new UsageError('--wait needs --gdb HOST:PORT');
  if (o.gdbPoll !== undefined && !gdb) throw new UsageError('--gdb-poll needs --gdb HOST:PORT');
  const gdbPoll = o.gdbPoll === undefined ? undefined : parseIntArg(o.gdbPoll, '--gdb-poll', 0, 1_000_000);

  const board = createBoard({
    kernel: o.kernel,
    bios: o.bios,
    initrd: o.initrd,
    append: o.append,
    dtb: o.dtb,
    ramMiB: o.memory !== undefined ? parseMem(o.memory) : undefined,
    smp: o.smp !== undefined ? parseIntArg(o.smp, '--smp', 1, 16) : undefined,
    el: el as 1 | 2 | 3 | undefined,
    maxInsns: o.maxInsns !== undefined ? parseIntArg(o.maxInsns, '--max-insns', 1) : undefined,
    modules: (o.module ?? []).map(parseModule),
  });
  if (o.dumpDtb) {
    try {
      writeFileSync(o.dumpDtb, board.dtb);
    } catch (e) {
      throw new UsageError(`--dump-dtb '${o.dumpDtb}': ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
    }
    return 0;
  }
  bootBoard(board);
  const m: Machine = board.machine;
  const out = new StdoutSink();
  m.on('uart', (b) => out.write(b));
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(141); // the reader is gone: end like a SIGPIPE would
    err(`stdout: ${e.message}`);
    process.exit(EXIT.INTERNAL);
  });
  if (traces.has('exceptions')) m.on('exception', (c, info) => process.stderr.write(formatException(board, c, info)));

  let consoleQuit = false;
  attachStdin(board, () => {
    consoleQuit = true;
    m.exit(EXIT_CONSOLE, 'terminated from the console');
  });

  type Closable = { close(): Promise<void> };
  const servers: Closable[] = [];
  if (inspector) {
    const mod = await importOptional('./inspector/server.ts');
    const start = mod?.startInspector as ((m: Machine, o: object) => Promise<{ port: number; url?: string } & Closable>) | undefined;
    if (!start) err('inspector not available yet (no startInspector in src/inspector/server.ts); running without it');
    else {
      const srv = await start(m, { ...inspector, board, allowRemote: !!o.inspectorAllowRemote, token: o.inspectorToken }).catch(startError('--inspector', inspector));
      servers.push(srv);
      err(`inspector: ${srv.url ?? `${inspector.host}:${srv.port}`}`);
    }
  }

  let gdbStart: ((m: Machine, o: { host: string; port: number; wait: boolean; board: Board; pollUs?: number }) => Promise<{ port: number } & Closable>) | undefined;
  if (gdb) {
    const mod = await importOptional('./gdb/server.ts');
    gdbStart = mod?.startGdbServer as typeof gdbStart;
    if (!gdbStart) throw new UsageError('--gdb: the GDB server is not available yet (src/gdb/server.ts is missing)');
  }

  if (servers.length || gdbStart) {
    // Front ends attached: the debug core (driven by gdb or the inspector) runs the machine; we wait
    // for the machine's exit (after the GDB server told gdb, as QEMU does) or --max-insns.
    const done = new Promise<number>((resolve) => {
      const finish = (code: number) => setTimeout(() => void out.drain().then(() => resolve(code)), 50);
      m.on('exit', (code, why) => {
        if (code !== 0 && !consoleQuit) err(`guest stopped: ${why} (exit ${code})`);
        if (consoleQuit) err('terminated (Ctrl-A x)');
        finish(code);
      });
      m.on('stop', (r) => {
        if (r.kind !== 'max-insns') return;
        err(`--max-insns ${m.maxInsns} reached (exit ${EXIT.MAX_INSNS})`);
        finish(EXIT.MAX_INSNS);
      });
    });
    if (gdbStart) {
      const srv = await gdbStart(m, { host: gdb!.host, port: gdb!.port, wait: !!o.wait, board, pollUs: gdbPoll }).catch(startError('--gdb', gdb!));
      servers.push(srv);
      err(`gdb server listening on ${gdb!.host}:${srv.port}${o.wait ? ' (waiting for gdb before starting)' : ''}`);
    } else {
      // inspector only: start running at once through the shared debug core
      const core = (await importOptional('./debug/core.ts'))?.debugCoreFor as ((m: Machine) => { continue(): void }) | undefined;
      if (core) core(m).continue();
      else void m.run();
    }
    const code = await done;
    await Promise.race([Promise.all(servers.map((s) => s.close().catch(() => {}))), new Promise((r) => setTimeout(r, 200))]);
    return code;
  }

  const reason: StopReason = await m.run();
  await out.drain();
  switch (reason.kind) {
    case 'exit':
      if (reason.code !== 0 && !consoleQuit) err(`guest stopped: ${reason.why} (exit ${reason.code})`);
      if (consoleQuit) err('terminated (Ctrl-A x)');
      return reason.code;
    case 'max-insns':
      err(`--max-insns ${m.maxInsns} reached (exit ${EXIT.MAX_INSNS})`);
      return EXIT.MAX_INSNS;
    case 'debug':
      err(`guest stopped on a debug event on cpu${reason.cpu}: ${reason.why} (exit ${EXIT.ALL_CPUS_OFF})`);
      return EXIT.ALL_CPUS_OFF;
    default:
      return EXIT.ALL_CPUS_OFF;
  }
}

export function buildProgram(): Command {
  const program = new Command();
  program
    .name('el2scope')
    .description('An emulated ARMv8-A machine (QEMU virt board) for debugging hypervisors at EL2')
    .exitOverride()
    .configureOutput({
      writeErr: (s) => process.stderr.write(s.startsWith('error: ') ? `el2scope: ${s}` : s),
      outputError: (s, write) => write(s.startsWith('error: ') ? s : `error: ${s}`),
    });
  program
    .command('run')
    .description('boot a kernel or firmware image on the virt board')
    .option('--kernel <file>', 'ELF or arm64 Linux Image (gzip ok); x0 = DTB address')
    .option('--bios <file>', 'raw firmware image loaded into flash at 0, started at 0')
    .option('--initrd <file>', 'initial ramdisk (DTB /chosen linux,initrd-start/end)')
    .option('--append <args>', 'kernel command line (DTB /chosen bootargs)')
    .option('--dtb <file>', 'use this device tree instead of the generated one')
    .option('--dump-dtb <file>', 'write the device tree that would be used and exit')
    .option('-m, --memory <MiB>', 'RAM size in MiB (default 128)')
    .option('--smp <n>', 'number of vCPUs (default 1; secondaries start with PSCI CPU_ON)')
    .addOption(new Option('--el <el>', 'start EL: 2 = non-secure EL2 (default), 1, 3 = secure EL3 firmware').choices(['1', '2', '3']))
    .option('--max-insns <n>', 'stop after N instructions (exit 3)')
    .option('--gdb [host:port]', 'serve the GDB remote protocol (bare --gdb: 127.0.0.1:1234)')
    .option('--wait', 'with --gdb: wait for gdb to continue before running')
    .option('--gdb-poll <us>', 'with --gdb: poll for the next packet this long after a reply (default 1000 with 2+ host CPUs, else 0)')
    .option('--inspector <host:port>', 'serve the WebSocket inspector (prints its URL with the access token)')
    .option('--inspector-allow-remote', 'let --inspector listen on a non-loopback address')
    .option('--inspector-token <token>', 'access token for the inspector (default: random per run)')
    .option('--trace <what>', 'trace to stderr: exceptions')
    .option(
      '--module <addr,file[,bootargs]>',
      'Xen boot module loaded at ADDR and described in /chosen (first: dom0 kernel, second: its ramdisk); repeatable',
      (v: string, prev: string[] | undefined) => [...(prev ?? []), v],
    )
    .addHelpText(
      'after',
      '\nExit status: 0 guest powered off, 1 internal error, 2 bad option or file, 3 --max-insns reached,\n' +
        '4 every CPU powered off without SYSTEM_OFF, 5 Ctrl-A x on the console.',
    )
    .action(async (o: RunOptions) => {
      process.exitCode = await run(o);
    });
  program
    .command('script')
    .description('run a script (default export (client, ctx) => ...) with an inspector client, see examples/')
    .argument('<file>', 'TypeScript or JavaScript module')
    .option('--connect <url>', 'connect to a running el2scope inspector (the URL it printed) instead of starting a machine')
    .option('--kernel <file>', 'ELF or arm64 Linux Image to boot')
    .option('--bios <file>', 'raw firmware image loaded into flash at 0')
    .option('-m, --memory <MiB>', 'RAM size in MiB (default 128)')
    .option('--smp <n>', 'number of vCPUs')
    .addOption(new Option('--el <el>', 'start EL').choices(['1', '2', '3']))
    .option('--max-insns <n>', 'stop after N instructions')
    .action(async (file: string, o: { connect?: string; kernel?: string; bios?: string; memory?: string; smp?: string; el?: string; maxInsns?: string }) => {
      const { runScript, ScriptError } = await import('./script');
      try {
        process.exitCode = await runScript(file, {
          connect: o.connect,
          board: {
            kernel: o.kernel,
            bios: o.bios,
            ramMiB: o.memory !== undefined ? parseMem(o.memory) : undefined,
            smp: o.smp !== undefined ? parseIntArg(o.smp, '--smp', 1, 16) : undefined,
            el: o.el === undefined ? undefined : (parseIntArg(o.el, '--el', 1, 3) as 1 | 2 | 3),
            maxInsns: o.maxInsns !== undefined ? parseIntArg(o.maxInsns, '--max-insns', 1) : undefined,
          },
        });
      } catch (e) {
        if (e instanceof ScriptError) throw new UsageError(e.message);
        throw e;
      }
    });
  return program;
}

export async function main(argv: string[]): Promise<number> {
  try {
    await buildProgram().parseAsync(argv);
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (e) {
    if (e instanceof CommanderError) {
      // --help / --version exit 0; everything else commander reports (one line) is a usage error
      return e.exitCode === 0 ? 0 : EXIT.USAGE;
    }
    if (e instanceof UsageError || e instanceof LoadError) {
      err(`error: ${e.message}`);
      return EXIT.USAGE;
    }
    err(`internal error: ${(e as Error)?.stack ?? String(e)}`);
    return EXIT.INTERNAL;
  }
}

const entry = process.argv[1] ?? '';
if (/(?:cli\.ts|el2scope(?:\.js)?)$/.test(entry)) {
  main(process.argv).then(
    (code) => process.exit(code),
    (e) => {
      err(`internal error: ${(e as Error)?.stack ?? String(e)}`);
      process.exit(EXIT.INTERNAL);
    },
  );
}
