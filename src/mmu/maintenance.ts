// TLB maintenance (TLBI) and address translation (AT) operations, called by the SYS instruction
// handler in src/cpu/exec/system.ts after its trap checks. Owned by the MMU work.
//
// TLBI (Arm ARM C5.5 "A64 System instructions for TLB maintenance", D8.13 "TLB maintenance"): the
// architectural TLB of every affected CPU loses exactly the entries the operation names; the fast
// per-CPU TLB (a cache of it) is flushed whole. AT (C5.4, D8.12; result in PAR_EL1, D17.2.113).
import type { Cpu } from '../cpu/cpu';
import { Acc } from './translate';
import { MmuTranslator, XRes, type TlbEntry, type S2Entry } from './mmu';
import { IX, Regime, rlo, rhi, regimeSecure, s2Enabled, HCRH_E2H, HCR_TGE, s1Regs } from './regime';
import { isDeviceAttr, ATTR_NORMAL_NC } from './attrs';
import { EC } from '../cpu/exceptions';
import { hpfarOf } from './tlb';

/** The translator of a CPU if it is ours (tests may install others). */
export function mmuOf(c: Cpu): MmuTranslator | undefined {
  return c.translator instanceof MmuTranslator ? c.translator : undefined;
}

function hostRegime(c: Cpu): boolean {
  return (rhi(c, IX.HCR_EL2) & HCRH_E2H) !== 0 && (rlo(c, IX.HCR_EL2) & HCR_TGE) !== 0;
}

/** Execute TLBI <op> (e.g. 'VMALLE1IS', 'VAE2', 'IPAS2E1') with Xt value (lo, hi). `all` = every CPU
 * of the machine for the broadcast (IS/OS) forms. */
export function tlbi(c: Cpu, op: string, lo: number, hi: number, all: Cpu[]): void {
  op = op.toUpperCase();
  let base = op;
  let broadcast = false;
  const m = /^(.*?)(IS|OS)(NXS)?$/.exec(op);
  if (m && /E[123]$/.test(m[1])) {
    base = m[1];
    broadcast = true;
  }
  base = base.replace(/NXS$/, '');
  // HCR_EL2.FB: EL1 TLBI instructions are broadcast (Inner Shareable)
  if (c.el === 1 && (rlo(c, IX.HCR_EL2) >>> 9) & 1) broadcast = true;
  const cpus = broadcast ? all : [c];
  if (!cpus.includes(c)) cpus.push(c);

  const nsRegime = regimeSecure(c, Regime.EL10); // security state the EL1/EL2 operations apply to
  const secure = c.el === 3 ? nsRegime : regimeSecure(c, Regime.EL10);
  const vaPage = (hi & 0xfff) * 4294967296 + lo; // Xt[43:0] = VA[55:12]
  const opAsid = hi >>> 16; // Xt[63:48]
  const mmu = mmuOf(c);
  const curVmid = mmu ? mmu.vmid(secure) : 0;
  // EL1 operations executed at EL2 with HCR_EL2.{E2H,TGE} = {1,1} apply to the EL2&0 regime
  const e1Regime = c.el === 2 && hostRegime(c) ? Regime.EL20 : Regime.EL10;
  const e2Regime = rhi(c, IX.HCR_EL2) & HCRH_E2H ? Regime.EL20 : Regime.EL2;
  const asidMask = (r: Regime) => {
    const regs = s1Regs(c, r);
    return (regs.tcrHi >>> 4) & 1 ? 0xffff : 0xff;
  };
  const inE1 = (e: TlbEntry) => e.regime === e1Regime && e.secure === secure && (e1Regime !== Regime.EL10 || e.vmid === curVmid);
  let pred: ((e: TlbEntry) => boolean) | null = null;
  let vpn: number | undefined;
  /** stage-2 TLB entries to drop, and the IPA page for the by-IPA forms */
  let pred2: ((e: S2Entry) => boolean) | null = null;
  let ipaPage: number | undefined;
  switch (base) {
    case 'VMALLE1':
      pred = inE1;
      break;
    case 'VAE1':
    case 'VALE1': {
      const asid = opAsid & asidMask(e1Regime);
      pred = (e) => inE1(e) && (e.asid < 0 || e.asid === asid);
      vpn = vaPage;
      break;
    }
    case 'VAAE1':
    case 'VAALE1':
      pred = inE1;
      vpn = vaPage;
      break;
    case 'ASIDE1': {
      const asid = opAsid & asidMask(e1Regime);
      pred = (e) => inE1(e) && e.asid === asid;
      break;
    }
    case 'IPAS2E1':
    case 'IPAS2LE1': {
      // Stage-2-only entries of the current VMID for IPA Xt[39:0] << 12 (Xt[63] NS selects the
      // Non-secure IPA space from Secure state). Combined stage 1+2 entries may survive until
      // VMALLE1/VMALLS12E1, as the architecture allows (D8.13 "TLB maintenance").
      const s2secure = secure && (hi >>> 31) === 0;
      ipaPage = (hi & 0xff) * 4294967296 + lo;
      pred2 = (e) => e.vmid === curVmid && e.secure === s2secure;
      break;
    }
    case 'VMALLS12E1':
    case 'ALLE1':
      pred = base === 'ALLE1' ? (e) => e.regime === Regime.EL10 && e.secure === secure : (e) => e.regime === Regime.EL10 && e.secure === secure && e.vmid === curVmid;
      // stage-2 entries: a Secure-state operation covers both IPA spaces
      pred2 = base === 'ALLE1' ? (e) => secure || !e.secure : (e) => e.vmid === curVmid && (secure || !e.secure);
      break;
    case 'ALLE2':
      pred = (e) => (e.regime === Regime.EL2 || e.regime === Regime.EL20) && e.secure === secure;
      break;
    case 'VAE2':
    case 'VALE2': {
      const asid = opAsid & asidMask(Regime.EL20);
      pred = (e) => e.regime === e2Regime && e.secure === secure && (e.asid < 0 || e.asid === asid);
      vpn = vaPage;
      break;
    }
    case 'ALLE3':
      pred = (e) => e.regime === Regime.EL3;
      break;
    case 'VAE3':
    case 'VALE3':
      pred = (e) => e.regime === Regime.EL3;
      vpn = vaPage;
      break;
    default:
      // operations we do not model precisely (range forms are not advertised): drop everything
      pred = () => true;
  }
  for (const o of cpus) {
    const t = mmuOf(o);
    if (pred && t) t.invalidate(pred, vpn);
    else if ((pred || pred2) && !t) o.translator.invalidateAll?.();
    if (pred2 && t) t.invalidateS2(pred2, ipaPage);
    // the fast TLB: a by-VA operation drops the pages of the blocks holding that VA (kernels issue
    // these by the thousand); everything else (ASID/VMID/all, by IPA) drops everything
    if (vpn !== undefined && !pred2) o.tlb.invalidateVa(vpn);
    else o.tlb.flush();
    o.exitLoop = true;
  }
  c.exitLoop = true;
}

