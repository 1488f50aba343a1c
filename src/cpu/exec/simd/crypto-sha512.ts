// SHA512 (FEAT_SHA512: SHA512H, SHA512H2, SHA512SU0, SHA512SU1) and SHA3 (FEAT_SHA3: EOR3, BCAX,
// RAX1, XAR) from the Arm ARM C7.2 pseudocode. 64-bit lanes are handled as 32-bit halves of c.vreg
// (lane k = words 2k (low) and 2k+1 (high)); no BigInt. d.rd/d.rn/d.rm/d.ra = 4 × register number.
import type { Decoded } from '../../decode/decoder';
import type { Cpu } from '../../cpu';
import { fpTrap } from '../../fpaccess';

// 64-bit helpers: results in (rl, rh)
let rl = 0;
let rh = 0;

/** (rl, rh) = ROR((lo, hi), n) XOR ... accumulated: xorRor adds ROR(x, n) into (al, ah). */
let al = 0;
let ah = 0;
function xorRor(lo: number, hi: number, n: number): void {
  if (n >= 32) {
    const t = lo;
    lo = hi;
    hi = t;
    n -= 32;
  }
  if (n === 0) {
    al ^= lo;
    ah ^= hi;
    return;
  }
  al ^= (lo >>> n) | (hi << (32 - n));
  ah ^= (hi >>> n) | (lo << (32 - n));
}
/** accumulate LSR((lo, hi), n), 0 < n < 32 */
function xorLsr(lo: number, hi: number, n: number): void {
  al ^= (lo >>> n) | (hi << (32 - n));
  ah ^= hi >>> n;
}
/** (rl, rh) = a + b */
function add(alo: number, ahi: number, blo: number, bhi: number): void {
  const l = (alo >>> 0) + (blo >>> 0);
  rl = l >>> 0;
  rh = (ahi + bhi + (l > 0xffffffff ? 1 : 0)) >>> 0;
}

/** Σ1 of SHA-512 (ROR 14, 18, 41) into (al, ah) */
function bigSigma1(lo: number, hi: number): void {
  al = ah = 0;
  xorRor(lo, hi, 14);
  xorRor(lo, hi, 18);
  xorRor(lo, hi, 41);
}
/** Σ0 of SHA-512 (ROR 28, 34, 39) into (al, ah) */
function bigSigma0(lo: number, hi: number): void {
  al = ah = 0;
  xorRor(lo, hi, 28);
  xorRor(lo, hi, 34);
  xorRor(lo, hi, 39);
}

/** SHA512H: X = Vn, Y = Vm, W = Vd (C7.2 SHA512H). */
export function sha512h(c: Cpu, d: Decoded): void {
  if (fpTrap(c)) return;
  const v = c.vreg;
  const x0l = v[d.rn], x0h = v[d.rn + 1], x1l = v[d.rn + 2], x1h = v[d.rn + 3];
  const y0l = v[d.rm], y0h = v[d.rm + 1], y1l = v[d.rm + 2], y1h = v[d.rm + 3];
  const w0l = v[d.rd], w0h = v[d.rd + 1], w1l = v[d.rd + 2], w1h = v[d.rd + 3];
  // Vtmp<127:64> = Ch(Y1, X0, X1) + Σ1(Y1) + W1
  bigSigma1(y1l, y1h);
  let tl = (y1l & x0l) ^ (~y1l & x1l);
  let th = (y1h & x0h) ^ (~y1h & x1h);
  add(tl, th, al, ah);
  add(rl, rh, w1l, w1h);
  const v1l = rl, v1h = rh;
  // tmp = Vtmp<127:64> + Y0
  add(v1l, v1h, y0l, y0h);
  const ml = rl, mh = rh;
  bigSigma1(ml, mh);
  tl = (ml & y1l) ^ (~ml & x0l);
  th = (mh & y1h) ^ (~mh & x0h);
  add(tl, th, al, ah);
  add(rl, rh, w0l, w0h);
  v[d.rd] = rl;
  v[d.rd + 1] = rh;
  v[d.rd + 2] = v1l;
  v[d.rd + 3] = v1h;
}

/** SHA512H2: X = Vn, Y = Vm, W = Vd (C7.2 SHA512H2). */
export function sha512h2(c: Cpu, d: Decoded): void {
  if (fpTrap(c)) return;
  const v = c.vreg;
  const x0l = v[d.rn], x0h = v[d.rn + 1];
  const y0l = v[d.rm], y0h = v[d.rm + 1], y1l = v[d.rm + 2], y1h = v[d.rm + 3];
  const w0l = v[d.rd], w0h = v[d.rd + 1], w1l = v[d.rd + 2], w1h = v[d.rd + 3];
  bigSigma0(y0l, y0h);
  let tl = (x0l & y1l) ^ (x0l & y0l) ^ (y1l & y0l);
  let th = (x0h & y1h) ^ (x0h & y0h) ^ (y1h & y0h);
  add(tl, th, al, ah);
  add(rl, rh, w1l, w1h);
  const v1l = rl, v1h = rh;
  bigSigma0(v1l, v1h);
  tl = (v1l & y0l) ^ (v1l & y1l) ^ (y1l & y0l);
  th = (v1h & y0h) ^ (v1h & y1h) ^ (y1h & y0h);
  add(tl, th, al, ah);
  add(rl, rh, w0l, w0h);
  v[d.rd] = rl;
  v[d.rd + 1] = rh;
  v[d.rd + 2] = v1l;
  v[d.rd + 3] = v1h;
}

