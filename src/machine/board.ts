// The `virt` board: QEMU's memory map (hw/arm/virt.c), its devices, image loading, the generated
// device tree, PSCI firmware when no EL3 code runs, and the boot state QEMU's hw/arm/boot.c leaves.
//
//   createBoard(opts)  validates options, reads and parses the images, builds machine + devices +
//                      DTB (throws LoadError with a one-line message on bad input);
//   bootBoard(board)   copies images and DTB into memory and sets every CPU's initial state;
//   board.reset()      full system reset (PSCI SYSTEM_RESET, secure GPIO restart): devices reset,
//                      images and DTB reloaded (RAM otherwise keeps its contents, as on QEMU), CPUs
//                      rebooted.
//
// Front ends (CLI, GDB server, inspector, tests) use these; nothing here imports a front end.
import { readFileSync, statSync } from 'node:fs';
import createDebug from 'debug';
import { Machine, RAM_BASE } from './machine';
import type { Cpu } from '../cpu/cpu';
import { R } from '../sysregs/table';
import { Pl011 } from '../devices/pl011';
import { Pl031 } from '../devices/pl031';
import { Pl061 } from '../devices/pl061';
import { DmaEngine } from '../devices/dma';
import { Smmu } from '../smmu/smmu';
import { makePsciHandler, mpidrAffinity } from './psci';
import { generateVirtDtb, parseFdt, patchUserDtb, serializeFdt, DtbError, VIRT, type FdtNode, type VirtDtbConfig } from './dtb';
import { LoadError, hex } from './loaders/errors';
import { isElf, parseElf, loadElfSegments, type ElfImage } from './loaders/elf';
import { hasArm64Magic, isGzip, parseArm64Image, type ArmImage } from './loaders/image';
import { attachGicAndTimers } from '../gic/attach';
import { GICR_STRIDE, MAINT_INTID } from '../gic/gic';

const log = createDebug('el2scope:board');

export { LoadError };

/** Exit codes of a run (the CLI's process exit status). */
export const EXIT = {
  /** PSCI SYSTEM_OFF, or the secure GPIO power-off pin with `--el 3` */
  POWER_OFF: 0,
  /** our own bug (an exception escaped) */
  INTERNAL: 1,
  /** bad option or file: one line on stderr */
  USAGE: 2,
  /** --max-insns reached */
  MAX_INSNS: 3,
  /** the guest can never run again: every CPU powered off (PSCI CPU_OFF) without SYSTEM_OFF */
  ALL_CPUS_OFF: 4,
} as const;

/** Counter frequency of the deterministic clock (CNTFRQ_EL0 on QEMU's virt): ticks per second. */
export const COUNTER_HZ = 62_500_000;
const MiB = 1 << 20;
const MAX_RAM_MIB = 4096;
const MAX_SMP = 16;

export interface BoardOptions {
  kernel?: string;
  bios?: string;
  initrd?: string;
  append?: string;
  /** use this DTB (patched like QEMU's -dtb) instead of the generated one */
  dtb?: string;
  /** images given as bytes instead of files (tests, scripted front ends) */
  kernelBytes?: Uint8Array;
  biosBytes?: Uint8Array;
  initrdBytes?: Uint8Array;
  dtbBytes?: Uint8Array;
  /** Xen boot modules (`--module ADDR,FILE[,bootargs]`): loaded at ADDR and described in /chosen;
   * the first is the dom0 kernel, the second its ramdisk, as Xen infers from their order */
  modules?: { addr: number; file?: string; bytes?: Uint8Array; bootargs?: string }[];
  /** RAM size in MiB (default 128) */
  ramMiB?: number;
  smp?: number;
  /** start EL: 2 (default, non-secure, QEMU virtualization=on), 1, or 3 (secure, own firmware) */
  el?: 1 | 2 | 3;
  maxInsns?: number;
  /** attach the GICv3 and generic timers (default true); false leaves them and their DTB nodes out */
  gic?: boolean;
  /** RTC seconds at virtual time 0 (default: host clock at creation) */
  rtcBaseSeconds?: number;
  /** instructions per CPU per round-robin turn */
  quantum?: number;
  /** the SMMUv3 at 0x0905_0000 and the DMA copy engine behind it (default true) */
  smmu?: boolean;
}

