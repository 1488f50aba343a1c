/* mmu-s1s2: a hypervisor running two VMs whose guests enable their own stage 1 under stage 2.
 *  VM 1 (VMID 1): IPA 0x4000_0000 (2 MiB) -> PA 0x4400_0000, IPA 0x4020_0000 -> PA 0x4420_0000
 *                 read-only; VM 2 (VMID 2): IPA 0x4000_0000 -> PA 0x4440_0000 (a copy of the
 *                 guest image). Neither maps the UART's IPA 0x0900_0000: the hypervisor emulates it.
 * It reports the S1PTW stage-2 fault VM 1 provokes, answers VM 1's request to translate its
 * addresses with AT S1E1*, S1E0R and S12E1* (printing the architecturally defined PAR_EL1 fields),
 * and switches VMs without TLB invalidation, relying on VMID tagging, as real hypervisors do.
 * Arm ARM: D8 (translation), D8.13 (TLB maintenance, VMID), C5.5 (AT), D17.2 (PAR_EL1, HPFAR_EL2). */
#include "target.h"
#include "vectors.h"

extern char hyp_vectors[];
extern char guest_entry[], __guest_pa[], __guest_start[], __guest_end[];
extern volatile u64 vm_id, marker;
void enter_guest(void *entry, u64 spsr) __attribute__((noreturn));

#define HCR_VM (1UL << 0)
#define HCR_TSC (1UL << 19)
#define HCR_RW (1UL << 31)
#define D_TABLE 0x3UL
#define D_BLOCK 0x1UL
#define S2_RW ((0xfUL << 2) | (3UL << 6) | (3UL << 8) | (1UL << 10))
#define S2_RO ((0xfUL << 2) | (1UL << 6) | (3UL << 8) | (1UL << 10))
#define VM2_PA 0x44400000UL
#define VTCR (32UL | (1UL << 6) | (1UL << 8) | (1UL << 10) | (3UL << 12) | (1UL << 31))

u64 vm1_l1[512] __attribute__((aligned(4096)));
u64 vm1_l2[512] __attribute__((aligned(4096)));
u64 vm2_l1[512] __attribute__((aligned(4096)));
u64 vm2_l2[512] __attribute__((aligned(4096)));

struct vm_el1 {
  u64 sctlr, ttbr0, tcr, mair, vbar, sp_el1, sp_el0;
  struct frame f;
};
static struct vm_el1 vm1_saved;
static int current_vm = 1;
static u64 mmio_stores;

static u64 vttbr_of(int vm) { return vm == 1 ? (1UL << 48) | (u64)vm1_l1 : (2UL << 48) | (u64)vm2_l1; }

static void build_stage2(void) {
  u64 pa = (u64)__guest_pa;
  vm1_l1[1] = (u64)vm1_l2 | D_TABLE;
  vm1_l2[0] = pa | D_BLOCK | S2_RW;
  vm1_l2[1] = (pa + 0x200000UL) | D_BLOCK | S2_RO;
  vm2_l1[1] = (u64)vm2_l2 | D_TABLE;
  vm2_l2[0] = VM2_PA | D_BLOCK | S2_RW;
  /* VM 2 runs a pristine copy of the guest image, with its own identity */
  u64 size = (u64)__guest_end - (u64)__guest_start;
  memcpy((void *)VM2_PA, (void *)pa, size);
  *(volatile u64 *)(VM2_PA + ((u64)&vm_id - (u64)__guest_start)) = 2;
  *(volatile u64 *)(VM2_PA + ((u64)&marker - (u64)__guest_start)) = 0x2222222222222222UL;
  dsb_sy();
  write_sysreg(vtcr_el2, VTCR);
}

static void par_report(const char *what, u64 va) {
  u64 par = read_sysreg(par_el1);
  puts("  ");
  puts(what);
  puts(" VA ");
  putx(va);
  puts(": ");
  if (par & 1) {
    puts("fault FST=");
    putx((par >> 1) & 0x3f);
    puts(" PTW=");
    putdec((par >> 8) & 1);
    puts(" S=");
    putdec((par >> 9) & 1);
  } else {
    puts("PA=");
    putx(par & 0x0000fffffffff000UL);
    puts(" ATTR=");
    putx(par >> 56);
    puts(" SH=");
    putdec((par >> 7) & 3);
  }
  putc('\n');
}

