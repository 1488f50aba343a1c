// SMMUv3: registers, command and event queues, stream table and context descriptors, stage 1 /
// stage 2 / nested translation of DMA through the shared walker, the SMMU TLB and its TLBI commands.
// Structures are written into RAM, the SMMU is programmed through MMIO, and the DMA engine's copies
// (and the memory they change) are what is checked.
import { describe, it, expect } from 'vitest';
import { SmmuEnv, RAM, SID, STRTAB, CDS, MSI_WORD, S2_PAGE, S2_RW, S2_RO, S1_PAGE, S1_EL0_RW, S1_NG, SMMU_BASE } from './smmu-env';
import { REG, CMD, EVT, IDR0, CR0_SMMUEN, CR0_CMDQEN, GERROR_CMDQ_ERR, GBPA_ABORT, GBPA_UPDATE, CERROR_ILL } from '../../src/smmu/smmu';
import { DMA_REG, DMA_STATUS_DONE, DMA_STATUS_ERROR, DMA_CTRL_IRQ_EN, DMA_ID } from '../../src/devices/dma';

const SRC = RAM + 0x0100_0000; // PA of the source buffer
const DST = RAM + 0x0110_0000; // PA of the destination buffer
const DST2 = RAM + 0x0120_0000;
const IPA_SRC = 0x1000_0000; // IPAs the guest uses
const IPA_DST = 0x1000_1000;
const IPA_UNMAPPED = 0x2000_0000;
const VMID = 7;

/** SMMU on, stream SID = stage 2 only with VMID 7: IPA_SRC → SRC, IPA_DST → DST. */
function s2Setup(e: SmmuEnv, opts: { s2r?: boolean } = {}): number {
  const root = e.alloc();
  e.map(root, 1, IPA_SRC, SRC, S2_PAGE | S2_RO);
  e.map(root, 1, IPA_DST, DST, S2_PAGE | S2_RW);
  e.ste(SID, e.s2Ste(VMID, root, { s2r: opts.s2r }));
  e.enable();
  e.fill(SRC, 0x1000, 0);
  for (let i = 0; i < 64; i++) e.bus.write(SRC + i, 1, i + 1);
  return root;
}

describe('SMMUv3 registers', () => {
  it('ID registers advertise stage 1 + stage 2, AArch64 tables, 16-bit VMID/ASID, 2-level tables, 48-bit OAS', () => {
    const e = new SmmuEnv();
    const idr0 = e.rd(REG.IDR0);
    expect(idr0).toBe(IDR0);
    expect(idr0 & 3).toBe(3); // S2P, S1P
    expect((idr0 >>> 2) & 3).toBe(2); // TTF AArch64
    expect((idr0 >>> 18) & 1).toBe(1); // VMID16
    expect((idr0 >>> 12) & 1).toBe(1); // ASID16
    expect((idr0 >>> 27) & 3).toBe(1); // ST_LEVEL 2-level
    expect((idr0 >>> 21) & 3).toBe(2); // TTENDIAN LE
    expect((idr0 >>> 16) & 1).toBe(0); // no PRI
    expect((idr0 >>> 10) & 1).toBe(0); // no ATS
    expect(e.rd(REG.IDR1) & 63).toBe(16); // SIDSIZE
    expect((e.rd(REG.IDR1) >>> 6) & 31).toBe(0); // SSIDSIZE
    expect(e.rd(REG.IDR5) & 7).toBe(5); // OAS 48
    expect((e.rd(REG.IDR5) >>> 4) & 7).toBe(7); // 4K, 16K, 64K granules
    // 64-bit access to a 64-bit register and the page-1 aliases of the event queue pointers
    e.wr64(REG.STRTAB_BASE, 0x1234_5678_9ac0n);
    expect(e.bus.read64(SMMU_BASE + REG.STRTAB_BASE)).toEqual([0x5678_9ac0, 0x1234]);
    e.wr64(REG.EVENTQ_BASE, 0x4002_0000n | 4n); // 16 entries: index + wrap = 5 bits
    e.wr(REG.PAGE1 + REG.EVENTQ_CONS, 0x23);
    expect(e.rd(REG.EVENTQ_CONS)).toBe(3);
  });

  it('CR0ACK, IRQ_CTRLACK follow their registers; GBPA changes only with UPDATE', () => {
    const e = new SmmuEnv();
    e.wr(REG.CR0, CR0_CMDQEN);
    expect(e.rd(REG.CR0ACK)).toBe(CR0_CMDQEN);
    e.wr(REG.IRQ_CTRL, 5);
    expect(e.rd(REG.IRQ_CTRLACK)).toBe(5);
    e.wr(REG.GBPA, GBPA_ABORT);
    expect(e.rd(REG.GBPA)).toBe(0);
    e.wr(REG.GBPA, GBPA_ABORT | GBPA_UPDATE);
    expect(e.rd(REG.GBPA)).toBe(GBPA_ABORT); // UPDATE reads 0: done
  });

  it('SMMUEN = 0: DMA bypasses (GBPA.ABORT = 0) or is terminated without an event (GBPA.ABORT = 1)', () => {
    const e = new SmmuEnv();
    e.fill(SRC, 16, 0xab);
    e.fill(DST, 16, 0);
    expect(e.copy(SRC, DST, 16)).toBe(DMA_STATUS_DONE);
    expect(e.bytes(DST, 4)).toEqual([0xab, 0xab, 0xab, 0xab]);
    e.wr(REG.GBPA, GBPA_ABORT | GBPA_UPDATE);
    e.fill(DST, 16, 0);
    expect(e.copy(SRC, DST, 16)).toBe(DMA_STATUS_ERROR);
    expect(e.bytes(DST, 4)).toEqual([0, 0, 0, 0]);
    expect(e.smmu.eventLog.length).toBe(0);
  });
});

