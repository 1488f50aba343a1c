// Real gdb-multiarch against our server: attach, registers (core and system, reads and writes),
// stepping, breakpoints, catchpoints, threads, memory views, detach/re-attach, kill.
import { describe, it, expect } from 'vitest';
import { hasGdb, gdb, serve, machineWith, LOOP, RAM_BASE, words } from './helpers';
import { debugCoreFor } from '../../src/debug/core';
import { viewRegIndex, viewRegisters } from '../../src/debug/registers';
import { R } from '../../src/sysregs/table';

describe.skipIf(!hasGdb)('gdb: attach, registers, stepping', () => {
  it('reads and writes core and system registers, info registers el2, stepi', async () => {
    const m = machineWith(LOOP);
    const s = await serve(m);
    try {
      const out = await gdb(s.port, [
        'info registers',
        'p $x1',
        'set $x1=0x1234',
        'p/x $x1',
        'p/x $VTTBR_EL2',
        'set $VTTBR_EL2=0x3000000040000',
        'p/x $VTTBR_EL2',
        'info registers el2',
        'stepi',
        'p/x $pc',
        'p $x1',
        'stepi',
        'p $x1',
        'p/x $cpsr',
        'set $v1.d.u[1] = 0x1122334455667788',
        'p/x $v1.d.u',
        'set $fpcr = 0x3000000',
        'p/x $fpcr',
        'p/x $FPCR',
        'set $SCTLR_EL12 = 0x30d00801',
        'p/x $SCTLR_EL1',
        'p/x $SCTLR_EL2',
        'info registers system',
      ]);
      expect(out).toMatch(/x30\s+0x0/);
      expect(out).toMatch(/pc\s+0x40000000/);
      expect(out).toContain('$1 = 0');
      expect(out).toContain('$2 = 0x1234');
      expect(out).toContain('$3 = 0x0');
      expect(out).toContain('$4 = 0x3000000040000');
      expect(out).toMatch(/HCR_EL2\s+0x80000000/);
      expect(out).toMatch(/VTTBR_EL2\s+0x3000000040000/);
      expect(out).toContain('$5 = 0x40000004');
      expect(out).toContain('$6 = 5');
      expect(out).toContain('$7 = 6');
      expect(out).toContain('$9 = {0x0, 0x1122334455667788}');
      expect(out).toContain('$10 = 0x3000000');
      expect(out).toMatch(/No symbol "FPCR"|\$11 = void/); // FPCR/FPSR live in the fpu feature only
      // groups: system has the ID registers, not the EL2 ones
      const sys = out.slice(out.lastIndexOf('$13 ='));
      expect(sys).toMatch(/MIDR_EL1\s+0x/);
      expect(sys).not.toMatch(/VTTBR_EL2\s+0x/);
      // the VHE alias names the real EL1 register, never the EL2 one
      expect(out).toContain('$12 = 0x30d00801');
      expect(out).not.toContain('$13 = 0x30d00801');
      expect(Array.from(m.cpus[0].vreg.subarray(4, 8))).toEqual([0, 0, 0x55667788, 0x11223344]);
      // the write reached the machine's register storage
      expect(m.cpus[0].sysGet(R.VTTBR_EL2)).toBe(0x3000000040000n);
    } finally {
      await s.close();
    }
  });

  it('the gdb Python API works against us', async () => {
    const m = machineWith(LOOP);
    const s = await serve(m);
    try {
      const out = await gdb(s.port, [
        'python gdb.execute("stepi", to_string=True); print("PC=%x X1=%d" % (int(gdb.parse_and_eval("$pc")), int(gdb.parse_and_eval("$x1"))))',
        'python print("HCR=%x" % int(gdb.parse_and_eval("$HCR_EL2")))',
        'python print("MON=" + gdb.execute("monitor catch list", to_string=True).strip())',
        'python print("THREADS=%d" % len(gdb.selected_inferior().threads()))',
      ]);
      expect(out).toContain('PC=40000004 X1=5');
      expect(out).toContain('HCR=80000000');
      expect(out).toContain('MON=catch: no ELs');
      expect(out).toContain('THREADS=1');
    } finally {
      await s.close();
    }
  });

  it('break + continue stops at the breakpoint; hbreak too; continue again loops', async () => {
    const m = machineWith(LOOP);
    const s = await serve(m);
    try {
      const out = await gdb(s.port, [
        'break *0x40000004',
        'continue',
        'p/x $pc',
        'p $x1',
        'continue',
        'p $x1',
        'delete',
        'hbreak *0x40000008',
        'continue',
        'p/x $pc',
      ]);
      expect(out).toContain('Breakpoint 1, 0x0000000040000004');
      expect(out).toContain('$1 = 0x40000004');
      expect(out).toContain('$2 = 5');
      expect(out).toContain('$3 = 6');
      expect(out).toMatch(/Hardware assisted breakpoint 2.*0x0000000040000008/s);
      expect(out).toContain('$4 = 0x40000008');
    } finally {
      await s.close();
    }
  });

  it('monitor catch el2 stops at the handler after the exception with the decoded line', async () => {
    // EL0 with HCR_EL2.TGE=1 (NS): an UNDEFINED instruction is taken to EL2 (Arm ARM D1.10.2)
    const code = words(0xd28000a1, 0x00000000);
    const m = machineWith(code);
    const handler = words(0xd2800542, 0x17ffffff); // movz x2,#42 ; b .
    m.bus.loadBytes(RAM_BASE + 0x1000 + 0x400, handler);
    const c = m.cpus[0];
    // build the guest state through the debug core's register views (as a debugger would)
    const set = (n: string, v: bigint) => viewRegisters()[viewRegIndex(n)!].write(c, v);
    set('SCR_EL3', 1n); // NS
    set('HCR_EL2', (1n << 31n) | (1n << 27n)); // RW, TGE
    set('VBAR_EL2', BigInt(RAM_BASE + 0x1000));
    set('CurrentEL', 0n);
    c.setPstate(0); // EL0t
    const s = await serve(m);
    try {
      const out = await gdb(s.port, ['monitor catch el2', 'monitor catch list', 'continue', 'p/x $pc', 'p $x1', 'p $x2', 'p/x $ESR_EL2', 'p/x $ELR_EL2', 'monitor trap-log 4']);
      expect(out).toContain('catch: exceptions taken to EL2');
      expect(out).toContain('EL0->EL2 sync EC=0x0 UNKNOWN');
      expect(out).toContain('$1 = 0x40001400');
      expect(out).toContain('$2 = 5');
      expect(out).toContain('$3 = 0'); // handler's first instruction not yet executed
      expect(out).toContain('$4 = 0x2000000');
      expect(out).toContain('$5 = 0x40000004');
      expect(out).toMatch(/#0 vCPU0 @\d+ EL0->EL2 sync EC=0x0/);
    } finally {
      await s.close();
    }
  });

  it('catch with an EC filter ignores other classes; el2 info decodes HCR_EL2', async () => {
    const m = machineWith(words(0x00000000, 0x17ffffff));
    const c = m.cpus[0];
    const set = (n: string, v: bigint) => viewRegisters()[viewRegIndex(n)!].write(c, v);
    set('SCR_EL3', 1n);
    set('HCR_EL2', (1n << 31n) | (1n << 27n) | 1n);
    set('VBAR_EL2', BigInt(RAM_BASE + 0x1000));
    m.bus.loadBytes(RAM_BASE + 0x1400, words(0x17ffffff));
    c.setPstate(0);
    const s = await serve(m);
    try {
      const out = await gdb(s.port, ['monitor catch el2 DABT_LOW 0x16', 'monitor el2 info', 'monitor break-el 2 0x40001400', 'continue', 'p/x $pc', 'monitor breaks']);
      expect(out).toContain('with EC 0x24 DABT_LOW, 0x16 HVC64');
      expect(out).toMatch(/\[ 0\] VM\s+= 1/);
      expect(out).toMatch(/\[27\] TGE\s+= 1/);
      expect(out).toMatch(/\[31\] RW\s+= 1/);
      // the UNDEFINED exception (EC 0) does not match the filter; the EL2 breakpoint stops us
      expect(out).not.toContain('EL0->EL2');
      expect(out).toContain('monitor breakpoint');
      expect(out).toContain('$1 = 0x40001400');
    } finally {
      await s.close();
    }
  });
});

describe.skipIf(!hasGdb)('gdb: threads, memory views, detach, kill', () => {
  it('lists vCPUs as threads with --smp 2', async () => {
    const m = machineWith(LOOP, { smp: 2 });
    const s = await serve(m);
    try {
      const out = await gdb(s.port, ['info threads', 'thread 2', 'p/x $pc', 'stepi', 'p/x $pc', 'thread 1', 'p/x $pc']);
      expect(out).toMatch(/1\s+Thread 1 "vCPU0" \(vCPU0 EL3h S\)/);
      expect(out).toMatch(/2\s+Thread 2 "vCPU1" \(vCPU1 EL3h S\)/);
      expect(out).toContain('$1 = 0x40000000');
      expect(out).toContain('$2 = 0x40000004');
      expect(out).toContain('$3 = 0x40000000'); // stepping vCPU1 did not move vCPU0
    } finally {
      await s.close();
    }
  });

  it('a breakpoint hit by vCPU1 stops all and selects thread 2', async () => {
    const m = machineWith(LOOP, { smp: 2 });
    m.bus.loadBytes(RAM_BASE + 0x100, words(0xd2800025, 0x14000000)); // movz x5,#1 ; b .
    m.cpus[1].pc = BigInt(RAM_BASE + 0x100);
    const s = await serve(m);
    try {
      const out = await gdb(s.port, ['break *0x40000104', 'continue', 'thread', 'p $x5', 'thread 1', 'p $x5', 'monitor el2 info']);
      expect(out).toMatch(/Thread 2 "vCPU1" hit Breakpoint 1, 0x0000000040000104/);
      expect(out).toContain('[Current thread is 2');
      expect(out).toContain('$1 = 1');
      expect(out).toContain('$2 = 0');
      expect(out).toContain('vCPU0 at EL3'); // monitor follows the selected thread
    } finally {
      await s.close();
    }
  });

  it('scheduler-locking: continue runs the selected vCPU alone; a vCont naming an unknown thread is refused', async () => {
    const m = machineWith(LOOP, { smp: 2 });
    const s = await serve(m);
    try {
      // both vCPUs run the same loop; with scheduler-locking only thread 2 may reach the breakpoint
      const out = await gdb(s.port, ['set scheduler-locking on', 'thread 2', 'break *0x40000004', 'continue', 'continue', 'continue', 'p $x1', 'thread 1', 'p/x $pc', 'p $x1', 'maint packet vCont;c:9', 'maint packet vCont;s:9']);
      expect(out).toMatch(/Thread 2 "vCPU1" hit Breakpoint 1, 0x0000000040000004/);
      expect(out).not.toMatch(/Thread 1 "vCPU0" hit/);
      expect(out).toContain('$1 = 7'); // movz 5, then three loop heads reached: 5, 6, 7
      expect(out).toContain('$2 = 0x40000000'); // vCPU0 never moved
      expect(out).toContain('$3 = 0');
      expect(out.match(/received: "E16"/g)?.length).toBe(2);
    } finally {
      await s.close();
    }
  });

  it('monitor mem pa + x/4wx; writes through memory; MMIO reads are refused', async () => {
    const m = machineWith(LOOP);
    const s = await serve(m);
    try {
      const out = await gdb(s.port, ['monitor mem pa', 'x/4wx 0x40000000', 'set {int}0x40000100 = 0x11223344', 'x/1wx 0x40000100', 'monitor mem', 'x/1wx 0x9000000', 'monitor mem regime el1 vmid 3',
        // a stage-2 table at PA 0x40002000: IPA [0, 1 GiB) -> PA 0x40000000 (level-1 block, S2AP RW, AF)
        'set {long}0x40002000 = 0x400004fd', 'set $VTCR_EL2 = 0x80023560', 'set $VTTBR_EL2 = 0x40002000',
        'monitor mem ipa', 'x/1wx 0x4', 'monitor walk 0x4', 'monitor mem va']);
      expect(out).toContain('memory view: pa');
      expect(out).toMatch(/0x40000000:\s+0xd28000a1\s+0x91000421\s+0x17ffffff\s+0x00000000/);
      expect(out).toMatch(/0x40000100:\s+0x11223344/);
      expect(out).toMatch(/Cannot access memory at address 0x9000000/);
      expect(out).toContain('memory view: regime el1 vmid 3');
      expect(out).toContain('memory view: ipa');
      expect(out).toMatch(/0x4:\s+0x91000421/);
      expect(out).toMatch(/walk 0x4 \(ipa\):[\s\S]*S2 L1 desc@0x40002000 = 0x400004fd[\s\S]*=> .*PA 0x40000004/);
      expect(m.bus.peek(RAM_BASE + 0x100, 4)).toEqual(Uint8Array.of(0x44, 0x33, 0x22, 0x11));
    } finally {
      await s.close();
    }
  });

  it('detach lets the machine run; a new gdb can attach; kill exits the machine', async () => {
    const m = machineWith(LOOP);
    const s = await serve(m);
    try {
      const a = await gdb(s.port, ['stepi', 'detach']);
      expect(a).toContain('[Inferior 1 (Remote target) detached]');
      await new Promise((r) => setTimeout(r, 50));
      const core = debugCoreFor(m);
      expect(core.isRunning).toBe(true);
      const before = m.instret;
      expect(before).toBeGreaterThan(1);
      const b = await gdb(s.port, ['p/x $pc', 'info registers pc']);
      expect(b).toMatch(/\$1 = 0x4000000[048]/);
      const k = await gdb(s.port, ['kill']);
      expect(k).toContain('[Inferior 1 (Remote target) killed]');
      expect(m.exited?.why).toBe('killed by gdb');
    } finally {
      await s.close();
    }
  });

  it('wait=false runs the machine at once; Ctrl-C style interrupt stops it', async () => {
    const m = machineWith(LOOP);
    const s = await serve(m, false);
    try {
      await new Promise((r) => setTimeout(r, 30));
      expect(debugCoreFor(m).isRunning).toBe(true);
      const out = await gdb(s.port, ['p/x $pc']);
      expect(out).toMatch(/\$1 = 0x4000000[048]/);
      expect(out).toContain('detached');
      await new Promise((r) => setTimeout(r, 20));
      expect(debugCoreFor(m).isRunning).toBe(true); // detach let it run again
    } finally {
      await s.close();
    }
  });
});
