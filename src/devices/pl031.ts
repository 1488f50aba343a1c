// Arm PrimeCell Real Time Clock (PL031), at 0x0901_0000 on `virt`. Registers: "PrimeCell Real Time
// Clock (PL031) Technical Reference Manual" (Arm DDI 0224), chapter 3. The counter counts seconds.
// Time is deterministic: the value is a base (host wall clock at board creation, or a fixed value
// given by the board) plus the machine's virtual time, so a replayed run reads the same seconds.
import type { MmioDevice } from '../machine/bus';

const DR = 0x00;
const MR = 0x04;
const LR = 0x08;
const CR = 0x0c;
const IMSC = 0x10;
const RIS = 0x14;
const MIS = 0x18;
const ICR = 0x1c;
const ID = [0x31, 0x10, 0x14, 0x00, 0x0d, 0xf0, 0x05, 0xb1];

export interface Pl031Options {
  /** seconds since the epoch at virtual time 0 */
  baseSeconds?: number;
  /** current virtual time in seconds (from the machine's deterministic clock) */
  now?: () => number;
  irq?: (level: boolean) => void;
}

export class Pl031 implements MmioDevice {
  readonly name = 'pl031';
  private base: number;
  private readonly initialBase: number;
  private now: () => number;
  irq: (level: boolean) => void;
  private mr = 0;
  private imsc = 0;
  private ris = 0;
  private level = false;

  constructor(opts: Pl031Options = {}) {
    this.initialBase = opts.baseSeconds ?? Math.floor(Date.now() / 1000);
    this.base = this.initialBase;
    this.now = opts.now ?? (() => 0);
    this.irq = opts.irq ?? (() => {});
  }

  reset(): void {
    this.mr = this.imsc = this.ris = 0;
    this.update();
  }

  /** Counter value in seconds (32 bits). */
  counter(): number {
    return (this.base + Math.floor(this.now())) >>> 0;
  }

  /** Called at slice boundaries: raise the match interrupt once the counter reaches MR. */
  poll(): void {
    if (this.mr !== 0 && this.counter() === this.mr) this.ris |= 1;
    this.update();
  }

  private update(): void {
    const l = (this.ris & this.imsc & 1) !== 0;
    if (l !== this.level) {
      this.level = l;
      this.irq(l);
    }
  }

  read(offset: number): number {
    if (offset >= 0xfe0 && offset < 0x1000) return ID[(offset - 0xfe0) >> 2];
    switch (offset) {
      case DR:
        return this.counter();
      case MR:
        return this.mr;
      case LR:
        return this.counter();
      case CR:
        return 1; // always started
      case IMSC:
        return this.imsc;
      case RIS:
        return this.ris;
      case MIS:
        return this.ris & this.imsc;
      default:
        return 0;
    }
  }

  write(offset: number, _size: number, value: number): void {
    switch (offset) {
      case MR:
        this.mr = value >>> 0;
        this.poll();
        break;
      case LR:
        this.base = ((value >>> 0) - Math.floor(this.now())) | 0;
        break;
      case IMSC:
        this.imsc = value & 1;
        this.update();
        break;
      case ICR:
        this.ris &= ~value;
        this.update();
        break;
      default:
        break;
    }
  }
}
