// The target description names no OS (a bare machine): gdb then skips its Linux signal-trampoline
// sniffing, whose memory reads would double the round trips of every stepi and continue.
import { describe, it, expect } from 'vitest';
import { gdb, hasGdb, LOOP, machineWith, serve } from './helpers';

describe.skipIf(!hasGdb)('gdb: OS ABI and round trips per step', () => {
  it('gdb reports OS ABI none; a stepi costs three packets (code read, vCont;s, code read)', async () => {
    const m = machineWith(LOOP);
    const srv = await serve(m);
    try {
      const out = await gdb(srv.port, ['show osabi', 'set debug remote 1', 'stepi 6', 'set debug remote 0', 'p/x $pc', 'p $x1']);
      expect(out).toMatch(/currently "none"/);
      const sent = out.split('\n').filter((l) => l.includes('Sending packet:'));
      const steps = sent.filter((l) => /\$vCont;s/.test(l)).length;
      expect(steps).toBe(6);
      // per step: the single-step atomic-sequence check, the step, the unwinder's code read (gdb 13);
      // a Linux OS ABI would add two trampoline reads per step
      expect(sent.length).toBeLessThanOrEqual(3 * steps + 3);
      // and the steps happened: movz x1,#5 ; (add ; b) x2 ; add  -> x1 = 5 + 3, pc at the branch
      expect(out).toMatch(/\$1 = 0x40000008/);
      expect(out).toMatch(/\$2 = 8/);
    } finally {
      await srv.close();
    }
  });
});
