// Exclusive monitors (Arm ARM B2.9 "Synchronization and semaphores").
//
// Local monitor: one per CPU. `c.exclAddr` holds the PA of the tagged address (or -1, Open Access);
// this module keeps the rest of the tag: the VA, the access size and the value(s) LDXR/LDXP returned.
//
// Global monitor: per bus, the set of CPUs that ever tagged an address. A store that goes through the
// slow memory path (mem.ts noteStore), an exclusive store or an atomic clears the reservation of every
// *other* CPU whose tagged granule (ERG = 64 bytes, CTR_EL0.ERG = 4) contains the stored address.
//
// Limitation and its cheap fix: fast-path plain stores (TLB hit, typed-array write) from another CPU
// do not look at the monitor. To still catch them, STXR also compares the memory contents with the
// value(s) the LDXR loaded and fails if they differ (as QEMU does). A store by another CPU that
// writes back the *same* value through the fast path is therefore not detected (ABA); every store that
// changes the data is.
//
// Stores by the same CPU to its own tagged address: whether they clear the local monitor is
// IMPLEMENTATION DEFINED (Arm ARM B2.9.2); we clear nothing, but the value compare above makes the
// STXR fail if such a store changed the data (again like QEMU).
import type { Cpu } from './cpu';
import type { Bus } from '../machine/bus';

/** log2 of the exclusives reservation granule in bytes (ERG, 16 words) */
export const ERG_SHIFT = 6;

/** Number of buses with at least one CPU that used exclusives (mem.ts checks it before calling us). */
export const monitorState = { live: 0 };

interface LocalTag {
  vaLo: number;
  vaHi: number;
  /** access size in bytes (1, 2, 4, 8, or 16 for a 64-bit pair) */
  size: number;
  /** loaded data as up to four 32-bit words, low first */
  v: Uint32Array;
}

const locals = new WeakMap<Cpu, LocalTag>();
const globals = new WeakMap<Bus, Cpu[]>();

function localOf(c: Cpu): LocalTag {
  let t = locals.get(c);
  if (!t) {
    t = { vaLo: 0, vaHi: 0, size: 0, v: new Uint32Array(4) };
    locals.set(c, t);
    let g = globals.get(c.bus);
    if (!g) {
      g = [];
      globals.set(c.bus, g);
      monitorState.live++;
    }
    g.push(c);
  }
  return t;
}

const granule = (pa: number) => Math.floor(pa / (1 << ERG_SHIFT));

/** LDXR/LDAXR/LDXP: tag the address (PA and VA) and remember the loaded data. */
export function markExclusive(c: Cpu, pa: number, vaLo: number, vaHi: number, size: number, w0: number, w1: number, w2: number, w3: number): void {
  const t = localOf(c);
  t.vaLo = vaLo;
  t.vaHi = vaHi;
  t.size = size;
  t.v[0] = w0;
  t.v[1] = w1;
  t.v[2] = w2;
  t.v[3] = w3;
  c.exclAddr = pa;
  c.exclSize = size;
}

/** First half of the STXR check (before translation): the local monitor tags this VA and size. */
export function exclusiveVaMatches(c: Cpu, vaLo: number, vaHi: number, size: number): boolean {
  if (c.exclAddr < 0) return false;
  const t = locals.get(c);
  return t !== undefined && t.vaLo === vaLo && t.vaHi === vaHi && t.size === size;
}

/** Second half (after translation): same PA, still reserved, and the data is what LDXR saw. */
export function exclusivePaMatches(c: Cpu, pa: number, w0: number, w1: number, w2: number, w3: number): boolean {
  if (c.exclAddr !== pa) return false;
  const t = locals.get(c);
  if (!t) return false;
  const n = t.size;
  const v = t.v;
  if (n >= 8) {
    if (v[0] !== w0 || v[1] !== w1) return false;
    if (n === 16 && (v[2] !== w2 || v[3] !== w3)) return false;
    return true;
  }
  return v[0] === w0;
}

/** CLREX (and STXR completion): clear the local monitor of c. */
export function clearExclusive(c: Cpu): void {
  c.exclAddr = -1;
}

/** A store by `c` to PA `pa` (size bytes): every other CPU loses a reservation on that granule. */
export function exclusiveNoteStore(c: Cpu, pa: number, size = 1): void {
  const g = globals.get(c.bus);
  if (!g) return;
  const g0 = granule(pa);
  const g1 = granule(pa + size - 1);
  for (let i = 0; i < g.length; i++) {
    const o = g[i];
    if (o === c || o.exclAddr < 0) continue;
    const og = granule(o.exclAddr);
    if (og >= g0 && og <= g1) o.exclAddr = -1;
  }
}
