// Arm PrimeCell UART (PL011), as the `virt` board has it at 0x0900_0000. Register map and bits:
// "PrimeCell UART (PL011) Technical Reference Manual" (Arm DDI 0183), chapter 3. Transmission is
// instantaneous (TX FIFO always empty), like QEMU's model: every byte written to DR goes to the sink
// at once. Received bytes wait in a 16-entry FIFO (or a 1-entry holding register when LCR_H.FEN=0).
// The interrupt output is a level: (RIS & IMSC) != 0, reported through `irq` on every change.
import type { MmioDevice } from '../machine/bus';

// register offsets (DDI 0183 table 3-1)
const DR = 0x000;
const RSR = 0x004;
const FR = 0x018;
const ILPR = 0x020;
const IBRD = 0x024;
const FBRD = 0x028;
const LCR_H = 0x02c;
const CR = 0x030;
const IFLS = 0x034;
const IMSC = 0x038;
const RIS = 0x03c;
const MIS = 0x040;
const ICR = 0x044;
const DMACR = 0x048;

// FR bits
const FR_BUSY = 1 << 3;
const FR_RXFE = 1 << 4;
const FR_TXFF = 1 << 5;
const FR_RXFF = 1 << 6;
const FR_TXFE = 1 << 7;
void FR_TXFF;
void FR_BUSY;

// interrupt bits (RIS/MIS/IMSC/ICR)
export const INT_RX = 1 << 4;
export const INT_TX = 1 << 5;
export const INT_RT = 1 << 6;

const FIFO_DEPTH = 16;
/** PrimeCell identification registers at 0xFE0..0xFFC (DDI 0183 3.3.14-3.3.15) */
const ID = [0x11, 0x10, 0x14, 0x00, 0x0d, 0xf0, 0x05, 0xb1];

export interface Pl011Options {
  name?: string;
  /** transmitted bytes (the board turns these into machine 'uart' events) */
  tx?: (bytes: Uint8Array) => void;
  /** interrupt line level changes */
  irq?: (level: boolean) => void;
}

export class Pl011 implements MmioDevice {
  readonly name: string;
  tx: (bytes: Uint8Array) => void;
  irq: (level: boolean) => void;
  private rx: number[] = [];
  private ibrd = 0;
  private fbrd = 0;
  private lcrh = 0;
  private cr = 0x300;
  private ifls = 0x12;
  private imsc = 0;
  private ris = 0;
  private ilpr = 0;
  private dmacr = 0;
  private rsr = 0;
  private irqLevel = false;
  private readonly one = new Uint8Array(1);

  constructor(opts: Pl011Options = {}) {
    this.name = opts.name ?? 'pl011';
    this.tx = opts.tx ?? (() => {});
    this.irq = opts.irq ?? (() => {});
  }

  reset(): void {
    this.rx = [];
    this.ibrd = this.fbrd = this.lcrh = this.imsc = this.ris = this.ilpr = this.dmacr = this.rsr = 0;
    this.cr = 0x300;
    this.ifls = 0x12;
    this.updateIrq();
  }

  /** Bytes from the outside world (stdin, a socket). Overflowing bytes are dropped (FR.RXFF). */
  receive(bytes: Uint8Array | number[]): void {
    for (const b of bytes) {
      if (this.rx.length >= this.depth()) break;
      this.rx.push(b & 0xff);
    }
    this.updateRxInt();
  }

  /** Number of bytes waiting to be read by the guest. */
  get rxCount(): number {
    return this.rx.length;
  }

  /** Free receive slots (the CLI feeds stdin backlog at this pace instead of dropping bytes). */
  get rxSpace(): number {
    return Math.max(0, this.depth() - this.rx.length);
  }

  private depth(): number {
    return this.lcrh & (1 << 4) ? FIFO_DEPTH : 1;
  }

  /** RX interrupt when the FIFO reaches the IFLS trigger level; the receive timeout interrupt
   * stands in for "data below the trigger level waits" (we have no bit timing). */
  private updateRxInt(): void {
    const n = this.rx.length;
    let trigger = 1;
    if (this.lcrh & (1 << 4)) trigger = [2, 4, 8, 12, 14][(this.ifls >>> 3) & 7] ?? 8;
    this.ris &= ~(INT_RX | INT_RT);
    if (n >= trigger) this.ris |= INT_RX;
    else if (n > 0) this.ris |= INT_RT;
    this.updateIrq();
  }

  private updateIrq(): void {
    const level = (this.ris & this.imsc) !== 0;
    if (level !== this.irqLevel) {
      this.irqLevel = level;
      this.irq(level);
    }
  }

  get irqAsserted(): boolean {
    return this.irqLevel;
  }

  read(offset: number, _size: number): number {
    if (offset >= 0xfe0 && offset < 0x1000) return ID[(offset - 0xfe0) >> 2];
    switch (offset) {
      case DR: {
        const v = this.rx.length ? this.rx.shift()! : 0;
        this.updateRxInt();
        return v;
      }
      case RSR:
        return this.rsr;
      case FR: {
        let f = FR_TXFE;
        if (this.rx.length === 0) f |= FR_RXFE;
        if (this.rx.length >= this.depth()) f |= FR_RXFF;
        return f;
      }
      case ILPR:
        return this.ilpr;
      case IBRD:
        return this.ibrd;
      case FBRD:
        return this.fbrd;
      case LCR_H:
        return this.lcrh;
      case CR:
        return this.cr;
      case IFLS:
        return this.ifls;
      case IMSC:
        return this.imsc;
      case RIS:
        return this.ris;
      case MIS:
        return this.ris & this.imsc;
      case DMACR:
        return this.dmacr;
      default:
        return 0;
    }
  }

  write(offset: number, _size: number, value: number): void {
    switch (offset) {
      case DR: {
        const b = value & 0xff;
        if (this.cr & (1 << 7)) {
          // loopback (CR.LBE): the byte comes back in on the receive side
          this.receive([b]);
        } else {
          this.one[0] = b;
          this.tx(this.one.slice());
        }
        this.ris |= INT_TX; // the transmit FIFO drained at once
        this.updateIrq();
        break;
      }
      case RSR:
        this.rsr = 0; // write clears the error flags (ECR)
        break;
      case ILPR:
        this.ilpr = value & 0xff;
        break;
      case IBRD:
        this.ibrd = value & 0xffff;
        break;
      case FBRD:
        this.fbrd = value & 0x3f;
        break;
      case LCR_H: {
        const wasFifo = this.lcrh & (1 << 4);
        this.lcrh = value & 0xff;
        // switching FIFO mode keeps at most one byte when the FIFO is turned off
        if (wasFifo && !(this.lcrh & (1 << 4)) && this.rx.length > 1) this.rx.length = 1;
        this.updateRxInt();
        break;
      }
      case CR:
        this.cr = value & 0xffff;
        break;
      case IFLS:
        this.ifls = value & 0x3f;
        this.updateRxInt();
        break;
      case IMSC:
        this.imsc = value & 0x7ff;
        this.updateIrq();
        break;
      case ICR:
        this.ris &= ~value;
        // RX/RT stay asserted while their condition holds
        this.updateRxInt();
        break;
      case DMACR:
        this.dmacr = value & 7;
        break;
      default:
        break;
    }
  }
}
