// The physical address space: RAM (one ArrayBuffer), flash, and MMIO devices. Addresses are JS
// numbers: every physical address this board decodes is below 2^48, exactly representable.
// Flash is the CFI NOR flash of devices/pflash.ts: in read-array mode it reads as memory; its
// commands (query, program, erase...) are writes to it. Device accesses never throw: an access no device claims is reported to the caller as an external
// abort (the CPU turns it into a synchronous external abort, as real hardware's bus error).

/** An MMIO device: size is 1, 2, 4 or 8 bytes; offset is relative to the region base.
 * 8-byte accesses use lo/hi halves; devices that only know 32-bit registers get two calls. */
export interface MmioDevice {
  readonly name: string;
  read(offset: number, size: number, cpuIndex: number): number;
  write(offset: number, size: number, value: number, cpuIndex: number): void;
  /** optional 64-bit access (hi half in the return of readHi) */
  read64?(offset: number, cpuIndex: number): [lo: number, hi: number];
  write64?(offset: number, lo: number, hi: number, cpuIndex: number): void;
  reset?(): void;
}

export interface Region {
  base: number;
  size: number;
  device: MmioDevice;
}

import { Pflash, PFLASH_BANK_SIZE } from '../devices/pflash';

export const PAGE_SHIFT = 12;
export const PAGE_SIZE = 1 << PAGE_SHIFT;

export class Bus {
  readonly ram: ArrayBuffer;
  readonly ram8: Uint8Array;
  readonly ram32: Uint32Array;
  readonly ramView: DataView;
  readonly flash: Uint8Array;
  readonly flashBase = 0;
  /** the flash's command interface (two banks, as QEMU's virt board) */
  readonly pflash: Pflash;
  private regions: Region[] = [];
  /** Called with a PA page number whenever RAM/flash in that page is written by anyone but a
   * fast-path CPU store (decoded-instruction caches and TLB write permissions listen here), and
   * with the written PA range (pa, size; it may extend past this page). */
  readonly writeListeners: ((page: number, pa: number, size: number) => void)[] = [];

  constructor(
    readonly ramBase: number,
    readonly ramSize: number,
    flashSize = 2 * PFLASH_BANK_SIZE,
  ) {
    this.ram = new ArrayBuffer(ramSize);
    this.ram8 = new Uint8Array(this.ram);
    this.ram32 = new Uint32Array(this.ram);
    this.ramView = new DataView(this.ram);
    this.flash = new Uint8Array(flashSize);
    this.pflash = new Pflash(this.flash, (pa, size) => this.notifyWrite(pa, size));
  }

  map(base: number, size: number, device: MmioDevice): void {
    this.regions.push({ base, size, device });
    this.regions.sort((a, b) => a.base - b.base);
  }

  get mappedRegions(): readonly Region[] {
    return this.regions;
  }

  /** RAM offset for a PA, or -1. */
  ramOffset(pa: number): number {
    const off = pa - this.ramBase;
    return off >= 0 && off < this.ramSize ? off : -1;
  }

  findDevice(pa: number): Region | undefined {
    for (const r of this.regions) if (pa >= r.base && pa < r.base + r.size) return r;
    return undefined;
  }

  /** Is this PA backed by anything (RAM, flash or a device)? */
  isMapped(pa: number): boolean {
    return this.ramOffset(pa) >= 0 || (pa >= 0 && pa < this.flash.length) || !!this.findDevice(pa);
  }

  /** Normal-memory-like byte read for RAM and flash; undefined if not RAM/flash. */
  private plainByteStore(pa: number): [Uint8Array, number] | undefined {
    const off = this.ramOffset(pa);
    if (off >= 0) return [this.ram8, off];
    if (pa >= 0 && pa < this.flash.length) return [this.flash, pa];
    return undefined;
  }

