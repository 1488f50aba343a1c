// Translation table walks (Arm ARM D8.2 "Translation process", D8.3 "Translation table descriptor
// formats", D8.4 "Memory access control", D8.5 "Hardware updates of the translation tables"):
// stage 1 for every regime and stage 2 for EL1&0, with the 4KB, 16KB and 64KB granules.
//
// Addresses are JS numbers (every input/output address here is below 2^52: exact). Descriptors are
// read as two 32-bit words. The walk never throws; faults are returned in the result object.
import type { Cpu } from '../cpu/cpu';

/** What a walk needs of its caller: the memory it reads descriptors from (and writes AF/dirty
 * updates to), and the requester index for MMIO. A vCPU is one; the SMMU (src/smmu) is the other. */
export type WalkMem = Pick<Cpu, 'bus' | 'index'>;
import { Acc } from './translate';
import type { WalkStep } from './debug';
import {
  IX,
  Regime,
  rlo,
  rhi,
  psBits,
  tg0Shift,
  HCR_PTW,
  type S1Regs,
} from './regime';
import { isDeviceAttr } from './attrs';

const P32 = 4294967296;

/** FEAT_HPDS (TCR.HPDx disables hierarchical permissions) is not advertised (ID_AA64MMFR1_EL1.HPDS = 0):
 * the HPD bits are RES0 and ignored. */
const HPDS = false;

/** access kind for walks that only look (debugger): no permission check */
export const ACC_LOOK = 3 as Acc;

export const enum Perm {
  R0 = 1,
  W0 = 2,
  X0 = 4,
  R1 = 8,
  W1 = 16,
  X1 = 32,
  /** stage 1 grants EL0 data access (PAN check, Arm ARM D8.4.2) */
  EL0DATA = 64,
}

export const enum S2Perm {
  R = 1,
  W = 2,
  X = 4,
}

export interface WalkOpts {
  /** hardware Access flag / dirty state updates allowed (FEAT_HAFDBS); false for AT and debug */
  update: boolean;
  /** record every descriptor read (debugger) */
  steps?: WalkStep[];
}

/** Stage-2 configuration (VTCR_EL2 / VSTCR_EL2, VTTBR_EL2 / VSTTBR_EL2). */
export interface S2Cfg {
  secure: boolean;
  base: number;
  g: number;
  startLevel: number;
  firstBits: number;
  inputsize: number;
  ps: number;
  ha: boolean;
  hd: boolean;
  /** SL0/T0SZ/TG0 combination is not valid: every access is a translation fault */
  bad: boolean;
  vmid: number;
}

/** Stage-2 configuration for IPAs of the given security space (Arm ARM D8.2.3, VTCR_EL2). */
export function s2Config(c: Cpu, secureIpa: boolean): S2Cfg {
  const vtcr = rlo(c, IX.VTCR_EL2);
  const ctl = secureIpa ? rlo(c, IX.VSTCR_EL2) : vtcr; // T0SZ, SL0, TG0
  const baseReg = secureIpa ? IX.VSTTBR_EL2 : IX.VTTBR_EL2;
  const g = tg0Shift((ctl >>> 14) & 3);
  const stride = g - 3;
  const tsz = ctl & 63;
  const sl0 = (ctl >>> 6) & 3;
  let startLevel: number;
  let bad = false;
  if (g === 12) startLevel = sl0 === 0 ? 2 : sl0 === 1 ? 1 : sl0 === 2 ? 0 : -1;
  else startLevel = sl0 === 0 ? 3 : sl0 === 1 ? 2 : sl0 === 2 ? 1 : -1;
  if (startLevel < 0) {
    bad = true;
    startLevel = 0;
  }
  const inputsize = 64 - tsz;
  const maxIn = 48;
  if (inputsize > maxIn || tsz > 39) bad = true; // no FEAT_TTST
  const shift = g + (3 - startLevel) * stride;
  const firstBits = inputsize - shift;
  // concatenation of up to 16 tables at the start level (D8.2.6 "Concatenated translation tables")
  if (firstBits < 1 || firstBits > stride + 4) bad = true;
  const vs = (vtcr >>> 19) & 1;
  const vmidRaw = rhi(c, IX.VTTBR_EL2) >>> 16;
  const align = Math.pow(2, Math.max(firstBits + 3, 3));
  const rawBase = (rhi(c, baseReg) & 0xffff) * P32 + ((rlo(c, baseReg) & ~1) >>> 0);
  const base = Math.floor(rawBase / align) * align;
  return {
    secure: secureIpa,
    base: Math.max(0, base),
    g,
    startLevel,
    firstBits,
    inputsize,
    ps: psBits((vtcr >>> 16) & 7),
    ha: ((vtcr >>> 21) & 1) === 1,
    hd: ((vtcr >>> 22) & 1) === 1 && ((vtcr >>> 21) & 1) === 1,
    bad,
    vmid: vs ? vmidRaw : vmidRaw & 0xff,
  };
}

