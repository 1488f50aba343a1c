// FEAT_PAuth (Armv8.3 pointer authentication) as QEMU 7.2's `-cpu max` implements it: the architected
// QARMA5 algorithm (ID_AA64ISAR1_EL1.APA = 1, GPA = 1), without FEAT_EPAC/PAuth2/FPAC, so a failed
// authentication leaves an error code in the pointer instead of trapping.
// Arm ARM: C6.2 (PAC*/AUT*/XPAC*/PACGA/BRA*/RETA*/ERETA*/LDRA*), D8.8 "Pointer authentication",
// J1 pseudocode AddPAC, Auth, Strip, ComputePAC, CalculateBottomPACBit.
// BigInt throughout: PAC instructions are rare (function prologues/epilogues), not a hot path.
import type { Cpu } from './cpu';
import { R } from '../sysregs/table';
import { EC } from './exceptions';
import type { Decoded } from './decode/decoder';
import { ld64 } from './mem';

const M64 = 0xffff_ffff_ffff_ffffn;

// ------------------------------------------------------------------ QARMA5 (ComputePAC)
// A 64-bit value is handled as 16 four-bit cells, cell i = bits [4i+3:4i].
const SBOX = [0xb, 0x6, 0x8, 0xf, 0xc, 0x0, 0x9, 0xe, 0x3, 0x7, 0x4, 0x5, 0xd, 0x2, 0x1, 0xa];
const INV_SBOX = invPerm(SBOX);
/** PACCellShuffle: output cell j takes input cell CELL_SHUFFLE[j] */
const CELL_SHUFFLE = [13, 6, 11, 0, 7, 12, 1, 10, 8, 3, 14, 5, 2, 9, 4, 15];
const CELL_INV_SHUFFLE = invPerm(CELL_SHUFFLE);
/** TweakShuffle: output cell j takes input cell TWEAK_SHUFFLE[j], through TweakCellRot when TWEAK_ROT[j] */
const TWEAK_SHUFFLE = [4, 5, 6, 7, 11, 2, 3, 8, 12, 13, 14, 15, 0, 1, 10, 9];
const TWEAK_ROT = [0, 0, 1, 0, 1, 0, 0, 1, 0, 0, 0, 1, 1, 0, 1, 1];
const RC = [0n, 0x13198a2e03707344n, 0xa4093822299f31d0n, 0x082efa98ec4e6c89n, 0x452821e638d01377n];
const ALPHA = 0xc0ac29b7c97c50ddn;

function invPerm(p: number[]): number[] {
  const q = new Array<number>(p.length);
  for (let i = 0; i < p.length; i++) q[p[i]] = i;
  return q;
}

// All steps work in place on 16-entry cell arrays (no BigInt inside the rounds).
type Cells = Uint8Array;
const TMP = new Uint8Array(16);

function toCells(v: bigint, out: Cells): Cells {
  let lo = Number(v & 0xffff_ffffn), hi = Number((v >> 32n) & 0xffff_ffffn);
  for (let i = 0; i < 8; i++) { out[i] = lo & 0xf; lo >>>= 4; }
  for (let i = 8; i < 16; i++) { out[i] = hi & 0xf; hi >>>= 4; }
  return out;
}
function xorIn(a: Cells, b: Cells): void {
  for (let i = 0; i < 16; i++) a[i] ^= b[i];
}
function sub(a: Cells, box: number[]): void {
  for (let i = 0; i < 16; i++) a[i] = box[a[i]];
}
function shuffle(a: Cells, p: number[]): void {
  TMP.set(a);
  for (let j = 0; j < 16; j++) a[j] = TMP[p[j]];
}
/** 4-bit rotate left */
const rotCell = (x: number, n: number) => ((x << n) | (x >>> (4 - n))) & 0xf;

/** PACMult: each column (cells i, i+4, i+8, i+12) times the circulant matrix circ(0, ρ, ρ², ρ) */
function mult(c: Cells): void {
  TMP.set(c);
  for (let i = 0; i < 4; i++) {
    const a = TMP[i], b = TMP[i + 4], d = TMP[i + 8], e = TMP[i + 12];
    c[i] = rotCell(b, 1) ^ rotCell(d, 2) ^ rotCell(e, 1);
    c[i + 4] = rotCell(d, 1) ^ rotCell(e, 2) ^ rotCell(a, 1);
    c[i + 8] = rotCell(e, 1) ^ rotCell(a, 2) ^ rotCell(b, 1);
    c[i + 12] = rotCell(a, 1) ^ rotCell(b, 2) ^ rotCell(d, 1);
  }
}

