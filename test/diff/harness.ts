// Differential harness: runs one program in QEMU (through its gdbstub) and in our core, single-steps
// both and compares x0–x30, SP, PC and PSTATE.{N,Z,C,V,D,A,I,F,EL,SP} after every instruction, then
// the data scratch area at the end.
//
// One QEMU process is reused for many programs: code, data and registers are written through the
// gdbstub ('M' and 'G' packets), so each program costs only its steps.
import { Machine } from '../../src/machine/machine';
import { R } from '../../src/sysregs/table';
import { A64 } from '../../src/cpu/decode/a64.table';
import type { Cpu } from '../../src/cpu/cpu';
import { QemuInstance } from './qemu';
import type { RawRegs } from './rsp';
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

export class DiffRunner {
  readonly qemu = new QemuInstance();
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
  private async load(p: Program): Promise<Machine> {
    const rsp = this.qemu.rsp;
    await this.backToEl2();
    const codeBytes = new Uint8Array(p.code.buffer, p.code.byteOffset, p.code.byteLength);
    await rsp.writeMem(p.codeBase, codeBytes);
    await rsp.writeMem(p.dataBase, p.data);
    await rsp.writeRegs({ x: p.init.x, sp: p.init.sp, pc: BigInt(p.codeBase), cpsr: p.init.cpsr });

    const m = new Machine({ ramMiB: 128 });
    const c = m.cpus[0];
    m.bus.loadBytes(p.codeBase, codeBytes);
    m.bus.loadBytes(p.dataBase, p.data);
    c.sysSet(R.SCR_EL3, SCR_EL3_VALUE);
    c.setPstate(p.init.cpsr);
    for (let i = 0; i < 31; i++) c.setX(i, p.init.x[i]);
    c.sp = p.init.sp;
    c.pc = BigInt(p.codeBase);
    c.contextChanged();
    return m;
  }

  async run(p: Program, opts: RunOptions): Promise<RunResult> {
    await this.start();
    const rsp = this.qemu.rsp;
    const m = await this.load(p);
    const c = m.cpus[0];
    const res: RunResult = { seed: p.seed, steps: 0, divergences: [], memDiffs: [], resynced: 0, outside: 0, atEnd: 0, executed: new Set(), exceptions: 0 };
    let took = false;
    m.on('exception', () => (took = true));
    const endPc = p.codeBase + (p.code.length - 1) * 4;

    // check the initial state matches (catches harness/setup mistakes)
    const ow = new Uint32Array(66);
    let q = await rsp.readRegs();
    let ocpsr = oursWords(c, ow);
    const d0 = compare(q, ow, ocpsr);
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
      let t = performance.now();
      await rsp.step();
      q = await rsp.readRegs();
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
      this.oursMs += performance.now() - t2;
      res.steps++;
      if (p.spSetup && rel >= 0 && p.spSetup.includes(rel >>> 2)) {
        // setup step (see Program.spSetup): adopt QEMU's banked SP, not a comparison
        c.sp = big(q.words[62], q.words[63]);
      }
      ocpsr = oursWords(c, ow);
      if (took) res.exceptions++;
      const diffs = compare(q, ow, ocpsr, took ? CPSR_MASK_EXC_ENTRY : CPSR_MASK);
      if (diffs.length || error) {
        const pc = big(pcLo, pcHi);
        const off = Number(pc) - p.codeBase;
        const insn = off >= 0 && off < p.code.byteLength ? p.code[off >>> 2] : readInsn(m, pc);
        res.divergences.push({
          seed: p.seed,
          step,
          pc,
          insn,
          label: off >= 0 && off < p.code.byteLength ? (p.labels[off >>> 2] ?? '?') : '(outside program)',
          decoded: A64.match(insn) ?? 'UNDEF',
          diffs,
          error,
        });
        if (!opts.continueAfter || res.divergences.length >= maxDiv) return res;
        await this.resync(m, q, p);
        res.resynced++;
      }
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
  private async resync(m: Machine, q: RawRegs, p: Program): Promise<void> {
    const c = m.cpus[0];
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
    else lines.push(`    ${r.reg.padEnd(4)}  qemu ${hex64(r.qemu)}  ours ${hex64(r.ours)}`);
  }
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
