// PSCI firmware for runs without EL3 code (default start at EL2, and `--el 1`): SMC or HVC calls on
// the configured conduit are answered here, the way QEMU's built-in PSCI answers on `virt`
// (target/arm/psci.c in QEMU 7.2; PSCI spec Arm DEN 0022). Version reported: 1.1, as QEMU 7.2
// (checked by running QEMU 7.2: PSCI_VERSION returns 0x00010001). Every call on the conduit is a
// PSCI call; unknown function IDs return NOT_SUPPORTED (-1) in x0. Results are 32-bit signed values
// sign-extended into x0.
import type { Cpu } from '../cpu/cpu';
import type { Machine } from './machine';
import { R } from '../sysregs/table';

/** PSCI 0.2+ function IDs (DEN 0022 table 5.1); 64-bit variants have bit 30 set. */
export const PSCI_FN = {
  VERSION: 0x84000000,
  CPU_SUSPEND: 0x84000001,
  CPU_SUSPEND64: 0xc4000001,
  CPU_OFF: 0x84000002,
  CPU_ON: 0x84000003,
  CPU_ON64: 0xc4000003,
  AFFINITY_INFO: 0x84000004,
  AFFINITY_INFO64: 0xc4000004,
  MIGRATE: 0x84000005,
  MIGRATE64: 0xc4000005,
  MIGRATE_INFO_TYPE: 0x84000006,
  SYSTEM_OFF: 0x84000008,
  SYSTEM_RESET: 0x84000009,
  FEATURES: 0x8400000a,
} as const;

/** PSCI 0.1 IDs QEMU accepts too (its DTB "arm,psci" binding uses them). */
const PSCI01_BASE = 0x95c1ba5e;
const PSCI01 = { CPU_SUSPEND: PSCI01_BASE, CPU_OFF: PSCI01_BASE + 1, CPU_ON: PSCI01_BASE + 2, MIGRATE: PSCI01_BASE + 3 };

export const PSCI_RET = {
  SUCCESS: 0,
  NOT_SUPPORTED: -1,
  INVALID_PARAMS: -2,
  DENIED: -3,
  ALREADY_ON: -4,
  ON_PENDING: -5,
  INTERNAL_FAILURE: -6,
  NOT_PRESENT: -7,
  DISABLED: -8,
  INVALID_ADDRESS: -9,
} as const;

export const PSCI_VERSION_1_1 = 0x00010001;
/** MIGRATE_INFO_TYPE: "Trusted OS not present or does not require migration" */
const TOS_MIGRATION_NOT_REQUIRED = 2;

const FEATURES_SUPPORTED = new Set<number>([
  PSCI_FN.VERSION,
  PSCI_FN.MIGRATE_INFO_TYPE,
  PSCI_FN.AFFINITY_INFO,
  PSCI_FN.AFFINITY_INFO64,
  PSCI_FN.SYSTEM_RESET,
  PSCI_FN.SYSTEM_OFF,
  PSCI01.CPU_ON,
  PSCI_FN.CPU_ON,
  PSCI_FN.CPU_ON64,
  PSCI01.CPU_OFF,
  PSCI_FN.CPU_OFF,
  PSCI01.CPU_SUSPEND,
  PSCI_FN.CPU_SUSPEND,
  PSCI_FN.CPU_SUSPEND64,
  PSCI_FN.FEATURES,
]);

export interface PsciHost {
  machine: Machine;
  conduit: 'smc' | 'hvc';
  /** Start `c` (powered off) at `entry` with x0 = contextId, in the state firmware would leave it. */
  startCpu(c: Cpu, entry: bigint, contextId: bigint): void;
  /** Reset the whole system at the next slice boundary (SYSTEM_RESET). */
  requestReset(): void;
}

/** Affinity fields of a CPU's MPIDR_EL1 (Aff3..Aff0; MPIDR_EL1 reads 0x8000_0000 | index). */
export function mpidrAffinity(c: Cpu): number {
  return c.index & 0xff;
}

