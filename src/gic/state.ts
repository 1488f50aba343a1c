// Per-interrupt state of the GICv3 (Arm IHI 0069 "GICv3/v4 Architecture Specification", 4.1):
// one bank for the 32 private interrupts (SGI/PPI) of each redistributor, one for the SPIs.
export class IrqBank {
  readonly enabled: Uint8Array;
  /** latched pending state (edge-triggered, software-set via ISPENDR/SGIs) */
  readonly pending: Uint8Array;
  readonly active: Uint8Array;
  readonly group: Uint8Array;
  readonly grpmod: Uint8Array;
  readonly prio: Uint8Array;
  /** 1 = edge-triggered (ICFGR Int_config bit 1) */
  readonly edge: Uint8Array;
  /** current level of the input line (level-sensitive interrupts are pending while high) */
  readonly level: Uint8Array;
  /** GICD_IROUTER (SPIs only): target affinity Aff0 | IRM */
  readonly route: Float64Array;

  constructor(readonly size: number) {
    this.enabled = new Uint8Array(size);
    this.pending = new Uint8Array(size);
    this.active = new Uint8Array(size);
    this.group = new Uint8Array(size);
    this.grpmod = new Uint8Array(size);
    this.prio = new Uint8Array(size);
    this.edge = new Uint8Array(size);
    this.level = new Uint8Array(size);
    this.route = new Float64Array(size);
  }

  /** pending as the architecture defines it: latch, or level-sensitive line asserted */
  isPending(i: number): boolean {
    return this.pending[i] !== 0 || (this.edge[i] === 0 && this.level[i] !== 0);
  }

  reset(): void {
    for (const a of [this.enabled, this.pending, this.active, this.group, this.grpmod, this.prio, this.edge, this.level]) a.fill(0);
    this.route.fill(0);
  }
}

/** Bit-per-interrupt register helpers (ISENABLER, IGROUPR...). `base` is the first INTID. */
export function readBits(arr: Uint8Array, base: number, count = 32): number {
  let v = 0;
  for (let i = 0; i < count && base + i < arr.length; i++) if (arr[base + i]) v |= 1 << i;
  return v >>> 0;
}

export function writeBits(arr: Uint8Array, base: number, value: number, mode: 'set' | 'clear' | 'assign'): void {
  for (let i = 0; i < 32 && base + i < arr.length; i++) {
    const bit = (value >>> i) & 1;
    if (mode === 'assign') arr[base + i] = bit;
    else if (bit) arr[base + i] = mode === 'set' ? 1 : 0;
  }
}
