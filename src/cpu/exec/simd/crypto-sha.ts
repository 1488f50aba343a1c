// SHA1 and SHA256 instructions (FEAT_SHA1, FEAT_SHA256; Arm ARM C7.2 SHA1C/SHA1P/SHA1M/SHA1H/
// SHA1SU0/SHA1SU1, SHA256H/SHA256H2/SHA256SU0/SHA256SU1 and the shared pseudocode SHAchoose,
// SHAparity, SHAmajority, SHAhashSIGMA0/1, SHA256hash). 32-bit lanes of c.vreg; d.rd/d.rn/d.rm =
// 4 × register number. Results are computed in locals before the destination is written.
import type { Decoded } from '../../decode/decoder';
import type { Cpu } from '../../cpu';
import { fpTrap } from '../../fpaccess';

const rol = (x: number, n: number) => ((x << n) | (x >>> (32 - n))) >>> 0;
const ror = (x: number, n: number) => ((x >>> n) | (x << (32 - n))) >>> 0;
const choose = (x: number, y: number, z: number) => ((y ^ z) & x) ^ z;
const parity = (x: number, y: number, z: number) => x ^ y ^ z;
const majority = (x: number, y: number, z: number) => (x & y) | ((x | y) & z);
const sigma0 = (x: number) => ror(x, 2) ^ ror(x, 13) ^ ror(x, 22);
const sigma1 = (x: number) => ror(x, 6) ^ ror(x, 11) ^ ror(x, 25);

/** SHA1C/SHA1P/SHA1M: four rounds; X = Qd, Y = Sn, W = Vm.4S; <Y, X> rotated left by 32 per round. */
function sha1Rounds(c: Cpu, d: Decoded, f: (x: number, y: number, z: number) => number): void {
  const v = c.vreg;
  let x0 = v[d.rd], x1 = v[d.rd + 1], x2 = v[d.rd + 2], x3 = v[d.rd + 3];
  let y = v[d.rn];
  const m = d.rm;
  for (let e = 0; e < 4; e++) {
    const t = f(x1, x2, x3);
    y = (y + rol(x0, 5) + t + v[m + e]) >>> 0;
    x1 = rol(x1, 30);
    const ny = x3;
    x3 = x2;
    x2 = x1;
    x1 = x0;
    x0 = y;
    y = ny;
  }
  v[d.rd] = x0;
  v[d.rd + 1] = x1;
  v[d.rd + 2] = x2;
  v[d.rd + 3] = x3;
}

export function sha1c(c: Cpu, d: Decoded): void {
  if (fpTrap(c)) return;
  sha1Rounds(c, d, choose);
}
export function sha1p(c: Cpu, d: Decoded): void {
  if (fpTrap(c)) return;
  sha1Rounds(c, d, parity);
}
export function sha1m(c: Cpu, d: Decoded): void {
  if (fpTrap(c)) return;
  sha1Rounds(c, d, majority);
}

/** SHA1SU0: (Vn<63:0> : Vd<127:64>) EOR Vd EOR Vm. */
export function sha1su0(c: Cpu, d: Decoded): void {
  if (fpTrap(c)) return;
  const v = c.vreg;
  const a0 = v[d.rd], a1 = v[d.rd + 1], a2 = v[d.rd + 2], a3 = v[d.rd + 3];
  const b0 = v[d.rn], b1 = v[d.rn + 1];
  const m = d.rm;
  const r0 = a2 ^ a0 ^ v[m];
  const r1 = a3 ^ a1 ^ v[m + 1];
  const r2 = b0 ^ a2 ^ v[m + 2];
  const r3 = b1 ^ a3 ^ v[m + 3];
  v[d.rd] = r0;
  v[d.rd + 1] = r1;
  v[d.rd + 2] = r2;
  v[d.rd + 3] = r3;
}

/** SHA1H: Sd = ROL(Sn, 30) (scalar write: upper bits zero). */
export function sha1h(c: Cpu, d: Decoded): void {
  if (fpTrap(c)) return;
  const v = c.vreg;
  const r = rol(v[d.rn], 30);
  v[d.rd] = r;
  v[d.rd + 1] = v[d.rd + 2] = v[d.rd + 3] = 0;
}

/** SHA1SU1: T = Vd EOR LSR(Vn, 32); lanes ROL 1, lane 3 also EOR ROL(T<31:0>, 2). */
export function sha1su1(c: Cpu, d: Decoded): void {
  if (fpTrap(c)) return;
  const v = c.vreg;
  const t0 = v[d.rd] ^ v[d.rn + 1];
  const t1 = v[d.rd + 1] ^ v[d.rn + 2];
  const t2 = v[d.rd + 2] ^ v[d.rn + 3];
  const t3 = v[d.rd + 3];
  v[d.rd] = rol(t0, 1);
  v[d.rd + 1] = rol(t1, 1);
  v[d.rd + 2] = rol(t2, 1);
  v[d.rd + 3] = (rol(t3, 1) ^ rol(t0, 2)) >>> 0;
}

