// A minimal GDB remote serial protocol client, just enough to drive QEMU's gdbstub for the
// differential tests: no-ack mode, single step, read/write all core registers, read/write memory.
// Written for the test harness only (the product's GDB *server* lives in src/gdb).
//
// Packet framing (GDB manual, "Overview" of the remote protocol): `$data#cs` with cs the modulo-256
// sum of data as two hex digits; '}' escapes the next byte (xor 0x20); `X*n` is run-length encoding
// (repeat X n-29 more times). '+'/'-' acknowledge packets until QStartNoAckMode is accepted.
import { Socket, createConnection } from 'node:net';

export class RspError extends Error {}

/** AArch64 core registers as the 'g' packet carries them (org.gnu.gdb.aarch64.core). */
export interface CoreRegs {
  x: bigint[]; // x0..x30
  sp: bigint;
  pc: bigint;
  cpsr: number;
}

function checksum(s: string): string {
  let sum = 0;
  for (let i = 0; i < s.length; i++) sum = (sum + s.charCodeAt(i)) & 0xff;
  return sum.toString(16).padStart(2, '0');
}

function hexLe64(v: bigint): string {
  let s = '';
  for (let i = 0; i < 8; i++) s += Number((v >> BigInt(8 * i)) & 0xffn).toString(16).padStart(2, '0');
  return s;
}
function hexLe32(v: number): string {
  let s = '';
  for (let i = 0; i < 4; i++) s += ((v >>> (8 * i)) & 0xff).toString(16).padStart(2, '0');
  return s;
}
function parseLe(hex: string, off: number, bytes: number): bigint {
  let v = 0n;
  for (let i = bytes - 1; i >= 0; i--) v = (v << 8n) | BigInt(parseInt(hex.substr(off + 2 * i, 2), 16));
  return v;
}
/** two 32-bit halves of a little-endian 64-bit hex field (fast path, no BigInt) */
function parseLe32(hex: string, off: number): number {
  return (
    (parseInt(hex.substr(off, 2), 16) |
      (parseInt(hex.substr(off + 2, 2), 16) << 8) |
      (parseInt(hex.substr(off + 4, 2), 16) << 16) |
      (parseInt(hex.substr(off + 6, 2), 16) << 24)) >>>
    0
  );
}

/** Registers as 32-bit halves: words[2r], words[2r+1] for x0..x30, sp (31), pc (32); cpsr separate. */
export interface RawRegs {
  words: Uint32Array; // 66 words
  cpsr: number;
}

export function decodeG(hex: string): RawRegs {
  if (hex.length < 33 * 16 + 8) throw new RspError(`short 'g' reply (${hex.length} hex digits)`);
  const words = new Uint32Array(66);
  for (let r = 0; r < 33; r++) {
    words[2 * r] = parseLe32(hex, r * 16);
    words[2 * r + 1] = parseLe32(hex, r * 16 + 8);
  }
  return { words, cpsr: parseLe32(hex, 33 * 16) };
}

export function rawToCore(r: RawRegs): CoreRegs {
  const g = (i: number) => (BigInt(r.words[2 * i + 1]) << 32n) | BigInt(r.words[2 * i]);
  const x: bigint[] = [];
  for (let i = 0; i < 31; i++) x.push(g(i));
  return { x, sp: g(31), pc: g(32), cpsr: r.cpsr };
}

export function encodeG(r: CoreRegs): string {
  let s = '';
  for (let i = 0; i < 31; i++) s += hexLe64(r.x[i]);
  s += hexLe64(r.sp) + hexLe64(r.pc) + hexLe32(r.cpsr);
  return s;
}

/** GDB register numbers of the SIMD&FP registers (see RspClient.fpLayout). */
export interface FpLayout {
  /** number of v0 (or z0); v1..v31 follow */
  v0: number;
  /** bytes of each vector register in 'p'/'P' packets (16, or the SVE maximum vector length) */
  vBytes: number;
  fpsr: number;
  fpcr: number;
  sve: boolean;
}

/** Parse a little-endian hex register value into 32-bit words (out[off..off+n)). */
export function hexToWords(hex: string, out: Uint32Array, off: number, n: number): void {
  for (let i = 0; i < n; i++) out[off + i] = parseLe32(hex, 8 * i);
}

/** 32-bit words as little-endian hex, zero-padded to `bytes`. */
export function wordsToHex(w: ArrayLike<number>, bytes: number): string {
  let s = '';
  for (let i = 0; i < w.length; i++) s += hexLe32(w[i] >>> 0);
  return s.padEnd(2 * bytes, '0');
}

export class RspClient {
  private sock!: Socket;
  private buf = '';
  private ack = true;
  /** acknowledgements owed to the server, sent in front of the next packet (one write, one wakeup) */
  private owedAcks = 0;
  private waiters: ((p: string) => void)[] = [];
  private failed: Error | null = null;
  private failWaiters: ((e: Error) => void)[] = [];
  /** packets sent (for timing reports) */
  packets = 0;