/** TweakCellRot: out<2:0> = in<3:1>, out<3> = in<0> ^ in<1> */
const tweakCellRot = (x: number) => (x >>> 1) | (((x ^ (x >>> 1)) & 1) << 3);
/** TweakCellInvRot: out<3:1> = in<2:0>, out<0> = in<0> ^ in<3> */
const tweakCellInvRot = (x: number) => ((x << 1) & 0xf) | ((x & 1) ^ (x >>> 3));

function tweakShuffle(c: Cells): void {
  TMP.set(c);
  for (let j = 0; j < 16; j++) {
    const v = TMP[TWEAK_SHUFFLE[j]];
    c[j] = TWEAK_ROT[j] ? tweakCellRot(v) : v;
  }
}
function tweakInvShuffle(c: Cells): void {
  TMP.set(c);
  for (let j = 0; j < 16; j++) c[TWEAK_SHUFFLE[j]] = TWEAK_ROT[j] ? tweakCellInvRot(TMP[j]) : TMP[j];
}

const RC_CELLS = RC.map((v) => toCells(v, new Uint8Array(16)));
const ALPHA_CELLS = toCells(ALPHA, new Uint8Array(16));
const W = new Uint8Array(16), MOD = new Uint8Array(16), K0 = new Uint8Array(16), K1 = new Uint8Array(16), MK0 = new Uint8Array(16);

/** ComputePAC (Arm ARM J1 shared pseudocode): QARMA5 with data as plaintext, modifier as tweak,
 * key0 = K<127:64> (the whitening key) and key1 = K<63:0> (the core key). */
// ComputePAC on 32-bit halves, memoised (direct-mapped): Linux signs the return address on every
// function entry (PACIASP, modifier SP) and authenticates it on exit with the same inputs, and calls
// in loops repeat whole pairs. QARMA5 on 4-bit cells costs microseconds; a hit is eight compares.
const MEMO_BITS = 12;
const memo = new Uint32Array((1 << MEMO_BITS) * 10).fill(0xffff_ffff);
/** result of computePacHalves: [lo, hi] */
export const PAC_OUT = new Uint32Array(2);

function halvesToCells(lo: number, hi: number, out: Cells): void {
  for (let i = 0; i < 8; i++) { out[i] = lo & 0xf; lo >>>= 4; }
  for (let i = 8; i < 16; i++) { out[i] = hi & 0xf; hi >>>= 4; }
}

/** ComputePAC(data, modifier, key0 = K<127:64>, key1 = K<63:0>) on halves; result in PAC_OUT. */
export function computePacHalves(dLo: number, dHi: number, mLo: number, mHi: number, k0Lo: number, k0Hi: number, k1Lo: number, k1Hi: number): void {
  const h = (((dLo ^ (dLo >>> 20) ^ (dHi << 12) ^ mLo ^ (mLo >>> 12)) >>> 0) & ((1 << MEMO_BITS) - 1)) * 10;
  const m = memo;
  if (m[h] === dLo && m[h + 1] === dHi && m[h + 2] === mLo && m[h + 3] === mHi && m[h + 4] === k0Lo && m[h + 5] === k0Hi && m[h + 6] === k1Lo && m[h + 7] === k1Hi) {
    PAC_OUT[0] = m[h + 8];
    PAC_OUT[1] = m[h + 9];
    return;
  }
  // modk0 = key0<0>:key0<63:2>:(key0<63> EOR key0<1>)
  let sLo = ((k0Lo >>> 1) | (k0Hi << 31)) & ~1;
  let sHi = (k0Hi >>> 1) | ((k0Lo & 1) << 31);
  sLo |= ((k0Hi >>> 31) ^ (k0Lo >>> 1)) & 1;
  halvesToCells(k0Lo, k0Hi, K0);
  halvesToCells(k1Lo, k1Hi, K1);
  halvesToCells(sLo >>> 0, sHi >>> 0, MK0);
  halvesToCells(mLo, mHi, MOD);
  halvesToCells(dLo, dHi, W);
  qarma5();
  let lo = 0, hi = 0;
  for (let i = 7; i >= 0; i--) lo = ((lo << 4) | W[i]) >>> 0;
  for (let i = 15; i >= 8; i--) hi = ((hi << 4) | W[i]) >>> 0;
  PAC_OUT[0] = lo;
  PAC_OUT[1] = hi;
  m[h] = dLo; m[h + 1] = dHi; m[h + 2] = mLo; m[h + 3] = mHi;
  m[h + 4] = k0Lo; m[h + 5] = k0Hi; m[h + 6] = k1Lo; m[h + 7] = k1Hi;
  m[h + 8] = lo; m[h + 9] = hi;
}

