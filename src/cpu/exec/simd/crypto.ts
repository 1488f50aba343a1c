// Cryptographic extension rows (Arm ARM C4.1.95 "Cryptographic AES", "Cryptographic three-register
// SHA", "Cryptographic two-register SHA", "Cryptographic three-register SHA512", "Cryptographic
// two-register SHA512", "Cryptographic four-register", XAR) and the AES instructions:
// AESE/AESD/AESMC/AESIMC (FEAT_AES). SHA1/SHA256 live in crypto-sha.ts, SHA512/SHA3 in
// crypto-sha512.ts, SM3/SM4 in crypto-sm.ts.
// Register fields: d.rd/d.rn/d.rm/d.ra = 4 × register number (index into c.vreg); every result is a
// full 128-bit write (SHA1H writes a scalar S register, upper bits zero).
import type { Row, Decoded } from '../../decode/decoder';
import type { Cpu } from '../../cpu';
import { fpTrap } from '../../fpaccess';
import {
  sha1c, sha1p, sha1m, sha1su0, sha1h, sha1su1, sha256h, sha256h2, sha256su0, sha256su1,
} from './crypto-sha';
import { sha512h, sha512h2, sha512su0, sha512su1, rax1, eor3, bcax, xar } from './crypto-sha512';
import { sm3ss1, sm3tt1a, sm3tt1b, sm3tt2a, sm3tt2b, sm3partw1, sm3partw2, sm4e, sm4ekey } from './crypto-sm';

// ------------------------------------------------------------------ AES tables (FIPS-197 §5.1.1)

function gmul(a: number, b: number): number {
  let p = 0;
  for (let i = 0; i < 8; i++) {
    if (b & 1) p ^= a;
    const hi = a & 0x80;
    a = (a << 1) & 0xff;
    if (hi) a ^= 0x1b;
    b >>= 1;
  }
  return p;
}

const SBOX = new Uint8Array(256);
const INV_SBOX = new Uint8Array(256);
const MUL2 = new Uint8Array(256);
const MUL3 = new Uint8Array(256);
const MUL9 = new Uint8Array(256);
const MUL11 = new Uint8Array(256);
const MUL13 = new Uint8Array(256);
const MUL14 = new Uint8Array(256);
{
  for (let x = 0; x < 256; x++) {
    // multiplicative inverse in GF(2^8): x^254
    let inv = 0;
    if (x !== 0) {
      let r = 1;
      let b = x;
      let e = 254;
      while (e) {
        if (e & 1) r = gmul(r, b);
        b = gmul(b, b);
        e >>= 1;
      }
      inv = r;
    }
    const rot = (v: number, n: number) => ((v << n) | (v >>> (8 - n))) & 0xff;
    const s = inv ^ rot(inv, 1) ^ rot(inv, 2) ^ rot(inv, 3) ^ rot(inv, 4) ^ 0x63;
    SBOX[x] = s;
    INV_SBOX[s] = x;
    MUL2[x] = gmul(x, 2);
    MUL3[x] = gmul(x, 3);
    MUL9[x] = gmul(x, 9);
    MUL11[x] = gmul(x, 11);
    MUL13[x] = gmul(x, 13);
    MUL14[x] = gmul(x, 14);
  }
}

const st = new Uint8Array(16);

/** AESE: SubBytes(ShiftRows(Vd EOR Vn)); AESD: InvSubBytes(InvShiftRows(Vd EOR Vn)). The state is
 * column-major: byte i is row i % 4, column i / 4. */