describe('SMMUv3 stage 2 for DMA', () => {
  it('a good copy lands at the PA stage 2 maps the IPA to', () => {
    const e = new SmmuEnv();
    s2Setup(e);
    e.fill(DST, 0x1000, 0xee);
    expect(e.dmaReg(DMA_REG.ID)).toBe(DMA_ID);
    expect(e.dmaReg(DMA_REG.STREAMID)).toBe(SID);
    expect(e.copy(IPA_SRC + 8, IPA_DST + 0x10, 32, DMA_CTRL_IRQ_EN)).toBe(DMA_STATUS_DONE);
    expect(e.bytes(DST + 0x10, 4)).toEqual([9, 10, 11, 12]);
    expect(e.bytes(DST + 0x10 + 32, 1)).toEqual([0xee]);
    expect(e.dmaReg(DMA_REG.COPIED)).toBe(32);
    expect(e.dmaIrq).toBe(true);
    e.bus.write(0x0c00_0000 + DMA_REG.STATUS, 4, DMA_STATUS_DONE);
    expect(e.dmaIrq).toBe(false);
    expect(e.smmu.eventLog.length).toBe(0);
  });

  it('a copy to an unmapped IPA aborts with F_TRANSLATION (S2, Class IN, IPA, StreamID) and leaves memory untouched', () => {
    const e = new SmmuEnv();
    s2Setup(e);
    const before = e.bytes(RAM + 0x0200_0000, 64);
    expect(e.copy(IPA_SRC, IPA_UNMAPPED + 0x24, 64)).toBe(DMA_STATUS_ERROR);
    expect(e.dmaReg(DMA_REG.FAULT_LO)).toBe(IPA_UNMAPPED + 0x24);
    expect(e.dmaReg(DMA_REG.FAULT_INFO)).toBe(1 | (EVT.F_TRANSLATION << 8));
    expect(e.dmaReg(DMA_REG.COPIED)).toBe(0);
    // nothing anywhere changed: the destination page of an identity guess and the real buffers
    expect(e.bytes(RAM + 0x0200_0000, 64)).toEqual(before);
    const ev = e.takeEvents();
    expect(ev.length).toBe(1);
    const w = ev[0];
    expect(w[0] & 0xff).toBe(EVT.F_TRANSLATION);
    expect(w[1]).toBe(SID); // StreamID
    expect((w[3] >>> 3) & 1).toBe(0); // RnW = 0: a write
    expect((w[3] >>> 7) & 1).toBe(1); // S2
    expect((w[3] >>> 8) & 3).toBe(2); // Class IN
    expect(w[4]).toBe(IPA_UNMAPPED + 0x24); // InputAddr
    expect(w[5]).toBe(0);
    expect(w[6]).toBe(IPA_UNMAPPED); // IPA[51:12]
    expect(e.irqs).toContain('eventq');
  });

  it('a write to a read-only stage-2 page is F_PERMISSION; reads through it work', () => {
    const e = new SmmuEnv();
    s2Setup(e);
    expect(e.copy(IPA_DST, IPA_SRC, 4)).toBe(DMA_STATUS_ERROR);
    const [w] = e.takeEvents();
    expect(w[0] & 0xff).toBe(EVT.F_PERMISSION);
    expect(w[6]).toBe(IPA_SRC);
  });

  it('STE.S2R = 0: the fault aborts the copy but no event is recorded', () => {
    const e = new SmmuEnv();
    s2Setup(e, { s2r: false });
    expect(e.copy(IPA_SRC, IPA_UNMAPPED, 4)).toBe(DMA_STATUS_ERROR);
    expect(e.takeEvents()).toEqual([]);
    expect(e.smmu.eventLog[0].queued).toBe(false);
  });

  it('the TLB keeps a stale stage-2 translation until TLBI_S2_IPA (and TLBI_S12_VMALL) + CMD_SYNC', () => {
    const e = new SmmuEnv();
    const root = s2Setup(e);
    e.fill(DST, 16, 0);
    e.fill(DST2, 16, 0);
    expect(e.copy(IPA_SRC, IPA_DST, 4)).toBe(DMA_STATUS_DONE);
    expect(e.bytes(DST, 4)).toEqual([1, 2, 3, 4]);
    // the hypervisor moves IPA_DST to DST2 but has not invalidated yet
    e.map(root, 1, IPA_DST, DST2, S2_PAGE | S2_RW);
    e.fill(DST, 16, 0);
    expect(e.copy(IPA_SRC + 4, IPA_DST, 4)).toBe(DMA_STATUS_DONE);
    expect(e.bytes(DST, 4)).toEqual([5, 6, 7, 8]); // stale: the old PA
    expect(e.bytes(DST2, 4)).toEqual([0, 0, 0, 0]);
    // TLBI for another VMID or IPA changes nothing
    e.cmd([BigInt(CMD.TLBI_S2_IPA) | (BigInt(VMID + 1) << 32n), BigInt(IPA_DST)], [BigInt(CMD.TLBI_S2_IPA) | (BigInt(VMID) << 32n), BigInt(IPA_SRC)], SmmuEnv.sync());
    expect(e.copy(IPA_SRC + 8, IPA_DST, 4)).toBe(DMA_STATUS_DONE);
    expect(e.bytes(DST, 4)).toEqual([9, 10, 11, 12]);
    e.cmd([BigInt(CMD.TLBI_S2_IPA) | (BigInt(VMID) << 32n), BigInt(IPA_DST)], SmmuEnv.sync());
    expect(e.copy(IPA_SRC + 12, IPA_DST, 4)).toBe(DMA_STATUS_DONE);
    expect(e.bytes(DST2, 4)).toEqual([13, 14, 15, 16]);
    // and back, invalidated with TLBI_S12_VMALL
    e.map(root, 1, IPA_DST, DST, S2_PAGE | S2_RW);
    expect(e.copy(IPA_SRC, IPA_DST, 4)).toBe(DMA_STATUS_DONE);
    expect(e.bytes(DST2, 4)).toEqual([1, 2, 3, 4]);
    e.cmd([BigInt(CMD.TLBI_S12_VMALL) | (BigInt(VMID) << 32n), 0n], SmmuEnv.sync());
    e.fill(DST, 16, 0);
    expect(e.copy(IPA_SRC + 16, IPA_DST, 4)).toBe(DMA_STATUS_DONE);
    expect(e.bytes(DST, 4)).toEqual([17, 18, 19, 20]);
    expect(e.rd(REG.CMDQ_CONS) & 0x1f).toBe(e.rd(REG.CMDQ_PROD));
  });

  it('a cached STE is used until CFGI_STE', () => {
    const e = new SmmuEnv();
    s2Setup(e);
    expect(e.copy(IPA_SRC, IPA_DST, 4)).toBe(DMA_STATUS_DONE);
    e.ste(SID, [1n /* V, Config abort */, 0n, 0n, 0n]);
    expect(e.copy(IPA_SRC, IPA_DST, 4)).toBe(DMA_STATUS_DONE); // still the cached stage-2 config
    e.cmd([BigInt(CMD.CFGI_STE) | (BigInt(SID) << 32n), 1n], SmmuEnv.sync());
    expect(e.copy(IPA_SRC, IPA_DST, 4)).toBe(DMA_STATUS_ERROR); // Config = abort: no event
    expect(e.takeEvents()).toEqual([]);
    e.ste(SID, [9n /* V, Config bypass */, 0n, 0n, 0n]);
    e.cmd([BigInt(CMD.CFGI_STE_RANGE) | (BigInt(0) << 32n), 31n], SmmuEnv.sync()); // CFGI_ALL
    e.fill(DST, 4, 0);
    expect(e.copy(SRC, DST, 4)).toBe(DMA_STATUS_DONE); // bypass: PA = input address
    expect(e.bytes(DST, 4)).toEqual([1, 2, 3, 4]);
  });
});

