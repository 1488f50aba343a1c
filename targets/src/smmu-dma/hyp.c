/* smmu-dma: an EL2 hypervisor that gives its guest a DMA-capable device through the SMMUv3.
 *
 * One set of stage-2 tables (VMID 1) serves both the CPU (VTTBR_EL2) and the SMMU (the STE of the
 * DMA engine's StreamID 0x20), so DMA sees exactly the guest's IPA space:
 *   IPA 0x0c00_0000 (4K)  -> PA 0x0c00_0000  the DMA engine's registers (Device)
 *   IPA 0x4000_0000 (2M)  -> PA 0x4400_0000  guest image
 *   IPA 0x5000_0000 (2M)  -> PA 0x4600_0000  guest buffers
 *   IPA 0x5100_0000 (4K)  -> PA 0x4700_0000, later 0x4700_1000 (the TLBI test page)
 * The guest drives the DMA engine; after each copy it reports with HVC and the hypervisor checks
 * physical memory and the SMMU event queue. SMMU facts: Arm IHI 0070 — registers 6.3, STE 5.2,
 * CD 5.4, commands 4.x (CFGI_STE 0x03, CFGI_ALL 0x04/Range 31, TLBI_NSNH_ALL 0x30, TLBI_S2_IPA
 * 0x2a, CMD_SYNC 0x46 with an MSI write as completion), event records 7.3.
 *
 * The output is compared with a golden file written by hand (targets/golden/smmu-dma.md): QEMU's
 * virt has no DMA engine behind its SMMU, so no QEMU recording is possible. */
#include "target.h"
#include "vectors.h"

extern char hyp_vectors[];
extern char guest_entry[], __guest_pa[];
void enter_guest(void *entry, u64 spsr) __attribute__((noreturn));

#define SMMU 0x09050000UL
#define SMMU_IDR0 0x00
#define SMMU_IDR1 0x04
#define SMMU_IDR5 0x14
#define SMMU_CR0 0x20
#define SMMU_CR0ACK 0x24
#define SMMU_IRQ_CTRL 0x50
#define SMMU_IRQ_CTRLACK 0x54
#define SMMU_GERROR 0x60
#define SMMU_STRTAB_BASE 0x80
#define SMMU_STRTAB_BASE_CFG 0x88
#define SMMU_CMDQ_BASE 0x90
#define SMMU_CMDQ_PROD 0x98
#define SMMU_CMDQ_CONS 0x9c
#define SMMU_EVENTQ_BASE 0xa0
#define SMMU_EVENTQ_PROD 0x100a8
#define SMMU_EVENTQ_CONS 0x100ac
#define CR0_SMMUEN 1
#define CR0_EVENTQEN 4
#define CR0_CMDQEN 8
#define SID 0x20
#define VMID 1UL
/* GICv3 distributor (IHI 0069 12.9): ICFGR, ISPENDR, ICPENDR. The SMMU's wired interrupts are the
 * edge-triggered SPIs 74..77 (INTID 106..109: eventq, priq, cmdq-sync, gerror), the DMA engine's
 * completion interrupt the level-sensitive SPI 112 (INTID 144), as the generated DTB says. */
#define GICD 0x08000000UL
#define INTID_EVENTQ 106
#define INTID_DMA 144
#define R32(a) (*(volatile u32 *)(a))

#define HCR_VM (1UL << 0)
#define HCR_RW (1UL << 31)
#define D_TABLE 0x3UL
#define D_BLOCK 0x1UL
#define D_PAGE 0x3UL
#define S2_RW ((0xfUL << 2) | (3UL << 6) | (3UL << 8) | (1UL << 10))
#define S2_DEV ((0x0UL << 2) | (3UL << 6) | (1UL << 10))
/* VTCR_EL2: T0SZ 32, SL0 1 (start level 1), IRGN0/ORGN0 WB, SH0 inner, TG0 4K, PS 40-bit, RES1 bit 31 */
#define VTCR (32UL | (1UL << 6) | (1UL << 8) | (1UL << 10) | (3UL << 12) | (2UL << 16) | (1UL << 31))

#define PA_BUF 0x46000000UL
#define PA_PAGE_A 0x47000000UL
#define PA_PAGE_B 0x47001000UL
#define PA_SENTINEL 0x42000000UL

u64 s2_l1[512] __attribute__((aligned(4096)));
u64 s2_l2_lo[512] __attribute__((aligned(4096)));
u64 s2_l2[512] __attribute__((aligned(4096)));
u64 s2_l3_dma[512] __attribute__((aligned(4096)));
u64 s2_l3_page[512] __attribute__((aligned(4096)));
u64 strtab[64 * 8] __attribute__((aligned(4096))); /* 64 STEs (LOG2SIZE 6) */
u64 cmdq[16 * 2] __attribute__((aligned(4096)));   /* 16 commands */
u64 evtq[16 * 4] __attribute__((aligned(4096)));   /* 16 event records */
volatile u32 sync_word;
static u32 cmd_prod, evt_cons, sync_seq;

