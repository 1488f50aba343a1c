// CFI parallel NOR flash with the Intel/Sharp command set (CFI primary vendor command set 0x0001), the
// kind QEMU's virt board puts at 0x0000_0000: two banks of 64 MiB, each a 32-bit bus built from two
// interleaved x16 chips, 256 KiB erase sectors (128 KiB per chip), so U-Boot's and Linux's CFI probes
// see what they see on QEMU. Facts: the JEDEC CFI specification (JESD68, query structure at word
// offsets 0x10..) and Intel's "Common Flash Interface" application note 646 / StrataFlash datasheets
// (commands 0xFF read array, 0x90 read identifier, 0x98 query, 0x70/0x50 status, 0x20+0xD0 block
// erase, 0x40/0x10 word program, 0xE8 buffered program, 0x60+0x01/0xD0 block lock/unlock).
//
// Both chips of a bank are driven in lock step: a 32-bit command write carries the command byte in
// each 16-bit half, and status/query/ID reads answer with the value replicated in both halves.
// Programming can only clear bits (new = old AND data), as on the real part; erase sets a sector to
// 0xFF. In read-array mode the bank reads as plain memory (the bus reads the byte array directly).

export const PFLASH_BANK_SIZE = 64 << 20;
export const PFLASH_SECTOR = 256 << 10; // per bank (two chips x 128 KiB)
const CHIP_BLOCK = PFLASH_SECTOR / 2;
const CHIP_SIZE = PFLASH_BANK_SIZE / 2;
/** Buffered-program size per chip (CFI 0x2a: 2^n bytes) */
const WRITE_BUFFER_LOG2 = 6;
const MANUFACTURER = 0x89; // Intel (as QEMU's virt flash)
const DEVICE_ID = 0x18;

const enum Mode {
  ReadArray,
  ReadId,
  Query,
  Status,
  /** 0x40/0x10 seen: the next write is the data */
  Program,
  /** 0x20 seen: waiting for 0xD0 */
  EraseSetup,
  /** 0x60 seen: waiting for 0x01 / 0xD0 / 0x2F */
  LockSetup,
  /** 0xE8 seen: the next write is the word count */
  BufferCount,
  /** data words of a buffered program */
  BufferData,
  /** waiting for the 0xD0 that commits the buffer */
  BufferConfirm,
}

// Status register bits (SR)
const SR_READY = 0x80;
const SR_ERASE_ERR = 0x20;
const SR_PROG_ERR = 0x10;
const SR_LOCKED = 0x02;

/** The CFI query table of one chip (byte values at word offsets 0x10..), built once. */
function queryTable(): Uint8Array {
  const q = new Uint8Array(0x50);
  const put = (off: number, ...bytes: number[]) => bytes.forEach((b, i) => (q[off + i] = b));
  put(0x10, 0x51, 0x52, 0x59); // "QRY"
  put(0x13, 0x01, 0x00); // primary command set: Intel/Sharp extended
  put(0x15, 0x31, 0x00); // address of the primary extended table
  put(0x17, 0x00, 0x00, 0x00, 0x00); // no alternate command set
  put(0x1b, 0x45, 0x55, 0x00, 0x00); // Vcc 4.5..5.5 V, no Vpp
  put(0x1f, 0x07, 0x07, 0x0a, 0x00); // typical timeouts: word 2^7 us, buffer 2^7 us, block erase 2^10 ms
  put(0x23, 0x04, 0x04, 0x04, 0x00); // maximum = typical x 2^4
  put(0x27, Math.log2(CHIP_SIZE)); // device size 2^n bytes
  put(0x28, 0x01, 0x00); // interface: x16 asynchronous
  put(0x2a, WRITE_BUFFER_LOG2, 0x00); // max bytes in a buffered write: 2^n
  put(0x2c, 0x01); // one erase block region
  const blocks = CHIP_SIZE / CHIP_BLOCK - 1;
  put(0x2d, blocks & 0xff, blocks >> 8, (CHIP_BLOCK >> 8) & 0xff, CHIP_BLOCK >> 16);
  // primary vendor-specific extended query ("PRI", version 1.0): no optional features, no
  // suspend, block lock supported (bit 0 of 0x3a), status register reported
  put(0x31, 0x50, 0x52, 0x49, 0x31, 0x30);
  put(0x36, 0x00, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00);
  return q;
}
const QUERY = queryTable();

class Bank {
  mode = Mode.ReadArray;
  status = SR_READY;
  /** lock bit per sector */
  readonly locked = new Uint8Array(PFLASH_BANK_SIZE / PFLASH_SECTOR);
  bufLeft = 0;
  bufSector = -1;
  /** pending buffered words: offset, size, value */
  buf: [number, number, number][] = [];
}

export class Pflash {
  readonly banks = [new Bank(), new Bank()];

  constructor(
    /** both banks' contents, bank 0 first */
    readonly data: Uint8Array,
    /** called after the array changed (code caches drop decoded instructions) */
    private readonly changed: (pa: number, size: number) => void,
  ) {}

  /** True when a read at pa must go through read() (the bank is not in read-array mode). */
  needsRead(pa: number): boolean {
    return this.banks[this.bankOf(pa)].mode !== Mode.ReadArray;
  }

  private bankOf(pa: number): number {
    return pa >= PFLASH_BANK_SIZE ? 1 : 0;
  }

