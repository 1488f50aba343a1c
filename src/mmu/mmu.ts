// The full translator (issue 3): stage 1 of every regime, stage 2 for EL1&0, attribute combination,
// an architectural TLB tagged by regime / security state / VMID / ASID / global bit, and the hooks
// TLBI, AT and the debugger use. The per-CPU fast TLB (tlb.ts) caches what translate() returns in
// the current context; this class keeps the architectural view (what survives until a TLBI).
import type { Cpu } from '../cpu/cpu';
import { PageStore } from './pagestore';
import { Acc, TransOut, type Translator } from './translate';
import {
  IX,
  Regime,
  rlo,
  rhi,
  currentRegime,
  regimeEl,
  regimeSecure,
  s1Regs,
  s1Enabled,
  s2Enabled,
  PAMAX,
  HCR_DC,
  HCR_TGE,
  HCRH_CD,
  HCRH_ID,
  HCRH_FWB,
  HCRH_E2H,
  type S1Regs,
} from './regime';
import { ACC_LOOK, walkS1, walkS2, s2Config, checkS1, S1Res, S2Res, Perm, S2Perm, hcrPtw, type WalkOpts, type S1Access, type S2Cfg, type WalkPath } from './ptw';
import { combineS1S2, isDeviceAttr, makeNonCacheable, combineSh, ATTR_NORMAL_WB, ATTR_NORMAL_NC, ATTR_NORMAL_WT, ATTR_DEVICE_nGnRnE } from './attrs';
import type { WalkStep } from './debug';

const P32 = 4294967296;

/** One architectural TLB entry: a combined (stage 1 + stage 2) translation of a VA range. */
export interface TlbEntry {
  regime: Regime;
  secure: boolean;
  s2on: boolean;
  /** VMID for EL1&0 entries (0 otherwise) */
  vmid: number;
  /** ASID for non-global entries of ASID regimes, -1 for global entries / regimes without ASIDs */
  asid: number;
  /** VA[55:12] of the first page, and log2 of the number of 4KB pages covered */
  vpn: number;
  np: number;
  /** PA and IPA of the first byte */
  pa: number;
  ipa: number;
  /** combined permissions (Perm bits), plus EL0DATA from stage 1 */
  perm: number;
  attr: number;
  parAttr: number;
  sh: number;
  ns: number;
  dead: boolean;
}

/** One stage-2 TLB entry (IPA → PA for a VMID), used by stage-1 walks and by new combined entries. */
export interface S2Entry {
  secure: boolean;
  vmid: number;
  /** IPA page number of the first page, log2 of the number of 4KB pages */
  ipaPage: number;
  np: number;
  pa: number;
  perm: number;
  memAttr: number;
  sh: number;
  dead: boolean;
}

/** Full translation request (ordinary accesses, AT, debugger). */
export interface XReq {
  regime: Regime;
  secure: boolean;
  /** apply stage 2 (EL1&0 with HCR_EL2.VM/DC) */
  s2: boolean;
  /** stage-1 table walks go through stage 2 although the output is not translated (AT S1E0x, S1E1x) */
  s2Walk?: boolean;
  acc: Acc;
  el0: boolean;
  pan: boolean;
  update: boolean;
  useTlb: boolean;
  steps?: WalkStep[];
  /** debugger: report permissions, do not check them */
  noPermCheck?: boolean;
}

/** Full translation result. */
export class XRes {
  ok = false;
  pa = 0;
  ipa = 0;
  attr = 0;
  /** attribute for PAR_EL1.ATTR (stage-1 MAIR attribute, combined with stage 2 when applied) */
  parAttr = 0;
  s1Attr = 0;
  s2MemAttr = -1;
  sh = 0;
  ns = 1;
  perm = 0;
  s2perm = 7;
  fsc = 0;
  level = 0;
  stage2 = false;
  s1ptw = false;
  faultIpa = 0;
  external = false;
  s1on = false;
  fromTlb = false;
  /** log2 of the size of the stage-1 page or block (VA side) the result came from: a TLBI by VA
   * must drop every fast-TLB page of that block */
  s1SizeLog2 = 12;
}

const MAX_ENTRIES = 16384;