/** Result of a stage-2 translation. */
export class S2Res {
  pa = 0;
  fsc = 0;
  level = 0;
  memAttr = 0;
  sh = 0;
  perm = 0;
  /** log2 of the size of the mapping (block or page) */
  sizeLog2 = 12;
  external = false;
}

/** Result of a stage-1 translation (output address is an IPA when stage 2 follows). */
export class S1Res {
  fsc = 0;
  level = 0;
  /** fault is a stage-2 fault on a stage-1 table walk access */
  stage2 = false;
  s1ptw = false;
  faultIpa = 0;
  external = false;
  oa = 0;
  sizeLog2 = 12;
  attr = 0;
  sh = 0;
  ns = 1;
  nG = 0;
  perm = 0;
  asid = 0;
}

// descriptor read scratch
let dLo = 0;
let dHi = 0;

function readDesc(c: WalkMem, pa: number): boolean {
  const bus = c.bus;
  const off = pa - bus.ramBase;
  if (off >= 0 && off + 8 <= bus.ramSize && (off & 7) === 0) {
    const w = off >>> 2;
    dLo = bus.ram32[w];
    dHi = bus.ram32[w + 1];
    return true;
  }
  const lo = c.bus.read(pa, 4, c.index);
  const hi = c.bus.read(pa + 4, 4, c.index);
  if (lo === undefined || hi === undefined) return false;
  dLo = lo >>> 0;
  dHi = hi >>> 0;
  return true;
}

function big(lo: number, hi: number): bigint {
  return (BigInt(hi >>> 0) << 32n) | BigInt(lo >>> 0);
}

/** Output address field of a descriptor: bits [47:shift] (48-bit OA; bits [51:48] ignored). */
function oaOf(lo: number, hi: number, shift: number): number {
  const hiPart = (hi & 0xffff) * P32;
  if (shift >= 32) return Math.floor(hiPart / Math.pow(2, shift)) * Math.pow(2, shift);
  const m = shift >= 32 ? 0 : (0xffffffff << shift) >>> 0;
  return hiPart + ((lo & m) >>> 0);
}

/** Is a block descriptor allowed at this level for this granule (48-bit OA, D8.3.1)? */
function blockAllowed(g: number, level: number): boolean {
  if (level === 2) return true;
  if (level === 1) return g === 12;
  return false;
}

const POW2: number[] = [];
for (let i = 0; i <= 64; i++) POW2.push(Math.pow(2, i));
function pow2(n: number): number {
  return POW2[n];
}

/**
 * Stage-2 walk of `ipa` for an access of kind `acc` (D8.2, stage 2). Checks S2AP/XN and the access
 * flag; with VTCR_EL2.HA/HD and opts.update sets AF / dirty state in the descriptor.
 */
