// Shared helpers for the integer data-processing / branch unit tests: an encoder that fills a decoder
// row's fields (cross-checked against GNU as in decoder.test.ts), a runner that executes words in a
// Machine and returns the architectural state, a seeded PRNG biased towards edge values, and BigInt
// reference formulas written from the Arm ARM pseudocode.
import { A64_ROWS } from '../../src/cpu/decode/a64.table';
import { compileRow } from '../../src/cpu/decode/decoder';
import { spawnSync } from 'node:child_process';
import { Machine, RAM_BASE } from '../../src/machine/machine';

export { RAM_BASE };
export const M64 = (1n << 64n) - 1n;

const ROWS = new Map(A64_ROWS.map((r) => [r[0], compileRow(r)]));

/** Encode row `name` with the given named fields (negative values are taken two's complement). */
export function enc(name: string, f: Record<string, number> = {}): number {
  const r = ROWS.get(name);
  if (!r) throw new Error(`no decoder row ${name}`);
  let w = r.value;
  const known = new Set(r.fields.map(([n]) => n));
  for (const k of Object.keys(f)) if (!known.has(k)) throw new Error(`row ${name} has no field ${k}`);
  for (const [fname, bits] of r.fields) {
    let v = f[fname] ?? 0;
    const len = bits.length;
    if (v < 0) {
      if (v < -(2 ** (len - 1))) throw new Error(`${name}.${fname}=${v} out of range`);
      v = v + 2 ** len;
    }
    if (v >= 2 ** len) throw new Error(`${name}.${fname}=${v} out of range`);
    bits.forEach((b, i) => {
      if (Math.floor(v / 2 ** (len - 1 - i)) & 1) w |= 1 << b;
    });
  }
  return w >>> 0;
}

export interface State {
  x: bigint[]; // x0..x30
  sp: bigint;
  nzcv: number;
  pc: bigint;
  el: number;
}

export function cloneState(s: State): State {
  return { x: [...s.x], sp: s.sp, nzcv: s.nzcv, pc: s.pc, el: s.el };
}

export class Runner {
  readonly m = new Machine({ ramMiB: 4 });
  readonly c = this.m.cpus[0];
  /** the last run may have left more than x/SP/NZCV/PC changed (exception, branch out): reset all */
  private dirty = true;

  /** Load `words` at `at` (default RAM_BASE) and run `steps` instructions from there. */
  exec(words: number[], init: Partial<State> = {}, steps = words.length, at: bigint = BigInt(RAM_BASE)): State {
    const c = this.c;
    const b = new Uint8Array(words.length * 4);
    const dv = new DataView(b.buffer);
    words.forEach((w, i) => dv.setUint32(i * 4, w >>> 0, true));
    this.m.bus.loadBytes(Number(at), b);
    if (this.dirty) c.resetRegisters();
    for (let i = 0; i < 31; i++) c.setX(i, init.x?.[i] ?? 0n);
    c.sp = init.sp ?? 0n;
    c.nzcv = init.nzcv ?? 0;
    c.pc = at;
    c.runLoop(steps);
    const st = this.state();
    this.dirty = st.el !== 3 || st.pc < at || st.pc > at + BigInt(words.length * 4);
    return st;
  }

  state(): State {
    const c = this.c;
    const x: bigint[] = [];
    for (let i = 0; i < 31; i++) x.push(c.getX(i));
    return { x, sp: c.sp, nzcv: c.nzcv, pc: c.pc, el: c.el };
  }
}