export interface SymbolHit {
  name: string;
  offset: bigint;
}

export interface Board {
  machine: Machine;
  opts: BoardOptions;
  uart: Pl011;
  secureUart: Pl011 | null;
  rtc: Pl031;
  gpio: Pl061;
  secureGpio: Pl061 | null;
  /** SMMUv3 and the DMA engine behind it (null with `smmu: false`) */
  smmu: Smmu | null;
  dma: DmaEngine | null;
  /** ELF symbols (name → address) of the kernel, for the debugger */
  symbols: Map<string, bigint>;
  /** nearest symbol at or below `addr` */
  lookup(addr: bigint): SymbolHit | undefined;
  /** "name+0x10" or undefined */
  symbolize(addr: bigint): string | undefined;
  /** the device tree blob placed in memory */
  dtb: Uint8Array;
  dtbAddr: number;
  /** entry point of the boot CPU */
  entry: bigint;
  /** EL every CPU starts at (PSCI CPU_ON starts secondaries there too) */
  bootEl: 1 | 2 | 3;
  /** PSCI conduit, or null with `--el 3` (the guest is its own firmware) */
  psci: 'smc' | 'hvc' | null;
  kind: 'elf' | 'image' | 'bios';
  initrd: { start: number; end: number } | null;
  /** boot modules placed in RAM */
  modules: { addr: number; size: number; bootargs?: string }[];
  /** full system reset and reboot */
  reset(): void;
  /** drive an SPI (INTID 32 + n); no-op without a GIC */
  setSpi(n: number, level: boolean): void;
}

interface BoardInternal extends Board {
  elf: ElfImage | null;
  image: ArmImage | null;
  imageBase: number;
  bios: Uint8Array | null;
  initrdData: Uint8Array | null;
  moduleData: Uint8Array[];
  resetPending: boolean;
}

function readInput(path: string | undefined, bytes: Uint8Array | undefined, what: string): Uint8Array | null {
  if (bytes) return bytes;
  if (path === undefined) return null;
  try {
    const st = statSync(path);
    if (st.isDirectory()) throw new LoadError(`${what} '${path}' is a directory`);
    return new Uint8Array(readFileSync(path));
  } catch (e) {
    if (e instanceof LoadError) throw e;
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new LoadError(`${what} '${path}': no such file`);
    if (code === 'EACCES') throw new LoadError(`${what} '${path}': permission denied`);
    throw new LoadError(`${what} '${path}': ${(e as Error).message}`);
  }
}

const alignUp = (v: number, a: number) => Math.ceil(v / a) * a;

