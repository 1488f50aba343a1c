// Linux arm64 "Image" loader (Linux Documentation/arch/arm64/booting.rst, "Call the kernel image"):
// a 64-byte header with text_offset at 0x8, image_size at 0x10, flags at 0x18 and the magic
// "ARM\x64" at 0x38. The image must sit at a 2 MiB aligned base plus text_offset. Placement follows
// QEMU's hw/arm/boot.c: RAM base + text_offset, moved up 2 MiB when text_offset is below the 4 KiB
// QEMU keeps for its boot stub; image_size 0 (pre-3.17 kernels) means text_offset 0x80000.
// gzip-compressed Images (Debian's vmlinuz) are inflated first, as QEMU does.
import { gunzipSync } from 'node:zlib';
import { LoadError, hex } from './errors';

export const ARM64_MAGIC_OFFSET = 0x38;
const BOOT_STUB_SIZE = 0x1000;
/** as QEMU's LOAD_IMAGE_MAX_GUNZIP_BYTES: a compressed kernel may inflate to at most 256 MiB */
export const MAX_GUNZIP_BYTES = 256 << 20;

export interface ArmImage {
  data: Uint8Array;
  textOffset: number;
  /** effective image size (header image_size, or the file size when 0) */
  size: number;
  flags: bigint;
}

export function hasArm64Magic(b: Uint8Array): boolean {
  return b.length >= 64 && b[0x38] === 0x41 && b[0x39] === 0x52 && b[0x3a] === 0x4d && b[0x3b] === 0x64;
}

export function isGzip(b: Uint8Array): boolean {
  return b.length >= 2 && b[0] === 0x1f && b[1] === 0x8b;
}

export function parseArm64Image(raw: Uint8Array, what = 'kernel Image'): ArmImage {
  let b = raw;
  if (isGzip(b)) {
    try {
      b = new Uint8Array(gunzipSync(b, { maxOutputLength: MAX_GUNZIP_BYTES }));
    } catch (e) {
      throw new LoadError(`${what}: corrupt gzip data (${(e as Error).message})`);
    }
  }
  if (b.length < 64) throw new LoadError(`${what}: too short for an arm64 Image header`);
  if (!hasArm64Magic(b)) throw new LoadError(`${what}: bad arm64 Image magic (expected "ARM\\x64" at 0x38)`);
  const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
  let textOffset = Number(dv.getBigUint64(0x8, true) & 0xffffffffffn);
  const imageSize = dv.getBigUint64(0x10, true);
  const flags = dv.getBigUint64(0x18, true);
  if (imageSize === 0n) textOffset = 0x80000;
  else if (textOffset < BOOT_STUB_SIZE) textOffset += 2 << 20;
  if (textOffset >= 1 << 30) throw new LoadError(`${what}: text_offset ${hex(textOffset)} is not plausible`);
  if (flags & 1n) throw new LoadError(`${what}: big-endian kernel (flags bit 0) is not supported`);
  const size = imageSize === 0n ? b.length : Number(imageSize > BigInt(Number.MAX_SAFE_INTEGER) ? BigInt(Number.MAX_SAFE_INTEGER) : imageSize);
  return { data: b, textOffset, size: Math.max(size, b.length), flags };
}
