// A DMA copy engine (el2scope's own test device, not a model of a real part): memory to memory,
// one copy at a time, every access issued with its fixed StreamID through the SMMU
// (src/smmu/smmu.ts). A faulting access terminates the copy: STATUS.ERROR is set, the fault is
// latched in FAULT_*, and the faulting chunk never reaches memory (reads of a chunk are translated
// before its writes; the copy proceeds page by page).
//
// Registers (32-bit, offsets from the device base):
//   0x00 ID          RO  0x444d4131 ("DMA1")
//   0x04 STREAMID    RO  this instance's StreamID
//   0x08 SRC_LO      RW  source address bits [31:0]     0x0c SRC_HI  bits [47:32]
//   0x10 DST_LO      RW  destination bits [31:0]        0x14 DST_HI  bits [47:32]
//   0x18 LEN         RW  bytes to copy (at most 16 MiB)
//   0x1c CTRL        RW  bit 0 START (write 1: copy now; reads 0), bit 1 IRQ_EN, bit 2 PRIV
//                        (transactions are privileged; default unprivileged)
//   0x20 STATUS      RO/W1C  bit 0 BUSY (0: copies complete before the START write returns),
//                        bit 1 DONE, bit 2 ERROR; write 1s to clear DONE/ERROR
//   0x24 COPIED      RO  bytes copied by the last copy
//   0x28 FAULT_LO    RO  input address of the access that faulted [31:0]; 0x2c FAULT_HI [47:32]
//   0x30 FAULT_INFO  RO  bit 0 = the faulting access was a write, bits [15:8] SMMU event type
//                        (0: terminated without an event, 0xff: bus error at the PA)
// Interrupt: level-high while IRQ_EN and (DONE or ERROR).
import type { Bus, MmioDevice } from '../machine/bus';
import { SmmuXlate, type Smmu } from '../smmu/smmu';

export const DMA_ID = 0x444d4131;
export const DMA_REG = {
  ID: 0x00,
  STREAMID: 0x04,
  SRC_LO: 0x08,
  SRC_HI: 0x0c,
  DST_LO: 0x10,
  DST_HI: 0x14,
  LEN: 0x18,
  CTRL: 0x1c,
  STATUS: 0x20,
  COPIED: 0x24,
  FAULT_LO: 0x28,
  FAULT_HI: 0x2c,
  FAULT_INFO: 0x30,
} as const;
export const DMA_CTRL_START = 1;
export const DMA_CTRL_IRQ_EN = 2;
export const DMA_CTRL_PRIV = 4;
export const DMA_STATUS_DONE = 2;
export const DMA_STATUS_ERROR = 4;
const MAX_LEN = 16 << 20;
const P32 = 4294967296;

export interface DmaOptions {
  name?: string;
  bus: Bus;
  /** the SMMU in front of this device (null: accesses go straight to PAs) */
  smmu: Smmu | null;
  streamId: number;
  irq?: (level: boolean) => void;
}

export class DmaEngine implements MmioDevice {
  readonly name: string;
  readonly streamId: number;
  private readonly bus: Bus;
  private readonly smmu: Smmu | null;
  private readonly irq: (level: boolean) => void;
  src = [0, 0];
  dst = [0, 0];
  len = 0;
  ctrl = 0;
  status = 0;
  copied = 0;
  fault = [0, 0];
  faultInfo = 0;
  private irqLevel = false;
  private busy = false;
  private readonly xs = new SmmuXlate();
  private readonly xd = new SmmuXlate();

  constructor(o: DmaOptions) {
    this.name = o.name ?? 'dma';
    this.bus = o.bus;
    this.smmu = o.smmu;
    this.streamId = o.streamId;
    this.irq = o.irq ?? (() => {});
  }

  reset(): void {
    this.src = [0, 0];
    this.dst = [0, 0];
    this.len = this.ctrl = this.status = this.copied = this.faultInfo = 0;
    this.fault = [0, 0];
    this.updateIrq();
  }

