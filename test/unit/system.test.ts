// System instructions through the table: MRS/MSR, traps with exact syndromes, VHE, exception
// generation, ERET, WFI, DC ZVA, FP access traps. Programs are hand-encoded words run from RAM.
import { describe, it, expect } from 'vitest';
import { Machine, RAM_BASE } from '../../src/machine/machine';
import type { Cpu } from '../../src/cpu/cpu';
import { R } from '../../src/sysregs/table';
import type { Translator, TransOut } from '../../src/mmu/translate';

// ---- encoders (Arm ARM C6.2)
type Enc = [number, number, number, number, number];
const sysregField = ([op0, op1, crn, crm, op2]: Enc) => ((op0 - 2) << 19) | (op1 << 16) | (crn << 12) | (crm << 8) | (op2 << 5);
const MRS = (rt: number, e: Enc) => (0xd5300000 | sysregField(e) | rt) >>> 0;
const MSR = (e: Enc, rt: number) => (0xd5100000 | sysregField(e) | rt) >>> 0;
const SVC = (imm: number) => (0xd4000001 | (imm << 5)) >>> 0;
const HVC = (imm: number) => (0xd4000002 | (imm << 5)) >>> 0;
const SMC = (imm: number) => (0xd4000003 | (imm << 5)) >>> 0;
const BRK = (imm: number) => (0xd4200000 | (imm << 5)) >>> 0;
const HLT = (imm: number) => (0xd4400000 | (imm << 5)) >>> 0;
const ERET = 0xd69f03e0;
const WFI = 0xd503207f;
const NOP = 0xd503201f;
const DAIFSET = (imm: number) => (0xd50340df | (imm << 8)) >>> 0;
const DAIFCLR = (imm: number) => (0xd50340ff | (imm << 8)) >>> 0;
const DC_ZVA = (rt: number) => (0xd50b7420 | rt) >>> 0;
const FADD_D = 0x1e622820; // fadd d0, d1, d2

const E = {
  TPIDR_EL1: [3, 0, 13, 0, 4] as Enc,
  HCR_EL2: [3, 4, 1, 1, 0] as Enc,
  ID_AA64MMFR0_EL1: [3, 0, 0, 7, 0] as Enc,
  SCTLR_EL1: [3, 0, 1, 0, 0] as Enc,
  SCTLR_EL12: [3, 5, 1, 0, 0] as Enc,
  MIDR_EL1: [3, 0, 0, 0, 0] as Enc,
  MPIDR_EL1: [3, 0, 0, 0, 5] as Enc,
  TTBR0_EL1: [3, 0, 2, 0, 0] as Enc,
  CNTPCT_EL0: [3, 3, 14, 0, 1] as Enc,
  VTTBR_EL2: [3, 4, 2, 1, 0] as Enc,
  CurrentEL: [3, 0, 4, 2, 2] as Enc,
};

const VBAR1 = RAM_BASE + 0x10000;
const VBAR2 = RAM_BASE + 0x20000;
const VBAR3 = RAM_BASE + 0x30000;
const CODE = RAM_BASE + 0x1000;

/** A machine with EL3 vectors/EL2/EL1 vectors in RAM, non-secure (SCR_EL3.NS, HCE), at `el`h. */
function setup(el: number, words: number[], opts: { scr?: number; hcr?: bigint } = {}): { m: Machine; c: Cpu } {
  const m = new Machine({ ramMiB: 4 });
  const c = m.cpus[0];
  const b = new Uint8Array(words.length * 4);
  const dv = new DataView(b.buffer);
  words.forEach((w, i) => dv.setUint32(i * 4, w >>> 0, true));
  m.bus.loadBytes(CODE, b);
  c.sysSet(R.VBAR_EL1, BigInt(VBAR1));
  c.sysSet(R.VBAR_EL2, BigInt(VBAR2));
  c.sysSet(R.VBAR_EL3, BigInt(VBAR3));
  c.sysSet(R.SCR_EL3, BigInt(opts.scr ?? 0x501)); // NS, HCE, RW
  c.sysSet(R.HCR_EL2, (1n << 31n) | (opts.hcr ?? 0n));
  c.setPstate(0x3c0 | (el << 2) | (el ? 1 : 0));
  c.pc = BigInt(CODE);
  return { m, c };
}
const esr = (c: Cpu, el: number) => Number(c.sysGet([0, R.ESR_EL1, R.ESR_EL2, R.ESR_EL3][el]));
const elr = (c: Cpu, el: number) => c.sysGet([0, R.ELR_EL1, R.ELR_EL2, R.ELR_EL3][el]);
const vec = (el: number, lower: boolean) => BigInt([0, VBAR1, VBAR2, VBAR3][el] + (lower ? 0x400 : 0x200));

