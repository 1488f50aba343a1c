// Helpers for the SMMUv3 tests: a bus with RAM, the SMMU and a DMA engine behind it, and builders
// for stream table entries, context descriptors, page tables and commands in guest RAM
// (IHI 0070 chapter 5 layouts; Arm ARM D8.3 descriptors).
import { Bus } from '../../src/machine/bus';
import { Smmu, REG, CR0_SMMUEN, CR0_CMDQEN, CR0_EVENTQEN, IRQ_EVENTQ, IRQ_GERROR, CMD, type SmmuIrqLine } from '../../src/smmu/smmu';
import { DmaEngine, DMA_REG, DMA_CTRL_START } from '../../src/devices/dma';

export const RAM = 0x4000_0000;
export const SMMU_BASE = 0x0905_0000;
export const DMA_BASE = 0x0c00_0000;
export const SID = 0x20;
export const STRTAB = RAM + 0x0000_0000;
export const CMDQ = RAM + 0x0001_0000;
export const EVTQ = RAM + 0x0002_0000;
export const CDS = RAM + 0x0003_0000;
export const MSI_WORD = RAM + 0x0004_0000;
export const TABLES = RAM + 0x0010_0000;

export const S2_PAGE = (1n << 10n) | (3n << 8n) | (0xfn << 2n) | 3n; // AF, inner shareable, Normal WB, page
export const S2_RW = 3n << 6n;
export const S2_RO = 1n << 6n;
export const S1_PAGE = (1n << 10n) | (3n << 8n) | 3n; // AF, inner shareable, AttrIndx 0, page
export const S1_EL0_RW = 1n << 6n; // AP[2:1] = 01
export const S1_NG = 1n << 11n;

export class SmmuEnv {
  readonly bus = new Bus(RAM, 64 << 20, 0x1000);
  readonly irqs: SmmuIrqLine[] = [];
  sevs = 0;
  dmaIrq = false;
  readonly smmu: Smmu;
  readonly dma: DmaEngine;
  private nextTable = TABLES;
  cmdProd = 0;

  constructor() {
    this.smmu = new Smmu({ bus: this.bus, irq: (l, level) => level && this.irqs.push(l), sev: () => this.sevs++ });
    this.bus.map(SMMU_BASE, 0x20000, this.smmu);
    this.dma = new DmaEngine({ bus: this.bus, smmu: this.smmu, streamId: SID, irq: (l) => (this.dmaIrq = l) });
    this.bus.map(DMA_BASE, 0x1000, this.dma);
  }

  // ---- memory
  w64(pa: number, v: bigint): void {
    const b = new Uint8Array(8);
    new DataView(b.buffer).setBigUint64(0, BigInt.asUintN(64, v), true);
    this.bus.loadBytes(pa, b);
  }
  r32(pa: number): number {
    return this.bus.read(pa, 4)!;
  }
  fill(pa: number, len: number, byte: number): void {
    this.bus.loadBytes(pa, new Uint8Array(len).fill(byte));
  }
  bytes(pa: number, len: number): number[] {
    return [...this.bus.peek(pa, len)!];
  }

  // ---- MMIO
  wr(off: number, v: number): void {
    this.bus.write(SMMU_BASE + off, 4, v >>> 0);
  }
  wr64(off: number, v: bigint): void {
    this.bus.write64(SMMU_BASE + off, Number(v & 0xffffffffn), Number(v >> 32n));
  }
  rd(off: number): number {
    return this.bus.read(SMMU_BASE + off, 4)!;
  }

  /** Linear stream table of 2^8 STEs, 16-entry command and event queues, SMMU + queues enabled. */
  enable(opts: { eventq?: boolean; log2Evtq?: number } = {}): void {
    this.wr64(REG.STRTAB_BASE, BigInt(STRTAB));
    this.wr(REG.STRTAB_BASE_CFG, 8); // FMT linear, LOG2SIZE 8
    this.wr64(REG.CMDQ_BASE, BigInt(CMDQ) | 4n);
    this.wr64(REG.EVENTQ_BASE, BigInt(EVTQ) | BigInt(opts.log2Evtq ?? 4));
    this.wr(REG.IRQ_CTRL, IRQ_EVENTQ | IRQ_GERROR);
    this.wr(REG.CR0, CR0_CMDQEN | (opts.eventq === false ? 0 : CR0_EVENTQEN));
    this.wr(REG.CR0, CR0_SMMUEN | CR0_CMDQEN | (opts.eventq === false ? 0 : CR0_EVENTQEN));
  }

  /** Queue commands (pairs of 64-bit words) and publish them with one CMDQ_PROD write. */
  cmd(...cmds: [bigint, bigint][]): void {
    for (const [a, b] of cmds) {
      const slot = this.cmdProd & 15;
      this.w64(CMDQ + slot * 16, a);
      this.w64(CMDQ + slot * 16 + 8, b);
      this.cmdProd = (this.cmdProd + 1) & 31;
    }
    this.wr(REG.CMDQ_PROD, this.cmdProd);
  }
  static sync(cs = 0, msiAddr = 0, msiData = 0): [bigint, bigint] {
    return [BigInt(CMD.SYNC) | (BigInt(cs) << 12n) | (BigInt(msiData) << 32n), BigInt(msiAddr)];
  }

