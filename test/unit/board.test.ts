import { describe, it, expect } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createBoard, bootBoard, EXIT, LoadError, type Board, type BoardOptions } from '../../src/machine/board';
import { RAM_BASE } from '../../src/machine/machine';
import { parseFdt, findNode } from '../../src/machine/dtb';
import { PSCI_FN } from '../../src/machine/psci';
import { R } from '../../src/sysregs/table';
import { buildElf, buildImage, words, decodes, I, printInsns, psciFn } from './board.helpers';

const ENTRY = 0x4008_0000;

function elfOf(code: number[], extra: Partial<Parameters<typeof buildElf>[0]> = {}): Uint8Array {
  return buildElf({ entry: ENTRY, segments: [{ addr: ENTRY, data: words(...code) }], ...extra });
}

function boot(opts: BoardOptions): Board {
  const b = createBoard({ ramMiB: 64, ...opts });
  bootBoard(b);
  return b;
}

function captureUart(b: Board): () => string {
  const chunks: number[] = [];
  b.machine.on('uart', (d) => chunks.push(...d));
  return () => String.fromCharCode(...chunks);
}

/** call the board's PSCI firmware as an SMC/HVC from cpu `i` would */
function psciCall(b: Board, fn: number, args: bigint[] = [], i = 0, conduit: 'smc' | 'hvc' = 'smc'): bigint | false {
  const c = b.machine.cpus[i];
  c.setX(0, BigInt(fn));
  args.forEach((a, k) => c.setX(k + 1, a));
  const handled = b.machine.env.psci!(c, conduit, 0);
  return handled ? c.getX(0) : false;
}

const NOT_SUPPORTED = 0xffff_ffff_ffff_ffffn;

