// Stage 2 and the whole translation system: S1PTW faults, the MMIO emulation syndrome, attribute
// combination (FWB/CD/DC), AT → PAR_EL1, TLBI semantics (two VMIDs sharing IPAs, stale entries until
// the right TLBI), debugger walk reports without side effects, and MMU-on speed.
import { describe, it, expect } from 'vitest';
import {
  Env, Tables, setReg, getReg, tcr1, RAM_BASE, Acc, AF, AP_RO, NG, SH_IS, attrIdx, MAIR,
  S2_R, S2_W, S2_NORMAL_WB, s2Mem,
} from './mmu-helpers';
import { tlbi, at, mmuOf } from '../../src/mmu/maintenance';
import { debugTranslate, debugRead } from '../../src/mmu/debug';
import { ld64 } from '../../src/cpu/mem';

const DATA = RAM_BASE + 0x200_0000; // PA of IPA 0x8200_0000 in VM 1
const DATA2 = RAM_BASE + 0x240_0000; // PA of IPA 0x8200_0000 in VM 2
const IPA_OFF = 0x4000_0000; // IPA = PA + IPA_OFF for the guest's RAM
const HOLE = 0x8380_0000; // an IPA block stage 2 leaves unmapped
const S2_RW = AF | S2_R | S2_W | S2_NORMAL_WB;

function words(...w: number[]): Uint8Array {
  const b = new Uint8Array(w.length * 4);
  w.forEach((x, i) => new DataView(b.buffer).setUint32(i * 4, x >>> 0, true));
  return b;
}

interface Vm {
  env: Env;
  s1: Tables;
  s2: Tables;
  s2b: Tables;
}

/** stage 2 (4K, 40-bit IPA, start level 1 with two concatenated tables) mapping IPA 0x8000_0000.. */
function stage2(env: Env, remap: (ipa: number) => number, hole = true): Tables {
  const s2 = new Tables(env, 12, 40, 1);
  expect(s2.firstBits).toBe(10); // 2 concatenated level-1 tables
  for (let i = 0; i < 32; i++) {
    const ipa = 0x8000_0000 + i * 0x20_0000;
    if (hole && ipa === HOLE) continue;
    s2.map(BigInt(ipa), BigInt(remap(ipa)), 2, S2_RW);
  }
  return s2;
}

function vtcr(): bigint {
  return 24n | (1n << 6n) | (2n << 16n) | (1n << 31n); // T0SZ=24, SL0=1, 4K, PS=40 bits
}

function vmSetup(): Vm {
  const env = new Env(2);
  const c = env.c;
  setReg(c, 'SCR_EL3', 0x401n);
  const s2 = stage2(env, (ipa) => ipa - IPA_OFF);
  const s2b = stage2(env, (ipa) => (ipa === 0x8200_0000 ? DATA2 : ipa - IPA_OFF));
  setReg(c, 'VTCR_EL2', vtcr());
  setReg(c, 'VTTBR_EL2', BigInt(s2.root) | (1n << 48n));
  setReg(c, 'HCR_EL2', (1n << 31n) | 1n); // RW, VM
  c.switchElSp(1, 1);
  const s1 = new Tables(env, 12, 48, undefined, (a) => a - IPA_OFF, (b) => env.alloc(b) + IPA_OFF);
  setReg(c, 'MAIR_EL1', MAIR);
  setReg(c, 'TCR_EL1', tcr1(12, 16));
  setReg(c, 'TTBR0_EL1', BigInt(s1.root));
  setReg(c, 'SCTLR_EL1', 0x30d00801n | 0x1004n); // M, C, I
  s1.map(0x1000n, 0x8200_0000n, 3, AF | SH_IS | attrIdx(0));
  // code page: VA 0x2000 → IPA 0x8200_1000 (PA DATA + 0x1000)
  s1.map(0x2000n, 0x8200_1000n, 3, AF | attrIdx(0));
  s1.map(0x3000n, 0x9000_0000n, 3, AF | attrIdx(0)); // IPA outside stage 2: MMIO-style trap
  s1.map(0x5000n, 0x8200_2000n, 3, AF | AP_RO | attrIdx(0));
  return { env, s1, s2, s2b };
}

function run1(env: Env, code: number[], x0: bigint): void {
  const c = env.c;
  env.m.bus.loadBytes(DATA + 0x1000, words(...code));
  c.setX(0, x0);
  c.pc = 0x2000n;
  c.runLoop(1);
}

