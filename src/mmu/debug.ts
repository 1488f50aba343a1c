// Debugger access to translation: translate or walk an address in any view without touching the
// TLB contents the guest sees (no TLB lookups or fills, no Access flag / dirty updates). Owned by the
// MMU work; used by src/debug (GDB, inspector).
import type { Cpu } from '../cpu/cpu';
import { MmuTranslator, XRes, type XReq } from './mmu';
import { IX, Regime, REGIME_NAMES, currentRegime, regimeSecure, s2Enabled, rhi, rlo, HCRH_E2H, HCR_TGE } from './regime';
import { ACC_LOOK, walkS2, s2Config, S2Res, Perm, S2Perm } from './ptw';
import { describeAttr, describeSh, s2MemAttrToByte } from './attrs';

export type MemView =
  | { kind: 'va' } // current regime of the CPU
  | { kind: 'va-regime'; el: 0 | 1 | 2 | 3; vmid?: number; asid?: number; secure?: boolean }
  | { kind: 'ipa'; vmid?: number } // through stage 2 (current VTTBR_EL2 or the given VMID's last known)
  | { kind: 'pa' };

export interface WalkStep {
  stage: 1 | 2;
  level: number;
  tableAddr: bigint; // PA of the descriptor read
  descriptor: bigint;
  /** what this level produced: next table address or output address */
  output: bigint;
  note: string;
}

export interface TranslationReport {
  va: bigint;
  ok: boolean;
  pa?: bigint;
  ipa?: bigint;
  steps: WalkStep[];
  /** e.g. "Normal WB RW EL1 RWX, S2 RW" */
  attrs?: string;
  /** e.g. "stage 2 translation fault level 1" */
  fault?: string;
  /** regime used, and remarks (e.g. which VTTBR_EL2 value was used for a named VMID) */
  regime?: string;
  notes?: string[];
  /** combined attribute byte (MAIR format) */
  attr?: number;
}

function faultName(fsc: number, stage2: boolean, s1ptw: boolean): string {
  const level = fsc & 3;
  const kind =
    (fsc & 0x3c) === 0x00 ? 'address size' :
    (fsc & 0x3c) === 0x04 ? 'translation' :
    (fsc & 0x3c) === 0x08 ? 'access flag' :
    (fsc & 0x3c) === 0x0c ? 'permission' :
    (fsc & 0x3c) === 0x14 ? 'synchronous external abort on walk' : `fault 0x${fsc.toString(16)}`;
  return `${stage2 ? 'stage 2' : 'stage 1'} ${kind} fault level ${level}${s1ptw ? ' (on stage-1 table walk)' : ''}`;
}

/** Permissions by the regime's own ELs: privileged (EL1, or EL2 / EL3 in those regimes) and EL0
 * for the two regimes that have one (EL1&0, EL2&0). */
function permString(p: number, regime: Regime): string {
  const f = (r: number, w: number, x: number) => `${p & r ? 'R' : '-'}${p & w ? 'W' : '-'}${p & x ? 'X' : '-'}`;
  const priv = regime === Regime.EL10 ? 'EL1' : regime === Regime.EL3 ? 'EL3' : 'EL2';
  const s = `${priv} ${f(Perm.R1, Perm.W1, Perm.X1)}`;
  return regime === Regime.EL10 || regime === Regime.EL20 ? `${s} EL0 ${f(Perm.R0, Perm.W0, Perm.X0)}` : s;
}
function s2PermString(p: number): string {
  return `${p & S2Perm.R ? 'R' : '-'}${p & S2Perm.W ? 'W' : '-'}${p & S2Perm.X ? 'X' : '-'}`;
}

/** Run `f` with VTTBR_EL2/VTCR_EL2 temporarily replaced (no guest-visible effect: synchronous). */
function withVttbr<T>(c: Cpu, v: [number, number, number] | undefined, f: () => T): T {
  if (!v || IX.VTTBR_EL2 < 0) return f();
  const save = [c.sys[2 * IX.VTTBR_EL2], c.sys[2 * IX.VTTBR_EL2 + 1], c.sys[2 * IX.VTCR_EL2]];
  c.sys[2 * IX.VTTBR_EL2] = v[0];
  c.sys[2 * IX.VTTBR_EL2 + 1] = v[1];
  c.sys[2 * IX.VTCR_EL2] = v[2];
  try {
    return f();
  } finally {
    c.sys[2 * IX.VTTBR_EL2] = save[0];
    c.sys[2 * IX.VTTBR_EL2 + 1] = save[1];
    c.sys[2 * IX.VTCR_EL2] = save[2];
  }
}