export class MmuTranslator implements Translator {
  /** architectural TLB: combined entries of every context, by VA page */
  private readonly tlb = new PageStore<TlbEntry>(MAX_ENTRIES);
  private readonly s1r = new S1Res();
  private readonly s2r = new S2Res();
  private readonly xr = new XRes();
  private readonly opts: WalkOpts = { update: true };
  private readonly req: XReq = { regime: Regime.EL10, secure: false, s2: false, acc: Acc.READ, el0: false, pan: false, update: true, useTlb: true };
  private readonly path: WalkPath = { s2: null, ptw: false, s2fn: null };
  /** stage-2 TLB: IPA→PA entries by IPA page, tagged by VMID and security */
  private readonly s2tlb = new PageStore<S2Entry>(MAX_ENTRIES);
  private readonly s2fn = (cfg: S2Cfg, ipa: number, acc: Acc, res: S2Res): boolean => this.s2cached(cfg, ipa, acc, res);
  private readonly acc1: S1Access = { acc: Acc.READ, el0: false, pan: false };
  /** VTTBR_EL2 / VTCR_EL2 last seen per VMID (debugger views of a VM that is not running) */
  readonly knownVttbr = new Map<number, [number, number, number]>();

  constructor(private readonly c: Cpu) {}

  // ------------------------------------------------------------------ Translator

  translate(lo: number, hi: number, acc: Acc, unpriv: boolean, out: TransOut): boolean {
    const c = this.c;
    const regime = currentRegime(c);
    const secure = regimeSecure(c, regime);
    const el = c.el;
    const el0 = el === 0 || (unpriv && !c.uao && (el === 1 || (el === 2 && regime === Regime.EL20 && (rlo(c, IX.HCR_EL2) & HCR_TGE) !== 0)));
    const pan = c.pan === 1 && !el0 && acc !== Acc.EXEC && (regime === Regime.EL10 || regime === Regime.EL20);
    const req = this.req;
    req.regime = regime;
    req.secure = secure;
    req.s2 = regime === Regime.EL10 && s2Enabled(c, secure);
    req.acc = acc;
    req.el0 = el0;
    req.pan = pan;
    const r = this.xr;
    const ok = this.xlate(lo, hi, req, r);
    out.stage2 = r.stage2;
    out.s1ptw = r.s1ptw;
    out.external = r.external;
    out.attr = r.attr;
    if (!ok) {
      out.fsc = r.fsc;
      out.ipa = r.faultIpa;
      out.canRead = out.canWrite = out.canExec = false;
      out.targetEl = r.stage2 ? 2 : this.s1Target(regime);
      return false;
    }
    out.fsc = 0;
    out.pa = r.pa;
    out.ipa = r.ipa;
    out.s1SizeLog2 = r.s1on ? r.s1SizeLog2 : 64;
    out.device = isDeviceAttr(r.attr);
    out.targetEl = this.s1Target(regime);
    if (unpriv) {
      out.canRead = out.canWrite = out.canExec = false;
    } else {
      const p = r.perm;
      const a: S1Access = { acc: Acc.READ, el0, pan: c.pan === 1 && !el0 && (regime === Regime.EL10 || regime === Regime.EL20) };
      out.canRead = checkS1(p, a);
      a.acc = Acc.WRITE;
      out.canWrite = checkS1(p, a);
      a.acc = Acc.EXEC;
      out.canExec = checkS1(p, a);
    }
    return true;
  }

  /** EL a stage-1 fault of this regime is taken to (Arm ARM D1.10.2 / D8.2). */
  private s1Target(regime: Regime): number {
    if (regime !== Regime.EL10) return regimeEl(regime);
    return this.c.el === 0 && this.c.tge() ? 2 : 1;
  }

  contextKey(): string {
    const c = this.c;
    const s = (i: number) => `${rlo(c, i).toString(36)}.${rhi(c, i).toString(36)}`;
    const regime = currentRegime(c);
    let k = `m${c.el}${regime}p${c.pan}|${s(IX.HCR_EL2)}|${rlo(c, IX.SCR_EL3) & 0x40001}`;
    this.noteVttbr();
    if (regime === Regime.EL10) {
      k += `|${s(IX.SCTLR_EL1)}|${s(IX.TCR_EL1)}|${s(IX.MAIR_EL1)}|${s(IX.TTBR0_EL1)}|${s(IX.TTBR1_EL1)}`;
      k += `|${s(IX.VTTBR_EL2)}|${s(IX.VTCR_EL2)}|${s(IX.VSTTBR_EL2)}|${s(IX.VSTCR_EL2)}`;
    } else if (regime === Regime.EL3) {
      k += `|${s(IX.SCTLR_EL3)}|${s(IX.TCR_EL3)}|${s(IX.MAIR_EL3)}|${s(IX.TTBR0_EL3)}`;
    } else {
      k += `|${s(IX.SCTLR_EL2)}|${s(IX.TCR_EL2)}|${s(IX.MAIR_EL2)}|${s(IX.TTBR0_EL2)}|${s(IX.TTBR1_EL2)}`;
    }
    return k;
  }

