// CFI flash (devices/pflash.ts) through the bus, as U-Boot's and Linux's CFI drivers drive it: 32-bit
// accesses on a bank of two interleaved x16 chips, commands replicated in both halves.
import { describe, it, expect } from 'vitest';
import { Bus } from '../../src/machine/bus';
import { PFLASH_BANK_SIZE, PFLASH_SECTOR } from '../../src/devices/pflash';

const cmd = (c: number) => ((c << 16) | c) >>> 0;
const rep = (v: number) => ((v << 16) | v) >>> 0;

function bus(): Bus {
  return new Bus(0x4000_0000, 1 << 20);
}

describe('CFI flash', () => {
  it('answers the CFI query with QRY, Intel command set and a geometry of 256 KiB sectors per bank', () => {
    const b = bus();
    b.write(0x55 * 4, 4, cmd(0x98));
    const q = (i: number) => b.read(i * 4, 4)!;
    expect([q(0x10), q(0x11), q(0x12)]).toEqual([rep(0x51), rep(0x52), rep(0x59)]);
    expect(q(0x13)).toBe(rep(1)); // Intel/Sharp command set
    expect(1 << (q(0x27) & 0xff)).toBe(PFLASH_BANK_SIZE / 2); // chip size
    const blocks = (q(0x2d) & 0xff) + ((q(0x2e) & 0xff) << 8) + 1;
    const blockSize = ((q(0x2f) & 0xff) + ((q(0x30) & 0xff) << 8)) * 256;
    expect(blocks * blockSize * 2).toBe(PFLASH_BANK_SIZE);
    expect(blockSize * 2).toBe(PFLASH_SECTOR);
    // bank 1 is a separate device: still in read-array mode
    expect(b.read(PFLASH_BANK_SIZE + 0x10 * 4, 4)).toBe(0);
    b.write(0, 4, cmd(0xff));
    expect(b.read(0x10 * 4, 4)).toBe(0);
  });

  it('reads the manufacturer and device identifiers', () => {
    const b = bus();
    b.write(0, 4, cmd(0x90));
    expect(b.read(0, 4)).toBe(rep(0x89));
    expect(b.read(4, 4)).toBe(rep(0x18));
    b.write(0, 4, cmd(0xff));
  });

  it('erases a sector to 0xFF and programs words (bits can only be cleared); status reads ready', () => {
    const b = bus();
    const base = PFLASH_BANK_SIZE + 3 * PFLASH_SECTOR;
    b.write(base, 4, cmd(0x20));
    b.write(base, 4, cmd(0xd0));
    expect(b.read(base, 4)! & 0x80).toBe(0x80);
    b.write(base, 4, cmd(0xff));
    expect(b.read(base, 4)).toBe(0xffff_ffff);
    expect(b.read(base + PFLASH_SECTOR - 4, 4)).toBe(0xffff_ffff);
    expect(b.read(base + PFLASH_SECTOR, 4)).toBe(0); // next sector untouched
    b.write(base + 8, 4, cmd(0x40));
    b.write(base + 8, 4, 0x1234_5678);
    b.write(base + 8, 4, cmd(0xff));
    expect(b.read(base + 8, 4)).toBe(0x1234_5678);
    b.write(base + 8, 4, cmd(0x40));
    b.write(base + 8, 4, 0xffff_00ff);
    b.write(base + 8, 4, cmd(0xff));
    expect(b.read(base + 8, 4)).toBe(0x1234_0078);
  });

  it('buffered program writes the buffer on confirm', () => {
    const b = bus();
    const base = PFLASH_BANK_SIZE;
    b.write(base, 4, cmd(0x20));
    b.write(base, 4, cmd(0xd0));
    b.write(base, 4, cmd(0xe8));
    b.write(base, 4, rep(3)); // 4 words per chip
    for (let i = 0; i < 4; i++) b.write(base + 4 * i, 4, 0xa0a0_0000 + i);
    expect(b.read(base, 4)).toBe(0xffff_ffff & b.read(base, 4)!); // status while waiting
    b.write(base, 4, cmd(0xd0));
    b.write(base, 4, cmd(0xff));
    for (let i = 0; i < 4; i++) expect(b.read(base + 4 * i, 4)).toBe(0xa0a0_0000 + i);
  });

  it('a locked sector refuses erase with the lock bit in the status', () => {
    const b = bus();
    const base = PFLASH_BANK_SIZE + PFLASH_SECTOR;
    b.write(base, 4, cmd(0x60));
    b.write(base, 4, cmd(0x01));
    b.write(base, 4, cmd(0x20));
    b.write(base, 4, cmd(0xd0));
    expect(b.read(base, 4)! & 0x22).toBe(0x22);
    b.write(base, 4, cmd(0x50));
    b.write(base, 4, cmd(0xff));
    expect(b.read(base, 4)).toBe(0); // not erased
    b.write(base, 4, cmd(0x60));
    b.write(base, 4, cmd(0xd0));
    b.write(base, 4, cmd(0x20));
    b.write(base, 4, cmd(0xd0));
    b.write(base, 4, cmd(0xff));
    expect(b.read(base, 4)).toBe(0xffff_ffff);
  });
});
