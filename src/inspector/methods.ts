// The inspector's JSON-RPC methods, all served by the debug core (src/debug) and the machine's
// public state. Documented in docs/inspector-protocol.md. Values of 64-bit registers and addresses
// travel as "0x..." strings (JSON numbers cannot hold them).
import type { Machine } from '../machine/machine';
import type { Board } from '../machine/board';
import type { Cpu } from '../cpu/cpu';
import { debugCoreFor, type DebugCore } from '../debug/core';
import { viewRegisters, viewRegIndex, readCore, writeCore, REG_CPSR, REG_PC, REG_SP } from '../debug/registers';
import { describeEsr, ecName } from '../cpu/exceptions';
import { HCR_BITS } from '../debug/describe';
import { debugTranslate, type MemView } from '../mmu/debug';
import { SYSREGS, R } from '../sysregs/table';
import { s2Config, walkS2, S2Res, ACC_LOOK } from '../mmu/ptw';
import { TIMERS } from '../timer/timer';
import { REGIME_NAMES } from '../mmu/regime';
import { NUM_LRS } from '../gic/cpuif';
import { RpcError, RPC_ERR, intParam, bigParam, strParam, type Method, type Params } from './rpc';
import { findSmmu, smmuState, steReport } from '../smmu/describe';

const hex = (v: bigint | number) => '0x' + v.toString(16);

export interface InspectorContext {
  machine: Machine;
  board?: Board;
  core: DebugCore;
}

function cpuOf(ctx: InspectorContext, p: Params): Cpu {
  const i = intParam(p, 'cpu', 0, 0, ctx.machine.cpus.length - 1);
  return ctx.machine.cpus[i];
}

function viewOf(p: Params): MemView {
  const v = p.view;
  if (v === undefined || v === 'va') return { kind: 'va' };
  if (v === 'pa') return { kind: 'pa' };
  if (v === 'ipa') return { kind: 'ipa', vmid: p.vmid === undefined ? undefined : intParam(p, 'vmid', 0, 0, 0xffff) };
  if (typeof v === 'object' && v !== null) {
    const o = v as Record<string, unknown>;
    if (o.kind === 'va-regime') {
      const el = intParam(o, 'el', 1, 0, 3) as 0 | 1 | 2 | 3;
      return { kind: 'va-regime', el, vmid: o.vmid === undefined ? undefined : intParam(o, 'vmid', 0, 0, 0xffff) };
    }
  }
  throw new RpcError(RPC_ERR.INVALID_PARAMS, 'view must be "va", "ipa", "pa" or {kind:"va-regime", el, vmid}');
}

function requireStopped(ctx: InspectorContext, what: string): void {
  if (ctx.core.isRunning) throw new RpcError(RPC_ERR.BAD_STATE, `${what}: pause the machine first`);
}

/** PSTATE decoded for display */
export function decodePstate(v: number) {
  const el = (v >>> 2) & 3;
  return {
    value: hex(v),
    mode: `EL${el}${v & 1 ? 'h' : 't'}`,
    nzcv: ['N', 'Z', 'C', 'V'].map((f, i) => ((v >>> (31 - i)) & 1 ? f : f.toLowerCase())).join(''),
    daif: ['D', 'A', 'I', 'F'].map((f, i) => ((v >>> (9 - i)) & 1 ? f : f.toLowerCase())).join(''),
    ss: (v >>> 21) & 1,
    il: (v >>> 20) & 1,
    pan: (v >>> 22) & 1,
  };
}

function cpuSummary(ctx: InspectorContext, c: Cpu) {
  const ps = c.getPstate();
  return {
    index: c.index,
    el: c.el,
    secure: c.isSecure(),
    mode: `EL${c.el}${c.spSel ? 'h' : 't'}`,
    pc: hex(c.pc),
    symbol: ctx.board?.symbolize(c.pc),
    pstate: decodePstate(ps),
    vmid: c.currentVmid(),
    halted: c.halted,
    off: c.off,
    icount: c.icount,
  };
}