describe('SMMUv3 configuration errors', () => {
  it('STE with V = 0 or an invalid S2 geometry is C_BAD_STE; a StreamID beyond the table is C_BAD_STREAMID', () => {
    const e = new SmmuEnv();
    s2Setup(e);
    e.ste(SID, [0n, 0n, 0n, 0n]);
    e.cmd([BigInt(CMD.CFGI_STE) | (BigInt(SID) << 32n), 1n], SmmuEnv.sync());
    expect(e.copy(IPA_SRC, IPA_DST, 4)).toBe(DMA_STATUS_ERROR);
    let [w] = e.takeEvents();
    expect(w[0] & 0xff).toBe(EVT.C_BAD_STE);
    expect(w[1]).toBe(SID);
    // S2SL0 = 2 (level 0) with T0SZ 32 and 4K pages is not a valid combination
    e.ste(SID, e.s2Ste(VMID, 0x4010_0000, { sl0: 2 }));
    e.cmd([BigInt(CMD.CFGI_STE) | (BigInt(SID) << 32n), 1n], SmmuEnv.sync());
    e.copy(IPA_SRC, IPA_DST, 4);
    [w] = e.takeEvents();
    expect(w[0] & 0xff).toBe(EVT.C_BAD_STE);
    expect(e.smmu.lastEvent()!.note).toMatch(/not a valid combination/);
    // S2AA64 = 0
    e.ste(SID, e.s2Ste(VMID, 0x4010_0000, { aa64: false }));
    e.cmd([BigInt(CMD.CFGI_STE_RANGE), 31n], SmmuEnv.sync());
    e.copy(IPA_SRC, IPA_DST, 4);
    expect(e.takeEvents()[0][0] & 0xff).toBe(EVT.C_BAD_STE);
    // StreamID 0x20 with LOG2SIZE 5 (32 STEs)
    e.wr(REG.CR0, CR0_CMDQEN);
    e.wr(REG.STRTAB_BASE_CFG, 5);
    e.wr(REG.CR0, CR0_SMMUEN | CR0_CMDQEN | 4);
    e.copy(IPA_SRC, IPA_DST, 4);
    [w] = e.takeEvents();
    expect(w[0] & 0xff).toBe(EVT.C_BAD_STREAMID);
    expect(w[1]).toBe(SID);
  });

  it('2-level stream table: L1 descriptor SPAN selects the L2 table; an invalid L1STD is C_BAD_STREAMID', () => {
    const e = new SmmuEnv();
    const root = e.alloc();
    e.map(root, 1, IPA_SRC, SRC, S2_PAGE | S2_RO);
    e.map(root, 1, IPA_DST, DST, S2_PAGE | S2_RW);
    const l2 = e.alloc(0x1000);
    // SPLIT 6: StreamID[5:0] indexes a 64-entry L2 table; SID 0x20 is in L1 entry 0; SPAN 7 = 64 STEs
    e.w64(STRTAB, BigInt(l2) | 7n);
    e.ste(SID, e.s2Ste(VMID, root), l2);
    e.wr64(REG.STRTAB_BASE, BigInt(STRTAB));
    e.wr(REG.STRTAB_BASE_CFG, (1 << 16) | (6 << 6) | 10);
    e.wr64(REG.CMDQ_BASE, BigInt(0x4001_0000) | 4n);
    e.wr64(REG.EVENTQ_BASE, BigInt(0x4002_0000) | 4n);
    e.wr(REG.CR0, CR0_SMMUEN | CR0_CMDQEN | 4);
    e.fill(SRC, 4, 0x5a);
    expect(e.copy(IPA_SRC, IPA_DST, 4)).toBe(DMA_STATUS_DONE);
    expect(e.bytes(DST, 1)).toEqual([0x5a]);
    // SPAN 5 (16 STEs): StreamID 0x20 (index 32 in the L2 table) is outside it
    e.w64(STRTAB, BigInt(l2) | 5n);
    e.cmd([BigInt(CMD.CFGI_STE) | (BigInt(SID) << 32n), 1n], SmmuEnv.sync());
    expect(e.copy(IPA_SRC, IPA_DST, 4)).toBe(DMA_STATUS_ERROR);
    expect(e.takeEvents()[0][0] & 0xff).toBe(EVT.C_BAD_STREAMID);
  });

  it('an illegal command stops the queue with GERROR.CMDQ_ERR and CMDQ_CONS.ERR = CERROR_ILL until acknowledged', () => {
    const e = new SmmuEnv();
    s2Setup(e);
    const prod0 = e.cmdProd;
    e.cmd([0x7fn, 0n], SmmuEnv.sync(1, MSI_WORD, 0x600d));
    const cons = e.rd(REG.CMDQ_CONS);
    expect(cons & 0x1f).toBe(prod0); // stopped at the bad command
    expect((cons >>> 24) & 0x7f).toBe(CERROR_ILL);
    expect(e.rd(REG.GERROR) & GERROR_CMDQ_ERR).toBe(GERROR_CMDQ_ERR);
    expect(e.irqs).toContain('gerror');
    expect(e.r32(MSI_WORD)).toBe(0);
    // software replaces the command with a PREFETCH_CONFIG and acknowledges
    e.w64(0x4001_0000 + (prod0 & 15) * 16, BigInt(CMD.PREFETCH_CONFIG));
    e.wr(REG.GERRORN, e.rd(REG.GERROR));
    expect(e.rd(REG.CMDQ_CONS) & 0x1f).toBe(e.cmdProd);
    expect(e.r32(MSI_WORD)).toBe(0x600d); // the CMD_SYNC after it completed
  });

  it('CMD_SYNC signals completion by MSI write, wired cmdq-sync interrupt or SEV', () => {
    const e = new SmmuEnv();
    s2Setup(e);
    e.cmd(SmmuEnv.sync(1, MSI_WORD, 0xc0ffee));
    expect(e.r32(MSI_WORD)).toBe(0xc0ffee);
    e.cmd(SmmuEnv.sync(1));
    expect(e.irqs).toContain('cmdq-sync');
    e.cmd(SmmuEnv.sync(2));
    expect(e.sevs).toBe(1);
    expect(e.rd(REG.CMDQ_CONS)).toBe(e.cmdProd);
  });

  it('event queue overflow sets EVENTQ_PROD.OVFLG and drops the record', () => {
    const e = new SmmuEnv();
    s2Setup(e);
    e.wr(REG.CR0, CR0_CMDQEN);
    e.wr64(REG.EVENTQ_BASE, BigInt(0x4002_0000) | 1n); // 2 entries
    e.wr(REG.PAGE1 + REG.EVENTQ_PROD, 0);
    e.wr(REG.PAGE1 + REG.EVENTQ_CONS, 0);
    e.wr(REG.CR0, CR0_SMMUEN | CR0_CMDQEN | 4);
    for (let i = 0; i < 3; i++) e.copy(IPA_SRC, IPA_UNMAPPED, 4);
    expect(e.rd(REG.PAGE1 + REG.EVENTQ_PROD)).toBe((0x80000000 | 2) >>> 0);
    expect(e.smmu.eventLog[2].queued).toBe(false);
  });
});