describe('virt board boot state (QEMU boot.c)', () => {
  it('default: non-secure EL2h, SCR_EL3 = NS|HCE|RW, x0 = DTB, secondaries powered off', () => {
    const b = boot({ kernelBytes: elfOf([I.B_SELF]), smp: 2 });
    const [c0, c1] = b.machine.cpus;
    expect(c0.el).toBe(2);
    expect(c0.spSel).toBe(1);
    expect(c0.daif).toBe(0xf);
    expect(c0.pc).toBe(BigInt(ENTRY));
    expect(c0.sysLo(R.SCR_EL3) & 0x501).toBe(0x501);
    expect(c0.isSecure()).toBe(false);
    expect(b.dtbAddr).toBe(RAM_BASE); // room below the ELF, as QEMU does
    expect(c0.getX(0)).toBe(BigInt(RAM_BASE));
    expect(c0.off).toBe(false);
    expect(c1.off).toBe(true);
    expect(b.psci).toBe('smc');
    const dtb = parseFdt(b.machine.bus.peek(b.dtbAddr, b.dtb.length)!);
    expect(findNode(dtb, '/psci')!.getStrings('method')).toEqual(['smc']);
    expect(findNode(dtb, '/memory@40000000')!.getCells('reg')).toEqual([0, RAM_BASE, 0, 64 << 20]);
  });

  it('--el 1: EL1h with HCR_EL2.RW, PSCI over HVC', () => {
    const b = boot({ kernelBytes: elfOf([I.B_SELF]), el: 1 });
    const c = b.machine.cpus[0];
    expect(c.el).toBe(1);
    expect(c.sysLo(R.HCR_EL2) >>> 31).toBe(1);
    expect(c.sysLo(R.SCR_EL3) & 0x501).toBe(0x401);
    expect(b.psci).toBe('hvc');
    expect(psciCall(b, PSCI_FN.VERSION, [], 0, 'hvc')).toBe(0x10001n);
    expect(psciCall(b, PSCI_FN.VERSION, [], 0, 'smc')).toBe(false);
  });

  it('--el 3: secure EL3h, SCR_EL3 at reset, no PSCI, every CPU runs the image', () => {
    const b = boot({ kernelBytes: elfOf([I.B_SELF]), el: 3, smp: 2 });
    for (const c of b.machine.cpus) {
      expect(c.el).toBe(3);
      expect(c.off).toBe(false);
      expect(c.pc).toBe(BigInt(ENTRY));
      expect(c.sysLo(R.SCR_EL3) & 1).toBe(0);
    }
    expect(b.machine.env.psci).toBeUndefined();
    expect(findNode(parseFdt(b.dtb), '/psci')).toBeUndefined();
  });

  it('Linux Image: loaded at RAM + 2 MiB + text_offset, DTB after the initrd on a 2 MiB boundary', () => {
    const code = words(0xd503201f, I.B_SELF);
    const initrd = new Uint8Array(5000).fill(7);
    const b = boot({ kernelBytes: buildImage(code, 0), initrdBytes: initrd, append: 'console=ttyAMA0', ramMiB: 128 });
    const c = b.machine.cpus[0];
    expect(b.kind).toBe('image');
    expect(c.pc).toBe(BigInt(RAM_BASE + 0x20_0000));
    expect(Array.from(b.machine.bus.peek(RAM_BASE + 0x20_0000 + 64, 8)!)).toEqual(Array.from(code));
    // initrd at RAM + min(RAM/2, 128 MiB), page aligned; DTB 2 MiB aligned after it
    expect(b.initrd).toEqual({ start: RAM_BASE + (64 << 20), end: RAM_BASE + (64 << 20) + 5000 });
    expect(b.dtbAddr).toBe(RAM_BASE + (66 << 20));
    expect(c.getX(0)).toBe(BigInt(b.dtbAddr));
    expect(b.machine.bus.peek(b.initrd!.start, 3)).toEqual(new Uint8Array([7, 7, 7]));
    const chosen = findNode(parseFdt(b.machine.bus.peek(b.dtbAddr, b.dtb.length)!), '/chosen')!;
    expect(chosen.getStrings('bootargs')).toEqual(['console=ttyAMA0']);
    expect(chosen.getCells('linux,initrd-start')).toEqual([0, b.initrd!.start]);
    expect(chosen.getCells('linux,initrd-end')).toEqual([0, b.initrd!.end]);
  });

  it('ELF kernel with --initrd: initrd at RAM + RAM/2, DTB 2 MiB aligned after it', () => {
    const b = boot({ kernelBytes: elfOf([I.B_SELF]), initrdBytes: new Uint8Array(100).fill(3), ramMiB: 64 });
    expect(b.initrd).toEqual({ start: RAM_BASE + (32 << 20), end: RAM_BASE + (32 << 20) + 100 });
    expect(b.dtbAddr).toBe(RAM_BASE + (34 << 20));
    expect(b.machine.cpus[0].getX(0)).toBe(BigInt(b.dtbAddr));
  });

  it('Xen boot modules: loaded at their addresses, /chosen module@ nodes in load order', () => {
    const dom0 = new Uint8Array(300).fill(1);
    const rd = new Uint8Array(200).fill(2);
    const b = boot({
      kernelBytes: buildImage(words(I.B_SELF), 0),
      ramMiB: 128,
      append: 'dom0_mem=64M',
      modules: [
        { addr: 0x4700_0000, bytes: dom0, bootargs: 'console=hvc0 root=/dev/ram' },
        { addr: 0x4720_0000, bytes: rd },
      ],
    });
    expect(b.machine.bus.peek(0x4700_0000, 2)).toEqual(new Uint8Array([1, 1]));
    expect(b.machine.bus.peek(0x4720_0000, 2)).toEqual(new Uint8Array([2, 2]));
    const chosen = findNode(parseFdt(b.machine.bus.peek(b.dtbAddr, b.dtb.length)!), '/chosen')!;
    expect(chosen.getU32('#address-cells')).toBe(2);
    const m0 = chosen.child('module@47000000')!;
    expect(m0.getStrings('compatible')).toEqual(['multiboot,kernel', 'multiboot,module']);
    expect(m0.getCells('reg')).toEqual([0, 0x4700_0000, 0, 300]);
    expect(m0.getStrings('bootargs')).toEqual(['console=hvc0 root=/dev/ram']);
    const m1 = chosen.child('module@47200000')!;
    expect(m1.getStrings('compatible')).toEqual(['multiboot,ramdisk', 'multiboot,module']);
    expect(m1.props.has('bootargs')).toBe(false);
  });

  it('a module outside RAM or over the kernel/DTB is a LoadError', () => {
    const k = buildImage(words(I.B_SELF), 0);
    expect(() => createBoard({ kernelBytes: k, modules: [{ addr: 0x1000, bytes: words(0) }] })).toThrow(/not inside RAM/);
    expect(() => createBoard({ kernelBytes: k, modules: [{ addr: RAM_BASE + 0x20_0000, bytes: words(0) }] })).toThrow(/overlaps the kernel/);
    expect(() => createBoard({ kernelBytes: k, ramMiB: 128, modules: [{ addr: RAM_BASE + (64 << 20), bytes: words(0) }] })).toThrow(/overlaps the device tree/);
    expect(() => createBoard({ kernelBytes: k, modules: [{ addr: 0x4700_0000, bytes: words(0, 0) }, { addr: 0x4700_0004, bytes: words(0) }] })).toThrow(/overlaps the module/);
  });

  it('the GIC maintenance interrupt is described only when EL2 is offered', () => {
    const el2 = findNode(parseFdt(boot({ kernelBytes: elfOf([I.B_SELF]) }).dtb), '/intc@8000000')!;
    expect(el2.getCells('interrupts')).toEqual([1, 9, 4]);
    const el1 = findNode(parseFdt(boot({ kernelBytes: elfOf([I.B_SELF]), el: 1 }).dtb), '/intc@8000000')!;
    expect(el1.props.has('interrupts')).toBe(false);
  });

  it('--bios: raw image in flash at 0, PC 0, DTB at the start of RAM, x0 untouched', () => {
    const fw = words(0xd503201f, I.B_SELF);
    const b = boot({ biosBytes: fw });
    const c = b.machine.cpus[0];
    expect(c.pc).toBe(0n);
    expect(c.getX(0)).toBe(0n);
    expect(b.dtbAddr).toBe(RAM_BASE);
    expect(Array.from(b.machine.bus.peek(0, 8)!)).toEqual(Array.from(fw));
    expect(parseFdt(b.machine.bus.peek(RAM_BASE, b.dtb.length)!).getStrings('compatible')).toEqual(['linux,dummy-virt']);
  });

  it('keeps ELF symbols for the debugger', () => {
    const b = boot({
      kernelBytes: elfOf([I.B_SELF, I.B_SELF, I.B_SELF], {
        symbols: [
          { name: '_start', value: ENTRY, size: 8, func: true },
          { name: 'spin', value: ENTRY + 8, size: 4, func: true },
        ],
      }),
    });
    expect(b.symbols.get('_start')).toBe(BigInt(ENTRY));
    expect(b.symbols.get('spin')).toBe(BigInt(ENTRY + 8));
    expect(b.lookup(BigInt(ENTRY + 4))).toEqual({ name: '_start', offset: 4n });
    expect(b.symbolize(BigInt(ENTRY + 8))).toBe('spin');
    expect(b.symbolize(BigInt(ENTRY - 4))).toBeUndefined();
  });

  it('uses a given --dtb, patched with the board memory and /chosen', () => {
    const src = boot({ kernelBytes: elfOf([I.B_SELF]), ramMiB: 32 });
    const b = boot({ kernelBytes: elfOf([I.B_SELF]), dtbBytes: src.dtb, ramMiB: 48, append: 'x=1' });
    const t = parseFdt(b.machine.bus.peek(b.dtbAddr, b.dtb.length)!);
    expect(findNode(t, '/memory@40000000')!.getCells('reg')).toEqual([0, RAM_BASE, 0, 48 << 20]);
    expect(findNode(t, '/chosen')!.getStrings('bootargs')).toEqual(['x=1']);
  });
});

