// FEAT_RAS (Arm ARM D17.2, "RAS registers"): no error records (ERRIDR_EL1.NUM = 0), the deferred
// error record DISR_EL1 (ESB), and its virtual counterpart VDISR_EL2: EL1 accesses to DISR_EL1 go to
// VDISR_EL2 when HCR_EL2.AMO = 1 (EL2 enabled, not the host regime). VSESR_EL2 is in regs/core.ts.
import type { SysRegDef } from '../types';
import type { Cpu } from '../../cpu/cpu';
import { reg } from './define';
import { T } from '../traps';
import { R } from '../table';

const TERR = { traps: [T.TERR, T.TERR3] };

/** DISR_EL1 as seen by the current access: VDISR_EL2 at EL1 with HCR_EL2.AMO */
export function disrIndex(c: Cpu): number {
  if (c.el === 1 && c.el2Enabled() && !c.tge() && (c.hcrLo() >>> 5) & 1) return R.VDISR_EL2;
  return R.DISR_EL1;
}

export const RAS_REGS: SysRegDef[] = [
  reg('ERRIDR_EL1', '3:0:5:3:0', 'ras', 'Error Record ID Register (no records)', { ...TERR, access: 'ro' }),
  reg('ERRSELR_EL1', '3:0:5:3:1', 'ras', 'Error Record Select Register', { ...TERR, writeMask: 0xffffn }),
  // with no records, ERX* accesses are RAZ/WI
  reg('ERXFR_EL1', '3:0:5:4:0', 'ras', 'Selected Error Record Feature Register', { ...TERR, access: 'ro' }),
  reg('ERXCTLR_EL1', '3:0:5:4:1', 'ras', 'Selected Error Record Control Register', { ...TERR, writeMask: 0n }),
  reg('ERXSTATUS_EL1', '3:0:5:4:2', 'ras', 'Selected Error Record Primary Status Register', { ...TERR, writeMask: 0n }),
  reg('ERXADDR_EL1', '3:0:5:4:3', 'ras', 'Selected Error Record Address Register', { ...TERR, writeMask: 0n }),
  reg('ERXMISC0_EL1', '3:0:5:5:0', 'ras', 'Selected Error Record Miscellaneous Register 0', { ...TERR, writeMask: 0n }),
  reg('ERXMISC1_EL1', '3:0:5:5:1', 'ras', 'Selected Error Record Miscellaneous Register 1', { ...TERR, writeMask: 0n }),
  reg('DISR_EL1', '3:0:12:1:1', 'ras', 'Deferred Interrupt Status Register (ESB)', {
    read: (c) => {
      const i = disrIndex(c);
      c.tmpLo = c.sys[2 * i];
      c.tmpHi = c.sys[2 * i + 1];
    },
    write: (c, lo) => {
      // A [31], IDS [24], AET/EA/DFSC [23:0]
      c.sys[2 * disrIndex(c)] = lo & 0x81ff_ffff;
    },
  }),
  reg('VDISR_EL2', '3:4:12:1:1', 'ras', 'Virtual Deferred Interrupt Status Register', { writeMask: 0x81ff_ffffn }),
];
