// GICv3: distributor (GICD_*), redistributors (GICR_*), and the logic that decides which interrupt
// each CPU interface signals. By default a single security state (GICD_CTLR.DS = 1), as QEMU's virt
// board uses when the guest does not run secure firmware: Group 0 is signalled as FIQ, Group 1 as IRQ.
// With `security` (a secure boot, QEMU secure=on) the GIC has two security states (DS = 0, IHI 0069
// 4.6): Group 0, Secure Group 1 and Non-secure Group 1, separately enabled in GICD_CTLR, and the
// Secure-only fields of GICD/GICR are RAZ/WI to Non-secure accesses (the accessing CPU's state).
// No LPIs and no ITS (GICD_TYPER.LPIS = 0). Reference: Arm IHI 0069 (GICv3/v4 spec), chapters 4, 12.
import createDebug from 'debug';
import type { Cpu } from '../cpu/cpu';
import type { MmioDevice } from '../machine/bus';
import { IrqBank, readBits, writeBits } from './state';
import { CpuInterface } from './cpuif';

const log = createDebug('el2scope:gic');

export const GICD_BASE = 0x0800_0000;
export const GICD_SIZE = 0x1_0000;
export const GICR_BASE = 0x080a_0000;
export const GICR_STRIDE = 0x2_0000;
export const SPURIOUS = 1023;
/** virt's maintenance interrupt: PPI 9 = INTID 25 */
export const MAINT_INTID = 25;

export class Gic {
  readonly nIrq: number;
  readonly spi: IrqBank;
  readonly priv: IrqBank[];
  readonly cpuif: CpuInterface[];
  /** GICD_CTLR: EnableGrp0 (bit 0), EnableGrp1 (bit 1), ARE (bit 4), DS (bit 6, fixed 1) */
  ctlr = 0x40;
  /** GICR_WAKER.ProcessorSleep per redistributor */
  readonly sleep: Uint8Array;
  /** two security states (GICD_CTLR.DS = 0) */
  readonly security: boolean;

  constructor(
    readonly cpus: Cpu[],
    nSpi = 256,
    opts: { security?: boolean } = {},
  ) {
    this.security = opts.security === true;
    this.nIrq = 32 + nSpi;
    this.spi = new IrqBank(this.nIrq);
    this.priv = cpus.map(() => new IrqBank(32));
    this.cpuif = cpus.map((c) => new CpuInterface(this, c));
    this.sleep = new Uint8Array(cpus.length).fill(1);
    for (const c of cpus) {
      c.gic = this;
      // the IRQ/FIQ choice depends on the CPU's security state (4.6.2): recompute on a change
      if (this.security) c.onSecurityChange = (cpu) => this.updateCpu(cpu.index);
    }
    this.reset();
  }

  /** reset GICD_CTLR: DS = 1, or (two security states) ARE_S/ARE_NS, which read as one */
  private ctlrReset(): number {
    return this.security ? 0x30 : 0x40;
  }

  reset(): void {
    this.ctlr = this.ctlrReset();
    this.spi.reset();
    for (const b of this.priv) {
      b.reset();
      b.edge.fill(1, 0, 16); // SGIs are always edge-triggered
    }
    this.sleep.fill(1);
    for (const i of this.cpuif) i.reset();
    this.update();
  }

  bank(cpu: number, id: number): IrqBank {
    return id < 32 ? this.priv[cpu] : this.spi;
  }

  /** Group of interrupt `i` of bank `b`: 0 = Group 0, 1 = (Non-secure) Group 1, 2 = Secure Group 1
   * (IGROUPR = 0, IGRPMODR = 1; only with two security states, 4.6.1 table). */
  groupOf(b: IrqBank, i: number): 0 | 1 | 2 {
    if (b.group[i]) return 1;
    return this.security && b.grpmod[i] ? 2 : 0;
  }

  /** Is a GICD/GICR access by CPU `cpuIndex` Non-secure (DS = 0 and the CPU is Non-secure)? */
  nsAccess(cpuIndex: number): boolean {
    if (!this.security) return false;
    const c = this.cpus[cpuIndex];
    return c !== undefined && !c.isSecure();
  }

