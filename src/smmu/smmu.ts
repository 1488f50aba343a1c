// SMMUv3 (Arm IHI 0070 "SMMU architecture version 3"): the programming interface at QEMU virt's
// 0x0905_0000 (two 64 KiB pages, chapter 6), the Stream Table (linear and 2-level, 3.3/5.1/5.2),
// Context Descriptors (5.4), the Command queue (chapter 4), the Event queue (chapter 7), GERROR
// (7.5), wired interrupts and MSIs (3.18), and the translation of client-device transactions:
// stage 1, stage 2 or both, using the MMU's table walker (src/mmu/ptw.ts: one walker, two callers).
//
// What is implemented (IDR0): S1P, S2P, AArch64 tables, little-endian, COHACC, HYP (EL2 streams),
// 16-bit ASIDs and VMIDs, MSI, SEV, 2-level stream tables, CD2L (but SSIDSIZE = 0: one CD per
// stream), no stalls (STALL_MODEL = 0b01, TERM_MODEL = 1: terminated transactions abort), no ATS,
// no PRI, no HTTU, no broadcast TLB maintenance. Non-secure programming interface only.
//
// Guest input never throws: bad structures become events, bad commands CMDQ_ERR.
import type { Bus, MmioDevice } from '../machine/bus';
import { walkS1, walkS2, S1Res, S2Res, checkS1, S2Perm, ACC_LOOK, type S2Cfg, type WalkPath, type WalkMem } from '../mmu/ptw';
import { Acc } from '../mmu/translate';
import { Regime, type S1Regs } from '../mmu/regime';
import type { WalkStep } from '../mmu/debug';
import { decodeSte, decodeCd, steIllegal, cdIllegal, s2CfgFromSte, s1RegsFromCd, steS1, steS2, type Ste, type Cd, STE_CONFIG_NAMES } from './config';
import { SmmuTlb, World, type SmmuTlbEntry } from './tlb';

const P32 = 4294967296;

// ---- register offsets (6.2 "Register overview"); page 1 starts at 0x10000
export const REG = {
  IDR0: 0x00, IDR1: 0x04, IDR2: 0x08, IDR3: 0x0c, IDR4: 0x10, IDR5: 0x14, IIDR: 0x18, AIDR: 0x1c,
  CR0: 0x20, CR0ACK: 0x24, CR1: 0x28, CR2: 0x2c,
  STATUSR: 0x40, GBPA: 0x44, AGBPA: 0x48,
  IRQ_CTRL: 0x50, IRQ_CTRLACK: 0x54,
  GERROR: 0x60, GERRORN: 0x64, GERROR_IRQ_CFG0: 0x68, GERROR_IRQ_CFG1: 0x70, GERROR_IRQ_CFG2: 0x74,
  STRTAB_BASE: 0x80, STRTAB_BASE_CFG: 0x88,
  CMDQ_BASE: 0x90, CMDQ_PROD: 0x98, CMDQ_CONS: 0x9c,
  EVENTQ_BASE: 0xa0, EVENTQ_PROD: 0xa8, EVENTQ_CONS: 0xac,
  EVENTQ_IRQ_CFG0: 0xb0, EVENTQ_IRQ_CFG1: 0xb8, EVENTQ_IRQ_CFG2: 0xbc,
  PRIQ_BASE: 0xc0, PRIQ_PROD: 0xc8, PRIQ_CONS: 0xcc,
  PRIQ_IRQ_CFG0: 0xd0, PRIQ_IRQ_CFG1: 0xd8, PRIQ_IRQ_CFG2: 0xdc,
  PAGE1: 0x10000,
} as const;

export const SMMU_SIZE = 0x20000;

// CR0 / CR0ACK (6.3.9)
export const CR0_SMMUEN = 1 << 0;
export const CR0_PRIQEN = 1 << 1;
export const CR0_EVENTQEN = 1 << 2;
export const CR0_CMDQEN = 1 << 3;
// IRQ_CTRL (6.3.14)
export const IRQ_GERROR = 1 << 0;
export const IRQ_PRIQ = 1 << 1;
export const IRQ_EVENTQ = 1 << 2;
// GERROR (6.3.15)
export const GERROR_CMDQ_ERR = 1 << 0;
export const GERROR_EVENTQ_ABT_ERR = 1 << 2;
export const GERROR_MSI_CMDQ_ABT_ERR = 1 << 4;
export const GERROR_MSI_EVENTQ_ABT_ERR = 1 << 5;
export const GERROR_MSI_GERROR_ABT_ERR = 1 << 7;
// GBPA (6.3.13)
export const GBPA_UPDATE = 1 << 31;
export const GBPA_ABORT = 1 << 20;
// CMDQ_CONS.ERR (4.7.3)
export const CERROR_NONE = 0;
export const CERROR_ILL = 1;
export const CERROR_ABT = 2;

/** IDR1 queue and table sizes */
const SIDSIZE = 16;
const CMDQS = 19;
const EVENTQS = 19;

// IDR0 (6.3.1): S2P[0] S1P[1] TTF[3:2]=0b10 COHACC[4] HYP[9] ASID16[12] MSI[13] SEV[14] VMID16[18]
// CD2L[19] TTENDIAN[22:21]=0b10 (LE) STALL_MODEL[25:24]=0b01 TERM_MODEL[26]=1 ST_LEVEL[28:27]=0b01
export const IDR0 =
  (1 << 0) | (1 << 1) | (2 << 2) | (1 << 4) | (1 << 9) | (1 << 12) | (1 << 13) | (1 << 14) | (1 << 18) | (1 << 19) | (2 << 21) | (1 << 24) | (1 << 26) | (1 << 27);
// IDR1 (6.3.2): SIDSIZE[5:0], SSIDSIZE[10:6] = 0, PRIQS[15:11] = 0, EVENTQS[20:16], CMDQS[25:21]
export const IDR1 = SIDSIZE | (EVENTQS << 16) | (CMDQS << 21);
// IDR5 (6.3.6): OAS[2:0] = 0b101 (48 bits), GRAN4K[4], GRAN16K[5], GRAN64K[6]
export const IDR5 = 5 | (1 << 4) | (1 << 5) | (1 << 6);
/** IIDR: Implementer 0 (not a real part), revision 0; AIDR: SMMUv3.0 */
export const IIDR = 0;
export const AIDR = 0;

