import { describe, it, expect } from 'vitest';
import { Machine } from '../../src/machine/machine';
import { attachGicAndTimers } from '../../src/gic/attach';
import { GICD_BASE, GICR_BASE, GICR_STRIDE } from '../../src/gic/gic';
import { R, sysRegByName, debugWriteSysReg } from '../../src/sysregs/table';
import { createBoard } from '../../src/machine/board';
import { buildElf, words } from './board.helpers';

function setup(smp = 1) {
  const m = new Machine({ ramMiB: 16, smp });
  const gic = attachGicAndTimers(m);
  const rd = (a: number) => m.bus.read(a, 4)!;
  const wr = (a: number, v: number) => m.bus.write(a, 4, v);
  return { m, gic, rd, wr, c: m.cpus[0], ifc: gic.cpuif[0] };
}

describe('GICv3 distributor and redistributor', () => {
  it('identifies itself as a GICv3 with 256 SPIs and no LPIs', () => {
    const { rd } = setup();
    expect(rd(GICD_BASE + 0xffe8) & 0xf0).toBe(0x30);
    const typer = rd(GICD_BASE + 4);
    expect(typer & 0x1f).toBe(8);
    expect((typer >>> 17) & 1).toBe(0);
    expect(rd(GICR_BASE + 0xffe8) & 0xf0).toBe(0x30);
  });

  it('marks the last redistributor and reports affinity', () => {
    const { rd } = setup(2);
    expect((rd(GICR_BASE + 8) >>> 4) & 1).toBe(0);
    expect((rd(GICR_BASE + GICR_STRIDE + 8) >>> 4) & 1).toBe(1);
    expect(rd(GICR_BASE + GICR_STRIDE + 0xc)).toBe(1);
  });

  it('delivers a level SPI as IRQ, acknowledges, drops priority and deactivates', () => {
    const { gic, wr, rd, c, ifc } = setup();
    wr(GICD_BASE, 0x3); // enable groups
    wr(GICD_BASE + 0x80 + 4, 1 << 1); // SPI 33 group 1
    wr(GICD_BASE + 0x400 + 32, 0x80 << 8); // priority of 33 = 0x80 (byte lane 1 of IPRIORITYR8)
    wr(GICD_BASE + 0x100 + 4, 1 << 1); // enable 33
    m64route(gic, 33, 0);
    ifc.write('ICC_PMR_EL1', 0xf0n);
    ifc.write('ICC_IGRPEN1_EL1', 1n);
    expect(c.irqLine).toBe(false);
    gic.setSpiLevel(33, true);
    expect(c.irqLine).toBe(true);
    expect(rd(GICD_BASE + 0x200 + 4) & 2).toBe(2);
    expect(ifc.read('ICC_HPPIR1_EL1')).toBe(33n);
    expect(ifc.read('ICC_IAR1_EL1')).toBe(33n);
    expect(ifc.read('ICC_RPR_EL1')).toBe(0x80n);
    expect(c.irqLine).toBe(false); // active: not signalled again
    expect(rd(GICD_BASE + 0x300 + 4) & 2).toBe(2);
    gic.setSpiLevel(33, false);
    ifc.write('ICC_EOIR1_EL1', 33n);
    expect(ifc.read('ICC_RPR_EL1')).toBe(0xffn);
    expect(rd(GICD_BASE + 0x300 + 4) & 2).toBe(0);
    expect(ifc.read('ICC_IAR1_EL1')).toBe(1023n);
  });

  it('masks by PMR and signals group 0 as FIQ', () => {
    const { gic, wr, c, ifc } = setup();
    wr(GICD_BASE, 0x3);
    wr(GICR_BASE + 0x10000 + 0x400 + 4, 0x40 << 8); // PPI? no: SGI 5 priority 0x40
    wr(GICR_BASE + 0x10000 + 0x100, 1 << 5); // enable SGI 5 (group 0)
    ifc.write('ICC_IGRPEN0_EL1', 1n);
    ifc.write('ICC_PMR_EL1', 0x40n);
    gic.raiseSgi([0], 5);
    expect(c.fiqLine).toBe(false); // priority 0x40 is not higher than PMR 0x40
    ifc.write('ICC_PMR_EL1', 0x48n);
    expect(c.fiqLine).toBe(true);
    expect(ifc.read('ICC_IAR1_EL1')).toBe(1023n); // group 0 is not acknowledged by IAR1
    expect(ifc.read('ICC_IAR0_EL1')).toBe(5n);
  });

  it('routes SGIs from ICC_SGI1R_EL1 to the target list', () => {
    const { gic, wr, m } = setup(2);
    wr(GICD_BASE, 0x3);
    wr(GICR_BASE + GICR_STRIDE + 0x10000 + 0x80, 1 << 3); // SGI 3 group 1 on cpu1
    wr(GICR_BASE + GICR_STRIDE + 0x10000 + 0x100, 1 << 3);
    const i1 = gic.cpuif[1];
    i1.write('ICC_PMR_EL1', 0xffn);
    i1.write('ICC_IGRPEN1_EL1', 1n);
    gic.cpuif[0].write('ICC_SGI1R_EL1', (3n << 24n) | 0b10n);
    expect(m.cpus[1].irqLine).toBe(true);
    expect(m.cpus[0].irqLine).toBe(false);
    expect(i1.read('ICC_IAR1_EL1')).toBe(3n);
  });
});

