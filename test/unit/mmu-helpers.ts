// Helpers for the MMU tests: build translation tables in guest RAM (Arm ARM D8.3 descriptor formats).
import { Machine, RAM_BASE } from '../../src/machine/machine';
import { R } from '../../src/sysregs/table';
import type { Cpu } from '../../src/cpu/cpu';
import { Acc, TransOut } from '../../src/mmu/translate';

export { RAM_BASE, Acc };

// descriptor bits
export const AF = 1n << 10n;
export const AP_RO = 1n << 7n; // AP[2]
export const AP_EL0 = 1n << 6n; // AP[1]
export const NG = 1n << 11n;
export const SH_IS = 3n << 8n;
export const PXN = 1n << 53n;
export const UXN = 1n << 54n;
export const XN = 1n << 54n;
export const DBM = 1n << 51n;
export const attrIdx = (n: number) => BigInt(n) << 2n;
export const S2_R = 1n << 6n;
export const S2_W = 1n << 7n;
export const s2Mem = (m: number) => BigInt(m) << 2n;
export const S2_NORMAL_WB = s2Mem(0b1111);
export const S2_DEVICE = s2Mem(0b0000);

/** MAIR: attr0 Normal WB, attr1 Device-nGnRnE, attr2 Normal NC, attr3 Device-nGnRE */
export const MAIR = 0x04_44_00_ffn;

export function setReg(c: Cpu, name: string, v: bigint): void {
  const i = R[name];
  if (i === undefined) throw new Error(`no register ${name}`);
  c.sysSet(i, v);
  c.contextChanged();
}
export function getReg(c: Cpu, name: string): bigint {
  return c.sysGet(R[name]);
}

export class Env {
  readonly m: Machine;
  readonly c: Cpu;
  private next = RAM_BASE + 0x100_0000; // page-table pool (16 MiB in)
  constructor(smp = 1) {
    this.m = new Machine({ ramMiB: 64, smp });
    this.c = this.m.cpus[0];
  }
  w64(pa: number, v: bigint): void {
    const b = new Uint8Array(8);
    new DataView(b.buffer).setBigUint64(0, BigInt.asUintN(64, v), true);
    this.m.bus.loadBytes(pa, b);
  }
  r64(pa: number): bigint {
    const b = this.m.bus.peek(pa, 8)!;
    return new DataView(b.buffer, b.byteOffset).getBigUint64(0, true);
  }
  alloc(bytes: number, align = 0x10000): number {
    this.next = Math.ceil(this.next / align) * align;
    const a = this.next;
    this.next += Math.max(bytes, 8);
    this.m.bus.loadBytes(a, new Uint8Array(Math.max(bytes, 8)));
    return a;
  }
  /** translate through the CPU's translator */
  tr(va: bigint, acc: Acc = Acc.READ, unpriv = false): TransOut {
    const out = new TransOut();
    const ok = this.c.translator.translate(Number(va & 0xffffffffn), Number(va >> 32n), acc, unpriv, out);
    (out as TransOut & { ok: boolean }).ok = ok;
    return out;
  }
}

/**
 * A translation table tree for one granule (g = 12, 14, 16) and input size. `toPa` maps the address
 * of a table as the walker sees it (IPA for stage 1 under stage 2) to the PA where we write it.
 */
export class Tables {
  readonly root: number;
  readonly stride: number;
  readonly start: number;
  readonly firstBits: number;
  constructor(
    private env: Env,
    readonly g: number,
    readonly inputsize: number,
    startLevel?: number,
    private toPa: (a: number) => number = (a) => a,
    private alloc: (bytes: number) => number = (b) => env.alloc(b),
  ) {
    this.stride = g - 3;
    this.start = startLevel ?? 4 - Math.ceil((inputsize - g) / this.stride);
    this.firstBits = inputsize - (g + (3 - this.start) * this.stride);
    this.root = this.alloc(Math.max(8 << this.firstBits, 1 << g));
  }
  private shift(level: number): number {
    return this.g + (3 - level) * this.stride;
  }
  private index(va: bigint, level: number): number {
    const bits = level === this.start ? this.firstBits : this.stride;
    return Number((va >> BigInt(this.shift(level))) & ((1n << BigInt(bits)) - 1n));
  }
  /** address (walker view) of the descriptor for va at level, creating intermediate tables */
  descAddr(va: bigint, level: number, tableBits = 0n): number {
    let table = this.root;
    for (let l = this.start; l < level; l++) {
      const da = table + this.index(va, l) * 8;
      let d = this.env.r64(this.toPa(da));
      if ((d & 3n) !== 3n) {
        const t = this.alloc(1 << this.g);
        d = BigInt(t) | 3n | tableBits;
        this.env.w64(this.toPa(da), d);
      }
      table = Number(d & 0x0000_ffff_ffff_f000n & ~((1n << BigInt(this.g)) - 1n));
    }
    return table + this.index(va, level) * 8;
  }
  /** map va → oa with a leaf at `level` (page at 3, block above) */
  map(va: bigint, oa: bigint, level: number, bits: bigint): number {
    const da = this.descAddr(va, level);
    const d = oa | bits | (level === 3 ? 3n : 1n);
    this.env.w64(this.toPa(da), d);
    return this.toPa(da);
  }
  /** raw descriptor write (e.g. invalid entries) */
  set(va: bigint, level: number, desc: bigint): number {
    const da = this.descAddr(va, level);
    this.env.w64(this.toPa(da), desc);
    return this.toPa(da);
  }
}

/** TCR_EL1 for TTBR0 only (EPD1=1): granule g, T0SZ, IPS=48 bits, plus extra bits. */
export function tcr1(g: number, t0sz: number, extra = 0n): bigint {
  const tg0 = g === 12 ? 0n : g === 16 ? 1n : 2n;
  return BigInt(t0sz) | (tg0 << 14n) | (1n << 23n) | (5n << 32n) | extra;
}