const lo32 = (v: bigint) => Number(v & 0xffff_ffffn);
const hi32 = (v: bigint) => Number((v >> 32n) & 0xffff_ffffn);

export function computePac(data: bigint, modifier: bigint, key0: bigint, key1: bigint): bigint {
  computePacHalves(lo32(data), hi32(data), lo32(modifier), hi32(modifier), lo32(key0), hi32(key0), lo32(key1), hi32(key1));
  return (BigInt(PAC_OUT[1]) << 32n) | BigInt(PAC_OUT[0]);
}

/** QARMA5 rounds on the prepared cells W (data), MOD (tweak), K0, K1, MK0; result in W. */
function qarma5(): void {
  xorIn(W, K0);
  for (let i = 0; i < 5; i++) {
    xorIn(W, K1);
    xorIn(W, MOD);
    xorIn(W, RC_CELLS[i]);
    if (i > 0) {
      shuffle(W, CELL_SHUFFLE);
      mult(W);
    }
    sub(W, SBOX);
    tweakShuffle(MOD);
  }
  xorIn(W, MK0);
  xorIn(W, MOD);
  shuffle(W, CELL_SHUFFLE);
  mult(W);
  sub(W, SBOX);
  shuffle(W, CELL_SHUFFLE);
  mult(W);
  xorIn(W, K1);
  shuffle(W, CELL_INV_SHUFFLE);
  sub(W, INV_SBOX);
  mult(W);
  shuffle(W, CELL_INV_SHUFFLE);
  xorIn(W, K0);
  xorIn(W, MOD);
  for (let i = 0; i < 5; i++) {
    sub(W, INV_SBOX);
    if (i < 4) {
      mult(W);
      shuffle(W, CELL_INV_SHUFFLE);
    }
    tweakInvShuffle(MOD);
    xorIn(W, RC_CELLS[4 - i]);
    xorIn(W, K1);
    xorIn(W, MOD);
    xorIn(W, ALPHA_CELLS);
  }
  xorIn(W, MK0);
}

// ------------------------------------------------------------------ keys
export const Key = { IA: 0, IB: 1, DA: 2, DB: 3, GA: 4 } as const;
export type Key = (typeof Key)[keyof typeof Key];

function keyRegs(k: Key): [number, number] {
  switch (k) {
    case Key.IA: return [R.APIAKEYHI_EL1, R.APIAKEYLO_EL1];
    case Key.IB: return [R.APIBKEYHI_EL1, R.APIBKEYLO_EL1];
    case Key.DA: return [R.APDAKEYHI_EL1, R.APDAKEYLO_EL1];
    case Key.DB: return [R.APDBKEYHI_EL1, R.APDBKEYLO_EL1];
    default: return [R.APGAKEYHI_EL1, R.APGAKEYLO_EL1];
  }
}
function pacWithKey(c: Cpu, ptr: bigint, modifier: bigint, k: Key): bigint {
  const [hi, lo] = keyRegs(k);
  return computePac(ptr, modifier, c.sysGet(hi), c.sysGet(lo));
}

// ------------------------------------------------------------------ address layout
/** Where the PAC goes for `ptr` in the current translation regime: TBI (with TBID for instruction
 * pointers) and the bottom PAC bit 64 - TxSZ, the range chosen by bit 55 (CalculateBottomPACBit). */