describe('bad input is a LoadError with one line, never a crash', () => {
  const cases: [string, BoardOptions, RegExp][] = [
    ['missing file', { kernel: '/nonexistent/kernel.elf' }, /no such file/],
    ['-m 0', { kernelBytes: elfOf([0]), ramMiB: 0 }, /RAM size/],
    ['--smp 0', { kernelBytes: elfOf([0]), smp: 0 }, /--smp/],
    ['nothing to run', {}, /nothing to run/],
    ['kernel and bios', { kernelBytes: elfOf([0]), biosBytes: words(0) }, /either/],
    ['non-ELF, non-Image kernel', { kernelBytes: new TextEncoder().encode('#!/bin/sh\necho hi\n'.repeat(8)) }, /neither an ELF/],
    ['truncated ELF', { kernelBytes: elfOf([0, 0, 0]).subarray(0, 100) }, /truncated/],
    ['ELF outside RAM', { kernelBytes: buildElf({ entry: 0x1000_0000, segments: [{ addr: 0x1000_0000, data: words(0) }] }) }, /outside RAM/],
    ['Image with a bad magic', { kernelBytes: buildImage(words(0), 0, undefined, 'ARMX').fill(0x41, 0x38, 0x3c) }, /neither|magic/],
    ['Image bigger than RAM', { kernelBytes: buildImage(words(0), 0, 200 << 20), ramMiB: 64 }, /does not fit/],
    ['bad dtb', { kernelBytes: elfOf([0]), dtbBytes: new Uint8Array(100) }, /dtb/],
    ['empty bios', { biosBytes: new Uint8Array(0) }, /empty/],
  ];
  for (const [name, opts, re] of cases) {
    it(name, () => {
      let err: unknown;
      try {
        createBoard(opts);
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(LoadError);
      expect((err as Error).message).toMatch(re);
      expect((err as Error).message).not.toContain('\n');
    });
  }

  it('a directory given as a file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'el2scope-board-'));
    expect(() => createBoard({ kernel: dir })).toThrow(/directory/);
    writeFileSync(join(dir, 'k'), elfOf([0]));
    expect(() => createBoard({ kernel: join(dir, 'k'), ramMiB: 16 })).not.toThrow();
  });
});