/** xorshift32, deterministic per seed */
export class Rng {
  constructor(private s = 0x9e3779b9) {}
  u32(): number {
    let s = this.s;
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    this.s = s >>> 0;
    return this.s;
  }
  int(n: number): number {
    return this.u32() % n;
  }
  bool(): boolean {
    return (this.u32() & 1) === 1;
  }
  pick<T>(a: readonly T[]): T {
    return a[this.int(a.length)];
  }
  /** 64-bit value biased to edge cases (0, 1, -1, sign boundaries, 32-bit boundaries, small) */
  u64(): bigint {
    switch (this.int(8)) {
      case 0:
        return this.pick(EDGE64);
      case 1:
        return BigInt(this.u32()); // top half zero
      case 2:
        return (BigInt(this.int(8)) << 32n) | BigInt((0xfffffff0 + this.int(16)) >>> 0); // 32-bit carry
      case 3:
        return BigInt.asUintN(64, BigInt(this.int(64)) - 32n); // small signed
      case 4:
        return BigInt.asUintN(64, BigInt.asIntN(32, BigInt(this.u32()))); // sign-extended W
      default:
        return (BigInt(this.u32()) << 32n) | BigInt(this.u32());
    }
  }
}

export const EDGE64: readonly bigint[] = [
  0n, 1n, 2n, M64, M64 - 1n, 1n << 63n, (1n << 63n) - 1n, (1n << 63n) + 1n, 0xffffffffn, 0x100000000n,
  0x7fffffffn, 0x80000000n, 0xffffffff00000000n, 0x00000000ffffffffn, 0x8000000080000000n, 0x5555555555555555n,
];

// ------------------------------------------------------------------ reference formulas (BigInt)

export const mask = (n: number) => (1n << BigInt(n)) - 1n;
export const sint = (x: bigint, n: number) => BigInt.asIntN(n, x);
export const uint = (x: bigint, n: number) => BigInt.asUintN(n, x);

/** AddWithCarry (Arm ARM J1 shared pseudocode) → [result, nzcv] */
export function addWithCarry(x: bigint, y: bigint, cin: number, n: number): [bigint, number] {
  x = uint(x, n);
  y = uint(y, n);
  const usum = x + y + BigInt(cin);
  const ssum = sint(x, n) + sint(y, n) + BigInt(cin);
  const r = uint(usum, n);
  const N = Number(r >> BigInt(n - 1));
  const Z = r === 0n ? 1 : 0;
  const C = r === usum ? 0 : 1;
  const V = sint(r, n) === ssum ? 0 : 1;
  return [r, (N << 3) | (Z << 2) | (C << 1) | V];
}

export function shiftReg(x: bigint, type: number, amt: number, n: number): bigint {
  x = uint(x, n);
  const a = BigInt(amt);
  switch (type) {
    case 0: return uint(x << a, n);
    case 1: return x >> a;
    case 2: return uint(sint(x, n) >> a, n);
    default: return amt === 0 ? x : uint((x >> a) | (x << (BigInt(n) - a)), n);
  }
}

export function extendReg(x: bigint, option: number, sh: number, n: number): bigint {
  const len = [8, 16, 32, 64][option & 3];
  const unsigned = option < 4;
  const v = unsigned ? uint(x, len) : sint(x, len);
  return uint(v << BigInt(sh), n);
}

export function condHolds(cond: number, nzcv: number): boolean {
  const N = (nzcv >> 3) & 1, Z = (nzcv >> 2) & 1, C = (nzcv >> 1) & 1, V = nzcv & 1;
  let r: boolean;
  switch (cond >> 1) {
    case 0: r = Z === 1; break;
    case 1: r = C === 1; break;
    case 2: r = N === 1; break;
    case 3: r = V === 1; break;
    case 4: r = C === 1 && Z === 0; break;
    case 5: r = N === V; break;
    case 6: r = N === V && Z === 0; break;
    default: r = true;
  }
  if ((cond & 1) === 1 && cond !== 15) r = !r;
  return r;
}

export function nzFlags(r: bigint, n: number): number {
  return (Number((r >> BigInt(n - 1)) & 1n) << 3) | (r === 0n ? 4 : 0);
}

/** ROR on an element of `esize` bits */
function rorE(x: bigint, r: number, esize: number): bigint {
  if (r === 0) return x;
  return ((x >> BigInt(r)) | (x << BigInt(esize - r))) & mask(esize);
}

