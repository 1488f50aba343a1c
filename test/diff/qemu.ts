// Starting and stopping a QEMU `virt` machine halted at reset with its gdbstub on a Unix socket.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RspClient } from './rsp';

export const QEMU_BIN = process.env.EL2SCOPE_QEMU ?? 'qemu-system-aarch64';

let qemuChecked: boolean | undefined;
/** Is qemu-system-aarch64 installed (runs `--version`)? */
export function hasQemu(): boolean {
  if (qemuChecked === undefined) {
    const r = spawnSync(QEMU_BIN, ['--version'], { encoding: 'utf8' });
    qemuChecked = r.status === 0;
  }
  return qemuChecked;
}

export class QemuInstance {
  readonly rsp = new RspClient();
  private proc!: ChildProcess;
  private dir!: string;
  stderr = '';

  /** Start `qemu-system-aarch64 -M virt,virtualization=on -cpu max -S` (EL2 at reset, no firmware)
   * and connect to its gdbstub in no-ack mode. */
  async start(ramMiB = 128): Promise<void> {
    this.dir = mkdtempSync(join(tmpdir(), 'el2scope-diff-'));
    const sock = join(this.dir, 'gdb.sock');
    const args = [
      '-M', 'virt,virtualization=on',
      '-cpu', 'max',
      '-m', String(ramMiB),
      '-nographic', '-monitor', 'none', '-serial', 'none',
      '-S',
      '-chardev', `socket,id=gdb0,path=${sock},server=on,wait=off`,
      '-gdb', 'chardev:gdb0',
      ...(process.env.EL2SCOPE_QEMU_ARGS ? process.env.EL2SCOPE_QEMU_ARGS.split(' ') : []),
    ];
    this.proc = spawn(QEMU_BIN, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    this.proc.stderr!.setEncoding('utf8');
    this.proc.stderr!.on('data', (d: string) => (this.stderr += d));
    this.proc.on('error', (e) => (this.stderr += String(e)));
    // never leave a QEMU behind if our process ends without stop() (test worker killed, ^C)
    const proc = this.proc;
    this.onExit = () => {
      if (proc.exitCode === null) proc.kill('SIGKILL');
    };
    process.once('exit', this.onExit);
    await this.rsp.connect({ path: sock });
    await this.rsp.startNoAck();
  }

  private onExit: (() => void) | null = null;

  stop(): void {
    if (this.onExit) process.off('exit', this.onExit);
    this.onExit = null;
    this.rsp.close();
    if (this.proc && this.proc.exitCode === null) this.proc.kill('SIGKILL');
    if (this.dir) rmSync(this.dir, { recursive: true, force: true });
  }
}
