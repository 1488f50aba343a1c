// The el2scope machine as a GdbTarget: adapts the debug core (src/debug) to the protocol layer.
import type { Machine } from '../machine/machine';
import { DebugCore, debugCoreFor } from '../debug/core';
import type { DebugStop, WatchKind } from '../debug/types';
import { CORE_COUNT, coreSize, readCore, viewRegisters, writeCore, FPU_BASE, REG_FPSR, REG_FPCR, SYS_BASE, readVreg, writeVreg, fpStatusReg } from '../debug/registers';
import { leBytesToBig, leHex, leHex32, toHex } from './protocol/hex';
import type { GdbTarget, ResumeAction, StopEvent } from './target';
import { targetXml } from './target-xml';
import { runMonitor } from './monitor';

const SIGINT = 2;
const SIGTRAP = 5;
const WATCH_KIND: Record<2 | 3 | 4, WatchKind> = { 2: 'write', 3: 'read', 4: 'access' };

type StopReason = 'swbreak' | 'hwbreak' | 'watch' | 'rwatch' | 'awatch';

/** Stop events of one object shape whatever their kind (stop replies stay optimized in V8). */
function stopEvent(kind: 'signal' | 'exited', signal: number, thread: number, reason?: StopReason, addr?: bigint, code = 0): StopEvent {
  const e = { kind, signal, thread, reason, addr, code };
  return e as StopEvent;
}

export class El2Target implements GdbTarget {
  readonly core: DebugCore;

  constructor(readonly machine: Machine) {
    this.core = debugCoreFor(machine);
    this.tids = machine.cpus.map((_, i) => i + 1); // the vCPU set is fixed for a machine
  }

  private cpu(tid: number) {
    return this.machine.cpus[tid - 1] ?? this.machine.cpus[0];
  }

  private readonly tids: number[];

  threads(): number[] {
    return this.tids;
  }

  /** The g packet carries the core registers and then every system register: one round trip for
   * `info registers` instead of one `p` per register (GDB puts tdesc registers of any custom group
   * in its general group too, so they are all displayed anyway). */
  readRegisters(tid: number): string {
    const c = this.cpu(tid);
    let s = '';
    for (let n = 0; n < CORE_COUNT; n++) s += leHex(readCore(c, n), coreSize(n));
    for (let n = 0; n < 32; n++) s += toHex(readVreg(c, n));
    s += this.readRegister(tid, REG_FPSR)! + this.readRegister(tid, REG_FPCR)!;
    for (const r of viewRegisters()) s += leHex(r.read(c), 8);
    return s;
  }

  writeRegisters(tid: number, data: Uint8Array): boolean {
    const c = this.cpu(tid);
    if (data.length < 8 * 33 + 4) return false;
    let off = 0;
    for (let n = 0; n < CORE_COUNT; n++) {
      const sz = coreSize(n);
      writeCore(c, n, leBytesToBig(data.subarray(off, off + sz)));
      off += sz;
    }
    for (let n = 0; n < 32 && off + 16 <= data.length; n++, off += 16) writeVreg(c, n, data.subarray(off, off + 16));
    for (const r of [REG_FPSR, REG_FPCR]) {
      if (off + 4 > data.length) break;
      const b = data.subarray(off, off + 4);
      off += 4;
      if (this.readRegister(tid, r) !== toHex(b)) this.writeRegister(tid, r, b);
    }
    // system registers: only the ones whose value changes (writes have side effects)
    for (const r of viewRegisters()) {
      if (off + 8 > data.length) break;
      const v = leBytesToBig(data.subarray(off, off + 8));
      off += 8;
      if (v !== r.read(c)) r.write(c, v);
    }
    return true;
  }

  readRegister(tid: number, n: number): string | undefined {
    const c = this.cpu(tid);
    if (n < CORE_COUNT) return leHex(readCore(c, n), coreSize(n));
    if (n < REG_FPSR) return toHex(readVreg(c, n - FPU_BASE));
    if (n === REG_FPSR || n === REG_FPCR) {
      const r = fpStatusReg(n === REG_FPSR ? 'FPSR' : 'FPCR');
      return leHex(r ? r.read(c) : 0n, 4);
    }
    const r = viewRegisters()[n - SYS_BASE];
    return r ? leHex(r.read(c), 8) : undefined;
  }

