// Differential test of the AdvSIMD integer arithmetic rows (src/cpu/exec/simd/simd-arith*.ts) against
// QEMU: random encodings of every row (random sizes, Q, U, opcodes, registers with aliasing, element
// indexes) on random lane values biased to edge cases. The harness compares general registers, so
// after each instruction the destination is stored (STR Q) and read back into x0/x1 (LDP), and FPSR
// (QC) into x2, then FPSR is cleared.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { DiffRunner, formatDivergence, stepsToEnd } from './harness';
import { fromWords, BASE_OFF, type Program } from './gen';
import { hasQemu, QEMU_BIN } from './qemu';
import { SIMD_ARITH_ROWS } from '../../src/cpu/exec/simd/simd-arith';
import { compileRow } from '../../src/cpu/decode/decoder';
import { A64 } from '../../src/cpu/decode/a64.table';

const HAVE = hasQemu();
if (!HAVE) console.warn(`simd-arith differential tests skipped: ${QEMU_BIN} is not installed`);

const X28 = 28;
const SLOT = 0x100; // result slot, x28 + SLOT (LDP X reaches ±512)
const str_q = (t: number, off: number) => (0x3d800000 | ((off / 16) << 10) | (X28 << 5) | t) >>> 0;
const ldp_q = (t: number, t2: number, off: number) => (0xad400000 | ((off / 16) << 15) | (t2 << 10) | (X28 << 5) | t) >>> 0;
const ldp_x = (t: number, t2: number, off: number) => (0xa9400000 | ((off / 8) << 15) | (t2 << 10) | (X28 << 5) | t) >>> 0;
const MRS_FPSR = (t: number) => 0xd53b4420 | t;
const MSR_FPSR_XZR = 0xd51b443f;

/** xorshift32 */
class Rng {
  constructor(private s: number) {}
  u32(): number {
    let s = this.s;
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (this.s = s >>> 0);
  }
  int(n: number): number {
    return this.u32() % n;
  }
}

/** V registers used: v0-v7 and v16-v23 (by-element Vm with M = 1) */
const VREGS = [0, 1, 2, 3, 4, 5, 6, 7, 16, 17, 18, 19, 20, 21, 22, 23];

/** 16 bytes of lane values biased to edge cases at a random lane size */
function laneBytes(rng: Rng, out: Uint8Array, at: number): void {
  const dv = new DataView(out.buffer, out.byteOffset);
  const esz = 1 << rng.int(4);
  for (let i = 0; i < 16; i += esz) {
    let v: bigint;
    const bits = BigInt(esz * 8);
    const pick = rng.int(10);
    const max = (1n << bits) - 1n;
    switch (pick) {
      case 0: v = 0n; break;
      case 1: v = max; break; // -1
      case 2: v = 1n << (bits - 1n); break; // MIN
      case 3: v = (1n << (bits - 1n)) - 1n; break; // MAX
      case 4: v = BigInt(rng.int(8)); break; // small
      case 5: v = max - BigInt(rng.int(8)); break; // small negative
      case 6: v = BigInt(rng.int(256)) - 128n & max; break; // shift counts
      default: v = ((BigInt(rng.u32()) << 96n) | (BigInt(rng.u32()) << 64n) | (BigInt(rng.u32()) << 32n) | BigInt(rng.u32())) & max;
    }
    for (let b = 0; b < esz; b++) dv.setUint8(at + i + b, Number((v >> BigInt(8 * b)) & 0xffn));
  }
}

const ROWS = SIMD_ARITH_ROWS.map(compileRow);
/** rows covering many opcodes get more samples */
const WEIGHT: Record<string, number> = { SIMD_3SAME_0: 8, SIMD_3SAME_10: 4, SIMD_S3SAME_0: 4, SIMD_S3SAME_10: 2, SIMD_3DIFF: 6 };
const PICK = ROWS.flatMap((r) => Array.from({ length: WEIGHT[r.name] ?? 1 }, () => r));

/** a random encoding of `row` that our decoder gives to that row (registers below `regs`) */
function randomWord(rng: Rng, r: (typeof ROWS)[number], regs = 8): number | null {
  for (let tries = 0; tries < 64; tries++) {
    let w = r.value;
    for (const [name, bits] of r.fields) {
      let v: number;
      if (name === 'd' || name === 'n' || name === 'm') v = rng.int(Math.min(regs, 2 ** bits.length)); // Vm 0-7 (+16 via M)
      else v = rng.int(2 ** bits.length);
      bits.forEach((b, i) => {
        if ((v >>> (bits.length - 1 - i)) & 1) w |= 1 << b;
      });
    }
    w >>>= 0;
    if (A64.decode(w).name === r.name) return w;
  }
  return null;
}

