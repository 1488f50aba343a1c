// The debug core (DESIGN.md "debug/"): owns run control of a Machine for debuggers — continue,
// single-step, pause, breakpoints (VA with EL/VMID qualifiers, PA), watchpoints (VA or PA),
// catchpoints on exceptions and ERET, a trap log, and memory access through translation views.
// Front-end agnostic: the GDB server and the inspector share one DebugCore per machine
// (debugCoreFor) and with it breakpoints and catchpoints.
import { EventEmitter } from 'node:events';
import createDebug from 'debug';
import type { Machine, StopReason } from '../machine/machine';
import type { Cpu, ExceptionInfo } from '../cpu/cpu';
import { debugPa, debugTranslate, debugWrite, type MemView } from '../mmu/debug';
import { stopObject, type Breakpoint, type CatchConfig, type DebugStop, type TrapLogEntry, type Watchpoint, type WatchKind } from './types';
import { formatException } from './describe';

export interface DebugCoreEvents {
  stop: [stop: DebugStop];
  resume: [];
  /** text for attached consoles (catch lines...) */
  message: [text: string];
}

const TRAP_LOG_SIZE = 1024;
const VA_VIEW: MemView = { kind: 'va' };
const log = createDebug('el2scope:debug');

function big(lo: number, hi: number): bigint {
  return (BigInt(hi >>> 0) << 32n) | BigInt(lo >>> 0);
}

export class DebugCore extends EventEmitter<DebugCoreEvents> {
  private nextId = 1;
  readonly breakpoints = new Map<number, Breakpoint>();
  readonly watchpoints = new Map<number, Watchpoint>();
  readonly catches: CatchConfig = { els: new Set(), irq: false, ecs: new Map(), eret: false };
  private bpByLo = new Map<number, Breakpoint[]>();
  private paBps: Breakpoint[] = [];
  /** per CPU: icount at the last resume (the first instruction is not re-checked for breakpoints) */
  private skipIcount: number[];
  /** per CPU: icount at the resume after a watchpoint stop of that CPU (its access is let through) */
  private skipWatch: number[];
  private pending: DebugStop | null = null;
  private trapLog: TrapLogEntry[] = [];
  private trapSeq = 0;
  private runningP: Promise<void> | null = null;
  private stepping = false;
  /** last stop (for GDB's `?`) */
  lastStop: DebugStop = stopObject({ reason: 'initial', cpu: 0 });
  /** how memory addresses of front ends are interpreted */
  memView: MemView = { kind: 'va' };

  constructor(readonly machine: Machine) {
    super();
    this.skipIcount = machine.cpus.map(() => -1);
    this.skipWatch = machine.cpus.map(() => -1);
    machine.on('exception', (c, info) => this.onException(c, info));
    machine.on('eret', (c, from, to) => this.onEret(c, from, to));
    machine.on('exit', (code, why) => {
      // exit while stopped (e.g. kill): report at once; while running, run() reports it
      if (!this.isRunning) this.finish({ reason: 'exited', cpu: 0, code, why });
    });
    const bp = (c: Cpu) => this.checkBreak(c);
    const wc = (c: Cpu, lo: number, hi: number, pa: number, size: number, write: boolean) => this.checkWatch(c, lo, hi, pa, size, write);
    this.bpFn = bp;
    this.watchFn = wc;
  }
  private readonly bpFn: (c: Cpu) => boolean;
  private readonly watchFn: (c: Cpu, lo: number, hi: number, pa: number, size: number, write: boolean) => boolean;

  get cpus(): Cpu[] {
    return this.machine.cpus;
  }

  get isRunning(): boolean {
    return this.runningP !== null || this.stepping;
  }

  // ------------------------------------------------------------------ run control

  /** Continue all vCPUs (or only the vCPUs in `only`: the others stay where they are, gdb's
   * scheduler-locking) until a debug stop, pause or exit. */
  continue(only?: number[]): void {
    if (this.isRunning) return;
    if (this.machine.exited) {
      const e = this.machine.exited;
      queueMicrotask(() => this.finish({ reason: 'exited', cpu: 0, code: e.code, why: e.why }));
      return;
    }
    this.prepareResume();
    if (only) for (const c of this.cpus) c.debugHold = !only.includes(c.index);
    this.emit('resume');
    // not running any more by the time 'stop' listeners run (they may resume at once)
    this.runningP = this.machine.run().then(this.runDone, this.runFailed);
  }

  private readonly runDone = (r: StopReason): void => {
    this.runningP = null;
    this.afterRun(r);
  };