export function vaParams(c: Cpu, ptr: bigint, data: boolean): { tbi: boolean; bot: number } {
  const el = c.el;
  let twoRanges = true;
  let tcr: bigint;
  if (el === 3) { tcr = c.sysGet(R.TCR_EL3); twoRanges = false; }
  else if (el === 2) { tcr = c.sysGet(R.TCR_EL2); twoRanges = c.e2h(); }
  else if (el === 0 && c.isHostEl0Regime()) tcr = c.sysGet(R.TCR_EL2);
  else tcr = c.sysGet(R.TCR_EL1);
  let tsz: number, tbi: boolean;
  if (twoRanges) {
    const sel = (ptr >> 55n) & 1n ? 1 : 0;
    tsz = Number((tcr >> (sel ? 16n : 0n)) & 63n);
    tbi = ((tcr >> BigInt(37 + sel)) & 1n) === 1n;
    if (!data && ((tcr >> BigInt(51 + sel)) & 1n) === 1n) tbi = false; // TBID0/TBID1
  } else {
    tsz = Number(tcr & 63n);
    tbi = ((tcr >> 20n) & 1n) === 1n;
    if (!data && ((tcr >> 29n) & 1n) === 1n) tbi = false; // TBID
  }
  // TxSZ outside the implemented range is treated as the nearest supported value (no FEAT_LVA/TTST)
  tsz = Math.min(39, Math.max(16, tsz));
  return { tbi, bot: 64 - tsz };
}

const mask = (lo: number, hi: number) => ((1n << BigInt(hi - lo + 1)) - 1n) << BigInt(lo); // bits hi..lo

/** AddPAC: insert the PAC of `ptr` into its unused top bits */
export function addPac(c: Cpu, ptr: bigint, modifier: bigint, k: Key, data: boolean): bigint {
  const { tbi, bot } = vaParams(c, ptr, data);
  const top = tbi ? 55 : 63;
  const selbit = (ptr >> BigInt(top)) & 1n;
  // pointer with the PAC field replaced by the extension bit
  const extField = mask(bot, tbi ? 55 : 63);
  const extPtr = selbit ? ptr | extField : ptr & ~extField;
  let pac = pacWithKey(c, extPtr, modifier, k);
  const field = ptr & extField;
  if (field !== 0n && field !== extField) pac ^= 1n << BigInt(top - 1); // bad extension: corrupt the PAC
  const low = ptr & mask(0, bot - 1);
  const pacBits = pac & mask(bot, 54);
  const b55 = selbit << 55n;
  if (tbi) return (ptr & mask(56, 63)) | b55 | pacBits | low;
  return (pac & mask(56, 63)) | b55 | pacBits | low;
}

/** the pointer with its PAC field restored to the extension of bit 55 */
function originalPtr(ptr: bigint, tbi: boolean, bot: number): bigint {
  const f = mask(bot, tbi ? 55 : 63);
  return (ptr >> 55n) & 1n ? ptr | f : ptr & ~f;
}

/** Auth (FEAT_PAuth without PAuth2/FPAC): the original pointer, or on a mismatch the original
 * pointer with error code key_number:NOT(key_number) in bits [54:53] (TBI) or [62:61] */
export function auth(c: Cpu, ptr: bigint, modifier: bigint, k: Key, data: boolean): bigint {
  const { tbi, bot } = vaParams(c, ptr, data);
  const orig = originalPtr(ptr, tbi, bot);
  const pac = pacWithKey(c, orig, modifier, k);
  const check = mask(bot, 54) | (tbi ? 0n : mask(56, 63));
  if (((pac ^ ptr) & check) === 0n) return orig;
  const keyNumber = k === Key.IB || k === Key.DB ? 1n : 0n;
  const err = (keyNumber << 1n) | (keyNumber ^ 1n);
  const at = tbi ? 53n : 61n;
  return (orig & ~(3n << at)) | (err << at);
}

/** Strip (XPACI/XPACD/XPACLRI) */
export function strip(c: Cpu, ptr: bigint, data: boolean): bigint {
  const { tbi, bot } = vaParams(c, ptr, data);
  return originalPtr(ptr, tbi, bot);
}

// ------------------------------------------------------------------ enables and traps
/** SCTLR_ELx enable bit per key (EnIA 31, EnIB 30, EnDA 27, EnDB 13); PACGA has none */
const EN_BIT = [31, 30, 27, 13, -1];

/**
 * The enable/trap check of PACIA..AUTDB, PACGA and the branch/load forms (Arm ARM pseudocode of
 * AddPACIA etc.): false when the key is disabled by SCTLR_ELx.EnXX (the operation leaves the value
 * unchanged) or when HCR_EL2.API / SCR_EL3.API trapped the instruction (EC 0x09, ISS 0; c.abort set).
 */
