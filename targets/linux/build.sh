#!/usr/bin/env bash
# Build the Linux user-space test programs (static, glibc) into targets/build/: kvmtest.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
CC="${CROSS:-aarch64-linux-gnu-}gcc"
command -v "$CC" >/dev/null || { echo "build.sh: $CC not found (apt-get install gcc-aarch64-linux-gnu)" >&2; exit 1; }
"$CC" -static -O2 -Wall -Wextra -o "$here/../build/kvmtest" "$here/kvmtest.c"
echo "built targets/build/kvmtest"
