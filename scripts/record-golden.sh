#!/usr/bin/env bash
# Record the golden UART output of each guest program from QEMU:
#   qemu-system-aarch64 -M virt,virtualization=on,gic-version=3[,secure=on for EL3 targets] -cpu max -nographic
#                       -kernel targets/build/<name>.elf
# into targets/golden/<name>.txt. Targets whose golden is "manual" in targets/targets.txt are not run
# on QEMU (their expected output is written from the Arm ARM): targets/golden/<name>.gen.sh, when
# present, regenerates it with the addresses of the current build. Usage: scripts/record-golden.sh [name...]
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
QEMU="${QEMU:-qemu-system-aarch64}"
TIMEOUT="${TIMEOUT:-60}"
command -v "$QEMU" >/dev/null || { echo "record-golden: $QEMU not found" >&2; exit 1; }
want=" $* "
status=0
while read -r name el _max golden _kind smp _rest; do
  case "$name" in ''|'#'*) continue ;; esac
  [ $# -gt 0 ] && [[ "$want" != *" $name "* ]] && continue
  if [ "$golden" != qemu ]; then
    if [ -x "targets/golden/$name.gen.sh" ]; then
      "targets/golden/$name.gen.sh" >/dev/null
      echo "gen   $name -> targets/golden/$name.txt (written from the Arm ARM by $name.gen.sh)"
    else
      echo "skip  $name (golden is $golden)"
    fi
    continue
  fi
  machine="virt,virtualization=on,gic-version=3"
  [ "$el" = 3 ] && machine="virt,secure=on,virtualization=on,gic-version=3"
  smpargs=()
  [ -n "${smp:-}" ] && smpargs=(-smp "$smp")
  out="targets/golden/$name.txt"
  set +e
  timeout "$TIMEOUT" "$QEMU" -M "$machine" -cpu max -nographic -monitor none -serial stdio "${smpargs[@]}" \
    -kernel "targets/build/$name.elf" </dev/null >"$out.tmp" 2>"$out.err"
  rc=$?
  set -e
  if [ $rc -ne 0 ]; then
    echo "FAIL  $name: qemu exit status $rc (timeout ${TIMEOUT}s = 124); stderr:" >&2
    cat "$out.err" >&2
    rm -f "$out.tmp" "$out.err"
    status=1
    continue
  fi
  rm -f "$out.err"
  mv "$out.tmp" "$out"
  echo "ok    $name -> $out ($(wc -l <"$out") lines)"
done < targets/targets.txt
exit $status
