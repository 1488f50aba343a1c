// Differential harness: runs one program in QEMU (through its gdbstub) and in our core, single-steps
// both and compares x0–x30, SP, PC and PSTATE.{N,Z,C,V,D,A,I,F,EL,SP} after every instruction, then
// the data scratch area at the end. With RunOptions.fp also v0–v31 (128 bits), FPSR and FPCR (see
// FpCompare below for which registers are read at each step).
//
// One QEMU process is reused for many programs: code, data and registers are written through the
// gdbstub ('M' and 'G' packets), so each program costs only its steps.
import { Machine } from '../../src/machine/machine';
import { R } from '../../src/sysregs/table';
import { A64 } from '../../src/cpu/decode/a64.table';
import type { Cpu } from '../../src/cpu/cpu';
import { QemuInstance } from './qemu';
import { decodeG, hexToWords, wordsToHex, type FpLayout, type RawRegs } from './rsp';
import { debugReadSysReg, debugWriteSysReg, sysRegByName } from '../../src/sysregs/table';
import type { Program } from './gen';

/** PSTATE bits compared: NZCV, DAIF, EL, SPSel (SPSR layout). */
export const CPSR_MASK = 0xf00003cd;
/** On the step that takes an exception: QEMU 7.2 clears NZCV on AArch64 exception entry, while the
 * Arm ARM's AArch64.TakeException() leaves PSTATE.{N,Z,C,V} alone. The flags from before the
 * exception are still checked through SPSR_ELx (the generated vector handlers read it into x2),
 * and ERET restores them, so only this one step compares PSTATE without NZCV. */
export const CPSR_MASK_EXC_ENTRY = 0x000003cd;

/** SCR_EL3 as QEMU behaves for `virt,virtualization=on` without EL3: non-secure, lower ELs AArch64,
 * HVC enabled (NS | HCE | RW), and no pointer-authentication traps to EL3 (APK | API, bits 16/17). */
export const SCR_EL3_VALUE = 0x30501n;

/** a word of RAM below the programs, used to step QEMU back to EL2 between programs */
const HVC_PAD = 0x401f_f000;

export interface RegDiff {
  reg: string;
  qemu: bigint;
  ours: bigint;
}

export interface Divergence {
  seed: number | string;
  step: number;
  pc: bigint;
  insn: number;
  /** label the generator gave this instruction */
  label: string;
  /** our decoder's row name (or UNDEF) */
  decoded: string;
  diffs: RegDiff[];
  /** set when our core threw a JS exception */
  error?: string;
  /** SIMD&FP inputs before the step (RunOptions.fp): the V registers the word names, FPCR, FPSR */
  inputs?: string;
  /** for a divergence inside the exception handler: the instruction that took the exception */
  cause?: { pc: bigint; insn: number };
}

export interface RunResult {
  seed: number | string;
  steps: number;
  divergences: Divergence[];
  /** final memory differences in the scratch area (first few) */
  memDiffs: { addr: number; qemu: number; ours: number }[];
  /** divergences were resynchronised (continue mode) */
  resynced: number;
  /** steps executed outside the program's code (exception vectors: the program went astray) */
  outside: number;
  /** steps spent on the final `b .` */
  atEnd: number;
  /** distinct instruction words executed (coverage indicator) */
  executed: Set<number>;
  /** exceptions taken (by our core) */
  exceptions: number;
}

export interface RunOptions {
  steps: number;
  /** after a divergence, copy QEMU's state into ours and go on (collects every divergent
   * instruction in one run); otherwise stop at the first */
  continueAfter?: boolean;
  /** stop after this many divergences in continue mode */
  maxDivergences?: number;
  /** called after each of our steps (harness self-test: inject a fault to prove it is detected) */
  tamper?: (c: Cpu, step: number) => void;
  /** also set (from Program.init.v/fpcr/fpsr, zero when absent) and compare v0–v31, FPSR and FPCR.
   * After every step: FPSR, FPCR and every V register the instruction may write (from its encoding,
   * see vRegsWritten) or that our core changed; all 32 every `fpFullEvery` steps and at the end. */
  fp?: boolean;
  /** full V-register comparison period in steps (default 32; 1 = every step) */
  fpFullEvery?: number;
  /** share of steps (0..1, chosen by a hash of the step number) after which the harness sets FPSR to 0
   * in both machines: the cumulative flags then show what each following instruction raises, which
   * sticky flags set long before would hide (default 0) */
  fpsrClear?: number;
}

