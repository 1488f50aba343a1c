// Target description XML (GDB manual "Target Descriptions"), generated at runtime from the
// system-register table: org.gnu.gdb.aarch64.core with GDB's standard numbering (x0-x30 = 0-30,
// sp = 31, pc = 32, cpsr = 33), then org.el2scope.sysregs with every register of the table under its
// architectural name (regnum 34 onwards) in groups el1/el2/el3/system so `info registers el2` works
// and the general group (plain `info registers`) stays small.
import { viewRegisters, CORE_COUNT } from '../debug/registers';

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
    x += `  <reg name="${esc(r.name)}" bitsize="64" type="uint64" regnum="${CORE_COUNT + i}" group="${r.group}" save-restore="no"/>\n`;
  });
  return x + '</feature>\n';
}

let cached: string | null = null;
export function targetXml(): string {
  if (cached) return cached;
  cached =
    '<?xml version="1.0"?>\n<!DOCTYPE target SYSTEM "gdb-target.dtd">\n<target version="1.0">\n' +
    '<architecture>aarch64</architecture>\n' +
    coreFeature() +
    sysFeature() +
    '</target>\n';
  return cached;
}
