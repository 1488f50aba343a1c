// Random A64 integer-program generator for the differential tests. Deterministic from a seed.
// Encoders follow the Arm ARM (DDI 0487) section C4 "A64 instruction set encoding"; every word is
// built here from its fields (no assembler).
//
// Register roles:
//   x0..x25, x29, x30  random operands (x30 is also the BL link register)
//   x26  index register (set right before a register-offset access)
//   x27  walker base (set right before a pre/post-indexed or exclusive access; also BR target)
//   x28  fixed base = DATA_BASE + 0x8000 (read by random ops, never written)
//   sp   inside the scratch area, 16-byte aligned (written only by push/pop pairs and `add sp, x28, #`)
// All data accesses stay inside [DATA_BASE, DATA_BASE + DATA_SIZE) and are naturally aligned: with the
// MMU off, data accesses are Device-nGnRnE and an unaligned one takes an alignment fault (Arm ARM
// D8.2.10 / B2.5.2), which would end the useful part of the program in both machines.

export const CODE_BASE = 0x4020_0000; // QEMU puts its DTB at the start of RAM (0x4000_0000)
export const DATA_BASE = 0x4030_0000;
export const DATA_SIZE = 0x1_0000;
export const BASE_OFF = 0x8000; // x28 = DATA_BASE + BASE_OFF

export interface Program {
  seed: number | string;
  codeBase: number;
  dataBase: number;
  code: Uint32Array;
  /** per instruction word: "MNEMONIC details" */
  labels: string[];
  data: Uint8Array;
  /** x0–x30, SP, PSTATE; optionally the SIMD&FP state (v: 128 words, 4 per register, lane 0 first),
   * written through the gdbstub like the rest (harness RunOptions.fp; zero when absent) */
  init: { x: bigint[]; sp: bigint; cpsr: number; v?: Uint32Array; fpcr?: number; fpsr?: number };
  /** code word indices of setup instructions after which the harness copies QEMU's SP into ours:
   * the gdbstub writes only the current SP, so a banked SP reached through MSR SPSel holds whatever
   * QEMU had; the next prologue instruction then sets it to a known value */
  spSetup?: number[];
}

// ------------------------------------------------------------------ RNG (mulberry32)

