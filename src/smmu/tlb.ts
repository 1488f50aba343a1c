// The SMMU's TLB (IHI 0070 3.17 "TLB tagging, VMIDs, ASIDs and participation in broadcast TLB
// maintenance", 4.4 "TLB invalidation commands"). Entries hold a complete (stage 1 and/or stage 2)
// translation of one input page, tagged by StreamID (entries are never shared between streams:
// a permitted implementation choice), translation world (NS-EL1 or EL2), VMID and ASID.
// A changed translation table is only seen after the TLBI command that names it.

export const enum World {
  /** NS-EL1 stream (stage 1 and/or stage 2): VMID-tagged */
  NSEL1 = 0,
  /** EL2 (or EL2-E2H) stream, stage 1 only: TLBI_EL2_* */
  EL2 = 1,
}

export interface SmmuTlbEntry {
  sid: number;
  world: World;
  /** translation used stage 1 / stage 2 */
  s1: boolean;
  s2: boolean;
  vmid: number;
  asid: number;
  /** stage-1 nG == 0 (matches every ASID) */
  global: boolean;
  /** input address range covered: [inBase, inBase + size) */
  inBase: number;
  size: number;
  /** output PA of inBase */
  paBase: number;
  /** IPA of inBase (stage 2 input) and the stage-2 mapping that covers it (TLBI_S2_IPA) */
  ipaBase: number;
  s2Base: number;
  s2Size: number;
  read: boolean;
  write: boolean;
}

const MAX_ENTRIES = 512;

export class SmmuTlb {
  private map = new Map<string, SmmuTlbEntry>();
  hits = 0;
  misses = 0;

  private static key(sid: number, world: World, vmid: number, asid: number, page: number): string {
    return `${sid}/${world}/${vmid}/${asid}/${page}`;
  }

  lookup(sid: number, world: World, vmid: number, asid: number, addr: number): SmmuTlbEntry | undefined {
    const e = this.map.get(SmmuTlb.key(sid, world, vmid, asid, Math.floor(addr / 4096)));
    if (e && addr >= e.inBase && addr < e.inBase + e.size) {
      this.hits++;
      return e;
    }
    this.misses++;
    return undefined;
  }

  /** Cache the translation of the 4 KiB page containing `addr`. */
  insert(e: SmmuTlbEntry, addr: number): void {
    const k = SmmuTlb.key(e.sid, e.world, e.vmid, e.asid, Math.floor(addr / 4096));
    this.map.delete(k);
    if (this.map.size >= MAX_ENTRIES) this.map.delete(this.map.keys().next().value as string);
    this.map.set(k, e);
  }

  entries(): SmmuTlbEntry[] {
    return [...this.map.values()];
  }

  /** Drop every entry for which `pred` holds; returns how many. */
  invalidate(pred: (e: SmmuTlbEntry) => boolean): number {
    let n = 0;
    for (const [k, e] of this.map) {
      if (pred(e)) {
        this.map.delete(k);
        n++;
      }
    }
    return n;
  }

  clear(): void {
    this.map.clear();
  }
}
