// A store of translation entries that each cover 2^np pages (4 KiB units) from an aligned base page,
// probed by page: the common part of the architectural TLB (combined stage-1+2 entries keyed by VA
// page) and the stage-2 TLB (keyed by IPA page) in mmu.ts. Key = base * 64 + np; only the sizes
// present are probed. Invalidated entries are marked dead (holders of a reference see it).
export interface PageEntry {
  np: number;
  dead: boolean;
}

export class PageStore<E extends PageEntry> {
  private map = new Map<number, E[]>();
  /** the distinct page-count logs present (probe list, ascending) */
  private sizes: number[] = [];
  count = 0;

  constructor(private readonly max: number) {}

  clear(): void {
    this.map.clear();
    this.count = 0;
    this.sizes = [];
  }

  /** The first live entry covering `page` for which `match` holds. */
  find(page: number, match: (e: E) => boolean): E | undefined {
    for (const np of this.sizes) {
      const sz = Math.pow(2, np);
      const arr = this.map.get(Math.floor(page / sz) * sz * 64 + np);
      if (!arr) continue;
      for (const e of arr) if (!e.dead && match(e)) return e;
    }
    return undefined;
  }

  /** Add `e` covering the pages from `base`; live entries of the same key for which `same` holds are
   * replaced. A full store is emptied first. */
  insert(base: number, e: E, same: (o: E) => boolean): void {
    if (this.count >= this.max) this.clear();
    const key = base * 64 + e.np;
    let arr = this.map.get(key);
    if (!arr) this.map.set(key, (arr = []));
    this.drop(arr, same);
    arr.push(e);
    this.count++;
    if (!this.sizes.includes(e.np)) {
      this.sizes.push(e.np);
      this.sizes.sort((x, y) => x - y);
    }
  }

  /** Drop entries matching `pred`; with `page` only those that translate that page. */
  invalidate(pred: (e: E) => boolean, page?: number): number {
    let n = 0;
    const visit = (key: number, arr: E[]) => {
      n += this.drop(arr, pred);
      if (arr.length === 0) this.map.delete(key);
    };
    if (page !== undefined) {
      for (const np of this.sizes) {
        const sz = Math.pow(2, np);
        const key = Math.floor(page / sz) * sz * 64 + np;
        const arr = this.map.get(key);
        if (arr) visit(key, arr);
      }
    } else {
      for (const [key, arr] of [...this.map]) visit(key, arr);
    }
    return n;
  }

  /** Live entries (tests, the inspector). */
  entries(): E[] {
    const out: E[] = [];
    for (const arr of this.map.values()) for (const e of arr) if (!e.dead) out.push(e);
    return out;
  }

  /** Remove dead entries and those matching `pred` from one bucket; returns how many live ones went. */
  private drop(arr: E[], pred: (e: E) => boolean): number {
    let n = 0;
    for (let i = arr.length - 1; i >= 0; i--) {
      const e = arr[i];
      if (e.dead || pred(e)) {
        if (!e.dead) n++;
        e.dead = true;
        arr.splice(i, 1);
        this.count--;
      }
    }
    return n;
  }
}
