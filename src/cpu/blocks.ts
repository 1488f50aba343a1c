// Block tier beside the interpreter (DESIGN.md "Speed": "hot blocks compiled to JS functions"). A run
// of decoded instructions of one page that starts where execution often enters is turned into one
// generated JS function that calls each instruction's exec fn with its Decoded as a constant. Each
// generated function has its own call sites, so V8 sees them monomorphic and can inline the exec fns;
// the interpreter's single `d.fn(c, d)` call site is megamorphic.
//
// A block does exactly what the run loop does per instruction (curPcLo/pcLo/curInsn, the call,
// icount), and returns after any instruction that set c.exitLoop or left the straight line (a taken
// branch, an exception, a PC write): the run loop then carries on as after one interpreted step.
// Blocks belong to their DecodedPage (a written page is dropped with its blocks), and take the VA of
// their first instruction as an argument, since one physical page can be mapped at several VAs.
import type { Cpu } from './cpu';
import { undefinedInsn, type Decoded, type ExecFn } from './decode/decoder';
import type { DecodedPage } from './codecache';

/** Runs the block's instructions from VA (lo0, hi); c.curPcHi must already be hi. */
export type BlockFn = (c: Cpu, lo0: number, hi: number) => void;

export class Block {
  constructor(
    readonly len: number,
    readonly run: BlockFn,
  ) {}
}

/** Executions of an entry index before its block is compiled. High: a generated function runs in
 * V8's bytecode interpreter until V8 optimises it, so only entries run thousands of times win; a
 * Linux boot (thousands of warm blocks) ran faster without blocks than with a threshold of 40. */
export const BLOCK_THRESHOLD = 4000;
/** Longest block, in instructions. */
const MAX_LEN = 48;
/** Instructions after which straight-line execution never continues (the block ends there). */
const ENDS = new Set(['B', 'BR', 'RET', 'ERET', 'SVC', 'HVC', 'SMC', 'BRK', 'HLT', 'UDF', 'UNDEF', 'WFI', 'WFE', 'DRPS']);

/**
 * Data-processing rows (dp-imm.ts, dp-reg.ts) whose exec fns only read and write registers and
 * NZCV: they never take an exception, branch, read the PC, icount or curInsn, nor set exitLoop. In a
 * block they run without the per-instruction bookkeeping, which is brought up to date before the next
 * other instruction and at the end of the block. ADR/ADRP read the PC, so they are not here; a row
 * whose compile left the UNDEFINED handler is never pure.
 */
const PURE = new Set([
  'ADD_imm', 'ADDS_imm', 'SUB_imm', 'SUBS_imm', 'AND_imm', 'ORR_imm', 'EOR_imm', 'ANDS_imm',
  'MOVN', 'MOVZ', 'MOVK', 'SBFM', 'BFM', 'UBFM', 'EXTR',
  'AND_sr', 'BIC_sr', 'ORR_sr', 'ORN_sr', 'EOR_sr', 'EON_sr', 'ANDS_sr', 'BICS_sr',
  'ADD_sr', 'ADDS_sr', 'SUB_sr', 'SUBS_sr', 'ADD_er', 'ADDS_er', 'SUB_er', 'SUBS_er',
  'ADC', 'ADCS', 'SBC', 'SBCS', 'CCMN_reg', 'CCMP_reg', 'CCMN_imm', 'CCMP_imm',
  'CSEL', 'CSINC', 'CSINV', 'CSNEG', 'MADD', 'MSUB', 'SMADDL', 'SMSUBL', 'SMULH', 'UMADDL', 'UMSUBL',
  'UMULH', 'UDIV', 'SDIV', 'LSLV', 'LSRV', 'ASRV', 'RORV', 'RBIT', 'REV16', 'REV_w', 'REV32', 'REV_x',
  'CLZ', 'CLS',
]);

/** Compile the block entered at `idx` of `page`. */
export function compileBlock(page: DecodedPage, idx: number): Block {
  const ds: Decoded[] = [];
  const fs: ExecFn[] = [];
  for (let i = idx; i < page.insns.length && ds.length < MAX_LEN; i++) {
    const d = page.peek(i);
    ds.push(d);
    fs.push(d.fn);
    if (ENDS.has(d.name)) break;
  }
  const n = ds.length;
  const src: string[] = [];
  for (let k = 0; k < n; k++) src.push(`const f${k} = fs[${k}], d${k} = ds[${k}];`);
  src.push('return function block(c, lo0, hi) {');
  let pending = 0; // pure instructions run since the bookkeeping was last brought up to date
  for (let k = 0; k < n; k++) {
    const at = k === 0 ? 'lo0' : `lo0 + ${4 * k}`;
    const next = `lo0 + ${4 * k + 4}`;
    const last = k === n - 1;
    // the last instruction of the highest page: PC wraps to 0 (the run loop carries into pcHi)
    const nextPc = last ? `(${next}) >>> 0` : next;
    if (PURE.has(ds[k].name) && ds[k].fn !== undefinedInsn) {
      src.push(`f${k}(c, d${k});`);
      pending++;
      if (last) src.push(`c.icount += ${pending}; c.curPcLo = ${at}; c.pcLo = ${nextPc}; c.curInsn = d${k};`);
      continue;
    }
    if (pending > 0) src.push(`c.icount += ${pending};`);
    pending = 0;
    src.push(`c.curPcLo = ${at}; c.pcLo = ${nextPc}; c.curInsn = d${k}; f${k}(c, d${k}); c.icount++;`);
    // a store into this page (self-modifying code) ends the block: the run loop then interprets,
    // decoding the words not yet decoded afresh as it always did
    if (!last) src.push(`if (c.exitLoop || c.pcLo !== ${next} || c.pcHi !== hi || !page.valid) return;`);
  }
  src.push('};');
  const make = new Function('fs', 'ds', 'page', src.join('\n')) as (fs: ExecFn[], ds: Decoded[], page: DecodedPage) => BlockFn;
  return new Block(n, make(fs, ds, page));
}
