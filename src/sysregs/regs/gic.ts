// GICv3 CPU interface system registers (Arm IHI 0069 chapter 12; encodings cross-checked with Linux
// arch/arm64/include/asm/sysreg.h). Behaviour lives in src/gic/cpuif.ts: when the board has a GIC,
// every access goes to `c.gic.cpuif[c.index].read/write(name)` (which also serves the ICV_* view
// when HCR_EL2.IMO/FMO route interrupts to EL2); without a GIC the table's storage is used.
import type { SysRegDef } from '../types';
import type { Cpu } from '../../cpu/cpu';
import { reg, type Opts } from './define';
import { R } from '../table';

export const NUM_ICH_LRS = 16;

function gicRead(c: Cpu, d: SysRegDef): void {
  const g = c.gic;
  if (g === null) {
    c.tmpLo = c.sys[2 * d.idx!];
    c.tmpHi = c.sys[2 * d.idx! + 1];
    return;
  }
  const v = g.cpuif[c.index].read(d.name);
  c.tmpLo = Number(v & 0xffffffffn) >>> 0;
  c.tmpHi = Number(v >> 32n) >>> 0;
}
function gicWrite(c: Cpu, lo: number, hi: number, d: SysRegDef): void {
  const g = c.gic;
  if (g === null) {
    c.sys[2 * d.idx!] = lo;
    c.sys[2 * d.idx! + 1] = hi;
    return;
  }
  g.cpuif[c.index].write(d.name, (BigInt(hi >>> 0) << 32n) | BigInt(lo >>> 0));
}

/**
 * EL1 traps of the CPU interface registers to EL2 (GICv3 spec 12.1.x and the ICH_HCR_EL2
 * description), EL2 enabled and not the host regime:
 * - ICH_HCR_EL2.TC (10): registers common to both groups (CTLR, PMR, RPR, DIR, SGI*);
 *   TALL0 (11) / TALL1 (12): group 0 / group 1 registers; TDIR (14): ICC_DIR_EL1;
 * - SGI generation is never virtualized: ICC_SGI1R/ASGI1R_EL1 trap with HCR_EL2.IMO, ICC_SGI0R_EL1
 *   with HCR_EL2.FMO.
 */
function gicTrap(kind: 'common' | 'g0' | 'g1' | 'dir' | 'sgi0' | 'sgi1') {
  return (c: Cpu, _r: boolean, d: SysRegDef, iss: number): boolean => {
    if (c.el !== 1 || !c.el2Enabled() || c.tge()) return false;
    const hcr = c.hcrLo();
    let t = false;
    if (kind === 'sgi1') t = (hcr & (1 << 4)) !== 0;
    else if (kind === 'sgi0') t = (hcr & (1 << 3)) !== 0;
    if (!t) {
      const ich = c.gic !== null ? c.gic.cpuif[c.index].hcr : c.sys[2 * ICH_HCR_IDX()];
      if (kind === 'g0') t = (ich & (1 << 11)) !== 0;
      else if (kind === 'g1') t = (ich & (1 << 12)) !== 0;
      else t = (ich & (1 << 10)) !== 0 || (kind === 'dir' && (ich & (1 << 14)) !== 0);
    }
    if (!t) return false;
    void d;
    c.syncException(0x18, iss, 2);
    return true;
  };
}
const ICH_HCR_IDX = () => R.ICH_HCR_EL2;

const G: Opts = { read: gicRead, write: gicWrite };
const icc = (name: string, enc: string, desc: string, o: Opts = {}) => {
  let kind: Parameters<typeof gicTrap>[0] | null = null;
  if (name.endsWith('_EL1')) {
    if (/SGI0R/.test(name)) kind = 'sgi0';
    else if (/SGI1R/.test(name)) kind = 'sgi1';
    else if (/DIR/.test(name)) kind = 'dir';
    else if (/IAR0|EOIR0|HPPIR0|BPR0|AP0R|IGRPEN0/.test(name)) kind = 'g0';
    else if (/IAR1|EOIR1|HPPIR1|BPR1|AP1R|IGRPEN1/.test(name)) kind = 'g1';
    else if (/CTLR|PMR|RPR/.test(name)) kind = 'common';
  }
  return reg(name, enc, 'gic', desc, { ...G, ...(kind ? { trap: gicTrap(kind) } : {}), ...o });
};

/** With a GIC attached, only what ICH_VTR_EL2 / ICC_CTLR_EL1 advertise exists: ListRegs+1 list
 * registers and, with 5 bits of priority, only AP0R0/AP1R0 (GICv3 spec 12.4.x / 12.5.x: the others are
 * UNDEFINED). Without a GIC (bare machine) every register is storage. */
const lrCount = new WeakMap<Cpu, number>();
function apTrap(n: number, g: 'g0' | 'g1') {
  const t = gicTrap(g);
  const i = implemented('ap', n);
  return (c: Cpu, r: boolean, d: SysRegDef, iss: number): boolean => t(c, r, d, iss) || i(c);
}
function implemented(kind: 'lr' | 'ap', n: number) {
  return (c: Cpu): boolean => {
    const g = c.gic;
    if (g === null) return false;
    let bad: boolean;
    if (kind === 'lr') {
      let k = lrCount.get(c);
      if (k === undefined) {
        k = Number(g.cpuif[c.index].read('ICH_VTR_EL2') & 0x1fn) + 1;
        lrCount.set(c, k);
      }
      bad = n >= k;
    } else bad = n >= 1;
    if (bad) c.undefinedInstruction();
    return bad;
  };
}

