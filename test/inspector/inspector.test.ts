// Inspector protocol tests over a real WebSocket on loopback: security (token, Origin), JSON-RPC
// errors, machine control, registers, memory, translate, breakpoints shared with the debug core,
// events (uart, exception, stopped) and a request flood.
import { describe, it, expect, afterEach } from 'vitest';
import WebSocket from 'ws';
import { createBoard, bootBoard, type Board } from '../../src/machine/board';
import { startInspector, type InspectorHandle } from '../../src/inspector/server';
import { InspectorClient, RpcCallError } from '../../src/client/client';
import { debugCoreFor } from '../../src/debug/core';
import { RAM_BASE } from '../../src/machine/machine';

const handles: (InspectorHandle | InspectorClient)[] = [];
afterEach(async () => {
  for (const h of handles.splice(0)) await h.close();
});

/** A tiny guest: x1 counts up forever; writes 'A' to the UART once; then HVC to EL2 loop. */
function loopProgram(): Uint8Array {
  const w = [
    0xd2800001, // movz x1, #0
    0xd2a12002, // movz x2, #0x900, lsl #16  (UART base 0x09000000)
    0xd2800823, // movz x3, #0x41 ('A')
    0x39000043, // strb w3, [x2]
    0x91000421, // loop: add x1, x1, #1
    0x17ffffff, // b loop
  ];
  const b = new Uint8Array(w.length * 4);
  const dv = new DataView(b.buffer);
  w.forEach((x, i) => dv.setUint32(i * 4, x, true));
  return b;
}

async function setup(kernel?: Uint8Array): Promise<{ board: Board; srv: InspectorHandle; client: InspectorClient }> {
  const board = createBoard({ biosBytes: kernel ?? loopProgram(), ramMiB: 32 });
  bootBoard(board);
  const srv = await startInspector(board.machine, { host: '127.0.0.1', port: 0, board });
  handles.push(srv);
  const client = await InspectorClient.connect(srv.url);
  handles.unshift(client);
  return { board, srv, client };
}

function rawWs(url: string, headers: Record<string, string> = {}): Promise<{ ok: boolean; status?: number; ws?: WebSocket }> {
  return new Promise((resolve) => {
    const ws = new WebSocket(url, { headers, handshakeTimeout: 3000 });
    ws.once('open', () => resolve({ ok: true, ws }));
    ws.once('unexpected-response', (_q, res) => resolve({ ok: false, status: res.statusCode }));
    ws.once('error', () => resolve({ ok: false }));
  });
}