describe('SMMUv3 stage 1 + stage 2 (nested)', () => {
  // The guest's CD and stage-1 tables live in its IPA space: IPA = PA + 0x4000_0000 for RAM pages
  const ipaOf = (pa: number) => pa + 0x4000_0000;
  const paOf = (ipa: number) => ipa - 0x4000_0000;
  const VA_SRC = 0x0040_0000;
  const VA_DST = 0x0040_1000;
  const ASID = 3;

  function nested(e: SmmuEnv) {
    const s2root = e.alloc();
    const s1root = e.alloc();
    // stage 2: the table area and CD area at IPA = PA + 1 GiB (pages mapped as needed), buffers
    const s2map = (pa: number) => e.map(s2root, 1, ipaOf(pa), pa, S2_PAGE | S2_RW);
    s2map(CDS);
    s2map(s1root);
    e.map(s2root, 1, IPA_SRC, SRC, S2_PAGE | S2_RW);
    e.map(s2root, 1, IPA_DST, DST, S2_PAGE | S2_RW);
    // stage 1 (tables allocated after this point must be mapped at stage 2 too)
    const s1map = (va: number, ipa: number, attrs: bigint) => {
      const before = e['nextTable'] as number;
      e.map(s1root, 1, va, ipa, attrs, ipaOf, paOf);
      for (let t = before; t < (e['nextTable'] as number); t += 0x1000) s2map(t);
    };
    s1map(VA_SRC, IPA_SRC, S1_PAGE | S1_EL0_RW | S1_NG);
    s1map(VA_DST, IPA_DST, S1_PAGE | S1_EL0_RW | S1_NG);
    e.cd(CDS, ipaOf(s1root), ASID);
    e.ste(SID, e.s2Ste(VMID, s2root, { config: 7, cdPtr: ipaOf(CDS) }));
    e.enable();
    for (let i = 0; i < 16; i++) e.bus.write(SRC + i, 1, 0x40 + i);
    return { s1root, s2root, s1map };
  }

  it('VA → IPA (stage 1 from the CD, walked through stage 2) → PA', () => {
    const e = new SmmuEnv();
    nested(e);
    e.fill(DST, 16, 0);
    expect(e.copy(VA_SRC, VA_DST + 4, 8)).toBe(DMA_STATUS_DONE);
    expect(e.bytes(DST + 4, 4)).toEqual([0x40, 0x41, 0x42, 0x43]);
    const r = e.smmu.debugTranslate(SID, VA_DST + 4, true);
    expect(r.ok).toBe(true);
    expect(r.ipa).toBe(IPA_DST + 4);
    expect(r.pa).toBe(DST + 4);
    expect(r.config).toBe('stage 1 + stage 2');
    expect(r.steps.some((s) => s.stage === 1) && r.steps.some((s) => s.stage === 2)).toBe(true);
  });

  it('stage-1 fault (unmapped VA) is F_TRANSLATION with S2 = 0; a stage-2 fault on the stage-1 walk has Class TT', () => {
    const e = new SmmuEnv();
    const { s1map } = nested(e);
    expect(e.copy(VA_SRC, 0x0080_0000, 4)).toBe(DMA_STATUS_ERROR);
    let [w] = e.takeEvents();
    expect(w[0] & 0xff).toBe(EVT.F_TRANSLATION);
    expect((w[3] >>> 7) & 1).toBe(0);
    expect(w[4]).toBe(0x0080_0000);
    // a VA whose level-3 table is at an IPA stage 2 does not map
    s1map(0x0090_0000, IPA_DST, S1_PAGE | S1_EL0_RW); // allocates and maps a new L3 table
    // unmap that table's IPA at stage 2 by pointing its L2 entry at an unmapped IPA
    const l1 = e.smmu.debugTranslate(SID, 0x0090_0000).steps.filter((s) => s.stage === 1);
    const l2desc = l1[1];
    e.w64(Number(l2desc.tableAddr), 0x3000_0000n | 3n);
    expect(e.copy(VA_SRC, 0x0090_0000, 4)).toBe(DMA_STATUS_ERROR);
    [w] = e.takeEvents();
    expect(w[0] & 0xff).toBe(EVT.F_TRANSLATION);
    expect((w[3] >>> 7) & 1).toBe(1); // S2
    expect((w[3] >>> 8) & 3).toBe(1); // Class TT
    expect(w[6]).toBe(0x3000_0000); // the IPA of the table
  });

  it('TLBI_NH_VA / TLBI_NH_ASID drop stage-1 entries by ASID and VA', () => {
    const e = new SmmuEnv();
    const { s1map } = nested(e);
    expect(e.copy(VA_SRC, VA_DST, 4)).toBe(DMA_STATUS_DONE);
    // remap VA_DST to IPA_SRC's page (PA SRC) at stage 1
    s1map(VA_DST, IPA_SRC, S1_PAGE | S1_EL0_RW | S1_NG);
    e.fill(DST, 4, 0);
    e.copy(VA_SRC + 8, VA_DST, 1);
    expect(e.bytes(DST, 1)).toEqual([0x48]); // stale
    e.cmd([BigInt(CMD.TLBI_NH_VA) | (BigInt(VMID) << 32n) | (BigInt(ASID + 1) << 48n), BigInt(VA_DST)], SmmuEnv.sync());
    e.copy(VA_SRC + 9, VA_DST, 1);
    expect(e.bytes(DST, 1)).toEqual([0x49]); // other ASID: still stale
    e.cmd([BigInt(CMD.TLBI_NH_ASID) | (BigInt(VMID) << 32n) | (BigInt(ASID) << 48n), 0n], SmmuEnv.sync());
    e.copy(VA_SRC + 10, VA_DST + 1, 1);
    expect(e.bytes(SRC + 1, 1)).toEqual([0x4a]); // now VA_DST → SRC
  });

  it('a CD with V = 0 is C_BAD_CD', () => {
    const e = new SmmuEnv();
    nested(e);
    e.w64(CDS, 0n);
    e.cmd([BigInt(CMD.CFGI_CD) | (BigInt(SID) << 32n), 1n], SmmuEnv.sync());
    expect(e.copy(VA_SRC, VA_DST, 4)).toBe(DMA_STATUS_ERROR);
    const [w] = e.takeEvents();
    expect(w[0] & 0xff).toBe(EVT.C_BAD_CD);
    expect(w[1]).toBe(SID);
  });
});

