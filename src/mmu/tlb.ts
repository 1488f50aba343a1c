// The per-CPU fast-path TLB: a direct-mapped typed-array table (DESIGN.md "Speed") that caches the
// *combined* translation of a VA page in the current context, as a host RAM byte offset. It is a cache
// of the architectural TLB: dropping any of it is always safe, so TLBI and context changes that the
// tag cannot express simply clear it.
//
// Tag: lo = VA[43:12] (page number low bits), hi = VA[63:44] | ctx << 20, ctx = small id of the
// translation context (regime, VMID, ASID, EL, PAN...) from the translator's contextKey().
import type { Cpu } from '../cpu/cpu';
import { codeCacheFor, type CodeCache, type DecodedPage } from '../cpu/codecache';
import { Acc, TransOut } from './translate';
import { EC } from '../cpu/exceptions';

export const TLB_BITS = 10;
export const TLB_SIZE = 1 << TLB_BITS;
export const TLB_MASK = TLB_SIZE - 1;
const BIG_MAX = 64;
// Index of a VA page: its low bits XOR the next bits up (`((lo >>> 12) ^ (lo >>> 22)) & TLB_MASK`,
// spelled out in mem.ts's fast paths). Without the XOR, buffers a multiple of 4 MiB apart (memcpy
// source and destination) share every index and evict each other on each access.

export class Tlb {
  readonly tagLo = new Int32Array(TLB_SIZE);
  readonly tagHi = new Int32Array(TLB_SIZE);
  /** RAM byte offset of the page for reads, or -1 (slow path) */
  readonly rd = new Int32Array(TLB_SIZE);
  /** RAM byte offset of the page for writes, or -1 */
  readonly wr = new Int32Array(TLB_SIZE);
  /** PA page of the entry (to drop write entries when a page becomes code) */
  readonly paPage = new Float64Array(TLB_SIZE);
  /** log2 of the stage-1 block each entry's page belongs to (a TLBI by VA drops the whole block) */
  private readonly shift = new Uint8Array(TLB_SIZE);
  private readonly xShift = new Uint8Array(TLB_SIZE);
  /** indexes that may hold an entry from a block larger than 4 KiB (they can match a TLBI for
   * another page); past BIG_MAX of them, invalidateVa scans the whole table */
  private big: number[] = [];

  // instruction side: VA page -> decoded page
  private readonly xTagLo = new Int32Array(TLB_SIZE);
  private readonly xTagHi = new Int32Array(TLB_SIZE);
  private readonly xPage: (DecodedPage | null)[] = new Array(TLB_SIZE).fill(null);

  private ctxIds = new Map<string, number>();
  readonly code: CodeCache;
  private readonly out = new TransOut();

  constructor(private readonly c: Cpu) {
    this.code = codeCacheFor(c.bus, c.decoder);
    this.code.onNewCodePage.push((p) => this.dropWritable(p));
    this.flush();
  }

  /** Drop every cached translation (TLBI, translation-table base changes without ASID tags...). */
  flush(): void {
    this.big = [];
    this.tagLo.fill(-1);
    this.tagHi.fill(-1);
    this.xTagLo.fill(-1);
    this.xTagHi.fill(-1);
    this.xPage.fill(null);
    this.rd.fill(-1);
    this.wr.fill(-1);
  }

  /** context ids by (EL, PAN) since the last register-level change (exception entry/return only
   * switches between these, so it must not rebuild the translator's key string) */
  private elMemo = new Map<number, number>();

  /** Only PSTATE.EL (or PAN) changed: reuse the id computed for that EL since the last register change. */
  elChanged(): void {
    const k = this.c.el * 2 + this.c.pan;
    const id = this.elMemo.get(k);
    if (id !== undefined) this.c.ctxTag = id << 20;
    else {
      this.computeTag();
      this.elMemo.set(k, this.c.ctxTag >>> 20);
    }
  }