// ---- commands (4.1.1 "Commands overview")
export const CMD = {
  PREFETCH_CONFIG: 0x01,
  PREFETCH_ADDR: 0x02,
  CFGI_STE: 0x03,
  CFGI_STE_RANGE: 0x04, // with Range = 31: CFGI_ALL
  CFGI_CD: 0x05,
  CFGI_CD_ALL: 0x06,
  TLBI_NH_ALL: 0x10,
  TLBI_NH_ASID: 0x11,
  TLBI_NH_VA: 0x12,
  TLBI_NH_VAA: 0x13,
  TLBI_EL3_ALL: 0x18,
  TLBI_EL3_VA: 0x1a,
  TLBI_EL2_ALL: 0x20,
  TLBI_EL2_ASID: 0x21,
  TLBI_EL2_VA: 0x22,
  TLBI_EL2_VAA: 0x23,
  TLBI_S12_VMALL: 0x28,
  TLBI_S2_IPA: 0x2a,
  TLBI_NSNH_ALL: 0x30,
  ATC_INV: 0x40,
  PRI_RESP: 0x41,
  RESUME: 0x44,
  STALL_TERM: 0x45,
  SYNC: 0x46,
} as const;
export const CMD_NAMES: Record<number, string> = Object.fromEntries(Object.entries(CMD).map(([k, v]) => [v, 'CMD_' + k]));

// ---- events (7.3 "Event records")
export const EVT = {
  F_UUT: 0x01,
  C_BAD_STREAMID: 0x02,
  F_STE_FETCH: 0x03,
  C_BAD_STE: 0x04,
  F_BAD_ATS_TREQ: 0x05,
  F_STREAM_DISABLED: 0x06,
  F_TRANSL_FORBIDDEN: 0x07,
  C_BAD_SUBSTREAMID: 0x08,
  F_CD_FETCH: 0x09,
  C_BAD_CD: 0x0a,
  F_WALK_EABT: 0x0b,
  F_TRANSLATION: 0x10,
  F_ADDR_SIZE: 0x11,
  F_ACCESS: 0x12,
  F_PERMISSION: 0x13,
  F_TLB_CONFLICT: 0x20,
  F_CFG_CONFLICT: 0x21,
} as const;
export const EVT_NAMES: Record<number, string> = Object.fromEntries(Object.entries(EVT).map(([k, v]) => [v, k]));

/** Event record Class field (7.3.12): what the faulting access was */
export const enum EvClass {
  CD = 0,
  TT = 1,
  IN = 2,
}
const CLASS_NAMES = ['CD', 'TT', 'IN', '?'];

/** One event as the SMMU generated it (also kept in a log for the debugger). */
export interface SmmuEvent {
  seq: number;
  type: number;
  name: string;
  sid: number;
  /** the eight 32-bit words of the 32-byte record as written to the queue */
  words: number[];
  rnw?: boolean;
  pnu?: boolean;
  s2?: boolean;
  cls?: EvClass;
  inputAddr?: number;
  ipa?: number;
  fetchAddr?: number;
  /** why (e.g. the ILLEGAL STE field, the fault level) */
  note: string;
  /** written to the event queue (false: queue disabled, full, or the STE/CD says "do not record") */
  queued: boolean;
  why?: string;
}

export type SmmuIrqLine = 'eventq' | 'priq' | 'cmdq-sync' | 'gerror';

export interface SmmuOptions {
  bus: Bus;
  /** wired interrupt outputs (edge: the SMMU pulses the line) */
  irq?: (line: SmmuIrqLine, level: boolean) => void;
  /** CMD_SYNC with CS = SIG_SEV: a WFE wake-up event to every PE */
  sev?: () => void;
}

/** Result of a transaction's translation. */
export class SmmuXlate {
  pa = 0;
  /** bytes from the input address to the end of the translation's page/block */
  span = 0;
  /** the transaction is terminated (aborted) */
  aborted = false;
  /** event type generated (0: none) */
  event = 0;
  fault = '';
}

/** Resolved configuration of one stream (what the SMMU's configuration cache holds). */
export interface StreamConfig {
  sid: number;
  steAddr: number;
  ste: Ste;
  cdAddr?: number;
  cd?: Cd;
  s2?: S2Cfg;
  s1regs?: S1Regs;
  regime: Regime;
  world: World;
  vmid: number;
  asid: number;
}

interface CfgError {
  type: number;
  note: string;
  fetchAddr?: number;
  /** stage-2 fault while fetching the CD (S1ContextPtr is an IPA with stage 2 enabled) */
  s2Fault?: { fsc: number; ipa: number; record: boolean };
}

/** Report of a debugger translation (no events, no TLB fill). */
export interface SmmuTranslateReport {
  sid: number;
  addr: number;
  write: boolean;
  ok: boolean;
  pa?: number;
  ipa?: number;
  config?: string;
  steAddr?: number;
  cdAddr?: number;
  vmid?: number;
  asid?: number;
  steps: WalkStep[];
  fault?: string;
  event?: string;
  tlb?: string;
  notes: string[];
}

function faultEvent(fsc: number, external: boolean): number {
  if (external) return EVT.F_WALK_EABT;
  switch (fsc & 0x3c) {
    case 0x00:
      return EVT.F_ADDR_SIZE;
    case 0x08:
      return EVT.F_ACCESS;
    case 0x0c:
      return EVT.F_PERMISSION;
    default:
      return EVT.F_TRANSLATION;
  }
}

const hx = (v: number) => '0x' + v.toString(16);

export class Smmu implements MmioDevice {
  readonly name = 'smmuv3';
  readonly bus: Bus;
  private readonly irqOut: (line: SmmuIrqLine, level: boolean) => void;
  private readonly sevOut: () => void;
  /** the walker's view of memory (it needs only the bus; accesses are not a PE's) */
  private readonly walkCtx: WalkMem;

  cr0 = 0;
  cr1 = 0;
  cr2 = 0;
  gbpa = 0;
  irqCtrl = 0;
  gerror = 0;
  gerrorn = 0;
  gerrorIrqCfg0 = [0, 0];
  gerrorIrqCfg1 = 0;
  gerrorIrqCfg2 = 0;
  strtabBase = [0, 0];
  strtabCfg = 0;
  cmdqBase = [0, 0];
  cmdqProd = 0;
  cmdqCons = 0;
  cmdqErr = 0;
  evtqBase = [0, 0];
  evtqProd = 0;
  evtqCons = 0;
  evtqIrqCfg0 = [0, 0];
  evtqIrqCfg1 = 0;
  evtqIrqCfg2 = 0;
  priqBase = [0, 0];
  priqProd = 0;
  priqCons = 0;
  priqIrqCfg0 = [0, 0];
  priqIrqCfg1 = 0;
  priqIrqCfg2 = 0;

  readonly tlb = new SmmuTlb();
  /** configuration cache: StreamID → resolved STE (+CD) */
  readonly configCache = new Map<number, StreamConfig>();
  /** every event generated, newest last (bounded) */
  readonly eventLog: SmmuEvent[] = [];
  private eventSeq = 0;
  /** commands executed (for the debugger) */
  readonly cmdLog: { seq: number; op: number; name: string; text: string }[] = [];
  private cmdSeq = 0;
  private processing = false;
  /** called for every event generated (debugger catchpoints); must not throw */
  readonly eventListeners: ((e: SmmuEvent) => void)[] = [];

