// Flattened device tree (FDT, "DTB") as a small in-memory tree: build, serialize (format version 17,
// last compatible 16) and parse. The format is the Devicetree Specification v0.4, chapter 5:
// a 40-byte big-endian header, the memory reservation block, the structure block (BEGIN_NODE /
// PROP / END_NODE / END tokens, 4-byte aligned) and the strings block (property names).
//
// The `virt` board's tree is generated from what is actually emulated (see board.ts); a user's
// `--dtb FILE` is parsed, patched the way QEMU patches it (memory, /chosen, /psci) and re-serialized.

export const FDT_MAGIC = 0xd00dfeed;
const FDT_BEGIN_NODE = 1;
const FDT_END_NODE = 2;
const FDT_PROP = 3;
const FDT_NOP = 4;
const FDT_END = 9;
const HEADER_SIZE = 40;

export class DtbError extends Error {}

export class FdtNode {
  readonly props = new Map<string, Uint8Array>();
  readonly children: FdtNode[] = [];
  constructor(public name: string) {}

  /** Child by exact name ("pl011@9000000"), creating it when `create` is set. */
  child(name: string, create = false): FdtNode | undefined {
    let c = this.children.find((n) => n.name === name);
    if (!c && create) {
      c = new FdtNode(name);
      this.children.push(c);
    }
    return c;
  }
  addChild(name: string): FdtNode {
    const c = new FdtNode(name);
    this.children.push(c);
    return c;
  }
  removeChild(pred: (n: FdtNode) => boolean): void {
    for (let i = this.children.length - 1; i >= 0; i--) if (pred(this.children[i])) this.children.splice(i, 1);
  }

  set(name: string, value: Uint8Array): this {
    this.props.set(name, value);
    return this;
  }
  /** one or more 32-bit cells */
  u32(name: string, ...cells: number[]): this {
    return this.set(name, cellsBytes(cells));
  }
  /** 64-bit values, each as two cells */
  u64(name: string, ...vals: (number | bigint)[]): this {
    const cells: number[] = [];
    for (const v of vals) {
      const b = BigInt(v);
      cells.push(Number((b >> 32n) & 0xffffffffn), Number(b & 0xffffffffn));
    }
    return this.set(name, cellsBytes(cells));
  }
  str(name: string, ...strings: string[]): this {
    return this.set(name, stringsBytes(strings));
  }
  empty(name: string): this {
    return this.set(name, new Uint8Array(0));
  }

  getU32(name: string): number | undefined {
    const v = this.props.get(name);
    if (!v || v.length < 4) return undefined;
    return new DataView(v.buffer, v.byteOffset, v.byteLength).getUint32(0, false);
  }
  getCells(name: string): number[] | undefined {
    const v = this.props.get(name);
    if (!v) return undefined;
    const dv = new DataView(v.buffer, v.byteOffset, v.byteLength);
    const out: number[] = [];
    for (let i = 0; i + 4 <= v.length; i += 4) out.push(dv.getUint32(i, false));
    return out;
  }
  getStrings(name: string): string[] | undefined {
    const v = this.props.get(name);
    if (!v) return undefined;
    const s = new TextDecoder().decode(v);
    return s.replace(/\0$/, '').split('\0');
  }
}

export function cellsBytes(cells: number[]): Uint8Array {
  const b = new Uint8Array(cells.length * 4);
  const dv = new DataView(b.buffer);
  cells.forEach((c, i) => dv.setUint32(i * 4, c >>> 0, false));
  return b;
}

export function stringsBytes(strings: string[]): Uint8Array {
  return new TextEncoder().encode(strings.map((s) => s + '\0').join(''));
}