describe('PSCI firmware (answers as QEMU 7.2 virt)', () => {
  it('VERSION, FEATURES, MIGRATE_INFO_TYPE, unknown calls', () => {
    const b = boot({ kernelBytes: elfOf([I.B_SELF]), smp: 2 });
    expect(psciCall(b, PSCI_FN.VERSION)).toBe(0x10001n);
    expect(psciCall(b, PSCI_FN.FEATURES, [BigInt(PSCI_FN.SYSTEM_OFF)])).toBe(0n);
    expect(psciCall(b, PSCI_FN.FEATURES, [BigInt(PSCI_FN.CPU_ON64)])).toBe(0n);
    expect(psciCall(b, PSCI_FN.FEATURES, [0x80000000n])).toBe(NOT_SUPPORTED); // SMCCC_VERSION
    expect(psciCall(b, PSCI_FN.FEATURES, [BigInt(PSCI_FN.MIGRATE)])).toBe(NOT_SUPPORTED);
    expect(psciCall(b, PSCI_FN.MIGRATE_INFO_TYPE)).toBe(2n);
    expect(psciCall(b, 0x8400001f)).toBe(NOT_SUPPORTED);
    expect(psciCall(b, 0xc2000000)).toBe(NOT_SUPPORTED);
    // HVC is not the conduit at EL2: it stays an architectural HVC
    expect(psciCall(b, PSCI_FN.VERSION, [], 0, 'hvc')).toBe(false);
  });

  it('CPU_ON starts a secondary at the entry with the context id in x0, at EL2; AFFINITY_INFO follows', () => {
    const b = boot({ kernelBytes: elfOf([I.B_SELF]), smp: 2 });
    const c1 = b.machine.cpus[1];
    expect(psciCall(b, PSCI_FN.AFFINITY_INFO64, [1n, 0n])).toBe(1n); // OFF
    expect(psciCall(b, PSCI_FN.CPU_ON64, [1n, 0x4009_0000n, 0x1234_5678_9abcn])).toBe(0n);
    expect(c1.off).toBe(false);
    expect(c1.pc).toBe(0x4009_0000n);
    expect(c1.getX(0)).toBe(0x1234_5678_9abcn);
    expect(c1.el).toBe(2);
    expect(c1.sysLo(R.SCR_EL3) & 0x501).toBe(0x501);
    expect(psciCall(b, PSCI_FN.AFFINITY_INFO64, [1n, 0n])).toBe(0n); // ON
    expect(psciCall(b, PSCI_FN.CPU_ON64, [1n, 0x4009_0000n, 0n])).toBe(0xffff_ffff_ffff_fffcn); // ALREADY_ON
    expect(psciCall(b, PSCI_FN.CPU_ON64, [7n, 0x4009_0000n, 0n])).toBe(0xffff_ffff_ffff_fffen); // INVALID_PARAMS
    expect(psciCall(b, PSCI_FN.AFFINITY_INFO64, [9n, 0n])).toBe(0xffff_ffff_ffff_fffen);
    // CPU_OFF from cpu1
    psciCall(b, PSCI_FN.CPU_OFF, [], 1);
    expect(c1.off).toBe(true);
    expect(psciCall(b, PSCI_FN.AFFINITY_INFO, [1n, 0n])).toBe(1n);
  });

  it('CPU_SUSPEND is a standby that returns success; bad power states are INVALID_PARAMS', () => {
    const b = boot({ kernelBytes: elfOf([I.B_SELF]) });
    expect(psciCall(b, PSCI_FN.CPU_SUSPEND64, [0n, 0x4009_0000n, 0n])).toBe(0n);
    expect(b.machine.cpus[0].halted).toBe(true);
    expect(psciCall(b, PSCI_FN.CPU_SUSPEND64, [0x10000n << 4n, 0n, 0n])).toBe(0xffff_ffff_ffff_fffen);
  });

  it('SYSTEM_OFF ends the run with exit code 0', () => {
    const b = boot({ kernelBytes: elfOf([I.B_SELF]) });
    const exits: [number, string][] = [];
    b.machine.on('exit', (code, why) => exits.push([code, why]));
    psciCall(b, PSCI_FN.SYSTEM_OFF);
    expect(b.machine.exited).toEqual({ code: 0, why: 'PSCI SYSTEM_OFF' });
    expect(exits).toEqual([[0, 'PSCI SYSTEM_OFF']]);
  });

  it('an SMC from EL1 with HCR_EL2.TSC set is left to trap to EL2', () => {
    const b = boot({ kernelBytes: elfOf([I.B_SELF]) });
    const c = b.machine.cpus[0];
    c.sys[2 * R.HCR_EL2] |= 1 << 19;
    c.sys[2 * R.HCR_EL2] |= 0x80000000;
    c.switchElSp(1, 1);
    expect(psciCall(b, PSCI_FN.VERSION)).toBe(false);
    c.sys[2 * R.HCR_EL2] &= ~(1 << 19);
    expect(psciCall(b, PSCI_FN.VERSION)).toBe(0x10001n);
  });
});

