// One AArch64 processing element: register file as 32-bit halves, PSTATE, system-register storage,
// exception entry/return and the execution loop. See DESIGN.md "Speed" for why halves.
import createDebug from 'debug';
import type { Bus } from '../machine/bus';
import { SYSREGS, R, sysregCount } from '../sysregs/table';
import { Decoded, Decoder } from './decode/decoder';
import { A64 } from './decode/a64.table';
import { EC, ecName } from './exceptions';
import { Tlb } from '../mmu/tlb';
import type { Translator } from '../mmu/translate';
import { MmuTranslator } from '../mmu/mmu';
import { BLOCK_THRESHOLD, compileBlock } from './blocks';

const log = createDebug('el2scope:cpu');

export type ExcKind = 'sync' | 'irq' | 'fiq' | 'serror';
const KIND_OFFSET: Record<ExcKind, number> = { sync: 0, irq: 0x80, fiq: 0x100, serror: 0x180 };

/** Hooks the machine gives the CPU (decouples the core from devices and front ends). */
export interface CpuEnv {
  /** SMC/HVC calls answered by the board's PSCI firmware when no EL3 code handles them;
   * return true if handled (x0.. updated). */
  psci?(c: Cpu, conduit: 'smc' | 'hvc', imm: number): boolean;
  /** exception taken (for the trap log, catchpoints, --trace exceptions) */
  onException?(c: Cpu, info: ExceptionInfo): void;
  /** ERET executed (for catch eret) */
  onEret?(c: Cpu, fromEl: number, toEl: number): void;
  /** WFI/WFE with nothing pending */
  onWait?(c: Cpu, kind: 'wfi' | 'wfe'): void;
  /** system counter value (deterministic, from instruction count) */
  counter?(c: Cpu): [number, number];
}

export interface ExceptionInfo {
  fromEl: number;
  toEl: number;
  kind: ExcKind;
  esr: number;
  ec: number;
  far?: [number, number];
  elr: [number, number];
  vector: [number, number];
  vmid: number;
  /** HPFAR_EL2 value when the exception is a stage-2 fault reported at EL2 */
  hpfar?: [number, number];
}

/** breakpoint map of a page with both VA and PA breakpoints: check every instruction */
const BP_ALL = new Uint8Array(1024).fill(1);

export class Cpu {
  /** x0..x30 (slots 0..30), active SP (31), XZR read (32), XZR sink (33); slot s at [2s, 2s+1] */
  readonly x = new Uint32Array(68);
  /** SP_EL0..SP_EL3 banks (slot i at [2i, 2i+1]); the active one lives in x[62..63] */
  readonly spBank = new Uint32Array(8);
  /** 64-bit view of x for the rare wide ops and the debugger */
  readonly x64 = new BigUint64Array(this.x.buffer);
  /** system register storage, 2 words per table entry (see sysregs/table.ts) */
  readonly sys: Uint32Array;
  /** FP/SIMD register file (v0..v31, 16 bytes each) */
  readonly vreg = new Uint32Array(32 * 4);
  /** Lane views of the same bytes (the host is little-endian, as the lanes are): lane i of size
   * 8/16/32/64 of register n is v8[16n+i], v16[8n+i], vreg[4n+i], v64[2n+i]; signed twins below.
   * Never move FP values through float views (NaN payloads must survive): use the integer views. */
  readonly v8 = new Uint8Array(this.vreg.buffer);
  readonly v16 = new Uint16Array(this.vreg.buffer);
  readonly v64 = new BigUint64Array(this.vreg.buffer);
  readonly vs8 = new Int8Array(this.vreg.buffer);
  readonly vs16 = new Int16Array(this.vreg.buffer);
  readonly vs32 = new Int32Array(this.vreg.buffer);
  readonly vs64 = new BigInt64Array(this.vreg.buffer);

  pcLo = 0;
  pcHi = 0;
  /** address of the instruction being executed (preferred return address for sync exceptions) */
  curPcLo = 0;
  curPcHi = 0;

