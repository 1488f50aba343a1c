// The CLI as a user runs it: spawn `tsx src/cli.ts run ...` and check stdout (exactly the guest's
// UART output), stderr (our one-line messages) and the exit status.
import { describe, it, expect, beforeAll } from 'vitest';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { buildElf, buildImage, words, decodes, I, printInsns, psciFn } from '../unit/board.helpers';
import { parseFdt, findNode } from '../../src/machine/dtb';
import { PSCI_FN } from '../../src/machine/psci';

const ROOT = resolve(__dirname, '../..');
const TSX = join(ROOT, 'node_modules/.bin/tsx');
const ENTRY = 0x4008_0000;

interface Result {
  code: number | null;
  stdout: string;
  stderr: string;
}

function runCli(args: string[], input?: string, timeoutMs = 55_000): Promise<Result> {
  return new Promise((res, rej) => {
    const p = spawn(TSX, ['src/cli.ts', 'run', ...args], { cwd: ROOT, env: { ...process.env, DEBUG: '' } });
    let stdout = '';
    let stderr = '';
    p.stdout.on('data', (d) => (stdout += d));
    p.stderr.on('data', (d) => (stderr += d));
    const t = setTimeout(() => {
      p.kill('SIGKILL');
      rej(new Error(`timeout: ${args.join(' ')}\nstderr: ${stderr}`));
    }, timeoutMs);
    p.on('close', (code) => {
      clearTimeout(t);
      res({ code, stdout, stderr: stderr.replace(/^npm warn.*\n/gm, '') });
    });
    if (input !== undefined) p.stdin.end(input);
    else p.stdin.end();
  });
}

/** main() of src/cli.ts in this process, capturing what it writes to stdout/stderr. */
async function runMain(args: string[]): Promise<Result> {
  const { main } = await import('../../src/cli');
  let stdout = '';
  let stderr = '';
  const ow = process.stdout.write.bind(process.stdout);
  const ew = process.stderr.write.bind(process.stderr);
  const savedExit = process.exitCode;
  process.stdout.write = ((c: string | Uint8Array) => ((stdout += String(c)), true)) as typeof process.stdout.write;
  process.stderr.write = ((c: string | Uint8Array) => ((stderr += String(c)), true)) as typeof process.stderr.write;
  try {
    const code = await main(['node', 'el2scope', 'run', ...args]);
    return { code, stdout, stderr };
  } finally {
    process.stdout.write = ow;
    process.stderr.write = ew;
    process.exitCode = savedExit;
  }
}

function expectUsageError(r: Result, re: RegExp): void {
  expect(r.code).toBe(2);
  expect(r.stdout).toBe('');
  const lines = r.stderr.trimEnd().split('\n');
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(/^el2scope: error: /);
  expect(lines[0]).toMatch(re);
  expect(r.stderr).not.toMatch(/\bat .*\.ts:\d+/); // no stack trace
}

// ldr w2,[x1,#0x18]; tbnz w2,#4,.-4; ldr w3,[x1]; str w3,[x1]; cmp w3,#'\n'; b.ne .-20
const ECHO_LOOP = [0xb9401822, 0x3727ffe2, 0xb9400023, 0xb9000023, 0x7100287f, 0x54ffff61];

let dir = '';
const f = (n: string) => join(dir, n);
const elf = (code: number[]) => buildElf({ entry: ENTRY, segments: [{ addr: ENTRY, data: words(...code) }], symbols: [{ name: '_start', value: ENTRY, func: true }] });

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'el2scope-cli-'));
  writeFileSync(f('spin.elf'), elf([I.B_SELF]));
  writeFileSync(f('udf.elf'), elf([0x00000000]));
  writeFileSync(f('truncated.elf'), elf([I.B_SELF, I.B_SELF]).subarray(0, 90));
  writeFileSync(f('notes.txt'), 'this is not a kernel\n'.repeat(10));
  writeFileSync(f('badmagic.Image'), buildImage(words(I.B_SELF), 0, undefined, 'ARMX'));
  writeFileSync(f('hello.elf'), elf([I.MOVZ_X1_UART, ...printInsns('hello\n'), ...psciFn(PSCI_FN.SYSTEM_OFF), I.SMC, I.B_SELF]));
  // echo: poll FR.RXFE, read DR, write it back, until a newline; then SYSTEM_OFF
  writeFileSync(f('echo.elf'), elf([I.MOVZ_X1_UART, ...ECHO_LOOP, ...psciFn(PSCI_FN.SYSTEM_OFF), I.SMC, I.B_SELF]));
  writeFileSync(f('hello.Image'), buildImage(words(I.MOVZ_X1_UART, ...printInsns('img'), ...psciFn(PSCI_FN.SYSTEM_OFF), I.SMC, I.B_SELF), 0));
});