  /** Connect to a TCP port or a Unix socket path; retries until `timeoutMs` (QEMU starts slowly). */
  async connect(target: { port: number; host?: string } | { path: string }, timeoutMs = 10_000): Promise<void> {
    const t0 = Date.now();
    for (;;) {
      try {
        this.sock = await new Promise<Socket>((resolve, reject) => {
          const s = 'path' in target ? createConnection(target.path) : createConnection(target.port, target.host ?? '127.0.0.1');
          s.once('connect', () => resolve(s));
          s.once('error', reject);
        });
        break;
      } catch (e) {
        if (Date.now() - t0 > timeoutMs) throw new RspError(`cannot connect to gdbstub: ${(e as Error).message}`);
        await new Promise((r) => setTimeout(r, 50));
      }
    }
    this.sock.setNoDelay?.(true);
    this.sock.setEncoding('latin1');
    this.sock.on('data', (d: string) => this.onData(d));
    this.sock.on('error', (e) => this.fail(e));
    this.sock.on('close', () => this.fail(new RspError('gdbstub connection closed')));
    this.watchdog = setInterval(() => {
      if (this.sentAt && Date.now() - this.sentAt > this.timeoutMs) this.fail(new RspError(`gdbstub did not answer within ${this.timeoutMs} ms`));
    }, 1000);
    this.watchdog.unref();
  }

  private onData(d: string): void {
    this.buf += d;
    for (;;) {
      // skip acks and junk before a packet start
      const start = this.buf.indexOf('$');
      if (start < 0) {
        this.buf = '';
        return;
      }
      const hash = this.buf.indexOf('#', start);
      if (hash < 0 || this.buf.length < hash + 3) {
        if (start > 0) this.buf = this.buf.slice(start);
        return;
      }
      const body = this.buf.slice(start + 1, hash);
      const cs = this.buf.slice(hash + 1, hash + 3);
      this.buf = this.buf.slice(hash + 3);
      if (checksum(body) !== cs.toLowerCase()) {
        if (this.ack) this.sock.write('-');
        continue;
      }
      if (this.ack) this.owedAcks++;
      const w = this.waiters.shift();
      if (w) w(unescape(body));
    }
  }

  /** when the outstanding request was sent (0 = none); a watchdog fails requests QEMU never answers */
  private sentAt = 0;
  private watchdog: ReturnType<typeof setInterval> | null = null;
  timeoutMs = 20_000;

  private fail(e: Error): void {
    this.failed = e;
    for (const f of this.failWaiters.splice(0)) f(e);
  }

  private reply(): Promise<string> {
    if (this.failed) return Promise.reject(this.failed);
    return new Promise((resolve, reject) => {
      this.waiters.push(resolve);
      this.failWaiters.push(reject);
    });
  }

  /** Send one packet and wait for its reply. */
  async request(data: string): Promise<string> {
    this.packets++;
    const p = this.reply();
    this.sock.write(`${'+'.repeat(this.owedAcks)}$${data}#${checksum(data)}`);
    this.owedAcks = 0;
    this.sentAt = Date.now();
    const r = await p;
    this.sentAt = 0;
    this.failWaiters.shift();
    return r;
  }

  /** Send several packets in one write (one wakeup of QEMU's main loop) and wait for all their
   * replies, in order. Only for packets that do not resume the target (QEMU's system-mode gdbstub
   * answers each packet of a buffer in turn and never waits for our '+'). */
  async requestMany(packets: string[]): Promise<string[]> {
    if (packets.length === 0) return [];
    this.packets += packets.length;
    const ps = packets.map(() => this.reply());
    let out = '+'.repeat(this.owedAcks);
    this.owedAcks = 0;
    for (const data of packets) out += `$${data}#${checksum(data)}`;
    this.sock.write(out);
    this.sentAt = Date.now();
    const r = await Promise.all(ps);
    this.sentAt = 0;
    this.failWaiters.splice(0, packets.length);
    return r;
  }

  /** Read one register by GDB number ('p'): its bytes as hex, target (little-endian) order. */
  async readReg(n: number): Promise<string> {
    const r = await this.request('p' + n.toString(16));
    if (r.startsWith('E') || r === '') throw new RspError(`'p${n.toString(16)}' failed: ${r}`);
    return r;
  }

  async writeReg(n: number, hex: string): Promise<void> {
    const r = await this.request(`P${n.toString(16)}=${hex}`);
    if (r !== 'OK') throw new RspError(`'P${n.toString(16)}' failed: ${r}`);
  }

  /** Read a document through qXfer:features:read (target descriptions). */
  async readFeature(annex: string): Promise<string> {
    let text = '';
    for (;;) {
      const r = await this.request(`qXfer:features:read:${annex}:${text.length.toString(16)},800`);
      if (r[0] !== 'm' && r[0] !== 'l') throw new RspError(`qXfer:features:read:${annex} failed: ${r.slice(0, 16)}`);
      text += r.slice(1);
      if (r[0] === 'l') return text;
    }
  }