  // PSTATE
  n = 0;
  z = 0;
  cf = 0;
  v = 0;
  el = 0;
  /** PSTATE.SP: 0 = SP_EL0, 1 = SP_ELx */
  spSel = 1;
  /** DAIF as the 4-bit field D A I F (bit 3 = D) */
  daif = 0xf;
  ss = 0;
  il = 0;
  pan = 0;
  uao = 0;
  dit = 0;
  ssbs = 0;
  tco = 0;
  btype = 0;

  /** set by anything that must end the straight-line run: exception, context change, WFI */
  exitLoop = false;
  /** set when the current instruction took a synchronous exception (handlers stop at once) */
  abort = false;
  /** CPU is waiting (WFI/WFE) until an interrupt or event */
  halted = false;
  /** PSCI: powered off (CPU_OFF or not yet CPU_ON'd) */
  off = false;
  eventRegister = 0;
  /** every CPU of the machine including this one (SEV, broadcast TLBI); set by the Machine */
  siblings: Cpu[] = [this];
  icount = 0;
  /** icount at the start of this CPU's current turn (machine time bookkeeping) */
  runBase = 0;
  /** temporaries for 64-bit results of helpers (avoid allocation) */
  tmpLo = 0;
  tmpHi = 0;
  /** interrupt lines from the GIC (level) */
  irqLine = false;
  fiqLine = false;
  serrorPending = false;
  /** the GIC this CPU's interface belongs to (set by the board; null on a bare machine) */
  gic: import('../gic/gic').Gic | null = null;
  /** Called after an EL change or an SCR_EL3 write when an attached device depends on the security
   * state (a GIC with two security states chooses IRQ or FIQ by it); null otherwise. */
  onSecurityChange: ((c: Cpu) => void) | null = null;
  /** generic timers of this CPU (set by the board; null on a bare machine) */
  timers: import('../timer/timer').GenericTimers | null = null;
  /** virtual interrupt lines from the GIC virtual CPU interface */
  virqLine = false;
  vfiqLine = false;
  /** exclusive monitor: PA of the reserved granule or -1 */
  exclAddr = -1;
  exclSize = 0;
  /** instruction being executed (set by the run loop; data-abort ISS builder reads it) */
  curInsn: Decoded | null = null;

  readonly tlb: Tlb;
  translator: Translator;
  readonly decoder: Decoder = A64;
  /** translation context tag, part of every fast TLB tag (recomputed on context changes) */
  ctxTag = 0;

  constructor(
    readonly index: number,
    readonly bus: Bus,
    public env: CpuEnv = {},
  ) {
    this.sys = new Uint32Array(sysregCount() * 2);
    this.tlb = new Tlb(this);
    this.translator = new MmuTranslator(this);
    this.resetRegisters();
  }

  // ---------------------------------------------------------------- registers (debugger/loader view)

  getX(n: number): bigint {
    if (n === 31) return 0n;
    return this.x64[n];
  }
  setX(n: number, v: bigint): void {
    if (n < 31) this.x64[n] = BigInt.asUintN(64, v);
  }
  get sp(): bigint {
    return this.x64[31];
  }
  set sp(v: bigint) {
    this.x64[31] = BigInt.asUintN(64, v);
  }
  get pc(): bigint {
    return (BigInt(this.pcHi) << 32n) | BigInt(this.pcLo);
  }
  set pc(v: bigint) {
    v = BigInt.asUintN(64, v);
    this.pcLo = Number(v & 0xffffffffn);
    this.pcHi = Number(v >> 32n);
    this.exitLoop = true;
  }
  /** SP_ELn as the architecture banks it (reads the live slot when n is the selected one) */
  getSpEl(n: number): bigint {
    if (n === this.activeSpIndex()) return this.x64[31];
    return (BigInt(this.spBank[2 * n + 1]) << 32n) | BigInt(this.spBank[2 * n]);
  }
  setSpEl(n: number, v: bigint): void {
    v = BigInt.asUintN(64, v);
    if (n === this.activeSpIndex()) this.x64[31] = v;
    else {
      this.spBank[2 * n] = Number(v & 0xffffffffn);
      this.spBank[2 * n + 1] = Number(v >> 32n);
    }
  }

  activeSpIndex(): number {
    return this.spSel ? this.el : 0;
  }

  // ---------------------------------------------------------------- system registers