describe('devices on the bus', () => {
  it('PL011: flags, PrimeCell IDs, TX to the uart event, RX FIFO and the interrupt level', () => {
    const b = boot({ kernelBytes: elfOf([I.B_SELF]) });
    const bus = b.machine.bus;
    const out = captureUart(b);
    const U = 0x0900_0000;
    expect(bus.read(U + 0x18, 4)).toBe(0x90); // TXFE | RXFE
    expect([0xfe0, 0xfe4, 0xfe8, 0xfec, 0xff0, 0xff4, 0xff8, 0xffc].map((o) => bus.read(U + o, 4))).toEqual([0x11, 0x10, 0x14, 0x00, 0x0d, 0xf0, 0x05, 0xb1]);
    bus.write(U, 4, 0x48);
    bus.write(U, 4, 0x69);
    expect(out()).toBe('Hi');
    const levels: boolean[] = [];
    b.uart.irq = (l) => levels.push(l);
    bus.write(U + 0x2c, 4, 0x70); // LCR_H: 8 bits, FIFO enabled
    bus.write(U + 0x38, 4, (1 << 4) | (1 << 6)); // IMSC: RX | RT
    b.uart.receive([0x61, 0x62]);
    expect(levels).toEqual([true]);
    expect(bus.read(U + 0x18, 4)! & 0x10).toBe(0); // RXFE clear
    expect(bus.read(U + 0x40, 4)! & 0x50).not.toBe(0); // MIS
    expect(bus.read(U, 4)).toBe(0x61);
    expect(bus.read(U, 4)).toBe(0x62);
    expect(bus.read(U + 0x18, 4)! & 0x10).toBe(0x10);
    expect(levels).toEqual([true, false]);
    // TX interrupt after a write, cleared by ICR
    bus.write(U + 0x38, 4, 1 << 5);
    bus.write(U, 4, 0x21);
    expect(bus.read(U + 0x40, 4)).toBe(1 << 5);
    bus.write(U + 0x44, 4, 1 << 5);
    expect(bus.read(U + 0x40, 4)).toBe(0);
  });

  it('PL031 counts seconds from its base; PL061 reads back its pins', () => {
    const b = boot({ kernelBytes: elfOf([I.B_SELF]), rtcBaseSeconds: 1_700_000_000 });
    const bus = b.machine.bus;
    expect(bus.read(0x0901_0000, 4)).toBe(1_700_000_000);
    expect(bus.read(0x0901_0fe0, 4)).toBe(0x31);
    bus.write(0x0901_0008, 4, 1000); // LR
    expect(bus.read(0x0901_0000, 4)).toBe(1000);
    bus.write(0x0903_0400, 4, 0x0f); // DIR: pins 0-3 out
    bus.write(0x0903_0000 + (0xff << 2), 4, 0x05);
    expect(bus.read(0x0903_0000 + (0xff << 2), 4)).toBe(0x05);
    expect(bus.read(0x0903_0000 + (0x01 << 2), 4)).toBe(0x01); // address-masked read
  });

  it('--el 3: the secure UART prints too; secure GPIO pin 1 requests a reset', () => {
    const b = boot({ kernelBytes: elfOf([I.B_SELF]), el: 3 });
    const out = captureUart(b);
    b.machine.bus.write(0x0904_0000, 4, 0x53);
    expect(out()).toBe('S');
    const c = b.machine.cpus[0];
    c.pc = 0x4009_0000n;
    b.machine.bus.write(0x090b_0400, 4, 2);
    b.machine.bus.write(0x090b_0008, 4, 2); // DATA[pin1] = 1
    b.machine.runSlice(1); // the reset happens at the next slice boundary
    expect(b.machine.exited).toBeNull();
    expect(c.pc).toBe(BigInt(ENTRY));
    expect(c.el).toBe(3);
  });

  it('device interrupt outputs reach the GIC as SPI levels (UART = SPI 1)', () => {
    const b = boot({ kernelBytes: elfOf([I.B_SELF]) });
    const gic = b.machine.gic!;
    expect(gic).toBeTruthy();
    b.machine.bus.write(0x0900_0038, 4, 1 << 4); // IMSC.RX
    expect(gic.spi.level[33]).toBe(0);
    b.uart.receive([0x41]);
    expect(gic.spi.level[33]).toBe(1);
    b.machine.bus.read(0x0900_0000, 4);
    expect(gic.spi.level[33]).toBe(0);
    const noGic = boot({ kernelBytes: elfOf([I.B_SELF]), gic: false });
    expect(noGic.machine.gic).toBeNull();
    expect(findNode(parseFdt(noGic.dtb), '/intc@8000000')).toBeUndefined();
    expect(findNode(parseFdt(b.dtb), '/intc@8000000')).toBeDefined();
  });

  it('--el 3: secure GPIO pin 0 powers off (exit 0)', () => {
    const b = boot({ kernelBytes: elfOf([I.B_SELF]), el: 3 });
    const bus = b.machine.bus;
    bus.write(0x090b_0400, 4, 1); // DIR pin 0 output
    expect(b.machine.exited).toBeNull();
    bus.write(0x090b_0004, 4, 1); // DATA[pin0] = 1
    expect(b.machine.exited).toEqual({ code: 0, why: 'secure GPIO power-off' });
  });
});