static inline void mw32(u64 off, u32 v) { *(volatile u32 *)(SMMU + off) = v; }
static inline u32 mr32(u64 off) { return *(volatile u32 *)(SMMU + off); }
static void mw64(u64 off, u64 v) {
  mw32(off, (u32)v);
  mw32(off + 4, (u32)(v >> 32));
}

static void fail(const char *why) {
  puts("[hyp] FAIL: ");
  putln(why);
  system_off();
}

/* submit one command and wait until the SMMU has consumed it */
static void cmd(u64 w0, u64 w1) {
  cmdq[(cmd_prod & 15) * 2] = w0;
  cmdq[(cmd_prod & 15) * 2 + 1] = w1;
  dsb_sy();
  cmd_prod = (cmd_prod + 1) & 31;
  mw32(SMMU_CMDQ_PROD, cmd_prod);
  if ((mr32(SMMU_CMDQ_CONS) & 31) != cmd_prod) {
    puts("[hyp] command queue stopped: CMDQ_CONS=");
    puthex32(mr32(SMMU_CMDQ_CONS));
    puts(" GERROR=");
    puthex32(mr32(SMMU_GERROR));
    putc('\n');
    fail("command not consumed");
  }
}

/* CMD_SYNC, completion signalled by an MSI write of a sequence number to sync_word */
static void sync(void) {
  sync_seq++;
  cmd(0x46UL | (1UL << 12) | ((u64)sync_seq << 32), (u64)&sync_word);
  while (sync_word != sync_seq) {
  }
}

static void ste_stage2(u64 *ste) {
  ste[0] = 1 | (6UL << 1); /* V, Config = stage 1 bypass, stage 2 translate */
  ste[1] = 0;
  /* S2VMID, S2T0SZ 32, S2SL0 1, S2IR0/S2OR0 WB, S2SH0 inner, S2TG 4K, S2PS 40-bit, S2AA64, S2R */
  ste[2] = VMID | (32UL << 32) | (1UL << 38) | (1UL << 40) | (1UL << 42) | (3UL << 44) | (2UL << 48) | (1UL << 51) | (1UL << 58);
  ste[3] = (u64)s2_l1;
  for (int i = 4; i < 8; i++) ste[i] = 0;
}

static void build_stage2(void) {
  s2_l1[0] = (u64)s2_l2_lo | D_TABLE;
  s2_l1[1] = (u64)s2_l2 | D_TABLE;
  s2_l2_lo[0x0c000000UL >> 21] = (u64)s2_l3_dma | D_TABLE;
  s2_l3_dma[0] = 0x0c000000UL | D_PAGE | S2_DEV;
  s2_l2[0] = (u64)__guest_pa | D_BLOCK | S2_RW;
  s2_l2[(0x50000000UL - 0x40000000UL) >> 21] = PA_BUF | D_BLOCK | S2_RW;
  s2_l2[(0x51000000UL - 0x40000000UL) >> 21] = (u64)s2_l3_page | D_TABLE;
  s2_l3_page[0] = PA_PAGE_A | D_PAGE | S2_RW;
  dsb_sy();
  write_sysreg(vtcr_el2, VTCR);
  write_sysreg(vttbr_el2, (VMID << 48) | (u64)s2_l1);
}