describe('stage 2', () => {
  it('translates VA → IPA → PA through concatenated start-level tables', () => {
    const { env } = vmSetup();
    const o = env.tr(0x1008n);
    expect(o.pa).toBe(DATA + 8);
    expect(o.ipa).toBe(0x8200_0008);
    expect(o.attr).toBe(0xff);
  });

  it('a stage-2 fault on the stage-1 walk reports S1PTW and the descriptor IPA in HPFAR_EL2', () => {
    const { env, s1 } = vmSetup();
    const c = env.c;
    // the level-3 table for VA 0x4000_0000 lives at IPA HOLE, which stage 2 does not map
    s1.set(0x4000_0000n, 2, BigInt(HOLE) | 3n);
    const o = env.tr(0x4000_0000n);
    expect(o.stage2 && o.s1ptw).toBe(true);
    expect(o.fsc).toBe(0x06);
    expect(o.ipa).toBe(HOLE);
    run1(env, [0xf9400001], 0x4000_0010n); // ldr x1, [x0]
    expect(c.el).toBe(2);
    const esr = Number(getReg(c, 'ESR_EL2'));
    expect(esr >>> 26).toBe(0x24); // data abort from a lower EL
    expect(esr & 0x1ffffff).toBe((1 << 7) | 0x06); // S1PTW, no ISV, DFSC translation level 2
    expect(getReg(c, 'FAR_EL2')).toBe(0x4000_0010n);
    expect(getReg(c, 'HPFAR_EL2')).toBe(BigInt(HOLE >>> 12) << 4n);
  });

  it('MMIO emulation path: a load from an IPA stage 2 leaves unmapped traps to EL2 with ISV', () => {
    const { env } = vmSetup();
    const c = env.c;
    run1(env, [0xb9400001], 0x3010n); // ldr w1, [x0]
    expect(c.el).toBe(2);
    const esr = Number(getReg(c, 'ESR_EL2'));
    expect(esr >>> 26).toBe(0x24);
    // ISV=1, SAS=2 (word), SRT=1, WnR=0, DFSC=translation fault level 2
    expect((esr >>> 24) & 1).toBe(1);
    expect((esr >>> 22) & 3).toBe(2);
    expect((esr >>> 16) & 31).toBe(1);
    expect(esr & 0x3f).toBe(0x06);
    expect(getReg(c, 'FAR_EL2')).toBe(0x3010n);
    expect(getReg(c, 'HPFAR_EL2')).toBe(0x90000n << 4n);
    expect(getReg(c, 'ELR_EL2')).toBe(0x2000n);
  });

  it('stage-2 permission and access-flag faults; S2 write to a read-only IPA', () => {
    const { env, s2 } = vmSetup();
    s2.map(0x8200_0000n, BigInt(DATA), 2, AF | S2_R | S2_NORMAL_WB);
    mmuOf(env.c)!.invalidateAll();
    expect(env.tr(0x1000n).pa).toBe(DATA);
    const w = env.tr(0x1000n, Acc.WRITE);
    expect(w.stage2).toBe(true);
    expect(w.fsc).toBe(0x0e); // permission, level 2
    expect(w.targetEl).toBe(2);
    s2.map(0x8200_0000n, BigInt(DATA), 2, S2_R | S2_NORMAL_WB); // AF = 0, VTCR.HA = 0
    mmuOf(env.c)!.invalidateAll();
    expect(env.tr(0x1000n).fsc).toBe(0x0a);
  });
});

describe('stage 2 on every granule and start level', () => {
  const cases: [string, number, number, number, number][] = [
    // name, granule shift, T0SZ, SL0, expected start level
    ['4K 48-bit from level 0', 12, 16, 2, 0],
    ['4K 32-bit from level 1', 12, 32, 1, 1],
    ['4K 43-bit from level 1 (16 concatenated)', 12, 21, 1, 1],
    ['16K 36-bit from level 2', 14, 28, 1, 2],
    ['16K 39-bit from level 2 (8 concatenated)', 14, 25, 1, 2],
    ['16K 47-bit from level 1', 14, 17, 2, 1],
    ['64K 42-bit from level 2', 16, 22, 1, 2],
    ['64K 48-bit from level 1', 16, 16, 2, 1],
    ['64K 33-bit from level 3 (2 concatenated)', 16, 31, 0, 3],
  ];
  it('an SL0 inconsistent with T0SZ (more than 16 concatenated tables) faults every access', () => {
    const env = new Env();
    const c = env.c;
    setReg(c, 'SCR_EL3', 0x401n);
    c.switchElSp(1, 1);
    setReg(c, 'VTCR_EL2', 24n | (0n << 6n) | (5n << 16n) | (1n << 31n)); // 40-bit IPA from level 2
    setReg(c, 'HCR_EL2', (1n << 31n) | 1n);
    const o = env.tr(BigInt(DATA));
    expect(o.stage2).toBe(true);
    expect(o.fsc).toBe(0x04);
  });
  for (const [name, g, t0sz, sl0, start] of cases) {
    it(name, () => {
      const env = new Env();
      const c = env.c;
      setReg(c, 'SCR_EL3', 0x401n);
      c.switchElSp(1, 1);
      const s2 = new Tables(env, g, 64 - t0sz, start);
      expect(s2.firstBits).toBeLessThanOrEqual(g - 3 + 4);
      const tg = g === 12 ? 0n : g === 16 ? 1n : 2n;
      setReg(c, 'VTCR_EL2', BigInt(t0sz) | (BigInt(sl0) << 6n) | (tg << 14n) | (5n << 16n) | (1n << 31n));
      setReg(c, 'VTTBR_EL2', BigInt(s2.root) | (3n << 48n));
      setReg(c, 'HCR_EL2', (1n << 31n) | 1n);
      const ipa = (1n << BigInt(63 - t0sz)) + (7n << BigInt(g)); // upper half of the IPA space
      s2.map(ipa, BigInt(DATA), 3, S2_RW);
      const o = env.tr(ipa + 0x24n); // stage 1 off: VA = IPA
      expect(o.pa).toBe(DATA + 0x24);
      const f = env.tr(ipa + (1n << BigInt(g)));
      expect(f.stage2).toBe(true);
      expect(f.fsc).toBe(0x07); // translation fault, level 3
      // beyond the IPA size: stage-2 translation fault, level 0
      if (t0sz > 16) expect(env.tr(1n << BigInt(64 - t0sz)).fsc).toBe(0x04);
    });
  }
});

