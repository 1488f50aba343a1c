// Table-driven A64 decoder. Each row is [name, 32-char bit pattern, compile]. Pattern characters:
// '0'/'1' fixed bits, '-' don't care, any letter a named field (same letter = same field, bits taken
// MSB→LSB in pattern order). Masks, values and field extractors are derived once when the module
// loads; rows are grouped into buckets by bits [28:25] (the A64 top-level op0) and, within a bucket,
// tried most-specific first, so an alias or a carve-out row (more fixed bits) wins over its parent.
import type { Cpu } from '../cpu';

/** Semantics of one decoded instruction: reads/writes the CPU, updates PC itself if it branches. */
export type ExecFn = (c: Cpu, d: Decoded) => void;

/** A decoded instruction: one fixed shape so every call site stays monomorphic. Register fields hold
 * *slot offsets* into Cpu.x (2 × slot), already mapped so that reg 31 means SP, XZR-read or
 * XZR-write as the instruction demands (see regR/regW/regSP). */
export class Decoded {
  fn: ExecFn = undefinedInsn;
  raw = 0;
  rd = 0;
  rn = 0;
  rm = 0;
  ra = 0;
  imm = 0;
  imm2 = 0;
  imm3 = 0;
  imm4 = 0;
  /** instruction-specific extras (sysreg definition, precomputed 64-bit masks...) */
  ext: unknown = null;
  name = 'UNDEF';
}

export type Fields = Record<string, number>;
/** Fill `d` (fn and operand fields) from the named fields; return false if the encoding is
 * unallocated after all (the decoder then tries later rows / falls back to UNDEFINED). */
export type CompileFn = (f: Fields, d: Decoded, raw: number) => boolean | void;
export type Row = [name: string, pattern: string, compile: CompileFn];

/** Slot of XZR when read (always zero) and of the write sink used for XZR destinations. */
export const ZR_READ = 32;
export const ZR_SINK = 33;
/** Register used as a source where 31 = XZR. */
export const regR = (r: number) => (r === 31 ? ZR_READ : r) * 2;
/** Register used as a destination where 31 = XZR (write discarded). */
export const regW = (r: number) => (r === 31 ? ZR_SINK : r) * 2;
/** Register where 31 = SP (slot 31 holds the active stack pointer). */
export const regSP = (r: number) => r * 2;

export function undefinedInsn(c: Cpu, _d: Decoded): void {
  c.undefinedInstruction();
}

interface CompiledRow {
  name: string;
  mask: number;
  value: number;
  fixedBits: number;
  fields: [string, number[]][]; // field name -> bit positions MSB first
  compile: CompileFn;
}

export function compileRow([name, pattern, compile]: Row): CompiledRow {
  const p = pattern.replace(/[ _]/g, '');
  if (p.length !== 32) throw new Error(`decoder row ${name}: pattern has ${p.length} bits`);
  let mask = 0;
  let value = 0;
  let fixedBits = 0;
  const fields = new Map<string, number[]>();
  for (let i = 0; i < 32; i++) {
    const bit = 31 - i;
    const ch = p[i];
    if (ch === '0' || ch === '1') {
      mask |= 1 << bit;
      if (ch === '1') value |= 1 << bit;
      fixedBits++;
    } else if (ch !== '-') {
      if (!fields.has(ch)) fields.set(ch, []);
      fields.get(ch)!.push(bit);
    }
  }
  return { name, mask: mask >>> 0, value: value >>> 0, fixedBits, fields: [...fields], compile };
}

function extract(raw: number, bits: number[]): number {
  // contiguous fields (the common case) in one shift+mask
  const hi = bits[0];
  const lo = bits[bits.length - 1];
  if (hi - lo + 1 === bits.length) {
    return bits.length === 32 ? raw >>> 0 : (raw >>> lo) & ((1 << bits.length) - 1) >>> 0;
  }
  let v = 0;
  for (const b of bits) v = (v << 1) | ((raw >>> b) & 1);
  return v >>> 0;
}

export class Decoder {
  private buckets: CompiledRow[][] = [];
  readonly rows: CompiledRow[];

  constructor(rows: Row[]) {
    this.rows = rows.map(compileRow);
    for (let b = 0; b < 16; b++) {
      const key = b << 25;
      // a row belongs to bucket b if its fixed bits in [28:25] agree with b
      const inB = this.rows.filter((r) => ((r.value ^ key) & r.mask & (0xf << 25)) === 0);
      inB.sort((a, b2) => b2.fixedBits - a.fixedBits);
      this.buckets.push(inB);
    }
  }

  /** Name of the first matching row (for tests and the disassembly-light trace). */
  match(raw: number): string | undefined {
    raw >>>= 0;
    for (const r of this.buckets[(raw >>> 25) & 0xf]) {
      if (((raw & r.mask) >>> 0) === r.value) return r.name;
    }
    return undefined;
  }

  decode(raw: number, d: Decoded = new Decoded()): Decoded {
    raw >>>= 0;
    d.raw = raw;
    for (const r of this.buckets[(raw >>> 25) & 0xf]) {
      if (((raw & r.mask) >>> 0) !== r.value) continue;
      const f: Fields = {};
      for (const [n, bits] of r.fields) f[n] = extract(raw, bits);
      d.name = r.name;
      d.fn = undefinedInsn;
      if (r.compile(f, d, raw) === false) continue;
      return d;
    }
    d.name = 'UNDEF';
    d.fn = undefinedInsn;
    return d;
  }
}
