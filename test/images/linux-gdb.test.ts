// Debugging a real image: gdb-multiarch attaches to the booting Linux, `monitor catch el2 DABT_LOW`
// stops at KVM's first trap from its guest (kvmtest's MMIO store), and the EL2 registers read there
// match what the guest did: ESR_EL2 is a data abort from a lower EL with ISV (a 32-bit store of x1),
// HPFAR_EL2/FAR_EL2 give the MMIO IPA, VTTBR_EL2 holds the guest's VMID and stage-2 table.
import { describe, it, expect } from 'vitest';
import { execFile } from 'node:child_process';
import { createServer } from 'node:net';
import { el2scope, missing, skipMessage, RECIPES } from './run';
import { hasGdb, GDB } from '../gdb/helpers';

const need = missing('Image', 'initramfs.cpio.gz');
if (need.length) console.warn(skipMessage('Linux gdb image test', need));
if (!hasGdb) console.warn(`Linux gdb image test skipped: ${GDB} not found`);

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const p = (s.address() as { port: number }).port;
      s.close(() => resolve(p));
    });
  });
}

describe.skipIf(need.length > 0 || !hasGdb)('gdb on a Linux/KVM boot', () => {
  it('catch el2 stops at the KVM guest MMIO trap with matching VTTBR/HPFAR/ESR/FAR', async () => {
    const port = await freePort();
    const con = el2scope([...RECIPES.linuxKvm(1, 'el2scope.run=/bin/kvmtest'), '--gdb', `127.0.0.1:${port}`, '--wait', '--max-insns', '20000000000']);
    try {
      await con.waitFor(/gdb|GDB|1234|listening|waiting/i, 60_000).catch(() => undefined);
      const cmds = [
        'set architecture aarch64', 'set confirm off', `target remote 127.0.0.1:${port}`,
        'monitor catch el2 DABT_LOW', 'continue',
        'p/x $ESR_EL2', 'p/x $FAR_EL2', 'p/x $HPFAR_EL2', 'p/x $VTTBR_EL2', 'p/x $x1', 'p/x $CurrentEL',
        'monitor trap-log 1', 'detach',
      ];
      const args = ['-batch', '-nx', ...cmds.flatMap((c) => ['-ex', c])];
      const out = await new Promise<string>((resolve) =>
        execFile(GDB, args, { timeout: 800_000 }, (_e, so, se) => resolve(so + se)),
      );
      const vals = [...out.matchAll(/\$\d+ = (0x[0-9a-f]+|\d+)/g)].map((m) => BigInt(m[1]));
      expect(vals.length, out).toBeGreaterThanOrEqual(6);
      const [esr, far, hpfar, vttbr, x1, currentEl] = vals;
      expect(esr >> 26n, out).toBe(0x24n); // data abort from a lower EL
      expect((esr >> 24n) & 1n).toBe(1n); // ISV
      expect((esr >> 22n) & 3n).toBe(2n); // SAS = word
      expect((esr >> 16n) & 31n).toBe(1n); // SRT = x1 (str w1, [x0])
      expect((esr >> 6n) & 1n).toBe(1n); // WnR
      expect(far).toBe(0x2000_0000n);
      expect(hpfar).toBe((0x2000_0000n >> 12n) << 4n); // IPA[47:12] in HPFAR[43:4]
      expect(vttbr >> 48n).not.toBe(0n); // a guest VMID
      expect(vttbr & 0xffff_ffff_fffen).not.toBe(0n); // its stage-2 table
      expect(currentEl >> 2n).toBe(2n); // stopped in the EL2 handler
      expect(x1).toBe(0xcafe1234n); // the guest's register, as trapped (nVHE: EL2 vectors run first)
      // the decoded line on gdb's console (O packets) and in the trap log: the guest's PC is its first
      // instruction (ELR = its RAM base 0x10000000) and its VMID is KVM's
      expect(out).toMatch(/EL1->EL2 sync EC=0x24 DABT_LOW ISV=1 SAS=word SRT=w1 WnR=1 DFSC=0x6 FAR=0x20000000 HPFAR=0x200000 IPA=0x20000000 ELR=0x10000000 VMID=\d+/);
      expect(out).toMatch(/#\d+ vCPU0 @\d+ EL1->EL2 sync EC=0x24 DABT_LOW/);
    } finally {
      con.kill();
    }
  }, 900_000);
});
