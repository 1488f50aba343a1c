/* smmu-dma guest (EL1, stage 1 off, under the hypervisor's stage 2): a driver for the DMA copy
 * engine that the hypervisor passed through at IPA 0x0c00_0000. Every address it gives the device
 * is an IPA (later an IOVA of its own stage-1 tables); the SMMU translates them with the same
 * stage 2 as the CPU. After each copy it reports to the hypervisor with HVC, which checks the
 * physical memory and the SMMU's event queue and prints the results. */
#include "vectors.h"
typedef unsigned long u64;
typedef unsigned int u32;
typedef unsigned char u8;

#define DMA 0x0c000000UL
#define DMA_SRC_LO 0x08
#define DMA_SRC_HI 0x0c
#define DMA_DST_LO 0x10
#define DMA_DST_HI 0x14
#define DMA_LEN 0x18
#define DMA_CTRL 0x1c
#define DMA_STATUS 0x20
#define DMA_FAULT_LO 0x28
#define DMA_FAULT_INFO 0x30

#define BUF_IPA 0x50000000UL /* stage 2: 2 MiB block -> PA 0x4600_0000 */

static inline void w32(u64 a, u32 v) { *(volatile u32 *)a = v; }
static inline u32 r32(u64 a) { return *(volatile u32 *)a; }

static u64 hvc(u64 fn, u64 a, u64 b, u64 c) {
  register u64 x0 __asm__("x0") = fn;
  register u64 x1 __asm__("x1") = a;
  register u64 x2 __asm__("x2") = b;
  register u64 x3 __asm__("x3") = c;
  __asm__ volatile("hvc #0" : "+r"(x0) : "r"(x1), "r"(x2), "r"(x3) : "memory");
  return x0;
}

/* copy with the DMA engine; report (status, fault address, fault info) to the hypervisor */
static void copy(u64 step, u64 src, u64 dst, u32 len, u32 irq) {
  w32(DMA + DMA_SRC_LO, (u32)src);
  w32(DMA + DMA_SRC_HI, (u32)(src >> 32));
  w32(DMA + DMA_DST_LO, (u32)dst);
  w32(DMA + DMA_DST_HI, (u32)(dst >> 32));
  w32(DMA + DMA_LEN, len);
  w32(DMA + DMA_CTRL, 1 | (irq ? 2 : 0)); /* START, IRQ_EN */
  u32 st;
  while ((st = r32(DMA + DMA_STATUS)) & 1) {
  }
  hvc(step, st, r32(DMA + DMA_FAULT_LO), r32(DMA + DMA_FAULT_INFO));
  w32(DMA + DMA_STATUS, 6);
}

/* The guest's own I/O page tables for nested translation (4K granule, 4 GiB IOVA, start level 1)
 * and its context descriptor, all in its IPA space. Descriptors hold IPAs. */
u64 io_l1[512] __attribute__((aligned(4096)));
u64 io_l2[512] __attribute__((aligned(4096)));
u64 io_l3[512] __attribute__((aligned(4096)));
u64 cd[8] __attribute__((aligned(64)));

#define PAGE_EL0_RW ((1UL << 10) | (3UL << 8) | (1UL << 6) | 3UL) /* AF, SH, AP[2:1]=01, page */

void guest_main(void) {
  volatile u8 *buf = (volatile u8 *)BUF_IPA;
  for (int i = 0; i < 64; i++) buf[i] = (u8)(3 * i + 1);
  /* 1: a copy inside the guest's buffer: IPA 0x5000_0000 -> IPA 0x5000_1000 */
  copy(1, BUF_IPA, BUF_IPA + 0x1000, 64, 1);
  /* 2: a copy to an IPA stage 2 does not map (PA 0x4200_0000 holds the hypervisor's sentinel) */
  copy(2, BUF_IPA, 0x42000000UL, 64, 0);
  /* 3-5: IPA 0x5100_0000 is a 4K page the hypervisor moves between PAs */
  copy(3, BUF_IPA, 0x51000000UL, 16, 0);
  hvc(0x10, 0, 0, 0); /* hypervisor: move the page, no SMMU TLBI yet */
  copy(4, BUF_IPA + 16, 0x51000000UL, 16, 0);
  hvc(0x11, 0, 0, 0); /* hypervisor: TLBI_S2_IPA + CMD_SYNC */
  copy(5, BUF_IPA + 32, 0x51000000UL, 16, 0);
  /* 6-9: stage 1 (the guest's tables, its CD) nested in stage 2 */
  io_l1[0] = (u64)io_l2 | 3;
  io_l2[0x80] = (u64)io_l3 | 3;                 /* IOVA 0x1000_0000.. */
  io_l3[0] = BUF_IPA | PAGE_EL0_RW;             /* IOVA 0x1000_0000 -> IPA 0x5000_0000 */
  io_l3[1] = (BUF_IPA + 0x2000) | PAGE_EL0_RW;  /* IOVA 0x1000_1000 -> IPA 0x5000_2000 */
  io_l3[3] = 0x43000000UL | PAGE_EL0_RW;        /* IOVA 0x1000_3000 -> IPA 0x4300_0000 (no S2) */
  /* CD (IHI 0070 5.4): T0SZ 32, TG0 4K, EPD1, V, IPS 48-bit, AA64, R, ASID 9; TTB0; MAIR attr0 WB */
  cd[0] = 32UL | (1UL << 30) | (1UL << 31) | (5UL << 32) | (1UL << 41) | (1UL << 45) | (9UL << 48);
  cd[1] = (u64)io_l1;
  cd[3] = 0xff;
  hvc(0x12, (u64)cd, 0, 0); /* hypervisor: switch the stream to stage 1 + stage 2 */
  copy(6, 0x10000000UL, 0x10001000UL, 64, 0);
  copy(7, 0x10000000UL, 0x20000000UL, 8, 0); /* IOVA not mapped at stage 1 */
  copy(8, 0x10000000UL, 0x10003000UL, 8, 0); /* stage 1 maps it to an IPA stage 2 does not */
  hvc(0x1f, 0, 0, 0); /* done */
  for (;;) {
  }
}

void guest_exception(struct frame *f, int slot) {
  u64 esr;
  __asm__ volatile("mrs %0, esr_el1" : "=r"(esr));
  hvc(0x1e, (u64)slot, f->elr, esr);
}
