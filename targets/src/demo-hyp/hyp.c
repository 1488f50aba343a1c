/* demo-hyp: a small hypervisor at EL2.
 *  - builds a stage-2 translation table (4K granule, 32-bit IPA, start level 1, VMID 5) mapping the
 *    guest's RAM, IPA 0x4000_0000..0x401f_ffff, to PA 0x4400_0000 with one 2 MiB block, and leaving
 *    everything else, the UART's IPA 0x0900_0000 included, unmapped;
 *  - enters the guest at EL1 (HCR_EL2.VM=1, RW=1, TSC=1);
 *  - emulates the guest's PL011 accesses from the stage-2 data aborts (EC 0x24 with ISV=1: SAS, SRT,
 *    WnR in the ISS; the IPA from HPFAR_EL2 and FAR_EL2), answers its HVCs, forwards its PSCI calls
 *    (trapped SMCs) to the firmware, and prints trap counts before SYSTEM_OFF.
 * Arm ARM references: D8 (VMSAv8-64 translation, stage 2 descriptors), D17.2 (VTCR_EL2, VTTBR_EL2,
 * HCR_EL2, HPFAR_EL2, ESR_ELx ISS for data aborts). */
#include "target.h"
#include "vectors.h"

extern char hyp_vectors[];
extern char guest_entry[], __guest_pa[];
void enter_guest(void *entry, u64 spsr) __attribute__((noreturn));

#define VMID 5UL
#define GUEST_IPA 0x40000000UL
#define GUEST_SIZE 0x200000UL
#define GUEST_UART_IPA 0x09000000UL

#define HCR_VM (1UL << 0)
#define HCR_TSC (1UL << 19)
#define HCR_RW (1UL << 31)

/* Stage-2 descriptors: [1:0] 0b11 table / 0b01 block, MemAttr [5:2], S2AP [7:6], SH [9:8], AF [10]. */
#define S2_TABLE 0x3UL
#define S2_BLOCK 0x1UL
#define S2_MEMATTR_NORMAL_WB (0xfUL << 2)
#define S2_S2AP_RW (0x3UL << 6)
#define S2_SH_INNER (0x3UL << 8)
#define S2_AF (1UL << 10)

u64 s2_l1[512] __attribute__((aligned(4096)));
u64 s2_l2[512] __attribute__((aligned(4096)));

struct hyp_stats {
  u64 mmio_stores, mmio_loads, hvcs, smcs;
} stats;

static void hyp_log(const char *s) {
  puts("[hyp] ");
  puts(s);
}

static void build_stage2(void) {
  /* level 1: 1 GiB per entry; entry 1 covers IPA 0x4000_0000..0x7fff_ffff */
  s2_l1[GUEST_IPA >> 30] = (u64)s2_l2 | S2_TABLE;
  /* level 2: 2 MiB per entry; entry 0 of that GiB is the guest's RAM */
  s2_l2[(GUEST_IPA >> 21) & 511] =
      (u64)__guest_pa | S2_BLOCK | S2_MEMATTR_NORMAL_WB | S2_S2AP_RW | S2_SH_INNER | S2_AF;
  dsb_sy();
  /* VTCR_EL2: T0SZ=32 (4 GiB IPA), SL0=1 (start at level 1), IRGN0=ORGN0=1 (WB WA), SH0=3,
   * TG0=0 (4K), PS=0 (32-bit PA), VS=0 (8-bit VMID), bit 31 RES1. */
  u64 vtcr = 32UL | (1UL << 6) | (1UL << 8) | (1UL << 10) | (3UL << 12) | (1UL << 31);
  write_sysreg(vtcr_el2, vtcr);
  write_sysreg(vttbr_el2, (VMID << 48) | (u64)s2_l1);
  isb();
  __asm__ volatile("tlbi vmalls12e1\n dsb ish\n isb" ::: "memory");
  hyp_log("stage 2: VTCR_EL2=");
  puthex(read_sysreg(vtcr_el2));
  puts(" VTTBR_EL2=");
  puthex(read_sysreg(vttbr_el2));
  puts(" (VMID ");
  putdec(VMID);
  puts(")\n");
  hyp_log("stage 2: IPA ");
  putx(GUEST_IPA);
  puts("-");
  putx(GUEST_IPA + GUEST_SIZE - 1);
  puts(" -> PA ");
  putx((u64)__guest_pa);
  puts(" (2 MiB block); UART IPA ");
  putx(GUEST_UART_IPA);
  puts(" left unmapped\n");
}

