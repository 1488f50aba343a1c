// The SMMU for debuggers: registers and queues decoded, the stream table and each STE/CD decoded,
// the event log and the records waiting in the event queue, the TLB, and translate(stream, address)
// with the walk step by step. Used by `monitor smmu ...` (src/gdb/monitor.ts) and the inspector's
// smmu.state / smmu.translate (src/inspector/methods.ts). Reads only: nothing here changes the SMMU.
import type { Machine } from '../machine/machine';
import { Smmu, CMD_NAMES, EVT_NAMES, CLASS_NAMES, REG, type SmmuEvent, type SmmuTranslateReport, type StreamConfig } from './smmu';
import { decodeSte, decodeCd, steIllegal, cdIllegal, STE_CONFIG_NAMES, type Ste, type Cd } from './config';

const hx = (v: number | bigint) => '0x' + v.toString(16);
const P32 = 4294967296;

/** The SMMU mapped on this machine's bus, if any. */
export function findSmmu(m: Machine): Smmu | undefined {
  for (const r of m.bus.mappedRegions) if (r.device instanceof Smmu) return r.device;
  return undefined;
}

function flags(v: number, names: [number, string][]): string {
  const on = names.filter(([b]) => v & (1 << b)).map(([, n]) => n);
  return on.length ? on.join('|') : '-';
}

export function registerSummary(s: Smmu) {
  const q = (base: number[], prod: number, cons: number) => ({
    base: hx((base[1] & 0xfffff) * P32 + ((base[0] & ~31) >>> 0)),
    log2size: base[0] & 31,
    prod: hx(prod),
    cons: hx(cons),
  });
  return {
    CR0: `${hx(s.cr0)} ${flags(s.cr0, [[0, 'SMMUEN'], [1, 'PRIQEN'], [2, 'EVENTQEN'], [3, 'CMDQEN']])}`,
    CR2: `${hx(s.cr2)} ${flags(s.cr2, [[0, 'E2H'], [1, 'RECINVSID'], [2, 'PTM']])}`,
    GBPA: `${hx(s.gbpa)}${s.gbpa & (1 << 20) ? ' ABORT' : ' bypass'}`,
    IRQ_CTRL: `${hx(s.irqCtrl)} ${flags(s.irqCtrl, [[0, 'GERROR'], [1, 'PRIQ'], [2, 'EVENTQ']])}`,
    GERROR: `${hx(s.gerror)} active ${flags((s.gerror ^ s.gerrorn) >>> 0, [[0, 'CMDQ_ERR'], [2, 'EVENTQ_ABT_ERR'], [4, 'MSI_CMDQ_ABT_ERR'], [5, 'MSI_EVENTQ_ABT_ERR'], [7, 'MSI_GERROR_ABT_ERR'], [8, 'SFM_ERR']])}`,
    STRTAB: {
      base: hx((s.strtabBase[1] & 0xfffff) * P32 + (s.strtabBase[0] >>> 0)),
      fmt: (s.strtabCfg >>> 16) & 3 ? '2-level' : 'linear',
      log2size: s.strtabCfg & 63,
      split: (s.strtabCfg >>> 6) & 31,
    },
    CMDQ: { ...q(s.cmdqBase, s.cmdqProd, s.cmdqCons), err: s.cmdqErr },
    EVENTQ: q(s.evtqBase, s.evtqProd, s.evtqCons),
    overflow: ((s.evtqProd ^ s.evtqCons) >>> 31) === 1,
  };
}

/** STE fields by name (IHI 0070 5.2) */
export function steFields(t: Ste) {
  return {
    V: t.v ? 1 : 0,
    Config: `${t.config} (${STE_CONFIG_NAMES[t.config] ?? 'reserved'})`,
    S1ContextPtr: hx(t.s1ContextPtr),
    S1Fmt: t.s1Fmt,
    S1CDMax: t.s1CdMax,
    STRW: ['NS-EL1', 'reserved', 'EL2', 'reserved'][t.strw],
    PRIVCFG: ['incoming', 'reserved', 'unprivileged', 'privileged'][t.privCfg],
    S2VMID: t.s2Vmid,
    S2T0SZ: t.s2T0sz,
    S2SL0: t.s2Sl0,
    S2TG: ['4K', '64K', '16K', 'reserved'][t.s2Tg],
    S2PS: t.s2Ps,
    S2AA64: t.s2Aa64,
    S2AFFD: t.s2Affd,
    S2PTW: t.s2Ptw,
    S2S: t.s2S,
    S2R: t.s2R,
    S2TTB: hx(t.s2Ttb),
    words: t.words.map((w) => hx(w)),
  };
}