const GROUPS = ['core', 'el1', 'el2', 'el3', 'gic', 'timer', 'id', 'debug', 'all'] as const;

function regGroupOf(name: string, group: string): string {
  if (/^IC[CHV]_/.test(name)) return 'gic';
  if (/^CNT/.test(name)) return 'timer';
  const d = SYSREGS.find((x) => x.name === name);
  if (d?.group === 'id') return 'id';
  if (d?.group === 'debug' || d?.group === 'pmu') return 'debug';
  return group;
}

/** Field decodings of the registers hypervisor engineers read most. */
function decodeFields(name: string, v: bigint): Record<string, string | number> | undefined {
  const n = Number(v & 0xffffffffn);
  switch (name) {
    case 'HCR_EL2': {
      const out: Record<string, number> = {};
      for (const [bit, f] of HCR_BITS) out[f] = Number((v >> BigInt(bit)) & 1n);
      return out;
    }
    case 'ESR_EL1':
    case 'ESR_EL2':
    case 'ESR_EL3':
      return { EC: hex((n >>> 26) & 0x3f), name: ecName((n >>> 26) & 0x3f), IL: (n >>> 25) & 1, ISS: hex(n & 0x1ffffff), decoded: describeEsr(n) };
    case 'VTCR_EL2':
      return {
        T0SZ: n & 63,
        SL0: (n >>> 6) & 3,
        IRGN0: (n >>> 8) & 3,
        ORGN0: (n >>> 10) & 3,
        SH0: (n >>> 12) & 3,
        TG0: ['4K', '64K', '16K', '?'][(n >>> 14) & 3],
        PS: (n >>> 16) & 7,
        VS: (n >>> 19) & 1,
        HA: (n >>> 21) & 1,
        HD: (n >>> 22) & 1,
        NSW: (n >>> 29) & 1,
        NSA: (n >>> 30) & 1,
        ipaBits: 64 - (n & 63),
      };
    case 'VTTBR_EL2':
    case 'VSTTBR_EL2':
      return { VMID: Number(v >> 48n), BADDR: hex(v & 0xfffffffffffen) };
    case 'SPSR_EL1':
    case 'SPSR_EL2':
    case 'SPSR_EL3':
      return decodePstate(n);
    case 'HPFAR_EL2':
      return { FIPA: hex((v >> 4n) & 0xffffffffffn), ipaPage: hex(((v >> 4n) & 0xffffffffffn) << 12n) };
    default:
      return undefined;
  }
}

function readRegisters(ctx: InspectorContext, c: Cpu, group: string) {
  const out: { name: string; value: string; group: string; desc?: string; fields?: unknown }[] = [];
  if (group === 'core' || group === 'all') {
    for (let i = 0; i < 31; i++) out.push({ name: `x${i}`, value: hex(readCore(c, i)), group: 'core' });
    out.push({ name: 'sp', value: hex(readCore(c, REG_SP)), group: 'core' });
    out.push({ name: 'pc', value: hex(readCore(c, REG_PC)), group: 'core' });
    out.push({ name: 'cpsr', value: hex(readCore(c, REG_CPSR)), group: 'core', fields: decodePstate(c.getPstate()) });
    if (group === 'core') return out;
  }
  for (const r of viewRegisters()) {
    const g = regGroupOf(r.name, r.group);
    if (group !== 'all' && g !== group) continue;
    const v = r.read(c);
    out.push({ name: r.name, value: hex(v), group: g, desc: r.desc, fields: decodeFields(r.name, v) });
  }
  return out;
}