/** DecodeBitMasks reference; null = UNDEFINED */
export function bitMasks(N: number, imms: number, immr: number, immediate: boolean, M: number): [bigint, bigint] | null {
  const v = (N << 6) | (~imms & 0x3f);
  let len = -1;
  for (let i = 6; i >= 0; i--) if ((v >> i) & 1) { len = i; break; }
  if (len < 1) return null;
  if (1 << len > M) return null;
  const levels = (1 << len) - 1;
  if (immediate && (imms & levels) === levels) return null;
  const S = imms & levels, R = immr & levels;
  const dd = (S - R) & levels;
  const esize = 1 << len;
  const welem = mask(S + 1);
  const telem = mask(dd + 1);
  let w = 0n, t = 0n;
  const we = rorE(welem, R, esize);
  for (let i = 0; i < M; i += esize) {
    w |= we << BigInt(i);
    t |= telem << BigInt(i);
  }
  return [w, t];
}

export function hasTool(name: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${name}`]).status === 0;
}

// ------------------------------------------------------------------ fuzz harness

export type Fields = Record<string, number>;
/** reference step: mutate `s` (already a clone of the initial state, pc advanced by 4) or return
 * 'undef' when the encoding must be UNDEFINED */
export type RefFn = (s: State, f: Fields, row: string) => void | 'undef';

/** read register n as a 64-bit source: 31 = SP when sp, else XZR */
export function rget(s: State, n: number, sp = false): bigint {
  return n === 31 ? (sp ? s.sp : 0n) : s.x[n];
}
export function rset(s: State, n: number, v: bigint, sp = false): void {
  if (n === 31) {
    if (sp) s.sp = uint(v, 64);
  } else s.x[n] = uint(v, 64);
}

export function randState(rng: Rng): State {
  const x: bigint[] = [];
  for (let i = 0; i < 31; i++) x.push(rng.u64());
  return { x, sp: rng.u64(), nzcv: rng.int(16), pc: BigInt(RAM_BASE), el: 3 };
}

/** Run `iters` random instances of the given rows; returns a list of mismatch descriptions. */
export function fuzz(r: Runner, rng: Rng, rows: string[], iters: number, gen: (rng: Rng, row: string) => Fields, ref: RefFn): string[] {
  const bad: string[] = [];
  for (let k = 0; k < iters && bad.length < 5; k++) {
    const row = rows[k % rows.length];
    const f = gen(rng, row);
    const word = enc(row, f);
    const init = randState(rng);
    const got = r.exec([word], init, 1);
    const exp = cloneState(init);
    exp.pc += 4n;
    const res = ref(exp, f, row);
    if (res === 'undef') {
      if (!(got.el === 3 && got.pc === 0x200n)) bad.push(`${row} ${JSON.stringify(f)} word=${word.toString(16)}: expected UNDEFINED`);
      continue;
    }
    const diffs: string[] = [];
    for (let i = 0; i < 31; i++) if (got.x[i] !== exp.x[i]) diffs.push(`x${i}=${got.x[i].toString(16)} want ${exp.x[i].toString(16)}`);
    if (got.sp !== exp.sp) diffs.push(`sp=${got.sp.toString(16)} want ${exp.sp.toString(16)}`);
    if (got.nzcv !== exp.nzcv) diffs.push(`nzcv=${got.nzcv.toString(2)} want ${exp.nzcv.toString(2)}`);
    if (got.pc !== exp.pc) diffs.push(`pc=${got.pc.toString(16)} want ${exp.pc.toString(16)}`);
    if (diffs.length) {
      const ins = Object.keys(f).filter((k2) => 'nmadt'.includes(k2)).map((k2) => `${k2}:${f[k2] === 31 ? 'sp/zr' : init.x[f[k2]]?.toString(16)}`);
      bad.push(`${row} ${JSON.stringify(f)} word=${word.toString(16)} init nzcv=${init.nzcv} sp=${init.sp.toString(16)} ${ins.join(' ')}: ${diffs.join(', ')}`);
    }
  }
  return bad;
}