  constructor(opts: SmmuOptions) {
    this.bus = opts.bus;
    this.irqOut = opts.irq ?? (() => {});
    this.sevOut = opts.sev ?? (() => {});
    this.walkCtx = { bus: opts.bus, index: 0 };
    this.reset();
  }

  reset(): void {
    this.cr0 = this.cr1 = this.cr2 = 0;
    this.gbpa = 0; // ABORT = 0: with SMMUEN = 0 transactions bypass
    this.irqCtrl = 0;
    this.gerror = this.gerrorn = 0;
    this.gerrorIrqCfg0 = [0, 0];
    this.gerrorIrqCfg1 = this.gerrorIrqCfg2 = 0;
    this.strtabBase = [0, 0];
    this.strtabCfg = 0;
    this.cmdqBase = [0, 0];
    this.cmdqProd = this.cmdqCons = this.cmdqErr = 0;
    this.evtqBase = [0, 0];
    this.evtqProd = this.evtqCons = 0;
    this.evtqIrqCfg0 = [0, 0];
    this.evtqIrqCfg1 = this.evtqIrqCfg2 = 0;
    this.priqBase = [0, 0];
    this.priqProd = this.priqCons = 0;
    this.priqIrqCfg0 = [0, 0];
    this.priqIrqCfg1 = this.priqIrqCfg2 = 0;
    this.tlb.clear();
    this.configCache.clear();
  }

  // ------------------------------------------------------------------ MMIO

  read(offset: number, size: number): number {
    const o = offset & ~3;
    const v = this.readReg(o) >>> 0;
    if (size === 4) return v;
    const sh = (offset & 3) * 8;
    return size === 1 ? (v >>> sh) & 0xff : size === 2 ? (v >>> sh) & 0xffff : v;
  }

  write(offset: number, size: number, value: number): void {
    // registers are 32 or 64 bits; narrower writes are CONSTRAINED UNPREDICTABLE: ignored here
    if (size !== 4 || offset & 3) return;
    this.writeReg(offset, value >>> 0);
  }

  read64(offset: number): [number, number] {
    return [this.readReg(offset) >>> 0, this.readReg(offset + 4) >>> 0];
  }

  write64(offset: number, lo: number, hi: number): void {
    // 64-bit registers: both halves first, then act (CMDQ_PROD etc. are 32-bit and act at once)
    this.writeReg(offset, lo >>> 0, true);
    this.writeReg(offset + 4, hi >>> 0);
  }

  private readReg(o: number): number {
    if (o >= REG.PAGE1) {
      o -= REG.PAGE1;
      if (o === REG.EVENTQ_PROD) return this.evtqProd;
      if (o === REG.EVENTQ_CONS) return this.evtqCons;
      if (o === REG.PRIQ_PROD) return this.priqProd;
      if (o === REG.PRIQ_CONS) return this.priqCons;
      return 0;
    }
    switch (o) {
      case REG.IDR0: return IDR0;
      case REG.IDR1: return IDR1;
      case REG.IDR2: return 0;
      case REG.IDR3: return 0;
      case REG.IDR4: return 0;
      case REG.IDR5: return IDR5;
      case REG.IIDR: return IIDR;
      case REG.AIDR: return AIDR;
      case REG.CR0:
      case REG.CR0ACK: return this.cr0;
      case REG.CR1: return this.cr1;
      case REG.CR2: return this.cr2;
      case REG.STATUSR: return 0;
      case REG.GBPA: return this.gbpa;
      case REG.AGBPA: return 0;
      case REG.IRQ_CTRL:
      case REG.IRQ_CTRLACK: return this.irqCtrl;
      case REG.GERROR: return this.gerror;
      case REG.GERRORN: return this.gerrorn;
      case REG.GERROR_IRQ_CFG0: return this.gerrorIrqCfg0[0];
      case REG.GERROR_IRQ_CFG0 + 4: return this.gerrorIrqCfg0[1];
      case REG.GERROR_IRQ_CFG1: return this.gerrorIrqCfg1;
      case REG.GERROR_IRQ_CFG2: return this.gerrorIrqCfg2;
      case REG.STRTAB_BASE: return this.strtabBase[0];
      case REG.STRTAB_BASE + 4: return this.strtabBase[1];
      case REG.STRTAB_BASE_CFG: return this.strtabCfg;
      case REG.CMDQ_BASE: return this.cmdqBase[0];
      case REG.CMDQ_BASE + 4: return this.cmdqBase[1];
      case REG.CMDQ_PROD: return this.cmdqProd;
      case REG.CMDQ_CONS: return (this.cmdqCons | (this.cmdqErr << 24)) >>> 0;
      case REG.EVENTQ_BASE: return this.evtqBase[0];
      case REG.EVENTQ_BASE + 4: return this.evtqBase[1];
      case REG.EVENTQ_PROD: return this.evtqProd;
      case REG.EVENTQ_CONS: return this.evtqCons;
      case REG.EVENTQ_IRQ_CFG0: return this.evtqIrqCfg0[0];
      case REG.EVENTQ_IRQ_CFG0 + 4: return this.evtqIrqCfg0[1];
      case REG.EVENTQ_IRQ_CFG1: return this.evtqIrqCfg1;
      case REG.EVENTQ_IRQ_CFG2: return this.evtqIrqCfg2;
      case REG.PRIQ_BASE: return this.priqBase[0];
      case REG.PRIQ_BASE + 4: return this.priqBase[1];
      case REG.PRIQ_PROD: return this.priqProd;
      case REG.PRIQ_CONS: return this.priqCons;
      case REG.PRIQ_IRQ_CFG0: return this.priqIrqCfg0[0];
      case REG.PRIQ_IRQ_CFG0 + 4: return this.priqIrqCfg0[1];
      case REG.PRIQ_IRQ_CFG1: return this.priqIrqCfg1;
      case REG.PRIQ_IRQ_CFG2: return this.priqIrqCfg2;
    }
    return 0; // RES0 / unimplemented IMPLEMENTATION DEFINED registers
  }

