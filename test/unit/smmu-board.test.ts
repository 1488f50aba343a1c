// The SMMUv3 on the virt board: DTB description (QEMU iommu=smmuv3 layout, iommus on the DMA
// engine), MMIO at 0x0905_0000 / 0x0c00_0000, its interrupts reaching the GIC, and the debugger
// views (`monitor smmu ...`, inspector smmu.state / smmu.translate).
import { describe, it, expect } from 'vitest';
import { createBoard, bootBoard } from '../../src/machine/board';
import { parseFdt, findNode, VIRT } from '../../src/machine/dtb';
import { buildElf, words, I } from './board.helpers';
import { El2Target } from '../../src/gdb/el2target';
import { runMonitor } from '../../src/gdb/monitor';
import { makeMethods } from '../../src/inspector/methods';
import { debugCoreFor } from '../../src/debug/core';
import { REG, CMD, CR0_SMMUEN, CR0_CMDQEN, CR0_EVENTQEN, IRQ_EVENTQ } from '../../src/smmu/smmu';
import { DMA_REG, DMA_CTRL_START, DMA_CTRL_IRQ_EN, DMA_STATUS_ERROR, DMA_STATUS_DONE } from '../../src/devices/dma';

const RAM = 0x4000_0000;
const ENTRY = 0x4008_0000;
const STRTAB = RAM + 0x0100_0000;
const CMDQ = RAM + 0x0101_0000;
const EVTQ = RAM + 0x0102_0000;
const S2L1 = RAM + 0x0103_0000;
const S2L2 = RAM + 0x0103_1000;
const S2L3 = RAM + 0x0103_2000;
const BUF = RAM + 0x0110_0000;

function board() {
  const b = createBoard({ ramMiB: 64, kernelBytes: buildElf({ entry: ENTRY, segments: [{ addr: ENTRY, data: words(I.B_SELF) }] }) });
  bootBoard(b);
  const bus = b.machine.bus;
  const w64 = (pa: number, v: bigint) => {
    bus.write(pa, 4, Number(v & 0xffffffffn));
    bus.write(pa + 4, 4, Number(v >> 32n));
  };
  const smmu = (off: number, v: number) => bus.write(VIRT.SMMU + off, 4, v);
  const dma = (off: number, v: number) => bus.write(VIRT.DMA + off, 4, v);
  return { b, bus, w64, smmu, dma };
}

/** stream 0x20 → stage 2, VMID 5: IPA 0x8000_0000 page → BUF; everything else unmapped. */
function program(x: ReturnType<typeof board>) {
  const { w64, smmu } = x;
  const sid = VIRT.DMA_SID;
  // 4K granule, T0SZ 32, SL0 1 (start at level 1)
  w64(S2L1 + 2 * 8, BigInt(S2L2) | 3n); // IPA[31:30] = 2
  w64(S2L2 + 0 * 8, BigInt(S2L3) | 3n);
  w64(S2L3 + 0 * 8, BigInt(BUF) | (1n << 10n) | (3n << 8n) | (0xfn << 2n) | (3n << 6n) | 3n);
  const ste = STRTAB + sid * 64;
  w64(ste, 1n | (6n << 1n));
  w64(ste + 8, 0n);
  w64(ste + 16, 5n | (32n << 32n) | (1n << 38n) | (5n << 48n) | (1n << 51n) | (1n << 58n));
  w64(ste + 24, BigInt(S2L1));
  smmu(REG.STRTAB_BASE, STRTAB);
  smmu(REG.STRTAB_BASE_CFG, 8);
  smmu(REG.CMDQ_BASE, CMDQ | 3);
  smmu(REG.EVENTQ_BASE, EVTQ | 3);
  smmu(REG.IRQ_CTRL, IRQ_EVENTQ);
  smmu(REG.CR0, CR0_SMMUEN | CR0_CMDQEN | CR0_EVENTQEN);
}