export function cdFields(d: Cd) {
  return {
    V: d.v ? 1 : 0,
    T0SZ: d.t0sz,
    TG0: ['4K', '64K', '16K', 'reserved'][d.tg0],
    EPD0: d.epd0,
    T1SZ: d.t1sz,
    EPD1: d.epd1,
    IPS: d.ips,
    AA64: d.aa64,
    R: d.r,
    A: d.a,
    S: d.s,
    ASID: d.asid,
    TTB0: hx(d.ttb0),
    TTB1: hx(d.ttb1),
    MAIR: hx(d.mair),
  };
}

export interface SteReport {
  sid: number;
  steAddr?: number;
  error?: string;
  ste?: ReturnType<typeof steFields>;
  illegal?: string | null;
  cd?: ReturnType<typeof cdFields>;
  cdAddr?: number;
  cdIllegal?: string | null;
  cached: boolean;
  staleCache: boolean;
}

/** One stream's STE (and CD) as in memory, plus whether the SMMU caches (a different) one. */
export function steReport(s: Smmu, sid: number): SteReport {
  const cached = s.configCache.get(sid);
  const rep: SteReport = { sid, cached: !!cached, staleCache: false };
  const a = s.steAddress(sid);
  if (typeof a !== 'number') {
    rep.error = `${EVT_NAMES[a.type]}: ${a.note}`;
    return rep;
  }
  rep.steAddr = a;
  const w: bigint[] = [];
  for (let i = 0; i < 8; i++) {
    const lo = s.bus.read(a + 8 * i, 4);
    const hi = s.bus.read(a + 8 * i + 4, 4);
    if (lo === undefined || hi === undefined) {
      rep.error = `F_STE_FETCH: STE at ${hx(a)} is not readable`;
      return rep;
    }
    w.push((BigInt(hi) << 32n) | BigInt(lo));
  }
  const ste = decodeSte(w);
  rep.ste = steFields(ste);
  rep.illegal = steIllegal(ste);
  if (cached) rep.staleCache = cached.ste.words.some((x, i) => x !== w[i]);
  const full = s.fetchConfig(sid);
  if ('ste' in full && full.cd) {
    rep.cd = cdFields(full.cd);
    rep.cdAddr = full.cdAddr;
    rep.cdIllegal = cdIllegal(full.cd);
  } else if (!('ste' in full) && full.type !== 0x04) rep.cdIllegal = `${EVT_NAMES[full.type]}: ${full.note}`;
  return rep;
}

export function formatSte(r: SteReport): string {
  let out = `StreamID ${r.sid}${r.steAddr !== undefined ? ` STE @PA ${hx(r.steAddr)}` : ''}\n`;
  if (r.error) return out + `  ${r.error}\n`;
  const f = r.ste!;
  out += `  V=${f.V} Config=${f.Config} STRW=${f.STRW} PRIVCFG=${f.PRIVCFG}\n`;
  if (f.Config.includes('stage 2'))
    out += `  S2VMID=${f.S2VMID} S2T0SZ=${f.S2T0SZ} (${64 - f.S2T0SZ}-bit IPA) S2SL0=${f.S2SL0} S2TG=${f.S2TG} S2PS=${f.S2PS} S2AA64=${f.S2AA64} S2AFFD=${f.S2AFFD} S2PTW=${f.S2PTW} S2S=${f.S2S} S2R=${f.S2R} S2TTB=${f.S2TTB}\n`;
  if (f.Config.includes('stage 1')) out += `  S1ContextPtr=${f.S1ContextPtr} S1Fmt=${f.S1Fmt} S1CDMax=${f.S1CDMax}\n`;
  if (r.illegal) out += `  ILLEGAL (C_BAD_STE): ${r.illegal}\n`;
  if (r.cd) {
    const c = r.cd;
    out += `  CD @PA ${hx(r.cdAddr ?? 0)}: V=${c.V} ASID=${c.ASID} TTB0=${c.TTB0} T0SZ=${c.T0SZ} TG0=${c.TG0} EPD1=${c.EPD1} IPS=${c.IPS} AA64=${c.AA64} R=${c.R} MAIR=${c.MAIR}\n`;
    if (r.cdIllegal) out += `  ILLEGAL (C_BAD_CD): ${r.cdIllegal}\n`;
  } else if (r.cdIllegal) out += `  CD: ${r.cdIllegal}\n`;
  out += `  words: ${f.words.join(' ')}\n`;
  out += r.cached ? (r.staleCache ? '  cached: YES, an OLDER copy (memory changed without CFGI_STE)\n' : '  cached: yes\n') : '  cached: no\n';
  return out;
}

