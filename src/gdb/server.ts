// TCP transport of the GDB server: one gdb at a time (a new connection replaces the previous one),
// loopback by default. The debug core owns run control (machine.run/pause).
import net from 'node:net';
import { readSync, writeSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import createDebug from 'debug';
import type { Machine } from '../machine/machine';
import { El2Target } from './el2target';
import { PollWindow } from './poll-window';
import { GdbSession } from './session';
import { PACKET_SIZE } from './handlers/query';

const log = createDebug('el2scope:gdb');

export interface GdbServerOptions {
  host: string;
  port: number;
  /** hold the CPU at reset until gdb continues or steps */
  wait: boolean;
  board?: unknown;
  /** After each reply while the machine is stopped, keep polling the socket this many microseconds
   * for gdb's next packet instead of sleeping in the event loop (default 1000 with two or more host
   * CPUs, 0 on one). gdb answers a stop with a burst of small packets ~50 us apart; a process that
   * sleeps between them pays a wake-up each time, which costs as much as handling the packet. */
  pollUs?: number;
}

/** how long a reply may wait for room in the socket buffer before the rest is queued */
const WRITE_SPIN_MS = 5;

const wouldBlock = (e: unknown) => {
  const code = (e as NodeJS.ErrnoException).code;
  return code === 'EAGAIN' || code === 'EWOULDBLOCK';
};

/** The OS file descriptor of a connected TCP socket (Node keeps it on the handle), or -1. */
function socketFd(sock: net.Socket): number {
  const fd = (sock as unknown as { _handle?: { fd?: unknown } })._handle?.fd;
  return typeof fd === 'number' ? fd : -1;
}

export async function startGdbServer(machine: Machine, opts: GdbServerOptions): Promise<{ port: number; close(): Promise<void> }> {
  const target = new El2Target(machine);
  let current: { sock: net.Socket; session: GdbSession } | null = null;
  const sockets = new Set<net.Socket>();
  const pollMs = Math.max(0, Math.floor(opts.pollUs ?? (availableParallelism() > 1 ? 1000 : 0))) / 1000;
  const pollBuf = Buffer.allocUnsafe(PACKET_SIZE + 64);
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
    const fd = pollMs > 0 ? socketFd(sock) : -1;
    let polling = false;
    let inData = false;
    const win = new PollWindow(pollMs);
    // reads that found gdb's bytes by busy-polling / through the event loop (DEBUG=el2scope:gdb)
    let polled = 0;
    let evented = 0;
    const feed = (d: Uint8Array) => {
      try {
        session.feed(d);
      } catch (e) {
        log(`session error: ${(e as Error).message}`);
      }
    };
    // Busy-poll (see GdbServerOptions.pollUs): read the non-blocking socket directly until gdb has
    // been quiet for pollMs, the machine runs again, or the socket fails (left to the stream's own
    // read, which reports end and errors).
    const poll = () => {
      if (polling || fd < 0) return;
      polling = true;
      // an empty non-blocking read throws EAGAIN: without a stack trace that costs half as much
      const stl = Error.stackTraceLimit;
      Error.stackTraceLimit = 0;
      const window = win.ms;
      let got = false;
      try {
        let last = performance.now();
        while (!sock.destroyed && current?.sock === sock && !target.isRunning() && sock.writableLength === 0) {
          let n: number;
          try {
            n = readSync(fd, pollBuf, 0, pollBuf.length, null);
          } catch (e) {
            if (!wouldBlock(e)) return;
            const now = performance.now();
            if (now - last > window) {
              if (!got) win.missed(now);
              return;
            }
            continue;
          }
          if (n <= 0) return;
          got = true;
          polled++;
          win.hit();
          feed(pollBuf.subarray(0, n));
          last = performance.now();
        }
      } finally {
        Error.stackTraceLimit = stl;
        polling = false;
      }
    };
    // Replies go straight to the socket when nothing is queued on the stream (the stream's own
    // write adds a few microseconds of bookkeeping per packet). A large reply (a 64 KiB `m` is 128 KiB
    // of hex) may not fit the socket buffer at once: gdb is reading it, so keep writing for a short
    // while, then leave the rest to the stream (which needs the event loop: poll() stops then).
    const write = (b: Uint8Array) => {
      if (fd < 0 || sock.writableLength > 0) {
        sock.write(b);
        return;
      }
      let off = 0;
      try {
        off = writeSync(fd, b);
      } catch (e) {
        if (!wouldBlock(e)) {
          sock.destroy();
          return;
        }
      }
      if (off === b.length) return;
      // the rest of a large reply
      const t0 = performance.now();
      const stl = Error.stackTraceLimit;
      Error.stackTraceLimit = 0;
      try {
        while (off < b.length && performance.now() - t0 < WRITE_SPIN_MS) {
          try {
            off += writeSync(fd, b, off, b.length - off);
          } catch (e) {
            if (!wouldBlock(e)) {
              sock.destroy();
              return;
            }
          }
        }
      } finally {
        Error.stackTraceLimit = stl;
      }
      if (off < b.length) sock.write(b.subarray(off));
    };
    const session = new GdbSession(target, {
      write: (b) => {
        if (sock.destroyed) return;
        write(b);
        // a stop reply (sent when the run or step ends): poll for what gdb asks next
        if (fd >= 0 && !polling && !inData) queueMicrotask(poll);
      },
      end: () => sock.end(),
    });
    current = { sock, session };
    log(`gdb connected from ${sock.remoteAddress}:${sock.remotePort}`);
    sock.on('data', (d) => {
      win.arrived(performance.now());
      evented++;
      inData = true;
      feed(d);
      inData = false;
      poll();
    });
    sock.on('close', () => {
      session.lost();
      if (current?.sock === sock) current = null;
      log(`gdb disconnected (reads: ${polled} by polling, ${evented} through the event loop)`);
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