/** The SIMD&FP registers that an instruction word may write (a superset is fine: it only costs a
 * register read). SIMD&FP data processing (op0 x111): Rd. Loads to SIMD&FP registers (op0 x1x0
 * with V = 1): Rt, Rt2 and, for the structure loads, Rt+1..Rt+3 (modulo 32). */
export function vRegsWritten(insn: number): number[] {
  const rd = insn & 31;
  if (((insn >>> 25) & 7) === 7) return [rd];
  if (((insn >>> 25) & 5) === 4 && (insn >>> 26) & 1) {
    const rt2 = (insn >>> 10) & 31;
    const s = new Set([rd, rt2, (rd + 1) & 31, (rd + 2) & 31, (rd + 3) & 31]);
    return [...s];
  }
  return [];
}

/** our FPSR/FPCR through the register table's reader (a core may keep parts elsewhere) */
const FPCR_DEF = sysRegByName('FPCR')!;
const FPSR_DEF = sysRegByName('FPSR')!;
function ourFpcr(c: Cpu): number {
  return Number(debugReadSysReg(c, FPCR_DEF) & 0xffff_ffffn);
}
function ourFpsr(c: Cpu): number {
  return Number(debugReadSysReg(c, FPSR_DEF) & 0xffff_ffffn);
}

function v128(w: ArrayLike<number>, r: number): bigint {
  return (BigInt(w[4 * r + 3] >>> 0) << 96n) | (BigInt(w[4 * r + 2] >>> 0) << 64n) | (BigInt(w[4 * r + 1] >>> 0) << 32n) | BigInt(w[4 * r] >>> 0);
}

/** a 128-bit register as hex with its 64-bit halves separated: 0xHHHHHHHHHHHHHHHH_LLLLLLLLLLLLLLLL */
export function hex128(v: bigint): string {
  const h = v.toString(16).padStart(32, '0');
  return `0x${h.slice(0, 16)}_${h.slice(16)}`;
}

/** QEMU's SIMD&FP state as read through 'p' packets */
interface QemuFp {
  v: Uint32Array; // 128 words, valid for the registers read
  fpsr: number;
  fpcr: number;
}

const REG_NAMES = [...Array.from({ length: 31 }, (_, i) => `x${i}`), 'sp', 'pc'];

function cpsrName(v: number): string {
  const f = (b: number, ch: string) => ((v >>> b) & 1 ? ch : ch.toLowerCase());
  return `${f(31, 'N')}${f(30, 'Z')}${f(29, 'C')}${f(28, 'V')} EL${(v >>> 2) & 3}${v & 1 ? 'h' : 't'} DAIF=${((v >>> 6) & 0xf).toString(2).padStart(4, '0')}`;
}

export function hex64(v: bigint): string {
  return '0x' + v.toString(16).padStart(16, '0');
}

function big(lo: number, hi: number): bigint {
  return (BigInt(hi >>> 0) << 32n) | BigInt(lo >>> 0);
}

/** Our CPU's state in the same layout as the 'g' packet. */
function oursWords(c: Cpu, out: Uint32Array): number {
  out.set(c.x.subarray(0, 64)); // x0..x30, active SP
  out[64] = c.pcLo;
  out[65] = c.pcHi;
  return c.getPstate();
}

/** QEMU stopped answering while stepping `insn` at `pc` (e.g. an assertion in its translator) */
export class QemuDied extends Error {
  constructor(
    readonly pc: bigint,
    readonly insn: number,
    message: string,
  ) {
    super(message);
  }
}

export class DiffRunner {
  readonly qemu = new QemuInstance();
  private layout: FpLayout | null = null;
  private started = false;
  /** time spent waiting on QEMU vs in our core (ms) */
  qemuMs = 0;
  oursMs = 0;

