// 64-bit arithmetic on 32-bit halves, shared by every instruction class. Results of two-word
// operations go to c.tmpLo / c.tmpHi (no allocation on the hot path). Flag-setting helpers follow
// the Arm ARM pseudocode AddWithCarry() (J1, shared/functions/integer) bit for bit.
import type { Cpu } from './cpu';

const TWO32 = 4294967296;

/** c.tmp = (aLo,aHi) + (bLo,bHi) */
export function add64(c: Cpu, aLo: number, aHi: number, bLo: number, bHi: number): void {
  const lo = (aLo + bLo) >>> 0;
  c.tmpLo = lo;
  c.tmpHi = (aHi + bHi + (lo < aLo >>> 0 ? 1 : 0)) >>> 0;
}

/** c.tmp = (aLo,aHi) + sign-extended 32-bit-safe JS integer k (|k| < 2^52) */
export function addImm64(c: Cpu, aLo: number, aHi: number, k: number): void {
  const s = aLo + k; // exact: |s| < 2^53
  const lo = s >>> 0;
  c.tmpLo = lo;
  c.tmpHi = (aHi + Math.floor((s - lo) / TWO32)) >>> 0;
}

// ------------------------------------------------------------------ AddWithCarry with NZCV

/** 64-bit AddWithCarry(a, b, cin) on unsigned halves; result to c.tmp, flags to PSTATE. */
export function adc64Flags(c: Cpu, aLo: number, aHi: number, bLo: number, bHi: number, cin: number): void {
  const s = aLo + bLo + cin; // < 2^33, exact
  const lo = s >>> 0;
  const h = aHi + bHi + (s >= TWO32 ? 1 : 0);
  const hi = h >>> 0;
  c.tmpLo = lo;
  c.tmpHi = hi;
  c.n = hi >>> 31;
  c.z = (lo | hi) === 0 ? 1 : 0;
  c.cf = h >= TWO32 ? 1 : 0;
  c.v = ((aHi ^ hi) & (bHi ^ hi)) >>> 31;
}

/** 64-bit a - b - (1 - cin) = AddWithCarry(a, NOT b, cin); result to c.tmp, flags to PSTATE. */
export function sbc64Flags(c: Cpu, aLo: number, aHi: number, bLo: number, bHi: number, cin: number): void {
  const s = aLo - bLo - 1 + cin; // in (-2^32, 2^32)
  const lo = s >>> 0;
  const h = aHi - bHi - (s < 0 ? 1 : 0);
  const hi = h >>> 0;
  c.tmpLo = lo;
  c.tmpHi = hi;
  c.n = hi >>> 31;
  c.z = (lo | hi) === 0 ? 1 : 0;
  c.cf = h >= 0 ? 1 : 0; // no borrow out of bit 63
  c.v = ((aHi ^ bHi) & (aHi ^ hi)) >>> 31;
}

/** 32-bit AddWithCarry(a, b, cin); returns the (unsigned) result and sets NZCV. */
export function adc32Flags(c: Cpu, a: number, b: number, cin: number): number {
  const s = (a >>> 0) + (b >>> 0) + cin;
  const r = s >>> 0;
  c.n = r >>> 31;
  c.z = r === 0 ? 1 : 0;
  c.cf = s >= TWO32 ? 1 : 0;
  c.v = ((a ^ r) & (b ^ r)) >>> 31;
  return r;
}

/** 32-bit AddWithCarry(a, NOT b, cin); returns the result and sets NZCV. */
export function sbc32Flags(c: Cpu, a: number, b: number, cin: number): number {
  const s = (a >>> 0) - (b >>> 0) - 1 + cin;
  const r = s >>> 0;
  c.n = r >>> 31;
  c.z = r === 0 ? 1 : 0;
  c.cf = s >= 0 ? 1 : 0;
  c.v = ((a ^ b) & (a ^ r)) >>> 31;
  return r;
}

// ------------------------------------------------------------------ conditions