export function pacAllowed(c: Cpu, k: Key): boolean {
  const el = c.el;
  let sctlr: number;
  let trap2 = false;
  const apiOff = ((c.hcrHi() >>> 9) & 1) === 0; // HCR_EL2.API (bit 41)
  if (el === 3) sctlr = R.SCTLR_EL3;
  else if (el === 2) sctlr = R.SCTLR_EL2;
  else if (el === 1) {
    sctlr = R.SCTLR_EL1;
    trap2 = c.el2Enabled() && apiOff;
  } else {
    sctlr = c.isHostEl0Regime() ? R.SCTLR_EL2 : R.SCTLR_EL1;
    trap2 = c.el2Enabled() && apiOff && !(c.tge() && c.e2h());
  }
  const bit = EN_BIT[k];
  if (bit >= 0 && ((c.sysLo(sctlr) >>> bit) & 1) === 0) return false;
  if (trap2) {
    c.syncException(EC.PAC, 0, 2);
    return false;
  }
  if (el < 3 && ((c.sysLo(R.SCR_EL3) >>> 17) & 1) === 0) { // SCR_EL3.API
    c.syncException(EC.PAC, 0, 3);
    return false;
  }
  return true;
}

/** AddPACxx with the enable/trap checks: the value to write (ptr unchanged when disabled); check
 * c.abort afterwards */
export function pacOp(c: Cpu, ptr: bigint, modifier: bigint, k: Key): bigint {
  if (!pacAllowed(c, k)) return ptr;
  return addPac(c, ptr, modifier, k, k === Key.DA || k === Key.DB);
}
/** AuthXX with the enable/trap checks */
export function autOp(c: Cpu, ptr: bigint, modifier: bigint, k: Key): bigint {
  if (!pacAllowed(c, k)) return ptr;
  return auth(c, ptr, modifier, k, k === Key.DA || k === Key.DB);
}
/** PACGA: PAC<63:32> : Zeros(32) with the generic key */
export function pacgaOp(c: Cpu, v: bigint, modifier: bigint): bigint {
  if (!pacAllowed(c, Key.GA)) return 0n; // not reachable without a trap: PACGA has no enable bit
  return pacWithKey(c, v, modifier, Key.GA) & 0xffff_ffff_0000_0000n;
}

// ------------------------------------------------------------------ register helpers for exec fns
export function getSlot(c: Cpu, slot: number): bigint {
  return (BigInt(c.x[slot + 1]) << 32n) | BigInt(c.x[slot]);
}
export function setSlot(c: Cpu, slot: number, v: bigint): void {
  c.x[slot] = Number(v & 0xffff_ffffn);
  c.x[slot + 1] = Number((v >> 32n) & 0xffff_ffffn);
}

// ------------------------------------------------------------------ exec functions (rows live in
// exec/dp-reg.ts, exec/branch.ts, exec/system.ts HINT_FN and exec/ldst.ts)
const SLOT_SP = 62, SLOT_LR = 60, SLOT_X16 = 32, SLOT_X17 = 34, ZR = 64;

/** PACIA..PACDZB / AUTIA..AUTDZB: d.ra = Xd read slot, d.rd = Xd write slot, d.rn = modifier slot
 * (Xn|SP, or XZR for the Z forms), d.imm = key, d.imm2 = 1 for AUT */
export function execPacAut(c: Cpu, d: Decoded): void {
  const ptr = getSlot(c, d.ra), mod = getSlot(c, d.rn);
  const v = d.imm2 ? autOp(c, ptr, mod, d.imm as Key) : pacOp(c, ptr, mod, d.imm as Key);
  if (c.abort) return;
  setSlot(c, d.rd, v);
}
/** XPACI / XPACD: d.ra read slot, d.rd write slot, d.imm2 = 1 for data */
export function execXpac(c: Cpu, d: Decoded): void {
  setSlot(c, d.rd, strip(c, getSlot(c, d.ra), d.imm2 === 1));
}
/** PACGA Xd, Xn, Xm|SP */
export function execPacga(c: Cpu, d: Decoded): void {
  const v = pacgaOp(c, getSlot(c, d.rn), getSlot(c, d.rm));
  if (c.abort) return;
  setSlot(c, d.rd, v);
}