export function walkS2(c: WalkMem, cfg: S2Cfg, ipa: number, acc: Acc, opts: WalkOpts, res: S2Res): boolean {
  res.external = false;
  if (cfg.bad || ipa >= pow2(cfg.inputsize)) {
    res.fsc = 0x04;
    res.level = 0;
    return false;
  }
  if (cfg.base >= pow2(cfg.ps)) {
    res.fsc = 0x00; // address size fault, level 0 (VTTBR_EL2.BADDR out of range)
    res.level = 0;
    return false;
  }
  const g = cfg.g;
  const stride = g - 3;
  let level = cfg.startLevel;
  let table = cfg.base;
  let bits = cfg.firstBits;
  for (;;) {
    const shift = g + (3 - level) * stride;
    const idx = Math.floor(ipa / pow2(shift)) % pow2(bits);
    const dpa = table + idx * 8;
    if (!readDesc(c, dpa)) {
      res.fsc = 0x14 | level;
      res.level = level;
      res.external = true;
      return false;
    }
    const lo = dLo;
    const hi = dHi;
    const type = lo & 3;
    const steps = opts.steps;
    if ((type & 1) === 0 || (level === 3 && type !== 3) || (level < 3 && type === 1 && !blockAllowed(g, level))) {
      steps?.push({ stage: 2, level, tableAddr: BigInt(dpa), descriptor: big(lo, hi), output: 0n, note: 'invalid' });
      res.fsc = 0x04 | level;
      res.level = level;
      return false;
    }
    if (level < 3 && type === 3) {
      const next = oaOf(lo, hi, g);
      steps?.push({ stage: 2, level, tableAddr: BigInt(dpa), descriptor: big(lo, hi), output: BigInt(next), note: 'table' });
      if (next >= pow2(cfg.ps)) {
        res.fsc = 0x00 | level;
        res.level = level;
        return false;
      }
      table = next;
      level++;
      bits = stride;
      continue;
    }
    // block or page
    const oa = oaOf(lo, hi, shift);
    steps?.push({ stage: 2, level, tableAddr: BigInt(dpa), descriptor: big(lo, hi), output: BigInt(oa), note: level === 3 ? 'page' : 'block' });
    res.level = level;
    if (oa >= pow2(cfg.ps)) {
      res.fsc = 0x00 | level;
      return false;
    }
    let newLo = lo;
    if (((lo >>> 10) & 1) === 0) {
      if (!cfg.ha) {
        res.fsc = 0x08 | level;
        return false;
      }
      newLo |= 1 << 10;
    }
    const s2ap = (lo >>> 6) & 3;
    const xn = (hi >>> 22) & 1; // XN[1] (bit 54); FEAT_XNX not implemented
    let perm = (s2ap & 1 ? S2Perm.R : 0) | (s2ap & 2 ? S2Perm.W : 0) | (xn ? 0 : S2Perm.X);
    const dbm = (hi >>> 19) & 1;
    if (acc === Acc.WRITE && !(perm & S2Perm.W) && cfg.hd && dbm) {
      // dirty state (D8.5.4): the write sets S2AP[1]
      newLo |= 1 << 7;
      perm |= S2Perm.W;
    }
    const need = acc === Acc.READ ? S2Perm.R : acc === Acc.WRITE ? S2Perm.W : acc === Acc.EXEC ? S2Perm.X : 0;
    if (need !== 0 && !(perm & need)) {
      res.fsc = 0x0c | level;
      return false;
    }
    if (newLo !== lo && opts.update) c.bus.write(dpa, 4, newLo >>> 0, c.index);
    res.perm = perm;
    res.pa = oa + (ipa % pow2(shift));
    res.memAttr = (lo >>> 2) & 15;
    res.sh = (lo >>> 8) & 3;
    res.sizeLog2 = shift;
    return true;
  }
}

/** Stage-1 parameters for one VA (after TTBR selection). */
interface S1Sel {
  select: number;
  tsz: number;
  g: number;
  epd: number;
  tbi: number;
  hpd: number;
  ps: number;
  ha: boolean;
  hd: boolean;
}

const selOut: S1Sel = { select: 0, tsz: 0, g: 12, epd: 0, tbi: 0, hpd: 0, ps: 48, ha: false, hd: false };

/** TTBR selection and the TCR fields that apply to this VA (D8.2.2); returns a shared object. */
function s1Select(regs: S1Regs, vaHi: number, fetch: boolean): S1Sel {
  const l = regs.tcrLo;
  const h = regs.tcrHi;
  const o = selOut;
  if (regs.twoRanges) {
    const select = (vaHi >>> 23) & 1; // VA[55]
    o.select = select;
    o.ps = psBits(h & 7);
    o.ha = ((h >>> 7) & 1) === 1;
    o.hd = o.ha && ((h >>> 8) & 1) === 1;
    if (select === 0) {
      o.tsz = l & 63;
      o.epd = (l >>> 7) & 1;
      o.g = tg0Shift((l >>> 14) & 3);
      o.tbi = (h >>> 5) & 1 & (fetch && (h >>> 19) & 1 ? 0 : 1);
      o.hpd = (h >>> 9) & 1;
    } else {
      const tg1 = (l >>> 30) & 3;
      o.tsz = (l >>> 16) & 63;
      o.epd = (l >>> 23) & 1;
      o.g = tg1 === 1 ? 14 : tg1 === 3 ? 16 : 12;
      o.tbi = (h >>> 6) & 1 & (fetch && (h >>> 20) & 1 ? 0 : 1);
      o.hpd = (h >>> 10) & 1;
    }
    return o;
  }
  o.select = 0;
  o.tsz = l & 63;
  o.epd = 0;
  o.g = tg0Shift((l >>> 14) & 3);
  o.tbi = (l >>> 20) & 1 & (fetch && (l >>> 29) & 1 ? 0 : 1);
  o.hpd = (l >>> 24) & 1;
  o.ps = psBits((l >>> 16) & 7);
  o.ha = ((l >>> 21) & 1) === 1;
  o.hd = o.ha && ((l >>> 22) & 1) === 1;
  return o;
}

