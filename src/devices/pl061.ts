// Arm PrimeCell GPIO (PL061). `virt` has a non-secure one at 0x0903_0000 (pin 3: power button
// input) and, with secure firmware (`--el 3`), a secure one at 0x090b_0000 whose output pin 0
// powers the machine off and pin 1 resets it (QEMU's DTB: gpio-poweroff / gpio-restart nodes;
// checked against QEMU 7.2 -M virt,secure=on: pin 0 high exits, pin 1 high reboots).
// Registers: "PrimeCell GPIO (PL061) Technical Reference Manual" (Arm DDI 0190), chapter 3.
import type { MmioDevice } from '../machine/bus';

const DIR = 0x400;
const IS = 0x404;
const IBE = 0x408;
const IEV = 0x40c;
const IE = 0x410;
const RIS = 0x414;
const MIS = 0x418;
const IC = 0x41c;
const AFSEL = 0x420;
const ID = [0x61, 0x10, 0x04, 0x00, 0x0d, 0xf0, 0x05, 0xb1];

export interface Pl061Options {
  name?: string;
  /** an output pin changed level (pin configured as output by DIR) */
  output?: (pin: number, level: boolean) => void;
  irq?: (level: boolean) => void;
}

export class Pl061 implements MmioDevice {
  readonly name: string;
  output: (pin: number, level: boolean) => void;
  irq: (level: boolean) => void;
  private data = 0;
  private dir = 0;
  private is = 0;
  private ibe = 0;
  private iev = 0;
  private ie = 0;
  private ris = 0;
  private afsel = 0;
  /** levels driven from outside on input pins */
  private inputs = 0;
  /** last levels seen by `output` */
  private outLevels = 0;
  private level = false;

  constructor(opts: Pl061Options = {}) {
    this.name = opts.name ?? 'pl061';
    this.output = opts.output ?? (() => {});
    this.irq = opts.irq ?? (() => {});
  }

  reset(): void {
    this.data = this.dir = this.is = this.ibe = this.iev = this.ie = this.ris = this.afsel = 0;
    this.outLevels = 0;
    this.updateIrq();
  }

  /** Pin levels as the guest reads them: outputs from DATA, inputs from outside. */
  pins(): number {
    return ((this.data & this.dir) | (this.inputs & ~this.dir)) & 0xff;
  }

  /** Drive an input pin from outside (e.g. a power button); edge/level interrupts per IS/IBE/IEV. */
  setInput(pin: number, high: boolean): void {
    const bit = 1 << pin;
    const before = this.pins();
    this.inputs = high ? this.inputs | bit : this.inputs & ~bit;
    this.detect(before, this.pins());
  }

  private detect(before: number, after: number): void {
    const changed = before ^ after;
    for (let i = 0; i < 8; i++) {
      const bit = 1 << i;
      if (this.is & bit) {
        // level sensitive: IEV=1 high level
        if (!!(after & bit) === !!(this.iev & bit)) this.ris |= bit;
      } else if (changed & bit) {
        if (this.ibe & bit) this.ris |= bit;
        else if (!!(after & bit) === !!(this.iev & bit)) this.ris |= bit;
      }
    }
    this.updateIrq();
  }

  private updateIrq(): void {
    const l = (this.ris & this.ie) !== 0;
    if (l !== this.level) {
      this.level = l;
      this.irq(l);
    }
  }

  private updateOutputs(): void {
    const now = this.data & this.dir & 0xff;
    const ch = (now ^ this.outLevels) & this.dir;
    this.outLevels = now;
    for (let i = 0; i < 8; i++) if (ch & (1 << i)) this.output(i, (now & (1 << i)) !== 0);
  }

  read(offset: number): number {
    if (offset >= 0xfe0 && offset < 0x1000) return ID[(offset - 0xfe0) >> 2];
    // DATA: address bits [9:2] mask which pins are read (DDI 0190 3.3.1)
    if (offset < 0x400) return this.pins() & ((offset >>> 2) & 0xff);
    switch (offset) {
      case DIR:
        return this.dir;
      case IS:
        return this.is;
      case IBE:
        return this.ibe;
      case IEV:
        return this.iev;
      case IE:
        return this.ie;
      case RIS:
        return this.ris;
      case MIS:
        return this.ris & this.ie;
      case AFSEL:
        return this.afsel;
      default:
        return 0;
    }
  }

  write(offset: number, _size: number, value: number): void {
    if (offset < 0x400) {
      const mask = (offset >>> 2) & 0xff;
      const before = this.pins();
      this.data = (this.data & ~mask) | (value & mask);
      this.updateOutputs();
      this.detect(before, this.pins());
      return;
    }
    const before = this.pins();
    switch (offset) {
      case DIR:
        this.dir = value & 0xff;
        this.updateOutputs();
        this.detect(before, this.pins());
        break;
      case IS:
        this.is = value & 0xff;
        break;
      case IBE:
        this.ibe = value & 0xff;
        break;
      case IEV:
        this.iev = value & 0xff;
        break;
      case IE:
        this.ie = value & 0xff;
        this.updateIrq();
        break;
      case IC:
        this.ris &= ~value;
        this.updateIrq();
        break;
      case AFSEL:
        this.afsel = value & 0xff;
        break;
      default:
        break;
    }
  }
}