function writeRegister(c: Cpu, name: string, v: bigint): void {
  const core = /^x(\d+)$/i.exec(name);
  let ok: boolean;
  if (core && Number(core[1]) < 31) ok = writeCore(c, Number(core[1]), v);
  else if (/^sp$/i.test(name)) ok = writeCore(c, REG_SP, v);
  else if (/^pc$/i.test(name)) ok = writeCore(c, REG_PC, v);
  else if (/^(cpsr|pstate)$/i.test(name)) ok = writeCore(c, REG_CPSR, v);
  else {
    const i = viewRegIndex(name);
    if (i === undefined) throw new RpcError(RPC_ERR.INVALID_PARAMS, `no register ${name}`);
    ok = viewRegisters()[i].write(c, v);
  }
  if (!ok) throw new RpcError(RPC_ERR.BAD_STATE, `${name} cannot be written`);
}

function hexBytes(b: Uint8Array): string {
  return Buffer.from(b).toString('hex');
}

/** Stage-2 map of the VM currently configured in VTTBR_EL2: merged IPA ranges with their PA and
 * permissions, found with the MMU's own stage-2 walker (walkS2, no side effects). */
export function stage2Map(c: Cpu, maxRanges = 4096) {
  const cfg = s2Config(c, false);
  const ranges: { ipa: string; pa: string; size: string; perm: string; attr: number; level: number }[] = [];
  if (cfg.bad) return { vmid: cfg.vmid, ipaBits: cfg.inputsize, enabled: false, ranges, note: 'VTCR_EL2 configuration is not valid' };
  const res = new S2Res();
  const limit = Math.pow(2, cfg.inputsize);
  const stride = cfg.g - 3;
  let ipa = 0;
  let cur: { ipa: number; pa: number; size: number; perm: number; attr: number; level: number } | null = null;
  const flush = () => {
    if (!cur) return;
    const p = cur.perm;
    ranges.push({ ipa: hex(cur.ipa), pa: hex(cur.pa), size: hex(cur.size), perm: `${p & 1 ? 'R' : '-'}${p & 2 ? 'W' : '-'}${p & 4 ? 'X' : '-'}`, attr: cur.attr, level: cur.level });
    cur = null;
  };
  let iterations = 0;
  while (ipa < limit && ranges.length < maxRanges && iterations++ < 1_000_000) {
    if (walkS2(c, cfg, ipa, ACC_LOOK, { update: false }, res)) {
      const size = Math.pow(2, res.sizeLog2);
      const base = ipa - (ipa % size);
      const pa = res.pa - (ipa - base);
      if (cur && cur.ipa + cur.size === base && cur.pa + cur.size === pa && cur.perm === res.perm && cur.attr === res.memAttr) cur.size += size;
      else {
        flush();
        cur = { ipa: base, pa, size, perm: res.perm, attr: res.memAttr, level: res.level };
      }
      ipa = base + size;
    } else {
      flush();
      // skip the whole region the faulting entry covers
      const lvl = Math.max(res.level, cfg.startLevel);
      const span = Math.pow(2, cfg.g + (3 - lvl) * stride);
      ipa = ipa - (ipa % span) + span;
    }
  }
  flush();
  return { vmid: cfg.vmid, ipaBits: cfg.inputsize, enabled: (c.hcrLo() & 1) === 1, ranges };
}