  read(offset: number, size: number): number {
    if (size !== 4) return 0;
    switch (offset) {
      case DMA_REG.ID: return DMA_ID;
      case DMA_REG.STREAMID: return this.streamId;
      case DMA_REG.SRC_LO: return this.src[0];
      case DMA_REG.SRC_HI: return this.src[1];
      case DMA_REG.DST_LO: return this.dst[0];
      case DMA_REG.DST_HI: return this.dst[1];
      case DMA_REG.LEN: return this.len;
      case DMA_REG.CTRL: return this.ctrl;
      case DMA_REG.STATUS: return this.status | (this.busy ? 1 : 0);
      case DMA_REG.COPIED: return this.copied;
      case DMA_REG.FAULT_LO: return this.fault[0];
      case DMA_REG.FAULT_HI: return this.fault[1];
      case DMA_REG.FAULT_INFO: return this.faultInfo;
    }
    return 0;
  }

  write(offset: number, size: number, value: number): void {
    if (size !== 4) return;
    const v = value >>> 0;
    switch (offset) {
      case DMA_REG.SRC_LO: this.src[0] = v; return;
      case DMA_REG.SRC_HI: this.src[1] = v & 0xffff; return;
      case DMA_REG.DST_LO: this.dst[0] = v; return;
      case DMA_REG.DST_HI: this.dst[1] = v & 0xffff; return;
      case DMA_REG.LEN: this.len = Math.min(v, MAX_LEN); return;
      case DMA_REG.CTRL:
        this.ctrl = v & (DMA_CTRL_IRQ_EN | DMA_CTRL_PRIV);
        // a START while copying (the copy writing this register, an MSI aimed at it) is ignored:
        // the engine is busy
        if (v & DMA_CTRL_START && !this.busy) {
          this.busy = true;
          try {
            this.copy();
          } finally {
            this.busy = false;
          }
        }
        this.updateIrq();
        return;
      case DMA_REG.STATUS:
        this.status &= ~(v & (DMA_STATUS_DONE | DMA_STATUS_ERROR));
        this.updateIrq();
        return;
    }
  }

  private updateIrq(): void {
    const l = (this.ctrl & DMA_CTRL_IRQ_EN) !== 0 && (this.status & (DMA_STATUS_DONE | DMA_STATUS_ERROR)) !== 0;
    if (l !== this.irqLevel) {
      this.irqLevel = l;
      this.irq(l);
    }
  }

  private xlate(addr: number, write: boolean, out: SmmuXlate): boolean {
    if (!this.smmu) {
      out.pa = addr;
      out.span = 4096 - (addr % 4096);
      return true;
    }
    return this.smmu.translate(this.streamId, addr, write, (this.ctrl & DMA_CTRL_PRIV) !== 0, out);
  }

  private fail(addr: number, write: boolean, event: number): void {
    this.fault = [addr % P32, Math.floor(addr / P32)];
    this.faultInfo = (write ? 1 : 0) | ((event & 0xff) << 8);
    this.status |= DMA_STATUS_ERROR;
  }

  /** Run the programmed copy to completion (or its first fault). */
  private copy(): void {
    this.status &= ~(DMA_STATUS_DONE | DMA_STATUS_ERROR);
    this.copied = 0;
    this.faultInfo = 0;
    this.fault = [0, 0];
    let s = this.src[1] * P32 + this.src[0];
    let d = this.dst[1] * P32 + this.dst[0];
    let left = this.len;
    const bus = this.bus;
    while (left > 0) {
      if (!this.xlate(s, false, this.xs)) return this.fail(s, false, this.xs.event);
      if (!this.xlate(d, true, this.xd)) return this.fail(d, true, this.xd.event);
      const n = Math.min(left, this.xs.span, this.xd.span);
      const ps = this.xs.pa;
      const pd = this.xd.pa;
      const os = bus.ramOffset(ps);
      const od = bus.ramOffset(pd);
      if (os >= 0 && od >= 0 && bus.ramOffset(ps + n - 1) >= 0 && bus.ramOffset(pd + n - 1) >= 0) {
        bus.ram8.copyWithin(od, os, os + n);
        bus.notifyWrite(pd, n);
      } else {
        for (let i = 0; i < n; i++) {
          const b = bus.read(ps + i, 1);
          if (b === undefined) return this.fail(s + i, false, 0xff);
          if (!bus.write(pd + i, 1, b)) return this.fail(d + i, true, 0xff);
          this.copied++;
        }
        s += n;
        d += n;
        left -= n;
        continue;
      }
      this.copied += n;
      s += n;
      d += n;
      left -= n;
    }
    this.status |= DMA_STATUS_DONE;
  }
}
