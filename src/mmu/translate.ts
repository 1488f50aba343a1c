// The translator interface the CPU's memory path uses, and the MMU-off (flat) translator.
// The full stage-1/stage-2 walker (issue 3) implements the same interface.
import type { Cpu } from '../cpu/cpu';

export const enum Acc {
  READ = 0,
  WRITE = 1,
  EXEC = 2,
}

/** Result of one translation; reused (no allocation per access). */
export class TransOut {
  pa = 0;
  /** memory type is Device (unaligned accesses fault, DC ZVA faults) */
  device = false;
  /** permissions in the current context, used to fill the fast TLB (not only the asked access) */
  canRead = false;
  canWrite = false;
  canExec = false;
  /** fault status code (DFSC/IFSC) when translate() returned false */
  fsc = 0;
  /** fault is at stage 2 (reported to EL2 with HPFAR) */
  stage2 = false;
  /** stage-2 fault happened on a stage-1 table walk access */
  s1ptw = false;
  /** faulting IPA (stage-2 faults) */
  ipa = 0;
  /** exception level the fault goes to (computed by the translator) */
  targetEl = 1;
  /** bus error on the walk or the access (synchronous external abort) */
  external = false;
  /** combined attributes for the debugger (MAIR-style byte) */
  attr = 0;
  /** log2 of the stage-1 page/block size of a successful translation; 64 when no stage-1 entry
   * exists (MMU off: only context changes and full invalidations can change it) */
  s1SizeLog2 = 12;
}

export interface Translator {
  /**
   * Translate the VA (lo, hi) for `acc` in the CPU's current regime. `unpriv` marks LDTR/STTR-style
   * accesses. Returns false on a fault (described in `out`), never throws, never raises the exception
   * itself: the caller knows the instruction-specific syndrome.
   */
  translate(lo: number, hi: number, acc: Acc, unpriv: boolean, out: TransOut): boolean;
  /** A string that identifies the current translation context (regime, ASID, VMID, EL, PAN...).
   * Fast-path TLB entries are tagged with a small id derived from it. */
  contextKey(): string;
  /** TLB maintenance hook (TLBI): drop cached translations. Default: everything. */
  invalidateAll?(): void;
}

/** MMU off everywhere (Arm ARM D8.2.10: stage 1 disabled): VA == PA, data is Device-nGnRnE,
 * instructions Normal. A VA above the implemented PA size is an address-size fault at level 0. */
export class FlatTranslator implements Translator {
  constructor(private c: Cpu) {}

  translate(lo: number, hi: number, acc: Acc, _unpriv: boolean, out: TransOut): boolean {
    out.fsc = 0;
    out.stage2 = false;
    out.s1ptw = false;
    out.external = false;
    out.targetEl = this.c.defaultSyncTarget();
    if (hi >>> 16 !== 0) {
      out.fsc = 0x00; // address size fault, level 0
      out.canRead = out.canWrite = out.canExec = false;
      return false;
    }
    out.pa = hi * 0x100000000 + lo;
    out.device = acc !== Acc.EXEC;
    out.canRead = out.canWrite = out.canExec = true;
    out.attr = out.device ? 0x00 : 0x44;
    return true;
  }

  contextKey(): string {
    return `flat:${this.c.el}`;
  }
}
