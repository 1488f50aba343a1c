// SM3 (FEAT_SM3: SM3SS1, SM3TT1A/B, SM3TT2A/B, SM3PARTW1/2) and SM4 (FEAT_SM4: SM4E, SM4EKEY) from
// the Arm ARM C7.2 pseudocode. 32-bit lanes of c.vreg; d.rd/d.rn/d.rm/d.ra = 4 × register number,
// d.imm = lane index (SM3TT*). Results are computed in locals before Vd is written.
import type { Decoded } from '../../decode/decoder';
import type { Cpu } from '../../cpu';
import { fpTrap } from '../../fpaccess';

const rol = (x: number, n: number) => ((x << n) | (x >>> (32 - n))) >>> 0;

// ------------------------------------------------------------------ SM3

export function sm3ss1(c: Cpu, d: Decoded): void {
  if (fpTrap(c)) return;
  const v = c.vreg;
  const r = rol((rol(v[d.rn + 3], 12) + v[d.rm + 3] + v[d.ra + 3]) >>> 0, 7);
  v[d.rd] = v[d.rd + 1] = v[d.rd + 2] = 0;
  v[d.rd + 3] = r;
}

/** SM3TT1A (b = false) / SM3TT1B (b = true) */
function sm3tt1(c: Cpu, d: Decoded, b: boolean): void {
  const v = c.vreg;
  const d0 = v[d.rd], d1 = v[d.rd + 1], d2 = v[d.rd + 2], d3 = v[d.rd + 3];
  const wj = v[d.rm + d.imm];
  const ss2 = v[d.rn + 3] ^ rol(d3, 12);
  const f = b ? (d3 & d1) | (d3 & d2) | (d1 & d2) : d1 ^ d3 ^ d2;
  const tt1 = (f + d0 + ss2 + wj) >>> 0;
  v[d.rd] = d1;
  v[d.rd + 1] = rol(d2, 9);
  v[d.rd + 2] = d3;
  v[d.rd + 3] = tt1;
}
/** SM3TT2A (b = false) / SM3TT2B (b = true) */
function sm3tt2(c: Cpu, d: Decoded, b: boolean): void {
  const v = c.vreg;
  const d0 = v[d.rd], d1 = v[d.rd + 1], d2 = v[d.rd + 2], d3 = v[d.rd + 3];
  const wj = v[d.rm + d.imm];
  const g = b ? (d3 & d2) | (~d3 & d1) : d1 ^ d3 ^ d2;
  const tt2 = (g + d0 + v[d.rn + 3] + wj) >>> 0;
  v[d.rd] = d1;
  v[d.rd + 1] = rol(d2, 19);
  v[d.rd + 2] = d3;
  v[d.rd + 3] = (tt2 ^ rol(tt2, 9) ^ rol(tt2, 17)) >>> 0;
}
export function sm3tt1a(c: Cpu, d: Decoded): void {
  if (fpTrap(c)) return;
  sm3tt1(c, d, false);
}
export function sm3tt1b(c: Cpu, d: Decoded): void {
  if (fpTrap(c)) return;
  sm3tt1(c, d, true);
}
export function sm3tt2a(c: Cpu, d: Decoded): void {
  if (fpTrap(c)) return;
  sm3tt2(c, d, false);
}
export function sm3tt2b(c: Cpu, d: Decoded): void {
  if (fpTrap(c)) return;
  sm3tt2(c, d, true);
}

const p1 = (x: number) => (x ^ rol(x, 15) ^ rol(x, 23)) >>> 0;

export function sm3partw1(c: Cpu, d: Decoded): void {
  if (fpTrap(c)) return;
  const v = c.vreg;
  const x0 = v[d.rd] ^ v[d.rn], x1 = v[d.rd + 1] ^ v[d.rn + 1];
  const x2 = v[d.rd + 2] ^ v[d.rn + 2], x3 = v[d.rd + 3] ^ v[d.rn + 3];
  const r0 = p1((x0 ^ rol(v[d.rm + 1], 15)) >>> 0);
  const r1 = p1((x1 ^ rol(v[d.rm + 2], 15)) >>> 0);
  const r2 = p1((x2 ^ rol(v[d.rm + 3], 15)) >>> 0);
  const r3 = p1((x3 ^ rol(r0, 15)) >>> 0);
  v[d.rd] = r0;
  v[d.rd + 1] = r1;
  v[d.rd + 2] = r2;
  v[d.rd + 3] = r3;
}