/** Build the machine, devices and DTB for `opts`. Throws LoadError on bad options or files. */
export function createBoard(opts: BoardOptions): Board {
  const ramMiB = opts.ramMiB ?? 128;
  if (!Number.isInteger(ramMiB) || ramMiB < 1 || ramMiB > MAX_RAM_MIB) throw new LoadError(`-m: RAM size must be 1..${MAX_RAM_MIB} MiB (got ${opts.ramMiB})`);
  const smp = opts.smp ?? 1;
  if (!Number.isInteger(smp) || smp < 1 || smp > MAX_SMP) throw new LoadError(`--smp: must be 1..${MAX_SMP} (got ${opts.smp})`);
  const el = opts.el ?? 2;
  if (el !== 1 && el !== 2 && el !== 3) throw new LoadError(`--el: must be 1, 2 or 3 (got ${opts.el})`);
  const hasKernel = opts.kernel !== undefined || opts.kernelBytes !== undefined;
  const hasBios = opts.bios !== undefined || opts.biosBytes !== undefined;
  if (hasKernel && hasBios) throw new LoadError('give either --kernel or --bios, not both (there is no fw_cfg to hand a kernel to firmware)');
  if (!hasKernel && !hasBios) throw new LoadError('nothing to run: give --kernel FILE or --bios FILE');

  const kernel = readInput(opts.kernel, opts.kernelBytes, 'kernel');
  const biosData = readInput(opts.bios, opts.biosBytes, 'bios');
  const initrdData = readInput(opts.initrd, opts.initrdBytes, 'initrd');
  const userDtb = readInput(opts.dtb, opts.dtbBytes, 'dtb');
  if (initrdData && !kernel) throw new LoadError('--initrd needs --kernel');
  const moduleData = (opts.modules ?? []).map((m, i) => readInput(m.file, m.bytes, `module ${i + 1}`)!);

  const ramSize = ramMiB * MiB;
  const ramEnd = RAM_BASE + ramSize;
  const inRam = (pa: number, size: number) => pa >= RAM_BASE && pa + size <= ramEnd;
  const inFlash = (pa: number, size: number) => pa >= VIRT.FLASH && pa + size <= VIRT.FLASH + VIRT.FLASH_SIZE;
  const canLoad = (pa: number, size: number) => inRam(pa, size) || inFlash(pa, size);

  // ---- parse images and decide the layout (QEMU hw/arm/boot.c)
  let kind: Board['kind'];
  let elf: ElfImage | null = null;
  let image: ArmImage | null = null;
  let imageBase = 0;
  let entry = 0n;
  let imageLow = 0;
  let imageHigh = 0;
  if (kernel) {
    const what = `kernel '${opts.kernel ?? '<bytes>'}'`;
    if (isElf(kernel)) {
      kind = 'elf';
      elf = parseElf(kernel, what);
      for (const s of elf.segments) {
        if (!canLoad(s.paddr, s.memsz)) throw new LoadError(`${what}: segment at ${hex(s.paddr)}..${hex(s.paddr + s.memsz)} is outside RAM (${hex(RAM_BASE)}..${hex(ramEnd)}) and flash`);
      }
      entry = elf.entry;
      imageLow = elf.low;
      imageHigh = elf.high;
    } else if (hasArm64Magic(kernel) || isGzip(kernel)) {
      kind = 'image';
      image = parseArm64Image(kernel, what);
      imageBase = RAM_BASE + image.textOffset;
      if (!inRam(imageBase, image.data.length) || imageBase + image.size > ramEnd) {
        throw new LoadError(`${what}: Image of ${hex(image.size)} bytes at ${hex(imageBase)} does not fit in ${ramMiB} MiB of RAM`);
      }
      entry = BigInt(imageBase);
      imageLow = imageBase;
      imageHigh = imageBase + image.size;
    } else {
      throw new LoadError(`${what}: neither an ELF file nor an arm64 Linux Image (no "ARM\\x64" magic at 0x38)`);
    }
  } else {
    kind = 'bios';
    if (biosData!.length > VIRT.FLASH_SIZE) throw new LoadError(`bios '${opts.bios ?? '<bytes>'}': ${biosData!.length} bytes do not fit in the 64 MiB flash`);
    if (biosData!.length === 0) throw new LoadError(`bios '${opts.bios ?? '<bytes>'}': empty file`);
    entry = 0n;
  }

  let initrd: Board['initrd'] = null;
  let dtbAddr: number;
  // where a DTB after the kernel/initrd goes: 2 MiB aligned (arm64 maps the FDT in a 2 MiB block)
  const afterImage = (): number => {
    let start = RAM_BASE + Math.min(ramSize / 2, 128 * MiB);
    if (imageHigh > start) start = imageHigh;
    start = alignUp(start, 4096);
    if (initrdData) {
      if (start + initrdData.length > ramEnd) throw new LoadError(`initrd '${opts.initrd ?? '<bytes>'}': ${initrdData.length} bytes do not fit in RAM after the kernel`);
      initrd = { start, end: start + initrdData.length };
      start += initrdData.length;
    }
    return alignUp(start, 2 * MiB);
  };
  if (kind === 'bios') {
    dtbAddr = RAM_BASE; // as QEMU for firmware: the DTB at the start of RAM
  } else if (kind === 'elf' && !initrdData && (imageLow > RAM_BASE || imageHigh <= RAM_BASE)) {
    dtbAddr = RAM_BASE; // QEMU: room at the base of RAM below (or outside) the ELF
  } else {
    dtbAddr = afterImage();
  }

  // ---- boot modules: at the user's addresses, inside RAM, not over the kernel, initrd or DTB
  const modules: Board['modules'] = [];
  (opts.modules ?? []).forEach((m, i) => {
    const size = moduleData[i].length;
    const what = `module ${i + 1} '${m.file ?? '<bytes>'}'`;
    if (!Number.isSafeInteger(m.addr) || !inRam(m.addr, Math.max(size, 1))) throw new LoadError(`${what}: ${hex(m.addr)}..${hex(m.addr + size)} is not inside RAM (${hex(RAM_BASE)}..${hex(ramEnd)})`);
    const clash = (lo: number, hi: number) => m.addr < hi && lo < m.addr + size;
    if (kernel && clash(imageLow, imageHigh)) throw new LoadError(`${what}: overlaps the kernel at ${hex(imageLow)}..${hex(imageHigh)}`);
    for (const o of modules) if (clash(o.addr, o.addr + o.size)) throw new LoadError(`${what}: overlaps the module at ${hex(o.addr)}`);
    modules.push({ addr: m.addr, size, bootargs: m.bootargs });
  });

  // ---- machine and devices
  let machine: Machine;
  try {
    machine = new Machine({ ramMiB, smp, quantum: opts.quantum });
  } catch (e) {
    if (e instanceof RangeError) throw new LoadError(`-m ${ramMiB}: cannot allocate that much RAM (${e.message})`);
    throw e;
  }
  if (opts.maxInsns !== undefined) machine.maxInsns = opts.maxInsns;
  const bus = machine.bus;

  let gicv3: VirtDtbConfig['gicv3'];
  let setSpi = (_n: number, _level: boolean) => {};
  if (opts.gic !== false) {
    // a secure boot (--el 3, QEMU secure=on) gets a GIC with two security states (GICD_CTLR.DS = 0)
    const gic = machine.gic ?? attachGicAndTimers(machine, 256, { security: el === 3 });
    setSpi = (n, level) => gic.setSpiLevel(32 + n, level);
    // the maintenance interrupt is described only when EL2 is offered to the guest (QEMU adds it
    // with virtualization=on); `--el 1` mirrors virtualization=off
    gicv3 = { distBase: VIRT.GICD, redistBase: VIRT.GICR, redistSize: GICR_STRIDE * smp, maintPpi: el === 1 ? undefined : MAINT_INTID - 16 };
  }

  const uartOut = (bytes: Uint8Array) => machine.emit('uart', bytes);
  const uart = new Pl011({ name: 'pl011', tx: uartOut, irq: (l) => setSpi(VIRT.SPI_UART, l) });
  bus.map(VIRT.UART, VIRT.PAGE, uart);
  const rtc = new Pl031({ baseSeconds: opts.rtcBaseSeconds, now: () => machine.ticks / COUNTER_HZ, irq: (l) => setSpi(VIRT.SPI_RTC, l) });
  bus.map(VIRT.RTC, VIRT.PAGE, rtc);
  const gpio = new Pl061({ name: 'pl061', irq: (l) => setSpi(VIRT.SPI_GPIO, l) });
  bus.map(VIRT.GPIO, VIRT.PAGE, gpio);
  let secureUart: Pl011 | null = null;
  let secureGpio: Pl061 | null = null;
  let smmu: Smmu | null = null;
  let dma: DmaEngine | null = null;
  if (opts.smmu !== false) {
    smmu = new Smmu({
      bus,
      irq: (line, l) => setSpi(VIRT.SPI_SMMU + ['eventq', 'priq', 'cmdq-sync', 'gerror'].indexOf(line), l),
      // CMD_SYNC SIG_SEV: an event for every PE; a WFI that wakes too is a permitted spurious wake-up
      sev: () => {
        for (const c of machine.cpus) {
          c.eventRegister = 1;
          if (c.halted && !c.off) c.halted = false;
        }
      },
    });
    bus.map(VIRT.SMMU, VIRT.SMMU_SIZE, smmu);
    dma = new DmaEngine({ bus, smmu, streamId: VIRT.DMA_SID, irq: (l) => setSpi(VIRT.SPI_DMA, l) });
    bus.map(VIRT.DMA, VIRT.PAGE, dma);
  }

  const psci: Board['psci'] = el === 3 ? null : el === 2 ? 'smc' : 'hvc';

  const board: BoardInternal = {
    machine,
    opts,
    uart,
    secureUart,
    rtc,
    gpio,
    secureGpio,
    smmu,
    dma,
    symbols: new Map(),
    lookup: () => undefined,
    symbolize: () => undefined,
    dtb: new Uint8Array(0),
    dtbAddr,
    entry,
    bootEl: el,
    psci,
    kind,
    initrd: null,
    modules,
    reset: () => resetBoard(board),
    setSpi: (n, l) => setSpi(n, l),
    elf,
    image,
    imageBase,
    bios: biosData,
    initrdData,
    moduleData,
    resetPending: false,
  };

  if (el === 3) {
    secureUart = new Pl011({ name: 'pl011-secure', tx: uartOut, irq: (l) => setSpi(VIRT.SPI_SECURE_UART, l) });
    bus.map(VIRT.SECURE_UART, VIRT.PAGE, secureUart);
    // secure GPIO: pin 0 powers off, pin 1 restarts (QEMU's gpio-poweroff / gpio-restart nodes)
    secureGpio = new Pl061({
      name: 'pl061-secure',
      output: (pin, high) => {
        if (!high) return;
        if (pin === 0) machine.exit(EXIT.POWER_OFF, 'secure GPIO power-off');
        else if (pin === 1) requestReset(board);
      },
    });
    bus.map(VIRT.SECURE_GPIO, VIRT.PAGE, secureGpio);
    board.secureUart = secureUart;
    board.secureGpio = secureGpio;
  }

  if (psci) {
    machine.env.psci = makePsciHandler({
      machine,
      conduit: psci,
      startCpu: (c, pc, ctx) => {
        firmwareReset(c, el);
        c.pc = pc;
        c.setX(0, ctx);
        c.off = false;
      },
      requestReset: () => requestReset(board),
    });
  }

  // slice-boundary housekeeping: pending reset, RTC match, "nobody can ever run again"
  machine.tickers.push(() => {
    if (board.resetPending) {
      board.resetPending = false;
      resetBoard(board);
      return;
    }
    rtc.poll();
    if (!machine.exited && machine.cpus.every((c) => c.off)) machine.exit(EXIT.ALL_CPUS_OFF, 'all CPUs powered off');
  });

  // ---- symbols
  if (elf) {
    const sorted: { name: string; value: bigint; size: bigint }[] = [];
    for (const s of elf.symbols) {
      const prev = board.symbols.get(s.name);
      if (prev === undefined || s.type === 'func') board.symbols.set(s.name, s.value);
      sorted.push(s);
    }
    // functions win over labels at the same address
    sorted.sort((a, b) => (a.value < b.value ? -1 : a.value > b.value ? 1 : Number(b.size) - Number(a.size)));
    board.lookup = (addr) => {
      let lo = 0;
      let hi = sorted.length - 1;
      let best = -1;
      while (lo <= hi) {
        const mid = (lo + hi) >> 1;
        if (sorted[mid].value <= addr) {
          best = mid;
          lo = mid + 1;
        } else hi = mid - 1;
      }
      if (best < 0) return undefined;
      // prefer the first symbol at that address (sorted by size descending: the function)
      let i = best;
      while (i > 0 && sorted[i - 1].value === sorted[best].value) i--;
      const s = sorted[i];
      const off = addr - s.value;
      if (s.size > 0n && off >= s.size && off > 0x10000n) return undefined;
      if (off > 0x100000n) return undefined;
      return { name: s.name, offset: off };
    };
    board.symbolize = (addr) => {
      const h = board.lookup(addr);
      return h ? (h.offset ? `${h.name}+0x${h.offset.toString(16)}` : h.name) : undefined;
    };
  }

  // ---- device tree
  const dtbCfg: VirtDtbConfig = {
    ramBase: RAM_BASE,
    ramSize,
    cpus: machine.cpus.map(mpidrAffinity),
    psci,
    bootargs: opts.append,
    initrd: initrd ?? undefined,
    modules: modules.map((m, i) => ({ ...m, kind: i === 0 ? 'kernel' : i === 1 ? 'ramdisk' : 'module' })),
    gicv3,
    secure: el === 3,
    flash: { base: VIRT.FLASH, size: 2 * VIRT.FLASH_SIZE },
    smmu: smmu ? { base: VIRT.SMMU, size: VIRT.SMMU_SIZE, spi: VIRT.SPI_SMMU } : undefined,
    dma: dma ? [{ base: VIRT.DMA, size: VIRT.PAGE, spi: VIRT.SPI_DMA, streamId: VIRT.DMA_SID }] : undefined,
  };
  let tree: FdtNode;
  if (userDtb) {
    try {
      tree = patchUserDtb(parseFdt(userDtb), dtbCfg);
    } catch (e) {
      if (e instanceof DtbError) throw new LoadError(`dtb '${opts.dtb ?? '<bytes>'}': ${e.message}`);
      throw e;
    }
  } else {
    tree = generateVirtDtb(dtbCfg);
  }
  // 64 KiB with free space at the end, so firmware can grow it in place
  board.dtb = serializeFdt(tree, { totalSize: 64 * 1024 });
  board.initrd = initrd;
  if (!inRam(dtbAddr, board.dtb.length)) throw new LoadError(`not enough RAM for the device tree at ${hex(dtbAddr)} (-m ${ramMiB})`);
  if (kind === 'elf' && dtbAddr === RAM_BASE && imageLow > RAM_BASE && RAM_BASE + board.dtb.length > imageLow) {
    // the ELF starts too close to the RAM base: put the DTB after it instead
    board.dtbAddr = afterImage();
    if (!inRam(board.dtbAddr, board.dtb.length)) throw new LoadError(`not enough RAM for the device tree after the kernel (-m ${ramMiB})`);
  }
  const initrdRange = initrd as Board['initrd'];
  for (const m of modules) {
    const clash = (lo: number, hi: number) => m.addr < hi && lo < m.addr + m.size;
    if (clash(board.dtbAddr, board.dtbAddr + board.dtb.length)) throw new LoadError(`module at ${hex(m.addr)} overlaps the device tree at ${hex(board.dtbAddr)}`);
    if (initrdRange && clash(initrdRange.start, initrdRange.end)) throw new LoadError(`module at ${hex(m.addr)} overlaps the initrd at ${hex(initrdRange.start)}`);
  }
  log(`board: ${kind} entry=${hex(entry)} dtb@${hex(board.dtbAddr)} EL${el} psci=${psci ?? 'none'} smp=${smp} ram=${ramMiB}MiB`);
  void canLoad;
  return board;
}

