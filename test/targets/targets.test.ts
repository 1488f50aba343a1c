// The guest programs of targets/ run on el2scope's CLI to PSCI SYSTEM_OFF (or, for --el 3 targets,
// the secure GPIO power-off) and must print exactly the golden UART output recorded from QEMU
// (targets/golden/<name>.txt; "manual" goldens are written from the Arm ARM, see the .md beside
// them). The list of targets, their start EL and --max-insns safety limit is targets/targets.txt.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

interface TargetEntry {
  name: string;
  el: 2 | 3;
  maxInsns: number;
  golden: 'qemu' | 'manual';
  kind: 'test' | 'bench' | 'pending';
  smp: number;
  elf: string;
  goldenFile: string;
}

function readTargets(): TargetEntry[] {
  const text = readFileSync(join(root, 'targets', 'targets.txt'), 'utf8');
  const out: TargetEntry[] = [];
  for (const line of text.split('\n')) {
    const t = line.trim();
    if (!t || t.startsWith('#')) continue;
    const [name, el, max, golden, kind, smp] = t.split(/\s+/);
    out.push({
      name,
      el: Number(el) as 2 | 3,
      maxInsns: Number(max),
      golden: golden as 'qemu' | 'manual',
      kind: kind as 'test' | 'bench' | 'pending',
      smp: smp ? Number(smp) : 1,
      elf: join(root, 'targets', 'build', `${name}.elf`),
      goldenFile: join(root, 'targets', 'golden', `${name}.txt`),
    });
  }
  return out;
}

interface RunResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

function run(cmd: string, args: string[], timeoutMs: number): Promise<RunResult> {
  return new Promise((resolve) => {
    const p = spawn(cmd, args, { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    p.stdout.on('data', (d: Buffer) => out.push(d));
    p.stderr.on('data', (d: Buffer) => err.push(d));
    const timer = setTimeout(() => p.kill('SIGKILL'), timeoutMs);
    p.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout: Buffer.concat(out).toString('latin1'), stderr: Buffer.concat(err).toString('utf8') });
    });
  });
}

/** el2scope's CLI, the way a user runs it (tsx loader in a fresh node). */
function runEl2scope(t: TargetEntry): Promise<RunResult> {
  const args = ['--import', 'tsx', join(root, 'src', 'cli.ts'), 'run', '--kernel', t.elf, '--max-insns', String(t.maxInsns)];
  if (t.el === 3) args.push('--el', '3');
  if (t.smp > 1) args.push('--smp', String(t.smp));
  return run(process.execPath, args, 110_000);
}

const targets = readTargets();
const tests = targets.filter((t) => t.kind === 'test');
// targets for features el2scope does not implement yet: listed, golden checked against QEMU, not run
const pending = targets.filter((t) => t.kind === 'pending');
for (const t of pending) console.warn(`test/targets: ${t.name} is pending (see targets/targets.txt): not run on el2scope`);

describe('targets/ layout', () => {
  it('lists every built program and golden file', () => {
    expect(tests.length).toBeGreaterThanOrEqual(6);
    for (const t of targets) {
      expect(existsSync(t.elf), `${t.elf} (run targets/build.sh)`).toBe(true);
      expect(existsSync(t.goldenFile), `${t.goldenFile} (run scripts/record-golden.sh)`).toBe(true);
      if (t.golden === 'manual') expect(existsSync(t.goldenFile.replace(/\.txt$/, '.md'))).toBe(true);
    }
  });
});

// (an empty describe fails in vitest: only when some target is pending)
if (pending.length > 0) {
  describe('pending targets (features not implemented yet)', () => {
    for (const t of pending) it.skip(`${t.name}: pending, see targets/targets.txt`, () => {});
  });
}

describe.concurrent('targets run on el2scope and match the golden output', () => {
  for (const t of tests) {
    it(`${t.name}${t.el === 3 ? ' (--el 3)' : ''}`, { timeout: 120_000 }, async () => {
      const golden = readFileSync(t.goldenFile, 'latin1');
      const r = await runEl2scope(t);
      // the UART text first: its diff is the most useful message when something is wrong
      expect(r.stdout, `stderr:\n${r.stderr.slice(0, 2000)}`).toBe(golden);
      expect(r.code, `exit status (stderr: ${r.stderr.slice(0, 500)})`).toBe(0);
    });
  }
});

const qemu = 'qemu-system-aarch64';
const hasQemu = spawnSync(qemu, ['--version'], { stdio: 'ignore' }).status === 0;
if (!hasQemu) console.warn(`test/targets: ${qemu} not installed; skipping the check that goldens are current`);

describe.skipIf(!hasQemu).concurrent('goldens are what QEMU prints for the committed ELFs', () => {
  for (const t of targets.filter((x) => x.golden === 'qemu' && x.kind === 'test')) {
    it(t.name, { timeout: 60_000 }, async () => {
      const machine = t.el === 3 ? 'virt,secure=on,virtualization=on,gic-version=3' : 'virt,virtualization=on,gic-version=3';
      const smp = t.smp > 1 ? ['-smp', String(t.smp)] : [];
      const r = await run(qemu, ['-M', machine, '-cpu', 'max', '-nographic', '-monitor', 'none', '-serial', 'stdio', ...smp, '-kernel', t.elf], 50_000);
      expect(r.code).toBe(0);
      expect(r.stdout).toBe(readFileSync(t.goldenFile, 'latin1'));
    });
  }
});
