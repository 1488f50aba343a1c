// Exception classes (ESR_ELx.EC) and syndrome builders. Values: Arm ARM D17.2.37 (ESR_EL1), the
// EC field table. The names are the short forms hypervisor engineers know from Linux's esr.h.
export const EC = {
  UNKNOWN: 0x00,
  WFX: 0x01,
  CP15_32: 0x03,
  CP15_64: 0x04,
  CP14_MR: 0x05,
  CP14_LS: 0x06,
  FP_ASIMD: 0x07,
  CP10_ID: 0x08,
  PAC: 0x09,
  CP14_64: 0x0c,
  BTI: 0x0d,
  ILL: 0x0e,
  SVC32: 0x11,
  HVC32: 0x12,
  SMC32: 0x13,
  SVC64: 0x15,
  HVC64: 0x16,
  SMC64: 0x17,
  SYS64: 0x18,
  SVE: 0x19,
  ERET: 0x1a,
  FPAC: 0x1c,
  IMP_DEF: 0x1f,
  IABT_LOW: 0x20,
  IABT_CUR: 0x21,
  PC_ALIGN: 0x22,
  DABT_LOW: 0x24,
  DABT_CUR: 0x25,
  SP_ALIGN: 0x26,
  FP_EXC32: 0x28,
  FP_EXC64: 0x2c,
  SERROR: 0x2f,
  BREAKPT_LOW: 0x30,
  BREAKPT_CUR: 0x31,
  SOFTSTP_LOW: 0x32,
  SOFTSTP_CUR: 0x33,
  WATCHPT_LOW: 0x34,
  WATCHPT_CUR: 0x35,
  BKPT32: 0x38,
  VECTOR32: 0x3a,
  BRK64: 0x3c,
} as const;

const NAMES = new Map<number, string>(Object.entries(EC).map(([k, v]) => [v, k]));

export function ecName(ec: number): string {
  return NAMES.get(ec) ?? `EC_0x${ec.toString(16)}`;
}

/** Fault status codes (DFSC/IFSC), Arm ARM D17.2.37 ISS encoding for data aborts. */
export const FSC = {
  addressSize: (level: number) => 0x00 | (level & 3),
  translation: (level: number) => 0x04 | (level & 3),
  accessFlag: (level: number) => 0x08 | (level & 3),
  permission: (level: number) => 0x0c | (level & 3),
  SYNC_EXTERNAL: 0x10,
  SYNC_EXTERNAL_WALK: (level: number) => 0x14 | (level & 3),
  ALIGNMENT: 0x21,
  TLB_CONFLICT: 0x30,
  /** level -1 variants (FEAT_LPA2) are not implemented */
} as const;

/** ISS of a trapped MSR/MRS/SYS (EC 0x18), Arm ARM D17.2.37 "ISS encoding for an exception from
 * MSR, MRS, or System instruction execution in AArch64 state". */
export function sysRegIss(op0: number, op2: number, op1: number, crn: number, rt: number, crm: number, isRead: boolean): number {
  return (
    ((op0 & 3) << 20) |
    ((op2 & 7) << 17) |
    ((op1 & 7) << 14) |
    ((crn & 0xf) << 10) |
    ((rt & 0x1f) << 5) |
    ((crm & 0xf) << 1) |
    (isRead ? 1 : 0)
  );
}

/** Decode an ESR into a one-line human description (used by trap log, gdb catch, --trace). */
export function describeEsr(esr: number): string {
  const ec = (esr >>> 26) & 0x3f;
  const iss = esr & 0x1ffffff;
  const parts = [`EC=0x${ec.toString(16)} ${ecName(ec)}`];
  switch (ec) {
    case EC.DABT_LOW:
    case EC.DABT_CUR: {
      const isv = (iss >>> 24) & 1;
      parts.push(`ISV=${isv}`);
      if (isv) {
        const sas = ['byte', 'halfword', 'word', 'doubleword'][(iss >>> 22) & 3];
        parts.push(`SAS=${sas}`);
        if ((iss >>> 21) & 1) parts.push('SSE=1');
        const srt = (iss >>> 16) & 0x1f;
        parts.push(`SRT=${(iss >>> 15) & 1 ? 'x' : 'w'}${srt}`);
        if ((iss >>> 14) & 1) parts.push('AR=1');
      }
      if ((iss >>> 7) & 1) parts.push('S1PTW=1');
      if ((iss >>> 8) & 1) parts.push('CM=1');
      parts.push(`WnR=${(iss >>> 6) & 1}`);
      parts.push(`DFSC=0x${(iss & 0x3f).toString(16)}`);
      break;
    }
    case EC.IABT_LOW:
    case EC.IABT_CUR:
      if ((iss >>> 7) & 1) parts.push('S1PTW=1');
      parts.push(`IFSC=0x${(iss & 0x3f).toString(16)}`);
      break;
    case EC.SVC64:
    case EC.HVC64:
    case EC.SMC64:
    case EC.BRK64:
      parts.push(`imm=0x${(iss & 0xffff).toString(16)}`);
      break;
    case EC.SYS64: {
      const op0 = (iss >>> 20) & 3, op2 = (iss >>> 17) & 7, op1 = (iss >>> 14) & 7;
      const crn = (iss >>> 10) & 0xf, rt = (iss >>> 5) & 0x1f, crm = (iss >>> 1) & 0xf;
      parts.push(`${iss & 1 ? 'MRS' : 'MSR'} S${op0}_${op1}_C${crn}_C${crm}_${op2} Rt=x${rt}`);
      break;
    }
    case EC.WFX:
      parts.push(['WFI', 'WFE', 'WFIT', 'WFET'][iss & 3]);
      break;
    default:
      parts.push(`ISS=0x${iss.toString(16)}`);
  }
  return parts.join(' ');
}
