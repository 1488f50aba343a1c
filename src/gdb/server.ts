// TCP transport of the GDB server: one gdb at a time (a new connection replaces the previous one),
// loopback by default. The debug core owns run control (machine.run/pause).
import net from 'node:net';
import createDebug from 'debug';
import type { Machine } from '../machine/machine';
import { El2Target } from './el2target';
import { GdbSession } from './session';

const log = createDebug('el2scope:gdb');

export interface GdbServerOptions {
  host: string;
  port: number;
  /** hold the CPU at reset until gdb continues or steps */
  wait: boolean;
  board?: unknown;
}

export async function startGdbServer(machine: Machine, opts: GdbServerOptions): Promise<{ port: number; close(): Promise<void> }> {
  const target = new El2Target(machine);
  let current: { sock: net.Socket; session: GdbSession } | null = null;
  const sockets = new Set<net.Socket>();
  const server = net.createServer((sock) => {
    sockets.add(sock);
    sock.on('close', () => sockets.delete(sock));
    sock.on('error', () => {});
    if (current) {
      // one gdb at a time: a new connection replaces one that may have vanished silently
      log('new gdb connection replaces the previous one');
      const old = current;
      current = null;
      old.session.lost();
      old.sock.destroy();
    }
    sock.setNoDelay(true);
    const session = new GdbSession(target, {
      write: (b) => {
        if (!sock.destroyed) sock.write(b);
      },
      end: () => sock.end(),
    });
    current = { sock, session };
    log(`gdb connected from ${sock.remoteAddress}:${sock.remotePort}`);
    sock.on('data', (d) => {
      try {
        session.feed(d);
      } catch (e) {
        log(`session error: ${(e as Error).message}`);
      }
    });
    sock.on('close', () => {
      session.lost();
      if (current?.sock === sock) current = null;
      log('gdb disconnected');
    });
  });
  server.on('error', (e) => log(`server error: ${e.message}`));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, opts.host || '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const addr = server.address();
  const port = typeof addr === 'object' && addr ? addr.port : opts.port;
  if (!opts.wait) target.core.continue();
  return {
    port,
    close: async () => {
      // stop serving and stop the machine where it is (the owner decides what happens next)
      target.core.pause();
      for (const s of sockets) s.destroy();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}