  private writeReg(o: number, v: number, _lowHalfOf64 = false): void {
    if (o >= REG.PAGE1) {
      o -= REG.PAGE1;
      if (o === REG.EVENTQ_PROD || o === REG.EVENTQ_CONS || o === REG.PRIQ_PROD || o === REG.PRIQ_CONS) this.writeReg(o, v);
      return;
    }
    switch (o) {
      case REG.CR0: {
        const was = this.cr0;
        // SMMUEN, PRIQEN, EVENTQEN, CMDQEN, ATSCHK, VMW; the change has taken effect when CR0ACK shows it
        this.cr0 = v & 0x1df;
        if ((was ^ this.cr0) & CR0_SMMUEN) this.tlb.clear();
        if (this.cr0 & CR0_CMDQEN && !(was & CR0_CMDQEN)) this.cmdqErr = 0;
        this.processCommands();
        return;
      }
      case REG.CR1: this.cr1 = v & 0xfff; return;
      case REG.CR2: this.cr2 = v & 0x7; return;
      case REG.GBPA:
        // an update is requested by writing UPDATE = 1; it completes at once (UPDATE reads 0)
        if (v & GBPA_UPDATE) this.gbpa = v & 0x001f_3fff & ~GBPA_UPDATE;
        return;
      case REG.IRQ_CTRL: this.irqCtrl = v & 7; return;
      case REG.GERRORN: {
        this.gerrorn = v & 0x1fd;
        // an acknowledged CMDQ_ERR lets command consumption resume (4.7 "Command queue errors")
        if (!this.cmdqErrActive()) this.processCommands();
        return;
      }
      case REG.GERROR_IRQ_CFG0: this.gerrorIrqCfg0[0] = v & ~3; return;
      case REG.GERROR_IRQ_CFG0 + 4: this.gerrorIrqCfg0[1] = v & 0xfffff; return;
      case REG.GERROR_IRQ_CFG1: this.gerrorIrqCfg1 = v; return;
      case REG.GERROR_IRQ_CFG2: this.gerrorIrqCfg2 = v & 0x3f; return;
      case REG.STRTAB_BASE: this.strtabBase[0] = v & ~63; this.configCache.clear(); return;
      case REG.STRTAB_BASE + 4: this.strtabBase[1] = v & 0x400fffff; this.configCache.clear(); return;
      case REG.STRTAB_BASE_CFG: this.strtabCfg = v & 0x307ff; this.configCache.clear(); return;
      case REG.CMDQ_BASE: this.cmdqBase[0] = v; return;
      case REG.CMDQ_BASE + 4: this.cmdqBase[1] = v & 0x400fffff; return;
      case REG.CMDQ_PROD:
        this.cmdqProd = v & this.qMask(this.cmdqBase[0], CMDQS);
        this.processCommands();
        return;
      case REG.CMDQ_CONS:
        // software may set the consumer index only while the queue is disabled
        if (!(this.cr0 & CR0_CMDQEN)) this.cmdqCons = v & this.qMask(this.cmdqBase[0], CMDQS);
        return;
      case REG.EVENTQ_BASE: this.evtqBase[0] = v; return;
      case REG.EVENTQ_BASE + 4: this.evtqBase[1] = v & 0x400fffff; return;
      case REG.EVENTQ_PROD:
        if (!(this.cr0 & CR0_EVENTQEN)) this.evtqProd = v & (this.qMask(this.evtqBase[0], EVENTQS) | 0x80000000);
        return;
      case REG.EVENTQ_CONS:
        this.evtqCons = v & (this.qMask(this.evtqBase[0], EVENTQS) | 0x80000000);
        return;
      case REG.EVENTQ_IRQ_CFG0: this.evtqIrqCfg0[0] = v & ~3; return;
      case REG.EVENTQ_IRQ_CFG0 + 4: this.evtqIrqCfg0[1] = v & 0xfffff; return;
      case REG.EVENTQ_IRQ_CFG1: this.evtqIrqCfg1 = v; return;
      case REG.EVENTQ_IRQ_CFG2: this.evtqIrqCfg2 = v & 0x3f; return;
      case REG.PRIQ_BASE: this.priqBase[0] = v; return;
      case REG.PRIQ_BASE + 4: this.priqBase[1] = v & 0x400fffff; return;
      case REG.PRIQ_PROD: this.priqProd = v; return;
      case REG.PRIQ_CONS: this.priqCons = v; return;
      case REG.PRIQ_IRQ_CFG0: this.priqIrqCfg0[0] = v & ~3; return;
      case REG.PRIQ_IRQ_CFG0 + 4: this.priqIrqCfg0[1] = v & 0xfffff; return;
      case REG.PRIQ_IRQ_CFG1: this.priqIrqCfg1 = v; return;
      case REG.PRIQ_IRQ_CFG2: this.priqIrqCfg2 = v & 0x3f; return;
    }
  }

  // ------------------------------------------------------------------ queues

  /** log2 of a queue's entry count: Q_BASE.LOG2SIZE capped at the IDR1 maximum */
  private static qLog2(baseLo: number, max: number): number {
    return Math.min(baseLo & 31, max);
  }
  /** mask of the index + wrap bits of a queue's PROD/CONS registers */
  private qMask(baseLo: number, max: number): number {
    return 2 * 2 ** Smmu.qLog2(baseLo, max) - 1;
  }
  private static qAddr(base: number[]): number {
    return (base[1] & 0xfffff) * P32 + ((base[0] & ~31) >>> 0);
  }

  private cmdqErrActive(): boolean {
    return ((this.gerror ^ this.gerrorn) & GERROR_CMDQ_ERR) !== 0;
  }

  /** Consume commands from CMDQ_CONS up to CMDQ_PROD (4.1). */
  private processCommands(): void {
    if (this.processing || !(this.cr0 & CR0_CMDQEN) || this.cmdqErrActive()) return;
    this.processing = true;
    const log2 = Smmu.qLog2(this.cmdqBase[0], CMDQS);
    const n = 2 ** log2;
    const mask = 2 * n - 1;
    const base = Smmu.qAddr(this.cmdqBase);
    let cons = this.cmdqCons & mask;
    const prod = this.cmdqProd & mask;
    while (cons !== prod) {
      const a = base + (cons & (n - 1)) * 16;
      const w = [this.bus.read(a, 4), this.bus.read(a + 4, 4), this.bus.read(a + 8, 4), this.bus.read(a + 12, 4)];
      let err: number;
      if (w.some((x) => x === undefined)) err = CERROR_ABT;
      else err = this.execute(w as number[]);
      if (err !== CERROR_NONE) {
        // the erroneous command stays at CMDQ_CONS (4.7.3)
        this.cmdqCons = cons;
        this.cmdqErr = err;
        this.raiseGerror(GERROR_CMDQ_ERR);
        this.processing = false;
        return;
      }
      cons = (cons + 1) & mask;
      this.cmdqCons = cons;
    }
    this.processing = false;
  }

  private logCmd(op: number, text: string): void {
    this.cmdLog.push({ seq: ++this.cmdSeq, op, name: CMD_NAMES[op] ?? `opcode ${hx(op)}`, text });
    if (this.cmdLog.length > 256) this.cmdLog.shift();
  }

