/* mmu-s1s2 guest: turns on its own stage 1 (4K granule, 4 GiB VA, start level 1) under the
 * hypervisor's stage 2, then (VM 1 only) exercises TLB maintenance, a stage-1 table that stage 2
 * does not map (S1PTW fault, taken to EL2), a stage-1 translation fault (taken to itself), and asks
 * the hypervisor to run AT on its addresses. Both VMs read the same IPA, backed by different PAs.
 * Output goes through the PL011 at VA 0x0900_0000 (Device, stage 1) = IPA 0x0900_0000, which stage
 * 2 leaves unmapped so the hypervisor emulates it. */
#include "vectors.h"
typedef unsigned long u64;
typedef unsigned int u32;

#define R(r) ({ u64 __v; __asm__ volatile("mrs %0, " #r : "=r"(__v)); __v; })
#define W(r, v) __asm__ volatile("msr " #r ", %0" : : "r"((u64)(v)) : "memory")

/* patched by the hypervisor in VM 2's copy of this image */
volatile u64 vm_id = 1;
volatile u64 marker = 0x1111111111111111UL;

u64 g_l1[512] __attribute__((aligned(4096)));
u64 g_l2_low[512] __attribute__((aligned(4096)));   /* VA 0x0000_0000..0x3fff_ffff */
u64 g_l2[512] __attribute__((aligned(4096)));       /* VA 0x4000_0000..0x7fff_ffff */
u64 g_l3[512] __attribute__((aligned(4096)));       /* VA 0x5000_0000..0x501f_ffff */

#define PAGE_A 0x40110000UL
#define PAGE_B 0x40111000UL
#define S1PTW_TABLE_IPA 0x40400000UL  /* not mapped by stage 2 */

/* stage-1 descriptors: AttrIndx [4:2], AP [7:6] (00: EL1 RW), SH [9:8], AF [10] */
#define T_TABLE 0x3UL
#define T_BLOCK 0x1UL
#define T_PAGE 0x3UL
#define NORMAL ((0UL << 2) | (3UL << 8) | (1UL << 10))
#define DEVICE ((1UL << 2) | (1UL << 10))

static volatile u32 *const uart = (volatile u32 *)0x09000000UL;

__attribute__((noinline)) static void gputc(char c) { uart[0] = (unsigned char)c; }
__attribute__((noinline)) static void gputs(const char *s) {
  while (*s) gputc(*s++);
}
static void gputx(u64 v) {
  gputs("0x");
  int n = 1;
  while (n < 16 && (v >> (n * 4))) n++;
  for (int i = n - 1; i >= 0; i--) gputc("0123456789abcdef"[(v >> (i * 4)) & 15]);
}
static void tag(void) {
  gputs("[vm");
  gputc((char)('0' + vm_id));
  gputs("] ");
}

static u64 hvc(u64 fn) {
  register u64 x0 __asm__("x0") = fn;
  __asm__ volatile("hvc #0" : "+r"(x0) : : "x1", "x2", "x3", "memory");
  return x0;
}

static volatile u64 faults_seen;

/* The guest's own exceptions: report a data abort and step over it. */
void guest_exception(struct frame *f, int slot) {
  u64 esr = R(esr_el1);
  tag();
  gputs("EL1 took ESR_EL1=");
  gputx(esr);
  gputs(" FAR_EL1=");
  gputx(R(far_el1));
  gputs(" (slot ");
  gputx((u64)slot);
  gputs(")\n");
  faults_seen++;
  if ((esr >> 26) != 0x25) hvc(0xc60000ffUL); /* anything else: stop the run */
  f->elr += 4;
}

static void mmu_on(void) {
  g_l1[0] = (u64)g_l2_low | T_TABLE;
  g_l1[1] = (u64)g_l2 | T_TABLE;
  g_l1[2] = S1PTW_TABLE_IPA | T_TABLE;                 /* VA 0x8000_0000: table outside stage 2 */
  /* g_l1[3] invalid: VA 0xc000_0000 is a stage-1 level-1 translation fault */
  g_l2_low[0x09000000UL >> 21] = 0x09000000UL | T_BLOCK | DEVICE;
  g_l2[0] = 0x40000000UL | T_BLOCK | NORMAL;           /* identity: the guest's RAM */
  g_l2[1] = 0x40200000UL | T_BLOCK | NORMAL;           /* stage 2 maps this read-only */
  g_l2[(0x50000000UL >> 21) & 511] = (u64)g_l3 | T_TABLE;
  g_l3[0] = PAGE_A | T_PAGE | NORMAL;
  __asm__ volatile("dsb ishst" ::: "memory");
  W(mair_el1, 0x00ffUL);                               /* attr0 Normal WB, attr1 Device-nGnRnE */
  /* TCR_EL1: T0SZ=32, IRGN0=ORGN0=1, SH0=3, TG0=4K, EPD1=1, IPS=0 (32 bits) */
  W(tcr_el1, 32UL | (1UL << 8) | (1UL << 10) | (3UL << 12) | (1UL << 23));
  W(ttbr0_el1, (u64)g_l1);
  __asm__ volatile("isb; tlbi vmalle1; dsb nsh; isb" ::: "memory");
  W(sctlr_el1, R(sctlr_el1) | 1UL | (1UL << 2) | (1UL << 12)); /* M, C, I */
  __asm__ volatile("isb" ::: "memory");
}

void guest_main(void) {
  if (vm_id == 1) {
    *(volatile u64 *)PAGE_A = 0xaaaaaaaa0000000aUL;
    *(volatile u64 *)PAGE_B = 0xbbbbbbbb0000000bUL;
  }
  mmu_on();
  tag();
  gputs("stage 1 on: SCTLR_EL1=");
  gputx(R(sctlr_el1));
  gputs(" TTBR0_EL1=");
  gputx(R(ttbr0_el1));
  gputs("\n");
  tag();
  gputs("marker at IPA ");
  gputx((u64)&marker);
  gputs(" = ");
  gputx(marker);
  gputs("\n");
  if (vm_id == 1) {
    volatile u64 *va = (volatile u64 *)0x50000000UL;
    tag();
    gputs("VA 0x50000000 -> page A: ");
    gputx(*va);
    gputs("\n");
    g_l3[0] = PAGE_B | T_PAGE | NORMAL;                /* remap, then invalidate by VA */
    __asm__ volatile("dsb ishst; tlbi vae1, %0; dsb ish; isb" : : "r"(0x50000000UL >> 12) : "memory");
    tag();
    gputs("after remap + TLBI VAE1: ");
    gputx(*va);
    gputs("\n");
    tag();
    gputs("load through a stage-1 table that stage 2 does not map (VA 0x80000010)\n");
    u64 v = 0x5a5a;
    __asm__ volatile("ldr %0, [%1]" : "+r"(v) : "r"(0x80000010UL) : "memory");
    tag();
    gputs("  ...skipped by the hypervisor, register kept ");
    gputx(v);
    gputs("\n");
    tag();
    gputs("store to VA 0xc0000008 (no stage-1 mapping)\n");
    __asm__ volatile("str xzr, [%0]" : : "r"(0xc0000008UL) : "memory");
    tag();
    gputs("asking the hypervisor to translate with AT\n");
    hvc(0xc6000002UL);
  }
  tag();
  gputs("done; handing back to the hypervisor\n");
  hvc(0xc6000003UL);
  /* VM 1 resumes here after VM 2 has run */
  tag();
  gputs("back again: marker = ");
  gputx(marker);
  gputs(", VA 0x50000000 = ");
  gputx(*(volatile u64 *)0x50000000UL);
  gputs("\n");
  hvc(0xc6000004UL);
}
