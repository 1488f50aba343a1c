import { describe, it, expect } from 'vitest';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FdtNode, serializeFdt, parseFdt, generateVirtDtb, patchUserDtb, findNode, DtbError, FDT_MAGIC, type VirtDtbConfig } from '../../src/machine/dtb';

const hasDtc = spawnSync('dtc', ['--version']).status === 0;
if (!hasDtc) console.log('dtb tests: dtc not installed, skipping the dtc decompile checks');

const base: VirtDtbConfig = {
  ramBase: 0x4000_0000,
  ramSize: 128 << 20,
  cpus: [0, 1],
  psci: 'smc',
  bootargs: 'console=ttyAMA0 earlycon',
  initrd: { start: 0x4800_0000, end: 0x4810_0000 },
  flash: { base: 0, size: 0x800_0000 },
};

function dts(blob: Uint8Array): string {
  const dir = mkdtempSync(join(tmpdir(), 'el2scope-dtb-'));
  const f = join(dir, 'x.dtb');
  writeFileSync(f, blob);
  return execFileSync('dtc', ['-I', 'dtb', '-O', 'dts', f], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

describe('FDT writer/parser', () => {
  it('round-trips nodes and properties through the v17 format', () => {
    const root = new FdtNode('');
    root.u32('#address-cells', 2).str('compatible', 'a', 'b');
    root.addChild('x@10').u64('reg', 0x10n, 0x20n).empty('flag');
    const blob = serializeFdt(root, { totalSize: 4096 });
    const dv = new DataView(blob.buffer);
    expect(dv.getUint32(0, false)).toBe(FDT_MAGIC);
    expect(dv.getUint32(4, false)).toBe(4096);
    expect(dv.getUint32(20, false)).toBe(17);
    expect(dv.getUint32(24, false)).toBe(16);
    const back = parseFdt(blob);
    expect(back.getU32('#address-cells')).toBe(2);
    expect(back.getStrings('compatible')).toEqual(['a', 'b']);
    const x = findNode(back, '/x@10')!;
    expect(x.getCells('reg')).toEqual([0, 0x10, 0, 0x20]);
    expect(x.props.get('flag')!.length).toBe(0);
  });

  it('rejects malformed blobs with a reason instead of throwing a RangeError', () => {
    expect(() => parseFdt(new Uint8Array(10))).toThrow(DtbError);
    expect(() => parseFdt(new Uint8Array(64))).toThrow(/magic/);
    const good = serializeFdt(generateVirtDtb(base));
    expect(() => parseFdt(good.subarray(0, 100))).toThrow(/truncated/);
    const bad = good.slice();
    new DataView(bad.buffer).setUint32(new DataView(bad.buffer).getUint32(8, false), 0x77, false);
    expect(() => parseFdt(bad)).toThrow(DtbError);
  });
});

describe('FDT parser on corrupt input', () => {
  it('500 mutated blobs: parse or DtbError, nothing else', () => {
    let seed = 0x9e3779b9;
    const rnd = (n: number) => {
      seed ^= seed << 13;
      seed ^= seed >>> 17;
      seed ^= seed << 5;
      return (seed >>> 0) % n;
    };
    const good = serializeFdt(generateVirtDtb(base));
    for (let i = 0; i < 500; i++) {
      const b = good.slice(0, rnd(3) === 0 ? rnd(good.length + 1) : good.length);
      for (let k = rnd(6) + 1; k > 0 && b.length; k--) b[rnd(Math.min(b.length, 400))] = rnd(256);
      try {
        parseFdt(b);
      } catch (e) {
        if (!(e instanceof DtbError)) throw new Error(`iteration ${i}: ${(e as Error).stack}`);
      }
    }
  });
});

describe('virt device tree', () => {
  it('describes memory, cpus, psci, chosen and the PrimeCell devices', () => {
    const t = parseFdt(serializeFdt(generateVirtDtb(base)));
    expect(findNode(t, '/memory@40000000')!.getCells('reg')).toEqual([0, 0x4000_0000, 0, 0x800_0000]);
    const psci = findNode(t, '/psci')!;
    expect(psci.getStrings('method')).toEqual(['smc']);
    expect(psci.getStrings('compatible')).toEqual(['arm,psci-1.0', 'arm,psci-0.2', 'arm,psci']);
    expect(psci.getU32('cpu_on')).toBe(0xc4000003);
    expect(findNode(t, '/cpus/cpu@1')!.getU32('reg')).toBe(1);
    expect(findNode(t, '/cpus/cpu@0')!.getStrings('enable-method')).toEqual(['psci']);
    const chosen = findNode(t, '/chosen')!;
    expect(chosen.getStrings('stdout-path')).toEqual(['/pl011@9000000']);
    expect(chosen.getStrings('bootargs')).toEqual(['console=ttyAMA0 earlycon']);
    expect(chosen.getCells('linux,initrd-start')).toEqual([0, 0x4800_0000]);
    expect(chosen.getCells('linux,initrd-end')).toEqual([0, 0x4810_0000]);
    const uart = findNode(t, '/pl011@9000000')!;
    expect(uart.getStrings('compatible')).toEqual(['arm,pl011', 'arm,primecell']);
    expect(uart.getStrings('clock-names')).toEqual(['uartclk', 'apb_pclk']);
    const clk = findNode(t, '/apb-pclk')!;
    expect(clk.getU32('clock-frequency')).toBe(24_000_000);
    expect(uart.getCells('clocks')).toEqual([clk.getU32('phandle'), clk.getU32('phandle')]);
    expect(findNode(t, '/pl031@9010000')).toBeDefined();
    expect(findNode(t, '/pl061@9030000')).toBeDefined();
    // two CFI banks of 64 MiB, as QEMU's virt
    expect(findNode(t, '/flash@0')!.getCells('reg')).toEqual([0, 0, 0, 0x400_0000, 0, 0x400_0000, 0, 0x400_0000]);
    // nothing we do not emulate, and no interrupt controller unless the GIC is attached
    expect(findNode(t, '/intc@8000000')).toBeUndefined();
    expect(findNode(t, '/timer')).toBeUndefined();
    expect(uart.props.has('interrupts')).toBe(false);
    for (const absent of ['fw-cfg', 'virtio_mmio', 'pcie', 'smmuv3', 'platform-bus']) {
      expect(t.children.some((c) => c.name.startsWith(absent))).toBe(false);
    }
  });

  it('adds the GICv3 and timer nodes and device interrupts when the GIC is emulated', () => {
    const t = generateVirtDtb({ ...base, gicv3: { distBase: 0x800_0000, redistBase: 0x80a_0000, redistSize: 0x40000, maintPpi: 9 } });
    const intc = findNode(t, '/intc@8000000')!;
    expect(intc.getStrings('compatible')).toEqual(['arm,gic-v3']);
    expect(intc.getCells('reg')).toEqual([0, 0x800_0000, 0, 0x10000, 0, 0x80a_0000, 0, 0x40000]);
    expect(t.getU32('interrupt-parent')).toBe(intc.getU32('phandle'));
    expect(findNode(t, '/timer')!.getCells('interrupts')).toEqual([1, 13, 4, 1, 14, 4, 1, 11, 4, 1, 10, 4]);
    expect(findNode(t, '/pl011@9000000')!.getCells('interrupts')).toEqual([0, 1, 4]);
    expect(findNode(t, '/pl031@9010000')!.getCells('interrupts')).toEqual([0, 2, 4]);
    expect(findNode(t, '/gpio-keys/poweroff')!.getCells('gpios')![1]).toBe(3);
  });

  it('--el 3: no psci, secure UART and GPIO power-off/restart as QEMU secure=on', () => {
    const t = generateVirtDtb({ ...base, psci: null, secure: true });
    expect(findNode(t, '/psci')).toBeUndefined();
    expect(findNode(t, '/cpus/cpu@0')!.props.has('enable-method')).toBe(false);
    const sg = findNode(t, '/pl061@90b0000')!;
    expect(sg.getStrings('secure-status')).toEqual(['okay']);
    expect(sg.getStrings('status')).toEqual(['disabled']);
    expect(findNode(t, '/gpio-poweroff')!.getCells('gpios')).toEqual([sg.getU32('phandle')!, 0, 0]);
    expect(findNode(t, '/gpio-restart')!.getCells('gpios')).toEqual([sg.getU32('phandle')!, 1, 0]);
    expect(findNode(t, '/secure-chosen')!.getStrings('stdout-path')).toEqual(['/pl011@9040000']);
  });

  it('patches a user DTB like QEMU -dtb: memory replaced, chosen and psci set', () => {
    const user = new FdtNode('');
    user.u32('#address-cells', 2).u32('#size-cells', 2);
    user.addChild('memory@80000000').str('device_type', 'memory').u64('reg', 0x8000_0000, 0x1000);
    user.addChild('memory').str('device_type', 'memory');
    user.addChild('soc').str('compatible', 'simple-bus');
    const t = parseFdt(serializeFdt(patchUserDtb(parseFdt(serializeFdt(user)), base)));
    expect(t.children.filter((c) => c.name.startsWith('memory')).map((c) => c.name)).toEqual(['memory@40000000']);
    expect(findNode(t, '/memory@40000000')!.getCells('reg')).toEqual([0, 0x4000_0000, 0, 0x800_0000]);
    expect(findNode(t, '/chosen')!.getStrings('bootargs')).toEqual(['console=ttyAMA0 earlycon']);
    expect(findNode(t, '/psci')!.getStrings('method')).toEqual(['smc']);
    expect(findNode(t, '/soc')).toBeDefined();
    const noCells = new FdtNode('');
    expect(() => patchUserDtb(noCells, base)).toThrow(DtbError);
  });

  describe.skipIf(!hasDtc)('decompiles with dtc', () => {
    it('dtc -I dtb -O dts accepts the generated tree and shows the expected nodes', () => {
      const text = dts(serializeFdt(generateVirtDtb({ ...base, gicv3: { distBase: 0x800_0000, redistBase: 0x80a_0000, redistSize: 0x20000, maintPpi: 9 } }), { totalSize: 65536 }));
      for (const s of ['psci {', 'method = "smc"', 'memory@40000000 {', 'pl011@9000000 {', 'pl031@9010000 {', 'pl061@9030000 {', 'intc@8000000 {', 'timer {', 'apb-pclk {', 'clock-frequency = <0x16e3600>', 'stdout-path = "/pl011@9000000"', 'bootargs = "console=ttyAMA0 earlycon"', 'linux,initrd-start = <0x00 0x48000000>', 'flash@0 {', 'cpu@1 {']) {
        expect(text).toContain(s);
      }
    });
    it('dtc accepts /chosen boot modules', () => {
      const text = dts(serializeFdt(generateVirtDtb({ ...base, modules: [{ addr: 0x4700_0000, size: 0x1000, kind: 'kernel', bootargs: 'console=hvc0' }] })));
      expect(text).toMatch(/module@47000000 \{[^}]*compatible = "multiboot,kernel\\0multiboot,module";/);
    });
    it('dtc accepts the secure variant', () => {
      const text = dts(serializeFdt(generateVirtDtb({ ...base, psci: null, secure: true })));
      expect(text).toContain('gpio-poweroff {');
      expect(text).toContain('secure-status = "okay"');
    });
  });
});