  /** Bits (one per interrupt from `base`) a Non-secure access may see: Non-secure Group 1 only. */
  private nsMask(b: IrqBank, base: number): number {
    let m = 0;
    for (let i = 0; i < 32 && base + i < b.size; i++) if (b.group[base + i]) m |= 1 << i;
    return m >>> 0;
  }

  // ------------------------------------------------------------ inputs

  /** Level of a private interrupt input (PPIs: timers, maintenance) of one CPU. */
  setPrivateLevel(cpu: number, id: number, level: boolean): void {
    const b = this.priv[cpu];
    const v = level ? 1 : 0;
    if (b.level[id] === v) return;
    b.level[id] = v;
    if (v && b.edge[id]) b.pending[id] = 1;
    this.updateCpu(cpu);
  }

  /** Level of an SPI input (devices). */
  setSpiLevel(id: number, level: boolean): void {
    if (id < 32 || id >= this.nIrq) return;
    const v = level ? 1 : 0;
    if (this.spi.level[id] === v) return;
    this.spi.level[id] = v;
    if (v && this.spi.edge[id]) this.spi.pending[id] = 1;
    this.update();
  }

  /** SGI generation from ICC_SGI0R/SGI1R/ASGI1R (IHI 0069 12.2.x): `targets` are CPU indices. */
  raiseSgi(targets: number[], id: number, only?: 0 | 1 | 2): void {
    for (const t of targets) {
      if (t >= this.priv.length) continue;
      if (only !== undefined && this.groupOf(this.priv[t], id) !== only) continue;
      this.priv[t].pending[id] = 1;
    }
    this.update();
  }

  /** Which CPU an SPI is routed to (IROUTER.Aff0, or IRM=1: the lowest-numbered awake CPU). */
  spiTarget(id: number): number {
    const r = this.spi.route[id];
    if (r >= 2 ** 31) return 0; // IRM: any participating PE; pick CPU 0 deterministically
    const aff0 = r % 256;
    return aff0 < this.cpus.length ? aff0 : -1;
  }

  // ------------------------------------------------------------ signalling

  /** Highest-priority pending, enabled interrupt routed to `cpu` (any group), or -1. */
  hppi(cpu: number): number {
    let best = -1;
    let bestPrio = 0x100;
    // GICD_CTLR: EnableGrp0 (bit 0), EnableGrp1 / EnableGrp1NS (bit 1), EnableGrp1S (bit 2, DS = 0)
    const g0 = (this.ctlr & 1) !== 0;
    const g1 = (this.ctlr & 2) !== 0;
    const g1s = (this.ctlr & 4) !== 0;
    const sec = this.security;
    const p = this.priv[cpu];
    for (let i = 0; i < 32; i++) {
      if (!p.enabled[i] || p.active[i] || !p.isPending(i)) continue;
      if (p.group[i] ? !g1 : sec && p.grpmod[i] ? !g1s : !g0) continue;
      if (p.prio[i] < bestPrio) {
        bestPrio = p.prio[i];
        best = i;
      }
    }
    const s = this.spi;
    for (let i = 32; i < this.nIrq; i++) {
      if (!s.enabled[i] || s.active[i] || !s.isPending(i)) continue;
      if (s.group[i] ? !g1 : sec && s.grpmod[i] ? !g1s : !g0) continue;
      if (this.spiTarget(i) !== cpu) continue;
      if (s.prio[i] < bestPrio) {
        bestPrio = s.prio[i];
        best = i;
      }
    }
    return best;
  }

  update(): void {
    for (let i = 0; i < this.cpus.length; i++) this.updateCpu(i);
  }

  updateCpu(i: number): void {
    this.cpuif[i].updateLines();
  }

  // ------------------------------------------------------------ MMIO: distributor