  async start(): Promise<void> {
    if (this.started) return;
    await this.qemu.start();
    this.started = true;
  }

  stop(): void {
    this.qemu.stop();
    this.started = false;
  }

  /** QEMU 7.2's gdbstub writes CPSR without recomputing its cached translation flags, so a 'G'
   * that changes the EL leaves QEMU decoding as if at the old EL (MSR VBAR_EL2 then UNDEFs). After a
   * program that ended below EL2, get back to EL2 the architectural way: step an HVC. */
  private async backToEl2(): Promise<void> {
    const rsp = this.qemu.rsp;
    // from EL1 an HVC goes to EL2; from EL0 it is UNDEFINED and goes to EL1 first
    for (let tries = 0; tries < 3; tries++) {
      const cur = await rsp.readRegs();
      if (((cur.cpsr >>> 2) & 3) === 2) return;
      const hvc = new Uint8Array(4);
      new DataView(hvc.buffer).setUint32(0, 0xd4000002, true); // hvc #0
      await rsp.writeMem(HVC_PAD, hvc);
      await rsp.writeRegs({ x: Array.from({ length: 31 }, () => 0n), sp: big(cur.words[62], cur.words[63]), pc: BigInt(HVC_PAD), cpsr: cur.cpsr });
      await rsp.step();
    }
    const after = await rsp.readRegs();
    if (((after.cpsr >>> 2) & 3) !== 2) throw new Error(`could not bring QEMU back to EL2 (cpsr ${after.cpsr.toString(16)})`);
  }

  /** Set both machines to the program's initial state. */
  private async load(p: Program, fp = false): Promise<Machine> {
    const rsp = this.qemu.rsp;
    await this.backToEl2();
    const codeBytes = new Uint8Array(p.code.buffer, p.code.byteOffset, p.code.byteLength);
    await rsp.writeMem(p.codeBase, codeBytes);
    await rsp.writeMem(p.dataBase, p.data);
    await rsp.writeRegs({ x: p.init.x, sp: p.init.sp, pc: BigInt(p.codeBase), cpsr: p.init.cpsr });
    const v = p.init.v ?? new Uint32Array(128);
    if (fp) {
      const L = (this.layout ??= await rsp.fpLayout());
      const pk: string[] = [];
      for (let r = 0; r < 32; r++) pk.push(`P${(L.v0 + r).toString(16)}=${wordsToHex(v.subarray(4 * r, 4 * r + 4), L.vBytes)}`);
      pk.push(`P${L.fpsr.toString(16)}=${wordsToHex([p.init.fpsr ?? 0], 4)}`);
      pk.push(`P${L.fpcr.toString(16)}=${wordsToHex([p.init.fpcr ?? 0], 4)}`);
      const reps = await rsp.requestMany(pk);
      const bad = reps.findIndex((r) => r !== 'OK');
      if (bad >= 0) throw new Error(`gdbstub refused ${pk[bad].slice(0, 12)}…: ${reps[bad]}`);
    }

    const m = new Machine({ ramMiB: 128 });
    const c = m.cpus[0];
    m.bus.loadBytes(p.codeBase, codeBytes);
    m.bus.loadBytes(p.dataBase, p.data);
    c.sysSet(R.SCR_EL3, SCR_EL3_VALUE);
    c.setPstate(p.init.cpsr);
    for (let i = 0; i < 31; i++) c.setX(i, p.init.x[i]);
    c.sp = p.init.sp;
    c.pc = BigInt(p.codeBase);
    if (fp) {
      c.vreg.set(v);
      debugWriteSysReg(c, FPSR_DEF, BigInt(p.init.fpsr ?? 0));
      debugWriteSysReg(c, FPCR_DEF, BigInt(p.init.fpcr ?? 0));
    }
    c.contextChanged();
    return m;
  }

