// GICv3 CPU interface (ICC_* system registers) and the virtual CPU interface (ICH_*_EL2 controls,
// ICV_* views that EL1 sees when HCR_EL2.IMO/FMO route interrupts to EL2).
// Reference: Arm IHI 0069, chapters 4.8 (preemption), 6 (virtual interrupt handling), 12.2/12.4/12.5.
// Priorities keep 5 bits (32 levels), as QEMU's GICv3 does; active priorities use AP0R0/AP1R0.
// With two security states (Gic.security, GICD_CTLR.DS = 0) ICC_IGRPEN1/CTLR/BPR1/AP1R0_EL1 have
// Secure and Non-secure copies (selected by SCR_EL3.NS, also at EL3), and the IRQ/FIQ choice
// follows IHI 0069 4.6.2 (Group 0 FIQ; Group 1 of the current state IRQ, of the other state FIQ).
import type { Cpu } from '../cpu/cpu';
import type { Gic } from './gic';
import { SPURIOUS, MAINT_INTID } from './gic';
import { R } from '../sysregs/table';

export const NUM_LRS = 4;
const PRIO_MASK = 0xf8;

/** Lowest set bit index of a 32-bit value, or -1. */
function lowestBit(v: number): number {
  if (v === 0) return -1;
  return 31 - Math.clz32(v & -v);
}

type Grp = 0 | 1;
/** physical interrupt group: 0 = Group 0, 1 = (Non-secure) Group 1, 2 = Secure Group 1 (DS = 0) */
type PGrp = 0 | 1 | 2;
/** special INTIDs (IHI 0069 2.2.1): an EL3 read of IAR0/HPPIR0 finding Secure / Non-secure Group 1 */
const INTID_SECURE_G1 = 1020;
const INTID_NS_G1 = 1021;

export class CpuInterface {
  // physical
  pmr = 0;
  bpr0 = 2;
  bpr1 = 3;
  igrpen0 = 0;
  igrpen1 = 0;
  /** ICC_CTLR_EL1: CBPR (bit 0), EOImode (bit 1) */
  ctlr = 0;
  ap0 = 0;
  ap1 = 0;
  sre = 0x7;
  // Secure copies of the banked registers (used only with two security states, GICD_CTLR.DS = 0;
  // the fields above are then the Non-secure copies)
  igrpen1S = 0;
  ctlrS = 0;
  bpr1S = 3;
  ap1S = 0;
  /** ICC_CTLR_EL3.EOImode_EL3 */
  eoiModeEl3 = 0;
  // virtual
  hcr = 0;
  vmcr = 0;
  readonly lrLo = new Uint32Array(16);
  readonly lrHi = new Uint32Array(16);
  vap0 = 0;
  vap1 = 0;

  constructor(
    readonly gic: Gic,
    readonly cpu: Cpu,
  ) {}

  reset(): void {
    this.pmr = 0;
    this.bpr0 = 2;
    this.bpr1 = 3;
    this.igrpen0 = this.igrpen1 = 0;
    this.ctlr = 0;
    this.ap0 = this.ap1 = 0;
    this.igrpen1S = this.ctlrS = this.ap1S = this.eoiModeEl3 = 0;
    this.bpr1S = 3;
    this.hcr = 0;
    this.vmcr = 0;
    this.lrLo.fill(0);
    this.lrHi.fill(0);
    this.vap0 = this.vap1 = 0;
  }

  // ------------------------------------------------------------ physical interface

  /** Are banked ICC_* registers accessed in their Secure copy? Two security states only; below EL3
   * by the security state, at EL3 by SCR_EL3.NS (IHI 0069 12.1.x: banked registers at EL3). */
  private sec(): boolean {
    return this.gic.security && (this.cpu.sysLo(R.SCR_EL3) & 1) === 0;
  }

  private groupMask(g: PGrp): number {
    const cbpr = (g === 2 ? this.ctlrS : this.ctlr) & 1;
    const bpr = g === 0 || cbpr ? this.bpr0 : (g === 2 ? this.bpr1S : this.bpr1) - 1;
    return (0xff << (bpr + 1)) & 0xff;
  }