describe('MRS/MSR through the table', () => {
  it('round-trips TPIDR_EL1 at EL1', () => {
    const { c } = setup(1, [MSR(E.TPIDR_EL1, 1), MRS(2, E.TPIDR_EL1)]);
    c.setX(1, 0x1234_5678_9abc_def0n);
    c.runLoop(2);
    expect(c.getX(2)).toBe(0x1234_5678_9abc_def0n);
    expect(c.sysGet(R.TPIDR_EL1)).toBe(0x1234_5678_9abc_def0n);
  });

  it('EL2 register from EL1 is UNDEFINED (EC 0x00 at EL1)', () => {
    const { c } = setup(1, [MRS(0, E.HCR_EL2)]);
    c.runLoop(1);
    expect(c.el).toBe(1);
    expect(c.pc).toBe(vec(1, false));
    expect(esr(c, 1)).toBe(0x0200_0000);
    expect(elr(c, 1)).toBe(BigInt(CODE));
  });

  it('EL3 register from EL2 and EL1 register from EL0 are UNDEFINED', () => {
    const a = setup(2, [MRS(0, [3, 6, 1, 1, 0])]);
    a.c.runLoop(1);
    expect(a.c.el).toBe(2);
    expect(esr(a.c, 2) >>> 26).toBe(0);
    const b = setup(0, [MRS(0, E.TPIDR_EL1)]);
    b.c.runLoop(1);
    expect(b.c.el).toBe(1);
    expect(b.c.pc).toBe(vec(1, true));
    expect(esr(b.c, 1) >>> 26).toBe(0);
  });

  it('HCR_EL2.TID3 traps MRS x3, ID_AA64MMFR0_EL1 to EL2 with the full ISS', () => {
    const { c } = setup(1, [MRS(3, E.ID_AA64MMFR0_EL1)], { hcr: 1n << 18n });
    c.runLoop(1);
    expect(c.el).toBe(2);
    expect(c.pc).toBe(vec(2, true));
    // EC 0x18, IL, Op0=3 Op2=0 Op1=0 CRn=0 Rt=3 CRm=7 Direction=1 (read)
    expect(esr(c, 2)).toBe(0x6230_006f);
    expect(elr(c, 2)).toBe(BigInt(CODE));
  });

  it('without TID3 the ID register reads the implemented features', () => {
    const { c } = setup(1, [MRS(3, E.ID_AA64MMFR0_EL1), MRS(4, [3, 0, 0, 4, 0])]);
    c.runLoop(2);
    expect(c.getX(3) & 0xfn).toBe(5n); // PARange 48 bits
    expect((c.getX(3) >> 4n) & 0xfn).toBe(2n); // 16-bit ASID
    const pfr0 = c.getX(4);
    expect(pfr0 & 0xffffn).toBe(0x1111n); // EL0..EL3 AArch64 only
    expect((pfr0 >> 16n) & 0xffn).toBe(0x11n); // FP and AdvSIMD with half precision (FEAT_FP16)
    expect((pfr0 >> 24n) & 0xfn).toBe(1n); // GIC system registers
    expect((pfr0 >> 36n) & 0xfn).toBe(1n); // SEL2
  });

  it('HCR_EL2.TVM traps a write of TTBR0_EL1 (Rt=5, direction 0)', () => {
    const { c } = setup(1, [MSR(E.TTBR0_EL1, 5)], { hcr: 1n << 26n });
    c.runLoop(1);
    expect(c.el).toBe(2);
    const iss = (3 << 20) | (0 << 17) | (0 << 14) | (2 << 10) | (5 << 5) | (0 << 1) | 0;
    expect(esr(c, 2)).toBe((0x18 << 26) | (1 << 25) | iss);
  });

  it('HCR_EL2.NV traps an EL2 register access from EL1 (EC 0x18), and CurrentEL reads EL2', () => {
    const { c } = setup(1, [MRS(1, E.CurrentEL), MRS(2, E.VTTBR_EL2)], { hcr: 1n << 42n });
    c.runLoop(2);
    expect(c.getX(1)).toBe(8n);
    expect(c.el).toBe(2);
    expect(esr(c, 2) >>> 26).toBe(0x18);
  });

  it('NV2: MRS/MSR of VNCR-backed EL2 registers at EL1 become accesses to the VNCR page', () => {
    const page = RAM_BASE + 0x40000;
    const { m, c } = setup(1, [MRS(1, E.HCR_EL2), MSR(E.VTTBR_EL2, 2), MRS(3, E.SCTLR_EL12)], { hcr: (1n << 42n) | (1n << 45n) });
    c.sysSet(R.VNCR_EL2, BigInt(page));
    const b = new Uint8Array(8);
    new DataView(b.buffer).setBigUint64(0, 0x5600_0000_0000_0078n, true);
    m.bus.loadBytes(page + 0x78, b);
    new DataView(b.buffer).setBigUint64(0, 0x5600_0000_0000_0110n, true);
    m.bus.loadBytes(page + 0x110, b);
    c.setX(2, 0x1234n);
    c.runLoop(3);
    expect(c.el).toBe(1);
    expect(c.getX(1)).toBe(0x5600_0000_0000_0078n);
    expect(m.bus.read(page + 0x20, 4, 0)).toBe(0x1234);
    expect(c.getX(3)).toBe(0x5600_0000_0000_0110n);
    expect(c.sysGet(R.VTTBR_EL2)).toBe(0n);
  });

  it('NV2 with NV1 = 0: EL2 registers with an EL1 counterpart are redirected to it (ESR_EL2 → ESR_EL1)', () => {
    const { c } = setup(1, [MSR([3, 4, 5, 2, 0], 1), MRS(2, [3, 4, 6, 0, 0])], { hcr: (1n << 42n) | (1n << 45n) });
    c.sysSet(R.VNCR_EL2, BigInt(RAM_BASE + 0x40000));
    c.sysSet(R.FAR_EL1, 0xfa0n);
    c.setX(1, 0x9600_0045n);
    c.runLoop(2);
    expect(c.el).toBe(1);
    expect(c.sysGet(R.ESR_EL1)).toBe(0x9600_0045n);
    expect(c.sysGet(R.ESR_EL2)).toBe(0n);
    expect(c.getX(2)).toBe(0xfa0n);
  });

  it('CNTHCTL_EL2.EL1PCTEN = 0 traps CNTPCT_EL0 from EL1', () => {
    const { c } = setup(1, [MRS(0, E.CNTPCT_EL0)]);
    c.sysSet(R.CNTHCTL_EL2, 0n);
    c.runLoop(1);
    expect(c.el).toBe(2);
    expect(esr(c, 2) >>> 26).toBe(0x18);
  });

  it('ICC_SGI1R_EL1 writes from EL1 trap to EL2 when HCR_EL2.IMO routes IRQs there', () => {
    const { c } = setup(1, [MSR([3, 0, 12, 11, 5], 7)], { hcr: 1n << 4n });
    c.runLoop(1);
    expect(c.el).toBe(2);
    const iss = (3 << 20) | (5 << 17) | (0 << 14) | (12 << 10) | (7 << 5) | (11 << 1) | 0;
    expect(esr(c, 2)).toBe(((0x18 << 26) | (1 << 25) | iss) >>> 0);
  });

  it('EL0 CNTVCT_EL0 needs CNTKCTL_EL1.EL0VCTEN (trap to EL1), and reads with it', () => {
    const a = setup(0, [MRS(1, [3, 3, 14, 0, 2])]);
    a.c.runLoop(1);
    expect(a.c.el).toBe(1);
    expect(esr(a.c, 1) >>> 26).toBe(0x18);
    const b = setup(0, [MRS(1, [3, 3, 14, 0, 2])]);
    b.c.sysSet(R.CNTKCTL_EL1, 2n);
    b.c.runLoop(1);
    expect(b.c.el).toBe(0);
  });

  it('VPIDR_EL2 / VMPIDR_EL2 supply MIDR_EL1 / MPIDR_EL1 at EL1', () => {
    const { c } = setup(1, [MRS(1, E.MIDR_EL1), MRS(2, E.MPIDR_EL1)]);
    c.sysSet(R.VPIDR_EL2, 0x411fd070n);
    c.sysSet(R.VMPIDR_EL2, 0x80000003n);
    c.runLoop(2);
    expect(c.getX(1)).toBe(0x411fd070n);
    expect(c.getX(2)).toBe(0x80000003n);
    const e2 = setup(2, [MRS(1, E.MIDR_EL1)]);
    e2.c.sysSet(R.VPIDR_EL2, 0x411fd070n);
    e2.c.runLoop(1);
    expect(e2.c.getX(1)).toBe(0x410fd400n);
  });
});