/** Find a node by absolute path ("/", "/chosen", "/cpus/cpu@0"). */
export function findNode(root: FdtNode, path: string): FdtNode | undefined {
  if (path === '/' || path === '') return root;
  let n: FdtNode | undefined = root;
  for (const part of path.replace(/^\//, '').split('/')) {
    n = n.children.find((c) => c.name === part) ?? n.children.find((c) => c.name.split('@')[0] === part);
    if (!n) return undefined;
  }
  return n;
}

// ------------------------------------------------------------------ serialize

export interface SerializeOptions {
  /** total size of the blob including free space at the end (rounded up to 8); default: exact */
  totalSize?: number;
  bootCpuidPhys?: number;
  /** memory reservation entries [address, size] */
  reserve?: [bigint, bigint][];
}

export function serializeFdt(root: FdtNode, opts: SerializeOptions = {}): Uint8Array {
  const strings: number[] = [];
  const strOff = new Map<string, number>();
  const enc = new TextEncoder();
  const nameOff = (s: string): number => {
    let o = strOff.get(s);
    if (o === undefined) {
      o = strings.length;
      strOff.set(s, o);
      for (const b of enc.encode(s)) strings.push(b);
      strings.push(0);
    }
    return o;
  };

  const st: number[] = [];
  const word = (w: number) => st.push((w >>> 24) & 0xff, (w >>> 16) & 0xff, (w >>> 8) & 0xff, w & 0xff);
  const pad = () => {
    while (st.length % 4) st.push(0);
  };
  const emit = (n: FdtNode, isRoot: boolean) => {
    word(FDT_BEGIN_NODE);
    for (const b of enc.encode(isRoot ? '' : n.name)) st.push(b);
    st.push(0);
    pad();
    for (const [k, v] of n.props) {
      word(FDT_PROP);
      word(v.length);
      word(nameOff(k));
      for (const b of v) st.push(b);
      pad();
    }
    for (const c of n.children) emit(c, false);
    word(FDT_END_NODE);
  };
  emit(root, true);
  word(FDT_END);

  const reserve = opts.reserve ?? [];
  const offRsv = HEADER_SIZE; // 8-byte aligned
  const rsvSize = (reserve.length + 1) * 16;
  const offStruct = offRsv + rsvSize;
  const offStrings = offStruct + st.length;
  const used = offStrings + strings.length;
  const total = (Math.max(used, opts.totalSize ?? 0) + 7) & ~7;
  const out = new Uint8Array(total);
  const dv = new DataView(out.buffer);
  const hdr = [FDT_MAGIC, out.length, offStruct, offStrings, offRsv, 17, 16, opts.bootCpuidPhys ?? 0, strings.length, st.length];
  hdr.forEach((v, i) => dv.setUint32(i * 4, v >>> 0, false));
  reserve.forEach(([a, s], i) => {
    dv.setBigUint64(offRsv + i * 16, a, false);
    dv.setBigUint64(offRsv + i * 16 + 8, s, false);
  });
  out.set(st, offStruct);
  out.set(strings, offStrings);
  return out;
}

// ------------------------------------------------------------------ parse

/** Parse a DTB; throws DtbError with a one-line reason on anything malformed. */
export function parseFdt(blob: Uint8Array): FdtNode {
  if (blob.length < HEADER_SIZE) throw new DtbError('too short for a device tree header');
  const dv = new DataView(blob.buffer, blob.byteOffset, blob.byteLength);
  const u = (o: number) => dv.getUint32(o, false);
  if (u(0) !== FDT_MAGIC) throw new DtbError('bad magic (not a flattened device tree)');
  const total = u(4);
  const offStruct = u(8);
  const offStrings = u(12);
  const version = u(20);
  const lastComp = u(24);
  const sizeStrings = u(32);
  const sizeStruct = version >= 17 ? u(36) : total - offStruct;
  if (total > blob.length) throw new DtbError(`truncated (header says ${total} bytes, file has ${blob.length})`);
  if (lastComp > 17 || version < 16) throw new DtbError(`unsupported version ${version} (last compatible ${lastComp})`);
  if (offStruct + sizeStruct > total || offStrings + sizeStrings > total) throw new DtbError('blocks extend past the end of the blob');
  const dec = new TextDecoder();
  const cstr = (start: number, limit: number): [string, number] => {
    let e = start;
    while (e < limit && blob[e] !== 0) e++;
    if (e >= limit) throw new DtbError('unterminated string');
    return [dec.decode(blob.subarray(start, e)), e + 1];
  };
  let p = offStruct;
  const end = offStruct + sizeStruct;
  const stack: FdtNode[] = [];
  let root: FdtNode | undefined;
  const align = (x: number) => (x + 3) & ~3;
  for (;;) {
    if (p + 4 > end) throw new DtbError('structure block ends without FDT_END');
    const tok = u(p);
    p += 4;
    if (tok === FDT_BEGIN_NODE) {
      const [name, next] = cstr(p, end);
      p = align(next);
      const n = new FdtNode(name);
      if (stack.length) stack[stack.length - 1].children.push(n);
      else if (root) throw new DtbError('more than one root node');
      else root = n;
      stack.push(n);
    } else if (tok === FDT_PROP) {
      if (!stack.length || p + 8 > end) throw new DtbError('property outside a node');
      const len = u(p);
      const nameoff = u(p + 4);
      p += 8;
      if (p + len > end) throw new DtbError('property value past the structure block');
      if (nameoff >= sizeStrings) throw new DtbError('property name offset out of range');
      const [pname] = cstr(offStrings + nameoff, offStrings + sizeStrings);
      stack[stack.length - 1].props.set(pname, blob.slice(p, p + len));
      p = align(p + len);
    } else if (tok === FDT_END_NODE) {
      if (!stack.length) throw new DtbError('unbalanced FDT_END_NODE');
      stack.pop();
    } else if (tok === FDT_NOP) {
      continue;
    } else if (tok === FDT_END) {
      if (stack.length || !root) throw new DtbError('FDT_END inside a node');
      return root;
    } else {
      throw new DtbError(`bad structure token 0x${tok.toString(16)}`);
    }
  }
}

// ------------------------------------------------------------------ the `virt` board's tree

/** What the generated tree describes; only emulated devices appear (DESIGN.md "The virt board"). */
export interface VirtDtbConfig {
  ramBase: number;
  ramSize: number;
  /** MPIDR affinity values of the CPUs */
  cpus: number[];
  /** PSCI firmware present: conduit for the /psci node and cpu enable-method */
  psci: 'smc' | 'hvc' | null;
  bootargs?: string;
  initrd?: { start: number; end: number };
  /** GICv3 + generic timers emulated: /intc and /timer nodes, `interrupts` on devices */
  gicv3?: { distBase: number; redistBase: number; redistSize: number; maintPpi?: number };
  /** secure devices (`--el 3`, QEMU secure=on): secure UART, secure GPIO power-off/restart */
  secure?: boolean;
  flash?: { base: number; size: number };
  /** boot modules for Xen (`--module`): /chosen/module@ADDR nodes, "multiboot,module" binding */
  modules?: { addr: number; size: number; kind: 'kernel' | 'ramdisk' | 'module'; bootargs?: string }[];
  /** SMMUv3 (QEMU virt iommu=smmuv3 node) and the DMA engines behind it (`iommus = <&smmu SID>`) */
  smmu?: { base: number; size: number; spi: number };
  dma?: { base: number; size: number; spi: number; streamId: number }[];
}

export const VIRT = {
  FLASH: 0x0000_0000,
  FLASH_SIZE: 0x0400_0000,
  GICD: 0x0800_0000,
  GICR: 0x080a_0000,
  UART: 0x0900_0000,
  RTC: 0x0901_0000,
  GPIO: 0x0903_0000,
  SECURE_UART: 0x0904_0000,
  SECURE_GPIO: 0x090b_0000,
  /** SMMUv3: two 64 KiB pages; SPIs 74..77 = eventq, priq, cmdq-sync, gerror (edge) */
  SMMU: 0x0905_0000,
  SMMU_SIZE: 0x2_0000,
  SPI_SMMU: 74,
  /** el2scope's DMA copy engine (src/devices/dma.ts; not a QEMU device): in QEMU's platform-bus
   * window, with the first platform-bus SPI (112), StreamID 0x20 */
  DMA: 0x0c00_0000,
  SPI_DMA: 112,
  DMA_SID: 0x20,
  PAGE: 0x1000,
  /** SPI numbers (INTID - 32), as QEMU's virt a15irqmap */
  SPI_UART: 1,
  SPI_RTC: 2,
  SPI_GPIO: 7,
  SPI_SECURE_UART: 8,
  /** apb-pclk fixed clock: 24 MHz */
  PCLK_HZ: 24_000_000,
} as const;

const IRQ_TYPE_LEVEL_HIGH = 4;
const IRQ_TYPE_EDGE_RISING = 1;
const GIC_SPI = 0;
const GIC_PPI = 1;

const hexName = (n: string, a: number) => `${n}@${a.toString(16)}`;

/** Generate the `virt` device tree for what el2scope emulates. */
export function generateVirtDtb(cfg: VirtDtbConfig): FdtNode {
  const root = new FdtNode('');
  let nextPhandle = 0x8000;
  const phandle = () => nextPhandle++;
  const intc = cfg.gicv3 ? phandle() : 0;
  const pclk = phandle();

  root.u32('#address-cells', 2).u32('#size-cells', 2);
  root.str('compatible', 'linux,dummy-virt').str('model', 'linux,dummy-virt');
  if (cfg.gicv3) root.u32('interrupt-parent', intc);

  if (cfg.psci) {
    root
      .addChild('psci')
      .str('compatible', 'arm,psci-1.0', 'arm,psci-0.2', 'arm,psci')
      .str('method', cfg.psci)
      .u32('cpu_suspend', 0xc4000001)
      .u32('cpu_off', 0x84000002)
      .u32('cpu_on', 0xc4000003)
      .u32('migrate', 0xc4000005);
  }

  root.addChild(hexName('memory', cfg.ramBase)).str('device_type', 'memory').u64('reg', cfg.ramBase, cfg.ramSize);

  const cpus = root.addChild('cpus').u32('#address-cells', 1).u32('#size-cells', 0);
  for (const aff of cfg.cpus) {
    const n = cpus.addChild(hexName('cpu', aff)).str('device_type', 'cpu').str('compatible', 'arm,arm-v8').u32('reg', aff);
    if (cfg.psci) n.str('enable-method', 'psci');
  }

  root
    .addChild('apb-pclk')
    .str('compatible', 'fixed-clock')
    .u32('#clock-cells', 0)
    .u32('clock-frequency', VIRT.PCLK_HZ)
    .str('clock-output-names', 'clk24mhz')
    .u32('phandle', pclk);

  if (cfg.gicv3) {
    const g = cfg.gicv3;
    const gn = root
      .addChild(hexName('intc', g.distBase))
      .str('compatible', 'arm,gic-v3')
      .u32('#interrupt-cells', 3)
      .empty('interrupt-controller')
      .u32('#address-cells', 2)
      .u32('#size-cells', 2)
      .empty('ranges')
      .u64('reg', g.distBase, 0x10000, g.redistBase, g.redistSize)
      .u32('#redistributor-regions', 1)
      .u32('phandle', intc);
    if (g.maintPpi !== undefined) gn.u32('interrupts', GIC_PPI, g.maintPpi, IRQ_TYPE_LEVEL_HIGH);
    // secure physical, non-secure physical, virtual, hypervisor physical timer PPIs (13, 14, 11, 10)
    root
      .addChild('timer')
      .str('compatible', 'arm,armv8-timer', 'arm,armv7-timer')
      .empty('always-on')
      .u32('interrupts', ...[13, 14, 11, 10].flatMap((p) => [GIC_PPI, p, IRQ_TYPE_LEVEL_HIGH]));
  }

  const primecell = (name: string, base: number, compat: string, spi: number, uart: boolean): FdtNode => {
    const n = root.addChild(hexName(name, base)).str('compatible', compat, 'arm,primecell').u64('reg', base, VIRT.PAGE);
    if (cfg.gicv3) n.u32('interrupts', GIC_SPI, spi, IRQ_TYPE_LEVEL_HIGH);
    if (uart) n.u32('clocks', pclk, pclk).str('clock-names', 'uartclk', 'apb_pclk');
    else n.u32('clocks', pclk).str('clock-names', 'apb_pclk');
    return n;
  };

  primecell('pl011', VIRT.UART, 'arm,pl011', VIRT.SPI_UART, true);
  primecell('pl031', VIRT.RTC, 'arm,pl031', VIRT.SPI_RTC, false);
  const gpio = phandle();
  primecell('pl061', VIRT.GPIO, 'arm,pl061', VIRT.SPI_GPIO, false).empty('gpio-controller').u32('#gpio-cells', 2).u32('phandle', gpio);
  if (cfg.gicv3) {
    // the power button on pin 3 needs the GPIO's interrupt, so it exists only with a GIC
    root
      .addChild('gpio-keys')
      .str('compatible', 'gpio-keys')
      .addChild('poweroff')
      .str('label', 'GPIO Key Poweroff')
      .u32('linux,code', 116)
      .u32('gpios', gpio, 3, 0);
  }

  if (cfg.secure) {
    const su = primecell('pl011', VIRT.SECURE_UART, 'arm,pl011', VIRT.SPI_SECURE_UART, true);
    su.str('status', 'disabled').str('secure-status', 'okay');
    const sg = phandle();
    primecell('pl061', VIRT.SECURE_GPIO, 'arm,pl061', 0, false)
      .empty('gpio-controller')
      .u32('#gpio-cells', 2)
      .u32('phandle', sg)
      .str('status', 'disabled')
      .str('secure-status', 'okay');
    root.addChild('gpio-poweroff').str('compatible', 'gpio-poweroff').u32('gpios', sg, 0, 0).str('status', 'disabled').str('secure-status', 'okay');
    root.addChild('gpio-restart').str('compatible', 'gpio-restart').u32('gpios', sg, 1, 0).str('status', 'disabled').str('secure-status', 'okay');
    root.addChild('secure-chosen').str('stdout-path', `/${hexName('pl011', VIRT.SECURE_UART)}`);
  }

  if (cfg.smmu) {
    // as QEMU's create_smmu (hw/arm/virt.c) and Linux's arm,smmu-v3 binding: four edge-triggered
    // SPIs named eventq, priq, cmdq-sync, gerror; #iommu-cells = 1 (the StreamID)
    const sm = cfg.smmu;
    const smmuPh = phandle();
    const n = root.addChild(hexName('smmuv3', sm.base)).str('compatible', 'arm,smmu-v3').u64('reg', sm.base, sm.size);
    if (cfg.gicv3) {
      n.u32('interrupts', ...[0, 1, 2, 3].flatMap((i) => [GIC_SPI, sm.spi + i, IRQ_TYPE_EDGE_RISING]));
      n.str('interrupt-names', 'eventq', 'priq', 'cmdq-sync', 'gerror');
    }
    n.empty('dma-coherent').u32('#iommu-cells', 1).u32('phandle', smmuPh);
    for (const d of cfg.dma ?? []) {
      const dn = root.addChild(hexName('dma', d.base)).str('compatible', 'el2scope,dma-copy').u64('reg', d.base, d.size);
      if (cfg.gicv3) dn.u32('interrupts', GIC_SPI, d.spi, IRQ_TYPE_LEVEL_HIGH);
      dn.u32('iommus', smmuPh, d.streamId).empty('dma-coherent');
    }
  }

  if (cfg.flash) {
    // two banks, as QEMU's virt: firmware (bank 0) and variables (bank 1)
    const bank = cfg.flash.size / 2;
    root.addChild(hexName('flash', cfg.flash.base)).str('compatible', 'cfi-flash').u32('bank-width', 4).u64('reg', cfg.flash.base, bank, cfg.flash.base + bank, bank);
  }

  const chosen = root.addChild('chosen').str('stdout-path', `/${hexName('pl011', VIRT.UART)}`);
  setChosen(root, chosen, cfg);
  return root;
}

function setChosen(root: FdtNode, chosen: FdtNode, cfg: Pick<VirtDtbConfig, 'bootargs' | 'initrd' | 'modules'>): void {
  const acells = root.getU32('#address-cells') ?? 2;
  if (cfg.bootargs) chosen.str('bootargs', cfg.bootargs);
  if (cfg.initrd) {
    chosen.set('linux,initrd-start', sizedCells(cfg.initrd.start, acells));
    chosen.set('linux,initrd-end', sizedCells(cfg.initrd.end, acells));
  }
  if (cfg.modules?.length) {
    // Xen docs/misc/arm/device-tree/booting.txt: modules are /chosen children with
    // compatible "multiboot,<kind>", "multiboot,module", reg in /chosen's cells, optional bootargs
    chosen.u32('#address-cells', 2).u32('#size-cells', 2);
    for (const m of cfg.modules) {
      const n = chosen.addChild(`module@${m.addr.toString(16)}`);
      if (m.kind === 'module') n.str('compatible', 'multiboot,module');
      else n.str('compatible', `multiboot,${m.kind}`, 'multiboot,module');
      n.u64('reg', m.addr, m.size);
      if (m.bootargs) n.str('bootargs', m.bootargs);
    }
  }
}

/** A value as `n` 32-bit cells (1 or 2). */
export function sizedCells(v: number | bigint, n: number): Uint8Array {
  const b = BigInt(v);
  if (n >= 2) return cellsBytes([Number((b >> 32n) & 0xffffffffn), Number(b & 0xffffffffn)]);
  return cellsBytes([Number(b & 0xffffffffn)]);
}

/** Patch a user-supplied tree as QEMU's arm_load_dtb does: replace the root /memory nodes with the
 * board's RAM, set /chosen bootargs and initrd, and (when PSCI firmware exists) a /psci node. */
export function patchUserDtb(root: FdtNode, cfg: VirtDtbConfig): FdtNode {
  const acells = root.getU32('#address-cells');
  const scells = root.getU32('#size-cells');
  if (!acells || !scells) throw new DtbError('#address-cells or #size-cells missing or 0 at the root');
  if (scells < 2 && cfg.ramSize >= 2 ** 32) throw new DtbError('#size-cells 1 cannot describe the RAM size');
  root.removeChild((n) => n.name === 'memory' || n.name.startsWith('memory@'));
  const mem = root.addChild(hexName('memory', cfg.ramBase)).str('device_type', 'memory');
  const reg = new Uint8Array(4 * (acells + scells));
  reg.set(sizedCells(cfg.ramBase, acells), 0);
  reg.set(sizedCells(cfg.ramSize, scells), 4 * acells);
  mem.set('reg', reg);
  const chosen = root.child('chosen', true)!;
  setChosen(root, chosen, cfg);
  if (cfg.psci) {
    root.removeChild((n) => n.name === 'psci');
    root
      .addChild('psci')
      .str('compatible', 'arm,psci-1.0', 'arm,psci-0.2', 'arm,psci')
      .str('method', cfg.psci)
      .u32('cpu_suspend', 0xc4000001)
      .u32('cpu_off', 0x84000002)
      .u32('cpu_on', 0xc4000003)
      .u32('migrate', 0xc4000005);
  }
  return root;
}
