// Differential test (issue 4, "Done when"): a hypervisor at EL2 and two guests at EL1 under stage 2,
// switching worlds a few hundred times, stepped in QEMU and in our core with registers compared
// after every instruction and the whole data area (contexts, stage-2 tables, guest pages) at the end.
//
// The hypervisor builds one stage-2 table set per VM (4K granule, 32-bit IPA, start level 1): both
// VMs see the same code identity-mapped by a shared 2 MiB block and their own data and stack pages
// at the same IPAs (0x8000_0000, 0x8000_1000), with VMIDs 1 and 2. The guests loop: compute, load,
// store, push/pop on SP_EL1, update SP_EL0, HVC #1. Each HVC enters EL2 at VBAR_EL2+0x400, which
// saves the 31 GPRs, SP_EL1, SP_EL0, ELR_EL2, SPSR_EL2 and ESR_EL2 to the current context
// (TPIDR_EL2), counts, swaps to the other context on every other HVC, restores VTTBR_EL2 and the
// registers and ERETs. HVC #0xfff says a guest is done; after both, EL2 turns stage 2 off and stops.
import { CODE_BASE, DATA_BASE, Rng } from './gen';
import { Asm, SR } from './asm';

// data area layout (offsets from DATA_BASE)
const HOST = 0x0000; // [0] HVC count (all guests), [8] guests finished
const CTX_A = 0x0100; // CTX_B = CTX_A ^ (1 << 9)
const CTX_B = 0x0300;
const C_SPEL1 = 248,
  C_SPEL0 = 256,
  C_ELR = 264,
  C_SPSR = 272,
  C_VTTBR = 280,
  C_ESR = 288,
  C_HVCS = 296;
const S2_L1 = [0x1000, 0x2000];
const S2_L2CODE = 0x3000;
const S2_L2DATA = [0x4000, 0x5000];
const S2_L3 = [0x6000, 0x7000];
export const PAGE = [0x8000, 0xa000];
export const STACK = [0x9000, 0xb000];
const EL2_STACK_TOP = 0xd000;
const DATA_SIZE = 0x10000;
const GUEST_DATA_IPA = 0x8000_0000;
const GUEST_STACK_IPA = 0x8000_1000;

// stage-2 descriptors (Arm ARM D8.3.2 / D8.5.5): table = addr | 0b11; block (level 2) = addr | 0b01,
// page (level 3) = addr | 0b11, with MemAttr[5:2] = 0b1111 (Normal write-back), S2AP[7:6] = RW,
// SH[9:8] = inner shareable, AF[10] = 1
const S2_TABLE = 3;
const S2_BLOCK_NORMAL = 0x7fd;
const S2_PAGE_NORMAL = 0x7ff;
/** VTCR_EL2: T0SZ = 32 (4 GiB IPA), SL0 = 1 (start at level 1 with 4K), IRGN0 = ORGN0 = WB,
 * SH0 = inner, TG0 = 4K, PS = 32 bits, RES1 bit 31 */
export const VTCR = 0x8000_3560;
/** HCR_EL2.RW (EL1 is AArch64) | HCR_EL2.VM (stage 2 on) */
const HCR_RW_VM = 0x8000_0001;
const SCTLR_EL1_MMU_OFF = 0x30d0_0800;

// stage1 variant: EL1 context registers saved/restored too, and each guest's stage-1 tables
const C_SCTLR = 304,
  C_TTBR0 = 312,
  C_TCR = 320,
  C_MAIR = 328,
  C_TPIDR = 336;
const S1_L1 = [0x10000, 0x14000];
const S1_L2CODE = 0x11000;
const S1_L2DATA = [0x12000, 0x15000];
const S1_L3 = [0x13000, 0x16000];
const GUEST_VA = 0x1000_0000;
// stage 1 (D8.3): block AttrIndx 0 (MAIR Normal WB), AP EL1 RW, inner shareable, AF; page likewise
const S1_BLOCK = 0x701,
  S1_PAGE = 0x703;