describe('VHE', () => {
  it('with E2H=1 at EL2, SCTLR_EL1 reaches SCTLR_EL2 and SCTLR_EL12 reaches SCTLR_EL1', () => {
    const { c } = setup(2, [MSR(E.SCTLR_EL1, 1), MSR(E.SCTLR_EL12, 2), MRS(3, E.SCTLR_EL1), MRS(4, E.SCTLR_EL12)], { hcr: 1n << 34n });
    c.setX(1, 0x30c5_0838n);
    c.setX(2, 0x30d0_0805n);
    c.runLoop(4);
    expect(c.sysGet(R.SCTLR_EL2)).toBe(0x30c5_0838n);
    expect(c.sysGet(R.SCTLR_EL1)).toBe(0x30d0_0805n);
    expect(c.getX(3)).toBe(0x30c5_0838n);
    expect(c.getX(4)).toBe(0x30d0_0805n);
  });

  it('SCTLR_EL12 without E2H is UNDEFINED; from EL1 with NV it traps to EL2', () => {
    const a = setup(2, [MRS(0, E.SCTLR_EL12)]);
    a.c.runLoop(1);
    expect(esr(a.c, 2) >>> 26).toBe(0);
    const b = setup(1, [MRS(0, E.SCTLR_EL12)], { hcr: 1n << 42n });
    b.c.runLoop(1);
    expect(b.c.el).toBe(2);
    expect(esr(b.c, 2) >>> 26).toBe(0x18);
  });
});