/** ConditionHolds(cond) (Arm ARM J1 shared/functions/system): shared by B.cond, CSEL, CCMP. */
export function condHolds(c: Cpu, cond: number): boolean {
  let r: boolean;
  switch (cond >>> 1) {
    case 0: r = c.z === 1; break; // EQ/NE
    case 1: r = c.cf === 1; break; // CS/CC
    case 2: r = c.n === 1; break; // MI/PL
    case 3: r = c.v === 1; break; // VS/VC
    case 4: r = c.cf === 1 && c.z === 0; break; // HI/LS
    case 5: r = c.n === c.v; break; // GE/LT
    case 6: r = c.n === c.v && c.z === 0; break; // GT/LE
    default: return true; // AL, NV (both always true)
  }
  return (cond & 1) === 1 ? !r : r;
}

/** Truth table of a condition over the 16 NZCV values (bit nzcv set = holds), computed at decode
 * time so CSEL/CCMP evaluate their condition without a switch: see condOk(). */
export function condMask(cond: number): number {
  const probe = { n: 0, z: 0, cf: 0, v: 0 } as unknown as Cpu;
  let m = 0;
  for (let f = 0; f < 16; f++) {
    probe.n = (f >>> 3) & 1;
    probe.z = (f >>> 2) & 1;
    probe.cf = (f >>> 1) & 1;
    probe.v = f & 1;
    if (condHolds(probe, cond)) m |= 1 << f;
  }
  return m;
}
/** Does the condition whose condMask() is `mask` hold for the current NZCV? */
export function condOk(c: Cpu, mask: number): boolean {
  return ((mask >>> ((c.n << 3) | (c.z << 2) | (c.cf << 1) | c.v)) & 1) !== 0;
}

// ------------------------------------------------------------------ shifts on halves (to c.tmp)

/** c.tmp = (lo,hi) << s, 0 <= s < 64 */
export function lsl64(c: Cpu, lo: number, hi: number, s: number): void {
  if (s === 0) { c.tmpLo = lo >>> 0; c.tmpHi = hi >>> 0; }
  else if (s < 32) { c.tmpHi = ((hi << s) | (lo >>> (32 - s))) >>> 0; c.tmpLo = (lo << s) >>> 0; }
  else { c.tmpHi = (lo << (s - 32)) >>> 0; c.tmpLo = 0; }
}
/** c.tmp = (lo,hi) >>> s (logical), 0 <= s < 64 */
export function lsr64(c: Cpu, lo: number, hi: number, s: number): void {
  if (s === 0) { c.tmpLo = lo >>> 0; c.tmpHi = hi >>> 0; }
  else if (s < 32) { c.tmpLo = ((lo >>> s) | (hi << (32 - s))) >>> 0; c.tmpHi = hi >>> s; }
  else { c.tmpLo = hi >>> (s - 32); c.tmpHi = 0; }
}
/** c.tmp = (lo,hi) >> s (arithmetic), 0 <= s < 64 */
export function asr64(c: Cpu, lo: number, hi: number, s: number): void {
  if (s === 0) { c.tmpLo = lo >>> 0; c.tmpHi = hi >>> 0; }
  else if (s < 32) { c.tmpLo = ((lo >>> s) | (hi << (32 - s))) >>> 0; c.tmpHi = (hi >> s) >>> 0; }
  else { c.tmpLo = (hi >> (s - 32)) >>> 0; c.tmpHi = (hi >> 31) >>> 0; }
}
/** c.tmp = ROR((lo,hi), s), 0 <= s < 64 */
export function ror64(c: Cpu, lo: number, hi: number, s: number): void {
  if (s >= 32) { const t = lo; lo = hi; hi = t; s -= 32; }
  if (s === 0) { c.tmpLo = lo >>> 0; c.tmpHi = hi >>> 0; }
  else { c.tmpLo = ((lo >>> s) | (hi << (32 - s))) >>> 0; c.tmpHi = ((hi >>> s) | (lo << (32 - s))) >>> 0; }
}
/** 32-bit rotate right (s in 0..31; s = 0 is the identity since x << 32 === x in JS) */
export function ror32(x: number, s: number): number {
  return ((x >>> s) | (x << (32 - s))) >>> 0;
}

