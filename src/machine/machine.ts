// The machine: bus, vCPUs and devices, and the run loop. Single-threaded: the loop executes CPUs in
// slices and yields to the Node event loop between slices so GDB and the inspector stay responsive.
// Time is deterministic: the system counter advances one tick per executed round step (see now()).
import { EventEmitter } from 'node:events';
import createDebug from 'debug';
import { Bus } from './bus';
import { Cpu, type CpuEnv, type ExceptionInfo } from '../cpu/cpu';

const log = createDebug('el2scope:machine');

export const RAM_BASE = 0x4000_0000;

export interface MachineOptions {
  ramMiB?: number;
  smp?: number;
  /** instructions per CPU per round-robin turn */
  quantum?: number;
}

export type StopReason =
  | { kind: 'exit'; code: number; why: string }
  | { kind: 'max-insns' }
  | { kind: 'debug'; cpu: number; why: string }
  | { kind: 'pause' };

/** Events published by the machine (front ends subscribe; no device imports a front end). */
export interface MachineEvents {
  uart: [data: Uint8Array];
  exception: [cpu: Cpu, info: ExceptionInfo];
  eret: [cpu: Cpu, fromEl: number, toEl: number];
  'vm-switch': [cpu: Cpu, vttbr: bigint];
  stop: [reason: StopReason];
  exit: [code: number, why: string];
}

export class Machine extends EventEmitter<MachineEvents> {
  readonly bus: Bus;
  readonly cpus: Cpu[] = [];
  readonly quantum: number;
  /** virtual time in counter ticks (one per instruction of the round) */
  ticks = 0;
  /** instructions retired by all CPUs */
  instret = 0;
  maxInsns = Infinity;
  exited: { code: number; why: string } | null = null;
  private running = false;
  private pauseRequested = false;
  /** extra CpuEnv hooks (board installs PSCI; the debug core installs exception hooks) */
  readonly env: CpuEnv;
  /** callbacks run at every slice boundary (devices with time, e.g. timers) */
  readonly tickers: ((m: Machine) => void)[] = [];
  /** earliest tick at which some device wants attention (timers); Infinity if none */
  nextDeadline: () => number = () => Infinity;

  constructor(opts: MachineOptions = {}) {
    super();
    const ramMiB = opts.ramMiB ?? 128;
    this.bus = new Bus(RAM_BASE, ramMiB * 1024 * 1024);
    this.quantum = opts.quantum ?? 1000;
    const m = this;
    this.env = {
      onException(c, info) {
        m.emit('exception', c, info);
      },
      onEret(c, f, t) {
        m.emit('eret', c, f, t);
      },
      counter(c) {
        const t = m.counterFor(c);
        return [t >>> 0, Math.floor(t / 4294967296)];
      },
    };
    const n = opts.smp ?? 1;
    for (let i = 0; i < n; i++) this.cpus.push(new Cpu(i, this.bus, this.env));
    for (const c of this.cpus) c.siblings = this.cpus;
  }

  /** the GIC, when the board has one (src/gic/attach.ts) */
  gic: import('../gic/gic').Gic | null = null;

  /** System counter as seen by CPU c: machine time at the start of its current turn plus the
   * instructions it has executed in that turn (monotonic, deterministic). */
  counterFor(c: Cpu): number {
    return this.ticks + (c.icount - c.runBase);
  }

  /** Run every CPU for at most `budget` instructions each (round-robin in quanta). Returns the
   * number of instructions executed. Stops early on exit, debug stop or when all CPUs idle. */
  runSlice(budget: number): number {
    let total = 0;
    let left = budget;
    while (left > 0 && !this.exited) {
      const q = Math.min(this.quantum, left);
      let ran = 0;
      let allIdle = true;
      for (const c of this.cpus) {
        if (c.off || c.debugHold) continue;
        const cap = Math.min(q, this.maxInsns - this.instret);
        if (cap <= 0) return total;
        c.runBase = c.icount;
        const n = c.runLoop(cap);
        ran = Math.max(ran, n);
        total += n;
        this.instret += n;
        if (!c.halted) allIdle = false;
        if (c.debugStop || this.exited) {
          this.ticks += n;
          return total;
        }
      }
      this.ticks += Math.max(ran, 1);
      for (const t of this.tickers) t(this);
      left -= Math.max(ran, 1);
      if (allIdle) {
        // everyone waits: skip ahead to the next deadline (deterministic time), or stop the slice
        const d = this.nextDeadline();
        if (d === Infinity) break;
        if (d > this.ticks) this.ticks = d;
        for (const t of this.tickers) t(this);
        for (const c of this.cpus) c.pendingWake();
      }
      if (this.instret >= this.maxInsns) break;
    }
    return total;
  }

  /** True when every powered CPU waits for an interrupt and no device deadline exists. */
  idle(): boolean {
    return this.cpus.every((c) => c.off || c.halted || c.debugHold) && this.nextDeadline() === Infinity;
  }

  /**
   * Run until exit, max-insns, a debug stop or pause(); yields to the event loop between slices.
   * Resolves with the reason. When all CPUs idle with nothing scheduled, waits for outside input
   * (UART RX, a debugger) polling every few milliseconds.
   */
  async run(sliceInsns = 200_000): Promise<StopReason> {
    if (this.running) throw new Error('machine already running');
    this.running = true;
    this.pauseRequested = false;
    for (const c of this.cpus) c.stopRequested = false;
    let slice = sliceInsns;
    try {
      for (;;) {
        if (this.exited) return this.stopWith({ kind: 'exit', ...this.exited });
        if (this.pauseRequested) return this.stopWith({ kind: 'pause' });
        if (this.instret >= this.maxInsns) return this.stopWith({ kind: 'max-insns' });
        // slices are bounded in time too (~10 ms): trap-heavy guests run far fewer instructions per
        // millisecond, and front ends must keep answering between slices
        const t0 = performance.now();
        const n = this.runSlice(slice);
        const dt = performance.now() - t0;
        if (dt > 15) slice = Math.max(1000, Math.floor(slice / 2));
        else if (dt < 5 && slice < sliceInsns) slice = Math.min(sliceInsns, slice * 2);
        const dbg = this.cpus.find((c) => c.debugStop);
        if (dbg) return this.stopWith({ kind: 'debug', cpu: dbg.index, why: dbg.debugWhy });
        if (n === 0 && this.idle()) await new Promise((r) => setTimeout(r, 2));
        else await new Promise((r) => setImmediate(r));
      }
    } finally {
      this.running = false;
    }
  }

  get isRunning(): boolean {
    return this.running;
  }

  /** Ask a running machine to stop at the next instruction boundary. */
  pause(): void {
    this.pauseRequested = true;
    for (const c of this.cpus) c.stopRequested = true;
  }

  private stopWith(r: StopReason): StopReason {
    for (const c of this.cpus) c.stopRequested = false;
    this.emit('stop', r);
    return r;
  }

  exit(code: number, why: string): void {
    if (this.exited) return;
    this.exited = { code, why };
    log(`exit ${code}: ${why}`);
    for (const c of this.cpus) c.stopRequested = true;
    this.emit('exit', code, why);
  }
}