describe('GICv3 virtual CPU interface', () => {
  it('signals a pending list register as vIRQ and serves ICV_IAR1/EOIR1 from it', () => {
    const { gic, c, ifc, wr } = setup();
    const lr = (state: bigint, hw: bigint, group: bigint, prio: bigint, pintid: bigint, vintid: bigint) =>
      (state << 62n) | (hw << 61n) | (group << 60n) | (prio << 48n) | (pintid << 32n) | vintid;
    ifc.write('ICH_VMCR_EL2', (0xf0n << 24n) | 2n); // VPMR 0xf0, VENG1
    ifc.write('ICH_LR0_EL2', lr(1n, 1n, 1n, 0xa0n, 40n, 40n));
    expect(c.virqLine).toBe(false); // ICH_HCR_EL2.En = 0
    ifc.write('ICH_HCR_EL2', 1n);
    expect(c.virqLine).toBe(true);
    // EL1 with HCR_EL2.IMO: ICC_IAR1_EL1 reads the virtual interface
    c.sysSet(R.SCR_EL3, 0x501n);
    c.sysSet(R.HCR_EL2, (1n << 31n) | (1n << 4n) | (1n << 3n));
    c.switchElSp(1, 1);
    // physical 40 is active (as a HW interrupt forwarded by the hypervisor would be)
    wr(GICD_BASE + 0x300 + 4, 1 << 8);
    expect(ifc.read('ICC_IAR1_EL1')).toBe(40n);
    expect(ifc.read('ICH_LR0_EL2') >> 62n).toBe(2n); // active
    expect(ifc.read('ICC_RPR_EL1')).toBe(0xa0n);
    expect(c.virqLine).toBe(false);
    ifc.write('ICC_EOIR1_EL1', 40n);
    expect(ifc.read('ICH_LR0_EL2') >> 62n).toBe(0n);
    expect(gic.spi.active[40]).toBe(0); // HW=1: the physical interrupt was deactivated
    expect(ifc.read('ICH_ELRSR_EL2') & 1n).toBe(1n);
  });

  it('raises the maintenance interrupt (PPI 9) for an EOI-requesting LR and for underflow', () => {
    const { gic, c, ifc } = setup();
    c.sysSet(R.SCR_EL3, 0x501n);
    c.sysSet(R.HCR_EL2, (1n << 31n) | (1n << 4n));
    c.switchElSp(1, 1);
    ifc.write('ICH_VMCR_EL2', (0xf0n << 24n) | 2n);
    // pending, group 1, priority 0x80, EOI maintenance requested (bit 41), vINTID 50
    ifc.write('ICH_LR1_EL2', (1n << 62n) | (1n << 60n) | (0x80n << 48n) | (1n << 41n) | 50n);
    ifc.write('ICH_HCR_EL2', 1n);
    expect(ifc.read('ICC_IAR1_EL1')).toBe(50n);
    ifc.write('ICC_EOIR1_EL1', 50n);
    expect(ifc.read('ICH_EISR_EL2')).toBe(2n);
    expect(ifc.read('ICH_MISR_EL2') & 1n).toBe(1n);
    expect(gic.priv[0].level[25]).toBe(1);
    // underflow: UIE with at most one valid LR
    ifc.write('ICH_LR1_EL2', 0n);
    expect(gic.priv[0].level[25]).toBe(0);
    ifc.write('ICH_HCR_EL2', 3n);
    expect(ifc.read('ICH_MISR_EL2') & 2n).toBe(2n);
    expect(gic.priv[0].level[25]).toBe(1);
  });

  it('counts EOIs without a matching LR in ICH_HCR_EL2.EOIcount', () => {
    const { c, ifc } = setup();
    c.sysSet(R.SCR_EL3, 0x501n);
    c.sysSet(R.HCR_EL2, (1n << 31n) | (1n << 4n));
    c.switchElSp(1, 1);
    ifc.write('ICH_HCR_EL2', 1n | 4n);
    ifc.write('ICC_EOIR1_EL1', 77n);
    expect(ifc.read('ICH_HCR_EL2') >> 27n).toBe(1n);
    expect(ifc.read('ICH_MISR_EL2') & 4n).toBe(4n);
  });
});

