#!/usr/bin/env bash
# Build every guest program in targets/src into targets/build/<name>.elf.
#   targets/src/<name>.c / <name>.S          a single-file target, or
#   targets/src/<name>/*.c *.S [link.ld]     a multi-file target (own linker script if present)
#   targets/src/<name>.variant               "<base> <flags...>": <base>'s sources built with more
#                                            flags (e.g. the small bench-*-mini builds for the tests)
# Every target links targets/lib (startup, vectors, UART, PSCI). Usage: targets/build.sh [name...]
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
cd "$here"
CROSS="${CROSS:-aarch64-linux-gnu-}"
CC="${CROSS}gcc"
if ! command -v "$CC" >/dev/null; then
  echo "build.sh: $CC not found (apt-get install gcc-aarch64-linux-gnu)" >&2
  exit 1
fi
# -mstrict-align: the programs run with the MMU off, where data accesses are Device memory and
# unaligned accesses fault. -march=armv8.1-a gives CRC32 and the LSE atomics.
CFLAGS=(-march=armv8.1-a -O2 -g -ffreestanding -nostdlib -fno-builtin -fno-pie -fno-stack-protector
  -fno-tree-loop-distribute-patterns -fno-asynchronous-unwind-tables -mgeneral-regs-only
  -mstrict-align -Wall -Wextra -Wno-unused-parameter -Wno-missing-field-initializers -ffile-prefix-map="$here"=targets
  -I"$here/lib")
LDFLAGS=(-static -no-pie -nostdlib -Wl,--build-id=none -Wl,-z,norelro -Wl,--no-warn-rwx-segments)
LIB=(lib/start.S lib/uart.c lib/psci.c lib/unexpected.c)
mkdir -p build

names=("$@")
if [ ${#names[@]} -eq 0 ]; then
  for p in src/*; do
    n="$(basename "$p")"
    n="${n%.c}"; n="${n%.S}"; n="${n%.variant}"
    names+=("$n")
  done
  mapfile -t names < <(printf '%s\n' "${names[@]}" | sort -u)
fi

failed=()
for n in "${names[@]}"; do
  srcs=()
  ld="lib/link.ld"
  extra=()
  base="$n"
  if [ -e "src/$n.variant" ]; then
    read -r base vflags < "src/$n.variant"
    read -r -a extra <<< "$vflags"
  fi
  if [ -d "src/$base" ]; then
    for f in "src/$base"/*.c "src/$base"/*.S; do [ -e "$f" ] && srcs+=("$f"); done
    [ -e "src/$base/link.ld" ] && ld="src/$base/link.ld"
  else
    for f in "src/$base.c" "src/$base.S"; do [ -e "$f" ] && srcs+=("$f"); done
  fi
  if [ ${#srcs[@]} -eq 0 ]; then echo "build.sh: no sources for $n" >&2; exit 1; fi
  # compile each source to its own object (linker scripts may place objects by file name, e.g.
  # demo-hyp's guest-*.o go to the guest's IPA), then link
  obj="build/obj/$n"
  rm -rf "$obj"
  mkdir -p "$obj"
  objs=()
  for f in "${LIB[@]}" "${srcs[@]}"; do
    b="$(basename "$f")"
    o="$obj/${b%.*}.o"
    [ -e "$o" ] && o="$obj/$(basename "$(dirname "$f")")-${b%.*}.o"
    if ! "$CC" "${CFLAGS[@]}" "${extra[@]}" -c -o "$o" "$f"; then failed+=("$n"); continue 2; fi
    objs+=("$o")
  done
  if ! "$CC" "${CFLAGS[@]}" "${extra[@]}" "${LDFLAGS[@]}" -T "$ld" -o "build/$n.elf" "${objs[@]}"; then
    failed+=("$n")
    continue
  fi
  echo "built build/$n.elf"
done
if [ ${#failed[@]} -gt 0 ]; then
  echo "build.sh: FAILED: ${failed[*]}" >&2
  exit 1
fi