describe('inspector: security', () => {
  it('serves on loopback, refuses upgrades without the token or from a foreign Origin', async () => {
    const { srv } = await setup();
    expect(srv.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/\?token=[0-9a-f]{32}$/);
    const base = `ws://127.0.0.1:${srv.port}/ws`;
    expect((await rawWs(base)).status).toBe(401);
    expect((await rawWs(`${base}?token=wrong`)).status).toBe(401);
    expect((await rawWs(`${base}?token=${srv.token}`, { Origin: 'http://evil.example' })).status).toBe(403);
    const good = await rawWs(`${base}?token=${srv.token}`, { Origin: `http://127.0.0.1:${srv.port}` });
    expect(good.ok).toBe(true);
    good.ws!.close();
    const page = await fetch(`http://127.0.0.1:${srv.port}/?token=${srv.token}`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('el2scope');
  });

  it('refuses a non-loopback bind without the explicit flag', async () => {
    const board = createBoard({ biosBytes: loopProgram(), ramMiB: 16 });
    await expect(startInspector(board.machine, { host: '0.0.0.0', port: 0 })).rejects.toThrow(/non-loopback/);
  });
});

describe('inspector: JSON-RPC', () => {
  it('answers bad requests with JSON-RPC errors and keeps serving', async () => {
    const { srv, client } = await setup();
    const r = await rawWs(`ws://127.0.0.1:${srv.port}/ws?token=${srv.token}`);
    const ws = r.ws!;
    const replies: any[] = [];
    ws.on('message', (d) => {
      const m = JSON.parse(d.toString());
      if (m.method === undefined) replies.push(m);
    });
    ws.send('{not json');
    ws.send(JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'no.such' }));
    ws.send(JSON.stringify({ jsonrpc: '2.0', id: 2, method: 'registers.read', params: { cpu: 99 } }));
    ws.send(JSON.stringify({ jsonrpc: '1.0', id: 3, method: 'cpu.list' }));
    ws.send(JSON.stringify({ jsonrpc: '2.0', id: 4, method: 'memory.read', params: { addr: 'zz' } }));
    await new Promise((res) => setTimeout(res, 300));
    expect(replies.map((x) => x.error?.code)).toEqual([-32700, -32601, -32602, -32600, -32602]);
    ws.close();
    const cpus = await client.call<any[]>('cpu.list');
    expect(cpus[0].el).toBe(2);
  });

  it('reads and writes registers by group; reads memory by PA; translates', async () => {
    const { client } = await setup();
    const core = await client.registers(0, 'core');
    expect(core.find((r) => r.name === 'pc')!.value).toBe('0x0');
    const el2 = await client.registers(0, 'el2');
    const hcr = el2.find((r) => r.name === 'HCR_EL2')!;
    expect(hcr.fields).toHaveProperty('RW', 1);
    await client.writeRegister('x5', 0x1234_5678_9abc_def0n);
    expect(await client.register('x5')).toBe(0x1234_5678_9abc_def0n);
    await client.writeRegister('VTTBR_EL2', 0x0003_0000_4010_0000n);
    expect(await client.register('VTTBR_EL2')).toBe(0x0003_0000_4010_0000n);
    const mem = await client.readMemory(0n, 8, 'pa');
    expect(Buffer.from(mem).readUInt32LE(0)).toBe(0xd2800001);
    const t = (await client.translate(BigInt(RAM_BASE), 'pa')) as any;
    expect(t.ok).toBe(true);
    await expect(client.readMemory(0x0900_0000n, 4, 'pa')).rejects.toBeInstanceOf(RpcCallError);
  });

  it('runs, streams UART output, pauses, steps, and shares breakpoints with the debug core', async () => {
    const { board, client } = await setup();
    const uart: string[] = [];
    client.on('uart', (u) => uart.push(u.text));
    await client.resume();
    await new Promise((r) => setTimeout(r, 150));
    const stopped = client.nextStop();
    await client.pause();
    expect((await stopped).reason).toBe('pause');
    await new Promise((r) => setTimeout(r, 80));
    expect(uart.join('')).toBe('A');
    const x1 = await client.register('x1');
    expect(x1).toBeGreaterThan(0n);
    await client.step(0, 2);
    expect(await client.register('x1')).toBe(x1 + 1n);
    const bp = await client.call<any>('breakpoints.add', { addr: '0x10', type: 'hw' });
    expect([...debugCoreFor(board.machine).breakpoints.values()].some((b) => b.id === bp.id)).toBe(true);
    const s2 = client.nextStop();
    await client.resume();
    const st = await s2;
    expect(st.reason).toBe('breakpoint');
    expect((await client.call<any[]>('cpu.list'))[0].pc).toBe('0x10');
    await client.call('breakpoints.remove', { id: bp.id });
    expect(debugCoreFor(board.machine).breakpoints.size).toBe(0);
  });

  it('reports exceptions as decoded events and in the trap log, and catches them', async () => {
    // hvc #0x42 at EL2 with VBAR_EL2 = 0: the exception goes to 0x200 (current EL, SPx)
    const w = [0xd4000842, 0x14000000];
    const b = new Uint8Array(0x400);
    const dv = new DataView(b.buffer);
    w.forEach((x, i) => dv.setUint32(i * 4, x, true));
    dv.setUint32(0x200, 0x14000000, true); // b .
    const { client } = await setup(b);
    const ev = new Promise<any>((r) => client.once('exception', r));
    await client.catchExceptions([2]);
    const stop = client.nextStop();
    await client.resume();
    expect((await stop).reason).toBe('catch');
    const e = await ev;
    expect(e.ecName).toBe('HVC64');
    expect(e.decoded).toContain('imm=0x42');
    const log = await client.trapLog(8, { ec: 0x16 });
    expect(log.length).toBe(1);
    expect((await client.call<any[]>('cpu.list'))[0].pc).toBe('0x200');
  });

  it('a flood of requests does not stop the CPU from running', async () => {
    const { client } = await setup();
    await client.resume();
    const before = await client.call<any>('machine.info');
    const calls: Promise<unknown>[] = [];
    for (let i = 0; i < 2000; i++) calls.push(client.call('cpu.list'));
    await Promise.all(calls);
    const after = await client.call<any>('machine.info');
    expect(after.instret).toBeGreaterThan(before.instret);
    await client.pause();
  });
});

describe('inspector: MMU views', () => {
  it('lists architectural TLB entries tagged by regime/VMID/ASID after guest accesses', async () => {
    const { client } = await setup();
    await client.step(0, 6);
    const t = await client.call<any>('tlb.read', { cpu: 0 });
    expect(Array.isArray(t.entries)).toBe(true);
    expect(Array.isArray(t.fast)).toBe(true);
    for (const e of t.entries) {
      expect(e).toHaveProperty('regime');
      expect(e).toHaveProperty('vmid');
      expect(e).toHaveProperty('asid');
    }
  });
});
