// Generic timers of one CPU (Arm ARM D11 "The Generic Timer in AArch64 state"): the system counter
// (deterministic: derived from the instruction count, DESIGN.md), CNTVOFF_EL2, and the EL1 physical
// (CNTP), EL1 virtual (CNTV), EL2 physical (CNTHP), EL2 virtual (CNTHV, FEAT_VHE) and secure
// physical (CNTPS) timers. Their outputs are level-sensitive PPIs into the redistributor, with the
// `virt` board's numbers. Timer state lives in the system-register storage, so GDB and the inspector
// see the architectural registers; this module computes the derived values and the outputs.
import type { Cpu } from '../cpu/cpu';
import { R } from '../sysregs/table';
import { sendEvent, waitingInWfe } from '../cpu/exec/system';

/** CNTFRQ_EL0 as QEMU's virt: 62.5 MHz */
export const CNTFRQ = 62_500_000;

export interface TimerDef {
  name: 'CNTP' | 'CNTV' | 'CNTHP' | 'CNTHV' | 'CNTPS';
  ctl: string;
  cval: string;
  /** INTID of the PPI (virt: CNTPS PPI 13, CNTP 14, CNTV 11, CNTHP 10, CNTHV 12) */
  intid: number;
  /** compares against the virtual count (physical - CNTVOFF_EL2) */
  virtual: boolean;
}

export const TIMERS: TimerDef[] = [
  { name: 'CNTP', ctl: 'CNTP_CTL_EL0', cval: 'CNTP_CVAL_EL0', intid: 30, virtual: false },
  { name: 'CNTV', ctl: 'CNTV_CTL_EL0', cval: 'CNTV_CVAL_EL0', intid: 27, virtual: true },
  { name: 'CNTHP', ctl: 'CNTHP_CTL_EL2', cval: 'CNTHP_CVAL_EL2', intid: 26, virtual: false },
  { name: 'CNTHV', ctl: 'CNTHV_CTL_EL2', cval: 'CNTHV_CVAL_EL2', intid: 28, virtual: false },
  { name: 'CNTPS', ctl: 'CNTPS_CTL_EL1', cval: 'CNTPS_CVAL_EL1', intid: 29, virtual: false },
];

const M64 = (1n << 64n) - 1n;

export class GenericTimers {
  /** output level per timer (index as TIMERS) */
  readonly out = new Uint8Array(TIMERS.length);

  constructor(
    readonly cpu: Cpu,
    /** physical count source (machine time) */
    readonly physCount: () => number,
    /** PPI level sink (the GIC redistributor input of this CPU) */
    readonly setPpi: (intid: number, level: boolean) => void,
  ) {
    cpu.timers = this;
  }

  cntpct(): bigint {
    return BigInt(this.physCount());
  }

  cntvoff(): bigint {
    return this.cpu.sysGet(R.CNTVOFF_EL2);
  }

  /** CNTVCT_EL0 as seen at the current EL (Arm ARM D11.2.2): the offset applies except at EL2 with
   * HCR_EL2.E2H = 1 and at EL0 in the EL2&0 host regime (E2H = TGE = 1). */
  cntvct(): bigint {
    const c = this.cpu;
    const noOffset = (c.el === 2 && c.e2h()) || (c.el === 0 && c.isHostEl0Regime());
    return noOffset ? this.cntpct() : (this.cntpct() - this.cntvoff()) & M64;
  }

  /** count a timer compares against (the virtual timer always uses the offset) */
  private countFor(t: TimerDef): bigint {
    return t.virtual ? (this.cntpct() - this.cntvoff()) & M64 : this.cntpct();
  }

  private ctl(t: TimerDef): number {
    return this.cpu.sysLo(R[t.ctl]) & 3;
  }

  istatus(t: TimerDef): boolean {
    return this.countFor(t) >= this.cpu.sysGet(R[t.cval]);
  }

  /** CTL with ISTATUS (bit 2) computed */
  readCtl(i: number): number {
    const t = TIMERS[i];
    return this.ctl(t) | (this.istatus(t) ? 4 : 0);
  }

  writeCtl(i: number, v: number): void {
    const t = TIMERS[i];
    this.cpu.sysSet(R[t.ctl], BigInt(v & 3));
    this.evaluate();
  }

  /** TVAL: (CVAL - count) as a signed 32-bit value (D11.2.4) */
  readTval(i: number): number {
    const t = TIMERS[i];
    const d = (this.cpu.sysGet(R[t.cval]) - this.countFor(t)) & 0xffffffffn;
    return Number(d);
  }