  private readonly runFailed = (e: unknown): void => {
    this.runningP = null;
    this.emit('message', `internal error while running: ${(e as Error).message}\n`);
    this.finish({ reason: 'pause', cpu: 0 });
  };

  /** Execute one instruction of one vCPU (an interrupt taken counts as the step), or keep stepping
   * while the PC stays in [rangeStart, rangeEnd). The stop is reported through the 'stop' event. */
  step(cpu: number, range?: [bigint, bigint]): void {
    if (this.isRunning) return;
    if (this.machine.exited) {
      const e = this.machine.exited;
      queueMicrotask(() => this.finish({ reason: 'exited', cpu: 0, code: e.code, why: e.why }));
      return;
    }
    this.stepCpu = this.cpus[cpu] ?? this.cpus[0];
    this.stepRange = range;
    this.stepFirst = true;
    this.stepTrapEl = -1;
    this.stepping = true;
    this.emit('resume');
    queueMicrotask(this.stepLoop); // first chunk without waiting for an event-loop turn (step latency)
  }

  // the step in progress (fields, not closures: a step is the hot path of `stepi` under gdb)
  private stepCpu!: Cpu;
  private stepRange: [bigint, bigint] | undefined;
  private stepFirst = true;
  /** during a range step: the EL the range runs at while a trap it took to a higher EL is handled */
  private stepTrapEl = -1;
  /** range steps (gdb's `next`/`step` over a source line) run an exception the line takes to a
   * higher EL (a trap to the hypervisor or firmware, an interrupt) to its return instead of stopping
   * in the handler; breakpoints and catchpoints in the handler still stop (`monitor range-step`) */
  hideTrapsInRangeStep = true;

  private stepOnce(): DebugStop | null {
    const c = this.stepCpu;
    const range = this.stepRange;
    // inside a range step, breakpoints and watchpoints apply from the second instruction on
    this.prepareResume(this.stepFirst);
    this.stepFirst = false;
    const el = c.el;
    const n = this.stepInsn(c);
    const stop = this.takePending(c);
    if (stop) return stop;
    if (this.machine.exited) return { reason: 'exited', cpu: c.index, ...this.machine.exited };
    if (range && n > 0) {
      if (this.stepTrapEl >= 0) {
        if (c.el > this.stepTrapEl) return null; // still in the handler
        this.stepTrapEl = -1; // returned to the range's EL: the range check below decides
      } else if (c.el > el && this.hideTrapsInRangeStep) {
        this.stepTrapEl = el;
        return null;
      }
      const pc = c.pc;
      if (pc >= range[0] && pc < range[1]) return null;
    }
    return { reason: 'step', cpu: c.index };
  }

  private readonly stepLoop = (): void => {
    const c = this.stepCpu;
    try {
      for (let i = 0; i < 20000; i++) {
        const s = this.stepOnce();
        if (s) {
          this.stepping = false;
          this.finish(s);
          return;
        }
        if (this.pauseAsked) {
          this.pauseAsked = false;
          this.stepping = false;
          this.finish({ reason: 'pause', cpu: c.index });
          return;
        }
      }
      setImmediate(this.stepLoop);
    } catch (e) {
      this.stepping = false;
      this.finish({ reason: 'pause', cpu: c.index });
      this.emit('message', `internal error while stepping: ${(e as Error).message}\n`);
    }
  };

  private pauseAsked = false;

  /** Stop a running machine at the next instruction boundary (GDB Ctrl-C). */
  pause(): void {
    if (this.stepping) this.pauseAsked = true;
    if (this.runningP) this.machine.pause();
  }

  private stepInsn(c: Cpu): number {
    const m = this.machine;
    if (c.off) return 0;
    c.pendingWake();
    if (c.halted) {
      // waiting for an interrupt: advance time to the next device deadline (deterministic time)
      const d = m.nextDeadline();
      if (d !== Infinity && d > m.ticks) {
        m.ticks = d;
        for (const t of m.tickers) t(m);
      }
      c.pendingWake();
      if (c.halted) return 0;
    }
    c.stopRequested = false;
    const n = c.runLoop(1);
    m.instret += n;
    m.ticks += 1;
    for (const t of m.tickers) t(m);
    c.stopRequested = false;
    return n;
  }

  private prepareResume(first = true): void {
    this.pending = null;
    if (first) this.pauseAsked = false;
    for (const c of this.cpus) {
      c.debugStop = false;
      c.debugWhy = '';
      c.stopRequested = false;
      this.skipIcount[c.index] = first ? c.icount : -1;
      const ls = this.lastStop;
      this.skipWatch[c.index] = first && ls.reason === 'watch' && ls.cpu === c.index ? c.icount : -1;
      c.bpCheck = this.breakpoints.size > 0 ? this.bpFn : null;
    }
    this.installWatch();
  }