  /** 'g' plus FPSR, FPCR and the given V registers, in one write to the gdbstub */
  private async readAll(vregs: Iterable<number>, fp: QemuFp, clearFpsr = false): Promise<RawRegs> {
    const L = this.layout!;
    const list = [...vregs];
    const pk = ['g', `p${L.fpsr.toString(16)}`, `p${L.fpcr.toString(16)}`, ...list.map((r) => `p${(L.v0 + r).toString(16)}`)];
    // after the reads, in the same write: FPSR = 0 (RunOptions.fpsrClear)
    if (clearFpsr) pk.push(`P${L.fpsr.toString(16)}=00000000`);
    const reps = await this.qemu.rsp.requestMany(pk);
    if (clearFpsr && reps.pop() !== 'OK') throw new Error('gdbstub refused to write FPSR');
    for (let i = 1; i < reps.length; i++) if (reps[i].startsWith('E') || reps[i] === '') throw new Error(`gdbstub: '${pk[i]}' failed: ${reps[i]}`);
    const w = new Uint32Array(1);
    hexToWords(reps[1], w, 0, 1);
    fp.fpsr = w[0];
    hexToWords(reps[2], w, 0, 1);
    fp.fpcr = w[0];
    list.forEach((r, i) => hexToWords(reps[3 + i], fp.v, 4 * r, 4));
    return decodeG(reps[0]);
  }

