#!/usr/bin/env bash
# Writes targets/golden/nv.txt: the expected output of the nv target, from the Arm ARM (QEMU 7.2 has
# no FEAT_NV; reasons in nv.md), with the addresses taken from the built ELF.
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
elf="$here/build/nv.elf"
NM="${CROSS:-aarch64-linux-gnu-}nm"
sym() { printf '%d' "0x$("$NM" "$elf" | awk -v s="$1" '$3 == s { print $1 }')"; }
hex() { printf '0x%016x' "$1"; }
esr() { printf '0x%08x' "$1"; }
# ESR_EL2 for a trapped MSR/MRS (EC 0x18, IL=1): Op0 [21:20] Op2 [19:17] Op1 [16:14] CRn [13:10]
# Rt [9:5] CRm [4:1] direction [0] (1 = read)
sysreg_esr() { esr $(( (0x18 << 26) | (1 << 25) | ($1 << 20) | ($5 << 17) | ($2 << 14) | ($3 << 10) | ($6 << 5) | ($4 << 1) | $7 )); }
hcr_rd=$(sysreg_esr 3 4 1 1 0 0 1)        # MRS x0, HCR_EL2      (S3_4_C1_C1_0)
vttbr_wr=$(sysreg_esr 3 4 2 1 0 1 0)      # MSR VTTBR_EL2, x1    (S3_4_C2_C1_0)
sctlr12_rd=$(sysreg_esr 3 5 1 0 0 0 1)    # MRS x0, SCTLR_EL12   (S3_5_C1_C0_0)
cat > "$here/golden/nv.txt" <<OUT
nv: nested virtualization (FEAT_NV, FEAT_NV2) with a guest hypervisor at EL1
ID_AA64MMFR2_EL1.NV=2
CurrentEL=2
00 MRS CurrentEL at EL1, NV=0 [EL1]
   -> no exception
   x0 at the end: 0x4
01 MRS CurrentEL at EL1, NV=1 (reads as EL2) [EL1]
   -> no exception
   x0 at the end: 0x8
02 MRS HCR_EL2 at EL1, NV=1 (trapped) [EL1]
   -> EL2 EC=0x18 (MSR/MRS/System trap) ESR=$hcr_rd ELR=$(hex $(sym t_nv_mrs_hcr)) SPSR=0x000003c5
   x0 at the end: 0x1122334455667788
03 MSR VTTBR_EL2 at EL1, NV=1 (trapped) [EL1]
   -> EL2 EC=0x18 (MSR/MRS/System trap) ESR=$vttbr_wr ELR=$(hex $(( $(sym t_nv_msr_vttbr) + 4 ))) SPSR=0x000003c5
   x0 at the end: 0x99
04 MRS SCTLR_EL12 at EL1, NV=1 (trapped) [EL1]
   -> EL2 EC=0x18 (MSR/MRS/System trap) ESR=$sctlr12_rd ELR=$(hex $(sym t_nv_sctlr12)) SPSR=0x000003c5
   x0 at the end: 0x1122334455667788
05 ERET at EL1, NV=1 (trapped) [EL1]
   -> EL2 EC=0x1a (ERET trap) ESR=0x6a000000 ELR=$(hex $(( $(sym t_nv_eret) + 16 ))) SPSR=0x000003c5
   x0 at the end: 0x0
06 MRS HCR_EL2 at EL1, NV=1 NV2=1 (load from the VNCR page) [EL1]
   -> no exception
   x0 at the end: 0x5600000000000078
07 MSR VTTBR_EL2 at EL1, NV=1 NV2=1 (store to the VNCR page) [EL1]
   -> no exception
   x0 at the end: 0x99
08 MRS TPIDR_EL2 at EL1, NV=1 NV2=1 (load from the VNCR page) [EL1]
   -> no exception
   x0 at the end: 0x5600000000000090
VNCR page after the run:
   VNCR page +0x20 (VTTBR_EL2) = 0x0000000000001234
   VNCR page +0x78 (HCR_EL2) = 0x5600000000000078
   VNCR page +0x90 (TPIDR_EL2) = 0x5600000000000090
nv: done
OUT
echo "wrote golden/nv.txt"
