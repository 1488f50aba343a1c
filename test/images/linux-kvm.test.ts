// Debian's Linux 6.1 arm64 kernel boots at EL2 to the initramfs shell (busybox-static), initialises
// KVM in nVHE mode, and our static kvmtest (targets/linux/kvmtest.c) runs a guest through /dev/kvm whose
// MMIO accesses exit to user space with KVM_EXIT_MMIO (address, length, direction and data checked).
// Once with one vCPU and once with --smp 2.
import { describe, it, expect } from 'vitest';
import { el2scope, missing, skipMessage, RECIPES } from './run';

const need = missing('Image', 'initramfs.cpio.gz');
if (need.length) console.warn(skipMessage('Linux/KVM image test', need));

async function bootAndRunKvm(smp: number): Promise<void> {
  const con = el2scope([...RECIPES.linuxKvm(smp), '--max-insns', '20000000000']);
  try {
    await con.waitFor(/Booting Linux on physical CPU/, 120_000);
    await con.waitFor(/kvm \[1\]: Hyp mode initialized successfully/, 300_000);
    if (smp > 1) await con.waitFor(new RegExp(`SMP: Total of ${smp} processors activated`), 300_000);
    await con.waitFor(/el2scope-initramfs: shell/, 400_000);
    await con.waitFor(/^\/ # /m, 120_000); // busybox ash prompt (it may be followed by a terminal query)
    console.log(`Linux (--smp ${smp}) to the shell: ${con.seconds.toFixed(1)} s`);
    const from = con.out.length;
    con.type('echo cpus=$(grep -c ^processor /proc/cpuinfo) el=$(cat /sys/module/kvm/parameters/mode 2>/dev/null); kvmtest\n');
    const cpus = await con.waitFor(/cpus=(\d+)/, 120_000, from);
    expect(Number(cpus[1])).toBe(smp);
    const res = await con.waitFor(/kvmtest: (PASS|FAIL)/, 300_000, from);
    const log = con.out.slice(from);
    expect(log).toMatch(/exit 0 KVM_EXIT_MMIO addr=0x20000000 len=4 is_write=1 data=0xcafe1234/);
    expect(log).toMatch(/exit 1 KVM_EXIT_MMIO addr=0x20000008 len=8 is_write=0/);
    expect(log).toMatch(/exit 2 KVM_EXIT_MMIO addr=0x20000010 len=1 is_write=1 data=0x89/);
    expect(log).toMatch(/exit 3 KVM_EXIT_MMIO addr=0x20000018 len=2 is_write=1 data=0x7789/);
    expect(log).toMatch(/guest RAM word = 0x1122334455667789/);
    expect(res[1]).toBe('PASS');
    con.type('poweroff -f\n');
    expect(await con.exit(120_000)).toBe(0);
  } finally {
    con.kill();
  }
}

describe.skipIf(need.length > 0)('Linux with KVM (Debian 6.1 arm64)', () => {
  it('boots to the shell at EL2, KVM initialises, kvmtest sees its MMIO exits', () => bootAndRunKvm(1), 900_000);
  it('the same with --smp 2', () => bootAndRunKvm(2), 900_000);
  it('as a VHE host (E2H/TGE): KVM at EL2 beside the kernel, kvmtest passes', async () => {
    const con = el2scope([...RECIPES.linuxVhe('el2scope.run=/bin/kvmtest'), '--max-insns', '20000000000']);
    try {
      await con.waitFor(/CPU features: detected: Virtualization Host Extensions/, 300_000);
      await con.waitFor(/kvm \[1\]: VHE mode initialized successfully/, 300_000);
      const res = await con.waitFor(/kvmtest: (PASS|FAIL)/, 400_000);
      expect(con.out).toMatch(/exit 3 KVM_EXIT_MMIO addr=0x20000018 len=2 is_write=1 data=0x7789/);
      expect(res[1]).toBe('PASS');
      await con.waitFor(/el2scope-initramfs: exit status 0/, 60_000);
      expect(await con.exit(120_000)).toBe(0);
    } finally {
      con.kill();
    }
  }, 900_000);
});