describe('stage 2: secure state and instruction fetches', () => {
  it('Secure EL1&0 with SCR_EL3.EEL2 walks VSTTBR_EL2/VSTCR_EL2; an NS=1 output uses VTTBR_EL2', () => {
    const { env, s1, s2b } = vmSetup();
    const c = env.c;
    setReg(c, 'SCR_EL3', (1n << 10n) | (1n << 18n)); // RW, EEL2, NS=0
    setReg(c, 'VSTTBR_EL2', BigInt(s2b.root));
    setReg(c, 'VSTCR_EL2', 24n | (1n << 6n));
    mmuOf(c)!.invalidateAll();
    expect(env.tr(0x1000n).pa).toBe(DATA2);
    s1.map(0x1000n, 0x8200_0000n, 3, AF | (1n << 5n)); // NS: non-secure IPA space
    mmuOf(c)!.invalidateAll();
    expect(env.tr(0x1000n).pa).toBe(DATA);
    setReg(c, 'SCR_EL3', 1n << 10n); // EEL2=0: no stage 2 in Secure state
    mmuOf(c)!.invalidateAll();
    // the walk now reads the table IPAs as PAs, where nothing is: external abort on the walk
    const o = env.tr(0x1000n);
    expect(o.fsc).toBe(0x14);
    expect(o.stage2).toBe(false);
  });

  it('an instruction fetch from an IPA stage 2 does not map is an instruction abort to EL2', () => {
    const { env, s1 } = vmSetup();
    const c = env.c;
    s1.map(0x9000n, BigInt(HOLE), 3, AF);
    c.pc = 0x9000n;
    c.runLoop(1);
    expect(c.el).toBe(2);
    const esr = Number(getReg(c, 'ESR_EL2'));
    expect(esr >>> 26).toBe(0x20);
    expect(esr & 0x1ffffff).toBe(0x06);
    expect(getReg(c, 'FAR_EL2')).toBe(0x9000n);
    expect(getReg(c, 'HPFAR_EL2')).toBe(BigInt(HOLE >>> 12) << 4n);
    expect(getReg(c, 'ELR_EL2')).toBe(0x9000n);
  });

  it('a stage-1 instruction abort at EL1 goes to EL1 (XN page)', () => {
    const { env, s1 } = vmSetup();
    const c = env.c;
    s1.map(0xa000n, 0x8200_6000n, 3, AF | (1n << 53n)); // PXN
    c.pc = 0xa000n;
    c.runLoop(1);
    expect(c.el).toBe(1);
    expect(Number(getReg(c, 'ESR_EL1'))).toBe(((0x21 << 26) | (1 << 25) | 0x0f) >>> 0);
    expect(getReg(c, 'FAR_EL1')).toBe(0xa000n);
  });
});

