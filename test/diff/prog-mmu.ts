// Differential test (issue 3, "Done when"): a guest at EL1 with its MMU on under stage 2, stepped in
// QEMU and in our core with registers compared after every instruction and the data area (both
// stages' tables and the guest's pages) at the end.
//
// EL2 builds the stage-2 tables (4K granule, 32-bit IPA, start level 1, 3 levels) leaving some guest
// pages unmapped, and ERETs to the guest with its MMU off. The guest builds its own stage-1 tables
// (4K granule, T0SZ 32, 3 levels, MAIR attr 0 Normal) through stage 2, sets TTBR0/TCR/MAIR and
// SCTLR_EL1.M and keeps running from its identity-mapped code. Then, all through translated
// addresses:
//  - a 32-bit load from an IPA page stage 2 does not map: stage-2 data abort to EL2 (EC 0x24, ISV
//    syndrome), the hypervisor copies ESR/FAR/HPFAR_EL2 into x21..x23, maps the page and retries;
//  - a loop of loads and stores through two VAs aliasing one IPA page, halfword stores to the
//    lazily-mapped page, push/pop on SP_EL1 (also a translated VA);
//  - a byte store to another unmapped IPA page (stage-2 write fault, retried);
//  - a load from a VA with no stage-1 mapping: EL1 translation fault (ESR/FAR_EL1 into x24/x25);
//  - a load whose stage-1 walk reads a level-3 table at an unmapped IPA: stage-2 fault on the walk
//    (S1PTW), EL2 maps a zero page there, the retry's walk finds an invalid descriptor: EL1 fault;
//  - the guest remaps its alias page to another IPA, TLBI VAE1, and reads the new contents;
//  - HVC #0xfff: EL2 turns stage 2 off and stops.
import { CODE_BASE, DATA_BASE, Rng } from './gen';
import { Asm, SR } from './asm';

// data area (offsets from DATA_BASE); the whole 2 MiB around code and data is one stage-2 block
const EL2_STACK_TOP = 0x1000;
/** [0] count, then (count) 32-byte records ESR_EL2, FAR_EL2, HPFAR_EL2 of stage-2 faults handled */
export const S2_LOG = 0x0100;
/** [0] count, then 16-byte records ESR_EL1, FAR_EL1 of EL1 faults */
export const EL1_LOG = 0x0400;
const S2_L1 = 0x1000,
  S2_L2CODE = 0x2000,
  S2_L2DATA = 0x3000,
  S2_L3 = 0x4000;
const S1_L1 = 0x5000,
  S1_L2CODE = 0x6000,
  S1_L2DATA = 0x7000,
  S1_L3 = 0x8000;
/** IPA page n (0x8000_0000 + n * 4K) lives at PA DATA_BASE + PAGES + n * 4K, n = 0..6 */
export const PAGES = 0x9000;
const DATA_SIZE = 0x10000;
const IPA_PAGES = 0x8000_0000;
const VA_DATA = 0x1000_0000;
const VA_PTW = 0x1020_0000; // its stage-1 level-3 table is at IPA page 6 (not mapped at first)

// stage 2 (Arm ARM D8.3/D8.5): MemAttr Normal WB, S2AP RW, inner shareable, AF
const S2_TABLE = 3,
  S2_BLOCK = 0x7fd,
  S2_PAGE = 0x7ff;
// stage 1: AttrIndx 0, AP EL1 RW, inner shareable, AF
const S1_TABLE = 3,
  S1_BLOCK = 0x701,
  S1_PAGE = 0x703;
const VTCR = 0x8000_3560; // T0SZ 32, SL0 1 (level 1), WB, inner shareable, 4K, 32-bit PA
const TCR_EL1 = 0x0080_3520; // T0SZ 32, WB, inner shareable, TG0 4K, EPD1, IPS 32 bits
const MAIR_EL1 = 0xff; // Attr0 Normal WB, Attr1 Device-nGnRnE
const SCTLR_EL1_OFF = 0x30d0_0800;
const HCR_RW_VM = 0x8000_0001;