function curVmid(c: Cpu): number {
  const hi = rhi(c, IX.VTTBR_EL2);
  return (rlo(c, IX.VTCR_EL2) >>> 19) & 1 ? hi >>> 16 : (hi >>> 16) & 0xff;
}

/** Pick the VTTBR for a named VMID: the current one if it matches, else the last one seen. */
function vttbrFor(c: Cpu, vmid: number | undefined, notes: string[]): [number, number, number] | undefined {
  if (vmid === undefined || vmid === curVmid(c)) return undefined;
  const known = c.translator instanceof MmuTranslator ? c.translator.knownVttbr.get(vmid) : undefined;
  if (known) {
    notes.push(`VMID ${vmid} is not current (VTTBR_EL2 VMID ${curVmid(c)}); using its last seen VTTBR_EL2 0x${((BigInt(known[1]) << 32n) | BigInt(known[0])).toString(16)}`);
    return known;
  }
  notes.push(`VMID ${vmid} was never seen in VTTBR_EL2; using the current VTTBR_EL2 (VMID ${curVmid(c)})`);
  return undefined;
}

/** Translate for the debugger. MMU-off regimes map VA = PA. */
export function debugTranslate(c: Cpu, va: bigint, view: MemView): TranslationReport {
  va = BigInt.asUintN(64, va);
  const lo = Number(va & 0xffffffffn);
  const hi = Number(va >> 32n);
  const steps: WalkStep[] = [];
  const notes: string[] = [];
  if (view.kind === 'pa') return { va, ok: true, pa: va, steps, regime: 'PA' };
  const t = c.translator;
  if (!(t instanceof MmuTranslator)) return { va, ok: true, pa: va, ipa: va, steps: [], attrs: 'flat (MMU off)' };
  if (view.kind === 'ipa') {
    const v = vttbrFor(c, view.vmid, notes);
    return withVttbr(c, v, () => {
      const secure = regimeSecure(c, Regime.EL10);
      const cfg = s2Config(c, false);
      if (!s2Enabled(c, secure) && !v) notes.push('stage 2 is disabled in the current context (walked VTTBR_EL2 anyway)');
      const r = new S2Res();
      const ipa = hi * 4294967296 + lo;
      const ok = walkS2(c, cfg, ipa, ACC_LOOK, { update: false, steps }, r);
      if (!ok) return { va, ok, ipa: va, steps, fault: faultName(r.fsc, true, false), regime: `stage 2 VMID ${cfg.vmid}`, notes };
      const attr = s2MemAttrToByte(r.memAttr);
      return {
        va,
        ok,
        ipa: va,
        pa: BigInt(r.pa),
        steps,
        attr,
        attrs: `${describeAttr(attr)} ${describeSh(r.sh)}, S2 ${s2PermString(r.perm)}`,
        regime: `stage 2 VMID ${cfg.vmid}`,
        notes,
      };
    });
  }
  let regime: Regime;
  let el0: boolean;
  let v: [number, number, number] | undefined;
  if (view.kind === 'va') {
    regime = currentRegime(c);
    el0 = c.el === 0;
  } else {
    const host = (rhi(c, IX.HCR_EL2) & HCRH_E2H) !== 0 && (rlo(c, IX.HCR_EL2) & HCR_TGE) !== 0;
    if (view.el === 3) regime = Regime.EL3;
    else if (view.el === 2) regime = rhi(c, IX.HCR_EL2) & HCRH_E2H ? Regime.EL20 : Regime.EL2;
    else regime = view.el === 0 && host ? Regime.EL20 : Regime.EL10;
    el0 = view.el === 0;
    if (regime === Regime.EL10) v = vttbrFor(c, view.vmid, notes);
    if (view.asid !== undefined) notes.push(`ASID ${view.asid} requested: the walk uses the current TTBRs (entries are tagged by ASID only in the TLB)`);
    if (view.secure !== undefined && view.secure !== regimeSecure(c, regime)) notes.push('requested security state differs from SCR_EL3.NS: walked the current one');
  }
  return withVttbr(c, v, () => {
    const secure = regimeSecure(c, regime);
    const req: XReq = {
      regime,
      secure,
      s2: regime === Regime.EL10 && (s2Enabled(c, secure) || v !== undefined),
      acc: ACC_LOOK,
      el0,
      pan: false,
      update: false,
      useTlb: false,
      steps,
      noPermCheck: true,
    };
    const r = new XRes();
    const ok = t.xlate(lo, hi, req, r);
    const name = REGIME_NAMES[regime] + (regime === Regime.EL10 && req.s2 ? ` + stage 2 (VMID ${t.vmid(secure)})` : '');
    if (!ok) {
      return { va, ok, steps, fault: faultName(r.fsc, r.stage2, r.s1ptw), ipa: r.stage2 ? BigInt(r.faultIpa) : undefined, regime: name, notes };
    }
    const s2 = req.s2 ? `, S2 ${s2PermString(r.s2perm)}` : '';
    return {
      va,
      ok,
      pa: BigInt(r.pa),
      ipa: BigInt(r.ipa),
      steps,
      attr: r.attr,
      attrs: `${describeAttr(r.attr)} ${describeSh(r.sh)}${r.s1on ? '' : ' (stage 1 off)'}, ${permString(r.perm, regime)}${s2}`,
      regime: name,
      notes,
    };
  });
}