  /** Running priority: the highest (lowest value) active group priority, 0xff when idle. */
  rpr(): number {
    const b = lowestBit(this.ap0 | this.ap1 | this.ap1S);
    return b < 0 ? 0xff : b << 3;
  }

  /** EOImode for the current EL and security state (ICC_CTLR_EL1 bank, or EOImode_EL3). */
  private eoiMode(): number {
    if (!this.gic.security) return (this.ctlr >>> 1) & 1;
    if (this.cpu.el === 3) return this.eoiModeEl3;
    return ((this.cpu.isSecure() ? this.ctlrS : this.ctlr) >>> 1) & 1;
  }

  /** HPPI that may be signalled now (enabled group, above PMR, preempts the running priority). */
  private signallable(): { id: number; grp: PGrp } | null {
    const id = this.gic.hppi(this.cpu.index);
    if (id < 0) return null;
    const b = this.gic.bank(this.cpu.index, id);
    const grp = this.gic.groupOf(b, id);
    if (grp === 0 ? !this.igrpen0 : grp === 1 ? !this.igrpen1 : !this.igrpen1S) return null;
    const prio = b.prio[id];
    if (prio >= this.pmr) return null;
    if ((prio & this.groupMask(grp)) >= this.rpr()) return null;
    return { id, grp };
  }

  /** The group ICC_IAR1/EOIR1/HPPIR1 serve: Group 1 of the current security state (12.2.x). */
  private g1(): PGrp {
    return this.gic.security && this.cpu.isSecure() ? 2 : 1;
  }

  /** May IAR1/HPPIR1 return an interrupt of group `grp` (CheckGroup1ForSpecialIdentifiers)? Group 1
   * of the current security state; at EL3 (two security states) Group 1 of either state. */
  private g1Visible(grp: PGrp): boolean {
    if (grp === 0) return false;
    if (this.gic.security && this.cpu.el === 3) return true;
    return grp === this.g1();
  }

  /** IAR0/HPPIR0 finding a Group 1 interrupt: at EL3 with two security states the special INTIDs
   * 1020 (Secure Group 1) / 1021 (Non-secure Group 1) tell firmware where it belongs; else 1023. */
  private otherGroup(grp: PGrp, g: PGrp): number {
    if (g === 0 && grp !== 0 && this.gic.security && this.cpu.el === 3) return grp === 2 ? INTID_SECURE_G1 : INTID_NS_G1;
    return SPURIOUS;
  }

  private acknowledge(want: PGrp): number {
    const s = this.signallable();
    if (!s) return SPURIOUS;
    if (want === 0 ? s.grp !== 0 : !this.g1Visible(s.grp)) return this.otherGroup(s.grp, want);
    const g = s.grp;
    const b = this.gic.bank(this.cpu.index, s.id);
    b.active[s.id] = 1;
    b.pending[s.id] = 0;
    const gp = (b.prio[s.id] & this.groupMask(g)) >>> 3;
    if (g === 0) this.ap0 |= 1 << gp;
    else if (g === 2) this.ap1S |= 1 << gp;
    else this.ap1 |= 1 << gp;
    this.gic.updateCpu(this.cpu.index);
    return s.id;
  }

  private priorityDrop(): void {
    const b = lowestBit(this.ap0 | this.ap1 | this.ap1S);
    if (b < 0) return;
    if (this.ap0 & (1 << b)) this.ap0 &= ~(1 << b);
    else if (this.ap1 & (1 << b)) this.ap1 &= ~(1 << b);
    else this.ap1S &= ~(1 << b);
  }

  private deactivate(id: number): void {
    if (id >= this.gic.nIrq) return;
    this.gic.bank(this.cpu.index, id).active[id] = 0;
  }

  private sgiTargets(lo: number, hi: number): number[] {
    const n = this.gic.cpus.length;
    if (hi & (1 << 8)) return [...Array(n).keys()].filter((i) => i !== this.cpu.index); // IRM
    const aff1 = (lo >>> 16) & 0xff;
    const aff2 = hi & 0xff;
    const aff3 = (hi >>> 16) & 0xff;
    const rs = (hi >>> 12) & 0xf;
    if (aff1 || aff2 || aff3) return [];
    const out: number[] = [];
    for (let i = 0; i < 16; i++) if (lo & (1 << i)) out.push(rs * 16 + i);
    return out.filter((t) => t < n);
  }