describe('stage 2: hardware flags and HCR_EL2.PTW', () => {
  it('VTCR_EL2.HA sets the stage-2 AF; HD makes a clean DBM block writable on the first write', () => {
    const { env, s2 } = vmSetup();
    const c = env.c;
    const d = s2.map(0x8200_0000n, BigInt(DATA), 2, S2_R | S2_NORMAL_WB | (1n << 51n)); // AF=0, RO, DBM
    setReg(c, 'VTCR_EL2', vtcr() | (1n << 21n) | (1n << 22n));
    const r = env.tr(0x1000n);
    expect(r.pa).toBe(DATA);
    expect(r.canWrite).toBe(false);
    expect(env.r64(d) & AF).toBe(AF);
    expect(env.r64(d) & S2_W).toBe(0n);
    const w = env.tr(0x1000n, Acc.WRITE);
    expect(w.canWrite).toBe(true);
    expect(env.r64(d) & S2_W).toBe(S2_W);
  });

  it('HCR_EL2.PTW: a stage-1 walk access to stage-2 Device memory is a stage-2 permission fault', () => {
    const { env, s2 } = vmSetup();
    const c = env.c;
    // the guest's stage-1 tables live in IPA block 0x8100_0000: make it Device at stage 2
    s2.map(0x8100_0000n, BigInt(RAM_BASE + 0x100_0000), 2, AF | S2_R | S2_W | s2Mem(0));
    expect(env.tr(0x1000n).pa).toBe(DATA);
    setReg(c, 'HCR_EL2', (1n << 31n) | 1n | (1n << 2n));
    mmuOf(c)!.invalidateAll();
    const o = env.tr(0x1000n);
    expect(o.stage2 && o.s1ptw).toBe(true);
    expect(o.fsc).toBe(0x0e);
  });
});

describe('attribute combination', () => {
  it('Device at stage 2 wins over Normal at stage 1; FWB forces Normal WB; CD; DC', () => {
    const { env, s2 } = vmSetup();
    const c = env.c;
    const t = mmuOf(c)!;
    s2.map(0x8200_0000n, BigInt(DATA), 2, AF | S2_R | S2_W | s2Mem(0b0001)); // Device-nGnRE
    t.invalidateAll();
    let o = env.tr(0x1000n);
    expect(o.device).toBe(true);
    expect(o.attr).toBe(0x04);
    // FWB: MemAttr 0b0110 forces Normal Write-Back whatever stage 1 says
    s2.map(0x8200_0000n, BigInt(DATA), 2, AF | S2_R | S2_W | s2Mem(0b0110));
    setReg(c, 'HCR_EL2', (1n << 31n) | 1n | (1n << 46n));
    t.invalidateAll();
    o = env.tr(0x1000n);
    expect(o.device).toBe(false);
    expect(o.attr).toBe(0xff);
    // Normal WB at both stages, HCR_EL2.CD: data accesses Non-cacheable
    s2.map(0x8200_0000n, BigInt(DATA), 2, S2_RW);
    setReg(c, 'HCR_EL2', (1n << 31n) | 1n | (1n << 32n));
    t.invalidateAll();
    expect(env.tr(0x1000n).attr).toBe(0x44);
    expect(env.tr(0x2000n, Acc.EXEC).attr).toBe(0xff);
    // HCR_EL2.DC: stage 1 off, treated as Normal WB; VA = IPA
    setReg(c, 'HCR_EL2', (1n << 31n) | (1n << 12n));
    t.invalidateAll();
    o = env.tr(0x8200_0010n);
    expect(o.pa).toBe(DATA + 0x10);
    expect(o.attr).toBe(0xff);
    expect(o.device).toBe(false);
  });
});