/** mask of bits from..to (inclusive) of a 32-bit word, 0 <= from <= to <= 31 */
function maskRange(from: number, to: number): number {
  if (from > to) return 0;
  return ((0xffffffff >>> (31 - to)) & ((0xffffffff << from) >>> 0)) >>> 0;
}

/** VA bits [top:inputsize] all equal `select`? (D8.2.2 "VA range") */
function inRange(lo: number, hi: number, inputsize: number, top: number, select: number): boolean {
  const hm = maskRange(Math.max(inputsize - 32, 0), top - 32);
  const lm = inputsize < 32 ? maskRange(inputsize, 31) : 0;
  if (select) return (hi & hm) >>> 0 === hm && (lo & lm) >>> 0 === lm;
  return (hi & hm) === 0 && (lo & lm) === 0;
}

/** How stage 1 reaches memory for its own table walk: directly (PA) or through stage 2. */
export interface WalkPath {
  s2: S2Cfg | null;
  /** HCR_EL2.PTW: a walk access that stage 2 maps as Device is a stage-2 permission fault */
  ptw: boolean;
  /** stage-2 translation to use instead of a plain walkS2 (the translator's cached one) */
  s2fn?: ((cfg: S2Cfg, ipa: number, acc: Acc, res: S2Res) => boolean) | null;
}

const s2tmp = new S2Res();

/** Translate a table-walk IPA through stage 2; returns the PA or -1 (fault recorded in res). */
function walkAddr(c: WalkMem, path: WalkPath, ipa: number, write: boolean, opts: WalkOpts, res: S1Res): number {
  const cfg = path.s2;
  if (!cfg) return ipa;
  const acc = write ? Acc.WRITE : Acc.READ;
  if (!(path.s2fn ? path.s2fn(cfg, ipa, acc, s2tmp) : walkS2(c, cfg, ipa, acc, opts, s2tmp))) {
    res.stage2 = true;
    res.s1ptw = true;
    res.faultIpa = ipa;
    res.fsc = s2tmp.fsc;
    res.level = s2tmp.level;
    res.external = s2tmp.external;
    return -1;
  }
  if (path.ptw && (s2tmp.memAttr >>> 2) === 0) {
    res.stage2 = true;
    res.s1ptw = true;
    res.faultIpa = ipa;
    res.fsc = 0x0c | s2tmp.level;
    res.level = s2tmp.level;
    return -1;
  }
  return s2tmp.pa;
}

/** Access check inputs for stage 1. */
export interface S1Access {
  acc: Acc;
  /** checked with EL0 permissions (EL0, or LDTR/STTR-style unprivileged) */
  el0: boolean;
  /** PSTATE.PAN applies to this (privileged data) access */
  pan: boolean;
  /** skip the permission check (debugger reads) */
  noPermCheck?: boolean;
}

/**
 * Stage-1 walk for VA (lo, hi) in `regime` (D8.2). Table walk accesses go through `path` (stage 2
 * when enabled). On success res.oa is the output address (IPA when stage 2 follows).
 */
