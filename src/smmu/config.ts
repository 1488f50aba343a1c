// SMMUv3 configuration structures (Arm IHI 0070 "SMMU architecture version 3", chapter 5):
// the Stream Table Entry (5.2), the level-1 Stream Table Descriptor (5.1) and the Context
// Descriptor (5.4), decoded from their in-memory little-endian 64-bit words, and the checks that
// make a structure ILLEGAL (C_BAD_STE / C_BAD_CD, 5.2 and 5.4 "... is ILLEGAL if ...").
import type { S2Cfg } from '../mmu/ptw';
import type { S1Regs } from '../mmu/regime';
import { psBits, tg0Shift } from '../mmu/regime';

const P32 = 4294967296;

/** bits [hi:lo] of a 64-bit word held as a bigint, as a number (field width <= 52) */
export function bits(v: bigint, hi: number, lo: number): number {
  return Number((v >> BigInt(lo)) & ((1n << BigInt(hi - lo + 1)) - 1n));
}

/** STE.Config (5.2): bit 2 = translate or bypass, bit 1 = stage 2, bit 0 = stage 1 */
export const STE_CONFIG_NAMES: Record<number, string> = {
  0: 'abort',
  4: 'bypass',
  5: 'stage 1',
  6: 'stage 2',
  7: 'stage 1 + stage 2',
};

export interface Ste {
  words: bigint[];
  v: boolean;
  config: number;
  s1Fmt: number;
  s1ContextPtr: number;
  s1CdMax: number;
  s1Dss: number;
  s1StallD: number;
  eats: number;
  /** StreamWorld: 0 NS-EL1, 2 EL2 (or EL2-E2H with CR2.E2H) */
  strw: number;
  privCfg: number;
  instCfg: number;
  s2Vmid: number;
  s2T0sz: number;
  s2Sl0: number;
  s2Tg: number;
  s2Ps: number;
  s2Aa64: number;
  s2Endi: number;
  s2Affd: number;
  s2Ptw: number;
  s2Hd: number;
  s2Ha: number;
  s2S: number;
  s2R: number;
  s2Ttb: number;
}

/** Decode the eight 64-bit words of an STE (5.2, field positions as bit numbers of the 512-bit entry). */
export function decodeSte(w: bigint[]): Ste {
  return {
    words: w,
    v: bits(w[0], 0, 0) === 1,
    config: bits(w[0], 3, 1),
    s1Fmt: bits(w[0], 5, 4),
    s1ContextPtr: bits(w[0], 51, 6) * 64,
    s1CdMax: bits(w[0], 63, 59),
    s1Dss: bits(w[1], 1, 0),
    s1StallD: bits(w[1], 27, 27),
    eats: bits(w[1], 29, 28),
    strw: bits(w[1], 31, 30),
    privCfg: bits(w[1], 49, 48),
    instCfg: bits(w[1], 51, 50),
    s2Vmid: bits(w[2], 15, 0),
    s2T0sz: bits(w[2], 37, 32),
    s2Sl0: bits(w[2], 39, 38),
    s2Tg: bits(w[2], 47, 46),
    s2Ps: bits(w[2], 50, 48),
    s2Aa64: bits(w[2], 51, 51),
    s2Endi: bits(w[2], 52, 52),
    s2Affd: bits(w[2], 53, 53),
    s2Ptw: bits(w[2], 54, 54),
    s2Hd: bits(w[2], 55, 55),
    s2Ha: bits(w[2], 56, 56),
    s2S: bits(w[2], 57, 57),
    s2R: bits(w[2], 58, 58),
    s2Ttb: bits(w[3], 51, 4) * 16,
  };
}

export const steS1 = (s: Ste) => (s.config & 5) === 5;
export const steS2 = (s: Ste) => (s.config & 6) === 6;

