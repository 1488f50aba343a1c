/* Shared helpers for el2scope's bare-metal test targets (QEMU virt board). */
#ifndef TARGET_H
#define TARGET_H

typedef unsigned long u64;
typedef unsigned int u32;
typedef unsigned short u16;
typedef unsigned char u8;
typedef long s64;
typedef int s32;
typedef short s16;

#define UART_BASE 0x09000000UL      /* PL011: DR at +0x00, FR at +0x18 (TXFF = bit 5) */
#define SGPIO_BASE 0x090b0000UL     /* secure PL061, pin 0 = power off (QEMU virt DTB) */

#define PSCI_SYSTEM_OFF 0x84000008UL
#define PSCI_SYSTEM_RESET 0x84000009UL
#define PSCI_VERSION 0x84000000UL

#define read_sysreg(r) ({ u64 __v; __asm__ volatile("mrs %0, " #r : "=r"(__v)); __v; })
#define write_sysreg(r, v) __asm__ volatile("msr " #r ", %0" : : "r"((u64)(v)) : "memory")
#define isb() __asm__ volatile("isb" ::: "memory")
#define dsb_sy() __asm__ volatile("dsb sy" ::: "memory")

static inline unsigned current_el(void) { return (unsigned)((read_sysreg(CurrentEL) >> 2) & 3); }

/* uart.c */
void putc(char c);
void puts(const char *s);           /* no newline added */
void putln(const char *s);          /* adds "\n" */
void puthex(u64 v);                 /* 0x%016lx */
void puthex32(u32 v);               /* 0x%08x */
void putx(u64 v);                   /* 0x%lx, minimal digits */
void putdec(u64 v);
void putkv(const char *k, u64 v);   /* " k=0x..." (16 digits) */

/* psci.c */
u64 smc_call(u64 fn, u64 a1, u64 a2, u64 a3);
u64 hvc_call(u64 fn, u64 a1, u64 a2, u64 a3);
void system_off(void) __attribute__((noreturn));

/* start.S */
extern char __bss_start[], __bss_end[];

void *memset(void *d, int c, unsigned long n);
void *memcpy(void *d, const void *s, unsigned long n);

#endif