export class Rng {
  private s: number;
  constructor(seed: number) {
    this.s = seed >>> 0 || 0x9e3779b9;
  }
  u32(): number {
    let t = (this.s = (this.s + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  }
  /** integer in [0, n) */
  int(n: number): number {
    return Math.floor((this.u32() / 4294967296) * n);
  }
  range(lo: number, hi: number): number {
    return lo + this.int(hi - lo + 1);
  }
  bit(): number {
    return this.u32() & 1;
  }
  chance(p: number): boolean {
    return this.u32() / 4294967296 < p;
  }
  pick<T>(a: readonly T[]): T {
    return a[this.int(a.length)];
  }
  u64(): bigint {
    return (BigInt(this.u32()) << 32n) | BigInt(this.u32());
  }
}

// ------------------------------------------------------------------ encoders (Arm ARM C4.1)

const u = (v: number) => v >>> 0;
const R5 = (r: number) => r & 31;

// Data processing — immediate (C4.1.86)
export const enc = {
  adr: (op: number, rd: number, imm21: number) => u((op << 31) | ((imm21 & 3) << 29) | (0x10 << 24) | (((imm21 >> 2) & 0x7ffff) << 5) | R5(rd)),
  addsubImm: (sf: number, op: number, s: number, sh: number, imm12: number, rn: number, rd: number) =>
    u((sf << 31) | (op << 30) | (s << 29) | (0x22 << 23) | (sh << 22) | ((imm12 & 0xfff) << 10) | (R5(rn) << 5) | R5(rd)),
  logImm: (sf: number, opc: number, n: number, immr: number, imms: number, rn: number, rd: number) =>
    u((sf << 31) | (opc << 29) | (0x24 << 23) | (n << 22) | (immr << 16) | (imms << 10) | (R5(rn) << 5) | R5(rd)),
  movw: (sf: number, opc: number, hw: number, imm16: number, rd: number) =>
    u((sf << 31) | (opc << 29) | (0x25 << 23) | (hw << 21) | ((imm16 & 0xffff) << 5) | R5(rd)),
  bitfield: (sf: number, opc: number, immr: number, imms: number, rn: number, rd: number) =>
    u((sf << 31) | (opc << 29) | (0x26 << 23) | (sf << 22) | (immr << 16) | (imms << 10) | (R5(rn) << 5) | R5(rd)),
  extr: (sf: number, rm: number, imms: number, rn: number, rd: number) =>
    u((sf << 31) | (0x27 << 23) | (sf << 22) | (R5(rm) << 16) | (imms << 10) | (R5(rn) << 5) | R5(rd)),

  // Data processing — register (C4.1.87)
  logShift: (sf: number, opc: number, shift: number, n: number, rm: number, imm6: number, rn: number, rd: number) =>
    u((sf << 31) | (opc << 29) | (0x0a << 24) | (shift << 22) | (n << 21) | (R5(rm) << 16) | (imm6 << 10) | (R5(rn) << 5) | R5(rd)),
  addsubShift: (sf: number, op: number, s: number, shift: number, rm: number, imm6: number, rn: number, rd: number) =>
    u((sf << 31) | (op << 30) | (s << 29) | (0x0b << 24) | (shift << 22) | (R5(rm) << 16) | (imm6 << 10) | (R5(rn) << 5) | R5(rd)),
  addsubExt: (sf: number, op: number, s: number, rm: number, option: number, imm3: number, rn: number, rd: number) =>
    u((sf << 31) | (op << 30) | (s << 29) | (0x0b << 24) | (1 << 21) | (R5(rm) << 16) | (option << 13) | (imm3 << 10) | (R5(rn) << 5) | R5(rd)),
  adcsbc: (sf: number, op: number, s: number, rm: number, rn: number, rd: number) =>
    u((sf << 31) | (op << 30) | (s << 29) | (0xd0 << 21) | (R5(rm) << 16) | (R5(rn) << 5) | R5(rd)),
  condCmp: (sf: number, op: number, imm: number, rmOrImm5: number, cond: number, rn: number, nzcv: number) =>
    u((sf << 31) | (op << 30) | (1 << 29) | (0xd2 << 21) | ((rmOrImm5 & 31) << 16) | (cond << 12) | (imm << 11) | (R5(rn) << 5) | nzcv),
  condSel: (sf: number, op: number, op2: number, rm: number, cond: number, rn: number, rd: number) =>
    u((sf << 31) | (op << 30) | (0xd4 << 21) | (R5(rm) << 16) | (cond << 12) | (op2 << 10) | (R5(rn) << 5) | R5(rd)),
  dp3: (sf: number, op31: number, o0: number, rm: number, ra: number, rn: number, rd: number) =>
    u((sf << 31) | (0x1b << 24) | (op31 << 21) | (R5(rm) << 16) | (o0 << 15) | (R5(ra) << 10) | (R5(rn) << 5) | R5(rd)),
  dp2: (sf: number, opcode: number, rm: number, rn: number, rd: number) =>
    u((sf << 31) | (0xd6 << 21) | (R5(rm) << 16) | (opcode << 10) | (R5(rn) << 5) | R5(rd)),
  dp1: (sf: number, opcode: number, rn: number, rd: number) =>
    u((sf << 31) | (1 << 30) | (0xd6 << 21) | (opcode << 10) | (R5(rn) << 5) | R5(rd)),

  // Branches (C4.1.85)
  b: (bl: number, imm26: number) => u((bl << 31) | (0x5 << 26) | (imm26 & 0x3ffffff)),
  bcond: (imm19: number, cond: number) => u((0x54 << 24) | ((imm19 & 0x7ffff) << 5) | cond),
  cb: (sf: number, op: number, imm19: number, rt: number) => u((sf << 31) | (0x1a << 25) | (op << 24) | ((imm19 & 0x7ffff) << 5) | R5(rt)),
  tb: (b5: number, op: number, b40: number, imm14: number, rt: number) =>
    u((b5 << 31) | (0x1b << 25) | (op << 24) | (b40 << 19) | ((imm14 & 0x3fff) << 5) | R5(rt)),
  /** BR (opc 0), BLR (1), RET (2) */
  breg: (opc: number, rn: number) => u((0x6b << 25) | (opc << 21) | (0x1f << 16) | (R5(rn) << 5)),

  // Loads and stores (C4.1.88)
  ldstUoff: (size: number, opc: number, imm12: number, rn: number, rt: number) =>
    u((size << 30) | (0x39 << 24) | (opc << 22) | ((imm12 & 0xfff) << 10) | (R5(rn) << 5) | R5(rt)),
  /** kind: 0 unscaled (LDUR), 1 post-index, 2 unprivileged (LDTR), 3 pre-index */
  ldstImm9: (size: number, opc: number, imm9: number, kind: number, rn: number, rt: number) =>
    u((size << 30) | (0x38 << 24) | (opc << 22) | ((imm9 & 0x1ff) << 12) | (kind << 10) | (R5(rn) << 5) | R5(rt)),
  ldstReg: (size: number, opc: number, rm: number, option: number, s: number, rn: number, rt: number) =>
    u((size << 30) | (0x38 << 24) | (opc << 22) | (1 << 21) | (R5(rm) << 16) | (option << 13) | (s << 12) | (2 << 10) | (R5(rn) << 5) | R5(rt)),
  /** type: 0 no-allocate (LDNP/STNP), 1 post-index, 2 signed offset, 3 pre-index */
  ldstPair: (opc: number, type: number, l: number, imm7: number, rt2: number, rn: number, rt: number) =>
    u((opc << 30) | (0x5 << 27) | (type << 23) | (l << 22) | ((imm7 & 0x7f) << 15) | (R5(rt2) << 10) | (R5(rn) << 5) | R5(rt)),
  ldrLit: (opc: number, imm19: number, rt: number) => u((opc << 30) | (0x18 << 24) | ((imm19 & 0x7ffff) << 5) | R5(rt)),
  /** load/store exclusive, acquire/release, CAS (C4.1.88 "Load/store exclusive") */
  ldstExcl: (size: number, o2: number, l: number, o1: number, rs: number, o0: number, rt2: number, rn: number, rt: number) =>
    u((size << 30) | (0x08 << 24) | (o2 << 23) | (l << 22) | (o1 << 21) | (R5(rs) << 16) | (o0 << 15) | (R5(rt2) << 10) | (R5(rn) << 5) | R5(rt)),
  /** LSE atomic memory operations: o3:opc (LDADD..LDUMIN = 0..7, SWP = 8) */
  atomic: (size: number, a: number, r: number, rs: number, o3opc: number, rn: number, rt: number) =>
    u((size << 30) | (0x38 << 24) | (a << 23) | (r << 22) | (1 << 21) | (R5(rs) << 16) | (o3opc << 12) | (R5(rn) << 5) | R5(rt)),
};

/** A valid logical-immediate (bitmask) encoding: returns [N, immr, imms] (Arm ARM C4.1.86, DecodeBitMasks). */
export function bitmaskFields(rng: Rng, sf: number): [number, number, number] {
  const sizes = sf ? [2, 4, 8, 16, 32, 64] : [2, 4, 8, 16, 32];
  const e = rng.pick(sizes);
  const ones = rng.range(1, e - 1);
  const rot = rng.int(e);
  if (e === 64) return [1, rot, ones - 1];
  const lg = Math.log2(e);
  const imms = ((0x3f << (lg + 1)) & 0x3f) | (ones - 1);
  return [0, rot, imms];
}

// ------------------------------------------------------------------ program units

/** A unit is a straight-line group of instructions; branches jump over whole units only. */
interface Unit {
  words: number[];
  labels: string[];
  /** for branch units: number of units to skip; fix(words start index, target word index) patches */
  skip?: number;
  fix?: (at: number, target: number) => number[];
}

const RAND_DST = [...Array.from({ length: 26 }, (_, i) => i), 29, 30];
const RAND_SRC = [...RAND_DST, 26, 27, 28, 31]; // 31 = XZR (or SP where the encoding says so)
const CONDS = Array.from({ length: 16 }, (_, i) => i);
const COND_NAMES = ['eq', 'ne', 'cs', 'cc', 'mi', 'pl', 'vs', 'vc', 'hi', 'ls', 'ge', 'lt', 'gt', 'le', 'al', 'nv'];

const CLREX = 0xd5033f5f;
const X_IDX = 26;
const X_WALK = 27;
const X_BASE = 28;

export class Generator {
  readonly units: Unit[] = [];
  constructor(readonly rng: Rng) {}

  private dst(allowZr = true): number {
    return allowZr && this.rng.chance(0.05) ? 31 : this.rng.pick(RAND_DST);
  }
  private src(): number {
    return this.rng.pick(RAND_SRC);
  }
  private add(words: number[] | number, labels: string[] | string): void {
    const w = Array.isArray(words) ? words : [words];
    const l = Array.isArray(labels) ? labels : [labels];
    this.units.push({ words: w, labels: l });
  }

  // ---------------------------------------------------------------- data processing (immediate)

  genAdr(): void {
    const r = this.rng;
    const op = r.bit();
    const imm = r.range(-(1 << 20), (1 << 20) - 1);
    this.add(enc.adr(op, this.dst(false), imm), op ? 'ADRP' : 'ADR');
  }

  genAddSubImm(): void {
    const r = this.rng;
    const sf = r.bit(), op = r.bit(), s = r.bit();
    const sh = r.chance(0.25) ? 1 : 0;
    const imm = r.chance(0.3) ? r.pick([0, 1, 0xfff, 0x800]) : r.int(4096);
    // non-flag forms: Rd/Rn 31 = SP. Reading SP is fine; writing SP only through genSetSp.
    const rd = s ? this.dst() : this.rng.pick(RAND_DST);
    const rn = this.src();
    this.add(enc.addsubImm(sf, op, s, sh, imm, rn, rd), `${['ADD', 'SUB'][op]}${s ? 'S' : ''}_imm ${sf ? 'x' : 'w'}`);
  }

  genLogImm(): void {
    const r = this.rng;
    const sf = r.bit(), opc = r.int(4);
    const [n, immr, imms] = bitmaskFields(r, sf);
    const rd = opc === 3 ? this.dst() : r.pick(RAND_DST); // Rd 31 = SP for AND/ORR/EOR
    this.add(enc.logImm(sf, opc, n, immr, imms, this.src(), rd), `${['AND', 'ORR', 'EOR', 'ANDS'][opc]}_imm ${sf ? 'x' : 'w'}`);
  }

  genMovWide(): void {
    const r = this.rng;
    const sf = r.bit();
    const opc = r.pick([0, 2, 3]);
    const hw = r.int(sf ? 4 : 2);
    const imm = r.chance(0.2) ? r.pick([0, 0xffff, 0x8000]) : r.int(0x10000);
    this.add(enc.movw(sf, opc, hw, imm, this.dst()), `${['MOVN', '', 'MOVZ', 'MOVK'][opc]} ${sf ? 'x' : 'w'}`);
  }

  genBitfield(): void {
    const r = this.rng;
    const sf = r.bit(), opc = r.int(3);
    const w = sf ? 64 : 32;
    const immr = r.int(w), imms = r.int(w);
    this.add(enc.bitfield(sf, opc, immr, imms, this.src(), this.dst()), `${['SBFM', 'BFM', 'UBFM'][opc]} ${sf ? 'x' : 'w'}`);
  }

  genExtr(): void {
    const r = this.rng;
    const sf = r.bit();
    this.add(enc.extr(sf, this.src(), r.int(sf ? 64 : 32), this.src(), this.dst()), `EXTR ${sf ? 'x' : 'w'}`);
  }

  // ---------------------------------------------------------------- data processing (register)

  genLogShift(): void {
    const r = this.rng;
    const sf = r.bit(), opc = r.int(4), n = r.bit(), shift = r.int(4);
    const names = n ? ['BIC', 'ORN', 'EON', 'BICS'] : ['AND', 'ORR', 'EOR', 'ANDS'];
    this.add(enc.logShift(sf, opc, shift, n, this.src(), r.int(sf ? 64 : 32), this.src(), this.dst()), `${names[opc]}_reg ${sf ? 'x' : 'w'} ${['lsl', 'lsr', 'asr', 'ror'][shift]}`);
  }

  genAddSubShift(): void {
    const r = this.rng;
    const sf = r.bit(), op = r.bit(), s = r.bit(), shift = r.int(3);
    this.add(enc.addsubShift(sf, op, s, shift, this.src(), r.int(sf ? 64 : 32), this.src(), this.dst()), `${['ADD', 'SUB'][op]}${s ? 'S' : ''}_shift ${sf ? 'x' : 'w'} ${['lsl', 'lsr', 'asr'][shift]}`);
  }

  genAddSubExt(): void {
    const r = this.rng;
    const sf = r.bit(), op = r.bit(), s = r.bit(), option = r.int(8), imm3 = r.int(5);
    // Rn 31 = SP (read); Rd 31 = SP for non-flag forms: avoid writing SP here
    const rd = s ? this.dst() : r.pick(RAND_DST);
    this.add(enc.addsubExt(sf, op, s, this.src(), option, imm3, this.src(), rd), `${['ADD', 'SUB'][op]}${s ? 'S' : ''}_ext ${sf ? 'x' : 'w'} ${['uxtb', 'uxth', 'uxtw', 'uxtx', 'sxtb', 'sxth', 'sxtw', 'sxtx'][option]}`);
  }

  genAdcSbc(): void {
    const r = this.rng;
    const sf = r.bit(), op = r.bit(), s = r.bit();
    this.add(enc.adcsbc(sf, op, s, this.src(), this.src(), this.dst()), `${['ADC', 'SBC'][op]}${s ? 'S' : ''} ${sf ? 'x' : 'w'}`);
  }

  genCondCmp(): void {
    const r = this.rng;
    const sf = r.bit(), op = r.bit(), imm = r.bit();
    this.add(enc.condCmp(sf, op, imm, imm ? r.int(32) : this.src(), r.pick(CONDS), this.src(), r.int(16)), `${['CCMN', 'CCMP'][op]}_${imm ? 'imm' : 'reg'} ${sf ? 'x' : 'w'}`);
  }

  genCondSel(): void {
    const r = this.rng;
    const sf = r.bit(), op = r.bit(), op2 = r.bit();
    const cond = r.pick(CONDS);
    const name = [['CSEL', 'CSINC'], ['CSINV', 'CSNEG']][op][op2];
    this.add(enc.condSel(sf, op, op2, this.src(), cond, this.src(), this.dst()), `${name} ${sf ? 'x' : 'w'} ${COND_NAMES[cond]}`);
  }

  genDp3(): void {
    const r = this.rng;
    const k = r.int(8);
    // [sf, op31, o0, name, uses Ra]
    const forms: [number, number, number, string][] = [
      [r.bit(), 0, 0, 'MADD'],
      [r.bit(), 0, 1, 'MSUB'],
      [1, 1, 0, 'SMADDL'],
      [1, 1, 1, 'SMSUBL'],
      [1, 2, 0, 'SMULH'],
      [1, 5, 0, 'UMADDL'],
      [1, 5, 1, 'UMSUBL'],
      [1, 6, 0, 'UMULH'],
    ];
    const [sf, op31, o0, name] = forms[k];
    const ra = op31 === 2 || op31 === 6 ? 31 : this.src();
    this.add(enc.dp3(sf, op31, o0, this.src(), ra, this.src(), this.dst()), `${name}${op31 === 0 ? (sf ? ' x' : ' w') : ''}`);
  }

  genDp2(): void {
    const r = this.rng;
    const k = r.int(8);
    if (k < 6) {
      const sf = r.bit();
      const [opcode, name] = r.pick([[2, 'UDIV'], [3, 'SDIV'], [8, 'LSLV'], [9, 'LSRV'], [10, 'ASRV'], [11, 'RORV']] as [number, string][]);
      this.add(enc.dp2(sf, opcode, this.src(), this.src(), this.dst()), `${name} ${sf ? 'x' : 'w'}`);
    } else {
      const c = r.bit(), sz = r.int(4);
      const sf = sz === 3 ? 1 : 0;
      this.add(enc.dp2(sf, 0x10 | (c << 2) | sz, this.src(), this.src(), this.dst()), `CRC32${c ? 'C' : ''}${'BHWX'[sz]}`);
    }
  }

  genDp1(): void {
    const r = this.rng;
    const sf = r.bit();
    const ops: [number, string][] = sf
      ? [[0, 'RBIT'], [1, 'REV16'], [2, 'REV32'], [3, 'REV'], [4, 'CLZ'], [5, 'CLS']]
      : [[0, 'RBIT'], [1, 'REV16'], [2, 'REV'], [4, 'CLZ'], [5, 'CLS']];
    const [opcode, name] = r.pick(ops);
    this.add(enc.dp1(sf, opcode, this.src(), this.dst()), `${name} ${sf ? 'x' : 'w'}`);
  }

  // ---------------------------------------------------------------- branches (forward only)

  private branchUnit(label: string, make: (off: number) => number): void {
    const skip = this.rng.range(1, 4);
    this.units.push({ words: [0], labels: [label], skip, fix: (at, target) => [make((target - at) * 4)] });
  }

  genBranch(): void {
    const r = this.rng;
    const k = r.int(7);
    switch (k) {
      case 0: {
        const cond = r.pick(CONDS);
        this.branchUnit(`B.cond ${COND_NAMES[cond]}`, (off) => enc.bcond(off >> 2, cond));
        break;
      }
      case 1:
      case 2: {
        const sf = r.bit(), op = r.bit(), rt = this.src();
        this.branchUnit(`${op ? 'CBNZ' : 'CBZ'} ${sf ? 'x' : 'w'}`, (off) => enc.cb(sf, op, off >> 2, rt));
        break;
      }
      case 3:
      case 4: {
        const bit = r.int(64), op = r.bit(), rt = this.src();
        this.branchUnit(`${op ? 'TBNZ' : 'TBZ'} #${bit}`, (off) => enc.tb(bit >> 5, op, bit & 31, off >> 2, rt));
        break;
      }
      case 5: {
        const bl = r.bit();
        this.branchUnit(bl ? 'BL' : 'B', (off) => enc.b(bl, off >> 2));
        break;
      }
      default: {
        // ADR x27, target ; BR/BLR/RET x27
        const opc = r.int(3);
        const skip = r.range(1, 4);
        const name = ['BR', 'BLR', 'RET'][opc];
        this.units.push({
          words: [0, 0],
          labels: ['ADR (for ' + name + ')', name],
          skip,
          fix: (at, target) => [enc.adr(0, X_WALK, (target - at) * 4), enc.breg(opc, X_WALK)],
        });
      }
    }
  }

  /** NZCV through MRS/MSR, hints and barriers (no effect on registers but PC; MSR NZCV sets flags) */
  genSysMisc(): void {
    const r = this.rng;
    const k = r.int(8);
    if (k < 3) this.add(0xd53b4200 | this.dst(false), 'MRS NZCV');
    else if (k < 5) this.add(0xd51b4200 | this.src(), 'MSR NZCV');
    else {
      const [w, name] = r.pick([
        [0xd503201f, 'NOP'], [0xd5033bbf, 'DMB ish'], [0xd5033f9f, 'DSB sy'], [0xd5033fdf, 'ISB'], [CLREX, 'CLREX'], [0xd5033b9f, 'DSB ish'],
        // not YIELD: QEMU's gdbstub single step runs YIELD and the next instruction as one step
      ] as [number, string][]);
      this.add(w, name);
    }
  }

  /** An instruction that takes a synchronous exception to EL2 (the vector handler returns to the
   * instruction 4 bytes after ELR, so each unit is the exception instruction plus one filler). */
  genException(): void {
    const r = this.rng;
    const k = r.int(7);
    const words: number[] = [];
    const labels: string[] = [];
    const imm = r.int(0x10000);
    // never the first instruction of a unit: the unit may be the target of BR/BLR, and QEMU's `max`
    // CPU has FEAT_BTI, so it would record PSTATE.BTYPE in SPSR_EL2; el2scope implements no BTI
    // (ID_AA64PFR1_EL1.BT = 0) and records 0
    this.inlineAlu(words, labels);
    switch (k) {
      case 0:
        words.push((0xd4000001 | (imm << 5)) >>> 0);
        labels.push('SVC');
        break;
      case 1:
        words.push((0xd4000002 | (imm << 5)) >>> 0);
        labels.push('HVC');
        break;
      case 2:
        words.push((0xd4200000 | (imm << 5)) >>> 0);
        labels.push('BRK');
        break;
      case 3:
        words.push(imm);
        labels.push('UDF');
        break;
      case 4:
        // mrs xN, scr_el3 at EL2: UNDEFINED
        words.push((0xd53e1100 | this.dst(false)) >>> 0);
        labels.push('MRS scr_el3 (EL2: UNDEFINED)');
        break;
      default: {
        // an exclusive or atomic access to an unaligned address: Alignment fault (always checked)
        const size = r.range(1, 3);
        const mis = r.range(1, (1 << size) - 1);
        const [w, lw] = this.setWalk(r.range(-0x100, 0x100) * 16 + mis);
        words.push(w);
        labels.push(lw);
        if (k === 5) {
          words.push(enc.ldstExcl(size, 0, 1, 0, 31, 0, 31, X_WALK, this.rt()));
          labels.push(`LDXR${['B', 'H', ' w', ' x'][size]} (unaligned)`);
        } else {
          words.push(enc.atomic(size, 0, 0, this.src(), r.int(9), X_WALK, this.rt(false)));
          labels.push(`LD<op>/SWP${['B', 'H', ' w', ' x'][size]} (unaligned)`);
        }
      }
    }
    this.inlineAlu(words, labels);
    this.units.push({ words, labels });
  }

  /** a bounded backward loop: movz x26, #k ; body ; subs x26, x26, #1 ; b.ne body (or cbnz) */
  genLoop(): void {
    const r = this.rng;
    const k = r.range(1, 4);
    const words = [enc.movw(1, 2, 0, k, X_IDX)];
    const labels = ['MOVZ (loop count)'];
    const bodyStart = words.length;
    for (let i = r.range(1, 3); i > 0; i--) this.inlineAlu(words, labels);
    const back = -(words.length - bodyStart);
    if (r.bit()) {
      words.push(enc.addsubImm(1, 1, 1, 0, 1, X_IDX, X_IDX)); // subs x26, x26, #1
      labels.push('SUBS_imm (loop)');
      words.push(enc.bcond(back - 1, 1)); // b.ne body
      labels.push('B.cond ne (backward)');
    } else {
      words.push(enc.addsubImm(1, 1, 0, 0, 1, X_IDX, X_IDX)); // sub x26, x26, #1
      labels.push('SUB_imm (loop)');
      const op = r.bit();
      // cbnz x26 / tbz-style exit is not needed: cbnz loops while non-zero
      words.push(op ? enc.cb(1, 1, back - 1, X_IDX) : enc.cb(0, 1, back - 1, X_IDX));
      labels.push(`CBNZ ${op ? 'x' : 'w'} (backward)`);
    }
    this.units.push({ words, labels });
  }

  // ---------------------------------------------------------------- loads and stores

  /** random transfer register for loads/stores (never a base/index register) */
  private rt(allowZr = true): number {
    return allowZr && this.rng.chance(0.05) ? 31 : this.rng.pick(RAND_DST);
  }

  /** Set x27 = x28 + off (off may be negative; |off| < 4096·4096 but we keep it small). */
  private setWalk(off: number): [number, string] {
    if (off >= 0) return [enc.addsubImm(1, 0, 0, 0, off, X_BASE, X_WALK), 'ADD_imm (walker)'];
    return [enc.addsubImm(1, 1, 0, 0, -off, X_BASE, X_WALK), 'SUB_imm (walker)'];
  }

  /** [size, opc, name, access bytes] for single-register loads/stores */
  private pickLdSt(): [number, number, string, number] {
    return this.rng.pick([
      [0, 0, 'STRB', 1], [0, 1, 'LDRB', 1], [0, 2, 'LDRSB x', 1], [0, 3, 'LDRSB w', 1],
      [1, 0, 'STRH', 2], [1, 1, 'LDRH', 2], [1, 2, 'LDRSH x', 2], [1, 3, 'LDRSH w', 2],
      [2, 0, 'STR w', 4], [2, 1, 'LDR w', 4], [2, 2, 'LDRSW', 4],
      [3, 0, 'STR x', 8], [3, 1, 'LDR x', 8],
    ] as [number, number, string, number][]);
  }

  genLdStUoff(): void {
    const r = this.rng;
    if (r.chance(0.05)) {
      const k = r.int(3);
      if (k === 0) this.add(enc.ldstUoff(3, 2, r.int(4096), X_BASE, r.int(32)), 'PRFM_uoff');
      else if (k === 1) this.add(enc.ldstImm9(3, 2, r.range(-256, 255), 0, X_BASE, r.int(32)), 'PRFUM');
      else this.add(enc.ldstReg(3, 2, this.src(), r.pick([2, 3, 6, 7]), r.bit(), X_BASE, r.int(32)), 'PRFM_reg');
      return;
    }
    const [size, opc, name, bytes] = this.pickLdSt();
    const useSp = r.chance(0.15);
    // x28 + imm12·bytes stays below DATA_BASE + 0x10000 (imm12 < 0x8000 / bytes); sp ± 0x1000
    const maxIdx = useSp ? Math.floor(0x1000 / bytes) - 1 : Math.floor((DATA_SIZE - BASE_OFF) / bytes) - 1;
    const imm = r.int(Math.min(4096, maxIdx + 1));
    const label = `${name.split(' ')[0]}_uoff ${name.split(' ')[1] ?? ''}${useSp ? ' [sp]' : ''}`.trim();
    if (!useSp && r.chance(0.1)) {
      // the base register is also the transfer register (no writeback): ldr x27, [x27, #imm] / str x27, ...
      const [w, lw] = this.setWalk(r.range(-0x100, 0x100) * 8);
      this.add([w, enc.ldstUoff(size, opc, r.int(Math.floor(0x400 / bytes)), X_WALK, X_WALK)], [lw, label + ' rt=rn']);
      return;
    }
    // stores may also store the base/index registers
    const rt = opc === 0 && r.chance(0.1) ? r.pick([X_IDX, X_BASE]) : this.rt();
    this.add(enc.ldstUoff(size, opc, imm, useSp ? 31 : X_BASE, rt), label);
  }

  genLdStImm9(): void {
    const r = this.rng;
    const kind = r.pick([0, 0, 1, 3, 2]);
    const [size, opc, name, bytes] = this.pickLdSt();
    const imm9 = r.range(-Math.floor(256 / bytes), Math.floor(255 / bytes)) * bytes;
    const kname = ['unscaled', 'post', 'unpriv', 'pre'][kind];
    let mnem = name.split(' ')[0];
    if (kind === 0) mnem = mnem.replace(/^(LD|ST)R/, '$1UR');
    if (kind === 2) mnem = mnem.replace(/^(LD|ST)R/, '$1TR');
    const label = `${mnem}_${kname} ${name.split(' ')[1] ?? ''}`.trim();
    if (kind === 2 && this.unprivFaults) {
      // LDTR/STTR take a permission fault here (see Generator.unprivFaults): like the exception
      // instructions, never the first instruction of a unit (a BR/BLR target: SPSR.BTYPE, README)
      this.add([0xd503201f, enc.ldstImm9(size, opc, imm9, kind, X_BASE, this.rt())], ['NOP (before a faulting LDTR/STTR)', label]);
    } else if (kind === 0 || kind === 2) {
      this.add(enc.ldstImm9(size, opc, imm9, kind, X_BASE, this.rt()), label);
    } else {
      const off = r.range(-0x400, 0x400) * 8;
      const [w, l] = this.setWalk(off);
      this.add([w, enc.ldstImm9(size, opc, imm9, kind, X_WALK, this.rt())], [l, label]);
    }
  }

  genLdStReg(): void {
    const r = this.rng;
    const [size, opc, name, bytes] = this.pickLdSt();
    const option = r.pick([2, 3, 6, 7]); // UXTW, LSL, SXTW, SXTX
    const s = r.bit();
    const scale = s ? bytes : 1;
    // index value: |idx·scale| < 0x4000 (0x800 from SP) and the address aligned
    const useSp = r.chance(0.15);
    const maxI = Math.floor((useSp ? 0x800 : 0x4000) / scale);
    let idx = r.range(option === 2 ? 0 : -maxI, maxI - 1);
    idx = Math.floor((idx * scale) / bytes) * Math.ceil(bytes / scale);
    let setIdx: number;
    if (idx >= 0) setIdx = enc.movw(option === 2 || option === 6 ? 0 : 1, 2, 0, idx, X_IDX);
    else setIdx = enc.movw(option === 2 || option === 6 ? 0 : 1, 0, 0, -idx - 1, X_IDX); // MOVN: ~(n) = -(n+1)
    const label = `${name.split(' ')[0]}_reg ${name.split(' ')[1] ?? ''} ${['', '', 'uxtw', 'lsl', '', '', 'sxtw', 'sxtx'][option]}${s ? ' #s' : ''}`.replace(/ +/g, ' ');
    this.add([setIdx, enc.ldstReg(size, opc, X_IDX, option, s, useSp ? 31 : X_BASE, this.rt())], ['MOV (index)', label + (useSp ? ' [sp]' : '')]);
  }

  /** data-dependent address: x26 = (xN & mask) ; access [x28, x26] */
  genLdStDataAddr(): void {
    const r = this.rng;
    const [size, opc, name, bytes] = this.pickLdSt();
    // mask 0x7ff8-ish: ones from bit log2(bytes) up to bit 13 (offset < 0x4000, aligned)
    const lo = Math.log2(bytes);
    const ones = 14 - lo;
    // logical immediate, 64-bit element: N=1, immr = (64 - lo) % 64 rotates the run up to bit lo
    const andW = enc.logImm(1, 0, 1, (64 - lo) % 64, ones - 1, this.src(), X_IDX);
    this.add([andW, enc.ldstReg(size, opc, X_IDX, 3, 0, X_BASE, this.rt())], ['AND_imm (index)', `${name.split(' ')[0]}_reg ${name.split(' ')[1] ?? ''} data-addr`.replace(/ +/g, ' ').trim()]);
  }

  genLdStPair(): void {
    const r = this.rng;
    const [opc, l, name, bytes] = r.pick([
      [0, 0, 'STP w', 4], [0, 1, 'LDP w', 4], [1, 1, 'LDPSW', 4], [2, 0, 'STP x', 8], [2, 1, 'LDP x', 8],
    ] as [number, number, string, number][]);
    const type = r.pick([0, 1, 2, 2, 3]);
    const imm7 = r.range(-64, 63);
    let rt = this.rt(), rt2 = this.rt();
    if (l) while (rt2 === rt) rt2 = this.rt(false); // LDP Rt == Rt2 is CONSTRAINED UNPREDICTABLE
    let mnem = name.split(' ')[0];
    if (type === 0) mnem = mnem.replace('P', 'NP');
    if (type === 0 && opc === 1) {
      this.add(enc.ldstPair(0, 0, l, imm7, rt2, X_BASE, rt), `LDNP w`); // no LDNPSW: use the 32-bit form
      return;
    }
    const label = `${mnem}_${['noalloc', 'post', 'off', 'pre'][type]} ${name.split(' ')[1] ?? ''}`.trim();
    void bytes;
    if (type === 1 || type === 3) {
      const [w, lw] = this.setWalk(r.range(-0x200, 0x200) * 8);
      this.add([w, enc.ldstPair(opc, type, l, imm7, rt2, X_WALK, rt)], [lw, label]);
    } else {
      this.add(enc.ldstPair(opc, type, l, imm7, rt2, X_BASE, rt), label);
    }
  }

  /** push/pop through SP with pre/post-index writeback, balanced inside one unit */
  genPushPop(): void {
    const r = this.rng;
    const a = this.rt(), b = this.rt();
    let c = this.rt(false), d = this.rt(false);
    while (d === c) d = this.rt(false);
    const words = [enc.ldstPair(2, 3, 0, -2, b, 31, a)]; // stp a, b, [sp, #-16]!
    const labels = ['STP_pre x [sp]'];
    for (let i = r.int(3); i > 0; i--) {
      const g = new Generator(r);
      g.genAluOnly();
      words.push(...g.units[0].words);
      labels.push(...g.units[0].labels);
    }
    if (r.bit()) {
      words.push(enc.ldstPair(2, 1, 1, 2, d, 31, c)); // ldp c, d, [sp], #16
      labels.push('LDP_post x [sp]');
    } else {
      words.push(enc.ldstImm9(3, 1, 16, 1, 31, c)); // ldr c, [sp], #16
      labels.push('LDR_post x [sp]');
    }
    this.units.push({ words, labels });
  }

  /** add sp, x28, #off (16-aligned): moves SP inside the scratch area */
  genSetSp(): void {
    const r = this.rng;
    const off = r.range(-0x300, 0x300) * 16;
    const k = r.int(3);
    if (k === 0) {
      const w = off >= 0 ? enc.addsubImm(1, 0, 0, 0, off, X_BASE, 31) : enc.addsubImm(1, 1, 0, 0, -off, X_BASE, 31);
      this.add(w, off >= 0 ? 'ADD_imm (sp)' : 'SUB_imm (sp)');
    } else if (k === 1) {
      // 32-bit form: wsp = w28 ± off, zero-extended (the scratch area lies below 4 GiB)
      const w = off >= 0 ? enc.addsubImm(0, 0, 0, 0, off, X_BASE, 31) : enc.addsubImm(0, 1, 0, 0, -off, X_BASE, 31);
      this.add(w, off >= 0 ? 'ADD_imm w (wsp)' : 'SUB_imm w (wsp)');
    } else {
      // extended-register form with SP destination: sp = x28 + x26 (UXTX/SXTX) or + w26 (SXTW)
      const option = r.pick([3, 7, 6]);
      const setIdx = off >= 0 ? enc.movw(option === 6 ? 0 : 1, 2, 0, off, X_IDX) : enc.movw(option === 6 ? 0 : 1, 0, 0, -off - 1, X_IDX);
      this.add([setIdx, enc.addsubExt(1, 0, 0, X_IDX, option, 0, X_BASE, 31)], ['MOV (index)', `ADD_ext (sp) ${['', '', '', 'uxtx', '', '', 'sxtw', 'sxtx'][option]}`]);
    }
  }

  /** literal loads of words inside the program (resolved at layout time) */
  genLdrLit(): void {
    const r = this.rng;
    const [opc, name, align] = r.pick([[0, 'LDR_lit w', 4], [1, 'LDR_lit x', 8], [2, 'LDRSW_lit', 4], [3, 'PRFM_lit', 4]] as [number, string, number][]);
    const rt = opc === 3 ? r.int(32) : this.rt();
    const back = r.bit();
    const dist = r.range(1, 300);
    this.units.push({
      words: [0],
      labels: [name],
      skip: 0,
      fix: (at, _t, total?: number) => {
        let tgt = back ? at - dist : at + dist;
        if (tgt < 0) tgt = at + dist;
        if (total !== undefined && tgt >= total) tgt = Math.max(0, at - dist);
        if (align === 8 && ((CODE_BASE + tgt * 4) & 7) !== 0) tgt += tgt + 1 < (total ?? Infinity) ? 1 : -1;
        return [enc.ldrLit(opc, tgt - at, rt)];
      },
    } as Unit);
  }

  genExclusive(): void {
    const r = this.rng;
    const kind = r.int(5);
    const off = r.range(-0x200, 0x200) * 16;
    const [w, lw] = this.setWalk(off);
    const words = [w];
    const labels = [lw];
    if (kind <= 1) {
      // LDXR/LDAXR ... STXR/STLXR, same size and address
      const size = r.int(4);
      const acq = r.bit(), rel = r.bit();
      const rt = this.rt();
      words.push(enc.ldstExcl(size, 0, 1, 0, 31, acq, 31, X_WALK, rt));
      labels.push(`${acq ? 'LDAXR' : 'LDXR'}${['B', 'H', ' w', ' x'][size]}`);
      for (let i = r.int(3); i > 0; i--) this.inlineAlu(words, labels);
      if (r.chance(0.2)) {
        words.push(CLREX); // the store exclusive below must fail (status 1)
        labels.push('CLREX');
      }
      let rs = this.rt(false);
      let rv = this.rt();
      while (rv === rs) rv = this.rt();
      words.push(enc.ldstExcl(size, 0, 0, 0, rs, rel, 31, X_WALK, rv));
      labels.push(`${rel ? 'STLXR' : 'STXR'}${['B', 'H', ' w', ' x'][size]}`);
    } else if (kind === 2) {
      // LDXP/LDAXP ... STXP/STLXP (size 2: 32-bit pair, 3: 64-bit pair)
      const sz = r.pick([2, 3]);
      const acq = r.bit(), rel = r.bit();
      let a = this.rt(false), b = this.rt(false);
      while (b === a) b = this.rt(false);
      words.push(enc.ldstExcl(sz, 0, 1, 1, 31, acq, b, X_WALK, a));
      labels.push(`${acq ? 'LDAXP' : 'LDXP'} ${sz === 3 ? 'x' : 'w'}`);
      for (let i = r.int(2); i > 0; i--) this.inlineAlu(words, labels);
      const rs = this.rt(false);
      let c = this.rt(), d = this.rt();
      while (c === rs) c = this.rt();
      while (d === rs) d = this.rt();
      words.push(enc.ldstExcl(sz, 0, 0, 1, rs, rel, d, X_WALK, c));
      labels.push(`${rel ? 'STLXP' : 'STXP'} ${sz === 3 ? 'x' : 'w'}`);
    } else if (kind === 3) {
      // LDAR / STLR
      const size = r.int(4), l = r.bit();
      words.push(enc.ldstExcl(size, 1, l, 0, 31, 1, 31, X_WALK, this.rt()));
      labels.push(`${l ? 'LDAR' : 'STLR'}${['B', 'H', ' w', ' x'][size]}`);
    } else {
      // CAS / CASP
      const a = r.bit(), l = r.bit();
      const suffix = `${a ? 'A' : ''}${l ? 'L' : ''}`;
      if (r.chance(0.7)) {
        const size = r.int(4);
        words.push(enc.ldstExcl(size, 1, a, 1, this.rt(false), l, 31, X_WALK, this.rt()));
        labels.push(`CAS${suffix}${['B', 'H', ' w', ' x'][size]}`);
      } else {
        const sz = r.bit();
        const even = () => r.pick([0, 2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22, 24]);
        words.push(enc.ldstExcl(sz, 0, a, 1, even(), l, 31, X_WALK, even()));
        labels.push(`CASP${suffix} ${sz ? 'x' : 'w'}`);
      }
    }
    this.units.push({ words, labels });
  }

  genAtomic(): void {
    const r = this.rng;
    const off = r.range(-0x200, 0x200) * 16;
    const [w, lw] = this.setWalk(off);
    const size = r.int(4), a = r.bit(), rr = r.bit();
    const op = r.int(9);
    const names = ['LDADD', 'LDCLR', 'LDEOR', 'LDSET', 'LDSMAX', 'LDSMIN', 'LDUMAX', 'LDUMIN', 'SWP'];
    const rt = r.chance(0.15) && op < 8 ? 31 : this.rt(false); // Rt = 31 with A=0: ST<op> alias
    this.add([w, enc.atomic(size, a, rr, this.src(), op === 8 ? 8 : op, X_WALK, rt)], [lw, `${names[op]}${a ? 'A' : ''}${rr ? 'L' : ''}${['B', 'H', ' w', ' x'][size]}`]);
  }

  /** one random data-processing instruction appended to a unit being built */
  private inlineAlu(words: number[], labels: string[]): void {
    const g = new Generator(this.rng);
    g.genAluOnly();
    words.push(...g.units[0].words);
    labels.push(...g.units[0].labels);
  }

  /** a random data-processing instruction that touches no memory and does not branch */
  genAluOnly(): void {
    const r = this.rng;
    const k = r.int(16);
    const f = [
      () => this.genAdr(), () => this.genAddSubImm(), () => this.genLogImm(), () => this.genMovWide(),
      () => this.genBitfield(), () => this.genExtr(), () => this.genLogShift(), () => this.genAddSubShift(),
      () => this.genAddSubExt(), () => this.genAdcSbc(), () => this.genCondCmp(), () => this.genCondSel(),
      () => this.genDp3(), () => this.genDp2(), () => this.genDp1(), () => this.genAddSubImm(),
    ][k];
    f();
  }

  /** one random unit of any class (weights roughly by how much each class has to test) */
  /** Mix profile (chosen per program from the seed): 0 balanced, 1 flags/ALU-heavy, 2 memory-heavy,
   * 3 exclusives/atomics-heavy, 4 branch-heavy. */
  profile = 0;
  /** unprivileged loads/stores fault ('el1mmu': stage 1 gives EL0 no access to the scratch area) */
  unprivFaults = false;

  genAny(): void {
    // [weight, category, generator]; category 'f' flags/ALU, 'm' memory, 'a' atomics, 'b' branches
    const table: [number, string, () => void][] = [
      [3, '', () => this.genAdr()],
      [6, 'f', () => this.genAddSubImm()],
      [5, 'f', () => this.genLogImm()],
      [5, '', () => this.genMovWide()],
      [5, '', () => this.genBitfield()],
      [2, '', () => this.genExtr()],
      [5, 'f', () => this.genLogShift()],
      [5, 'f', () => this.genAddSubShift()],
      [4, 'f', () => this.genAddSubExt()],
      [4, 'f', () => this.genAdcSbc()],
      [4, 'f', () => this.genCondCmp()],
      [4, 'f', () => this.genCondSel()],
      [5, '', () => this.genDp3()],
      [5, '', () => this.genDp2()],
      [4, '', () => this.genDp1()],
      [6, 'b', () => this.genBranch()],
      [1, 'b', () => this.genLoop()],
      [6, 'm', () => this.genLdStUoff()],
      [5, 'm', () => this.genLdStImm9()],
      [4, 'm', () => this.genLdStReg()],
      [2, 'm', () => this.genLdStDataAddr()],
      [4, 'm', () => this.genLdStPair()],
      [2, 'm', () => this.genPushPop()],
      [1, 'm', () => this.genSetSp()],
      [2, 'm', () => this.genLdrLit()],
      [3, 'a', () => this.genExclusive()],
      [3, 'a', () => this.genAtomic()],
      [1, 'f', () => this.genSysMisc()],
      [1, 'a', () => this.genException()],
    ];
    const boost = ['', 'f', 'm', 'a', 'b'][this.profile] ?? '';
    const weight = (w: number, cat: string) => (boost && cat === boost ? w * 4 : w);
    let total = 0;
    for (const [w, cat] of table) total += weight(w, cat);
    let x = this.rng.int(total);
    for (const [w, cat, f] of table) {
      const ww = weight(w, cat);
      if (x < ww) return f();
      x -= ww;
    }
  }
}

// ------------------------------------------------------------------ prologue and exception vectors
//
// 0x000  adr x0, vectors ; msr vbar_el2, x0 ; msr far_el2, xzr ; b start
// 0x800  vectors (VBAR_EL2): the synchronous entries for the current EL (SP_EL0 at +0x000, SP_ELx at
//        +0x200) read ESR/ELR/SPSR/FAR_EL2 into x0..x3 (so the syndromes are compared), step ELR over
//        4 bytes and ERET; every other entry is `b .` (interrupts stay masked).
// 0x1000 start: the random units.
export const VECTORS_OFF = 0x800;
export const VECTORS_EL1_OFF = 0x1000;
export const START_OFF = 0x1800;
const handler = (el: 1 | 2): [number, string][] => {
  const t = el === 2 ? 'HANDLER' : 'HANDLER_EL1';
  return [
    // QEMU 7.2 clears NZCV on exception entry, the architecture keeps them (see harness.ts): make
    // them equal for the rest of the handler. The flags from before are checked through SPSR (x2).
    [0xd51b421f, `${t} msr nzcv, xzr`],
    [el === 2 ? 0xd53c5200 : 0xd5385200, `${t} mrs x0, esr_el${el}`],
    [el === 2 ? 0xd53c4021 : 0xd5384021, `${t} mrs x1, elr_el${el}`],
    [el === 2 ? 0xd53c4002 : 0xd5384002, `${t} mrs x2, spsr_el${el}`],
    [el === 2 ? 0xd53c6003 : 0xd5386003, `${t} mrs x3, far_el${el}`],
    [0x91001021, `${t} add x1, x1, #4`],
    [el === 2 ? 0xd51c4021 : 0xd5184021, `${t} msr elr_el${el}, x1`],
    [0xd69f03e0, `${t} eret`],
  ];
};

/** Program start state: EL2h (default), EL2t (SP_EL0) or EL1h entered from EL2 by ERET. */
export type StartMode = 'el2h' | 'el2t' | 'el1h' | 'el0t' | 'el1mmu' | 'el1mmu64k' | 'el0mmu64k' | 'el1mmu16k' | 'el0mmu16k';

/** 'el1mmu' programs: EL1h with stage 1 and stage 2 on. The prologue (at EL2) writes both stages'
 * tables at MMU_TABLES, below the code and outside the scratch area (random stores never reach them):
 * 4K granule, 32-bit VA/IPA, start level 1, 2 MiB blocks mapping 0x4000_0000..0x403f_ffff identity
 * (Normal write-back; stage 1 AP = EL1 read/write; the first block also holds the harness's HVC pad).
 * Every other table entry is zero in both machines. */
export const MMU_TABLES = 0x4010_0000;
/** 'el1mmu64k' / 'el0mmu64k' programs: 64 KiB granule in both stages (32-bit VA/IPA, start level 2),
 * level-3 pages mapping identity only the HVC pad's page (0x401f_0000), the code page (0x4020_0000,
 * stage 1 AP read-only at EL1 and EL0, executable), the scratch page (0x4030_0000, AP read/write at
 * EL1 and EL0) and, in stage 2, the stage-1 tables' pages. Tables at MMU64K_TABLES. */
export const MMU64K_TABLES = 0x4040_0000;
/** 'el1mmu16k' / 'el0mmu16k': the same with the 16 KiB granule (start level 2, 128 entries; level 3
 * 2048 entries), mapping the HVC pad's page, 3 code pages and the 4 scratch pages; tables at
 * MMU16K_TABLES. */
export const MMU16K_TABLES = 0x4050_0000;
function mmu64kPrologue(put: (w: number, l: string) => void, granule: 16 | 64 = 64): void {
  const T = granule === 64 ? MMU64K_TABLES : MMU16K_TABLES;
  const shift = granule === 64 ? 16 : 14;
  const tsz = 1 << shift;
  const mov = (rd: number, v: number, what: string) => {
    put(enc.movw(1, 2, 0, v & 0xffff, rd), `PROLOGUE_MMU movz x${rd}, #lo(${what})`);
    put(enc.movw(1, 3, 1, v >>> 16, rd), `PROLOGUE_MMU movk x${rd}, #hi(${what})`);
  };
  const S2L2 = T,
    S2L3 = T + tsz,
    S1L2 = T + 2 * tsz,
    S1L3 = T + 3 * tsz;
  const idx = (a: number) => 8 * ((a >>> shift) & ((1 << (shift - 3)) - 1));
  const l2 = 8 * (0x4000_0000 / 2 ** (2 * shift - 3)); // level-2 index of 0x4000_0000
  const code = granule === 64 ? [0x4020_0000] : [0x4020_0000, 0x4020_4000, 0x4020_8000];
  const scratch = granule === 64 ? [0x4030_0000] : [0x4030_0000, 0x4030_4000, 0x4030_8000, 0x4030_c000];
  const pad = granule === 64 ? 0x401f_0000 : 0x401f_c000;
  // stage 2: table 0b11; page 0b11 | MemAttr Normal WB | S2AP RW | SH inner | AF = 0x7ff
  // stage 1: page 0b11 | AttrIndx 0 | AP | SH inner | AF: AP 0b11 (RO EL1+EL0) 0x7c3, AP 0b01 (RW EL1+EL0) 0x743
  const tables: [number, [number, number, string][]][] = [
    [S2L2, [[l2, S2L3 + 3, 'S2 L2 -> L3']]],
    [
      S2L3,
      [
        [idx(pad), pad + 0x7ff, 'S2 page: HVC pad'],
        ...code.map((a) => [idx(a), a + 0x7ff, 'S2 page: code'] as [number, number, string]),
        ...scratch.map((a) => [idx(a), a + 0x7ff, 'S2 page: scratch'] as [number, number, string]),
        [idx(S1L2), S1L2 + 0x7ff, 'S2 page: S1 L2 table'],
        [idx(S1L3), S1L3 + 0x7ff, 'S2 page: S1 L3 table'],
      ],
    ],
    [S1L2, [[l2, S1L3 + 3, 'S1 L2 -> L3']]],
    [
      S1L3,
      [
        [idx(pad), pad + 0x7c3, 'S1 page: HVC pad, RO'],
        ...code.map((a) => [idx(a), a + 0x7c3, 'S1 page: code, RO'] as [number, number, string]),
        ...scratch.map((a) => [idx(a), a + 0x743, 'S1 page: scratch, RW EL0+EL1'] as [number, number, string]),
      ],
    ],
  ];
  for (const [base, entries] of tables) {
    mov(1, base, 'table');
    for (const [off, v, what] of entries) {
      mov(0, v, what);
      put(enc.ldstUoff(3, 0, off >> 3, 1, 0), `PROLOGUE_MMU str x0, [x1, #0x${off.toString(16)}]`);
    }
  }
  put(0xd5033b9f, 'PROLOGUE_MMU dsb ish');
  put(0xd50c879f, 'PROLOGUE_MMU tlbi alle1');
  put(0xd5033b9f, 'PROLOGUE_MMU dsb ish');
  mov(0, S2L2, 'S2 L2');
  put(enc.movw(1, 3, 3, granule === 64 ? 6 : 7, 0), `PROLOGUE_MMU movk x0, #${granule === 64 ? 6 : 7}, lsl #48 (VMID)`);
  put(0xd51c2100, 'PROLOGUE_MMU msr vttbr_el2, x0');
  // TG0: VTCR_EL2/TCR_EL1 0b01 = 64K, 0b10 = 16K; SL0 1 = start at level 2 for both granules
  const tg = granule === 64 ? 0x4000 : 0x8000;
  mov(0, 0x8000_3560 | tg, `VTCR: T0SZ 32, SL0 1 (level 2), WB, ISH, ${granule}K, PS 32 bits`);
  put(0xd51c2140, 'PROLOGUE_MMU msr vtcr_el2, x0');
  put(enc.movw(1, 2, 0, 0xff, 0), 'PROLOGUE_MMU movz x0, #0xff (MAIR Attr0 Normal WB)');
  put(0xd518a200, 'PROLOGUE_MMU msr mair_el1, x0');
  mov(0, 0x0080_3520 | tg, `TCR: T0SZ 32, WB, ISH, TG0 ${granule}K, EPD1, IPS 32 bits`);
  put(0xd5182040, 'PROLOGUE_MMU msr tcr_el1, x0');
  mov(0, S1L2, 'S1 L2');
  put(0xd5182000, 'PROLOGUE_MMU msr ttbr0_el1, x0');
}

function mmuPrologue(put: (w: number, l: string) => void): void {
  const T = MMU_TABLES;
  const mov = (rd: number, v: number, what: string) => {
    put(enc.movw(1, 2, 0, v & 0xffff, rd), `PROLOGUE_MMU movz x${rd}, #lo(${what})`);
    put(enc.movw(1, 3, 1, v >>> 16, rd), `PROLOGUE_MMU movk x${rd}, #hi(${what})`);
  };
  mov(1, T, 'tables');
  const entries: [number, number, string][] = [
    [0x0008, T + 0x1000 + 3, 'S2 L1[1] -> L2'],
    [0x1000, 0x4000_0000 + 0x7fd, 'S2 L2[0] block, Normal WB, S2AP RW, AF'],
    [0x1008, 0x4020_0000 + 0x7fd, 'S2 L2[1] block'],
    [0x2008, T + 0x3000 + 3, 'S1 L1[1] -> L2'],
    [0x3000, 0x4000_0000 + 0x701, 'S1 L2[0] block, AttrIndx 0, EL1 RW, AF'],
    [0x3008, 0x4020_0000 + 0x701, 'S1 L2[1] block'],
  ];
  for (const [off, v, what] of entries) {
    mov(0, v, what);
    put(enc.ldstUoff(3, 0, off >> 3, 1, 0), `PROLOGUE_MMU str x0, [x1, #0x${off.toString(16)}]`);
  }
  put(0xd5033b9f, 'PROLOGUE_MMU dsb ish');
  put(0xd50c879f, 'PROLOGUE_MMU tlbi alle1');
  put(0xd5033b9f, 'PROLOGUE_MMU dsb ish');
  mov(0, T, 'S2 L1');
  put(enc.movw(1, 3, 3, 5, 0), 'PROLOGUE_MMU movk x0, #5, lsl #48 (VMID 5)');
  put(0xd51c2100, 'PROLOGUE_MMU msr vttbr_el2, x0');
  mov(0, 0x8000_3560, 'VTCR: T0SZ 32, SL0 1, WB, ISH, 4K, PS 32 bits');
  put(0xd51c2140, 'PROLOGUE_MMU msr vtcr_el2, x0');
  put(enc.movw(1, 2, 0, 0xff, 0), 'PROLOGUE_MMU movz x0, #0xff (MAIR Attr0 Normal WB)');
  put(0xd518a200, 'PROLOGUE_MMU msr mair_el1, x0');
  mov(0, 0x0080_3520, 'TCR: T0SZ 32, WB, ISH, 4K, EPD1, IPS 32 bits');
  put(0xd5182040, 'PROLOGUE_MMU msr tcr_el1, x0');
  mov(0, T + 0x2000, 'S1 L1');
  put(0xd5182000, 'PROLOGUE_MMU msr ttbr0_el1, x0');
}

function prologue(words: number[], labels: string[], mode: StartMode, nzcv: number, spSetup: number[], fp = false): void {
  const put = (w: number, l: string) => {
    words.push(w >>> 0);
    labels.push(l);
  };
  put(enc.adr(0, 0, VECTORS_OFF), 'PROLOGUE adr x0, vectors');
  put(0xd51cc000, 'PROLOGUE msr vbar_el2, x0');
  put(0xd51c601f, 'PROLOGUE msr far_el2, xzr');
  if (fp) {
    // SIMD&FP enabled at every EL (Arm ARM D19 CPTR_EL2 (E2H = 0): TFP, bit 10 = 0, RES1 bits
    // 13:12 and 9:0 kept; CPACR_EL1.FPEN, bits 21:20 = 0b11). QEMU resets CPACR_EL1 to 0.
    put(enc.movw(1, 2, 0, 0x33ff, 0), 'PROLOGUE movz x0, #0x33ff (CPTR_EL2.TFP = 0)');
    put(0xd51c1140, 'PROLOGUE msr cptr_el2, x0');
    put(enc.movw(1, 2, 1, 0x30, 0), 'PROLOGUE movz x0, #0x30, lsl #16 (CPACR_EL1.FPEN = 3)');
    put(0xd5181040, 'PROLOGUE msr cpacr_el1, x0');
  }
  if (mode === 'el2t') {
    // running on SP_EL0: give SP_EL2 (used by exception entry) a known value in both machines
    spSetup.push(words.length);
    put(0xd50041bf, 'PROLOGUE msr spsel, #1');
    put(enc.addsubImm(1, 0, 0, 0, 0x7000 >> 4, X_BASE, 31), 'PROLOGUE add sp, x28, #0x700');
    put(0xd50040bf, 'PROLOGUE msr spsel, #0');
  }
  const mmu = mode === 'el1mmu' || mode === 'el1mmu64k' || mode === 'el0mmu64k' || mode === 'el1mmu16k' || mode === 'el0mmu16k';
  if (mode === 'el1h' || mode === 'el0t' || mmu) {
    if (mode === 'el1mmu') mmuPrologue(put);
    else if (mode === 'el1mmu16k' || mode === 'el0mmu16k') mmu64kPrologue(put, 16);
    else if (mmu) mmu64kPrologue(put, 64);
    put(enc.adr(0, 0, VECTORS_EL1_OFF - 4 * words.length), 'PROLOGUE adr x0, vectors_el1');
    put(0xd518c000, 'PROLOGUE msr vbar_el1, x0');
    put(0xd518601f, 'PROLOGUE msr far_el1, xzr');
    put(enc.movw(1, 2, 1, 0x8000, 0), 'PROLOGUE movz x0, #0x8000, lsl #16 (HCR_EL2.RW)');
    if (mmu) put(enc.movw(1, 3, 0, 1, 0), 'PROLOGUE movk x0, #1 (HCR_EL2.VM)');
    put(0xd51c1100, 'PROLOGUE msr hcr_el2, x0');
    if (mmu) put(enc.movw(1, 2, 0, 0x0801, 0), 'PROLOGUE movz x0, #0x801 (SCTLR_EL1.M)');
    else put(enc.movw(1, 2, 0, 0x0800, 0), 'PROLOGUE movz x0, #0x800');
    put(enc.movw(1, 3, 1, 0x30d0, 0), 'PROLOGUE movk x0, #0x30d0, lsl #16');
    put(0xd5181000, 'PROLOGUE msr sctlr_el1, x0 (MMU off)');
    put(enc.addsubImm(1, 0, 0, 0, 0x4000 >> 4, X_BASE, 0), 'PROLOGUE add x0, x28, #0x4000');
    put(0xd51c4100, 'PROLOGUE msr sp_el1, x0');
    if (mode === 'el0t' || mode === 'el0mmu64k' || mode === 'el0mmu16k') {
      put(0xd5184100, 'PROLOGUE msr sp_el0, x0');
      put(enc.movw(1, 2, 0, 0x3c0, 0), 'PROLOGUE movz x0, #0x3c0 (EL0t, DAIF masked)');
    } else {
      put(enc.movw(1, 2, 0, 0x3c5, 0), 'PROLOGUE movz x0, #0x3c5 (EL1h, DAIF masked)');
    }
    put(enc.movw(1, 3, 1, nzcv << 12, 0), 'PROLOGUE movk x0, #nzcv, lsl #16');
    put(0xd51c4000, 'PROLOGUE msr spsr_el2, x0');
    put(enc.adr(0, 0, START_OFF - 4 * words.length), 'PROLOGUE adr x0, start');
    put(0xd51c4020, 'PROLOGUE msr elr_el2, x0');
    put(0xd69f03e0, 'PROLOGUE eret');
  } else {
    put(enc.b(0, (START_OFF - 4 * words.length) >> 2), 'PROLOGUE b start');
  }
  while (words.length < VECTORS_OFF / 4) put(enc.b(0, 0), 'PROLOGUE (unused)');
  // VBAR_EL2: synchronous from the current EL (SP_EL0 +0x000, SP_ELx +0x200) and from EL1 (+0x400)
  for (let e = 0; e < 16; e++) {
    const base = (VECTORS_OFF + e * 0x80) / 4;
    if (e === 0 || e === 4 || e === 8) for (const [w, l] of handler(2)) put(w, l);
    while (words.length < base + 32) put(enc.b(0, 0), `VECTOR_EL2 ${e} (unexpected: b .)`);
  }
  // VBAR_EL1: synchronous from EL1 (SP_EL0 / SP_EL1) and from EL0 (+0x400)
  for (let e = 0; e < 16; e++) {
    const base = (VECTORS_EL1_OFF + e * 0x80) / 4;
    if (e === 0 || e === 4 || e === 8) for (const [w, l] of handler(1)) put(w, l);
    while (words.length < base + 32) put(enc.b(0, 0), `VECTOR_EL1 ${e} (unexpected: b .)`);
  }
}

/** Interesting 64-bit register values */
function interesting(r: Rng): bigint {
  const k = r.int(10);
  switch (k) {
    case 0:
      return r.pick([0n, 1n, 0xffff_ffff_ffff_ffffn, 0x7fff_ffff_ffff_ffffn, 0x8000_0000_0000_0000n, 0xffff_ffffn, 0x7fff_ffffn, 0x8000_0000n, 0x1_0000_0000n]);
    case 1:
      return BigInt(r.int(256));
    case 2:
      return BigInt.asUintN(64, -BigInt(r.int(256) + 1));
    case 3:
      return BigInt(r.u32());
    default:
      return r.u64();
  }
}

/** A program of roughly `insns` instructions (+ a final `b .`), deterministic from `seed`. */
export function generate(seed: number, insns = 2000, build?: (g: Generator) => void, opts: { mmu?: boolean | '64k' | '16k'; fp?: boolean } = {}): Program {
  const rng = new Rng(seed);
  const g = new Generator(rng);
  g.profile = seed % 5;
  g.unprivFaults = opts.mmu === true;
  if (build) build(g);
  else {
    let n = 0;
    while (n < insns) {
      g.genAny();
      n += g.units[g.units.length - 1].words.length;
    }
  }
  // layout: prologue and EL2 vector table first, then the units (branches/literals patched)
  const words: number[] = [];
  const labels: string[] = [];
  // one program in eight at EL2t, one in eight at EL0t, one in four at EL1h (the rest at EL2h)
  const mode: StartMode =
    opts.mmu === '64k' ? (seed % 2 ? 'el0mmu64k' : 'el1mmu64k') : opts.mmu === '16k' ? (seed % 2 ? 'el0mmu16k' : 'el1mmu16k') : opts.mmu ? 'el1mmu' : seed % 8 === 7 ? 'el2t' : seed % 8 === 3 ? 'el0t' : seed % 4 === 1 ? 'el1h' : 'el2h';
  const nzcv0 = rng.int(16);
  const spSetup: number[] = [];
  prologue(words, labels, mode, nzcv0, spSetup, opts.fp);
  const starts: number[] = [];
  let at = words.length;
  for (const u of g.units) {
    starts.push(at);
    at += u.words.length;
  }
  const total = at + 1; // + final `b .`
  starts.push(at);
  g.units.forEach((u, i) => {
    let w = u.words;
    if (u.fix) {
      const target = starts[Math.min(i + 1 + (u.skip ?? 0), g.units.length)];
      w = (u.fix as (a: number, t: number, total: number) => number[])(starts[i], target, total);
    }
    words.push(...w);
    labels.push(...u.labels);
  });
  words.push(enc.b(0, 0));
  labels.push('B (end: b .)');

  const data = new Uint8Array(DATA_SIZE);
  for (let i = 0; i < DATA_SIZE; i += 4) new DataView(data.buffer).setUint32(i, rng.u32(), true);

  const x: bigint[] = [];
  for (let i = 0; i < 31; i++) x.push(interesting(rng));
  x[X_BASE] = BigInt(DATA_BASE + BASE_OFF);
  const sp = BigInt(DATA_BASE + BASE_OFF + 0x4000);
  // EL2 with SP_EL2 (EL2h; one program in eight uses SP_EL0, EL2t), DAIF masked, random NZCV
  const cpsr = ((nzcv0 << 28) | (mode === 'el2t' ? 0x3c8 : 0x3c9)) >>> 0;
  return { seed, codeBase: CODE_BASE, dataBase: DATA_BASE, code: Uint32Array.from(words), labels, data, init: { x, sp, cpsr }, spSetup };
}

/** A program from explicit words (handwritten tests). Registers default to zero, x28 = data base. */
export function fromWords(name: string, words: number[], init: Partial<Program['init']> = {}, data?: Uint8Array): Program {
  const x = init.x ?? Array.from({ length: 31 }, () => 0n);
  if (!init.x) x[X_BASE] = BigInt(DATA_BASE + BASE_OFF);
  return {
    seed: name,
    codeBase: CODE_BASE,
    dataBase: DATA_BASE,
    code: Uint32Array.from([...words, enc.b(0, 0)]),
    labels: [...words.map((w) => `hand ${w.toString(16).padStart(8, '0')}`), 'B (end: b .)'],
    data: data ?? new Uint8Array(0x1000),
    init: { x, sp: init.sp ?? BigInt(DATA_BASE + BASE_OFF + 0x4000), cpsr: init.cpsr ?? 0x3c9 },
  };
}
