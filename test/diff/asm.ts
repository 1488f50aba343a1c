// A tiny label-resolving A64 assembler for handwritten differential programs (hypervisor + guest).
// Every word is built from its fields by the encoders in gen.ts (Arm ARM C4.1) or here (system
// instructions, C5.2/C6.2); no external assembler.
import { enc, type Program } from './gen';

/** System register operands (op0, op1, CRn, CRm, op2), Arm ARM D19/D23 encodings. */
export const SR = {
  NZCV: [3, 3, 4, 2, 0],
  SP_EL0: [3, 0, 4, 1, 0],
  SPSEL: [3, 0, 4, 2, 0],
  SCTLR_EL1: [3, 0, 1, 0, 0],
  TTBR0_EL1: [3, 0, 2, 0, 0],
  TCR_EL1: [3, 0, 2, 0, 2],
  SPSR_EL1: [3, 0, 4, 0, 0],
  ELR_EL1: [3, 0, 4, 0, 1],
  ESR_EL1: [3, 0, 5, 2, 0],
  FAR_EL1: [3, 0, 6, 0, 0],
  MAIR_EL1: [3, 0, 10, 2, 0],
  VBAR_EL1: [3, 0, 12, 0, 0],
  TPIDR_EL1: [3, 0, 13, 0, 4],
  SCTLR_EL2: [3, 4, 1, 0, 0],
  HCR_EL2: [3, 4, 1, 1, 0],
  VTTBR_EL2: [3, 4, 2, 1, 0],
  VTCR_EL2: [3, 4, 2, 1, 2],
  SPSR_EL2: [3, 4, 4, 0, 0],
  ELR_EL2: [3, 4, 4, 0, 1],
  SP_EL1: [3, 4, 4, 1, 0],
  ESR_EL2: [3, 4, 5, 2, 0],
  FAR_EL2: [3, 4, 6, 0, 0],
  HPFAR_EL2: [3, 4, 6, 0, 4],
  VBAR_EL2: [3, 4, 12, 0, 0],
  TPIDR_EL2: [3, 4, 13, 0, 2],
} as const satisfies Record<string, readonly [number, number, number, number, number]>;
type Sreg = readonly [number, number, number, number, number];

const sysFields = ([op0, op1, crn, crm, op2]: Sreg) => ((op0 - 2) << 19) | (op1 << 16) | (crn << 12) | (crm << 8) | (op2 << 5);

export const COND = { eq: 0, ne: 1, cs: 2, cc: 3, mi: 4, pl: 5, hi: 8, ls: 9, ge: 10, lt: 11, gt: 12, le: 13 } as const;

export class Asm {
  readonly words: number[] = [];
  readonly labels: string[] = [];
  private readonly at = new Map<string, number>();
  private readonly fixups: { index: number; label: string; make: (delta: number) => number }[] = [];
  private readonly absFixups: { index: number; label: string; make: (addr: number) => number }[] = [];

  constructor(readonly base: number) {}

  get pc(): number {
    return this.base + 4 * this.words.length;
  }
  emit(w: number, label: string): this {
    this.words.push(w >>> 0);
    this.labels.push(label);
    return this;
  }
  label(name: string): this {
    if (this.at.has(name)) throw new Error(`label ${name} defined twice`);
    this.at.set(name, this.words.length);
    return this;
  }
  addr(name: string): number {
    const i = this.at.get(name);
    if (i === undefined) throw new Error(`no label ${name}`);
    return this.base + 4 * i;
  }
  /** pad with `b .` up to an address multiple of `bytes` */
  align(bytes: number, why = 'pad'): this {
    while ((this.pc - this.base) % bytes) this.emit(enc.b(0, 0), `${why} (b .)`);
    return this;
  }
  /** pad with `b .` up to code offset `off` */
  org(off: number, why = 'pad'): this {
    if (this.pc - this.base > off) throw new Error(`org 0x${off.toString(16)}: already at 0x${(this.pc - this.base).toString(16)}`);
    while (this.pc - this.base < off) this.emit(enc.b(0, 0), `${why} (b .)`);
    return this;
  }
  private branch(label: string, text: string, make: (delta: number) => number): this {
    this.fixups.push({ index: this.words.length, label, make });
    return this.emit(0, text);
  }