/* A guest access to its UART page: emulate the PL011 registers the guest uses. */
static void emulate_mmio(struct frame *f, u64 esr, u64 ipa) {
  unsigned srt = (esr >> 16) & 31;      /* ISS.SRT: the transfer register */
  unsigned sas = (esr >> 22) & 3;       /* ISS.SAS: access size 1 << sas bytes */
  int write = (esr >> 6) & 1;           /* ISS.WnR */
  u64 off = ipa - GUEST_UART_IPA;
  if (write) {
    u64 v = srt == 31 ? 0 : f->x[srt];
    stats.mmio_stores++;
    if (off == 0x00) putc((char)(v & 0xff)); /* UARTDR: pass the byte to the real UART */
  } else {
    u64 v = 0;
    if (off == 0x18) v = 0x90;          /* UARTFR: TXFE | RXFE, never busy or full */
    if (sas < 3) v &= (1UL << (8 << sas)) - 1;
    if (srt != 31) f->x[srt] = v;
    stats.mmio_loads++;
  }
  f->elr += 4;                          /* step past the emulated instruction */
}

static void guest_psci(struct frame *f) {
  u64 fn = f->x[0];
  if (fn == PSCI_SYSTEM_OFF) {
    hyp_log("guest asked for PSCI SYSTEM_OFF; trap counts: MMIO stores ");
    putdec(stats.mmio_stores);
    puts(", MMIO loads ");
    putdec(stats.mmio_loads);
    puts(", HVC ");
    putdec(stats.hvcs);
    puts(", SMC ");
    putdec(stats.smcs);
    puts("\n");
    hyp_log("forwarding SYSTEM_OFF to the firmware\n");
    system_off();
  }
  /* anything else: pass it on and hand back the firmware's answer */
  f->x[0] = smc_call(fn, f->x[1], f->x[2], f->x[3]);
}

static void guest_fault(const char *what, u64 esr) {
  hyp_log(what);
  putkv("ESR_EL2", esr);
  putkv("ELR_EL2", read_sysreg(elr_el2));
  putkv("FAR_EL2", read_sysreg(far_el2));
  putkv("HPFAR_EL2", read_sysreg(hpfar_el2));
  putc('\n');
  system_off();
}

/* Synchronous exceptions from the guest (vector "lower EL, AArch64, synchronous"). */
void el2_sync_handler(struct frame *f) {
  u64 esr = read_sysreg(esr_el2);
  u64 ec = esr >> 26;
  switch (ec) {
    case 0x24: { /* data abort from a lower EL: stage-2 fault on the UART's IPA */
      /* HPFAR_EL2.FIPA holds IPA[47:12] in bits [43:4]; FAR_EL2 supplies the page offset */
      u64 ipa = ((read_sysreg(hpfar_el2) >> 4) << 12) | (read_sysreg(far_el2) & 0xfff);
      if (!((esr >> 24) & 1)) guest_fault("data abort without a valid syndrome (ISV=0)", esr);
      if (ipa < GUEST_UART_IPA || ipa >= GUEST_UART_IPA + 0x1000) guest_fault("guest touched unmapped IPA", esr);
      emulate_mmio(f, esr, ipa);
      return;
    }
    case 0x16: /* HVC: ELR already points past it */
      stats.hvcs++;
      if (f->x[0] == 0xc60000e1UL) {
        hyp_log("the guest took an exception at EL1:");
        putkv("ESR_EL1", f->x[1]);
        putkv("ELR_EL1", f->x[2]);
        puts(" vector offset ");
        putx(f->x[3]);
        puts("\n");
        system_off();
      }
      if (f->x[0] == 0xc6000001UL) {
        hyp_log("HVC #");
        putx(esr & 0xffff);
        puts(" from the guest at ELR=");
        putx(f->elr);
        puts(": replying x0=VMID, x1=guest RAM PA\n");
        f->x[0] = VMID;
        f->x[1] = (u64)__guest_pa;
      } else {
        guest_psci(f);
      }
      return;
    case 0x17: /* SMC trapped by HCR_EL2.TSC: ELR points at the SMC itself */
      stats.smcs++;
      f->elr += 4;
      hyp_log("trapped SMC from the guest: function ");
      puthex32((u32)f->x[0]);
      puts("\n");
      guest_psci(f);
      return;
    default:
      guest_fault("unexpected exception from the guest", esr);
  }
}

void hyp_trap(struct frame *f, int slot) {
  if (slot == 8) {
    el2_sync_handler(f);
    return;
  }
  puts("[hyp] unexpected exception, vector slot ");
  putdec((u64)slot);
  putkv("ESR_EL2", read_sysreg(esr_el2));
  putkv("ELR_EL2", read_sysreg(elr_el2));
  putc('\n');
  system_off();
}

int main(void) {
  putln("el2scope demo hypervisor");
  hyp_log("running at EL");
  putdec(current_el());
  puts("\n");
  write_sysreg(vbar_el2, hyp_vectors);
  build_stage2();
  write_sysreg(sctlr_el1, 0x30d00800UL);          /* guest starts with its MMU off */
  write_sysreg(cptr_el2, 0x33ffUL);
  write_sysreg(hcr_el2, HCR_RW | HCR_TSC | HCR_VM);
  isb();
  hyp_log("HCR_EL2=");
  puthex(read_sysreg(hcr_el2));
  puts("; entering the guest at EL1, ELR_EL2=");
  putx((u64)guest_entry);
  puts("\n");
  enter_guest(guest_entry, 0x3c5UL);              /* EL1h, DAIF masked */
}
