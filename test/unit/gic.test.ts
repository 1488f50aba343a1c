import { describe, it, expect } from 'vitest';
import { Machine } from '../../src/machine/machine';
import { attachGicAndTimers } from '../../src/gic/attach';
import { GICD_BASE, GICR_BASE, GICR_STRIDE } from '../../src/gic/gic';
import { R } from '../../src/sysregs/table';

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
