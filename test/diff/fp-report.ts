// Per-class divergence reports of the random SIMD&FP differential runs (scripts/diff-run.ts --fp
// --fp-report DIR): one file per owner class (fp-scalar, simd-arith, simd-misc, simd-fp, simd-ldst,
// crypto, other), entries grouped by mnemonic, each with the word, its disassembly (objdump), the
// input registers, QEMU's result against ours and both FPSRs.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FP_SCALAR_ROWS } from '../../src/cpu/exec/simd/fp-scalar';
import { SIMD_ARITH_ROWS } from '../../src/cpu/exec/simd/simd-arith';
import { SIMD_MISC_ROWS } from '../../src/cpu/exec/simd/simd-misc';
import { SIMD_FP_ROWS } from '../../src/cpu/exec/simd/simd-fp';
import { SIMD_LDST_ROWS } from '../../src/cpu/exec/simd/simd-ldst';
import { CRYPTO_ROWS } from '../../src/cpu/exec/simd/crypto';
import type { Row } from '../../src/cpu/decode/decoder';
import { A64 } from '../../src/cpu/decode/a64.table';
import { classify, type FpClass } from './gen-fpsimd';
import { formatDivergence, type Divergence } from './harness';

export const FP_CLASSES: FpClass[] = ['fp-scalar', 'simd-arith', 'simd-misc', 'simd-fp', 'simd-ldst', 'crypto', 'other'];

const CATCH_ALL = new Set(['FP_SIMD_0111', 'FP_SIMD_1111', 'UNDEF']);
const ROW_OWNER = new Map<string, FpClass>();
for (const [rows, owner] of [
  [FP_SCALAR_ROWS, 'fp-scalar'],
  [SIMD_ARITH_ROWS, 'simd-arith'],
  [SIMD_MISC_ROWS, 'simd-misc'],
  [SIMD_FP_ROWS, 'simd-fp'],
  [SIMD_LDST_ROWS, 'simd-ldst'],
  [CRYPTO_ROWS, 'crypto'],
] as [Row[], FpClass][]) {
  for (const r of rows) ROW_OWNER.set(r[0], owner);
}

/** Which owner class a divergence belongs to: the file whose decoder row decoded the word, or (when
 * our core found no row: UNDEFINED) the encoding class of the word. */
export function ownerOf(d: Divergence): FpClass {
  if (d.label === 'final SIMD&FP state' || d.label === 'initial state') return 'other';
  if (d.cause) {
    // a divergence in the handler (e.g. ESR) belongs to the instruction that took the exception
    // (both machines took an exception; when our core found no row, the catch-all rows of
    // src/cpu/exec/fp-simd.ts chose the syndrome)
    const name = A64.decode(d.cause.insn).name ?? 'UNDEF';
    if (CATCH_ALL.has(name)) return 'other';
    return ROW_OWNER.get(name) ?? classify(d.cause.insn).owner;
  }
  const o = ROW_OWNER.get(d.decoded);
  if (o) return o;
  return classify(d.insn).owner;
}