function m64route(gic: ReturnType<typeof setup>['gic'], id: number, aff0: number) {
  gic.distributor.write64!(0x6000 + 8 * id, aff0, 0, 0);
}

describe('GICv3 with two security states (GICD_CTLR.DS = 0, secure boot)', () => {
  function secSetup() {
    const m = new Machine({ ramMiB: 16, smp: 1 });
    const gic = attachGicAndTimers(m, 256, { security: true });
    const c = m.cpus[0];
    const ifc = gic.cpuif[0];
    const rd = (a: number) => m.bus.read(a, 4, 0)!;
    const wr = (a: number, v: number) => m.bus.write(a, 4, v, 0);
    /** move CPU 0 to `el` in the given security state (through EL3, as firmware would) */
    const go = (el: number, ns: boolean) => {
      if (c.el !== 3) c.switchElSp(3, 1);
      c.sysSet(R.SCR_EL3, ns ? 0x501n : 0x500n);
      if (el !== 3) c.switchElSp(el, 1);
      else gic.updateCpu(0);
    };
    // Secure firmware at EL3: all groups enabled, PPI 16+i configuration from the Secure side
    const sgiFrame = GICR_BASE + 0x10000;
    const cfg = (id: number, group: 0 | 1 | 2, prio: number) => {
      const g = rd(sgiFrame + 0x80), mo = rd(sgiFrame + 0xd00);
      wr(sgiFrame + 0x80, group === 1 ? g | (1 << id) : g & ~(1 << id));
      wr(sgiFrame + 0xd00, group === 2 ? mo | (1 << id) : mo & ~(1 << id));
      const r = sgiFrame + 0x400 + (id & ~3);
      const sh = 8 * (id & 3);
      wr(r, (rd(r) & ~(0xff << sh)) | (prio << sh));
      wr(sgiFrame + 0x100, 1 << id);
    };
    return { m, gic, c, ifc, rd, wr, go, cfg, sgiFrame };
  }

  function enableAll(s: ReturnType<typeof secSetup>) {
    s.go(3, false);
    s.wr(GICD_BASE, 0x7); // EnableGrp0, EnableGrp1NS, EnableGrp1S
    s.ifc.write('ICC_PMR_EL1', 0xf0n);
    s.ifc.write('ICC_IGRPEN0_EL1', 1n);
    s.ifc.write('ICC_IGRPEN1_EL3', 3n); // EnableGrp1NS and EnableGrp1S
  }

  it('has the DS = 0 GICD_CTLR layout, and the Non-secure view of it', () => {
    const s = secSetup();
    s.go(3, false);
    expect(s.rd(GICD_BASE)).toBe(0x30); // ARE_S, ARE_NS; DS = 0
    expect((s.rd(GICD_BASE + 4) >>> 10) & 1).toBe(1); // GICD_TYPER.SecurityExtn
    expect((s.ifc.read('ICC_CTLR_EL3') >> 17n) & 1n).toBe(1n); // nDS: DS cannot be set
    s.wr(GICD_BASE, 0x47); // DS is not writable here
    expect(s.rd(GICD_BASE)).toBe(0x37);
    s.go(1, true);
    expect(s.rd(GICD_BASE)).toBe(0x12); // EnableGrp1A (= EnableGrp1NS), ARE_NS
    s.wr(GICD_BASE, 0x10); // a Non-secure write clears EnableGrp1NS only
    s.go(3, false);
    expect(s.rd(GICD_BASE)).toBe(0x35);
  });

  it('signals Group 0 as FIQ in every state', () => {
    const s = secSetup();
    enableAll(s);
    s.cfg(5, 0, 0x40);
    s.gic.raiseSgi([0], 5);
    for (const [el, ns] of [[3, false], [1, false], [1, true], [2, true]] as const) {
      s.go(el, ns);
      expect([s.c.fiqLine, s.c.irqLine]).toEqual([true, false]);
    }
    s.go(3, false);
    expect(s.ifc.read('ICC_IAR0_EL1')).toBe(5n);
  });

  it('signals Secure Group 1 as IRQ to Secure EL1, as FIQ to Non-secure EL1 and to EL3', () => {
    const s = secSetup();
    enableAll(s);
    s.cfg(6, 2, 0x40);
    s.gic.raiseSgi([0], 6);
    s.go(1, false);
    expect([s.c.irqLine, s.c.fiqLine]).toEqual([true, false]);
    s.go(1, true);
    expect([s.c.irqLine, s.c.fiqLine]).toEqual([false, true]);
    expect(s.ifc.read('ICC_IAR1_EL1')).toBe(1023n); // not the Non-secure Group 1
    s.go(3, false);
    expect([s.c.irqLine, s.c.fiqLine]).toEqual([false, true]);
    expect(s.ifc.read('ICC_HPPIR0_EL1')).toBe(1020n); // EL3: "Secure Group 1"
    expect(s.ifc.read('ICC_IAR0_EL1')).toBe(1020n);
    s.go(1, false);
    expect(s.ifc.read('ICC_IAR1_EL1')).toBe(6n);
    expect(s.ifc.read('ICC_AP1R0_EL1')).toBe(1n << 8n); // Secure copy of AP1R0
    s.go(1, true);
    expect(s.ifc.read('ICC_AP1R0_EL1')).toBe(0n);
  });

  it('signals Non-secure Group 1 as IRQ to Non-secure EL1/EL2, as FIQ to Secure EL1 and EL3', () => {
    const s = secSetup();
    enableAll(s);
    s.cfg(7, 1, 0x80);
    s.gic.raiseSgi([0], 7);
    s.go(1, true);
    expect([s.c.irqLine, s.c.fiqLine]).toEqual([true, false]);
    s.go(2, true);
    expect([s.c.irqLine, s.c.fiqLine]).toEqual([true, false]);
    s.go(1, false);
    expect([s.c.irqLine, s.c.fiqLine]).toEqual([false, true]);
    expect(s.ifc.read('ICC_IAR1_EL1')).toBe(1023n);
    s.go(3, false);
    expect([s.c.irqLine, s.c.fiqLine]).toEqual([false, true]);
    expect(s.ifc.read('ICC_IAR0_EL1')).toBe(1021n); // EL3: "Non-secure Group 1"
    // an exception return from EL3 to Non-secure EL2 recomputes the lines (Cpu hook on EL change)
    s.go(3, true); // EL3 with SCR_EL3.NS = 1: still Secure, FIQ
    expect([s.c.irqLine, s.c.fiqLine]).toEqual([false, true]);
    s.c.switchElSp(2, 1);
    expect([s.c.irqLine, s.c.fiqLine]).toEqual([true, false]);
    s.c.switchElSp(3, 1);
    expect([s.c.irqLine, s.c.fiqLine]).toEqual([false, true]);
    s.go(2, true);
    expect(s.ifc.read('ICC_IAR1_EL1')).toBe(7n);
  });

  it('acknowledges Group 1 of either state through ICC_IAR1_EL1 at EL3; banks by SCR_EL3.NS there', () => {
    const s = secSetup();
    enableAll(s);
    s.cfg(7, 1, 0x80);
    s.cfg(6, 2, 0x90);
    s.gic.raiseSgi([0], 7);
    s.go(3, false);
    expect(s.ifc.read('ICC_HPPIR1_EL1')).toBe(7n);
    expect(s.ifc.read('ICC_IAR1_EL1')).toBe(7n);
    s.ifc.write('ICC_EOIR1_EL1', 7n);
    s.gic.raiseSgi([0], 6);
    expect(s.ifc.read('ICC_IAR1_EL1')).toBe(6n);
    expect(s.ifc.read('ICC_AP1R0_EL1')).toBe(1n << 18n); // NS = 0: the Secure copy
    s.go(3, true);
    expect(s.ifc.read('ICC_AP1R0_EL1')).toBe(0n); // NS = 1: the Non-secure copy
    s.ifc.write('ICC_BPR1_EL1', 6n);
    s.go(1, true);
    expect(s.ifc.read('ICC_BPR1_EL1')).toBe(6n);
    s.go(1, false);
    expect(s.ifc.read('ICC_BPR1_EL1')).toBe(3n);
  });

  it('recomputes IRQ/FIQ when an SCR_EL3.NS write changes the security state', () => {
    const s = secSetup();
    enableAll(s);
    s.cfg(7, 1, 0x80);
    s.gic.raiseSgi([0], 7);
    s.go(2, true);
    expect([s.c.irqLine, s.c.fiqLine]).toEqual([true, false]);
    const scr = sysRegByName('SCR_EL3')!;
    debugWriteSysReg(s.c, scr, 0x500n); // NS = 0 (the register's write hook runs)
    expect([s.c.irqLine, s.c.fiqLine]).toEqual([false, true]);
    debugWriteSysReg(s.c, scr, 0x501n);
    expect([s.c.irqLine, s.c.fiqLine]).toEqual([true, false]);
  });

  it('banks ICC_IGRPEN1_EL1, ICC_CTLR_EL1 and ICC_BPR1_EL1 by security state; IGRPEN1_EL3 shows both', () => {
    const s = secSetup();
    s.go(3, false);
    s.wr(GICD_BASE, 0x7);
    s.ifc.write('ICC_PMR_EL1', 0xf0n);
    s.cfg(8, 1, 0x80); // Non-secure Group 1
    s.cfg(9, 2, 0x80); // Secure Group 1
    s.go(1, true);
    s.ifc.write('ICC_IGRPEN1_EL1', 1n);
    s.ifc.write('ICC_CTLR_EL1', 2n); // EOImode (Non-secure copy)
    s.ifc.write('ICC_BPR1_EL1', 5n);
    s.go(1, false);
    expect(s.ifc.read('ICC_IGRPEN1_EL1')).toBe(0n);
    expect(s.ifc.read('ICC_CTLR_EL1') & 3n).toBe(0n);
    expect(s.ifc.read('ICC_BPR1_EL1')).toBe(3n);
    s.gic.raiseSgi([0], 9);
    expect(s.c.irqLine).toBe(false); // Secure Group 1 disabled in the Secure copy
    s.ifc.write('ICC_IGRPEN1_EL1', 1n);
    expect(s.c.irqLine).toBe(true);
    s.go(3, false);
    expect(s.ifc.read('ICC_IGRPEN1_EL3')).toBe(3n);
    expect(s.ifc.read('ICC_CTLR_EL3') & 0x1fn).toBe(0x10n); // EOImode_EL1NS
    s.ifc.write('ICC_IGRPEN1_EL3', 1n); // Secure Group 1 off
    s.go(1, false);
    expect(s.ifc.read('ICC_IGRPEN1_EL1')).toBe(0n);
    s.go(1, true);
    expect(s.ifc.read('ICC_IGRPEN1_EL1')).toBe(1n);
    expect(s.ifc.read('ICC_BPR1_EL1')).toBe(5n);
    // Non-secure EOImode = 1: EOIR only drops priority, DIR deactivates
    s.gic.raiseSgi([0], 8);
    expect(s.ifc.read('ICC_IAR1_EL1')).toBe(8n);
    s.ifc.write('ICC_EOIR1_EL1', 8n);
    expect(s.gic.priv[0].active[8]).toBe(1);
    s.ifc.write('ICC_DIR_EL1', 8n);
    expect(s.gic.priv[0].active[8]).toBe(0);
  });

  it('makes the Secure fields of GICD/GICR RAZ/WI to Non-secure accesses, with the Non-secure priority view', () => {
    const s = secSetup();
    s.go(3, false);
    s.wr(GICD_BASE + 0x80 + 4, 0x0000_0002); // SPI 33 Non-secure Group 1, SPI 32 Group 0
    s.wr(GICD_BASE + 0xd00 + 4, 0x0000_0004); // SPI 34 Secure Group 1
    s.wr(GICD_BASE + 0x400 + 32, 0x00_10_a0_20); // priorities 32: 0x20, 33: 0xa0, 34: 0x10
    s.wr(GICR_BASE + 0x10000 + 0x80, 1 << 2); // SGI 2 Non-secure
    s.go(1, true);
    expect(s.rd(GICD_BASE + 0x80 + 4)).toBe(0); // IGROUPR: RAZ
    expect(s.rd(GICD_BASE + 0xd00 + 4)).toBe(0); // IGRPMODR: RAZ
    s.wr(GICD_BASE + 0x80 + 4, 0xffff_ffff); // WI
    s.wr(GICD_BASE + 0xd00 + 4, 0);
    s.wr(GICR_BASE + 0x10000 + 0x80, 0xffff_ffff);
    expect(s.rd(GICD_BASE + 0x400 + 32)).toBe(0x00_00_40_00); // Secure ones RAZ, 0xa0 seen as 0x40
    s.wr(GICD_BASE + 0x400 + 32, 0x50_50_50_50); // only 33 changes, to (0x50 >> 1) | 0x80 = 0xa8
    s.wr(GICD_BASE + 0x100 + 4, 0xf); // enable: only 33 takes
    expect(s.rd(GICD_BASE + 0x100 + 4)).toBe(2);
    s.wr(GICR_BASE + 0x10000 + 0x100, 0xf); // SGI enables: only SGI 2 takes
    expect(s.rd(GICR_BASE + 0x10000 + 0x100)).toBe(4);
    s.gic.distributor.write64!(0x6000 + 8 * 32, 0, 0, 0); // IROUTER of a Secure SPI: WI
    s.go(3, false);
    expect(s.rd(GICD_BASE + 0x80 + 4)).toBe(2);
    expect(s.rd(GICD_BASE + 0xd00 + 4)).toBe(4);
    expect(s.rd(GICR_BASE + 0x10000 + 0x80)).toBe(4);
    expect(s.rd(GICD_BASE + 0x400 + 32)).toBe(0x00_10_a8_20);
    expect(s.rd(GICD_BASE + 0x100 + 4)).toBe(2);
    expect(s.rd(GICR_BASE + 0x10000 + 0x100)).toBe(4);
  });

  it('shows Non-secure software the Non-secure view of ICC_PMR_EL1 and generates SGIs by group', () => {
    const s = secSetup();
    enableAll(s);
    s.ifc.write('ICC_PMR_EL1', 0xc0n);
    s.cfg(3, 1, 0x80);
    s.cfg(4, 2, 0x80);
    s.go(1, true);
    expect(s.ifc.read('ICC_PMR_EL1')).toBe(0x80n); // (0xc0 << 1) & 0xff
    s.ifc.write('ICC_PMR_EL1', 0xf0n);
    s.go(3, false);
    expect(s.ifc.read('ICC_PMR_EL1')).toBe(0xf8n); // (0xf0 >> 1) | 0x80
    s.go(1, true);
    s.ifc.write('ICC_SGI1R_EL1', (4n << 24n) | 1n); // SGI 4 is Secure Group 1: not generated
    expect(s.gic.priv[0].pending[4]).toBe(0);
    s.ifc.write('ICC_SGI1R_EL1', (3n << 24n) | 1n);
    expect(s.gic.priv[0].pending[3]).toBe(1);
    s.ifc.write('ICC_ASGI1R_EL1', (4n << 24n) | 1n); // the other state's Group 1
    expect(s.gic.priv[0].pending[4]).toBe(1);
  });

  it('keeps the single security state (DS = 1) unless asked', () => {
    const dflt = setup();
    expect(dflt.gic.security).toBe(false);
    expect(dflt.rd(GICD_BASE) & 0x40).toBe(0x40);
    expect((dflt.rd(GICD_BASE + 4) >>> 10) & 1).toBe(0);
    expect(dflt.c.onSecurityChange).toBe(null);
  });

  it('is what a secure (--el 3) board gets; an EL2 boot keeps DS = 1', () => {
    const kernelBytes = buildElf({ entry: 0x4008_0000, segments: [{ addr: 0x4008_0000, data: words(0xd503207f) }] }); // wfi
    const sec = createBoard({ ramMiB: 64, kernelBytes, el: 3 });
    expect(sec.machine.gic!.security).toBe(true);
    const ns = createBoard({ ramMiB: 64, kernelBytes, el: 2 });
    expect(ns.machine.gic!.security).toBe(false);
  });
});