  sysGet(idx: number): bigint {
    return (BigInt(this.sys[2 * idx + 1]) << 32n) | BigInt(this.sys[2 * idx]);
  }
  sysSet(idx: number, v: bigint): void {
    v = BigInt.asUintN(64, v);
    this.sys[2 * idx] = Number(v & 0xffffffffn);
    this.sys[2 * idx + 1] = Number(v >> 32n);
  }
  /** low word of a register by index (hot-path friendly) */
  sysLo(idx: number): number {
    return this.sys[2 * idx];
  }
  sysHi(idx: number): number {
    return this.sys[2 * idx + 1];
  }

  // ---------------------------------------------------------------- PSTATE / SPSR

  /** PSTATE packed in SPSR_ELx layout (Arm ARM C5.2.18, SPSR_EL1 for AArch64) */
  getPstate(): number {
    return (
      ((this.n << 31) |
        (this.z << 30) |
        (this.cf << 29) |
        (this.v << 28) |
        (this.tco << 25) |
        (this.dit << 24) |
        (this.uao << 23) |
        (this.pan << 22) |
        (this.ss << 21) |
        (this.il << 20) |
        (this.ssbs << 12) |
        (this.btype << 10) |
        (this.daif << 6) |
        (this.el << 2) |
        this.spSel) >>>
      0
    );
  }

  /** Set PSTATE from an SPSR image (ERET, debugger). Swaps stack pointers as EL/SP change. */
  setPstate(v: number): void {
    const oldPan = this.pan;
    this.n = (v >>> 31) & 1;
    this.z = (v >>> 30) & 1;
    this.cf = (v >>> 29) & 1;
    this.v = (v >>> 28) & 1;
    this.tco = (v >>> 25) & 1;
    this.dit = (v >>> 24) & 1;
    this.uao = (v >>> 23) & 1;
    this.pan = (v >>> 22) & 1;
    this.ss = (v >>> 21) & 1;
    this.il = (v >>> 20) & 1;
    this.ssbs = (v >>> 12) & 1;
    this.btype = (v >>> 10) & 3;
    this.daif = (v >>> 6) & 0xf;
    const el = this.el;
    this.switchElSp((v >>> 2) & 3, v & 1);
    // PSTATE.PAN is part of the translation context (the fast TLB caches permissions)
    if (this.pan !== oldPan && this.el === el) this.contextChanged();
  }

  get nzcv(): number {
    return (this.n << 3) | (this.z << 2) | (this.cf << 1) | this.v;
  }
  set nzcv(f: number) {
    this.n = (f >>> 3) & 1;
    this.z = (f >>> 2) & 1;
    this.cf = (f >>> 1) & 1;
    this.v = f & 1;
  }

  /** Change EL and/or SPSel, banking the active SP (Arm ARM D1.6.2). */
  switchElSp(el: number, spSel: number): void {
    const old = this.activeSpIndex();
    const nw = spSel ? el : 0;
    if (old !== nw) {
      this.spBank[2 * old] = this.x[62];
      this.spBank[2 * old + 1] = this.x[63];
      this.x[62] = this.spBank[2 * nw];
      this.x[63] = this.spBank[2 * nw + 1];
    }
    const elChanged = el !== this.el;
    this.el = el;
    this.spSel = spSel;
    if (elChanged) {
      this.tlb.elChanged();
      this.exitLoop = true;
      if (this.onSecurityChange !== null) this.onSecurityChange(this);
    }
  }

  // ---------------------------------------------------------------- security / EL2 state

  /** EL3 is implemented (always: we model the full EL0–EL3 machine). */
  readonly haveEl3 = true;
  readonly haveEl2 = true;

