// Memory attributes: MAIR-style attribute bytes, stage-2 MemAttr decoding and the stage-1/stage-2
// combination rules (Arm ARM D8.6 "Memory region attributes", D8.6.5 "Combining stage 1 and stage 2
// attributes", D8.6.6 FEAT_S2FWB). Attributes travel as one MAIR-format byte:
//   Device: 0b0000_dd00 (dd: 00 nGnRnE, 01 nGnRE, 10 nGRE, 11 GRE)
//   Normal: outer[7:4] inner[3:0], each 0b0100 Non-cacheable, 0b10RW Write-Through, 0b11RW Write-Back
//           (0b00RW / 0b01RW with RW != 0: transient WT / WB).

export const ATTR_DEVICE_nGnRnE = 0x00;
export const ATTR_NORMAL_WB = 0xff;
export const ATTR_NORMAL_NC = 0x44;
export const ATTR_NORMAL_WT = 0xbb;

export function isDeviceAttr(a: number): boolean {
  return (a & 0xf0) === 0;
}

/** cacheability class of one Normal half (4 bits): 0 NC, 1 WT, 2 WB */
function cls(h: number): number {
  if (h === 0b0100) return 0;
  const top = h >>> 2;
  if (top === 0b10 || top === 0b00) return 1; // WT (00RW: WT transient)
  if (top === 0b11 || top === 0b01) return 2; // WB (01RW: WB transient)
  return 0;
}

function half(cl: number, alloc: number): number {
  if (cl === 0) return 0b0100;
  return ((cl === 1 ? 0b10 : 0b11) << 2) | (alloc & 3 || 0b11);
}

/** Stage-2 MemAttr[3:0] (FWB=0) as a MAIR-format byte (Arm ARM D8.6.5, stage 2 MemAttr encodings). */
export function s2MemAttrToByte(m: number): number {
  if ((m >>> 2) === 0) return (m & 3) << 2; // Device
  const outer = m >>> 2; // 01 NC, 10 WT, 11 WB
  const inner = m & 3; // 00 reserved (treated NC), 01 NC, 10 WT, 11 WB
  const o = outer === 1 ? 0b0100 : outer === 2 ? 0b1011 : 0b1111;
  const i = inner <= 1 ? 0b0100 : inner === 2 ? 0b1011 : 0b1111;
  return (o << 4) | i;
}

/** More restrictive of two Device types (nGnRnE is the most restrictive). */
function deviceMin(a: number, b: number): number {
  return Math.min(a & 0x0c, b & 0x0c);
}

/**
 * Combine stage-1 attribute byte s1 with stage-2 MemAttr (4 bits) (D8.6.5 without FWB, D8.6.6 with
 * HCR_EL2.FWB). Returns the combined MAIR-format byte.
 */
export function combineS1S2(s1: number, s2MemAttr: number, fwb: boolean): number {
  if (fwb) {
    // FEAT_S2FWB: MemAttr[2]=0 forces Device (MemAttr[1:0] type); 0b101 Normal NC unless stage 1 is
    // Device; 0b110 Normal Write-Back forced; 0b111 the stage-1 attributes; 0b100 reserved (NC).
    if ((s2MemAttr & 4) === 0) {
      const dev = (s2MemAttr & 3) << 2;
      return isDeviceAttr(s1) ? deviceMin(s1, dev) : dev;
    }
    switch (s2MemAttr & 3) {
      case 0b10:
        return ATTR_NORMAL_WB;
      case 0b11:
        return s1;
      default:
        return isDeviceAttr(s1) ? s1 : ATTR_NORMAL_NC;
    }
  }
  const s2 = s2MemAttrToByte(s2MemAttr);
  if (isDeviceAttr(s1) || isDeviceAttr(s2)) {
    if (isDeviceAttr(s1) && isDeviceAttr(s2)) return deviceMin(s1, s2);
    return isDeviceAttr(s1) ? s1 & 0x0c : s2 & 0x0c;
  }
  const o = Math.min(cls(s1 >>> 4), cls(s2 >>> 4));
  const i = Math.min(cls(s1 & 15), cls(s2 & 15));
  return (half(o, (s1 >>> 4) & 3) << 4) | half(i, s1 & 3);
}

/** Normal memory made Non-cacheable (SCTLR.C=0 / HCR_EL2.CD); Device stays Device. */
export function makeNonCacheable(a: number): number {
  return isDeviceAttr(a) ? a : ATTR_NORMAL_NC;
}

/** Shareability combination: the more shareable wins (Outer 0b10 > Inner 0b11 > Non 0b00). */
export function combineSh(a: number, b: number): number {
  if (a === 2 || b === 2) return 2;
  if (a === 3 || b === 3) return 3;
  return 0;
}

const DEV = ['nGnRnE', 'nGnRE', 'nGRE', 'GRE'];
function halfName(h: number): string {
  const c = cls(h);
  return c === 0 ? 'NC' : c === 1 ? 'WT' : 'WB';
}

/** Human-readable attribute byte, e.g. "Normal WB/WB" or "Device-nGnRE". */
export function describeAttr(a: number): string {
  if (isDeviceAttr(a)) return `Device-${DEV[(a >>> 2) & 3]}`;
  const o = halfName(a >>> 4);
  const i = halfName(a & 15);
  return o === i ? `Normal ${o}` : `Normal inner ${i} outer ${o}`;
}

export function describeSh(sh: number): string {
  return ['NSH', 'reserved', 'OSH', 'ISH'][sh & 3];
}