describe('MSR immediate, hints', () => {
  it('DAIFSet / DAIFClr', () => {
    const { c } = setup(1, [DAIFCLR(0xf), DAIFSET(0x2), MRS(1, [3, 3, 4, 2, 1])]);
    c.runLoop(3);
    expect(c.daif).toBe(0x2);
    expect(c.getX(1)).toBe(0x80n); // DAIF view: I = bit 7
  });

  it('DAIFSet at EL0 with SCTLR_EL1.UMA = 0 traps to EL1 (EC 0x18, op0 = 0)', () => {
    const { c } = setup(0, [DAIFSET(0x2)]);
    c.runLoop(1);
    expect(c.el).toBe(1);
    expect(esr(c, 1) >>> 26).toBe(0x18);
    expect((esr(c, 1) >>> 20) & 3).toBe(0);
  });

  it('WFI with nothing pending halts the CPU after the instruction', () => {
    const { c } = setup(1, [WFI, NOP]);
    c.runLoop(5);
    expect(c.halted).toBe(true);
    expect(c.pc).toBe(BigInt(CODE + 4));
  });

  it('HCR_EL2.TWI traps WFI from EL1 (EC 0x01, CV=1 COND=0xE TI=0)', () => {
    const { c } = setup(1, [WFI], { hcr: 1n << 13n });
    c.runLoop(1);
    expect(c.el).toBe(2);
    expect(esr(c, 2)).toBe(((0x01 << 26) | (1 << 25) | 0x01e0_0000) >>> 0);
    expect(c.halted).toBe(false);
  });
});

