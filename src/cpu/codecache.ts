// Decoded-instruction cache per physical page (DESIGN.md "Decode once"), shared by all vCPUs of a
// machine. A page is dropped when anything writes to it; fast-path TLB write entries are never
// installed for pages that hold decoded code, so every store to code goes through the slow path.
import type { Bus } from '../machine/bus';
import { PAGE_SIZE } from '../machine/bus';
import { Decoded } from './decode/decoder';
import type { Decoder } from './decode/decoder';
import type { Block } from './blocks';

export class DecodedPage {
  readonly insns: (Decoded | undefined)[] = new Array(PAGE_SIZE / 4);
  valid = true;
  /** block tier (cpu/blocks.ts): entries into each index, and the block compiled for it */
  readonly heat = new Uint16Array(PAGE_SIZE / 4);
  readonly blocks: (Block | undefined)[] = new Array(PAGE_SIZE / 4);
  /** lowest and highest word index ever decoded (or looked ahead at) on this page: writes outside
   * [minIdx, maxIdx] cannot change a decoded instruction (data sharing a page with code) */
  minIdx = PAGE_SIZE / 4;
  maxIdx = -1;
  constructor(
    readonly paPage: number,
    private readonly words: Uint32Array,
    private readonly wordBase: number,
    private readonly decoder: Decoder,
  ) {}

  decode(idx: number): Decoded {
    const d = this.decoder.decode(this.words[this.wordBase + idx]);
    this.insns[idx] = d;
    this.touch(idx);
    return d;
  }

  private touch(idx: number): void {
    if (idx < this.minIdx) this.minIdx = idx;
    if (idx > this.maxIdx) this.maxIdx = idx;
  }

  /** The decoded instruction at idx without caching a new decode (block compiler's look-ahead). */
  peek(idx: number): Decoded {
    this.touch(idx);
    return this.insns[idx] ?? this.decoder.decode(this.words[this.wordBase + idx]);
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
    bus.writeListeners.push((p, pa, size) => this.written(p, pa, size));
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

  /** A write to PA [pa, pa + size) touched paPage: drop the page if it may change decoded code. */
  written(paPage: number, pa: number, size: number): void {
    const p = this.pages.get(paPage);
    if (!p) return;
    const first = (pa - paPage * PAGE_SIZE) / 4;
    const last = (pa + size - 1 - paPage * PAGE_SIZE) / 4;
    if (last < p.minIdx || first >= p.maxIdx + 1) return;
    this.invalidate(paPage);
  }

  /** Bumped whenever a decoded page is dropped: a store that changed it must end the CPU's
   * straight-line run (mem.ts noteStore), one that did not need not. */
  gen = 0;

  invalidate(paPage: number): void {
    const p = this.pages.get(paPage);
    if (!p) return;
    p.valid = false;
    this.pages.delete(paPage);
    this.gen++;
  }

  clear(): void {
    for (const p of this.pages.values()) p.valid = false;
    this.pages.clear();
    this.gen++;
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