// debugPa's request and result, reused (translation is synchronous)
const PA_REQ: XReq = { regime: Regime.EL10, secure: false, s2: false, acc: ACC_LOOK, el0: false, pan: false, update: false, useTlb: false, noPermCheck: true };
const PA_RES = new XRes();

/** Only the PA of debugTranslate (undefined on a fault): the debugger's memory reads and writes,
 * without the walk report (steps, attributes and notes are strings and arrays built per call). */
export function debugPa(c: Cpu, va: bigint, view: MemView): bigint | undefined {
  va = BigInt.asUintN(64, va);
  const t = c.translator;
  if (view.kind === 'pa' || !(t instanceof MmuTranslator)) return va;
  if (view.kind !== 'va') {
    const r = debugTranslate(c, va, view);
    return r.ok ? r.pa : undefined;
  }
  // the current regime, as debugTranslate walks it for the 'va' view
  const regime = currentRegime(c);
  const secure = regimeSecure(c, regime);
  const req = PA_REQ;
  req.regime = regime;
  req.secure = secure;
  req.s2 = regime === Regime.EL10 && s2Enabled(c, secure);
  req.el0 = c.el === 0;
  const r = PA_RES;
  if (!t.xlate(Number(va & 0xffffffffn), Number(va >> 32n), req, r)) return undefined;
  return BigInt(r.pa);
}

/** Read guest memory through a view (RAM/flash only, no device side effects); undefined if any byte
 * does not translate or is not plain memory. */
export function debugRead(c: Cpu, va: bigint, len: number, view: MemView): Uint8Array | undefined {
  const out = new Uint8Array(len);
  let done = 0;
  while (done < len) {
    const a = BigInt.asUintN(64, va + BigInt(done));
    const n = Math.min(len - done, 4096 - Number(a & 0xfffn));
    const pa = debugPa(c, a, view);
    if (pa === undefined) return undefined;
    const bytes = c.bus.peek(Number(pa), n);
    if (!bytes) return undefined;
    out.set(bytes, done);
    done += n;
  }
  return out;
}

/** Write guest memory through a view (RAM/flash only). Returns false if any page does not translate. */
export function debugWrite(c: Cpu, va: bigint, data: Uint8Array, view: MemView): boolean {
  const pas: [number, number, number][] = [];
  let done = 0;
  while (done < data.length) {
    const a = BigInt.asUintN(64, va + BigInt(done));
    const n = Math.min(data.length - done, 4096 - Number(a & 0xfffn));
    const pa = debugPa(c, a, view);
    if (pa === undefined || !c.bus.peek(Number(pa), n)) return false;
    pas.push([Number(pa), done, n]);
    done += n;
  }
  for (const [pa, off, n] of pas) c.bus.loadBytes(pa, data.subarray(off, off + n));
  return true;
}