  // ------------------------------------------------------------ virtual interface

  private lrState(i: number): number {
    return this.lrHi[i] >>> 30;
  }
  private lrGroup(i: number): Grp {
    return ((this.lrHi[i] >>> 28) & 1) as Grp;
  }
  private lrPrio(i: number): number {
    return (this.lrHi[i] >>> 16) & 0xff;
  }
  private vpmr(): number {
    return this.vmcr >>> 24;
  }
  private vGroupMask(g: Grp): number {
    const vbpr0 = (this.vmcr >>> 21) & 7;
    const vbpr1 = (this.vmcr >>> 18) & 7;
    const bpr = g === 0 || this.vmcr & (1 << 4) ? vbpr0 : Math.max(vbpr1, 1) - 1;
    return (0xff << (bpr + 1)) & 0xff;
  }
  vrpr(): number {
    const b = lowestBit(this.vap0 | this.vap1);
    return b < 0 ? 0xff : b << 3;
  }

  /** Index of the LR holding the highest-priority signallable virtual interrupt, or -1. */
  private vHppiLr(checkPreempt: boolean): number {
    let best = -1;
    let bestPrio = 0x100;
    for (let i = 0; i < NUM_LRS; i++) {
      if (this.lrState(i) !== 1) continue;
      const g = this.lrGroup(i);
      if (!(this.vmcr & (g === 0 ? 1 : 2))) continue;
      const p = this.lrPrio(i);
      if (p < bestPrio) {
        bestPrio = p;
        best = i;
      }
    }
    if (best < 0 || !checkPreempt) return best;
    const p = this.lrPrio(best);
    if (p >= this.vpmr()) return -1;
    if ((p & this.vGroupMask(this.lrGroup(best))) >= this.vrpr()) return -1;
    return best;
  }

  private vAcknowledge(g: Grp): number {
    const i = this.vHppiLr(true);
    if (i < 0 || this.lrGroup(i) !== g) return SPURIOUS;
    this.lrHi[i] = ((this.lrHi[i] & 0x3fffffff) | (2 << 30)) >>> 0; // pending -> active
    const gp = (this.lrPrio(i) & this.vGroupMask(g)) >>> 3;
    if (g === 0) this.vap0 |= 1 << gp;
    else this.vap1 |= 1 << gp;
    this.gic.updateCpu(this.cpu.index);
    return this.lrLo[i];
  }

  private vPriorityDrop(): void {
    const b = lowestBit(this.vap0 | this.vap1);
    if (b < 0) return;
    if (this.vap0 & (1 << b)) this.vap0 &= ~(1 << b);
    else this.vap1 &= ~(1 << b);
  }

  /** Deactivate a virtual interrupt: clear the active state of its LR (IHI 0069 6.x); a HW LR also
   * deactivates the physical pINTID. No matching LR: EOIcount++ (LRENP maintenance). */
  private vDeactivate(id: number): void {
    for (let i = 0; i < NUM_LRS; i++) {
      const st = this.lrState(i);
      if (this.lrLo[i] !== id || !(st & 2)) continue;
      this.lrHi[i] = ((this.lrHi[i] & 0x3fffffff) | ((st & 1) << 30)) >>> 0;
      const hw = (this.lrHi[i] >>> 29) & 1;
      if (hw) this.deactivate(this.lrHi[i] & 0x1fff);
      return;
    }
    const eoicount = ((this.hcr >>> 27) + 1) & 0x1f;
    this.hcr = ((this.hcr & 0x07ffffff) | (eoicount << 27)) >>> 0;
  }

  eisr(): number {
    let v = 0;
    for (let i = 0; i < NUM_LRS; i++) {
      const hw = (this.lrHi[i] >>> 29) & 1;
      const eoi = (this.lrHi[i] >>> 9) & 1; // LR bit 41: EOI (when HW = 0)
      if (this.lrState(i) === 0 && !hw && eoi) v |= 1 << i;
    }
    return v;
  }