  /** SCR_EL3.NS (or secure at EL3) — current security state is Secure */
  isSecure(): boolean {
    if (this.el === 3) return true;
    return (this.sysLo(R.SCR_EL3) & 1) === 0;
  }
  /** EL2 enabled in the current security state (Arm ARM D1.4: EL2Enabled()) */
  el2Enabled(): boolean {
    const scr = this.sysLo(R.SCR_EL3);
    return (scr & 1) === 1 || ((scr >>> 18) & 1) === 1; // NS, or EEL2
  }
  hcrLo(): number {
    return this.sysLo(R.HCR_EL2);
  }
  hcrHi(): number {
    return this.sysHi(R.HCR_EL2);
  }
  /** HCR_EL2.{E2H,TGE} both set (and EL2 enabled): the EL2&0 host regime */
  isHostEl0Regime(): boolean {
    return this.el2Enabled() && (this.hcrHi() & (1 << 2)) !== 0 && (this.hcrLo() & (1 << 27)) !== 0;
  }
  tge(): boolean {
    return this.el2Enabled() && (this.hcrLo() & (1 << 27)) !== 0;
  }
  e2h(): boolean {
    return (this.hcrHi() & (1 << 2)) !== 0;
  }
  /** current VMID (0 when stage 2 is not in use by the current regime) */
  currentVmid(): number {
    if (this.el >= 2 || !this.el2Enabled()) return 0;
    const vtcrVs = (this.sysLo(R.VTCR_EL2) >>> 19) & 1;
    const vmid = this.sysHi(this.isSecure() ? R.VSTTBR_EL2 : R.VTTBR_EL2) >>> 16;
    return vtcrVs ? vmid : vmid & 0xff;
  }

  /** Something the translation regime depends on changed: drop fast-path state. */
  contextChanged(): void {
    this.tlb.contextChanged();
    this.exitLoop = true;
  }

  // ---------------------------------------------------------------- exceptions

  /** Target EL for a synchronous exception that is not explicitly routed (Arm ARM D1.10.2). */
  defaultSyncTarget(): number {
    if (this.el === 0) return this.tge() ? 2 : 1;
    return this.el;
  }

  /**
   * Take an exception to `target`. ESR is the full syndrome; far is written to FAR_ELx when given.
   * Preferred return: for sync exceptions the current instruction (curPc), for interrupts the
   * next one (pc) unless `elr` says otherwise.
   */
  takeException(
    target: number,
    kind: ExcKind,
    esr: number,
    far?: [number, number],
    elr?: [number, number],
    hpfar?: [number, number],
  ): void {
    const fromEl = this.el;
    const retLo = elr ? elr[0] : kind === 'sync' ? this.curPcLo : this.pcLo;
    const retHi = elr ? elr[1] : kind === 'sync' ? this.curPcHi : this.pcHi;
    const spsr = this.getPstate();
    const spsrIdx = [R.SPSR_EL1, R.SPSR_EL1, R.SPSR_EL2, R.SPSR_EL3][target];
    const elrIdx = [R.ELR_EL1, R.ELR_EL1, R.ELR_EL2, R.ELR_EL3][target];
    const esrIdx = [R.ESR_EL1, R.ESR_EL1, R.ESR_EL2, R.ESR_EL3][target];
    const farIdx = [R.FAR_EL1, R.FAR_EL1, R.FAR_EL2, R.FAR_EL3][target];
    const vbarIdx = [R.VBAR_EL1, R.VBAR_EL1, R.VBAR_EL2, R.VBAR_EL3][target];
    this.sys[2 * spsrIdx] = spsr;
    this.sys[2 * spsrIdx + 1] = 0;
    this.sys[2 * elrIdx] = retLo;
    this.sys[2 * elrIdx + 1] = retHi;
    if (kind === 'sync' || kind === 'serror') {
      this.sys[2 * esrIdx] = esr >>> 0;
      this.sys[2 * esrIdx + 1] = 0;
    }
    if (far) {
      this.sys[2 * farIdx] = far[0];
      this.sys[2 * farIdx + 1] = far[1];
    }
    if (hpfar) {
      this.sys[2 * R.HPFAR_EL2] = hpfar[0];
      this.sys[2 * R.HPFAR_EL2 + 1] = hpfar[1];
    }
    // vector offset: current EL with SP_EL0 / SP_ELx, lower EL (AArch64) — Arm ARM D1.10.2
    let off: number;
    if (fromEl === target) off = this.spSel ? 0x200 : 0;
    else off = 0x400;
    off += KIND_OFFSET[kind];
    const vbLo = this.sys[2 * vbarIdx] & ~0x7ff;
    const vbHi = this.sys[2 * vbarIdx + 1];
    // PSTATE on entry (Arm ARM D1.10.4): DAIF all masked, SS=0, IL=0, BTYPE=0, SP=ELx
    this.daif = 0xf;
    this.ss = 0;
    this.il = 0;
    this.btype = 0;
    // PAN set on entry to EL1 (or EL2 with E2H+TGE) when SCTLR_ELx.SPAN == 0 (FEAT_PAN)
    if (target === 1 && ((this.sysLo(R.SCTLR_EL1) >>> 23) & 1) === 0) this.pan = 1;
    if (target === 2 && this.isHostEl0Regime() && ((this.sysLo(R.SCTLR_EL2) >>> 23) & 1) === 0) this.pan = 1;
    this.switchElSp(target, 1);
    this.pcLo = (vbLo + off) >>> 0;
    this.pcHi = vbHi;
    this.abort = true;
    this.exitLoop = true;
    this.halted = false;
    this.exclAddr = -1; // exception entry clears the local monitor (ClearExclusiveLocal)
    const ec = kind === 'sync' || kind === 'serror' ? (esr >>> 26) & 0x3f : -1;
    if (log.enabled) log(`exception ${kind} EL${fromEl}->EL${target} ${ec >= 0 ? ecName(ec) : ''} esr=${esr.toString(16)}`);
    this.env.onException?.(this, {
      fromEl,
      toEl: target,
      kind,
      esr: esr >>> 0,
      ec,
      far,
      elr: [retLo, retHi],
      vector: [this.pcLo, this.pcHi],
      vmid: fromEl < 2 ? this.vmidOf(fromEl) : 0,
      hpfar,
    });
  }