describe('SMMUv3 EL2 streams and more configuration faults', () => {
  it('STRW = EL2: stage 1 only with the EL2 regime (one VA range), invalidated by TLBI_EL2_VA', () => {
    const e = new SmmuEnv();
    const root = e.alloc();
    const VA = 0x0030_0000;
    e.map(root, 1, VA, DST, S1_PAGE); // AP 00: EL2 RW
    // CD for an EL2 stream: TCR_EL2-like T0SZ 32, 4K, IPS 48 bits
    e.cd(CDS, root, 0);
    // STE: Config stage 1 only (0b101), STRW = EL2 (0b10), S1ContextPtr = CD (a PA: no stage 2)
    e.ste(SID, [1n | (5n << 1n) | BigInt(CDS), 2n << 30n, 0n, 0n]);
    e.enable();
    e.fill(SRC, 4, 0x77);
    e.fill(DST, 4, 0);
    // the DMA engine's transactions are unprivileged by default; an EL2 regime has one privilege level
    expect(e.copy(SRC, VA, 4)).toBe(DMA_STATUS_ERROR); // SRC (a PA) is not mapped at stage 1
    expect(e.takeEvents()[0][0] & 0xff).toBe(EVT.F_TRANSLATION);
    e.map(root, 1, SRC, SRC, S1_PAGE);
    expect(e.copy(SRC, VA, 4)).toBe(DMA_STATUS_DONE);
    expect(e.bytes(DST, 1)).toEqual([0x77]);
    expect(e.smmu.debugTranslate(SID, VA).config).toBe('stage 1 (StreamWorld EL2)');
    e.map(root, 1, VA, DST2, S1_PAGE);
    e.fill(DST2, 4, 0);
    e.copy(SRC, VA, 1);
    expect(e.bytes(DST2, 1)).toEqual([0]); // stale
    e.cmd([BigInt(CMD.TLBI_NH_ALL) | (0n << 32n), 0n], SmmuEnv.sync()); // NS-EL1 only: no effect
    e.copy(SRC, VA, 1);
    expect(e.bytes(DST2, 1)).toEqual([0]);
    e.cmd([BigInt(CMD.TLBI_EL2_VA), BigInt(VA)], SmmuEnv.sync());
    e.copy(SRC, VA, 1);
    expect(e.bytes(DST2, 1)).toEqual([0x77]);
  });

  it('F_STE_FETCH names the STE address; C_BAD_STE records carry only the StreamID; PREFETCH_* and CFGI_STE_RANGE are accepted', () => {
    const e = new SmmuEnv();
    s2Setup(e);
    e.cmd([BigInt(CMD.PREFETCH_CONFIG) | (BigInt(SID) << 32n), 0n], [BigInt(CMD.PREFETCH_ADDR) | (BigInt(SID) << 32n), BigInt(IPA_SRC)], SmmuEnv.sync());
    expect(e.rd(REG.GERROR)).toBe(0);
    e.ste(SID, [3n /* V, reserved Config 0b001 */, 0n, 0n, 0n]);
    // a range of 4 STEs (Range 1) around StreamID 0x21 includes 0x20
    e.cmd([BigInt(CMD.CFGI_STE_RANGE) | (0x21n << 32n), 1n], SmmuEnv.sync());
    e.copy(IPA_SRC, IPA_DST, 4);
    const [w] = e.takeEvents();
    expect(w[0] & 0xff).toBe(EVT.C_BAD_STE);
    expect(w.slice(2)).toEqual([0, 0, 0, 0, 0, 0]);
    expect(e.smmu.lastEvent()!.note).toMatch(/reserved Config/);
    // the stream table moved to an address nothing decodes
    e.wr(REG.CR0, CR0_CMDQEN | 4);
    e.wr64(REG.STRTAB_BASE, 0x1_0000_0000n);
    e.wr(REG.CR0, CR0_SMMUEN | CR0_CMDQEN | 4);
    e.copy(IPA_SRC, IPA_DST, 4);
    const [f] = e.takeEvents();
    expect(f[0] & 0xff).toBe(EVT.F_STE_FETCH);
    expect([f[6], f[7]]).toEqual([SID * 64, 1]); // FetchAddr 0x1_0000_0800
  });
});