  async run(p: Program, opts: RunOptions): Promise<RunResult> {
    await this.start();
    const rsp = this.qemu.rsp;
    const fpOn = opts.fp === true;
    const m = await this.load(p, fpOn);
    const c = m.cpus[0];
    const qfp: QemuFp = { v: new Uint32Array(128), fpsr: 0, fpcr: 0 };
    const prevV = new Uint32Array(128);
    const fullEvery = Math.max(1, opts.fpFullEvery ?? 32);
    const fpsrClear = opts.fpsrClear ?? 0;
    let clearFpsr = false;
    const ALL = Array.from({ length: 32 }, (_, i) => i);
    const res: RunResult = { seed: p.seed, steps: 0, divergences: [], memDiffs: [], resynced: 0, outside: 0, atEnd: 0, executed: new Set(), exceptions: 0 };
    let took = false;
    /** the last instruction that took an exception (a divergence in the vector handler, e.g. a
     * different ESR read by it, is reported with this as its cause) */
    let lastExc: { step: number; pc: bigint; insn: number } | null = null;
    m.on('exception', () => (took = true));
    const endPc = p.codeBase + (p.code.length - 1) * 4;

    // check the initial state matches (catches harness/setup mistakes)
    const ow = new Uint32Array(66);
    let q = fpOn ? await this.readAll(ALL, qfp) : await rsp.readRegs();
    let ocpsr = oursWords(c, ow);
    const d0 = compare(q, ow, ocpsr);
    if (fpOn) compareFp(qfp, c, ALL, d0);
    if (d0.length) {
      res.divergences.push({ seed: p.seed, step: -1, pc: BigInt(p.codeBase), insn: 0, label: 'initial state', decoded: '', diffs: d0 });
      return res;
    }

    const maxDiv = opts.maxDivergences ?? 50;
    for (let step = 0; step < opts.steps; step++) {
      const pcLo = c.pcLo;
      const pcHi = c.pcHi;
      const rel = pcHi === 0 ? pcLo - p.codeBase : -1;
      if (rel < 0 || rel >= p.code.byteLength) res.outside++;
      else if (pcLo === endPc) res.atEnd++;
      else res.executed.add(rel >>> 2);
      let prevFpcr = 0,
        prevFpsr = 0,
        word = 0;
      if (fpOn) {
        prevV.set(c.vreg);
        prevFpcr = ourFpcr(c);
        prevFpsr = ourFpsr(c);
        word = rel >= 0 && rel < p.code.byteLength ? p.code[rel >>> 2] : readInsn(m, big(pcLo, pcHi));
      }
      let t = performance.now();
      try {
        await rsp.step();
      } catch (e) {
        // QEMU died (e.g. an assertion in its translator): say which instruction
        const at = big(pcLo, pcHi);
        throw new QemuDied(at, readInsn(m, at), `QEMU stopped answering stepping pc ${hex64(at)} insn ${readInsn(m, at).toString(16).padStart(8, '0')} (seed ${p.seed}, step ${step}): ${(e as Error).message}; QEMU stderr: ${this.qemu.stderr.trim().slice(-500)}`);
      }
      let fpRegs: number[] = [];
      const full = fpOn && (step + 1) % fullEvery === 0;
      if (fpOn) {
        // which V registers to read this step: all of them periodically, else those the word may
        // write; those our core changed are added below (after our step), read in the same batch
        fpRegs = full ? ALL : vRegsWritten(word);
      }
      if (!fpOn) q = await rsp.readRegs();
      const t2 = performance.now();
      this.qemuMs += t2 - t;
      let error: string | undefined;
      took = false;
      try {
        c.runLoop(1);
        opts.tamper?.(c, step);
      } catch (e) {
        error = (e as Error)?.stack ?? String(e);
      }
      if (fpOn) {
        const set = new Set(fpRegs);
        if (!full) for (let r = 0; r < 32; r++) if (prevV[4 * r] !== c.vreg[4 * r] || prevV[4 * r + 1] !== c.vreg[4 * r + 1] || prevV[4 * r + 2] !== c.vreg[4 * r + 2] || prevV[4 * r + 3] !== c.vreg[4 * r + 3]) set.add(r);
        fpRegs = [...set];
      }
      this.oursMs += performance.now() - t2;
      if (fpOn) {
        const t3 = performance.now();
        clearFpsr = fpsrClear > 0 && ((Math.imul(step + 1, 0x9e3779b1) >>> 0) % 1000) < fpsrClear * 1000;
        q = await this.readAll(fpRegs, qfp, clearFpsr);
        this.qemuMs += performance.now() - t3;
      }
      res.steps++;
      if (p.spSetup && rel >= 0 && p.spSetup.includes(rel >>> 2)) {
        // setup step (see Program.spSetup): adopt QEMU's banked SP, not a comparison
        c.sp = big(q.words[62], q.words[63]);
      }
      ocpsr = oursWords(c, ow);
      if (took) {
        res.exceptions++;
        const at = big(pcLo, pcHi);
        const o = Number(at) - p.codeBase;
        lastExc = { step, pc: at, insn: o >= 0 && o < p.code.byteLength ? p.code[o >>> 2] : readInsn(m, at) };
      }
      const diffs = compare(q, ow, ocpsr, took ? CPSR_MASK_EXC_ENTRY : CPSR_MASK);
      if (fpOn) compareFp(qfp, c, fpRegs, diffs);
      if (clearFpsr) debugWriteSysReg(c, FPSR_DEF, 0n);
      if (diffs.length || error) {
        const pc = big(pcLo, pcHi);
        const off = Number(pc) - p.codeBase;
        const insn = off >= 0 && off < p.code.byteLength ? p.code[off >>> 2] : readInsn(m, pc);
        const inHandler = off >= 0 && off < p.code.byteLength && /^HANDLER/.test(p.labels[off >>> 2] ?? '');
        const cause = inHandler && lastExc && step - lastExc.step <= 10 ? { pc: lastExc.pc, insn: lastExc.insn } : undefined;
        res.divergences.push({
          seed: p.seed,
          step,
          pc,
          insn,
          label: off >= 0 && off < p.code.byteLength ? (p.labels[off >>> 2] ?? '?') : '(outside program)',
          decoded: A64.decode(insn).name ?? 'UNDEF',
          diffs,
          error,
          inputs: fpOn ? describeInputs(insn, prevV, prevFpcr, prevFpsr, full && diffs.some((d) => d.reg.startsWith('v') && !vRegsWritten(insn).includes(Number(d.reg.slice(1))))) : undefined,
          cause,
        });
        if (!opts.continueAfter || res.divergences.length >= maxDiv) return res;
        await this.resync(m, q, p, fpOn);
        res.resynced++;
      }
    }

    if (fpOn && res.steps > 0) {
      // final full comparison of the SIMD&FP registers
      q = await this.readAll(ALL, qfp);
      const diffs: RegDiff[] = [];
      compareFp(qfp, c, ALL, diffs);
      if (diffs.length) res.divergences.push({ seed: p.seed, step: res.steps, pc: c.pc, insn: 0, label: 'final SIMD&FP state', decoded: '', diffs });
    }

    // final memory comparison of the scratch area
    const qm = await rsp.readMem(p.dataBase, p.data.length);
    const om = m.bus.ram8.subarray(p.dataBase - m.bus.ramBase, p.dataBase - m.bus.ramBase + p.data.length);
    for (let i = 0; i < qm.length && res.memDiffs.length < 8; i++) {
      if (qm[i] !== om[i]) res.memDiffs.push({ addr: p.dataBase + i, qemu: qm[i], ours: om[i] });
    }
    return res;
  }

