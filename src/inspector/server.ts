// The inspector server: one HTTP port serving the web page and a WebSocket endpoint (/ws) speaking
// JSON-RPC 2.0 (docs/inspector-protocol.md). Security: loopback by default; a random token per run
// (or --inspector-token) must be presented by every WebSocket client; a browser upgrade whose
// Origin is not this server's own page is refused, so a web page the user happens to visit cannot
// drive the machine. Binding to a non-loopback address needs allowRemote and warns.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import { WebSocketServer, WebSocket } from 'ws';
import createDebug from 'debug';
import type { Machine } from '../machine/machine';
import type { Board } from '../machine/board';
import { debugCoreFor } from '../debug/core';
import { handleMessage, toJson } from './rpc';
import { makeMethods, trapEntryJson, type InspectorContext } from './methods';
import { R } from '../sysregs/table';

const log = createDebug('el2scope:inspector');
const PAGE_DIR = join(dirname(fileURLToPath(import.meta.url)), 'page');
const STATIC: Record<string, string> = {
  '/': 'index.html',
  '/index.html': 'index.html',
  '/app.js': 'app.js',
  '/style.css': 'style.css',
};
/** bytes queued on a client's socket beyond which its exception events are dropped (and counted) */
const BACKPRESSURE = 1 << 20;
const MIME: Record<string, string> = { html: 'text/html; charset=utf-8', js: 'text/javascript; charset=utf-8', css: 'text/css; charset=utf-8' };

export interface InspectorOptions {
  host: string;
  port: number;
  board?: Board;
  token?: string;
  /** allow binding to a non-loopback address */
  allowRemote?: boolean;
  /** max queued droppable notifications (vm-switch) per flush (the rest are counted as dropped) */
  maxEventsPerFlush?: number;
  /** max exception events per flush interval (~30 ms); the rest are counted as dropped */
  maxExceptionsPerFlush?: number;
}

export interface InspectorHandle {
  port: number;
  token: string;
  url: string;
  close(): Promise<void>;
}

export function isLoopback(host: string): boolean {
  return host === '127.0.0.1' || host === '::1' || host === 'localhost' || /^127\./.test(host);
}

function tokenOk(given: string | null, token: string): boolean {
  if (!given) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}

