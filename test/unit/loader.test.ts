import { describe, it, expect } from 'vitest';
import { spawnSync, execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { parseElf, loadElfSegments } from '../../src/machine/loaders/elf';
import { parseArm64Image } from '../../src/machine/loaders/image';
import { LoadError } from '../../src/machine/loaders/errors';
import { buildElf, buildImage, words } from './board.helpers';

const hasGcc = spawnSync('aarch64-linux-gnu-gcc', ['--version']).status === 0;
if (!hasGcc) console.log('loader tests: aarch64-linux-gnu-gcc not installed, skipping the toolchain-built ELF check');

describe('ELF loader', () => {
  const elf = buildElf({
    entry: 0x4008_0000,
    segments: [{ addr: 0x4008_0000, data: words(1, 2, 3), bss: 0x20 }],
    symbols: [
      { name: '_start', value: 0x4008_0000, func: true, size: 12 },
      { name: 'data_end', value: 0x4008_000c },
    ],
  });

  it('reads entry, PT_LOAD segments (with bss) and symbols', () => {
    const img = parseElf(elf);
    expect(img.entry).toBe(0x4008_0000n);
    expect(img.segments).toHaveLength(1);
    expect(img.segments[0].paddr).toBe(0x4008_0000);
    expect(img.segments[0].memsz).toBe(12 + 0x20);
    expect(img.low).toBe(0x4008_0000);
    expect(img.high).toBe(0x4008_0000 + 12 + 0x20);
    expect(img.symbols.map((s) => [s.name, s.value, s.type])).toEqual([
      ['_start', 0x4008_0000n, 'func'],
      ['data_end', 0x4008_000cn, 'notype'],
    ]);
    const mem = new Uint8Array(64).fill(0xee);
    loadElfSegments(img, () => true, (pa, d) => mem.set(d, pa - 0x4008_0000));
    expect(Array.from(mem.subarray(0, 12))).toEqual(Array.from(words(1, 2, 3)));
    expect(mem.subarray(12, 12 + 0x20).every((x) => x === 0)).toBe(true);
    expect(mem[12 + 0x20]).toBe(0xee);
  });

  it('reports truncated and foreign files as LoadError, never a RangeError', () => {
    for (const n of [3, 20, 63, 64, 100, 130]) {
      expect(() => parseElf(elf.subarray(0, n)), `truncated at ${n}`).toThrow(LoadError);
    }
    expect(() => parseElf(new TextEncoder().encode('hello world'))).toThrow(/not an ELF/);
    expect(() => parseElf(buildElf({ entry: 0, segments: [{ addr: 0, data: words(0) }], machine: 62 }))).toThrow(/not an AArch64/);
    const be = elf.slice();
    be[5] = 2;
    expect(() => parseElf(be)).toThrow(/little-endian/);
    const c32 = elf.slice();
    c32[4] = 1;
    expect(() => parseElf(c32)).toThrow(/64-bit/);
  });

  it('refuses segments outside RAM and flash', () => {
    const img = parseElf(elf);
    expect(() => loadElfSegments(img, () => false, () => {})).toThrow(/outside RAM and flash/);
  });

  it.skipIf(!hasGcc)('loads a toolchain-built ELF with its symbols', () => {
    const dir = mkdtempSync(join(tmpdir(), 'el2scope-elf-'));
    writeFileSync(join(dir, 'a.S'), '.global _start\n_start: b helper\n.global helper\nhelper: b .\n');
    execFileSync('aarch64-linux-gnu-gcc', ['-nostdlib', '-static', '-Wl,-Ttext=0x40100000', '-o', join(dir, 'a.elf'), join(dir, 'a.S')]);
    const img = parseElf(new Uint8Array(readFileSync(join(dir, 'a.elf'))));
    expect(img.entry).toBe(0x4010_0000n);
    const names = new Map(img.symbols.map((s) => [s.name, s.value]));
    expect(names.get('_start')).toBe(0x4010_0000n);
    expect(names.get('helper')).toBe(0x4010_0004n);
    expect([...names.keys()].some((n) => n.startsWith('$'))).toBe(false);
  });
});

describe('arm64 Image loader', () => {
  it('reads text_offset and image_size; low text_offset moves up 2 MiB as QEMU places it', () => {
    expect(parseArm64Image(buildImage(words(0), 0x80000)).textOffset).toBe(0x80000);
    expect(parseArm64Image(buildImage(words(0), 0)).textOffset).toBe(0x20_0000);
    // image_size 0: a pre-3.17 kernel, text_offset 0x80000
    expect(parseArm64Image(buildImage(words(0), 0x1234000, 0)).textOffset).toBe(0x80000);
    const big = parseArm64Image(buildImage(words(0), 0, 0x100_0000));
    expect(big.size).toBe(0x100_0000);
  });

  it('rejects a bad magic and short files', () => {
    expect(() => parseArm64Image(buildImage(words(0), 0, undefined, 'ARMX'))).toThrow(/magic/);
    expect(() => parseArm64Image(new Uint8Array(40))).toThrow(LoadError);
  });

  it('inflates gzip-compressed Images and reports corrupt gzip', () => {
    const raw = buildImage(words(0xd503201f), 0);
    const img = parseArm64Image(gzipSync(raw));
    expect(Array.from(img.data)).toEqual(Array.from(raw));
    const z = gzipSync(raw);
    expect(() => parseArm64Image(z.subarray(0, 20))).toThrow(/gzip/);
  });
});

describe('loaders never throw anything but LoadError on corrupt input', () => {
  // a tiny deterministic PRNG (xorshift32) so failures reproduce
  let seed = 0x2545f491;
  const rnd = (n: number) => {
    seed ^= seed << 13;
    seed ^= seed >>> 17;
    seed ^= seed << 5;
    return (seed >>> 0) % n;
  };
  const mutate = (src: Uint8Array): Uint8Array => {
    const b = src.slice(0, rnd(4) === 0 ? rnd(src.length + 1) : src.length);
    for (let k = rnd(8) + 1; k > 0 && b.length; k--) b[rnd(b.length)] = rnd(256);
    return b;
  };
  const elf = buildElf({
    entry: 0x4008_0000,
    segments: [{ addr: 0x4008_0000, data: words(1, 2, 3, 4), bss: 16 }],
    symbols: [{ name: 'a', value: 0x4008_0000, func: true }, { name: 'b', value: 0x4008_0004 }],
  });
  const img = buildImage(words(1, 2, 3), 0);

  it('500 mutated ELF files and Images', () => {
    for (let i = 0; i < 500; i++) {
      for (const [src, parse] of [
        [elf, parseElf],
        [img, parseArm64Image],
        [gzipSync(img), parseArm64Image],
      ] as const) {
        const m = mutate(src);
        try {
          parse(m);
        } catch (e) {
          if (!(e instanceof LoadError)) throw new Error(`iteration ${i}: ${(e as Error).stack}`);
        }
      }
    }
  });
});
