// kvmtest: a static Linux user program that uses /dev/kvm to run a tiny AArch64 guest and checks the
// KVM_EXIT_MMIO exits it causes (address, length, direction, data). Runs inside the initramfs of the
// real-image tests (test/images): Linux with KVM on el2scope. Output lines are parsed by the test.
// Built by targets/linux/build.sh with aarch64-linux-gnu-gcc -static.
#include <fcntl.h>
#include <linux/kvm.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#define GUEST_RAM 0x10000000ULL  /* guest IPA of its RAM */
#define RAM_SIZE 0x10000ULL
#define MMIO_BASE 0x20000000ULL  /* not backed by any memslot: every access exits with KVM_EXIT_MMIO */

/* KVM_REG_ARM_CORE id of a field of struct kvm_regs (offset in 32-bit words) */
#define CORE_REG(off) (KVM_REG_ARM64 | KVM_REG_SIZE_U64 | KVM_REG_ARM_CORE | ((off) / sizeof(uint32_t)))

static int fail(const char *what) {
  perror(what);
  printf("kvmtest: FAIL %s\n", what);
  return 1;
}

/* Guest code (EL1, MMU off), x0 = MMIO_BASE:
 *   str  w1, [x0]          ; 32-bit MMIO write of 0xcafe1234 at MMIO_BASE
 *   ldr  x2, [x0, #8]      ; 64-bit MMIO read at MMIO_BASE+8 (value supplied by us)
 *   add  x2, x2, #1
 *   strb w2, [x0, #16]     ; 8-bit write of the low byte of read+1
 *   str  x2, [x3]          ; store into guest RAM (x3 = GUEST_RAM + 0x800), checked by us afterwards
 *   strh w2, [x0, #24]     ; final 16-bit write: the end marker
 *   b    .
 */
static const uint32_t guest_code[] = {
  0xb9000001, /* str w1, [x0] */
  0xf9400402, /* ldr x2, [x0, #8] */
  0x91000442, /* add x2, x2, #1 */
  0x39004002, /* strb w2, [x0, #16] */
  0xf9000062, /* str x2, [x3] */
  0x79003002, /* strh w2, [x0, #24] */
  0x14000000, /* b . */
};

int main(void) {
  int kvm = open("/dev/kvm", O_RDWR | O_CLOEXEC);
  if (kvm < 0) return fail("open /dev/kvm");
  int api = ioctl(kvm, KVM_GET_API_VERSION, 0);
  printf("kvmtest: KVM API version %d\n", api);
  int vm = ioctl(kvm, KVM_CREATE_VM, 0);
  if (vm < 0) return fail("KVM_CREATE_VM");

  uint8_t *mem = mmap(NULL, RAM_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
  if (mem == MAP_FAILED) return fail("mmap");
  memcpy(mem, guest_code, sizeof guest_code);
  struct kvm_userspace_memory_region region = {
    .slot = 0, .guest_phys_addr = GUEST_RAM, .memory_size = RAM_SIZE, .userspace_addr = (uint64_t)mem,
  };
  if (ioctl(vm, KVM_SET_USER_MEMORY_REGION, &region) < 0) return fail("KVM_SET_USER_MEMORY_REGION");

  int vcpu = ioctl(vm, KVM_CREATE_VCPU, 0);
  if (vcpu < 0) return fail("KVM_CREATE_VCPU");
  struct kvm_vcpu_init init;
  if (ioctl(vm, KVM_ARM_PREFERRED_TARGET, &init) < 0) return fail("KVM_ARM_PREFERRED_TARGET");
  if (ioctl(vcpu, KVM_ARM_VCPU_INIT, &init) < 0) return fail("KVM_ARM_VCPU_INIT");
  int mmap_size = ioctl(kvm, KVM_GET_VCPU_MMAP_SIZE, 0);
  struct kvm_run *run = mmap(NULL, mmap_size, PROT_READ | PROT_WRITE, MAP_SHARED, vcpu, 0);
  if (run == MAP_FAILED) return fail("mmap kvm_run");

  struct { uint64_t off; uint64_t val; } regs[] = {
    { offsetof(struct kvm_regs, regs.pc), GUEST_RAM },
    { offsetof(struct kvm_regs, regs.regs[0]), MMIO_BASE },
    { offsetof(struct kvm_regs, regs.regs[1]), 0xcafe1234 },
    { offsetof(struct kvm_regs, regs.regs[3]), GUEST_RAM + 0x800 },
  };
  for (unsigned i = 0; i < sizeof regs / sizeof regs[0]; i++) {
    struct kvm_one_reg r = { .id = CORE_REG(regs[i].off), .addr = (uint64_t)&regs[i].val };
    if (ioctl(vcpu, KVM_SET_ONE_REG, &r) < 0) return fail("KVM_SET_ONE_REG");
  }

  const uint64_t readValue = 0x1122334455667788ULL;
  struct { uint64_t addr; uint32_t len; uint8_t write; uint64_t data; } expect[] = {
    { MMIO_BASE, 4, 1, 0xcafe1234 },
    { MMIO_BASE + 8, 8, 0, 0 },
    { MMIO_BASE + 16, 1, 1, (readValue + 1) & 0xff },
    { MMIO_BASE + 24, 2, 1, (readValue + 1) & 0xffff },
  };
  int bad = 0;
  for (unsigned i = 0; i < 4; i++) {
    if (ioctl(vcpu, KVM_RUN, 0) < 0) return fail("KVM_RUN");
    if (run->exit_reason != KVM_EXIT_MMIO) {
      printf("kvmtest: FAIL exit %u: reason %u, expected KVM_EXIT_MMIO (%u)\n", i, run->exit_reason, KVM_EXIT_MMIO);
      return 1;
    }
    uint64_t data = 0;
    if (run->mmio.is_write) memcpy(&data, run->mmio.data, run->mmio.len <= 8 ? run->mmio.len : 8);
    printf("kvmtest: exit %u KVM_EXIT_MMIO addr=0x%llx len=%u is_write=%u data=0x%llx\n", i,
           (unsigned long long)run->mmio.phys_addr, run->mmio.len, run->mmio.is_write, (unsigned long long)data);
    if (run->mmio.phys_addr != expect[i].addr || run->mmio.len != expect[i].len || run->mmio.is_write != expect[i].write ||
        (expect[i].write && data != expect[i].data)) {
      printf("kvmtest: FAIL exit %u: expected addr=0x%llx len=%u is_write=%u data=0x%llx\n", i,
             (unsigned long long)expect[i].addr, expect[i].len, expect[i].write, (unsigned long long)expect[i].data);
      bad = 1;
    }
    if (!run->mmio.is_write) memcpy(run->mmio.data, &readValue, 8);
  }
  uint64_t stored;
  memcpy(&stored, mem + 0x800, 8);
  printf("kvmtest: guest RAM word = 0x%llx\n", (unsigned long long)stored);
  if (stored != readValue + 1) { printf("kvmtest: FAIL guest RAM store\n"); bad = 1; }
  printf(bad ? "kvmtest: FAIL\n" : "kvmtest: PASS\n");
  return bad;
}