/** Execute AT <op> (e.g. 'S1E1R', 'S12E0W') for VA (lo, hi): writes PAR_EL1. */
export function at(c: Cpu, op: string, lo: number, hi: number): void {
  op = op.toUpperCase();
  const m = /^S(1|12)E([0-3])(R|W)(P?)$/.exec(op);
  const t = mmuOf(c);
  if (!m || !t) return;
  const two = m[1] === '12';
  const el = Number(m[2]);
  const acc = m[3] === 'W' ? Acc.WRITE : Acc.READ;
  let regime: Regime;
  if (el <= 1) regime = c.el === 2 && hostRegime(c) && !two ? Regime.EL20 : Regime.EL10;
  else if (el === 2) regime = rhi(c, IX.HCR_EL2) & HCRH_E2H ? Regime.EL20 : Regime.EL2;
  else regime = Regime.EL3;
  const secure = regimeSecure(c, regime);
  const s2on = regime === Regime.EL10 && s2Enabled(c, secure);
  const r = new XRes();
  const ok = t.xlate(lo, hi, {
    regime,
    secure,
    s2: two && s2on,
    s2Walk: !two && s2on,
    acc,
    el0: el === 0,
    pan: m[4] === 'P' && c.pan === 1,
    update: false,
    useTlb: false,
  }, r);
  if (!ok && r.stage2 && r.s1ptw && !two && c.el === 1) {
    // A stage-2 fault on the stage-1 walk of AT S1E0x/S1E1x at EL1 is taken to EL2 (D8.12.2):
    // data abort, CM=1, WnR=1, S1PTW=1, FAR = VA, HPFAR_EL2 = IPA of the descriptor.
    const iss = (1 << 8) | (1 << 7) | (1 << 6) | (r.fsc & 0x3f);
    c.syncException(EC.DABT_LOW, iss, 2, [lo >>> 0, hi >>> 0], hpfarOf(r.faultIpa));
    return;
  }
  writePar(c, r, ok);
}

/** PAR_EL1 from a translation result (Arm ARM D17.2.113 PAR_EL1). */
export function parValue(r: XRes, ok: boolean): [number, number] {
  if (!ok) {
    // F=1, FST[6:1], PTW[8], S[9], bit 11 RES1
    const lo = 1 | ((r.fsc & 0x3f) << 1) | (r.s1ptw ? 1 << 8 : 0) | (r.stage2 ? 1 << 9 : 0) | (1 << 11);
    return [lo >>> 0, 0];
  }
  const attr = r.parAttr & 0xff;
  // SH reports Outer Shareable for Device and Normal Non-cacheable memory
  const sh = isDeviceAttr(attr) || attr === ATTR_NORMAL_NC ? 2 : r.sh & 3;
  const paLo = (r.pa % 4294967296) >>> 0;
  const paHi = Math.floor(r.pa / 4294967296) & 0xfffff;
  const lo = ((paLo & 0xfffff000) | (1 << 11) | ((r.ns & 1) << 9) | (sh << 7)) >>> 0;
  const hi = (paHi | (attr << 24)) >>> 0;
  return [lo, hi];
}

function writePar(c: Cpu, r: XRes, ok: boolean): void {
  if (IX.PAR_EL1 < 0) return;
  const [lo, hi] = parValue(r, ok);
  c.sys[2 * IX.PAR_EL1] = lo;
  c.sys[2 * IX.PAR_EL1 + 1] = hi;
}