describe('SMMUv3 driven the way Linux arm-smmu-v3 initialises it', () => {
  it('2-level stream table with SPLIT 8, 64-bit register writes, MSI-polled CMD_SYNC into its own slot, bypass and stage-1 STEs', () => {
    const e = new SmmuEnv();
    const w64r = (off: number, v: bigint) => e.bus.write64(SMMU_BASE + off, Number(v & 0xffffffffn), Number(v >> 32n));
    // device reset: disable, GBPA abort, CR1 queue/table attributes, CR2 (E2H, RECINVSID, PTM)
    e.wr(REG.CR0, 0);
    expect(e.rd(REG.CR0ACK)).toBe(0);
    e.wr(REG.GBPA, GBPA_UPDATE | GBPA_ABORT);
    expect(e.rd(REG.GBPA) & GBPA_UPDATE).toBe(0);
    e.wr(REG.CR1, 0xd5 << 0);
    e.wr(REG.CR2, 0b111);
    // 2-level: LOG2SIZE 16, SPLIT 8 → 256 L1 descriptors; the DMA engine's StreamID 0x20 is in L1[0]
    const l1 = e.alloc(256 * 8);
    const l2 = e.alloc(256 * 64);
    e.w64(l1, BigInt(l2) | 9n); // SPAN 9 = 256 STEs
    for (let sid = 0; sid < 256; sid++) e.ste(sid, [1n | (4n << 1n), 0n, 0n, 0n], l2); // bypass
    w64r(REG.STRTAB_BASE, (1n << 62n) | BigInt(l1));
    e.wr(REG.STRTAB_BASE_CFG, (1 << 16) | (8 << 6) | 16);
    w64r(REG.CMDQ_BASE, (1n << 62n) | BigInt(0x4001_0000) | 4n);
    e.wr(REG.CMDQ_PROD, 0);
    e.wr(REG.CMDQ_CONS, 0);
    e.wr(REG.CR0, CR0_CMDQEN);
    // CFGI_ALL, TLBI_EL2_ALL, TLBI_NSNH_ALL, then CMD_SYNC whose MSI clears its own first word
    const slot = 3;
    e.cmd([BigInt(CMD.CFGI_STE_RANGE), 31n], [BigInt(CMD.TLBI_EL2_ALL), 0n], [BigInt(CMD.TLBI_NSNH_ALL), 0n], [BigInt(CMD.SYNC) | (1n << 12n) | (3n << 22n) | (0xfn << 24n), BigInt(0x4001_0000 + slot * 16)]);
    expect(e.r32(0x4001_0000 + slot * 16)).toBe(0);
    w64r(REG.EVENTQ_BASE, (1n << 62n) | BigInt(0x4002_0000) | 4n);
    e.wr(REG.PAGE1 + REG.EVENTQ_PROD, 0);
    e.wr(REG.PAGE1 + REG.EVENTQ_CONS, 0);
    e.wr(REG.CR0, CR0_CMDQEN | 4);
    e.wr(REG.IRQ_CTRL, 5);
    expect(e.rd(REG.IRQ_CTRLACK)).toBe(5);
    e.wr(REG.CR0, CR0_CMDQEN | 4 | CR0_SMMUEN);
    expect(e.rd(REG.CR0ACK)).toBe(CR0_CMDQEN | 4 | CR0_SMMUEN);
    // bypass STE: DMA with PAs
    e.fill(SRC, 4, 0x31);
    e.fill(DST, 4, 0);
    expect(e.copy(SRC, DST, 4)).toBe(DMA_STATUS_DONE);
    expect(e.bytes(DST, 1)).toEqual([0x31]);
    // a stage-1 domain with CR2.E2H = 1: STRW = EL2 → the EL2&0 regime (two VA ranges, ASIDs)
    const root = e.alloc();
    const IOVA = 0x0000_0000_8000_0000;
    e.map(root, 1, IOVA, DST2, S1_PAGE | S1_EL0_RW | S1_NG);
    e.map(root, 1, 0x0000_0000_8000_1000, SRC, S1_PAGE | S1_EL0_RW | S1_NG);
    e.cd(CDS, root, 5);
    e.ste(SID, [1n | (5n << 1n) | BigInt(CDS), 2n << 30n, 0n, 0n], l2);
    e.cmd([BigInt(CMD.CFGI_STE) | (BigInt(SID) << 32n), 1n], SmmuEnv.sync());
    e.fill(DST2, 4, 0);
    expect(e.copy(0x8000_1000, IOVA, 4)).toBe(DMA_STATUS_DONE);
    expect(e.bytes(DST2, 1)).toEqual([0x31]);
    expect(e.smmu.debugTranslate(SID, IOVA).config).toBe('stage 1 (StreamWorld EL2-E2H)');
    e.cmd([BigInt(CMD.TLBI_EL2_ASID) | (5n << 48n), 0n], SmmuEnv.sync());
    expect(e.smmu.tlb.entries().length).toBe(0);
    expect(e.rd(REG.GERROR)).toBe(0);
  });
});