function findCpu(m: Machine, mpidr: bigint): Cpu | undefined {
  const aff = Number(mpidr & 0xff00ffffffn);
  return m.cpus.find((c) => mpidrAffinity(c) === aff);
}

function setRet(c: Cpu, ret: number): void {
  c.x[0] = ret >>> 0;
  c.x[1] = ret < 0 ? 0xffffffff : 0;
}

function powerOff(c: Cpu): void {
  c.off = true;
  c.halted = false;
  c.exitLoop = true;
}

/** Make the CpuEnv.psci hook for a board. */
export function makePsciHandler(host: PsciHost): (c: Cpu, conduit: 'smc' | 'hvc', imm: number) => boolean {
  const m = host.machine;
  return (c, conduit) => {
    if (conduit !== host.conduit) return false;
    if (c.el === 0) return false;
    // HCR_EL2.TSC traps SMC from EL1 to EL2 before any firmware sees it (Arm ARM D1.15.3)
    if (conduit === 'smc' && c.el === 1 && c.el2Enabled() && (c.sysLo(R.HCR_EL2) >>> 19) & 1) return false;
    const fn = c.x[0];
    const fnHi = c.x[1];
    const arg = (i: number) => c.x64[i];
    // 32-bit function IDs take 32-bit arguments: fn must fit in w0 (SMCCC: upper bits ignored)
    void fnHi;
    switch (fn) {
      case PSCI_FN.VERSION:
        setRet(c, PSCI_VERSION_1_1);
        break;
      case PSCI_FN.MIGRATE_INFO_TYPE:
        setRet(c, TOS_MIGRATION_NOT_REQUIRED);
        break;
      case PSCI_FN.AFFINITY_INFO:
      case PSCI_FN.AFFINITY_INFO64: {
        const level = Number(arg(2) & 0xffffffffn);
        if (level !== 0) {
          setRet(c, 0); // everything above affinity level 0 is always on
          break;
        }
        const t = findCpu(m, fn === PSCI_FN.AFFINITY_INFO ? arg(1) & 0xffffffffn : arg(1));
        setRet(c, t ? (t.off ? 1 : 0) : PSCI_RET.INVALID_PARAMS);
        break;
      }
      case PSCI_FN.SYSTEM_OFF:
        powerOff(c);
        m.exit(0, 'PSCI SYSTEM_OFF');
        break;
      case PSCI_FN.SYSTEM_RESET:
        powerOff(c);
        host.requestReset();
        break;
      case PSCI01.CPU_ON:
      case PSCI_FN.CPU_ON:
      case PSCI_FN.CPU_ON64: {
        const is32 = fn === PSCI_FN.CPU_ON;
        const mask = is32 ? 0xffffffffn : 0xffffffffffffffffn;
        const t = findCpu(m, arg(1) & mask);
        if (!t) setRet(c, PSCI_RET.INVALID_PARAMS);
        else if (!t.off) setRet(c, PSCI_RET.ALREADY_ON);
        else {
          host.startCpu(t, arg(2) & mask, arg(3) & mask);
          setRet(c, PSCI_RET.SUCCESS);
        }
        break;
      }
      case PSCI01.CPU_OFF:
      case PSCI_FN.CPU_OFF:
        powerOff(c);
        break;
      case PSCI01.CPU_SUSPEND:
      case PSCI_FN.CPU_SUSPEND:
      case PSCI_FN.CPU_SUSPEND64:
        // no power-down states: a standby that returns like WFI (QEMU does the same)
        if (c.x[2] & 0xfffe0000) setRet(c, PSCI_RET.INVALID_PARAMS);
        else {
          setRet(c, PSCI_RET.SUCCESS);
          c.halted = true;
          c.exitLoop = true;
        }
        break;
      case PSCI_FN.FEATURES:
        setRet(c, FEATURES_SUPPORTED.has(c.x[2]) && c.x[3] === 0 ? PSCI_RET.SUCCESS : PSCI_RET.NOT_SUPPORTED);
        break;
      default:
        setRet(c, PSCI_RET.NOT_SUPPORTED);
    }
    return true;
  };
}