  writeRegister(tid: number, n: number, data: Uint8Array): boolean {
    const c = this.cpu(tid);
    if (n < CORE_COUNT) {
      if (data.length !== coreSize(n)) return false;
      return writeCore(c, n, leBytesToBig(data));
    }
    if (n < REG_FPSR) {
      if (data.length !== 16) return false;
      writeVreg(c, n - FPU_BASE, data);
      return true;
    }
    if (n === REG_FPSR || n === REG_FPCR) {
      const r = fpStatusReg(n === REG_FPSR ? 'FPSR' : 'FPCR');
      return data.length === 4 && !!r && r.write(c, leBytesToBig(data));
    }
    const r = viewRegisters()[n - SYS_BASE];
    if (!r || data.length !== 8) return false;
    return r.write(c, leBytesToBig(data));
  }

  /** x29 (1d), x30 (1e), sp (1f), pc (20), cpsr (21), straight from the register words: this is
   * built after every step */
  expedite(tid: number): string {
    const c = this.cpu(tid);
    const x = c.x;
    return (
      '1d:' + leHex32(x[58]) + leHex32(x[59]) + ';1e:' + leHex32(x[60]) + leHex32(x[61]) + ';1f:' + leHex32(x[62]) + leHex32(x[63]) +
      ';20:' + leHex32(c.pcLo) + leHex32(c.pcHi) + ';21:' + leHex32(c.getPstate()) + ';'
    );
  }

  readMemory(tid: number, addr: bigint, len: number): Uint8Array | undefined {
    return this.core.readMemory(tid - 1, addr, len);
  }

  writeMemory(tid: number, addr: bigint, data: Uint8Array): boolean {
    return this.core.writeMemory(tid - 1, addr, data);
  }

  resume(actions: ResumeAction[]): void {
    for (const a of actions)
      if (a.op === 's') {
        // the stepping vCPU moves alone (deterministic; the others' actions wait for the next resume)
        this.core.step((a.thread > 0 ? a.thread : 1) - 1, a.range);
        return;
      }
    // all-stop vCont: each thread takes the first action naming it; a thread no action names stays
    // stopped (gdb's scheduler-locking sends `vCont;c:2` to run vCPU1 alone)
    const only: number[] = [];
    const n = this.machine.cpus.length;
    for (let i = 0; i < n; i++) {
      let op: string | undefined;
      for (const a of actions)
        if (a.thread <= 0 || a.thread === i + 1) {
          op = a.op;
          break;
        }
      if (op === 'c') only.push(i);
    }
    if (only.length === n) this.core.continue();
    else this.core.continue(only);
  }

  interrupt(): void {
    this.core.pause();
  }

  isRunning(): boolean {
    return this.core.isRunning;
  }

  stopStatus(): StopEvent {
    return this.toEvent(this.core.lastStop);
  }

  private toEvent(s: DebugStop): StopEvent {
    const thread = s.cpu + 1;
    switch (s.reason) {
      case 'exited':
        return stopEvent('exited', 0, 0, undefined, undefined, s.code);
      case 'pause':
        return stopEvent('signal', SIGINT, thread);
      case 'breakpoint': {
        const b = this.core.breakpoints.get(s.id);
        if (b && b.owner !== 'gdb') return stopEvent('signal', SIGTRAP, thread);
        return stopEvent('signal', SIGTRAP, thread, s.hw ? 'hwbreak' : 'swbreak');
      }
      case 'watch': {
        const w = this.core.watchpoints.get(s.id);
        // gdb ignores a watch stop it cannot match to one of its watchpoints: report others plainly
        if (w && w.owner !== 'gdb') return stopEvent('signal', SIGTRAP, thread);
        const reason = s.kind === 'write' ? 'watch' : s.kind === 'read' ? 'rwatch' : 'awatch';
        return stopEvent('signal', SIGTRAP, thread, reason, s.addr);
      }
      default:
        return stopEvent('signal', SIGTRAP, thread);
    }
  }

  subscribe(onStop: (e: StopEvent) => void, onConsole: (text: string) => void): () => void {
    const st = (s: DebugStop) => {
      if (s.reason === 'breakpoint') {
        const b = this.core.breakpoints.get(s.id);
        if (b && b.owner !== 'gdb') onConsole(`monitor breakpoint ${b.id} hit at 0x${b.addr.toString(16)}\n`);
      }
      if (s.reason === 'watch') {
        const w = this.core.watchpoints.get(s.id);
        if (w && w.owner !== 'gdb') onConsole(`monitor watchpoint ${w.id} (${w.kind}) hit: ${w.physical ? 'PA ' : ''}0x${w.addr.toString(16)}\n`);
      }
      onStop(this.toEvent(s));
    };
    this.core.on('stop', st);
    this.core.on('message', onConsole);
    return () => {
      this.core.off('stop', st);
      this.core.off('message', onConsole);
    };
  }

