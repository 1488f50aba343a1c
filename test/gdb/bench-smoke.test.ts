// Smoke test of scripts/bench-gdb.ts: its gdb sessions (stepi, flushregs + info registers, 1 MiB dump,
// restore + dump of random bytes, break + continue) run to the end against our server and QEMU's
// gdbstub with tiny counts, and the checks inside (the random MiB reads back equal, the continues stop
// at the loop breakpoint) hold. The rates themselves are not asserted (machine-dependent).
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { GDB, QEMU, formatGdb, hasTool, measureGdb } from '../../scripts/bench-gdb';

const elf = join(__dirname, '..', '..', 'targets', 'build', 'bench-loop.elf');
const haveGdb = hasTool(GDB);
const haveQemu = hasTool(QEMU);
const haveElf = existsSync(elf);
if (!haveGdb || !haveQemu || !haveElf)
  console.warn(`test/gdb/bench-smoke: skipped (${[!haveGdb && GDB, !haveQemu && QEMU, !haveElf && 'targets/build/bench-loop.elf'].filter(Boolean).join(', ')} missing)`);

describe.skipIf(!haveGdb || !haveQemu || !haveElf)('scripts/bench-gdb.ts', () => {
  it('runs its gdb sessions on el2scope and QEMU and prints the table', async () => {
    const r = await measureGdb({ elf, steps: 20, n: 4, dumps: 1, batches: 2, runs: 1, timeoutMs: 60_000 });
    expect(r.notes).toEqual([]);
    for (const side of [r.el2scope, r.qemu]) {
      expect(side).not.toBeNull();
      // gdb does a handful of packets per single step on both stubs (vCont/s, stop reply, reads)
      expect(side!.packetsPerStep).toBeGreaterThan(0);
      expect(side!.packetsPerStep).toBeLessThan(30);
      for (const rate of Object.values(side!.rates)) {
        expect(rate.best).toBeGreaterThan(0);
        expect(rate.best).toBeGreaterThanOrEqual(rate.mean * 0.999);
      }
    }
    const table = formatGdb(r);
    expect(table).toMatch(/stepi 20 \(steps\/s\)/);
    expect(table).toMatch(/break \+ continue x4/);
    expect(table).not.toMatch(/note:/);
  }, 120_000);
});