  elrsr(): number {
    let v = 0;
    for (let i = 0; i < NUM_LRS; i++) {
      const hw = (this.lrHi[i] >>> 29) & 1;
      const eoi = (this.lrHi[i] >>> 9) & 1;
      if (this.lrState(i) === 0 && (hw || !eoi)) v |= 1 << i;
    }
    return v;
  }

  misr(): number {
    const h = this.hcr;
    let m = 0;
    if (this.eisr()) m |= 1;
    let valid = 0;
    let pending = 0;
    for (let i = 0; i < NUM_LRS; i++) {
      if (this.lrState(i) !== 0) valid++;
      if (this.lrState(i) & 1) pending++;
    }
    if (h & 2 && valid <= 1) m |= 2; // UIE
    if (h & 4 && h >>> 27 !== 0) m |= 4; // LRENPIE
    if (h & 8 && pending === 0) m |= 8; // NPIE
    const eng0 = this.vmcr & 1, eng1 = this.vmcr & 2;
    if (h & 0x10 && eng0) m |= 0x10;
    if (h & 0x20 && !eng0) m |= 0x20;
    if (h & 0x40 && eng1) m |= 0x40;
    if (h & 0x80 && !eng1) m |= 0x80;
    return m;
  }

  /** Recompute IRQ/FIQ, vIRQ/vFIQ and the maintenance interrupt for this CPU. */
  updateLines(): void {
    const c = this.cpu;
    const en = (this.hcr & 1) !== 0;
    const maint = en && this.misr() !== 0 ? 1 : 0;
    const bank = this.gic.priv[c.index];
    if (bank.level[MAINT_INTID] !== maint) {
      bank.level[MAINT_INTID] = maint;
    }
    const s = this.signallable();
    // IHI 0069 4.6.2: Group 0 is FIQ; Group 1 of the current security state is IRQ, of the other
    // state FIQ; at EL3 (Secure) every Group 1 interrupt is FIQ. One security state: Group 1 = IRQ.
    let irq = false;
    if (s && s.grp !== 0) {
      if (!this.gic.security) irq = true;
      else if (s.grp === 1) irq = !c.isSecure();
      else irq = c.el !== 3 && c.isSecure();
    }
    const fiq = !!s && !irq;
    let virq = false;
    let vfiq = false;
    if (en) {
      const i = this.vHppiLr(true);
      if (i >= 0) {
        if (this.lrGroup(i) === 1) virq = true;
        else vfiq = true;
      }
    }
    if (c.irqLine !== irq || c.fiqLine !== fiq || c.virqLine !== virq || c.vfiqLine !== vfiq) {
      c.irqLine = irq;
      c.fiqLine = fiq;
      c.virqLine = virq;
      c.vfiqLine = vfiq;
      c.exitLoop = true;
      c.pendingWake();
    }
  }

  // ------------------------------------------------------------ register access (by name)

  /** Is this EL1 access to an ICC_* register served by the virtual interface instead? */
  virtualized(name: string): boolean {
    const c = this.cpu;
    if (c.el !== 1 || !c.el2Enabled() || c.tge()) return false;
    const hcr = c.hcrLo();
    const imo = (hcr & (1 << 4)) !== 0, fmo = (hcr & (1 << 3)) !== 0;
    if (/IAR1|EOIR1|HPPIR1|BPR1|IGRPEN1|AP1R/.test(name)) return imo;
    if (/IAR0|EOIR0|HPPIR0|BPR0|IGRPEN0|AP0R/.test(name)) return fmo;
    if (/CTLR_EL1|PMR|RPR|DIR/.test(name)) return imo || fmo;
    return false;
  }

  read(name: string): bigint {
    const v = this.virtualized(name);
    const r = v ? this.readVirtual(name) : this.readPhysical(name);
    return BigInt.asUintN(64, r);
  }

  write(name: string, value: bigint): void {
    const lo = Number(value & 0xffffffffn) >>> 0;
    const hi = Number((value >> 32n) & 0xffffffffn) >>> 0;
    if (this.virtualized(name)) this.writeVirtual(name, lo);
    else this.writePhysical(name, lo, hi);
    this.gic.updateCpu(this.cpu.index);
    this.cpu.exitLoop = true;
  }