export async function startInspector(machine: Machine, opts: InspectorOptions): Promise<InspectorHandle> {
  if (!isLoopback(opts.host) && !opts.allowRemote)
    throw new Error(`inspector: refusing to listen on non-loopback address ${opts.host} without --inspector-allow-remote`);
  if (!isLoopback(opts.host)) process.stderr.write(`el2scope: warning: the inspector listens on ${opts.host}: anyone who can reach it and knows the token controls the machine\n`);
  const token = opts.token ?? randomBytes(16).toString('hex');
  const core = debugCoreFor(machine);
  const ctx: InspectorContext = { machine, board: opts.board, core };
  const methods = makeMethods(ctx);
  const clients = new Set<WebSocket>();
  const maxEvents = opts.maxEventsPerFlush ?? 200;
  const maxPending = opts.maxExceptionsPerFlush ?? 1_000;

  // ---------------------------------------------------------------- events, batched per flush
  let queue: string[] = [];
  let dropped = 0;
  let uartBuf = '';
  let timer: NodeJS.Timeout | null = null;
  const schedule = () => {
    if (timer || clients.size === 0) return;
    timer = setTimeout(flush, 30);
  };
  const clientDropped = new Map<WebSocket, number>();
  const flush = () => {
    timer = null;
    // exception events go out as a separate, droppable batch: a client that does not keep up (its
    // socket buffer above BACKPRESSURE) misses them and is told how many (the trap log keeps them)
    const traps = pendingTraps.map((e) => toJson({ jsonrpc: '2.0', method: 'exception', params: trapJson(e) }));
    pendingTraps = [];
    if (uartBuf) {
      queue.push(toJson({ jsonrpc: '2.0', method: 'uart', params: { text: uartBuf } }));
      uartBuf = '';
    }
    if (dropped) {
      queue.push(toJson({ jsonrpc: '2.0', method: 'events.dropped', params: { count: dropped } }));
      dropped = 0;
    }
    const batch = queue;
    queue = [];
    for (const ws of clients) {
      if (ws.readyState !== WebSocket.OPEN) continue;
      if (traps.length) {
        if (ws.bufferedAmount > BACKPRESSURE) clientDropped.set(ws, (clientDropped.get(ws) ?? 0) + traps.length);
        else {
          const d = clientDropped.get(ws);
          if (d) {
            ws.send(toJson({ jsonrpc: '2.0', method: 'events.dropped', params: { count: d } }));
            clientDropped.delete(ws);
          }
          for (const m of traps) ws.send(m);
        }
      }
      for (const m of batch) ws.send(m);
    }
  };
  const notify = (method: string, params: unknown, droppable = false) => {
    if (clients.size === 0) return;
    if (droppable && queue.length >= maxEvents) {
      dropped++;
    } else queue.push(toJson({ jsonrpc: '2.0', method, params }));
    schedule();
  };
  const trapJson = trapEntryJson(ctx);
  const lastVttbr = machine.cpus.map((c) => c.sysGet(R.VTTBR_EL2));
  const checkVm = (cpu: number) => {
    const c = machine.cpus[cpu];
    const v = c.sysGet(R.VTTBR_EL2);
    if (v !== lastVttbr[cpu]) {
      lastVttbr[cpu] = v;
      notify('vm-switch', { cpu, vttbr: '0x' + v.toString(16), vmid: Number(v >> 48n) }, true);
    }
  };
  const onUart = (data: Uint8Array) => {
    if (clients.size === 0) return;
    uartBuf += Buffer.from(data).toString('latin1');
    if (uartBuf.length > 65536) uartBuf = uartBuf.slice(-65536);
    schedule();
  };
  // exceptions queue their trap-log entries (cheap: the entry already exists) and are serialised at
  // flush time; past maxPending per flush interval they are counted as dropped (the log keeps them)
  let pendingTraps: ReturnType<typeof core.traps> = [];
  const onException = (c: { index: number }) => {
    if (clients.size === 0) return;
    if (pendingTraps.length < maxPending) {
      const e = core.traps(1)[0];
      if (e) pendingTraps.push(e);
    } else dropped++;
    schedule();
    checkVm(c.index);
  };
  const onEret = (c: { index: number }) => checkVm(c.index);
  const onStop = (s: unknown) => {
    for (let i = 0; i < machine.cpus.length; i++) checkVm(i);
    notify('stopped', s);
  };
  const onResume = () => notify('resumed', {});
  const onExit = (code: number, why: string) => notify('exited', { code, why });
  machine.on('uart', onUart);
  machine.on('exception', onException);
  machine.on('eret', onEret);
  machine.on('exit', onExit);
  core.on('stop', onStop);
  core.on('resume', onResume);

  // ---------------------------------------------------------------- HTTP
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const file = STATIC[url.pathname];
    if (url.pathname === '/favicon.ico') {
      res.writeHead(204).end();
      return;
    }
    if (req.method !== 'GET' || !file) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found\n');
      return;
    }
    try {
      const body = readFileSync(join(PAGE_DIR, file));
      res.writeHead(200, {
        'content-type': MIME[file.split('.').pop()!] ?? 'application/octet-stream',
        'cache-control': 'no-store',
        'x-content-type-options': 'nosniff',
        'content-security-policy': "default-src 'self'; connect-src 'self'; style-src 'self'; img-src 'self' data:",
      });
      res.end(body);
    } catch (e) {
      res.writeHead(500, { 'content-type': 'text/plain' }).end(`cannot read ${file}: ${(e as Error).message}\n`);
    }
  });

  let lastYield = performance.now();
  const wss = new WebSocketServer({ noServer: true, maxPayload: 1 << 20 });
  server.on('upgrade', (req, socket, head) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const addr = server.address();
    const port = typeof addr === 'object' && addr ? addr.port : opts.port;
    const origin = req.headers.origin;
    const allowedOrigins = new Set([`http://127.0.0.1:${port}`, `http://localhost:${port}`, `http://[::1]:${port}`, `http://${opts.host}:${port}`]);
    const reject = (code: number, msg: string) => {
      log(`refused WebSocket upgrade: ${msg}`);
      socket.write(`HTTP/1.1 ${code} ${msg}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
      socket.destroy();
    };
    if (url.pathname !== '/ws') return reject(404, 'Not Found');
    if (!tokenOk(url.searchParams.get('token'), token)) return reject(401, 'Unauthorized');
    if (origin !== undefined && !allowedOrigins.has(origin)) return reject(403, 'Forbidden');
    wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req));
  });
  wss.on('connection', (ws) => {
    clients.add(ws);
    log(`client connected (${clients.size})`);
    // requests are handled one at a time per client, in order
    let chain = Promise.resolve();
    ws.on('message', (data, isBinary) => {
      if (isBinary) {
        ws.send(toJson({ jsonrpc: '2.0', id: null, error: { code: -32700, message: 'binary frames are not JSON-RPC' } }));
        return;
      }
      const text = data.toString();
      chain = chain.then(async () => {
        try {
          const reply = await handleMessage(methods, text);
          if (reply !== null && ws.readyState === WebSocket.OPEN) ws.send(reply);
        } catch (e) {
          log(`request failed: ${(e as Error).message}`);
        }
        // let the machine run a slice at least every few ms so a flood never starves the CPU
        if (performance.now() - lastYield > 4) {
          await new Promise((r) => setImmediate(r));
          lastYield = performance.now();
        }
      });
    });
    ws.on('close', () => {
      clients.delete(ws);
      clientDropped.delete(ws);
    });
    ws.on('error', () => clients.delete(ws));
    ws.send(toJson({ jsonrpc: '2.0', method: 'hello', params: { cpus: machine.cpus.length, running: core.isRunning, lastStop: core.lastStop } }));
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, opts.host, () => resolve());
  });
  const addr = server.address();
  const port = typeof addr === 'object' && addr ? addr.port : opts.port;
  const hostForUrl = opts.host.includes(':') ? `[${opts.host}]` : opts.host;
  const url = `http://${hostForUrl}:${port}/?token=${token}`;
  return {
    port,
    token,
    url,
    async close() {
      if (timer) clearTimeout(timer);
      machine.off('uart', onUart);
      machine.off('exception', onException);
      machine.off('eret', onEret);
      machine.off('exit', onExit);
      core.off('stop', onStop);
      core.off('resume', onResume);
      for (const ws of clients) ws.terminate();
      await new Promise<void>((r) => wss.close(() => r()));
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}