function program(seed: number, count: number): { p: Program; words: number } {
  const rng = new Rng(seed * 2654435761 + 1);
  const data = new Uint8Array(0x10000);
  const words: number[] = [MSR_FPSR_XZR];
  const tags = new Map<number, string>();
  for (let k = 0; k < 16; k++) laneBytes(rng, data, BASE_OFF + k * 16);
  for (let k = 0; k < 16; k += 2) words.push(ldp_q(VREGS[k], VREGS[k + 1], k * 16));
  let n = 0;
  while (n < count) {
    const r = PICK[n % PICK.length];
    const w = randomWord(rng, r);
    n++;
    if (w === null) continue;
    // every so often refresh the sources (results converge otherwise)
    if (n % 7 === 0) {
      const k = rng.int(8) * 2;
      words.push(ldp_q(VREGS[k], VREGS[k + 1], k * 16));
    }
    const tag = `${r.name} ${w.toString(16).padStart(8, '0')}`;
    for (let j = 0; j < 4; j++) tags.set(words.length + j, `${j ? 'result of' : ''} ${tag}`);
    words.push(w, str_q(w & 31, SLOT), ldp_x(0, 1, SLOT), MRS_FPSR(2), MSR_FPSR_XZR);
  }
  const p = fromWords(`simd-arith-${seed}`, words, {}, data);
  for (const [i, t] of tags) p.labels[i] = t;
  return { p, words: words.length };
}

/** Program for the harness's SIMD&FP comparison (RunOptions.fp): all 32 V registers random, FPSR.QC
 * initially set or clear (it is sticky), v0-v31 and FPSR compared after every instruction. */
function programV(seed: number, count: number): Program {
  const rng = new Rng(seed * 40503 + 7);
  const data = new Uint8Array(0x10000);
  for (let k = 0; k < 64; k++) laneBytes(rng, data, BASE_OFF + k * 16);
  const vb = data.slice(BASE_OFF, BASE_OFF + 512);
  const words: number[] = [];
  const labels: string[] = [];
  while (words.length < count) {
    if (words.length % 6 === 5) {
      // fresh lane values into two random registers (results drift towards zero otherwise)
      const t = rng.int(32), t2 = (t + 1 + rng.int(31)) % 32;
      words.push(ldp_q(t, t2, rng.int(63) * 16));
      labels.push('reload');
      continue;
    }
    const r = PICK[rng.int(PICK.length)];
    const w = randomWord(rng, r, 32);
    if (w === null) continue;
    words.push(w);
    labels.push(`${r.name} ${w.toString(16).padStart(8, '0')}`);
  }
  const p = fromWords(`simd-arith-v${seed}`, words, {}, data);
  labels.forEach((l, i) => (p.labels[i] = l));
  p.init.v = new Uint32Array(vb.buffer);
  p.init.fpsr = rng.int(2) ? 0x0800_0000 : 0;
  return p;
}

describe.skipIf(!HAVE)(`differential: AdvSIMD integer arithmetic vs ${QEMU_BIN}`, () => {
  const runner = new DiffRunner();
  beforeAll(() => runner.start());
  afterAll(() => runner.stop());

  const seeds = Number(process.env.SIMD_ARITH_SEEDS ?? 4);
  for (let seed = 1; seed <= seeds; seed++) {
    it(`random encodings, seed ${seed}`, async () => {
      const { p } = program(seed, 3 * PICK.length * 4);
      const steps = stepsToEnd(p, 100000);
      expect(steps).toBeGreaterThan(0);
      const r = await runner.run(p, { steps, continueAfter: true, maxDivergences: 40 });
      expect(r.divergences.map(formatDivergence).join('\n')).toBe('');
      expect(r.steps).toBe(steps);
    });
  }

  for (let seed = 1; seed <= seeds; seed++) {
    it(`random encodings on v0-v31 with the V-register comparison, seed ${seed}`, async () => {
      const p = programV(seed, 400);
      const r = await runner.run(p, { steps: p.code.length - 1, continueAfter: true, maxDivergences: 40, fp: true, fpFullEvery: 16 });
      expect(r.divergences.map(formatDivergence).join('\n')).toBe('');
    });
  }
});

export { program };