  readonly distributor: MmioDevice = {
    name: 'gicd',
    read: (off, size, ci) => this.distRead(off, size, this.nsAccess(ci)),
    write: (off, size, v, ci) => this.distWrite(off, size, v, this.nsAccess(ci)),
    read64: (off, ci) => {
      const ns = this.nsAccess(ci);
      if (off >= 0x6100 && off < 0x8000) {
        const id = (off - 0x6000) >>> 3;
        const r = id < this.nIrq && !(ns && !this.spi.group[id]) ? this.spi.route[id] : 0;
        return [r % 2 ** 32 >>> 0, Math.floor(r / 2 ** 32) >>> 0];
      }
      return [this.distRead(off, 4, ns), this.distRead(off + 4, 4, ns)];
    },
    write64: (off, lo, hi, ci) => {
      const ns = this.nsAccess(ci);
      if (off >= 0x6100 && off < 0x8000) {
        const id = (off - 0x6000) >>> 3;
        if (id < this.nIrq && !(ns && !this.spi.group[id]))
          this.spi.route[id] = (hi & 0xff) * 2 ** 32 + ((lo & 0x80ffffff) >>> 0);
        this.update();
        return;
      }
      this.distWrite(off, 4, lo, ns);
      this.distWrite(off + 4, 4, hi, ns);
    },
  };

  /** IPRIORITYR byte as seen by an access (4.8.6: Non-secure accesses with DS = 0 see the Non-secure
   * view of Non-secure Group 1 priorities, the value shifted left by one; Secure ones are RAZ). */
  private prioRead(b: IrqBank, id: number, ns: boolean): number {
    if (!ns) return b.prio[id];
    return b.group[id] ? (b.prio[id] << 1) & 0xff : 0;
  }

  /** IPRIORITYR byte write (Non-secure view: stored as (v >> 1) | 0x80; Secure interrupts WI). */
  private prioWrite(b: IrqBank, id: number, v: number, ns: boolean): void {
    if (!ns) b.prio[id] = v & 0xf8;
    else if (b.group[id]) b.prio[id] = ((v >>> 1) | 0x80) & 0xf8;
  }

  /** Mask of the bits of a GICD bit-per-interrupt register an access may see and change. */
  private accessMask(b: IrqBank, base: number, ns: boolean): number {
    return ns ? this.nsMask(b, base) : 0xffffffff;
  }

  /** ICFGR: two bits per interrupt, Secure interrupts RAZ/WI to Non-secure accesses. */
  private cfgMask(b: IrqBank, base: number, ns: boolean): number {
    if (!ns) return 0xffffffff;
    let m = 0;
    for (let i = 0; i < 16 && base + i < b.size; i++) if (b.group[base + i]) m |= 3 << (2 * i);
    return m >>> 0;
  }