// AddPAC / Auth on 32-bit halves for the hint forms (PACIASP, AUTIASP...), when the PAC field lies
// wholly in the upper word (bottom PAC bit >= 32, i.e. TxSZ <= 32: every 39- to 48-bit VA layout).
// Same pseudocode as addPac()/auth() below; they remain the reference for all other cases.
let vTbi = false;
let vBot = 0;
function vaParamsN(c: Cpu, pHi: number, data: boolean): void {
  const el = c.el;
  let tcr: number;
  let twoRanges = true;
  if (el === 3) { tcr = R.TCR_EL3; twoRanges = false; }
  else if (el === 2) { tcr = R.TCR_EL2; twoRanges = c.e2h(); }
  else if (el === 0 && c.isHostEl0Regime()) tcr = R.TCR_EL2;
  else tcr = R.TCR_EL1;
  const tLo = c.sys[2 * tcr], tHi = c.sys[2 * tcr + 1];
  let tsz: number;
  if (twoRanges) {
    const sel = (pHi >>> 23) & 1;
    tsz = (tLo >>> (sel ? 16 : 0)) & 63;
    vTbi = ((tHi >>> (5 + sel)) & 1) === 1; // TBI0/TBI1 = bits 37/38
    if (!data && ((tHi >>> (19 + sel)) & 1) === 1) vTbi = false; // TBID0/TBID1 = bits 51/52
  } else {
    tsz = tLo & 63;
    vTbi = ((tLo >>> 20) & 1) === 1;
    if (!data && ((tLo >>> 29) & 1) === 1) vTbi = false;
  }
  vBot = 64 - Math.min(39, Math.max(16, tsz));
}
/** bits [a, b] of the upper word (0 <= a <= b <= 31) */
const maskHi = (a: number, b: number) => (b - a === 31 ? 0xffff_ffff : (((1 << (b - a + 1)) - 1) << a)) >>> 0;

/** AddPAC on halves into x[slot]; false when the fast form does not apply (caller uses addPac). */
function addPacN(c: Cpu, slot: number, mLo: number, mHi: number, kHi: number, kLo: number, data: boolean): boolean {
  const x = c.x;
  const pLo = x[slot], pHi = x[slot + 1];
  vaParamsN(c, pHi, data);
  if (vBot < 32) return false;
  const tbi = vTbi, b = vBot - 32;
  const top = tbi ? 23 : 31; // bit 55 / 63 of the pointer, in the upper word
  const selbit = (pHi >>> top) & 1;
  const fm = maskHi(b, top);
  const extHi = (selbit ? pHi | fm : pHi & ~fm) >>> 0;
  const sys = c.sys;
  computePacHalves(pLo, extHi, mLo, mHi, sys[2 * kHi], sys[2 * kHi + 1], sys[2 * kLo], sys[2 * kLo + 1]);
  let pacHi = PAC_OUT[1];
  const field = (pHi & fm) >>> 0;
  if (field !== 0 && field !== fm) pacHi ^= 1 << (top - 1); // bad extension: corrupt the PAC
  const pacBits = pacHi & maskHi(b, 22);
  const low = b > 0 ? pHi & maskHi(0, b - 1) : 0;
  const upper = (tbi ? pHi : pacHi) & 0xff00_0000;
  x[slot + 1] = (upper | (selbit << 23) | pacBits | low) >>> 0;
  return true;
}

/** Auth (no FPAC) on halves into x[slot]; false when the fast form does not apply. */
function authN(c: Cpu, slot: number, mLo: number, mHi: number, kHi: number, kLo: number, k: Key, data: boolean): boolean {
  const x = c.x;
  const pLo = x[slot], pHi = x[slot + 1];
  vaParamsN(c, pHi, data);
  if (vBot < 32) return false;
  const tbi = vTbi, b = vBot - 32;
  const fm = maskHi(b, tbi ? 23 : 31);
  let origHi = ((pHi >>> 23) & 1 ? pHi | fm : pHi & ~fm) >>> 0;
  const sys = c.sys;
  computePacHalves(pLo, origHi, mLo, mHi, sys[2 * kHi], sys[2 * kHi + 1], sys[2 * kLo], sys[2 * kLo + 1]);
  const check = maskHi(b, 22) | (tbi ? 0 : 0xff00_0000);
  if (((PAC_OUT[1] ^ pHi) & check) !== 0) {
    const kn = k === Key.IB || k === Key.DB ? 1 : 0;
    const at = tbi ? 21 : 29; // bits 53 / 61
    origHi = ((origHi & ~(3 << at)) | ((((kn << 1) | (kn ^ 1)) << at))) >>> 0;
  }
  x[slot + 1] = origHi;
  return true;
}

