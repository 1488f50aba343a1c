// Build images/initramfs.cpio.gz: a newc cpio archive (the format the kernel unpacks, see the kernel's
// Documentation/driver-api/early-userspace/buffer-format.rst) holding Debian's busybox-static, an
// /init script, and our static test programs from targets/linux/ (kvmtest). Written in TypeScript so
// the host needs no cpio. Usage: tsx scripts/make-initramfs.ts IMAGES_DIR
import { readFileSync, writeFileSync, existsSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { gzipSync } from 'node:zlib';
import { fileURLToPath } from 'node:url';

interface Entry { name: string; mode: number; data?: Buffer; target?: string; rdev?: [number, number] }

function newc(entries: Entry[]): Buffer {
  const parts: Buffer[] = [];
  let ino = 1;
  const pad4 = (n: number) => (4 - (n % 4)) % 4;
  const push = (e: Entry) => {
    const body = e.data ?? (e.target !== undefined ? Buffer.from(e.target) : Buffer.alloc(0));
    const name = Buffer.from(e.name + '\0');
    const h = (n: number) => n.toString(16).padStart(8, '0');
    const [maj, min] = e.rdev ?? [0, 0];
    const hdr = '070701' + h(ino++) + h(e.mode) + h(0) + h(0) + h(1) + h(0) + h(body.length) +
      h(0) + h(0) + h(maj) + h(min) + h(name.length) + h(0);
    parts.push(Buffer.from(hdr), name, Buffer.alloc(pad4(110 + name.length)), body, Buffer.alloc(pad4(body.length)));
  };
  for (const e of entries) push(e);
  push({ name: 'TRAILER!!!', mode: 0 });
  return Buffer.concat(parts);
}

const DIR = 0o040755, FILE = 0o100755, LINK = 0o120777, CHR = 0o020600;
const INIT = `#!/bin/busybox sh
/bin/busybox --install -s /bin
export PATH=/bin:/sbin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev 2>/dev/null
echo "el2scope-initramfs: userspace up ($(uname -r))"
# el2scope.run=CMD on the kernel command line runs CMD, prints its status and powers off (tests).
for arg in $(cat /proc/cmdline); do
  case "$arg" in
    el2scope.run=*) cmd="\${arg#el2scope.run=}"; cmd="$(echo "$cmd" | tr , ' ')"
      echo "el2scope-initramfs: running $cmd"; $cmd; echo "el2scope-initramfs: exit status $?"
      poweroff -f ;;
  esac
done
echo "el2scope-initramfs: shell"
exec setsid cttyhack sh
`;

export function buildInitramfs(imagesDir: string, extra: { name: string; path: string }[]): Buffer {
  const entries: Entry[] = [];
  for (const d of ['bin', 'sbin', 'dev', 'proc', 'sys', 'tmp', 'etc', 'root']) entries.push({ name: d, mode: DIR });
  entries.push({ name: 'dev/console', mode: CHR, rdev: [5, 1] });
  entries.push({ name: 'bin/busybox', mode: FILE, data: readFileSync(join(imagesDir, 'busybox')) });
  entries.push({ name: 'bin/sh', mode: LINK, target: 'busybox' });
  entries.push({ name: 'init', mode: FILE, data: Buffer.from(INIT) });
  for (const x of extra) if (existsSync(x.path)) entries.push({ name: x.name, mode: FILE, data: readFileSync(x.path) });
  return gzipSync(newc(entries));
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const imagesDir = process.argv[2] ?? 'images';
  const root = join(dirname(fileURLToPath(import.meta.url)), '..');
  const extra = [{ name: 'bin/kvmtest', path: join(root, 'targets/build/kvmtest') }];
  const out = join(imagesDir, 'initramfs.cpio.gz');
  writeFileSync(out, buildInitramfs(imagesDir, extra));
  console.log(`make-initramfs: wrote ${out}`);
}
