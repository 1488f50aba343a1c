// Catchpoints with the instructions a hypervisor sees most: HVC from EL1 caught at EL2 with the
// decoded line, catch eret. Skips until HVC/ERET decode (the system-instruction class lands later).
import { describe, it, expect } from 'vitest';
import { hasGdb, gdb, serve, machineWith, words, RAM_BASE } from './helpers';
import { A64 } from '../../src/cpu/decode/a64.table';
import { viewRegIndex, viewRegisters } from '../../src/debug/registers';

const HVC = 0xd4000842; // hvc #0x42
const ERET = 0xd69f03e0;
const haveHvc = A64.decode(HVC).name !== 'UNDEF';
const haveEret = A64.decode(ERET).name !== 'UNDEF';
if (!haveHvc) console.warn('test/gdb/gdb-catch: HVC does not decode yet, skipping');

describe.skipIf(!hasGdb || !haveHvc)('gdb: catch el2 on HVC', () => {
  it('stops at VBAR_EL2+0x400 after an HVC from EL1 and prints the decoded line; catch eret', async () => {
    // EL1: movz x1,#5 ; hvc #0x42 ; movz x3,#7 ; b .      EL2 vector +0x400: movz x2,#42 ; eret
    const m = machineWith(words(0xd28000a1, HVC, 0xd28000e3, 0x14000000));
    m.bus.loadBytes(RAM_BASE + 0x1400, words(0xd2800542, ERET));
    const c = m.cpus[0];
    const set = (n: string, v: bigint) => viewRegisters()[viewRegIndex(n)!].write(c, v);
    set('SCR_EL3', 1n | (1n << 8n) | (1n << 10n)); // NS, HCE, RW
    set('HCR_EL2', 1n << 31n);
    set('VBAR_EL2', BigInt(RAM_BASE + 0x1000));
    c.setPstate(0x3c5); // EL1h, DAIF masked
    const s = await serve(m);
    try {
      const cmds = ['monitor catch el2 HVC64', 'continue', 'p/x $pc', 'p/x $ESR_EL2', 'p/x $ELR_EL2', 'info threads'];
      if (haveEret) cmds.push('monitor catch none', 'monitor catch eret', 'continue', 'p/x $pc', 'p $x2');
      const out = await gdb(s.port, cmds);
      expect(out).toContain('EL1->EL2 sync EC=0x16 HVC64 imm=0x42');
      expect(out).toContain('$1 = 0x40001400');
      expect(out).toContain('$2 = 0x5a000042');
      expect(out).toContain('$3 = 0x40000008'); // preferred return: the instruction after HVC
      expect(out).toContain('vCPU0 EL2h NS');
      if (haveEret) {
        expect(out).toMatch(/ERET EL2->EL1/);
        expect(out).toContain('$4 = 0x40000008');
        expect(out).toContain('$5 = 42');
      }
    } finally {
      await s.close();
    }
  });
});