export function walkS1(
  c: WalkMem,
  regime: Regime,
  regs: S1Regs,
  secure: boolean,
  lo: number,
  hi: number,
  a: S1Access,
  path: WalkPath,
  opts: WalkOpts,
  res: S1Res,
): boolean {
  res.stage2 = false;
  res.s1ptw = false;
  res.external = false;
  const sel = s1Select(regs, hi, a.acc === Acc.EXEC);
  const g = sel.g;
  const stride = g - 3;
  const maxTsz = 39; // FEAT_TTST is not implemented (ID_AA64MMFR2_EL1.ST = 0)
  // D8.2.2: TxSZ out of range → translation fault (as QEMU chooses); VA outside the range → level 0
  if (sel.tsz < 16 || sel.tsz > maxTsz) return s1Fault(res, 0x04, 0);
  const inputsize = 64 - sel.tsz;
  const top = sel.tbi ? 55 : 63;
  if (!inRange(lo, hi, inputsize, top, sel.select)) return s1Fault(res, 0x04, 0);
  if (sel.epd) return s1Fault(res, 0x04, 0);
  const startLevel = 4 - Math.ceil((inputsize - g) / stride);
  let bits = inputsize - (g + (3 - startLevel) * stride);
  const ttbrLo = sel.select ? regs.ttbr1Lo : regs.ttbr0Lo;
  const ttbrHi = sel.select ? regs.ttbr1Hi : regs.ttbr0Hi;
  const align = pow2(Math.max(bits + 3, 3));
  let table = Math.floor(((ttbrHi & 0xffff) * P32 + ((ttbrLo & ~1) >>> 0)) / align) * align;
  res.asid = regs.twoRanges ? ((regs.tcrLo >>> 22) & 1 ? regs.ttbr1Hi : regs.ttbr0Hi) >>> 16 : 0;
  if (regs.twoRanges && !((regs.tcrHi >>> 4) & 1)) res.asid &= 0xff;
  if (table >= pow2(sel.ps)) return s1Fault(res, 0x00, 0);
  const va = (hi & 0xffff) * P32 + lo; // VA[47:0]
  const twoPriv = regime === Regime.EL10 || regime === Regime.EL20;
  let apTable = 0;
  let xnTable = 0; // UXNTable / XNTable
  let pxnTable = 0;
  let nsTable = 0;
  let level = startLevel;
  for (;;) {
    const shift = g + (3 - level) * stride;
    const idx = Math.floor(va / pow2(shift)) % pow2(bits);
    const dIpa = table + idx * 8;
    const dpa = walkAddr(c, path, dIpa, false, opts, res);
    if (dpa < 0) return false;
    if (!readDesc(c, dpa)) {
      res.external = true;
      return s1Fault(res, 0x14 | level, level);
    }
    const dlo = dLo;
    const dhi = dHi;
    const type = dlo & 3;
    const steps = opts.steps;
    if ((type & 1) === 0 || (level === 3 && type !== 3) || (level < 3 && type === 1 && !blockAllowed(g, level))) {
      steps?.push({ stage: 1, level, tableAddr: BigInt(dpa), descriptor: big(dlo, dhi), output: 0n, note: path.s2 ? `invalid (desc IPA 0x${dIpa.toString(16)})` : 'invalid' });
      return s1Fault(res, 0x04 | level, level);
    }
    if (level < 3 && type === 3) {
      const next = oaOf(dlo, dhi, g);
      steps?.push({ stage: 1, level, tableAddr: BigInt(dpa), descriptor: big(dlo, dhi), output: BigInt(next), note: path.s2 ? `table (desc IPA 0x${dIpa.toString(16)})` : 'table' });
      if (next >= pow2(sel.ps)) return s1Fault(res, 0x00 | level, level);
      if (!(HPDS && sel.hpd)) {
        apTable |= (dhi >>> 29) & 3; // APTable, bits [62:61]
        xnTable |= (dhi >>> 28) & 1; // UXNTable/XNTable, bit 60
        pxnTable |= (dhi >>> 27) & 1; // PXNTable, bit 59
      }
      nsTable |= dhi >>> 31; // NSTable, bit 63
      table = next;
      level++;
      bits = stride;
      continue;
    }
    const oa = oaOf(dlo, dhi, shift);
    steps?.push({ stage: 1, level, tableAddr: BigInt(dpa), descriptor: big(dlo, dhi), output: BigInt(oa), note: (level === 3 ? 'page' : 'block') + (path.s2 ? ` (desc IPA 0x${dIpa.toString(16)})` : '') });
    res.level = level;
    if (oa >= pow2(sel.ps)) return s1Fault(res, 0x00 | level, level);
    let newLo = dlo;
    if (((dlo >>> 10) & 1) === 0) {
      if (!sel.ha) return s1Fault(res, 0x08 | level, level);
      newLo |= 1 << 10; // hardware Access flag update (D8.5.2)
    }
    // access permissions (D8.4.1): AP[2:1] = bits [7:6], hierarchical APTable
    let ap = (dlo >>> 6) & 3;
    if (twoPriv && apTable & 1) ap &= 2; // APTable[0]: no EL0 access
    if (apTable & 2) ap |= 2; // APTable[1]: read-only
    const wxn = (regs.sctlr >>> 19) & 1;
    const uxn = ((dhi >>> 22) & 1) | xnTable; // UXN / XN, bit 54
    const pxn = ((dhi >>> 21) & 1) | pxnTable; // PXN, bit 53
    // D8.5.4 dirty state: a write to a clean (AP[2]=1) DBM page makes it writable (clears AP[2])
    const dirtyable = sel.hd && (dhi >>> 19) & 1 && (dlo >>> 7) & 1 && !(apTable & 2);
    if (dirtyable && a.acc === Acc.WRITE && !a.noPermCheck && checkS1(s1Perm(twoPriv, ap & 1, uxn, pxn, wxn), a)) {
      ap &= 1;
      newLo &= ~(1 << 7);
    }
    const perm = s1Perm(twoPriv, ap, uxn, pxn, wxn);
    if (!a.noPermCheck && !checkS1(perm, a)) return s1Fault(res, 0x0c | level, level);
    if (newLo !== dlo && opts.update) {
      const wpa = walkAddr(c, path, dIpa, true, opts, res);
      if (wpa < 0) return false;
      c.bus.write(wpa, 4, newLo >>> 0, c.index);
    }
    const attrIdx = (dlo >>> 2) & 7;
    res.attr = attrIdx < 4 ? (regs.mairLo >>> (8 * attrIdx)) & 0xff : (regs.mairHi >>> (8 * (attrIdx - 4))) & 0xff;
    res.sh = (dlo >>> 8) & 3;
    res.ns = secure ? ((dlo >>> 5) & 1) | nsTable : 1;
    res.nG = twoPriv ? (dlo >>> 11) & 1 : 0;
    res.perm = perm;
    res.oa = oa + (va % pow2(shift));
    res.sizeLog2 = shift;
    res.fsc = 0;
    return true;
  }
}