function gicState(ctx: InspectorContext) {
  const g = ctx.machine.gic;
  if (!g) return { present: false };
  const irqList = (bank: typeof g.spi, from: number, to: number, cpu?: number) => {
    const out: unknown[] = [];
    for (let i = from; i < to; i++) {
      if (!bank.enabled[i] && !bank.isPending(i) && !bank.active[i]) continue;
      out.push({ intid: i, enabled: !!bank.enabled[i], pending: bank.isPending(i), active: !!bank.active[i], group: g.groupOf(bank, i), priority: hex(bank.prio[i]), edge: !!bank.edge[i], target: cpu ?? g.spiTarget(i) });
    }
    return out;
  };
  return {
    present: true,
    distributor: { ctlr: hex(g.ctlr), security: g.security, spis: irqList(g.spi, 32, g.nIrq) },
    redistributors: g.priv.map((b, i) => ({ cpu: i, asleep: !!g.sleep[i], private: irqList(b, 0, 32, i) })),
    cpuInterfaces: g.cpuif.map((f, i) => ({
      cpu: i,
      pmr: hex(f.pmr),
      rpr: hex(f.rpr()),
      igrpen0: f.igrpen0,
      igrpen1: f.igrpen1,
      eoiMode: (f.ctlr >>> 1) & 1,
      // two security states (GICD_CTLR.DS = 0): the Secure copies; igrpen1/eoiMode above are Non-secure
      ...(g.security ? { igrpen1S: f.igrpen1S, eoiModeS: (f.ctlrS >>> 1) & 1, eoiModeEl3: f.eoiModeEl3 } : {}),
      ichHcr: hex(f.hcr),
      ichVmcr: hex(f.vmcr),
      ichMisr: hex(f.misr()),
      ichEisr: hex(f.eisr()),
      ichElrsr: hex(f.elrsr()),
      vrpr: hex(f.vrpr()),
      listRegisters: [...Array(NUM_LRS).keys()].map((n) => {
        const hi = f.lrHi[n];
        return {
          lr: n,
          value: hex((BigInt(hi) << 32n) | BigInt(f.lrLo[n])),
          state: ['invalid', 'pending', 'active', 'pending+active'][hi >>> 30],
          hw: (hi >>> 29) & 1,
          group: (hi >>> 28) & 1,
          priority: hex((hi >>> 16) & 0xff),
          pINTID: hi & 0x1fff,
          vINTID: f.lrLo[n],
        };
      }),
      lines: { irq: ctx.machine.cpus[i].irqLine, fiq: ctx.machine.cpus[i].fiqLine, virq: ctx.machine.cpus[i].virqLine, vfiq: ctx.machine.cpus[i].vfiqLine },
    })),
  };
}

function timerState(ctx: InspectorContext, c: Cpu) {
  const t = c.timers;
  const cntpct = t ? t.cntpct() : 0n;
  return {
    cpu: c.index,
    frequency: 62_500_000,
    cntpct: hex(cntpct),
    cntvoff: hex(c.sysGet(R.CNTVOFF_EL2)),
    cntvct: hex((cntpct - c.sysGet(R.CNTVOFF_EL2)) & 0xffffffffffffffffn),
    cnthctl: hex(c.sysGet(R.CNTHCTL_EL2)),
    cntkctl: hex(c.sysGet(R.CNTKCTL_EL1)),
    nextDeadline: t ? (Number.isFinite(t.nextDeadline()) ? hex(BigInt(t.nextDeadline())) : null) : null,
    timers: t
      ? TIMERS.map((d, i) => ({
          name: d.name,
          intid: d.intid,
          ctl: hex(t.readCtl(i)),
          enabled: (t.readCtl(i) & 1) === 1,
          masked: (t.readCtl(i) & 2) === 2,
          istatus: (t.readCtl(i) & 4) === 4,
          cval: hex(c.sysGet(R[d.cval])),
          tval: t.readTval(i) | 0,
          output: !!t.out[i],
        }))
      : [],
  };
}


function tlbState(c: Cpu) {
  // The architectural TLB of the MMU (combined stage 1 + stage 2 entries tagged by regime, VMID, ASID)
  const xl = c.translator as unknown as { entries?: () => import('../mmu/mmu').TlbEntry[] };
  const arch = (xl.entries?.() ?? [])
    .filter((e) => !e.dead)
    .slice(0, 1024)
    .map((e) => ({
      regime: REGIME_NAMES[e.regime as number] ?? String(e.regime),
      secure: e.secure,
      vmid: e.vmid,
      asid: e.asid < 0 ? 'global' : e.asid,
      va: hex(BigInt(e.vpn) * 4096n),
      size: hex(4096n << BigInt(e.np)),
      ipa: e.s2on ? hex(BigInt(e.ipa)) : undefined,
      pa: hex(BigInt(e.pa)),
      perm: e.perm,
      attr: hex(e.attr),
    }));
  // and the fast-path cache in front of it
  const t = c.tlb;
  const out: unknown[] = [];
  for (let i = 0; i < t.tagLo.length && out.length < 512; i++) {
    if (t.tagLo[i] === -1 && t.tagHi[i] === -1) continue;
    if (t.rd[i] < 0 && t.wr[i] < 0) continue;
    const vpnLo = t.tagLo[i] >>> 0;
    const hiBits = t.tagHi[i] >>> 0;
    const va = ((BigInt(hiBits & 0xfffff) << 44n) | (BigInt(vpnLo) << 12n)) & 0xfffffffffffff000n;
    out.push({ va: hex(va), pa: hex(BigInt(t.paPage[i]) * 4096n), ctx: hiBits >>> 20, read: t.rd[i] >= 0, write: t.wr[i] >= 0 });
  }
  return { cpu: c.index, context: c.ctxTag >>> 20, vmid: c.currentVmid(), entries: arch, fast: out };
}