describe('exception generation and return', () => {
  it('SVC from EL0 goes to EL1 with the immediate; ELR = next instruction', () => {
    const { c } = setup(0, [SVC(0x42)]);
    c.runLoop(1);
    expect(c.el).toBe(1);
    expect(c.pc).toBe(vec(1, true));
    expect(esr(c, 1)).toBe(((0x15 << 26) | (1 << 25) | 0x42) >>> 0);
    expect(elr(c, 1)).toBe(BigInt(CODE + 4));
    expect(Number(c.sysGet(R.SPSR_EL1)) & 0xf).toBe(0);
  });

  it('SVC from EL0 with HCR_EL2.TGE goes to EL2', () => {
    const { c } = setup(0, [SVC(1)], { hcr: 1n << 27n });
    c.runLoop(1);
    expect(c.el).toBe(2);
    expect(esr(c, 2) >>> 26).toBe(0x15);
  });

  it('HVC from EL1 goes to EL2; UNDEFINED at EL0 and when SCR_EL3.HCE = 0', () => {
    const a = setup(1, [HVC(0x1234)]);
    a.c.runLoop(1);
    expect(a.c.el).toBe(2);
    expect(esr(a.c, 2)).toBe(((0x16 << 26) | (1 << 25) | 0x1234) >>> 0);
    expect(elr(a.c, 2)).toBe(BigInt(CODE + 4));
    const b = setup(1, [HVC(0)], { scr: 0x401 });
    b.c.runLoop(1);
    expect(b.c.el).toBe(1);
    expect(esr(b.c, 1) >>> 26).toBe(0);
    const z = setup(0, [HVC(0)]);
    z.c.runLoop(1);
    expect(esr(z.c, 1) >>> 26).toBe(0);
  });

  it('HVC from EL1 with HCR_EL2.HCD = 1 is UNDEFINED', () => {
    const { c } = setup(1, [HVC(1)], { hcr: 1n << 29n });
    c.runLoop(1);
    expect(c.el).toBe(1);
    expect(esr(c, 1) >>> 26).toBe(0);
  });

  it('the board answers PSCI over HVC/SMC when its hook says so', () => {
    const { c } = setup(1, [HVC(0), NOP]);
    c.env = { ...c.env, psci: (cpu, conduit) => (cpu.setX(0, conduit === 'hvc' ? 7n : 0n), true) };
    c.runLoop(1);
    expect(c.el).toBe(1);
    expect(c.getX(0)).toBe(7n);
    expect(c.pc).toBe(BigInt(CODE + 4));
  });

  it('SMC: HCR_EL2.TSC traps to EL2 (EC 0x17, ELR = the SMC); otherwise EL3 with ELR = next; SMD → UNDEFINED', () => {
    const a = setup(1, [SMC(5)], { hcr: 1n << 19n });
    a.c.runLoop(1);
    expect(a.c.el).toBe(2);
    expect(esr(a.c, 2)).toBe(((0x17 << 26) | (1 << 25) | 5) >>> 0);
    expect(elr(a.c, 2)).toBe(BigInt(CODE));
    const b = setup(1, [SMC(6)]);
    b.c.runLoop(1);
    expect(b.c.el).toBe(3);
    expect(b.c.pc).toBe(vec(3, true));
    expect(esr(b.c, 3)).toBe(((0x17 << 26) | (1 << 25) | 6) >>> 0);
    expect(elr(b.c, 3)).toBe(BigInt(CODE + 4));
    const u = setup(1, [SMC(0)], { scr: 0x581 });
    u.c.runLoop(1);
    expect(u.c.el).toBe(1);
    expect(esr(u.c, 1) >>> 26).toBe(0);
  });

  it('BRK: EC 0x3C with the immediate, ELR = the BRK; HLT is UNDEFINED', () => {
    const { c } = setup(1, [BRK(0x3e8)]);
    c.runLoop(1);
    expect(esr(c, 1)).toBe(((0x3c << 26) | (1 << 25) | 0x3e8) >>> 0);
    expect(elr(c, 1)).toBe(BigInt(CODE));
    const h = setup(1, [HLT(1)]);
    h.c.runLoop(1);
    expect(esr(h.c, 1) >>> 26).toBe(0);
  });

  it('ERET from EL2 to EL1h restores PSTATE, PC and banks SP', () => {
    const { c } = setup(2, [ERET]);
    c.sysSet(R.SPSR_EL2, 0x6000_03c5n); // Z C set, DAIF masked, EL1h
    c.sysSet(R.ELR_EL2, BigInt(CODE + 0x100));
    c.setSpEl(1, 0x4000_8000n);
    c.sp = 0x4000_9000n; // SP_EL2
    c.runLoop(1);
    expect(c.el).toBe(1);
    expect(c.spSel).toBe(1);
    expect(c.pc).toBe(BigInt(CODE + 0x100));
    expect(c.z).toBe(1);
    expect(c.cf).toBe(1);
    expect(c.sp).toBe(0x4000_8000n);
    expect(c.getSpEl(2)).toBe(0x4000_9000n);
  });

  it('ERET to EL0t uses SP_EL0; ERET at EL0 is UNDEFINED', () => {
    const { c } = setup(1, [ERET]);
    c.sysSet(R.SPSR_EL1, 0x0n);
    c.sysSet(R.ELR_EL1, BigInt(CODE + 8));
    c.setSpEl(0, 0x1000n);
    c.runLoop(1);
    expect(c.el).toBe(0);
    expect(c.sp).toBe(0x1000n);
    const z = setup(0, [ERET]);
    z.c.runLoop(1);
    expect(z.c.el).toBe(1);
    expect(esr(z.c, 1) >>> 26).toBe(0);
  });

  it('an illegal return (to a higher EL) sets PSTATE.IL; the next instruction takes EC 0x0E', () => {
    const { c } = setup(1, [ERET, NOP, NOP]);
    c.sysSet(R.SPSR_EL1, 0x3c9n); // EL2h from EL1: illegal
    c.sysSet(R.ELR_EL1, BigInt(CODE + 4));
    c.runLoop(1);
    expect(c.el).toBe(1);
    expect(c.il).toBe(1);
    expect(c.pc).toBe(BigInt(CODE + 4));
    c.runLoop(1);
    expect(c.il).toBe(0);
    expect(esr(c, 1)).toBe(((0x0e << 26) | (1 << 25)) >>> 0);
    expect(elr(c, 1)).toBe(BigInt(CODE + 4));
    expect((Number(c.sysGet(R.SPSR_EL1)) >>> 20) & 1).toBe(1);
  });

  it('HCR_EL2.NV traps ERET from EL1 (EC 0x1A)', () => {
    const { c } = setup(1, [ERET], { hcr: 1n << 42n });
    c.runLoop(1);
    expect(c.el).toBe(2);
    expect(esr(c, 2)).toBe(((0x1a << 26) | (1 << 25)) >>> 0);
  });
});