  breakpoints = {
    add: (type: 0 | 1, addr: bigint) => {
      this.core.addBreakpoint({ type: type === 0 ? 'sw' : 'hw', addr, owner: 'gdb' });
      return true;
    },
    remove: (type: 0 | 1, addr: bigint) => {
      this.core.removeBreakpoint((b) => b.owner === 'gdb' && b.addr === addr && b.type === (type === 0 ? 'sw' : 'hw'));
      return true;
    },
  };

  watchpoints = {
    add: (type: 2 | 3 | 4, addr: bigint, len: number) => {
      this.core.addWatchpoint({ kind: WATCH_KIND[type], addr, len, owner: 'gdb' });
      return true;
    },
    remove: (type: 2 | 3 | 4, addr: bigint, len: number) => {
      this.core.removeWatchpoint((w) => w.owner === 'gdb' && w.addr === addr && w.len === len && w.kind === WATCH_KIND[type]);
      return true;
    },
  };

  targetXml(annex: string): string | undefined {
    return annex === 'target.xml' ? targetXml() : undefined;
  }

  memoryMapXml(): string {
    const bus = this.machine.bus;
    const hx = (n: bigint | number) => '0x' + n.toString(16);
    const flash = bus.flash.length;
    const ramEnd = bus.ramBase + bus.ramSize;
    // Every address is "ram" to gdb. The addresses gdb sends are interpreted through the memory
    // view (`monitor mem va|ipa|regime`), so the low 64 MiB are flash only in the PA view: a guest
    // mapping VA/IPA 0 must stay writable (gdb refuses writes to a "rom" region on its own, and
    // would turn breakpoints there into hardware ones; ours never patch memory anyway). Debugger
    // writes to flash itself work (the bus loads them).
    return (
      '<?xml version="1.0"?>\n<!DOCTYPE memory-map PUBLIC "+//IDN gnu.org//DTD GDB Memory Map V1.0//EN" "http://sourceware.org/gdb/gdb-memory-map.dtd">\n<memory-map>\n' +
      `  <memory type="ram" start="0x0" length="${hx(flash)}"/>\n` +
      `  <memory type="ram" start="${hx(flash)}" length="${hx(bus.ramBase - flash)}"/>\n` +
      `  <memory type="ram" start="${hx(bus.ramBase)}" length="${hx(bus.ramSize)}"/>\n` +
      `  <memory type="ram" start="${hx(ramEnd)}" length="${hx((1n << 64n) - BigInt(ramEnd))}"/>\n` +
      '</memory-map>\n'
    );
  }

  threadExtraInfo(tid: number): string {
    const c = this.cpu(tid);
    const state = c.off ? ' off' : c.halted ? ' wfi' : '';
    return `vCPU${c.index} EL${c.el}${c.spSel ? 'h' : 't'} ${c.isSecure() ? 'S' : 'NS'}${state}`;
  }

  /** this gdb session changed the catchpoints / the memory view (`monitor catch`, `monitor mem`) */
  sessionCatches = false;
  sessionView = false;

  monitor(cmd: string, tid = 1): string {
    return runMonitor(this, cmd, tid - 1);
  }

  private dropGdbState(): void {
    this.core.removeBreakpoint((b) => b.owner === 'gdb');
    this.core.removeWatchpoint((w) => w.owner === 'gdb');
  }

  detach(): void {
    this.dropGdbState();
    // the session's monitor state goes with it: a breakpoint or catch left behind would stop the
    // guest later with no debugger attached, and the next gdb expects x/ to mean VAs again
    this.core.removeBreakpoint((b) => b.owner === 'monitor');
    this.core.removeWatchpoint((w) => w.owner === 'monitor');
    // (catches and the view are shared with the inspector: only what this gdb session set is undone)
    if (this.sessionCatches) {
      this.core.setCatch([], false, []);
      this.core.catches.eret = false;
    }
    if (this.sessionView) this.core.memView = { kind: 'va' };
    this.sessionCatches = this.sessionView = false;
    this.core.continue();
  }

  disconnected(): void {
    // keep the machine exactly as it is (stopped or running); only forget gdb's breakpoints
    this.dropGdbState();
  }

  kill(): void {
    this.dropGdbState();
    if (this.core.isRunning) this.core.pause();
    this.machine.exit(0, 'killed by gdb');
  }
}