  private fpLayoutCache: FpLayout | null = null;
  /** Where the SIMD&FP registers are in this stub's numbering: learnt from the target description
   * (QEMU numbers the core registers 0..33, then either org.gnu.gdb.aarch64.fpu — v0..v31, fpsr,
   * fpcr — or, when the CPU has SVE, org.gnu.gdb.aarch64.sve: z0..z31 of the maximum vector length
   * (whose low 128 bits are v0..v31), fpsr, fpcr, p0..p15, ffr, vg). */
  async fpLayout(): Promise<FpLayout> {
    if (this.fpLayoutCache) return this.fpLayoutCache;
    const top = await this.readFeature('target.xml');
    const docs = [top];
    for (const m of top.matchAll(/xi:include\s+href="([^"]+)"/g)) docs.push(await this.readFeature(m[1]));
    const regs = new Map<string, { num: number; bits: number }>();
    let num = 0;
    for (const d of docs) {
      for (const m of d.matchAll(/<reg\s([^>]*)>/g)) {
        const attrs = m[1];
        const name = /name="([^"]+)"/.exec(attrs)?.[1];
        const bits = Number(/bitsize="(\d+)"/.exec(attrs)?.[1] ?? 0);
        const rn = /regnum="(\d+)"/.exec(attrs);
        if (rn) num = Number(rn[1]);
        if (name) regs.set(name, { num, bits });
        num++;
      }
    }
    const v0 = regs.get('v0') ?? regs.get('z0');
    const fpsr = regs.get('fpsr');
    const fpcr = regs.get('fpcr');
    if (!v0 || !fpsr || !fpcr) throw new RspError('target description has no v0/z0, fpsr or fpcr');
    for (let i = 1; i < 32; i++) {
      const r = regs.get(`v${i}`) ?? regs.get(`z${i}`);
      if (!r || r.num !== v0.num + i) throw new RspError(`SIMD&FP register ${i} not numbered after register 0`);
    }
    this.fpLayoutCache = { v0: v0.num, vBytes: v0.bits / 8, fpsr: fpsr.num, fpcr: fpcr.num, sve: regs.has('z0') };
    return this.fpLayoutCache;
  }

  async startNoAck(): Promise<void> {
    const r = await this.request('QStartNoAckMode');
    if (r === 'OK') this.ack = false;
  }

  /** Single-step the current thread; resolves with the stop reply (e.g. "T05thread:p01.01;"). */
  async step(): Promise<string> {
    return this.request('s');
  }

  async readRegs(): Promise<RawRegs> {
    const r = await this.request('g');
    if (r.startsWith('E')) throw new RspError(`'g' failed: ${r}`);
    return decodeG(r);
  }

  async writeRegs(r: CoreRegs): Promise<void> {
    const rep = await this.request('G' + encodeG(r));
    if (rep !== 'OK') throw new RspError(`'G' failed: ${rep}`);
  }

  async readMem(addr: number, len: number): Promise<Uint8Array> {
    const out = new Uint8Array(len);
    const CHUNK = 1024;
    for (let o = 0; o < len; o += CHUNK) {
      const n = Math.min(CHUNK, len - o);
      const r = await this.request(`m${(addr + o).toString(16)},${n.toString(16)}`);
      if (r.startsWith('E') || r.length !== 2 * n) throw new RspError(`'m' failed at 0x${(addr + o).toString(16)}: ${r.slice(0, 8)}`);
      for (let i = 0; i < n; i++) out[o + i] = parseInt(r.substr(2 * i, 2), 16);
    }
    return out;
  }

  async writeMem(addr: number, data: Uint8Array): Promise<void> {
    const CHUNK = 1024;
    for (let o = 0; o < data.length; o += CHUNK) {
      const n = Math.min(CHUNK, data.length - o);
      let hex = '';
      for (let i = 0; i < n; i++) hex += data[o + i].toString(16).padStart(2, '0');
      const r = await this.request(`M${(addr + o).toString(16)},${n.toString(16)}:${hex}`);
      if (r !== 'OK') throw new RspError(`'M' failed at 0x${(addr + o).toString(16)}: ${r}`);
    }
  }

  close(): void {
    if (this.watchdog) clearInterval(this.watchdog);
    try {
      this.sock?.destroy();
    } catch {
      /* already closed */
    }
  }
}

function unescape(body: string): string {
  if (body.indexOf('}') < 0 && body.indexOf('*') < 0) return body;
  let out = '';
  for (let i = 0; i < body.length; i++) {
    const ch = body[i];
    if (ch === '}') {
      out += String.fromCharCode(body.charCodeAt(++i) ^ 0x20);
    } else if (ch === '*') {
      const n = body.charCodeAt(++i) - 29;
      out += out[out.length - 1].repeat(n);
    } else out += ch;
  }
  return out;
}

export { parseLe };