/** Stage-2 walk configuration from an STE (the STE's S2* fields play VTCR_EL2/VTTBR_EL2's part). */
export function s2CfgFromSte(s: Ste): S2Cfg {
  const g = tg0Shift(s.s2Tg);
  const stride = g - 3;
  let startLevel: number;
  let bad = s.s2Tg === 3;
  if (g === 12) startLevel = s.s2Sl0 === 0 ? 2 : s.s2Sl0 === 1 ? 1 : s.s2Sl0 === 2 ? 0 : -1;
  else startLevel = s.s2Sl0 === 0 ? 3 : s.s2Sl0 === 1 ? 2 : s.s2Sl0 === 2 ? 1 : -1;
  if (startLevel < 0) {
    bad = true;
    startLevel = 0;
  }
  const inputsize = 64 - s.s2T0sz;
  if (inputsize > 48 || s.s2T0sz > 39) bad = true;
  const firstBits = inputsize - (g + (3 - startLevel) * stride);
  if (firstBits < 1 || firstBits > stride + 4) bad = true; // at most 16 concatenated tables
  const align = Math.pow(2, Math.max(firstBits + 3, 3));
  return {
    secure: false,
    base: Math.floor(s.s2Ttb / align) * align,
    g,
    startLevel,
    firstBits,
    inputsize,
    ps: psBits(s.s2Ps),
    // IDR0.HTTU = 0: no hardware AF/dirty updates. S2AFFD = 1 disables Access flag faults: the
    // walker's "hardware AF" mode does that when it never writes (walks use update: false).
    ha: s.s2Affd === 1,
    hd: false,
    bad,
    vmid: s.s2Vmid,
  };
}

/** Why an STE is ILLEGAL (C_BAD_STE), or null. `hyp` = IDR0.HYP. */
export function steIllegal(s: Ste): string | null {
  if (!s.v) return 'V == 0';
  if (s.config !== 0 && s.config < 4) return `reserved Config 0b${s.config.toString(2).padStart(3, '0')}`;
  if (s.config === 0 || s.config === 4) return null; // abort / bypass: nothing else is checked
  if (s.strw === 1 || s.strw === 3) return `reserved STRW ${s.strw}`;
  if (steS1(s)) {
    if (s.s1StallD) return 'S1STALLD == 1 (IDR0.STALL_MODEL = 0b01: no stall model to disable)';
    if (s.s1ContextPtr >= 2 ** 48) return 'S1ContextPtr beyond the output address size';
  }
  if (steS2(s)) {
    if (s.strw === 2) return 'STRW == EL2 with stage 2 translation';
    if (!s.s2Aa64) return 'S2AA64 == 0 (AArch32 tables are not supported: IDR0.TTF = AArch64)';
    if (s.s2Endi) return 'S2ENDI == 1 (IDR0.TTENDIAN: little-endian only)';
    if (s.s2S) return 'S2S == 1 (stall model: IDR0.STALL_MODEL = 0b01, stalls not supported)';
    if (s.s2Tg === 3) return 'reserved S2TG';
    if (s2CfgFromSte(s).bad) return `S2T0SZ ${s.s2T0sz} / S2SL0 ${s.s2Sl0} / S2TG ${s.s2Tg} is not a valid combination`;
    if (s.s2Ttb >= 2 ** psBits(s.s2Ps)) return 'S2TTB beyond S2PS';
  }
  return null;
}

export interface Cd {
  words: bigint[];
  t0sz: number;
  tg0: number;
  epd0: number;
  endi: number;
  t1sz: number;
  tg1: number;
  epd1: number;
  v: boolean;
  ips: number;
  affd: number;
  wxn: number;
  tbi: number;
  pan: number;
  aa64: number;
  s: number;
  r: number;
  a: number;
  asid: number;
  ttb0: number;
  ttb1: number;
  mair: bigint;
}

