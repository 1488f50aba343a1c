// A small typed client for the inspector protocol (docs/inspector-protocol.md), for scripted
// debugging sessions: `const c = await InspectorClient.connect(url)`; `await c.pause()`;
// `c.on('exception', e => ...)`. Node only (uses ws).
import { EventEmitter } from 'node:events';
import WebSocket from 'ws';

export interface RegisterValue {
  name: string;
  value: string;
  group: string;
  desc?: string;
  fields?: Record<string, unknown>;
}

export interface TrapEvent {
  seq: number;
  cpu: number;
  from: number;
  to: number;
  kind: string;
  esr: string;
  ec: number;
  ecName: string;
  decoded: string;
  far?: string;
  hpfar?: string;
  ipa?: string;
  elr: string;
  vmid: number;
}

export interface StopEvent {
  reason: string;
  cpu: number;
  message?: string;
  [k: string]: unknown;
}

export class RpcCallError extends Error {
  constructor(
    readonly code: number,
    message: string,
  ) {
    super(message);
  }
}

type Events = {
  hello: [{ cpus: number; running: boolean }];
  stopped: [StopEvent];
  resumed: [];
  exited: [{ code: number; why: string }];
  exception: [TrapEvent];
  uart: [{ text: string }];
  'vm-switch': [{ cpu: number; vttbr: string; vmid: number }];
  close: [];
};

export class InspectorClient extends EventEmitter<Events> {
  private nextId = 1;
  private pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();

  private constructor(private ws: WebSocket) {
    super();
    ws.on('message', (data) => {
      let msg: unknown;
      try {
        msg = JSON.parse(data.toString());
      } catch {
        return;
      }
      for (const m of ([] as unknown[]).concat(msg) as Record<string, any>[]) {
        if (typeof m.id === 'number' && this.pending.has(m.id)) {
          const p = this.pending.get(m.id)!;
          this.pending.delete(m.id);
          if (m.error) p.reject(new RpcCallError(m.error.code, m.error.message));
          else p.resolve(m.result);
        } else if (typeof m.method === 'string') (this.emit as (e: string, ...a: unknown[]) => boolean)(m.method, m.params);
      }
    });
    ws.on('close', () => {
      for (const p of this.pending.values()) p.reject(new Error('connection closed'));
      this.pending.clear();
      this.emit('close');
    });
  }

  /** Connect with the URL the server printed (http://host:port/?token=...) or ws://host:port/ws?token=... */
  static connect(url: string, timeoutMs = 5000): Promise<InspectorClient> {
    const u = new URL(url);
    const token = u.searchParams.get('token') ?? '';
    const wsUrl = `ws://${u.host}/ws?token=${encodeURIComponent(token)}`;
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(wsUrl, { handshakeTimeout: timeoutMs });
      const t = setTimeout(() => {
        ws.terminate();
        reject(new Error('inspector connect timeout'));
      }, timeoutMs);
      ws.once('open', () => {
        clearTimeout(t);
        resolve(new InspectorClient(ws));
      });
      ws.once('error', (e) => {
        clearTimeout(t);
        reject(e);
      });
      ws.once('unexpected-response', (_req, res) => {
        clearTimeout(t);
        reject(new Error(`inspector refused the connection: HTTP ${res.statusCode}`));
      });
    });
  }

  call<T = unknown>(method: string, params: Record<string, unknown> = {}): Promise<T> {
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      this.ws.send(JSON.stringify({ jsonrpc: '2.0', id, method, params }));
    });
  }

  /** Subscribe to an event; returns a function that unsubscribes. */
  subscribe<K extends keyof Events>(event: K, fn: (...args: Events[K]) => void): () => void {
    this.on(event, fn as never);
    return () => this.off(event, fn as never);
  }

  /** Resolve with the next event of this kind that satisfies `pred` (default: any). */
  waitFor<K extends keyof Events>(event: K, pred: (...args: Events[K]) => boolean = () => true, timeoutMs = 30_000): Promise<Events[K]> {
    return new Promise((resolve, reject) => {
      const t = setTimeout(() => {
        off();
        reject(new Error(`no ${String(event)} event within ${timeoutMs} ms`));
      }, timeoutMs);
      const off = this.subscribe(event, ((...args: Events[K]) => {
        if (!pred(...args)) return;
        clearTimeout(t);
        off();
        resolve(args);
      }) as never);
    });
  }

  /** Resolve at the next 'stopped' event (optionally after triggering something). */
  nextStop(timeoutMs = 10_000): Promise<StopEvent> {
    return new Promise((resolve, reject) => {
      const t = setTimeout(() => reject(new Error('no stop within timeout')), timeoutMs);
      this.once('stopped', (s) => {
        clearTimeout(t);
        resolve(s);
      });
    });
  }

  pause() {
    return this.call('machine.pause');
  }
  resume() {
    return this.call('machine.resume');
  }
  step(cpu = 0, count = 1) {
    return this.call('machine.step', { cpu, count });
  }
  registers(cpu = 0, group = 'core') {
    return this.call<RegisterValue[]>('registers.read', { cpu, group });
  }
  async register(name: string, cpu = 0): Promise<bigint> {
    const all = await this.registers(cpu, 'all');
    const r = all.find((x) => x.name.toLowerCase() === name.toLowerCase());
    if (!r) throw new Error(`no register ${name}`);
    return BigInt(r.value);
  }
  writeRegister(name: string, value: bigint, cpu = 0) {
    return this.call('registers.write', { cpu, name, value: '0x' + value.toString(16) });
  }
  async readMemory(addr: bigint, len: number, view: unknown = 'va', cpu = 0): Promise<Uint8Array> {
    const r = await this.call<{ data: string }>('memory.read', { cpu, addr: '0x' + addr.toString(16), len, view });
    return new Uint8Array(Buffer.from(r.data, 'hex'));
  }
  translate(addr: bigint, view: unknown = 'va', cpu = 0) {
    return this.call('translate', { cpu, addr: '0x' + addr.toString(16), view });
  }
  catchExceptions(els: number[], opts: { irq?: boolean; ecs?: number[]; eret?: boolean } = {}) {
    return this.call('catch.set', { els, ...opts });
  }
  stage2Map(cpu = 0) {
    return this.call<{ vmid: number; ipaBits: number; enabled: boolean; ranges: { ipa: string; pa: string; size: string; perm: string; level: number }[] }>('stage2.map', { cpu });
  }
  breakpoint(addr: bigint, opts: { type?: 'hw' | 'sw'; el?: number; vmid?: number; physical?: boolean } = {}) {
    return this.call<{ id: number }>('breakpoints.add', { addr: '0x' + addr.toString(16), ...opts });
  }
  symbol(name: string) {
    return this.call<{ name: string; addr: string } | null>('symbols.lookup', { name });
  }
  trapLog(n = 64, filter: { ec?: number; vmid?: number } = {}) {
    return this.call<TrapEvent[]>('trapLog.read', { n, ...filter });
  }

  close(): Promise<void> {
    return new Promise((r) => {
      if (this.ws.readyState === WebSocket.CLOSED) return r();
      this.ws.once('close', () => r());
      this.ws.close();
    });
  }
}
