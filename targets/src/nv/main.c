/* nv: FEAT_NV and FEAT_NV2 seen from the host hypervisor. The syndromes harness runs "guest
 * hypervisor" code at EL1 with HCR_EL2.NV=1: CurrentEL reads as EL2, EL2 and _EL12 register
 * accesses and ERET trap to EL2 (EC 0x18, EC 0x1a); with NV2=1 the accesses to VNCR-backed EL2
 * registers become loads and stores to the page at VNCR_EL2 instead. QEMU 7.2 has no FEAT_NV, so
 * the golden is written from the Arm ARM (targets/golden/nv.md, nv.gen.sh). */
#define NV_CHECKS 1
void t_nv_currentel(void), t_nv_mrs_hcr(void), t_nv_msr_vttbr(void), t_nv_mrs_tpidr2(void),
    t_nv_sctlr12(void), t_nv_eret(void);
static void nv_setup(void);
static void nv_report(void);
#include "../syndromes/main.c"

/* the VNCR page: each word prefilled with 0x56000000_00000000 | its offset */
u64 vncr_page[512] __attribute__((aligned(4096)));

static void nv_setup(void) {
  putln("nv: nested virtualization (FEAT_NV, FEAT_NV2) with a guest hypervisor at EL1");
  puts("ID_AA64MMFR2_EL1.NV=");
  putdec((read_sysreg(id_aa64mmfr2_el1) >> 24) & 0xf);
  putc('\n');
  for (unsigned i = 0; i < 512; i++) vncr_page[i] = 0x5600000000000000UL | (i * 8);
  write_sysreg(S3_4_C2_C2_0, (u64)vncr_page); /* VNCR_EL2.BADDR: a VA of the EL2 regime (MMU off) */
  isb();
}

static void word(unsigned off, const char *name) {
  puts("   VNCR page +");
  putx(off);
  puts(" (");
  puts(name);
  puts(") = ");
  puthex(vncr_page[off / 8]);
  putc('\n');
}

static void nv_report(void) {
  putln("VNCR page after the run:");
  word(0x20, "VTTBR_EL2");
  word(0x78, "HCR_EL2");
  word(0x90, "TPIDR_EL2");
  putln("nv: done");
}
