// Front-end-agnostic types of the debug core (GDB server and WebSocket inspector both use them).
import type { MemView } from '../mmu/debug';

export type { MemView };

export type WatchKind = 'write' | 'read' | 'access';

/** Why the machine stopped. `cpu` is the vCPU index that caused it (0 for pause/initial). */
export type DebugStop =
  | { reason: 'initial'; cpu: number }
  | { reason: 'pause'; cpu: number }
  | { reason: 'step'; cpu: number }
  | { reason: 'breakpoint'; cpu: number; hw: boolean; id: number }
  | { reason: 'watch'; cpu: number; kind: WatchKind; addr: bigint; id: number }
  | { reason: 'catch'; cpu: number; message: string }
  | { reason: 'eret'; cpu: number; message: string }
  | { reason: 'exited'; cpu: number; code: number; why: string };

type AnyStop = { reason: DebugStop['reason']; cpu: number; hw?: boolean; id?: number; kind?: WatchKind; addr?: bigint; message?: string; code?: number; why?: string };

/** The stop with every field of every kind present, in one order (absent ones undefined, so its JSON
 * is unchanged): stop listeners then see one object shape and stay optimized in V8. */
export function stopObject(s: DebugStop): DebugStop {
  const a = s as AnyStop;
  const o: AnyStop = { reason: a.reason, cpu: a.cpu, hw: a.hw, id: a.id, kind: a.kind, addr: a.addr, message: a.message, code: a.code, why: a.why };
  return o as DebugStop;
}

export interface Breakpoint {
  id: number;
  /** 'sw' and 'hw' differ only in how they are reported (we never patch guest memory) */
  type: 'sw' | 'hw';
  addr: bigint;
  /** address is a PA (matched after translating the PC) instead of a VA */
  physical?: boolean;
  /** only when executing at this EL */
  el?: number;
  /** only when executing with this VMID (EL0/EL1 under stage 2) */
  vmid?: number;
  owner: string;
}

export interface Watchpoint {
  id: number;
  kind: WatchKind;
  addr: bigint;
  len: number;
  /** address is a PA */
  physical?: boolean;
  owner: string;
}

export interface CatchConfig {
  /** target ELs whose synchronous exceptions stop (1, 2, 3) */
  els: Set<number>;
  /** IRQ/FIQ taken to any EL stop */
  irq: boolean;
  /** per caught EL: when non-empty, synchronous catches to that EL only for these ECs */
  ecs: Map<number, Set<number>>;
  /** stop after ERET */
  eret: boolean;
}

export interface TrapLogEntry {
  seq: number;
  cpu: number;
  icount: number;
  fromEl: number;
  toEl: number;
  kind: string;
  esr: number;
  far?: bigint;
  hpfar?: bigint;
  elr: bigint;
  vmid: number;
}