// ------------------------------------------------------------------ multiply

/** High 32 bits of the unsigned 64-bit product of two uint32 (exact, no BigInt). */
export function mulhu32(a: number, b: number): number {
  const a0 = a & 0xffff, a1 = a >>> 16, b0 = b & 0xffff, b1 = b >>> 16;
  const t = a0 * b0;
  const m1 = a1 * b0 + (t >>> 16);
  const m2 = a0 * b1 + (m1 & 0xffff);
  return (a1 * b1 + (m1 >>> 16) + (m2 >>> 16)) >>> 0;
}

/** c.tmp = low 64 bits of (aLo,aHi) * (bLo,bHi) */
export function mul64(c: Cpu, aLo: number, aHi: number, bLo: number, bHi: number): void {
  c.tmpLo = Math.imul(aLo, bLo) >>> 0;
  c.tmpHi = (mulhu32(aLo, bLo) + Math.imul(aLo, bHi) + Math.imul(aHi, bLo)) >>> 0;
}

/** c.tmp = high 64 bits of the unsigned 128-bit product (UMULH) */
export function umulh64(c: Cpu, aLo: number, aHi: number, bLo: number, bHi: number): void {
  aLo >>>= 0; aHi >>>= 0; bLo >>>= 0; bHi >>>= 0;
  const h00 = mulhu32(aLo, bLo);
  const l01 = Math.imul(aLo, bHi) >>> 0, h01 = mulhu32(aLo, bHi);
  const l10 = Math.imul(aHi, bLo) >>> 0, h10 = mulhu32(aHi, bLo);
  const l11 = Math.imul(aHi, bHi) >>> 0, h11 = mulhu32(aHi, bHi);
  const mid = h00 + l01 + l10; // < 3 * 2^32
  const s = l11 + h01 + h10 + Math.floor(mid / TWO32); // < 4 * 2^32
  c.tmpLo = s >>> 0;
  c.tmpHi = (h11 + Math.floor(s / TWO32)) >>> 0;
}

/** c.tmp = high 64 bits of the signed 128-bit product (SMULH) */
export function smulh64(c: Cpu, aLo: number, aHi: number, bLo: number, bHi: number): void {
  umulh64(c, aLo, aHi, bLo, bHi);
  // signed = unsigned - (a<0 ? b<<64 : 0) - (b<0 ? a<<64 : 0)
  let lo = c.tmpLo, hi = c.tmpHi;
  if ((aHi | 0) < 0) {
    const s = lo - (bLo >>> 0);
    lo = s >>> 0;
    hi = (hi - (bHi >>> 0) - (s < 0 ? 1 : 0)) >>> 0;
  }
  if ((bHi | 0) < 0) {
    const s = lo - (aLo >>> 0);
    lo = s >>> 0;
    hi = (hi - (aHi >>> 0) - (s < 0 ? 1 : 0)) >>> 0;
  }
  c.tmpLo = lo;
  c.tmpHi = hi;
}

// ------------------------------------------------------------------ divide

/** c.tmp = (aLo,aHi) / b for 0 < b < 2^32, exact with doubles: the dividend is consumed 32 bits and
 * then 16 bits at a time so every partial dividend stays below 2^48 (floor(t / b) is then exact). */
export function udiv64by32(c: Cpu, aLo: number, aHi: number, b: number): void {
  aLo >>>= 0;
  aHi >>>= 0;
  const qHi = Math.floor(aHi / b);
  let r = aHi - qHi * b;
  let t = r * 65536 + (aLo >>> 16);
  const q1 = Math.floor(t / b);
  r = t - q1 * b;
  t = r * 65536 + (aLo & 0xffff);
  const q0 = Math.floor(t / b);
  c.tmpLo = (q1 * 65536 + q0) >>> 0;
  c.tmpHi = qHi >>> 0;
}

// ------------------------------------------------------------------ bit operations