  private readPhysical(name: string): bigint {
    switch (name) {
      case 'ICC_IAR0_EL1':
        return BigInt(this.acknowledge(0));
      case 'ICC_IAR1_EL1':
        return BigInt(this.acknowledge(this.g1()));
      case 'ICC_HPPIR0_EL1':
      case 'ICC_HPPIR1_EL1': {
        const id = this.gic.hppi(this.cpu.index);
        if (id < 0) return BigInt(SPURIOUS);
        const grp = this.gic.groupOf(this.gic.bank(this.cpu.index, id), id);
        if (name.includes('1_')) return BigInt(this.g1Visible(grp) ? id : SPURIOUS);
        return BigInt(grp === 0 ? id : this.otherGroup(grp, 0));
      }
      case 'ICC_BPR0_EL1':
        return BigInt(this.bpr0);
      case 'ICC_BPR1_EL1': {
        const sec = this.sec();
        return BigInt((sec ? this.ctlrS : this.ctlr) & 1 ? Math.min(this.bpr0 + 1, 7) : sec ? this.bpr1S : this.bpr1);
      }
      case 'ICC_PMR_EL1':
        // 4.8.6: a Non-secure read with two security states sees the Non-secure view of the mask
        if (this.gic.security && !this.cpu.isSecure()) return BigInt(this.pmr & 0x80 ? (this.pmr << 1) & 0xff : 0);
        return BigInt(this.pmr);
      case 'ICC_RPR_EL1': {
        const r = this.rpr();
        if (this.gic.security && !this.cpu.isSecure()) return BigInt(r & 0x80 ? (r << 1) & 0xff : 0);
        return BigInt(r);
      }
      case 'ICC_CTLR_EL1':
        // PRIbits [10:8] = 4 (5 bits), IDbits [13:11] = 0 (16-bit), A3V [15] = 0
        return BigInt(((this.sec() ? this.ctlrS : this.ctlr) & 3) | (4 << 8));
      case 'ICC_CTLR_EL3':
        if (!this.gic.security) return BigInt((this.ctlr & 3) | (4 << 8));
        // CBPR_EL1S [0], CBPR_EL1NS [1], EOImode_EL3 [2], EOImode_EL1S [3], EOImode_EL1NS [4],
        // PRIbits [10:8] = 4, IDbits 0, nDS [17] = 1 (GICD_CTLR.DS cannot be set: security stays on)
        return BigInt(
          (this.ctlrS & 1) |
            ((this.ctlr & 1) << 1) |
            (this.eoiModeEl3 << 2) |
            (((this.ctlrS >>> 1) & 1) << 3) |
            (((this.ctlr >>> 1) & 1) << 4) |
            (4 << 8) |
            (1 << 17),
        );
      case 'ICC_SRE_EL1':
      case 'ICC_SRE_EL2':
      case 'ICC_SRE_EL3':
        return BigInt(name === 'ICC_SRE_EL1' ? 0x7 : 0xf); // SRE, DFB, DIB (RAO) (+ Enable)
      case 'ICC_IGRPEN0_EL1':
        return BigInt(this.igrpen0);
      case 'ICC_IGRPEN1_EL1':
        return BigInt(this.sec() ? this.igrpen1S : this.igrpen1);
      case 'ICC_IGRPEN1_EL3':
        // EnableGrp1NS [0], EnableGrp1S [1] (one security state: both show the single enable)
        if (this.gic.security) return BigInt(this.igrpen1 | (this.igrpen1S << 1));
        return BigInt(this.igrpen1 | (this.igrpen1 << 1));
      case 'ICC_AP0R0_EL1':
        return BigInt(this.ap0 >>> 0);
      case 'ICC_AP1R0_EL1':
        return BigInt((this.sec() ? this.ap1S : this.ap1) >>> 0);
      // --- hypervisor controls
      case 'ICH_HCR_EL2':
        return BigInt(this.hcr >>> 0);
      case 'ICH_VTR_EL2':
        // ListRegs = NUM_LRS-1, IDbits 16-bit (0), SEIS 0, A3V 1, nV4 1, TDS 0, PREbits=4, PRIbits=4
        return BigInt(((NUM_LRS - 1) | (1 << 21) | (1 << 20) | (4 << 26) | (4 << 29)) >>> 0);
      case 'ICH_VMCR_EL2':
        return BigInt(this.vmcr >>> 0);
      case 'ICH_MISR_EL2':
        return BigInt(this.misr());
      case 'ICH_EISR_EL2':
        return BigInt(this.eisr());
      case 'ICH_ELRSR_EL2':
        return BigInt(this.elrsr());
      case 'ICH_AP0R0_EL2':
        return BigInt(this.vap0 >>> 0);
      case 'ICH_AP1R0_EL2':
        return BigInt(this.vap1 >>> 0);
      default: {
        const m = /^ICH_LR(\d+)_EL2$/.exec(name);
        if (m) {
          const i = Number(m[1]);
          if (i >= NUM_LRS) return 0n;
          return (BigInt(this.lrHi[i]) << 32n) | BigInt(this.lrLo[i]);
        }
        return 0n; // AP0R1..3/AP1R1..3 (5 priority bits need only R0), ASGI/SGI (write-only)
      }
    }
  }