describe('DMA engine robustness', () => {
  it('a copy that writes the engine\'s own CTRL register (START) does not recurse; one aimed at the SMMU\'s registers is an MMIO write', () => {
    const e = new SmmuEnv();
    // SMMU off, GBPA bypass: the DMA addresses are PAs
    const START = new Uint8Array([1, 0, 0, 0]);
    e.bus.loadBytes(SRC, START);
    expect(e.copy(SRC, 0x0c00_0000 + DMA_REG.CTRL, 4)).toBe(DMA_STATUS_DONE);
    expect(e.dmaReg(DMA_REG.COPIED)).toBe(4);
    // write 0x0000_0008 (CMDQEN) into the SMMU's CR0 by DMA
    e.bus.loadBytes(SRC, new Uint8Array([8, 0, 0, 0]));
    expect(e.copy(SRC, SMMU_BASE + REG.CR0, 4)).toBe(DMA_STATUS_DONE);
    expect(e.rd(REG.CR0ACK)).toBe(0); // byte-wide MMIO writes are ignored by the SMMU (32-bit registers)
    // an unbacked PA is a bus error, not a JS exception
    expect(e.copy(SRC, 0x0a00_0000, 4)).toBe(DMA_STATUS_ERROR);
    expect(e.dmaReg(DMA_REG.FAULT_INFO)).toBe(1 | (0xff << 8));
  });
});