function aesXor(c: Cpu, d: Decoded): void {
  const v = c.v8;
  const di = 4 * d.rd;
  const ni = 4 * d.rn;
  for (let i = 0; i < 16; i++) st[i] = v[di + i] ^ v[ni + i];
}
function aese(c: Cpu, d: Decoded): void {
  if (fpTrap(c)) return;
  aesXor(c, d);
  const v = c.v8;
  const di = 4 * d.rd;
  for (let col = 0; col < 4; col++) {
    for (let r = 0; r < 4; r++) v[di + r + 4 * col] = SBOX[st[r + 4 * ((col + r) & 3)]];
  }
}
function aesd(c: Cpu, d: Decoded): void {
  if (fpTrap(c)) return;
  aesXor(c, d);
  const v = c.v8;
  const di = 4 * d.rd;
  for (let col = 0; col < 4; col++) {
    for (let r = 0; r < 4; r++) v[di + r + 4 * ((col + r) & 3)] = INV_SBOX[st[r + 4 * col]];
  }
}
function aesmc(c: Cpu, d: Decoded): void {
  if (fpTrap(c)) return;
  const v = c.v8;
  const ni = 4 * d.rn;
  const di = 4 * d.rd;
  for (let i = 0; i < 16; i++) st[i] = v[ni + i];
  for (let k = 0; k < 16; k += 4) {
    const a0 = st[k], a1 = st[k + 1], a2 = st[k + 2], a3 = st[k + 3];
    v[di + k] = MUL2[a0] ^ MUL3[a1] ^ a2 ^ a3;
    v[di + k + 1] = a0 ^ MUL2[a1] ^ MUL3[a2] ^ a3;
    v[di + k + 2] = a0 ^ a1 ^ MUL2[a2] ^ MUL3[a3];
    v[di + k + 3] = MUL3[a0] ^ a1 ^ a2 ^ MUL2[a3];
  }
}
function aesimc(c: Cpu, d: Decoded): void {
  if (fpTrap(c)) return;
  const v = c.v8;
  const ni = 4 * d.rn;
  const di = 4 * d.rd;
  for (let i = 0; i < 16; i++) st[i] = v[ni + i];
  for (let k = 0; k < 16; k += 4) {
    const a0 = st[k], a1 = st[k + 1], a2 = st[k + 2], a3 = st[k + 3];
    v[di + k] = MUL14[a0] ^ MUL11[a1] ^ MUL13[a2] ^ MUL9[a3];
    v[di + k + 1] = MUL9[a0] ^ MUL14[a1] ^ MUL11[a2] ^ MUL13[a3];
    v[di + k + 2] = MUL13[a0] ^ MUL9[a1] ^ MUL14[a2] ^ MUL11[a3];
    v[di + k + 3] = MUL11[a0] ^ MUL13[a1] ^ MUL9[a2] ^ MUL14[a3];
  }
}

const AES_OPS = [aese, aesd, aesmc, aesimc];
const SHA3REG = [sha1c, sha1p, sha1m, sha1su0, sha256h, sha256h2, sha256su1];
const SHA2REG = [sha1h, sha1su1, sha256su0];
const SHA512_3REG = [sha512h, sha512h2, sha512su1, rax1];
const SM3TT = [sm3tt1a, sm3tt1b, sm3tt2a, sm3tt2b];

function regs(f: Record<string, number>, d: Decoded): void {
  d.rd = f.d * 4;
  d.rn = f.n * 4;
  if (f.m !== undefined) d.rm = f.m * 4;
  if (f.a !== undefined) d.ra = f.a * 4;
}

export const CRYPTO_ROWS: Row[] = [
  ['CRYPTO_AES', '010011100010100001oo10nnnnnddddd', (f, d) => {
    regs(f, d);
    d.fn = AES_OPS[f.o];
  }],
  ['CRYPTO_SHA_3REG', '01011110000mmmmm0ooo00nnnnnddddd', (f, d) => {
    if (f.o === 7) return false;
    regs(f, d);
    d.fn = SHA3REG[f.o];
  }],
  ['CRYPTO_SHA_2REG', '010111100010100000oo10nnnnnddddd', (f, d) => {
    if (f.o === 3) return false;
    regs(f, d);
    d.fn = SHA2REG[f.o];
  }],
  ['CRYPTO_SHA512_3REG', '11001110011mmmmm1000oonnnnnddddd', (f, d) => {
    regs(f, d);
    d.fn = SHA512_3REG[f.o];
  }],
  ['CRYPTO_SHA512SU0', '1100111011000000100000nnnnnddddd', (f, d) => {
    regs(f, d);
    d.fn = sha512su0;
  }],
  ['CRYPTO_SM3_SM4EKEY', '11001110011mmmmm1100oonnnnnddddd', (f, d) => {
    if (f.o === 3) return false;
    regs(f, d);
    d.fn = f.o === 0 ? sm3partw1 : f.o === 1 ? sm3partw2 : sm4ekey;
  }],
  ['CRYPTO_SM4E', '1100111011000000100001nnnnnddddd', (f, d) => {
    regs(f, d);
    d.fn = sm4e;
  }],
  ['CRYPTO_SM3SS1', '11001110010mmmmm0aaaaannnnnddddd', (f, d) => {
    regs(f, d);
    d.fn = sm3ss1;
  }],
  ['CRYPTO_SM3TT', '11001110010mmmmm10iioonnnnnddddd', (f, d) => {
    regs(f, d);
    d.imm = f.i;
    d.fn = SM3TT[f.o];
  }],
  ['CRYPTO_EOR3_BCAX', '1100111000ommmmm0aaaaannnnnddddd', (f, d) => {
    regs(f, d);
    d.fn = f.o ? bcax : eor3;
  }],
  ['CRYPTO_XAR', '11001110100mmmmmiiiiiinnnnnddddd', (f, d) => {
    regs(f, d);
    d.imm = f.i;
    d.fn = xar;
  }],
];