static void smmu_init(void) {
  u32 idr0 = mr32(SMMU_IDR0);
  puts("[hyp] SMMU IDR0: S1P=");
  putdec((idr0 >> 1) & 1);
  puts(" S2P=");
  putdec(idr0 & 1);
  puts(" TTF=");
  putdec((idr0 >> 2) & 3);
  puts(" VMID16=");
  putdec((idr0 >> 18) & 1);
  puts(" ST_LEVEL=");
  putdec((idr0 >> 27) & 3);
  puts(" MSI=");
  putdec((idr0 >> 13) & 1);
  puts(" IDR1.SIDSIZE=");
  putdec(mr32(SMMU_IDR1) & 63);
  puts(" IDR5.OAS=");
  putdec(mr32(SMMU_IDR5) & 7);
  putc('\n');
  if (!(idr0 & 1)) fail("no stage 2");
  ste_stage2(&strtab[SID * 8]);
  dsb_sy();
  mw64(SMMU_STRTAB_BASE, (u64)strtab);
  mw32(SMMU_STRTAB_BASE_CFG, 6); /* linear, 64 STEs */
  mw64(SMMU_CMDQ_BASE, (u64)cmdq | 4);
  mw64(SMMU_EVENTQ_BASE, (u64)evtq | 4);
  mw32(SMMU_CMDQ_CONS, 0);
  mw32(SMMU_EVENTQ_PROD, 0);
  mw32(SMMU_EVENTQ_CONS, 0);
  mw32(SMMU_CR0, CR0_CMDQEN | CR0_EVENTQEN);
  while (mr32(SMMU_CR0ACK) != (CR0_CMDQEN | CR0_EVENTQEN)) {
  }
  /* wired interrupts: eventq and gerror (edge-triggered at the GIC) */
  for (unsigned id = 106; id <= 109; id++) R32(GICD + 0xc00 + 4 * (id / 16)) |= 2u << (2 * (id % 16));
  mw32(SMMU_IRQ_CTRL, 5); /* GERROR_IRQEN | EVENTQ_IRQEN */
  while (mr32(SMMU_IRQ_CTRLACK) != 5) {
  }
  cmd(0x04UL, 31); /* CFGI_ALL */
  cmd(0x30UL, 0);  /* TLBI_NSNH_ALL */
  sync();
  mw32(SMMU_CR0, CR0_CMDQEN | CR0_EVENTQEN | CR0_SMMUEN);
  while (!(mr32(SMMU_CR0ACK) & CR0_SMMUEN)) {
  }
  puts("[hyp] SMMU on: StreamID 0x20 -> stage 2, VMID 1, S2TTB = VTTBR_EL2's tables\n");
}

static const char *evt_name(u32 t) {
  switch (t) {
    case 0x02: return "C_BAD_STREAMID";
    case 0x04: return "C_BAD_STE";
    case 0x0a: return "C_BAD_CD";
    case 0x10: return "F_TRANSLATION";
    case 0x11: return "F_ADDR_SIZE";
    case 0x12: return "F_ACCESS";
    case 0x13: return "F_PERMISSION";
    default: return "other";
  }
}

static int gic_pending(unsigned id) { return (R32(GICD + 0x200 + 4 * (id / 32)) >> (id % 32)) & 1; }

/* print and consume the event records the SMMU has queued */
static void drain_events(void) {
  puts("[hyp]   GIC: eventq interrupt (INTID 106) pending=");
  putdec((u64)gic_pending(INTID_EVENTQ));
  putc('\n');
  R32(GICD + 0x280 + 4 * (INTID_EVENTQ / 32)) = 1u << (INTID_EVENTQ % 32); /* ICPENDR */
  u32 prod = mr32(SMMU_EVENTQ_PROD);
  if ((prod & 31) == evt_cons) puts("[hyp]   event queue: empty\n");
  while ((prod & 31) != evt_cons) {
    u32 *r = (u32 *)&evtq[(evt_cons & 15) * 4];
    static const char *cls[] = {"CD", "TT", "IN", "?"};
    puts("[hyp]   event ");
    puts(evt_name(r[0] & 0xff));
    puts(" StreamID=");
    putx(r[1]);
    puts(r[3] & (1u << 3) ? " read" : " write");
    puts(" S2=");
    putdec((r[3] >> 7) & 1);
    puts(" Class=");
    puts(cls[(r[3] >> 8) & 3]);
    puts(" InputAddr=");
    putx(((u64)r[5] << 32) | r[4]);
    puts(" IPA=");
    putx(((u64)(r[7] & 0xfffff) << 32) | (r[6] & ~0xfffu));
    putc('\n');
    evt_cons = (evt_cons + 1) & 31;
  }
  mw32(SMMU_EVENTQ_CONS, evt_cons);
}

/* do the `len` bytes at PA `pa` equal the guest's source pattern starting at `from`? */
static int matches(u64 pa, int from, int len) {
  for (int i = 0; i < len; i++)
    if (((volatile u8 *)pa)[i] != (u8)(3 * (from + i) + 1)) return 0;
  return 1;
}

static void check(const char *what, int ok) {
  puts("[hyp]   ");
  puts(what);
  puts(ok ? ": ok\n" : ": WRONG\n");
}

