// Shared by the real-image tests: where the images are (scripts/fetch-images), and a runner that
// starts `el2scope run ...` as a user would, watches its console, types into it, and stops it.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

export const ROOT = join(__dirname, '..', '..');
export const IMAGES = process.env.EL2SCOPE_IMAGES ?? join(ROOT, 'images');
export const img = (name: string) => join(IMAGES, name);

/** Names of the images that are missing (empty when all are present). */
export function missing(...names: string[]): string[] {
  return names.filter((n) => !existsSync(img(n)));
}

export function skipMessage(what: string, names: string[]): string {
  return `${what} skipped: ${names.map(img).join(', ')} not found (run scripts/fetch-images)`;
}

export class Console {
  out = '';
  exitCode: number | null = null;
  readonly t0 = Date.now();
  private waiters: (() => void)[] = [];
  constructor(readonly proc: ChildProcess) {
    proc.stdout!.on('data', (d: Buffer) => {
      this.out += d.toString('latin1');
      this.wake();
    });
    proc.stderr!.on('data', (d: Buffer) => {
      this.out += d.toString('latin1');
      this.wake();
    });
    proc.on('exit', (code) => {
      this.exitCode = code ?? -1;
      this.wake();
    });
  }
  private wake(): void {
    const w = this.waiters;
    this.waiters = [];
    for (const f of w) f();
  }
  /** Wait until `re` matches the console output after `from` (default: anywhere); returns the match. */
  async waitFor(re: RegExp, timeoutMs: number, from = 0): Promise<RegExpMatchArray> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const m = this.out.slice(from).match(re);
      if (m) return m;
      if (this.exitCode !== null) throw new Error(`el2scope exited (${this.exitCode}) before ${re}; console tail:\n${this.out.slice(-3000)}`);
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`timed out after ${timeoutMs} ms waiting for ${re}; console tail:\n${this.out.slice(-3000)}`);
      await new Promise<void>((r) => {
        const t = setTimeout(r, Math.min(left, 1000));
        this.waiters.push(() => {
          clearTimeout(t);
          r();
        });
      });
    }
  }
  type(s: string): void {
    this.proc.stdin!.write(s);
  }
  async exit(timeoutMs: number): Promise<number> {
    const deadline = Date.now() + timeoutMs;
    while (this.exitCode === null && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    return this.exitCode ?? -1;
  }
  kill(): void {
    if (this.exitCode === null) this.proc.kill('SIGKILL');
  }
  get seconds(): number {
    return (Date.now() - this.t0) / 1000;
  }
}

export function el2scope(args: string[]): Console {
  // node itself with tsx as a loader: one process, so kill() really stops the emulator (the tsx
  // wrapper would leave its node child running)
  const p = spawn(process.execPath, ['--import', 'tsx', 'src/cli.ts', 'run', ...args], { cwd: ROOT, env: { ...process.env, DEBUG: '' }, stdio: ['pipe', 'pipe', 'pipe'] });
  return new Console(p);
}

/** The documented recipes (README "Real software"): one place, so the README and the tests agree. */
export const RECIPES = {
  /** Linux at EL2 with KVM in nVHE mode (prints "Hyp mode initialized successfully") */
  linuxKvm: (smp = 1, extra = '') => [
    '--kernel', img('Image'), '--initrd', img('initramfs.cpio.gz'), '-m', '1024', '--smp', String(smp),
    '--append', `console=ttyAMA0 kvm-arm.mode=nvhe cryptomgr.notests${extra ? ' ' + extra : ''}`,
  ],
  /** the same kernel as a VHE host (the default when the CPU has FEAT_VHE): KVM runs at EL2 with the
   * kernel, "kvm [1]: VHE mode initialized successfully" */
  linuxVhe: (extra = '') => [
    '--kernel', img('Image'), '--initrd', img('initramfs.cpio.gz'), '-m', '1024',
    '--append', `console=ttyAMA0 cryptomgr.notests${extra ? ' ' + extra : ''}`,
  ],
  uboot: () => ['--bios', img('u-boot.bin'), '-m', '512'],
  xen: () => [
    '--kernel', img('xen'), '-m', '1024',
    '--append', 'console=dtuart dtuart=/pl011@9000000 dom0_mem=256M loglvl=all guest_loglvl=all',
    '--module', `0x50000000,${img('Image')},console=hvc0 earlycon=xen rdinit=/init cryptomgr.notests`,
    '--module', `0x53000000,${img('initramfs.cpio.gz')}`,
  ],
};