  /** Execute one command (four 32-bit words); returns a CERROR code. */
  private execute(w: number[]): number {
    const op = w[0] & 0xff;
    const sid = w[1] >>> 0;
    const vmid = w[1] & 0xffff;
    const asid = w[1] >>> 16;
    const addr = (w[3] >>> 0) * P32 + ((w[2] & ~0xfff) >>> 0);
    const tlb = this.tlb;
    const nsel1 = (e: SmmuTlbEntry) => e.world === World.NSEL1;
    const el2 = (e: SmmuTlbEntry) => e.world === World.EL2;
    const hit = (e: SmmuTlbEntry, a: number) => a >= e.inBase && a < e.inBase + e.size;
    let text = '';
    switch (op) {
      case CMD.PREFETCH_CONFIG:
      case CMD.PREFETCH_ADDR:
        text = `sid ${sid} (no-op)`;
        break;
      case CMD.CFGI_STE:
        this.configCache.delete(sid);
        text = `sid ${sid}`;
        break;
      case CMD.CFGI_STE_RANGE: {
        const range = w[2] & 31;
        if (range === 31) {
          this.configCache.clear();
          text = 'all (CFGI_ALL)';
        } else {
          const span = 2 ** (range + 1);
          const start = Math.floor(sid / span) * span;
          for (const k of [...this.configCache.keys()]) if (k >= start && k < start + span) this.configCache.delete(k);
          text = `sid ${start}..${start + span - 1}`;
        }
        break;
      }
      case CMD.CFGI_CD:
      case CMD.CFGI_CD_ALL:
        // the cache holds STE and CD together: drop the stream's whole configuration
        this.configCache.delete(sid);
        text = `sid ${sid}`;
        break;
      case CMD.TLBI_NH_ALL:
        text = `vmid ${vmid}: ${tlb.invalidate((e) => nsel1(e) && e.s1 && e.vmid === vmid)} entries`;
        break;
      case CMD.TLBI_NH_ASID:
        text = `vmid ${vmid} asid ${asid}: ${tlb.invalidate((e) => nsel1(e) && e.s1 && e.vmid === vmid && e.asid === asid && !e.global)} entries`;
        break;
      case CMD.TLBI_NH_VA:
        text = `vmid ${vmid} asid ${asid} va ${hx(addr)}: ${tlb.invalidate((e) => nsel1(e) && e.s1 && e.vmid === vmid && (e.global || e.asid === asid) && hit(e, addr))} entries`;
        break;
      case CMD.TLBI_NH_VAA:
        text = `vmid ${vmid} va ${hx(addr)}: ${tlb.invalidate((e) => nsel1(e) && e.s1 && e.vmid === vmid && hit(e, addr))} entries`;
        break;
      case CMD.TLBI_EL2_ALL:
        text = `${tlb.invalidate(el2)} entries`;
        break;
      case CMD.TLBI_EL2_ASID:
        text = `asid ${asid}: ${tlb.invalidate((e) => el2(e) && e.asid === asid && !e.global)} entries`;
        break;
      case CMD.TLBI_EL2_VA:
        text = `asid ${asid} va ${hx(addr)}: ${tlb.invalidate((e) => el2(e) && (e.global || e.asid === asid) && hit(e, addr))} entries`;
        break;
      case CMD.TLBI_EL2_VAA:
        text = `va ${hx(addr)}: ${tlb.invalidate((e) => el2(e) && hit(e, addr))} entries`;
        break;
      case CMD.TLBI_S12_VMALL:
        text = `vmid ${vmid}: ${tlb.invalidate((e) => nsel1(e) && e.vmid === vmid)} entries`;
        break;
      case CMD.TLBI_S2_IPA: {
        // IPA[51:12] in the second doubleword; entries whose stage-2 mapping covers it (entries that
        // combine stage 1 with it go too: more than the architecture requires, never less)
        const ipa = (w[3] & 0xfffff) * P32 + ((w[2] & ~0xfff) >>> 0);
        text = `vmid ${vmid} ipa ${hx(ipa)}: ${tlb.invalidate((e) => nsel1(e) && e.s2 && e.vmid === vmid && ipa >= e.s2Base && ipa < e.s2Base + e.s2Size)} entries`;
        break;
      }
      case CMD.TLBI_NSNH_ALL:
        text = `${tlb.invalidate(nsel1)} entries`;
        break;
      case CMD.RESUME:
      case CMD.STALL_TERM:
        text = 'nothing is stalled (no-op)';
        break;
      case CMD.SYNC: {
        // 4.6.3 CMD_SYNC: every earlier command has completed (they complete as they are consumed)
        const cs = (w[0] >>> 12) & 3;
        if (cs === 3) return CERROR_ILL;
        if (cs === 1) {
          const msiAddr = (w[3] & 0xfffff) * P32 + ((w[2] & ~3) >>> 0);
          if (msiAddr !== 0) {
            // MSI completion: a 32-bit write of MSIData to MSIAddress (IDR0.MSI = 1)
            if (!this.bus.write(msiAddr, 4, w[1] >>> 0)) this.raiseGerror(GERROR_MSI_CMDQ_ABT_ERR);
            text = `MSI ${hx(w[1] >>> 0)} -> ${hx(msiAddr)}`;
          } else {
            this.pulse('cmdq-sync');
            text = 'SIG_IRQ (wired cmdq-sync)';
          }
        } else if (cs === 2) {
          this.sevOut();
          text = 'SIG_SEV';
        } else text = 'SIG_NONE';
        break;
      }
      default:
        // TLBI_EL3_* (no Secure side), ATC_INV (no ATS), PRI_RESP (no PRI), reserved opcodes
        this.logCmd(op, 'illegal');
        return CERROR_ILL;
    }
    this.logCmd(op, text);
    return CERROR_NONE;
  }

  private pulse(line: SmmuIrqLine): void {
    this.irqOut(line, true);
    this.irqOut(line, false);
  }

  /** Toggle GERROR bits (an error becomes active when GERROR != GERRORN) and signal it. */
  private raiseGerror(bits: number): void {
    const inactive = bits & ~(this.gerror ^ this.gerrorn);
    if (!inactive) return;
    this.gerror = (this.gerror ^ inactive) >>> 0;
    if (!(this.irqCtrl & IRQ_GERROR)) return;
    const addr = this.gerrorIrqCfg0[1] * P32 + (this.gerrorIrqCfg0[0] >>> 0);
    if (addr !== 0) {
      if (!this.bus.write(addr, 4, this.gerrorIrqCfg1 >>> 0)) this.gerror = (this.gerror ^ (GERROR_MSI_GERROR_ABT_ERR & ~(this.gerror ^ this.gerrorn))) >>> 0;
    } else this.pulse('gerror');
  }