export function mmuProgram(iters = 40) {
  const a = new Asm(CODE_BASE);
  const D = (off: number) => DATA_BASE + off;
  const ipaPage = (n: number) => IPA_PAGES + n * 0x1000;

  // ------------------------------------------------------------ EL2: stage 2, then ERET to the guest
  a.mov(0, CODE_BASE + 0x800).msr(SR.VBAR_EL2, 0);
  a.mov(9, DATA_BASE);
  const s2: [number, number][] = [
    [S2_L1 + 8 * 1, D(S2_L2CODE) + S2_TABLE],
    [S2_L2CODE + 8 * 1, 0x4020_0000 + S2_BLOCK], // IPA 0x4020_0000 (code, data, stage-1 tables) identity
    [S2_L1 + 8 * 2, D(S2_L2DATA) + S2_TABLE],
    [S2_L2DATA, D(S2_L3) + S2_TABLE],
    ...[0, 2, 3].map((n) => [S2_L3 + 8 * n, D(PAGES + n * 0x1000) + S2_PAGE] as [number, number]), // 1, 4, 6 left out
  ];
  for (const [off, v] of s2) a.mov(1, v).str(1, 9, off);
  a.dsbIsh().sys(4, 8, 7, 4, 31, 'tlbi alle1').dsbIsh().isb();
  a.mov(0, VTCR).msr(SR.VTCR_EL2, 0);
  a.mov(0, (1n << 48n) | BigInt(D(S2_L1))).msr(SR.VTTBR_EL2, 0); // VMID 1
  a.mov(0, SCTLR_EL1_OFF).msr(SR.SCTLR_EL1, 0);
  a.mov(0, CODE_BASE + 0x1000).msr(SR.VBAR_EL1, 0);
  a.mov(0, VA_DATA + 0x3000).msr(SR.SP_EL1, 0); // top of the stack page (a VA once the MMU is on)
  a.mov(0, HCR_RW_VM).msr(SR.HCR_EL2, 0);
  a.mov(0, 0x3c5).msr(SR.SPSR_EL2, 0); // EL1h, DAIF masked
  a.movAddr(0, 'guest').msr(SR.ELR_EL2, 0);
  a.eret();

  // ------------------------------------------------------------ VBAR_EL2: lower-EL AArch64 sync at +0x400
  a.org(0x800 + 0x400, 'VECTOR_EL2 unexpected');
  a.clearNzcv(); // QEMU 7.2 clears NZCV on exception entry, the Arm ARM keeps them (test/diff/README.md)
  a.b('hyp');
  // VBAR_EL1: current EL with SP_EL1 sync at +0x200
  a.org(0x1000 + 0x200, 'VECTOR_EL1 unexpected');
  a.clearNzcv();
  a.b('el1_sync');
  a.org(0x1800, 'VECTOR_EL1 unexpected');

  // ------------------------------------------------------------ EL2 handler
  a.label('hyp');
  a.push(0, 1).push(2, 3);
  a.mrs(21, SR.ESR_EL2).mrs(22, SR.FAR_EL2).mrs(23, SR.HPFAR_EL2);
  a.ubfx(0, 21, 26, 6);
  a.cmpi(0, 0x24).bc('eq', 's2abort'); // data abort from a lower EL
  a.cmpi(0, 0x16).bc('eq', 'hvc'); // HVC from AArch64
  a.b('fatal');
  a.label('s2abort');
  a.ubfx(0, 23, 4, 9); // HPFAR_EL2.FIPA = IPA[47:12] at bits [43:4]: the level-3 index in our 2 MiB
  a.lsl(1, 0, 12);
  a.mov(2, D(PAGES) + S2_PAGE);
  a.add(1, 1, 2);
  a.mov(2, D(S2_L3));
  a.strxs(1, 2, 0); // S2_L3[index] = page descriptor (it was invalid: no TLB maintenance needed)
  a.dsbIsh();
  a.mov(2, D(S2_LOG)).ldr(3, 2, 0).addi(3, 3, 1).str(3, 2, 0); // stage-2 faults handled
  a.add(2, 2, 3, 5).stp(21, 22, 2, 0).str(23, 2, 16); // log[n] = ESR, FAR, HPFAR (32 bytes each)
  a.pop(2, 3).pop(0, 1);
  a.eret(); // retry the access
  a.label('hvc');
  a.msr(SR.HCR_EL2, 31, 'hcr_el2').isb();
  a.mov(2, D(S2_LOG)).ldr(20, 2, 0);
  a.b('end');
  a.label('fatal').self();

  // ------------------------------------------------------------ EL1 handler: record and skip
  a.label('el1_sync');
  a.mrs(24, SR.ESR_EL1).mrs(25, SR.FAR_EL1).mrs(26, SR.ELR_EL1);
  a.addi(26, 26, 4).msr(SR.ELR_EL1, 26);
  a.mov(27, D(EL1_LOG)).ldr(28, 27, 0).addi(28, 28, 1).str(28, 27, 0); // (identity-mapped VA)
  a.add(27, 27, 28, 4).stp(24, 25, 27, 0); // log[n] = ESR_EL1, FAR_EL1 (16 bytes each)
  a.eret();

  // ------------------------------------------------------------ guest: stage-1 tables, MMU on
  a.label('guest');
  a.mov(9, DATA_BASE); // identity IPA of the data area
  const s1: [number, number][] = [
    [S1_L1 + 8 * 1, D(S1_L2CODE) + S1_TABLE],
    [S1_L2CODE + 8 * 1, 0x4020_0000 + S1_BLOCK], // VA 0x4020_0000 identity (code, tables)
    [S1_L1 + 8 * 0, D(S1_L2DATA) + S1_TABLE],
    [S1_L2DATA + 8 * 0x80, D(S1_L3) + S1_TABLE], // VA 0x1000_0000
    [S1_L2DATA + 8 * 0x81, ipaPage(6) + S1_TABLE], // VA 0x1020_0000: table at an unmapped IPA
    [S1_L3 + 8 * 0, ipaPage(0) + S1_PAGE],
    [S1_L3 + 8 * 1, ipaPage(1) + S1_PAGE], // stage 2 maps it on the first fault
    [S1_L3 + 8 * 2, ipaPage(2) + S1_PAGE], // stack
    [S1_L3 + 8 * 3, ipaPage(0) + S1_PAGE], // alias of page 0
    [S1_L3 + 8 * 4, ipaPage(4) + S1_PAGE], // stage 2 maps it on the first fault
  ];
  a.mov(10, DATA_BASE + 0x8000); // (unsigned offsets reach 32 KiB)
  for (const [off, v] of s1) a.mov(1, v).str(1, off < 0x8000 ? 9 : 10, off & 0x7fff);
  a.dsbIsh().sys(0, 8, 7, 0, 31, 'tlbi vmalle1').dsbIsh().isb();
  a.mov(0, MAIR_EL1).msr(SR.MAIR_EL1, 0);
  a.mov(0, TCR_EL1).msr(SR.TCR_EL1, 0);
  a.mov(0, D(S1_L1)).msr(SR.TTBR0_EL1, 0);
  a.isb();
  a.mov(0, SCTLR_EL1_OFF | 1).msr(SR.SCTLR_EL1, 0).isb(); // MMU on
  a.mov(19, VA_DATA);
  a.ldr(3, 19, 0x1010, 2); // ldr w3: stage-2 translation fault, mapped by EL2, retried
  a.ldr(1, 19, 0).ldr(2, 19, 0x3008);
  a.mov(20, iters);
  a.label('loop');
  a.andMask(5, 1, 3, 7); // x5 = x1 & 0x3f8
  a.ldrx(4, 19, 5);
  a.add(4, 4, 1);
  a.strx(4, 19, 5); // page 0 through VA 0x1000_0000
  a.addi(7, 19, 3, true);
  a.ldrx(6, 7, 5); // the same word through the alias VA 0x1000_3000
  a.addi(8, 19, 1, true);
  a.strx(6, 8, 5, 1); // strh to the lazily-mapped page
  a.ldrx(9, 8, 5, 0);
  a.push(4, 9).pop(10, 11);
  a.eorRor(1, 1, 4, 7);
  a.adds(12, 12, 6);
  a.subsi(20, 20, 1).bc('ne', 'loop');
  a.addi(8, 19, 4, true).str(1, 8, 5, 0); // strb: stage-2 write fault on IPA page 4, retried
  a.ldr(12, 19, 0x5000); // no stage-1 mapping: EL1 translation fault, skipped
  a.mov(13, VA_PTW).ldr(14, 13, 0); // stage-2 fault on the stage-1 walk (S1PTW), then EL1 fault
  // remap the alias page to IPA page 3 (the tables are identity-mapped VAs), TLBI VAE1, read it
  a.mov(9, DATA_BASE + S1_L3).mov(1, ipaPage(3) + S1_PAGE).str(1, 9, 8 * 3);
  a.dsbIsh().mov(0, (VA_DATA + 0x3000) >>> 12).sys(0, 8, 7, 1, 0, 'tlbi vae1, x0').dsbIsh().isb();
  a.ldr(15, 19, 0x3000).ldr(16, 19, 0x3ff8);
  a.hvc(0xfff);
  a.self();
  a.label('end').self();


  const rng = new Rng(777);
  const data = new Uint8Array(DATA_SIZE);
  const dv = new DataView(data.buffer);
  for (const n of [0, 3]) for (let i = 0; i < 0x1000; i += 4) dv.setUint32(PAGES + n * 0x1000 + i, rng.u32(), true);
  const x = Array.from({ length: 31 }, () => 0n);
  return a.program('mmu', DATA_BASE, data, { x, sp: BigInt(DATA_BASE + EL2_STACK_TOP), cpsr: 0x3c9 });
}