describe('SMMUv3 on the virt board', () => {
  it('the DTB describes the SMMU as QEMU virt iommu=smmuv3 does, and the DMA engine behind it', () => {
    const { b } = board();
    const t = parseFdt(b.dtb);
    const s = findNode(t, '/smmuv3@9050000')!;
    expect(s.getStrings('compatible')).toEqual(['arm,smmu-v3']);
    expect(s.getCells('reg')).toEqual([0, 0x0905_0000, 0, 0x20000]);
    expect(s.getCells('interrupts')).toEqual([0, 74, 1, 0, 75, 1, 0, 76, 1, 0, 77, 1]);
    expect(s.getStrings('interrupt-names')).toEqual(['eventq', 'priq', 'cmdq-sync', 'gerror']);
    expect(s.getU32('#iommu-cells')).toBe(1);
    expect(s.props.has('dma-coherent')).toBe(true);
    const d = findNode(t, '/dma@c000000')!;
    expect(d.getCells('iommus')).toEqual([s.getU32('phandle'), 0x20]);
    expect(d.getCells('interrupts')).toEqual([0, 112, 4]);
    const none = createBoard({ ramMiB: 64, smmu: false, kernelBytes: buildElf({ entry: ENTRY, segments: [{ addr: ENTRY, data: words(I.B_SELF) }] }) });
    expect(findNode(parseFdt(none.dtb), '/smmuv3@9050000')).toBeUndefined();
    expect(none.smmu).toBeNull();
  });

  it('a DMA fault raises the eventq SPI (edge) and the DMA completion SPI; the debugger shows STE, events and the walk', () => {
    const x = board();
    const { b, bus, dma } = x;
    program(x);
    const gic = b.machine.gic!;
    // GICD_ICFGR: SPI 74 (INTID 106) edge-triggered
    bus.write(0x0800_0000 + 0xc00 + 4 * Math.floor(106 / 16), 4, 2 << (2 * (106 % 16)));
    bus.write(BUF, 4, 0x11223344);
    dma(DMA_REG.SRC_LO, 0x8000_0000);
    dma(DMA_REG.DST_LO, 0x8000_0100);
    dma(DMA_REG.LEN, 4);
    dma(DMA_REG.CTRL, DMA_CTRL_START | DMA_CTRL_IRQ_EN);
    expect(bus.read(VIRT.DMA + DMA_REG.STATUS, 4)).toBe(DMA_STATUS_DONE);
    expect(bus.read(BUF + 0x100, 4)).toBe(0x11223344);
    expect(gic.spi.level[144]).toBe(1);
    dma(DMA_REG.STATUS, DMA_STATUS_DONE);
    expect(gic.spi.level[144]).toBe(0);
    dma(DMA_REG.DST_LO, 0x9000_0000);
    dma(DMA_REG.CTRL, DMA_CTRL_START);
    expect(bus.read(VIRT.DMA + DMA_REG.STATUS, 4)).toBe(DMA_STATUS_ERROR);
    expect(gic.spi.pending[106]).toBe(1);

    const t = new El2Target(b.machine);
    expect(runMonitor(t, 'smmu')).toMatch(/32: stage 2 VMID 5 \(cached\)/);
    const ste = runMonitor(t, 'smmu ste 0x20');
    expect(ste).toMatch(/Config=6 \(stage 2\)/);
    expect(ste).toMatch(/S2VMID=5 S2T0SZ=32 \(32-bit IPA\)/);
    expect(runMonitor(t, 'smmu ste 300')).toMatch(/C_BAD_STREAMID/);
    const ev = runMonitor(t, 'smmu events');
    expect(ev).toMatch(/1 record\(s\) not consumed/);
    expect(ev).toMatch(/F_TRANSLATION StreamID 32 write S2=1 Class IN InputAddr 0x90000000 IPA 0x90000000/);
    const tr = runMonitor(t, 'smmu translate 0x20 0x80000010');
    expect(tr).toMatch(/config: stage 2 VMID 5/);
    expect(tr).toMatch(/S2 L3 desc@0x41032000/);
    expect(tr).toMatch(/=> IPA 0x80000010 PA 0x41100010/);
    expect(tr).toMatch(/TLB hit/);
    expect(runMonitor(t, 'smmu translate 0x20 0x90000000 w')).toMatch(/F_TRANSLATION: stage 2 F_TRANSLATION level 2 at IPA 0x90000000/);

    const methods = makeMethods({ machine: b.machine, board: b, core: debugCoreFor(b.machine) });
    const st = methods.get('smmu.state')!({ sid: 0x20 }) as { streams: { sid: number }[]; events: { name: string; ipa: string }[]; ste: { ste: { S2VMID: number } } };
    expect(st.streams.map((s) => s.sid)).toEqual([0x20]);
    expect(st.events[0]).toMatchObject({ name: 'F_TRANSLATION', ipa: '0x90000000' });
    expect(st.ste.ste.S2VMID).toBe(5);
    const r = methods.get('smmu.translate')!({ sid: 0x20, addr: '0x80000004' }) as { ok: boolean; pa: string; steps: unknown[] };
    expect(r).toMatchObject({ ok: true, pa: '0x41100004' });
    expect(r.steps.length).toBe(3);
    // the TLBI path through the board's bus: CMD_SYNC with an MSI write
    x.w64(CMDQ, BigInt(CMD.SYNC) | (1n << 12n) | (0xabcdn << 32n));
    x.w64(CMDQ + 8, BigInt(BUF + 0x200));
    x.smmu(REG.CMDQ_PROD, 1);
    expect(bus.read(BUF + 0x200, 4)).toBe(0xabcd);
  });
});

describe('monitor smmu catch', () => {
  it('stops the running machine right after the store that started the faulting DMA, and prints the event', async () => {
    const { readFileSync, existsSync } = await import('node:fs');
    const elf = 'targets/build/smmu-dma.elf';
    if (!existsSync(elf)) return;
    const b = createBoard({ kernelBytes: new Uint8Array(readFileSync(elf)) });
    bootBoard(b);
    const t = new El2Target(b.machine);
    const core = debugCoreFor(b.machine);
    const messages: string[] = [];
    core.on('message', (m) => messages.push(m));
    expect(runMonitor(t, 'smmu catch on')).toBe('smmu catch on\n');
    const stopped = new Promise((r) => core.once('stop', r));
    core.continue();
    const s = (await stopped) as { reason: string };
    expect(s.reason).toBe('pause');
    expect(messages.join('')).toMatch(/SMMU event: #1 F_TRANSLATION \(0x10\) StreamID 32 write S2 Class IN InputAddr 0x42000000 IPA 0x42000000/);
    // the guest (EL1) has just written the DMA engine's CTRL register
    const c = b.machine.cpus[0];
    expect(c.el).toBe(1);
    expect(b.machine.bus.read(VIRT.DMA + DMA_REG.STATUS, 4)).toBe(DMA_STATUS_ERROR);
    expect(runMonitor(t, 'smmu events')).toMatch(/1 record\(s\) not consumed/);
    expect(runMonitor(t, 'smmu catch off')).toBe('smmu catch off\n');
    expect(b.smmu!.eventListeners.length).toBe(0);
  });
});