  private vmidOf(_el: number): number {
    if (!this.el2Enabled()) return 0;
    const vmid = this.sysHi(this.isSecure() ? R.VSTTBR_EL2 : R.VTTBR_EL2) >>> 16;
    return (this.sysLo(R.VTCR_EL2) >>> 19) & 1 ? vmid : vmid & 0xff;
  }

  /** Synchronous exception with syndrome EC/ISS, routed to `target` (default routing if omitted).
   * IL is 1 for every A64 instruction-related syndrome. */
  syncException(ec: number, iss: number, target?: number, far?: [number, number], hpfar?: [number, number], il = 1): void {
    const t = target ?? this.defaultSyncTarget();
    const esr = ((ec << 26) | (il << 25) | (iss & 0x1ffffff)) >>> 0;
    this.takeException(t, 'sync', esr, far, undefined, hpfar);
  }

  undefinedInstruction(): void {
    this.syncException(EC.UNKNOWN, 0, undefined, undefined, undefined, 1);
  }

  // ---------------------------------------------------------------- reset

  resetRegisters(): void {
    this.x.fill(0);
    this.spBank.fill(0);
    this.vreg.fill(0);
    for (const d of SYSREGS) {
      if (d.idx === undefined || d.storageOf) continue;
      this.sysSet(d.idx, d.resetFn ? d.resetFn(this) : d.reset);
    }
    this.n = this.z = this.cf = this.v = 0;
    this.daif = 0xf;
    this.ss = this.il = this.pan = this.uao = this.dit = this.tco = this.btype = 0;
    this.el = 3;
    this.spSel = 1;
    this.pcLo = this.pcHi = 0;
    this.halted = false;
    this.exclAddr = -1;
    this.contextChanged();
  }

  // ---------------------------------------------------------------- execution

  /** Run up to `budget` instructions; returns the number executed. Stops early when `shouldStop`
   * is set by a debugger hook or when the CPU halts (WFI) or powers off. */
  step(budget: number): number {
    return this.runLoop(budget);
  }