function requestReset(b: BoardInternal): void {
  b.resetPending = true;
  for (const c of b.machine.cpus) c.exitLoop = true;
}

/** Put a CPU in the state firmware leaves it in before jumping to a payload at `el` (QEMU's
 * arm_emulate_firmware_reset): below EL3, SCR_EL3.{NS,RW} (+HCE for EL2), HCR_EL2.RW for EL1. */
export function firmwareReset(c: Cpu, el: 1 | 2 | 3): void {
  c.resetRegisters();
  c.off = false;
  c.halted = false;
  if (el < 3) {
    // SCR_EL3 (Arm ARM D17.2.117): NS bit 0, HCE bit 8, RW bit 10
    let scr = c.sysLo(R.SCR_EL3) | (1 << 0) | (1 << 10);
    if (el === 2) scr |= 1 << 8;
    let scrHi = c.sysHi(R.SCR_EL3);
    // and, like QEMU, the enables for features the ID registers advertise, so lower ELs can use
    // them without trapping to an EL3 that is not there: API/APK (PAuth, bits 17/16), ATA (MTE,
    // bit 26), FGTEN (FEAT_FGT, bit 27), HXEN (FEAT_HCX, bit 38)
    const id = (name: string, shift: bigint) => (R[name] === undefined ? 0n : (c.sysGet(R[name]) >> shift) & 0xfn);
    if (id('ID_AA64ISAR1_EL1', 4n) || id('ID_AA64ISAR1_EL1', 8n) || id('ID_AA64ISAR1_EL1', 24n) || id('ID_AA64ISAR1_EL1', 28n) || id('ID_AA64ISAR2_EL1', 12n)) scr |= (1 << 16) | (1 << 17);
    if (id('ID_AA64PFR1_EL1', 8n) >= 2n) scr |= 1 << 26;
    if (id('ID_AA64MMFR0_EL1', 56n)) scr |= 1 << 27;
    if (id('ID_AA64MMFR1_EL1', 40n)) scrHi |= 1 << (38 - 32);
    c.sys[2 * R.SCR_EL3] = scr >>> 0;
    c.sys[2 * R.SCR_EL3 + 1] = scrHi >>> 0;
    if (el === 1) c.sys[2 * R.HCR_EL2] = (c.sys[2 * R.HCR_EL2] | 0x80000000) >>> 0; // HCR_EL2.RW (bit 31)
  }
  c.daif = 0xf;
  c.switchElSp(el, 1);
  c.contextChanged();
}

