#!/usr/bin/env bash
# Writes targets/golden/align-checks.txt: the expected output of align-checks, from the Arm ARM
# (reasons per line in align-checks.md), with the addresses taken from the built ELF.
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
elf="$here/build/align-checks.elf"
NM="${CROSS:-aarch64-linux-gnu-}nm"
sym() { "$NM" "$elf" | awk -v s="$1" '$3 == s { print $1 }'; }
hex() { printf '0x%016x' "$1"; }
sp_align=$((16#$(sym t_sp_align)))
stxr=$((16#$(sym t_stxr_align)))
ldru=$((16#$(sym t_ldr_unaligned)))
scratch=$((16#$(sym scratch)))
el0_top=$((16#$(sym el0_stack) + 8192))
ldr_sp=$(hex $((sp_align + 12)))      # mov x1,sp; add x1,x1,#4; mov sp,x1; ldr x0,[sp]
stxr_pc=$(hex $((stxr + 16)))         # adrp; add; add; mov; stxr
ldru_pc=$(hex $((ldru + 12)))         # adrp; add; add; ldr
cat > "$here/golden/align-checks.txt" <<OUT
align-checks: SP alignment, exclusive and Device-memory alignment faults
CurrentEL=2
00 LDR via misaligned SP_EL0 at EL1t, SCTLR_EL1.SA=1 [EL1]
   -> EL1 EC=0x26 (SP alignment fault) ESR=0x9a000000 ELR=$ldr_sp SPSR=0x000003c4
   x0 at the end: 0x0
01 LDR via misaligned SP at EL0, SCTLR_EL1.SA0=1 [EL0]
   -> EL1 EC=0x26 (SP alignment fault) ESR=0x9a000000 ELR=$ldr_sp SPSR=0x000003c0
   x0 at the end: 0x0
02 LDR via misaligned SP_EL0 at EL1t, SCTLR_EL1.SA=0 [EL1]
   -> EL1 EC=0x25 (Data Abort, same EL) ESR=0x96000021 ELR=$ldr_sp SPSR=0x000003c4 FAR=$(hex $((el0_top + 4)))
   x0 at the end: 0x0
03 STXR misaligned at EL1 (no LDXR before) [EL1]
   -> EL1 EC=0x25 (Data Abort, same EL) ESR=0x96000061 ELR=$stxr_pc SPSR=0x000003c5 FAR=$(hex $((scratch + 2)))
   x0 at the end: 0x0
04 STXR misaligned from EL0 (no LDXR before) [EL0]
   -> EL1 EC=0x24 (Data Abort, lower EL) ESR=0x92000061 ELR=$stxr_pc SPSR=0x000003c0 FAR=$(hex $((scratch + 2)))
   x0 at the end: 0x0
05 LDR misaligned, Device memory (MMU off) at EL1 [EL1]
   -> EL1 EC=0x25 (Data Abort, same EL) ESR=0x96000021 ELR=$ldru_pc SPSR=0x000003c5 FAR=$(hex $((scratch + 1)))
   x0 at the end: 0x0
align-checks: done
OUT
echo "wrote golden/align-checks.txt"