describe('AT and PAR_EL1', () => {
  it('reports success and failure as PAR_EL1 lays them out', () => {
    const { env, s1 } = vmSetup();
    const c = env.c;
    at(c, 'S1E1R', 0x1008, 0);
    // PA = IPA (stage 1 only), SH = Inner (3), NS, bit 11 RES1, ATTR = 0xff
    expect(getReg(c, 'PAR_EL1')).toBe(0xff00_0000_8200_0000n | (3n << 7n) | (1n << 9n) | (1n << 11n));
    at(c, 'S1E1W', 0x5000, 0);
    expect(getReg(c, 'PAR_EL1')).toBe(1n | (0x0fn << 1n) | (1n << 11n)); // permission fault level 3
    at(c, 'S1E0R', 0x1000, 0);
    expect(getReg(c, 'PAR_EL1')).toBe(1n | (0x0fn << 1n) | (1n << 11n)); // AP[1]=0: no EL0 access
    c.switchElSp(2, 1);
    at(c, 'S12E1R', 0x1008, 0);
    expect(getReg(c, 'PAR_EL1')).toBe(0xff00_0000_0000_0000n | BigInt(DATA) | (3n << 7n) | (1n << 9n) | (1n << 11n));
    at(c, 'S12E1R', 0x3000, 0);
    expect(getReg(c, 'PAR_EL1')).toBe(1n | (0x06n << 1n) | (1n << 9n) | (1n << 11n)); // S=1
    s1.set(0x4000_0000n, 2, BigInt(HOLE) | 3n);
    at(c, 'S1E1R', 0x4000_0000, 0);
    expect(getReg(c, 'PAR_EL1')).toBe(1n | (0x06n << 1n) | (1n << 8n) | (1n << 9n) | (1n << 11n)); // PTW, S
    // from EL1 the same stage-2 fault on the walk is taken to EL2 (CM=1, WnR=1, S1PTW=1)
    c.switchElSp(1, 1);
    c.curPcLo = 0x2000;
    setReg(c, 'PAR_EL1', 0x1234000n);
    at(c, 'S1E1R', 0x4000_0000, 0);
    expect(c.el).toBe(2);
    expect(Number(getReg(c, 'ESR_EL2'))).toBe(((0x24 << 26) | (1 << 25) | (1 << 8) | (1 << 7) | (1 << 6) | 0x06) >>> 0);
    expect(getReg(c, 'HPFAR_EL2')).toBe(BigInt(HOLE >>> 12) << 4n);
    expect(getReg(c, 'PAR_EL1')).toBe(0x1234000n);
  });

  it('AT S1E2R / S1E3R with the MMU off: flat, Device-nGnRnE, SH=OSH', () => {
    const env = new Env();
    const c = env.c;
    setReg(c, 'SCR_EL3', 0x401n);
    at(c, 'S1E3R', DATA + 0x10, 0);
    expect(getReg(c, 'PAR_EL1')).toBe(BigInt(DATA) | (2n << 7n) | (1n << 11n));
    c.switchElSp(2, 1);
    at(c, 'S1E2W', DATA, 0);
    expect(getReg(c, 'PAR_EL1')).toBe(BigInt(DATA) | (2n << 7n) | (1n << 9n) | (1n << 11n));
  });
});

describe('TLB and TLBI', () => {
  it('two VMs with different VMIDs share IPA ranges without seeing each other', () => {
    const { env, s2, s2b } = vmSetup();
    const c = env.c;
    env.w64(DATA, 0x1111n);
    env.w64(DATA2, 0x2222n);
    const read = () => {
      ld64(c, 0x1000, 0);
      return c.tmpLo;
    };
    expect(read()).toBe(0x1111);
    setReg(c, 'VTTBR_EL2', BigInt(s2b.root) | (2n << 48n));
    expect(read()).toBe(0x2222);
    setReg(c, 'VTTBR_EL2', BigInt(s2.root) | (1n << 48n));
    expect(read()).toBe(0x1111);
    setReg(c, 'VTTBR_EL2', BigInt(s2b.root) | (2n << 48n));
    expect(read()).toBe(0x2222);
    const ents = mmuOf(c)!.entries().filter((e) => e.vpn === 1);
    expect(ents.map((e) => e.vmid).sort()).toEqual([1, 2]);
  });

  it('a stale translation stays until the right TLBI (ASID, VMID and VA matched exactly)', () => {
    const { env, s1, s2, s2b } = vmSetup();
    const c = env.c;
    env.w64(DATA, 0x1111n);
    env.w64(DATA + 0x40_0000, 0x3333n); // IPA 0x8240_0000 in VM 1
    setReg(c, 'TTBR0_EL1', BigInt(s1.root) | (5n << 48n)); // ASID 5
    s1.map(0x1000n, 0x8200_0000n, 3, AF | NG);
    const read = () => {
      ld64(c, 0x1000, 0);
      return c.tmpLo;
    };
    expect(read()).toBe(0x1111);
    s1.map(0x1000n, 0x8240_0000n, 3, AF | NG); // page-table change without TLBI
    c.tlb.flush(); // the fast TLB is only a cache: the architectural TLB still holds the entry
    expect(read()).toBe(0x1111);
    tlbi(c, 'VAE1IS', 1, 6 << 16, env.m.cpus); // other ASID
    expect(read()).toBe(0x1111);
    tlbi(c, 'VAE1IS', 2, 5 << 16, env.m.cpus); // other page
    expect(read()).toBe(0x1111);
    // VMALLE1 of another VMID leaves VM 1 alone
    c.switchElSp(2, 1);
    setReg(c, 'VTTBR_EL2', BigInt(s2b.root) | (2n << 48n));
    tlbi(c, 'VMALLE1', 0, 0, env.m.cpus);
    setReg(c, 'VTTBR_EL2', BigInt(s2.root) | (1n << 48n));
    c.switchElSp(1, 1);
    expect(read()).toBe(0x1111);
    tlbi(c, 'VAE1IS', 1, 5 << 16, env.m.cpus);
    expect(read()).toBe(0x3333);
  });

  it('ASIDE1 drops non-global entries only; VAAE1 any ASID; ALLE1 every VMID', () => {
    const { env, s1 } = vmSetup();
    const c = env.c;
    const t = mmuOf(c)!;
    setReg(c, 'TTBR0_EL1', BigInt(s1.root) | (7n << 48n));
    s1.map(0x6000n, 0x8200_3000n, 3, AF | NG);
    env.tr(0x6000n);
    env.tr(0x1000n); // global
    const has = (vpn: number) => t.entries().some((e) => e.vpn === vpn);
    expect(has(6) && has(1)).toBe(true);
    tlbi(c, 'ASIDE1', 0, 7 << 16, env.m.cpus);
    expect(has(6)).toBe(false);
    expect(has(1)).toBe(true);
    env.tr(0x6000n);
    tlbi(c, 'VAAE1', 6, 0, env.m.cpus);
    expect(has(6)).toBe(false);
    env.tr(0x6000n);
    c.switchElSp(2, 1);
    tlbi(c, 'ALLE1', 0, 0, env.m.cpus);
    expect(t.entries().length).toBe(0);
  });

  it('TLBI by VA drops a block entry whichever page of the block is named', () => {
    const { env, s1 } = vmSetup();
    const c = env.c;
    env.w64(DATA + 0x1000, 0xaaaan);
    s1.map(0x20_0000n, 0x8200_0000n, 2, AF); // 2 MiB block
    ld64(c, 0x20_1000, 0);
    expect(c.tmpLo).toBe(0xaaaa);
    s1.map(0x20_0000n, 0x8240_0000n, 2, AF);
    c.tlb.flush();
    ld64(c, 0x20_1000, 0);
    expect(c.tmpLo).toBe(0xaaaa);
    tlbi(c, 'VALE1', 0x3ff, 0, env.m.cpus); // last page of the block
    ld64(c, 0x20_1000, 0);
    expect(c.tmpLo).not.toBe(0xaaaa);
  });
});

