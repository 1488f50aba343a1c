// Acceptance audit of issue 6 with real gdb-multiarch in batch mode: the points the other gdb tests
// do not reach (banked registers, FP registers, VHE aliases, a VTTBR_EL2 write that the guest's next
// access obeys, stage-1 + stage-2 walks and regime views with x/ reads and writes, every catch
// kind, EL-qualified breakpoints, hardware breakpoint/watchpoint counts, vCPU threads at different
// ELs, the README's command file against the demo hypervisor), plus raw-socket checks of the
// packets gdb itself does not send in these sessions (T, qC, H, vCont S/C/t/r, RLE, X escapes, D, k).
// Guest programs are a few instructions placed in RAM (encodings from aarch64-linux-gnu-as, in the
// comments); the guest state around them is set through the debug core's register views.
import { describe, it, expect } from 'vitest';
import { execFile, spawn } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import net from 'node:net';
import { GDB, hasGdb, serve, machineWith, words, RAM_BASE, LOOP, rawClient } from './helpers';
import { viewRegIndex, viewRegisters } from '../../src/debug/registers';
import { debugCoreFor } from '../../src/debug/core';
import { startGdbServer } from '../../src/gdb/server';
import { createBoard, bootBoard } from '../../src/machine/board';
import { R } from '../../src/sysregs/table';
import type { Machine } from '../../src/machine/machine';

if (!hasGdb) console.warn('test/gdb/gdb-acceptance: gdb-multiarch not found, skipping the real-gdb tests');

/** gdb in batch mode with stdout and stderr merged in order (monitor output goes to stderr). */
function gdbRun(port: number | null, cmds: string[], pre: string[] = [], timeoutMs = 20000): Promise<string> {
  const args = ['-batch', '-nx', ...pre, '-ex', 'set architecture aarch64', '-ex', 'set confirm off'];
  if (port !== null) args.push('-ex', `target remote 127.0.0.1:${port}`);
  for (const c of cmds) args.push('-ex', c);
  return new Promise((resolve) => {
    execFile('sh', ['-c', 'exec "$0" "$@" 2>&1', GDB, ...args], { timeout: timeoutMs }, (err, stdout) => {
      resolve(stdout + (err && (err as { killed?: boolean }).killed ? '\n<gdb timed out>' : ''));
    });
  });
}

/** Set a register through the debug core's views (as a debugger would). */
function setter(m: Machine, cpu = 0) {
  const c = m.cpus[cpu];
  return (n: string, v: bigint) => {
    const i = viewRegIndex(n);
    if (i === undefined || !viewRegisters()[i].write(c, v)) throw new Error(`cannot set ${n}`);
  };
}

/** 64-bit little-endian words */
function quads(...q: bigint[]): Uint8Array {
  const b = new Uint8Array(q.length * 8);
  q.forEach((x, i) => new DataView(b.buffer).setBigUint64(i * 8, x, true));
  return b;
}

async function withServer<T>(m: Machine, f: (port: number) => Promise<T>): Promise<T> {
  const s = await serve(m);
  try {
    return await f(s.port);
  } finally {
    await s.close();
  }
}

// Stage 2 used by several tests (VTCR_EL2 = T0SZ 32, SL0 1 (start at level 1), 4K, PS 40 bits).
// Table A at PA 0x40002000: L1[1] identity-maps IPA [1 GiB, 2 GiB); L1[2] -> L2 table at 0x40004000
// whose entry 0 maps IPA 0x80000000 (2 MiB) to PA 0x40200000. Table B at 0x40003000: the same with
// L2 at 0x40005000 mapping IPA 0x80000000 to PA 0x40400000. Block descriptors 0x4fd: valid, block,
// MemAttr Normal WB, S2AP RW, AF (Arm ARM D8.3 / D8.5).
function loadStage2(m: Machine) {
  m.bus.loadBytes(RAM_BASE + 0x2008, quads(0x400004fdn, 0x40004003n));
  m.bus.loadBytes(RAM_BASE + 0x4000, quads(0x402004fdn));
  m.bus.loadBytes(RAM_BASE + 0x3008, quads(0x400004fdn, 0x40005003n));
  m.bus.loadBytes(RAM_BASE + 0x5000, quads(0x404004fdn));
  m.bus.loadBytes(RAM_BASE + 0x200000, quads(0x1111n));
  m.bus.loadBytes(RAM_BASE + 0x400000, quads(0x2222n));
  const set = setter(m);
  set('SCR_EL3', 0x501n); // NS, HCE, RW
  set('VTCR_EL2', 0x80023560n);
  set('VTTBR_EL2', (3n << 48n) | 0x40002000n); // VMID 3, table A
  set('HCR_EL2', (1n << 31n) | 1n); // RW, VM
}

