/* vhe-host: a VHE host kernel (HCR_EL2.E2H=1, TGE=1) at EL2 with the EL2&0 translation regime:
 * TTBR0_EL2 for the processes' address space (4 KiB granule, ASIDs), TTBR1_EL2 for a high kernel
 * alias, the EL1-layout TCR_EL2/SCTLR_EL2. Two EL0 processes (ASID 1 and 2) map the same VA to
 * different pages and are switched by rewriting TTBR0_EL2 without any TLB invalidation; their SVCs
 * and a permission fault come straight to EL2 (TGE=1). Arm ARM D5 (VHE), D8 (EL2&0 regime, ASIDs). */
#include "target.h"
#include "vectors.h"

extern char host_vectors[], user_entry[];
void eret_to_el0(u64 pc) __attribute__((noreturn));

#define E2H (1UL << 34)
#define TGE (1UL << 27)
#define RW (1UL << 31)
#define USER_CODE_VA 0x08000000UL
#define USER_DATA_VA 0x10000000UL
#define DATA_A 0x46000000UL
#define DATA_B 0x46200000UL
#define HIGH_ALIAS 0xffffffffc0000000UL   /* TTBR1_EL2: top 1 GiB -> PA 0x4000_0000 */

/* stage-1 descriptor bits */
#define VALID_BLOCK 0x1UL
#define TABLE 0x3UL
#define ATTR_NORMAL (0UL << 2)
#define ATTR_DEVICE (1UL << 2)
#define AP_EL0_RW (1UL << 6)
#define AP_RO_ALL (3UL << 6)
#define SH_INNER (3UL << 8)
#define AF (1UL << 10)
#define NG (1UL << 11)
#define PXN (1UL << 53)
#define UXN (1UL << 54)

static u64 l1_a[512] __attribute__((aligned(4096)));
static u64 l2_a[512] __attribute__((aligned(4096)));
static u64 l1_b[512] __attribute__((aligned(4096)));
static u64 l2_b[512] __attribute__((aligned(4096)));
static u64 l1_high[512] __attribute__((aligned(4096)));
static volatile u64 kernel_secret = 0x5ec12e7;
static int current = 0, rounds;

static void build(u64 *l1, u64 *l2, u64 data_pa) {
  l1[0] = (u64)l2 | TABLE;
  l2[0x09000000UL >> 21] = 0x09000000UL | VALID_BLOCK | ATTR_DEVICE | AF | UXN | PXN;   /* UART, kernel only */
  /* the user's view of the kernel image's first 2 MiB: read-only, EL0-executable, never EL2-executable */
  l2[USER_CODE_VA >> 21] = 0x40000000UL | VALID_BLOCK | ATTR_NORMAL | AP_RO_ALL | SH_INNER | AF | NG | PXN;
  l2[USER_DATA_VA >> 21] = data_pa | VALID_BLOCK | ATTR_NORMAL | AP_EL0_RW | SH_INNER | AF | NG | UXN | PXN;
  l1[1] = 0x40000000UL | VALID_BLOCK | ATTR_NORMAL | SH_INNER | AF | UXN;               /* kernel, global */
}

static void use_process(int p) {
  /* TTBR0_EL2 with E2H=1: ASID in [63:48] (TCR_EL2.A1=0) */
  write_sysreg(ttbr0_el2, (p == 0 ? (u64)l1_a : (u64)l1_b) | ((u64)(p + 1) << 48));
  isb();
  current = p;
}

void host_trap(struct frame *f, int slot) {
  u64 esr = read_sysreg(esr_el2);
  u64 ec = esr >> 26;
  if (slot == 8 && ec == 0x15 && (esr & 0xffff) == 1) {
    puts("[host] SVC #1 from EL0, process ");
    putc((char)('A' + current));
    puts(" (ASID ");
    putdec((u64)current + 1);
    puts(") read VA 0x10000000 = ");
    putx(f->x[1]);
    puts("; ESR_EL2=");
    puthex32((u32)esr);
    putc('\n');
    rounds++;
    if (rounds == 1 || rounds == 2) {
      use_process(rounds == 1 ? 1 : 0);
      puts("[host] switched TTBR0_EL2 to process ");
      putc((char)('A' + current));
      puts(" without TLB invalidation\n");
      f->elr = USER_CODE_VA + ((u64)user_entry - 0x40000000UL);
    }
    return;
  }
  if (slot == 8 && ec == 0x24) {
    puts("[host] data abort from EL0: ESR_EL2=");
    puthex32((u32)esr);
    puts(" (DFSC ");
    putx(esr & 0x3f);
    puts(") FAR_EL2=");
    putx(read_sysreg(far_el2));
    puts("; skipping it\n");
    f->elr += 4;
    return;
  }
  if (slot == 8 && ec == 0x15 && (esr & 0xffff) == 2) {
    puts("[host] SVC #2: process ");
    putc((char)('A' + current));
    puts(" is done\n");
    putln("vhe-host: done");
    system_off();
  }
  puts("[host] unexpected exception");
  putkv("ESR_EL2", esr);
  putkv("ELR_EL2", read_sysreg(elr_el2));
  puts(" slot ");
  putdec((u64)slot);
  putc('\n');
  system_off();
}

int main(void) {
  putln("vhe-host: HCR_EL2.E2H=1 TGE=1, EL2&0 regime with ASIDs and TTBR1_EL2");
  write_sysreg(vbar_el2, host_vectors);
  *(volatile u64 *)DATA_A = 0xaaaa0001;
  *(volatile u64 *)DATA_B = 0xbbbb0002;
  build(l1_a, l2_a, DATA_A);
  build(l1_b, l2_b, DATA_B);
  l1_high[3] = 0x40000000UL | VALID_BLOCK | ATTR_NORMAL | SH_INNER | AF | UXN;           /* top GiB */
  dsb_sy();
  write_sysreg(hcr_el2, RW | E2H | TGE);
  isb();
  write_sysreg(mair_el2, 0x00ffUL);
  /* TCR_EL2 in its E2H=1 (EL1) layout: T0SZ=T1SZ=32, WBWA inner-shareable walks, TG0=4K, TG1=4K
   * (0b10), A1=0, AS=0, IPS=32 bits */
  write_sysreg(tcr_el2, 32UL | (1UL << 8) | (1UL << 10) | (3UL << 12) | (32UL << 16) | (1UL << 24) |
                            (1UL << 26) | (3UL << 28) | (2UL << 30));
  write_sysreg(ttbr1_el2, (u64)l1_high);
  use_process(0);
  __asm__ volatile("tlbi alle2\n dsb ish\n isb" ::: "memory");
  write_sysreg(sctlr_el2, read_sysreg(sctlr_el2) | 1UL | (1UL << 2) | (1UL << 12));
  isb();
  puts("[host] MMU on; kernel_secret through the TTBR1_EL2 alias ");
  putx(HIGH_ALIAS + ((u64)&kernel_secret - 0x40000000UL));
  puts(" = ");
  putx(*(volatile u64 *)(HIGH_ALIAS + ((u64)&kernel_secret - 0x40000000UL)));
  putc('\n');
  puts("[host] running process A at EL0\n");
  eret_to_el0(USER_CODE_VA + ((u64)user_entry - 0x40000000UL));
}