describe('TLB tags and broadcast', () => {
  it('16-bit ASIDs with TCR_EL1.AS=1, 8-bit otherwise', () => {
    const { env, s1 } = vmSetup();
    const c = env.c;
    const t = mmuOf(c)!;
    s1.map(0x6000n, 0x8200_3000n, 3, AF | NG);
    setReg(c, 'TCR_EL1', tcr1(12, 16, 1n << 36n)); // AS
    setReg(c, 'TTBR0_EL1', BigInt(s1.root) | (0x1205n << 48n));
    env.tr(0x6000n);
    expect(t.entries().find((e) => e.vpn === 6)!.asid).toBe(0x1205);
    tlbi(c, 'ASIDE1', 0, 0x0205 << 16, env.m.cpus);
    expect(t.entries().some((e) => e.vpn === 6)).toBe(true);
    tlbi(c, 'ASIDE1', 0, 0x1205 << 16, env.m.cpus);
    expect(t.entries().some((e) => e.vpn === 6)).toBe(false);
    setReg(c, 'TCR_EL1', tcr1(12, 16)); // AS=0: ASID = TTBR0_EL1[55:48]
    env.tr(0x6000n);
    expect(t.entries().find((e) => e.vpn === 6)!.asid).toBe(0x05);
  });

  it('16-bit VMIDs with VTCR_EL2.VS=1', () => {
    const { env, s2 } = vmSetup();
    const c = env.c;
    const t = mmuOf(c)!;
    setReg(c, 'VTCR_EL2', vtcr() | (1n << 19n));
    setReg(c, 'VTTBR_EL2', BigInt(s2.root) | (0x0101n << 48n));
    env.tr(0x1000n);
    setReg(c, 'VTTBR_EL2', BigInt(s2.root) | (0x0001n << 48n));
    env.tr(0x1000n);
    expect(t.entries().filter((e) => e.vpn === 1).map((e) => e.vmid).sort((a, b) => a - b)).toEqual([1, 0x101]);
    tlbi(c, 'VMALLE1', 0, 0, env.m.cpus); // current VMID 1 only
    expect(t.entries().filter((e) => e.vpn === 1).map((e) => e.vmid)).toEqual([0x101]);
  });

  it('IPAS2E1 leaves combined entries (VMALLS12E1 is needed), as the architecture allows', () => {
    const { env, s2 } = vmSetup();
    const c = env.c;
    env.w64(DATA, 0x1111n);
    env.w64(DATA + 0x40_0000, 0x3333n);
    ld64(c, 0x1000, 0);
    expect(c.tmpLo).toBe(0x1111);
    s2.map(0x8200_0000n, BigInt(DATA + 0x40_0000), 2, S2_RW);
    c.switchElSp(2, 1);
    tlbi(c, 'IPAS2E1IS', 0x82000, 0, env.m.cpus);
    c.switchElSp(1, 1);
    ld64(c, 0x1000, 0);
    expect(c.tmpLo).toBe(0x1111);
    c.switchElSp(2, 1);
    tlbi(c, 'VMALLS12E1IS', 0, 0, env.m.cpus);
    c.switchElSp(1, 1);
    ld64(c, 0x1000, 0);
    expect(c.tmpLo).toBe(0x3333);
  });

  it('the stage-2 TLB serves new walks until IPAS2E1 names the IPA', () => {
    const { env, s1, s2 } = vmSetup();
    const c = env.c;
    const read = (va: number) => {
      ld64(c, va, 0);
      return c.tmpLo;
    };
    env.w64(DATA, 0x1111n);
    env.w64(DATA + 0x40_0000, 0x3333n);
    expect(read(0x1000)).toBe(0x1111); // caches IPA block 0x8200_0000 at stage 2
    s1.map(0x6000n, 0x8200_0000n, 3, AF);
    s1.map(0x7000n, 0x8200_0000n, 3, AF);
    s2.map(0x8200_0000n, BigInt(DATA + 0x40_0000), 2, S2_RW); // remap without maintenance
    expect(read(0x6000)).toBe(0x1111); // new stage-1 walk, stale stage-2 entry
    expect(mmuOf(c)!.s2Entries().some((e) => e.ipaPage === 0x82000 && e.vmid === 1)).toBe(true);
    c.switchElSp(2, 1);
    tlbi(c, 'IPAS2E1IS', 0x82123, 0, env.m.cpus); // any page of the 2 MiB block
    c.switchElSp(1, 1);
    expect(read(0x7000)).toBe(0x3333); // new walk, new stage-2 entry
    expect(read(0x6000)).toBe(0x1111); // its combined entry survives until VMALLE1
    tlbi(c, 'VMALLE1', 0, 0, env.m.cpus);
    expect(read(0x6000)).toBe(0x3333);
  });

  it('turning stage 1 off and on never mixes VA=IPA results with stage-1 entries', () => {
    const { env } = vmSetup();
    const c = env.c;
    expect(env.tr(0x1000n).pa).toBe(DATA); // stage-1 entry for VA 0x1000
    setReg(c, 'SCTLR_EL1', 0x30d00800n); // MMU off: VA = IPA
    expect(env.tr(0x8200_0000n).pa).toBe(DATA);
    expect(env.tr(0x1000n).stage2).toBe(true); // IPA 0x1000 is not mapped at stage 2
    setReg(c, 'SCTLR_EL1', 0x30d01805n);
    expect(env.tr(0x1000n).pa).toBe(DATA);
    expect(env.tr(0x8200_0000n).fsc).toBe(0x05); // stage-1 level-1 hole for that VA, no VA=IPA entry
  });

  it('IS forms reach every CPU, local forms only the executing one', () => {
    const { env } = vmSetup();
    const [c0, c1] = env.m.cpus;
    for (const n of ['SCR_EL3', 'VTCR_EL2', 'VTTBR_EL2', 'HCR_EL2', 'MAIR_EL1', 'TCR_EL1', 'TTBR0_EL1', 'SCTLR_EL1']) setReg(c1, n, getReg(c0, n));
    c1.switchElSp(1, 1);
    const out = new (env.tr(0n).constructor as new () => import('../../src/mmu/translate').TransOut)();
    for (const c of [c0, c1]) c.translator.translate(0x1000, 0, Acc.READ, false, out);
    const n1 = () => mmuOf(c1)!.entries().filter((e) => e.vpn === 1).length;
    expect(n1()).toBe(1);
    tlbi(c0, 'VAAE1', 1, 0, env.m.cpus);
    expect(n1()).toBe(1);
    tlbi(c0, 'VAAE1IS', 1, 0, env.m.cpus);
    expect(n1()).toBe(0);
  });

  it('AT S12E0R checks EL0 permissions through both stages', () => {
    const { env, s1 } = vmSetup();
    const c = env.c;
    s1.map(0x8000n, 0x8200_5000n, 3, AF | 0x40n); // AP[1]: EL0 RW
    c.switchElSp(2, 1);
    at(c, 'S12E0R', 0x8010, 0);
    expect(getReg(c, 'PAR_EL1')).toBe(0xff00_0000_0000_0000n | BigInt(DATA + 0x5000) | (1n << 9n) | (1n << 11n));
    at(c, 'S12E0W', 0x1000, 0);
    expect(getReg(c, 'PAR_EL1') & 0xfffn).toBe(1n | (0x0fn << 1n) | (1n << 11n));
  });
});