/** Identity translation with Normal memory for data (MMU-on-like), for DC ZVA. */
function normalTranslator(): Translator {
  return {
    translate(lo: number, hi: number, _acc: number, _u: boolean, out: TransOut): boolean {
      out.pa = hi * 0x1_0000_0000 + lo;
      out.device = false;
      out.canRead = out.canWrite = out.canExec = true;
      out.stage2 = out.s1ptw = out.external = false;
      out.fsc = 0;
      out.attr = 0xff;
      return true;
    },
    contextKey: () => 'test-normal',
  };
}

describe('cache maintenance', () => {
  it('DC ZVA zeroes the aligned 64-byte block and nothing else', () => {
    const { m, c } = setup(1, [DC_ZVA(1)]);
    c.translator = normalTranslator();
    c.contextChanged();
    const base = RAM_BASE + 0x8000;
    m.bus.loadBytes(base - 64, new Uint8Array(192).fill(0xaa));
    c.setX(1, BigInt(base + 0x13));
    c.runLoop(1);
    expect(c.abort).toBe(false);
    const rd = (a: number) => m.bus.read(a, 1, 0);
    for (let k = 0; k < 64; k++) expect(rd(base + k)).toBe(0);
    expect(rd(base - 1)).toBe(0xaa);
    expect(rd(base + 64)).toBe(0xaa);
  });

  it('DC ZVA on Device memory (MMU off) takes an alignment fault; HCR_EL2.TDZ traps it', () => {
    const { c } = setup(1, [DC_ZVA(1)]);
    c.setX(1, BigInt(RAM_BASE + 0x8010));
    c.runLoop(1);
    expect(esr(c, 1) >>> 26).toBe(0x25);
    expect(esr(c, 1) & 0x3f).toBe(0x21);
    expect(c.sysGet(R.FAR_EL1)).toBe(BigInt(RAM_BASE + 0x8000));
    const t = setup(1, [DC_ZVA(1)], { hcr: 1n << 28n });
    t.c.runLoop(1);
    expect(t.c.el).toBe(2);
    expect(esr(t.c, 2) >>> 26).toBe(0x18);
    expect((esr(t.c, 2) >>> 20) & 3).toBe(1);
  });
});

describe('GIC registers with a GIC attached', () => {
  it('list registers beyond ICH_VTR_EL2.ListRegs and AP1R1 (5 priority bits) are UNDEFINED', async () => {
    const { attachGicAndTimers } = await import('../../src/gic/attach');
    const { m, c } = setup(2, [MRS(1, [3, 4, 12, 12, 3]), MRS(2, [3, 4, 12, 12, 4])]);
    attachGicAndTimers(m);
    c.runLoop(1);
    expect(c.pc).toBe(BigInt(CODE + 4));
    c.runLoop(1);
    expect(c.pc).toBe(vec(2, false));
    expect(esr(c, 2) >>> 26).toBe(0);
    const b = setup(1, [MRS(1, [3, 0, 12, 9, 1])]);
    attachGicAndTimers(b.m);
    b.c.runLoop(1);
    expect(esr(b.c, 1) >>> 26).toBe(0);
  });
});