const ap: SysRegDef[] = [];
for (let n = 0; n < 4; n++) ap.push(icc(`ICC_AP0R${n}_EL1`, `3:0:12:8:${4 + n}`, `Interrupt Controller Active Priorities Group 0 Register ${n}`, n ? { trap: apTrap(n, 'g0') } : {}));
for (let n = 0; n < 4; n++) ap.push(icc(`ICC_AP1R${n}_EL1`, `3:0:12:9:${n}`, `Interrupt Controller Active Priorities Group 1 Register ${n}`, n ? { trap: apTrap(n, 'g1') } : {}));
const ichAp: SysRegDef[] = [];
for (let n = 0; n < 4; n++) ichAp.push(icc(`ICH_AP0R${n}_EL2`, `3:4:12:8:${n}`, `Interrupt Controller Hyp Active Priorities Group 0 Register ${n}`, { trap: implemented('ap', n) }));
for (let n = 0; n < 4; n++) ichAp.push(icc(`ICH_AP1R${n}_EL2`, `3:4:12:9:${n}`, `Interrupt Controller Hyp Active Priorities Group 1 Register ${n}`, { trap: implemented('ap', n) }));
const lrs: SysRegDef[] = [];
for (let n = 0; n < NUM_ICH_LRS; n++) lrs.push(icc(`ICH_LR${n}_EL2`, `3:4:12:${12 + (n >> 3)}:${n & 7}`, `Interrupt Controller List Register ${n}`, { trap: implemented('lr', n) }));

const RO = { access: 'ro' as const };
const WO = { access: 'wo' as const };
const ACK = { access: 'ro' as const, readSideEffects: true };

export const GIC_REGS: SysRegDef[] = [
  icc('ICC_PMR_EL1', '3:0:4:6:0', 'Interrupt Controller Interrupt Priority Mask Register'),
  icc('ICC_IAR0_EL1', '3:0:12:8:0', 'Interrupt Controller Interrupt Acknowledge Register 0', ACK),
  icc('ICC_EOIR0_EL1', '3:0:12:8:1', 'Interrupt Controller End Of Interrupt Register 0', WO),
  icc('ICC_HPPIR0_EL1', '3:0:12:8:2', 'Interrupt Controller Highest Priority Pending Interrupt Register 0', RO),
  icc('ICC_BPR0_EL1', '3:0:12:8:3', 'Interrupt Controller Binary Point Register 0'),
  ...ap,
  icc('ICC_DIR_EL1', '3:0:12:11:1', 'Interrupt Controller Deactivate Interrupt Register', WO),
  icc('ICC_RPR_EL1', '3:0:12:11:3', 'Interrupt Controller Running Priority Register', RO),
  icc('ICC_SGI1R_EL1', '3:0:12:11:5', 'Interrupt Controller Software Generated Interrupt Group 1 Register', WO),
  icc('ICC_ASGI1R_EL1', '3:0:12:11:6', 'Interrupt Controller Alias Software Generated Interrupt Group 1 Register', WO),
  icc('ICC_SGI0R_EL1', '3:0:12:11:7', 'Interrupt Controller Software Generated Interrupt Group 0 Register', WO),
  icc('ICC_IAR1_EL1', '3:0:12:12:0', 'Interrupt Controller Interrupt Acknowledge Register 1', ACK),
  icc('ICC_EOIR1_EL1', '3:0:12:12:1', 'Interrupt Controller End Of Interrupt Register 1', WO),
  icc('ICC_HPPIR1_EL1', '3:0:12:12:2', 'Interrupt Controller Highest Priority Pending Interrupt Register 1', RO),
  icc('ICC_BPR1_EL1', '3:0:12:12:3', 'Interrupt Controller Binary Point Register 1'),
  icc('ICC_CTLR_EL1', '3:0:12:12:4', 'Interrupt Controller Control Register (EL1)'),
  icc('ICC_SRE_EL1', '3:0:12:12:5', 'Interrupt Controller System Register Enable Register (EL1)', { reset: 0x7n }),
  icc('ICC_IGRPEN0_EL1', '3:0:12:12:6', 'Interrupt Controller Interrupt Group 0 Enable Register'),
  icc('ICC_IGRPEN1_EL1', '3:0:12:12:7', 'Interrupt Controller Interrupt Group 1 Enable Register'),
  // EL2: ICC_SRE_EL2 and the virtual interface controls
  ...ichAp,
  icc('ICC_SRE_EL2', '3:4:12:9:5', 'Interrupt Controller System Register Enable Register (EL2)', { reset: 0xfn }),
  icc('ICH_HCR_EL2', '3:4:12:11:0', 'Interrupt Controller Hyp Control Register'),
  icc('ICH_VTR_EL2', '3:4:12:11:1', 'Interrupt Controller VGIC Type Register', RO),
  icc('ICH_MISR_EL2', '3:4:12:11:2', 'Interrupt Controller Maintenance Interrupt State Register', RO),
  icc('ICH_EISR_EL2', '3:4:12:11:3', 'Interrupt Controller End of Interrupt Status Register', RO),
  icc('ICH_ELRSR_EL2', '3:4:12:11:5', 'Interrupt Controller Empty List Register Status Register', RO),
  icc('ICH_VMCR_EL2', '3:4:12:11:7', 'Interrupt Controller Virtual Machine Control Register'),
  ...lrs,
  // EL3
  icc('ICC_CTLR_EL3', '3:6:12:12:4', 'Interrupt Controller Control Register (EL3)'),
  icc('ICC_SRE_EL3', '3:6:12:12:5', 'Interrupt Controller System Register Enable Register (EL3)', { reset: 0xfn }),
  icc('ICC_IGRPEN1_EL3', '3:6:12:12:7', 'Interrupt Controller Interrupt Group 1 Enable Register (EL3)'),
];