  private noteVttbr(): void {
    const c = this.c;
    const lo = rlo(c, IX.VTTBR_EL2);
    const hi = rhi(c, IX.VTTBR_EL2);
    if (lo === 0 && hi === 0) return;
    const vtcr = rlo(c, IX.VTCR_EL2);
    this.knownVttbr.set((vtcr >>> 19) & 1 ? hi >>> 16 : (hi >>> 16) & 0xff, [lo, hi, vtcr]);
  }

  invalidateAll(): void {
    this.tlb.clear();
    this.s2tlb.clear();
  }

  /** Stage-2 translation through the stage-2 TLB (ordinary accesses only: AT and the debugger walk). */
  private s2cached(cfg: S2Cfg, ipa: number, acc: Acc, res: S2Res): boolean {
    const page = Math.floor(ipa / 4096);
    const e = this.s2tlb.find(page, (x) => x.vmid === cfg.vmid && x.secure === cfg.secure);
    const need = acc === Acc.READ ? S2Perm.R : acc === Acc.WRITE ? S2Perm.W : acc === Acc.EXEC ? S2Perm.X : 0;
    // a missing permission walks again: exact fault or dirty-state update
    if (e && (e.perm & need) === need) {
      res.pa = e.pa + (page - e.ipaPage) * 4096 + (ipa % 4096);
      res.perm = e.perm;
      res.memAttr = e.memAttr;
      res.sh = e.sh;
      res.sizeLog2 = e.np + 12;
      res.fsc = 0;
      res.external = false;
      return true;
    }
    if (!walkS2(this.c, cfg, ipa, acc, this.opts, res)) return false;
    const np = res.sizeLog2 - 12;
    const sz = Math.pow(2, np);
    const base = Math.floor(page / sz) * sz;
    this.s2tlb.insert(
      base,
      {
        secure: cfg.secure,
        vmid: cfg.vmid,
        ipaPage: base,
        np,
        pa: res.pa - ((page - base) * 4096 + (ipa % 4096)),
        perm: res.perm,
        memAttr: res.memAttr,
        sh: res.sh,
        dead: false,
      },
      (o) => o.vmid === cfg.vmid && o.secure === cfg.secure,
    );
    return true;
  }

  /** Drop stage-2 TLB entries matching `pred`; with `ipaPage` only those that translate that page. */
  invalidateS2(pred: (e: S2Entry) => boolean, ipaPage?: number): number {
    return this.s2tlb.invalidate(pred, ipaPage);
  }

  /** Live stage-2 TLB entries (tests and the inspector). */
  s2Entries(): S2Entry[] {
    return this.s2tlb.entries();
  }

  // ------------------------------------------------------------------ core