export function eventJson(e: SmmuEvent) {
  return {
    seq: e.seq,
    type: hx(e.type),
    name: e.name,
    sid: e.sid,
    rnw: e.rnw,
    s2: e.s2,
    class: e.cls === undefined ? undefined : CLASS_NAMES[e.cls],
    inputAddr: e.inputAddr === undefined ? undefined : hx(e.inputAddr),
    ipa: e.ipa === undefined ? undefined : hx(e.ipa),
    fetchAddr: e.fetchAddr === undefined ? undefined : hx(e.fetchAddr),
    note: e.note,
    queued: e.queued,
    why: e.why,
    record: e.words.map((w) => hx(w >>> 0)),
  };
}

export function formatEvent(e: SmmuEvent): string {
  const parts = [`#${e.seq} ${e.name} (${hx(e.type)}) StreamID ${e.sid}`];
  if (e.rnw !== undefined) parts.push(e.rnw ? 'read' : 'write');
  if (e.s2 !== undefined) parts.push(e.s2 ? 'S2' : 'S1');
  if (e.cls !== undefined) parts.push(`Class ${CLASS_NAMES[e.cls]}`);
  if (e.inputAddr !== undefined) parts.push(`InputAddr ${hx(e.inputAddr)}`);
  if (e.ipa !== undefined) parts.push(`IPA ${hx(e.ipa)}`);
  if (e.fetchAddr !== undefined) parts.push(`FetchAddr ${hx(e.fetchAddr)}`);
  return `${parts.join(' ')}\n    ${e.note}${e.queued ? '' : ` [${e.why ?? 'not queued'}]`}\n`;
}

/** Decode a raw event record (what sits in the queue). */
export function formatRecord(w: number[]): string {
  const type = w[0] & 0xff;
  const input = (w[5] >>> 0) * P32 + (w[4] >>> 0);
  const ipa = (w[7] & 0xfffff) * P32 + ((w[6] & ~0xfff) >>> 0);
  return `${EVT_NAMES[type] ?? hx(type)} StreamID ${w[1] >>> 0} ${(w[3] >>> 3) & 1 ? 'read' : 'write'} S2=${(w[3] >>> 7) & 1} Class ${CLASS_NAMES[(w[3] >>> 8) & 3]} InputAddr ${hx(input)} IPA ${hx(ipa)}`;
}

export function formatEvents(s: Smmu, n = 16): string {
  let out = '';
  const pend = s.pendingEventRecords();
  const r = registerSummary(s);
  out += `event queue: base ${r.EVENTQ.base} log2size ${r.EVENTQ.log2size} PROD ${r.EVENTQ.prod} CONS ${r.EVENTQ.cons}${r.overflow ? ' OVERFLOWED' : ''}, ${pend.length} record(s) not consumed\n`;
  for (const p of pend) out += `  [${p.index}] ${formatRecord(p.words)}\n`;
  const log = s.eventLog.slice(-n);
  out += log.length ? `last ${log.length} event(s) generated:\n` : 'no events generated\n';
  for (const e of log) out += '  ' + formatEvent(e);
  return out;
}

export function formatTranslate(r: SmmuTranslateReport): string {
  let out = `smmu translate StreamID ${r.sid} ${hx(r.addr)} (${r.write ? 'write' : 'read'}):\n`;
  if (r.config) out += `  config: ${r.config}${r.vmid !== undefined ? ` VMID ${r.vmid}` : ''}${r.asid !== undefined ? ` ASID ${r.asid}` : ''}\n`;
  if (r.steAddr !== undefined) out += `  STE @PA ${hx(r.steAddr)}${r.cdAddr !== undefined ? `, CD @PA ${hx(r.cdAddr)}` : ''}\n`;
  for (const n of r.notes) out += `  note: ${n}\n`;
  if (r.tlb) out += `  ${r.tlb}\n`;
  for (const st of r.steps) out += `  S${st.stage} L${st.level} desc@${hx(st.tableAddr)} = ${hx(st.descriptor).padEnd(18)} -> ${hx(st.output)} ${st.note}\n`;
  if (r.ok) out += `  => ${r.ipa !== undefined ? `IPA ${hx(r.ipa)} ` : ''}PA ${hx(r.pa ?? 0)}\n`;
  else {
    const f = r.fault ?? 'terminated';
    const ipa = r.ipa !== undefined && !f.includes(`IPA ${hx(r.ipa)}`) ? ` (IPA ${hx(r.ipa)})` : '';
    out += `  => ${r.event ? r.event + ': ' : ''}${f}${ipa}\n`;
  }
  return out;
}