/** objdump disassembly of each word ('?' if objdump is missing) */
export function disassemble(words: number[]): Map<number, string> {
  const out = new Map<number, string>();
  const uniq = [...new Set(words.map((w) => w >>> 0))];
  if (!uniq.length) return out;
  const dir = mkdtempSync(join(tmpdir(), 'el2scope-dis-'));
  try {
    const f = join(dir, 'w.bin');
    const b = Buffer.alloc(4 * uniq.length);
    uniq.forEach((w, i) => b.writeUInt32LE(w, 4 * i));
    writeFileSync(f, b);
    if (spawnSync('aarch64-linux-gnu-objdump', ['--version']).status !== 0) return out;
    const text = execFileSync('aarch64-linux-gnu-objdump', ['-b', 'binary', '-m', 'aarch64', '-D', f], { maxBuffer: 1 << 28 }).toString();
    for (const line of text.split('\n')) {
      const m = /^\s*([0-9a-f]+):\s+([0-9a-f]{8})\s+(.*)$/.exec(line);
      if (m) out.set(uniq[parseInt(m[1], 16) / 4], m[3].replace(/\s+/g, ' ').trim());
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return out;
}


/** Write DIR/<class>.txt for every class (a class without divergences gets a one-line file), at most
 * `maxPerClass` distinct words per class, grouped by mnemonic. Returns the number of divergences per class. */
export function writeFpReports(dir: string, all: Divergence[], header: string, maxPerClass = 40): Map<FpClass, number> {
  mkdirSync(dir, { recursive: true });
  const word = (d: Divergence) => (d.cause ? d.cause.insn : d.insn) >>> 0;
  const dis = disassemble(all.map(word));
  const byClass = new Map<FpClass, Divergence[]>();
  for (const c of FP_CLASSES) byClass.set(c, []);
  for (const d of all) byClass.get(ownerOf(d))!.push(d);
  const counts = new Map<FpClass, number>();
  for (const [cls, ds] of byClass) {
    counts.set(cls, ds.length);
    const lines = [`${cls}: ${ds.length} divergence(s)  [${header}]`];
    if (!ds.length) {
      writeFileSync(join(dir, `${cls}.txt`), lines.join('\n') + '\n');
      continue;
    }
    // group by mnemonic, one entry per distinct word (first occurrence), mnemonics by count
    const groups = new Map<string, Map<number, { d: Divergence; n: number }>>();
    for (const d of ds) {
      const text = dis.get(word(d)) ?? '?';
      const mn = text.split(' ')[0] || '?';
      const g = groups.get(mn) ?? new Map();
      groups.set(mn, g);
      const e = g.get(word(d));
      if (e) e.n++;
      else g.set(word(d), { d, n: 1 });
    }
    const sorted = [...groups].sort((a, b) => sum(b[1]) - sum(a[1]));
    lines.push('mnemonics: ' + sorted.map(([mn, g]) => `${mn} ${sum(g)}`).join(', '));
    // spread the budget over the mnemonics (at least one word each, at most 3)
    let budget = maxPerClass;
    for (const [mn, g] of sorted) {
      if (budget <= 0) {
        lines.push(`... (${sorted.length} mnemonics in all; budget of ${maxPerClass} entries used)`);
        break;
      }
      lines.push('');
      lines.push(`== ${mn}: ${sum(g)} divergence(s), ${g.size} distinct word(s)`);
      const entries = [...g.values()].slice(0, Math.min(3, budget));
      for (const { d, n } of entries) {
        budget--;
        const w = word(d).toString(16).padStart(8, '0');
        const decoded = d.cause ? A64.decode(d.cause.insn).name ?? 'UNDEF' : d.decoded;
        const undef = CATCH_ALL.has(decoded) ? ' (ours: no row, UNDEFINED)' : '';
        const where = d.cause ? `; diverged in the handler at ${d.label}` : '';
        lines.push(`${w}  ${dis.get(word(d)) ?? '?'}   [decoded as ${decoded}${undef}; ${n}x; gen: ${d.label}${where}]`);
        lines.push(formatDivergence(d).split('\n').slice(1).join('\n'));
        const esr = d.diffs.find((x) => x.reg === 'x0' && /esr/.test(d.label));
        if (d.cause && esr && Number(esr.qemu >> 26n) === 0 && Number(esr.ours >> 26n) === 7)
          lines.push('    (QEMU: UNDEFINED, EC 0x00; ours: SIMD&FP access trap, EC 0x07. An unallocated encoding, or a reserved value that the decode pseudocode rejects, is UNDEFINED before the execute pseudocode checks SIMD&FP access: CheckFPAdvSIMDEnabled() is in each instruction\'s execute part)');
      }
    }
    writeFileSync(join(dir, `${cls}.txt`), lines.join('\n') + '\n');
  }
  return counts;
}

function sum(g: Map<number, { n: number }>): number {
  let s = 0;
  for (const e of g.values()) s += e.n;
  return s;
}