// Memo of whole hint operations (PACIASP/AUTIASP and friends run on every kernel function call):
// everything the result depends on, as 32-bit numbers — pointer, modifier, the key (both halves), the
// TCR that gives TBI and the PAC field, and which operation in which regime — so a repeat costs a
// dozen integer compares instead of BigInt address arithmetic. Entry layout: 12 inputs, 2 outputs.
const HM_BITS = 11;
const HM_W = 14;
const hintMemo = new Uint32Array((1 << HM_BITS) * HM_W);
hintMemo.fill(0xffff_ffff);
/** the TCR register vaParams() reads in the current regime */
function tcrReg(c: Cpu): number {
  const el = c.el;
  if (el === 3) return R.TCR_EL3;
  if (el === 2 || (el === 0 && c.isHostEl0Regime())) return R.TCR_EL2;
  return R.TCR_EL1;
}

function hint(ptrSlot: number, modSlot: number, k: Key, aut: boolean) {
  const data = k === Key.DA || k === Key.DB;
  const [keyHi, keyLo] = keyRegs(k);
  return (c: Cpu, _d: Decoded): void => {
    // checked first: with the key disabled (the common case for code built with -mbranch-protection
    // running under an OS that does not enable PAuth) the hint stays a cheap NOP
    if (!pacAllowed(c, k)) return;
    const x = c.x, sys = c.sys;
    const pLo = x[ptrSlot], pHi = x[ptrSlot + 1], mLo = x[modSlot], mHi = x[modSlot + 1];
    const tcr = tcrReg(c);
    const tLo = sys[2 * tcr], tHi = sys[2 * tcr + 1];
    // which of TCR_EL2's layouts applies (E2H) and which operation/key: one word
    const op = (k << 4) | (aut ? 8 : 0) | (c.e2h() ? 4 : 0) | c.el;
    const h = (((pLo ^ (pLo >>> 13) ^ mLo ^ (mLo >>> 7) ^ (pHi << 3)) >>> 0) & ((1 << HM_BITS) - 1)) * HM_W;
    const m = hintMemo;
    if (
      m[h] === pLo && m[h + 1] === pHi && m[h + 2] === mLo && m[h + 3] === mHi && m[h + 4] === op &&
      m[h + 5] === tLo && m[h + 6] === tHi && m[h + 7] === sys[2 * keyLo] && m[h + 8] === sys[2 * keyLo + 1] &&
      m[h + 9] === sys[2 * keyHi] && m[h + 10] === sys[2 * keyHi + 1] && m[h + 11] === tcr
    ) {
      x[ptrSlot] = m[h + 12];
      x[ptrSlot + 1] = m[h + 13];
      return;
    }
    const fast = aut ? authN(c, ptrSlot, mLo, mHi, keyHi, keyLo, k, data) : addPacN(c, ptrSlot, mLo, mHi, keyHi, keyLo, data);
    if (!fast) {
      const ptr = getSlot(c, ptrSlot), mod = getSlot(c, modSlot);
      setSlot(c, ptrSlot, aut ? auth(c, ptr, mod, k, data) : addPac(c, ptr, mod, k, data));
    }
    m[h] = pLo; m[h + 1] = pHi; m[h + 2] = mLo; m[h + 3] = mHi; m[h + 4] = op;
    m[h + 5] = tLo; m[h + 6] = tHi; m[h + 7] = sys[2 * keyLo]; m[h + 8] = sys[2 * keyLo + 1];
    m[h + 9] = sys[2 * keyHi]; m[h + 10] = sys[2 * keyHi + 1]; m[h + 11] = tcr;
    m[h + 12] = x[ptrSlot]; m[h + 13] = x[ptrSlot + 1];
    if (!aut) {
      // the matching AUT (same modifier, the pointer just signed) will give back the pointer when
      // stripping the PAC restores it exactly (a canonical pointer): remember that too
      // (vaParamsN already ran for this pointer in addPacN, or run it now; bit 55 is unchanged by AddPAC)
      if (!fast) vaParamsN(c, pHi, data);
      const sLo = x[ptrSlot], sHi = x[ptrSlot + 1];
      const fm = vBot >= 32 ? maskHi(vBot - 32, vTbi ? 23 : 31) : 0;
      const restoredHi = ((sHi >>> 23) & 1 ? sHi | fm : sHi & ~fm) >>> 0;
      if (vBot >= 32 && sLo === pLo && restoredHi === pHi) {
        const opA = op | 8;
        const g = (((sLo ^ (sLo >>> 13) ^ mLo ^ (mLo >>> 7) ^ (sHi << 3)) >>> 0) & ((1 << HM_BITS) - 1)) * HM_W;
        m[g] = sLo; m[g + 1] = sHi; m[g + 2] = mLo; m[g + 3] = mHi; m[g + 4] = opA;
        m[g + 5] = tLo; m[g + 6] = tHi; m[g + 7] = m[h + 7]; m[g + 8] = m[h + 8];
        m[g + 9] = m[h + 9]; m[g + 10] = m[h + 10]; m[g + 11] = tcr;
        m[g + 12] = pLo; m[g + 13] = pHi;
      }
    }
  };
}
/** The HINT-space forms, by CRm:op2 (Arm ARM C6.2.x): XPACLRI, PAC/AUT IA/IB 1716, Z and SP */
export const PAUTH_HINTS: [number, (c: Cpu, d: Decoded) => void][] = [
  [0x07, (c) => setSlot(c, SLOT_LR, strip(c, getSlot(c, SLOT_LR), false))],
  [0x08, hint(SLOT_X17, SLOT_X16, Key.IA, false)],
  [0x0a, hint(SLOT_X17, SLOT_X16, Key.IB, false)],
  [0x0c, hint(SLOT_X17, SLOT_X16, Key.IA, true)],
  [0x0e, hint(SLOT_X17, SLOT_X16, Key.IB, true)],
  [0x18, hint(SLOT_LR, ZR, Key.IA, false)],
  [0x19, hint(SLOT_LR, SLOT_SP, Key.IA, false)],
  [0x1a, hint(SLOT_LR, ZR, Key.IB, false)],
  [0x1b, hint(SLOT_LR, SLOT_SP, Key.IB, false)],
  [0x1c, hint(SLOT_LR, ZR, Key.IA, true)],
  [0x1d, hint(SLOT_LR, SLOT_SP, Key.IA, true)],
  [0x1e, hint(SLOT_LR, ZR, Key.IB, true)],
  [0x1f, hint(SLOT_LR, SLOT_SP, Key.IB, true)],
];