/** Valid STEs of the stream table (the first `max` StreamIDs and every cached one). */
export function streamList(s: Smmu, max = 256): { sid: number; config: string; vmid?: number; cached: boolean }[] {
  const out: { sid: number; config: string; vmid?: number; cached: boolean }[] = [];
  const lim = Math.min(2 ** Math.min(s.strtabCfg & 63, 16), max);
  const sids = new Set<number>([...Array(lim).keys(), ...s.configCache.keys()]);
  for (const sid of [...sids].sort((a, b) => a - b)) {
    const a = s.steAddress(sid);
    if (typeof a !== 'number') continue;
    const lo = s.bus.read(a, 4);
    if (lo === undefined || !(lo & 1)) continue;
    const hi2 = s.bus.read(a + 16, 4) ?? 0;
    const cfg = (lo >>> 1) & 7;
    out.push({ sid, config: STE_CONFIG_NAMES[cfg] ?? 'reserved', vmid: cfg & 2 ? hi2 & 0xffff : undefined, cached: s.configCache.has(sid) });
  }
  return out;
}

export function smmuState(s: Smmu) {
  return {
    registers: registerSummary(s),
    streams: streamList(s),
    events: s.eventLog.slice(-64).map(eventJson),
    pendingRecords: s.pendingEventRecords().map((p) => ({ index: p.index, text: formatRecord(p.words) })),
    tlb: s.tlb.entries().slice(0, 256).map((e) => ({
      sid: e.sid,
      world: e.world === 0 ? 'NS-EL1' : 'EL2',
      vmid: e.vmid,
      asid: e.asid,
      global: e.global,
      input: hx(e.inBase),
      size: hx(e.size),
      ipa: e.s2 ? hx(e.ipaBase) : undefined,
      pa: hx(e.paBase),
      read: e.read,
      write: e.write,
    })),
    commands: s.cmdLog.slice(-32).map((c) => ({ seq: c.seq, name: c.name, text: c.text })),
  };
}

export function formatState(s: Smmu): string {
  const r = registerSummary(s);
  let out = `SMMUv3 @0x9050000: CR0 ${r.CR0}; GBPA ${r.GBPA}; IRQ_CTRL ${r.IRQ_CTRL}; GERROR ${r.GERROR}\n`;
  out += `  stream table ${r.STRTAB.fmt} @${r.STRTAB.base} LOG2SIZE ${r.STRTAB.log2size}${r.STRTAB.fmt === '2-level' ? ` SPLIT ${r.STRTAB.split}` : ''}\n`;
  out += `  CMDQ @${r.CMDQ.base} log2size ${r.CMDQ.log2size} PROD ${r.CMDQ.prod} CONS ${r.CMDQ.cons}${r.CMDQ.err ? ` ERR ${r.CMDQ.err}` : ''}\n`;
  out += `  EVENTQ @${r.EVENTQ.base} log2size ${r.EVENTQ.log2size} PROD ${r.EVENTQ.prod} CONS ${r.EVENTQ.cons}\n`;
  const st = streamList(s);
  out += st.length ? '  streams:\n' : '  no valid STEs\n';
  for (const x of st) out += `    ${x.sid}: ${x.config}${x.vmid !== undefined ? ` VMID ${x.vmid}` : ''}${x.cached ? ' (cached)' : ''}\n`;
  out += `  TLB: ${s.tlb.entries().length} entries; ${s.eventLog.length} events logged; last commands: ${s.cmdLog.slice(-4).map((c) => c.name.replace('CMD_', '')).join(', ') || 'none'}\n`;
  return out;
}

export { CMD_NAMES, REG, decodeCd, type StreamConfig };