  /** Record an event (7.2 "Event queue recording"). */
  private recordEvent(ev: Omit<SmmuEvent, 'seq' | 'name' | 'words' | 'queued'>, record: boolean): SmmuEvent {
    const words = new Array<number>(8).fill(0);
    words[0] = ev.type & 0xff;
    words[1] = ev.sid >>> 0;
    if (ev.pnu) words[3] |= 1 << 1;
    // InD (bit 34) = 0: data accesses
    if (ev.rnw) words[3] |= 1 << 3;
    if (ev.s2) words[3] |= 1 << 7;
    if (ev.cls !== undefined) words[3] |= ev.cls << 8;
    if (ev.cls === EvClass.TT || ev.cls === EvClass.CD) words[3] |= 1 << 12; // TTRnW: walk/CD fetch reads
    if (ev.inputAddr !== undefined) {
      words[4] = ev.inputAddr % P32;
      words[5] = Math.floor(ev.inputAddr / P32);
    }
    if (ev.ipa !== undefined) {
      words[6] = (ev.ipa % P32 & ~0xfff) >>> 0;
      words[7] = Math.floor(ev.ipa / P32) & 0xfffff;
    }
    if (ev.fetchAddr !== undefined) {
      words[6] = (ev.fetchAddr % P32 & ~7) >>> 0;
      words[7] = Math.floor(ev.fetchAddr / P32) & 0xfffff;
    }
    const e: SmmuEvent = { ...ev, seq: ++this.eventSeq, name: EVT_NAMES[ev.type] ?? hx(ev.type), words, queued: false };
    if (!record) e.why = 'not recorded (STE.S2R / CD.R = 0)';
    else e.queued = this.queueEvent(words, e);
    this.eventLog.push(e);
    if (this.eventLog.length > 256) this.eventLog.shift();
    for (const l of this.eventListeners) {
      try {
        l(e);
      } catch {
        // a debugger's listener must not disturb the device
      }
    }
    return e;
  }

  private queueEvent(words: number[], e: SmmuEvent): boolean {
    if (!(this.cr0 & CR0_EVENTQEN)) {
      e.why = 'event queue disabled (CR0.EVENTQEN = 0)';
      return false;
    }
    const log2 = Smmu.qLog2(this.evtqBase[0], EVENTQS);
    const n = 2 ** log2;
    const mask = 2 * n - 1;
    const prod = this.evtqProd & mask;
    const cons = this.evtqCons & mask;
    if ((prod ^ cons) === n) {
      // full: overflow (7.4) — OVFLG toggles to differ from CONS.OVACKFLG, the record is lost
      if ((this.evtqProd >>> 31) === (this.evtqCons >>> 31)) this.evtqProd = (this.evtqProd ^ 0x80000000) >>> 0;
      e.why = 'event queue full (overflow)';
      return false;
    }
    const a = Smmu.qAddr(this.evtqBase) + (prod & (n - 1)) * 32;
    for (let i = 0; i < 8; i++) {
      if (!this.bus.write(a + 4 * i, 4, words[i] >>> 0)) {
        this.raiseGerror(GERROR_EVENTQ_ABT_ERR);
        e.why = 'event queue write aborted (GERROR.EVENTQ_ABT_ERR)';
        return false;
      }
    }
    this.evtqProd = ((this.evtqProd & 0x80000000) | ((prod + 1) & mask)) >>> 0;
    if (this.irqCtrl & IRQ_EVENTQ) {
      const addr = this.evtqIrqCfg0[1] * P32 + (this.evtqIrqCfg0[0] >>> 0);
      if (addr !== 0) {
        if (!this.bus.write(addr, 4, this.evtqIrqCfg1 >>> 0)) this.raiseGerror(GERROR_MSI_EVENTQ_ABT_ERR);
      } else this.pulse('eventq');
    }
    return true;
  }

  /** Event-queue records between CONS and PROD, read back from memory (debugger). */
  pendingEventRecords(): { index: number; words: number[] }[] {
    const log2 = Smmu.qLog2(this.evtqBase[0], EVENTQS);
    const n = 2 ** log2;
    const mask = 2 * n - 1;
    const out: { index: number; words: number[] }[] = [];
    let cons = this.evtqCons & mask;
    const prod = this.evtqProd & mask;
    const base = Smmu.qAddr(this.evtqBase);
    for (let k = 0; cons !== prod && k < 64; k++) {
      const a = base + (cons & (n - 1)) * 32;
      const words: number[] = [];
      for (let i = 0; i < 8; i++) words.push(this.bus.read(a + 4 * i, 4) ?? 0);
      out.push({ index: cons & (n - 1), words });
      cons = (cons + 1) & mask;
    }
    return out;
  }

  // ------------------------------------------------------------------ configuration

  private fetch64(pa: number): bigint | undefined {
    const lo = this.bus.read(pa, 4);
    const hi = this.bus.read(pa + 4, 4);
    if (lo === undefined || hi === undefined) return undefined;
    return (BigInt(hi >>> 0) << 32n) | BigInt(lo >>> 0);
  }

  private readWords(pa: number, n: number): bigint[] | undefined {
    const out: bigint[] = [];
    for (let i = 0; i < n; i++) {
      const v = this.fetch64(pa + 8 * i);
      if (v === undefined) return undefined;
      out.push(v);
    }
    return out;
  }

  /** PA of a stream's STE (3.3 "Data structures and translation procedure"), or an error. */
  steAddress(sid: number): number | CfgError {
    const log2size = Math.min(this.strtabCfg & 63, SIDSIZE);
    if (sid >= 2 ** log2size) return { type: EVT.C_BAD_STREAMID, note: `StreamID ${sid} >= 2^STRTAB_BASE_CFG.LOG2SIZE (${log2size})` };
    const base = (this.strtabBase[1] & 0xfffff) * P32 + ((this.strtabBase[0] & ~63) >>> 0);
    const fmt = (this.strtabCfg >>> 16) & 3;
    if (fmt === 0) return base + sid * 64;
    if (fmt !== 1) return { type: EVT.C_BAD_STREAMID, note: 'reserved STRTAB_BASE_CFG.FMT' };
    const split = (this.strtabCfg >>> 6) & 31;
    if (split !== 6 && split !== 8 && split !== 10) return { type: EVT.C_BAD_STREAMID, note: `reserved STRTAB_BASE_CFG.SPLIT ${split}` };
    const l1Addr = base + Math.floor(sid / 2 ** split) * 8;
    const l1 = this.fetch64(l1Addr);
    if (l1 === undefined) return { type: EVT.F_STE_FETCH, note: `L1STD fetch from ${hx(l1Addr)} aborted`, fetchAddr: l1Addr };
    const span = Number(l1 & 31n);
    const l2 = Number((l1 >> 6n) & ((1n << 46n) - 1n)) * 64;
    const l2idx = sid % 2 ** split;
    if (span === 0) return { type: EVT.C_BAD_STREAMID, note: `L1STD at ${hx(l1Addr)} is invalid (SPAN 0)` };
    if (span > split + 1 || l2idx >= 2 ** (span - 1)) return { type: EVT.C_BAD_STREAMID, note: `StreamID ${sid} outside the L1STD's SPAN ${span}` };
    return l2 + l2idx * 64;
  }