  private takePending(c: Cpu): DebugStop | null {
    const p = this.pending;
    this.pending = null;
    c.debugStop = false;
    return p;
  }

  private afterRun(r: StopReason): void {
    for (const c of this.cpus) {
      c.debugStop = false;
      c.stopRequested = false;
      c.debugHold = false;
    }
    let s: DebugStop;
    if (r.kind === 'exit') s = { reason: 'exited', cpu: 0, code: r.code, why: r.why };
    else if (this.pending) s = this.pending;
    else if (r.kind === 'debug') s = { reason: 'pause', cpu: r.cpu };
    else s = { reason: 'pause', cpu: 0 };
    this.pending = null;
    this.finish(s);
  }

  private finish(stop: DebugStop): void {
    const s = stopObject(stop);
    this.lastStop = s;
    // a failing front end must not take the machine (or the process) down
    try {
      if (s.reason === 'catch' || s.reason === 'eret') this.emit('message', s.message + '\n');
      this.emit('stop', s);
    } catch (e) {
      log(`stop listener failed: ${(e as Error).message}`);
    }
  }

  /** Ask for a stop at the next instruction boundary of c with the given reason. */
  private requestStop(c: Cpu, s: DebugStop): void {
    if (!this.pending) this.pending = s;
    c.debugStop = true;
    c.stopRequested = true;
    c.exitLoop = true;
  }

  // ------------------------------------------------------------------ breakpoints

  addBreakpoint(b: Omit<Breakpoint, 'id'>): Breakpoint {
    // one breakpoint per (addr, type, qualifiers, owner): gdb may insert the same one twice
    for (const o of this.breakpoints.values())
      if (o.addr === b.addr && o.type === b.type && o.physical === b.physical && o.el === b.el && o.vmid === b.vmid && o.owner === b.owner) return o;
    // (gdb inserts and removes its breakpoints around every stop: kept cheap, one object shape)
    const bp: Breakpoint = { id: this.nextId++, type: b.type, addr: b.addr, physical: b.physical, el: b.el, vmid: b.vmid, owner: b.owner };
    this.breakpoints.set(bp.id, bp);
    this.indexBp(bp);
    this.armBps();
    return bp;
  }

  removeBreakpoint(pred: (b: Breakpoint) => boolean): number {
    let n = 0;
    for (const [id, b] of this.breakpoints)
      if (pred(b)) {
        this.breakpoints.delete(id);
        n++;
      }
    if (n > 0) this.rebuildBps();
    return n;
  }

  // the CPUs check a PC only where these maps mark a breakpoint (Cpu.bpVaPages / bpPaPages, shared)
  private readonly bpVaPages = new Map<number, Uint8Array>();
  private readonly bpPaPages = new Map<number, Uint8Array>();

  private static mark(pages: Map<number, Uint8Array>, page: number, addr: bigint): void {
    let m = pages.get(page);
    if (m === undefined) pages.set(page, (m = new Uint8Array(1024)));
    m[Number((addr & 0xfffn) >> 2n)] = 1;
  }

  private indexBp(b: Breakpoint): void {
    if (b.physical) {
      this.paBps.push(b);
      DebugCore.mark(this.bpPaPages, Number(b.addr >> 12n), b.addr);
      return;
    }
    const lo = Number(b.addr & 0xffffffffn);
    DebugCore.mark(this.bpVaPages, Number(b.addr >> 32n) * 1048576 + (lo >>> 12), b.addr);
    const l = this.bpByLo.get(lo);
    if (l) l.push(b);
    else this.bpByLo.set(lo, [b]);
  }

  private rebuildBps(): void {
    this.bpByLo.clear();
    this.paBps = [];
    this.bpVaPages.clear();
    this.bpPaPages.clear();
    for (const b of this.breakpoints.values()) this.indexBp(b);
    this.armBps();
  }

  private armBps(): void {
    const fn = this.breakpoints.size > 0 ? this.bpFn : null;
    for (const c of this.cpus) {
      c.bpCheck = fn;
      c.bpVaPages = this.bpVaPages;
      c.bpPaPages = this.bpPaPages;
      c.exitLoop = true; // a running CPU re-reads them at its next page entry
    }
  }