describe.skipIf(!hasGdb)('gdb acceptance: registers', () => {
  it('banked SP_EL0..3, ELR_EL1..3, SPSR_EL1..3, CurrentEL and fpu registers: gdb writes, the guest reads them', async () => {
    const m = machineWith(
      words(
        0xd5384100, // mrs x0, sp_el0
        0xd53c4101, // mrs x1, sp_el1
        0xd53e4102, // mrs x2, sp_el2
        0xd5384023, // mrs x3, elr_el1
        0xd53c4024, // mrs x4, elr_el2
        0xd53e4025, // mrs x5, elr_el3
        0xd5384006, // mrs x6, spsr_el1
        0xd53c4007, // mrs x7, spsr_el2
        0xd53e4008, // mrs x8, spsr_el3
        0x910003e9, // mov x9, sp
        0xd538424a, // mrs x10, CurrentEL
        0xd53b442b, // mrs x11, fpsr
        0x9e66004c, // fmov x12, d2
        0x4e183c2d, // mov x13, v1.d[1]
        0x14000000, // b .
      ),
    );
    const out = await withServer(m, (port) =>
      gdbRun(port, [
        'p/x $CurrentEL',
        'set $SP_EL0 = 0x1000',
        'set $SP_EL1 = 0x1100',
        'set $SP_EL2 = 0x1200',
        'set $sp = 0x1300',
        'p/x $SP_EL3',
        'set $ELR_EL1 = 0x40001001',
        'set $ELR_EL2 = 0x40002002',
        'set $ELR_EL3 = 0x40003003',
        'set $SPSR_EL1 = 0x3c5',
        'set $SPSR_EL2 = 0x3c9',
        'set $SPSR_EL3 = 0x200003cd',
        'set $fpsr = 0x8000010',
        'set $v2.d.f[0] = 1.5',
        'set $v1.d.u[1] = 0xabcdef0123',
        'stepi 14',
        'p/x $pc',
        'info registers x0 x1 x2 x3 x4 x5 x6 x7 x8 x9 x10 x11 x12 x13',
        'p $d2.f',
        'p $v2.s.u[1]',
        'p/x $fpsr',
        // moving the vCPU to EL1 through CurrentEL banks the stack pointer
        'set $CurrentEL = 4',
        'p/x $cpsr',
        'p/x $sp',
        'info threads',
        'set $CurrentEL = 0xc',
        'p/x $sp',
        // EL0 has only SP_EL0: CurrentEL = 0 gives EL0t, and SPSel cannot select EL0h
        'set $CurrentEL = 0',
        'p/x $cpsr',
        'p/x $sp',
        'set $SPSel = 1',
        'p/x $cpsr',
        'info threads',
      ]),
    );
    expect(out).toContain('$1 = 0xc'); // reset at EL3
    expect(out).toContain('$2 = 0x1300'); // sp at EL3h is SP_EL3
    expect(out).toContain('$3 = 0x40000038');
    const regs: [string, string][] = [
      ['x0', '0x1000'], ['x1', '0x1100'], ['x2', '0x1200'], ['x3', '0x40001001'], ['x4', '0x40002002'], ['x5', '0x40003003'],
      ['x6', '0x3c5'], ['x7', '0x3c9'], ['x8', '0x200003cd'], ['x9', '0x1300'], ['x10', '0xc'], ['x11', '0x8000010'],
      ['x12', '0x3ff8000000000000'], ['x13', '0xabcdef0123'],
    ];
    for (const [r, v] of regs) expect(out).toMatch(new RegExp(`^${r}\\s+${v}\\s`, 'm'));
    expect(out).toContain('$4 = 1.5');
    expect(out).toContain('$5 = 1073217536'); // 0x3ff80000
    expect(out).toContain('$6 = 0x8000010');
    expect(out).toContain('$7 = 0x3c5'); // EL1h, DAIF kept
    expect(out).toContain('$8 = 0x1100');
    expect(out).toContain('(vCPU0 EL1h S)');
    expect(out).toContain('$9 = 0x1300');
    expect(out).toContain('$10 = 0x3c0');
    expect(out).toContain('$11 = 0x1000');
    expect(out).toContain('Could not write register "SPSel"');
    expect(out).toContain('$12 = 0x3c0');
    expect(out).toContain('(vCPU0 EL0t S)');
  });

  it('VHE (HCR_EL2.E2H=1): $SCTLR_EL1/$SCTLR_EL12 are the real EL1 register, $SCTLR_EL2 is EL2s; the guest sees the redirection', async () => {
    const m = machineWith(
      words(
        0xd5381000, // mrs x0, sctlr_el1   (E2H: SCTLR_EL2)
        0xd53d1001, // mrs x1, sctlr_el12  (E2H: SCTLR_EL1)
        0xd53c1002, // mrs x2, sctlr_el2
        0xd5382043, // mrs x3, tcr_el1     (E2H: TCR_EL2)
        0xd53d2044, // mrs x4, tcr_el12    (E2H: TCR_EL1)
        0xd51d1005, // msr sctlr_el12, x5
        0xd5182046, // msr tcr_el1, x6     (E2H: TCR_EL2)
        0x14000000, // b .
      ),
    );
    const set = setter(m);
    set('SCR_EL3', 0x501n);
    set('HCR_EL2', (1n << 31n) | (1n << 34n)); // RW, E2H
    m.cpus[0].setPstate(0x3c9); // EL2h
    const out = await withServer(m, (port) =>
      gdbRun(port, [
        'set $SCTLR_EL12 = 0x30d00800',
        'set $SCTLR_EL2 = 0x30c50830',
        'set $TCR_EL1 = 0x1234',
        'set $TCR_EL2 = 0x5678',
        'p/x $SCTLR_EL1',
        'p/x $TCR_EL12',
        'set $x5 = 0x30d00804',
        'set $x6 = 0x9abc',
        'stepi 7',
        'info registers x0 x1 x2 x3 x4',
        'p/x $SCTLR_EL1',
        'p/x $SCTLR_EL12',
        'p/x $SCTLR_EL2',
        'p/x $TCR_EL2',
        'p/x $TCR_EL1',
        'monitor el2 info',
      ]),
    );
    expect(out).toContain('$1 = 0x30d00800');
    expect(out).toContain('$2 = 0x1234');
    for (const [r, v] of [['x0', '0x30c50830'], ['x1', '0x30d00800'], ['x2', '0x30c50830'], ['x3', '0x5678'], ['x4', '0x1234']])
      expect(out).toMatch(new RegExp(`^${r}\\s+${v}\\s`, 'm'));
    expect(out).toContain('$3 = 0x30d00804'); // the guest's MSR SCTLR_EL12 reached EL1's register
    expect(out).toContain('$4 = 0x30d00804');
    expect(out).toContain('$5 = 0x30c50830');
    expect(out).toContain('$6 = 0x9abc'); // MSR TCR_EL1 at EL2 with E2H went to TCR_EL2
    expect(out).toContain('$7 = 0x1234');
    expect(out).toMatch(/\[34\] E2H\s+= 1/);
    expect(out).toContain('vCPU0 at EL2, VMID 0, VHE (E2H=1)');
  });

  it('a VTTBR_EL2 write from gdb takes effect: the guest\'s next access uses the new stage-2 tables (TLB dropped)', async () => {
    const m = machineWith(
      words(
        0xd2b00007, // movz x7, #0x8000, lsl #16   (IPA 0x80000000)
        0xf94000e6, // 1: ldr x6, [x7]
        0x91000529, // add x9, x9, #1
        0x17fffffe, // b 1b
      ),
    );
    loadStage2(m);
    m.cpus[0].setPstate(0x3c5); // EL1h, stage 1 off, stage 2 on
    const out = await withServer(m, (port) =>
      gdbRun(port, [
        'stepi 2',
        'p/x $x6',
        'monitor mem ipa',
        'x/gx 0x80000000',
        'monitor walk 0x80000008',
        // same VMID, other table: only a TLB flush makes the guest see it
        'set $VTTBR_EL2 = 0x3000040003000',
        'x/gx 0x80000000',
        'stepi 3',
        'p/x $x6',
        'p/x $pc',
        'monitor mem ipa vmid 3',
        'x/gx 0x80000000',
        'monitor mem va',
        'x/gx 0x80000000',
        // a PA-qualified watchpoint on memory the guest reaches through IPA 0x80000000
        'monitor watch-pa 0x40400000 8 r',
        'continue',
        'p/x $pc',
        'monitor delete all',
        // VMID 4 on table A: views of a VMID that is not current use its last seen VTTBR_EL2
        'set $VTTBR_EL2 = 0x4000040002000',
        'stepi 3',
        'p/x $x6',
        'monitor mem ipa vmid 3',
        'x/gx 0x80000000',
        'monitor walk 0x80000000',
        'monitor mem ipa vmid 4',
        'x/gx 0x80000000',
        'monitor mem regime el1 vmid 3',
        'x/gx 0x80000000',
      ]),
    );
    expect(out).toContain('$5 = 0x1111');
    expect(out).toMatch(/memory view: ipa vmid 3\n0x80000000:\s+0x0000000000002222/);
    expect(out).toContain('note: VMID 3 is not current (VTTBR_EL2 VMID 4); using its last seen VTTBR_EL2 0x3000040003000');
    expect(out).toMatch(/memory view: ipa vmid 4\n0x80000000:\s+0x0000000000001111/);
    expect(out).toMatch(/memory view: regime el1 vmid 3\n0x80000000:\s+0x0000000000002222/);
    expect(out).toContain('$1 = 0x1111');
    expect(out).toMatch(/0x80000000:\s+0x0000000000001111/);
    expect(out).toMatch(/walk 0x80000008 \(ipa\):\s+regime: stage 2 VMID 3\s+S2 L1 desc@0x40002010 = 0x40004003\s+-> 0x40004000 table\s+S2 L2 desc@0x40004000 = 0x402004fd\s+-> 0x40200000 block\s+=> IPA 0x80000008 PA 0x40200008/);
    expect(out).toMatch(/0x80000000:\s+0x0000000000002222/);
    expect(out).toContain('$2 = 0x2222');
    expect(out).toContain('$3 = 0x40000008');
    expect(out).toContain('memory view: ipa vmid 3');
    expect(out).toContain('monitor watchpoint 1 (read) hit: PA 0x40400000');
    expect(out).toContain('$4 = 0x40000004'); // stopped before the load
    expect(m.cpus[0].sysGet(R.VTTBR_EL2)).toBe(0x4000040002000n);
  });
});

describe.skipIf(!hasGdb)('gdb acceptance: memory views and walks', () => {
  it('monitor walk shows stage 1 and stage 2 descriptors; mem regime el1 vmid N reads and writes with x/ and set', async () => {
    const m = machineWith(words(0x14000000)); // b .
    loadStage2(m);
    // stage 1 of EL1&0 at IPA 0x40006000 (T0SZ 25: starts at level 1): L1[0] = block VA [0, 1 GiB)
    // -> IPA 0x80000000, AF, AttrIndx 0 (MAIR_EL1 attr0 = Normal WB)
    m.bus.loadBytes(RAM_BASE + 0x6000, quads(0x80000401n));
    m.bus.loadBytes(RAM_BASE + 0x200010, quads(0x1111n));
    const set = setter(m);
    set('TCR_EL1', 25n);
    set('MAIR_EL1', 0xffn);
    set('TTBR0_EL1', 0x40006000n);
    set('SCTLR_EL1', 0x30d00801n); // M
    m.cpus[0].setPstate(0x3c9); // the CPU is at EL2; the EL1 regime is the guest's
    const out = await withServer(m, (port) =>
      gdbRun(port, [
        'monitor mem regime el1 vmid 3',
        'x/gx 0x10',
        'monitor walk 0x10',
        'set {long}0x18 = 0x7777',
        'x/2gx 0x10',
        'monitor mem regime el1 vmid 9',
        'monitor walk 0x10',
        'monitor mem regime el1 vmid',
        'monitor mem ipa vmid',
        'monitor mem',
        'monitor mem pa',
        'x/gx 0x40200018',
        'monitor mem regime el2',
        'x/gx 0x40200010',
        'monitor walk 0x40200010',
        'monitor mem va',
      ]),
    );
    expect(out).toContain('memory view: regime el1 vmid 3');
    expect(out).toMatch(/0x10:\s+0x0000000000001111/);
    expect(out).toMatch(
      /walk 0x10 \(regime el1 vmid 3\):\s+regime: EL1&0 \+ stage 2 \(VMID 3\)\s+S2 L1 desc@0x40002008 = 0x400004fd\s+-> 0x40000000 block\s+S1 L1 desc@0x40006000 = 0x80000401\s+-> 0x80000000 block \(desc IPA 0x40006000\)\s+S2 L1 desc@0x40002010 = 0x40004003\s+-> 0x40004000 table\s+S2 L2 desc@0x40004000 = 0x402004fd\s+-> 0x40200000 block\s+=> IPA 0x80000010 PA 0x40200010 Normal/,
    );
    // a write through the regime view (VA 0x18 is in the flash window of the PA space: gdb must not
    // treat it as ROM)
    expect(out).not.toContain('Cannot access memory at address 0x18');
    expect(out).toMatch(/0x10:\s+0x0000000000001111\s+0x0000000000007777/);
    expect(out).toContain('note: VMID 9 was never seen in VTTBR_EL2; using the current VTTBR_EL2 (VMID 3)');
    expect(out).toContain('usage: mem regime el1|el2|el3 [vmid N] [asid N]'); // a qualifier without its number
    expect(out).toContain('usage: mem ipa [vmid N]');
    expect(out).toMatch(/memory view: regime el1 vmid 9\n/); // ... left the view as it was
    expect(out).toMatch(/0x40200018:\s+0x0000000000007777/);
    expect(out).toMatch(/0x40200010:\s+0x0000000000001111/); // the EL2 regime (MMU off) is flat
    expect(out).toMatch(/walk 0x40200010 \(regime el2\):\s+regime: EL2\s+\(no table walk\)/);
    expect(m.bus.peek(RAM_BASE + 0x200018, 8)).toEqual(quads(0x7777n));
  });
});