describe('PMU', () => {
  it('the cycle counter and INST_RETIRED count executed instructions while enabled', () => {
    const PMCR: Enc = [3, 3, 9, 12, 0];
    const PMCNTENSET: Enc = [3, 3, 9, 12, 1];
    const PMCCNTR: Enc = [3, 3, 9, 13, 0];
    const PMEVTYPER0: Enc = [3, 3, 14, 12, 0];
    const PMEVCNTR0: Enc = [3, 3, 14, 8, 0];
    const prog = [MSR(PMEVTYPER0, 3), MSR(PMCNTENSET, 2), MSR(PMCR, 1), NOP, NOP, NOP, NOP, MRS(4, PMCCNTR), MRS(5, PMEVCNTR0)];
    const { c } = setup(1, prog);
    c.setX(1, 1n); // PMCR.E
    c.setX(2, 0x8000_0001n); // cycle counter + counter 0
    c.setX(3, 0x08n); // INST_RETIRED
    c.runLoop(prog.length);
    // counted: the enabling MSR PMCR itself (it retires with counting on) and the 4 NOPs; the second
    // read also sees the first MRS
    expect(c.getX(4)).toBe(5n);
    expect(c.getX(5)).toBe(6n);
  });
});

describe('cache maintenance by VA and set/way', () => {
  const DC_CIVAC = (rt: number) => (0xd50b7e20 | rt) >>> 0;
  const DC_ISW = (rt: number) => (0xd5087640 | rt) >>> 0;

  it('DC CIVAC only checks the translation: a fault is a data abort with CM = 1 and WnR = 1', () => {
    const { m, c } = setup(1, [DC_CIVAC(1), DC_CIVAC(2)]);
    const base = RAM_BASE + 0x8000;
    m.bus.loadBytes(base, new Uint8Array(8).fill(0x5a));
    c.setX(1, BigInt(base));
    c.setX(2, 1n << 60n); // beyond the PA range with the MMU off: address size fault
    c.runLoop(1);
    expect(c.pc).toBe(BigInt(CODE + 4));
    expect(m.bus.read(base, 1, 0)).toBe(0x5a);
    c.runLoop(1);
    const e = esr(c, 1);
    expect(e >>> 26).toBe(0x25);
    expect((e >>> 8) & 1).toBe(1);
    expect((e >>> 6) & 1).toBe(1);
  });

  it('DC ISW is a no-op at EL1 and traps with HCR_EL2.TSW', () => {
    const a = setup(1, [DC_ISW(0)]);
    a.c.runLoop(1);
    expect(a.c.pc).toBe(BigInt(CODE + 4));
    const b = setup(1, [DC_ISW(0)], { hcr: 1n << 22n });
    b.c.runLoop(1);
    expect(b.c.el).toBe(2);
    expect(esr(b.c, 2) >>> 26).toBe(0x18);
    const z = setup(0, [DC_ISW(0)]);
    z.c.runLoop(1);
    expect(esr(z.c, 1) >>> 26).toBe(0);
  });
});

describe('FP/SIMD access traps', () => {
  it('CPACR_EL1.FPEN = 0 traps to EL1 with EC 0x07', () => {
    const { c } = setup(1, [FADD_D]);
    c.runLoop(1);
    expect(c.el).toBe(1);
    expect(esr(c, 1)).toBe(((0x07 << 26) | (1 << 25) | 0x01e0_0000) >>> 0);
  });

  it('FPEN = 3 with CPTR_EL2.TFP traps to EL2; with E2H the FPEN layout decides', () => {
    const a = setup(1, [FADD_D]);
    a.c.sysSet(R.CPACR_EL1, 3n << 20n);
    a.c.sysSet(R.CPTR_EL2, 0x33ffn | (1n << 10n));
    a.c.runLoop(1);
    expect(a.c.el).toBe(2);
    expect(esr(a.c, 2) >>> 26).toBe(0x07);
    const b = setup(2, [FADD_D], { hcr: 1n << 34n });
    b.c.sysSet(R.CPTR_EL2, 0n); // E2H layout: FPEN = 0 traps EL2 itself
    b.c.runLoop(1);
    expect(b.c.el).toBe(2);
    expect(esr(b.c, 2) >>> 26).toBe(0x07);
  });

  it('CPTR_EL3.TFP traps to EL3; with everything enabled FP is UNDEFINED (not implemented)', () => {
    const a = setup(2, [FADD_D]);
    a.c.sysSet(R.CPTR_EL2, 0x33ffn);
    a.c.sysSet(R.CPTR_EL3, 1n << 10n);
    a.c.runLoop(1);
    expect(a.c.el).toBe(3);
    expect(esr(a.c, 3) >>> 26).toBe(0x07);
    const b = setup(1, [FADD_D]);
    b.c.sysSet(R.CPACR_EL1, 3n << 20n);
    b.c.sysSet(R.CPTR_EL2, 0x33ffn);
    b.c.runLoop(1);
    expect(b.c.el).toBe(1);
    expect(esr(b.c, 1) >>> 26).toBe(0);
  });
});

