// Watchpoints through real gdb: write/read/access, the reported data address, PA-qualified
// watchpoints from the monitor. Needs the load/store instructions (skips until they decode).
import { describe, it, expect } from 'vitest';
import { hasGdb, gdb, serve, machineWith, words } from './helpers';
import { A64 } from '../../src/cpu/decode/a64.table';

// movz x1,#5 ; movz x2,#0x4000,lsl #16 ; 1: str x1,[x2,#0x100] ; ldr x3,[x2,#0x100] ; add x1,x1,#1 ; b 1b
const PROG = words(0xd28000a1, 0xd2a80002, 0xf9008041, 0xf9408043, 0x91000421, 0x17fffffd);
const haveLdSt = A64.decode(0xf9008041).name !== 'UNDEF' && A64.decode(0xf9408043).name !== 'UNDEF';
if (!haveLdSt) console.warn('test/gdb/gdb-watch: STR/LDR do not decode yet, skipping');

describe.skipIf(!hasGdb || !haveLdSt)('gdb: watchpoints', () => {
  it('watch / rwatch / awatch stop with the data address and the right values', async () => {
    const m = machineWith(PROG);
    const s = await serve(m);
    try {
      const out = await gdb(s.port, [
        'watch *(long *)0x40000100',
        'continue',
        'p/x $pc',
        'p $x1',
        'continue',
        'delete',
        'rwatch *(long *)0x40000100',
        'continue',
        'p/x $pc',
        'delete',
        'awatch *(long *)0x40000100',
        'continue',
        'continue',
        'delete',
        'x/1gx 0x40000100',
      ]);
      expect(out).toMatch(/Hardware watchpoint 1: \*\(long \*\)0x40000100\s+Old value = 0\s+New value = 5/);
      // gdb steps over the store (aarch64 watchpoints trigger before the access) and reports after it
      expect(out).toContain('$1 = 0x4000000c');
      expect(out).toContain('$2 = 5');
      expect(out).toMatch(/Old value = 5\s+New value = 6/);
      expect(out).toMatch(/Hardware read watchpoint 2: \*\(long \*\)0x40000100\s+Value = 6/);
      expect(out).toContain('$3 = 0x40000010');
      expect(out).toMatch(/Hardware access \(read\/write\) watchpoint 3: \*\(long \*\)0x40000100/);
      expect(out).toMatch(/0x40000100:\s+0x000000000000000[67]/);
    } finally {
      await s.close();
    }
  });

  it('a PA-qualified watchpoint from the monitor stops on the store', async () => {
    const m = machineWith(PROG);
    const s = await serve(m);
    try {
      const out = await gdb(s.port, ['monitor watch-pa 0x40000104 4 w', 'continue', 'p/x $pc', 'monitor breaks', 'monitor delete all', 'monitor breaks']);
      expect(out).toContain('watchpoint 1 (write) at PA 0x40000104 len 4');
      expect(out).toContain('monitor watchpoint 1 (write) hit: PA 0x40000104');
      expect(out).toContain('$1 = 0x40000008'); // stopped before the store that touches PA 0x40000104
      expect(out).toContain('no breakpoints or watchpoints');
    } finally {
      await s.close();
    }
  });
});