  /** The context may have changed: recompute the tag id (entries of other contexts stay valid). */
  contextChanged(): void {
    this.elMemo.clear();
    this.computeTag();
    this.elMemo.set(this.c.el * 2 + this.c.pan, this.c.ctxTag >>> 20);
  }

  private computeTag(): void {
    const key = this.c.translator ? this.c.translator.contextKey() : 'reset';
    let id = this.ctxIds.get(key);
    if (id === undefined) {
      if (this.ctxIds.size >= 4095) {
        this.ctxIds.clear();
        this.elMemo.clear();
        this.flush();
      }
      id = this.ctxIds.size + 1;
      this.ctxIds.set(key, id);
    }
    this.c.ctxTag = id << 20;
  }

  /**
   * A TLBI by VA (Xt[43:0] = VA[55:12], `vaPage`) in some context: drop the entries of every
   * context whose stage-1 page or block contains that VA. The tag keeps VA[43:12]; comparing only
   * those bits may drop more than needed, never less.
   */
  invalidateVa(vaPage: number): void {
    const v = vaPage % 4294967296 | 0;
    if (this.big.length <= BIG_MAX) {
      // 4 KiB entries of this VA can only sit at its own index; larger blocks at the listed ones
      this.dropIfMatch(((v & 0xfffff) ^ (v >>> 10)) & TLB_MASK, v);
      for (const i of this.big) this.dropIfMatch(i, v);
      return;
    }
    for (let i = 0; i < TLB_SIZE; i++) this.dropIfMatch(i, v);
    this.big = [];
    for (let i = 0; i < TLB_SIZE; i++) if ((this.tagLo[i] !== -1 && this.shift[i] > 12) || (this.xPage[i] !== null && this.xShift[i] > 12)) this.big.push(i);
  }

  private dropIfMatch(i: number, v: number): void {
    {
      const sh = this.shift[i] - 12;
      if (this.tagLo[i] !== -1 && (sh >= 32 || ((this.tagLo[i] ^ v) >>> sh) === 0)) {
        this.tagLo[i] = -1;
        this.tagHi[i] = -1;
        this.rd[i] = -1;
        this.wr[i] = -1;
      }
      const xs = this.xShift[i] - 12;
      if (this.xPage[i] !== null && (xs >= 32 || ((this.xTagLo[i] ^ v) >>> xs) === 0)) {
        this.xTagLo[i] = -1;
        this.xTagHi[i] = -1;
        this.xPage[i] = null;
      }
    }
  }

  /** Forget context ids too (after a TLBI everything must be re-walked). */
  invalidateAll(): void {
    this.flush();
    this.c.translator.invalidateAll?.();
  }

  private dropWritable(paPage: number): void {
    for (let i = 0; i < TLB_SIZE; i++) if (this.wr[i] >= 0 && this.paPage[i] === paPage) this.wr[i] = -1;
  }

  /** Install a data entry after a successful slow-path translation of a RAM page. */
  fill(lo: number, hi: number, out: TransOut): void {
    const ramOff = this.c.bus.ramOffset(out.pa - (out.pa % 4096));
    // Device-typed RAM may be cached too: every fast path checks natural alignment first, so an
    // unaligned access still reaches the slow path and its alignment fault.
    if (ramOff < 0) return;
    // pages with debugger watchpoints stay on the slow path (it calls c.watchCheck)
    if (this.c.watchVaPages !== null && (this.c.watchVaPages.has(hi * 1048576 + (lo >>> 12)) || this.c.watchPaPages!.has(Math.floor(out.pa / 4096)))) return;
    const i = ((lo >>> 12) ^ (lo >>> 22)) & TLB_MASK;
    this.tagLo[i] = (lo >>> 12) | (hi << 20);
    this.tagHi[i] = (hi >>> 12) | this.c.ctxTag;
    const paPage = Math.floor(out.pa / 4096);
    this.paPage[i] = paPage;
    this.shift[i] = out.s1SizeLog2;
    if (out.s1SizeLog2 > 12) this.big.push(i);
    this.rd[i] = out.canRead ? ramOff : -1;
    this.wr[i] = out.canWrite && !this.code.has(paPage) ? ramOff : -1;
  }

