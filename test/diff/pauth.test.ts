// FEAT_PAuth against QEMU 7.2 (-cpu max: architected QARMA5, no PAuth2/FPAC), stepped and compared
// register by register like the random programs: keys derived from one constant, SCTLR_EL2.EnIA/EnIB/
// EnDA/EnDB set (SCTLR_EL2 written whole: QEMU 7.2 resets it to 0, we to its RES1 bits), then PAC*/AUT*/XPAC*/PACGA and the HINT forms on canonical, upper-range, tagged
// and badly extended pointers at EL2 (E2H = 0, TCR_EL2.T0SZ = 0 read as 16 in both).
// (The random generator, test/diff/gen.ts, still emits no PAuth encodings: with the keys disabled
// QEMU 7.2 treats XPAC* as NOPs while the Arm ARM strips, so they would need this prologue.)
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { DiffRunner, formatDivergence } from './harness';
import { fromWords, DATA_BASE, BASE_OFF } from './gen';
import { hasQemu, QEMU_BIN } from './qemu';

const HAVE = hasQemu();
if (!HAVE) console.warn(`PAuth differential test skipped: ${QEMU_BIN} is not installed`);

function regs(vals: Record<number, bigint>): bigint[] {
  const x = Array.from({ length: 31 }, () => 0n);
  for (const [k, v] of Object.entries(vals)) x[Number(k)] = BigInt.asUintN(64, v);
  x[28] = BigInt(DATA_BASE + BASE_OFF);
  return x;
}

describe.skipIf(!HAVE)(`differential: FEAT_PAuth vs ${QEMU_BIN}`, () => {
  const runner = new DiffRunner();
  beforeAll(() => runner.start());
  afterAll(() => runner.stop());

  it('PAC/AUT/XPAC/PACGA and hint forms give QEMU\'s values', async () => {
    // assembled with aarch64-linux-gnu-as -march=armv8.3-a
    const words = [
      0xd299bde9, // mov x9, #0xcdef
      0xf2b13569, // movk x9, #0x89ab, lsl #16
      0xf2c8ace9, // movk x9, #0x4567, lsl #32
      0xf2e02469, // movk x9, #0x123, lsl #48
      0xd5182109, // msr apiakeylo_el1, x9
      0xcac9352a, // eor x10, x9, x9, ror #13
      0xd518212a, // msr apiakeyhi_el1, x10
      0xcac91d4b, // eor x11, x10, x9, ror #7
      0xd518214b, // msr apibkeylo_el1, x11
      0xcaca756c, // eor x12, x11, x10, ror #29
      0xd518216c, // msr apibkeyhi_el1, x12
      0xcacb0d8d, // eor x13, x12, x11, ror #3
      0xd518220d, // msr apdakeylo_el1, x13
      0xcacca5ae, // eor x14, x13, x12, ror #41
      0xd518222e, // msr apdakeyhi_el1, x14
      0xcacd45cf, // eor x15, x14, x13, ror #17
      0xd518224f, // msr apdbkeylo_el1, x15
      0xcace5df0, // eor x16, x15, x14, ror #23
      0xd5182270, // msr apdbkeyhi_el1, x16
      0xcacf2e11, // eor x17, x16, x15, ror #11
      0xd5182311, // msr apgakeylo_el1, x17
      0xcad0d632, // eor x18, x17, x16, ror #53
      0xd5182332, // msr apgakeyhi_el1, x18
      0xd2840009, // mov x9, #0x2000
      0xf2b90009, // movk x9, #0xc800, lsl #16
      0xd51c1009, // msr sctlr_el2, x9
      0xd5033fdf, // isb
      0xdac10020, // pacia x0, x1
      0xdac10422, // pacib x2, x1
      0xdac10883, // pacda x3, x4
      0xdac10cc5, // pacdb x5, x6
      0x9ac13007, // pacga x7, x0, x1
      0xdac11020, // autia x0, x1
      0xdac11482, // autib x2, x4
      0xdac11883, // autda x3, x4
      0xdac11c25, // autdb x5, x1
      0xdac123f3, // paciza x19
      0xdac127f4, // pacizb x20
      0xdac12bf5, // pacdza x21
      0xdac12ff6, // pacdzb x22
      0xdac133f3, // autiza x19
      0xdac13ff6, // autdzb x22
      0xdac143f4, // xpaci x20
      0xdac147f5, // xpacd x21
      0xdac103f7, // pacia x23, sp
      0xdac113f7, // autia x23, sp
      0xdac10738, // pacib x24, x25
      0xdac143f8, // xpaci x24
      0xaa1a03f1, // mov x17, x26
      0xaa1b03f0, // mov x16, x27
      0xd503211f, // pacia1716
      0xaa1103fa, // mov x26, x17
      0xd50321df, // autib1716
      0xaa1103fb, // mov x27, x17
      0xaa0803fe, // mov x30, x8
      0xd503233f, // paciasp
      0xaa1e03e8, // mov x8, x30
      0xd50323bf, // autiasp
      0xaa1e03fd, // mov x29, x30
      0xd503235f, // pacibz
      0xd50320ff, // xpaclri
    ];
    const x = regs({
      0: 0x0000_0000_4020_1234n, 1: 0x477d_469d_ec0b_8762n, 2: 0xffff_ffff_ffff_f000n, 3: 0x5a00_0000_4000_1000n,
      4: 0n, 5: 0x0000_7fff_0000_0000n, 6: -1n, 8: 0x0000_0000_4020_0040n, 19: 0x0000_ffff_ffff_fff0n,
      20: 0xff00_0000_dead_bee0n, 21: 0x0055_0000_1234_5678n, 22: 0xffff_0000_0000_0000n, 23: 0x4020_0000n,
      24: 0x00ab_0000_1234_5678n, 25: 0x1234n, 26: 0x0000_0000_4030_0000n, 27: 0x99n,
    });
    const p = fromWords('pauth', words, { x });
    const steps = p.code.length - 1;
    const r = await runner.run(p, { steps });
    expect(r.divergences.map(formatDivergence).join('\n')).toBe('');
    expect(r.memDiffs).toEqual([]);
    expect(r.steps).toBe(steps);
  });
});