  /** Read `size` (1,2,4) bytes at pa; returns undefined on a bus error. 8-byte reads: read64. */
  read(pa: number, size: number, cpuIndex = 0): number | undefined {
    if (pa >= 0 && pa < this.flash.length && this.pflash.needsRead(pa)) return this.pflash.read(pa, size);
    const st = this.plainByteStore(pa);
    if (st && this.plainByteStore(pa + size - 1)) {
      const [a, o] = st;
      let v = 0;
      for (let i = size - 1; i >= 0; i--) v = (v * 256 + a[o + i]) >>> 0;
      return v;
    }
    const r = this.findDevice(pa);
    if (!r) return undefined;
    return r.device.read(pa - r.base, size, cpuIndex) >>> 0;
  }

  read64(pa: number, cpuIndex = 0): [number, number] | undefined {
    const r = this.findDevice(pa);
    if (r) {
      if (r.device.read64) return r.device.read64(pa - r.base, cpuIndex);
      const lo = r.device.read(pa - r.base, 4, cpuIndex);
      const hi = r.device.read(pa - r.base + 4, 4, cpuIndex);
      return [lo >>> 0, hi >>> 0];
    }
    const lo = this.read(pa, 4, cpuIndex);
    const hi = this.read(pa + 4, 4, cpuIndex);
    if (lo === undefined || hi === undefined) return undefined;
    return [lo, hi];
  }

  /** Write; returns false on a bus error. A write to flash is a flash command (devices/pflash.ts). */
  write(pa: number, size: number, value: number, cpuIndex = 0): boolean {
    const off = this.ramOffset(pa);
    if (off >= 0 && off + size <= this.ramSize) {
      let v = value >>> 0;
      for (let i = 0; i < size; i++) {
        this.ram8[off + i] = v & 0xff;
        v >>>= 8;
      }
      this.notifyWrite(pa, size);
      return true;
    }
    if (pa >= 0 && pa < this.flash.length) {
      this.pflash.write(pa, size, value >>> 0);
      return true;
    }
    const r = this.findDevice(pa);
    if (!r) return false;
    r.device.write(pa - r.base, size, value >>> 0, cpuIndex);
    return true;
  }

  write64(pa: number, lo: number, hi: number, cpuIndex = 0): boolean {
    // aligned RAM (the common slow-path case: a store to a page that also holds decoded code) first
    const off = this.ramOffset(pa);
    if (off >= 0 && (off & 7) === 0 && off + 8 <= this.ramSize) {
      this.ram32[off >>> 2] = lo;
      this.ram32[(off >>> 2) + 1] = hi;
      this.notifyWrite(pa, 8);
      return true;
    }
    const r = this.findDevice(pa);
    if (r) {
      if (r.device.write64) r.device.write64(pa - r.base, lo >>> 0, hi >>> 0, cpuIndex);
      else {
        r.device.write(pa - r.base, 4, lo >>> 0, cpuIndex);
        r.device.write(pa - r.base + 4, 4, hi >>> 0, cpuIndex);
      }
      return true;
    }
    return this.write(pa, 4, lo, cpuIndex) && this.write(pa + 4, 4, hi, cpuIndex);
  }

  notifyWrite(pa: number, size: number): void {
    if (this.writeListeners.length === 0) return;
    const p0 = Math.floor(pa / PAGE_SIZE);
    const p1 = Math.floor((pa + size - 1) / PAGE_SIZE);
    for (let p = p0; p <= p1; p++) for (const l of this.writeListeners) l(p, pa, size);
  }

  /** Debugger / loader access: copy bytes in or out of RAM/flash (devices are not touched). */
  loadBytes(pa: number, data: Uint8Array): void {
    const off = this.ramOffset(pa);
    if (off >= 0 && off + data.length <= this.ramSize) {
      this.ram8.set(data, off);
    } else if (pa >= 0 && pa + data.length <= this.flash.length) {
      this.flash.set(data, pa);
    } else {
      throw new Error(`cannot load ${data.length} bytes at 0x${pa.toString(16)}: not RAM or flash`);
    }
    this.notifyWrite(pa, data.length);
  }

  /** Debugger read of plain memory; undefined for bytes that are not RAM/flash. */
  peek(pa: number, len: number): Uint8Array | undefined {
    const off = this.ramOffset(pa);
    if (off >= 0 && off + len <= this.ramSize) return this.ram8.slice(off, off + len);
    if (pa >= 0 && pa + len <= this.flash.length) return this.flash.slice(pa, pa + len);
    return undefined;
  }
}
