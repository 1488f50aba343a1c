// Integrity of the system-register table: unique names and encodings, alias targets exist, every
// register the issues name is present, ID registers say what we implement, debugger access works.
import { describe, it, expect } from 'vitest';
import { SYSREGS, R, encKey, findSysReg, sysRegByName, debugReadSysReg, debugWriteSysReg } from '../../src/sysregs/table';
import { Machine } from '../../src/machine/machine';

const REQUIRED = [
  // issue 2: core and translation
  'SCTLR_EL1', 'SCTLR_EL2', 'SCTLR_EL3', 'ACTLR_EL1', 'ACTLR_EL2', 'ACTLR_EL3', 'CPACR_EL1', 'CPTR_EL2', 'CPTR_EL3',
  'HCR_EL2', 'SCR_EL3', 'MDCR_EL2', 'MDCR_EL3', 'HSTR_EL2', 'HACR_EL2', 'TTBR0_EL1', 'TTBR1_EL1', 'TTBR0_EL2',
  'TTBR1_EL2', 'TTBR0_EL3', 'TCR_EL1', 'TCR_EL2', 'TCR_EL3', 'MAIR_EL1', 'MAIR_EL2', 'MAIR_EL3', 'AMAIR_EL1',
  'AMAIR_EL2', 'AMAIR_EL3', 'PAR_EL1', 'CONTEXTIDR_EL1', 'CONTEXTIDR_EL2', 'TPIDR_EL0', 'TPIDRRO_EL0', 'TPIDR_EL1',
  'TPIDR_EL2', 'TPIDR_EL3', 'VNCR_EL2', 'VPIDR_EL2', 'VMPIDR_EL2', 'AFSR0_EL1', 'AFSR1_EL1', 'AFSR0_EL2',
  'AFSR1_EL2', 'AFSR0_EL3', 'AFSR1_EL3', 'ESR_EL1', 'ESR_EL2', 'ESR_EL3', 'FAR_EL1', 'FAR_EL2', 'FAR_EL3',
  'HPFAR_EL2', 'VBAR_EL1', 'VBAR_EL2', 'VBAR_EL3', 'SPSR_EL1', 'SPSR_EL2', 'SPSR_EL3', 'ELR_EL1', 'ELR_EL2',
  'ELR_EL3', 'SP_EL0', 'SP_EL1', 'SP_EL2', 'CurrentEL', 'DAIF', 'NZCV', 'SPSel', 'PAN', 'UAO', 'DIT', 'SSBS',
  'VTTBR_EL2', 'VTCR_EL2', 'VSTTBR_EL2', 'VSTCR_EL2', 'DCZID_EL0', 'CTR_EL0', 'CLIDR_EL1', 'CCSIDR_EL1',
  'CSSELR_EL1', 'REVIDR_EL1', 'AIDR_EL1', 'RMR_EL3', 'RVBAR_EL3', 'ISR_EL1', 'MIDR_EL1', 'MPIDR_EL1',
  'ID_AA64PFR0_EL1', 'ID_AA64PFR1_EL1', 'ID_AA64DFR0_EL1', 'ID_AA64ISAR0_EL1', 'ID_AA64ISAR1_EL1',
  'ID_AA64MMFR0_EL1', 'ID_AA64MMFR1_EL1', 'ID_AA64MMFR2_EL1', 'ID_PFR0_EL1', 'ID_ISAR0_EL1', 'MVFR0_EL1',
  // issue 4: RAS / virtual SError
  'DISR_EL1', 'VDISR_EL2', 'VSESR_EL2', 'ERRIDR_EL1', 'ERRSELR_EL1', 'ERXSTATUS_EL1',
  // issue 5: GIC and timers
  'ICC_PMR_EL1', 'ICC_IAR0_EL1', 'ICC_IAR1_EL1', 'ICC_EOIR0_EL1', 'ICC_EOIR1_EL1', 'ICC_DIR_EL1', 'ICC_HPPIR0_EL1',
  'ICC_HPPIR1_EL1', 'ICC_BPR0_EL1', 'ICC_BPR1_EL1', 'ICC_RPR_EL1', 'ICC_CTLR_EL1', 'ICC_CTLR_EL3', 'ICC_IGRPEN0_EL1',
  'ICC_IGRPEN1_EL1', 'ICC_IGRPEN1_EL3', 'ICC_SRE_EL1', 'ICC_SRE_EL2', 'ICC_SRE_EL3', 'ICC_SGI0R_EL1', 'ICC_SGI1R_EL1',
  'ICC_ASGI1R_EL1', 'ICH_HCR_EL2', 'ICH_VTR_EL2', 'ICH_VMCR_EL2', 'ICH_MISR_EL2', 'ICH_EISR_EL2', 'ICH_ELRSR_EL2',
  ...Array.from({ length: 16 }, (_, n) => `ICH_LR${n}_EL2`),
  ...Array.from({ length: 4 }, (_, n) => `ICH_AP0R${n}_EL2`),
  ...Array.from({ length: 4 }, (_, n) => `ICH_AP1R${n}_EL2`),
  'CNTFRQ_EL0', 'CNTPCT_EL0', 'CNTVCT_EL0', 'CNTVOFF_EL2', 'CNTHCTL_EL2', 'CNTKCTL_EL1',
  ...['CNTP', 'CNTV', 'CNTHP', 'CNTHV', 'CNTPS'].flatMap((t) => {
    const s = t === 'CNTPS' ? 'EL1' : t.startsWith('CNTH') ? 'EL2' : 'EL0';
    return [`${t}_CTL_${s}`, `${t}_CVAL_${s}`, `${t}_TVAL_${s}`];
  }),
  // debug / PMU
  'MDSCR_EL1', 'OSLAR_EL1', 'OSLSR_EL1', 'OSDLR_EL1', 'DBGPRCR_EL1', 'MDRAR_EL1', 'DBGAUTHSTATUS_EL1',
  ...Array.from({ length: 6 }, (_, n) => [`DBGBVR${n}_EL1`, `DBGBCR${n}_EL1`]).flat(),
  ...Array.from({ length: 4 }, (_, n) => [`DBGWVR${n}_EL1`, `DBGWCR${n}_EL1`]).flat(),
  'PMCR_EL0', 'PMCNTENSET_EL0', 'PMCNTENCLR_EL0', 'PMCCNTR_EL0', 'PMUSERENR_EL0', 'PMSELR_EL0', 'PMEVCNTR0_EL0', 'PMEVTYPER0_EL0',
  'PMCCFILTR_EL0', 'PMINTENSET_EL1', 'PMOVSSET_EL0',
  // VHE aliases
  'SCTLR_EL12', 'CPACR_EL12', 'TTBR0_EL12', 'TTBR1_EL12', 'TCR_EL12', 'SPSR_EL12', 'ELR_EL12', 'AFSR0_EL12',
  'AFSR1_EL12', 'ESR_EL12', 'FAR_EL12', 'MAIR_EL12', 'AMAIR_EL12', 'VBAR_EL12', 'CONTEXTIDR_EL12', 'CNTKCTL_EL12',
  'CNTP_CTL_EL02', 'CNTP_CVAL_EL02', 'CNTP_TVAL_EL02', 'CNTV_CTL_EL02', 'CNTV_CVAL_EL02', 'CNTV_TVAL_EL02',
];

