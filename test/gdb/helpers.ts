// Shared helpers for the gdb tests: a tiny machine, our server on an ephemeral port, and a real
// gdb-multiarch in batch mode (run asynchronously: the server lives in this process).
import { execFile, execFileSync } from 'node:child_process';
import net from 'node:net';
import { framePacket, PacketReader } from '../../src/gdb/protocol/packet';
import { Machine, RAM_BASE } from '../../src/machine/machine';
import { startGdbServer } from '../../src/gdb/server';

export const GDB = 'gdb-multiarch';
export const hasGdb = (() => {
  try {
    execFileSync(GDB, ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();
if (!hasGdb) console.warn('test/gdb: gdb-multiarch not found, skipping real-gdb tests');

export function words(...w: number[]): Uint8Array {
  const b = new Uint8Array(w.length * 4);
  w.forEach((x, i) => new DataView(b.buffer).setUint32(i * 4, x >>> 0, true));
  return b;
}

export { RAM_BASE };

/** movz x1,#5 ; add x1,x1,#1 ; b .-4  at RAM_BASE */
export const LOOP = words(0xd28000a1, 0x91000421, 0x17ffffff);

export function machineWith(code: Uint8Array, opts: { smp?: number; at?: number } = {}): Machine {
  const m = new Machine({ ramMiB: 16, smp: opts.smp ?? 1 });
  const at = opts.at ?? RAM_BASE;
  m.bus.loadBytes(at, code);
  for (const c of m.cpus) c.pc = BigInt(at);
  return m;
}

export async function serve(m: Machine, wait = true) {
  return startGdbServer(m, { host: '127.0.0.1', port: 0, wait });
}

/** Run gdb-multiarch in batch mode against port with the given commands; resolves with stdout+stderr. */
export function gdb(port: number, cmds: string[], timeoutMs = 20000, attach = true): Promise<string> {
  const args = ['-batch', '-nx', '-ex', 'set architecture aarch64', '-ex', 'set confirm off'];
  if (attach) args.push('-ex', `target remote 127.0.0.1:${port}`);
  for (const c of cmds) args.push('-ex', c);
  return new Promise((resolve) => {
    execFile(GDB, args, { timeout: timeoutMs }, (err, stdout, stderr) => {
      resolve(stdout + stderr + (err && (err as { killed?: boolean }).killed ? '\n<gdb timed out>' : ''));
    });
  });
}

/** A minimal raw RSP client (acks ignored): ask() returns the reply text, askRaw() its bytes
 * (run-length expanded, still escaped). */
export async function rawClient(port: number) {
  const sock = net.connect(port, '127.0.0.1');
  const rd = new PacketReader(0x100000);
  const queue: string[] = [];
  const rawQueue: Buffer[] = [];
  let waiter: (() => void) | null = null;
  sock.on('data', (d) => {
    for (const e of rd.feed(d))
      if (e.kind === 'packet') {
        queue.push(Buffer.from(e.data).toString('latin1'));
        rawQueue.push(Buffer.from(e.data));
        waiter?.();
      }
  });
  sock.on('error', () => {});
  await new Promise<void>((r) => sock.once('connect', () => r()));
  const next = async (ms = 5000): Promise<string> => {
    const t0 = Date.now();
    while (queue.length === 0) {
      if (Date.now() - t0 > ms) throw new Error('no reply');
      await new Promise<void>((r) => {
        waiter = r;
        setTimeout(r, 50);
      });
    }
    rawQueue.shift();
    return queue.shift()!;
  };
  return {
    send: (p: string) => sock.write(Buffer.from(framePacket(p))),
    raw: (b: Buffer) => sock.write(b),
    next,
    ask: async (p: string) => {
      sock.write(Buffer.from(framePacket(p)));
      return next();
    },
    /** the reply's bytes (RLE expanded, still escaped) */
    askRaw: async (p: string): Promise<Buffer> => {
      sock.write(Buffer.from(framePacket(p)));
      const t0 = Date.now();
      while (rawQueue.length === 0) {
        if (Date.now() - t0 > 5000) throw new Error('no reply');
        await new Promise<void>((r) => {
          waiter = r;
          setTimeout(r, 50);
        });
      }
      queue.shift();
      return rawQueue.shift()!;
    },
    close: () => sock.destroy(),
  };
}
