// Protocol robustness: 10,000 random and mutated packets (bad checksums, truncated, oversize,
// binary junk, unknown and malformed commands) over a raw TCP socket. The server answers or ignores
// each, keeps serving, every reply is a well-formed packet, and the guest state afterwards equals a
// machine that never saw them. Needs no gdb.
import { describe, it, expect } from 'vitest';
import net from 'node:net';
import { machineWith, LOOP, rawClient, serve } from './helpers';
import { framePacket, PacketReader, unescapeBinary } from '../../src/gdb/protocol/packet';
import { textToHex } from '../../src/gdb/protocol/hex';
import type { Machine } from '../../src/machine/machine';
import { startGdbServer } from '../../src/gdb/server';
import { viewRegIndex, viewRegisters } from '../../src/debug/registers';

function rng(seed: number) {
  let s = seed >>> 0;
  return () => {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return s / 4294967296;
  };
}

// commands that change state: only ever sent with a wrong checksum
const WRITES = ['G' + '00'.repeat(268), 'M40000000,4:deadbeef', 'X40000000,4:abcd', 'P1=0100000000000000', 'c', 's', 'k', 'D', 'vCont;c', 'Z0,40000004,4', 'Z2,40000000,4', 'QStartNoAckMode', 'qRcmd,' + textToHex('mem pa')];
// well-formed commands that only read, and malformed variants of writers (they must fail)
const SAFE = [
  'g', 'p1f', 'p20', 'p21', 'p22', 'p999', 'm40000000,10', 'm0,4', 'm9000000,4', 'mffffffffffffffff,10', 'qC', 'qSupported:swbreak+;hwbreak+', '?',
  'qfThreadInfo', 'qsThreadInfo', 'Hg1', 'Hc-1', 'Hg7', 'T1', 'T9', 'qAttached', 'qThreadExtraInfo,1', 'vCont?', 'vMustReplyEmpty',
  'qXfer:features:read:target.xml:0,ffff', 'qXfer:memory-map:read::0,fff', 'qXfer:threads:read::0,fff', 'qXfer:features:read:nope.xml:0,10',
  'qRcmd,' + textToHex('help'), 'qRcmd,' + textToHex('trap-log 4'), 'qRcmd,' + textToHex('catch list'), 'qRcmd,zz', 'qSymbol::',
  'M4000zz', 'M40000000,4:00', 'M40000000', 'P', 'P1f=00', 'Pzz=00', 'G12', 'Gzz', 'X40000000,8:ab', 'X', 'Z0,zz,4', 'Zx', 'Z9,0,0', 'z',
  'vCont;q', 'vCont;', 'vCont;rzz', 'C', 'Szz', 'H', 'Hx1', 'p', 'm', 'm,', 'm1,fffffffff', 'qXfer:features:read:target.xml:zz', 'qRcmd,',
];

function cs(s: string): number {
  let c = 0;
  for (let i = 0; i < s.length; i++) c = (c + (s.charCodeAt(i) & 0xff)) & 0xff;
  return c;
}

