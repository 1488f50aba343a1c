// Wires the GICv3 and the generic timers into a machine: maps GICD/GICR, connects each CPU's timer
// outputs to its redistributor PPIs, evaluates timers at every slice boundary and reports the next
// timer deadline so WFI with nothing pending skips ahead in (deterministic) time.
import type { Machine } from '../machine/machine';
import { Gic, GICD_BASE, GICD_SIZE, GICR_BASE, GICR_STRIDE } from './gic';
import { GenericTimers } from '../timer/timer';

/** `security`: a GIC with two security states (GICD_CTLR.DS = 0), as QEMU's virt has with secure=on. */
export function attachGicAndTimers(m: Machine, nSpi = 256, opts: { security?: boolean } = {}): Gic {
  const gic = new Gic(m.cpus, nSpi, opts);
  m.bus.map(GICD_BASE, GICD_SIZE, gic.distributor);
  m.bus.map(GICR_BASE, GICR_STRIDE * m.cpus.length, gic.redistributors);
  const timers = m.cpus.map(
    (c) =>
      new GenericTimers(
        c,
        () => m.counterFor(c),
        (intid, level) => gic.setPrivateLevel(c.index, intid, level),
      ),
  );
  m.tickers.push(() => {
    for (const t of timers) t.evaluate();
  });
  const prev = m.nextDeadline;
  m.nextDeadline = () => {
    let d = prev();
    for (const t of timers) d = Math.min(d, t.nextDeadline());
    return d;
  };
  m.gic = gic;
  return gic;
}