  /** Copy QEMU's registers and scratch memory into our machine (continue mode). */
  private async resync(m: Machine, q: RawRegs, p: Program, fp = false): Promise<void> {
    const c = m.cpus[0];
    if (fp) {
      const qfp: QemuFp = { v: new Uint32Array(128), fpsr: 0, fpcr: 0 };
      await this.readAll(Array.from({ length: 32 }, (_, i) => i), qfp);
      c.vreg.set(qfp.v);
      debugWriteSysReg(c, FPSR_DEF, BigInt(qfp.fpsr));
      debugWriteSysReg(c, FPCR_DEF, BigInt(qfp.fpcr));
    }
    c.setPstate(q.cpsr);
    for (let i = 0; i < 31; i++) c.setX(i, big(q.words[2 * i], q.words[2 * i + 1]));
    c.sp = big(q.words[62], q.words[63]);
    c.pc = big(q.words[64], q.words[65]);
    const qm = await this.qemu.rsp.readMem(p.dataBase, p.data.length);
    m.bus.loadBytes(p.dataBase, qm);
    c.contextChanged();
  }
}

/** Run the program in our core alone (no QEMU) and count the steps until it first reaches its final
 * `b .` (handwritten programs use this to step QEMU exactly as far as needed); -1 if it does not
 * within `max` steps. */
export function stepsToEnd(p: Program, max: number): number {
  return runOurs(p, max).steps;
}

/** Like stepsToEnd, also returning our machine in its final state (for checks on what the program did). */
export function runOurs(p: Program, max: number): { steps: number; m: Machine } {
  const m = new Machine({ ramMiB: 128 });
  const c = m.cpus[0];
  const codeBytes = new Uint8Array(p.code.buffer, p.code.byteOffset, p.code.byteLength);
  m.bus.loadBytes(p.codeBase, codeBytes);
  m.bus.loadBytes(p.dataBase, p.data);
  c.sysSet(R.SCR_EL3, SCR_EL3_VALUE);
  c.setPstate(p.init.cpsr);
  for (let i = 0; i < 31; i++) c.setX(i, p.init.x[i]);
  c.sp = p.init.sp;
  c.pc = BigInt(p.codeBase);
  if (p.init.v) c.vreg.set(p.init.v);
  if (p.init.fpsr !== undefined) debugWriteSysReg(c, FPSR_DEF, BigInt(p.init.fpsr));
  if (p.init.fpcr !== undefined) debugWriteSysReg(c, FPCR_DEF, BigInt(p.init.fpcr));
  c.contextChanged();
  const endPc = p.codeBase + (p.code.length - 1) * 4;
  for (let n = 0; n < max; n++) {
    if (c.pcHi === 0 && c.pcLo === endPc) return { steps: n, m };
    c.runLoop(1);
  }
  return { steps: -1, m };
}

function readInsn(m: Machine, pc: bigint): number {
  const off = m.bus.ramOffset(Number(pc));
  return off >= 0 && off + 4 <= m.bus.ramSize ? m.bus.ramView.getUint32(off, true) : 0;
}

/** Append the SIMD&FP differences (the given V registers, FPSR, FPCR) to `diffs`. */
function compareFp(q: QemuFp, c: Cpu, regs: number[], diffs: RegDiff[]): void {
  const v = c.vreg;
  for (const r of regs) {
    const i = 4 * r;
    if (q.v[i] !== v[i] || q.v[i + 1] !== v[i + 1] || q.v[i + 2] !== v[i + 2] || q.v[i + 3] !== v[i + 3]) diffs.push({ reg: `v${r}`, qemu: v128(q.v, r), ours: v128(v, r) });
  }
  const fpsr = ourFpsr(c);
  if (q.fpsr !== fpsr) diffs.push({ reg: 'fpsr', qemu: BigInt(q.fpsr), ours: BigInt(fpsr) });
  const fpcr = ourFpcr(c);
  if (q.fpcr !== fpcr) diffs.push({ reg: 'fpcr', qemu: BigInt(q.fpcr), ours: BigInt(fpcr) });
}

