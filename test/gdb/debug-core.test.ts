// The debug core on its own (no gdb): the API the inspector shares with the GDB server.
import { describe, it, expect } from 'vitest';
import { debugCoreFor } from '../../src/debug/core';
import type { DebugStop } from '../../src/debug/types';
import { machineWith, LOOP, words, RAM_BASE } from './helpers';
import { viewRegIndex, viewRegisters } from '../../src/debug/registers';

function nextStop(core: ReturnType<typeof debugCoreFor>): Promise<DebugStop> {
  return new Promise((r) => core.once('stop', r));
}

describe('debug core', () => {
  it('continue stops at a breakpoint, resumes past it, and pause stops a free run', async () => {
    const m = machineWith(LOOP);
    const core = debugCoreFor(m);
    expect(debugCoreFor(m)).toBe(core); // one per machine
    const bp = core.addBreakpoint({ type: 'sw', addr: BigInt(RAM_BASE + 4), owner: 'test' });
    let p = nextStop(core);
    core.continue();
    expect(await p).toEqual({ reason: 'breakpoint', cpu: 0, hw: false, id: bp.id });
    expect(m.cpus[0].getX(1)).toBe(5n);
    p = nextStop(core);
    core.continue();
    expect((await p).reason).toBe('breakpoint');
    expect(m.cpus[0].getX(1)).toBe(6n); // went round the loop once
    core.removeBreakpoint((b) => b.owner === 'test');
    expect(m.cpus[0].bpCheck).toBeNull(); // no per-instruction cost without breakpoints
    p = nextStop(core);
    core.continue();
    setTimeout(() => core.pause(), 20);
    expect((await p).reason).toBe('pause');
    expect(m.cpus[0].getX(1)).toBeGreaterThan(100n);
  });

  it('breakpoints are checked on their own pages only, and still stop in hot (block-compiled) code and after a page crossing', async () => {
    // page 0: x0 = 3000; loop { x1++ ; x0-- } ; then fall through the page end into page 1
    const body = new Uint32Array(0x1010 / 4).fill(0xd503201f); // NOPs
    body.set([0xd2817700, 0x91000421, 0xd1000400, 0xb5ffffc0], 0); // movz x0,#3000; add x1; sub x0; cbnz x0,-8
    body[0xffc / 4] = 0x91000442; // add x2, x2, #1 (last word of page 0)
    body[0x1000 / 4] = 0x91000463; // add x3, x3, #1 (first word of page 1)
    body[0x1004 / 4] = 0x14000000; // b .
    const m = machineWith(new Uint8Array(body.buffer));
    const c = m.cpus[0];
    const core = debugCoreFor(m);
    // a breakpoint on another page does not stop the loop, and the loop runs as usual
    core.addBreakpoint({ type: 'sw', addr: BigInt(RAM_BASE + 0x1000), owner: 't' });
    let p = nextStop(core);
    core.continue();
    expect((await p).reason).toBe('breakpoint');
    expect(c.pc).toBe(BigInt(RAM_BASE + 0x1000)); // entered by falling through the page end
    expect([c.getX(1), c.getX(2), c.getX(3)]).toEqual([3000n, 1n, 0n]);
    // the loop is hot now: run it again and stop inside it with a breakpoint added afterwards
    c.pc = BigInt(RAM_BASE);
    core.removeBreakpoint(() => true);
    for (let i = 0; i < 3; i++) {
      c.pc = BigInt(RAM_BASE);
      p = nextStop(core);
      core.addBreakpoint({ type: 'sw', addr: BigInt(RAM_BASE + 0x1004), owner: 't' });
      core.continue();
      await p;
      core.removeBreakpoint(() => true);
    }
    c.pc = BigInt(RAM_BASE);
    c.setX(1, 0n);
    core.addBreakpoint({ type: 'sw', addr: BigInt(RAM_BASE + 8), owner: 't' });
    p = nextStop(core);
    core.continue();
    expect((await p).reason).toBe('breakpoint');
    expect(c.pc).toBe(BigInt(RAM_BASE + 8));
    expect(c.getX(1)).toBe(1n);
    p = nextStop(core);
    core.continue();
    await p;
    expect(c.getX(1)).toBe(2n); // one iteration per continue
  });

  it('PA breakpoints stop where the guest executes that PA through stage 2, also beside a VA breakpoint on the same page', async () => {
    // EL1 code at IPA 0x80000000, mapped by stage 2 to PA 0x40200000 (stage 1 off: VA = IPA):
    // add x1, x1, #1 x3; b .-12
    const m = machineWith(words(0x91000421, 0x91000421, 0x91000421, 0x17fffffd), { at: RAM_BASE + 0x200000 });
    const q = (...v: bigint[]) => new Uint8Array(BigUint64Array.from(v).buffer);
    // stage 2 (Arm ARM D8.3): VTCR_EL2 T0SZ 32, SL0 1, 4K; L1[2] -> L2 at 0x40004000, L2[0] a 2 MiB
    // block to PA 0x40200000 (Normal WB, S2AP RW, AF)
    m.bus.loadBytes(RAM_BASE + 0x2010, q(0x40004003n));
    m.bus.loadBytes(RAM_BASE + 0x4000, q(0x402004fdn));
    const c = m.cpus[0];
    const set = (n: string, v: bigint) => viewRegisters()[viewRegIndex(n)!].write(c, v);
    set('SCR_EL3', 0x501n);
    set('VTCR_EL2', 0x80023560n);
    set('VTTBR_EL2', (3n << 48n) | 0x40002000n);
    set('HCR_EL2', (1n << 31n) | 1n);
    c.setPstate(0x3c5); // EL1h
    c.pc = 0x80000000n;
    const core = debugCoreFor(m);
    core.addBreakpoint({ type: 'hw', addr: 0x40200008n, physical: true, owner: 't' });
    let p = nextStop(core);
    core.continue();
    expect((await p).reason).toBe('breakpoint');
    expect([c.pc, c.getX(1)]).toEqual([0x80000008n, 2n]);
    // a VA breakpoint on the same page as the PA one: both are checked
    core.addBreakpoint({ type: 'hw', addr: 0x80000004n, owner: 't' });
    p = nextStop(core);
    core.continue();
    await p;
    expect([c.pc, c.getX(1)]).toEqual([0x80000004n, 4n]);
    p = nextStop(core);
    core.continue();
    await p;
    expect([c.pc, c.getX(1)]).toEqual([0x80000008n, 5n]);
  });

  it('EL-qualified breakpoints only fire at that EL', async () => {
    const m = machineWith(LOOP);
    const core = debugCoreFor(m);
    core.addBreakpoint({ type: 'hw', addr: BigInt(RAM_BASE + 4), el: 1, owner: 't' }); // we run at EL3
    core.addBreakpoint({ type: 'hw', addr: BigInt(RAM_BASE + 8), el: 3, owner: 't' });
    const p = nextStop(core);
    core.continue();
    const s = await p;
    expect(s.reason).toBe('breakpoint');
    expect(m.cpus[0].pc).toBe(BigInt(RAM_BASE + 8));
  });

  it('catch stops after the exception is taken; the trap log decodes it; single step', async () => {
    const m = machineWith(words(0xd28000a1, 0x00000000));
    m.bus.loadBytes(RAM_BASE + 0x1400, words(0xd2800542, 0x14000000));
    const c = m.cpus[0];
    const set = (n: string, v: bigint) => viewRegisters()[viewRegIndex(n)!].write(c, v);
    set('SCR_EL3', 1n);
    set('HCR_EL2', (1n << 31n) | (1n << 27n));
    set('VBAR_EL2', BigInt(RAM_BASE + 0x1000));
    c.setPstate(0);
    const core = debugCoreFor(m);
    const msgs: string[] = [];
    core.on('message', (t) => msgs.push(t));
    core.setCatch([2], false, []);
    let p = nextStop(core);
    core.continue();
    const s = await p;
    expect(s.reason).toBe('catch');
    expect(c.pc).toBe(BigInt(RAM_BASE + 0x1400));
    expect(c.el).toBe(2);
    expect(msgs.join('')).toMatch(/^EL0->EL2 sync EC=0x0 UNKNOWN ISS=0x0 ELR=0x40000004/);
    expect(core.traps(1)[0]).toMatchObject({ fromEl: 0, toEl: 2, kind: 'sync', elr: BigInt(RAM_BASE + 4) });
    p = nextStop(core);
    core.step(0);
    expect(await p).toEqual({ reason: 'step', cpu: 0 });
    expect(c.getX(2)).toBe(42n);
  });

  it('catch irq stops at the IRQ vector; a step that takes an interrupt counts as the step', async () => {
    const m = machineWith(LOOP);
    m.bus.loadBytes(RAM_BASE + 0x1480, words(0x14000000)); // EL2 vector, lower EL IRQ: b .
    const c = m.cpus[0];
    const set = (n: string, v: bigint) => viewRegisters()[viewRegIndex(n)!].write(c, v);
    set('SCR_EL3', 0x501n);
    set('HCR_EL2', (1n << 31n) | (1n << 4n)); // RW, IMO: physical IRQs to EL2
    set('VBAR_EL2', BigInt(RAM_BASE + 0x1000));
    c.setPstate(0x345); // EL1h, I unmasked (DAIF = D A - F)
    const core = debugCoreFor(m);
    const msgs: string[] = [];
    core.on('message', (t) => msgs.push(t));
    core.setCatch([], true, []);
    let p = nextStop(core);
    core.continue();
    await new Promise((r) => setTimeout(r, 10));
    c.irqLine = true; // an interrupt controller asserts the line
    expect((await p).reason).toBe('catch');
    expect(c.pc).toBe(BigInt(RAM_BASE + 0x1480));
    expect(msgs.join('')).toMatch(/EL1->EL2 irq/);
    // step: back at EL1 with the line still high, the step is the interrupt itself
    core.setCatch([], false, []);
    c.setPstate(0x345);
    c.pc = BigInt(RAM_BASE + 4);
    p = nextStop(core);
    core.step(0);
    expect(await p).toEqual({ reason: 'step', cpu: 0 });
    expect(c.pc).toBe(BigInt(RAM_BASE + 0x1480));
    expect(c.el).toBe(2);
  });

  it('memory views: RAM reads and writes, MMIO refused without touching the device, partial reads', () => {
    const m = machineWith(LOOP);
    const core = debugCoreFor(m);
    let touched = 0;
    m.bus.map(0x0900_0000, 0x1000, { name: 'probe', read: () => (touched++, 0), write: () => void touched++ });
    expect(core.readMemory(0, BigInt(RAM_BASE), 4, { kind: 'pa' })).toEqual(Uint8Array.of(0xa1, 0x00, 0x80, 0xd2));
    expect(core.readMemory(0, 0x0900_0000n, 4, { kind: 'pa' })).toBeUndefined();
    expect(core.writeMemory(0, 0x0900_0000n, Uint8Array.of(1), { kind: 'pa' })).toBe(false);
    expect(touched).toBe(0);
    const end = BigInt(RAM_BASE + 16 * 1024 * 1024);
    expect(core.readMemory(0, end - 2n, 8, { kind: 'pa' })?.length).toBe(2);
    expect(core.writeMemory(0, BigInt(RAM_BASE + 0x100), Uint8Array.of(1, 2, 3), { kind: 'pa' })).toBe(true);
    expect(m.bus.peek(RAM_BASE + 0x100, 3)).toEqual(Uint8Array.of(1, 2, 3));
  });

  it('trap log keeps the last 1024 entries in order', () => {
    const m = machineWith(words(0x00000000));
    const core = debugCoreFor(m);
    const c = m.cpus[0];
    for (let i = 0; i < 1500; i++) c.syncException(0x15, i & 0xffff, 3);
    const l = core.traps(2000);
    expect(l.length).toBe(1024);
    expect(l[0].seq).toBe(1500 - 1024);
    expect(l[1023].esr & 0xffff).toBe(1499 & 0xffff);
  });
});