/** Decode a Context Descriptor (5.4). */
export function decodeCd(w: bigint[]): Cd {
  return {
    words: w,
    t0sz: bits(w[0], 5, 0),
    tg0: bits(w[0], 7, 6),
    epd0: bits(w[0], 14, 14),
    endi: bits(w[0], 15, 15),
    t1sz: bits(w[0], 21, 16),
    tg1: bits(w[0], 23, 22),
    epd1: bits(w[0], 30, 30),
    v: bits(w[0], 31, 31) === 1,
    ips: bits(w[0], 34, 32),
    affd: bits(w[0], 35, 35),
    wxn: bits(w[0], 36, 36),
    tbi: bits(w[0], 39, 38),
    pan: bits(w[0], 40, 40),
    aa64: bits(w[0], 41, 41),
    s: bits(w[0], 44, 44),
    r: bits(w[0], 45, 45),
    a: bits(w[0], 46, 46),
    asid: bits(w[0], 63, 48),
    ttb0: bits(w[1], 51, 4) * 16,
    ttb1: bits(w[2], 51, 4) * 16,
    mair: w[3],
  };
}

/** Why a CD is ILLEGAL (C_BAD_CD), or null. */
export function cdIllegal(d: Cd): string | null {
  if (!d.v) return 'V == 0';
  if (!d.aa64) return 'AA64 == 0 (IDR0.TTF = AArch64 only)';
  if (d.endi) return 'ENDI == 1 (little-endian only)';
  if (d.s) return 'S == 1 (stalls not supported)';
  if (d.tg0 === 3) return 'reserved TG0';
  return null;
}

/**
 * The CD as the stage-1 register set the shared walker reads (TCR_EL1/TTBRn_EL1/MAIR_EL1/SCTLR_EL1
 * layout, src/mmu/regime.ts S1Regs). `el2` = StreamWorld EL2 without E2H: one VA range (TCR_EL2).
 */
export function s1RegsFromCd(d: Cd, el2: boolean): S1Regs {
  const mairLo = Number(d.mair & 0xffffffffn);
  const mairHi = Number((d.mair >> 32n) & 0xffffffffn);
  const t0Lo = d.ttb0 % P32;
  const t0Hi = Math.floor(d.ttb0 / P32) & 0xffff;
  const t1Lo = d.ttb1 % P32;
  const t1Hi = Math.floor(d.ttb1 / P32) & 0xffff;
  // CD.AFFD = 1: Access flag faults disabled (walker HA mode without descriptor updates)
  const ha = d.affd;
  if (el2) {
    // TCR_EL2: T0SZ [5:0], TG0 [15:14], PS [18:16], TBI [20], HA [21]
    const tcrLo = d.t0sz | (d.tg0 << 14) | (d.ips << 16) | ((d.tbi & 1) << 20) | (ha << 21);
    return { sctlr: 1 | (d.wxn << 19), tcrLo: tcrLo >>> 0, tcrHi: 0, mairLo, mairHi, ttbr0Lo: t0Lo, ttbr0Hi: t0Hi, ttbr1Lo: 0, ttbr1Hi: 0, twoRanges: false };
  }
  // TCR_EL1: T0SZ [5:0], EPD0 [7], TG0 [15:14], T1SZ [21:16], A1 [22] = 0, EPD1 [23], TG1 [31:30];
  // high word: IPS [34:32], AS [36] = 1 (16-bit ASIDs, IDR0.ASID16), TBI0 [37], TBI1 [38], HA [39]
  const tcrLo = d.t0sz | (d.epd0 << 7) | (d.tg0 << 14) | (d.t1sz << 16) | (d.epd1 << 23) | (d.tg1 << 30);
  const tcrHi = d.ips | (1 << 4) | ((d.tbi & 1) << 5) | (((d.tbi >>> 1) & 1) << 6) | (ha << 7);
  return {
    sctlr: 1 | (d.wxn << 19),
    tcrLo: tcrLo >>> 0,
    tcrHi,
    mairLo,
    mairHi,
    ttbr0Lo: t0Lo,
    ttbr0Hi: (t0Hi | (d.asid << 16)) >>> 0,
    ttbr1Lo: t1Lo,
    ttbr1Hi: t1Hi,
    twoRanges: true,
  };
}