#define AT(op, va)                                                       \
  do {                                                                   \
    __asm__ volatile("at " #op ", %0\n isb" : : "r"((u64)(va)) : "memory"); \
    par_report(#op, (va));                                               \
  } while (0)

static void do_at(void) {
  puts("[hyp] AT on VM 1's addresses (stage 1 from its EL1 registers, stage 2 from VTTBR_EL2):\n");
  AT(s1e1r, 0x40000f00UL);
  AT(s12e1r, 0x40000f00UL);
  AT(s12e1r, 0x50000000UL);
  AT(s1e1w, 0x40200000UL);
  AT(s12e1w, 0x40200000UL);
  AT(s12e1r, 0x80000010UL);
  AT(s1e1w, 0xc0000008UL);
  AT(s1e0r, 0x40000000UL);
  AT(s12e1r, 0x09000000UL);
}

static void switch_to_vm2(struct frame *f) {
  vm1_saved.sctlr = read_sysreg(sctlr_el1);
  vm1_saved.ttbr0 = read_sysreg(ttbr0_el1);
  vm1_saved.tcr = read_sysreg(tcr_el1);
  vm1_saved.mair = read_sysreg(mair_el1);
  vm1_saved.vbar = read_sysreg(vbar_el1);
  vm1_saved.sp_el1 = read_sysreg(sp_el1);
  vm1_saved.sp_el0 = read_sysreg(sp_el0);
  vm1_saved.f = *f;
  write_sysreg(sctlr_el1, 0x30d00800UL);
  write_sysreg(ttbr0_el1, 0);
  write_sysreg(vttbr_el2, vttbr_of(2));
  isb();
  for (int i = 0; i < 31; i++) f->x[i] = 0;
  f->elr = (u64)guest_entry;
  f->spsr = 0x3c5;
  current_vm = 2;
  puts("[hyp] switching to VM 2: VTTBR_EL2=");
  puthex(read_sysreg(vttbr_el2));
  puts(" (no TLB invalidation: entries are tagged with the VMID)\n");
}

static void switch_to_vm1(struct frame *f) {
  write_sysreg(sctlr_el1, vm1_saved.sctlr);
  write_sysreg(ttbr0_el1, vm1_saved.ttbr0);
  write_sysreg(tcr_el1, vm1_saved.tcr);
  write_sysreg(mair_el1, vm1_saved.mair);
  write_sysreg(vbar_el1, vm1_saved.vbar);
  write_sysreg(sp_el1, vm1_saved.sp_el1);
  write_sysreg(sp_el0, vm1_saved.sp_el0);
  write_sysreg(vttbr_el2, vttbr_of(1));
  isb();
  *f = vm1_saved.f;
  current_vm = 1;
  puts("[hyp] switching back to VM 1: VTTBR_EL2=");
  puthex(read_sysreg(vttbr_el2));
  putc('\n');
}

static void stop(const char *why, u64 esr) {
  puts("[hyp] ");
  puts(why);
  putkv("ESR_EL2", esr);
  putkv("ELR_EL2", read_sysreg(elr_el2));
  putkv("FAR_EL2", read_sysreg(far_el2));
  putkv("HPFAR_EL2", read_sysreg(hpfar_el2));
  putc('\n');
  system_off();
}

void el2_sync_handler(struct frame *f) {
  u64 esr = read_sysreg(esr_el2);
  u64 ec = esr >> 26;
  if (ec == 0x24) {
    u64 hpfar = read_sysreg(hpfar_el2), far = read_sysreg(far_el2);
    u64 ipa = ((hpfar >> 4) << 12) | (far & 0xfff);
    if ((esr >> 7) & 1) { /* S1PTW: the stage-1 walk itself hit a stage-2 fault */
      puts("[hyp] VM ");
      putdec((u64)current_vm);
      puts(" stage-2 fault on its stage-1 walk: ESR_EL2=");
      puthex32((u32)esr);
      puts(" (S1PTW=1, DFSC=");
      putx(esr & 0x3f);
      puts(") FAR_EL2=");
      putx(far);
      puts(" HPFAR_EL2=");
      putx(hpfar);
      puts("; skipping the load\n");
      f->elr += 4;
      return;
    }
    if (((esr >> 24) & 1) && ((esr >> 6) & 1) && (ipa & ~0xfffUL) == 0x09000000UL) {
      unsigned srt = (esr >> 16) & 31;
      if ((ipa & 0xfff) == 0) putc((char)(srt == 31 ? 0 : f->x[srt]));
      mmio_stores++;
      f->elr += 4;
      return;
    }
    stop("unexpected stage-2 data abort", esr);
  }
  if (ec == 0x16) {
    switch (f->x[0]) {
      case 0xc6000002UL:
        do_at();
        return;
      case 0xc6000003UL:
        if (current_vm == 1) switch_to_vm2(f);
        else switch_to_vm1(f);
        return;
      case 0xc6000004UL:
        puts("[hyp] done: ");
        putdec(mmio_stores);
        puts(" emulated UART stores\n");
        system_off();
      default:
        stop("guest reported a problem", esr);
    }
  }
  stop("unexpected exception from the guest", esr);
}

void hyp_trap(struct frame *f, int slot) {
  if (slot == 8) {
    el2_sync_handler(f);
    return;
  }
  puts("[hyp] unexpected exception, vector slot ");
  putdec((u64)slot);
  putc('\n');
  stop("", read_sysreg(esr_el2));
}

int main(void) {
  putln("mmu-s1s2: stage 1 under stage 2, S1PTW, AT, TLBI and two VMIDs");
  write_sysreg(vbar_el2, hyp_vectors);
  build_stage2();
  write_sysreg(vttbr_el2, vttbr_of(1));
  write_sysreg(sctlr_el1, 0x30d00800UL);
  write_sysreg(cptr_el2, 0x33ffUL);
  write_sysreg(hcr_el2, HCR_RW | HCR_TSC | HCR_VM);
  isb();
  __asm__ volatile("tlbi alle1\n dsb ish\n isb" ::: "memory");
  puts("[hyp] entering VM 1: VTTBR_EL2=");
  puthex(read_sysreg(vttbr_el2));
  putc('\n');
  enter_guest(guest_entry, 0x3c5UL);
}
