// Debian's Xen 4.17 (xen-hypervisor-4.17-arm64) boots at EL2 with Linux as dom0 described by
// /chosen multiboot,module nodes (--module), sets up its P2M (IPA size and VTCR in its log) and dom0's
// Linux prints its boot log through Xen's console (hvc0).
import { describe, it, expect } from 'vitest';
import { el2scope, missing, skipMessage, RECIPES } from './run';

const need = missing('xen', 'Image', 'initramfs.cpio.gz');
if (need.length) console.warn(skipMessage('Xen image test', need));

describe.skipIf(need.length > 0)('Xen with dom0 Linux', () => {
  it('boots Xen, builds the P2M, loads dom0 and dom0 prints its boot log', async () => {
    const con = el2scope([...RECIPES.xen(), '--max-insns', '6000000000']);
    try {
      await con.waitFor(/\(XEN\) Xen version 4\.17/, 60_000);
      const p2m = await con.waitFor(/\(XEN\) P2M: (\d+)-bit IPA with (\d+)-bit PA and (\d+)-bit VMID/, 120_000);
      expect(Number(p2m[1])).toBeGreaterThanOrEqual(40);
      expect(p2m[3]).toBe('16');
      const vtcr = await con.waitFor(/\(XEN\) P2M: \d levels with order-\d root, VTCR 0x([0-9a-f]+)/, 120_000);
      expect(BigInt('0x' + vtcr[1]) & 0x8000_0000n).toBe(0x8000_0000n); // RES1 bit 31
      await con.waitFor(/\(XEN\) Loading d0 kernel from boot module @ 0000000050000000/, 120_000);
      await con.waitFor(/\(XEN\) Loading ramdisk from boot module @ 0000000053000000/, 120_000);
      // dom0's own log, through Xen's console
      await con.waitFor(/Booting Linux on physical CPU/, 240_000);
      await con.waitFor(/Xen 4\.17 support found/, 240_000);
      await con.waitFor(/Kernel command line: console=hvc0/, 240_000);
      await con.waitFor(/Run \/init as init process/, 400_000);
      await con.waitFor(/el2scope-initramfs: userspace up/, 120_000);
      console.log(`Xen + dom0 to userspace: ${con.seconds.toFixed(1)} s`);
    } finally {
      con.kill();
    }
  }, 600_000);
});