/** Build the method table. */
export function makeMethods(ctx: InspectorContext): Map<string, Method> {
  const { machine, core } = ctx;
  const m = new Map<string, Method>();
  m.set('machine.info', () => ({
    cpus: machine.cpus.length,
    running: core.isRunning,
    exited: machine.exited,
    instret: machine.instret,
    ticks: machine.ticks,
    lastStop: core.lastStop,
    regions: machine.bus.mappedRegions.map((r) => ({ base: hex(r.base), size: hex(r.size), name: r.device.name })),
    ram: { base: hex(machine.bus.ramBase), size: hex(machine.bus.ramSize) },
    entry: ctx.board ? hex(ctx.board.entry) : undefined,
  }));
  m.set('machine.pause', () => {
    core.pause();
    return null;
  });
  m.set('machine.resume', () => {
    if (machine.exited) throw new RpcError(RPC_ERR.BAD_STATE, 'the machine has exited');
    core.continue();
    return null;
  });
  m.set('machine.step', (p) => {
    requireStopped(ctx, 'step');
    const c = cpuOf(ctx, p);
    const n = intParam(p, 'count', 1, 1, 1_000_000);
    // n instructions of one vCPU without debug stops between them (breakpoints still stop it)
    let done = 0;
    while (done < n && !machine.exited) {
      const k = c.runLoop(1);
      done++;
      if (c.debugStop || k === 0) break;
    }
    return cpuSummary(ctx, c);
  });
  m.set('machine.reset', () => {
    requireStopped(ctx, 'reset');
    if (!ctx.board) throw new RpcError(RPC_ERR.BAD_STATE, 'reset needs a board');
    ctx.board.reset();
    return null;
  });
  m.set('cpu.list', () => machine.cpus.map((c) => cpuSummary(ctx, c)));
  m.set('registers.read', (p) => {
    const c = cpuOf(ctx, p);
    const group = strParam(p, 'group', GROUPS, 'core');
    return readRegisters(ctx, c, group);
  });
  m.set('registers.write', (p) => {
    requireStopped(ctx, 'registers.write');
    const c = cpuOf(ctx, p);
    writeRegister(c, strParam(p, 'name'), bigParam(p, 'value'));
    return null;
  });
  m.set('memory.read', (p) => {
    const c = cpuOf(ctx, p);
    const addr = bigParam(p, 'addr');
    const len = intParam(p, 'len', 64, 1, 1 << 20);
    const data = core.readMemory(c.index, addr, len, viewOf(p));
    if (!data) throw new RpcError(RPC_ERR.FAULT, `cannot read ${len} bytes at ${hex(addr)} (unmapped, MMIO, or translation fault)`);
    return { addr: hex(addr), data: hexBytes(data) };
  });
  m.set('memory.write', (p) => {
    requireStopped(ctx, 'memory.write');
    const c = cpuOf(ctx, p);
    const addr = bigParam(p, 'addr');
    const d = strParam(p, 'data');
    if (!/^([0-9a-f]{2})+$/i.test(d)) throw new RpcError(RPC_ERR.INVALID_PARAMS, 'data must be hex bytes');
    if (!core.writeMemory(c.index, addr, new Uint8Array(Buffer.from(d, 'hex')), viewOf(p)))
      throw new RpcError(RPC_ERR.FAULT, `cannot write at ${hex(addr)}`);
    return null;
  });
  m.set('translate', (p) => {
    const c = cpuOf(ctx, p);
    return debugTranslate(c, bigParam(p, 'addr'), viewOf(p));
  });
  m.set('tlb.read', (p) => tlbState(cpuOf(ctx, p)));
  m.set('stage2.map', (p) => stage2Map(cpuOf(ctx, p)));
  m.set('gic.state', () => gicState(ctx));
  m.set('timers.state', (p) => timerState(ctx, cpuOf(ctx, p)));
  m.set('el2.state', (p) => {
    const c = cpuOf(ctx, p);
    const regs: Record<string, unknown> = {};
    for (const n of ['HCR_EL2', 'VTTBR_EL2', 'VTCR_EL2', 'ESR_EL2', 'FAR_EL2', 'HPFAR_EL2', 'ELR_EL2', 'SPSR_EL2', 'VBAR_EL2', 'SCTLR_EL2', 'CPTR_EL2', 'MDCR_EL2', 'CNTHCTL_EL2', 'CNTVOFF_EL2', 'VPIDR_EL2', 'VMPIDR_EL2']) {
      const i = viewRegIndex(n);
      if (i === undefined) continue;
      const v = viewRegisters()[i].read(c);
      regs[n] = { value: hex(v), fields: decodeFields(n, v) };
    }
    return { cpu: c.index, registers: regs };
  });
  m.set('breakpoints.list', () => ({ breakpoints: [...core.breakpoints.values()], watchpoints: [...core.watchpoints.values()] }));
  m.set('breakpoints.add', (p) => {
    const type = strParam(p, 'type', ['sw', 'hw'], 'hw') as 'sw' | 'hw';
    const b = core.addBreakpoint({
      type,
      addr: bigParam(p, 'addr'),
      physical: p.physical === true,
      el: p.el === undefined ? undefined : intParam(p, 'el', 0, 0, 3),
      vmid: p.vmid === undefined ? undefined : intParam(p, 'vmid', 0, 0, 0xffff),
      owner: 'inspector',
    });
    return b;
  });
  m.set('breakpoints.remove', (p) => {
    const id = intParam(p, 'id');
    return { removed: core.removeBreakpoint((b) => b.id === id) + core.removeWatchpoint((w) => w.id === id) };
  });
  m.set('watchpoints.add', (p) => {
    const kind = strParam(p, 'kind', ['write', 'read', 'access'], 'write') as 'write' | 'read' | 'access';
    return core.addWatchpoint({ kind, addr: bigParam(p, 'addr'), len: intParam(p, 'len', 4, 1, 4096), physical: p.physical === true, owner: 'inspector' });
  });
  // `ecs`: the union of the per-EL filters (catch.set gives every EL the same one); `byEl` each EL's
  const catchState = () => {
    const k = core.catches;
    const union = new Set<number>();
    const byEl: Record<string, number[]> = {};
    for (const e of k.els) {
      const f = [...(k.ecs.get(e) ?? [])];
      byEl[e] = f;
      for (const x of f) union.add(x);
    }
    return { els: [...k.els], irq: k.irq, ecs: [...union], eret: k.eret, byEl };
  };
  m.set('catch.get', catchState);
  m.set('catch.set', (p) => {
    const arr = (name: string, max: number): number[] => {
      const v = p[name];
      if (v === undefined) return [];
      if (!Array.isArray(v) || !v.every((x) => Number.isInteger(x) && x >= 0 && x <= max)) throw new RpcError(RPC_ERR.INVALID_PARAMS, `${name} must be an array of integers <= ${max}`);
      return v as number[];
    };
    core.setCatch(arr('els', 3), p.irq === true, arr('ecs', 0x3f));
    core.catches.eret = p.eret === true;
    return catchState();
  });
  m.set('trapLog.read', (p) => {
    const n = intParam(p, 'n', 64, 1, 1024);
    const ec = p.ec === undefined ? undefined : intParam(p, 'ec', 0, 0, 0x3f);
    const vmid = p.vmid === undefined ? undefined : intParam(p, 'vmid', 0, 0, 0xffff);
    return core
      .traps(1024)
      .filter((e) => (ec === undefined || ((e.esr >>> 26) & 0x3f) === ec) && (vmid === undefined || e.vmid === vmid))
      .slice(-n)
      .map(trapEntryJson(ctx));
  });
  m.set('uart.send', (p) => {
    const data = strParam(p, 'data');
    const u = ctx.board?.uart as unknown as { receive?: (b: Uint8Array) => void } | undefined;
    if (!u?.receive) throw new RpcError(RPC_ERR.BAD_STATE, 'no UART input on this machine');
    u.receive(new TextEncoder().encode(data));
    return null;
  });
  m.set('smmu.state', (p) => {
    const s = findSmmu(machine);
    if (!s) throw new RpcError(RPC_ERR.BAD_STATE, 'no SMMU on this machine');
    const st = smmuState(s);
    return p.sid === undefined ? st : { ...st, ste: steReport(s, intParam(p, 'sid', 0, 0, 0xffff)) };
  });
  m.set('smmu.translate', (p) => {
    const s = findSmmu(machine);
    if (!s) throw new RpcError(RPC_ERR.BAD_STATE, 'no SMMU on this machine');
    const addr = bigParam(p, 'addr');
    if (addr >= 1n << 48n) throw new RpcError(RPC_ERR.INVALID_PARAMS, 'addr must be below 2^48');
    const r = s.debugTranslate(intParam(p, 'sid', 0, 0, 0xffff), Number(addr), p.write === true);
    return {
      ...r,
      addr: hex(r.addr),
      pa: r.pa === undefined ? undefined : hex(r.pa),
      ipa: r.ipa === undefined ? undefined : hex(r.ipa),
      steAddr: r.steAddr === undefined ? undefined : hex(r.steAddr),
      cdAddr: r.cdAddr === undefined ? undefined : hex(r.cdAddr),
      steps: r.steps.map((st) => ({ stage: st.stage, level: st.level, tableAddr: hex(st.tableAddr), descriptor: hex(st.descriptor), output: hex(st.output), note: st.note })),
    };
  });
  m.set('symbols.lookup', (p) => {
    if (!ctx.board) return null;
    if (typeof p.name === 'string') {
      const a = ctx.board.symbols.get(p.name);
      return a === undefined ? null : { name: p.name, addr: hex(a) };
    }
    const a = bigParam(p, 'addr');
    return { addr: hex(a), symbol: ctx.board.symbolize(a) ?? null };
  });
  return m;
}

export function trapEntryJson(ctx: InspectorContext) {
  return (e: ReturnType<DebugCore['traps']>[number]) => ({
    seq: e.seq,
    cpu: e.cpu,
    icount: e.icount,
    from: e.fromEl,
    to: e.toEl,
    kind: e.kind,
    esr: hex(e.esr),
    ec: (e.esr >>> 26) & 0x3f,
    ecName: e.kind === 'sync' || e.kind === 'serror' ? ecName((e.esr >>> 26) & 0x3f) : e.kind.toUpperCase(),
    decoded: e.kind === 'sync' || e.kind === 'serror' ? describeEsr(e.esr) : e.kind,
    far: e.far === undefined ? undefined : hex(e.far),
    hpfar: e.hpfar === undefined ? undefined : hex(e.hpfar),
    ipa: e.hpfar === undefined ? undefined : hex(((e.hpfar >> 4n) << 12n) | ((e.far ?? 0n) & 0xfffn)),
    elr: hex(e.elr),
    symbol: ctx.board?.symbolize(e.elr),
    vmid: e.vmid,
  });
}

export { debugCoreFor };