  /** Full translation of VA (lo, hi) as `req` describes. Never throws. */
  xlate(lo: number, hi: number, req: XReq, r: XRes): boolean {
    const c = this.c;
    r.ok = false;
    r.stage2 = r.s1ptw = r.external = r.fromTlb = false;
    r.fsc = 0;
    r.level = 0;
    r.s2MemAttr = -1;
    r.s2perm = 7;
    const regs = s1Regs(c, req.regime);
    const s1on = s1Enabled(c, req.regime, regs);
    r.s1on = s1on;
    const hcrLo = rlo(c, IX.HCR_EL2);
    const hcrHi = rhi(c, IX.HCR_EL2);
    const fetch = req.acc === Acc.EXEC;
    if (!s1on && !req.s2) return this.flat(lo, hi, req, regs, r, hcrLo);

    // architectural TLB
    const vpn = (hi & 0xffffff) * 1048576 + (lo >>> 12);
    const vmid = req.regime === Regime.EL10 ? this.vmid(req.secure) : 0;
    const asid = s1on && regs.twoRanges ? this.asid(regs) : -1;
    const a = this.acc1;
    a.acc = req.acc;
    a.el0 = req.el0;
    a.pan = req.pan;
    a.noPermCheck = req.noPermCheck;
    if (req.useTlb && s1on) {
      const e = this.lookup(vpn, req.regime, req.secure, req.s2, vmid, asid);
      if (e) {
        if (checkS1(e.perm, a)) {
          const off = (vpn - e.vpn) * 4096 + (lo & 0xfff);
          r.pa = e.pa + off;
          r.ipa = e.ipa + off;
          r.attr = e.attr;
          r.parAttr = e.parAttr;
          r.sh = e.sh;
          r.ns = e.ns;
          r.perm = e.perm;
          r.s1SizeLog2 = e.np + 12;
          r.fromTlb = true;
          r.ok = true;
          return true;
        }
        // permission failure on a cached entry: walk again (exact fault, or dirty-state update)
      }
    }

    const opts: WalkOpts = req.update && !req.steps ? this.opts : { update: req.update, steps: req.steps };
    let ipa: number;
    let s1Size: number;
    let s1attr: number;
    let perm: number;
    let sh: number;
    let ns: number;
    let nG = 0;
    if (s1on) {
      const s = this.s1r;
      const path = this.path;
      path.s2 = req.s2 || req.s2Walk ? s2Config(c, req.secure) : null;
      path.ptw = hcrPtw(c);
      path.s2fn = opts === this.opts ? this.s2fn : null;
      if (!walkS1(c, req.regime, regs, req.secure, lo, hi, a, path, opts, s)) {
        r.fsc = s.fsc;
        r.level = s.level;
        r.stage2 = s.stage2;
        r.s1ptw = s.s1ptw;
        r.faultIpa = s.faultIpa;
        r.external = s.external;
        return false;
      }
      ipa = s.oa;
      s1Size = s.sizeLog2;
      s1attr = s.attr;
      perm = s.perm;
      sh = s.sh;
      ns = s.ns;
      nG = s.nG;
    } else {
      // stage 1 disabled under stage 2 (D8.2.10): IPA = VA; HCR_EL2.DC makes it Normal WB
      if (!this.vaFitsPa(lo, hi, regs, fetch)) {
        r.fsc = 0x00;
        r.level = 0;
        return false;
      }
      ipa = (hi & 0xffff) * P32 + lo;
      s1Size = 12;
      if (hcrLo & HCR_DC) {
        s1attr = ATTR_NORMAL_WB;
        sh = 0;
      } else {
        s1attr = fetch ? ((regs.sctlr >>> 12) & 1 ? ATTR_NORMAL_WT : ATTR_NORMAL_NC) : ATTR_DEVICE_nGnRnE;
        sh = 2;
      }
      perm = Perm.R0 | Perm.W0 | Perm.X0 | Perm.R1 | Perm.W1 | Perm.X1;
      ns = req.secure ? 0 : 1;
    }
    r.s1Attr = s1attr;
    // SCTLR_ELx.C / .I = 0: Normal memory accesses of this regime are Non-cacheable (D8.2.10)
    let attr = s1attr;
    if (s1on && !((regs.sctlr >>> (fetch ? 12 : 2)) & 1)) attr = makeNonCacheable(attr);
    let parAttr = s1attr;
    let pa = ipa;
    let size = s1Size;
    if (req.s2) {
      const cfg = s2Config(c, req.secure && !ns);
      const s2 = this.s2r;
      const s2acc = req.noPermCheck ? ACC_LOOK : req.acc;
      if (!(opts === this.opts ? this.s2cached(cfg, ipa, s2acc, s2) : walkS2(c, cfg, ipa, s2acc, opts, s2))) {
        r.fsc = s2.fsc;
        r.level = s2.level;
        r.stage2 = true;
        r.faultIpa = ipa;
        r.external = s2.external;
        return false;
      }
      pa = s2.pa;
      size = Math.min(size, s2.sizeLog2);
      const fwb = (hcrHi & HCRH_FWB) !== 0;
      attr = combineS1S2(attr, s2.memAttr, fwb);
      parAttr = combineS1S2(parAttr, s2.memAttr, fwb);
      // HCR_EL2.CD / ID: stage-2 data / instruction accesses Non-cacheable
      if (hcrHi & (fetch ? HCRH_ID : HCRH_CD)) attr = makeNonCacheable(attr);
      sh = combineSh(sh, s2.sh);
      r.s2MemAttr = s2.memAttr;
      r.s2perm = s2.perm;
      // fold stage-2 permissions into the combined set (EL0DATA stays a stage-1 property)
      if (!(s2.perm & S2Perm.R)) perm &= ~(Perm.R0 | Perm.R1);
      if (!(s2.perm & S2Perm.W)) perm &= ~(Perm.W0 | Perm.W1);
      if (!(s2.perm & S2Perm.X)) perm &= ~(Perm.X0 | Perm.X1);
    }
    r.ok = true;
    r.pa = pa;
    r.ipa = ipa;
    r.s1SizeLog2 = s1Size;
    r.attr = attr;
    r.parAttr = parAttr;
    r.sh = sh;
    r.ns = ns;
    r.perm = perm;
    // Combined entries only for enabled stage 1: with SCTLR_EL1.M=0 (or HCR_EL2.DC) no stage-1 entry
    // exists, and a later MMU enable must not find VA=IPA entries (the stage-2 TLB still serves).
    if (req.useTlb && s1on) {
      const np = Math.max(0, size - 12);
      const vbase = Math.floor(vpn / Math.pow(2, np)) * Math.pow(2, np);
      const delta = (vpn - vbase) * 4096 + (lo & 0xfff);
      this.insert({
        regime: req.regime,
        secure: req.secure,
        s2on: req.s2,
        vmid,
        asid: nG && asid >= 0 ? asid : -1,
        vpn: vbase,
        np,
        pa: pa - delta,
        ipa: ipa - delta,
        perm,
        attr,
        parAttr,
        sh,
        ns,
        dead: false,
      });
    }
    return true;
  }