  /** breakpoint check: when non-null, called with the PC before each instruction that the page's
   * breakpoint map marks (bpVaPages / bpPaPages); return true to stop */
  bpCheck: ((c: Cpu) => boolean) | null = null;
  /** pages holding debugger breakpoints (VA pages as hi * 2^20 + (lo >>> 12), PA page numbers), each
   * with a map of its 1024 instruction slots (non-zero: a breakpoint may be there). Every other page
   * runs at full speed (block tier included) while breakpoints are set; on these, instructions run
   * one by one and only the marked ones are checked. */
  bpVaPages = new Map<number, Uint8Array>();
  bpPaPages = new Map<number, Uint8Array>();
  stopRequested = false;
  /** debugger watchpoints (src/debug): VA page numbers (hi * 2^20 + lo >>> 12) and PA page numbers
   * that must never get fast TLB entries, and the check every slow-path data access calls. The
   * check returns true to suppress the access (the debug core then stops before the instruction). */
  watchVaPages: Set<number> | null = null;
  watchPaPages: Set<number> | null = null;
  watchCheck: ((c: Cpu, lo: number, hi: number, pa: number, size: number, write: boolean) => boolean) | null = null;
  /** true while the debugger reads/writes system registers through their hooks (no traps, no
   * guest-visible side effects beyond the write itself) */
  debuggerAccess = false;
  /** set by bpCheck/watchpoints when the run stopped for a debug reason */
  debugStop = false;
  debugWhy = '';
  /** held by the debugger while other vCPUs run (gdb's scheduler-locking: `vCont;c:2`) */
  debugHold = false;

  /** WFI/WFE wake-up: any pending interrupt (masked or not) ends the wait (Arm ARM D1.16.2). */
  pendingWake(): void {
    if (!this.halted) return;
    const hcr = this.hcrLo();
    if (this.irqLine || this.fiqLine || this.virqLine || this.vfiqLine || this.serrorPending || (this.el <= 1 && hcr & 0x1c0)) this.halted = false;
  }

  runLoop(budget: number): number {
    // instructions are counted in this.icount only (one increment on the hot path); `end` bounds it
    const start = this.icount;
    const end = start + budget;
    this.debugStop = false;
    while (this.icount < end && !this.stopRequested) {
      if (this.off) break;
      if (this.pendingInterruptCheck()) {
        this.icount++; // taking an interrupt counts as a step boundary
        continue;
      }
      if (this.halted) {
        this.pendingWake();
        if (this.halted) break;
      }
      if (this.il) {
        // PSTATE.IL (set by an illegal exception return): the next instruction takes the Illegal
        // Execution state exception, EC 0x0E (Arm ARM D1.11.2)
        this.curPcLo = this.pcLo;
        this.curPcHi = this.pcHi;
        this.syncException(EC.ILL, 0);
        this.abort = false;
        this.icount++;
        continue;
      }
      const page = this.tlb.fetchPage(this.pcLo, this.pcHi);
      if (page === null) {
        // instruction abort was taken (pc moved to the vector)
        this.abort = false;
        this.icount++;
        continue;
      }
      const insns = page.insns;
      const blocks = page.blocks;
      const hi = this.pcHi;
      const base = this.pcLo & ~0xfff;
      let idx = (this.pcLo & 0xfff) >>> 2;
      this.exitLoop = false;
      const bp = this.bpCheck;
      let bpMap: Uint8Array | null = null;
      if (bp !== null) {
        const va = this.bpVaPages.get(hi * 1048576 + (this.pcLo >>> 12));
        const pa = this.bpPaPages.get(page.paPage);
        bpMap = va === undefined ? (pa ?? null) : pa === undefined ? va : BP_ALL;
      }
      for (;;) {
        if (bpMap !== null) {
          if (bpMap[idx] !== 0 && bp!(this)) {
            this.debugStop = true;
            return this.icount - start;
          }
        } else if (page.valid) {
          // block tier (cpu/blocks.ts): hot entry points run as one generated function; not while
          // a debugger checks every PC, nor on a page written since it was fetched
          const blk = blocks[idx];
          if (blk !== undefined) {
            if (blk.len <= end - this.icount) {
              this.curPcHi = hi;
              blk.run(this, (base + (idx << 2)) >>> 0, hi);
              if (this.icount >= end || this.exitLoop) break;
              if (this.pcHi !== hi || ((this.pcLo ^ base) & ~0xfff) !== 0) {
                if (this.pcLo === 0 && this.curPcLo === 0xfffffffc) this.pcHi = (this.pcHi + 1) >>> 0;
                break;
              }
              idx = (this.pcLo & 0xfff) >>> 2;
              continue;
            }
          } else if (++page.heat[idx] === BLOCK_THRESHOLD) {
            blocks[idx] = compileBlock(page, idx);
            continue;
          }
        }
        let d = insns[idx];
        if (d === undefined) d = page.decode(idx);
        const lo = (base + (idx << 2)) >>> 0;
        this.curPcLo = lo;
        this.curPcHi = hi;
        this.pcLo = (lo + 4) >>> 0;
        this.curInsn = d;
        d.fn(this, d);
        if (++this.icount >= end || this.exitLoop) break;
        // straight-line or in-page branch: stay on the decoded page (a misaligned PC leaves the loop
        // too: bits [1:0] are kept in the mask, and fetchPage raises the PC alignment fault)
        if (this.pcHi !== hi || ((this.pcLo ^ base) & ~0xffc) !== 0) {
          if (this.pcLo === 0 && lo === 0xfffffffc) this.pcHi = (this.pcHi + 1) >>> 0;
          break;
        }
        idx = (this.pcLo & 0xfff) >>> 2;
      }
      this.abort = false;
      if (this.debugStop) break;
    }
    return this.icount - start;
  }