describe('system-register table', () => {
  it('has unique names and encodings', () => {
    const names = new Set<string>();
    const encs = new Set<number>();
    for (const d of SYSREGS) {
      expect(names.has(d.name), d.name).toBe(false);
      names.add(d.name);
      const k = encKey(d.op0, d.op1, d.crn, d.crm, d.op2);
      expect(encs.has(k), d.name).toBe(false);
      encs.add(k);
      expect(findSysReg(d.op0, d.op1, d.crn, d.crm, d.op2)).toBe(d);
      expect(d.desc.length).toBeGreaterThan(3);
      expect(d.gdbGroups?.length).toBeGreaterThan(0);
    }
  });

  it('every alias / redirect target exists and aliases share storage', () => {
    for (const d of SYSREGS) {
      if (d.storageOf) {
        expect(sysRegByName(d.storageOf), d.name).toBeDefined();
        expect(R[d.name]).toBe(R[d.storageOf]);
      }
      if (d.e2hRedirect) expect(sysRegByName(d.e2hRedirect), d.name).toBeDefined();
      if (d.name.endsWith('_EL12') || d.name.endsWith('_EL02')) {
        expect(d.vheAlias, d.name).toBe(true);
        expect(d.op1).toBe(5);
      }
    }
  });

  it('contains every register the issues require', () => {
    const missing = REQUIRED.filter((n) => sysRegByName(n) === undefined);
    expect(missing).toEqual([]);
  });

  it('VHE redirects the EL1 registers the architecture redirects', () => {
    const want: Record<string, string> = {
      SCTLR_EL1: 'SCTLR_EL2', CPACR_EL1: 'CPTR_EL2', TTBR0_EL1: 'TTBR0_EL2', TTBR1_EL1: 'TTBR1_EL2', TCR_EL1: 'TCR_EL2',
      AFSR0_EL1: 'AFSR0_EL2', AFSR1_EL1: 'AFSR1_EL2', ESR_EL1: 'ESR_EL2', FAR_EL1: 'FAR_EL2', MAIR_EL1: 'MAIR_EL2',
      AMAIR_EL1: 'AMAIR_EL2', VBAR_EL1: 'VBAR_EL2', CONTEXTIDR_EL1: 'CONTEXTIDR_EL2', SPSR_EL1: 'SPSR_EL2',
      ELR_EL1: 'ELR_EL2', CNTKCTL_EL1: 'CNTHCTL_EL2', CNTP_CTL_EL0: 'CNTHP_CTL_EL2', CNTV_CVAL_EL0: 'CNTHV_CVAL_EL2',
    };
    for (const [k, v] of Object.entries(want)) expect(sysRegByName(k)?.e2hRedirect, k).toBe(v);
  });

  it('a few encodings (Arm ARM D17)', () => {
    const enc = (n: string) => {
      const d = sysRegByName(n)!;
      return `${d.op0}:${d.op1}:${d.crn}:${d.crm}:${d.op2}`;
    };
    expect(enc('HCR_EL2')).toBe('3:4:1:1:0');
    expect(enc('VTTBR_EL2')).toBe('3:4:2:1:0');
    expect(enc('ICH_LR15_EL2')).toBe('3:4:12:13:7');
    expect(enc('ICC_SGI1R_EL1')).toBe('3:0:12:11:5');
    expect(enc('CNTVOFF_EL2')).toBe('3:4:14:0:3');
    expect(enc('DBGWCR3_EL1')).toBe('2:0:0:3:7');
    expect(enc('PMEVTYPER3_EL0')).toBe('3:3:14:12:3');
    expect(enc('CNTPS_CVAL_EL1')).toBe('3:7:14:2:2');
    expect(enc('VNCR_EL2')).toBe('3:4:2:2:0');
  });

  it('reserved ID space reads as zero; unknown encodings are not found', () => {
    expect(findSysReg(3, 0, 0, 3, 7)?.access).toBe('ro');
    expect(findSysReg(3, 0, 11, 0, 0)).toBeUndefined();
  });

  it('VMPIDR_EL2 resets to the MPIDR_EL1 of its CPU', () => {
    const m = new Machine({ ramMiB: 4, smp: 2 });
    expect(m.cpus[1].sysGet(R.VMPIDR_EL2)).toBe(0x80000001n);
    expect(debugReadSysReg(m.cpus[1], sysRegByName('MPIDR_EL1')!)).toBe(0x80000001n);
  });

  it('debugger access: live reads, writes with side effects and write masks', () => {
    const m = new Machine({ ramMiB: 4 });
    const c = m.cpus[0];
    expect(debugReadSysReg(c, sysRegByName('ID_AA64MMFR1_EL1')!) & 0xf00n).toBe(0x100n); // VH
    expect(debugReadSysReg(c, sysRegByName('MPIDR_EL1')!)).toBe(0x80000000n);
    debugWriteSysReg(c, sysRegByName('VBAR_EL2')!, 0x4000_0fffn);
    expect(c.sysGet(R.VBAR_EL2)).toBe(0x4000_0800n);
    debugWriteSysReg(c, sysRegByName('SCTLR_EL12')!, 0x1234n);
    expect(c.sysGet(R.SCTLR_EL1)).toBe(0x1234n);
  });
});