  // ---------------------------------------------------------------- instructions
  b(l: string) {
    return this.branch(l, `b ${l}`, (d) => enc.b(0, d));
  }
  bl(l: string) {
    return this.branch(l, `bl ${l}`, (d) => enc.b(1, d));
  }
  bc(cond: keyof typeof COND, l: string) {
    return this.branch(l, `b.${cond} ${l}`, (d) => enc.bcond(d, COND[cond]));
  }
  cbz(rt: number, l: string) {
    return this.branch(l, `cbz x${rt}, ${l}`, (d) => enc.cb(1, 0, d, rt));
  }
  cbnz(rt: number, l: string) {
    return this.branch(l, `cbnz x${rt}, ${l}`, (d) => enc.cb(1, 1, d, rt));
  }
  /** movz/movk rd, #<address of label> (32-bit addresses) */
  movAddr(rd: number, l: string) {
    this.absFixups.push({ index: this.words.length, label: l, make: (v) => enc.movw(1, 2, 0, v & 0xffff, rd) });
    this.emit(0, `movz x${rd}, #lo(${l})`);
    this.absFixups.push({ index: this.words.length, label: l, make: (v) => enc.movw(1, 3, 1, v >>> 16, rd) });
    return this.emit(0, `movk x${rd}, #hi(${l}), lsl #16`);
  }
  tbz(rt: number, bit: number, l: string) {
    return this.branch(l, `tbz x${rt}, #${bit}, ${l}`, (d) => enc.tb(bit >> 5, 0, bit & 31, d, rt));
  }
  self() {
    return this.emit(enc.b(0, 0), 'b .');
  }
  /** 64-bit constant with MOVZ + MOVKs (only the non-zero halfwords after the first) */
  mov(rd: number, v: bigint | number) {
    const x = BigInt.asUintN(64, BigInt(v));
    let first = true;
    for (let hw = 0; hw < 4; hw++) {
      const h = Number((x >> BigInt(16 * hw)) & 0xffffn);
      if (h === 0 && !(first && hw === 3)) continue;
      this.emit(enc.movw(1, first ? 2 : 3, hw, h, rd), `${first ? 'movz' : 'movk'} x${rd}, #0x${h.toString(16)}, lsl #${16 * hw}`);
      first = false;
    }
    if (first) this.emit(enc.movw(1, 2, 0, 0, rd), `movz x${rd}, #0`);
    return this;
  }
  movr(rd: number, rm: number) {
    return this.emit(enc.logShift(1, 1, 0, 0, rm, 0, 31, rd), `mov x${rd}, x${rm}`);
  }
  addi(rd: number, rn: number, imm: number, lsl12 = false) {
    if (imm < 0 || imm > 0xfff) throw new Error(`add immediate ${imm} not encodable`);
    return this.emit(enc.addsubImm(1, 0, 0, lsl12 ? 1 : 0, imm, rn, rd), `add x${rd}, x${rn}, #${imm}${lsl12 ? ', lsl #12' : ''}`);
  }
  subsi(rd: number, rn: number, imm: number) {
    return this.emit(enc.addsubImm(1, 1, 1, 0, imm, rn, rd), `subs x${rd}, x${rn}, #${imm}`);
  }
  cmpi(rn: number, imm: number) {
    return this.emit(enc.addsubImm(1, 1, 1, 0, imm, rn, 31), `cmp x${rn}, #${imm}`);
  }
  add(rd: number, rn: number, rm: number, lsl = 0) {
    return this.emit(enc.addsubShift(1, 0, 0, 0, rm, lsl, rn, rd), `add x${rd}, x${rn}, x${rm}, lsl #${lsl}`);
  }
  adds(rd: number, rn: number, rm: number) {
    return this.emit(enc.addsubShift(1, 0, 1, 0, rm, 0, rn, rd), `adds x${rd}, x${rn}, x${rm}`);
  }
  /** eor rd, rn, rm, ror #n */
  eorRor(rd: number, rn: number, rm: number, n: number) {
    return this.emit(enc.logShift(1, 2, 3, 0, rm, n, rn, rd), `eor x${rd}, x${rn}, x${rm}, ror #${n}`);
  }
  orr(rd: number, rn: number, rm: number) {
    return this.emit(enc.logShift(1, 1, 0, 0, rm, 0, rn, rd), `orr x${rd}, x${rn}, x${rm}`);
  }
  /** and rd, rn, #(ones `len` starting at bit `lsb`) */
  andMask(rd: number, rn: number, lsb: number, len: number) {
    return this.emit(enc.logImm(1, 0, 1, (64 - lsb) & 63, len - 1, rn, rd), `and x${rd}, x${rn}, #bits[${lsb + len - 1}:${lsb}]`);
  }
  /** eor rd, rn, #(1 << bit) */
  eorBit(rd: number, rn: number, bit: number) {
    return this.emit(enc.logImm(1, 2, 1, (64 - bit) & 63, 0, rn, rd), `eor x${rd}, x${rn}, #1<<${bit}`);
  }
  ubfx(rd: number, rn: number, lsb: number, width: number) {
    return this.emit(enc.bitfield(1, 2, lsb, lsb + width - 1, rn, rd), `ubfx x${rd}, x${rn}, #${lsb}, #${width}`);
  }
  lsl(rd: number, rn: number, n: number) {
    return this.emit(enc.bitfield(1, 2, (64 - n) & 63, 63 - n, rn, rd), `lsl x${rd}, x${rn}, #${n}`);
  }
  madd(rd: number, rn: number, rm: number, ra: number) {
    return this.emit(enc.dp3(1, 0, 0, rm, ra, rn, rd), `madd x${rd}, x${rn}, x${rm}, x${ra}`);
  }
  private uoff(off: number, size: number): number {
    if (off < 0 || off % (1 << size) || off >> size > 0xfff) throw new Error(`offset ${off} not encodable for size ${size}`);
    return off >> size;
  }
  /** size: 0 byte .. 3 doubleword; load: opc 1 (zero-extend), 2 (sign-extend to 64) */
  ldr(rt: number, rn: number, off = 0, size = 3) {
    return this.emit(enc.ldstUoff(size, 1, this.uoff(off, size), rn, rt), `ldr${'bhw'[size] ?? ''} ${size === 3 ? 'x' : 'w'}${rt}, [x${rn}, #${off}]`);
  }
  ldrs(rt: number, rn: number, off = 0, size = 0) {
    return this.emit(enc.ldstUoff(size, 2, this.uoff(off, size), rn, rt), `ldrs${'bhw'[size]} x${rt}, [x${rn}, #${off}]`);
  }
  str(rt: number, rn: number, off = 0, size = 3) {
    return this.emit(enc.ldstUoff(size, 0, this.uoff(off, size), rn, rt), `str${'bhw'[size] ?? ''} ${size === 3 ? 'x' : 'w'}${rt}, [x${rn}, #${off}]`);
  }
  ldrx(rt: number, rn: number, rm: number, size = 3) {
    return this.emit(enc.ldstReg(size, 1, rm, 3, 0, rn, rt), `ldr (size ${size}) x${rt}, [x${rn}, x${rm}]`);
  }
  strx(rt: number, rn: number, rm: number, size = 3) {
    return this.emit(enc.ldstReg(size, 0, rm, 3, 0, rn, rt), `str (size ${size}) x${rt}, [x${rn}, x${rm}]`);
  }
  /** str rt, [rn, rm, lsl #3] */
  strxs(rt: number, rn: number, rm: number) {
    return this.emit(enc.ldstReg(3, 0, rm, 3, 1, rn, rt), `str x${rt}, [x${rn}, x${rm}, lsl #3]`);
  }
  private pairOff(off: number): number {
    if (off % 8 || off / 8 < -64 || off / 8 > 63) throw new Error(`pair offset ${off} not encodable`);
    return off / 8;
  }
  stp(rt: number, rt2: number, rn: number, off: number) {
    return this.emit(enc.ldstPair(2, 2, 0, this.pairOff(off), rt2, rn, rt), `stp x${rt}, x${rt2}, [x${rn}, #${off}]`);
  }
  ldp(rt: number, rt2: number, rn: number, off: number) {
    return this.emit(enc.ldstPair(2, 2, 1, this.pairOff(off), rt2, rn, rt), `ldp x${rt}, x${rt2}, [x${rn}, #${off}]`);
  }
  /** stp rt, rt2, [sp, #-16]! */
  push(rt: number, rt2: number) {
    return this.emit(enc.ldstPair(2, 3, 0, -2, rt2, 31, rt), `stp x${rt}, x${rt2}, [sp, #-16]!`);
  }
  /** ldp rt, rt2, [sp], #16 */
  pop(rt: number, rt2: number) {
    return this.emit(enc.ldstPair(2, 1, 1, 2, rt2, 31, rt), `ldp x${rt}, x${rt2}, [sp], #16`);
  }
  msr(r: Sreg, rt: number, name = '') {
    return this.emit(0xd5100000 | sysFields(r) | (rt & 31), `msr ${name || sregName(r)}, x${rt}`);
  }
  mrs(rt: number, r: Sreg, name = '') {
    return this.emit(0xd5300000 | sysFields(r) | (rt & 31), `mrs x${rt}, ${name || sregName(r)}`);
  }
  /** SYS #op1, Cn, Cm, #op2, xt (TLBI) */
  sys(op1: number, crn: number, crm: number, op2: number, rt: number, text: string) {
    return this.emit(0xd5080000 | (op1 << 16) | (crn << 12) | (crm << 8) | (op2 << 5) | (rt & 31), text);
  }
  clearNzcv() {
    return this.emit(0xd51b421f, 'msr nzcv, xzr');
  }
  hvc(imm: number) {
    return this.emit(0xd4000002 | ((imm & 0xffff) << 5), `hvc #${imm}`);
  }
  eret() {
    return this.emit(0xd69f03e0, 'eret');
  }
  isb() {
    return this.emit(0xd5033fdf, 'isb');
  }
  dsbIsh() {
    return this.emit(0xd5033b9f, 'dsb ish');
  }
  dsbSy() {
    return this.emit(0xd5033f9f, 'dsb sy');
  }

  /** resolve branches; the program ends with the `b .` the harness counts as "at end" */
  program(name: string, dataBase: number, data: Uint8Array, init: Program['init']): Program {
    for (const f of this.fixups) {
      const target = this.at.get(f.label);
      if (target === undefined) throw new Error(`no label ${f.label}`);
      this.words[f.index] = f.make(target - f.index) >>> 0;
    }
    for (const f of this.absFixups) this.words[f.index] = f.make(this.addr(f.label)) >>> 0;
    return { seed: name, codeBase: this.base, dataBase, code: Uint32Array.from(this.words), labels: [...this.labels], data, init };
  }
}

function sregName(r: Sreg): string {
  for (const [k, v] of Object.entries(SR)) if (v.every((x, i) => x === r[i])) return k.toLowerCase();
  return `s${r.join('_')}`;
}