export function rbit32(x: number): number {
  x = ((x >>> 1) & 0x55555555) | ((x & 0x55555555) << 1);
  x = ((x >>> 2) & 0x33333333) | ((x & 0x33333333) << 2);
  x = ((x >>> 4) & 0x0f0f0f0f) | ((x & 0x0f0f0f0f) << 4);
  x = ((x >>> 8) & 0x00ff00ff) | ((x & 0x00ff00ff) << 8);
  return ((x >>> 16) | (x << 16)) >>> 0;
}
export function rev32(x: number): number {
  return (((x & 0xff) << 24) | ((x & 0xff00) << 8) | ((x >>> 8) & 0xff00) | (x >>> 24)) >>> 0;
}
export function rev16x2(x: number): number {
  return (((x & 0x00ff00ff) << 8) | ((x >>> 8) & 0x00ff00ff)) >>> 0;
}

// ------------------------------------------------------------------ CRC32 / CRC32C

function crcTable(poly: number): Int32Array {
  const t = new Int32Array(256);
  for (let i = 0; i < 256; i++) {
    let r = i;
    for (let k = 0; k < 8; k++) r = r & 1 ? (r >>> 1) ^ poly : r >>> 1;
    t[i] = r;
  }
  return t;
}
/** bit-reflected tables: CRC-32 (0x04C11DB7) and CRC-32C (0x1EDC6F41), Arm ARM C6.2 CRC32* */
export const CRC32_TABLE = crcTable(0xedb88320);
export const CRC32C_TABLE = crcTable(0x82f63b78);

/** Feed `nbytes` bytes of `val` (little-endian order) into acc; no pre/post inversion. */
export function crcBytes(t: Int32Array, acc: number, val: number, nbytes: number): number {
  for (let i = 0; i < nbytes; i++) {
    acc = t[(acc ^ val) & 0xff] ^ (acc >>> 8);
    val >>>= 8;
  }
  return acc >>> 0;
}

// ------------------------------------------------------------------ decode-time helpers

/**
 * DecodeBitMasks(N, imms, immr, immediate) (Arm ARM J1 aarch64/instrs/integer/bitmasks), evaluated
 * at decode time. Returns [wmaskLo, wmaskHi, tmaskLo, tmaskHi] for the given datasize, or null when
 * the encoding is reserved (UNDEFINED).
 */
export function decodeBitMasks(n: number, imms: number, immr: number, immediate: boolean, datasize: 32 | 64): [number, number, number, number] | null {
  const combined = (n << 6) | (~imms & 0x3f);
  if (combined === 0) return null;
  const len = 31 - Math.clz32(combined);
  if (len < 1) return null;
  if ((1 << len) > datasize) return null;
  const levels = (1 << len) - 1;
  if (immediate && (imms & levels) === levels) return null;
  const s = imms & levels;
  const r = immr & levels;
  const diff = (s - r) & levels; // 6-bit subtract with borrow
  const esize = BigInt(1 << len);
  const emask = (1n << esize) - 1n;
  const welem = (1n << BigInt(s + 1)) - 1n;
  const telem = (1n << BigInt(diff + 1)) - 1n;
  const rot = BigInt(r);
  const rorE = (x: bigint) => (rot === 0n ? x : ((x >> rot) | (x << (esize - rot))) & emask);
  const rep = (e: bigint) => {
    let v = 0n;
    for (let i = 0n; i < BigInt(datasize); i += esize) v |= e << i;
    return v;
  };
  const wmask = rep(rorE(welem));
  const tmask = rep(telem);
  return [Number(wmask & 0xffffffffn), Number(wmask >> 32n), Number(tmask & 0xffffffffn), Number(tmask >> 32n)];
}

/** Read register slot (pre-multiplied index) as a BigInt: for rare wide ops only. */
export function big(c: Cpu, slot: number): bigint {
  return (BigInt(c.x[slot + 1]) << 32n) | BigInt(c.x[slot]);
}

export function setBig(c: Cpu, slot: number, v: bigint): void {
  c.x[slot] = Number(v & 0xffffffffn);
  c.x[slot + 1] = Number((v >> 32n) & 0xffffffffn);
}