  private writePhysical(name: string, lo: number, hi: number): void {
    switch (name) {
      case 'ICC_EOIR0_EL1':
      case 'ICC_EOIR1_EL1':
        this.priorityDrop();
        if (!this.eoiMode()) this.deactivate(lo & 0xffffff);
        break;
      case 'ICC_DIR_EL1':
        this.deactivate(lo & 0xffffff);
        break;
      case 'ICC_BPR0_EL1':
        this.bpr0 = Math.max(lo & 7, 2);
        break;
      case 'ICC_BPR1_EL1':
        if (this.sec()) {
          if (!(this.ctlrS & 1)) this.bpr1S = Math.max(lo & 7, 3);
        } else if (!(this.ctlr & 1)) this.bpr1 = Math.max(lo & 7, 3);
        break;
      case 'ICC_PMR_EL1':
        if (this.gic.security && !this.cpu.isSecure()) {
          // Non-secure view (4.8.6): only a mask in the Non-secure half can be changed, to (v >> 1) | 0x80
          if (this.pmr & 0x80) this.pmr = ((lo >>> 1) | 0x80) & PRIO_MASK;
        } else this.pmr = lo & PRIO_MASK;
        break;
      case 'ICC_CTLR_EL1':
        if (this.sec()) this.ctlrS = lo & 3;
        else this.ctlr = lo & 3;
        break;
      case 'ICC_CTLR_EL3':
        if (!this.gic.security) {
          this.ctlr = lo & 3;
          break;
        }
        this.ctlrS = (lo & 1) | (((lo >>> 3) & 1) << 1);
        this.ctlr = ((lo >>> 1) & 1) | (((lo >>> 4) & 1) << 1);
        this.eoiModeEl3 = (lo >>> 2) & 1;
        break;
      case 'ICC_IGRPEN0_EL1':
        this.igrpen0 = lo & 1;
        break;
      case 'ICC_IGRPEN1_EL1':
        if (this.sec()) this.igrpen1S = lo & 1;
        else this.igrpen1 = lo & 1;
        break;
      case 'ICC_IGRPEN1_EL3':
        this.igrpen1 = lo & 1;
        if (this.gic.security) this.igrpen1S = (lo >>> 1) & 1;
        break;
      case 'ICC_AP0R0_EL1':
        this.ap0 = lo;
        break;
      case 'ICC_AP1R0_EL1':
        if (this.sec()) this.ap1S = lo;
        else this.ap1 = lo;
        break;
      case 'ICC_SGI0R_EL1':
      case 'ICC_SGI1R_EL1':
      case 'ICC_ASGI1R_EL1': {
        // two security states (12.2.x, table of SGI forwarding): SGI1R generates Group 1 SGIs of the
        // current security state, ASGI1R of the other one, SGI0R Group 0 (from Secure only; we do
        // not model GICR_NSACR); a target whose SGI is in another group is not signalled
        let only: PGrp | undefined;
        if (this.gic.security) {
          const secure = this.cpu.isSecure();
          if (name === 'ICC_SGI0R_EL1') {
            if (!secure) break;
            only = 0;
          } else if (name === 'ICC_SGI1R_EL1') only = secure ? 2 : 1;
          else only = secure ? 1 : 2;
        }
        this.gic.raiseSgi(this.sgiTargets(lo, hi), (lo >>> 24) & 0xf, only);
        break;
      }
      case 'ICH_HCR_EL2':
        this.hcr = (lo & 0xf80074ff) >>> 0;
        break;
      case 'ICH_VMCR_EL2':
        this.vmcr = (lo & 0xfffc021f) >>> 0;
        break;
      case 'ICH_AP0R0_EL2':
        this.vap0 = lo;
        break;
      case 'ICH_AP1R0_EL2':
        this.vap1 = lo;
        break;
      default: {
        const m = /^ICH_LR(\d+)_EL2$/.exec(name);
        if (m) {
          const i = Number(m[1]);
          if (i < NUM_LRS) {
            this.lrLo[i] = lo;
            this.lrHi[i] = hi & 0xf0ff1fff; // State, HW, Group, Priority, pINTID (+EOI bit 41)
          }
        }
      }
    }
  }