  // ---- structures
  alloc(size = 0x1000): number {
    const a = this.nextTable;
    this.nextTable += Math.ceil(size / 0x1000) * 0x1000; // tables stay 4 KiB aligned
    this.fill(a, size, 0);
    return a;
  }

  /** STE words (IHI 0070 5.2) */
  ste(sid: number, w: bigint[], base = STRTAB): void {
    for (let i = 0; i < 8; i++) this.w64(base + sid * 64 + i * 8, w[i] ?? 0n);
  }

  /** A stage-2 configuration: 4 KiB granule, 32-bit IPA (T0SZ 32), start level 1, PS 48 bits. */
  s2Ste(vmid: number, s2ttb: number, opts: { config?: number; s2r?: boolean; cdPtr?: number; t0sz?: number; sl0?: number; aa64?: boolean } = {}): bigint[] {
    const config = BigInt(opts.config ?? 6);
    const w0 = 1n | (config << 1n) | BigInt(opts.cdPtr ?? 0);
    const w2 =
      BigInt(vmid) |
      (BigInt(opts.t0sz ?? 32) << 32n) |
      (BigInt(opts.sl0 ?? 1) << 38n) |
      (5n << 48n) |
      ((opts.aa64 ?? true) ? 1n << 51n : 0n) |
      ((opts.s2r ?? true) ? 1n << 58n : 0n);
    return [w0, 0n, w2, BigInt(s2ttb)];
  }

  /** CD (5.4): TTB0, T0SZ 32 (4 GiB VA), 4 KiB granule, IPS 48, AA64, R (record faults), ASID. */
  cd(at: number, ttb0: number, asid: number, opts: { r?: boolean } = {}): void {
    const w0 = 32n | (1n << 30n) /* EPD1 */ | (1n << 31n) /* V */ | (5n << 32n) | (1n << 41n) | ((opts.r ?? true) ? 1n << 45n : 0n) | (BigInt(asid) << 48n);
    this.w64(at, w0);
    this.w64(at + 8, BigInt(ttb0));
    this.w64(at + 16, 0n);
    this.w64(at + 24, 0xffn); // MAIR attr0 Normal WB
    for (let i = 4; i < 8; i++) this.w64(at + i * 8, 0n);
  }

  /** Map a 4 KiB page in a 4-level-capable 4 KiB-granule table tree rooted at `root` with the
   * walk starting at `startLevel`; table pages are allocated from `alloc` (PA) and addressed
   * through `tableAddr` (how the walker sees them: PA, or IPA for stage-1 tables under stage 2). */
  map(root: number, startLevel: number, va: number, oa: number, attrs: bigint, toWalker: (pa: number) => number = (x) => x, fromWalker: (a: number) => number = (x) => x): void {
    let table = root; // PA
    for (let level = startLevel; level < 3; level++) {
      const idx = Math.floor(va / 2 ** (12 + 9 * (3 - level))) % 512;
      const dpa = table + idx * 8;
      const cur = this.bus.read(dpa, 4)!;
      const curHi = this.bus.read(dpa + 4, 4)!;
      if ((cur & 3) === 3) {
        table = fromWalker((curHi & 0xffff) * 2 ** 32 + ((cur & 0xfffff000) >>> 0));
      } else {
        const t = this.alloc();
        this.w64(dpa, BigInt(toWalker(t)) | 3n);
        table = t;
      }
    }
    const idx = Math.floor(va / 4096) % 512;
    this.w64(table + idx * 8, BigInt(oa) | attrs);
  }

  // ---- DMA
  copy(src: number, dst: number, len: number, ctrl = 0): number {
    const d = (o: number, v: number) => this.bus.write(DMA_BASE + o, 4, v >>> 0);
    d(DMA_REG.SRC_LO, src % 2 ** 32);
    d(DMA_REG.SRC_HI, Math.floor(src / 2 ** 32));
    d(DMA_REG.DST_LO, dst % 2 ** 32);
    d(DMA_REG.DST_HI, Math.floor(dst / 2 ** 32));
    d(DMA_REG.LEN, len);
    d(DMA_REG.CTRL, ctrl | DMA_CTRL_START);
    return this.bus.read(DMA_BASE + DMA_REG.STATUS, 4)!;
  }
  dmaReg(o: number): number {
    return this.bus.read(DMA_BASE + o, 4)!;
  }

  /** Event records in the queue between CONS and PROD (8 words each); consumes them. */
  takeEvents(): number[][] {
    const out: number[][] = [];
    let cons = this.rd(REG.PAGE1 + REG.EVENTQ_CONS) & 0x1f;
    const prod = this.rd(REG.PAGE1 + REG.EVENTQ_PROD) & 0x1f;
    while (cons !== prod) {
      const a = EVTQ + (cons & 15) * 32;
      const w: number[] = [];
      for (let i = 0; i < 8; i++) w.push(this.r32(a + 4 * i));
      out.push(w);
      cons = (cons + 1) & 0x1f;
    }
    this.wr(REG.PAGE1 + REG.EVENTQ_CONS, cons);
    return out;
  }
}
