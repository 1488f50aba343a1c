// Debian's stock U-Boot for QEMU's arm64 board (u-boot-qemu, qemu_arm64/u-boot.bin) boots from flash
// with the DTB at the start of RAM, finds the CFI flash, stops autoboot on a key, runs commands at
// its prompt and powers the machine off through PSCI.
import { describe, it, expect } from 'vitest';
import { el2scope, missing, skipMessage, RECIPES } from './run';

const need = missing('u-boot.bin');
if (need.length) console.warn(skipMessage('U-Boot image test', need));

describe.skipIf(need.length > 0)('U-Boot (Debian u-boot-qemu)', () => {
  it('boots to its prompt, answers commands and powers off', async () => {
    const con = el2scope([...RECIPES.uboot(), '--max-insns', '2000000000']);
    try {
      await con.waitFor(/U-Boot 20\d\d\.\d\d/, 60_000);
      await con.waitFor(/Flash: 64 MiB/, 60_000);
      await con.waitFor(/Hit any key to stop autoboot/, 60_000);
      con.type(' ');
      await con.waitFor(/=> $/m, 60_000);
      let from = con.out.length;
      con.type('version\n');
      await con.waitFor(/U-Boot 20\d\d\.\d\d[\s\S]*=> /, 60_000, from);
      from = con.out.length;
      // the CPU's view: U-Boot runs at EL2 (the highest EL below the absent EL3)
      con.type('bdinfo\n');
      const m = await con.waitFor(/DRAM bank\s*=\s*0x0+\s*\n-> start\s*=\s*(0x[0-9a-f]+)\s*\n-> size\s*=\s*(0x[0-9a-f]+)/, 60_000, from);
      expect(BigInt(m[1])).toBe(0x4000_0000n);
      expect(BigInt(m[2])).toBe(512n << 20n);
      await con.waitFor(/=> $/m, 60_000, from);
      con.type('poweroff\n');
      expect(await con.exit(60_000)).toBe(0);
    } finally {
      con.kill();
    }
  }, 240_000);
});