  writeTval(i: number, v: number): void {
    const t = TIMERS[i];
    const sext = BigInt(v | 0);
    this.cpu.sysSet(R[t.cval], (this.countFor(t) + sext) & M64);
    this.evaluate();
  }

  writeCval(i: number, v: bigint): void {
    this.cpu.sysSet(R[TIMERS[i].cval], v & M64);
    this.evaluate();
  }

  /** last sampled count of the two event streams (CNTKCTL_EL1 on the virtual count, CNTHCTL_EL2 on
   * the physical count), -1n while disabled */
  private readonly evLast = [-1n, -1n];

  private eventStreamConfig(i: number): { ctl: number; count: bigint } {
    return i === 0
      ? { ctl: this.cpu.sysLo(R.CNTKCTL_EL1), count: (this.cntpct() - this.cntvoff()) & M64 }
      : { ctl: this.cpu.sysLo(R.CNTHCTL_EL2), count: this.cntpct() };
  }

  /** Event streams (Arm ARM D11.2.3): when EVNTEN (bit 2) is set, a transition of counter bit EVNTI
   * (bits [7:4]) in the direction EVNTDIR (bit 3: 0 = 0->1, 1 = 1->0) is a WFE wake-up event. Sampled
   * at slice boundaries (deterministic time): any such edge between two samples counts. */
  private eventStreams(): void {
    for (let i = 0; i < 2; i++) {
      // EVNTEN first: the count (BigInt arithmetic) only when the stream is on (this runs per tick)
      if ((this.cpu.sysLo(i === 0 ? R.CNTKCTL_EL1 : R.CNTHCTL_EL2) & 4) === 0) {
        this.evLast[i] = -1n;
        continue;
      }
      const { ctl, count } = this.eventStreamConfig(i);
      const last = this.evLast[i];
      this.evLast[i] = count;
      if (last < 0n || count <= last) continue;
      const period = 1n << BigInt(((ctl >>> 4) & 15) + 1);
      const edge = (ctl >>> 3) & 1 ? 0n : period / 2n;
      // number of wanted edges (counts congruent to `edge` mod period) in (last, count]
      const k = (x: bigint) => (x - edge + period * 4n) / period;
      if (k(count) > k(last)) sendEvent(this.cpu);
    }
  }

  /** Next physical count at which an enabled event stream fires, for a CPU waiting in WFE. */
  private nextEvent(): number {
    if (!waitingInWfe(this.cpu)) return Infinity;
    let best = Infinity;
    const now = Number(this.cntpct());
    for (let i = 0; i < 2; i++) {
      const { ctl, count } = this.eventStreamConfig(i);
      if ((ctl & 4) === 0) continue;
      const period = 2 ** (((ctl >>> 4) & 15) + 1);
      // the wanted edge is at phase half (0->1) or 0 (1->0) of each period of the sampled count
      const phase = Number(count % BigInt(period));
      const edge = (ctl >>> 3) & 1 ? 0 : period / 2;
      let wait = (edge - phase + period) % period;
      if (wait === 0) wait = period;
      best = Math.min(best, now + wait);
    }
    return best;
  }

  /** Recompute the timer outputs and drive the PPIs. */
  evaluate(): void {
    this.eventStreams();
    for (let i = 0; i < TIMERS.length; i++) {
      const t = TIMERS[i];
      const ctl = this.ctl(t);
      const level = (ctl & 1) === 1 && (ctl & 2) === 0 && this.istatus(t) ? 1 : 0;
      if (this.out[i] !== level) {
        this.out[i] = level;
        this.setPpi(t.intid, level === 1);
      }
    }
  }

  /** Earliest physical count at which an enabled, unmasked timer that has not fired will fire. */
  nextDeadline(): number {
    let best = this.nextEvent();
    const now = this.cntpct();
    for (let i = 0; i < TIMERS.length; i++) {
      const t = TIMERS[i];
      const ctl = this.ctl(t);
      if ((ctl & 3) !== 1 || this.out[i]) continue;
      const cval = this.cpu.sysGet(R[t.cval]);
      const cmp = this.countFor(t);
      if (cmp >= cval) return Number(now);
      const at = now + (cval - cmp);
      const n = at > BigInt(Number.MAX_SAFE_INTEGER) ? Infinity : Number(at);
      if (n < best) best = n;
    }
    return best;
  }
}