  private checkBreak(c: Cpu): boolean {
    if (c.icount === this.skipIcount[c.index]) return false;
    const l = this.bpByLo.get(c.pcLo);
    if (l !== undefined) {
      for (const b of l) {
        if (Number(b.addr >> 32n) !== c.pcHi) continue;
        if (!this.qualifies(b, c)) continue;
        this.pending = { reason: 'breakpoint', cpu: c.index, hw: b.type === 'hw', id: b.id };
        c.stopRequested = true;
        return true;
      }
    }
    if (this.paBps.length > 0) {
      const pa = debugPa(c, c.pc, VA_VIEW);
      if (pa !== undefined)
        for (const b of this.paBps)
          if (b.addr === pa && this.qualifies(b, c)) {
            this.pending = { reason: 'breakpoint', cpu: c.index, hw: b.type === 'hw', id: b.id };
            c.stopRequested = true;
            return true;
          }
    }
    return false;
  }

  private qualifies(b: Breakpoint, c: Cpu): boolean {
    if (b.el !== undefined && c.el !== b.el) return false;
    if (b.vmid !== undefined && (c.el >= 2 || c.currentVmid() !== b.vmid)) return false;
    return true;
  }

  // ------------------------------------------------------------------ watchpoints

  addWatchpoint(w: Omit<Watchpoint, 'id'>): Watchpoint {
    for (const o of this.watchpoints.values())
      if (o.addr === w.addr && o.len === w.len && o.kind === w.kind && o.physical === w.physical && o.owner === w.owner) return o;
    const wp: Watchpoint = { ...w, id: this.nextId++ };
    this.watchpoints.set(wp.id, wp);
    this.installWatch();
    // drop fast TLB entries that may cover the watched pages
    for (const c of this.cpus) c.tlb.flush();
    return wp;
  }

  removeWatchpoint(pred: (w: Watchpoint) => boolean): number {
    let n = 0;
    for (const [id, w] of this.watchpoints)
      if (pred(w)) {
        this.watchpoints.delete(id);
        n++;
      }
    this.installWatch();
    return n;
  }

  private installWatch(): void {
    if (this.watchpoints.size === 0) {
      for (const c of this.cpus) {
        c.watchVaPages = c.watchPaPages = null;
        c.watchCheck = null;
      }
      return;
    }
    const va = new Set<number>();
    const pa = new Set<number>();
    for (const w of this.watchpoints.values()) {
      const first = w.addr / 4096n;
      const last = (w.addr + BigInt(Math.max(1, w.len)) - 1n) / 4096n;
      for (let p = first; p <= last && p - first < 64n; p++) (w.physical ? pa : va).add(Number(p));
    }
    for (const c of this.cpus) {
      c.watchVaPages = va;
      c.watchPaPages = pa;
      c.watchCheck = this.watchFn;
    }
  }

  private checkWatch(c: Cpu, lo: number, hi: number, pa: number, size: number, write: boolean): boolean {
    if (c.icount === this.skipWatch[c.index] || c.debuggerAccess) return false;
    const va = big(lo, hi);
    const paB = BigInt(pa);
    for (const w of this.watchpoints.values()) {
      if (w.kind === 'write' && !write) continue;
      if (w.kind === 'read' && write) continue;
      const a = w.physical ? paB : va;
      const end = w.addr + BigInt(w.len);
      if (a + BigInt(size) <= w.addr || a >= end) continue;
      // report the data address in the watchpoint's address space: the first watched byte touched
      let hit = a > w.addr ? a : w.addr;
      if (w.physical) hit = hit - paB + va; // gdb knows virtual addresses: translate back
      this.pending = { reason: 'watch', cpu: c.index, kind: w.kind, addr: w.physical ? w.addr : hit, id: w.id };
      // stop before the access: undo the instruction (its exec fn returns on c.abort)
      c.abort = true;
      c.pcLo = c.curPcLo;
      c.pcHi = c.curPcHi;
      c.debugStop = true;
      c.stopRequested = true;
      c.exitLoop = true;
      return true;
    }
    return false;
  }

  // ------------------------------------------------------------------ catchpoints and trap log

  /** Catch synchronous exceptions taken to `els` (each with the EC filter `ecs`, empty = all) and,
   * with irq, interrupts; replaces the previous configuration (eret is kept). */
  setCatch(els: number[], irq: boolean, ecs: number[]): void {
    this.catches.els = new Set(els);
    this.catches.irq = irq;
    this.catches.ecs = new Map(els.map((e) => [e, new Set(ecs)]));
  }