static void report(u64 step, u64 st, u64 faddr, u64 finfo) {
  puts("[hyp] DMA ");
  putdec(step);
  puts(": STATUS=");
  putx(st);
  if (st & 4) {
    puts(" ERROR at ");
    putx(faddr);
    puts(finfo & 1 ? " (write" : " (read");
    puts(", event ");
    putx((finfo >> 8) & 0xff);
    putc(')');
  } else if (st & 2)
    puts(" DONE");
  putc('\n');
  switch (step) {
    case 1:
      puts("[hyp]   GIC: DMA completion interrupt (INTID 144) pending=");
      putdec((u64)gic_pending(INTID_DMA));
      putc('\n');
      check("IPA 0x50001000 -> PA 0x46001000 holds the 64 copied bytes", matches(PA_BUF + 0x1000, 0, 64));
      break;
    case 2:
      drain_events();
      check("PA 0x42000000 (what the IPA would be, untranslated) still holds its sentinel", *(volatile u64 *)PA_SENTINEL == 0x5e5e5e5e5e5e5e5eUL);
      break;
    case 3:
      check("IPA 0x51000000 -> PA 0x47000000", matches(PA_PAGE_A, 0, 16));
      break;
    case 4:
      check("stale SMMU TLB entry: the copy went to the old PA 0x47000000", matches(PA_PAGE_A, 16, 16));
      check("new PA 0x47001000 untouched", *(volatile u64 *)PA_PAGE_B == 0);
      break;
    case 5:
      check("after TLBI_S2_IPA + CMD_SYNC the copy went to PA 0x47001000", matches(PA_PAGE_B, 32, 16));
      break;
    case 6:
      check("IOVA 0x10001000 -> IPA 0x50002000 -> PA 0x46002000 holds the 64 copied bytes", matches(PA_BUF + 0x2000, 0, 64));
      break;
    case 7:
    case 8:
      drain_events();
      break;
  }
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

void hyp_trap(struct frame *f, int slot) {
  u64 esr = read_sysreg(esr_el2);
  if (slot != 8 || (esr >> 26) != 0x16) stop("unexpected exception from the guest", esr);
  u64 fn = f->x[0];
  if (fn >= 1 && fn <= 8) {
    report(fn, f->x[1], f->x[2], f->x[3]);
    return;
  }
  switch (fn) {
    case 0x10:
      /* move the page: break-before-make at stage 2; the CPU TLB is invalidated, the SMMU's not yet */
      s2_l3_page[0] = 0;
      dsb_sy();
      __asm__ volatile("tlbi ipas2e1is, %0\n dsb ish\n tlbi vmalle1is\n dsb ish\n isb" : : "r"(0x51000000UL >> 12) : "memory");
      s2_l3_page[0] = PA_PAGE_B | D_PAGE | S2_RW;
      dsb_sy();
      puts("[hyp] stage 2: IPA 0x51000000 now -> PA 0x47001000 (CPU TLB invalidated, SMMU TLB not)\n");
      return;
    case 0x11:
      cmd(0x2aUL | (VMID << 32), 0x51000000UL); /* TLBI_S2_IPA */
      sync();
      puts("[hyp] SMMU: TLBI_S2_IPA VMID 1 IPA 0x51000000, CMD_SYNC completed (MSI)\n");
      return;
    case 0x12: {
      u64 *ste = &strtab[SID * 8];
      ste[0] = 1 | (7UL << 1) | (f->x[1] & 0x000fffffffffffc0UL); /* Config = S1 + S2, S1ContextPtr (IPA) */
      dsb_sy();
      cmd(0x03UL | ((u64)SID << 32), 1); /* CFGI_STE */
      sync();
      puts("[hyp] STE 0x20: stage 1 (guest CD at IPA ");
      putx(f->x[1]);
      puts(") + stage 2, CFGI_STE + CMD_SYNC\n");
      return;
    }
    case 0x1e:
      puts("[hyp] guest exception, slot ");
      putdec(f->x[1]);
      putkv("ELR_EL1", f->x[2]);
      putkv("ESR_EL1", f->x[3]);
      putc('\n');
      system_off();
    case 0x1f:
      puts("[hyp] GERROR=");
      puthex32(mr32(SMMU_GERROR));
      puts(", done\n");
      system_off();
  }
  stop("unknown hypercall", esr);
}

int main(void) {
  putln("smmu-dma: a DMA engine given to a guest through the SMMUv3's stage 2");
  write_sysreg(vbar_el2, hyp_vectors);
  *(volatile u64 *)PA_SENTINEL = 0x5e5e5e5e5e5e5e5eUL;
  build_stage2();
  smmu_init();
  write_sysreg(sctlr_el1, 0x30d00800UL);
  write_sysreg(cptr_el2, 0x33ffUL);
  write_sysreg(hcr_el2, HCR_RW | HCR_VM);
  isb();
  __asm__ volatile("tlbi alle1\n dsb ish\n isb" ::: "memory");
  puts("[hyp] entering the guest at IPA 0x40000000\n");
  enter_guest(guest_entry, 0x3c5UL);
}