export function sm3partw2(c: Cpu, d: Decoded): void {
  if (fpTrap(c)) return;
  const v = c.vreg;
  const t0 = v[d.rn] ^ rol(v[d.rm], 7), t1 = v[d.rn + 1] ^ rol(v[d.rm + 1], 7);
  const t2 = v[d.rn + 2] ^ rol(v[d.rm + 2], 7), t3 = v[d.rn + 3] ^ rol(v[d.rm + 3], 7);
  const r0 = v[d.rd] ^ t0, r1 = v[d.rd + 1] ^ t1, r2 = v[d.rd + 2] ^ t2;
  const r3 = v[d.rd + 3] ^ t3 ^ p1(rol(t0 >>> 0, 15));
  v[d.rd] = r0;
  v[d.rd + 1] = r1;
  v[d.rd + 2] = r2;
  v[d.rd + 3] = r3;
}

// ------------------------------------------------------------------ SM4

/** SM4 S-box (GB/T 32907), generated: S(x) = A·I(A·x + 0xD3) + 0xD3 with I the inverse in
 * GF(2^8) mod x^8+x^7+x^6+x^5+x^4+x^2+1 and A the circulant matrix whose rows are 0xA7 rotated. */
const SM4_SBOX = new Uint8Array(256);
{
  const gmul = (a: number, b: number) => {
    let p = 0;
    for (let i = 0; i < 8; i++) {
      if (b & 1) p ^= a;
      const h = a & 0x80;
      a = (a << 1) & 0xff;
      if (h) a ^= 0xf5;
      b >>= 1;
    }
    return p;
  };
  const inv = new Uint8Array(256);
  for (let x = 1; x < 256; x++) for (let y = 1; y < 256; y++) if (gmul(x, y) === 1) inv[x] = y;
  const aff = (x: number) => {
    let r = 0;
    for (let i = 0; i < 8; i++) {
      let row = ((0xa7 << i) | (0xa7 >>> (8 - i))) & x & 0xff;
      row ^= row >> 4;
      row ^= row >> 2;
      row ^= row >> 1;
      r |= (row & 1) << i;
    }
    return r ^ 0xd3;
  };
  for (let x = 0; x < 256; x++) SM4_SBOX[x] = aff(inv[aff(x)]);
}

const sub4 = (x: number) =>
  (SM4_SBOX[x & 0xff] | (SM4_SBOX[(x >>> 8) & 0xff] << 8) | (SM4_SBOX[(x >>> 16) & 0xff] << 16) | (SM4_SBOX[x >>> 24] << 24)) >>> 0;

/** four SM4 rounds on lanes (r0..r3) with keys k[0..3] from vreg[ki..]; `ekey` selects the key
 * schedule's linear transform L' instead of L */
function sm4Rounds(c: Cpu, d: Decoded, state: number, ki: number, ekey: boolean): void {
  const v = c.vreg;
  let r0 = v[state], r1 = v[state + 1], r2 = v[state + 2], r3 = v[state + 3];
  // v is only written after the loop, so keys are read from it directly even when ki aliases Vd
  for (let i = 0; i < 4; i++) {
    let t = sub4((r3 ^ r2 ^ r1 ^ v[ki + i]) >>> 0);
    t = ekey ? t ^ rol(t, 13) ^ rol(t, 23) : t ^ rol(t, 2) ^ rol(t, 10) ^ rol(t, 18) ^ rol(t, 24);
    t = (t ^ r0) >>> 0;
    r0 = r1;
    r1 = r2;
    r2 = r3;
    r3 = t;
  }
  v[d.rd] = r0;
  v[d.rd + 1] = r1;
  v[d.rd + 2] = r2;
  v[d.rd + 3] = r3;
}

/** SM4E Vd.4S, Vn.4S: state Vd, round keys Vn */
export function sm4e(c: Cpu, d: Decoded): void {
  if (fpTrap(c)) return;
  sm4Rounds(c, d, d.rd, d.rn, false);
}
/** SM4EKEY Vd.4S, Vn.4S, Vm.4S: keys Vn, constants Vm */
export function sm4ekey(c: Cpu, d: Decoded): void {
  if (fpTrap(c)) return;
  sm4Rounds(c, d, d.rn, d.rm, true);
}
