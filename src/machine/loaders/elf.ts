// ELF64 little-endian AArch64 loader: PT_LOAD segments at their physical addresses (bss zeroed)
// and the .symtab symbols for the debugger. Layout facts: System V ABI "ELF-64 Object File Format"
// and the AArch64 ELF ABI (EM_AARCH64 = 183, mapping symbols $x/$d). Every offset is bounds-checked:
// a truncated or corrupt file is a LoadError, never a JS exception from a DataView.
import { LoadError, hex, type CanLoad } from './errors';

export const EM_AARCH64 = 183;
const PT_LOAD = 1;
const SHT_SYMTAB = 2;
const STT_NOTYPE = 0;
const STT_OBJECT = 1;
const STT_FUNC = 2;

export interface ElfSegment {
  paddr: number;
  vaddr: bigint;
  data: Uint8Array;
  memsz: number;
}

export interface ElfSymbol {
  name: string;
  value: bigint;
  size: bigint;
  type: 'func' | 'object' | 'notype';
}

export interface ElfImage {
  entry: bigint;
  segments: ElfSegment[];
  symbols: ElfSymbol[];
  /** lowest and one-past-highest physical address of the loaded segments */
  low: number;
  high: number;
}

export function isElf(b: Uint8Array): boolean {
  return b.length >= 4 && b[0] === 0x7f && b[1] === 0x45 && b[2] === 0x4c && b[3] === 0x46;
}

/** Parse (without loading) an ELF64 LE AArch64 executable. */
export function parseElf(b: Uint8Array, what = 'ELF file'): ElfImage {
  if (!isElf(b)) throw new LoadError(`${what}: not an ELF file`);
  if (b.length < 64) throw new LoadError(`${what}: truncated ELF header`);
  if (b[4] !== 2) throw new LoadError(`${what}: not a 64-bit ELF (EI_CLASS=${b[4]})`);
  if (b[5] !== 1) throw new LoadError(`${what}: not a little-endian ELF (EI_DATA=${b[5]})`);
  const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const u16 = (o: number) => dv.getUint16(o, true);
  const u32 = (o: number) => dv.getUint32(o, true);
  const u64 = (o: number) => dv.getBigUint64(o, true);
  const num = (v: bigint, field: string): number => {
    if (v > BigInt(Number.MAX_SAFE_INTEGER)) throw new LoadError(`${what}: ${field} ${hex(v)} out of range`);
    return Number(v);
  };
  const type = u16(16);
  if (type !== 2 && type !== 3) throw new LoadError(`${what}: not an executable (e_type=${type})`);
  const machine = u16(18);
  if (machine !== EM_AARCH64) throw new LoadError(`${what}: not an AArch64 ELF (e_machine=${machine})`);
  const entry = u64(24);
  const phoff = num(u64(32), 'e_phoff');
  const shoff = num(u64(40), 'e_shoff');
  const phentsize = u16(54);
  const phnum = u16(56);
  const shentsize = u16(58);
  const shnum = u16(60);
  if (phnum === 0) throw new LoadError(`${what}: no program headers`);
  if (phentsize < 56 || phoff + phnum * phentsize > b.length) throw new LoadError(`${what}: truncated (program headers past end of file)`);

  const segments: ElfSegment[] = [];
  let low = Infinity;
  let high = 0;
  for (let i = 0; i < phnum; i++) {
    const o = phoff + i * phentsize;
    if (u32(o) !== PT_LOAD) continue;
    const offset = num(u64(o + 8), 'p_offset');
    const vaddr = u64(o + 16);
    const paddr = num(u64(o + 24), 'p_paddr');
    const filesz = num(u64(o + 32), 'p_filesz');
    const memsz = num(u64(o + 40), 'p_memsz');
    if (memsz === 0) continue;
    if (filesz > memsz) throw new LoadError(`${what}: segment ${i} has p_filesz > p_memsz`);
    if (offset + filesz > b.length) throw new LoadError(`${what}: truncated (segment ${i} needs bytes up to ${hex(offset + filesz)}, file has ${hex(b.length)})`);
    segments.push({ paddr, vaddr, data: b.subarray(offset, offset + filesz), memsz });
    low = Math.min(low, paddr);
    high = Math.max(high, paddr + memsz);
  }
  if (!segments.length) throw new LoadError(`${what}: no loadable segments`);

  const symbols: ElfSymbol[] = [];
  if (shoff !== 0 && shnum !== 0 && shentsize >= 64 && shoff + shnum * shentsize <= b.length) {
    const sh = (i: number) => {
      const o = shoff + i * shentsize;
      return { type: u32(o + 4), offset: u64(o + 24), size: u64(o + 32), link: u32(o + 40), entsize: u64(o + 56) };
    };
    const dec = new TextDecoder();
    for (let i = 0; i < shnum; i++) {
      const s = sh(i);
      if (s.type !== SHT_SYMTAB || s.link >= shnum) continue;
      const str = sh(s.link);
      const soff = Number(s.offset);
      const ssize = Number(s.size);
      const stroff = Number(str.offset);
      const strsize = Number(str.size);
      // a symbol table that does not fit is ignored (symbols are a convenience, not required)
      if (soff + ssize > b.length || stroff + strsize > b.length) continue;
      const ent = Number(s.entsize) || 24;
      if (ent < 24) continue;
      for (let o = soff + ent; o + 24 <= soff + ssize; o += ent) {
        const nameOff = u32(o);
        const info = b[o + 4];
        const shndx = u16(o + 6);
        const value = u64(o + 8);
        const size = u64(o + 16);
        const st = info & 0xf;
        if (shndx === 0 || nameOff === 0 || nameOff >= strsize) continue;
        if (st !== STT_NOTYPE && st !== STT_OBJECT && st !== STT_FUNC) continue;
        let e = stroff + nameOff;
        while (e < stroff + strsize && b[e] !== 0) e++;
        const name = dec.decode(b.subarray(stroff + nameOff, e));
        if (!name || name.startsWith('$')) continue; // mapping symbols $x / $d
        symbols.push({ name, value, size, type: st === STT_FUNC ? 'func' : st === STT_OBJECT ? 'object' : 'notype' });
      }
    }
  }
  return { entry, segments, symbols, low, high };
}

/** Copy the segments into memory (zeroing bss); `canLoad` rejects ranges outside RAM/flash. */
export function loadElfSegments(img: ElfImage, canLoad: CanLoad, put: (pa: number, data: Uint8Array) => void, what = 'ELF file'): void {
  for (const s of img.segments) {
    if (!canLoad(s.paddr, s.memsz)) throw new LoadError(`${what}: segment at ${hex(s.paddr)}..${hex(s.paddr + s.memsz)} is outside RAM and flash`);
  }
  for (const s of img.segments) {
    if (s.memsz > s.data.length) put(s.paddr + s.data.length, new Uint8Array(s.memsz - s.data.length));
    put(s.paddr, s.data);
  }
}