/** Copy images and the DTB into memory and set every CPU's initial state. */
export function bootBoard(board: Board): void {
  const b = board as BoardInternal;
  const m = b.machine;
  const bus = m.bus;
  const put = (pa: number, data: Uint8Array) => bus.loadBytes(pa, data);
  if (b.elf) {
    loadElfSegments(
      b.elf,
      (pa, size) => (bus.ramOffset(pa) >= 0 && bus.ramOffset(pa + size - 1) >= 0) || (pa >= 0 && pa + size <= bus.flash.length),
      put,
    );
  }
  if (b.image) put(b.imageBase, b.image.data);
  if (b.bios) put(VIRT.FLASH, b.bios);
  if (b.initrdData && b.initrd) put(b.initrd.start, b.initrdData);
  b.modules.forEach((mod, i) => put(mod.addr, b.moduleData[i]));
  put(b.dtbAddr, b.dtb);

  const withFirmware = b.psci !== null;
  for (const c of m.cpus) {
    firmwareReset(c, b.bootEl);
    c.pc = b.entry;
    if (c.index === 0) {
      if (b.kind !== 'bios') c.setX(0, BigInt(b.dtbAddr));
    } else if (withFirmware) {
      c.off = true; // secondaries wait for PSCI CPU_ON
    }
  }
  log(`booted: pc=${hex(b.entry)} x0=${b.kind !== 'bios' ? hex(b.dtbAddr) : '0'}`);
}

function resetBoard(b: BoardInternal): void {
  const m = b.machine;
  // as QEMU: RAM keeps its contents across a system reset; the images and the DTB are loaded again
  for (const r of m.bus.mappedRegions) r.device.reset?.();
  m.gic?.reset();
  b.resetPending = false;
  bootBoard(b);
  log('system reset');
}

/** Read a DTB for `--dump-dtb` without booting: the bytes that would be placed in memory. */
export function boardDtb(board: Board): Uint8Array {
  return board.dtb;
}