  private readVirtual(name: string): bigint {
    switch (name) {
      case 'ICC_IAR0_EL1':
        return BigInt(this.vAcknowledge(0));
      case 'ICC_IAR1_EL1':
        return BigInt(this.vAcknowledge(1));
      case 'ICC_HPPIR0_EL1':
      case 'ICC_HPPIR1_EL1': {
        const i = this.vHppiLr(false);
        if (i < 0 || this.lrGroup(i) !== (name.includes('1_') ? 1 : 0)) return BigInt(SPURIOUS);
        return BigInt(this.lrLo[i]);
      }
      case 'ICC_BPR0_EL1':
        return BigInt((this.vmcr >>> 21) & 7);
      case 'ICC_BPR1_EL1':
        return BigInt((this.vmcr >>> 18) & 7);
      case 'ICC_PMR_EL1':
        return BigInt(this.vpmr());
      case 'ICC_RPR_EL1':
        return BigInt(this.vrpr());
      case 'ICC_CTLR_EL1':
        return BigInt(((this.vmcr >>> 4) & 1) | (((this.vmcr >>> 9) & 1) << 1) | (4 << 8));
      case 'ICC_IGRPEN0_EL1':
        return BigInt(this.vmcr & 1);
      case 'ICC_IGRPEN1_EL1':
        return BigInt((this.vmcr >>> 1) & 1);
      case 'ICC_AP0R0_EL1':
        return BigInt(this.vap0 >>> 0);
      case 'ICC_AP1R0_EL1':
        return BigInt(this.vap1 >>> 0);
      default:
        return 0n;
    }
  }

  private writeVirtual(name: string, lo: number): void {
    const set = (shift: number, width: number, v: number) => {
      const mask = ((1 << width) - 1) << shift;
      this.vmcr = ((this.vmcr & ~mask) | ((v << shift) & mask)) >>> 0;
    };
    switch (name) {
      case 'ICC_EOIR0_EL1':
      case 'ICC_EOIR1_EL1':
        this.vPriorityDrop();
        if (!((this.vmcr >>> 9) & 1)) this.vDeactivate(lo & 0xffffff);
        break;
      case 'ICC_DIR_EL1':
        this.vDeactivate(lo & 0xffffff);
        break;
      case 'ICC_BPR0_EL1':
        set(21, 3, lo & 7);
        break;
      case 'ICC_BPR1_EL1':
        set(18, 3, lo & 7);
        break;
      case 'ICC_PMR_EL1':
        set(24, 8, lo & PRIO_MASK);
        break;
      case 'ICC_CTLR_EL1':
        set(4, 1, lo & 1);
        set(9, 1, (lo >>> 1) & 1);
        break;
      case 'ICC_IGRPEN0_EL1':
        set(0, 1, lo & 1);
        break;
      case 'ICC_IGRPEN1_EL1':
        set(1, 1, lo & 1);
        break;
      case 'ICC_AP0R0_EL1':
        this.vap0 = lo;
        break;
      case 'ICC_AP1R0_EL1':
        this.vap1 = lo;
        break;
    }
  }
}