// ---- guest programs (need MOVZ/MOVK/STR/SMC/HVC/B from the integer ISA)
const canRun = decodes(I.MOVZ_X1_UART, I.movzW2(0x41), I.STR_W2_X1, I.MOVK_X0_8400, I.SMC, I.HVC, I.B_SELF, I.STR_W2_X1_400);
if (!canRun) console.log('board program tests: the decoder does not know MOVZ/MOVK/STR/SMC/HVC yet, skipping');

describe.skipIf(!canRun)('guest programs on the board', () => {
  async function runProgram(opts: BoardOptions, maxInsns = 10_000): Promise<{ out: string; reason: string; code?: number; b: Board }> {
    const b = createBoard({ ramMiB: 64, maxInsns, ...opts });
    bootBoard(b);
    const out = captureUart(b);
    const r = await b.machine.run();
    return { out: out(), reason: r.kind, code: r.kind === 'exit' ? r.code : undefined, b };
  }

  it('EL2: prints on the UART and powers off with PSCI SYSTEM_OFF over SMC', async () => {
    const prog = [I.MOVZ_X1_UART, ...printInsns('OK\n'), ...psciFn(PSCI_FN.SYSTEM_OFF), I.SMC, I.B_SELF];
    const r = await runProgram({ kernelBytes: elfOf(prog) });
    expect(r.out).toBe('OK\n');
    expect(r.reason).toBe('exit');
    expect(r.code).toBe(EXIT.POWER_OFF);
  });

  it('--el 1: PSCI over HVC', async () => {
    const prog = [I.MOVZ_X1_UART, ...printInsns('el1'), ...psciFn(PSCI_FN.SYSTEM_OFF), I.HVC, I.B_SELF];
    const r = await runProgram({ kernelBytes: elfOf(prog), el: 1 });
    expect(r.out).toBe('el1');
    expect(r.code).toBe(0);
  });

  it('--bios at 0 in flash', async () => {
    const prog = [I.MOVZ_X1_UART, ...printInsns('fw'), ...psciFn(PSCI_FN.SYSTEM_OFF), I.SMC, I.B_SELF];
    const r = await runProgram({ biosBytes: words(...prog) });
    expect(r.out).toBe('fw');
    expect(r.code).toBe(0);
  });

  it('--el 3: the secure GPIO power-off pin ends the run', async () => {
    const prog = [I.MOVZ_X1_UART, ...printInsns('s'), I.MOVZ_X1_SGPIO, I.movzW2(1), I.STR_W2_X1_400, I.STR_W2_X1_4, I.B_SELF];
    const r = await runProgram({ kernelBytes: elfOf(prog), el: 3 });
    expect(r.out).toBe('s');
    expect(r.code).toBe(0);
  });

  it('--smp 2: CPU_ON starts cpu1 with its context id; cpu1 powers the system off', async () => {
    // cpu0: print 'A', CPU_ON(mpidr 1, entry = second, ctx = 'B'), spin
    // cpu1 (second): print x0's byte, SYSTEM_OFF
    const first = [
      I.MOVZ_X1_UART, ...printInsns('A'),
      ...psciFn(PSCI_FN.CPU_ON64), I.movzX(1, 1), I.movzX(2, 0), I.movkX16(2, 0), I.movzX(3, 0x42), I.SMC, I.B_SELF,
    ];
    const secondAt = ENTRY + first.length * 4;
    first[first.length - 5] = I.movzX(2, secondAt & 0xffff);
    first[first.length - 4] = I.movkX16(2, secondAt >>> 16);
    const second = [I.MOVZ_X1_UART, I.STR_W0_X1, ...psciFn(PSCI_FN.SYSTEM_OFF), I.SMC, I.B_SELF];
    const r = await runProgram({ kernelBytes: elfOf([...first, ...second]), smp: 2 });
    expect(r.out).toBe('AB');
    expect(r.code).toBe(0);
  });

  it('SYSTEM_RESET reboots the image', async () => {
    const prog = [I.MOVZ_X1_UART, ...printInsns('R'), ...psciFn(PSCI_FN.SYSTEM_RESET), I.SMC, I.B_SELF];
    const r = await runProgram({ kernelBytes: elfOf(prog) }, 60);
    expect(r.reason).toBe('max-insns');
    expect(r.out.length).toBeGreaterThanOrEqual(3);
    expect(r.out).toMatch(/^R+$/);
  });

  it('CPU_OFF of the last CPU stops the run with exit code 4', async () => {
    const prog = [...psciFn(PSCI_FN.CPU_OFF), I.SMC, I.B_SELF];
    const r = await runProgram({ kernelBytes: elfOf(prog) });
    expect(r.code).toBe(EXIT.ALL_CPUS_OFF);
  });
});