function* corpus(n: number, r: () => number): Generator<Buffer> {
  const pick = <T>(a: T[]) => a[Math.floor(r() * a.length)];
  for (let i = 0; i < n; i++) {
    const k = r();
    if (k < 0.25) {
      const p = pick(WRITES);
      const bad = (cs(p) + 1 + Math.floor(r() * 255)) & 0xff;
      yield Buffer.from(`$${p}#${bad.toString(16).padStart(2, '0')}`, 'latin1');
    } else if (k < 0.5) {
      yield Buffer.from(framePacket(pick(SAFE)));
    } else if (k < 0.6) {
      // truncated: a safe packet cut anywhere, then a resync
      const f = Buffer.from(framePacket(pick(SAFE)));
      yield Buffer.concat([f.subarray(0, 1 + Math.floor(r() * (f.length - 1))), Buffer.from('#xx')]);
    } else if (k < 0.8) {
      // binary junk without '$' (so it can never frame a command by chance)
      const len = 1 + Math.floor(r() * 64);
      const b = Buffer.alloc(len);
      for (let j = 0; j < len; j++) {
        let v = Math.floor(r() * 256);
        if (v === 0x24) v = 0x25;
        b[j] = v;
      }
      yield Buffer.concat([b, Buffer.from('#xx')]);
    } else if (k < 0.95) {
      // unknown commands with valid checksums (never starting with a state-changing letter)
      const letters = 'abefhijlnortuwxyABEFIJKLNOUVWY';
      let s = pick(letters.split(''));
      const len = Math.floor(r() * 40);
      for (let j = 0; j < len; j++) s += String.fromCharCode(0x20 + Math.floor(r() * 0x5e)).replace(/[$#}*]/, '_');
      yield Buffer.from(framePacket(s));
    } else if (k < 0.953) {
      yield Buffer.concat([Buffer.from('$'), Buffer.alloc(0x20100 + Math.floor(r() * 1000), 0x41), Buffer.from('#00')]);
    } else {
      // a packet with a valid checksum but an RLE expansion error or odd escapes
      yield Buffer.from(framePacket(pick(['*a', 'm*', 'g*', 'qSupported*']) ));
    }
  }
}

function snapshot(m: Machine) {
  const c = m.cpus[0];
  return {
    x: Array.from(c.x64.slice(0, 32)).map(String),
    pc: c.pc.toString(16),
    pstate: c.getPstate(),
    sys: Array.from(c.sys),
    spBank: Array.from(c.spBank),
    ram: Buffer.from(m.bus.ram8.subarray(0, 0x2000)).toString('hex'),
    instret: m.instret,
  };
}

describe('gdb: protocol robustness', () => {
  it('survives 10,000 random and mutated packets without changing the guest', async () => {
    const m = machineWith(LOOP);
    const ref = machineWith(LOOP);
    const srv = await serve(m);
    const sock = net.connect(srv.port, '127.0.0.1');
    const reader = new PacketReader(0x100000);
    let replies = 0;
    let bad = 0;
    let sentinel: () => void = () => {};
    sock.on('data', (d) => {
      for (const e of reader.feed(d)) {
        if (e.kind === 'bad-checksum' || e.kind === 'overflow') bad++;
        if (e.kind === 'packet') {
          replies++;
          if (Buffer.from(e.data).toString('latin1') === 'QC1') sentinel();
        }
      }
    });
    sock.on('error', () => {});
    await new Promise<void>((r) => sock.once('connect', () => r()));
    const r = rng(0x5eed);
    let batch: Buffer[] = [];
    let sent = 0;
    for (const p of corpus(10000, r)) {
      batch.push(p);
      sent++;
      if (batch.length === 500) {
        sock.write(Buffer.concat(batch));
        batch = [];
        // let the server drain: a qC after a resync marks the end of the batch
        await new Promise<void>((res, rej) => {
          const t = setTimeout(() => rej(new Error('server stopped answering')), 10000);
          sentinel = () => {
            clearTimeout(t);
            res();
          };
          sock.write(Buffer.concat([Buffer.from('#xx'), Buffer.from(framePacket('qC'))]));
        });
      }
    }
    expect(sent).toBe(10000);
    // final probe: the server still answers and reports the stop status
    const status = await new Promise<string>((res, rej) => {
      const t = setTimeout(() => rej(new Error('no reply to ?')), 10000);
      const rd = new PacketReader(0x100000);
      sock.removeAllListeners('data');
      sock.on('data', (d) => {
        for (const e of rd.feed(d)) {
          if (e.kind !== 'packet') continue;
          const s = Buffer.from(e.data).toString('latin1');
          if (s.startsWith('T') || s.startsWith('S')) {
            clearTimeout(t);
            res(s);
          }
        }
      });
      sock.write(Buffer.concat([Buffer.from('#xx'), Buffer.from(framePacket('?'))]));
    });
    expect(status).toMatch(/^T05thread:1;/);
    expect(replies).toBeGreaterThan(2000);
    expect(bad).toBe(0); // every reply was a well-formed packet
    expect(snapshot(m)).toEqual(snapshot(ref));
    sock.destroy();
    // a new client can attach afterwards
    const s2 = net.connect(srv.port, '127.0.0.1');
    const got = await new Promise<string>((res, rej) => {
      const t = setTimeout(() => rej(new Error('no reply on reconnect')), 10000);
      const rd = new PacketReader();
      s2.on('data', (d) => {
        for (const e of rd.feed(d))
          if (e.kind === 'packet') {
            clearTimeout(t);
            res(Buffer.from(e.data).toString('latin1'));
          }
      });
      s2.on('connect', () => s2.write(Buffer.from(framePacket('qC'))));
    });
    expect(got).toBe('QC1');
    s2.destroy();
    await srv.close();
  }, 60000);
});

/** A minimal raw RSP client for protocol-level checks. */
describe('gdb: protocol details over a raw socket', () => {
  it('qSupported is computed; Ctrl-C stops a running target; exit sends W', async () => {
    const m = machineWith(LOOP);
    const srv = await serve(m);
    const c = await rawClient(srv.port);
    try {
      const sup = await c.ask('qSupported:multiprocess+;swbreak+;hwbreak+;qRelocInsn+;xmlRegisters=i386');
      for (const f of ['PacketSize=20000', 'qXfer:features:read+', 'qXfer:memory-map:read+', 'qXfer:threads:read+', 'swbreak+', 'hwbreak+', 'vContSupported+', 'QStartNoAckMode+'])
        expect(sup.split(';')).toContain(f);
      expect(await c.ask('QStartNoAckMode')).toBe('OK');
      expect(await c.ask('qThreadExtraInfo,1')).toBe(Buffer.from('vCPU0 EL3h S').toString('hex'));
      expect(await c.ask('p20')).toBe('0000004000000000');
      expect(await c.ask('vUnknownThing')).toBe('');
      expect(await c.ask('m40000000,zz')).toMatch(/^E/);
      // vCont;r: a breakpoint inside the range stops the range step
      expect(await c.ask('Z0,40000004,4')).toBe('OK');
      c.send('vCont;r40000000,40000010:1');
      expect(await c.next()).toMatch(/^T05swbreak:;thread:1;.*20:0400004000000000;/);
      expect(await c.ask('z0,40000004,4')).toBe('OK');
      // vCont;r: range step stops when the PC leaves [start, end)
      c.send('vCont;r40000000,40000008:1');
      expect(await c.next()).toMatch(/^T05thread:1;.*20:0800004000000000;/);
      c.send('c');
      await new Promise((r) => setTimeout(r, 50));
      c.raw(Buffer.from([0x03]));
      expect(await c.next()).toMatch(/^T02thread:1;/);
      expect(m.instret).toBeGreaterThan(100);
      c.send('c');
      await new Promise((r) => setTimeout(r, 20));
      m.exit(3, 'test exit');
      expect(await c.next()).toBe('W03');
    } finally {
      c.close();
      await srv.close();
    }
  });
});

describe('gdb: a client vanishing mid-packet', () => {
  it('keeps the machine state; the next client sees the same stop', async () => {
    const m = machineWith(LOOP);
    const ref = machineWith(LOOP);
    const srv = await serve(m);
    try {
      const a = await rawClient(srv.port);
      expect(await a.ask('s')).toMatch(/^T05thread:1;/);
      ref.cpus[0].runLoop(1);
      a.raw(Buffer.from('$M40000000,4:deadbe'));
      a.close();
      await new Promise((r) => setTimeout(r, 50));
      const b = await rawClient(srv.port);
      expect(await b.ask('?')).toMatch(/^T05thread:1;.*20:0400004000000000;/);
      expect(await b.ask('m40000000,4')).toBe('a10080d2');
      b.close();
      const st = (x: Machine) => [x.cpus[0].pc, x.cpus[0].getX(1), x.cpus[0].icount];
      expect(st(m)).toEqual(st(ref));
    } finally {
      await srv.close();
    }
  });
});

describe('gdb: replies while the server busy-polls its socket', () => {
  it('a client in the same process still gets every reply (the poll window backs off); 64 KiB m replies are exact', async () => {
    const m = machineWith(LOOP);
    // pseudo-random bytes with runs in them, so run-length encoding is exercised across the reply
    const r = rng(7);
    const data = Buffer.alloc(0x10000);
    for (let i = 0; i < data.length; i++) data[i] = r() < 0.3 ? 0 : Math.floor(r() * 256);
    m.bus.loadBytes(0x40100000, data);
    const srv = await startGdbServer(m, { host: '127.0.0.1', port: 0, wait: true, pollUs: 1000 });
    try {
      const c = await rawClient(srv.port);
      expect(await c.ask('QStartNoAckMode')).toBe('OK');
      // the client can only send once the server's poll gives the event loop back
      for (let i = 0; i < 300; i++) expect(await c.ask('m40000004,4')).toBe('21040091');
      const hex = await c.ask('m40100000,10000');
      expect(Buffer.from(hex, 'hex').equals(data)).toBe(true);
      // GDB 16's binary read: offered only to a client that announces binary-upload
      expect((await c.ask('qSupported:multiprocess+;swbreak+')).split(';')).not.toContain('binary-upload+');
      expect((await c.ask('qSupported:multiprocess+;binary-upload+;swbreak+')).split(';')).toContain('binary-upload+');
      let got = Buffer.alloc(0);
      while (got.length < data.length) {
        const r = await c.askRaw(`x${(0x40100000 + got.length).toString(16)},${(data.length - got.length).toString(16)}`);
        expect(r[0]).toBe(0x62); // 'b'
        const part = unescapeBinary(r.subarray(1))!;
        expect(part.length).toBeGreaterThan(0);
        got = Buffer.concat([got, part]);
      }
      expect(got.equals(data)).toBe(true);
      expect(await c.ask('x40100000,0')).toBe('b');
      expect(await c.ask('x40100000')).toMatch(/^E/);
      expect(await c.ask('x9000000,4')).toMatch(/^E/); // MMIO is never read by the debugger
      c.close();
    } finally {
      await srv.close();
    }
  });
});

describe('gdb: the thread list after each stop', () => {
  it('follows each vCPU\'s EL and security state between reads (the reply is reused only while it reads the same)', async () => {
    const m = machineWith(LOOP, { smp: 2 });
    const srv = await serve(m);
    try {
      const c = await rawClient(srv.port);
      expect(await c.ask('QStartNoAckMode')).toBe('OK');
      const el = () => c.ask('qXfer:threads:read::0,fff');
      const first = await el();
      expect(first).toContain('>vCPU0 EL3h S</thread>');
      expect(await el()).toBe(first);
      // vCPU1 moves to EL2h non-secure (PSTATE.M = EL2h, SCR_EL3.NS = 1) while gdb is attached
      m.cpus[1].setPstate(0x3c9);
      const scr = viewRegisters()[viewRegIndex('SCR_EL3')!];
      scr.write(m.cpus[1], 1n);
      const second = await el();
      expect(second).toContain('>vCPU0 EL3h S</thread>');
      expect(second).toContain('>vCPU1 EL2h NS</thread>');
      // a page of the list at an offset is framed on its own
      expect(await c.ask('qXfer:threads:read::10,20')).toBe('m' + second.slice(1 + 0x10, 1 + 0x30));
      expect(await el()).toBe(second);
      expect(await c.ask('qXfer:threads:read::zz,10')).toMatch(/^E/);
      c.close();
    } finally {
      await srv.close();
    }
  });
});