  /** Both stages disabled (D8.2.10): flat map with the PA-size check. */
  private flat(lo: number, hi: number, req: XReq, regs: S1Regs, r: XRes, hcrLo: number): boolean {
    const fetch = req.acc === Acc.EXEC;
    if (!this.vaFitsPa(lo, hi, regs, fetch)) {
      r.fsc = 0x00;
      r.level = 0;
      return false;
    }
    r.ok = true;
    r.pa = r.ipa = (hi & 0xffff) * P32 + lo;
    const dc = req.regime === Regime.EL10 && (hcrLo & HCR_DC) !== 0;
    if (fetch) r.attr = (regs.sctlr >>> 12) & 1 ? ATTR_NORMAL_WT : ATTR_NORMAL_NC;
    else r.attr = dc ? ATTR_NORMAL_WB : ATTR_DEVICE_nGnRnE;
    r.parAttr = r.attr;
    r.s1Attr = r.attr;
    r.sh = isDeviceAttr(r.attr) || r.attr === ATTR_NORMAL_NC ? 2 : 0;
    r.ns = req.secure ? 0 : 1;
    r.perm = Perm.R0 | Perm.W0 | Perm.X0 | Perm.R1 | Perm.W1 | Perm.X1;
    return true;
  }

  /** Stage 1 disabled: VA[top:PAMax] must be zero (TBI applies), else address size fault, level 0. */
  private vaFitsPa(lo: number, hi: number, regs: S1Regs, fetch: boolean): boolean {
    let tbi: number;
    if (regs.twoRanges) {
      const sel = (hi >>> 23) & 1;
      tbi = (regs.tcrHi >>> (5 + sel)) & 1;
      if (fetch && (regs.tcrHi >>> (19 + sel)) & 1) tbi = 0;
    } else {
      tbi = (regs.tcrLo >>> 20) & 1;
      if (fetch && (regs.tcrLo >>> 29) & 1) tbi = 0;
    }
    const m = tbi ? 0x00ffffff : 0xffffffff;
    return ((hi & m) >>> (PAMAX - 32)) === 0;
  }

  vmid(secure: boolean): number {
    const c = this.c;
    if (secure && !((rlo(c, IX.SCR_EL3) >>> 18) & 1)) return 0;
    const v = rhi(c, IX.VTTBR_EL2) >>> 16;
    return (rlo(c, IX.VTCR_EL2) >>> 19) & 1 ? v : v & 0xff;
  }

  asid(regs: S1Regs): number {
    const a1 = (regs.tcrLo >>> 22) & 1;
    const v = (a1 ? regs.ttbr1Hi : regs.ttbr0Hi) >>> 16;
    return (regs.tcrHi >>> 4) & 1 ? v : v & 0xff;
  }

  // ------------------------------------------------------------------ architectural TLB

  private lookup(vpn: number, regime: Regime, secure: boolean, s2on: boolean, vmid: number, asid: number): TlbEntry | undefined {
    return this.tlb.find(vpn, (e) => e.regime === regime && e.secure === secure && e.s2on === s2on && e.vmid === vmid && (e.asid < 0 || e.asid === asid));
  }

  private insert(e: TlbEntry): void {
    this.tlb.insert(e.vpn, e, (o) => o.regime === e.regime && o.secure === e.secure && o.s2on === e.s2on && o.vmid === e.vmid && o.asid === e.asid);
  }

  /** Drop entries matching `pred`; with `vpn` only the entries that translate that VA page. */
  invalidate(pred: (e: TlbEntry) => boolean, vpn?: number): number {
    return this.tlb.invalidate(pred, vpn);
  }

  /** Live entries (tests and the inspector). */
  entries(): TlbEntry[] {
    return this.tlb.entries();
  }
}

/** VA[55:12] page number of a VA, as used by TLB tags and TLBI VA operands. */
export function vpnOf(lo: number, hi: number): number {
  return (hi & 0xffffff) * 1048576 + (lo >>> 12);
}

export { HCRH_E2H };