/** BRAA/BRAB/BRAAZ/BRABZ/BLRAA.../RETAA/RETAB: d.rn = target slot, d.rm = modifier slot, d.imm = key
 * (IA/IB), d.imm2 = 1 to link. The authenticated target goes to the PC; a failed authentication
 * leaves a non-canonical address whose fetch faults. */
export function execBranchAuth(c: Cpu, d: Decoded): void {
  let lo = c.x[d.rn], hi = c.x[d.rn + 1];
  if (pacAllowed(c, d.imm as Key)) {
    const target = auth(c, getSlot(c, d.rn), getSlot(c, d.rm), d.imm as Key, false);
    lo = Number(target & 0xffff_ffffn);
    hi = Number(target >> 32n);
  } else if (c.abort) return;
  if (d.imm2) {
    c.x[SLOT_LR] = c.pcLo;
    c.x[SLOT_LR + 1] = c.pcHi;
  }
  c.pcLo = lo;
  c.pcHi = hi;
  c.exitLoop = true; // the target may be misaligned or non-canonical: let the fetch path decide
}

/** ERETAA/ERETAB: ELR authenticated with the IA/IB key and SP as modifier (null: exception taken) */
export function eretAuthElr(c: Cpu, lo: number, hi: number, k: Key): bigint | null {
  const v = autOp(c, (BigInt(hi) << 32n) | BigInt(lo), getSlot(c, SLOT_SP), k);
  return c.abort ? null : v;
}

/** LDRAA/LDRAB: d.rn = base slot (Xn|SP), d.rd = Rt write slot, d.imm = key (DA/DB), d.ra = signed
 * byte offset, d.imm2 = 1 for pre-index writeback (to d.imm3 = base write slot) */
export function execLdra(c: Cpu, d: Decoded): void {
  let addr = getSlot(c, d.rn);
  if (pacAllowed(c, d.imm as Key)) addr = auth(c, addr, 0n, d.imm as Key, true);
  if (c.abort) return;
  addr = (addr + BigInt(d.ra)) & M64;
  const lo = Number(addr & 0xffff_ffffn), hi = Number(addr >> 32n);
  ld64(c, lo, hi);
  if (c.abort) return;
  const vlo = c.tmpLo, vhi = c.tmpHi;
  if (d.imm2) { c.x[d.imm3] = lo; c.x[d.imm3 + 1] = hi; }
  c.x[d.rd] = vlo;
  c.x[d.rd + 1] = vhi;
}