  private distRead(off: number, size: number, ns = false): number {
    const s = this.spi;
    if (off >= 0x0400 && off < 0x0800) {
      // IPRIORITYR: byte accessible
      let v = 0;
      for (let k = size - 1; k >= 0; k--) {
        const id = off - 0x400 + k;
        v = (v << 8) | (id >= 32 && id < this.nIrq ? this.prioRead(s, id, ns) : 0);
      }
      return v >>> 0;
    }
    if (off >= 0x6100 && off < 0x8000) {
      const id = (off - 0x6000) >>> 3;
      const r = id < this.nIrq && !(ns && !s.group[id]) ? s.route[id] : 0;
      return off & 4 ? Math.floor(r / 2 ** 32) >>> 0 : r % 2 ** 32 >>> 0;
    }
    if (size !== 4) return 0;
    if (this.security) {
      if (off === 0x0000) {
        // DS = 0 (12.9.4): Secure view EnableGrp0/Grp1NS/Grp1S, ARE_S, ARE_NS (RAO: affinity routing
        // only); Non-secure view EnableGrp1A (bit 1) = EnableGrp1NS, ARE_NS (bit 4)
        return ns ? (this.ctlr & 2) | 0x10 : (this.ctlr & 7) | 0x30;
      }
      if (ns && ((off >= 0x0080 && off < 0x0100) || (off >= 0x0d00 && off < 0x0d80))) return 0; // IGROUPR/IGRPMODR
      if (ns && off >= 0x0100 && off < 0x0400) {
        const n = (off >>> 2) & 0x1f;
        return (this.distRead(off, size, false) & this.nsMask(s, n * 32)) >>> 0;
      }
      if (ns && off >= 0x0c00 && off < 0x0d00) {
        const n = (off - 0xc00) >>> 2;
        return (this.distRead(off, size, false) & this.cfgMask(s, n * 16, true)) >>> 0;
      }
    }
    const bitReg = (base: number, arr: Uint8Array) => {
      const n = (off - base) >>> 2;
      return n === 0 ? 0 : readBits(arr, n * 32); // n = 0: SGIs/PPIs live in the redistributor (ARE)
    };
    switch (true) {
      case off === 0x0000:
        return this.ctlr | 0x10; // ARE is RAO with DS=1 in our model (affinity routing always on)
      case off === 0x0004: {
        // TYPER: ITLinesNumber, IDbits = 9 (10 bits), no LPIs, no MBIS, A3V=0; SecurityExtn [10]
        // (two security states; RAZ with DS = 1)
        return ((this.nIrq / 32 - 1) | (9 << 19) | (this.security ? 1 << 10 : 0)) >>> 0;
      }
      case off === 0x0008:
        return 0x0300043b; // IIDR: implementer Arm (0x43B), variant/revision 0, product 3
      case off === 0x000c:
        return 0; // TYPER2
      case off >= 0x0080 && off < 0x0100:
        return bitReg(0x80, s.group);
      case off >= 0x0100 && off < 0x0180:
        return bitReg(0x100, s.enabled);
      case off >= 0x0180 && off < 0x0200:
        return bitReg(0x180, s.enabled);
      case off >= 0x0200 && off < 0x0300: {
        const n = ((off - 0x200) & 0x7f) >>> 2;
        if (n === 0) return 0;
        let v = 0;
        for (let i = 0; i < 32; i++) if (n * 32 + i < this.nIrq && s.isPending(n * 32 + i)) v |= 1 << i;
        return v >>> 0;
      }
      case off >= 0x0300 && off < 0x0400:
        return bitReg(off < 0x380 ? 0x300 : 0x380, s.active);
      case off >= 0x0800 && off < 0x0c00:
        return 0; // ITARGETSR: RAZ/WI with affinity routing
      case off >= 0x0c00 && off < 0x0d00: {
        const n = (off - 0xc00) >>> 2; // 16 interrupts per register, 2 bits each
        let v = 0;
        for (let i = 0; i < 16; i++) {
          const id = n * 16 + i;
          if (id >= 32 && id < this.nIrq && s.edge[id]) v |= 2 << (2 * i);
        }
        return v >>> 0;
      }
      case off >= 0x0d00 && off < 0x0d80:
        return bitReg(0xd00, s.grpmod);
      case off === 0xffe8:
        return 0x3b; // PIDR2: ArchRev = 3 (GICv3)
      case off === 0xffe0:
        return 0x92;
      case off === 0xffe4:
        return 0xb4;
      case off === 0xffec:
        return 0;
      case off >= 0xfff0:
        return [0x0d, 0xf0, 0x05, 0xb1][(off - 0xfff0) >>> 2];
      default:
        return 0;
    }
  }