describe('debugger translation', () => {
  it('reports every descriptor of both stages, without A/D updates or TLB fills', () => {
    const { env, s1 } = vmSetup();
    const c = env.c;
    setReg(c, 'TCR_EL1', tcr1(12, 16, 1n << 39n)); // HA
    const d = s1.map(0x7000n, 0x8200_4000n, 3, 0n); // AF=0
    const t = mmuOf(c)!;
    const before = t.entries().length;
    const r = debugTranslate(c, 0x7010n, { kind: 'va' });
    expect(r.ok).toBe(true);
    expect(r.pa).toBe(BigInt(DATA + 0x4010));
    expect(r.ipa).toBe(0x8200_4010n);
    // 4 stage-1 levels, each descriptor IPA through 2 stage-2 levels, then the output IPA
    expect(r.steps.length).toBe(4 * 3 + 2);
    const s1steps = r.steps.filter((s) => s.stage === 1);
    expect(s1steps.map((s) => s.level)).toEqual([0, 1, 2, 3]);
    expect(s1steps[3].descriptor).toBe(0x8200_4000n | 3n);
    expect(s1steps[3].tableAddr).toBe(BigInt(d));
    expect(r.attrs).toContain('Normal WB');
    expect(env.r64(d) & AF).toBe(0n);
    expect(t.entries().length).toBe(before);
    const ipa = debugTranslate(c, 0x8200_0010n, { kind: 'ipa' });
    expect(ipa.pa).toBe(BigInt(DATA + 0x10));
    expect(ipa.steps.map((s) => s.level)).toEqual([1, 2]);
    const f = debugTranslate(c, 0x3000n, { kind: 'va' });
    expect(f.ok).toBe(false);
    expect(f.fault).toBe('stage 2 translation fault level 2');
  });

  it('walks EL1&0 of a VMID that is not current while stopped at EL2', () => {
    const { env, s2, s2b } = vmSetup();
    const c = env.c;
    env.w64(DATA2, 0x2222n);
    setReg(c, 'VTTBR_EL2', BigInt(s2b.root) | (2n << 48n)); // VM 2 ran once
    setReg(c, 'VTTBR_EL2', BigInt(s2.root) | (1n << 48n));
    c.switchElSp(2, 1);
    const r = debugTranslate(c, 0x1000n, { kind: 'va-regime', el: 1, vmid: 2 });
    expect(r.pa).toBe(BigInt(DATA2));
    expect(r.notes?.join(' ')).toContain('VMID 2');
    expect(debugRead(c, 0x1000n, 8, { kind: 'va-regime', el: 1, vmid: 2 })![0]).toBe(0x22);
    expect(getReg(c, 'VTTBR_EL2') >> 48n).toBe(1n);
  });
});

