// Target description XML (GDB manual "Target Descriptions"), generated at runtime from the
// system-register table: org.gnu.gdb.aarch64.core with GDB's standard numbering (x0-x30 = 0-30,
// sp = 31, pc = 32, cpsr = 33), org.gnu.gdb.aarch64.fpu (v0-v31 = 34-65, fpsr 66, fpcr 67), then
// org.el2scope.sysregs with every register of the table under its architectural name (regnum 68 on) in groups el1/el2/el3/system so `info registers el2` works
// and the general group (plain `info registers`) stays small.
import { viewRegisters, SYS_BASE, FPU_BASE, REG_FPSR, REG_FPCR } from '../debug/registers';

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/"/g, '&quot;');

function coreFeature(): string {
  let x = '<feature name="org.gnu.gdb.aarch64.core">\n';
  x += '  <flags id="cpsr_flags" size="4">\n';
  const flags: [string, number, number][] = [
    ['SP', 0, 0], ['EL', 2, 3], ['nRW', 4, 4], ['F', 6, 6], ['I', 7, 7], ['A', 8, 8], ['D', 9, 9],
    ['BTYPE', 10, 11], ['SSBS', 12, 12], ['IL', 20, 20], ['SS', 21, 21], ['PAN', 22, 22], ['UAO', 23, 23],
    ['DIT', 24, 24], ['TCO', 25, 25], ['V', 28, 28], ['C', 29, 29], ['Z', 30, 30], ['N', 31, 31],
  ];
  for (const [n, s, e] of flags) x += `    <field name="${n}" start="${s}" end="${e}"/>\n`;
  x += '  </flags>\n';
  for (let i = 0; i < 31; i++) x += `  <reg name="x${i}" bitsize="64" type="int" regnum="${i}"/>\n`;
  x += '  <reg name="sp" bitsize="64" type="data_ptr" regnum="31"/>\n';
  x += '  <reg name="pc" bitsize="64" type="code_ptr" regnum="32"/>\n';
  x += '  <reg name="cpsr" bitsize="32" type="cpsr_flags" regnum="33"/>\n';
  return x + '</feature>\n';
}

function sysFeature(): string {
  let x = '<feature name="org.el2scope.sysregs">\n';
  viewRegisters().forEach((r, i) => {
    x += `  <reg name="${esc(r.name)}" bitsize="64" type="uint64" regnum="${SYS_BASE + i}" group="${r.group}" save-restore="no"/>\n`;
  });
  return x + '</feature>\n';
}

/** GDB's aarch64 fpu feature shape: v0-v31 as a union of vector views, fpsr, fpcr. */
function fpuFeature(): string {
  let x = '<feature name="org.gnu.gdb.aarch64.fpu">\n';
  const vec: [string, string, number][] = [
    ['v2d', 'ieee_double', 2], ['v2u', 'uint64', 2], ['v2i', 'int64', 2],
    ['v4f', 'ieee_single', 4], ['v4u', 'uint32', 4], ['v4i', 'int32', 4],
    ['v8u', 'uint16', 8], ['v8i', 'int16', 8],
    ['v16u', 'uint8', 16], ['v16i', 'int8', 16],
    ['v1u', 'uint128', 1], ['v1i', 'int128', 1],
  ];
  for (const [id, t, n] of vec) x += `  <vector id="${id}" type="${t}" count="${n}"/>\n`;
  const unions: [string, [string, string][]][] = [
    ['vnd', [['f', 'v2d'], ['u', 'v2u'], ['s', 'v2i']]],
    ['vns', [['f', 'v4f'], ['u', 'v4u'], ['s', 'v4i']]],
    ['vnh', [['u', 'v8u'], ['s', 'v8i']]],
    ['vnb', [['u', 'v16u'], ['s', 'v16i']]],
    ['vnq', [['u', 'v1u'], ['s', 'v1i']]],
    ['aarch64v', [['d', 'vnd'], ['s', 'vns'], ['h', 'vnh'], ['b', 'vnb'], ['q', 'vnq']]],
  ];
  for (const [id, fields] of unions) {
    x += `  <union id="${id}">\n`;
    for (const [n, t] of fields) x += `    <field name="${n}" type="${t}"/>\n`;
    x += '  </union>\n';
  }
  for (let i = 0; i < 32; i++) x += `  <reg name="v${i}" bitsize="128" type="aarch64v" regnum="${FPU_BASE + i}"/>\n`;
  x += `  <reg name="fpsr" bitsize="32" regnum="${REG_FPSR}"/>\n`;
  x += `  <reg name="fpcr" bitsize="32" regnum="${REG_FPCR}"/>\n`;
  return x + '</feature>\n';
}

let cached: string | null = null;
export function targetXml(): string {
  if (cached) return cached;
  cached =
    '<?xml version="1.0"?>\n<!DOCTYPE target SYSTEM "gdb-target.dtd">\n<target version="1.0">\n' +
    '<architecture>aarch64</architecture>\n' +
    // A bare machine, not a Linux process: without this gdb falls back to its configured default
    // (GNU/Linux for gdb-multiarch) and, after every stop, probes the code around the PC for a Linux
    // signal trampoline (two extra memory reads per step). An ELF that names its OS still wins.
    '<osabi>none</osabi>\n' +
    coreFeature() +
    fpuFeature() +
    sysFeature() +
    '</target>\n';
  return cached;
}