  /**
   * Decoded page for the instruction at VA (lo, hi), or null after taking the instruction abort
   * (translation fault, permission fault, fetch from a device or unmapped PA, misaligned PC).
   */
  fetchPage(lo: number, hi: number): DecodedPage | null {
    const i = ((lo >>> 12) ^ (lo >>> 22)) & TLB_MASK;
    const tLo = (lo >>> 12) | (hi << 20);
    const tHi = (hi >>> 12) | this.c.ctxTag;
    if (this.xTagLo[i] === tLo && this.xTagHi[i] === tHi) {
      const p = this.xPage[i]!;
      if (p.valid && (lo & 3) === 0) return p;
    }
    const c = this.c;
    c.curPcLo = lo;
    c.curPcHi = hi;
    if ((lo & 3) !== 0) {
      // PC alignment fault (Arm ARM D1.10.5): FAR = the misaligned PC
      c.syncException(EC.PC_ALIGN, 0, undefined, [lo, hi]);
      return null;
    }
    const out = this.out;
    if (!c.translator.translate(lo, hi, Acc.EXEC, false, out)) {
      raiseAbort(c, out, lo, hi, true, 0);
      return null;
    }
    const paPage = Math.floor(out.pa / 4096);
    const page = this.code.get(paPage);
    if (!page) {
      // instruction fetch from a device or unmapped PA: synchronous external abort
      out.fsc = 0x10;
      out.external = true;
      out.stage2 = false;
      raiseAbort(c, out, lo, hi, true, 0);
      return null;
    }
    this.xTagLo[i] = tLo;
    this.xTagHi[i] = tHi;
    this.xPage[i] = page;
    this.xShift[i] = out.s1SizeLog2;
    if (out.s1SizeLog2 > 12) this.big.push(i);
    return page;
  }
}

/**
 * Raise the instruction or data abort described by `out` for VA (lo, hi). `iss` carries the
 * instruction-specific bits (ISV/SAS/SSE/SRT/SF/AR, WnR, CM) for data aborts (Arm ARM D17.2.37).
 */
export function raiseAbort(c: Cpu, out: TransOut, lo: number, hi: number, isFetch: boolean, iss: number): void {
  const target = out.stage2 ? Math.max(2, out.targetEl) : Math.max(out.targetEl, c.defaultSyncTarget());
  const lower = target > c.el;
  let ec: number;
  if (isFetch) ec = lower ? EC.IABT_LOW : EC.IABT_CUR;
  else ec = lower ? EC.DABT_LOW : EC.DABT_CUR;
  let s = out.fsc & 0x3f;
  if (out.s1ptw) s |= 1 << 7;
  if (isFetch) {
    // no ISV/WnR for instruction aborts
  } else {
    // ISV and its fields are only reported for stage-2 faults that are not on a stage-1 walk
    // (as QEMU does; Arm ARM leaves ISV=0 permitted for stage-1 faults).
    const keepIsv = out.stage2 && !out.s1ptw && !out.external;
    s |= keepIsv ? iss : iss & ((1 << 6) | (1 << 8)); // WnR and CM always
  }
  const hpfar: [number, number] | undefined = out.stage2 && target === 2 ? hpfarOf(out.ipa) : undefined;
  c.syncException(ec, s, target, [lo >>> 0, hi >>> 0], hpfar);
}

/** HPFAR_EL2.FIPA = IPA[51:12] at bits [43:4] (Arm ARM D17.2.62). */
export function hpfarOf(ipa: number): [number, number] {
  const page = Math.floor(ipa / 4096);
  const lo = ((page % 0x10000000) * 16) >>> 0;
  const hi = Math.floor(page / 0x10000000) >>> 0;
  return [lo, hi];
}
