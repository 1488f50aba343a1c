// Decoded-instruction cache per physical page (DESIGN.md "Decode once"), shared by all vCPUs of a
// machine. A page is dropped when anything writes to it; fast-path TLB write entries are never
// installed for pages that hold decoded code, so every store to code goes through the slow path.
import type { Bus } from '../machine/bus';
import { PAGE_SIZE } from '../machine/bus';
import { Decoded } from './decode/decoder';
import type { Decoder } from './decode/decoder';

export class DecodedPage {
  readonly insns: (Decoded | undefined)[] = new Array(PAGE_SIZE / 4);
  valid = true;
  constructor(
    readonly paPage: number,
    private readonly words: Uint32Array,
    private readonly wordBase: number,
    private readonly decoder: Decoder,
  ) {}

  decode(idx: number): Decoded {
    const d = this.decoder.decode(this.words[this.wordBase + idx]);
    this.insns[idx] = d;
    return d;
  }
}

export class CodeCache {
  private pages = new Map<number, DecodedPage>();
  private flashWords: Uint32Array;
  /** listeners told when a page becomes code (TLBs drop their fast write entries for it) */
  readonly onNewCodePage: ((paPage: number) => void)[] = [];

  constructor(
    private readonly bus: Bus,
    private readonly decoder: Decoder,
  ) {
    this.flashWords = new Uint32Array(bus.flash.buffer, bus.flash.byteOffset, bus.flash.byteLength >>> 2);
    bus.writeListeners.push((p) => this.invalidate(p));
  }

  has(paPage: number): boolean {
    return this.pages.has(paPage);
  }

  /** Decoded page for a PA page of RAM or flash; undefined if the page is neither. */
  get(paPage: number): DecodedPage | undefined {
    let p = this.pages.get(paPage);
    if (p) return p;
    const pa = paPage * PAGE_SIZE;
    const off = this.bus.ramOffset(pa);
    if (off >= 0) p = new DecodedPage(paPage, this.bus.ram32, off >>> 2, this.decoder);
    else if (pa < this.bus.flash.length) p = new DecodedPage(paPage, this.flashWords, pa >>> 2, this.decoder);
    else return undefined;
    this.pages.set(paPage, p);
    for (const l of this.onNewCodePage) l(paPage);
    return p;
  }

  invalidate(paPage: number): void {
    const p = this.pages.get(paPage);
    if (!p) return;
    p.valid = false;
    this.pages.delete(paPage);
  }

  clear(): void {
    for (const p of this.pages.values()) p.valid = false;
    this.pages.clear();
  }
}

const caches = new WeakMap<Bus, CodeCache>();
export function codeCacheFor(bus: Bus, decoder: Decoder): CodeCache {
  let c = caches.get(bus);
  if (!c) {
    c = new CodeCache(bus, decoder);
    caches.set(bus, c);
  }
  return c;
}