describe('speed', () => {
  it('a memory-copy loop with the MMU on stays within 1.5x of MMU off', () => {
    const env = new Env();
    const c = env.c;
    setReg(c, 'SCR_EL3', 0x401n);
    c.switchElSp(1, 1);
    // identity map RAM with 2 MiB blocks
    const t = new Tables(env, 12, 48);
    for (let i = 0; i < 32; i++) t.map(BigInt(RAM_BASE + i * 0x20_0000), BigInt(RAM_BASE + i * 0x20_0000), 2, AF | attrIdx(0));
    setReg(c, 'MAIR_EL1', MAIR);
    setReg(c, 'TCR_EL1', tcr1(12, 16));
    setReg(c, 'TTBR0_EL1', BigInt(t.root));
    const code = RAM_BASE + 0x10_0000;
    env.m.bus.loadBytes(code, words(0xf8408423, 0xf8008443, 0xf1000484, 0x54ffffa1, 0x14000000));
    const N = 65536; // 512 KiB per copy
    const once = (mmu: boolean) => {
      setReg(c, 'SCTLR_EL1', mmu ? 0x30d01805n : 0x30d00800n);
      c.setX(1, BigInt(RAM_BASE + 0x80_0000));
      c.setX(2, BigInt(RAM_BASE + 0xa0_0000)); // not 4 MiB apart: the fast TLB is direct-mapped (1024 pages)
      c.setX(4, BigInt(N));
      c.pc = BigInt(code);
      const t0 = performance.now();
      c.runLoop(4 * N);
      const dt = performance.now() - t0;
      expect(c.getX(4)).toBe(0n);
      return dt;
    };
    // interleaved, best of 9 each: the machine may be busy with other work
    let off = Infinity;
    let on = Infinity;
    for (let k = 0; k < 9; k++) {
      off = Math.min(off, once(false));
      on = Math.min(on, once(true));
    }
    console.log(`memcpy ${(4 * N) / 1000}k insns: MMU off ${off.toFixed(2)} ms, MMU on ${on.toFixed(2)} ms (x${(on / off).toFixed(2)})`);
    expect(on).toBeLessThan(off * 1.5 + 1);
  });
});
