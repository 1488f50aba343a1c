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

describe.skipIf(!hasGdb)('gdb: catch a stage-2 data abort', () => {
  it('prints the decoded DABT_LOW line with FAR, HPFAR and IPA, then the registers', async () => {
    // EL1 (stage 1 off, stage 2 on): movz x1,#5 ; movz x2,#0x900,lsl #16 ; str w1,[x2] ; b .
    const m = machineWith(words(0xd28000a1, 0xd2a12002, 0xb9000041, 0x14000000));
    m.bus.loadBytes(RAM_BASE + 0x1400, words(0x14000000));
    // stage-2 level-1 table at 0x40002000: entry 1 maps IPA [1 GiB, 2 GiB) to the same PA; entry 0
    // (the device window, IPA 0x9000000) is invalid
    m.bus.loadBytes(RAM_BASE + 0x2008, words(0x400004fd, 0));
    const c = m.cpus[0];
    const set = (n: string, v: bigint) => viewRegisters()[viewRegIndex(n)!].write(c, v);
    set('SCR_EL3', 0x501n); // NS, HCE, RW
    set('VTCR_EL2', 0x80023560n); // T0SZ=32, SL0=1, 4K, PS=40 bits
    set('VTTBR_EL2', (3n << 48n) | BigInt(RAM_BASE + 0x2000)); // VMID 3
    set('HCR_EL2', (1n << 31n) | 1n); // RW, VM
    set('VBAR_EL2', BigInt(RAM_BASE + 0x1000));
    c.setPstate(0x3c5); // EL1h
    const s = await serve(m);
    try {
      const out = await gdb(s.port, [
        'monitor break-vmid 4 0x40000004',
        'monitor break-vmid 3 0x40000008',
        'monitor catch el2 DABT_LOW',
        'continue',
        'p/x $pc',
        'monitor delete all',
        'continue',
        'p/x $ESR_EL2',
        'p/x $FAR_EL2',
        'p/x $HPFAR_EL2',
        'p/x $VTTBR_EL2',
        'p/x $pc',
      ]);
      expect(out).toContain('breakpoint 2 at 0x40000008 (VMID 3 only)');
      expect(out).toContain('$1 = 0x40000008'); // the VMID 4 breakpoint did not fire
      expect(out).toMatch(/EL1->EL2 sync EC=0x24 DABT_LOW ISV=1 SAS=word SRT=w1 WnR=1 DFSC=0x5 FAR=0x9000000 HPFAR=0x90000 IPA=0x9000000 ELR=0x40000008 VMID=3/);
      expect(out).toContain('$3 = 0x9000000');
      expect(out).toContain('$4 = 0x90000');
      expect(out).toContain('$5 = 0x3000040002000');
      expect(out).toContain('$6 = 0x40001400');
    } finally {
      await s.close();
    }
  });
});