  private distWrite(off: number, size: number, v: number, ns = false): void {
    const s = this.spi;
    if (off >= 0x0400 && off < 0x0800) {
      for (let k = 0; k < size; k++) {
        const id = off - 0x400 + k;
        if (id >= 32 && id < this.nIrq) this.prioWrite(s, id, (v >>> (8 * k)) & 0xff, ns);
      }
      this.update();
      return;
    }
    if (off >= 0x6100 && off < 0x8000) {
      const id = (off - 0x6000) >>> 3;
      if (id < this.nIrq && !(ns && !s.group[id])) {
        const r = s.route[id];
        const lo = r % 2 ** 32, hi = Math.floor(r / 2 ** 32);
        this.spi.route[id] = off & 4 ? (v & 0xff) * 2 ** 32 + lo : hi * 2 ** 32 + ((v & 0x80ffffff) >>> 0);
      }
      this.update();
      return;
    }
    if (size !== 4) return;
    const n = (base: number) => (off - base) >>> 2;
    if (this.security) {
      if (off === 0x0000) {
        // DS = 0: the Non-secure view changes EnableGrp1NS only; DS is not writable (WI) here
        this.ctlr = ns ? (this.ctlr & ~2) | (v & 2) | 0x30 : (v & 7) | 0x30;
        log(`GICD_CTLR=${this.ctlr.toString(16)} (${ns ? 'NS' : 'S'})`);
        this.update();
        return;
      }
      if (ns && ((off >= 0x0080 && off < 0x0100) || (off >= 0x0d00 && off < 0x0d80))) return; // RAZ/WI
      if (ns && off >= 0x0100 && off < 0x0400) v = (v & this.nsMask(s, ((off >>> 2) & 0x1f) * 32)) >>> 0;
      if (ns && off >= 0x0c00 && off < 0x0d00) {
        const m = this.cfgMask(s, n(0xc00) * 16, true);
        v = ((v & m) | (this.distRead(off, 4, false) & ~m)) >>> 0;
      }
    }
    switch (true) {
      case off === 0x0000:
        this.ctlr = (v & 0x3) | 0x50;
        log(`GICD_CTLR=${this.ctlr.toString(16)}`);
        break;
      case off >= 0x0080 && off < 0x0100:
        if (n(0x80)) writeBits(s.group, n(0x80) * 32, v, 'assign');
        break;
      case off >= 0x0100 && off < 0x0180:
        if (n(0x100)) writeBits(s.enabled, n(0x100) * 32, v, 'set');
        break;
      case off >= 0x0180 && off < 0x0200:
        if (n(0x180)) writeBits(s.enabled, n(0x180) * 32, v, 'clear');
        break;
      case off >= 0x0200 && off < 0x0280:
        if (n(0x200)) writeBits(s.pending, n(0x200) * 32, v, 'set');
        break;
      case off >= 0x0280 && off < 0x0300:
        if (n(0x280)) writeBits(s.pending, n(0x280) * 32, v, 'clear');
        break;
      case off >= 0x0300 && off < 0x0380:
        if (n(0x300)) writeBits(s.active, n(0x300) * 32, v, 'set');
        break;
      case off >= 0x0380 && off < 0x0400:
        if (n(0x380)) writeBits(s.active, n(0x380) * 32, v, 'clear');
        break;
      case off >= 0x0c00 && off < 0x0d00: {
        const r = n(0xc00);
        if (r < 2) break; // SGI/PPI config lives in the redistributor
        for (let i = 0; i < 16; i++) {
          const id = r * 16 + i;
          if (id < this.nIrq) s.edge[id] = (v >>> (2 * i + 1)) & 1;
        }
        break;
      }
      case off >= 0x0d00 && off < 0x0d80:
        if (n(0xd00)) writeBits(s.grpmod, n(0xd00) * 32, v, 'assign');
        break;
      default:
        break;
    }
    this.update();
  }

  // ------------------------------------------------------------ MMIO: redistributors

  /** One MMIO device covering all redistributor frames (RD_base + SGI_base per CPU). */
  readonly redistributors: MmioDevice = {
    name: 'gicr',
    read: (off, size, ci) => this.redistRead(off, size, this.nsAccess(ci)),
    write: (off, size, v, ci) => this.redistWrite(off, size, v, this.nsAccess(ci)),
  };