const hx = new Uint32Array(4);
const hy = new Uint32Array(4);
/** SHA256hash(X, Y, W, part1) over hx/hy; returns X (part1) or Y in hx/hy. */
function sha256hash(v: Uint32Array, w: number): void {
  let x0 = hx[0], x1 = hx[1], x2 = hx[2], x3 = hx[3];
  let y0 = hy[0], y1 = hy[1], y2 = hy[2], y3 = hy[3];
  for (let e = 0; e < 4; e++) {
    const chs = choose(y0, y1, y2);
    const maj = majority(x0, x1, x2);
    const t = (y3 + sigma1(y0) + chs + v[w + e]) >>> 0;
    x3 = (t + x3) >>> 0;
    y3 = (t + sigma0(x0) + maj) >>> 0;
    // <Y, X> = ROL(Y : X, 32)
    const nx0 = y3;
    const ny0 = x3;
    y3 = y2;
    y2 = y1;
    y1 = y0;
    y0 = ny0;
    x3 = x2;
    x2 = x1;
    x1 = x0;
    x0 = nx0;
  }
  hx[0] = x0;
  hx[1] = x1;
  hx[2] = x2;
  hx[3] = x3;
  hy[0] = y0;
  hy[1] = y1;
  hy[2] = y2;
  hy[3] = y3;
}

/** SHA256H: Qd = SHA256hash(Qd, Qn, Vm, TRUE). */
export function sha256h(c: Cpu, d: Decoded): void {
  if (fpTrap(c)) return;
  const v = c.vreg;
  hx.set(v.subarray(d.rd, d.rd + 4));
  hy.set(v.subarray(d.rn, d.rn + 4));
  sha256hash(v, d.rm);
  v.set(hx, d.rd);
}
/** SHA256H2: Qd = SHA256hash(Qn, Qd, Vm, FALSE). */
export function sha256h2(c: Cpu, d: Decoded): void {
  if (fpTrap(c)) return;
  const v = c.vreg;
  hx.set(v.subarray(d.rn, d.rn + 4));
  hy.set(v.subarray(d.rd, d.rd + 4));
  sha256hash(v, d.rm);
  v.set(hy, d.rd);
}

/** SHA256SU0: T = Vn<31:0> : Vd<127:32>; lane e = σ0(T[e]) + Vd[e]. */
export function sha256su0(c: Cpu, d: Decoded): void {
  if (fpTrap(c)) return;
  const v = c.vreg;
  const a0 = v[d.rd], a1 = v[d.rd + 1], a2 = v[d.rd + 2], a3 = v[d.rd + 3];
  const s0 = (x: number) => ror(x, 7) ^ ror(x, 18) ^ (x >>> 3);
  const n0 = v[d.rn];
  v[d.rd] = (s0(a1) + a0) >>> 0;
  v[d.rd + 1] = (s0(a2) + a1) >>> 0;
  v[d.rd + 2] = (s0(a3) + a2) >>> 0;
  v[d.rd + 3] = (s0(n0) + a3) >>> 0;
}

/** SHA256SU1: T0 = Vm<31:0> : Vn<127:32>, T1 = Vm<127:64>; lanes 0-1 from T1, lanes 2-3 from the
 * new lanes 0-1: σ1(·) + Vd[e] + T0[e]. */
export function sha256su1(c: Cpu, d: Decoded): void {
  if (fpTrap(c)) return;
  const v = c.vreg;
  const s1 = (x: number) => ror(x, 17) ^ ror(x, 19) ^ (x >>> 10);
  const a0 = v[d.rd], a1 = v[d.rd + 1], a2 = v[d.rd + 2], a3 = v[d.rd + 3];
  const t00 = v[d.rn + 1], t01 = v[d.rn + 2], t02 = v[d.rn + 3], t03 = v[d.rm];
  const t10 = v[d.rm + 2], t11 = v[d.rm + 3];
  const r0 = (s1(t10) + a0 + t00) >>> 0;
  const r1 = (s1(t11) + a1 + t01) >>> 0;
  const r2 = (s1(r0) + a2 + t02) >>> 0;
  const r3 = (s1(r1) + a3 + t03) >>> 0;
  v[d.rd] = r0;
  v[d.rd + 1] = r1;
  v[d.rd + 2] = r2;
  v[d.rd + 3] = r3;
}
