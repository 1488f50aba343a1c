// Debugger access to translation: translate or walk an address in any view without touching the
// TLB contents the guest sees. Owned by the MMU work; used by src/debug (GDB, inspector).
import type { Cpu } from '../cpu/cpu';

export type MemView =
  | { kind: 'va' } // current regime of the CPU
  | { kind: 'va-regime'; el: 0 | 1 | 2 | 3; vmid?: number; asid?: number; secure?: boolean }
  | { kind: 'ipa'; vmid?: number } // through stage 2 (current VTTBR_EL2 or the given VMID's last known)
  | { kind: 'pa' };

export interface WalkStep {
  stage: 1 | 2;
  level: number;
  tableAddr: bigint; // PA of the descriptor read
  descriptor: bigint;
  /** what this level produced: next table address or output address */
  output: bigint;
  note: string;
}

export interface TranslationReport {
  va: bigint;
  ok: boolean;
  pa?: bigint;
  ipa?: bigint;
  steps: WalkStep[];
  /** e.g. "Normal WB RW EL1 RWX, S2 RW" */
  attrs?: string;
  /** e.g. "stage 2 translation fault level 1" */
  fault?: string;
}

/** Translate for the debugger. MMU-off regimes map VA = PA. */
export function debugTranslate(c: Cpu, va: bigint, view: MemView): TranslationReport {
  void c;
  if (view.kind === 'pa') return { va, ok: true, pa: va, steps: [] };
  return { va, ok: true, pa: va, ipa: va, steps: [], attrs: 'flat (MMU off)' };
}