  /** Add (or replace) the catch of one EL with its own EC filter (empty = every EC). */
  catchEl(el: number, ecs: number[]): void {
    this.catches.els.add(el);
    this.catches.ecs.set(el, new Set(ecs));
  }

  private onException(c: Cpu, info: ExceptionInfo): void {
    const e: TrapLogEntry = {
      seq: this.trapSeq++,
      cpu: c.index,
      icount: c.icount,
      fromEl: info.fromEl,
      toEl: info.toEl,
      kind: info.kind,
      esr: info.esr,
      far: info.far ? big(info.far[0], info.far[1]) : undefined,
      hpfar: info.hpfar ? big(info.hpfar[0], info.hpfar[1]) : undefined,
      elr: big(info.elr[0], info.elr[1]),
      vmid: info.vmid,
    };
    // ring buffer: slot seq % size
    this.trapLog[e.seq % TRAP_LOG_SIZE] = e;
    const k = this.catches;
    let hit = false;
    if (info.kind === 'irq' || info.kind === 'fiq') hit = k.irq;
    else if (k.els.has(info.toEl)) {
      const f = k.ecs.get(info.toEl);
      hit = f === undefined || f.size === 0 || f.has(info.ec);
    }
    if (hit) this.requestStop(c, { reason: 'catch', cpu: c.index, message: formatException(e) });
  }

  private onEret(c: Cpu, fromEl: number, toEl: number): void {
    if (!this.catches.eret) return;
    this.requestStop(c, { reason: 'eret', cpu: c.index, message: `ERET EL${fromEl}->EL${toEl} to 0x${c.pc.toString(16)}` });
  }

  /** The last n exceptions, oldest first. */
  traps(n = 32): TrapLogEntry[] {
    const out: TrapLogEntry[] = [];
    const count = Math.min(n, this.trapSeq, TRAP_LOG_SIZE);
    for (let s = this.trapSeq - count; s < this.trapSeq; s++) out.push(this.trapLog[s % TRAP_LOG_SIZE]);
    return out;
  }

  // ------------------------------------------------------------------ memory

  /** Translate one address in a view for cpu; PA or a reason. */
  translate(cpu: number, addr: bigint, view: MemView = this.memView): { pa?: bigint; error?: string } {
    const c = this.cpus[cpu] ?? this.cpus[0];
    try {
      const r = debugTranslate(c, addr, view);
      if (!r.ok || r.pa === undefined) return { error: r.fault ?? 'translation fault' };
      return { pa: r.pa };
    } catch (e) {
      return { error: (e as Error).message };
    }
  }

  /** The PA behind addr in a view, or undefined (no walk report: memory access). */
  private pa(cpu: number, addr: bigint, view: MemView): bigint | undefined {
    try {
      return debugPa(this.cpus[cpu] ?? this.cpus[0], addr, view);
    } catch {
      return undefined;
    }
  }

  /** Read memory through a view. Returns the bytes that could be read from the start (possibly
   * fewer than len); undefined if the first byte cannot be read. Devices are never read (no side
   * effects): MMIO gives an error. */
  readMemory(cpu: number, addr: bigint, len: number, view: MemView = this.memView): Uint8Array | undefined {
    const out = new Uint8Array(len);
    let done = 0;
    while (done < len) {
      const a = BigInt.asUintN(64, addr + BigInt(done));
      const inPage = Math.min(len - done, 4096 - Number(a & 0xfffn));
      const pa = this.pa(cpu, a, view);
      if (pa === undefined) break;
      const b = this.machine.bus.peek(Number(pa), inPage);
      if (!b) break;
      out.set(b, done);
      done += inPage;
    }
    if (done === 0 && len > 0) return undefined;
    return done === len ? out : out.subarray(0, done);
  }

  /** Write RAM/flash through a view (decoded-code caches are invalidated). False on any failure
   * (nothing is written unless every page translates to RAM/flash). */
  writeMemory(cpu: number, addr: bigint, data: Uint8Array, view: MemView = this.memView): boolean {
    let ok: boolean;
    try {
      ok = debugWrite(this.cpus[cpu] ?? this.cpus[0], addr, data, view);
    } catch {
      ok = false;
    }
    if (ok) for (const c of this.cpus) c.exitLoop = true;
    return ok;
  }
}

const cores = new WeakMap<Machine, DebugCore>();
/** The one debug core of a machine (GDB and the inspector share it). */
export function debugCoreFor(m: Machine): DebugCore {
  let d = cores.get(m);
  if (!d) {
    d = new DebugCore(m);
    cores.set(m, d);
  }
  return d;
}

export type { WatchKind };