  /** Take a pending, unmasked interrupt if any (Arm ARM D1.13). Returns true if one was taken. */
  pendingInterruptCheck(): boolean {
    // fast exit: nothing asserted
    const hcr = this.hcrLo();
    const virt = (hcr & ((1 << 7) | (1 << 6) | (1 << 8))) !== 0 || this.virqLine || this.vfiqLine; // VI, VF, VSE, GIC virtual lines
    if (!this.irqLine && !this.fiqLine && !this.serrorPending && !virt) return false;
    if (this.fiqLine && this.tryTake('fiq', false)) return true;
    if (this.irqLine && this.tryTake('irq', false)) return true;
    if (virt && this.el <= 1 && this.el2Enabled() && !this.tge()) {
      // virtual exceptions (Arm ARM D1.13.3): only when the physical one is routed to EL2 (xMO)
      // HCR_EL2: FMO=3 IMO=4 AMO=5 VF=6 VI=7 VSE=8; DAIF here: F=1 I=2 A=4
      if ((hcr & (1 << 6) || this.vfiqLine) && hcr & (1 << 3) && !(this.daif & 1)) return this.takeVirtual('fiq');
      if ((hcr & (1 << 7) || this.virqLine) && hcr & (1 << 4) && !(this.daif & 2)) return this.takeVirtual('irq');
      if (hcr & (1 << 8) && hcr & (1 << 5) && !(this.daif & 4)) {
        this.sys[2 * R.HCR_EL2] &= ~(1 << 8); // VSE is cleared when the vSError is taken
        return this.takeVirtual('serror');
      }
    }
    if (this.serrorPending && this.tryTake('serror', true)) {
      this.serrorPending = false;
      return true;
    }
    return false;
  }

  private takeVirtual(kind: ExcKind): boolean {
    const esr = kind === 'serror' ? ((EC.SERROR << 26) | (1 << 25) | (this.sysLo(R.VSESR_EL2) & 0x1ffffff)) >>> 0 : 0; // IL is RES1 for SError
    this.takeException(1, kind, esr);
    this.abort = false;
    return true;
  }

  /** Physical interrupt routing and masking (Arm ARM D1.13.1, table D1-xx). */
  private tryTake(kind: 'irq' | 'fiq' | 'serror', _s: boolean): boolean {
    const scr = this.sysLo(R.SCR_EL3);
    const scrBit = kind === 'irq' ? 1 << 1 : kind === 'fiq' ? 1 << 2 : 1 << 3;
    const hcrBit = kind === 'irq' ? 1 << 4 : kind === 'fiq' ? 1 << 3 : 1 << 5;
    const mask = kind === 'irq' ? 2 : kind === 'fiq' ? 1 : 4;
    let target: number;
    if (scr & scrBit) target = 3;
    else if (this.el2Enabled() && (this.hcrLo() & hcrBit || this.tge())) target = 2;
    else target = 1;
    if (target < this.el) return false;
    if (target === this.el) {
      if (this.daif & mask) return false;
    } else if (target === 2 && this.isHostEl0Regime() && this.daif & mask) {
      return false; // EL2&0 host: EL0 and EL2 share the mask
    }
    if (kind !== 'serror' && target === 1 && this.daif & mask) return false;
    this.takeException(target, kind, kind === 'serror' ? ((EC.SERROR << 26) | (1 << 25)) >>> 0 : 0);
    this.abort = false;
    return true;
  }
}