describe('generic timer event stream', () => {
  function prog(words: number[]) {
    const m = new Machine({ ramMiB: 16 });
    attachGicAndTimers(m);
    const b = new Uint8Array(words.length * 4);
    const dv = new DataView(b.buffer);
    words.forEach((w, i) => dv.setUint32(i * 4, w >>> 0, true));
    m.bus.loadBytes(0x4000_0000, b);
    m.cpus[0].pc = 0x4000_0000n;
    return m;
  }
  const WFE = 0xd503205f;
  const MSR_CNTKCTL_X0 = 0xd518e100; // msr cntkctl_el1, x0
  const MOVZ_X5_1 = 0xd2800025;
  const B_SELF = 0x14000000;

  it('CNTKCTL_EL1.EVNTEN wakes WFE on the chosen counter bit transition', () => {
    const m = prog([MSR_CNTKCTL_X0, WFE, WFE, MOVZ_X5_1, B_SELF]);
    m.cpus[0].setX(0, BigInt((1 << 2) | (6 << 4))); // EVNTEN, EVNTI = 6 (every 128 ticks), 0->1
    m.runSlice(50_000);
    expect(m.cpus[0].getX(5)).toBe(1n);
  });

  it('without the event stream WFE keeps waiting', () => {
    const m = prog([WFE, WFE, MOVZ_X5_1, B_SELF]);
    m.runSlice(50_000);
    expect(m.cpus[0].getX(5)).toBe(0n);
    expect(m.cpus[0].halted).toBe(true);
  });
});