describe('events, RAS, host-regime timers', () => {
  const WFE = 0xd503205f;
  const SEV = 0xd503209f;
  const SEVL = 0xd50320bf;
  const ESB = 0xd503221f;

  it('WFE consumes a pending event (SEVL) and then waits; SEV from another CPU wakes it', () => {
    const m = new Machine({ ramMiB: 4, smp: 2 });
    const [c0, c1] = m.cpus;
    const put = (a: number, w: number[]) => {
      const b = new Uint8Array(w.length * 4);
      w.forEach((x, i) => new DataView(b.buffer).setUint32(i * 4, x >>> 0, true));
      m.bus.loadBytes(a, b);
    };
    put(CODE, [SEVL, WFE, WFE, NOP]);
    put(CODE + 0x100, [SEV, NOP]);
    c0.setPstate(0x3c5);
    c0.pc = BigInt(CODE);
    c0.runLoop(10);
    expect(c0.halted).toBe(true);
    expect(c0.pc).toBe(BigInt(CODE + 12));
    c1.setPstate(0x3c5);
    c1.pc = BigInt(CODE + 0x100);
    c1.runLoop(1);
    expect(c0.halted).toBe(false);
  });

  it('ESB at EL1 with HCR_EL2.AMO defers a masked virtual SError into VDISR_EL2; DISR_EL1 reads it', () => {
    const { c } = setup(1, [ESB, MRS(1, [3, 0, 12, 1, 1])], { hcr: (1n << 5n) | (1n << 8n) });
    c.sysSet(R.VSESR_EL2, 0x1234n);
    c.runLoop(2);
    expect(c.el).toBe(1);
    expect(c.sysGet(R.VDISR_EL2)).toBe(0x8000_1234n);
    expect(c.getX(1)).toBe(0x8000_1234n);
    expect(c.sysGet(R.HCR_EL2) & (1n << 8n)).toBe(0n);
  });

  it('EL0 in the EL2&0 host regime reaches the EL2 physical timer through CNTP_CVAL_EL0', () => {
    const { c } = setup(0, [MSR([3, 3, 14, 2, 2], 1)], { hcr: (1n << 34n) | (1n << 27n) });
    c.sysSet(R.CNTHCTL_EL2, (1n << 9n) | 3n); // EL0PTEN
    c.setX(1, 0x777n);
    c.runLoop(1);
    expect(c.el).toBe(0);
    expect(c.sysGet(R.CNTHP_CVAL_EL2)).toBe(0x777n);
    expect(c.sysGet(R.CNTP_CVAL_EL0)).toBe(0n);
  });

  it('TLBI and AT reach the MMU hooks; unknown SYS encodings are UNDEFINED', () => {
    const TLBI_VMALLE1IS = 0xd508831f;
    const { c } = setup(1, [TLBI_VMALLE1IS, 0xd5087800 | 2 /* AT S1E1R, x2 */, 0xd5087f00]);
    c.runLoop(2);
    expect(c.el).toBe(1);
    expect(c.pc).toBe(BigInt(CODE + 8));
    c.runLoop(1);
    expect(esr(c, 1) >>> 26).toBe(0);
    const t = setup(1, [TLBI_VMALLE1IS], { hcr: 1n << 25n });
    t.c.runLoop(1);
    expect(t.c.el).toBe(2);
    expect(esr(t.c, 2)).toBe(((0x18 << 26) | (1 << 25) | (1 << 20) | (0 << 17) | (8 << 10) | (31 << 5) | (3 << 1)) >>> 0);
  });
});

