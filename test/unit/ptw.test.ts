// Stage-1 walker: every granule and start level, blocks, faults at the right level, permissions,
// PAN, TBI, hardware Access flag / dirty state updates, address-size checks.
import { describe, it, expect } from 'vitest';
import { Env, Tables, setReg, tcr1, RAM_BASE, Acc, AF, AP_RO, AP_EL0, PXN, UXN, DBM, attrIdx, MAIR } from './mmu-helpers';

const DATA = RAM_BASE + 0x200_0000; // 32 MiB into RAM

function el1(env: Env, g: number, t0sz: number, tcrExtra = 0n): Tables {
  const c = env.c;
  setReg(c, 'SCR_EL3', 0x401n); // NS, RW
  c.switchElSp(1, 1);
  const t = new Tables(env, g, 64 - t0sz);
  setReg(c, 'MAIR_EL1', MAIR);
  setReg(c, 'TCR_EL1', tcr1(g, t0sz, tcrExtra));
  setReg(c, 'TTBR0_EL1', BigInt(t.root));
  setReg(c, 'SCTLR_EL1', 0x30d00801n | 0x5n); // M, C
  return t;
}

describe('stage-1 walks on every granule and start level', () => {
  const cases: [string, number, number, number][] = [
    // name, granule shift, T0SZ, expected start level
    ['4K 48-bit', 12, 16, 0],
    ['4K 39-bit', 12, 25, 1],
    ['4K 30-bit', 12, 34, 2],
    ['16K 48-bit', 14, 16, 0],
    ['16K 47-bit', 14, 17, 1],
    ['16K 36-bit', 14, 28, 2],
    ['64K 48-bit', 16, 16, 1],
    ['64K 42-bit', 16, 22, 2],
    ['64K 29-bit', 16, 35, 3],
  ];
  for (const [name, g, t0sz, start] of cases) {
    it(`${name}: start level ${start}, page and block leaves`, () => {
      const env = new Env();
      const t = el1(env, g, t0sz);
      expect(t.start).toBe(start);
      const va = 0x1234n << BigInt(g); // some page
      const pa = BigInt(DATA) + (5n << BigInt(g));
      t.map(va, pa, 3, AF | attrIdx(0));
      const o = env.tr(va + 0x18n);
      expect((o as unknown as { ok: boolean }).ok).toBe(true);
      expect(o.pa).toBe(Number(pa) + 0x18);
      expect(o.device).toBe(false);
      expect(o.attr).toBe(0xff);
      // block at level 2 (all granules allow it)
      if (start <= 2) {
        const bshift = BigInt(g + (g - 3));
        const bva = 3n << bshift;
        const bpa = (BigInt(RAM_BASE) >> bshift) << bshift;
        if (bpa + (1n << bshift) <= BigInt(RAM_BASE + 64 * 1024 * 1024) && bpa >= BigInt(RAM_BASE)) {
          t.map(bva, bpa, 2, AF | attrIdx(1));
          const b = env.tr(bva + 0x1230n);
          expect(b.pa).toBe(Number(bpa) + 0x1230);
          expect(b.device).toBe(true);
        }
      }
      // an unmapped VA next to it: translation fault at the level where the walk stopped
      const o2 = env.tr(va + (1n << BigInt(63 - t0sz)));
      expect((o2 as unknown as { ok: boolean }).ok).toBe(false);
      expect(o2.fsc & 0x3c).toBe(0x04);
      expect(o2.stage2).toBe(false);
      expect(o2.targetEl).toBe(1);
    });
  }

  it('4K level-1 1GB block, and a level-0 block is a translation fault', () => {
    const env = new Env();
    const t = el1(env, 12, 16);
    t.map(0x4000_0000n, 0x4000_0000n, 1, AF);
    expect(env.tr(0x4123_4567n).pa).toBe(0x4123_4567);
    t.set(0x80_0000_0000n, 0, 0x4000_0000n | AF | 1n);
    const o = env.tr(0x80_0000_0000n);
    expect(o.fsc).toBe(0x04); // translation fault, level 0
  });

  it('VA outside T0SZ range and EPD1 → translation fault level 0; TTBR1 region works', () => {
    const env = new Env();
    const c = env.c;
    el1(env, 12, 25);
    expect(env.tr(0x80_0000_0000n).fsc).toBe(0x04);
    expect(env.tr(0xffff_ffff_c000_0000n).fsc).toBe(0x04); // EPD1
    const t1 = new Tables(env, 12, 39);
    t1.map(0xffff_ffff_c000_0000n, BigInt(DATA), 3, AF);
    setReg(c, 'TTBR1_EL1', BigInt(t1.root));
    // T1SZ=25, TG1=4K(0b10), EPD1=0
    setReg(c, 'TCR_EL1', 25n | (25n << 16n) | (2n << 30n) | (5n << 32n));
    expect(env.tr(0xffff_ffff_c000_0010n).pa).toBe(DATA + 0x10);
    expect(env.tr(0xffff_ff00_0000_0000n).fsc).toBe(0x04);
  });

  it('TBI0 ignores the top byte; without it a tagged VA faults', () => {
    const env = new Env();
    const t = el1(env, 12, 16, 1n << 37n);
    t.map(0x1000n, BigInt(DATA), 3, AF);
    expect(env.tr(0x5a00_0000_0000_1008n).pa).toBe(DATA + 8);
    setReg(env.c, 'TCR_EL1', tcr1(12, 16));
    env.c.translator.invalidateAll?.();
    expect(env.tr(0x5a00_0000_0000_1008n).fsc).toBe(0x04);
  });

  it('address size faults: output above IPS, table above IPS, TTBR above PARange', () => {
    const env = new Env();
    const c = env.c;
    const t = el1(env, 12, 16);
    t.map(0x2000n, 0x1_0000_0000n, 3, AF);
    setReg(c, 'TCR_EL1', tcr1(12, 16) & ~(7n << 32n)); // IPS = 32 bits
    expect(env.tr(0x2000n).fsc).toBe(0x03); // address size, level 3
    setReg(c, 'TTBR0_EL1', 0x1_0000_0000_0000n); // above 48 bits → ignored bits [47:1] only
    setReg(c, 'TTBR0_EL1', 0x8000_0000_0000n >> 4n); // 0x0800_0000_0000 (> 32-bit IPS)
    expect(env.tr(0x3000n).fsc).toBe(0x00); // level 0 (TTBR)
  });

  it('access flag fault without HA; HA sets AF in the descriptor', () => {
    const env = new Env();
    const t = el1(env, 12, 16);
    const d = t.map(0x5000n, BigInt(DATA), 3, 0n);
    expect(env.tr(0x5000n).fsc).toBe(0x0b); // access flag, level 3
    setReg(env.c, 'TCR_EL1', tcr1(12, 16, 1n << 39n)); // HA
    expect(env.tr(0x5000n).pa).toBe(DATA);
    expect(env.r64(d) & AF).toBe(AF);
  });

  it('HD: a write to a clean DBM page clears AP[2]; a read leaves it clean and not writable', () => {
    const env = new Env();
    const t = el1(env, 12, 16, (1n << 39n) | (1n << 40n));
    const d = t.map(0x6000n, BigInt(DATA), 3, AF | AP_RO | DBM);
    const r = env.tr(0x6000n, Acc.READ);
    expect(r.canWrite).toBe(false);
    expect(env.r64(d) & AP_RO).toBe(AP_RO);
    const w = env.tr(0x6000n, Acc.WRITE);
    expect(w.canWrite).toBe(true);
    expect(env.r64(d) & AP_RO).toBe(0n);
    // without DBM: permission fault level 3, WnR comes from the caller
    t.map(0x7000n, BigInt(DATA), 3, AF | AP_RO);
    expect(env.tr(0x7000n, Acc.WRITE).fsc).toBe(0x0f);
  });

  it('AP, UXN/PXN, WXN and EL0-writable implies PXN', () => {
    const env = new Env();
    const c = env.c;
    const t = el1(env, 12, 16);
    t.map(0x10000n, BigInt(DATA), 3, AF); // EL1 RW, EL0 none
    t.map(0x11000n, BigInt(DATA), 3, AF | AP_EL0); // EL1 RW EL0 RW
    t.map(0x12000n, BigInt(DATA), 3, AF | AP_EL0 | AP_RO | UXN); // RO both, EL0 XN
    t.map(0x13000n, BigInt(DATA), 3, AF | AP_RO | PXN);
    expect(env.tr(0x10000n, Acc.READ, true).fsc).toBe(0x0f); // LDTR at EL1 → EL0 permissions
    expect(env.tr(0x11000n, Acc.WRITE, true).canWrite).toBe(false); // unpriv results never fill
    expect(env.tr(0x11000n, Acc.EXEC).fsc).toBe(0x0f); // EL0-writable → PXN
    expect(env.tr(0x12000n, Acc.EXEC).canExec).toBe(true);
    expect(env.tr(0x13000n, Acc.EXEC).fsc).toBe(0x0f);
    c.switchElSp(0, 0);
    expect(env.tr(0x10000n).fsc).toBe(0x0f);
    expect(env.tr(0x12000n, Acc.EXEC).fsc).toBe(0x0f);
    expect(env.tr(0x12000n, Acc.WRITE).fsc).toBe(0x0f);
    expect(env.tr(0x11000n, Acc.WRITE).pa).toBe(DATA);
    c.switchElSp(1, 1);
    expect(env.tr(0x10000n, Acc.EXEC).canExec).toBe(true);
    setReg(c, 'SCTLR_EL1', 0x30d00801n | (1n << 19n)); // WXN
    c.translator.invalidateAll?.();
    expect(env.tr(0x10000n, Acc.EXEC).fsc).toBe(0x0f);
    expect(env.tr(0x13000n, Acc.EXEC).fsc).toBe(0x0f);
  });

  it('APTable and UXNTable/PXNTable restrict lower levels', () => {
    const env = new Env();
    const t = el1(env, 12, 16);
    // a level-1 table descriptor with APTable=0b10 (read-only) and PXNTable
    const l1 = t.descAddr(0x4000_0000n, 1);
    void l1;
    t.map(0x4000_0000n, BigInt(DATA), 3, AF);
    const l1d = t.descAddr(0x4000_0000n, 1);
    env.w64(l1d, env.r64(l1d) | (2n << 61n) | (1n << 59n));
    expect(env.tr(0x4000_0000n, Acc.WRITE).fsc).toBe(0x0f);
    expect(env.tr(0x4000_0000n, Acc.EXEC).fsc).toBe(0x0f);
    expect(env.tr(0x4000_0000n, Acc.READ).pa).toBe(DATA);
  });

  it('PAN: privileged data access to EL0-accessible memory faults; fetch and LDTR do not', () => {
    const env = new Env();
    const c = env.c;
    const t = el1(env, 12, 16);
    t.map(0x20000n, BigInt(DATA), 3, AF | AP_EL0 | UXN);
    c.pan = 1;
    c.contextChanged();
    expect(env.tr(0x20000n).fsc).toBe(0x0f);
    expect(env.tr(0x20000n, Acc.READ, true).pa).toBe(DATA); // LDTR: EL0 permission check
    c.pan = 0;
    c.contextChanged();
    expect(env.tr(0x20000n).pa).toBe(DATA);
  });

  it('EL2 (E2H=0) and EL3 single-range regimes; EL2&0 (VHE) with TTBR1_EL2', () => {
    const env = new Env();
    const c = env.c;
    setReg(c, 'SCR_EL3', 0x401n);
    // EL3
    const t3 = new Tables(env, 12, 48);
    t3.map(0x1000n, BigInt(DATA), 3, AF);
    setReg(c, 'MAIR_EL3', MAIR);
    setReg(c, 'TCR_EL3', 16n | (5n << 16n));
    setReg(c, 'TTBR0_EL3', BigInt(t3.root));
    setReg(c, 'SCTLR_EL3', 0x30c50831n);
    expect(env.tr(0x1008n).pa).toBe(DATA + 8);
    expect(env.tr(0x1008n).targetEl).toBe(3);
    // EL2, E2H=0
    c.switchElSp(2, 1);
    const t2 = new Tables(env, 16, 48);
    t2.map(0x3_0000n, BigInt(DATA), 3, AF | AP_RO);
    setReg(c, 'MAIR_EL2', MAIR);
    setReg(c, 'TCR_EL2', 16n | (1n << 14n) | (5n << 16n));
    setReg(c, 'TTBR0_EL2', BigInt(t2.root));
    setReg(c, 'SCTLR_EL2', 0x30c50831n);
    expect(env.tr(0x3_0004n).pa).toBe(DATA + 4);
    const f = env.tr(0x3_0004n, Acc.WRITE);
    expect(f.fsc).toBe(0x0f);
    expect(f.targetEl).toBe(2);
    // EL2&0: TCR_EL2 in the EL1 layout, TTBR1_EL2 for the upper range
    const t20 = new Tables(env, 12, 39);
    t20.map(0xffff_ff80_0000_0000n, BigInt(DATA) + 0x1000n, 3, AF);
    setReg(c, 'TTBR1_EL2', BigInt(t20.root));
    setReg(c, 'TCR_EL2', 25n | (1n << 7n) | (25n << 16n) | (2n << 30n) | (5n << 32n));
    setReg(c, 'HCR_EL2', (1n << 31n) | (1n << 34n));
    expect(env.tr(0xffff_ff80_0000_0040n).pa).toBe(DATA + 0x1040);
    // EL0 under E2H+TGE uses EL2&0 and faults go to EL2
    setReg(c, 'HCR_EL2', (1n << 31n) | (1n << 34n) | (1n << 27n));
    c.switchElSp(0, 0);
    const e0 = env.tr(0xffff_ff80_0000_0040n);
    expect(e0.fsc).toBe(0x0f); // AP[1]=0: no EL0 access
    expect(e0.targetEl).toBe(2);
  });

  it('MMU off: flat, data is Device, VA above PARange is an address size fault', () => {
    const env = new Env();
    const c = env.c;
    setReg(c, 'SCR_EL3', 0x401n);
    c.switchElSp(1, 1);
    const o = env.tr(BigInt(DATA) + 3n);
    expect(o.pa).toBe(DATA + 3);
    expect(o.device).toBe(true);
    expect(env.tr(1n << 48n).fsc).toBe(0x00);
    expect(env.tr(BigInt(DATA), Acc.EXEC).device).toBe(false);
  });
});