  private redistRead(off: number, size: number, ns = false): number {
    const cpu = Math.floor(off / GICR_STRIDE);
    if (cpu >= this.cpus.length) return 0;
    const o = off % GICR_STRIDE;
    const b = this.priv[cpu];
    if (o >= 0x10400 && o < 0x10420) {
      let v = 0;
      for (let k = size - 1; k >= 0; k--) v = (v << 8) | this.prioRead(b, o - 0x10400 + k, ns);
      return v >>> 0;
    }
    if (ns) {
      // DS = 0, Non-secure access (12.11): IGROUPR0/IGRPMODR0 RAZ/WI, Secure interrupts' bits RAZ
      if (o === 0x10080 || o === 0x10d00) return 0;
      if (o >= 0x10100 && o < 0x10400) return (this.redistRead(off, size, false) & this.nsMask(b, 0)) >>> 0;
      if (o === 0x10c00 || o === 0x10c04)
        return (this.redistRead(off, size, false) & this.cfgMask(b, o === 0x10c00 ? 0 : 16, true)) >>> 0;
    }
    switch (o) {
      case 0x0000:
        return 0; // CTLR: no LPIs
      case 0x0004:
        return 0x0300043b;
      case 0x0008: {
        // TYPER[31:0]: Processor_Number [23:8], Last [4]
        return ((cpu << 8) | (cpu === this.cpus.length - 1 ? 1 << 4 : 0)) >>> 0;
      }
      case 0x000c:
        return cpu; // TYPER[63:32]: Affinity_Value = Aff0 (our MPIDR has Aff0 = index)
      case 0x0014:
        return this.sleep[cpu] ? 0b110 : 0; // WAKER: ProcessorSleep, ChildrenAsleep
      case 0xffe8:
        return 0x3b;
      case 0x10080:
        return readBits(b.group, 0);
      case 0x10100:
      case 0x10180:
        return readBits(b.enabled, 0);
      case 0x10200:
      case 0x10280: {
        let v = 0;
        for (let i = 0; i < 32; i++) if (b.isPending(i)) v |= 1 << i;
        return v >>> 0;
      }
      case 0x10300:
      case 0x10380:
        return readBits(b.active, 0);
      case 0x10c00:
        return 0xaaaaaaaa; // SGIs: edge
      case 0x10c04: {
        let v = 0;
        for (let i = 0; i < 16; i++) if (b.edge[16 + i]) v |= 2 << (2 * i);
        return v >>> 0;
      }
      case 0x10d00:
        return readBits(b.grpmod, 0);
      default:
        return 0;
    }
  }

  private redistWrite(off: number, size: number, v: number, ns = false): void {
    const cpu = Math.floor(off / GICR_STRIDE);
    if (cpu >= this.cpus.length) return;
    const o = off % GICR_STRIDE;
    const b = this.priv[cpu];
    if (o >= 0x10400 && o < 0x10420) {
      for (let k = 0; k < size; k++) this.prioWrite(b, o - 0x10400 + k, (v >>> (8 * k)) & 0xff, ns);
      this.updateCpu(cpu);
      return;
    }
    if (ns) {
      if (o === 0x10080 || o === 0x10d00) return;
      if (o >= 0x10100 && o < 0x10400) v = (v & this.nsMask(b, 0)) >>> 0;
      if (o === 0x10c04) {
        const m = this.cfgMask(b, 16, true);
        v = ((v & m) | (this.redistRead(off, 4, false) & ~m)) >>> 0;
      }
    }
    switch (o) {
      case 0x0014:
        this.sleep[cpu] = (v >>> 1) & 1;
        break;
      case 0x10080:
        writeBits(b.group, 0, v, 'assign');
        break;
      case 0x10100:
        writeBits(b.enabled, 0, v, 'set');
        break;
      case 0x10180:
        writeBits(b.enabled, 0, v, 'clear');
        break;
      case 0x10200:
        writeBits(b.pending, 0, v, 'set');
        break;
      case 0x10280:
        writeBits(b.pending, 0, v, 'clear');
        break;
      case 0x10300:
        writeBits(b.active, 0, v, 'set');
        break;
      case 0x10380:
        writeBits(b.active, 0, v, 'clear');
        break;
      case 0x10c04:
        for (let i = 0; i < 16; i++) b.edge[16 + i] = (v >>> (2 * i + 1)) & 1;
        break;
      case 0x10d00:
        writeBits(b.grpmod, 0, v, 'assign');
        break;
      default:
        break;
    }
    this.updateCpu(cpu);
  }
}