/** σ0 of SHA-512 (ROR 1, ROR 8, LSR 7) into (al, ah) */
function smallSigma0(lo: number, hi: number): void {
  al = ah = 0;
  xorRor(lo, hi, 1);
  xorRor(lo, hi, 8);
  xorLsr(lo, hi, 7);
}
/** σ1 of SHA-512 (ROR 19, ROR 61, LSR 6) into (al, ah) */
function smallSigma1(lo: number, hi: number): void {
  al = ah = 0;
  xorRor(lo, hi, 19);
  xorRor(lo, hi, 61);
  xorLsr(lo, hi, 6);
}

/** SHA512SU0: result<63:0> = Vd<63:0> + σ0(Vd<127:64>); result<127:64> = Vd<127:64> + σ0(Vn<63:0>). */
export function sha512su0(c: Cpu, d: Decoded): void {
  if (fpTrap(c)) return;
  const v = c.vreg;
  const a0l = v[d.rd], a0h = v[d.rd + 1], a1l = v[d.rd + 2], a1h = v[d.rd + 3];
  const b0l = v[d.rn], b0h = v[d.rn + 1];
  smallSigma0(a1l, a1h);
  add(a0l, a0h, al, ah);
  const r0l = rl, r0h = rh;
  smallSigma0(b0l, b0h);
  add(a1l, a1h, al, ah);
  v[d.rd] = r0l;
  v[d.rd + 1] = r0h;
  v[d.rd + 2] = rl;
  v[d.rd + 3] = rh;
}

/** SHA512SU1: lane k = Vd[k] + σ1(Vn[k]) + Vm[k]. */
export function sha512su1(c: Cpu, d: Decoded): void {
  if (fpTrap(c)) return;
  const v = c.vreg;
  const a0l = v[d.rd], a0h = v[d.rd + 1], a1l = v[d.rd + 2], a1h = v[d.rd + 3];
  const n0l = v[d.rn], n0h = v[d.rn + 1], n1l = v[d.rn + 2], n1h = v[d.rn + 3];
  const m0l = v[d.rm], m0h = v[d.rm + 1], m1l = v[d.rm + 2], m1h = v[d.rm + 3];
  smallSigma1(n1l, n1h);
  add(a1l, a1h, al, ah);
  add(rl, rh, m1l, m1h);
  const r1l = rl, r1h = rh;
  smallSigma1(n0l, n0h);
  add(a0l, a0h, al, ah);
  add(rl, rh, m0l, m0h);
  v[d.rd] = rl;
  v[d.rd + 1] = rh;
  v[d.rd + 2] = r1l;
  v[d.rd + 3] = r1h;
}

/** RAX1: Vd.2D = Vn EOR ROL(Vm, 1). */
export function rax1(c: Cpu, d: Decoded): void {
  if (fpTrap(c)) return;
  const v = c.vreg;
  const n0 = v[d.rn], n1 = v[d.rn + 1], n2 = v[d.rn + 2], n3 = v[d.rn + 3];
  const m0 = v[d.rm], m1 = v[d.rm + 1], m2 = v[d.rm + 2], m3 = v[d.rm + 3];
  v[d.rd] = n0 ^ ((m0 << 1) | (m1 >>> 31));
  v[d.rd + 1] = n1 ^ ((m1 << 1) | (m0 >>> 31));
  v[d.rd + 2] = n2 ^ ((m2 << 1) | (m3 >>> 31));
  v[d.rd + 3] = n3 ^ ((m3 << 1) | (m2 >>> 31));
}

/** EOR3: Vd.16B = Vn EOR Vm EOR Va. */
export function eor3(c: Cpu, d: Decoded): void {
  if (fpTrap(c)) return;
  const v = c.vreg;
  const r0 = v[d.rn] ^ v[d.rm] ^ v[d.ra];
  const r1 = v[d.rn + 1] ^ v[d.rm + 1] ^ v[d.ra + 1];
  const r2 = v[d.rn + 2] ^ v[d.rm + 2] ^ v[d.ra + 2];
  const r3 = v[d.rn + 3] ^ v[d.rm + 3] ^ v[d.ra + 3];
  v[d.rd] = r0;
  v[d.rd + 1] = r1;
  v[d.rd + 2] = r2;
  v[d.rd + 3] = r3;
}

/** BCAX: Vd.16B = Vn EOR (Vm AND NOT Va). */
export function bcax(c: Cpu, d: Decoded): void {
  if (fpTrap(c)) return;
  const v = c.vreg;
  const r0 = v[d.rn] ^ (v[d.rm] & ~v[d.ra]);
  const r1 = v[d.rn + 1] ^ (v[d.rm + 1] & ~v[d.ra + 1]);
  const r2 = v[d.rn + 2] ^ (v[d.rm + 2] & ~v[d.ra + 2]);
  const r3 = v[d.rn + 3] ^ (v[d.rm + 3] & ~v[d.ra + 3]);
  v[d.rd] = r0;
  v[d.rd + 1] = r1;
  v[d.rd + 2] = r2;
  v[d.rd + 3] = r3;
}

/** XAR: Vd.2D = ROR(Vn EOR Vm, imm6). */
export function xar(c: Cpu, d: Decoded): void {
  if (fpTrap(c)) return;
  const v = c.vreg;
  const n = d.imm;
  const t0 = v[d.rn] ^ v[d.rm], t1 = v[d.rn + 1] ^ v[d.rm + 1];
  const t2 = v[d.rn + 2] ^ v[d.rm + 2], t3 = v[d.rn + 3] ^ v[d.rm + 3];
  al = ah = 0;
  xorRor(t0, t1, n);
  const r0 = al, r1 = ah;
  al = ah = 0;
  xorRor(t2, t3, n);
  v[d.rd] = r0;
  v[d.rd + 1] = r1;
  v[d.rd + 2] = al;
  v[d.rd + 3] = ah;
}