const TCR_EL1 = 0x0080_3520; // T0SZ 32, WB, inner shareable, TG0 4K, EPD1, IPS 32 bits

/**
 * `stage1`: the guests also run with their MMUs on, with the same ASID (1) and the same VAs but
 * different stage-1 tables (guest B's data and stack VAs point at the other IPA page), so only the
 * VMID tells their TLB entries apart; the hypervisor also saves and restores SCTLR_EL1, TTBR0_EL1,
 * TCR_EL1, MAIR_EL1 and TPIDR_EL1 (which the guests count in).
 */
export function worldSwitchProgram(itersPerGuest = 100, opts: { stage1?: boolean } = {}) {
  const stage1 = !!opts.stage1;
  const a = new Asm(CODE_BASE);
  const D = (off: number) => DATA_BASE + off;

  // ------------------------------------------------------------ EL2 setup
  a.mov(0, CODE_BASE + 0x800).msr(SR.VBAR_EL2, 0);
  a.mov(9, DATA_BASE);
  const entries: [number, number][] = [[S2_L2CODE + 8 * 1, 0x4020_0000 + S2_BLOCK_NORMAL]]; // IPA 0x4020_0000 (code, data) identity
  for (const vm of [0, 1]) {
    entries.push([S2_L1[vm] + 8 * 1, D(S2_L2CODE) + S2_TABLE]); // IPA 0x4000_0000..
    entries.push([S2_L1[vm] + 8 * 2, D(S2_L2DATA[vm]) + S2_TABLE]); // IPA 0x8000_0000..
    entries.push([S2_L2DATA[vm], D(S2_L3[vm]) + S2_TABLE]);
    entries.push([S2_L3[vm], D(PAGE[vm]) + S2_PAGE_NORMAL]); // IPA 0x8000_0000 -> this VM's page
    entries.push([S2_L3[vm] + 8, D(STACK[vm]) + S2_PAGE_NORMAL]); // IPA 0x8000_1000 -> its stack
  }
  for (const [off, v] of entries) a.mov(1, v).str(1, 9, off);
  if (stage1) {
    a.mov(10, D(0x10000)); // (unsigned offsets reach 32 KiB)
    const s1: [number, number][] = [[S1_L2CODE + 8 * 1, 0x4020_0000 + S1_BLOCK]]; // VA 0x4020_0000 identity
    for (const vm of [0, 1]) {
      s1.push([S1_L1[vm] + 8 * 1, D(S1_L2CODE) + S2_TABLE]);
      s1.push([S1_L1[vm], D(S1_L2DATA[vm]) + S2_TABLE]); // VA 0..1 GiB
      s1.push([S1_L2DATA[vm] + 8 * 0x80, D(S1_L3[vm]) + S2_TABLE]); // VA 0x1000_0000
      s1.push([S1_L3[vm], (vm ? GUEST_STACK_IPA : GUEST_DATA_IPA) + S1_PAGE]);
      s1.push([S1_L3[vm] + 8, (vm ? GUEST_DATA_IPA : GUEST_STACK_IPA) + S1_PAGE]);
    }
    for (const [off, v] of s1) a.mov(1, v).str(1, 10, off - 0x10000);
  }
  a.dsbIsh().sys(4, 8, 7, 4, 31, 'tlbi alle1').dsbIsh().isb();
  a.mov(0, VTCR).msr(SR.VTCR_EL2, 0);
  a.mov(0, SCTLR_EL1_MMU_OFF).msr(SR.SCTLR_EL1, 0);
  a.mov(0, CODE_BASE + 0x1000).msr(SR.VBAR_EL1, 0);
  a.mov(0, HCR_RW_VM).msr(SR.HCR_EL2, 0).isb();
  a.mov(0, D(CTX_A)).msr(SR.TPIDR_EL2, 0);
  a.b('resume');

  // ------------------------------------------------------------ VBAR_EL2 (only lower-EL AArch64 sync used)
  a.org(0x800, 'VECTOR_EL2 unexpected');
  a.org(0x800 + 0x400, 'VECTOR_EL2 unexpected');
  a.clearNzcv(); // QEMU 7.2 clears NZCV on exception entry, the Arm ARM keeps them (test/diff/README.md)
  a.b('hyp');
  a.org(0x1000, 'VECTOR_EL2 unexpected');
  // VBAR_EL1: the guests take no EL1 exceptions
  a.org(0x1800, 'VECTOR_EL1 unexpected');

  // ------------------------------------------------------------ world switch
  a.label('hyp');
  a.push(0, 1);
  a.mrs(0, SR.TPIDR_EL2);
  for (let r = 2; r < 30; r += 2) a.stp(r, r + 1, 0, 8 * r);
  a.str(30, 0, 240);
  a.pop(2, 3);
  a.stp(2, 3, 0, 0);
  a.mrs(1, SR.SP_EL1).mrs(2, SR.SP_EL0).stp(1, 2, 0, C_SPEL1);
  a.mrs(1, SR.ELR_EL2).mrs(2, SR.SPSR_EL2).stp(1, 2, 0, C_ELR);
  a.mrs(3, SR.ESR_EL2).str(3, 0, C_ESR);
  if (stage1) {
    a.mrs(1, SR.SCTLR_EL1).mrs(2, SR.TTBR0_EL1).stp(1, 2, 0, C_SCTLR);
    a.mrs(1, SR.TCR_EL1).mrs(2, SR.MAIR_EL1).stp(1, 2, 0, C_TCR);
    a.mrs(1, SR.TPIDR_EL1).str(1, 0, C_TPIDR);
  }
  a.mov(7, D(HOST));
  a.ubfx(4, 3, 26, 6).cmpi(4, 0x16).bc('ne', 'fatal'); // EC 0x16: HVC from AArch64
  a.andMask(4, 3, 0, 16).cmpi(4, 0xfff).bc('eq', 'guest_done');
  a.ldr(6, 0, C_HVCS).addi(6, 6, 1).str(6, 0, C_HVCS);
  a.ldr(8, 7, 0).addi(8, 8, 1).str(8, 7, 0);
  a.ldr(9, 7, 8).cbnz(9, 'resume'); // one guest finished: keep running the other
  a.tbz(8, 0, 'resume'); // switch on every other HVC
  a.label('switch');
  a.eorBit(0, 0, 9).msr(SR.TPIDR_EL2, 0); // CTX_A <-> CTX_B
  a.label('resume');
  a.ldr(1, 0, C_VTTBR).msr(SR.VTTBR_EL2, 1);
  a.ldp(1, 2, 0, C_SPEL1).msr(SR.SP_EL1, 1).msr(SR.SP_EL0, 2);
  a.ldp(1, 2, 0, C_ELR).msr(SR.ELR_EL2, 1).msr(SR.SPSR_EL2, 2);
  if (stage1) {
    a.ldp(1, 2, 0, C_SCTLR).msr(SR.SCTLR_EL1, 1).msr(SR.TTBR0_EL1, 2);
    a.ldp(1, 2, 0, C_TCR).msr(SR.TCR_EL1, 1).msr(SR.MAIR_EL1, 2);
    a.ldr(1, 0, C_TPIDR).msr(SR.TPIDR_EL1, 1);
  }
  for (let r = 2; r < 30; r += 2) a.ldp(r, r + 1, 0, 8 * r);
  a.ldr(30, 0, 240);
  a.ldp(0, 1, 0, 0);
  a.eret();

  a.label('guest_done');
  a.ldr(8, 7, 8).addi(8, 8, 1).str(8, 7, 8);
  a.cmpi(8, 2).bc('ne', 'switch');
  a.msr(SR.HCR_EL2, 31, 'hcr_el2').isb(); // stage 2 off, back to a plain EL2
  a.mov(9, D(CTX_A)).ldr(10, 9, C_HVCS).ldr(11, 9, C_SPEL0).ldr(12, 9, 0);
  a.mov(9, D(CTX_B)).ldr(13, 9, C_HVCS).ldr(14, 9, C_SPEL0).ldr(15, 9, 0);
  a.ldr(16, 7, 0);
  a.b('end');
  a.label('fatal').self();

  // ------------------------------------------------------------ guest (EL1h, stage 1 off)
  a.label('guest');
  a.andMask(5, 1, 3, 6); // x5 = x1 & 0x1f8
  a.ldrx(4, 19, 5);
  a.eorRor(3, 3, 1, 13);
  a.add(4, 4, 3);
  a.strx(4, 19, 5);
  a.madd(6, 1, 2, 3);
  a.add(1, 1, 2);
  a.push(1, 6).pop(7, 8);
  a.ldr(9, 19, 0x200).addi(9, 9, 1).str(9, 19, 0x200); // per-VM counter: same IPA, different PA
  a.mrs(11, SR.SP_EL0).addi(11, 11, 16).msr(SR.SP_EL0, 11);
  if (stage1) a.mrs(12, SR.TPIDR_EL1).addi(12, 12, 1).msr(SR.TPIDR_EL1, 12);
  a.adds(10, 10, 4);
  a.subsi(20, 20, 1);
  a.hvc(1); // NZCV from SUBS must survive the trip through EL2 (SPSR_EL2)
  a.bc('ne', 'guest');
  a.hvc(0xfff);
  a.self();
  a.label('end').self();

  // ------------------------------------------------------------ initial memory
  const rng = new Rng(4242);
  const data = new Uint8Array(stage1 ? 0x20000 : DATA_SIZE);
  const dv = new DataView(data.buffer);
  const put = (off: number, v: bigint | number) => dv.setBigUint64(off, BigInt.asUintN(64, BigInt(v)), true);
  for (const vm of [0, 1]) {
    const ctx = vm ? CTX_B : CTX_A;
    for (let r = 0; r < 31; r++) put(ctx + 8 * r, rng.u64());
    put(ctx + 8 * 19, stage1 ? GUEST_VA : GUEST_DATA_IPA);
    put(ctx + 8 * 20, itersPerGuest);
    put(ctx + C_SPEL1, stage1 ? GUEST_VA + 0x2000 : GUEST_STACK_IPA + 0x1000);
    if (stage1) {
      put(ctx + C_SCTLR, SCTLR_EL1_MMU_OFF | 1);
      put(ctx + C_TTBR0, (1n << 48n) | BigInt(D(S1_L1[vm]))); // ASID 1 in both guests
      put(ctx + C_TCR, TCR_EL1);
      put(ctx + C_MAIR, 0xff);
      put(ctx + C_TPIDR, 0x100 * (vm + 1));
    }
    put(ctx + C_SPEL0, 0x1234_0000 + vm * 0x1_0000);
    put(ctx + C_ELR, a.addr('guest'));
    put(ctx + C_SPSR, 0x3c5 | ((vm ? 0x9 : 0x6) << 28)); // EL1h, DAIF masked, some NZCV
    put(ctx + C_VTTBR, (BigInt(vm + 1) << 48n) | BigInt(D(S2_L1[vm]))); // VMID 1 / 2
    for (let i = 0; i < 0x200; i += 4) dv.setUint32(PAGE[vm] + i, rng.u32(), true);
  }
  const x = Array.from({ length: 31 }, () => 0n);
  return a.program(stage1 ? 'worldswitch-stage1' : 'worldswitch', DATA_BASE, data, { x, sp: BigInt(D(EL2_STACK_TOP)), cpsr: 0x3c9 });
}