describe('el2scope run: bad input is one line on stderr and exit status 2', () => {
  it('missing file', async () => expectUsageError(await runCli(['--kernel', f('nope.elf')]), /no such file/));
  it('truncated ELF', async () => expectUsageError(await runCli(['--kernel', f('truncated.elf')]), /truncated/));
  it('non-ELF file as --kernel', async () => expectUsageError(await runCli(['--kernel', f('notes.txt')]), /neither an ELF/));
  it('Image with a bad magic', async () => expectUsageError(await runCli(['--kernel', f('badmagic.Image')]), /neither an ELF file nor an arm64 Linux Image/));
  it('-m 0', async () => expectUsageError(await runCli(['--kernel', f('spin.elf'), '-m', '0']), /-m/));
  const bad: [string, string[], RegExp][] = [
    ['--smp two', ['--smp', 'two'], /--smp/],
    ['--max-insns -5', ['--max-insns', '-5'], /--max-insns|argument/],
    ['-m lots', ['-m', 'lots'], /-m/],
    ['--el 4', ['--el', '4'], /--el/],
    ['unknown option', ['--frobnicate'], /unknown option/],
    ['--wait without --gdb', ['--wait'], /--wait needs --gdb/],
    ['--gdb-poll without --gdb', ['--gdb-poll', '100'], /--gdb-poll needs --gdb/],
    ['--gdb-poll not a number', ['--gdb', '127.0.0.1:0', '--gdb-poll', 'fast'], /--gdb-poll/],
    ['--gdb port out of range', ['--gdb', 'localhost:99999'], /--gdb/],
    ['--trace unknown', ['--trace', 'everything'], /--trace/],
  ];
  // option errors are checked in-process through main() (same code path, no process start-up);
  // the file errors above run the real process end to end
  for (const [name, args, re] of bad) {
    it(name, async () => expectUsageError(await runMain(['--kernel', f('spin.elf'), ...args]), re));
  }
  it('no image at all', async () => expectUsageError(await runMain([]), /nothing to run/));
});

describe('el2scope run', () => {
  it('--dump-dtb writes the device tree and exits 0 without running', async () => {
    const out = f('virt.dtb');
    const r = await runCli(['--kernel', f('spin.elf'), '-m', '256', '--smp', '2', '--append', 'console=ttyAMA0', '--dump-dtb', out]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('');
    const t = parseFdt(new Uint8Array(readFileSync(out)));
    expect(findNode(t, '/memory@40000000')!.getCells('reg')).toEqual([0, 0x4000_0000, 0, 256 << 20]);
    expect(findNode(t, '/cpus/cpu@1')).toBeDefined();
    expect(findNode(t, '/chosen')!.getStrings('bootargs')).toEqual(['console=ttyAMA0']);
    expect(findNode(t, '/psci')!.getStrings('method')).toEqual(['smc']);
  });

  it('--module ADDR,FILE[,bootargs] adds a Xen boot module (bootargs may hold commas)', async () => {
    const out = f('xen.dtb');
    const r = await runCli(['--kernel', f('spin.elf'), '--module', `0x47000000,${f('notes.txt')},console=hvc0,earlyprintk`, '--module', `0x47200000,${f('notes.txt')}`, '--dump-dtb', out]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const chosen = findNode(parseFdt(new Uint8Array(readFileSync(out))), '/chosen')!;
    expect(chosen.child('module@47000000')!.getStrings('bootargs')).toEqual(['console=hvc0,earlyprintk']);
    expect(chosen.child('module@47200000')!.getStrings('compatible')![0]).toBe('multiboot,ramdisk');
    expectUsageError(await runCli(['--kernel', f('spin.elf'), '--module', 'nonsense']), /--module/);
  });

  it('--max-insns stops with exit status 3 and nothing on stdout', async () => {
    const r = await runCli(['--kernel', f('spin.elf'), '--max-insns', '1000']);
    expect(r.code).toBe(3);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/max-insns 1000 reached/);
  });

  it('--trace exceptions prints each exception to stderr', async () => {
    // an undefined instruction at EL2 vectors to VBAR_EL2 (0: flash, zeros) and faults again
    const r = await runCli(['--kernel', f('udf.elf'), '--max-insns', '4', '--trace', 'exceptions']);
    expect(r.code).toBe(3);
    expect(r.stdout).toBe('');
    const lines = r.stderr.split('\n').filter((l) => l.startsWith('[exception]'));
    expect(lines.length).toBeGreaterThanOrEqual(2);
    expect(lines[0]).toMatch(/cpu0 EL2->EL2 sync EC=0x0 UNKNOWN .*ESR=0x2000000 FAR=- ELR=0x40080000 <_start>/);
    expect(lines[1]).toMatch(/ELR=0x200\b/);
  });

  it('--inspector prints its URL on stderr and the run goes on; a non-loopback address is refused', async () => {
    const hasInspector = existsSync(join(ROOT, 'src/inspector/server.ts'));
    const r = await runCli(['--kernel', f('spin.elf'), '--max-insns', '2000', '--inspector', '127.0.0.1:0']);
    expect(r.code).toBe(3);
    expect(r.stdout).toBe('');
    if (!hasInspector) {
      expect(r.stderr).toMatch(/inspector not available yet/);
      return;
    }
    expect(r.stderr).toMatch(/^el2scope: inspector: http:\/\/127\.0\.0\.1:\d+\/\?token=[0-9a-f]+$/m);
    expectUsageError(await runCli(['--kernel', f('spin.elf'), '--inspector', '0.0.0.0:0']), /non-loopback/);
  });
});

const canRun = decodes(I.MOVZ_X1_UART, I.movzW2(0x41), I.STR_W2_X1, I.MOVK_X0_8400, I.SMC, I.B_SELF, ...ECHO_LOOP);
if (!canRun) console.log('CLI program tests: the decoder does not know MOVZ/MOVK/STR/SMC yet, skipping');

describe.skipIf(!canRun)('el2scope run: guest programs', () => {
  it('stdout is exactly the UART output; PSCI SYSTEM_OFF exits 0', async () => {
    const r = await runCli(['--kernel', f('hello.elf')]);
    expect(r.stdout).toBe('hello\n');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
  });

  it('stdin feeds the PL011 receive FIFO', async () => {
    const input = 'typed into the guest, longer than the 1-byte holding register\n';
    const r = await runCli(['--kernel', f('echo.elf')], input);
    expect(r.stdout).toBe(input);
    expect(r.code).toBe(0);
  });

  it('boots a Linux arm64 Image with x0 = DTB', async () => {
    const r = await runCli(['--kernel', f('hello.Image'), '-m', '64']);
    expect(r.stdout).toBe('img');
    expect(r.code).toBe(0);
  });
});