  /** Replicate a chip's 8/16-bit answer in both 16-bit halves, then take the bytes read. */
  private answer(pa: number, size: number, chipValue: number): number {
    const word = ((chipValue & 0xffff) | ((chipValue & 0xffff) << 16)) >>> 0;
    const shift = (pa & 3) * 8;
    const v = shift === 0 ? word : word >>> shift;
    return size >= 4 ? v >>> 0 : v & ((1 << (size * 8)) - 1);
  }

  read(pa: number, size: number): number {
    const b = this.banks[this.bankOf(pa)];
    const off = pa % PFLASH_BANK_SIZE;
    const index = off >>> 2; // word offset on a 32-bit bus
    switch (b.mode) {
      case Mode.ReadId: {
        const inBlock = (off % PFLASH_SECTOR) >>> 2;
        if (inBlock === 0) return this.answer(pa, size, MANUFACTURER);
        if (inBlock === 1) return this.answer(pa, size, DEVICE_ID);
        if (inBlock === 2) return this.answer(pa, size, b.locked[Math.floor(off / PFLASH_SECTOR)]);
        return this.answer(pa, size, 0);
      }
      case Mode.Query:
        return this.answer(pa, size, index < QUERY.length ? QUERY[index] : 0);
      case Mode.ReadArray: {
        let v = 0;
        for (let i = size - 1; i >= 0; i--) v = (v * 256 + this.data[pa + i]) >>> 0;
        return v;
      }
      default:
        // every other mode reads the status register
        return this.answer(pa, size, b.status);
    }
  }

  write(pa: number, size: number, value: number): void {
    const b = this.banks[this.bankOf(pa)];
    const off = pa % PFLASH_BANK_SIZE;
    const bankBase = pa - off;
    const sector = Math.floor(off / PFLASH_SECTOR);
    const cmd = value & 0xff;
    switch (b.mode) {
      case Mode.Program:
        this.program(b, pa, size, value, sector);
        b.mode = Mode.Status;
        return;
      case Mode.EraseSetup:
        if (cmd === 0xd0) {
          if (b.locked[sector]) b.status |= SR_ERASE_ERR | SR_LOCKED;
          else {
            const start = bankBase + sector * PFLASH_SECTOR;
            this.data.fill(0xff, start, start + PFLASH_SECTOR);
            this.changed(start, PFLASH_SECTOR);
          }
        } else b.status |= SR_ERASE_ERR | SR_PROG_ERR; // command sequence error
        b.mode = Mode.Status;
        return;
      case Mode.LockSetup:
        if (cmd === 0x01 || cmd === 0x2f) b.locked[sector] = 1;
        else if (cmd === 0xd0) b.locked[sector] = 0;
        else b.status |= SR_ERASE_ERR | SR_PROG_ERR;
        b.mode = Mode.Status;
        return;
      case Mode.BufferCount: {
        // word count - 1, per chip, in 16-bit words; on the 32-bit bus one count word per write
        const words = (value & 0xffff) + 1;
        const maxWords = (1 << WRITE_BUFFER_LOG2) / 2;
        if (words > maxWords) {
          b.status |= SR_ERASE_ERR | SR_PROG_ERR;
          b.mode = Mode.Status;
          return;
        }
        b.bufLeft = words;
        b.bufSector = sector;
        b.buf = [];
        b.mode = Mode.BufferData;
        return;
      }
      case Mode.BufferData:
        b.buf.push([pa, size, value]);
        // one bus write programs one 16-bit word in each chip
        b.bufLeft -= Math.max(1, size / 4);
        if (b.bufLeft <= 0) b.mode = Mode.BufferConfirm;
        return;
      case Mode.BufferConfirm:
        if (cmd === 0xd0) for (const [a, s, v] of b.buf) this.program(b, a, s, v, b.bufSector);
        else b.status |= SR_ERASE_ERR | SR_PROG_ERR;
        b.buf = [];
        b.mode = Mode.Status;
        return;
      default:
        break;
    }
    switch (cmd) {
      case 0xff:
      case 0xf0:
        b.mode = Mode.ReadArray;
        return;
      case 0x90:
        b.mode = Mode.ReadId;
        return;
      case 0x98:
        b.mode = Mode.Query;
        return;
      case 0x70:
        b.mode = Mode.Status;
        return;
      case 0x50:
        b.status = SR_READY;
        b.mode = Mode.ReadArray;
        return;
      case 0x40:
      case 0x10:
        b.mode = Mode.Program;
        return;
      case 0x20:
        b.mode = Mode.EraseSetup;
        return;
      case 0x60:
        b.mode = Mode.LockSetup;
        return;
      case 0xe8:
        b.mode = Mode.BufferCount;
        b.status |= SR_READY; // the buffer is available at once
        return;
      default:
        // unknown command: the part ignores it and stays in read-array mode
        b.mode = Mode.ReadArray;
    }
  }

  private program(b: Bank, pa: number, size: number, value: number, sector: number): void {
    if (b.locked[sector]) {
      b.status |= SR_PROG_ERR | SR_LOCKED;
      return;
    }
    let v = value >>> 0;
    for (let i = 0; i < size && i < 4; i++) {
      this.data[pa + i] &= v & 0xff;
      v >>>= 8;
    }
    this.changed(pa, size);
  }

  reset(): void {
    for (const b of this.banks) {
      b.mode = Mode.ReadArray;
      b.status = SR_READY;
      b.buf = [];
    }
  }
}