/** The V registers a word names (Rd, Rn, Rm, Ra fields), with their values before the step. */
function describeInputs(insn: number, v: Uint32Array, fpcr: number, fpsr: number, lateFind: boolean): string {
  const fields = new Set([insn & 31, (insn >>> 5) & 31, (insn >>> 16) & 31, (insn >>> 10) & 31]);
  const parts = [...fields].sort((a, b) => a - b).map((r) => `v${r}=${hex128(v128(v, r))}`);
  parts.push(`fpcr=0x${fpcr.toString(16)} fpsr=0x${fpsr.toString(16)}`);
  if (lateFind) parts.push('(a V register this word does not write differed at a periodic full comparison: the cause may be an earlier step)');
  return parts.join(' ');
}

function compare(q: RawRegs, o: Uint32Array, ocpsr: number, cpsrMask = CPSR_MASK): RegDiff[] {
  const w = q.words;
  let diffs: RegDiff[] | null = null;
  for (let i = 0; i < 66; i++) {
    if (w[i] !== o[i]) {
      const r = i >>> 1;
      diffs ??= [];
      if (diffs.length && diffs[diffs.length - 1].reg === REG_NAMES[r]) continue;
      diffs.push({ reg: REG_NAMES[r], qemu: big(w[2 * r], w[2 * r + 1]), ours: big(o[2 * r], o[2 * r + 1]) });
    }
  }
  if (((q.cpsr ^ ocpsr) & cpsrMask) !== 0) {
    diffs ??= [];
    diffs.push({ reg: 'cpsr', qemu: BigInt(q.cpsr & CPSR_MASK), ours: BigInt(ocpsr & CPSR_MASK) });
  }
  return diffs ?? [];
}

export function formatDivergence(d: Divergence): string {
  const lines = [
    `seed ${d.seed} step ${d.step} pc ${hex64(d.pc)} insn ${(d.insn >>> 0).toString(16).padStart(8, '0')} [${d.label}] decoded as ${d.decoded}`,
  ];
  for (const r of d.diffs) {
    if (r.reg === 'cpsr') lines.push(`    cpsr  qemu ${cpsrName(Number(r.qemu))}  ours ${cpsrName(Number(r.ours))}`);
    else if (r.reg.startsWith('v')) lines.push(`    ${r.reg.padEnd(4)}  qemu ${hex128(r.qemu)}  ours ${hex128(r.ours)}`);
    else if (r.reg === 'fpsr' || r.reg === 'fpcr') lines.push(`    ${r.reg}  qemu 0x${r.qemu.toString(16).padStart(8, '0')}  ours 0x${r.ours.toString(16).padStart(8, '0')}`);
    else lines.push(`    ${r.reg.padEnd(4)}  qemu ${hex64(r.qemu)}  ours ${hex64(r.ours)}`);
  }
  if (d.cause) lines.push(`    in the handler of the exception taken by ${(d.cause.insn >>> 0).toString(16).padStart(8, '0')} at ${hex64(d.cause.pc)} (${A64.decode(d.cause.insn).name ?? 'UNDEF'})`);
  if (d.inputs) lines.push(`    before: ${d.inputs}`);
  if (d.error) lines.push(`    JS exception in our core: ${d.error.split('\n').slice(0, 3).join(' | ')}`);
  return lines.join('\n');
}

/** Group divergences by the generator's mnemonic (first word of the label). */
export function groupDivergences(ds: Divergence[]): Map<string, Divergence[]> {
  const g = new Map<string, Divergence[]>();
  for (const d of ds) {
    const k = d.label.split(' ')[0] || d.decoded;
    if (!g.has(k)) g.set(k, []);
    g.get(k)!.push(d);
  }
  return g;
}