/** Stage-1 permission bits from AP[2:1] (after APTable), UXN/PXN (XN) and SCTLR.WXN (D8.4.1, D8.4.3). */
export function s1Perm(twoPriv: boolean, ap: number, uxn: number, pxn: number, wxn: number): number {
  const w1 = (ap & 2) === 0;
  if (!twoPriv) return Perm.R1 | (w1 ? Perm.W1 : 0) | (!uxn && !(wxn && w1) ? Perm.X1 : 0);
  const r0 = ap & 1;
  const w0 = ap === 1;
  const wx = wxn && w1; // any writable region is XN at both levels
  return (
    Perm.R1 |
    (w1 ? Perm.W1 : 0) |
    (r0 ? Perm.R0 | Perm.EL0DATA : 0) |
    (w0 ? Perm.W0 : 0) |
    (!uxn && !wx ? Perm.X0 : 0) |
    (!pxn && !w0 && !wx ? Perm.X1 : 0) // EL0-writable memory is never privileged-executable
  );
}

/** Does the stage-1 permission set allow the access (incl. PAN, D8.4.2)? */
export function checkS1(perm: number, a: S1Access): boolean {
  if (a.acc === Acc.EXEC) return (perm & (a.el0 ? Perm.X0 : Perm.X1)) !== 0;
  if (!a.el0 && a.pan && perm & Perm.EL0DATA) return false;
  if (a.acc === Acc.READ) return (perm & (a.el0 ? Perm.R0 : Perm.R1)) !== 0;
  return (perm & (a.el0 ? Perm.W0 : Perm.W1)) !== 0;
}

function s1Fault(res: S1Res, fsc: number, level: number): boolean {
  res.fsc = fsc;
  res.level = level;
  return false;
}

/** The walk path for a stage-1 regime: EL1&0 walks go through stage 2 when it is enabled. */
export function isDeviceMemAttr(memAttr: number): boolean {
  return (memAttr >>> 2) === 0;
}

export function hcrPtw(c: Cpu): boolean {
  return (rlo(c, IX.HCR_EL2) & HCR_PTW) !== 0;
}

export { isDeviceAttr };