  /** Fetch and check a stream's configuration (no caching); `steps` collects the CD's stage-2 walk. */
  fetchConfig(sid: number, steps?: WalkStep[]): StreamConfig | CfgError {
    const steAddr = this.steAddress(sid);
    if (typeof steAddr !== 'number') return steAddr;
    const w = this.readWords(steAddr, 8);
    if (!w) return { type: EVT.F_STE_FETCH, note: `STE fetch from ${hx(steAddr)} aborted`, fetchAddr: steAddr };
    const ste = decodeSte(w);
    const bad = steIllegal(ste);
    if (bad) return { type: EVT.C_BAD_STE, note: `STE at ${hx(steAddr)}: ${bad}` };
    const cfg: StreamConfig = { sid, steAddr, ste, regime: Regime.EL10, world: World.NSEL1, vmid: ste.s2Vmid, asid: 0 };
    if (ste.strw === 2) {
      cfg.world = World.EL2;
      cfg.vmid = 0;
      cfg.regime = this.cr2 & 1 ? Regime.EL20 : Regime.EL2;
    }
    if (steS2(ste)) cfg.s2 = s2CfgFromSte(ste);
    if (steS1(ste)) {
      // one CD (SSIDSIZE = 0: S1Fmt/S1CDMax select nothing else); with stage 2 its address is an IPA
      let cdAddr = ste.s1ContextPtr;
      if (cfg.s2) {
        const r = new S2Res();
        const first = steps ? steps.length : 0;
        const ok = walkS2(this.walkCtx, cfg.s2, cdAddr, Acc.READ, { update: false, steps }, r);
        if (steps) for (let i = first; i < steps.length; i++) steps[i].note += ` (CD fetch, IPA ${hx(cdAddr)})`;
        if (!ok) {
          return { type: faultEvent(r.fsc, r.external), note: `stage 2 fault on the CD fetch at IPA ${hx(cdAddr)} (level ${r.level})`, s2Fault: { fsc: r.fsc, ipa: cdAddr, record: ste.s2R === 1 } };
        }
        cdAddr = r.pa;
      }
      const cw = this.readWords(cdAddr, 8);
      if (!cw) return { type: EVT.F_CD_FETCH, note: `CD fetch from ${hx(cdAddr)} aborted`, fetchAddr: cdAddr };
      const cd = decodeCd(cw);
      const cbad = cdIllegal(cd);
      if (cbad) return { type: EVT.C_BAD_CD, note: `CD at ${hx(cdAddr)}: ${cbad}` };
      cfg.cdAddr = cdAddr;
      cfg.cd = cd;
      cfg.s1regs = s1RegsFromCd(cd, cfg.regime === Regime.EL2);
      cfg.asid = cfg.regime === Regime.EL2 ? 0 : cd.asid;
    }
    return cfg;
  }

  private config(sid: number): StreamConfig | CfgError {
    const c = this.configCache.get(sid);
    if (c) return c;
    const r = this.fetchConfig(sid);
    if ('ste' in r) this.configCache.set(sid, r);
    return r;
  }

  // ------------------------------------------------------------------ translation

  private readonly s1res = new S1Res();
  private readonly s2res = new S2Res();

  /**
   * Translate one client transaction (3.2 "Translation process"): `addr` (< 2^48) from stream
   * `sid`, a data read or write, privileged or not. On a fault the transaction is terminated
   * (abort) and, where the configuration says so, an event is recorded.
   */
  translate(sid: number, addr: number, write: boolean, priv: boolean, out: SmmuXlate): boolean {
    return this.doTranslate(sid, addr, write, priv, out, null);
  }

  /** Debugger translation: the walk step by step; no events, no TLB or cache changes. */
  debugTranslate(sid: number, addr: number, write = false): SmmuTranslateReport {
    const rep: SmmuTranslateReport = { sid, addr, write, ok: false, steps: [], notes: [] };
    const out = new SmmuXlate();
    rep.ok = this.doTranslate(sid, addr, write, false, out, rep);
    if (rep.ok) rep.pa = out.pa;
    return rep;
  }