describe.skipIf(!hasGdb)('gdb acceptance: catchpoints, qualified breakpoints, trap log, help', () => {
  // EL1: svc #0x11 ; hvc #0x33 ; smc #0x22 ; msr daifclr,#2 (a virtual IRQ is pending: HCR_EL2.VI) ; b .
  // handlers: EL1 sync (VBAR_EL1+0x200): movz x10,#1 ; eret   EL1 IRQ (+0x280): movz x13,#4 ; b .
  //           EL2 lower sync (VBAR_EL2+0x400): movz x11,#2 ; eret   EL3 (VBAR_EL3+0x400): movz x12,#3 ; eret
  function exceptions(): Machine {
    const m = machineWith(words(0xd4000221, 0xd4000662, 0xd4000443, 0xd50342ff, 0x14000000));
    m.bus.loadBytes(RAM_BASE + 0x1200, words(0xd280002a, 0xd69f03e0));
    m.bus.loadBytes(RAM_BASE + 0x1280, words(0xd280008d, 0x14000000));
    m.bus.loadBytes(RAM_BASE + 0x2400, words(0xd280004b, 0xd69f03e0));
    m.bus.loadBytes(RAM_BASE + 0x3400, words(0xd280006c, 0xd69f03e0));
    const set = setter(m);
    set('SCR_EL3', 0x501n); // NS, HCE, RW (SMD clear: SMC goes to EL3)
    set('HCR_EL2', (1n << 31n) | (1n << 4n) | (1n << 7n)); // RW, IMO, VI
    set('VBAR_EL1', BigInt(RAM_BASE + 0x1000));
    set('VBAR_EL2', BigInt(RAM_BASE + 0x2000));
    set('VBAR_EL3', BigInt(RAM_BASE + 0x3000));
    m.cpus[0].setPstate(0x3c5); // EL1h, DAIF masked
    return m;
  }

  it('catch el1 / el3 / irq / none / list stop at the handler with the decoded line; trap-log N', async () => {
    const out = await withServer(exceptions(), (port) =>
      gdbRun(port, [
        'monitor catch list',
        'monitor catch el1',
        'continue',
        'p/x $pc',
        'p/x $ESR_EL1',
        'monitor catch none',
        'monitor catch el3',
        'monitor catch list',
        'continue',
        'p/x $pc',
        'p $x11',
        'p/x $ESR_EL3',
        'info threads',
        'monitor catch none',
        'monitor catch irq',
        'monitor catch list',
        'continue',
        'p/x $pc',
        'p $x12',
        'monitor trap-log 2',
        'monitor catch none',
        'monitor catch list',
        'monitor catch bogus',
        'monitor catch el2 NOPE',
        'monitor trap-log x',
      ]),
    );
    expect(out).toContain('catch: no ELs');
    expect(out).toContain('catch: exceptions taken to EL1');
    expect(out).toMatch(/EL1->EL1 sync EC=0x15 SVC64 imm=0x11 ELR=0x40000004\s+Program received signal SIGTRAP/);
    expect(out).toContain('$1 = 0x40001200');
    expect(out).toContain('$2 = 0x56000011');
    expect(out).toContain('catch: el3');
    // the HVC to EL2 ran without a stop (x11 set by its handler)
    expect(out).toContain('EL1->EL3 sync EC=0x17 SMC64 imm=0x22 ELR=0x4000000c');
    expect(out).not.toContain('EL1->EL2');
    expect(out).toContain('$3 = 0x40003400');
    expect(out).toContain('$4 = 2');
    expect(out).toContain('$5 = 0x5e000022');
    expect(out).toContain('(vCPU0 EL3h S)');
    expect(out).toContain('catch: no ELs irq');
    expect(out).toContain('EL1->EL1 irq ELR=0x40000010');
    expect(out).toContain('$6 = 0x40001280');
    expect(out).toContain('$7 = 3');
    // trap-log 2: the last two, oldest first
    expect(out).toMatch(/#2 vCPU0 @\d+ EL1->EL3 sync EC=0x17 SMC64 imm=0x22 ELR=0x4000000c\n#3 vCPU0 @\d+ EL1->EL1 irq ELR=0x40000010\n/);
    expect(out).not.toMatch(/#1 vCPU0 @\d+ EL1->EL2 sync EC=0x16 HVC64/);
    expect(out).toContain('catch: cleared');
    expect(out).toContain("catch: unknown 'bogus'");
    expect(out).toContain("catch: bad EC 'NOPE'");
    expect(out).toContain('usage: trap-log [N]');
  });

  it('catch all stops at every exception in turn; full trap-log', async () => {
    const out = await withServer(exceptions(), (port) =>
      gdbRun(port, ['monitor catch all', 'monitor catch list', 'continue', 'p/x $pc', 'continue', 'p/x $pc', 'continue', 'p/x $pc', 'continue', 'p/x $pc', 'monitor trap-log', 'monitor catch el2 HVC64', 'monitor catch list']),
    );
    // each EL has its own EC filter: limiting EL2 to HVC64 leaves EL1 and EL3 catching every EC
    expect(out).toContain('catch: el1 el2[0x16(HVC64)] el3 irq');
    expect(out).toContain('catch: el1 el2 el3 irq');
    expect(out).toMatch(/EL1->EL1 sync EC=0x15 SVC64[\s\S]*\$1 = 0x40001200/);
    expect(out).toMatch(/EL1->EL2 sync EC=0x16 HVC64 imm=0x33[\s\S]*\$2 = 0x40002400/);
    expect(out).toMatch(/EL1->EL3 sync EC=0x17 SMC64[\s\S]*\$3 = 0x40003400/);
    expect(out).toMatch(/EL1->EL1 irq[\s\S]*\$4 = 0x40001280/);
    expect(out).toMatch(/#0 vCPU0 .*SVC64.*\n#1 vCPU0 .*HVC64 imm=0x33 ELR=0x40000008\n#2 vCPU0 .*SMC64.*\n#3 vCPU0 .*irq/);
  });

  it('each caught EL keeps its own EC filter', async () => {
    const out = await withServer(exceptions(), (port) =>
      gdbRun(port, ['monitor catch el1 SVC64', 'monitor catch el2 0x18', 'monitor catch el3', 'monitor catch list', 'continue', 'p/x $pc', 'continue', 'p/x $pc']),
    );
    expect(out).toContain('catch: el1[0x15(SVC64)] el2[0x18(SYS64)] el3');
    // SVC to EL1 stops; the HVC to EL2 (EC 0x16) passes EL2's filter by; the SMC to EL3 stops
    expect(out).toMatch(/EL1->EL1 sync EC=0x15 SVC64[\s\S]*\$1 = 0x40001200/);
    expect(out).not.toMatch(/EL1->EL2 sync EC=0x16/);
    expect(out).toMatch(/EL1->EL3 sync EC=0x17 SMC64[\s\S]*\$2 = 0x40003400/);
  });

  it('stepi into an exception stops at the vector (SVC, HVC, SMC); an interrupt taken counts as the step', async () => {
    const out = await withServer(exceptions(), (port) =>
      gdbRun(port, ['stepi', 'p/x $pc', 'p/x $ELR_EL1', 'stepi 2', 'p/x $pc', 'stepi', 'p/x $pc', 'p/x $CurrentEL', 'stepi 2', 'stepi', 'p/x $pc', 'stepi 2', 'p/x $pc', 'stepi', 'p/x $pc', 'stepi', 'p/x $pc', 'p $x13', 'stepi', 'p $x13']),
    );
    expect(out).toContain('$1 = 0x40001200');
    expect(out).toContain('$2 = 0x40000004');
    expect(out).toContain('$3 = 0x40000004'); // movz ; eret
    expect(out).toContain('$4 = 0x40002400');
    expect(out).toContain('$5 = 0x8');
    expect(out).toContain('$6 = 0x40003400');
    expect(out).toContain('$7 = 0x4000000c');
    expect(out).toContain('$8 = 0x40000010'); // msr daifclr executed
    expect(out).toContain('$9 = 0x40001280'); // the pending virtual IRQ was the next step
    expect(out).toContain('$10 = 0');
    expect(out).toContain('$11 = 4');
  });

  // EL1 (0x40000000): bl F ; hvc #1 ; b .       F (0x40000100): add x3,x3,#1 ; ret
  // EL2 (VBAR_EL2+0x400 = 0x40001400): bl F ; movz x4,#1 ; b .
  function shared(): Machine {
    const m = machineWith(words(0x94000040, 0xd4000022, 0x14000000));
    m.bus.loadBytes(RAM_BASE + 0x100, words(0x91000463, 0xd65f03c0));
    m.bus.loadBytes(RAM_BASE + 0x1400, words(0x97fffb40, 0xd2800024, 0x14000000));
    const set = setter(m);
    set('SCR_EL3', 0x501n);
    set('HCR_EL2', 1n << 31n);
    set('VBAR_EL2', BigInt(RAM_BASE + 0x1000));
    m.cpus[0].setPstate(0x3c5);
    return m;
  }

  it('break-el stops only at that EL (code shared by EL1 and EL2); a plain breakpoint at VBAR_EL2+0x400', async () => {
    const a = await withServer(shared(), (port) =>
      gdbRun(port, ['monitor break-el 2 0x40000100', 'monitor breaks', 'continue', 'p/x $pc', 'p $x3', 'p/x $CurrentEL', 'monitor break-el 4 0x1', 'monitor break-vmid x 0x1']),
    );
    expect(a).toContain('breakpoint 1 at 0x40000100 (EL2 only)');
    expect(a).toContain('1: hwbreak 0x40000100 EL2 (monitor)');
    expect(a).toContain('monitor breakpoint 1 hit at 0x40000100');
    expect(a).toContain('$1 = 0x40000100');
    expect(a).toContain('$2 = 1'); // the EL1 call went through
    expect(a).toContain('$3 = 0x8');
    expect(a).toContain('usage: break-el EL ADDR');
    expect(a).toContain('usage: break-vmid N ADDR');
    const b = await withServer(shared(), (port) =>
      gdbRun(port, ['monitor break-el 1 0x40000100', 'continue', 'p $x3', 'p/x $CurrentEL', 'monitor delete 1', 'monitor delete 7', 'break *0x40001400', 'continue', 'p/x $pc', 'p/x $ESR_EL2', 'p/x $ELR_EL2', 'p $x3']),
    );
    expect(b).toContain('$1 = 0');
    expect(b).toContain('$2 = 0x4');
    expect(b).toContain('deleted 1');
    expect(b).toContain('no monitor breakpoint 7');
    expect(b).toContain('Breakpoint 1, 0x0000000040001400');
    expect(b).toContain('$3 = 0x40001400');
    expect(b).toContain('$4 = 0x5a000001'); // HVC64 imm 1
    expect(b).toContain('$5 = 0x40000008');
    expect(b).toContain('$6 = 1');
  });

  it('detach ends the monitor session too: its breakpoints, catches and memory view do not stop or confuse the next one', async () => {
    const m = shared();
    const s = await serve(m);
    try {
      const a = await gdbRun(s.port, ['monitor break-el 2 0x40001404', 'monitor catch el2', 'monitor mem pa', 'detach']);
      expect(a).toContain('breakpoint 1 at 0x40001404 (EL2 only)');
      expect(a).toContain('[Inferior 1 (Remote target) detached]');
      await new Promise((r) => setTimeout(r, 100));
      expect(debugCoreFor(m).isRunning).toBe(true); // ran past the HVC and the EL2 breakpoint address
      const b = await gdbRun(s.port, ['monitor breaks', 'monitor mem', 'monitor catch list', 'p $x4', 'p/x $CurrentEL']);
      expect(b).toContain('no breakpoints or watchpoints');
      expect(b).toContain('memory view: va (current regime)');
      expect(b).toContain('catch: no ELs');
      expect(b).toContain('$1 = 1');
      expect(b).toContain('$2 = 0x8');
    } finally {
      await s.close();
    }
  });

  it('monitor help lists every command, and each listed command answers (no "unknown")', async () => {
    const cmds = ['help', 'catch list', 'break-el 2 0x40000100', 'break-vmid 3 0x40000104', 'break-pa 0x40000108', 'watch-pa 0x40000200 8 a', 'breaks', 'delete all', 'mem', 'walk 0x40000000', 'el2 info', 'trap-log 1', 'reg VTTBR_EL2 0x5000040002000', 'reg VTTBR_EL2', 'smmu', 'frob'];
    const out = await withServer(shared(), (port) => gdbRun(port, [...cmds.map((c) => 'monitor ' + c), 'flushregs', 'p/x $VTTBR_EL2']));
    for (const c of ['help', 'catch el1|el2|el3', 'catch irq', 'catch all | none | list', 'catch eret', 'break-el EL ADDR', 'break-vmid N ADDR', 'break-pa PADDR', 'watch-pa PADDR LEN', 'breaks', 'delete ID | delete all', 'mem va|ipa|pa', 'mem regime el1|el2|el3 [vmid N] [asid N]', 'walk ADDR', 'el2 info', 'trap-log [N]', 'reg NAME [VALUE]', 'smmu'])
      expect(out).toContain('  ' + c);
    expect(out).toMatch(/Limits: .*unlimited/s);
    expect(out).toContain('breakpoint 3 at PA 0x40000108');
    expect(out).toContain('watchpoint 4 (access) at PA 0x40000200 len 8');
    expect(out).toContain('3: hwbreak PA 0x40000108 (monitor)');
    expect(out).toContain('deleted 4');
    expect(out).toContain('trap log empty');
    expect(out).toContain('VTTBR_EL2 = 0x5000040002000');
    expect(out).toContain('$1 = 0x5000040002000'); // gdb sees the monitor's write after flushregs
    expect(out.match(/unknown monitor command/g)).toHaveLength(1); // only 'frob'
  });
});

describe.skipIf(!hasGdb)('gdb acceptance: hardware breakpoints and watchpoints, memory escapes', () => {
  it('seven hbreaks and five watchpoints at once (no artificial limit); rwatch inside a wider load; X escaping', async () => {
    // movz x1,#5 ; movz x2,#0x4000,lsl #16 ; add x2,x2,#0x100
    // 1: str x1,[x2] ; str w1,[x2,#0x10] ; ldr x3,[x2,#0x20] ; strb w1,[x2,#0x33] ; add x1,x1,#1 ; b 1b
    const m = machineWith(words(0xd28000a1, 0xd2a80002, 0x91040042, 0xf9000041, 0xb9001041, 0xf9401043, 0x3900cc41, 0x91000421, 0x17fffffb));
    const hb = [4, 8, 0xc, 0x10, 0x14, 0x18, 0x1c].map((o) => `hbreak *0x${(RAM_BASE + o).toString(16)}`);
    const out = await withServer(m, (port) =>
      gdbRun(port, [
        ...hb,
        ...hb.map(() => 'continue'),
        'p/x $pc',
        'delete',
        'watch *(long *)0x40000100',
        'watch *(int *)0x40000110',
        'rwatch *(int *)0x40000124',
        'watch *(char *)0x40000133',
        'awatch *(long *)0x40000200',
        'continue',
        'p/x $pc',
        'continue',
        'p/x $pc',
        'continue',
        'p/x $pc',
        'continue',
        'p/x $pc',
        'continue',
        'p/x $pc',
        'delete',
        'set {unsigned int}0x40000300 = 0x7d2a2324',
        'set {char[4]}0x40000304 = "}#$"',
        'x/2wx 0x40000300',
      ]),
    );
    for (let i = 1; i <= 7; i++) expect(out).toMatch(new RegExp(`Breakpoint ${i}, 0x00000000400000${(4 * i).toString(16).padStart(2, '0')}`));
    expect(out).toContain('$1 = 0x4000001c');
    // first loop iteration after the stop: x1 = 6
    expect(out).toMatch(/Hardware watchpoint 8: \*\(long \*\)0x40000100\s+Old value = 5\s+New value = 6/);
    expect(out).toMatch(/Hardware watchpoint 9: \*\(int \*\)0x40000110\s+Old value = 5\s+New value = 6/);
    // the read watchpoint covers bytes 4..7 of an 8-byte load: gdb matched the reported data address
    expect(out).toMatch(/Hardware read watchpoint 10: \*\(int \*\)0x40000124\s+Value = 0/);
    expect(out).toMatch(/Hardware watchpoint 11: \*\(char \*\)0x40000133\s+Old value = 5 '\\005'\s+New value = 6 '\\006'/);
    expect(out).toContain('$2 = 0x40000010');
    expect(out).toContain('$3 = 0x40000014');
    expect(out).toContain('$4 = 0x40000018');
    expect(out).toContain('$5 = 0x4000001c');
    expect(out).toContain('$6 = 0x40000010'); // next iteration: watchpoint 8 again (6 -> 7)
    // bytes '#', '$', '}' and '*' went through the X packet's escaping
    expect(out).toMatch(/0x40000300:\s+0x7d2a2324\s+0x0024237d/);
    expect(m.bus.peek(RAM_BASE + 0x300, 8)).toEqual(Uint8Array.of(0x24, 0x23, 0x2a, 0x7d, 0x7d, 0x23, 0x24, 0));
  });
});

describe.skipIf(!hasGdb)('gdb acceptance: vCPUs as threads, register names, Ctrl-C', () => {
  it('--smp 2: vCPUs at different ELs, per-thread registers and stepping, thread apply all', async () => {
    const m = machineWith(LOOP, { smp: 2 });
    const set1 = setter(m, 1);
    set1('SCR_EL3', 0x501n);
    set1('VTTBR_EL2', 0x7000040002000n);
    m.cpus[1].setPstate(0x3c9); // vCPU1 at EL2h, non-secure
    const out = await withServer(m, (port) =>
      gdbRun(port, ['info threads', 'thread apply all p/x $CurrentEL', 'thread 2', 'p/x $VTTBR_EL2', 'set $x1 = 77', 'thread 1', 'p/x $VTTBR_EL2', 'p $x1', 'thread 2', 'stepi', 'p $x1', 'info threads']),
    );
    expect(out).toMatch(/\* 1\s+Thread 1 "vCPU0" \(vCPU0 EL3h S\)\s+0x0000000040000000/);
    expect(out).toMatch(/ 2\s+Thread 2 "vCPU1" \(vCPU1 EL2h NS\)\s+0x0000000040000000/);
    expect(out).toMatch(/Thread 2 .*\):\n\$1 = 0x8\n/);
    expect(out).toMatch(/Thread 1 .*\):\n\$2 = 0xc\n/);
    expect(out).toContain('$3 = 0x7000040002000');
    expect(out).toContain('$4 = 0x0'); // system registers are per vCPU
    expect(out).toContain('$5 = 0');
    expect(out).toContain('$6 = 5'); // vCPU1 stepped movz x1,#5 over gdb's 77
    expect(out).toMatch(/\* 2\s+Thread 2 "vCPU1" \(vCPU1 EL2h NS\)\s+0x0000000040000004/);
    expect(out).toMatch(/ 1\s+Thread 1 "vCPU0" \(vCPU0 EL3h S\)\s+0x0000000040000000/); // all-stop: vCPU0 did not move
  });

  it('the target description names every system register of the table; groups el1/el2/el3/system; issue-6 names readable', async () => {
    const m = machineWith(LOOP);
    const named = ['VTTBR_EL2', 'HCR_EL2', 'ESR_EL2', 'FAR_EL2', 'HPFAR_EL2', 'VTCR_EL2', 'VBAR_EL2', 'SCTLR_EL2', 'TCR_EL2', 'TTBR0_EL2', 'TTBR1_EL2', 'CNTVOFF_EL2', 'CNTHCTL_EL2', 'VPIDR_EL2', 'VMPIDR_EL2', 'ICH_HCR_EL2', 'ICH_VTR_EL2', 'ICH_LR0_EL2', 'ICH_VMCR_EL2', 'ICC_PMR_EL1', 'ICC_SRE_EL2', 'CNTPCT_EL0', 'CNTVCT_EL0', 'SCR_EL3', 'MDCR_EL2', 'CPTR_EL2', 'SP_EL0', 'SP_EL1', 'SP_EL2', 'SP_EL3', 'ELR_EL1', 'ELR_EL2', 'ELR_EL3', 'SPSR_EL1', 'SPSR_EL2', 'SPSR_EL3', 'CurrentEL', 'SCTLR_EL12', 'TCR_EL12'];
    const out = await withServer(m, (port) =>
      gdbRun(port, ['maint print register-groups', 'stepi 100', 'set $CNTVOFF_EL2 = 0x10', `info registers ${named.join(' ')}`, 'p $CNTPCT_EL0 - $CNTVCT_EL0']),
    );
    const groups = new Map<string, string>();
    for (const l of out.split('\n')) {
      const r = /^ (\S+)\s+\d+\s+\d+\s+\d+\s+\d+\s+\S+\s+(\S+)$/.exec(l);
      if (r) groups.set(r[1], r[2]);
    }
    for (const r of viewRegisters()) expect(groups.has(r.name), r.name).toBe(true);
    for (const [r, g] of [['HCR_EL2', 'el2'], ['ICH_HCR_EL2', 'el2'], ['SCR_EL3', 'el3'], ['SCTLR_EL1', 'el1'], ['ICC_PMR_EL1', 'system'], ['MIDR_EL1', 'system'], ['x0', 'general'], ['v0', 'vector']])
      expect(groups.get(r)?.split(','), r).toContain(g);
    for (const n of named) expect(out).toMatch(new RegExp(`^${n}\\s+0x[0-9a-f]+\\s`, 'm'));
    expect(out).toMatch(/^CurrentEL\s+0xc\s/m);
    expect(out).toContain('$1 = 16'); // CNTVCT = CNTPCT - CNTVOFF
  });

  it('Ctrl-C in gdb (SIGINT while continue runs) stops the running guest; continue and Ctrl-C again', async () => {
    const m = machineWith(LOOP);
    const s = await serve(m);
    try {
      const args = ['-batch', '-nx', '-ex', 'set architecture aarch64', '-ex', `target remote 127.0.0.1:${s.port}`, '-ex', 'continue', '-ex', 'p/x $pc', '-ex', 'p $x1 > 100', '-ex', 'continue', '-ex', 'p $x1 > 100'];
      const p = spawn(GDB, args, { stdio: ['ignore', 'pipe', 'pipe'] });
      let out = '';
      p.stdout.on('data', (d) => (out += d));
      p.stderr.on('data', (d) => (out += d));
      const core = debugCoreFor(m);
      let last = -1;
      let sent = 0;
      // interrupt each time the guest has been running a while (the instruction count moved)
      const t = setInterval(() => {
        if (core.isRunning && m.instret > last + 100000 && sent < 2) {
          p.kill('SIGINT');
          sent++;
          last = m.instret;
        }
      }, 150);
      const killer = setTimeout(() => p.kill('SIGKILL'), 20000);
      await new Promise((r) => p.on('exit', r));
      clearInterval(t);
      clearTimeout(killer);
      expect(out.match(/Program received signal SIGINT, Interrupt\./g)).toHaveLength(2);
      expect(out).toMatch(/\$1 = 0x4000000[048]/);
      expect(out).toContain('$2 = 1');
      expect(out).toContain('$3 = 1');
      expect(sent).toBe(2);
    } finally {
      await s.close();
    }
  });
});

describe.skipIf(!hasGdb)('gdb acceptance: a gdb killed while the guest runs', () => {
  it('the machine keeps running; the next gdb attaches, stops it and sees its registers; breakpoints of the dead session are gone', async () => {
    const m = machineWith(LOOP);
    const s = await serve(m);
    try {
      const p = spawn(GDB, ['-batch', '-nx', '-ex', 'set architecture aarch64', '-ex', `target remote 127.0.0.1:${s.port}`, '-ex', 'break *0x40000100', '-ex', 'continue'], { stdio: 'ignore' });
      const core = debugCoreFor(m);
      const t0 = Date.now();
      while (!(core.isRunning && m.instret > 100000) && Date.now() - t0 < 15000) await new Promise((r) => setTimeout(r, 20));
      p.kill('SIGKILL');
      await new Promise((r) => p.on('exit', r));
      await new Promise((r) => setTimeout(r, 100));
      expect(core.isRunning).toBe(true);
      expect([...core.breakpoints.values()].filter((b) => b.owner === 'gdb')).toHaveLength(0);
      const out = await gdbRun(s.port, ['info threads', 'p $x1 > 1000', 'stepi', 'p/x $pc']);
      expect(out).toMatch(/Thread 1 "vCPU0" \(vCPU0 EL3h S\) 0x000000004000000[048]/);
      expect(out).toContain('$1 = 1');
      expect(out).toMatch(/\$2 = 0x4000000[048]/);
    } finally {
      await s.close();
    }
  });
});

describe('gdb acceptance: packets gdb does not send in these sessions (raw socket)', () => {
  it('H/T/qC/qAttached/qThreadExtraInfo/qXfer:threads with 2 vCPUs; vCont S/C/t; RLE and X escapes; watch limits; D then a new client; k', async () => {
    const m = machineWith(LOOP, { smp: 2 });
    const set1 = setter(m, 1);
    set1('SCR_EL3', 0x501n);
    m.cpus[1].setPstate(0x3c9);
    const s = await serve(m);
    try {
      const c = await rawClient(s.port);
      expect(await c.ask('vCont?')).toBe('vCont;c;C;s;S;t;r');
      expect(await c.ask('qC')).toBe('QC1');
      expect(await c.ask('Hg2')).toBe('OK');
      expect(await c.ask('qC')).toBe('QC2');
      expect(await c.ask('p21')).toBe('c9030000'); // vCPU1's cpsr: EL2h
      expect(await c.ask('Hg1')).toBe('OK');
      expect(await c.ask('p21')).toBe('cd030000');
      expect(await c.ask('T1')).toBe('OK');
      expect(await c.ask('T2')).toBe('OK');
      expect(await c.ask('T3')).toMatch(/^E/);
      expect(await c.ask('qAttached')).toBe('1');
      expect(Buffer.from(await c.ask('qThreadExtraInfo,2'), 'hex').toString()).toBe('vCPU1 EL2h NS');
      expect(await c.ask('qfThreadInfo')).toBe('m1,2');
      expect(await c.ask('qsThreadInfo')).toBe('l');
      const thr = await c.ask('qXfer:threads:read::0,fff');
      expect(thr).toMatch(/^l/);
      expect(thr).toContain('<thread id="2" core="1" name="vCPU1">vCPU1 EL2h NS</thread>');
      // vCont;S (step with a signal) steps only the named vCPU
      expect(await c.ask('vCont;S05:2')).toMatch(/^T05thread:2;.*20:0400004000000000;/);
      expect(m.cpus[0].pc).toBe(BigInt(RAM_BASE));
      expect(await c.ask('vCont;t:1')).toBe('OK'); // nothing to stop in all-stop
      // vCont;C (continue with a signal), then Ctrl-C
      c.send('vCont;C05');
      await new Promise((r) => setTimeout(r, 30));
      c.raw(Buffer.from([0x03]));
      expect(await c.next()).toMatch(/^T02thread:\d;/);
      // run-length encoded command: '1*"' is '1' and 5 more
      expect(await c.ask('M40000200,4:1*"11')).toBe('OK');
      expect(await c.ask('m40000200,4')).toBe('11111111');
      // X with escaped '#', '$', '}' and '*'
      const esc = (b: number) => String.fromCharCode(0x7d, b ^ 0x20);
      expect(await c.ask('X40000300,4:' + esc(0x23) + esc(0x24) + esc(0x7d) + esc(0x2a))).toBe('OK');
      expect(await c.ask('m40000300,4')).toBe('23247d2a');
      // watchpoints: zero length and more than 64 KiB are refused (the limit monitor help states)
      expect(await c.ask('Z2,40000100,0')).toMatch(/^E/);
      expect(await c.ask('Z2,40000100,10001')).toMatch(/^E/);
      expect(await c.ask('Z2,40000100,10000')).toBe('OK');
      expect(await c.ask('z2,40000100,10000')).toBe('OK');
      // G with g's own contents changes nothing; G with x1 changed writes x1 only
      const sys0 = Array.from(m.cpus[0].sys);
      const g = await c.ask('g');
      expect(g.length).toBeGreaterThan(2 * (8 * 33 + 4 + 32 * 16 + 8));
      expect(await c.ask('G' + g)).toBe('OK');
      expect(Array.from(m.cpus[0].sys)).toEqual(sys0);
      expect(await c.ask('G' + g.slice(0, 16) + '2a00000000000000' + g.slice(32))).toBe('OK');
      expect(await c.ask('p1')).toBe('2a00000000000000');
      expect(m.cpus[0].getX(1)).toBe(42n);
      expect(Array.from(m.cpus[0].sys)).toEqual(sys0);
      expect(await c.ask('qNoSuchThing')).toBe('');
      expect(await c.ask('m40000000')).toMatch(/^E/);
      expect(await c.ask('D')).toBe('OK');
      c.close();
      await new Promise((r) => setTimeout(r, 50));
      expect(debugCoreFor(m).isRunning).toBe(true);
      const ran = m.instret;
      expect(ran).toBeGreaterThan(0);
      // a new client attaches: the machine stops, nothing of the old session is left
      const d = await rawClient(s.port);
      expect(await d.ask('?')).toMatch(/^T\d\dthread:\d;/);
      expect(debugCoreFor(m).isRunning).toBe(false);
      expect(await d.ask('qAttached')).toBe('1');
      d.send('k');
      await new Promise((r) => setTimeout(r, 50));
      expect(m.exited?.why).toBe('killed by gdb');
      d.close();
    } finally {
      await s.close();
    }
  });
});

describe('gdb acceptance: stop replies name the reason (raw socket)', () => {
  it('hwbreak: for Z1, watch:/rwatch:/awatch: with the data address for Z2/Z3/Z4, swbreak: for Z0, all with thread:', async () => {
    // movz x1,#5 ; movz x2,#0x4000,lsl #16 ; add x2,x2,#0x100
    // 1: str x1,[x2] ; str w1,[x2,#0x10] ; ldr x3,[x2,#0x20] ; strb w1,[x2,#0x33] ; add x1,x1,#1 ; b 1b
    const m = machineWith(words(0xd28000a1, 0xd2a80002, 0x91040042, 0xf9000041, 0xb9001041, 0xf9401043, 0x3900cc41, 0x91000421, 0x17fffffb));
    const s = await serve(m);
    const c = await rawClient(s.port);
    try {
      const pc = (r: string) => /;20:([0-9a-f]{16});/.exec(r)?.[1];
      expect(await c.ask('Z1,40000008,4')).toBe('OK');
      let r = await c.ask('vCont;c');
      expect(r).toMatch(/^T05hwbreak:;thread:1;/);
      expect(pc(r)).toBe('0800004000000000');
      expect(await c.ask('z1,40000008,4')).toBe('OK');
      expect(await c.ask('Z2,40000104,4')).toBe('OK'); // upper half of the 8-byte store at 0x40000100
      r = await c.ask('vCont;c');
      expect(r).toMatch(/^T05watch:0*40000104;thread:1;/);
      expect(pc(r)).toBe('0c00004000000000'); // before the store
      expect(await c.ask('z2,40000104,4')).toBe('OK');
      expect(await c.ask('Z3,40000122,2')).toBe('OK');
      r = await c.ask('vCont;c');
      expect(r).toMatch(/^T05rwatch:0*40000122;thread:1;/);
      expect(pc(r)).toBe('1400004000000000');
      expect(await c.ask('z3,40000122,2')).toBe('OK');
      expect(await c.ask('Z4,40000130,8')).toBe('OK');
      r = await c.ask('vCont;c');
      expect(r).toMatch(/^T05awatch:0*40000133;thread:1;/); // strb to 0x133: the byte touched
      expect(pc(r)).toBe('1800004000000000');
      expect(await c.ask('z4,40000130,8')).toBe('OK');
      expect(await c.ask('Z0,4000001c,4')).toBe('OK');
      r = await c.ask('vCont;c');
      expect(r).toMatch(/^T05swbreak:;thread:1;/);
      expect(pc(r)).toBe('1c00004000000000');
    } finally {
      c.close();
      await s.close();
    }
  });
});

const DEMO = 'targets/build/demo-hyp.elf';
const HELLO = 'targets/build/hello.elf';
const haveDemo = existsSync(DEMO);
if (!haveDemo) console.warn(`test/gdb/gdb-acceptance: ${DEMO} not built, skipping the README command-file test`);

describe.skipIf(!hasGdb || !haveDemo)('gdb acceptance: the README command file against the booting demo hypervisor', () => {
  it('runs s2abort.gdb from README.md as written (gdb -x, with the ELF): the decoded line and the four registers it shows; Python read_register', async () => {
    const readme = readFileSync('README.md', 'utf8');
    const block = /\$ cat s2abort\.gdb\n([\s\S]*?)\n\$ gdb-multiarch -batch -nx targets\/build\/demo-hyp\.elf -x s2abort\.gdb\n([\s\S]*?)\n```/.exec(readme);
    expect(block, 'README.md has the s2abort.gdb example').not.toBeNull();
    const script = block![1];
    const shown = block![2].split('\n').filter((l) => l && l !== '...');
    expect(script).toContain('monitor catch el2 DABT_LOW');
    const { board, m, uart } = demoBoard();
    const srv = await startGdbServer(m, { host: '127.0.0.1', port: 0, wait: true, board });
    const dir = mkdtempSync(join(tmpdir(), 'el2scope-gdb-'));
    try {
      // the README's script with our port; two Python lines added before it lets the guest go
      const py = 'python f = gdb.selected_frame(); print("PY HPFAR=%#x VTTBR=%#x" % (int(f.read_register("HPFAR_EL2")), int(gdb.parse_and_eval("$VTTBR_EL2"))))';
      const file = join(dir, 's2abort.gdb');
      writeFileSync(file, script.replace('127.0.0.1:1234', `127.0.0.1:${srv.port}`).replace('monitor catch none', py + '\nmonitor catch none') + '\n');
      const out = await gdbRun(null, [], [DEMO, '-x', file], 30000);
      expect(shown.length).toBeGreaterThanOrEqual(5);
      for (const l of shown) expect(out).toContain(l); // every line the README shows, as shown
      if (process.env.SHOW) console.log(out);
      expect(out).toContain('PY HPFAR=0x90000 VTTBR=0x5000040085000');
      expect(out).toContain('[Inferior 1 (Remote target) exited normally]');
      expect(uart()).toContain('hello from the guest');
    } finally {
      rmSync(dir, { recursive: true, force: true });
      await srv.close();
    }
  }, 40000);
});

/** The demo hypervisor booted as the CLI boots it, with its UART output collected. */
function demoBoard() {
  const board = createBoard({ kernel: DEMO });
  bootBoard(board);
  const m = board.machine;
  let out = '';
  m.on('uart', (b: Uint8Array) => (out += Buffer.from(b).toString('latin1')));
  return { board, m, uart: () => out };
}

describe.skipIf(!hasGdb || !haveDemo)('gdb acceptance: load', () => {
  it('gdb load writes the ELF sections (large X packets) over a scribbled image; compare-sections matches; the hypervisor then runs to its exit', async () => {
    const { board, m, uart } = demoBoard();
    m.bus.loadBytes(0x40080000, new Uint8Array(0x4000)); // zero the hypervisor's .text
    m.bus.loadBytes(0x44000000, new Uint8Array(0x1000)); // and the guest's
    const srv = await startGdbServer(m, { host: '127.0.0.1', port: 0, wait: true, board });
    try {
      const out = await gdbRun(srv.port, ['load', 'compare-sections', 'continue'], [DEMO], 30000);
      expect(out).toMatch(/Loading section \.text, size 0x[0-9a-f]+ lma 0x40080000/);
      expect(out).toMatch(/Loading section \.guest, size 0x[0-9a-f]+ lma 0x44000000/);
      expect(out).toMatch(/Section \.text, range 0x40080000 -- 0x[0-9a-f]+: matched\./);
      expect(out).toMatch(/Section \.guest, range 0x44000000 -- 0x[0-9a-f]+: matched\./);
      expect(out).not.toContain('MIS-MATCHED');
      expect(out).toContain('[Inferior 1 (Remote target) exited normally]');
      expect(uart()).toContain('hello from the guest');
    } finally {
      await srv.close();
    }
  }, 40000);
});

describe.skipIf(!hasGdb || !haveDemo)('gdb acceptance: source-level stepping in the demo guest', () => {
  it('break guest_main + next over source lines uses vCont;r range steps; a next over a call whose UART stores trap to EL2 comes back to the next line', async () => {
    const { board, m, uart } = demoBoard();
    const srv = await startGdbServer(m, { host: '127.0.0.1', port: 0, wait: true, board });
    try {
      const out = await gdbRun(srv.port, ['break guest_main', 'continue', 'info threads', 'set debug remote 1', 'next', 'set debug remote 0', 'next', 'next', 'p/x $CurrentEL', 'monitor trap-log 1'], [DEMO], 30000);
      expect(out).toMatch(/Breakpoint 1, guest_main \(\) at src\/demo-hyp\/guest-main\.c:46/);
      expect(out).toContain('(vCPU0 EL1h NS)');
      expect(out).toMatch(/Sending packet: \$vCont;r4000012[0-9a-f],4000013[0-9a-f]:1/); // a range step of line 46
      expect(out).toMatch(/^47\s+guest_puts\("hello from the guest\\n"\);/m);
      expect(out).toMatch(/^48\s+guest_lines\+\+;/m);
      expect(out).toMatch(/^49\s+guest_puts\("\[guest\] running at EL"\);/m);
      expect(out).toContain('$1 = 0x4');
      // line 47's call printed through trapped stage-2 stores, each emulated by the hypervisor
      expect(uart()).toContain('hello from the guest\n');
      expect(out).toMatch(/#\d+ vCPU0 @\d+ EL1->EL2 sync EC=0x24 DABT_LOW .*VMID=5/);
    } finally {
      await srv.close();
    }
  }, 40000);
});

const SMP = 'targets/build/smp-psci.elf';
describe.skipIf(!hasGdb || !existsSync(SMP))('gdb acceptance: vCPUs brought up by PSCI', () => {
  it('--smp 4: secondaries show as off until CPU_ON; a breakpoint in secondary_main stops on the vCPU that runs it', async () => {
    const board = createBoard({ kernel: SMP, smp: 4 });
    bootBoard(board);
    const srv = await startGdbServer(board.machine, { host: '127.0.0.1', port: 0, wait: true, board });
    try {
      const out = await gdbRun(srv.port, ['info threads', 'thread 2', 'stepi', 'p/x $pc', 'thread 1', 'break secondary_main', 'continue', 'info threads', 'p/x $MPIDR_EL1', 'delete', 'continue'], [SMP], 30000);
      expect(out).toMatch(/2\s+Thread 2 "vCPU1" \(vCPU1 EL2h NS off\)/);
      expect(out).toContain('$1 = 0x40080000'); // stepping an off vCPU leaves it where it is
      expect(out).toMatch(/Thread 2 "vCPU1" hit Breakpoint 1, .*secondary_main/);
      expect(out).toMatch(/\* 2\s+Thread 2 "vCPU1" \(vCPU1 EL2h NS\)/);
      expect(out).toMatch(/4\s+Thread 4 "vCPU3" \(vCPU3 EL2h NS off\)/);
      expect(out).toContain('$2 = 0x80000001');
      expect(out).toContain('[Inferior 1 (Remote target) exited normally]');
    } finally {
      await srv.close();
    }
  }, 40000);
});

describe.skipIf(!hasGdb || !existsSync(HELLO))('gdb acceptance: GIC virtual interface writes from gdb', () => {
  it('writing ICH_LR0_EL2 (with ICH_HCR_EL2.En, ICH_VMCR_EL2) injects a vIRQ the guest takes and acknowledges; reading ICC_IAR1_EL1 from gdb acknowledges nothing', async () => {
    // the virt board (GICv3 attached); our program over hello's entry:
    // EL1: msr daifclr,#2 ; nop ; nop ; b .     EL1 IRQ vector (VBAR_EL1+0x280): mrs x0, ICC_IAR1_EL1 ; b .
    const board = createBoard({ kernel: HELLO });
    bootBoard(board);
    const m = board.machine;
    m.bus.loadBytes(RAM_BASE, words(0xd50342ff, 0xd503201f, 0xd503201f, 0x14000000));
    m.bus.loadBytes(RAM_BASE + 0x1280, words(0xd538cc00, 0x14000000));
    const c = m.cpus[0];
    c.pc = BigInt(RAM_BASE);
    const set = setter(m);
    set('SCR_EL3', 0x501n);
    set('HCR_EL2', 0x80000018n); // RW, IMO, FMO
    set('VBAR_EL1', BigInt(RAM_BASE + 0x1000));
    c.setPstate(0x3c5); // EL1h
    const srv = await startGdbServer(m, { host: '127.0.0.1', port: 0, wait: true, board });
    try {
      const out = await gdbRun(srv.port, [
        'stepi',
        'p/x $ISR_EL1',
        'set $ICH_VMCR_EL2 = 0xff000002', // VPMR 0xff, VENG1
        'set $ICH_HCR_EL2 = 1', // En
        'set $ICH_LR0_EL2 = 0x50a000000000001b', // pending, Group 1, priority 0xa0, vINTID 27
        'p/x $ICC_IAR1_EL1',
        'p/x $ISR_EL1',
        'stepi',
        'p/x $pc',
        'stepi',
        'p $x0',
        'p/x $ICH_LR0_EL2',
        'p/x $ICH_ELRSR_EL2',
      ]);
      expect(out).toContain('$1 = 0x0');
      expect(out).toContain('$2 = 0x0'); // the debugger's read is not an acknowledge
      expect(out).toContain('$3 = 0x80'); // ISR_EL1.I: the vIRQ is pending
      expect(out).toContain('$4 = 0x40001280');
      expect(out).toContain('$5 = 27'); // the guest's acknowledge (ICV_IAR1_EL1)
      expect(out).toContain('$6 = 0x90a000000000001b'); // LR0 now active
      expect(out).toMatch(/\$7 = 0x[0-9a-f]*e\n/); // LR0 not empty
    } finally {
      await srv.close();
    }
  });
});

const VHE = 'targets/build/vhe-host.elf';
describe.skipIf(!hasGdb || !existsSync(VHE))('gdb acceptance: a VHE host (E2H=1, TGE=1)', () => {
  it('catch el2 SVC64 from EL0; walk and x/ through TTBR0_EL2 and the TTBR1_EL2 alias; break-el 0 in the process', async () => {
    const board = createBoard({ kernel: VHE });
    bootBoard(board);
    const srv = await startGdbServer(board.machine, { host: '127.0.0.1', port: 0, wait: true, board });
    try {
      const out = await gdbRun(
        srv.port,
        ['monitor catch el2 SVC64', 'continue', 'p/x $ELR_EL2', 'monitor walk 0x10000000', 'monitor walk 0xffffffffc0084280', 'x/wx 0x10000000', 'x/wx 0xffffffffc0084280', 'monitor catch none', 'monitor break-el 0 0x8083004', 'continue', 'info threads', 'p/x $CurrentEL', 'monitor delete all', 'continue'],
        [VHE],
        30000,
      );
      expect(out).toContain('EL0->EL2 sync EC=0x15 SVC64 imm=0x1 ELR=0x808300c');
      expect(out).toMatch(/walk 0x10000000 \(va \(current regime\)\):\s+regime: EL2&0\s+S1 L1 desc@0x[0-9a-f]+ = 0x[0-9a-f]+\s+-> 0x[0-9a-f]+ table\s+S1 L2 desc@0x[0-9a-f]+ = 0x60000046000f41\s+-> 0x46000000 block\s+=> PA 0x46000000 Normal WB ISH, EL2 RW- EL0 RW-/);
      expect(out).toMatch(/walk 0xffffffffc0084280 \(va \(current regime\)\):\s+regime: EL2&0\s+S1 L1 desc@0x[0-9a-f]+ = 0x40000040000701\s+-> 0x40000000 block\s+=> PA 0x40084280 .*EL2 RWX EL0 ---/);
      expect(out).toMatch(/0x10000000:\s+0xaaaa0001/); // process A's data
      expect(out).toMatch(/0xffffffffc0084280:\s+0x05ec12e7/); // kernel_secret through the alias
      expect(out).toMatch(/monitor breakpoint \d+ hit at 0x8083004/);
      expect(out).toContain('(vCPU0 EL0t NS)');
      expect(out).toContain('$2 = 0x0');
      expect(out).toContain('[Inferior 1 (Remote target) exited normally]');
    } finally {
      await srv.close();
    }
  }, 40000);
});

describe.skipIf(!hasGdb || !existsSync(HELLO))('gdb acceptance: the CLI', () => {
  it('bare --gdb listens on 127.0.0.1:1234; --wait holds the vCPU at its reset state until gdb continues', async () => {
    const free = await new Promise<boolean>((r) => {
      const t = net.createServer().once('error', () => r(false));
      t.listen(1234, '127.0.0.1', () => t.close(() => r(true)));
    });
    if (!free) {
      console.warn('test/gdb/gdb-acceptance: 127.0.0.1:1234 is in use, skipping the bare --gdb check');
      return;
    }
    const p = spawn(process.execPath, ['node_modules/tsx/dist/cli.mjs', 'src/cli.ts', 'run', '--kernel', HELLO, '--gdb', '--wait'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    p.stdout.on('data', (d) => (stdout += d));
    const exited = new Promise<number | null>((r) => p.on('exit', (code) => r(code)));
    try {
      const listening = await new Promise<boolean>((resolve, reject) => {
        const t = setTimeout(() => reject(new Error('no gdb server: ' + stderr)), 20000);
        p.stderr.on('data', (d) => {
          stderr += d;
          if (/gdb server listening on 127\.0\.0\.1:1234 \(waiting/.test(stderr)) {
            clearTimeout(t);
            resolve(true);
          }
          if (/EADDRINUSE/.test(stderr)) {
            clearTimeout(t);
            resolve(false); // taken since the check above (another test run)
          }
        });
      });
      if (!listening) {
        console.warn('test/gdb/gdb-acceptance: 127.0.0.1:1234 was taken meanwhile, skipping the bare --gdb check');
        return;
      }
      await new Promise((r) => setTimeout(r, 100));
      expect(stdout).toBe(''); // nothing ran yet
      const out = await gdbRun(1234, ['p/x $CurrentEL', 'info threads', 'continue'], [HELLO]);
      expect(out).toContain('$1 = 0x8');
      expect(out).toContain('(vCPU0 EL2h NS)');
      expect(out).toContain('[Inferior 1 (Remote target) exited normally]');
      expect(await exited).toBe(0);
      expect(stdout).toContain("Hello from el2scope's hello target!");
    } finally {
      p.kill();
    }
  }, 30000);
});

describe('gdb acceptance: detach undoes only what this gdb session set', () => {
  it("catches set through the debug core (the inspector's) survive a gdb detach; the session's own are dropped", async () => {
    const m = machineWith(LOOP);
    const core = debugCoreFor(m);
    core.setCatch([2], false, [0x16]); // as the inspector's catch.set does
    const s = await serve(m);
    try {
      let c = await rawClient(s.port);
      expect(await c.ask('D')).toBe('OK');
      c.close();
      expect([...core.catches.els]).toEqual([2]);
      core.pause();
      await new Promise((r) => setTimeout(r, 20));
      c = await rawClient(s.port);
      expect(Buffer.from(await c.ask('qRcmd,' + Buffer.from('catch el1').toString('hex')), 'hex').toString()).toContain('EL1');
      expect(await c.ask('D')).toBe('OK');
      c.close();
      expect([...core.catches.els]).toEqual([]);
    } finally {
      await s.close();
    }
  });
});

describe('gdb acceptance: range steps over a trapping instruction', () => {
  function hvcGuest(): Machine {
    // EL1: svc #0x11 ; hvc #0x33 ; nop ; b .   EL1 vector: movz x10,#1 ; eret   EL2 vector: movz x11,#2 ; eret
    const m = machineWith(words(0xd4000221, 0xd4000662, 0xd503201f, 0x14000000));
    m.bus.loadBytes(RAM_BASE + 0x1200, words(0xd280002a, 0xd69f03e0));
    m.bus.loadBytes(RAM_BASE + 0x2400, words(0xd280004b, 0xd69f03e0));
    const cpu = m.cpus[0];
    const set = (n: string, v: bigint) => viewRegisters()[viewRegIndex(n)!].write(cpu, v);
    set('SCR_EL3', 0x501n);
    set('HCR_EL2', 1n << 31n);
    set('VBAR_EL1', BigInt(RAM_BASE + 0x1000));
    set('VBAR_EL2', BigInt(RAM_BASE + 0x2000));
    cpu.setPstate(0x3c5);
    cpu.pc = BigInt(RAM_BASE + 4); // at the HVC
    return m;
  }

  it('vCont;r over an HVC runs the EL2 handler to its ERET and stops after the range; `range-step traps show` stops in the handler; an SVC to the same EL stops at its vector', async () => {
    for (const [mode, want, x11] of [['hide', '20:0800004000000000', 2n], ['show', '20:0024004000000000', 0n]] as const) {
      const m = hvcGuest();
      const s = await serve(m);
      try {
        const c = await rawClient(s.port);
        const mon = (cmd: string) => c.ask('qRcmd,' + Buffer.from(cmd).toString('hex')).then((h) => Buffer.from(h, 'hex').toString());
        expect(await mon(`range-step traps ${mode}`)).toContain(mode === 'hide' ? 'hidden' : 'shown');
        const r = await c.ask('vCont;r40000004,40000008:1');
        expect(r).toContain(want);
        expect(m.cpus[0].getX(11)).toBe(x11);
        expect(m.cpus[0].el).toBe(mode === 'hide' ? 1 : 2);
        c.close();
      } finally {
        await s.close();
      }
    }
    // the SVC is taken to EL1 itself: not a trap upwards, the line step stops at EL1's vector
    const m = hvcGuest();
    m.cpus[0].pc = BigInt(RAM_BASE);
    const s = await serve(m);
    try {
      const c = await rawClient(s.port);
      expect(await c.ask('vCont;r40000000,40000004:1')).toContain('20:0012004000000000');
      c.close();
    } finally {
      await s.close();
    }
  });
});
