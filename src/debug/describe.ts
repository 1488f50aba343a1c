// Human-readable decodings for debugger consoles: exception lines (catchpoints, trap log) and
// HCR_EL2 bit by bit. Bit positions: Arm ARM D17.2.48 (HCR_EL2).
import { describeEsr } from '../cpu/exceptions';
import type { TrapLogEntry } from './types';

const hex = (v: bigint | number) => '0x' + v.toString(16);

/** e.g. `EL1->EL2 sync EC=0x24 DABT_LOW ISV=1 SAS=word SRT=x1 WnR=1 DFSC=0x4 FAR=0x9000000 HPFAR=0x90000 IPA=0x9000000` */
export function formatException(e: TrapLogEntry): string {
  const parts = [`EL${e.fromEl}->EL${e.toEl} ${e.kind}`];
  if (e.kind === 'sync' || e.kind === 'serror') parts.push(describeEsr(e.esr));
  if (e.far !== undefined) parts.push(`FAR=${hex(e.far)}`);
  if (e.hpfar !== undefined) {
    parts.push(`HPFAR=${hex(e.hpfar)}`);
    // IPA = HPFAR.FIPA (bits [43:4] = IPA[51:12]) with the page offset from FAR
    const ipa = ((e.hpfar >> 4n) << 12n) | ((e.far ?? 0n) & 0xfffn);
    parts.push(`IPA=${hex(ipa)}`);
  }
  parts.push(`ELR=${hex(e.elr)}`);
  if (e.vmid) parts.push(`VMID=${e.vmid}`);
  return parts.join(' ');
}

/** HCR_EL2 fields: [bit, name, meaning] (single-bit fields; TWEDEL is a 4-bit field at 59). */
export const HCR_BITS: [number, string, string][] = [
  [0, 'VM', 'stage 2 translation enabled'],
  [1, 'SWIO', 'set/way invalidation override'],
  [2, 'PTW', 'protected table walk'],
  [3, 'FMO', 'FIQs routed to EL2'],
  [4, 'IMO', 'IRQs routed to EL2'],
  [5, 'AMO', 'SErrors routed to EL2'],
  [6, 'VF', 'virtual FIQ pending'],
  [7, 'VI', 'virtual IRQ pending'],
  [8, 'VSE', 'virtual SError pending'],
  [9, 'FB', 'force broadcast of TLB/cache maintenance'],
  [10, 'BSU0', 'barrier shareability upgrade (bit 0)'],
  [11, 'BSU1', 'barrier shareability upgrade (bit 1)'],
  [12, 'DC', 'default cacheability (stage 1 off => Normal WB)'],
  [13, 'TWI', 'trap WFI'],
  [14, 'TWE', 'trap WFE'],
  [15, 'TID0', 'trap ID group 0'],
  [16, 'TID1', 'trap ID group 1'],
  [17, 'TID2', 'trap ID group 2'],
  [18, 'TID3', 'trap ID group 3'],
  [19, 'TSC', 'trap SMC'],
  [20, 'TIDCP', 'trap IMPLEMENTATION DEFINED registers'],
  [21, 'TACR', 'trap auxiliary control registers'],
  [22, 'TSW', 'trap data cache set/way'],
  [23, 'TPCP', 'trap DC to PoC/PoP'],
  [24, 'TPU', 'trap cache maintenance to PoU'],
  [25, 'TTLB', 'trap TLB maintenance'],
  [26, 'TVM', 'trap virtual memory controls (writes)'],
  [27, 'TGE', 'trap general exceptions (EL0 host)'],
  [28, 'TDZ', 'trap DC ZVA'],
  [29, 'HCD', 'HVC disabled'],
  [30, 'TRVM', 'trap virtual memory controls (reads)'],
  [31, 'RW', 'EL1 is AArch64'],
  [32, 'CD', 'stage 2 data accesses non-cacheable'],
  [33, 'ID', 'stage 2 instruction accesses non-cacheable'],
  [34, 'E2H', 'EL2 host (VHE)'],
  [35, 'TLOR', 'trap LOR registers'],
  [36, 'TERR', 'trap error record accesses'],
  [37, 'TEA', 'route synchronous external aborts to EL2'],
  [38, 'MIOCNCE', 'mismatched inner/outer cacheable non-coherency'],
  [39, 'TME', 'enable TME'],
  [40, 'APK', 'do not trap pointer-auth key registers'],
  [41, 'API', 'do not trap pointer-auth instructions'],
  [42, 'NV', 'nested virtualization'],
  [43, 'NV1', 'nested virtualization (EL1 regs)'],
  [44, 'AT', 'trap AT S1E1* / S1E0*'],
  [45, 'NV2', 'enhanced nested virtualization'],
  [46, 'FWB', 'stage 2 forced write-back'],
  [47, 'FIEN', 'fault injection enable'],
  [48, 'GPF', 'route granule protection faults to EL2'],
  [49, 'TID4', 'trap ID group 4'],
  [50, 'TICAB', 'trap ICIALLUIS/IC IALLUIS'],
  [51, 'AMVOFFEN', 'activity monitors virtual offsets'],
  [52, 'TOCU', 'trap cache maintenance to PoU (IC IVAU...)'],
  [53, 'EnSCXT', 'enable SCXTNUM access'],
  [54, 'TTLBIS', 'trap TLBI inner shareable'],
  [55, 'TTLBOS', 'trap TLBI outer shareable'],
  [56, 'ATA', 'allocation tag access'],
  [57, 'DCT', 'default cacheability tagging'],
  [58, 'TID5', 'trap ID group 5'],
  [63, 'TWEDEn', 'TWE delay enable'],
];

/** HCR_EL2 decoded bit by bit: one line per bit that is set, then the clear ones in one line. */
export function describeHcr(v: bigint): string {
  const lines = [`HCR_EL2 = ${hex(v)}`];
  const clear: string[] = [];
  for (const [bit, name, meaning] of HCR_BITS) {
    if ((v >> BigInt(bit)) & 1n) lines.push(`  [${bit.toString().padStart(2)}] ${name.padEnd(8)} = 1  ${meaning}`);
    else clear.push(name);
  }
  const twedel = Number((v >> 59n) & 0xfn);
  if (twedel) lines.push(`  [62:59] TWEDEL = ${twedel}`);
  lines.push(`  clear: ${clear.join(' ')}`);
  return lines.join('\n');
}