  private doTranslate(sid: number, addr: number, write: boolean, priv: boolean, out: SmmuXlate, rep: SmmuTranslateReport | null): boolean {
    out.aborted = false;
    out.event = 0;
    out.fault = '';
    const pageSpan = 4096 - (addr % 4096);
    const abort = (why: string): boolean => {
      out.aborted = true;
      out.fault = why;
      if (rep) rep.fault = why;
      return false;
    };
    if (!(this.cr0 & CR0_SMMUEN)) {
      // 3.2: SMMUEN = 0: GBPA decides (ABORT, else bypass)
      if (rep) rep.config = 'SMMU disabled (CR0.SMMUEN = 0): GBPA ' + (this.gbpa & GBPA_ABORT ? 'abort' : 'bypass');
      if (this.gbpa & GBPA_ABORT) return abort('GBPA.ABORT with SMMUEN = 0');
      out.pa = addr;
      out.span = pageSpan;
      return true;
    }
    let cfg: StreamConfig | CfgError;
    if (rep) {
      cfg = this.fetchConfig(sid, rep.steps);
      const cached = this.configCache.get(sid);
      if (cached && 'ste' in cfg && cached.ste.words.some((x, i) => x !== (cfg as StreamConfig).ste.words[i]))
        rep.notes.push('the SMMU still uses a cached older STE for this stream (no CFGI_STE since it changed); the walk below uses memory');
      else if (cached) rep.notes.push('configuration cached (CFGI_STE/CFGI_ALL drops it)');
    } else cfg = this.config(sid);
    if (!('ste' in cfg)) {
      const err = cfg;
      const rnw = !write;
      if (rep) rep.event = EVT_NAMES[err.type];
      else if (err.s2Fault) {
        this.recordEvent({ type: err.type, sid, rnw, s2: true, cls: EvClass.CD, inputAddr: addr, ipa: err.s2Fault.ipa, note: err.note }, err.s2Fault.record);
      } else {
        // C_BAD_STREAMID / C_BAD_STE / C_BAD_CD carry only the StreamID; the fetch faults add the
        // fetch address (7.3.2-7.3.10)
        this.recordEvent({ type: err.type, sid, fetchAddr: err.fetchAddr, note: err.note }, true);
      }
      out.event = err.type;
      return abort(`${EVT_NAMES[err.type]}: ${err.note}`);
    }
    const ste = cfg.ste;
    if (rep) {
      rep.config = STE_CONFIG_NAMES[ste.config] + (cfg.world === World.EL2 ? ` (StreamWorld EL2${cfg.regime === Regime.EL20 ? '-E2H' : ''})` : '');
      rep.steAddr = cfg.steAddr;
      rep.cdAddr = cfg.cdAddr;
      rep.vmid = cfg.world === World.NSEL1 ? cfg.vmid : undefined;
      rep.asid = cfg.cd ? cfg.asid : undefined;
    }
    if (ste.config === 0) return abort('STE.Config = abort (no event)');
    if (ste.config === 4) {
      out.pa = addr;
      out.span = pageSpan;
      return true;
    }
    // STE.PRIVCFG 0b10/0b11 override the client's privilege
    const isPriv = ste.privCfg === 2 ? false : ste.privCfg === 3 ? true : priv;
    if (!rep) {
      const e = this.tlb.lookup(sid, cfg.world, cfg.vmid, cfg.asid, addr);
      if (e && (write ? e.write : e.read)) {
        const off = addr - e.inBase;
        out.pa = e.paBase + off;
        out.span = Math.min(e.size - off, pageSpan);
        return true;
      }
    } else {
      const cachedCfg = this.configCache.get(sid);
      const e = cachedCfg ? this.peekTlb(sid, cachedCfg, addr) : undefined;
      if (e) rep.tlb = `TLB hit: input ${hx(e.inBase)}+${hx(e.size)} -> PA ${hx(e.paBase)}${e.s2 ? ` (IPA ${hx(e.ipaBase)})` : ''} — the SMMU uses this entry until a TLBI removes it`;
      else rep.tlb = 'not in the TLB';
    }
    const acc = write ? Acc.WRITE : Acc.READ;
    const opts = { update: false, steps: rep ? rep.steps : undefined };
    let ipa = addr;
    let s1 = false;
    let s1Size = 2 ** 48;
    let global = false;
    let s1Read = true;
    let s1Write = true;
    if (cfg.cd && cfg.s1regs) {
      s1 = true;
      const r = this.s1res;
      const path: WalkPath = { s2: cfg.s2 ?? null, ptw: ste.s2Ptw === 1 };
      // the EL2 regime (StreamWorld EL2 without E2H) has one privilege level: PnU does not matter
      const el0 = !isPriv && cfg.regime !== Regime.EL2;
      const access = { acc, el0, pan: cfg.cd.pan === 1 && !el0 };
      const ok = walkS1(this.walkCtx, cfg.regime, cfg.s1regs, false, addr % P32, Math.floor(addr / P32), access, path, opts, r);
      if (!ok) {
        const type = faultEvent(r.fsc, r.external);
        const stage = r.stage2 ? 'stage 2' : 'stage 1';
        const note = `${stage} ${EVT_NAMES[type]} level ${r.level}${r.s1ptw ? ' on the stage-1 table walk' : ''}`;
        if (rep) {
          rep.event = EVT_NAMES[type];
          if (r.stage2) rep.ipa = r.faultIpa;
        } else if (r.stage2) {
          this.recordEvent({ type, sid, rnw: !write, pnu: isPriv, s2: true, cls: EvClass.TT, inputAddr: addr, ipa: r.faultIpa, note }, ste.s2R === 1 || r.external);
        } else {
          // a stage-1 fault is Class IN, except an external abort on the walk: F_WALK_EABT, Class TT (7.3.12)
          this.recordEvent({ type, sid, rnw: !write, pnu: isPriv, s2: false, cls: r.external ? EvClass.TT : EvClass.IN, inputAddr: addr, note }, cfg.cd.r === 1 || r.external);
        }
        out.event = type;
        return abort(note);
      }
      ipa = r.oa;
      s1Size = 2 ** r.sizeLog2;
      global = r.nG === 0;
      const a0 = { acc: Acc.READ, el0, pan: access.pan };
      s1Read = checkS1(r.perm, a0);
      s1Write = checkS1(r.perm, { ...a0, acc: Acc.WRITE });
      if (rep) rep.ipa = cfg.s2 ? ipa : undefined;
    }
    let pa = ipa;
    let s2Size = 2 ** 48;
    let s2Read = true;
    let s2Write = true;
    if (cfg.s2) {
      const r = this.s2res;
      if (!walkS2(this.walkCtx, cfg.s2, ipa, acc, opts, r)) {
        const type = faultEvent(r.fsc, r.external);
        const note = `stage 2 ${EVT_NAMES[type]} level ${r.level} at IPA ${hx(ipa)}`;
        if (rep) {
          rep.event = EVT_NAMES[type];
          rep.ipa = ipa;
        } else this.recordEvent({ type, sid, rnw: !write, pnu: isPriv, s2: true, cls: EvClass.IN, inputAddr: addr, ipa, note }, ste.s2R === 1 || r.external);
        out.event = type;
        return abort(note);
      }
      pa = r.pa;
      s2Size = 2 ** r.sizeLog2;
      s2Read = (r.perm & S2Perm.R) !== 0;
      s2Write = (r.perm & S2Perm.W) !== 0;
      if (rep) rep.ipa = ipa;
    }
    const size = Math.min(s1Size, s2Size, 2 ** 30);
    const off = addr % size;
    out.pa = pa;
    out.span = Math.min(size - off, pageSpan);
    if (!rep) {
      this.tlb.insert(
        {
          sid,
          world: cfg.world,
          s1,
          s2: !!cfg.s2,
          vmid: cfg.vmid,
          asid: cfg.asid,
          global,
          inBase: addr - off,
          size,
          paBase: pa - off,
          ipaBase: ipa - off,
          s2Base: ipa - (ipa % s2Size),
          s2Size,
          read: s1Read && s2Read,
          write: s1Write && s2Write,
        },
        addr,
      );
    }
    return true;
  }

  private peekTlb(sid: number, cfg: StreamConfig, addr: number): SmmuTlbEntry | undefined {
    return this.tlb.entries().find((e) => e.sid === sid && e.world === cfg.world && e.vmid === cfg.vmid && e.asid === cfg.asid && addr >= e.inBase && addr < e.inBase + e.size);
  }

  /** Was the event `type` generated for `sid`? (for tests and the debugger) */
  lastEvent(): SmmuEvent | undefined {
    return this.eventLog[this.eventLog.length - 1];
  }
}

export { ACC_LOOK, CLASS_NAMES };
